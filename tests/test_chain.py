"""Chain logic on the fake profile: citation parsing, verification and repair,
abstention before generation, condensing follow-ups, fallback when the generator fails."""

from __future__ import annotations

import pytest

from assistant import Assistant, InvalidQuestionError, Runtime, steps
from assistant.fakes import ScriptedChat
from assistant.grounding import follows, ground, of_another_country
from assistant.meaning.entities import countries
from assistant.verify import Verifier, VerifyThresholds, Weights
from assistant.markers import parse_citations
from assistant.types import Alignment, Passage
from ingest.types import Chunk


def _passage(n: int, text: str) -> Passage:
    chunk = Chunk(chunk_id=f"c{n}", doc=f"doc{n}.md", title=f"Titre {n}", organisation="Org", year=2020,
                  section="Section", page=None, start=0, end=len(text), text=text, source_text=text)
    return Passage(chunk=chunk, score=1.0 / n, dense=0.9, lexical=1.0, rank=n)


PASSAGES = [
    _passage(1, "Le médiateur de santé pair est un ancien usager de la psychiatrie embauché dans une équipe de soins."),
    _passage(2, "La pair-émulation est la transmission de l'expérience entre personnes handicapées autonomes."),
    _passage(3, "Le savoir expérientiel naît du vécu de la maladie et du rétablissement."),
]


LEXICAL = Verifier(Weights(), VerifyThresholds())  # no embeddings: words and checks alone


def test_parse_tolerates_marker_styles_and_drops_out_of_range():
    text = "Première phrase [1]. Deuxième phrase 【2】. Troisième (3). Quatrième [1, 3]. Cinquième [2-3]. Sixième [9]."
    parsed = parse_citations(text, 3)
    assert [p.cited for p in parsed] == [[1], [2], [3], [1, 3], [2, 3], []]
    assert parsed[-1].dropped == [9]
    assert all("[" not in p.text and "【" not in p.text for p in parsed)


def test_marker_after_the_full_stop_belongs_to_the_previous_sentence():
    parsed = parse_citations("La pair-émulation transmet l'expérience. [2] Le savoir expérientiel vient du vécu. [3] [1] [3]", 3)
    assert [p.cited for p in parsed] == [[2], [3, 1]]


def test_ground_repairs_a_wrong_citation_and_drops_an_unsupported_sentence():
    answer = ("Le médiateur de santé pair est un ancien usager de la psychiatrie [2]. "
              "La lune est faite de fromage bleu [1]. "
              "Le savoir expérientiel naît du vécu de la maladie [3].")
    grounded = ground(answer, PASSAGES, LEXICAL)
    text, sentences, citations = grounded.text, grounded.sentences, grounded.citations
    assert grounded.dropped == 1 and "fromage" not in text
    assert [c.chunk_id for c in citations] == ["c1", "c3"], "repaired to the passage that supports it, renumbered"
    assert text.endswith("[2]") and "[1]" in text
    assert all(s.supported for s in sentences)
    assert "ancien usager" in citations[0].quote


def test_a_looping_model_repeats_nothing():
    sentence = "Le médiateur de santé pair est un ancien usager de la psychiatrie"
    grounded = ground(f"{sentence} [1]. {sentence} [1]. {sentence.lower()} [1].", PASSAGES, LEXICAL)
    assert len(grounded.sentences) == 1 and grounded.text.count("ancien usager") == 1 and grounded.dropped == 0


def test_a_heading_label_copied_from_the_context_is_not_shown():
    # the context puts each passage's excerpts under "(heading)"; the model copies it
    labelled = Passage(chunk=Chunk(chunk_id="e1", doc="d.md", title="Dossier", organisation="Org", year=2019,
                                   section="Définitions > Autisme. Stratégie nationale", page=None, start=0, end=80,
                                   text=PASSAGES[2].chunk.text, source_text=PASSAGES[2].chunk.text), score=1.0, dense=0.9,
                       lexical=1.0, rank=1)
    grounded = ground("(Autisme. Stratégie nationale) Le savoir expérientiel naît du vécu de la maladie [1]. (Autisme. [1]",
                      [labelled], LEXICAL)
    assert [s.text for s in grounded.sentences] == ["Le savoir expérientiel naît du vécu de la maladie."]
    assert "Autisme" not in grounded.text and "Stratégie" not in grounded.text


