"""Grounding in code: every sentence shown to a user carries a citation whose verdict is
"supports" (assistant/verify.py), or it is not shown.

For each sentence of a generated answer:
1. a citation marker is parsed (markers.py); out-of-range numbers are dropped;
2. the sentence is judged against each passage it cites; citations that do not support it
   are removed;
3. with no supporting citation, the other passages shown to the model are judged: a
   passage that supports it takes the citation (re-cited only after that full verdict);
4. failing that, when its cited passage's aligned source sentence addresses the question,
   the sentence is replaced by that source sentence, quoted verbatim (`quoted`); else it is
   dropped;
5. supported sentences that do not address the question are dropped (padding); a
   "meta" sentence ("les passages ne précisent pas…") is kept uncited only if it carries
   no fact (no figure, no named entity), and a sentence that only restates the question
   is dropped.
Citations are renumbered in order of first use."""

from __future__ import annotations

import re

from . import markers
from .markers import parse_citations
from .meaning.entities import focal_entities
from .meaning.figures import extract_figures
from .meaning.polarity import negations
from .text import content_words
from .types import SUPPORTS, Citation, Grounded, Passage, Sentence, Verdict
from .verify import Verifier

_META = re.compile(
    r"ne (?:contiennent|contient|mentionnent|précisent|précise|permettent|donnent|donne) pas|pas (?:d'|de )?(?:information|réponse)|"
    r"je ne sais pas|aucun (?:passage|élément)|do(?:es)? not (?:contain|mention|say)|no information",
    re.I,
)


def is_meta(sentence: str) -> bool:
    """A sentence about the passages, not about the world."""
    return bool(_META.search(sentence))


def carries_facts(sentence: str) -> bool:
    return bool(extract_figures(sentence) or focal_entities(sentence))


def restates(sentence: str, question: str) -> bool:
    """Nothing the question did not already say."""
    return bool(question) and not (content_words(sentence) - content_words(question))


class _Kept:
    def __init__(self, text: str, cited: list[int], verdict: Verdict | None, quoted: bool = False):
        self.text, self.cited, self.verdict, self.quoted = text, cited, verdict, quoted


def ground(answer: str, passages: list[Passage], verifier: Verifier, question: str = "") -> Grounded:
    kept: list[_Kept] = []
    dropped = 0
    seen: set[str] = set()
    for sentence in parse_citations(answer, len(passages)):
        key = " ".join(sorted(content_words(sentence.text))) + (" ¬" if negations(sentence.text) else "")
        if key and key in seen:  # small models loop: a repeated sentence is shown once
            continue
        seen.add(key)
        if is_meta(sentence.text):
            if not carries_facts(sentence.text):
                kept.append(_Kept(sentence.text, [], None))
            else:
                dropped += 1
            continue
        if restates(sentence.text, question):
            dropped += 1
            continue
        result = _check(sentence.text, sentence.cited, passages, verifier, question)
        if result is None or (result.quoted and _already_said(result, kept)):
            dropped += 1
        else:
            kept.append(result)
    kept, padding = _without_padding(kept, question, verifier)
    return _renumbered(kept, passages, dropped, padding)


def _check(text: str, cited: list[int], passages: list[Passage], verifier: Verifier, question: str) -> _Kept | None:
    verdicts = {n: verifier.verdict(text, passages[n - 1], n - 1) for n in cited}
    supporting = [n for n in cited if verdicts[n].label == SUPPORTS]
    if supporting:
        return _Kept(text, supporting, verdicts[supporting[0]])
    for n in range(1, len(passages) + 1):
        if n in verdicts:
            continue
        verdict = verifier.verdict(text, passages[n - 1], n - 1)
        verdicts[n] = verdict
        if verdict.label == SUPPORTS:
            return _Kept(text, [n], verdict)  # re-cited after its own full verdict
    return _quote_instead(verdicts, cited, verifier, question)


def _quote_instead(verdicts: dict[int, Verdict], cited: list[int], verifier: Verifier, question: str) -> _Kept | None:
    """The source sentence the model was paraphrasing, verbatim, when it answers."""
    candidates = [n for n in cited if verdicts[n].alignment is not None] or [n for n, v in verdicts.items() if v.alignment is not None]
    if not candidates:
        return None
    best = max(candidates, key=lambda n: verdicts[n].alignment.score)
    alignment = verdicts[best].alignment
    if alignment.score < verifier.thresholds.align or not verifier.addresses(question, alignment.text):
        return None
    quoted = Verdict(SUPPORTS, ("quoted",), alignment, 1.0)
    return _Kept(f"« {alignment.text.strip()} »", [best], quoted, quoted=True)


def _already_said(quote: _Kept, kept: list[_Kept]) -> bool:
    """A quoted source sentence another kept sentence already rests on adds nothing."""
    span = quote.verdict.alignment
    return any(k.verdict and k.verdict.alignment and k.cited == quote.cited
               and k.verdict.alignment.start < span.end and span.start < k.verdict.alignment.end for k in kept)


def _without_padding(kept: list[_Kept], question: str, verifier: Verifier) -> tuple[list[_Kept], int]:
    """Supported sentences that do not address the question are padding."""
    if not question:
        return kept, 0
    useful = [k for k in kept if not k.cited or k.quoted or verifier.addresses(question, k.text, _heading(k))]
    return useful, len(kept) - len(useful)


def _heading(kept: _Kept) -> str:
    return kept.verdict.alignment.text if kept.verdict and kept.verdict.alignment else ""


def _renumbered(kept: list[_Kept], passages: list[Passage], dropped: int, off_topic: int) -> Grounded:
    order: dict[int, int] = {}
    for item in kept:
        for n in item.cited:
            order.setdefault(n, len(order) + 1)
    sentences = [
        Sentence(text=k.text, citations=[order[n] for n in k.cited], supported=bool(k.cited),
                 support=round(k.verdict.support, 3) if k.verdict else 0.0,
                 verdict=k.verdict.label if k.verdict else "", reasons=list(k.verdict.reasons) if k.verdict else [],
                 quoted=k.quoted)
        for k in kept
    ]
    citations = []
    for original, new in order.items():
        first = next(k for k in kept if original in k.cited)
        quote = first.verdict.alignment.text if first.verdict and first.verdict.alignment else ""
        citations.append(Citation.of(new, passages[original - 1], quote))
    text = " ".join(s.text + markers.write(s.citations) for s in sentences)
    return Grounded(text, sentences, citations, dropped, off_topic)
