"""Grounding in code: every sentence shown to a user carries a citation whose verdict is
"supports" (assistant/verify.py), or it is not shown.

For each sentence of a generated answer:
1. a citation marker is parsed (markers.py); out-of-range numbers are dropped;
2. the sentence is judged against each passage it cites; citations that do not support it
   are removed. A supporting passage must also state every content word of the sentence
   (`verify.in_own_words`), unless the sentence is the source's or a shortened copy in its
   order: the model's own words are shown only when the source says each of them, and the
   source sentence, quoted, is always there to fall back on (the claim lookup has no such
   fallback and keeps the verifier's bar);
3. with no supporting citation, the other passages shown to the model are judged: a
   passage that supports it takes the citation (re-cited only after that full verdict);
4. failing that, when its cited passage's aligned source sentence addresses the question,
   the sentence is replaced by that source sentence, quoted verbatim (`quoted`); else it is
   dropped;
5. supported sentences that do not address the question are dropped (padding), unless
   they say the next sentence of a source paragraph a shown sentence already rests on (a
   definition's second sentence names no word of the question, yet answers it); a
   sentence resting on a paragraph about another country than the one asked about is
   dropped; a
   "meta" sentence ("les passages ne précisent pas…") is kept uncited only if it carries
   no fact (no figure, no named entity), and a sentence that only restates the question
   is dropped (not when the user typed a claim: restating it confirms it, once verified).
Citations are renumbered in order of first use.

`Grounder` does this one sentence at a time, so an answer can be shown sentence by sentence
as the model writes it; `ground` runs it over a whole answer. Both give the same result:
every decision depends only on the sentences before."""

from __future__ import annotations

import re
from dataclasses import replace

from . import markers
from .markers import ParsedSentence, parse_citations
from .meaning.entities import countries, focal_entities
from .meaning.figures import extract_figures
from .meaning.polarity import negations
from .questions import is_statement
from .text import content_words, fold
from .types import SUPPORTS, Alignment, Citation, Grounded, Passage, Sentence, Verdict
from .verify import Verifier, in_own_words, paragraph_before

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


_LABEL = re.compile(r"^\s*\((?P<label>[^()]{1,80}?)(?:\)\s*|\s*$)")
_LABEL_END = re.compile(r"^\s*(?P<label>[^()]{1,80}?)\)\s*")  # the label's end, when a full stop inside it split it


def without_label(sentence: str, headings: list[str]) -> str:
    """The sentence without the "(heading)" label the model copied from its context (each
    passage's excerpts come under one); "" when the sentence is nothing but (part of) one."""
    folded = [h for h in map(fold, headings) if h]
    match = _LABEL.match(sentence)
    if match:
        label = fold(match.group("label")).strip(" .…")
        if label and any(h.startswith(label) or label.startswith(h) for h in folded):
            return sentence[match.end():].strip()
    match = _LABEL_END.match(sentence)
    if match:
        label = fold(match.group("label")).strip(" .…")
        if len(label) > 3 and any(label in h for h in folded):
            return sentence[match.end():].strip()
    return sentence


class _Kept:
    def __init__(self, text: str, cited: list[int], verdict: Verdict | None, quoted: bool = False):
        self.text, self.cited, self.verdict, self.quoted = text, cited, verdict, quoted


def ground(answer: str, passages: list[Passage], verifier: Verifier, question: str = "") -> Grounded:
    grounder = Grounder(passages, verifier, question)
    for sentence in parse_citations(answer, len(passages)):
        grounder.add(sentence)
    return grounder.result()


