"""Clean extraction scars while remembering where every kept character came from.

Every transformation works on a `Mapped` text: the text plus, for each character, its
offset in the source. Chunks can then point back at the exact source span to quote.
"""

from __future__ import annotations

import bisect
import html
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from .pdf.words import french_words

Replacement = str | Callable[[re.Match], str]


@dataclass(frozen=True)
class Mapped:
    text: str
    offsets: list[int]  # offsets[i] = source offset of text[i]

    @classmethod
    def of(cls, source: str) -> "Mapped":
        return cls(source, list(range(len(source))))

    def sub(self, pattern: re.Pattern, repl: Replacement) -> "Mapped":
        """Like re.sub; inserted characters map to the start of the match they replace."""
        out_text: list[str] = []
        out_offsets: list[int] = []
        last = 0
        for match in pattern.finditer(self.text):
            start, end = match.span()
            out_text.append(self.text[last:start])
            out_offsets.extend(self.offsets[last:start])
            new = repl(match) if callable(repl) else repl
            out_text.append(new)
            anchor = self.offsets[start] if start < len(self.offsets) else (self.offsets[-1] + 1 if self.offsets else 0)
            out_offsets.extend([anchor] * len(new))
            last = end
        out_text.append(self.text[last:])
        out_offsets.extend(self.offsets[last:])
        return Mapped("".join(out_text), out_offsets)

    def without(self, spans: list[tuple[int, int]]) -> "Mapped":
        """The text less the [start, end) spans given in clean indexes; kept characters keep their offsets."""
        keep = bytearray(b"\x01") * len(self.text)
        for start, end in spans:
            keep[start:end] = bytes(max(0, end - start))
        return Mapped("".join(ch for ch, k in zip(self.text, keep) if k), [o for o, k in zip(self.offsets, keep) if k])

    def clean_index(self, source_offset: int) -> int:
        """The first clean character at or after a source offset."""
        return bisect.bisect_left(self.offsets, source_offset)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets [start, end) covering clean characters [start, end)."""
        if end <= start:
            pos = self.offsets[start] if start < len(self.offsets) else (self.offsets[-1] + 1 if self.offsets else 0)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


_LOWER = "a-zà-öø-ÿœæ"
_STRUCTURAL_LINE = re.compile(r"[ \t]*(?:#|[-*•+]\s|\d+[.)]\s|\||>)")
_HEADING_LINE = re.compile(r"^#{1,6}\s", re.M)

_NEWLINES = re.compile(r"\r\n?|\u2028|\u2029|\f")
_ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u3000]")
# Invisible characters (zero-width, bidi controls, Unicode tags): removed, not turned into
# spaces, so a word split by them reads as the word it is ("Oub\u200blie" is "Oublie").
INVISIBLE_CHARS = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\U000e0000-\U000e007f]")
_REPLACEMENT_CHARS = re.compile(r"[\ufffd\ufeff]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
_SYMBOL_BULLETS = "•▪►●◦■□➢✓✔‣⁃○\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8"
_BULLETS = re.compile(rf"^[ \t]*(?:[{_SYMBOL_BULLETS}][ \t]*|[-–—][ \t]+)", re.M)
_HTML_BREAK = re.compile(r"<br\s*/?>|</?(?:p|div|tr|table|thead|tbody|ul|ol|h[1-6])(?:\s[^<>]*)?>", re.I)
_HTML_CELL = re.compile(r"</?t[dh](?:\s[^<>]*)?>", re.I)
_HTML_ITEM = re.compile(r"<li(?:\s[^<>]*)?>", re.I)
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_HTML_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,5}|#x[0-9a-fA-F]{2,4});")
_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?![\w*])")
_HORIZONTAL_RULE = re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$", re.M)
_DOT_LEADERS = re.compile(r"(?:\.[ \t]?){4,}|…{2,}")
_HYPHEN_BREAK = re.compile(rf"(?<=[{_LOWER}])-[ \t]*\n[ \t]*(?=[{_LOWER}])")
_SOFT_WRAP = re.compile(r"[ \t]*\n(?![ \t]*\n)")
_BLANK_WRAP = re.compile(rf"(?<=[^.!?:;\n])[ \t]*\n(?:[ \t]*\n)+[ \t]*(?=[{_LOWER}])")
_SPACES = re.compile(r"[ \t]{2,}")
_LINE_EDGE_SPACES = re.compile(r"[ \t]+(?=\n)|(?<=\n)[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")

# PDF glyph scars.
_PDFIUM_HYPHEN = re.compile(r"\ufffe[ \t]*\n?[ \t]*")  # pdfium's mark for a hyphen that ends a line
_SOFT_HYPHEN = re.compile(r"\u00ad(?:[ \t]*\n[ \t]*)?")
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_LIGATURE = re.compile("[" + "".join(_LIGATURES) + "]")
_ACCENTS = {"´": "\u0301", "`": "\u0300", "ˆ": "\u0302", "¨": "\u0308", "¸": "\u0327", "˜": "\u0303", "˚": "\u030a", "ˇ": "\u030c"}
_SPACING_ACCENT = re.compile(r"([´`ˆ¨¸˜˚ˇ])([A-Za-zı])")  # LaTeX (OT1) draws an accent as its own glyph before the letter
_ORPHAN_ACCENT = re.compile(r"(?<=\s)[´ˆ¨¸˜˚ˇ](?=\s)")
_FRENCH_PUNCT = re.compile(r"(?<=[^\W_]|[»”’%°])[ \t]*([;:!?]+)(?=[\s»”)]|$)")
_TAB_GAP = re.compile(r"(?<=\S) *\t[ \t]*(?=\S)")
_SPACE_GAP = re.compile(r"(?<=\S) {3,}(?=\S)")
_PAGE_COUNTER = re.compile(r"^[ \t]*(?:page[ \t]*)?\d{1,4}[ \t]*(?:/|sur|of)[ \t]*\d{1,4}[ \t]*$", re.M | re.I)


def _unescape(match: re.Match) -> str:
    return html.unescape(match.group(0)).replace("\u00a0", " ")


def _ligature(match: re.Match) -> str:
    return _LIGATURES[match.group(0)]


def _compose_accent(match: re.Match) -> str:
    letter = "i" if match.group(2) == "ı" else match.group(2)
    composed = unicodedata.normalize("NFC", letter + _ACCENTS[match.group(1)])
    return composed if len(composed) == 1 else match.group(0)


def _french_punctuation(match: re.Match) -> str:
    """One ordinary space before ; : ! ? (French usage), whatever the source had."""
    return " " + match.group(1)


def _line_of(match: re.Match) -> str:
    text = match.string
    end = text.find("\n", match.end())
    return text[text.rfind("\n", 0, match.start()) + 1 : end if end != -1 else len(text)]


def _space_cells(match: re.Match) -> str:
    """In a PDF extraction, a line with two runs of three spaces or more is a table row
    (prose with sloppy spaces has them too, so text files only trust tabs)."""
    return " | " if len(_SPACE_GAP.findall(_line_of(match))) >= 2 else match.group(0)


def is_table_row(line: str) -> bool:
    return " | " in line or line.lstrip().startswith("|")


# The words a wrapped line can end with inside a sentence: the next line continues them.
_OPEN_ENDINGS = frozenset("""
    a à au aux de des du d' l' la le les un une et ou en par pour sur sous dans avec sans chez vers entre que qu' qui
    dont ne n' se s' ce cet cette ces son sa ses leur leurs nos vos notre votre plus très of the and or to in for
    by with a an on at from""".split())
_ITEM_START = re.compile(r"([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿœæ]{2,})[’']?\s+([a-zà-öø-ÿœæ][\w’'-]*)")


def _join_wrapped(text: str) -> Callable[[re.Match], str]:
    """Join a hard-wrapped line to the next one, unless either is structure (heading, list,
    table row), or the next line starts a new item whose bullet the extraction lost: the
    line ends on a full word with no punctuation, and the next opens with a capitalised
    common word (one the document also writes in lower case, or a word of the French
    dictionary) followed by a lower-case word ("… par certains participants / Point
    d'attention porté par …", "… de la pédiatrie) / Passerelles possibles entre …"). A word
    the document also capitalises inside a sentence is a name ("un interpréteur / Python et …")."""
    named = {w.lower() for w in re.findall(r"(?<=[a-zà-öø-ÿœæ,] )([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿœæ]{2,})", text)}
    lowercase = {w for w in re.findall(r"\w{3,}", text) if w.islower()}
    dictionary = french_words()

    def common(word: str) -> bool:
        return (word in lowercase or word in dictionary) and word not in named

    def repl(match: re.Match) -> str:
        text, start, end = match.string, match.start(), match.end()
        current = text[text.rfind("\n", 0, start) + 1 : start]
        following = text[end : text.find("\n", end) if text.find("\n", end) != -1 else len(text)]
        if not current.strip() or not following.strip():
            return "\n"
        if current.lstrip().startswith("#") or is_table_row(current) or is_table_row(following) or _STRUCTURAL_LINE.match(following):
            return "\n"
        starts_upper = following.lstrip()[:1].isupper()
        if current.rstrip().endswith((".", "!", "?", ":", ";", "»", '"')) and starts_upper:
            return "\n"
        return "\n" if _new_item(current, following, common) else " "

    return repl


def _new_item(current: str, following: str, common: Callable[[str], bool]) -> bool:
    last = re.search(r"([\w’')]+)[ \t]*[-–]?[ \t]*$", current)
    item = _ITEM_START.match(following.lstrip())
    if not (last and item) or len(following.split()) < 3:
        return False
    word = last.group(1).replace("’", "'").lower()
    ends_open = word in _OPEN_ENDINGS or not (last.group(1).islower() or last.group(1).endswith(")"))
    return not ends_open and common(item.group(1).lower())


def _join_blank_wrapped(match: re.Match) -> str:
    """Extraction that put blank lines inside a sentence: rejoin unless the line is a heading."""
    text, start = match.string, match.start()
    current = text[text.rfind("\n", 0, start) + 1 : start]
    return match.group(0) if current.lstrip().startswith("#") else " "


_COMPOUND_PREFIXES = {"pair", "pairs", "auto", "co", "ex", "non", "anti", "semi", "demi", "multi", "inter", "post", "pré",
                      "sous", "sur", "contre", "bien", "mal", "mi", "néo", "socio", "médico", "psycho", "santé", "patient", "patients",
                      "ci", "là", "celle", "celui", "ceux", "peut", "c'est"}


def _dehyphenate(source: str, vocabulary: set[str]) -> Callable[[re.Match], str]:
    """`évolu-\\ntive` -> `évolutive`; `pair-\\naidant` stays `pair-aidant` (a compound the
    document writes elsewhere, a known prefix, or two words the document knows)."""
    lowered = source.lower()
    dictionary = french_words()

    def repl(match: re.Match) -> str:
        text = match.string
        left = re.search(r"\w+$", text[max(0, match.start() - 40) : match.start()])
        right = re.match(r"\w+", text[match.end() : match.end() + 40])
        if not (left and right):
            return ""
        l, r = left.group(0).lower(), right.group(0).lower()
        if l + r in vocabulary or l + r in dictionary:
            return ""
        if f"{l}-{r}" in lowered or l in _COMPOUND_PREFIXES or (l in vocabulary and r in vocabulary):
            return "-"
        return ""

    return repl


# ---------------------------------------------------------------- page furniture

EDGE_LINES = 2  # running headers and footers live in the first and last lines of a page
_PAGE_NUMBER_ALONE = re.compile(r"(?:page\s*)?(?:\d{1,4}(?:\s*(?:/|sur|of)\s*\d{1,4})?|[ivxlc]{1,6})", re.I)
_LEADING_NUMBER = re.compile(r"^(?:page\s*)?(\d{1,4})(?=\s|/|$)", re.I)
_TRAILING_NUMBER = re.compile(r"(?<![\d.,])(\d{1,4})(?:\s*(?:/|sur|of)\s*\d{1,4})?$", re.I)


def _edge_indexes(lines: list[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))


def _line_key(line: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", line)).strip().lower()


def _split_header_key(line: str) -> str:
    """For a header in two parts ("CHAPITRE 3. TITRE …⏵3.2. SECTION": a column gap between
    them, or all in capitals), its first two words, digits aside: the part that repeats
    while chapter titles change."""
    stripped = line.strip()
    letters = [ch for ch in stripped if ch.isalpha()]
    shouted = len(stripped.split()) >= 4 and sum(ch.isupper() for ch in letters) >= 0.8 * max(len(letters), 1)
    if "\t" not in stripped and not shouted:
        return ""
    return " ".join(_line_key(line).split()[:2])


def _edge_numbers(line: str) -> set[int]:
    """The page-number candidates of an edge line: an integer that starts or ends it."""
    stripped = line.strip()
    found = set()
    for pattern in (_LEADING_NUMBER, _TRAILING_NUMBER):
        match = pattern.search(stripped)
        if match:
            found.add(int(match.group(1)))
    return found


def _printed_offset(pages: list[list[str]], edges: list[list[int]]) -> int | None:
    """How printed page numbers relate to page order (printed = index + offset), when enough
    pages agree."""
    votes: Counter[int] = Counter()
    for index, (lines, edge) in enumerate(zip(pages, edges)):
        votes.update({n - index for i in edge for n in _edge_numbers(lines[i])})
    if not votes:
        return None
    offset, count = votes.most_common(1)[0]
    return offset if count >= max(3, math.ceil(0.3 * len(pages))) else None


def page_furniture(page_texts: list[str]) -> list[tuple[int, ...]]:
    """Indexes (in page.split("\\n")) of each page's running header and footer lines: lines
    at the top or bottom of many pages (digits aside) and nowhere else, lines carrying the
    page's printed number, page numbers and "146/ 237" counters alone on a line."""
    pages = [text.split("\n") for text in page_texts]
    edges = [_edge_indexes(lines) for lines in pages]
    at_edge: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    for lines, edge in zip(pages, edges):
        at_edge.update({_line_key(lines[i]) for i in edge} | {"\t" + _split_header_key(lines[i]) for i in edge if _split_header_key(lines[i])})
        anywhere.update(_line_key(line) for line in lines if line.strip())
        anywhere.update("\t" + _split_header_key(line) for line in lines if _split_header_key(line))
    repeated = max(2, math.ceil(0.2 * len(pages)))
    offset = _printed_offset(pages, edges)
    found = []
    for index, (lines, edge) in enumerate(zip(pages, edges)):
        drop = []
        for i in edge:
            line = lines[i].strip()
            running = any(
                at_edge[key] >= repeated and at_edge[key] >= 0.8 * anywhere[key] and any(ch.isalnum() for ch in key)
                for key in (_line_key(lines[i]), "\t" + _split_header_key(lines[i]))
                if key != "\t"
            )
            numbered = offset is not None and index + offset in _edge_numbers(line) and len(line.split()) <= 12
            if running or numbered or _PAGE_NUMBER_ALONE.fullmatch(line):
                drop.append(i)
        found.append(tuple(drop))
    return found


def _page_spans(mapped: Mapped, page_starts: list[int]) -> list[tuple[int, int]]:
    starts = [mapped.clean_index(s) for s in page_starts]
    return list(zip(starts, starts[1:] + [len(mapped.text)]))


def drop_page_furniture(mapped: Mapped, page_starts: list[int]) -> Mapped:
    """Remove running headers, footers and page numbers, line breaks included; what is kept
    keeps its source offsets, so pages and quotes stay right."""
    spans = _page_spans(mapped, page_starts)
    drops = []
    for (start, end), lines in zip(spans, page_furniture([mapped.text[s:e] for s, e in spans])):
        line_starts = [start]
        for line in mapped.text[start:end].split("\n"):
            line_starts.append(line_starts[-1] + len(line) + 1)
        drops += [(line_starts[i], min(line_starts[i + 1], end)) for i in lines]
    return mapped.without(drops)


# ---------------------------------------------------------------- the cleaning chain

Step = tuple[re.Pattern, Replacement]

_PDF_GLYPHS: list[Step] = [
    (_PDFIUM_HYPHEN, "-\n"),
    (_SOFT_HYPHEN, ""),
    (_SPACING_ACCENT, _compose_accent),
    (_ORPHAN_ACCENT, ""),
    (_PAGE_COUNTER, ""),
    (_SPACE_GAP, _space_cells),
]

_GLYPHS: list[Step] = [
    (_REPLACEMENT_CHARS, ""),
    (INVISIBLE_CHARS, ""),
    (_CONTROL_CHARS, ""),
    (_SOFT_HYPHEN, ""),
    (_LIGATURE, _ligature),
    (_BULLETS, "- "),
    (_PRIVATE_USE, ""),
    (_TAB_GAP, " | "),  # a tab between words is a column gap (the PDF reader writes one where it measures one)
    (re.compile(r"\t"), " "),
    (_ODD_SPACES, " "),
]


def normalize_glyphs(mapped: Mapped, pdf: bool = False) -> Mapped:
    """Character-level repairs only (no line joining): what a reader's text is compared on."""
    for pattern, repl in (_PDF_GLYPHS if pdf else []) + _GLYPHS:
        mapped = mapped.sub(pattern, repl)
    return mapped


def _vocabulary(text: str) -> set[str]:
    unbroken = re.sub(r"\w+-[ \t]*\n[ \t]*\w+", " ", text)  # the broken halves are not words
    return {w.lower() for w in re.findall(r"\w{2,}", unbroken)}


def clean(source: str, page_starts: list[int] | None = None) -> Mapped:
    """Clean a decoded source text, keeping the map back to it. With `page_starts` (a PDF),
    page furniture and PDF glyph scars are repaired too."""
    pdf = page_starts is not None
    mapped = Mapped.of(source).sub(_NEWLINES, "\n")
    if pdf:
        mapped = drop_page_furniture(mapped, page_starts)
    mapped = normalize_glyphs(mapped, pdf)
    vocabulary = _vocabulary(mapped.text)
    steps: list[Step] = [
        (_HTML_ENTITY, _unescape),
        (_HTML_ITEM, "\n- "),
        (_HTML_BREAK, "\n"),
        (_HTML_CELL, " "),
        (_HTML_TAG, ""),
        (_EMPHASIS, ""),
        (_HORIZONTAL_RULE, ""),
        (_BULLETS, "- "),
        (_DOT_LEADERS, " … "),
        (_LINE_EDGE_SPACES, ""),
        (_HYPHEN_BREAK, _dehyphenate(mapped.text, vocabulary)),
        (_BLANK_WRAP, _join_blank_wrapped),
        (_SOFT_WRAP, _join_wrapped(mapped.text)),
        (_SPACES, " "),
        (_FRENCH_PUNCT, _french_punctuation),
        (_LINE_EDGE_SPACES, ""),
        (_BLANK_LINES, "\n\n"),
    ]
    for pattern, repl in steps:
        mapped = mapped.sub(pattern, repl)
    return mapped


def strip_heading_marks(mapped: Mapped) -> Mapped:
    return mapped.sub(_HEADING_LINE, "")
