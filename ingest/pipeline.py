"""Files -> chunks -> index, incrementally.

What is indexed is read back from the store itself (each chunk carries its file's sha256
and the chunk count of that version), so there is no ledger to drift. A file is
re-ingested unless the store holds exactly its complete current version. New chunks are
written before stale ones are deleted, so a reader always finds the old or the new
version of a document, and a killed ingest is simply completed by the next run.

Reading and embedding overlap: a background thread reads and chunks the next files
(PDF text extraction is Python, the embedder is C that releases the GIL) while the main
thread embeds the current one and writes it to the store. Progress is told per document
and page, to tqdm and to `on_progress(label, fraction)` (the UI's bar), always from the
calling thread.

Only files inside the corpus folder are read, and never through a symbolic link (a link
to /etc or to another user's files is refused with its reason). An unchanged file whose
catalogue entry changed gets its passages relabelled (title, organisation, year) without
re-embedding; a `Screen` (the assistant's injection detector) flags, per passage, the
sentences that address the assistant, and re-screens indexed passages when its rules change."""

from __future__ import annotations

import fcntl
import json
import os
import queue
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

from tqdm import tqdm

from .catalog import CatalogEntry, fallback_entry, load_catalog
from .chunking import chunk_document, chunker_key, first_heading
from .clean import INVISIBLE_CHARS
from .embeddings import BATCH_SIZE, EmbeddingCache
from .loaders import SUPPORTED_SUFFIXES, SYMLINK_REFUSED, LoadError, SourceDocument, file_sha256, load, read_bytes
from .settings import Settings
from .store import IndexedDoc, Store
from .types import Chunk, FileReport, IngestReport, Screen

UPSERT_BATCH = 64
PREFETCH = 2  # files read ahead of the one being embedded (bounds the memory held)
READ_SHARE = 0.1  # share of a file's progress given to reading it, the rest to embedding
POLL_SECONDS = 0.2  # how often a wait for the reader thread reports its pages
ProgressCallback = Callable[[str, float], None]
OUTSIDE_REFUSED = "hors du dossier du corpus : copiez le fichier dans le dossier du corpus (PAIRS_CORPUS_DIR) pour l'indexer"


def refusal(path: Path, corpus_dir: Path) -> str:
    """Why `path` must not be read ("" when it may): outside the corpus folder, or reached
    through a symbolic link (the file itself or a folder on the way)."""
    roots = [Path(os.path.abspath(corpus_dir)), corpus_dir.resolve()]
    absolute = Path(os.path.abspath(path))
    root = next((r for r in roots if absolute == r or absolute.is_relative_to(r)), None)
    if root is None:
        return OUTSIDE_REFUSED
    current = root
    for part in absolute.relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            return SYMLINK_REFUSED
    try:
        if not absolute.resolve().is_relative_to(corpus_dir.resolve()):
            return OUTSIDE_REFUSED
    except OSError:
        return OUTSIDE_REFUSED
    return ""


def discover(paths: Iterable[Path], report: IngestReport, corpus_dir: Path | None = None) -> tuple[list[Path], list[Path]]:
    """(files to ingest, folders scanned). Unsupported files inside folders are listed as
    ignored; an unsupported file named explicitly is a failure; symbolic links and paths
    outside the corpus folder are refused (failures with their reason). Folders are walked
    without following links."""
    files, folders = [], []
    for path in paths:
        path = Path(path)
        why = refusal(path, corpus_dir) if corpus_dir is not None else ""
        if why:
            report.files.append(FileReport(path=str(path), doc=path.name, status="failed", reason=why))
            continue
        if not path.is_dir():
            files.append(path)
            continue
        folders.append(path.resolve())
        for top, dirs, names in os.walk(path, followlinks=False):
            top_path = Path(top)
            relative = top_path.relative_to(path)
            if any(part.startswith(".") for part in relative.parts):
                dirs[:] = []
                continue
            for name in sorted(dirs):
                if (top_path / name).is_symlink() and not name.startswith("."):
                    report.files.append(FileReport(path=str(top_path / name), doc=_relative(top_path / name, corpus_dir), status="failed",
                                                   reason=SYMLINK_REFUSED))
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (top_path / d).is_symlink())
            for name in sorted(names):
                child = top_path / name
                if name.startswith("."):
                    continue
                if child.is_symlink():
                    if child.suffix.lower() in SUPPORTED_SUFFIXES:
                        report.files.append(FileReport(path=str(child), doc=_relative(child, corpus_dir), status="failed",
                                                       reason=SYMLINK_REFUSED))
                    continue
                if child.suffix.lower() in SUPPORTED_SUFFIXES:
                    files.append(child)
                elif name != "catalog.toml":
                    report.ignored.append(str(child))
    return list(dict.fromkeys(files)), folders


