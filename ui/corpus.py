"""The maintainer's side of the UI: list what is indexed (with provenance), add files
safely, re-ingest, delete a document, edit its catalogue entry. No Gradio here; who may
call what is decided in app.py (ui/auth.py), and every action is recorded there.

Uploads: at most `max_upload_files` at once, only .pdf/.txt/.md, size-limited, names
sanitised (basename, ASCII letters, digits, dot, dash, underscore), written to a hidden
temporary file inside settings.corpus_dir, synced, then linked to their final name (atomic,
never over an existing file: a different file with the same name is stored as
`name-2.ext`), then ingested; a file the ingestion refuses is removed again, with its
reason. A server killed mid-upload leaves only a hidden `.upload-*.part` file, which the
ingestion ignores and the next start sweeps. Deleting moves the file to
`<data_dir>/corbeille/` (nothing is destroyed) and removes its passages from the index."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from ingest import IngestReport
from ingest.catalog import set_entry
from ingest.pipeline import SYMLINK_REFUSED, forget, refusal

ALLOWED_SUFFIXES = (".pdf", ".txt", ".md")
MAX_NAME_CHARS = 120
DATE_FORMAT = "%d/%m/%Y %H:%M"
PARTIAL_PREFIX = ".upload-"
STALE_PARTIAL_SECONDS = 600
Progress = Callable[[str, float], None]


class CorpusError(ValueError):
    """A maintenance action that cannot be done; the message is for the user (French)."""


# -- names and checks --------------------------------------------------------------------
def safe_name(raw: str) -> str:
    """A harmless file name: the basename only, accents folded, odd characters replaced."""
    base = PurePosixPath(str(raw or "").replace("\\", "/")).name
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)
    stem = re.sub(r"([.-])[.-]+", r"\1", stem).strip("-_.")[:MAX_NAME_CHARS] or "document"
    suffix = re.sub(r"[^A-Za-z0-9]+", "", suffix).lower()
    return f"{stem}.{suffix}" if suffix else stem


def check_upload(path: Path, name: str, max_bytes: int) -> str:
    """The reason to refuse this upload, or "" when it may go on to ingestion."""
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        return f"type de fichier refusé ({suffix or 'sans extension'}) : seuls les fichiers .pdf, .txt et .md sont acceptés"
    try:
        info = path.lstat()
    except OSError:
        return "fichier reçu illisible"
    if not path.is_file() or path.is_symlink():
        return "ce n'est pas un fichier ordinaire"
    size = info.st_size
    if size > max_bytes:
        return f"fichier trop volumineux ({size / 1e6:.1f} Mo, maximum {max_bytes / 1e6:.0f} Mo)"
    if size == 0:
        return "fichier vide"
    with path.open("rb") as fh:
        head = fh.read(8192)
    if suffix == ".pdf" and b"%PDF-" not in head[:1024]:
        return "ce n'est pas un PDF (en-tête %PDF absent) : fichier corrompu ou mal nommé"
    if suffix != ".pdf" and b"\x00" in head:
        return "fichier binaire : ce n'est pas du texte"
    return ""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _candidates(name: str):
    stem, suffix = os.path.splitext(name)
    yield name
    for i in range(2, 1000):
        yield f"{stem}-{i}{suffix}"


def place(source: Path, name: str, corpus_dir: Path) -> tuple[Path, bool, str]:
    """Copy an upload into the corpus folder: (path, created, note). Never overwrites; the
    final name appears only once the whole file is on disk."""
    corpus_dir.mkdir(parents=True, exist_ok=True)
    root = corpus_dir.resolve()
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    fd, partial = tempfile.mkstemp(prefix=PARTIAL_PREFIX, suffix=".part", dir=root)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        for candidate in _candidates(name):
            target = root / candidate
            if target.parent != root:
                raise CorpusError("nom de fichier invalide")
            if target.is_file() and not target.is_symlink() and _sha(target) == digest:
                return target, False, "déjà présent à l'identique dans le corpus"
            try:
                os.link(partial, target)  # atomic, and fails rather than replace an existing name
            except FileExistsError:
                continue
            _sync_dir(root)
            note = "" if candidate == name else f"renommé en « {candidate} » : un autre fichier porte déjà ce nom"
            return target, True, note
        raise CorpusError("trop de fichiers portent déjà ce nom")
    finally:
        Path(partial).unlink(missing_ok=True)


def _sync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def sweep_partial_uploads(corpus_dir: Path, older_than: float = STALE_PARTIAL_SECONDS) -> int:
    """Remove what a server killed mid-upload left behind (hidden .upload-*.part files)."""
    removed = 0
    if not corpus_dir.is_dir():
        return 0
    for partial in corpus_dir.glob(f"{PARTIAL_PREFIX}*.part"):
        try:
            if time.time() - partial.lstat().st_mtime > older_than and not partial.is_symlink():
                partial.unlink()
                removed += 1
        except OSError:
            pass
    return removed


# -- ingestion ---------------------------------------------------------------------------
def _row(name: str, status: str, reason: str = "", chunks: int = 0, pages: int = 0, warnings=(), sha256: str = "") -> dict:
    return {"name": name, "status": status, "reason": reason, "chunks": chunks, "pages": pages, "warnings": list(warnings),
            "sha256": sha256}


def add_files(uploads: list, runtime, on_progress: Progress | None = None, actor: str = "") -> tuple[list[dict], float]:
    """Check, place and ingest uploaded files; one report row per upload."""
    settings = runtime.settings
    started = time.perf_counter()
    uploads = list(uploads or [])
    if len(uploads) > settings.max_upload_files:
        raise CorpusError(f"Trop de fichiers à la fois ({len(uploads)}, maximum {settings.max_upload_files}).")
    rows: dict[str, dict] = {}
    placed: dict[str, tuple[Path, bool, str]] = {}
    for upload in uploads:
        source = Path(upload)
        name = safe_name(source.name)
        label = source.name if source.name == name else f"{source.name} → {name}"
        reason = check_upload(source, name, settings.max_upload_mb * 1024 * 1024)
        if reason:
            rows[label] = _row(label, "failed", reason)
            continue
        try:
            target, created, note = place(source, name, settings.corpus_dir)
        except CorpusError as exc:
            rows[label] = _row(label, "failed", f"impossible d'enregistrer le fichier : {exc}")
            continue
        except OSError as exc:  # the message of an OSError names server paths: not for users
            rows[label] = _row(label, "failed", f"impossible d'enregistrer le fichier ({exc.strerror or 'erreur disque'})")
            continue
        placed[str(target)] = (target, created, label)
        rows[label] = _row(label, "pending", note, sha256=_sha(target))
    if placed:
        report = runtime.ingest([p for p, _, _ in placed.values()], on_progress=on_progress, actor=actor)
        _merge(report, placed, rows)
    return list(rows.values()), time.perf_counter() - started


def _merge(report: IngestReport, placed: dict, rows: dict) -> None:
    for file_report in report.files:
        if file_report.path not in placed:
            continue
        target, created, label = placed[file_report.path]
        note = rows[label]["reason"]
        reason = "; ".join(x for x in (file_report.reason, note) if x)
        if file_report.status == "failed" and created:
            target.unlink(missing_ok=True)
            reason += " (fichier non conservé)"
        rows[label] = _row(label, file_report.status, reason, file_report.chunks, file_report.pages, file_report.warnings,
                           rows[label]["sha256"])
    for row in rows.values():
        if row["status"] == "pending":  # the same file twice in one batch
            row["status"] = "unchanged"


def reingest(runtime, on_progress: Progress | None = None, actor: str = "") -> tuple[list[dict], float]:
    """Incremental ingest of the whole corpus folder."""
    report = runtime.ingest(on_progress=on_progress, actor=actor)
    rows = [_row(f.doc, f.status, f.reason, f.chunks, f.pages,
                 f.warnings + (["titre, organisation ou année mis à jour depuis catalog.toml"] if f.relabelled else []))
            for f in report.files]
    rows += [_row(Path(p).name, "ignored", "type non pris en charge") for p in report.ignored]
    return rows, report.seconds


def corpus_file(runtime, doc: str) -> Path:
    """The file of a document named by the UI, checked: inside the corpus folder, no link."""
    settings = runtime.settings
    if not doc or doc.startswith("/") or "\\" in doc or any(part in {"", ".", ".."} for part in doc.split("/")):
        raise CorpusError("Document inconnu.")
    path = settings.corpus_dir / doc
    why = refusal(path, settings.corpus_dir)
    if why:
        raise CorpusError(f"Document refusé : {why}.")
    if not path.is_file() and doc not in runtime.store.indexed_docs():
        raise CorpusError("Document inconnu : ni fichier dans le corpus ni passage dans l'index.")
    return path


def delete_document(runtime, doc: str) -> dict:
    """Move a document's file to the trash folder and remove its passages from the index."""
    settings = runtime.settings
    path = corpus_file(runtime, doc)
    moved = ""
    sha = ""
    if path.is_file():
        sha = _sha(path)
        settings.trash_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        moved = f"{stamp}-{safe_name(doc.replace('/', '-'))}"
        shutil.move(str(path), str(settings.trash_dir / moved))
    removed = forget(runtime.store, doc)
    if not moved and not removed:
        raise CorpusError("Document inconnu : ni fichier dans le corpus ni passage dans l'index.")
    runtime.refresh()
    return {"doc": doc, "sha256": sha, "passages_removed": removed, "trash": moved}


