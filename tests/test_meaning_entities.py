"""Focal named entities and whether the context names them."""

import pytest

from assistant.meaning.entities import countries, entity_finding, focal_entities, missing_entities

# Real sentences from the corpus.
BELGIQUE = "En Belgique francophone, le métier de pair-aidant n'existe pas encore."
CCOMS = (
    "Les MSP ont été recrutés dans le cadre d'un programme expérimental français dirigé par le CCOMS "
    "(Centre collaborateur de l'OMS)."
)
GEM = (
    "Ils peuvent aussi se dérouler, entre pairs, dans les groupes d'entraide mutuelle (GEM) qui seront financés "
    "sur la durée de la stratégie nationale."
)
RAPT = (
    "Ces pratiques disposent depuis les années 2010 du soutien de politiques publiques nationales telles la "
    "Réponse Accompagnée Pour Tous (RAPT) ou le Un chez soi d'abord (DIHAL)."
)
GARDIEN = "Le concept de pairjectivité permet de discerner une objectivité entre pairs, selon E. Gardien."


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Allemagne et Belgique recrutent des pairs-aidants.", [("Allemagne", "place"), ("Belgique", "place")]),
        (BELGIQUE, [("Belgique", "place")]),
        ("Québec, Marseille et l'Occitanie ont des MSP.", [("Québec", "place"), ("Marseille", "place"), ("Occitanie", "place"), ("MSP", "acronym")]),
        ("Pays de la Loire : un glossaire des intervenants pairs.", [("Pays de la Loire", "place")]),
        ("Germany and Canada hire peer workers.", [("Germany", "place"), ("Canada", "place")]),
        ("La loi du 4 mars 2002 et le décret n° 2016-1234 s'appliquent.", [("loi du 4 mars 2002", "law"), ("décret n° 2016-1234", "law")]),
        ("Le Ségur de la santé finance des postes.", [("Ségur de la santé", "law")]),
        ("Le programme Un chez-soi d'abord loge les personnes.", [("Un chez-soi d'abord", "programme")]),
        ("Le dispositif est financé par l'Agence régionale de santé.", [("Agence régionale de santé", "organisation")]),
        ("Le rapport de Jean Dupont porte sur les pairs.", [("Jean Dupont", "person")]),
        (GARDIEN, [("Gardien", "name")]),
        ("La CoP du CReHPsy et le CREAI-ORS travaillent ensemble.", [("CoP", "acronym"), ("CReHPsy", "acronym"), ("CREAI-ORS", "acronym")]),
        # capitalised common words and headings are not entities
        ("Savoirs expérientiels et reconnaissance des pairs.", []),
        ("INTERVENTION PAR LES PAIRS ET PARTENARIAT EN SANTÉ", []),
        ("Soutien Par Et Pour Les Pairs", []),
        ("NB : le livret est en cours de révision, chapitre II.", []),
    ],
)
def test_focal_entities(text, expected):
    assert [(e.text, e.kind) for e in focal_entities(text)] == expected


def test_entity_offsets_and_keys():
    text = "En 2019, l'ARS Île-de-France a financé le GEM."
    found = focal_entities(text)
    assert [text[e.start : e.end] for e in found] == ["ARS", "Île-de-France", "GEM"]
    assert [e.key for e in found] == ["ars", "ile-de-france", "gem"]


@pytest.mark.parametrize(
    "claim, context, missing",
    [
        ("En France, le métier de pair-aidant n'existe pas encore.", BELGIQUE, ["France"]),
        ("Les MSP ont été recrutés dans un programme dirigé par l'ARS.", CCOMS, ["ARS"]),
        ("La HAS finance les GEM.", GEM, ["HAS"]),
        ("Selon Demailly, la pairjectivité permet une objectivité entre pairs.", GARDIEN, ["Demailly"]),
        ("Le programme Housing First est soutenu par la DIHAL.", "Le programme est soutenu par la DIHAL.", ["Housing First"]),
        ("La loi du 11 février 2005 a créé les GEM.", "La loi du 4 mars 2002 a créé les GEM.", ["loi du 11 février 2005"]),
        ("Peer workers were first hired in Germany.", "Peer workers were first hired in Belgium.", ["Germany"]),
    ],
)
def test_missing_entities_are_reported(claim, context, missing):
    assert [e.text for e in missing_entities(claim, context)] == missing
    finding = entity_finding(claim, context)
    assert finding is not None and finding.code == "entity_missing" and missing[0] in finding.claim_term


