"""The answering pipeline as named steps, each a function with typed input and output:

    condense -> retrieve -> gate -> select -> generate -> verify -> [translate] -> render

(translate: an English question's French answer, sentence by sentence, see translation.py)

`Assistant.stream` (chain.py) runs them in that order, verifying each sentence as soon as
the model has written it; a test can run any of them alone."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import replace

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser

from ingest import Settings

from . import markers
from .bilingual import question_words
from .calibration import Calibration
from .context import Context, asks_several, context_budget, select as select_sentences, whole_passages
from .extractive import extract_answer
from .grounding import ground
from .markers import ParsedSentence
from .questions import Need, absent, asked, asked_relation, provides, relevant_sentences, states
from .prompts import ANSWER_PROMPT, CONDENSE_PROMPT, INSTRUCTIONS, LEGACY_ANSWER_PROMPT, SYSTEM_PROMPTS, history_text
from .retrieval import HybridRetriever, relevance
from .text import is_english, language, language_evidence, tokens, without_addresses, written_out
from .translation import Translation, check, stream_translations
from .types import Answer, Gate, Grounded, Passage, Sentence
from .verify import Vectors, Verifier, idf_weights

log = logging.getLogger(__name__)

ABSTAIN_FR = "Je ne sais pas : le corpus ne contient pas de passage qui réponde à cette question. Voici les passages les plus proches, au cas où."
ABSTAIN_EN = "I don't know: the corpus has no passage that answers this question. Here are the closest passages, just in case."
CLOSEST = 3


def language_of(question: str, history: list[dict] | None = None) -> str:
    """The language to answer in: the question's; a follow-up that does not tell ("2020 ?",
    "CRES PACA ?") keeps the language of the conversation's last question."""
    english, french = language_evidence(question)
    if english != french:
        return "en" if english > french else "fr"
    previous = next((str(t.get("content", "")) for t in reversed(history or []) if t.get("role") == "user"), "")
    return language(previous) if previous else "fr"


def condense(question: str, history: list[dict] | None, retriever: HybridRetriever, model: BaseChatModel | None) -> str:
    """A standalone question, only when there is history: kept as typed when it retrieves
    well alone (often a topic change), else rewritten by the model, else suffixed with the
    previous question."""
    question = written_out(question)
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
    """The passages an answer reads. A question asking who did something ("qui a organisé")
    reads one passage stating that relation when the first ones do not (`with_relation`)."""
    k = k or retriever.k
    relation = asked_relation(standalone)
    if relation is None:
        return retriever.search(standalone, k)
    return with_relation(retriever.search(standalone, RELATION_REACH * k), relation, k)


RELATION_REACH = 2  # how much further than the k first passages a stated relation is looked for


def with_relation(passages: list[Passage], relation: re.Pattern[str], k: int) -> list[Passage]:
    """The k first passages; when none of them states the relation, the first that does
    takes the last place ("Organisée par le CRES PACA" ranked 6th, behind passages naming
    the day but not who organised it)."""
    first = passages[:k]
    if any(_states(relation, p) for p in first):
        return first
    stating = next((p for p in passages[k:] if _states(relation, p)), None)
    return first if stating is None else first[:-1] + [stating]


def _states(relation: re.Pattern[str], passage: Passage) -> bool:
    return states(relation, f"{_about(passage)} {passage.chunk.text}")


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
    sentences = relevant_sentences(standalone, [(p.chunk.text, _about(p)) for p in read]) if needs else []
    if needs and not _gives(needs, sentences, standalone):
        return Gate(False, score, f"aucun passage ne donne {NEEDS[needs[0].kind]}")
    return Gate(True, score)


NEEDS = {"figure": "le chiffre demandé", "date": "la date demandée", "person": "la personne ou l'organisation demandée",
         "place": "le lieu demandé"}


def context_chars(settings: Settings, model: BaseChatModel, question: str, lang: str, elapsed: float) -> int:
    """The excerpt budget of this answer: settings.context_chars, less on a model that reads its
    prompt too slowly to start writing within settings.first_token_seconds (context.py), unless
    the answer takes several facts."""
    if asks_several(question):
        return settings.context_chars
    rate = float(getattr(model, "prompt_rate", 0.0) or 0.0)
    return context_budget(settings.context_chars, settings.min_context_chars, rate,
                          settings.first_token_seconds - elapsed, question + INSTRUCTIONS[lang])


