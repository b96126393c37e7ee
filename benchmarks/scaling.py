"""Ingest and search at 1x, 10x, 50x the corpus (PDF renderings of the real text).

    python -m benchmarks.scaling --scales 1 10 50 --out benchmarks/out/scaling.json

Prints, per scale: files, pages, chunks, cold ingest seconds and chunks/s, index size on
disk, peak memory (RSS) of the process, seconds reading (background thread, overlapping
the embedding), embedding and writing to the store, a no-change re-ingest, the first search (which
builds the lexical index from the whole store), and search latency p50/p90/p95 over 20
queries x 3 (hybrid, in process). Each scale runs in its own process, so its peak RSS is
its own."""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
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


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB


def disk_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)


def measure(scale: int, work: Path) -> dict:
    from assistant import HybridRetriever, Runtime

    if scale == 1:
        paths = [PROJECT_ROOT / "corpus"]
    else:
        paths = [work / "pdfs"]
        make_corpus(PROJECT_ROOT / "corpus", work / "pdfs", scale)
    # only files inside the corpus folder are ingested: the rendered PDFs are their own corpus
    settings = Settings(data_dir=work / f"data-{scale}x", backend="extractive",
                        **({} if scale == 1 else {"corpus_dir": work / "pdfs"}))
    runtime = Runtime(settings)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    cold = runtime.ingest(paths, show_progress=True)
    cold_seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss_after_ingest = peak_rss_mb()
    warm = runtime.ingest(paths)
    retriever = HybridRetriever.of(runtime)
    t0 = time.perf_counter()
    retriever.search("warm-up")
    first_search_s = time.perf_counter() - t0
    latencies = []
    for _ in range(3):
        for query in QUERIES:
            t0 = time.perf_counter()
            retriever.search(query)
            latencies.append((time.perf_counter() - t0) * 1000)
    # a fresh runtime on the same index: what a restarted server pays before its first answer
    fresh = Runtime(settings, embeddings=runtime.embeddings)
    t0 = time.perf_counter()
    HybridRetriever.of(fresh).search("warm-up")
    restart_first_search_s = time.perf_counter() - t0
    return {
        "scale": scale, "files": len(cold.files), "pages": cold.pages, "chunks": cold.chunks,
        "cold_ingest_s": round(cold_seconds, 1), "cpu_s_so_far": round(usage.ru_utime + usage.ru_stime, 1),
        "load_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)], "chunks_per_s": round(cold.chunks / cold_seconds, 2),
        "embedded": cold.embedded, "read_s": round(cold.read_seconds, 1), "embed_s": round(cold.embed_seconds, 1),
        "write_s": round(cold.write_seconds, 1), "index_mb": disk_mb(settings.index_dir),
        "embedding_cache_mb": disk_mb(settings.cache_path),
        "peak_rss_mb_ingest": rss_after_ingest, "peak_rss_mb": peak_rss_mb(),
        "noop_reingest_s": round(warm.seconds, 2), "noop_embedded": warm.embedded,
        "first_search_s": round(first_search_s, 2), "restart_first_search_s": round(restart_first_search_s, 2),
        "search_ms_p50": round(statistics.median(latencies), 1), "search_ms_p90": round(percentile(latencies, 0.9), 1),
        "search_ms_p95": round(percentile(latencies, 0.95), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/scaling.json"))
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # child process: one scale
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="pairs-scaling-"))
    if args.one:
        print("RESULT " + json.dumps(measure(args.scales[0], work), ensure_ascii=False), flush=True)
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    results = []
    for scale in args.scales:
        child = subprocess.run([sys.executable, "-m", "benchmarks.scaling", "--one", "--scales", str(scale),
                                "--work", str(work)], stdout=subprocess.PIPE, text=True, check=True)
        line = next(l for l in child.stdout.splitlines() if l.startswith("RESULT "))
        results.append(json.loads(line[len("RESULT "):]))
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
        args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
