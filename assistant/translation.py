"""English answers from verified French sentences.

The verifier reads French best (the passages' language), so for an English question the
model answers in French; each French sentence that passed verification is then translated
by the same model, and the translation is shown only if it says what the French says
(`meaning/translation.py`: negations, figures, quantifiers, comparisons, opposite words,
names, roles; plus the cross-lingual cosine of the two sentences). A translation that fails
leaves the passage's own words, quoted in French (steps.translate)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from time import perf_counter

from langchain_core.language_models.chat_models import BaseChatModel

from .bilingual import TERMS_FR_EN
from .meaning.translation import translation_findings
from .prompts import TRANSLATE_PROMPT
from .text import fold, language_evidence
from .verify import Vectors

log = logging.getLogger(__name__)

_NUMBERED = re.compile(r"^\s*(\d{1,2})\s*[.):-]\s*(.+?)\s*$")


@dataclass(frozen=True)
class Translation:
    """An English rendering of a French sentence and whether it may be shown."""

    french: str
    english: str
    findings: tuple[str, ...]  # reason codes of what the English says otherwise; () when none
    cosine: float | None

    @property
    def faithful(self) -> bool:
        return bool(self.english) and not self.findings


def terms_hint(sentences: Sequence[str]) -> str:
    """The domain terms of the sentences with their usual English, for the prompt."""
    text = fold(" ".join(sentences)).replace("-", " ")  # « santé-pair » is « santé pair »
    found: dict[str, str] = {}  # one line per term however it is hyphenated
    for french, english in TERMS_FR_EN.items():
        key = fold(french).replace("-", " ")
        if key in text:
            found.setdefault(key, f"{french} = {english}")
    return f"Lexique : {' ; '.join(found.values())}\n\n" if found else ""


def numbered_lines(raw: str) -> dict[int, str]:
    """The numbered lines of the model's output ("1. …"), by number."""
    lines = {}
    for line in raw.splitlines():
        match = _NUMBERED.match(line)
        if match:
            lines.setdefault(int(match.group(1)), match.group(2).strip().strip('"'))
    return lines


def stream_translations(model: BaseChatModel, sentences: Sequence[str],
                        deadline: float = float("inf")) -> Iterator[tuple[int, str]]:
    """(index, English) of each sentence as soon as the model has written its line. Past
    `deadline` (perf_counter seconds) the model is stopped, and a line it had not finished
    is no translation."""
    one_line = [" ".join(s.split()) for s in sentences]  # a list item's lines would break the numbering
    values = {"terms": terms_hint(one_line), "lines": "\n".join(f"{n}. {s}" for n, s in enumerate(one_line, start=1))}
    raw, done = "", set()
    stream = (TRANSLATE_PROMPT | model).stream(values)
    try:
        for chunk in stream:
            raw += str(chunk.text)
            complete = raw[: raw.rfind("\n") + 1]  # a line is complete once the next one starts
            for number, english in numbered_lines(complete).items():
                if number not in done and 1 <= number <= len(sentences):
                    done.add(number)
                    yield number - 1, english
            if perf_counter() > deadline:
                return
    finally:
        stream.close()
    numbered = numbered_lines(raw)
    for number, english in numbered.items():
        if number not in done and 1 <= number <= len(sentences):
            yield number - 1, english
    if len(sentences) == 1 and not numbered and raw.strip():  # one line: the model often leaves out its "1."
        yield 0, " ".join(raw.split())


def check(french: str, english: str, vectors: Vectors | None, min_cosine: float) -> Translation:
    """Whether `english` says what `french` says: the signature checks, then the cosine
    (`min_cosine`: VerifyThresholds.translation_cosine, calibrated per embedder)."""
    codes = signature_codes(french, english)
    cosine = None
    if vectors is not None and not codes:
        first, second = vectors([french, english])
        cosine = sum(a * b for a, b in zip(first, second))
    return judged(french, english, codes, cosine, min_cosine)


def signature_codes(french: str, english: str) -> tuple[str, ...]:
    """The reason codes of what the English says otherwise than the French; () if none."""
    if not french.strip():
        return ("nothing_to_translate",)
    if not english or not reads_english(french, english):
        return ("not_english",)
    return tuple(f.reason for f in translation_findings(french, english))


SHORT_LINE = 8  # words: a heading or a date line may hold no function word of either language


def reads_english(french: str, english: str) -> bool:
    """More English than French in the words; a short line with neither ("2nd half-day June
    14, 2021") is English if it is not the French left as it was."""
    en, fr = language_evidence(english)
    if en or fr:
        return en > fr
    return len(english.split()) <= SHORT_LINE and fold(english) != fold(french)


def judged(french: str, english: str, codes: tuple[str, ...], cosine: float | None, min_cosine: float) -> Translation:
    if not codes and cosine is not None and cosine < min_cosine:
        codes = (f"low_cosine:{cosine:.2f}",)
    return Translation(french, english, codes, None if cosine is None else round(cosine, 4))

