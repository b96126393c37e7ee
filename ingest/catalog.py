"""The corpus catalogue: the title, organisation and year a citation shows."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

CATALOG_FILE = "catalog.toml"


@dataclass(frozen=True)
class CatalogEntry:
    title: str
    organisation: str = ""
    year: int | None = None


def load_catalog(corpus_dir: Path) -> dict[str, CatalogEntry]:
    path = corpus_dir / CATALOG_FILE
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return {
        entry["file"]: CatalogEntry(
            title=entry.get("title", entry["file"]),
            organisation=entry.get("organisation", ""),
            year=int(entry["year"]) if entry.get("year") else None,
        )
        for entry in data.get("document", [])
    }


def fallback_entry(doc: str, first_heading: str | None) -> CatalogEntry:
    """A document without a catalogue entry is titled by its first heading or its name."""
    title = first_heading or Path(doc).stem.replace("-", " ").replace("_", " ")
    return CatalogEntry(title=title)
