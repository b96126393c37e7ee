"""Quantifiers, frequency, modality and exclusivity: the claim must not be stronger than its source."""

import pytest

from assistant.meaning.quantifiers import cues, strengthened

# Real sentences from the corpus.
PEUVENT = (
    "Les personnes qui vivent avec un handicap ou une maladie peuvent développer des connaissances et "
    "compétences précieuses issues de leur expérience."
)
CERTAINS = (
    "La valeur heuristique des récits de vie est soutenue par certains pairs, tandis que pour d'autres la "
    "valorisation de leurs savoirs passe par une forme argumentative."
)
SOUVENT = (
    "L'expertise profane peut être celle d'associations de patients ayant des comités scientifiques comportant "
    "souvent des professionnels."
)
EXCLUSIVEMENT = (
    "Le groupe de travail a pris le parti de désigner comme intervenants pairs exclusivement des personnes "
    "vivant avec une maladie chronique."
)
NOTAMMENT = (
    "Ils apportent plus de contact direct avec les usagers, notamment à domicile, et une aide dans la "
    "restauration d'une estime de soi."
)


@pytest.mark.parametrize(
    "text, kind, level",
    [
        ("Tous les pairs sont formés.", "quantity", 3),
        ("Chaque usager a un référent.", "quantity", 3),
        ("L'ensemble des pairs est formé.", "quantity", 3),
        ("Certains pairs sont formés.", "quantity", 1),
        ("La plupart des pairs sont formés.", "quantity", 2),
        ("Les pairs interviennent systématiquement.", "frequency", 4),
        ("Les pairs interviennent parfois.", "frequency", 2),
        ("Les pairs doivent être formés.", "modality", 3),
        ("Il faut former les pairs.", "modality", 3),
        ("Les pairs peuvent être formés.", "modality", 1),
        ("Seuls les pairs interviennent.", "exclusivity", 3),
        ("Les pairs n'interviennent qu'à domicile.", "exclusivity", 3),
        ("Only peers may attend.", "exclusivity", 3),
        ("Les pairs interviennent notamment à domicile.", "hedge", 1),
    ],
)
def test_cues_are_classified(text, kind, level):
    assert (cues(text)[0].kind, cues(text)[0].level) == (kind, level)


@pytest.mark.parametrize(
    "text",
    [
        "C'est tout à fait utile.",
        "Le pouvoir d'agir des personnes concernées.",
        "Le seul fait d'avoir vécu la maladie ne suffit pas.",
        "Avant tout, le pair écoute.",
        "En tous cas, il n'y a pas de statut officiel.",
    ],
)
def test_other_senses_are_not_cues(text):
    assert cues(text) == []


@pytest.mark.parametrize(
    "claim, source, code",
    [
        # universal where the source is partial or silent
        (CERTAINS.replace("certains pairs", "tous les pairs"), CERTAINS, "quantifier"),
        ("Toutes les personnes qui vivent avec un handicap développent des compétences précieuses.", PEUVENT, "quantifier"),
        ("Tous les pairs-aidants ont suivi une formation.", "Les pairs-aidants ont suivi une formation.", "quantifier"),
        ("La plupart des pairs-aidants ont suivi une formation.", "Certains pairs-aidants ont suivi une formation.", "quantifier"),
        ("All peer workers are trained.", "Some peer workers are trained.", "quantifier"),
        # frequency
        (SOUVENT.replace("souvent", "toujours"), SOUVENT, "frequency"),
        ("Les MSP accompagnent systématiquement les usagers.", "Les MSP accompagnent parfois les usagers.", "frequency"),
        ("Les MSP accompagnent toujours les usagers à domicile.", "Les MSP accompagnent les usagers à domicile.", "frequency"),
        ("Peer workers always attend meetings.", "Peer workers often attend meetings.", "frequency"),
        # modality
        (PEUVENT.replace("peuvent", "doivent"), PEUVENT, "modality"),
        ("Les MSP doivent accompagner les usagers.", "Les MSP accompagnent les usagers.", "modality"),
        ("La formation des pairs est obligatoire.", "La formation des pairs est facultative.", "modality"),
        ("Peer workers must attend supervision.", "Peer workers may attend supervision.", "modality"),
        # the source's hedge dropped
        (PEUVENT.replace("peuvent développer", "développent"), PEUVENT, "hedge_dropped"),
        (SOUVENT.replace(" souvent", ""), SOUVENT, "hedge_dropped"),
        ("Les pairs-aidants ont suivi une formation.", "Certains pairs-aidants ont suivi une formation.", "hedge_dropped"),
        ("Les MSP interviennent à domicile.", "Les MSP interviennent notamment à domicile.", "hedge_dropped"),
        ("Les MSP interviennent à domicile.", "Les MSP interviennent en particulier à domicile.", "hedge_dropped"),
        ("Les pairs interviennent à domicile.", "Les pairs interviennent parfois à domicile.", "hedge_dropped"),
        ("Peer workers attend meetings.", "Peer workers sometimes attend meetings.", "hedge_dropped"),
        # exclusivity added
        ("Seuls les MSP accompagnent les usagers.", "Les MSP accompagnent les usagers.", "exclusive_added"),
        ("Les MSP accompagnent uniquement les usagers.", "Les MSP accompagnent les usagers.", "exclusive_added"),
        ("Les MSP n'accompagnent que les usagers.", "Les MSP accompagnent les usagers.", "exclusive_added"),
        ("Only peer workers attend meetings.", "Peer workers attend meetings.", "exclusive_added"),
    ],
)
def test_stronger_claims_are_caught(claim, source, code):
    finding = strengthened(claim, source)
    assert finding is not None and finding.code == code


