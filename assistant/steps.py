"""The answering pipeline as named steps, each a function with typed input and output:

    condense -> retrieve -> gate -> generate -> verify -> render

`Assistant.stream` (chain.py) runs them in that order; a test can run any of them alone."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser

from .calibration import Calibration
from .extractive import extract_answer
from .grounding import ground
from .questions import absent, asked, provides, relevant_sentences
from .prompts import ANSWER_PROMPT, CONDENSE_PROMPT, format_context, history_text
from .retrieval import HybridRetriever, relevance
from .text import is_english, tokens
from .types import Answer, Gate, Grounded, Passage
from .verify import Verifier

log = logging.getLogger(__name__)

ABSTAIN_FR = "Je ne sais pas : le corpus ne contient pas de passage qui réponde à cette question. Voici les passages les plus proches, au cas où."
ABSTAIN_EN = "I don't know: the corpus has no passage that answers this question. Here are the closest passages, just in case."
CLOSEST = 3


def condense(question: str, history: list[dict] | None, retriever: HybridRetriever, model: BaseChatModel | None) -> str:
    """A standalone question, only when there is history: kept as typed when it retrieves
    well alone (often a topic change), else rewritten by the model, else suffixed with the
    previous question."""
    history = [t for t in (history or []) if str(t.get("content", "")).strip()]
    if not history:
        return question
    previous = next((str(t["content"]) for t in reversed(history) if t.get("role") == "user"), "")
    calibration = retriever.runtime.calibration
    if relevance(retriever.search(question, 3), calibration=calibration) >= calibration.self_contained and len(set(tokens(question))) >= 2:
        return question
    if model is not None:
        try:
            condensed = (CONDENSE_PROMPT | model | StrOutputParser()).invoke({"history": history_text(history), "question": question})
            condensed = condensed.strip().strip('"«» ').splitlines()[0] if condensed.strip() else ""
            if 5 <= len(condensed) <= 400:
                return condensed
        except Exception as exc:  # a failing generator must not lose the question
            log.warning("condense failed: %s", type(exc).__name__)
    return f"{question} ({previous[:300]})" if previous else question


def retrieve(standalone: str, retriever: HybridRetriever, k: int | None = None) -> list[Passage]:
    return retriever.search(standalone, k)


GATE_PASSAGES = 5  # the passages the gate reads for entities and answers


def gate(standalone: str, passages: list[Passage], min_relevance: float, calibration: Calibration) -> Gate:
    """Abstain before any generation when the passages are unlikely to answer: too far
    from the question, silent on one of its named entities or years, or not giving the
    kind of answer it asks for (a figure, a date, a person, a place)."""
    score = relevance(passages, is_english(standalone), calibration)
    if score < min_relevance:
        return Gate(False, score, f"pertinence {score:.2f} < seuil {min_relevance:.2f}")
    read = passages[:GATE_PASSAGES]
    context = " ".join(f"{p.chunk.title} {p.chunk.organisation} {p.chunk.section} {p.chunk.text}" for p in read)
    missing = absent(standalone, context)
    if missing:
        return Gate(False, score, f"absent des passages : {', '.join(missing)}")
    needs = asked(standalone)
    sentences = relevant_sentences(standalone, [(p.chunk.text, f"{p.chunk.title} {p.chunk.organisation} {p.chunk.section}")
                                                 for p in read]) if needs else []
    if needs and not any(provides(need, s) for need in needs for s in sentences):
        return Gate(False, score, f"aucun passage ne donne {NEEDS[needs[0].kind]}")
    return Gate(True, score)


NEEDS = {"figure": "le chiffre demandé", "date": "la date demandée", "person": "la personne ou l'organisation demandée",
         "place": "le lieu demandé"}


def generate(model: BaseChatModel | None, question: str, passages: list[Passage], passage_chars: int) -> Iterator[str]:
    """The raw answer, streamed: the chat model's tokens, or at once the extractive answer."""
    if model is None:
        yield extract_answer(question, passages)
        return
    chain = ANSWER_PROMPT | model | StrOutputParser()
    yield from chain.stream({"context": format_context(passages, passage_chars), "question": question})


def verify(raw: str, passages: list[Passage], verifier: Verifier, question: str) -> Grounded:
    """Keep what the passages support (cited, re-cited after a verdict, quoted or dropped):
    see grounding.py."""
    return ground(raw, passages, verifier, question)


def render(question: str, standalone: str, grounded: Grounded, passages: list[Passage], backend: str,
           timings: dict[str, float], notice: str = "") -> Answer:
    """The answer shown to the user; with nothing supported, an honest « je ne sais pas »."""
    if not grounded.citations:
        return abstention(question, standalone, passages, backend, timings, notice)
    removed = [f"{grounded.dropped} phrase(s) non étayée(s) par les passages"] if grounded.dropped else []
    removed += [f"{grounded.off_topic} phrase(s) hors de la question"] if grounded.off_topic else []
    quoted = sum(s.quoted for s in grounded.sentences)
    if removed or quoted:
        details = ([f"{' et '.join(removed)} retirée(s)"] if removed else []) + (
            [f"{quoted} phrase(s) remplacée(s) par la phrase du document, citée telle quelle"] if quoted else [])
        notice = notice or ("; ".join(details) + ".").capitalize()
    return Answer(question=question, answer=grounded.text, abstained=False, citations=grounded.citations, backend=backend,
                  timings=timings, sentences=grounded.sentences, passages=passages, notice=notice, standalone_question=standalone)


def abstention(question: str, standalone: str, passages: list[Passage], backend: str, timings: dict[str, float],
               notice: str = "") -> Answer:
    message = ABSTAIN_EN if is_english(question) else ABSTAIN_FR
    return Answer(question=question, answer=message, abstained=True, citations=[], backend=backend, timings=timings,
                  passages=passages[:CLOSEST], notice=notice, standalone_question=standalone)
