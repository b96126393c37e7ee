"""The assistant: question -> cited answer, claim -> verdicts, query -> passages. It runs
the steps of steps.py over a runtime; the UI, the CLI and the evaluation all call this API."""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import replace

from . import markers, steps
from .backends import BackendUnavailableError, describe, is_local
from .entailment import JUDGE_SYSTEM
from .grounding import Grounder
from .prompts import CONDENSE_SYSTEM, SYSTEM_PROMPT, TRANSLATE_SYSTEM
from .retrieval import HybridRetriever
from .runtime import Runtime
from .streaming import Bounds, SentenceStream, runaway
from .types import (CONTRADICTS, PARTIAL, SUPPORTS, UNRELATED, Answer, Grounded, Passage, Retrieved, Sentence, SourceMatch,
                    SourcesResult, Verified)
from .verify import best_aligned, beyond_support, decide, may_support, overall

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
MATCH_ORDER = {SUPPORTS: 0, CONTRADICTS: 1, PARTIAL: 2, UNRELATED: 3}


class InvalidQuestionError(ValueError):
    """A question the assistant refuses to process; the message is for the user."""


def clean_question(question: str) -> str:
    question = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in question or "")
    question = re.sub(r"\s+", " ", question).strip()
    if not question:
        raise InvalidQuestionError("La question est vide : écrivez une question ou une affirmation à vérifier.")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidQuestionError(f"La question est trop longue ({len(question)} caractères, maximum {MAX_QUESTION_CHARS}) : résumez-la.")
    return question


