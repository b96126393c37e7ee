"""Where a PDF's headings are: the outline (bookmarks) located on its pages, else heading
lines told by their font (larger or bold and numbered than the body), else by numbering."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from .pages import Line, OutlineEntry

HEADING_SIZE_RATIO = 1.08  # a line this much larger than the body text may be a heading
MAX_HEADING_WORDS = 14
MAX_LEVEL = 6
_DOTTED = re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}\.?\s+[A-ZÀ-Ý]")
_CHAPTER = re.compile(r"(?:chapitre|chapter|partie|annexe)\s+(?:\d{1,3}|[A-Z]|[IVX]{1,5})\b", re.I)


@dataclass(frozen=True)
class PageLines:
    index: int  # 0-based page
    lines: tuple[Line, ...]
    furniture: frozenset[int] = frozenset()  # running header/footer lines, never headings


@dataclass(frozen=True)
class HeadingLine:
    page: int  # 0-based
    first: int  # index of the heading's first line on the page
    last: int  # index of its last line (a long title wraps), -1 when only the position is known
    level: int
    title: str
    origin: str  # "outline", "font", "numbering", "title"


def fold(text: str) -> str:
    """Letters and digits only, lowercased, accents dropped: "Fr´equencem`etres" and
    "Fréquencemètres" fold the same."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def _title_lines(page: PageLines, title: str, begin: int) -> tuple[int, int] | None:
    """The line(s) of the page, from `begin`, that are the heading `title` (maybe preceded
    by its number, maybe wrapped over three lines)."""
    wanted = fold(title)
    if not wanted:
        return None
    for first in range(begin, len(page.lines)):
        if first in page.furniture:
            continue
        head = fold(page.lines[first].text)
        if not head:
            continue
        joined, last = head, first
        while len(joined) < len(wanted) and last + 1 < min(first + 3, len(page.lines)):
            last += 1
            joined += fold(page.lines[last].text)
        at = joined.find(wanted)
        if at != -1 and at < len(head) and len(joined) - len(wanted) <= 12:
            return first, last
    return None


def _line_at(page: PageLines, top: float, begin: int) -> int:
    """The first line at or below the height a bookmark points at."""
    for i in range(begin, len(page.lines)):
        line = page.lines[i]
        if i not in page.furniture and line.text.strip() and not math.isnan(line.top) and line.top <= top + 2:
            return i
    return begin


def outline_headings(pages: list[PageLines], outline: list[OutlineEntry]) -> list[HeadingLine]:
    found: list[HeadingLine] = []
    cursor = (-1, 0)  # page and line of the previous heading: the outline is in reading order
    for entry in outline:
        if not 0 <= entry.page < len(pages):
            continue
        located = None
        for index in (entry.page, entry.page + 1):  # LaTeX anchors sometimes sit at the previous page's foot
            if index >= len(pages):
                break
            begin = cursor[1] if index == cursor[0] else 0
            span = _title_lines(pages[index], entry.title, begin)
            if span:
                located = HeadingLine(index, span[0], span[1], entry.level, entry.title, "outline")
                break
        if located is None:
            page = pages[entry.page]
            begin = cursor[1] if entry.page == cursor[0] else 0
            first = _line_at(page, entry.top, begin) if not math.isnan(entry.top) else begin
            located = HeadingLine(entry.page, first, -1, entry.level, entry.title, "outline")
        found.append(located)
        cursor = (located.page, located.first)
    return found


def _is_heading_text(text: str) -> bool:
    stripped = text.strip()
    letters = sum(ch.isalpha() for ch in stripped)
    return (
        letters >= 2
        and letters >= 0.5 * len(stripped.replace(" ", ""))
        and len(stripped.split()) <= MAX_HEADING_WORDS
        and len(stripped) <= 120
        and not stripped.endswith((",", ";", "."))
    )