def test_ground_never_cites_a_passage_that_was_not_retrieved():
    grounded = ground("Le savoir expérientiel naît du vécu de la maladie [7].", PASSAGES, LEXICAL)
    assert {c.chunk_id for c in grounded.citations} <= {p.chunk.chunk_id for p in PASSAGES}
    assert "[7]" not in grounded.text and grounded.citations[0].chunk_id == "c3"


@pytest.fixture
def scripted(fake_runtime):
    def make(replies=(), error=""):
        model = ScriptedChat(replies=list(replies), error=error, prompts=[])
        return Assistant(Runtime(fake_runtime.settings, embeddings=fake_runtime.embeddings, chat_model=model)), model

    return make


def test_off_corpus_question_abstains_without_calling_the_model(scripted):
    assistant, model = scripted(replies=["Canberra [1]."])
    answer = assistant.ask("Quelle est la capitale de l'Australie ?")
    assert answer.abstained and not answer.citations
    assert model.prompts == []
    assert "ne sais pas" in answer.answer and answer.passages


def test_answer_is_verified_and_cites_retrieved_passages(scripted):
    reply = ("Le médiateur de santé-pair est un membre du personnel qui divulgue qu'il vit ou qu'il a connu "
             "une période de trouble psychique [1]. Il travaille sur Mars depuis 1850 [2].")
    assistant, model = scripted(replies=[reply])
    answer = assistant.ask("Qu'est-ce qu'un médiateur santé pair ?")
    assert not answer.abstained and len(model.prompts) == 1
    assert "Réponds à partir des passages" in model.prompts[0]
    assert "Mars" not in answer.answer and "retirée" in answer.notice
    retrieved = {p.chunk.chunk_id for p in answer.passages}
    assert answer.citations and all(c.chunk_id in retrieved for c in answer.citations)
    assert any("membre du personnel" in c.text for c in answer.citations), (answer.answer, [c.text[:80] for c in answer.citations])


def test_model_saying_not_found_becomes_an_abstention(scripted):
    assistant, _ = scripted(replies=["Les passages fournis ne contiennent pas la réponse."])
    answer = assistant.ask("Quel est le rôle du médiateur de santé pair dans la formation des internes en chirurgie ?")
    assert answer.abstained


def test_invented_figures_contradictions_and_restated_questions_are_not_shown():
    question = "Qui est le médiateur de santé pair ?"
    answer = ("Le médiateur de santé pair est un ancien usager de la psychiatrie [1]. "
              "Le médiateur de santé pair a été créé en 1992 [1]. "
              "Le médiateur de santé pair n'est pas un ancien usager de la psychiatrie [1]. "
              "Qui est le médiateur de santé pair [1] ?")
    grounded = ground(answer, PASSAGES, LEXICAL, question)
    shown = [s.text for s in grounded.sentences]
    assert shown == ["Le médiateur de santé pair est un ancien usager de la psychiatrie."]
    assert grounded.dropped == 3 and grounded.sentences[0].verdict == "supports"


def test_a_sentence_its_passage_contradicts_is_replaced_by_the_source_quoted_verbatim():
    passage = _passage(1, "Le savoir expérientiel est complémentaire du savoir des professionnels de santé.")
    grounded = ground("Le savoir expérientiel remplace le savoir des professionnels de santé [1].", [passage], LEXICAL,
                      "Quel est le lien entre savoir expérientiel et savoir des professionnels ?")
    sentence = grounded.sentences[0]
    assert sentence.quoted and sentence.text == "« Le savoir expérientiel est complémentaire du savoir des professionnels de santé. »"
    assert sentence.citations == [1] and "remplace" not in grounded.text