class Grounder:
    """Verifies the sentences of an answer one by one, in order."""

    def __init__(self, passages: list[Passage], verifier: Verifier, question: str = ""):
        self.passages, self.verifier, self.question = passages, verifier, question
        self.kept: list[_Kept] = []  # what passed verification (padding included: a quote it rests on is said)
        self.shown: list[_Kept] = []
        self.dropped = self.padding = 0
        self.seen: set[str] = set()
        self.order: dict[int, int] = {}  # passage number -> citation number, in order of first use
        self.asked_countries = countries(question)

    def add(self, sentence: ParsedSentence) -> Sentence | None:
        """The sentence as shown (citations renumbered), or None when it is not shown."""
        text = without_label(sentence.text, [p.chunk.heading for p in self.passages])
        if not text:
            self.dropped += 1
            return None
        sentence = replace(sentence, text=text)
        key = " ".join(sorted(content_words(sentence.text))) + (" ¬" if negations(sentence.text) else "")
        if key and key in self.seen:  # small models loop: a repeated sentence is shown once
            return None
        self.seen.add(key)
        if is_meta(sentence.text):
            if carries_facts(sentence.text):
                self.dropped += 1
                return None
            return self._show(_Kept(sentence.text, [], None))
        if restates(sentence.text, self.question) and not is_statement(self.question):
            self.dropped += 1
            return None
        result = _check(sentence.text, sentence.cited, self.passages, self.verifier, self.question)
        if result is None or (result.quoted and _already_said(result, self.kept)):
            self.dropped += 1
            return None
        if self.asked_countries and not sentence.asked and result.cited and self._elsewhere(result):
            self.dropped += 1
            return None
        checked = self.question and result.cited and not result.quoted and not sentence.asked
        if checked and not self.verifier.addresses(self.question, result.text, _heading(result)) and not self._continues(result):
            self.kept.append(result)
            self.padding += 1  # supported, but not what was asked
            return None
        return self._show(result)

    def _elsewhere(self, item: _Kept) -> bool:
        chunk = self.passages[item.cited[0] - 1].chunk
        alignment = item.verdict.alignment if item.verdict else None
        return alignment is not None and of_another_country(self.asked_countries, chunk.text, alignment, chunk.heading)

    def _continues(self, item: _Kept) -> bool:
        alignment, passage = item.verdict.alignment if item.verdict else None, item.cited[0]
        if alignment is None:
            return False
        if _PRONOUN_SUBJECT.match(item.text) and not _PRONOUN_SUBJECT.match(alignment.text.lstrip(" -•\"«")):
            return False  # « Il est soutenu par… » for « Le projet est soutenu par… »: « il » is the answer's subject, not the source's
        text = self.passages[passage - 1].chunk.text
        return any(k.cited[:1] == [passage] and k.verdict and k.verdict.alignment and follows(k.verdict.alignment, alignment, text)
                   for k in self.shown)

    def _show(self, item: _Kept) -> Sentence:
        self.kept.append(item)
        self.shown.append(item)
        for n in item.cited:
            self.order.setdefault(n, len(self.order) + 1)
        return _sentence(item, self.order)

    def citations(self) -> list[Citation]:
        """The citations of the sentences shown so far, in their numbering."""
        citations = []
        for original, new in self.order.items():
            first = next(k for k in self.shown if original in k.cited)
            quote = first.verdict.alignment.text if first.verdict and first.verdict.alignment else ""
            citations.append(Citation.of(new, self.passages[original - 1], quote))
        return citations

    def result(self) -> Grounded:
        sentences = [_sentence(k, self.order) for k in self.shown]
        text = " ".join(s.text + markers.write(s.citations) for s in sentences)
        return Grounded(text, sentences, self.citations(), self.dropped, self.padding)


def _sentence(item: _Kept, order: dict[int, int]) -> Sentence:
    return Sentence(text=item.text, citations=[order[n] for n in item.cited], supported=bool(item.cited),
                    support=round(item.verdict.support, 3) if item.verdict else 0.0,
                    verdict=item.verdict.label if item.verdict else "", reasons=list(item.verdict.reasons) if item.verdict else [],
                    quoted=item.quoted, source=_heading(item))


_PRONOUN_SUBJECT = re.compile(r"(?i)(?:il|elle|ils|elles|it|they)\b")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
FOLLOW_GAP = 300  # characters between two spans: at most about one source sentence


def follows(before: Alignment, after: Alignment, passage_text: str) -> bool:
    """`after` comes later in the same paragraph of the passage as `before`, next to it or
    with about one sentence between."""
    if after.start <= before.start:
        return False
    between = passage_text[before.end : after.start] if after.start > before.end else ""
    return len(between.strip()) <= FOLLOW_GAP and not PARAGRAPH_BREAK.search(between)


def of_another_country(asked: set[str], passage_text: str, alignment: Alignment, heading: str = "") -> bool:
    """The question asks about a country (`asked`: `countries(question)`), and the paragraph
    the sentence rests on (with its section) names another one and not it: « il n'y a pas de
    statut officiel » read under « En Belgique francophone » does not answer a question on
    Germany."""
    if not asked:
        return False
    named = countries(f"{heading} {paragraph_before(passage_text, alignment)} {alignment.text}")
    return bool(named) and not asked & named


def _check(text: str, cited: list[int], passages: list[Passage], verifier: Verifier, question: str) -> _Kept | None:
    verdicts = {n: verifier.verdict(text, passages[n - 1], n - 1) for n in cited}
    supporting = [n for n in cited if in_own_words(text, passages[n - 1], verdicts[n])]
    if supporting:
        return _Kept(text, supporting, verdicts[supporting[0]])
    for n in range(1, len(passages) + 1):
        if n in verdicts:
            continue
        verdict = verifier.verdict(text, passages[n - 1], n - 1)
        verdicts[n] = verdict
        if in_own_words(text, passages[n - 1], verdict):
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


def _heading(kept: _Kept) -> str:
    return kept.verdict.alignment.text if kept.verdict and kept.verdict.alignment else ""