def select(question: str, passages: list[Passage], retriever: HybridRetriever, budget: int, lang: str = "fr",
           whole: int = 0) -> Context:
    """What the model reads: the sentences of the passages that align with the question
    (context.py), or with `whole` > 0 the former context (whole passages cut at `whole`
    characters)."""
    if whole:
        return whole_passages(passages, whole)
    lexical = retriever.runtime.lexical_index()
    wanted = lexical.correct(question_words(question, lang == "en"))
    return select_sentences(question, passages, idf_weights(lexical.idf, len(lexical.chunks)), budget, lang == "en", wanted)


def generate(model: BaseChatModel | None, question: str, passages: list[Passage], context: Context | int | None = None,
             lang: str = "fr") -> Iterator[str]:
    """The raw answer, streamed: the chat model's tokens, or at once the extractive answer.
    `context` is what the model reads (`select`); a number means whole passages cut there.
    `lang`: a key of prompts.INSTRUCTIONS ("fr-for-en": in French, for an English question)."""
    if model is None:
        yield extract_answer(question, passages)
        return
    if not isinstance(context, Context):
        context = whole_passages(passages, context or 900)
    if context.mode == "passages":
        chain, values = LEGACY_ANSWER_PROMPT | model, {"context": context.text, "question": question}
    else:
        values = {"system": SYSTEM_PROMPTS[lang], "context": context.text, "question": question, "instruction": INSTRUCTIONS[lang]}
        chain = ANSWER_PROMPT | model
    # No output parser in the chain: closing a stream through one reads the model to its end,
    # and an answer cut by its budget must stop the model at once.
    for chunk in chain.stream(values):
        text = str(chunk.text)
        if text:
            yield text


def verify(raw: str, passages: list[Passage], verifier: Verifier, question: str) -> Grounded:
    """Keep what the passages support (cited, re-cited after a verdict, quoted or dropped):
    see grounding.py."""
    return ground(raw, passages, verifier, question)


RETRIES = 2  # refused or missing translations asked again, one sentence at a time, per answer


def translate(model: BaseChatModel, sentences: list[Sentence], vectors: Vectors | None, min_cosine: float,
              deadline: float) -> Iterator[Sentence]:
    """The sentences of a French answer to an English question, in order, each as its English
    translation when that says what the verified French says (translation.py), else as the
    French quoted. Beside sentences of the model's own, a passage already quoted stays a
    French quote, untranslated (`to_translate`). A refused (or missing) translation is asked
    again once, alone: in a batch the small model sometimes leaves a line in French or drops
    a name. Past `deadline` (perf_counter seconds), or if the model fails, the sentences not
    yet translated stay French quotes."""
    originals = [s.text.strip("«» ") if s.quoted else s.text for s in sentences]
    french = [without_addresses(text) for text in originals]  # an address is not translated: the model mangles it
    wanted = to_translate(sentences)
    results: dict[int, Translation] = {}
    shown = 0
    if time.perf_counter() > deadline:  # the answer's budget is spent: no new call to the model
        yield from (_in_french(s) for s in sentences)
        return

    def as_shown(index: int) -> Sentence:
        result = results.get(index)
        return _translated(sentences[index], result, originals[index]) if result else _in_french(sentences[index])

    def ready() -> Iterator[Sentence]:
        """The next sentences in order: translated, or quotes kept in French; a refused
        translation waits for its second try."""
        nonlocal shown
        while shown < len(sentences) and (shown not in wanted or (shown in results and results[shown].faithful)):
            yield as_shown(shown)
            shown += 1

    yield from ready()
    lines = stream_translations(model, [french[i] for i in wanted], deadline)  # stops itself at the deadline
    try:
        for line, english in lines:
            index = wanted[line]
            results[index] = check(french[index], english, vectors, min_cosine)
            yield from ready()
    except Exception as exc:  # a failing translator leaves the French quotes
        log.warning("translation failed: %s", type(exc).__name__)
    finally:
        lines.close()
    again = [i for i in range(shown, len(sentences)) if i in wanted and not (i in results and results[i].faithful)][:RETRIES]
    for index in again:
        if time.perf_counter() > deadline:
            break
        results[index] = _alone(model, french[index], vectors, min_cosine, deadline) or results.get(index)
    yield from (as_shown(index) for index in range(shown, len(sentences)))


def to_translate(sentences: list[Sentence]) -> list[int]:
    """Which sentences of a French answer are translated: the model's own. A passage quoted
    beside them stays in French, marked as a quote: its translation would cost seconds (a
    passage's sentence is long) for words the quote already gives exactly. An answer made
    only of quotes is translated, else it would hold no English at all."""
    own = [i for i, sentence in enumerate(sentences) if not sentence.quoted]
    return own or list(range(len(sentences)))


