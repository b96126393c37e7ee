"""English answers from verified French sentences: the translation check on literal pairs
(meaning/translation.py), the model's numbered lines, and the chain's English path on the
fake profile (a scripted model answers in French, then translates)."""

from __future__ import annotations

import pytest

from assistant import Assistant, Runtime, steps
from assistant.fakes import ScriptedChat
from assistant.meaning.translation import translation_findings
from assistant.translation import check, numbered_lines, signature_codes, terms_hint
from assistant.types import Sentence

FR = "Le séminaire a rassemblé 54 personnes à Marseille en juin 2023."


def codes(french: str, english: str) -> set[str]:
    return {f.code for f in translation_findings(french, english)}


# -- the signature checks ----------------------------------------------------------------
@pytest.mark.parametrize("french, english", [
    (FR, "The seminar brought together 54 people in Marseille in June 2023."),
    ("Le médiateur de santé pair ne remplace pas les soignants.", "The peer health mediator does not replace healthcare staff."),
    ("Certains participants ont demandé un cadre.", "Some participants asked for a framework."),
    ("La notion a été définie lors de la conférence de l'OMS en 1978.", "The notion was defined at the WHO conference in 1978."),
    ("Le métier n'existe pas encore en Suisse.", "The profession does not yet exist in Switzerland."),
    ("Des passerelles existent entre patient expert et représentant des usagers.",
     "Bridges exist between expert patients and user representatives."),
    ("Une équipe composée de professionnels, sans patients ni proches aidants.",
     "A team made up of professionals, without patients or family carers."),
    ("Ce que les participants ont le plus apprécié, ce sont les échanges.", "What participants appreciated most was the exchanges."),
    ("La Croix-Rouge française cofinance le programme.", "The French Red Cross co-finances the programme."),
])
def test_a_faithful_translation_raises_nothing(french, english):
    assert translation_findings(french, english) == []


@pytest.mark.parametrize("english, code", [
    ("The seminar did not bring together 54 people in Marseille in June 2023.", "polarity"),
    ("The seminar brought together 45 people in Marseille in June 2023.", "figure"),
    ("The seminar brought together 54 people in Marseille in June 2021.", "figure"),
    ("The seminar brought together 54 people in Toulouse in June 2023.", "entity_dropped"),
])
def test_a_changed_fact_is_caught(english, code):
    assert code in codes(FR, english)


@pytest.mark.parametrize("french, english, code", [
    ("Certains pairs aidants sont salariés.", "All peer helpers are salaried.", "quantity"),
    ("Le programme est cofinancé par la CNSA.", "The programme is entirely funded by the CNSA.", "quantity"),
    ("Leur salaire est inférieur à celui des autres professionnels.", "Their salary is higher than that of other professionals.",
     "comparative"),
    ("C'est la source d'aide la plus utilisée au monde.", "It is the least used source of help in the world.", "comparative"),
    ("La formation est obligatoire.", "The training is optional.", "antonym"),
    ("Leur présence reste contestée.", "Their presence is now recognised.", "antonym"),
    ("Le salaire du pair aidant est faible.", "The peer helper's pay is high.", "antonym"),
])
def test_a_stronger_or_inverted_claim_is_caught(french, english, code):
    assert code in codes(french, english)


def test_roles_must_be_the_french_ones_in_the_french_order():
    french = "Les usagers forment les professionnels à l'écoute."
    assert translation_findings(french, "Service users train professionals in listening.") == []
    assert "role_swap" in codes(french, "Professionals train service users in listening.")
    assert "role" in codes(french, "Doctors train professionals in listening.")


def test_a_role_named_again_may_be_a_french_pronoun():
    french = "La politique de soutien à l'intervention par les pairs vise à promouvoir cette intervention."
    assert translation_findings(french, "The policy supporting peer intervention aims to promote peer intervention.") == []


def test_a_sentence_opening_capital_is_no_name():
    assert translation_findings("Le programme est gratuit. Pour tous les usagers.", "The programme is free. For all service users.") == []


# -- the check, the prompt's terms, the model's lines -------------------------------------
def _vectors(cosine: float):
    return lambda texts: [[1.0, 0.0], [cosine, (1 - cosine * cosine) ** 0.5]]


def test_the_cosine_decides_only_after_the_signature():
    english = "The seminar brought together 54 people in Marseille in June 2023."
    assert check(FR, english, _vectors(0.95), 0.9).faithful
    low = check(FR, english, _vectors(0.5), 0.9)
    assert not low.faithful and low.findings[0].startswith("low_cosine")
    changed = check(FR, english.replace("54", "45"), _vectors(0.99), 0.9)
    assert not changed.faithful and changed.cosine is None, "no embedding needed once a check failed"


