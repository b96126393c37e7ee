"""Grounding in code: parse [n] markers, check every cited sentence against its passage,
repair or drop what the passages do not support, and renumber what remains."""

from __future__ import annotations

import re
from collections.abc import Callable

from . import markers
from .markers import ParsedSentence, parse_citations
from .safety import neutralise
from .text import content_words, is_english, split_sentences
from .types import Citation, Grounded, Passage, Sentence

SUPPORT_THRESHOLD = 0.5
EMBEDDING_STRONG = 0.88

Similarity = Callable[[str, list[Passage]], list[float]]


def lexical_support(sentence: str, passage_text: str) -> float:
    """Share of the sentence's content words that the passage contains."""
    words = content_words(sentence)
    if not words:
        return 1.0
    return len(words & content_words(passage_text)) / len(words)


def support_score(lexical: float, embedding: float, cross_lingual: bool = False) -> float:
    """One number in [0, 1]. Same language: words carry it (e5 similarities are compressed,
    any two passages on one topic look alike); across languages, meaning has to."""
    embedding_part = min(1.0, max(0.0, (embedding - 0.78) / (EMBEDDING_STRONG - 0.78)))
    if cross_lingual:
        return max(lexical, 0.9 * embedding_part)
    return max(lexical, 0.7 * lexical + 0.3 * embedding_part)


def best_quote(sentence: str, passage_text: str) -> tuple[str, int, int]:
    """The passage sentence (or two adjacent ones) sharing most words with `sentence`:
    an exact span of the passage text."""
    target = content_words(sentence)
    pieces = split_sentences(passage_text)
    best, best_score = (passage_text[:300], 0, min(300, len(passage_text))), -1.0
    for i in range(len(pieces)):
        for width in (1, 2):
            window = pieces[i : i + width]
            if len(window) < width:
                continue
            start = passage_text.find(window[0])
            end = passage_text.find(window[-1], start) + len(window[-1]) if start >= 0 else -1
            if start < 0 or end < start:
                continue
            words = content_words(passage_text[start:end])
            score = len(target & words) / (len(target) or 1) - 0.02 * width
            if score > best_score:
                best, best_score = (passage_text[start:end], start, end), score
    return best


def ground(answer: str, passages: list[Passage], similarity: Similarity, question: str = "") -> Grounded:
    """Verify and repair a generated answer: sentences kept with [n] renumbered in order of
    first use, their citations, and how many unsupported sentences were dropped."""
    parsed = parse_citations(answer, len(passages))
    kept: list[tuple[ParsedSentence, list[int], float]] = []
    dropped = 0
    seen: set[str] = set()
    for sentence in parsed:
        key = " ".join(sorted(content_words(sentence.text)))
        if key and key in seen:  # small models loop: a repeated sentence is shown once
            continue
        seen.add(key)
        scores = _scores(sentence.text, passages, similarity, question)
        cited_ok = [n for n in sentence.cited if scores[n - 1] >= SUPPORT_THRESHOLD]
        if not cited_ok:
            best = max(range(len(passages)), key=lambda i: scores[i]) if passages else None
            if best is not None and scores[best] >= SUPPORT_THRESHOLD:
                cited_ok = [best + 1]  # repaired: the passage that does support it
        if cited_ok:
            kept.append((sentence, cited_ok, max(scores[n - 1] for n in cited_ok)))
        elif _is_meta(sentence.text):
            kept.append((sentence, [], 0.0))
        else:
            dropped += 1
    order: dict[int, int] = {}
    for _, cited, _ in kept:
        for n in cited:
            order.setdefault(n, len(order) + 1)
    sentences = [
        Sentence(text=s.text, citations=[order[n] for n in cited], supported=bool(cited), support=round(score, 3))
        for s, cited, score in kept
    ]
    citations = []
    for original, new in order.items():
        passage = passages[original - 1]
        cited_text = " ".join(s.text for s in sentences if new in s.citations)
        citations.append(Citation.of(new, passage, best_quote(cited_text, passage.chunk.text)[0]))
    text = " ".join(s.text + markers.write(s.citations) for s in sentences)
    return Grounded(text, sentences, citations, dropped)


def _scores(sentence: str, passages: list[Passage], similarity: Similarity, question: str = "") -> list[float]:
    if not passages:
        return []
    embedding = similarity(sentence, passages)
    return [passage_support(sentence, p.chunk.text, e, question) for p, e in zip(passages, embedding)]


def passage_support(sentence: str, passage_text: str, embedding: float, question: str = "") -> float:
    """How well one passage supports one answer sentence, in [0, 1]. Checked against the
    text the model saw (an injected sentence, or its payload, supports nothing); a figure
    the passage does not contain, or a sentence that only restates the question, is not
    supported, however many words it shares with the passage."""
    passage_text = neutralise(passage_text)
    if not figures(sentence) <= figures(passage_text):
        return 0.0
    new_words = content_words(sentence) - content_words(question)
    if question and not new_words:
        return 0.0
    return support_score(lexical_support(sentence, passage_text), embedding, is_english(sentence))


def figures(text: str) -> set[str]:
    """Numbers as written (years, amounts, counts), spaces and dots inside them removed."""
    return {re.sub(r"[\s.\u202f\u00a0]", "", m).replace(",", ".") for m in _FIGURE.findall(text)}


_FIGURE = re.compile(r"\d+(?:[ .\u202f\u00a0]\d{3}(?!\d))*(?:,\d+)?")


_META = re.compile(
    r"ne (?:contiennent|contient|mentionnent|précisent|permettent) pas|pas (?:d'|de )?(?:information|réponse)|"
    r"je ne sais pas|aucun (?:passage|élément)|do(?:es)? not (?:contain|mention)|no information",
    re.I,
)


def _is_meta(sentence: str) -> bool:
    return bool(_META.search(sentence))