def edit_catalog(runtime, doc: str, title: str, organisation: str = "", year: str | int | None = None,
                 actor: str = "") -> tuple[dict, list[dict]]:
    """Write the catalogue entry of a document, then apply it to its passages at once
    (relabelled, not re-embedded). (entry written, report rows)."""
    path = corpus_file(runtime, doc)
    entry = set_entry(runtime.settings.corpus_dir, doc, title, organisation, year)
    rows: list[dict] = []
    if path.is_file():
        report = runtime.ingest([path], actor=actor)
        rows = [_row(f.doc, f.status, f.reason, f.chunks, f.pages,
                     f.warnings + (["titre, organisation ou année mis à jour"] if f.relabelled else [])) for f in report.files]
    return {"doc": doc, "title": entry.title, "organisation": entry.organisation, "year": entry.year}, rows


# -- what is indexed ---------------------------------------------------------------------
def local_time(iso: str) -> str:
    """ISO 8601 UTC (as the index stores it) to the maintainer's local "23/11/2026 10:06"."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime(DATE_FORMAT)
    except ValueError:
        return ""


def list_documents(runtime, admin: bool = False) -> list[dict]:
    """One entry per indexed document (with its provenance: who indexed this version, when,
    its sha256), plus corpus files that are not indexed. `flagged` (the sentences the
    injection detector flagged) only for administrators."""
    settings = runtime.settings
    docs: dict[str, dict] = {}
    for chunk in runtime.store.all_chunks():
        entry = docs.setdefault(chunk.doc, {
            "doc": chunk.doc, "title": chunk.title, "organisation": chunk.organisation, "year": chunk.year,
            "chunks": 0, "pages": None, "status": "indexé", "added_by": chunk.indexed_by,
            "sha256": chunk.file_sha.split(":", 1)[0], "flagged": [], "_starts": [],
        })
        entry["chunks"] += 1
        entry["indexed_at"] = max(entry.get("indexed_at", ""), chunk.indexed_at)
        entry["_starts"].append((chunk.start, chunk.flagged))
        if chunk.page:
            entry["pages"] = max(entry["pages"] or 0, chunk.page)
    for doc, entry in docs.items():
        entry["last_ingest"] = local_time(entry.pop("indexed_at"))
        entry["flagged"] = list(dict.fromkeys(s for _, flagged in sorted(entry.pop("_starts")) for s in flagged))
        path = settings.corpus_dir / doc
        if not path.exists() or path.is_symlink():
            entry["status"] = "indexé (fichier absent du dossier corpus)"
    for path in sorted(settings.corpus_dir.glob("*")) if settings.corpus_dir.is_dir() else []:
        if path.suffix.lower() in ALLOWED_SUFFIXES + (".markdown",) and path.name not in docs and not path.name.startswith("."):
            status = "refusé : lien symbolique" if path.is_symlink() else "non indexé"
            docs[path.name] = {"doc": path.name, "title": "", "organisation": "", "year": None, "chunks": 0, "pages": None,
                               "status": status, "last_ingest": "", "added_by": "", "sha256": "", "flagged": []}
    documents = sorted(docs.values(), key=lambda d: (d["status"] != "indexé", (d["title"] or d["doc"]).lower()))
    if not admin:
        for d in documents:
            d.pop("flagged", None)
    return documents


__all__ = ["ALLOWED_SUFFIXES", "CorpusError", "SYMLINK_REFUSED", "add_files", "check_upload", "delete_document",
           "edit_catalog", "list_documents", "place", "reingest", "safe_name", "sweep_partial_uploads"]