def _relative(path: Path, corpus_dir: Path | None) -> str:
    return doc_name(path, corpus_dir) if corpus_dir is not None else path.name


def doc_name(path: Path, corpus_dir: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(corpus_dir))).as_posix()
    except ValueError:
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
    actor: str = "",
    screen: Screen | None = None,
) -> IngestReport:
    """Index files (default: the corpus folder) into the store; see the module docstring.
    `actor` is recorded with every passage indexed (provenance); `screen` flags instructions."""
    settings = store.settings
    started = time.perf_counter()
    report = IngestReport()
    files, folders = discover(list(paths) if paths else [settings.corpus_dir], report, settings.corpus_dir)
    with _ingest_lock(settings):
        if rebuild:
            store.drop()
        indexed = store.indexed_docs()
        catalog = load_catalog(settings.corpus_dir)
        cache = EmbeddingCache(settings.cache_path / "embeddings.sqlite")
        progress = _Progress(len(files), show_progress, on_progress)
        reader = _Reader(files, settings, indexed, catalog, actor, screen)
        changed = False
        try:
            for number, path in enumerate(files):
                progress.start(number, path)
                prepared = reader.next(progress)
                if prepared.chunks:
                    _index_file(prepared, store, cache, progress)
                elif prepared.report.status == "unchanged":
                    _refresh_unchanged(prepared, store, catalog, screen)
                report.files.append(prepared.report)
                changed |= prepared.report.status == "indexed" or prepared.report.relabelled
        finally:
            reader.stop()
            progress.close()
            cache.close()
        seen = {doc_name(p, settings.corpus_dir) for p in files}
        for doc, entry in indexed.items():
            if doc not in seen and _was_in(entry.path, folders) and not _still_there(entry.path, settings.corpus_dir):
                store.delete(entry.ids)
                report.files.append(FileReport(path=entry.path, doc=doc, status="removed", chunks=len(entry.ids)))
                changed = True
        if changed:
            store.bump_version()
    if on_progress:
        on_progress("", 1.0)
    report.seconds = time.perf_counter() - started
    return report


def forget(store: Store, doc: str) -> int:
    """Remove a document's passages from the index (its file is the caller's business);
    the number of passages removed."""
    with _ingest_lock(store.settings):
        entry = store.indexed_docs().get(doc)
        if entry is None:
            return 0
        store.delete(entry.ids)
        store.bump_version()
        return len(entry.ids)


def _was_in(path: str, folders: list[Path]) -> bool:
    return bool(path) and any(Path(path).is_relative_to(folder) for folder in folders)


def _still_there(path: str, corpus_dir: Path) -> bool:
    """The indexed file is still a regular file of the corpus (a file replaced by a link is gone)."""
    return Path(path).exists() and not refusal(Path(path), corpus_dir)


# ---------------------------------------------------------------- reading (background thread)


@dataclass
class Prepared:
    """A file read and chunked, ready to embed (or its report when there is nothing to do)."""

    path: Path
    report: FileReport
    existing: IndexedDoc | None = None
    chunks: list[Chunk] = field(default_factory=list)
    pages: int = 0
    data: bytes = b""  # an unchanged file's bytes (its own title, when its catalogue entry is gone)


@dataclass
class _PageCount:
    read: int = 0
    pages: int = 0


def prepare_file(path: Path, settings: Settings, existing: IndexedDoc | None, catalog: dict[str, CatalogEntry],
                 on_page: Callable[[int, int], None] | None = None, actor: str = "", screen: Screen | None = None) -> Prepared:
    """Read, chunk and screen one file, unless the store already holds its current version."""
    started = time.perf_counter()
    doc = doc_name(path, settings.corpus_dir)
    report = FileReport(path=str(path), doc=doc, status="failed")
    prepared = Prepared(path, report, existing)
    try:
        data = read_bytes(path)
        version = f"{file_sha256(data)}:{chunker_key(settings.chunk_size, settings.chunk_overlap)}"
        if existing and existing.complete_for(version):
            report.status, report.chunks = "unchanged", len(existing.ids)
            prepared.data = data
            return prepared
        source: SourceDocument = load(path, data, on_page)
        entry = catalog.get(doc) or fallback_entry(doc, first_heading(source))
        indexed_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        chunks = [replace(c, file_sha=version, indexed_at=indexed_at, indexed_by=actor)
                  for c in chunk_document(source, doc, entry, settings.chunk_size, settings.chunk_overlap)]
        if not chunks:
            raise LoadError("aucun passage exploitable (texte trop court ou uniquement de la mise en page)")
        if screen is not None:
            chunks = [replace(c, flagged=tuple(screen.find(c.text)), screened=screen.version) for c in chunks]
        prepared.chunks, prepared.pages = chunks, source.pages
        report.pages = source.pages
        report.flagged = list(dict.fromkeys(s for c in chunks for s in c.flagged))
        report.warnings = list(source.warnings) + _warnings(source.text, report.flagged)
    except LoadError as exc:
        report.reason = str(exc)
    finally:
        report.read_seconds = time.perf_counter() - started
    return prepared


