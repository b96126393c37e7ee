"""Ingest and search at 1x, 10x, 50x the corpus (PDF renderings of the real text).

    python -m benchmarks.scaling --scales 1 10 50 --out benchmarks/out/scaling.json

Prints, per scale: files, pages, chunks, cold ingest seconds and chunks/s, a no-change
re-ingest, and search latency p50/p90 over 20 queries (hybrid, in process)."""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.corpus_pdfs import make_corpus
from benchmarks.stats import percentile
from ingest import Settings
from ingest.settings import PROJECT_ROOT

QUERIES = [
    "qu'est-ce qu'un médiateur santé pair", "c quoi la pair emulation", "savoir expérientiel définition",
    "What is a peer support worker?", "patient partenaire formation des professionnels", "rétablissement recovery",
    "journée partenariat patient Marseille 2024", "travail pair rémunéré", "empowerment participation",
    "programme un chez soi d'abord", "auto-support usagers de drogues", "santé communautaire",
    "COPS Occitanie dispositif", "glossaire intervenants pairs Pays de la Loire", "engagement des usagers ARS",
    "pair-aidant certifié Québec", "éducation thérapeutique du patient", "groupe d'entraide mutuelle GEM",
    "formation DU médiateur de santé pair Paris VIII", "expérience patient définition",
]


def measure(scale: int, work: Path) -> dict:
    from assistant import HybridRetriever, Runtime

    if scale == 1:
        paths = [PROJECT_ROOT / "corpus"]
    else:
        paths = [work / "pdfs"]
        make_corpus(PROJECT_ROOT / "corpus", work / "pdfs", scale)
    # only files inside the corpus folder are ingested: the rendered PDFs are their own corpus
    runtime = Runtime(Settings(data_dir=work / f"data-{scale}x", backend="extractive",
                               **({} if scale == 1 else {"corpus_dir": work / "pdfs"})))
    started = time.perf_counter()
    cold = runtime.ingest(paths, show_progress=True)
    cold_seconds = time.perf_counter() - started
    warm = runtime.ingest(paths)
    retriever = HybridRetriever.of(runtime)
    retriever.search("warm-up")
    latencies = []
    for query in QUERIES:
        t0 = time.perf_counter()
        retriever.search(query)
        latencies.append((time.perf_counter() - t0) * 1000)
    return {
        "scale": scale, "files": len(cold.files), "pages": cold.pages, "chunks": cold.chunks,
        "cold_ingest_s": round(cold_seconds, 1), "chunks_per_s": round(cold.chunks / cold_seconds, 2),
        "embedded": cold.embedded, "noop_reingest_s": round(warm.seconds, 2), "noop_embedded": warm.embedded,
        "search_ms_p50": round(statistics.median(latencies), 1), "search_ms_p90": round(percentile(latencies, 0.9), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/scaling.json"))
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="pairs-scaling-"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    results = []
    for scale in args.scales:
        results.append(measure(scale, work))
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
        args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
