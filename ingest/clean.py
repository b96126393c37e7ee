"""Clean extraction scars while remembering where every kept character came from.

Every transformation works on a `Mapped` text: the text plus, for each character, its
offset in the source. Chunks can then point back at the exact source span to quote.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

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

_NEWLINES = re.compile(r"\r\n?|\u2028|\u2029")
_ODD_SPACES = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u3000]")
_REPLACEMENT_CHARS = re.compile(r"[\ufffd\u00ad\ufeff]")
_BULLETS = re.compile(r"^[ \t]*[•▪►●◦■□➢✓✔\uf0b7\uf0a7-][ \t]*", re.M)
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


def _unescape(match: re.Match) -> str:
    return html.unescape(match.group(0)).replace("\u00a0", " ")


def _join_wrapped_line(match: re.Match) -> str:
    """Join a hard-wrapped line to the next one, unless either is structure (heading, list)."""
    text, start, end = match.string, match.start(), match.end()
    current = text[text.rfind("\n", 0, start) + 1 : start]
    following = text[end : text.find("\n", end) if text.find("\n", end) != -1 else len(text)]
    if not current.strip() or not following.strip():
        return "\n"
    if current.lstrip().startswith(("#", "|")) or _STRUCTURAL_LINE.match(following):
        return "\n"
    ends_sentence = current.rstrip().endswith((".", "!", "?", ":", ";", "»", '"'))
    starts_upper = following.lstrip()[:1].isupper()
    if ends_sentence and starts_upper:
        return "\n"
    return " "


def _join_blank_wrapped(match: re.Match) -> str:
    """Extraction that put blank lines inside a sentence: rejoin unless the line is a heading."""
    text, start = match.string, match.start()
    current = text[text.rfind("\n", 0, start) + 1 : start]
    return match.group(0) if current.lstrip().startswith("#") else " "


_COMPOUND_PREFIXES = {"pair", "pairs", "auto", "co", "ex", "non", "anti", "semi", "demi", "multi", "inter", "post", "pré",
                      "sous", "sur", "contre", "bien", "mal", "mi", "néo", "socio", "médico", "psycho", "santé", "patient", "patients"}


def _dehyphenate(source: str, vocabulary: set[str]) -> Callable[[re.Match], str]:
    """`évolu-\\ntive` -> `évolutive`; `pair-\\naidant` stays `pair-aidant` (a compound the
    document writes elsewhere, a known prefix, or two words the document knows)."""
    lowered = source.lower()

    def repl(match: re.Match) -> str:
        text = match.string
        left = re.search(r"\w+$", text[max(0, match.start() - 40) : match.start()])
        right = re.match(r"\w+", text[match.end() : match.end() + 40])
        if not (left and right):
            return ""
        l, r = left.group(0).lower(), right.group(0).lower()
        if l + r in vocabulary:
            return ""
        if f"{l}-{r}" in lowered or l in _COMPOUND_PREFIXES or (l in vocabulary and r in vocabulary):
            return "-"
        return ""

    return repl


def clean(source: str) -> Mapped:
    """Clean a decoded source text, keeping the map back to it."""
    unbroken = re.sub(r"\w+-[ \t]*\n[ \t]*\w+", " ", source)  # the broken halves are not words
    vocabulary = {w.lower() for w in re.findall(r"\w{2,}", unbroken)}
    mapped = Mapped.of(source)
    steps: list[tuple[re.Pattern, Replacement]] = [
        (_NEWLINES, "\n"),
        (_REPLACEMENT_CHARS, ""),
        (_ODD_SPACES, " "),
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
        (_HYPHEN_BREAK, _dehyphenate(source, vocabulary)),
        (_BLANK_WRAP, _join_blank_wrapped),
        (_SOFT_WRAP, _join_wrapped_line),
        (_SPACES, " "),
        (_LINE_EDGE_SPACES, ""),
        (_BLANK_LINES, "\n\n"),
    ]
    for pattern, repl in steps:
        mapped = mapped.sub(pattern, repl)
    return mapped


def strip_heading_marks(mapped: Mapped) -> Mapped:
    return mapped.sub(_HEADING_LINE, "")
