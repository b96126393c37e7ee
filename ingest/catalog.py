"""The corpus catalogue: the title, organisation and year a citation shows.

`catalog.toml` sits in the corpus folder, one `[[document]]` table per file. Editing it
(by hand or from the Corpus tab) takes effect at the next ingest, without re-embedding:
the pipeline rewrites the labels of the indexed passages."""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

CATALOG_FILE = "catalog.toml"
MAX_FIELD_CHARS = 300


class CatalogError(ValueError):
    """catalog.toml cannot be read or written; the message is for the user (French)."""


@dataclass(frozen=True)
class CatalogEntry:
    title: str
    organisation: str = ""
    year: int | None = None
    origin: str = "catalog"  # "catalog" (an entry of catalog.toml) or "document" (first heading, file name)


def catalog_path(corpus_dir: Path) -> Path:
    return corpus_dir / CATALOG_FILE


def load_catalog(corpus_dir: Path) -> dict[str, CatalogEntry]:
    path = catalog_path(corpus_dir)
    if path.is_symlink():
        raise CatalogError(f"{CATALOG_FILE} est un lien symbolique : refusé (placez le fichier lui-même dans le dossier du corpus).")
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        return {
            str(entry["file"]): CatalogEntry(
                title=str(entry.get("title", entry["file"])),
                organisation=str(entry.get("organisation", "")),
                year=int(entry["year"]) if entry.get("year") else None,
            )
            for entry in data.get("document", [])
        }
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"{CATALOG_FILE} illisible ({type(exc).__name__} : {exc}) : corrigez-le puis relancez l'ingestion.") from None


def fallback_entry(doc: str, first_heading: str | None) -> CatalogEntry:
    """A document without a catalogue entry is titled by its first heading or its name."""
    title = first_heading or Path(doc).stem.replace("-", " ").replace("_", " ")
    return CatalogEntry(title=title, origin="document")


def _clean_field(value: str, name: str) -> str:
    value = " ".join(str(value or "").split())
    if len(value) > MAX_FIELD_CHARS:
        raise CatalogError(f"{name} trop long ({len(value)} caractères, maximum {MAX_FIELD_CHARS}).")
    return value


def set_entry(corpus_dir: Path, doc: str, title: str, organisation: str = "", year: int | str | None = None) -> CatalogEntry:
    """Create or update the entry of `doc` in catalog.toml (comments and other entries kept),
    written atomically. An empty title removes the entry (the document's own title is used)."""
    import tomlkit

    title, organisation = _clean_field(title, "Titre"), _clean_field(organisation, "Organisation")
    year_value: int | None = None
    if str(year or "").strip():
        try:
            year_value = int(str(year).strip())
        except ValueError:
            raise CatalogError(f"Année invalide : « {year} » (un nombre, ex. 2024).") from None
        if not 1800 <= year_value <= 2100:
            raise CatalogError(f"Année invalide : {year_value}.")
    load_catalog(corpus_dir)  # refuses a symlink or a broken file before touching it
    path = catalog_path(corpus_dir)
    document = tomlkit.parse(path.read_text(encoding="utf-8")) if path.is_file() else tomlkit.document()
    tables = document.get("document")
    if tables is None:
        tables = tomlkit.aot()
        document.append("document", tables)
    kept = [t for t in tables if str(t.get("file")) != doc]
    existing = next((t for t in tables if str(t.get("file")) == doc), None)
    if title:
        table = existing if existing is not None else tomlkit.table()
        table["file"] = doc
        table["title"] = title
        for key, value in (("organisation", organisation), ("year", year_value)):
            if value:
                table[key] = value
            elif key in table:
                del table[key]
        if existing is None:
            kept.append(table)
        else:
            kept = [t if str(t.get("file")) != doc else table for t in tables]
    tables.clear()
    tables.extend(kept)
    _write_atomically(path, tomlkit.dumps(document))
    return CatalogEntry(title, organisation, year_value) if title else CatalogEntry(doc, origin="document")


def remove_entry(corpus_dir: Path, doc: str) -> None:
    if doc in load_catalog(corpus_dir):
        set_entry(corpus_dir, doc, "")


def _write_atomically(path: Path, text: str) -> None:
    tomllib.loads(text)  # never write a file the next ingest could not read
    fd, tmp = tempfile.mkstemp(prefix=".catalog-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
