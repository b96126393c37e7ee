"""Files -> chunks -> index, incrementally.

What is indexed is read back from the store itself (each chunk carries its file's sha256
and the chunk count of that version), so there is no ledger to drift. A file is
re-ingested unless the store holds exactly its complete current version. New chunks are
written before stale ones are deleted, so a reader always finds the old or the new
version of a document, and a killed ingest is simply completed by the next run."""

from __future__ import annotations

import fcntl
import time
from dataclasses import replace
from datetime import datetime, timezone
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

from tqdm import tqdm

from .catalog import fallback_entry, load_catalog
from .chunking import chunk_document, chunker_key, first_heading
from .embeddings import EmbeddingCache
from .loaders import SUPPORTED_SUFFIXES, LoadError, file_sha256, load, read_bytes
from .settings import Settings
from .store import IndexedDoc, Store
from .types import FileReport, IngestReport

UPSERT_BATCH = 64
ProgressCallback = Callable[[str, float], None]


def discover(paths: Iterable[Path], report: IngestReport) -> tuple[list[Path], list[Path]]:
    """(files to ingest, folders scanned). Unsupported files inside folders are listed as
    ignored; an unsupported file named explicitly is a failure."""
    files, folders = [], []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            folders.append(path.resolve())
            for child in sorted(path.rglob("*")):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                if child.suffix.lower() in SUPPORTED_SUFFIXES and (child.is_file() or child.is_symlink()):
                    files.append(child)
                elif child.is_file() and child.name != "catalog.toml":
                    report.ignored.append(str(child))
        else:
            files.append(path)
    return list(dict.fromkeys(files)), folders


def doc_name(path: Path, corpus_dir: Path) -> str:
    try:
        return path.resolve().relative_to(corpus_dir.resolve()).as_posix()
    except (ValueError, OSError):
        return path.name


@contextmanager
def _ingest_lock(settings: Settings):
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / "ingest.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ingest(
    store: Store,
    paths: Iterable[Path] | None = None,
    rebuild: bool = False,
    show_progress: bool = False,
    on_progress: ProgressCallback | None = None,
) -> IngestReport:
    """Index files (default: the corpus folder) into the store; see the module docstring."""
    settings = store.settings
    started = time.perf_counter()
    report = IngestReport()
    files, folders = discover(list(paths) if paths else [settings.corpus_dir], report)
    with _ingest_lock(settings):
        if rebuild:
            store.drop()
        indexed = store.indexed_docs()
        catalog = load_catalog(settings.corpus_dir)
        cache = EmbeddingCache(settings.cache_path / "embeddings.sqlite")
        changed = False
        bar = tqdm(files, desc="Ingestion", unit="fichier", disable=not show_progress)
        for number, path in enumerate(bar, start=1):
            bar.set_postfix_str(path.name[:40])
            if on_progress:
                on_progress(path.name, (number - 1) / max(len(files), 1))
            file_report = _ingest_file(path, store, indexed.get(doc_name(path, settings.corpus_dir)), catalog, cache, show_progress)
            report.files.append(file_report)
            changed |= file_report.status == "indexed"
        seen = {doc_name(p, settings.corpus_dir) for p in files}
        for doc, entry in indexed.items():
            if doc not in seen and _was_in(entry.path, folders) and not Path(entry.path).exists():
                store.delete(entry.ids)
                report.files.append(FileReport(path=entry.path, doc=doc, status="removed", chunks=len(entry.ids)))
                changed = True
        if changed:
            store.bump_version()
    if on_progress:
        on_progress("", 1.0)
    report.seconds = time.perf_counter() - started
    return report


def _was_in(path: str, folders: list[Path]) -> bool:
    return bool(path) and any(Path(path).is_relative_to(folder) for folder in folders)


def _ingest_file(path: Path, store: Store, existing: IndexedDoc | None, catalog, cache: EmbeddingCache,
                 show_progress: bool = False) -> FileReport:
    settings = store.settings
    doc = doc_name(path, settings.corpus_dir)
    report = FileReport(path=str(path), doc=doc, status="failed")
    try:
        data = read_bytes(path)
        version = f"{file_sha256(data)}:{chunker_key(settings.chunk_size, settings.chunk_overlap)}"
        if existing and existing.complete_for(version):
            report.status, report.chunks = "unchanged", len(existing.ids)
            return report
        source = load(path, data)
        entry = catalog.get(doc) or fallback_entry(doc, first_heading(source))
        indexed_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        chunks = [replace(c, file_sha=version, indexed_at=indexed_at) for c in chunk_document(source, doc, entry, settings.chunk_size, settings.chunk_overlap)]
        if not chunks:
            raise LoadError("aucun passage exploitable (texte trop court ou uniquement de la mise en page)")
    except LoadError as exc:
        report.reason = str(exc)
        return report
    with tqdm(total=len(chunks), desc=f"  {path.name[:30]}", unit="passage", leave=False, disable=not show_progress) as bar:
        vectors, report.embedded = cache.embed(store.embeddings, [c.embedding_text() for c in chunks], on_batch=bar.update)
    absolute = str(path.resolve())
    for begin in range(0, len(chunks), UPSERT_BATCH):
        store.upsert(chunks[begin : begin + UPSERT_BATCH], vectors[begin : begin + UPSERT_BATCH], absolute)
    new_ids = {c.chunk_id for c in chunks}
    store.delete([i for i in (existing.ids if existing else []) if i not in new_ids])
    report.status, report.chunks, report.pages, report.warnings = "indexed", len(chunks), source.pages, source.warnings
    return report