class Assistant:
    """The one entry point: `ask`, `stream`, `sources`, `search`."""

    def __init__(self, runtime: Runtime, backend: str | None = None, retriever: HybridRetriever | None = None):
        self.runtime = runtime
        self.settings = runtime.settings
        self.retriever = retriever or HybridRetriever.of(runtime)
        self.backend = runtime.backend(backend)

    # -- retrieval ---------------------------------------------------------------------
    def search(self, query: str, k: int | None = None) -> list[Passage]:
        return self.retriever.search(clean_question(query), k)

    def similarity(self, sentence: str, passages: list[Passage]) -> list[float]:
        """Cosine similarity of a sentence to each passage (0 for a passage not indexed)."""
        found = self.retriever.similarities(sentence, [p.chunk.chunk_id for p in passages])
        return [found.get(p.chunk.chunk_id, 0.0) for p in passages]

    # -- answering ---------------------------------------------------------------------
    def ask(self, question: str, history: list[dict] | None = None, backend: str | None = None) -> Answer:
        answer = None
        for event in self.stream(question, history, backend):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None
        return answer

    def stream(self, question: str, history: list[dict] | None = None,
               backend: str | None = None) -> Iterator[str | Retrieved | Verified | Answer]:
        """Yields `Retrieved` once the passages are found (before any generation), the raw
        text tokens as they are generated, each `Verified` sentence as soon as it passed
        verification, then the final `Answer` (whose sentences are the verified ones)."""
        started = time.perf_counter()
        question = clean_question(question)
        backend = self.backend if backend is None else self.runtime.backend(backend)
        model, notice = self._model(backend)
        lang = steps.language_of(question, history)
        standalone = steps.condense(question, history, self.retriever, model)
        passages = steps.retrieve(standalone, self.retriever)
        gate = steps.gate(standalone, passages, self.runtime.min_relevance, self.runtime.calibration)
        timings = {"retrieval": time.perf_counter() - started}
        yield Retrieved(standalone, passages, gate)
        if not gate.answerable:
            timings["first_token"] = timings["first_sentence"] = timings["total"] = time.perf_counter() - started
            answer = steps.abstention(question, standalone, passages, backend, timings, lang=lang)
            answer.relevance, answer.gate_reason = gate.relevance, gate.reason
            yield answer
            return
        prompt_question = question if standalone == question else standalone
        # English with a generator: a French answer, verified, then translated sentence by sentence
        # (its French sentences are held, still verified, and shown only once translated or quoted)
        translate = model is not None and lang == "en" and self.settings.english_answers == "translate"
        prompt_lang = "fr-for-en" if translate else lang
        cited_from, context, budget = passages, None, 0
        if model is not None:
            cited_from, whole = self._passages_for(backend, passages)
            budget = 0 if whole else steps.context_chars(self.settings, model, prompt_question, prompt_lang,
                                                         time.perf_counter() - started)
            context = steps.select(prompt_question, cited_from, self.retriever, budget, lang, whole)
            timings["context"] = time.perf_counter() - started
        grounder = Grounder(cited_from, self.runtime.verifier(), standalone)
        sentences = SentenceStream(len(cited_from))
        bounds = Bounds(self.settings.llm_max_tokens if model is not None else 0, self.settings.answer_seconds, started)
        stopped, usage, failed = "", {}, False
        tokens = steps.generate(model, prompt_question if model is not None else standalone, cited_from, context, prompt_lang)
        try:
            while not stopped:
                try:
                    token = next(tokens)
                except StopIteration:
                    break
                except Exception as exc:
                    log.warning("generator %s failed: %s", backend, type(exc).__name__)
                    failed = True
                    break
                timings.setdefault("first_token", time.perf_counter() - started)
                yield token
                yield from self._shown(self._verified(sentences.feed(token), grounder, timings, started, model is None and lang == "en"), translate)
                stopped = bounds.count() or ("loop" if sentences.ended or sentences.repeated() or runaway(sentences.raw) else "")
        finally:
            tokens.close()  # releases the local model at once when the answer is cut
        timings["generated"] = time.perf_counter() - started
        timings["verify_during_generation"] = timings.get("verify", 0.0)
        if model is not None:
            usage = dict(getattr(model, "last_usage", {}) or {}, context_chars=budget)
        if not failed:
            yield from self._shown(self._verified(sentences.close(cut=bool(stopped)), grounder, timings, started,
                                                      model is None and lang == "en"), translate)
        reason = "failed" if failed else stopped
        # nothing shown, not even "je ne sais pas": the passages passed the gate, so they are quoted instead
        fallback = model is not None and not grounder.shown
        reason = reason or ("unverified" if fallback else "")
        if reason:
            notice = notice or steps.cut_notice(reason, fallback, lang, self.settings.answer_seconds, describe(self.settings, backend))
        translator = model  # the fallback below drops `model`; its quotes are translated too
        if fallback:  # nothing shown: the extractive answer, over every passage
            model, grounder, sentences = None, Grounder(passages, self.runtime.verifier(), standalone), SentenceStream(len(passages))
            raw = "\n\n" + next(steps.generate(None, standalone, passages))
            timings.setdefault("first_token", time.perf_counter() - started)
            yield raw
            yield from self._shown(self._verified(sentences.feed(raw) + sentences.close(), grounder, timings, started, lang == "en"), translate)
        # the answer leaves out the figure, date, person or place asked, which a passage gives
        for wanted in steps.needed_sentences(standalone, [kept.text for kept in grounder.shown], grounder.passages):
            added = list(self._verified([wanted], grounder, timings, started, model is None and lang == "en"))
            yield from self._shown(iter(added), translate)
            if added:
                break
        grounded = grounder.result()
        if translate and grounded.sentences:
            grounded = yield from self._translated(translator, grounded, timings, started)
        answer = steps.render(question, standalone, grounded, passages, backend if model is not None else "extractive",
                              timings, notice, lang)
        answer.timings["total"] = time.perf_counter() - started
        answer.relevance, answer.stopped, answer.usage = gate.relevance, stopped, usage
        yield answer

    @staticmethod
    def _shown(events: Iterator[Verified], hold: bool) -> Iterator[Verified]:
        """The verified sentences to stream now; held (still verified) when they await translation."""
        for event in events:
            if not hold:
                yield event

    def _translated(self, model, grounded: Grounded, timings: dict[str, float], started: float):
        """Yields each sentence of a French answer as shown to an English question (its checked
        translation, else the French quoted); returns the answer made of them."""
        checking = time.perf_counter()
        deadline = started + self.settings.answer_seconds if self.settings.answer_seconds > 0 else float("inf")
        thresholds = self.runtime.calibration.verify
        shown: list[Sentence] = []
        if "first_sentence" in timings:  # the French one, verified; what the user sees comes now
            timings["first_sentence_french"] = timings.pop("first_sentence")
        for sentence in steps.translate(model, grounded.sentences, self.runtime.statement_vectors,
                                        thresholds.translation_cosine, deadline):
            shown.append(sentence)
            elapsed = time.perf_counter() - started
            timings.setdefault("first_sentence", elapsed)
            yield Verified(sentence, sentence.text + markers.write(sentence.citations), grounded.citations, elapsed)
        timings["translate"] = time.perf_counter() - checking
        text = " ".join(s.text + markers.write(s.citations) for s in shown)
        return replace(grounded, sentences=shown, text=text)

    def _passages_for(self, backend: str, passages: list[Passage]) -> tuple[list[Passage], int]:
        """The passages the model may cite, and (former context only) the characters kept of each."""
        if self.settings.context == "passages":
            if is_local(backend):
                return passages[: self.settings.local_passages], self.settings.local_passage_chars
            return passages, self.settings.passage_chars
        return passages, 0

    def _verified(self, ready, grounder: Grounder, timings: dict[str, float], started: float,
                  quote: bool = False) -> Iterator[Verified]:
        """Verify the sentences that are complete; yield those shown. `quote`: French
        sentences of the extractive backend for an English question, shown as quotes."""
        for parsed in ready:
            checking = time.perf_counter()
            sentence = grounder.add(parsed)
            timings["verify"] = timings.get("verify", 0.0) + time.perf_counter() - checking
            if sentence is not None:
                elapsed = time.perf_counter() - started
                timings.setdefault("first_sentence", elapsed)
                sentence = steps.as_quote(sentence) if quote and sentence.citations else sentence
                yield Verified(sentence, sentence.text + markers.write(sentence.citations), grounder.citations(), elapsed)

    def warm_up(self, backend: str | None = None) -> dict[str, float]:
        """Load what the first question would otherwise wait for: the embedder, the index,
        its lexical side and the verifier, and the chat model with its fixed prompts already
        evaluated. Seconds per part."""
        seconds: dict[str, float] = {}
        started = time.perf_counter()
        passages = self.retriever.search("pair-aidance", 2)
        self.runtime.verifier().addresses("pair-aidance", passages[0].chunk.text[:200] if passages else "pair-aidance")
        seconds["index"] = time.perf_counter() - started
        model, _ = self._model(self.backend if backend is None else self.runtime.backend(backend))
        if model is not None and hasattr(model, "warm"):
            started = time.perf_counter()
            reader = self.runtime.claim_reader()  # claim lookups read with the same model
            model.warm([SYSTEM_PROMPT, CONDENSE_SYSTEM, TRANSLATE_SYSTEM] + ([JUDGE_SYSTEM] if reader is not None else []))
            seconds["model"] = time.perf_counter() - started
        return seconds

    def _model(self, backend: str):
        """(chat model or None for extractive, notice when the backend is unavailable)."""
        try:
            return self.runtime.chat_model(backend), ""
        except BackendUnavailableError as exc:
            return None, f"{exc} Réponse extractive à la place."

    # -- claims (trainer) --------------------------------------------------------------
    def sources(self, claim: str, k: int | None = None) -> SourcesResult:
        """What the corpus says of a claim: every passage examined with its verdict (supports,
        contradicts, partial, unrelated), its reasons and the aligned span; supporting and
        contradicting passages first."""
        started = time.perf_counter()
        claim = clean_question(claim)
        settings = self.runtime.settings
        passages = self.retriever.search(claim, k or settings.claim_passages)
        verifier = self.runtime.verifier()
        evidences = [verifier.evidence(claim, passage, index) for index, passage in enumerate(passages)]
        closest = best_aligned([e.alignment for e in evidences])
        matches = []
        for index, (passage, evidence) in enumerate(zip(passages, evidences)):
            allowed = may_support(index + 1, settings.claim_support_passages, index == closest)
            matches.append(SourceMatch(passage, beyond_support(decide(evidence, verifier.thresholds), index + 1, allowed), evidence, allowed))
        timings = {"rules": time.perf_counter() - started}
        reader = self.runtime.claim_reader()
        if reader is not None:
            matches = reader.settle(claim, matches)
            timings["read"] = time.perf_counter() - started - timings["rules"]
        matches.sort(key=lambda m: (MATCH_ORDER[m.verdict.label], -(m.verdict.alignment.score if m.verdict.alignment else 0.0)))
        verdict = overall([m.verdict for m in matches])
        return SourcesResult(claim, verdict, matches, {**timings, "total": time.perf_counter() - started})
