"""The evaluation of the chat's sentences against what a reader says of them (evals/sentences.py)."""

from __future__ import annotations

import json

import pytest

from assistant.verify import Verifier, VerifyThresholds, Weights
from evals.dataset import EvalSetError
from evals.sentences import DEBIAN_SENTENCES_SET, SENTENCES_SET, load_answers, replay, score

LEXICAL = Verifier(Weights(), VerifyThresholds())
PASSAGE = ("Le médiateur de santé pair est salarié de l'établissement. Il a suivi une formation universitaire "
           "d'un an avant sa prise de poste.")
OTHER = "Les groupes d'entraide mutuelle sont des associations d'usagers."


def _answer(sentences, split="test"):
    passages = [{"doc": "a.md", "start": 0, "end": len(PASSAGE), "text": PASSAGE, "title": "Dossier"},
                {"doc": "b.md", "start": 0, "end": len(OTHER), "text": OTHER, "title": "Guide"}]
    return {"id": "q1", "split": split, "question": "Qui est le médiateur de santé pair ?", "passages": passages,
            "sentences": sentences}


def _write(tmp_path, *answers):
    path = tmp_path / "sentences.jsonl"
    path.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in answers), encoding="utf-8")
    return path


def test_a_sentence_the_passage_says_is_shown_and_one_it_contradicts_is_not(tmp_path):
    said = {"text": "Le médiateur de santé pair est salarié de l'établissement.", "cited": [1], "label_passages": [1], "label": "said"}
    negated = {"text": "Le médiateur de santé pair n'a suivi aucune formation universitaire avant sa prise de poste.",
               "cited": [1], "label_passages": [1], "label": "not_said", "type": "negation"}
    [answer] = load_answers(_write(tmp_path, _answer([said, negated])))
    outcomes = replay(answer, LEXICAL)
    assert [o.shown for o in outcomes] == [True, False]
    scores = score(outcomes)
    assert scores.breach == 0.0 and scores.said_kept == 1.0 and scores.labelled_not_said == 0.5
    assert scores.by_type == {"negation": {"n": 1, "shown": 0}}


def test_a_breach_is_counted_only_against_the_passage_that_was_read(tmp_path):
    # the checker shows the sentence (it is the passage's words): labelled not_said, it is a breach
    wrong = {"text": "Le médiateur de santé pair est salarié de l'établissement.", "cited": [1], "label_passages": [1],
             "label": "not_said", "type": "subject_shift"}
    elsewhere = dict(wrong, label_passages=[2])
    scores = score(replay(load_answers(_write(tmp_path, _answer([wrong])))[0], LEXICAL))
    assert scores.breach == 1.0 and scores.by_type["subject_shift"] == {"n": 1, "shown": 1}
    scores = score(replay(load_answers(_write(tmp_path, _answer([elsewhere])))[0], LEXICAL))
    assert scores.breach is None and scores.attached_elsewhere == 1


def test_each_answer_names_the_question_set_it_comes_from(tmp_path):
    said = {"text": "Le médiateur de santé pair est salarié de l'établissement.", "cited": [1], "label_passages": [1], "label": "said"}
    answers = load_answers(_write(tmp_path, _answer([said]), dict(_answer([said]), id="q2", sample="questions_dev4")))
    assert [a.sample for a in answers] == ["eval_set", "questions_dev4"]


def test_each_sample_is_reported_apart():
    from evals.sentences import SentenceScores, sample_lines

    lines = sample_lines({"eval_set": SentenceScores(shown=32, breach=1 / 32, said_kept=0.861, labelled_not_said=0.419),
                          "questions_dev4": SentenceScores(shown=23, attached_elsewhere=2, breach=4 / 21, said_kept=0.63)})
    assert "eval_set" in lines and "3.1 % de  32" in lines and "19.0 % de  21" in lines


def test_an_unknown_label_is_a_clear_error(tmp_path):
    bad = {"text": "Une phrase.", "cited": [1], "label_passages": [1], "label": "peut-être"}
    with pytest.raises(EvalSetError, match="ligne 1"):
        load_answers(_write(tmp_path, _answer([bad])))


@pytest.mark.parametrize("path, answers, splits", [(SENTENCES_SET, 100, {"dev", "test"}), (DEBIAN_SENTENCES_SET, 30, {"test"})])
def test_every_evidence_of_the_labelled_set_is_a_substring_of_its_passage(path, answers, splits):
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) >= answers and {a["split"] for a in lines} == splits
    for answer in lines:
        for sentence in answer["sentences"]:
            if sentence.get("evidence"):
                passage = answer["passages"][sentence["evidence_passage"] - 1]["text"]
                assert sentence["evidence"] in passage, (answer["id"], sentence["text"])


def test_the_chat_shows_few_sentences_its_passage_does_not_say_on_the_test_split(corpus_runtime):
    """A regression guard on the test split, a little looser than measured at stop 31 (breach
    5.0 %: 2 of 40 sentences shown as written; said kept 60.3 %, the others quoted or dropped;
    no check at all: 44.7 %). Stop 31 holds the chat's own words to every word stated
    (verify.in_own_words): breach 9.4 -> 5.0 %, said kept 76.2 -> 60.3 %."""
    answers = [a for a in load_answers() if a.split == "test"]
    verifier = corpus_runtime.verifier()
    scores = score([o for answer in answers for o in replay(answer, verifier)])
    assert scores.labelled_not_said >= 0.35, "the generator's own errors are what the check must stop"
    assert scores.breach <= 0.08 and scores.said_kept >= 0.55, scores