def test_a_chat_sentence_adding_a_word_of_its_own_is_replaced_by_its_source_quoted():
    """The claim lookup supports a claim that covers most of its span; the chat shows the
    model's own words only when the span states every one of them, else the source sentence."""
    passage = _passage(1, "Le croisement des savoirs est une démarche qui réunit des scientifiques, des professionnels "
                          "et des personnes en situation de pauvreté.")
    added = "Le croisement des savoirs est un dialogue qui réunit des scientifiques, des professionnels et des personnes en situation de pauvreté"
    assert LEXICAL.verdict(added, passage).label == "supports", "the claim lookup's bar: most of the words"
    question = "Qu'est-ce que le croisement des savoirs ?"
    sentence = ground(added + " [1].", [passage], LEXICAL, question).sentences[0]
    assert sentence.quoted and sentence.text.startswith("« Le croisement des savoirs est une démarche")
    shortened = ground("Le croisement des savoirs réunit des scientifiques et des personnes pauvres [1].", [passage], LEXICAL, question)
    assert not shortened.sentences[0].quoted, "every word stated (« pauvres » for « pauvreté »): the model's words are shown"


def test_a_supported_sentence_off_the_question_is_padding():
    grounded = ground("La pair-émulation est la transmission de l'expérience entre personnes handicapées autonomes [2]. "
                      "Le savoir expérientiel naît du vécu de la maladie et du rétablissement [3].", PASSAGES, LEXICAL,
                      "Qu'est-ce que la pair-émulation ?")
    assert [s.citations for s in grounded.sentences] == [[1]] and (grounded.dropped, grounded.off_topic) == (0, 1)
    assert [c.chunk_id for c in grounded.citations] == ["c2"]


def test_the_next_sentence_of_a_definition_is_kept_though_it_names_nothing_of_the_question():
    definition = _passage(1, "Le pair aidant certifié est un membre du personnel qui divulgue qu'il a vécu un trouble mental. "
                             "Le partage de son vécu a pour but de redonner de l'espoir à des personnes qui vivent des situations similaires.\n\n"
                             "Le rétablissement est un processus personnel.")
    answer = ("Le pair aidant certifié est un membre du personnel qui divulgue qu'il a vécu un trouble mental [1]. "
              "Le partage de son vécu a pour but de redonner de l'espoir à des personnes qui vivent des situations similaires [1]. "
              "Le rétablissement est un processus personnel [1].")
    grounded = ground(answer, [definition], LEXICAL, "Qu'est-ce qu'un pair aidant certifié ?")
    assert [s.text[:20] for s in grounded.sentences] == ["Le pair aidant certi", "Le partage de son vé"]
    assert grounded.off_topic == 1, "the next paragraph is not the definition's continuation"
    alone = ground(answer.split("[1]. ", 1)[1], [definition], LEXICAL, "Qu'est-ce qu'un pair aidant certifié ?")
    assert alone.sentences == [], "without the definition shown first, the sentence does not answer the question"


def test_a_pronoun_for_the_source_s_own_subject_is_not_the_answer_s_continuation():
    passage = _passage(1, "Totem s'inscrit dans la politique du Logement d'abord pour les personnes sans domicile fixe. "
                          "Le projet est soutenu par la Ville de Grenoble et la Fondation Abbé Pierre.")
    question = "Qu'est-ce que le Logement d'abord ?"
    first = "Totem s'inscrit dans la politique du Logement d'abord pour les personnes sans domicile fixe [1]. "
    shifted = ground(first + "Il est soutenu par la Ville de Grenoble et la Fondation Abbé Pierre [1].", [passage], LEXICAL, question)
    assert len(shifted.sentences) == 1, "« il » would be the Logement d'abord, which the source does not say is supported"
    named = ground(first + "Le projet est soutenu par la Ville de Grenoble et la Fondation Abbé Pierre [1].", [passage], LEXICAL, question)
    assert len(named.sentences) == 2