def _alone(model: BaseChatModel, french: str, vectors: Vectors | None, min_cosine: float,
           deadline: float) -> Translation | None:
    try:
        english = dict(stream_translations(model, [french], deadline)).get(0, "")
    except Exception as exc:
        log.warning("translation failed: %s", type(exc).__name__)
        return None
    return check(french, english, vectors, min_cosine) if english else None


def _translated(sentence: Sentence, result: Translation, original: str) -> Sentence:
    """The translation, or (refused) the passage's own words the French rests on, quoted."""
    if result.faithful:
        return replace(sentence, text=result.english, original=original, quoted=False)
    log.info("translation refused %s: %s", result.findings, result.english[:80])
    return _in_french(sentence)


def _in_french(sentence: Sentence) -> Sentence:
    if sentence.quoted or not sentence.source:
        return as_quote(sentence)
    return as_quote(replace(sentence, text=sentence.source.strip()))


QUOTES_LEAD_EN = "The documents say, in French:"
EXTRACTIVE_EN = ("The documents are in French: this answer quotes their sentences as they are, "
                 "« between quotation marks », each with its source.")
CUT = {  # (why generation ended early, whether the extractive answer replaced it) -> notice
    "fr": {
        ("failed", True): "Le générateur ({backend}) est injoignable ou trop lent : réponse extractive à la place.",
        ("failed", False): "Le générateur ({backend}) s'est interrompu : seules les phrases déjà vérifiées sont affichées.",
        ("budget", True): "Le modèle n'a écrit aucune phrase vérifiée en {seconds:g} s : réponse extractive à la place.",
        ("budget", False): "Réponse arrêtée après {seconds:g} s : seules les phrases déjà vérifiées sont affichées.",
        ("tokens", True): "Le modèle n'a écrit aucune phrase vérifiée avant sa longueur maximale : réponse extractive à la place.",
        ("tokens", False): "Réponse arrêtée à sa longueur maximale : seules les phrases complètes et vérifiées sont affichées.",
        ("loop", True): "Le modèle se répétait sans phrase vérifiée : réponse extractive à la place.",
        ("loop", False): "Le modèle se répétait : sa réponse a été arrêtée ; les phrases déjà vérifiées sont affichées.",
        ("unverified", True): "Aucune phrase du modèle n'est confirmée par les passages : réponse extractive à la place.",
    },
    "en": {
        ("failed", True): "The generator ({backend}) is unreachable or too slow: extractive answer instead.",
        ("failed", False): "The generator ({backend}) stopped: only the sentences already verified are shown.",
        ("budget", True): "The model wrote no verified sentence in {seconds:g} s: extractive answer instead.",
        ("budget", False): "Answer stopped after {seconds:g} s: only the sentences already verified are shown.",
        ("tokens", True): "The model wrote no verified sentence before its maximum length: extractive answer instead.",
        ("tokens", False): "Answer stopped at its maximum length: only complete, verified sentences are shown.",
        ("loop", True): "The model was repeating itself with no verified sentence: extractive answer instead.",
        ("loop", False): "The model was repeating itself: its answer was stopped; the sentences already verified are shown.",
        ("unverified", True): "None of the model's sentences is confirmed by the passages: extractive answer instead.",
    },
}


def cut_notice(reason: str, fallback: bool, lang: str, seconds: float, backend: str) -> str:
    return CUT[lang][(reason, fallback)].format(seconds=seconds, backend=backend)