class _Reader:
    """Reads and chunks the files in order on one background thread, at most PREFETCH
    ahead of the consumer. An unexpected error is handed over and raised by `next`."""

    def __init__(self, files: list[Path], settings: Settings, indexed: dict[str, IndexedDoc], catalog: dict[str, CatalogEntry],
                 actor: str = "", screen: Screen | None = None) -> None:
        self._files, self._settings, self._indexed, self._catalog = files, settings, indexed, catalog
        self._actor, self._screen = actor, screen
        self._queue: queue.Queue = queue.Queue(maxsize=PREFETCH)
        self._stopped = threading.Event()
        self.counts = [_PageCount() for _ in files]
        self._thread = threading.Thread(target=self._run, name="pairs-ingest-reader", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for number, path in enumerate(self._files):
            if self._stopped.is_set():
                return
            count = self.counts[number]

            def on_page(read: int, pages: int, count=count) -> None:
                count.read, count.pages = read, pages

            try:
                item = prepare_file(path, self._settings, self._indexed.get(doc_name(path, self._settings.corpus_dir)),
                                    self._catalog, on_page, self._actor, self._screen)
            except BaseException as exc:  # handed to the consumer, which raises it
                item = exc
            while not self._stopped.is_set():
                try:
                    self._queue.put(item, timeout=POLL_SECONDS)
                    break
                except queue.Full:
                    continue
            if isinstance(item, BaseException):
                return

    def next(self, progress: "_Progress") -> Prepared:
        """The next file, reporting its pages as they are read while it is awaited."""
        while True:
            try:
                item = self._queue.get(timeout=POLL_SECONDS)
                break
            except queue.Empty:
                progress.reading(self.counts[progress.number])
        if isinstance(item, BaseException):
            raise item
        return item

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)


# ---------------------------------------------------------------- embedding and writing (calling thread)


def _index_file(prepared: Prepared, store: Store, cache: EmbeddingCache, progress: "_Progress") -> None:
    """Embed a file's chunks batch by batch (cached texts cost nothing), then write them
    and delete what the store held of its previous version."""
    chunks, report = prepared.chunks, prepared.report
    texts = [c.embedding_text() for c in chunks]
    vectors: list[list[float]] = []
    progress.embedding(prepared, 0)
    embed_started = time.perf_counter()
    for begin in range(0, len(chunks), BATCH_SIZE):
        batch, embedded = cache.embed(store.embeddings, texts[begin : begin + BATCH_SIZE])
        vectors.extend(batch)
        report.embedded += embedded
        progress.embedding(prepared, begin + len(batch))
    report.embed_seconds = time.perf_counter() - embed_started
    write_started = time.perf_counter()
    absolute = str(prepared.path.resolve())  # no link inside the corpus (refused above): only the folder's own location resolves
    for begin in range(0, len(chunks), UPSERT_BATCH):
        store.upsert(chunks[begin : begin + UPSERT_BATCH], vectors[begin : begin + UPSERT_BATCH], absolute)
    new_ids = {c.chunk_id for c in chunks}
    store.delete([i for i in (prepared.existing.ids if prepared.existing else []) if i not in new_ids])
    report.write_seconds = time.perf_counter() - write_started
    report.status, report.chunks = "indexed", len(chunks)


def _refresh_unchanged(prepared: Prepared, store: Store, catalog: dict[str, CatalogEntry], screen: Screen | None) -> None:
    """An unchanged file: catalogue labels and flagged sentences brought up to date (on the
    calling thread, which alone writes to the store)."""
    report, existing = prepared.report, prepared.existing
    report.relabelled, rescreened = _refresh_labels(store, existing, report.doc, catalog.get(report.doc), prepared.path,
                                                    prepared.data, screen)
    report.flagged = store.flagged_sentences(existing.ids) if rescreened else list(existing.flagged)