@pytest.mark.parametrize(
    "claim, source",
    [
        # same cue, or a weaker one
        (PEUVENT, PEUVENT),
        (CERTAINS, CERTAINS.replace("certains pairs", "tous les pairs")),
        ("Certains pairs-aidants ont suivi une formation.", "Les pairs-aidants ont suivi une formation."),
        ("Les MSP peuvent accompagner les usagers.", "Les MSP doivent accompagner les usagers."),
        ("Les MSP accompagnent parfois les usagers.", "Les MSP accompagnent souvent les usagers."),
        ("Les MSP pourraient accompagner les usagers.", "Les MSP peuvent accompagner les usagers."),
        # the hedge kept in other words or another voice
        ("Cela relève des établissements, en particulier dans l'enseignement supérieur.",
         "Cela relève des établissements, notamment dans l'enseignement supérieur."),
        ("Les usagers peuvent être accompagnés par les MSP.", "Les MSP peuvent accompagner les usagers."),
        ("Les pairs interviennent parfois à domicile.", "Les pairs peuvent intervenir à domicile."),
        ("Les MSP accompagnent uniquement les usagers.", "Les MSP n'accompagnent que les usagers."),
        ("Une partie des pairs aidants a bénéficié d'une formation, les autres non.",
         "Certains ont bénéficié d'une formation, d'autres non."),  # the same hedge on other words
        ("Des passerelles sont envisageables entre les deux rôles.", "Passerelles possibles entre les deux rôles."),
        (EXCLUSIVEMENT, EXCLUSIVEMENT),
        ("Les intervenants pairs sont des personnes vivant avec une maladie chronique.", EXCLUSIVEMENT),  # weaker
        # "pas tous" is partial, "pas toujours" is not "always"
        ("Tous les pairs ne sont pas salariés.", "Certains pairs ne sont pas salariés."),
        ("Les MSP n'accompagnent pas toujours les usagers.", "Les MSP accompagnent souvent les usagers."),
        ("La formation n'est pas obligatoire.", "La formation est facultative."),
        # a hedge on content the claim does not repeat
        ("Les MSP accompagnent les usagers vers le rétablissement.",
         "Les MSP accompagnent les usagers vers le rétablissement, qui peut prendre plusieurs années."),
        ("Les MSP accompagnent les usagers.", "Les MSP accompagnent les usagers et peuvent orienter les familles."),
        ("Ils apportent une aide dans la restauration d'une estime de soi.", NOTAMMENT),
        ("Le pouvoir d'agir des personnes est renforcé.", "Le pouvoir d'agir des personnes est renforcé."),
        # a universal on content the source does not share
        ("Tous les usagers ont un référent.", "Les MSP accompagnent les familles."),
        # the source's obligation on another word of the same statement
        ("Devenir travailleur pair exige une progression vers un mieux-être.",
         "La condition requise pour devenir travailleur pair est la progression vers un mieux-être."),
    ],
)
def test_equal_or_weaker_claims_are_not_flagged(claim, source):
    assert strengthened(claim, source) is None
