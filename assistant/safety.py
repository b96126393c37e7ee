"""Passages are data, never instructions."""

from __future__ import annotations

import re

from .text import split_sentences

_INJECTION = re.compile(
    r"ignor\w*\s+(?:\w+\s+){0,3}(?:instructions?|consignes?|règles)|(?:disregard|forget)\s+(?:\w+\s+){0,3}(?:instructions?|rules)|"
    r"(?:system|syst[eè]me)\s*prompt|prompt\s+syst[eè]me|tu es (?:désormais|maintenant)|you are now|"
    r"nouvelles? (?:instructions?|consignes?)\s*:|new instructions?\s*:|réponds? (?:uniquement|seulement) par",
    re.I,
)
NEUTRALISED = "[phrase retirée : consigne adressée à l'assistant]"


def neutralise(text: str) -> str:
    """Passages are data. A sentence in a document that addresses the assistant (« ignore
    les instructions précédentes… ») never reaches the prompt."""
    if not _INJECTION.search(text):
        return text
    return " ".join(NEUTRALISED if _INJECTION.search(s) else s for s in split_sentences(text))