def test_a_translation_still_in_french_is_refused():
    assert signature_codes(FR, FR) == ("not_english",)
    assert signature_codes(FR, "") == ("not_english",)
    assert signature_codes("2 ème demi-journée 14 juin 2021", "2 ème demi-journée 14 juin 2021") == ("not_english",)


def test_a_short_line_with_no_function_word_can_be_english():
    assert signature_codes("2 ème demi-journée 14 juin 2021", "2nd half-day June 14, 2021") == ()
    assert signature_codes("Atelier 3 : témoignages", "Atelier 3 : témoignages") == ("not_english",)


def test_numbered_lines_and_domain_terms():
    assert numbered_lines("1. First one.\n2) Second.\nnoise\n 3 - Third\n1. duplicate") == {1: "First one.", 2: "Second.", 3: "Third"}
    hint = terms_hint(["Le médiateur de santé pair travaille avec les usagers."])
    assert "médiateur de santé pair = peer health mediator" in hint and "usagers = service users" in hint
    assert "médiateur de santé pair = peer health mediator" in terms_hint(["Le médiateur de santé-pair est salarié."])
    assert terms_hint(["Rien de particulier."]) == ""


# -- the step and the chain ----------------------------------------------------------------
def _sentence(text: str, source: str = "", quoted: bool = False) -> Sentence:
    return Sentence(text=text, citations=[1], supported=True, verdict="supports", source=source, quoted=quoted)


def test_translate_keeps_order_and_quotes_the_source_of_a_refused_translation():
    model = ScriptedChat(replies=["1. The seminar brought together 54 people in Marseille in June 2023.\n"
                                  "2. The training is optional."], prompts=[])
    sentences = [_sentence(FR), _sentence("La formation est obligatoire.", source="La formation est obligatoire pour tous.")]
    shown = list(steps.translate(model, sentences, None, 0.9, deadline=float("inf")))
    assert shown[0].text.startswith("The seminar") and shown[0].original == FR and not shown[0].quoted
    assert shown[1].quoted and shown[1].text == "« La formation est obligatoire pour tous. »", "the document's words, not the model's"
    assert "Lexique" not in model.prompts[0] and "1. " + FR in model.prompts[0]


def test_a_quote_beside_the_models_own_sentences_stays_french_and_is_not_given_to_the_translator():
    quote = "« La formation « intervenants pairs » dure 35 heures. »"
    model = ScriptedChat(replies=["1. The seminar brought together 54 people in Marseille in June 2023."], prompts=[])
    sentences = [_sentence(quote, source=quote.strip("«» "), quoted=True), _sentence(FR)]
    shown = list(steps.translate(model, sentences, None, 0.9, deadline=float("inf")))
    assert shown[0].quoted and "35 heures" in shown[0].text, "the quote keeps its place, in French"
    assert shown[1].text.startswith("The seminar") and shown[1].original == FR
    assert "35 heures" not in model.prompts[0] and "1. " + FR in model.prompts[0]
    assert steps.to_translate(sentences) == [1]
    assert steps.to_translate([sentences[0], sentences[0]]) == [0, 1], "an answer made only of quotes is translated"


def test_an_answer_made_only_of_quotes_is_translated():
    quote = "La formation est gratuite."
    model = ScriptedChat(replies=["1. The training is free."], prompts=[])
    shown = list(steps.translate(model, [_sentence(f"« {quote} »", source=quote, quoted=True)], None, 0.9, deadline=float("inf")))
    assert shown[0].text == "The training is free." and shown[0].original == quote and not shown[0].quoted


def test_a_refused_translation_is_asked_again_alone_and_shown_in_order():
    model = ScriptedChat(replies=["1. The seminar brought together 54 people in Marseille in June 2023.\n"
                                  "2. La formation est obligatoire.\n3. It lasts one year.",
                                  "The training is compulsory."], prompts=[])
    sentences = [_sentence(FR), _sentence("La formation est obligatoire.", source="La formation est obligatoire."),
                 _sentence("Elle dure un an.")]
    shown = list(steps.translate(model, sentences, None, 0.9, deadline=float("inf")))
    assert [s.text for s in shown][1:] == ["The training is compulsory.", "It lasts one year."]
    assert len(model.prompts) == 2 and "1. La formation est obligatoire." in model.prompts[1]


