"""The things ingestion produces."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


SECTION_SEPARATOR = " > "


def innermost_heading(section: str) -> str:
    """"Définitions > Médiateur de santé-pair" -> "Médiateur de santé-pair"."""
    return section.split(SECTION_SEPARATOR)[-1].strip() if section else ""


@dataclass(frozen=True)
class Chunk:
    """A passage of a source document, ready to index and to cite."""

    chunk_id: str  # content hash: doc + offsets + text
    doc: str  # file name relative to the corpus folder
    title: str
    organisation: str
    year: int | None
    section: str  # heading path, " > " joined ("" when the document has none)
    page: int | None  # 1-based PDF page, None for text files
    start: int  # character offsets in the decoded source text
    end: int
    text: str  # cleaned text, what is embedded and shown
    source_text: str  # the source span as it is in the file, for exact quoting
    file_sha: str = ""
    n_chunks: int = 0  # chunks of this file version, to tell complete ingests apart
    indexed_at: str = ""  # ISO 8601 UTC time the file version was indexed
    page_end: int | None = None  # last PDF page the passage touches (= page when it fits on one)
    indexed_by: str = ""  # who indexed this file version: "alice (interface)", "ligne de commande (root)"…
    title_from: str = ""  # "catalog" (catalog.toml) or "document" (its first heading or file name)
    flagged: tuple[str, ...] = ()  # sentences the ingest screen read as instructions aimed at the assistant
    screened: str = ""  # version of the screen's rules that produced `flagged` ("" = not screened)

    @property
    def heading(self) -> str:
        """The innermost heading of the section path ("" when there is none)."""
        return innermost_heading(self.section)

    def embedding_text(self) -> str:
        return f"{self.title}. {self.heading}\n{self.text}" if self.heading else f"{self.title}\n{self.text}"


@dataclass(frozen=True)
class PageQuality:
    """How well one PDF page was read, and by which reader."""

    page: int  # 1-based
    reader: str  # "pypdfium2", "pypdf", or "" when neither found text
    score: float  # 0..1 for the text kept: 1 is clean prose, 0 no text
    other_score: float | None  # the other reader's score, None when it could not read the page
    problem: str = ""  # "" or why the page reads badly (French): "sans texte", "scannée", "texte illisible"


@dataclass(frozen=True)
class Heading:
    """A heading found in a PDF (outline, font size or numbering), located in the source text."""

    level: int  # 1 = top
    title: str
    offset: int  # source offset of the heading line (or of the page, when only the page is known)
    origin: str  # "outline", "font", "numbering" or "title"


@dataclass(frozen=True)
class Screen:
    """A check run on every passage at ingest; the assistant passes its injection detector
    (ingest does not import the assistant). `find` lists the sentences it flags; `version`
    is stored with them, so a newer rule set re-screens indexed passages without re-embedding."""

    version: str
    find: Callable[[str], list[str]]


@dataclass
class FileReport:
    path: str
    doc: str
    status: str  # "indexed", "unchanged", "failed", "removed"
    reason: str = ""
    pages: int = 0
    chunks: int = 0
    embedded: int = 0
    warnings: list[str] = field(default_factory=list)
    read_seconds: float = 0.0  # reading, cleaning and chunking (background thread)
    embed_seconds: float = 0.0  # embedding its passages (cached ones cost nothing)
    write_seconds: float = 0.0  # writing them to the store, deleting the previous version's
    flagged: list[str] = field(default_factory=list)  # sentences read as instructions aimed at the assistant
    relabelled: bool = False  # title, organisation or year updated from catalog.toml, without re-embedding


@dataclass
class IngestReport:
    files: list[FileReport] = field(default_factory=list)
    seconds: float = 0.0
    ignored: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def failed(self) -> list[FileReport]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def chunks(self) -> int:
        return sum(f.chunks for f in self.files if f.status in {"indexed", "unchanged"})

    @property
    def embedded(self) -> int:
        return sum(f.embedded for f in self.files)

    @property
    def pages(self) -> int:
        return sum(f.pages for f in self.files)

    @property
    def read_seconds(self) -> float:
        """Reading and chunking, summed over files (overlaps the embedding of other files)."""
        return sum(f.read_seconds for f in self.files)

    @property
    def embed_seconds(self) -> float:
        return sum(f.embed_seconds for f in self.files)

    @property
    def write_seconds(self) -> float:
        return sum(f.write_seconds for f in self.files)