def render(question: str, standalone: str, grounded: Grounded, passages: list[Passage], backend: str,
           timings: dict[str, float], notice: str = "", lang: str = "fr") -> Answer:
    """The answer shown to the user; with nothing supported, or nothing that gives what the
    question asks (see `unanswered`), an honest « je ne sais pas ». An English question
    answered by the extractive backend gets French sentences quoted as quotes, and a notice
    saying so in English."""
    if not grounded.citations:
        return abstention(question, standalone, passages, backend, timings, notice, lang)
    missing = unanswered(standalone, grounded)
    if missing:
        why = UNANSWERED[lang].format(missing=NEEDS_SAID[lang].get(missing, missing))
        return abstention(question, standalone, passages, backend, timings, notice or why, lang)
    sentences, text = grounded.sentences, grounded.text
    if lang == "en":  # French words in an English answer are the source's: shown as a quote
        sentences = [as_quote(s) if s.citations and not s.original and (backend == "extractive" or language(s.text) == "fr")
                     else s for s in sentences]
        text = " ".join(s.text + markers.write(s.citations) for s in sentences)
    if lang == "en" and backend == "extractive":
        notice = notice or EXTRACTIVE_EN
    if lang == "en" and all(s.quoted for s in sentences if s.citations):
        text = f"{QUOTES_LEAD_EN} {text}"  # says no fact: only that what follows is quoted
    removed = [f"{grounded.dropped} phrase(s) non étayée(s) par les passages"] if grounded.dropped else []
    removed += [f"{grounded.off_topic} phrase(s) hors de la question"] if grounded.off_topic else []
    quoted = sum(s.quoted for s in grounded.sentences)
    if removed or quoted or any(s.original for s in grounded.sentences):
        details = ([f"{' et '.join(removed)} retirée(s)"] if removed else []) + (
            [f"{quoted} phrase(s) remplacée(s) par la phrase du document, citée telle quelle"] if quoted else [])
        if lang == "en":
            details = ([f"{grounded.dropped} sentence(s) not supported by the passages removed"] if grounded.dropped else [])
            details += [f"{grounded.off_topic} sentence(s) off the question removed"] if grounded.off_topic else []
            details += [f"{quoted} sentence(s) replaced by the document's own sentence, quoted in French"] if quoted else []
            translated = sum(bool(s.original) for s in grounded.sentences)
            details += [f"{translated} sentence(s) translated from the French checked against the passages"] if translated else []
        notice = notice or _sentence_case("; ".join(details) + ".")
    return Answer(question=question, answer=text, abstained=False, citations=grounded.citations, backend=backend,
                  timings=timings, sentences=sentences, passages=passages, notice=notice, standalone_question=standalone,
                  language=lang)


UNANSWERED = {"fr": "Les phrases vérifiées des passages ne donnent pas {missing}.",
              "en": "The verified sentences of the passages do not give {missing}."}
NEEDS_SAID = {"fr": NEEDS, "en": {"figure": "the figure asked for", "date": "the date asked for",
                                  "person": "the person or organisation asked for", "place": "the place asked for"}}


def unanswered(standalone: str, grounded: Grounded) -> str:
    """The kind of answer the question asks for (a figure, a date, a person, a place) when no
    shown sentence gives it, else "". The gate checked the passages before generation; this
    checks the answer itself, after `needed_sentences` had their chance."""
    needs = asked(standalone)
    shown = [s.original or s.text for s in grounded.sentences if s.citations]
    return needs[0].kind if needs and not _gives(needs, shown, standalone) else ""


def _gives(needs: list[Need], texts: list[str], standalone: str) -> bool:
    return any(provides(need, text, standalone) for need in needs for text in texts)


NEEDED_TRIES = 3  # passage sentences tried, in order, to give what an answer left out


def needed_sentences(standalone: str, shown: list[str], passages: list[Passage]) -> Iterator[ParsedSentence]:
    """Passage sentences that give what the question asks (a figure, a date, a person, a
    place) when the verified sentences do not, best first: the first one that passes
    verification is shown like any other, citing its passage. Nothing when nothing is
    missing."""
    needs = asked(standalone)
    if not needs or _gives(needs, shown, standalone):
        return
    read = passages[:GATE_PASSAGES]
    giving = [s for s in relevant_sentences(standalone, [(p.chunk.text, _about(p)) for p in read]) if _gives(needs, [s], standalone)]
    for sentence in giving[:NEEDED_TRIES]:
        number = next(n for n, p in enumerate(read, start=1) if sentence in p.chunk.text)
        yield ParsedSentence(text=sentence, cited=[number], asked=True)


def _about(passage: Passage) -> str:
    return f"{passage.chunk.title} {passage.chunk.organisation} {passage.chunk.section}"


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def as_quote(sentence: Sentence) -> Sentence:
    """A passage's sentence shown as a quote: « between French quotation marks »."""
    text = sentence.text if sentence.text.startswith("«") else f"« {sentence.text} »"
    return replace(sentence, text=text, quoted=True)


def abstention(question: str, standalone: str, passages: list[Passage], backend: str, timings: dict[str, float],
               notice: str = "", lang: str | None = None) -> Answer:
    lang = lang or language(question)
    message = ABSTAIN_EN if lang == "en" else ABSTAIN_FR
    return Answer(question=question, answer=message, abstained=True, citations=[], backend=backend, timings=timings,
                  passages=passages[:CLOSEST], notice=notice, standalone_question=standalone, language=lang)
