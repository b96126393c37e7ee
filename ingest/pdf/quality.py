"""How good a page's text is: pure measures on the text, used to pick the better reader
for each page and to warn about pages that read badly."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .words import FUNCTION_WORDS, words

LONG_WORD = 21  # letters; French words this long are rare ("internationalisation" has 20), glued runs are not
MIN_WORDS_TO_JUDGE = 30  # fewer words than this (a title page, a figure) is too little to call garbage
_ODD_CHAR = re.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0e-\x1f]")


@dataclass(frozen=True)
class TextFigures:
    chars: int  # non-space characters
    words: int  # letter-only tokens
    long_words: float  # share of word letters in words of LONG_WORD letters or more (glued words)
    unknown_words: float  # share of word letters in words (3+ letters) the vocabulary does not know
    odd_chars: float  # replacement, private-use and control characters per non-space character
    letters: float  # letters per non-space character, digits and dots aside (tables of contents, figures)
    function_words: float  # share of words that are French or English function words

    @property
    def score(self) -> float:
        """0..1: 1 for clean prose, lower for glued, unknown or garbage text, 0 for no text."""
        if not self.words:
            return 0.0
        return (
            (1 - self.unknown_words)
            * (1 - self.long_words)
            * max(0.0, 1 - 5 * self.odd_chars)
            * min(1.0, self.letters / 0.5)
        )


def text_figures(text: str, vocabulary: frozenset[str] | set[str]) -> TextFigures:
    chars = sum(1 for ch in text if not ch.isspace())
    tokens = words(text)
    letters = sum(len(w) for w in tokens)
    if not tokens:
        return TextFigures(chars, 0, 0.0, 0.0, _ODD_CHAR.findall(text).__len__() / max(chars, 1), 0.0, 0.0)
    long_letters = sum(len(w) for w in tokens if len(w) >= LONG_WORD)
    unknown_letters = sum(len(w) for w in tokens if len(w) >= 3 and w not in vocabulary) if vocabulary else 0
    return TextFigures(
        chars=chars,
        words=len(tokens),
        long_words=long_letters / letters,
        unknown_words=unknown_letters / letters,
        odd_chars=len(_ODD_CHAR.findall(text)) / max(chars, 1),
        letters=sum(1 for ch in text if ch.isalpha()) / max(1, sum(1 for ch in text if not ch.isspace() and not ch.isdigit() and ch not in ".…·")),
        function_words=sum(1 for w in tokens if w in FUNCTION_WORDS) / len(tokens),
    )


def garbage_reason(figures: TextFigures) -> str:
    """Why a page's text is not worth reading (French), or "" when it is fine. Judged on the
    text alone: works without any dictionary."""
    if figures.odd_chars > 0.05:
        return "caractères illisibles"
    if figures.chars >= 100 and figures.letters < 0.4:
        return "peu de lettres"
    if figures.words < MIN_WORDS_TO_JUDGE:
        return ""
    if figures.long_words > 0.15:
        return "mots collés"
    if figures.function_words < 0.01:
        return "aucun mot courant (police sans table Unicode ?)"
    return ""


def better_reader(primary: TextFigures, fallback: TextFigures, margin: float = 0.03) -> bool:
    """True when the fallback reader's text is clearly better than the primary's."""
    if not primary.words:
        return fallback.words > 0
    return fallback.score > primary.score + margin
