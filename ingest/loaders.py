"""Read PDF, text and markdown files into decoded text, or say clearly why not."""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .pdf.reader import PAGE_BREAK, PageProgress, PdfBomb, PdfEncrypted, PdfUnreadable, read_pdf  # noqa: F401  (PAGE_BREAK: kept public here)
from .types import Heading, PageQuality

SUPPORTED_SUFFIXES = {".pdf", ".txt", ".md", ".markdown"}
SYMLINK_REFUSED = "lien symbolique refusé : placez le fichier lui-même dans le dossier du corpus"
MARKDOWN_SUFFIXES = {".md", ".markdown"}

# pypdf and pypdfium2 log every malformed object; the user gets one clear reason per file instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)
logging.getLogger("ingest.pdf").setLevel(logging.ERROR)


class LoadError(Exception):
    """A file that cannot be ingested; the message is the reason shown to the user (French)."""


@dataclass
class SourceDocument:
    path: Path
    text: str  # decoded source; for a PDF the pages' text joined by form feeds
    sha256: str
    markdown: bool
    page_starts: list[int] | None = None  # source offset where each PDF page starts
    pages: int = 0
    warnings: list[str] = field(default_factory=list)
    page_quality: list[PageQuality] = field(default_factory=list)  # PDF: per page, the reader kept and how well it read
    headings: list[Heading] = field(default_factory=list)  # PDF: outline, font or numbered headings, in source offsets


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path) -> bytes:
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
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise LoadError("c'est un dossier, pas un fichier" if stat.S_ISDIR(mode)
                        else "ce n'est pas un fichier ordinaire (périphérique, tube…) : refusé")
    with os.fdopen(fd, "rb") as fh:
        return fh.read()


def load(path: Path, data: bytes | None = None, on_page: PageProgress | None = None) -> SourceDocument:
    """The file's text; `on_page(read, pages)` follows a PDF's reading (see read_pdf)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(f"type de fichier non pris en charge ({suffix or 'sans extension'}) : PDF, .txt ou .md attendus")
    data = read_bytes(path) if data is None else data
    if not data.strip():
        raise LoadError("fichier vide")
    if suffix == ".pdf":
        return _load_pdf(path, data, on_page)
    text = decode_text(data)
    return SourceDocument(path=path, text=text, sha256=file_sha256(data), markdown=suffix in MARKDOWN_SUFFIXES)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else the Windows/Latin-1 code pages
    French files are usually saved in."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif b"\x00" in data[:8192]:
        raise LoadError("fichier binaire (octets nuls) malgré son extension texte")
    else:
        text = _decode_8bit(data)
    if _looks_binary(text):
        raise LoadError("fichier binaire ou illisible malgré son extension texte")
    if not text.strip():
        raise LoadError("fichier vide")
    return text


def _decode_8bit(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return control > max(3, len(sample) // 100)


def _load_pdf(path: Path, data: bytes, on_page: PageProgress | None = None) -> SourceDocument:
    if not data.lstrip().startswith(b"%PDF"):
        raise LoadError("PDF corrompu : l'en-tête %PDF est absent")
    try:
        pdf = read_pdf(data, on_page)
    except PdfEncrypted:
        raise LoadError("PDF chiffré (protégé par un mot de passe) : impossible d'en lire le texte") from None
    except PdfBomb:
        raise LoadError("PDF refusé : un flux compressé dépasse les limites (bombe de décompression ?)") from None
    except PdfUnreadable as exc:
        raise LoadError(f"PDF corrompu ou illisible ({exc})") from None
    if not pdf.pages:
        raise LoadError("PDF sans aucune page")
    if not any(q.reader for q in pdf.quality):
        raise LoadError(f"PDF sans texte extractible (scanné ?) : aucune de ses {pdf.pages} pages n'a de texte ; une reconnaissance de caractères (OCR) est nécessaire")
    return SourceDocument(
        path=path,
        text=pdf.text,
        sha256=file_sha256(data),
        markdown=False,
        page_starts=pdf.page_starts,
        pages=pdf.pages,
        warnings=list(pdf.warnings),
        page_quality=list(pdf.quality),
        headings=list(pdf.headings),
    )
