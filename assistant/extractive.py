"""The extractive backend: no LLM, the answer is the best sentences of the retrieved
passages, each with its citation. Always available and fast."""

from __future__ import annotations

import re

from .bilingual import question_words
from .questions import Need, asked_relation, provides, states
from .safety import neutralise
from .text import split_sentences, tokens
from .types import Passage

MAX_SENTENCES = 3
_DEFINING = re.compile(r"\b(?:est|sont|désigne|désignent|définit|se définit|correspond|consiste|signifie|renvoie)\b", re.I)


_BIBLIOGRAPHIC = re.compile(r"https?://|www\.|En ligne|\[Page internet\]|\[Site internet\]|\bp\.\s*\d|\b\d+\s*p\.|ISBN|;\s*\d+\s*:", re.I)


RELATION_BONUS = 0.3  # "Organisée par le CRES PACA" answers "qui a organisé", whatever else it shares


def _sentence_score(question_tokens: set[str], sentence: str, passage: Passage, relation: re.Pattern[str] | None = None) -> float:
    words = set(tokens(sentence))
    if not words or not question_tokens:
        return 0.0
    if _BIBLIOGRAPHIC.search(sentence) or sentence.strip(" .") == passage.chunk.heading.strip(" ."):
        return 0.0
    overlap = len(question_tokens & words) / len(question_tokens)
    defining = 0.15 if _DEFINING.search(sentence) else 0.0
    stated = RELATION_BONUS if relation is not None and _names_who(relation, sentence) else 0.0
    return overlap + defining + stated + 0.3 * passage.dense + 0.2 / passage.rank


def _names_who(relation: re.Pattern[str], sentence: str) -> bool:
    """The sentence states the relation asked and names someone ("Organisée par le CRES
    PACA"; not "Cet article présente un programme")."""
    return states(relation, sentence) and provides(Need("person"), sentence)


def extract_answer(question: str, passages: list[Passage], max_sentences: int = MAX_SENTENCES) -> str:
    """Sentences with their [n] markers (n = position in `passages`, 1-based). An English
    question's words count by their French equivalents (the passages are French)."""
    question_tokens = set(question_words(question))
    relation = asked_relation(question)
    candidates: list[tuple[float, int, int, str]] = []
    for n, passage in enumerate(passages, start=1):
        for position, sentence in enumerate(split_sentences(passage.chunk.text)):
            sentence = sentence.strip(" -•\n")
            if not 30 <= len(sentence) <= 600 or sentence.isupper() or sentence.rstrip().endswith(":") or neutralise(sentence) != sentence:
                continue
            score = _sentence_score(question_tokens, sentence, passage, relation)
            if score > 0.4:
                candidates.append((score, n, position, sentence))
    chosen, seen = [], set()
    for score, n, position, sentence in sorted(candidates, reverse=True):
        key = frozenset(tokens(sentence))
        if any(len(key & s) > 0.8 * max(len(key), 1) for s in seen):
            continue  # near-duplicate (the corpus repeats some definitions)
        seen.add(key)
        chosen.append((n, position, sentence))
        if len(chosen) == max_sentences:
            break
    chosen.sort(key=lambda item: (item[0], item[1]))
    return " ".join(f"{_as_sentence(sentence)} [{n}]" for n, _, sentence in chosen)


def _as_sentence(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if text.endswith((".", "!", "?", "»", '"', "…")) else text + "."