def _warnings(text: str, flagged: list[str]) -> list[str]:
    warnings = []
    invisible = len(INVISIBLE_CHARS.findall(text))
    if invisible:
        warnings.append(f"{invisible} caractère(s) invisible(s) retiré(s) (largeur nulle, contrôle bidirectionnel, "
                        "balise Unicode) : le fichier peut cacher du texte")
    if flagged:
        warnings.append(f"{len(flagged)} phrase(s) ressemblant à une consigne adressée à l'assistant : jamais citées "
                        "ni utilisées comme preuve (détail dans l'onglet Corpus)")
    return warnings


def _refresh_labels(store: Store, existing: IndexedDoc, doc: str, entry: CatalogEntry | None, path: Path, data: bytes,
                    screen: Screen | None) -> tuple[bool, bool]:
    """Rewrite what changed in the metadata of an unchanged file's passages, without
    re-embedding: the catalogue labels, and the flagged sentences when the screen's rules
    are newer. (labels rewritten, passages re-screened)."""
    labels: dict = {}
    if entry is None and existing.title_from != {"document"}:
        try:  # the entry was removed (or an index older than `title_from`): the document's own title
            source = load(path, data)
            entry = fallback_entry(doc, first_heading(source))
        except LoadError:
            entry = None
    if entry is not None:
        wanted = {"title": entry.title, "organisation": entry.organisation, "year": entry.year or 0, "title_from": entry.origin}
        if any(existing.labels.get(key) != {value} for key, value in wanted.items()):
            labels = wanted
    rescreen = screen is not None and existing.screened != {screen.version}
    if not labels and not rescreen:
        return False, False
    flagged = {}
    if rescreen:
        flagged = {chunk_id: {"flagged": json.dumps(screen.find(text), ensure_ascii=False), "screened": screen.version}
                   for chunk_id, text in store.texts(existing.ids).items()}
    store.update_metadata({i: {**labels, **flagged.get(i, {})} for i in existing.ids})
    return bool(labels), rescreen


# ---------------------------------------------------------------- progress


class _Progress:
    """Per document and page: a tqdm bar of files, one of the current file's passages, and
    `on_progress(label, fraction)`. A file's share of the fraction is READ_SHARE for reading
    its pages, the rest for embedding its passages."""

    def __init__(self, files: int, show: bool, callback: ProgressCallback | None) -> None:
        self.files, self.callback, self.show = max(files, 1), callback, show
        self.number, self.name, self._last = 0, "", 0.0
        self._bar = tqdm(total=files, desc="Ingestion", unit="fichier", disable=not show)
        self._inner: tqdm | None = None

    def start(self, number: int, path: Path) -> None:
        self._close_inner()
        if number:
            self._bar.update(1)
        self.number, self.name = number, path.name
        self._bar.set_postfix_str(path.name[:40])
        self._tell(path.name, 0.0)

    def reading(self, count: _PageCount) -> None:
        if not count.pages:
            return
        pages_read = min(count.pages, (count.read + 1) // 2)  # two readers read every page
        self._bar.set_postfix_str(f"{self.name[:30]} : lecture p. {pages_read}/{count.pages}")
        self._tell(f"{self.name} : lecture, page {pages_read}/{count.pages}", READ_SHARE * count.read / (2 * count.pages))

    def embedding(self, prepared: Prepared, done: int) -> None:
        total = len(prepared.chunks)
        if self._inner is None:
            self._bar.set_postfix_str(self.name[:40])
            self._inner = tqdm(total=total, desc=f"  {self.name[:30]}", unit="passage", leave=False, disable=not self.show)
        self._inner.update(done - self._inner.n)
        last = prepared.chunks[done - 1] if done else None
        page = (last.page_end or last.page) if last else None
        where = f"page {page}/{prepared.pages}, " if page and prepared.pages else ""
        if where:
            self._inner.set_postfix_str(where.rstrip(", "))
        self._tell(f"{self.name} : {where}passages {done}/{total}", READ_SHARE + (1 - READ_SHARE) * done / max(total, 1))

    def _tell(self, label: str, within: float) -> None:
        if self.callback:
            self._last = max(self._last, min(1.0, (self.number + within) / self.files))  # never backwards
            self.callback(label, self._last)

    def _close_inner(self) -> None:
        if self._inner is not None:
            self._inner.close()
            self._inner = None

    def close(self) -> None:
        self._close_inner()
        self._bar.update(self._bar.total - self._bar.n)
        self._bar.close()
