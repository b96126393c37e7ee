"""A generated answer as it arrives: sentences are handed over as soon as they are complete
(so each can be verified and shown at once), and generation is bounded (a token cap, a
wall-clock budget, loops and runaway text cut early).

A sentence is complete when the next one has begun: until then, citation markers may still
follow it (`text. [1] [2] Next…`, see markers.py)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from .markers import ParsedSentence, parse_citations
from .text import content_words

# The end of a finished sentence: punctuation, then citation markers, closing quotes or brackets.
_FINISHED = re.compile(r"[.!?…»\"”)\]】]\s*(?:(?:\[|【|\()[^\]】)]{0,20}(?:\]|】|\))\s*)*$")
_SCAFFOLD = re.compile(r"\n\s*(?:Question|Passages?|Réponse|Answer|Extraits?)\s*:", re.I)  # a new prompt section
_LABEL = re.compile(r"^\s*(?:Réponse|Answer)\s*(?:\([^)]*\))?\s*:\s*", re.I)  # "Réponse :" before the answer
REPEAT_MIN, REPEAT_MAX, REPEATS = 6, 80, 3  # a piece of 6 to 80 characters said 3 times in a row
MAX_SENTENCE_CHARS = 700  # a "sentence" this long without an end is a runaway


def finished(text: str) -> bool:
    """Whether text ends at the end of a sentence (markers after the full stop allowed)."""
    return bool(_FINISHED.search(text.rstrip()))


def runaway(raw: str) -> bool:
    """Whether the model went astray: it repeats a piece of text in a row, or writes one
    endless sentence."""
    tail = raw[-REPEAT_MAX * (REPEATS + 1) :]
    if re.search(rf"(.{{{REPEAT_MIN},{REPEAT_MAX}}}?)(?:\s*\1){{{REPEATS - 1},}}\s*$", tail, re.S):
        return True
    last_end = max(raw.rfind(mark) for mark in ".!?…\n")
    return len(raw) - last_end > MAX_SENTENCE_CHARS


class SentenceStream:
    """Feed text as it arrives; get back the sentences that are complete, parsed with their
    citations (the same parse as `parse_citations` on the whole text)."""

    def __init__(self, passage_count: int):
        self.passage_count = passage_count
        self.raw = ""
        self.emitted = 0
        self.keys: list[str] = []
        self.ended = False  # the model began a new prompt section: the answer is over

    @property
    def answer(self) -> str:
        return _LABEL.sub("", self.raw, count=1)

    def feed(self, text: str) -> list[ParsedSentence]:
        self.raw += text
        scaffold = _SCAFFOLD.search(self.raw)
        if scaffold:  # nothing after a new "Question :" is part of the answer
            self.raw, self.ended = self.raw[: scaffold.start()], True
        parsed = parse_citations(self.answer, self.passage_count)
        ready = parsed[self.emitted : max(self.emitted, len(parsed) - 1)]
        self.emitted += len(ready)
        self.keys += [" ".join(sorted(content_words(p.text))) for p in ready]
        return ready

    def repeated(self) -> bool:
        """The last complete sentence says again what an earlier one said (a loop)."""
        return len(self.keys) >= 2 and bool(self.keys[-1]) and self.keys[-1] in self.keys[:-1]

    def close(self, cut: bool = False) -> list[ParsedSentence]:
        """The sentences left; when generation was cut, an unfinished last one is dropped."""
        parsed = parse_citations(self.answer, self.passage_count)
        rest = parsed[self.emitted :]
        if cut and rest and not finished(self.raw):
            rest = rest[:-1]
        self.emitted = len(parsed)
        return rest


@dataclass
class Bounds:
    """The limits of one answer: at most `max_tokens` pieces of text from the model and
    `seconds` of wall-clock time since `started` (time.perf_counter())."""

    max_tokens: int
    seconds: float
    started: float = field(default_factory=time.perf_counter)
    tokens: int = 0

    def count(self) -> str:
        """Count one more token; why to stop now ("" to go on)."""
        self.tokens += 1
        if self.max_tokens and self.tokens >= self.max_tokens:
            return "tokens"
        if self.seconds and time.perf_counter() - self.started >= self.seconds:
            return "budget"
        return ""