def test_a_sentence_on_another_country_does_not_answer_a_question_on_this_one():
    belgium = _passage(1, "Pair-aidance en Europe\n\nEn Belgique francophone, le métier de pair-aidant n'existe pas encore. "
                          "En tous cas, il n'y a pas de statut officiel à ce jour.")
    question = "Quel est le statut juridique des pairs aidants en {} ?"
    answer = "Il n'y a pas de statut officiel à ce jour [1]."
    assert ground(answer, [belgium], LEXICAL, question.format("Allemagne")).sentences == []
    assert ground(answer, [belgium], LEXICAL, question.format("Belgique")).sentences[0].citations == [1]
    assert ground(answer, [belgium], LEXICAL, "Quel est le statut juridique des pairs aidants ?").sentences


def test_of_another_country_reads_the_paragraph_and_the_section():
    text = "En Belgique, le métier n'existe pas.\n\nIl n'y a pas de statut officiel."
    span = Alignment(0, 38, len(text), text[38:], 1.0, None, 1.0)
    assert not of_another_country(countries("Quel statut en Allemagne ?"), text, span), "the other paragraph is not this one's"
    assert of_another_country(countries("Quel statut en Allemagne ?"), text, span, heading="Le cas belge")
    assert not of_another_country(countries("What status in Belgium?"), text, span, heading="Le cas belge")
    assert not of_another_country(countries("Quel statut à Marseille ?"), text, span, heading="Le cas belge"), "a city is not a country"


def test_follows_is_the_next_span_of_the_same_paragraph():
    text = "Une phrase. Une autre. Encore une.\n\nUn autre paragraphe."
    span = lambda start, end: Alignment(0, start, end, text[start:end], 1.0, None, 1.0)  # noqa: E731
    first, second, third, other = span(0, 11), span(12, 22), span(23, 34), span(36, 56)
    assert follows(first, second, text) and follows(first, third, text)
    assert not follows(second, first, text) and not follows(third, other, text)


def test_an_answer_with_nothing_supported_is_an_abstention_not_a_guess(scripted):
    assistant, model = scripted(replies=["Le diplôme universitaire de médiateur de santé pair a été créé en 1987 [1]. "
                                         "L'université Paris 8 a accueilli la formation en 1987 [2]."])
    answer = assistant.ask("Qu'est-ce que le diplôme universitaire de médiateur de santé pair de l'université Paris 8 ?")
    assert len(model.prompts) == 1, "the question passes the gate: the model is asked"
    assert "1987" not in answer.answer, "an invented year is never shown"
    assert answer.abstained or all(s.quoted or s.verdict == "supports" for s in answer.sentences)


def test_a_figure_the_passages_do_not_give_is_refused_before_generation(scripted):
    assistant, model = scripted(replies=["Le diplôme a formé 4 200 médiateurs [1]."])
    answer = assistant.ask("Combien de médiateurs de santé pairs le diplôme universitaire de Paris 8 a-t-il formés ?")
    assert answer.abstained and model.prompts == [] and "chiffre" in answer.gate_reason
    answer = assistant.ask("Quel est le salaire d'un médiateur de santé pair en Allemagne ?")
    assert answer.abstained and "Allemagne" in answer.gate_reason


def test_unreachable_generator_falls_back_to_extractive_with_a_notice(scripted):
    assistant, model = scripted(error="connection refused")
    answer = assistant.ask("Qu'est-ce que la pair-émulation ?")
    assert not answer.abstained and answer.citations
    assert answer.backend == "extractive" and "injoignable" in answer.notice


def test_a_model_answer_with_no_verified_sentence_gives_the_extractive_answer_with_a_notice(scripted):
    """The passages passed the gate; the model wrote only markers: their sentences are quoted."""
    assistant, _ = scripted(replies=["[1] [2] [3]"])
    answer = assistant.ask("Qu'est-ce que la pair-émulation ?")
    assert not answer.abstained and answer.citations and answer.backend == "extractive"
    assert "Aucune phrase du modèle" in answer.notice
    assistant, _ = scripted(replies=["Je ne sais pas."])  # the model's own « je ne sais pas » stands
    assert assistant.ask("Qu'est-ce que la pair-émulation ?").abstained


