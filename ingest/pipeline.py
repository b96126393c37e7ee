"""Files -> chunks -> index, incrementally.

What is indexed is read back from the store itself (each chunk carries its file's sha256
and the chunk count of that version), so there is no ledger to drift. A file is
re-ingested unless the store holds exactly its complete current version. New chunks are
written before stale ones are deleted, so a reader always finds the old or the new
version of a document, and a killed ingest is simply completed by the next run.

Only files inside the corpus folder are read, and never through a symbolic link (a link
to /etc or to another user's files is refused with its reason). An unchanged file whose
catalogue entry changed gets its passages relabelled (title, organisation, year) without
re-embedding; a `Screen` (the assistant's injection detector) flags, per passage, the
sentences that address the assistant, and re-screens indexed passages when its rules change."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import stat
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from tqdm import tqdm

from .catalog import CatalogEntry, fallback_entry, load_catalog
from .chunking import chunk_document, chunker_key, first_heading
from .clean import INVISIBLE_CHARS
from .embeddings import EmbeddingCache
from .loaders import SUPPORTED_SUFFIXES, LoadError, file_sha256, load
from .settings import Settings
from .store import IndexedDoc, Store
from .types import FileReport, IngestReport, Screen

UPSERT_BATCH = 64
ProgressCallback = Callable[[str, float], None]
SYMLINK_REFUSED = "lien symbolique refusé : placez le fichier lui-même dans le dossier du corpus"
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


def read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file, never through a symbolic link (O_NOFOLLOW: a file
    swapped for a link after discovery is refused too)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise LoadError("fichier introuvable (supprimé ou lien cassé)") from None
    except IsADirectoryError:
        raise LoadError("c'est un dossier, pas un fichier") from None
    except PermissionError:
        raise LoadError("fichier illisible : permission refusée") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LoadError(SYMLINK_REFUSED) from None
        raise LoadError(f"fichier illisible : {exc.strerror or type(exc).__name__}") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise LoadError("ce n'est pas un fichier ordinaire (périphérique, tube…) : refusé")
        return fh.read()


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
        changed = False
        bar = tqdm(files, desc="Ingestion", unit="fichier", disable=not show_progress)
        for number, path in enumerate(bar, start=1):
            bar.set_postfix_str(path.name[:40])
            if on_progress:
                on_progress(path.name, (number - 1) / max(len(files), 1))
            doc = doc_name(path, settings.corpus_dir)
            file_report = _ingest_file(path, store, indexed.get(doc), catalog, cache, show_progress, actor, screen)
            report.files.append(file_report)
            changed |= file_report.status == "indexed" or file_report.relabelled
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


def _ingest_file(path: Path, store: Store, existing: IndexedDoc | None, catalog: dict[str, CatalogEntry], cache: EmbeddingCache,
                 show_progress: bool = False, actor: str = "", screen: Screen | None = None) -> FileReport:
    settings = store.settings
    doc = doc_name(path, settings.corpus_dir)
    report = FileReport(path=str(path), doc=doc, status="failed")
    try:
        data = read_regular_file(path)
        version = f"{file_sha256(data)}:{chunker_key(settings.chunk_size, settings.chunk_overlap)}"
        if existing and existing.complete_for(version):
            report.status, report.chunks = "unchanged", len(existing.ids)
            report.relabelled, rescreened = _refresh_labels(store, existing, doc, catalog.get(doc), path, data, screen)
            report.flagged = store.flagged_sentences(existing.ids) if rescreened else list(existing.flagged)
            return report
        source = load(path, data)
        entry = catalog.get(doc) or fallback_entry(doc, first_heading(source))
        indexed_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        chunks = [replace(c, file_sha=version, indexed_at=indexed_at, indexed_by=actor)
                  for c in chunk_document(source, doc, entry, settings.chunk_size, settings.chunk_overlap)]
        if not chunks:
            raise LoadError("aucun passage exploitable (texte trop court ou uniquement de la mise en page)")
    except LoadError as exc:
        report.reason = str(exc)
        return report
    if screen is not None:
        chunks = [replace(c, flagged=tuple(screen.find(c.text)), screened=screen.version) for c in chunks]
    with tqdm(total=len(chunks), desc=f"  {path.name[:30]}", unit="passage", leave=False, disable=not show_progress) as bar:
        vectors, report.embedded = cache.embed(store.embeddings, [c.embedding_text() for c in chunks], on_batch=bar.update)
    absolute = str(path.resolve())  # no link inside the corpus (refused above): only the folder's own location resolves
    for begin in range(0, len(chunks), UPSERT_BATCH):
        store.upsert(chunks[begin : begin + UPSERT_BATCH], vectors[begin : begin + UPSERT_BATCH], absolute)
    new_ids = {c.chunk_id for c in chunks}
    store.delete([i for i in (existing.ids if existing else []) if i not in new_ids])
    report.status, report.chunks, report.pages = "indexed", len(chunks), source.pages
    report.flagged = list(dict.fromkeys(s for c in chunks for s in c.flagged))
    report.warnings = list(source.warnings) + _warnings(source.text, report.flagged)
    return report


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
