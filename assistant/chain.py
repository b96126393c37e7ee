"""The assistant: question -> cited answer, claim -> verdicts, query -> passages. It runs
the steps of steps.py over a runtime; the UI, the CLI and the evaluation all call this API."""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections.abc import Iterator

from . import steps
from .backends import BackendUnavailableError, describe, is_local
from .retrieval import HybridRetriever
from .runtime import Runtime
from .types import CONTRADICTS, PARTIAL, SUPPORTS, UNRELATED, Answer, Passage, Retrieved, SourceMatch, SourcesResult
from .verify import decide, overall

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

    def stream(self, question: str, history: list[dict] | None = None, backend: str | None = None) -> Iterator[str | Retrieved | Answer]:
        """Yields `Retrieved` once the passages are found, raw text tokens as they are
        generated, then the verified `Answer`."""
        started = time.perf_counter()
        question = clean_question(question)
        backend = self.backend if backend is None else self.runtime.backend(backend)
        model, notice = self._model(backend)
        standalone = steps.condense(question, history, self.retriever, model)
        passages = steps.retrieve(standalone, self.retriever)
        gate = steps.gate(standalone, passages, self.runtime.min_relevance, self.runtime.calibration)
        timings = {"retrieval": time.perf_counter() - started}
        yield Retrieved(standalone, passages, gate)
        if not gate.answerable:
            timings["first_token"] = timings["total"] = time.perf_counter() - started
            answer = steps.abstention(question, standalone, passages, backend, timings)
            answer.relevance, answer.gate_reason = gate.relevance, gate.reason
            yield answer
            return
        shown, chars = (self.settings.local_passages, self.settings.local_passage_chars) if is_local(backend) else (len(passages), self.settings.passage_chars)
        prompt_question = question if standalone == question else standalone
        raw = ""
        try:
            for token in steps.generate(model, prompt_question if model is not None else standalone, passages[:shown] if model else passages, chars):
                if not raw:
                    timings["first_token"] = time.perf_counter() - started
                raw += token
                yield token
        except Exception as exc:
            log.warning("generator %s failed: %s", backend, type(exc).__name__)
            notice = f"Le générateur ({describe(self.settings, backend)}) est injoignable ou trop lent : réponse extractive à la place."
            model, raw = None, next(steps.generate(None, standalone, passages, chars))
            timings.setdefault("first_token", time.perf_counter() - started)
            yield "\n\n" + raw
        cited_from = passages[:shown] if model is not None else passages
        grounded = steps.verify(raw, cited_from, self.runtime.verifier(), standalone)
        answer = steps.render(question, standalone, grounded, passages, "extractive" if notice else backend, timings, notice)
        answer.timings["total"] = time.perf_counter() - started
        answer.relevance = gate.relevance
        yield answer

    def _model(self, backend: str):
        """(chat model or None for extractive, notice when the backend is unavailable)."""
        try:
            return self.runtime.chat_model(backend), ""
        except BackendUnavailableError as exc:
            return None, f"{exc} Réponse extractive à la place."

    # -- claims (trainer) --------------------------------------------------------------
    def sources(self, claim: str, k: int = 8) -> SourcesResult:
        """What the corpus says of a claim: every passage examined with its verdict (supports,
        contradicts, partial, unrelated), its reasons and the aligned span; supporting and
        contradicting passages first."""
        started = time.perf_counter()
        claim = clean_question(claim)
        passages = self.retriever.search(claim, k)
        verifier = self.runtime.verifier()
        matches = []
        for index, passage in enumerate(passages):
            evidence = verifier.evidence(claim, passage, index)
            matches.append(SourceMatch(passage, decide(evidence, verifier.thresholds), evidence))
        matches.sort(key=lambda m: (MATCH_ORDER[m.verdict.label], -(m.verdict.alignment.score if m.verdict.alignment else 0.0)))
        verdict = overall([m.verdict for m in matches])
        return SourcesResult(claim, verdict, matches, {"total": time.perf_counter() - started})