def test_condense_only_with_history_and_keeps_a_topic_change(scripted):
    assistant, model = scripted(replies=["Quelle formation suivent les médiateurs de santé pairs ?"])
    condense = lambda question, history: steps.condense(question, history, assistant.retriever, model)  # noqa: E731
    assert condense("Et leur formation ?", []) == "Et leur formation ?"
    assert model.prompts == []
    history = [{"role": "user", "content": "Qu'est-ce qu'un médiateur santé pair ?"},
               {"role": "assistant", "content": "Un membre du personnel qui a connu des troubles psychiques [1]."}]
    assert condense("Et leur formation ?", history) == "Quelle formation suivent les médiateurs de santé pairs ?"
    assert "médiateur santé pair" in model.prompts[0]
    topic_change = "Combien de personnes a rassemblé la journée partenariat patient du CRES PACA à Marseille ?"
    assert condense(topic_change, history) == topic_change
    assert len(model.prompts) == 1


def test_follow_up_without_llm_uses_the_previous_question(fake_runtime):
    assistant = Assistant(fake_runtime, backend="extractive")
    history = [{"role": "user", "content": "Qu'est-ce qu'un médiateur de santé pair ?"},
               {"role": "assistant", "content": "Un membre du personnel [1]."}]
    answer = assistant.ask("Et quelle formation suivent-ils ?", history)
    assert "médiateur" in answer.standalone_question
    assert not answer.abstained


@pytest.mark.parametrize("bad", ["", "   \n\t ", "\x00\x01\x02", "x" * 5000])
def test_empty_or_oversized_questions_get_a_clear_message(fake_runtime, bad):
    with pytest.raises(InvalidQuestionError, match="vide|trop longue"):
        Assistant(fake_runtime).ask(bad)


def test_an_english_answer_made_only_of_french_quotes_says_so_in_english():
    passage = _passage(1, "Le savoir expérientiel est complémentaire du savoir des professionnels de santé.")
    question = "Quel est le lien entre savoir expérientiel et savoir des professionnels ?"
    grounded = ground("Le savoir expérientiel remplace le savoir des professionnels de santé [1].", [passage], LEXICAL, question)
    english = steps.render(question, question, grounded, [passage], "local", {}, lang="en")
    french = steps.render(question, question, grounded, [passage], "local", {}, lang="fr")
    assert english.answer.startswith(steps.QUOTES_LEAD_EN + " « Le savoir expérientiel")
    assert french.answer.startswith("« Le savoir expérientiel")


def test_a_french_sentence_in_an_english_answer_is_shown_as_a_quote():
    passage = _passage(1, "Le savoir expérientiel est complémentaire du savoir des professionnels de santé.")
    question = "How does experiential knowledge relate to professional knowledge?"
    grounded = ground("Le savoir expérientiel est complémentaire du savoir des professionnels de santé [1].", [passage], LEXICAL,
                      "Quel est le lien entre savoir expérientiel et savoir des professionnels ?")
    assert not grounded.sentences[0].quoted
    answer = steps.render(question, question, grounded, [passage], "local", {}, lang="en")
    assert answer.sentences[0].quoted and answer.answer.startswith(steps.QUOTES_LEAD_EN + " « Le savoir")


SEMINAIRE = [_passage(1, "La journée Partenariat Patient a eu lieu à Marseille. Ce séminaire a rassemblé 54 personnes."),
             _passage(2, "Les ateliers portaient sur le statut des patients partenaires.")]


def test_an_answer_that_leaves_out_the_figure_asked_gets_the_passage_sentence_that_gives_it(scripted):
    question = "Combien de personnes a rassemblé la journée Partenariat Patient ?"
    wanted = list(steps.needed_sentences(question, ["La journée Partenariat Patient a eu lieu à Marseille."], SEMINAIRE))
    assert [(w.text, w.cited, w.asked) for w in wanted] == [("Ce séminaire a rassemblé 54 personnes.", [1], True)]
    assert not list(steps.needed_sentences(question, ["Ce séminaire a rassemblé 54 personnes."], SEMINAIRE))
    assert not list(steps.needed_sentences("Qu'est-ce que la journée Partenariat Patient ?", [], SEMINAIRE))


