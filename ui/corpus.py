"""The maintainer's side of the UI: list what is indexed, add files safely, re-ingest.

Uploads: only .pdf/.txt/.md, size-limited, names sanitised (basename, ASCII letters,
digits, dot, dash, underscore), written only inside settings.corpus_dir with exclusive
creation (an existing different file is never overwritten: the upload is renamed), then
ingested; a file the ingestion refuses is removed again, with its reason."""

from __future__ import annotations

import hashlib
import os
import re
import time
import unicodedata
from datetime import datetime
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from ingest import IngestReport

ALLOWED_SUFFIXES = (".pdf", ".txt", ".md")
MAX_NAME_CHARS = 120
DATE_FORMAT = "%d/%m/%Y %H:%M"
Progress = Callable[[str, float], None]


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
        size = path.stat().st_size
    except OSError:
        return "fichier reçu illisible"
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
    """Copy an upload into the corpus folder: (path, created, note). Never overwrites."""
    corpus_dir.mkdir(parents=True, exist_ok=True)
    root = corpus_dir.resolve()
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    for candidate in _candidates(name):
        target = root / candidate
        if target.parent != root:
            raise ValueError("nom de fichier invalide")
        if target.is_file() and not target.is_symlink() and _sha(target) == digest:
            return target, False, "déjà présent à l'identique dans le corpus"
        try:
            with open(target, "xb") as fh:
                fh.write(data)
        except FileExistsError:
            continue
        note = "" if candidate == name else f"renommé en « {candidate} » : un autre fichier porte déjà ce nom"
        return target, True, note
    raise ValueError("trop de fichiers portent déjà ce nom")


# -- ingestion ---------------------------------------------------------------------------
def _row(name: str, status: str, reason: str = "", chunks: int = 0, pages: int = 0, warnings=()) -> dict:
    return {"name": name, "status": status, "reason": reason, "chunks": chunks, "pages": pages, "warnings": list(warnings)}


def add_files(uploads: list, runtime, on_progress: Progress | None = None) -> tuple[list[dict], float]:
    """Check, place and ingest uploaded files; one report row per upload."""
    settings = runtime.settings
    started = time.perf_counter()
    rows: dict[str, dict] = {}
    placed: dict[str, tuple[Path, bool, str]] = {}
    for upload in uploads or []:
        source = Path(upload)
        name = safe_name(source.name)
        label = source.name if source.name == name else f"{source.name} → {name}"
        reason = check_upload(source, name, settings.max_upload_mb * 1024 * 1024)
        if reason:
            rows[label] = _row(label, "failed", reason)
            continue
        try:
            target, created, note = place(source, name, settings.corpus_dir)
        except (OSError, ValueError) as exc:
            rows[label] = _row(label, "failed", f"impossible d'enregistrer le fichier : {exc}")
            continue
        placed[str(target)] = (target, created, label)
        rows[label] = _row(label, "pending", note)
    if placed:
        report = runtime.ingest([p for p, _, _ in placed.values()], on_progress=on_progress)
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
        rows[label] = _row(label, file_report.status, reason, file_report.chunks, file_report.pages, file_report.warnings)
    for row in rows.values():
        if row["status"] == "pending":  # the same file twice in one batch
            row["status"] = "unchanged"


def reingest(runtime, on_progress: Progress | None = None) -> tuple[list[dict], float]:
    """Incremental ingest of the whole corpus folder."""
    report = runtime.ingest(on_progress=on_progress)
    rows = [_row(f.doc, f.status, f.reason, f.chunks, f.pages, f.warnings) for f in report.files]
    rows += [_row(Path(p).name, "ignored", "type non pris en charge") for p in report.ignored]
    return rows, report.seconds


# -- what is indexed ---------------------------------------------------------------------
def local_time(iso: str) -> str:
    """ISO 8601 UTC (as the index stores it) to the maintainer's local "23/11/2026 10:06"."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime(DATE_FORMAT)
    except ValueError:
        return ""


def list_documents(runtime) -> list[dict]:
    """One entry per indexed document, plus corpus files that are not indexed."""
    settings = runtime.settings
    docs: dict[str, dict] = {}
    for chunk in runtime.store.all_chunks():
        entry = docs.setdefault(chunk.doc, {
            "doc": chunk.doc, "title": chunk.title, "organisation": chunk.organisation, "year": chunk.year,
            "chunks": 0, "pages": None, "status": "indexé",
        })
        entry["chunks"] += 1
        entry["indexed_at"] = max(entry.get("indexed_at", ""), chunk.indexed_at)
        if chunk.page:
            entry["pages"] = max(entry["pages"] or 0, chunk.page)
    for doc, entry in docs.items():
        entry["last_ingest"] = local_time(entry.pop("indexed_at"))
        if not (settings.corpus_dir / doc).exists():
            entry["status"] = "indexé (fichier absent du dossier corpus)"
    for path in sorted(settings.corpus_dir.glob("*")) if settings.corpus_dir.is_dir() else []:
        if path.suffix.lower() in ALLOWED_SUFFIXES + (".markdown",) and path.name not in docs:
            docs[path.name] = {"doc": path.name, "title": "", "organisation": "", "year": None, "chunks": 0,
                               "pages": None, "status": "non indexé", "last_ingest": ""}
    return sorted(docs.values(), key=lambda d: (d["status"] != "indexé", (d["title"] or d["doc"]).lower()))


