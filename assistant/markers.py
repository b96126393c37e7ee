"""Citation markers: the one place that knows how `[n]` is written and read.

Models write markers in many styles ([1], [1, 2], [1-2], 【1】, (1), [passage 1]); Pairs
itself writes ` [1] [2]` after a sentence. Parsing is tolerant, writing is canonical."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import split_sentences

# [1], [1, 2], [1-2], [1][2], 【1】, [passage 1], (1), (source 2)
ANY = re.compile(
    r"\s*(?:\[|【|\()\s*(?:passages?|sources?|réf(?:érence)?s?\.?|doc(?:ument)?s?)?\s*"
    r"(\d{1,2}(?:\s*(?:,|;|-|–|et|and)\s*\d{1,2})*)\s*(?:\]|】|\))"
)
# Markers opening a sentence: models often write `text. [1] Next sentence`.
LEADING = re.compile(r"^(?:\s*(?:\[|【)\s*\d{1,2}(?:\s*[,;]\s*\d{1,2})*\s*(?:\]|】))+")
# What Pairs writes (and the UI turns into links).
CANONICAL = re.compile(r"\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\]")
_CANONICAL_WITH_SPACE = re.compile(r"\s*\[\d{1,2}(?:\s*,\s*\d{1,2})*\]")
_RANGE = re.compile(r"(\d{1,2})\s*[-–]\s*(\d{1,2})")


def numbers(group: str) -> list[int]:
    """"1, 3", "2-4", "1 et 2" -> [1, 3], [2, 3, 4], [1, 2] (order kept, no repeats)."""
    found: list[int] = []
    for start, end in _RANGE.findall(group):
        found += list(range(int(start), int(end) + 1)) if int(end) - int(start) < 10 else [int(start), int(end)]
    found += [int(n) for n in re.findall(r"\d{1,2}", _RANGE.sub(" ", group))]
    return list(dict.fromkeys(found))


def cited(text: str) -> list[int]:
    """Every passage number cited in `text`, any marker style."""
    return list(dict.fromkeys(n for m in ANY.finditer(text) for n in numbers(m.group(1))))


def strip(text: str) -> str:
    """The text without the markers Pairs writes."""
    return _CANONICAL_WITH_SPACE.sub("", text or "")


def strip_any(text: str) -> str:
    """The text without markers of any style, spaces before punctuation closed up."""
    return re.sub(r"\s+([.,;:!?])", r"\1", ANY.sub("", text)).strip()


def write(citations: list[int]) -> str:
    return "".join(f" [{n}]" for n in citations)


@dataclass
class ParsedSentence:
    text: str  # without markers
    cited: list[int]  # 1-based passage numbers, in range only
    dropped: list[int] = field(default_factory=list)  # out-of-range numbers the model invented
    asked: bool = False  # a passage sentence added because it gives what the question asks


def parse_citations(answer: str, passage_count: int) -> list[ParsedSentence]:
    """Split an answer into sentences and the passage numbers each cites. A marker at the
    start of a sentence belongs to the previous one (models often write `text. [1]`)."""
    parsed: list[ParsedSentence] = []
    for sentence in split_sentences(answer):
        leading = LEADING.match(sentence)
        if leading and parsed:
            previous, found = parsed[-1], cited(leading.group(0))
            previous.cited = list(dict.fromkeys(previous.cited + [n for n in found if 1 <= n <= passage_count]))
            previous.dropped += [n for n in found if not 1 <= n <= passage_count]
            sentence = sentence[leading.end() :].strip()
            if not sentence:
                continue
        found = [n for m in ANY.finditer(sentence) for n in numbers(m.group(1))]
        text = strip_any(sentence)
        if text:
            parsed.append(ParsedSentence(text=text, cited=[n for n in dict.fromkeys(found) if 1 <= n <= passage_count],
                                         dropped=[n for n in found if not 1 <= n <= passage_count]))
    return parsed