@pytest.mark.parametrize(
    "claim, context",
    [
        ("Le programme a été dirigé par le Centre collaborateur de l'OMS.", CCOMS),  # expansion for acronym
        ("Le programme a été dirigé par le CCOMS.", CCOMS),
        ("Les GEM sont financés par la stratégie nationale.", GEM),
        ("Les groupes d'entraide mutuelle sont financés.", "Les GEM sont financés."),
        ("L'Agence régionale de santé finance des postes.", "L'ARS PDL finance des postes."),
        ("La Haute Autorité de santé a publié un guide.", "Le guide vient d'être diffusé par l'HAS."),
        ("Les médiateurs de santé pairs sont recrutés.", "Les MSP sont recrutés."),  # no entity in the claim
        ("Les MSP sont recrutés.", "Les médiateurs de santé pairs sont recrutés."),
        ("L'OMS définit la santé.", "The World Health Organization defines health."),
        ("En belgique, le métier n'existe pas.", BELGIQUE),  # the claim lowercases: no entity
        ("En Belgique, le métier de pair-aidant n'existe pas.", BELGIQUE),
        ("Les pairs-aidants en Allemagne.", "Peer workers in Germany."),  # French and English names
        ("Le programme Un chez-soi d'abord est soutenu par la DIHAL.", RAPT),
        ("La RAPT soutient ces pratiques.", RAPT),
        ("La loi Kouchner reconnaît les droits des malades.", "La loi du 4 mars 2002 reconnaît les droits des malades."),
        ("Selon Emmanuelle Gardien, la pairjectivité permet une objectivité.", GARDIEN),
        ("Une étude menée en Belgique.", "Une étude belge."),  # demonym
        ("Une approche venue d'Amérique du Nord et de Scandinavie.", "Une approche venue des pays nord-américains et scandinaves."),
        ("Une étude menée aux Pays-Bas.", "Une étude néerlandaise."),
        ("Le CREAI-ORS Occitanie publie un guide.", "Guide du CREAI-ORS (Occitanie)."),  # title in the context
    ],
)
def test_named_entities_found_in_context_are_not_flagged(claim, context):
    assert missing_entities(claim, context) == []
    assert entity_finding(claim, context) is None


def test_a_foreign_demonym_names_its_country():
    # « les projets belges » are Belgian projects: a claim about them is not stated of French ones
    finding = entity_finding("La comparaison entre projets belges montre que certains pairs ont été formés.",
                             "La comparaison entre projets français montre que certains pairs ont été formés.")
    assert finding is not None and finding.claim_term == "belges"
    assert entity_finding("Les projets québécois forment les pairs.", "Au Québec, les projets forment les pairs.") is None
    # French and English demonyms are too common here to be focal ("en français", "l'anglais")
    assert entity_finding("Le guide est traduit en anglais.", "Le guide est traduit.") is None
    assert entity_finding("Le système de santé français.", "Le système de santé.") is None


def test_an_english_nationality_adjective_is_not_part_of_the_name_it_qualifies():
    # « le projet expérimental européen Topside »: the name to find is Topside
    assert [e.text for e in focal_entities("When was the European Topside project launched?")] == ["Topside"]
    assert [e.text for e in focal_entities("In which year did the Belgian researcher Luc Vanbrabant publish?")] == ["Luc Vanbrabant"]


@pytest.mark.parametrize("text, name", [
    # the verb after a name that closes an organisation is not part of it
    ("Le Centre Opérationnel du Partenariat en Santé propose un référencement des formations.",
     "Centre Opérationnel du Partenariat en Santé"),
    # an adjective of the head's own phrase is
    ("La Maison départementale des personnes handicapées instruit la demande.", "Maison départementale des personnes handicapées"),
])
def test_an_organisation_stops_before_the_verb(text, name):
    assert [e.text for e in focal_entities(text) if e.kind == "organisation"] == [name]