def body_size(pages: list[PageLines]) -> float:
    """The most used font size, weighted by characters."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            if line.size > 0:
                sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def font_headings(pages: list[PageLines]) -> list[HeadingLine]:
    """Lines set larger than the body (or bold and numbered at body size); consecutive ones
    are one wrapped title; levels by size, largest first."""
    body = body_size(pages)
    if not body:
        return []
    candidates: list[tuple[int, int, float]] = []  # page, line, size
    for page in pages:
        for i, line in enumerate(page.lines):
            if i in page.furniture or not _is_heading_text(line.text):
                continue
            larger = line.size >= body * HEADING_SIZE_RATIO
            numbered_bold = line.bold and line.size >= body * 0.95 and bool(_DOTTED.match(line.text.strip()) or _CHAPTER.match(line.text.strip()))
            if larger or numbered_bold:
                candidates.append((page.index, i, round(line.size * 2) / 2 if larger else 0.0))
    groups: list[list[tuple[int, int, float]]] = []
    for candidate in candidates:
        previous = groups[-1][-1] if groups else None
        if previous and previous[0] == candidate[0] and previous[1] + 1 == candidate[1] and _continues(pages, previous, candidate):
            groups[-1].append(candidate)
        else:
            groups.append([candidate])
    ranks = sorted({max(size for _, _, size in group) for group in groups}, reverse=True)
    found = []
    for group in groups:
        page, first, _ = group[0]
        last = group[-1][1]
        size = max(s for _, _, s in group)
        title = " ".join(pages_line(pages, page, i).text.strip() for i in range(first, last + 1))
        found.append(HeadingLine(page, first, last, min(ranks.index(size) + 1, MAX_LEVEL), title, "font"))
    return found


def _continues(pages: list[PageLines], previous: tuple[int, int, float], candidate: tuple[int, int, float]) -> bool:
    """A heading line that follows another is the rest of its title when set in the same
    size, or when the first was only a chapter label ("Chapitre 2" / "Expériences")."""
    text = pages_line(pages, *candidate[:2]).text.strip()
    if re.match(r"\d|(?:chapitre|chapter|partie|annexe)\b", text, re.I):
        return False
    label = pages_line(pages, *previous[:2]).text.strip()
    return previous[2] == candidate[2] or bool(_CHAPTER.fullmatch(label))


def pages_line(pages: list[PageLines], page: int, line: int) -> Line:
    return next(p for p in pages if p.index == page).lines[line]


def numbered_headings(pages: list[PageLines]) -> list[HeadingLine]:
    """Without font information: "2.3 Titre" (level 2), "Chapitre 4" (level 1) standing on
    their own short line. Single numbers ("1. Brancher") are list items, not headings."""
    found = []
    for page in pages:
        for i, line in enumerate(page.lines):
            text = line.text.strip()
            if i in page.furniture or not _is_heading_text(text) or len(text.split()) > 10:
                continue
            if _DOTTED.match(text):
                level = text.split()[0].rstrip(".").count(".") + 1
            elif _CHAPTER.match(text):
                level = 1
            else:
                continue
            found.append(HeadingLine(page.index, i, i, min(level, MAX_LEVEL), text, "numbering"))
    return found


def title_heading(pages: list[PageLines]) -> HeadingLine | None:
    """The document's title: the largest line of the first page with text (its first line
    when sizes are unknown). Names the front matter that precedes the first heading."""
    for page in pages:
        lines = [(i, line) for i, line in enumerate(page.lines) if i not in page.furniture and _is_heading_text(line.text)]
        if lines:
            _, line = max(lines, key=lambda item: (item[1].size, -item[0]))
            return HeadingLine(page.index, lines[0][0], -1, 1, re.sub(r"\s+", " ", line.text).strip(), "title")
    return None


def find_headings(pages: list[PageLines], outline: list[OutlineEntry]) -> list[HeadingLine]:
    """The outline when there is one, else fonts, else numbering; with the title first when
    text precedes the first heading."""
    found = outline_headings(pages, outline) if len(outline) >= 2 else []
    if not found:
        found = font_headings(pages) if any(line.size for page in pages for line in page.lines) else []
    if not found:
        found = numbered_headings(pages)
    title = title_heading(pages)
    if title and (not found or (found[0].page, found[0].first) > (title.page, title.first)):
        found.insert(0, title)
    return found