def test_an_answer_that_never_gives_the_figure_asked_is_an_abstention():
    question = "Combien de personnes a rassemblé la journée Partenariat Patient ?"
    grounded = ground("La journée Partenariat Patient a eu lieu à Marseille [1].", SEMINAIRE[:1], LEXICAL, question)
    assert grounded.citations and steps.unanswered(question, grounded) == "figure"
    answer = steps.render(question, question, grounded, SEMINAIRE, "local", {})
    assert answer.abstained and "chiffre" in answer.notice


def test_the_chain_adds_the_sentence_giving_the_figure_the_model_left_out(scripted):
    assistant, _ = scripted(replies=["La journée du CRES PACA portait sur le partenariat patient [1]."])
    answer = assistant.ask("Combien de personnes a rassemblé la journée du CRES PACA ?")
    assert not answer.abstained and "54 personnes" in answer.answer


def test_restating_a_claim_typed_in_the_chat_confirms_it_once_verified():
    claim = "Le savoir expérientiel naît du vécu de la maladie et du rétablissement"
    kept = ground(f"{claim} [3].", PASSAGES, LEXICAL, claim + ".")
    assert kept.sentences and kept.citations[0].chunk_id == "c3"
    echoed = ground(f"{claim} [3].", PASSAGES, LEXICAL, "D'où naît le savoir expérientiel ?")
    assert echoed.sentences, "adds words to the question: an answer"
    asked_back = ground("Le savoir expérientiel naît-il du vécu [3] ?", PASSAGES, LEXICAL, "Le savoir expérientiel naît-il du vécu ?")
    assert not asked_back.sentences and asked_back.dropped == 1, "an echo of a question is no answer"
    false_claim = "Le savoir expérientiel naît des diplômes universitaires"
    checked = ground(f"{false_claim} [3].", PASSAGES, LEXICAL, false_claim + ".").sentences
    assert [s.quoted for s in checked] == [True] and "diplômes" not in checked[0].text, "still verified: the source is quoted"


def test_a_claim_is_checked_against_the_configured_passages_and_only_the_first_or_closest_may_support_it(fake_settings):
    with Runtime(fake_settings(claim_passages=4, claim_support_passages=1)) as runtime:
        assert runtime.ingest().ok
        assistant = Assistant(runtime, backend="extractive")
        source = next(p.chunk for p in assistant.search("pair-aidance", 10) if len(p.chunk.text) > 200)
        claim = next(s for s in source.text.split(". ") if len(s) > 60)
        result = assistant.sources(claim)
        assert len(result.matches) == 4
        closest = max(result.matches, key=lambda m: m.evidence.alignment.score if m.evidence.alignment else -1.0)
        assert closest.verdict.label == "supports"  # the claim is its source's sentence, wherever that ranks
        far = [m for m in result.matches if m.passage.rank > 1 and m is not closest]
        assert far and all(m.verdict.label != "supports" for m in far)
        assert all(m.verdict.reasons[0].startswith("far_rank:") for m in far if m.verdict.label == "partial")
        assert len(assistant.sources(claim, k=2).matches) == 2  # a request's own count wins


def test_the_passage_a_claim_aligns_with_best_may_support_it_from_far_down(fake_settings, monkeypatch):
    with Runtime(fake_settings(claim_passages=4, claim_support_passages=1)) as runtime:
        assert runtime.ingest().ok
        assistant = Assistant(runtime, backend="extractive")
        source = next(p.chunk for p in assistant.search("pair-aidance", 10) if len(p.chunk.text) > 200)
        claim = next(s for s in source.text.split(". ") if len(s) > 60)
        ranked = assistant.search(claim, 4)
        assert ranked[0].chunk.chunk_id == source.chunk_id
        monkeypatch.setattr(type(assistant.retriever), "search", lambda self, query, k: list(reversed(ranked)))  # the source last
        matches = {m.passage.chunk.chunk_id: m for m in assistant.sources(claim).matches}
        assert matches[source.chunk_id].verdict.label == "supports"
        assert all(m.verdict.label != "supports" for chunk_id, m in matches.items() if chunk_id != source.chunk_id)
