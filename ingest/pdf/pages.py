"""What each reader gives for a page: lines (with font size, weight and position when
pypdfium2 read them) and the outline (bookmarks)."""

from __future__ import annotations

import ctypes
import io
import logging
import math
import re
import statistics
from dataclasses import dataclass

import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

log = logging.getLogger(__name__)

TAB_GAP_EM = 1.5  # a gap this wide between two glyphs of a line is a column gap, not a word space
WORD_GAP_EM = 0.25  # a gap this wide with no space glyph between two letters is still a word space
SPACING_ACCENTS = "´`ˆ¨¸˜˚ˇ"
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|(?:^|[-+])cmbx|sfbx|\bbx", re.I)


@dataclass(frozen=True)
class Line:
    text: str
    size: float = 0.0  # median font size in points, 0 when the reader does not say
    bold: bool = False
    top: float = math.nan  # top of the line in PDF user space (y grows upwards)


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    level: int  # 1 = top
    page: int  # 0-based page index
    top: float = math.nan  # y the bookmark points at, when it says


# ---------------------------------------------------------------- pypdfium2


class _LineBuilder:
    """Accumulates the glyphs of one line, deciding what separates two glyphs from their
    boxes: a space pdfium wrote, a space it missed, or a column gap (a tab)."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._reset()

    def _reset(self) -> None:
        self.chars: list[str] = []
        self.spans: list[tuple[float, float] | None] = []  # x extent of each glyph in chars
        self.sizes: list[float] = []
        self.bold = False
        self.top = -math.inf
        self.right: float | None = None  # rightmost glyph edge so far
        self.bottom = 0.0
        self.pending_space = False
        self.spaces_by_geometry = False  # after an overprinted accent, pdfium's spaces are noise

    @staticmethod
    def bold_of(textpage: pdfium.PdfTextPage, index: int) -> bool:
        """Whether the font of a glyph is bold, from its name (weights are unreliable:
        Latin Modern bold says 545, some regular fonts say 700)."""
        name = ctypes.create_string_buffer(128)
        flags = ctypes.c_int()
        pdfium_c.FPDFText_GetFontInfo(textpage, index, name, len(name), ctypes.byref(flags))
        return bool(_BOLD_NAME.search(name.value.decode("latin-1")))

    def add(self, ch: str, box: tuple[float, float, float, float], size: float, bold: bool | None) -> None:
        left, bottom, right, top = box
        em = max(size, 1.0)
        if ch in SPACING_ACCENTS and self.right is not None and left < self.right - 0.2 * em:
            self._overprint(ch, (left + right) / 2)
            return
        if self.chars:
            same_baseline = abs(bottom - self.bottom) < 0.5 * em
            gap = left - self.right if self.right is not None else 0.0
            if same_baseline and gap > TAB_GAP_EM * em:
                self._append("\t", None)
            elif self.pending_space and not self.spaces_by_geometry:
                self._append(" ", None)
            elif same_baseline and gap > WORD_GAP_EM * em and ch.isalnum() and self.chars[-1].isalnum():
                self._append(" ", None)
        self.pending_space = self.spaces_by_geometry = False
        self._append(ch, (left, right))
        self.sizes.append(size)
        if bold is not None:  # the line's first glyph speaks for it
            self.bold = bold
        self.top = max(self.top, top)
        self.right = right if self.right is None else max(self.right, right)
        self.bottom = bottom

    def _append(self, ch: str, span: tuple[float, float] | None) -> None:
        self.chars.append(ch)
        self.spans.append(span)

    def _overprint(self, accent: str, center: float) -> None:
        """LaTeX draws the accent of a capital (É) after the letter, back over it: put it
        before that letter, where the cleaning composes it, and drop the spaces pdfium
        guessed around the jump."""
        for k in range(len(self.chars) - 1, -1, -1):
            span = self.spans[k]
            if span and span[0] - 1 <= center <= span[1] + 1 and self.chars[k].isalpha():
                self.chars.insert(k, accent)
                self.spans.insert(k, None)
                break
        if self.chars and self.chars[-1] == " ":
            self.chars.pop()
            self.spans.pop()
        self.pending_space = False
        self.spaces_by_geometry = True

    def space(self) -> None:
        self.pending_space = bool(self.chars) and not self.spaces_by_geometry

    def end_line(self, keep_empty: bool = True) -> None:
        if self.chars:
            self.lines.append(Line("".join(self.chars), statistics.median(self.sizes), self.bold, self.top))
        elif keep_empty and self.lines and self.lines[-1].text:
            self.lines.append(Line(""))
        self._reset()


def pdfium_lines(page: pdfium.PdfPage) -> list[Line]:
    textpage = page.get_textpage()
    try:
        builder = _LineBuilder()
        after_hyphen = False
        for index in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(textpage, index)
            if code == 0x0D:
                continue
            if code == 0x0A:
                builder.end_line(keep_empty=not after_hyphen)
                after_hyphen = False
                continue
            if code in (0x20, 0x09, 0xA0):
                builder.space()
                continue
            if code == 0x02 and pdfium_c.FPDFText_IsHyphen(textpage, index):
                code = 0xFFFE  # what pdfium's own get_text writes for a hyphen that ends a line
            elif code < 0x20 or 0xD800 <= code <= 0xDFFF:  # unmapped glyphs, broken surrogates
                continue
            after_hyphen = False
            bold = builder.bold_of(textpage, index) if not builder.chars else None
            builder.add(chr(code), textpage.get_charbox(index, loose=True), pdfium_c.FPDFText_GetFontSize(textpage, index), bold)
            if code == 0xFFFE:  # pdfium writes no line break after an end-of-line hyphen
                builder.end_line()
                after_hyphen = True
        builder.end_line()
        lines = builder.lines
        while lines and not lines[-1].text:
            lines.pop()
        return lines
    finally:
        textpage.close()


def page_has_image(page: pdfium.PdfPage) -> bool:
    try:
        return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3))
    except pdfium.PdfiumError:
        return False


_VIEW_TOP = {pdfium_c.PDFDEST_VIEW_XYZ: 1, pdfium_c.PDFDEST_VIEW_FITH: 0, pdfium_c.PDFDEST_VIEW_FITBH: 0, pdfium_c.PDFDEST_VIEW_FITR: 3}


def pdfium_outline(doc: pdfium.PdfDocument) -> list[OutlineEntry]:
    entries = []
    try:
        for bookmark in doc.get_toc(max_depth=16):
            dest = bookmark.get_dest()
            index = dest.get_index() if dest is not None else None
            if index is None or index < 0:
                continue
            mode, params = dest.get_view()
            slot = _VIEW_TOP.get(mode)
            top = float(params[slot]) if slot is not None and slot < len(params) else math.nan
            entries.append(OutlineEntry(bookmark.get_title().strip(), bookmark.level + 1, index, top))
    except (pdfium.PdfiumError, ValueError, ctypes.ArgumentError) as exc:  # a looping or broken outline
        log.info("outline unreadable: %s", exc)
    return [e for e in entries if e.title]


# ---------------------------------------------------------------- pypdf


def pypdf_lines(text: str) -> list[Line]:
    lines = [Line(line.rstrip()) for line in text.replace("\f", "\n").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1].text.strip():
        lines.pop()
    return lines


def pypdf_outline(reader: pypdf.PdfReader) -> list[OutlineEntry]:
    entries: list[OutlineEntry] = []

    def walk(items, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
                continue
            page = reader.get_destination_page_number(item)
            top = item.get("/Top")
            if page is not None and page >= 0 and item.title:
                entries.append(OutlineEntry(str(item.title).strip(), level, page, float(top) if top is not None else math.nan))

    try:
        walk(reader.outline, 1)
    except (pypdf.errors.PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        log.info("outline unreadable: %s", exc)
    return entries


def open_pypdf(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))
