"""Read a PDF with two readers, keep the better text of each page, locate the headings and
assemble the document text (pages joined by form feeds) with its page starts."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

import pypdf
import pypdfium2 as pdfium

from ..clean import Mapped, normalize_glyphs, page_furniture
from ..types import Heading, PageQuality
from .headings import HeadingLine, PageLines, find_headings
from .pages import Line, OutlineEntry, open_pypdf, page_has_image, pdfium_lines, pdfium_outline, pypdf_lines, pypdf_outline
from .quality import TextFigures, better_reader, garbage_reason, text_figures
from .words import french_words, words

log = logging.getLogger(__name__)

PAGE_BREAK = "\f"
PageProgress = Callable[[int, int], None]  # (pages read, pages): both readers read every page, so this runs to 2 x pages
PDFIUM, PYPDF = "pypdfium2", "pypdf"
MIN_PAGE_CHARS = 10  # fewer non-space characters than this: the page has no text layer worth the name


class PdfEncrypted(Exception):
    pass


class PdfBomb(Exception):
    pass


class PdfUnreadable(Exception):
    """Neither reader could open the file; the message says what the last one said."""


@dataclass(frozen=True)
class PdfText:
    text: str  # the pages' text joined by form feeds
    page_starts: list[int]  # offset in `text` where each page starts
    quality: tuple[PageQuality, ...]
    headings: tuple[Heading, ...]
    warnings: tuple[str, ...]

    @property
    def pages(self) -> int:
        return len(self.page_starts)


@dataclass(frozen=True)
class ReaderPages:
    """One reader's view of the document: a list of lines per page (None: the page failed)."""

    name: str
    pages: list[list[Line] | None]
    outline: list[OutlineEntry]


# ---------------------------------------------------------------- the two readers


