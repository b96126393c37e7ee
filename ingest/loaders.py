"""Read PDF, text and markdown files into decoded text, or say clearly why not."""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pypdf

SUPPORTED_SUFFIXES = {".pdf", ".txt", ".md", ".markdown"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
PAGE_BREAK = "\f"

# pypdf logs every malformed object; the user gets one clear reason per file instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)


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


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise LoadError("fichier introuvable (supprimé ou lien cassé)") from None
    except IsADirectoryError:
        raise LoadError("c'est un dossier, pas un fichier") from None
    except PermissionError:
        raise LoadError("fichier illisible : permission refusée") from None
    except OSError as exc:
        raise LoadError(f"fichier illisible : {exc.strerror or exc}") from None


def load(path: Path, data: bytes | None = None) -> SourceDocument:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(f"type de fichier non pris en charge ({suffix or 'sans extension'}) : PDF, .txt ou .md attendus")
    data = read_bytes(path) if data is None else data
    if not data.strip():
        raise LoadError("fichier vide")
    if suffix == ".pdf":
        return _load_pdf(path, data)
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


def _load_pdf(path: Path, data: bytes) -> SourceDocument:
    if not data.lstrip().startswith(b"%PDF"):
        raise LoadError("PDF corrompu : l'en-tête %PDF est absent")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("PDF chiffré (protégé par un mot de passe) : impossible d'en lire le texte")
        page_texts = [_page_text(page, number, path) for number, page in enumerate(reader.pages, start=1)]
    except LoadError:
        raise
    except (pypdf.errors.FileNotDecryptedError, pypdf.errors.DependencyError):
        raise LoadError("PDF chiffré (protégé par un mot de passe) : impossible d'en lire le texte") from None
    except pypdf.errors.LimitReachedError:
        raise LoadError("PDF refusé : un flux compressé dépasse les limites (bombe de décompression ?)") from None
    except (pypdf.errors.PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise LoadError(f"PDF corrompu ou illisible ({type(exc).__name__}: {str(exc)[:120]})") from None
    if not page_texts:
        raise LoadError("PDF sans aucune page")
    empty = [number for number, text in enumerate(page_texts, start=1) if not text.strip()]
    if len(empty) == len(page_texts):
        raise LoadError(f"PDF sans texte extractible (scanné ?) : aucune de ses {len(page_texts)} pages n'a de texte ; une reconnaissance de caractères (OCR) est nécessaire")
    warnings = [f"pages sans texte (scannées ?) : {_page_list(empty)}"] if empty else []
    starts, offset = [], 0
    for text in page_texts:
        starts.append(offset)
        offset += len(text) + len(PAGE_BREAK)
    return SourceDocument(
        path=path,
        text=PAGE_BREAK.join(page_texts),
        sha256=file_sha256(data),
        markdown=False,
        page_starts=starts,
        pages=len(page_texts),
        warnings=warnings,
    )


def _page_text(page, number: int, path: Path) -> str:
    try:
        return (page.extract_text() or "").replace(PAGE_BREAK, "\n")
    except pypdf.errors.LimitReachedError:
        raise
    except Exception as exc:  # one broken page must not lose the others
        logging.getLogger(__name__).warning("%s page %d: %s", path.name, number, exc)
        return ""


def _page_list(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:20])
    return shown + (f" … (+{len(numbers) - 20})" if len(numbers) > 20 else "")