def test_a_single_sentence_translated_without_its_number_is_still_read():
    model = ScriptedChat(replies=["The training is free."], prompts=[])
    shown = list(steps.translate(model, [_sentence("La formation est gratuite.")], None, 0.9, deadline=float("inf")))
    assert shown[0].text == "The training is free." and shown[0].original == "La formation est gratuite."
    two = ScriptedChat(replies=["The training is free. It lasts a year."], prompts=[])
    pair = [_sentence("La formation est gratuite.", source="La formation est gratuite."), _sentence("Elle dure un an.", source="Elle dure un an.")]
    assert [s.quoted for s in steps.translate(two, pair, None, 0.9, deadline=float("inf"))] == [True, True], \
        "unnumbered lines for several sentences: which is which is unknown"


def test_a_web_address_is_not_given_to_the_translator_but_stays_in_the_original():
    with_address = "Le programme est sur https://www.example.org/programme-2024 et la formation est gratuite."
    model = ScriptedChat(replies=["1. The programme is on and the training is free."], prompts=[])
    shown = list(steps.translate(model, [_sentence(with_address)], None, 0.9, deadline=float("inf")))
    assert "example.org" not in model.prompts[0]
    assert shown[0].original == with_address and not shown[0].quoted


def test_a_translation_cut_by_the_deadline_keeps_only_its_finished_lines(monkeypatch):
    from assistant import translation
    clock = iter(range(1000))  # one tick per streamed word
    monkeypatch.setattr(translation, "perf_counter", lambda: next(clock))
    reply = "1. The training is free.\n2. It lasts one year and then the trainees work in teams."
    french = ["La formation est gratuite.", "Elle dure un an."]
    got = list(translation.stream_translations(ScriptedChat(replies=[reply], prompts=[]), french, deadline=8))
    assert got == [(0, "The training is free.")], "the model is stopped at its deadline; a half-written line is no translation"
    assert len(list(translation.stream_translations(ScriptedChat(replies=[reply], prompts=[]), french))) == 2


def test_translate_past_its_deadline_or_failing_leaves_french_quotes():
    sentences = [_sentence(FR, source=FR)]
    failing = ScriptedChat(replies=[], error="down", prompts=[])
    assert [s.quoted for s in steps.translate(failing, sentences, None, 0.9, deadline=float("inf"))] == [True]
    silent = ScriptedChat(replies=["Sorry."], prompts=[])
    assert [s.quoted for s in steps.translate(silent, sentences, None, 0.9, deadline=0.0)] == [True]


@pytest.fixture
def english_assistant(fake_runtime):
    def make(replies, english_answers="translate"):
        model = ScriptedChat(replies=list(replies), prompts=[])
        settings = fake_runtime.settings.model_copy(update={"english_answers": english_answers})
        return Assistant(Runtime(settings, embeddings=fake_runtime.embeddings, chat_model=model)), model

    return make


MSP_FR = ("Le médiateur de santé-pair est un membre du personnel qui, dans le cadre de son travail, divulgue qu'il vit "
          "ou qu'il a connu une période de trouble psychique [1].")
MSP_EN = ("1. The peer health mediator (médiateur de santé-pair) is a staff member who, as part of their work, discloses "
          "that they live with or have experienced a period of mental disorder.")


def test_an_english_question_gets_the_checked_translation_of_a_verified_french_answer(english_assistant, capsys):
    assistant, model = english_assistant([MSP_FR, MSP_EN])
    events = list(assistant.stream("What is a peer health mediator?"))
    answer = events[-1]
    assert "réponds en français" in model.prompts[0], "the model answers in French first"
    assert "Tu traduis" in model.prompts[1] and "médiateur de santé-pair" in model.prompts[1]
    assert not answer.abstained and answer.language == "en"
    assert answer.answer.startswith("The peer health mediator") and answer.answer.endswith("[1]")
    assert answer.sentences[0].original.startswith("Le médiateur de santé-pair") and not answer.sentences[0].quoted
    assert "translated from the French" in answer.notice
    shown = [e for e in events if type(e).__name__ == "Verified"]
    assert [e.sentence.text for e in shown] == [answer.sentences[0].text], "no French sentence streamed before its translation"
    from ui.cli import print_answer

    print_answer(answer)
    printed = capsys.readouterr().out
    assert "French sentences verified against the passages" in printed and "« Le médiateur de santé-pair" in printed


def test_a_translation_that_changes_the_fact_leaves_the_document_quoted(english_assistant):
    wrong = MSP_EN.replace("discloses that they live with", "never discloses that they lived with")
    answer = english_assistant([MSP_FR, wrong])[0].ask("What is a peer health mediator?")
    assert "never" not in answer.answer and answer.sentences[0].quoted
    assert "« Le médiateur de santé-pair" in answer.answer and answer.answer.startswith(steps.QUOTES_LEAD_EN)