def test_the_verb_avoir_does_not_join_a_name_to_what_follows():
    texts = [e.text for e in focal_entities("Le CU d'Aix-Marseille Université a été présenté par le Dr Marie-Claude Lagouanelle-Simeoni.")]
    assert not any("présenté" in t for t in texts)


def test_a_quoted_term_is_a_name_the_evidence_must_say():
    from assistant.meaning.entities import quoted_term_missing

    source = "On les appelle des savoirs expérientiels."
    assert quoted_term_missing("Ces connaissances sont appelées des « savoirs situés ».", source).claim_term == "savoirs situés"
    assert quoted_term_missing("Ces connaissances sont appelées des « savoirs expérientiels ».", source) is None
    assert quoted_term_missing('Le "patient expert" répond à des standards.', "le patient-expert répond à des standards") is None


def test_a_long_quotation_must_be_the_passages_own_words():
    from assistant.meaning.entities import misquoted, quotations

    passage = ("La participation est « un processus selon lequel les personnes sont impliquées dans la définition "
               "de points les concernant, et dans le processus d'action visant à un changement ».")
    changed = ('La participation est "un processus selon lequel les personnes sont impliquées dans la définition de '
               "points les concernant, et dans le processus d'action visant à un travail social.")  # never closed
    assert misquoted(changed, passage).code == "misquoted"
    exact = "Elle est « un processus selon lequel les personnes sont impliquées dans la définition de points les concernant »."
    assert misquoted(exact, passage) is None
    cut = "Elle est « un processus selon lequel les personnes sont impliquées […] visant à un changement »."
    assert misquoted(cut, passage) is None, "an ellipsis may leave words out"
    assert misquoted("On parle de « savoirs situés ».", passage) is None, "a short quoted term is the other check's"
    assert quotations('Il dit « bonjour » et "au revoir') == [" bonjour ", "au revoir"]


@pytest.mark.parametrize("text, expected", [
    ("Quel est le statut des pairs aidants en Allemagne ?", {"allemagne"}),
    ("What is their status in Germany?", {"allemagne"}),
    ("des projets belges et suisses", {"belgique", "suisse"}),
    ("à Marseille, en Occitanie", set()),  # cities and regions are not countries
    ("Au Québec et aux États-Unis", {"etats-unis"}),
])
def test_countries_by_name_or_demonym(text, expected):
    assert countries(text) == expected


def test_a_web_or_mail_address_is_an_entity_the_source_must_give():
    claim = "Le site www.creaiors-occitanie.fr rassemble les ressources sur le partenariat en santé."
    other_site = "Sur le site [www.partenariat-en-sante.org](http://www.partenariat-en-sante.org), les ressources sur le partenariat en santé."
    same_site = "Sur le site [www.creaiors-occitanie.fr](http://www.creaiors-occitanie.fr), les ressources."
    assert [(e.kind, e.key) for e in focal_entities(claim)] == [("address", "creaiors-occitanie.fr")]
    finding = entity_finding(claim, other_site)
    assert finding is not None and finding.claim_term == "www.creaiors-occitanie.fr"
    assert entity_finding(claim, same_site) is None
    assert entity_finding("Écrire à anne.dupont@chu-angers.fr.", "Contact : Anne Dupont, anne.dupont@chu-angers.fr") is None
    assert entity_finding("Écrire à anne.dupont@chu-angers.fr.", "Contact : Anne Dupont, anne.dupont@chu-nantes.fr") is not None
    # a scheme or « www. » is a spelling of the same address
    assert entity_finding("Voir https://cnsa.fr pour le guide.", "Le guide est sur www.cnsa.fr.") is None
    # an address ending a sentence; a missing space is no address
    assert entity_finding("Le guide est publié sur service-public.fr.", "Le guide est sur service-public.fr. Il est gratuit.") is None
    assert [e.kind for e in focal_entities("Au sein du réseau.Net, les pairs.")] == []