def read_with_pypdf(data: bytes, on_page: Callable[[int], None] | None = None) -> ReaderPages | Exception:
    """pypdf's pages, or the error that stopped it opening the file. Refusals (encrypted,
    decompression bomb) are raised. `on_page(pages)` is called after each page."""
    try:
        reader = open_pypdf(data)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfEncrypted()
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            pages.append(_pypdf_page(page, number))
            if on_page:
                on_page(len(reader.pages))
        return ReaderPages(PYPDF, pages, pypdf_outline(reader))
    except (pypdf.errors.FileNotDecryptedError, pypdf.errors.DependencyError):
        raise PdfEncrypted() from None
    except pypdf.errors.LimitReachedError:
        raise PdfBomb() from None
    except (pypdf.errors.PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        return exc


def _pypdf_page(page: pypdf.PageObject, number: int) -> list[Line] | None:
    try:
        return pypdf_lines(page.extract_text() or "")
    except pypdf.errors.LimitReachedError:
        raise
    except Exception as exc:  # one broken page must not lose the others
        log.warning("pypdf, page %d: %s", number, exc)
        return None


def read_with_pdfium(data: bytes, on_page: Callable[[int], None] | None = None) -> tuple[ReaderPages, list[bool]] | Exception:
    """pypdfium2's pages and, per page, whether it holds an image; or the error that stopped
    it opening the file (a password error is raised as a refusal). `on_page(pages)` is
    called after each page."""
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise PdfEncrypted() from None
        return exc
    try:
        pages, images = [], []
        for index in range(len(doc)):
            try:
                page = doc[index]
                lines = pdfium_lines(page)
                pages.append(lines)
                images.append(not _has_text(lines) and page_has_image(page))
                page.close()
            except pdfium.PdfiumError as exc:
                log.warning("pypdfium2, page %d: %s", index + 1, exc)
                pages.append(None)
                images.append(False)
            if on_page:
                on_page(len(doc))
        return ReaderPages(PDFIUM, pages, pdfium_outline(doc)), images
    finally:
        doc.close()


def _has_text(lines: list[Line] | None) -> bool:
    return bool(lines) and sum(len(line.text.strip()) for line in lines) >= MIN_PAGE_CHARS


# ---------------------------------------------------------------- choosing per page


def comparable_text(lines: list[Line] | None) -> str:
    """A page's text with glyph scars repaired, so both readers are judged on words."""
    if not lines:
        return ""
    return normalize_glyphs(Mapped.of("\n".join(line.text for line in lines)), pdf=True).text


def reader_vocabulary(texts: list[str]) -> set[str]:
    return {w for text in texts for w in words(text) if len(w) >= 3}


@dataclass(frozen=True)
class PageChoice:
    lines: list[Line]
    quality: PageQuality


def choose_pages(primary: ReaderPages | None, fallback: ReaderPages | None, images: list[bool]) -> list[PageChoice]:
    """Per page, the primary reader's text unless the fallback's is clearly better. A word
    is known when the French dictionary (if installed) or the other reader knows it: a
    reader that glues or garbles words is the one whose words the other never saw."""
    count = max(len(r.pages) for r in (primary, fallback) if r is not None)
    texts = {r.name: [comparable_text(p) for p in r.pages] + [""] * (count - len(r.pages)) for r in (primary, fallback) if r}
    dictionary = french_words()
    vocabularies = {name: reader_vocabulary(t) for name, t in texts.items()}
    known = {name: set().union(*(v for other, v in vocabularies.items() if other != name)) or vocabularies[name] for name in vocabularies}
    known = {name: words | dictionary for name, words in known.items()}
    choices = []
    for index in range(count):
        figures: dict[str, TextFigures] = {}
        for reader in (primary, fallback):
            if reader is None or index >= len(reader.pages) or reader.pages[index] is None:
                continue
            figures[reader.name] = text_figures(texts[reader.name][index], known[reader.name])
        choices.append(_choice(index, primary, fallback, figures, images[index] if index < len(images) else False))
    return choices


def _choice(index: int, primary: ReaderPages | None, fallback: ReaderPages | None, figures: dict[str, TextFigures], has_image: bool) -> PageChoice:
    names = [r.name for r in (primary, fallback) if r is not None and r.name in figures]
    if not names:
        return PageChoice([], PageQuality(index + 1, "", 0.0, None, "illisible"))
    kept = names[0]
    if len(names) == 2 and better_reader(figures[names[0]], figures[names[1]]):
        kept = names[1]
    reader = primary if primary is not None and primary.name == kept else fallback
    lines = reader.pages[index] or []
    other = next((figures[n].score for n in names if n != kept), None)
    mine = figures[kept]
    if mine.chars < MIN_PAGE_CHARS:
        problem = "scannée" if has_image else "sans texte"
        return PageChoice(lines, PageQuality(index + 1, "", 0.0, other, problem))
    return PageChoice(lines, PageQuality(index + 1, kept, round(mine.score, 3), None if other is None else round(other, 3), garbage_reason(mine)))


# ---------------------------------------------------------------- assembling


def assemble(choices: list[PageChoice], headings: list[HeadingLine]) -> tuple[str, list[int], list[Heading]]:
    """The document text, page starts and located headings. A heading whose lines are
    known stands between blank lines, so cleaning does not run it into its neighbours."""
    firsts = {(h.page, h.first) for h in headings if h.last >= 0}
    lasts = {(h.page, h.last) for h in headings if h.last >= 0}
    parts: list[str] = []
    starts: list[int] = []
    line_offsets: dict[tuple[int, int], int] = {}
    offset = 0
    for page, choice in enumerate(choices):
        starts.append(offset)
        out: list[str] = []
        lines = [line.text for line in choice.lines]
        for i, text in enumerate(lines):
            if (page, i) in firsts and out and out[-1].strip():
                out.append("")
                offset += 1
            line_offsets[(page, i)] = offset
            out.append(text)
            offset += len(text) + 1
            if (page, i) in lasts and i + 1 < len(lines) and lines[i + 1].strip():
                out.append("")
                offset += 1
        parts.append("\n".join(out))
        offset = starts[-1] + len(parts[-1]) + len(PAGE_BREAK)
    found = [
        Heading(h.level, heading_title(h.title), line_offsets.get((h.page, h.first), starts[h.page]), h.origin)
        for h in headings
        if h.page < len(starts)
    ]
    return PAGE_BREAK.join(parts), starts, sorted(found, key=lambda h: h.offset)


def heading_title(raw: str) -> str:
    """A heading as read from the page ("1.2 Le mat´eriel") made readable ("1.2 Le matériel")."""
    return re.sub(r"\s*\|\s*|\s+", " ", normalize_glyphs(Mapped.of(raw), pdf=True).text).strip()


def _page_lines(choices: list[PageChoice]) -> list[PageLines]:
    texts = ["\n".join(line.text for line in choice.lines) for choice in choices]
    return [PageLines(i, tuple(choice.lines), frozenset(drop)) for i, (choice, drop) in enumerate(zip(choices, page_furniture(texts)))]


def read_pdf(data: bytes, on_page: PageProgress | None = None) -> PdfText:
    """Both readers, the better text per page, the headings. Raises PdfEncrypted, PdfBomb,
    or PdfUnreadable when neither reader can open the file. `on_page(read, pages)` follows
    the reading: `read` counts the pages each reader has read, up to 2 x pages."""
    tick = _page_counter(on_page) if on_page else None
    by_pypdf = read_with_pypdf(data, tick)
    by_pdfium = read_with_pdfium(data, tick)
    fallback = by_pypdf if isinstance(by_pypdf, ReaderPages) else None
    primary, images = by_pdfium if not isinstance(by_pdfium, Exception) else (None, [])
    if primary is None and fallback is None:
        raise PdfUnreadable(f"{type(by_pypdf).__name__}: {str(by_pypdf)[:120]}")
    choices = choose_pages(primary, fallback, images)
    outline = (primary.outline if primary and primary.outline else None) or (fallback.outline if fallback else [])
    headings = find_headings(_page_lines(choices), outline)
    text, starts, located = assemble(choices, headings)
    quality = tuple(choice.quality for choice in choices)
    return PdfText(text, starts, quality, tuple(located), tuple(quality_warnings(quality)))


def _page_counter(on_page: PageProgress) -> Callable[[int], None]:
    """Both readers' pages counted as one run: (pages read by either, pages in the file)."""
    read = 0

    def tick(pages: int) -> None:
        nonlocal read
        read += 1
        on_page(read, pages)

    return tick


def quality_warnings(quality: tuple[PageQuality, ...]) -> list[str]:
    scanned = [q.page for q in quality if q.problem == "scannée"]
    blank = [q.page for q in quality if q.problem in {"sans texte", "illisible"}]
    garbled = [q for q in quality if q.reader and q.problem]
    warnings = []
    if scanned:
        warnings.append(f"pages scannées sans texte (une reconnaissance de caractères, OCR, serait nécessaire) : {page_list(scanned)}")
    if blank:
        warnings.append(f"pages sans texte (blanches ou scannées ?) : {page_list(blank)}")
    if garbled:
        reasons = sorted({q.problem for q in garbled})
        warnings.append(f"pages au texte illisible ({', '.join(reasons)}), leurs passages seront peu fiables : {page_list([q.page for q in garbled])}")
    return warnings


def page_list(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:20])
    return shown + (f" … (+{len(numbers) - 20})" if len(numbers) > 20 else "")