def test_an_extractive_fallback_of_an_english_answer_is_translated_too(english_assistant):
    looping = "Les chats volent [1]. " * 4  # nothing verified, then a loop: the extractive answer replaces it
    translated = ("1. Peer health mediators follow a one-year university training, the university diploma of peer "
                  "health mediator, created in 2012 at the University Paris 8.\n"
                  "2. Some mediators work part time in psychiatry teams, others in service-user associations.\n3." + MSP_EN[2:])
    assistant, model = english_assistant([looping, translated])
    events = list(assistant.stream("What is a peer health mediator?"))
    answer = events[-1]
    assert len(model.prompts) == 2 and "Tu traduis" in model.prompts[1]
    assert all(s.original for s in answer.sentences), answer.answer
    assert answer.answer.startswith("Peer health mediators follow") and "model was repeating itself" in answer.notice
    shown = [e.sentence.text for e in events if type(e).__name__ == "Verified"]
    assert shown == [s.text for s in answer.sentences], "no French quote streamed before its translation"


def test_direct_mode_asks_the_model_for_english(english_assistant):
    assistant, model = english_assistant(["The peer health mediator is a staff member [1]."], english_answers="direct")
    assistant.ask("What is a peer health mediator?")
    assert "Answer in English" in model.prompts[0] and len(model.prompts) == 1


# -- the evaluation of the check -----------------------------------------------------------
def _claims(tmp_path, name: str, rows: list[dict]):
    import json

    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def test_translation_pairs_and_their_score_per_type(tmp_path):
    from evals.translation import FAITHFUL, score_pairs, translation_pairs, tune_cosine

    french = _claims(tmp_path, "fr.jsonl", [
        {"id": "g-faithful", "group": "g", "type": "faithful", "kind": "claim", "split": "dev", "question": FR},
        {"id": "g-number", "group": "g", "type": "number", "kind": "claim", "split": "dev", "question": FR.replace("54", "45")},
        {"id": "g-gen", "group": "g", "type": "generalisation", "kind": "claim", "split": "dev",
         "question": "Tous les séminaires ont rassemblé 54 personnes à Marseille en juin 2023."},
        {"id": "h-faithful", "group": "h", "type": "faithful", "kind": "claim", "split": "test", "question": FR},
    ])
    english = _claims(tmp_path, "en.jsonl", [
        {"id": "g-faithful-en", "kind": "claim", "question": "The seminar brought together 54 people in Marseille in June 2023."},
        {"id": "g-number-en", "kind": "claim", "question": "The seminar brought together 45 people in Marseille in June 2023."},
        {"id": "g-gen-en", "kind": "claim", "question": "All seminars brought together 54 people in Marseille in June 2023."},
    ])
    pairs = translation_pairs("dev", french, english)
    assert [(p.type, p.faithful) for p in pairs].count((FAITHFUL, True)) == 3
    assert sum(p.type == "number" for p in pairs) == 2, "both directions"
    assert sum(p.type == "generalisation" for p in pairs) == 1, "the faithful claim says less: entailed, not a pair"
    scored = score_pairs(pairs, [0.95] * len(pairs), 0.9)
    assert scored.accepted[FAITHFUL] == 1.0 and scored.accepted["number"] == 0.0 and scored.accepted["generalisation"] == 0.0
    assert scored.cosine_only["number"] == 1.0 and scored.altered_accepted() == 0.0
    threshold, _ = tune_cosine(pairs, [0.95] * len(pairs))
    assert threshold == 0.95, "the highest threshold that still accepts every faithful pair"


def test_a_list_item_on_several_lines_is_one_numbered_line():
    model = ScriptedChat(replies=["1. Study: a team of eight peer workers. Aim: to measure the days in hospital."], prompts=[])
    item = _sentence("- Étude : une équipe de huit travailleurs pairs.\n\nObjectif : mesurer les jours d'hospitalisation.")
    shown = list(steps.translate(model, [item], None, 0.9, deadline=float("inf")))
    assert "1. - Étude : une équipe de huit travailleurs pairs. Objectif : mesurer" in model.prompts[0]
    assert shown[0].original and shown[0].text.startswith("Study")


def test_an_ordinal_may_render_a_number():
    assert translation_findings("L'objectif de l'atelier 3 était de questionner les représentations.",
                                "The goal of the 3rd workshop was to question representations.") == []
    assert "figure_missing" in codes("L'objectif de l'atelier 3 était de questionner les représentations.",
                                     "The goal of the 4th workshop was to question representations.")
