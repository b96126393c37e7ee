"""End to end on the real corpus: the extractive backend always, the real local model
(slow, run in CI) on a few questions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.local_model import local_backend_installed

PROJECT = Path(__file__).resolve().parent.parent
IREPS = "ireps-bfc-dossier-documentaire-pair-aidance-2019.md"


def test_newcomer_question_gets_a_cited_french_answer(assistant):
    answer = assistant.ask("Qu'est-ce qu'un médiateur santé pair ?")
    assert not answer.abstained
    assert "membre du personnel" in answer.answer
    assert answer.citations and answer.citations[0].n == 1
    cited = answer.citations[0]
    assert cited.doc == IREPS and cited.title == "Dossier documentaire sur la pair-aidance"
    assert cited.section.endswith("MÉDIATEUR DE SANTÉ-PAIR") and cited.quote in cited.text
    assert all(s.citations for s in answer.sentences)
    assert set(answer.timings) >= {"retrieval", "first_token", "total"}


@pytest.mark.parametrize("question, expected", [
    ("c quoi la pair emulation", "transmission de l'expérience"),
    ("qu est ce que le savoir experientiel", "savoir expérientiel"),
    ("Combien de personnes a rassemble la journee du CRES PACA ?", "54 personnes"),
])
def test_typos_and_missing_accents_still_find_the_answer(assistant, question, expected):
    answer = assistant.ask(question)
    assert not answer.abstained and expected in answer.answer


def test_english_question_over_french_text(assistant):
    answer = assistant.ask("What is peer emulation (pair-émulation)?")
    assert not answer.abstained and answer.citations
    assert any("mulation" in c.text for c in answer.citations)
    assert answer.answer.startswith("The documents say, in French: «")  # French quotes, introduced in English


@pytest.mark.parametrize("question", [
    "Quelle est la capitale de l'Australie ?",
    "Comment soigner une entorse de la cheville ?",
    "Who won the 2018 football world cup?",
])
def test_off_corpus_questions_are_abstained(assistant, question):
    answer = assistant.ask(question)
    assert answer.abstained and not answer.citations and answer.passages


def test_sources_supports_a_true_claim_and_not_an_invented_one(assistant):
    true = assistant.sources("La pair-émulation est la transmission de l'expérience par les personnes handicapées autonomes.")
    assert true.supported
    best = true.matches[0]
    assert best.verdict.label == "supports" and best.quote in best.passage.chunk.text
    span = best.verdict.alignment
    assert best.passage.chunk.text[span.start:span.end] == best.quote
    invented = assistant.sources("Les médiateurs de santé pairs doivent obligatoirement détenir un diplôme d'infirmier.")
    assert not invented.supported


def _cli(*args: str, settings) -> subprocess.CompletedProcess:
    env = dict(os.environ, PAIRS_DATA_DIR=str(settings.data_dir), PAIRS_CORPUS_DIR=str(settings.corpus_dir),
               PAIRS_CACHE_DIR=str(settings.cache_path), PAIRS_BACKEND="extractive")
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300)


def test_cli_ask_and_sources_json_shapes(corpus_runtime):
    corpus_settings = corpus_runtime.settings
    out = _cli("ask", "Qu'est-ce que le savoir expérientiel ?", "--json", settings=corpus_settings)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"answer", "abstained", "citations", "backend", "timings"} <= set(data)
    assert data["abstained"] is False and data["backend"] == "extractive"
    assert {"n", "doc", "title", "section", "page", "text", "chunk_id"} <= set(data["citations"][0])
    assert {"retrieval", "first_token", "total"} <= set(data["timings"])
    out = _cli("sources", "Le savoir expérientiel naît du vécu.", "--json", settings=corpus_settings)
    data = json.loads(out.stdout)
    assert isinstance(data["supported"], bool) and data["passages"][0]["verdict"] in {"supports", "contradicts", "related", "none"}
    assert data["verdict"] in {"supports", "contradicts", "none"} and {"label", "reasons", "alignment"} <= set(data["passages"][0])
    assert "quote" in data["passages"][0] and "reference" in data["passages"][0]
    empty = _cli("ask", "   ", settings=corpus_settings)
    assert empty.returncode == 2 and "vide" in empty.stderr and "Traceback" not in empty.stderr


needs_local = pytest.mark.skipif(not local_backend_installed(), reason="the local extra is not installed")


@pytest.fixture(scope="module")
def local_assistant(corpus_runtime):
    # no wall-clock budget: this checks what the model answers, not how fast (benchmarks do)
    return Assistant(corpus_runtime.sibling(answer_seconds=0), backend="local")


@pytest.mark.slow
@needs_local
def test_real_local_model_answers_in_french_with_valid_citations(local_assistant):
    answer = local_assistant.ask("Qu'est-ce qu'un médiateur santé pair ?")
    assert answer.backend.startswith("local") and not answer.abstained
    retrieved = {p.chunk.chunk_id for p in answer.passages}
    assert answer.citations and all(c.chunk_id in retrieved for c in answer.citations)
    assert all(s.supported for s in answer.sentences if s.citations)
    assert any(w in answer.answer.lower() for w in ("personnel", "trouble", "usager", "rétablissement", "pair"))
    assert answer.timings["first_token"] < answer.timings["total"]


@pytest.mark.slow
@needs_local
def test_real_local_model_streams_and_off_corpus_abstains_before_generation(local_assistant):
    events = list(local_assistant.stream("Combien de personnes a rassemblé la journée Partenariat Patient du CRES PACA ?"))
    tokens, final = events[:-1], events[-1]
    assert len(tokens) > 3 and "54" in final.answer and final.citations
    off = local_assistant.ask("Quelle est la recette de la tarte tatin ?")
    assert off.abstained and off.timings["total"] < 5
