"""Negations and polarity flips between a claim and its source sentence."""

import pytest

from assistant.meaning.words import stem
from assistant.meaning.polarity import negations, polarity_conflict, unstated_negation

# Real sentences from the corpus.
BELGIQUE = "En Belgique francophone, le métier de pair-aidant n'existe pas encore."
EMPOWERMENT = (
    "L'approche basée sur l'empowerment apporte des pistes pour lutter contre les inégalités "
    "mais ne constitue pas la solution miracle."
)
STATUT = "Si leur statut n'est pas encadré, ils sont tenus aux mêmes obligations de formation que les autres acteurs de l'ETP."
SALAIRE = (
    "Principales critiques : ne bénéficiant que d'un statut et d'un salaire inférieur aux autres professionnels, "
    "les pairs-aidants se sentent rabaissés."
)
SANTE = "La santé ne consiste pas seulement en une absence de maladie ou d'infirmité."
AUTONOMIE = (
    "Conçu comme un outil au service de l'autonomie et non en concurrence avec l'expertise des professionnels, "
    "la pair-aidance est en phase de déploiement."
)


@pytest.mark.parametrize(
    "text, cue, scope_has",
    [
        (BELGIQUE, "n' … pas", {"exist"}),
        (EMPOWERMENT, "ne … pas", {"constitu", "solut"}),
        ("Il n'y a pas de statut officiel à ce jour.", "n' … pas", {"statut", "officiel"}),
        ("Les pairs ne sont plus rémunérés.", "ne … plus", {"remuner"}),
        ("Les MSP ne sont jamais consultés.", "ne … jamais", {"consult"}),
        ("Les MSP ne sont ni formés ni rémunérés.", "ne … ni", {"form", "remuner"}),
        ("Ils travaillent sans contrat dans les hôpitaux.", "sans", {"contrat"}),
        ("Ils interviennent sans être rémunérés.", "sans", {"remuner"}),
        ("Aucune formation n'est exigée.", "Aucune … n'", {"format", "exig"}),
        ("Un travail non rémunéré.", "non", {"remuner"}),
        ("Un intervenant non-professionnel.", "non-professionnel", {"professionnel"}),
        ("Pas de formation requise pour ce poste.", "Pas", {"format"}),
        ("Jamais les pairs n'ont été consultés.", "Jamais … n'", {"consult"}),
        (AUTONOMIE, "non", {"concurr"}),
        ("Peer workers are not paid.", "not", {"paid"}),
        ("Peer workers don't replace nurses.", "n't", {"replac", "nurs"}),
        ("Peer workers cannot prescribe.", "cannot", {"prescrib"}),
        ("They never work alone.", "never", {"work"}),
        ("No formal training is required.", "No", {"formal", "training"}),
        ("They work without supervision.", "without", {"supervis"}),
        ("Neither nurses nor doctors were trained.", "Neither", {"nurs"}),
        ("Les pairs n'ont aucunement été consultés.", "n' … aucunement", {"consult"}),
        ("Nulle formation n'est exigée des pairs.", "Nulle … n'", {"format"}),
        ("L'hôpital a refusé de financer le poste.", "refusé … de", {"financ"}),
        ("L'équipe néglige d'associer les pairs.", "néglige … d'", {"associ"}),
        ("Ils renoncent à la formation.", "renoncent … à", {"format"}),
        ("Une association à but non-lucratif.", "non-lucratif", {"lucrat"}),
        ("La structure ne poursuit pas de but lucratif.", "ne … pas", {"poursuiv", "lucrat"}),
        ("The hospital refused to fund the post.", "refused … to", {"fund"}),
    ],
)
def test_negations_are_found_with_their_scope(text, cue, scope_has):
    found = negations(text)
    assert [n.cue for n in found][:1] == [cue]
    assert scope_has <= found[0].scope
    assert text[found[0].start : found[0].end].startswith(cue.split(" … ")[0])


@pytest.mark.parametrize(
    "text",
    [
        "Les pairs n'interviennent qu'à domicile.",  # ne … que = only
        SALAIRE,
        SANTE,  # ne … pas seulement = not only
        "Non seulement les pairs accompagnent, mais ils forment.",
        "C'est sans doute la meilleure approche.",
        "Le guide permettra sans aucun doute aux auteurs de poursuivre.",  # certainly
        "C'est sans nul doute la meilleure approche.",
        "N'importe quel usager peut venir.",
        "Il y a pas mal de pairs dans ce service.",
        "Ne serait-ce que pour les usagers, c'est utile.",
        "Cette intégration ne se fait pas sans difficultés.",  # double negation
        "Ce n'est pas sans risque.",
        "Les premiers pas des pairs-aidants.",  # "pas" is a noun
        "Si jamais un usager appelle, le pair répond.",
        "D'aucuns pensent que les pairs sont utiles.",
        "Peer support is not only about listening.",
        "No doubt peer workers help.",
        "La démocratie en santé ne se limite pas à la représentation des usagers.",  # = not only
        "Son rôle ne se résume pas aux groupes de parole.",
        "Aucun handicap, aussi lourd soit-il, ne rend impossible la participation.",  # double negation
        "Il n'est pas impossible de former les pairs.",
        "Ce qui est opposé à subjectif.",  # the opposite of, not a refusal
        "Le savoir expérientiel n'est pas une pure et simple compilation des situations passées.",  # = not merely
        "Le pair n'est pas un simple témoin.",
        "Experiential knowledge is not a mere compilation of past experiences.",
        "Experiential knowledge is not just a compilation of past experiences.",
    ],
)
def test_not_negations(text):
    assert negations(text) == []


def test_correction_negates_only_the_corrected_part():
    (negation,) = negations("Les pairs ne sont pas formés par les professionnels mais par les usagers.")
    assert negation.scope == {"professionnel"}


def test_scope_stops_at_clause_end():
    (negation,) = negations("Les pairs ne sont pas salariés, mais ils interviennent à l'hôpital.")
    assert "hopital" not in negation.scope and "intervienn" not in negation.scope


@pytest.mark.parametrize(
    "claim, source",
    [
        ("En Belgique francophone, le métier de pair-aidant existe déjà.", BELGIQUE),
        ("L'approche basée sur l'empowerment constitue la solution miracle.", EMPOWERMENT),
        ("Leur statut est encadré.", STATUT),
        ("Il y a un statut officiel de pair-aidant.", "En tous cas, il n'y a pas de statut officiel à ce jour."),
        ("Les pairs sont rémunérés par l'hôpital.", "Les pairs ne sont pas rémunérés par l'hôpital."),
        ("Les pairs ne sont pas rémunérés par l'hôpital.", "Les pairs sont rémunérés par l'hôpital."),
        ("Les MSP sont formés.", "Les MSP ne sont ni formés ni rémunérés."),
        ("Les pairs travaillent sans contrat.", "Les pairs travaillent avec un contrat."),
        ("Le travail des pairs est rémunéré.", "Le travail des pairs est non rémunéré."),
        ("Cette intégration se fait sans difficultés.", "Cette intégration ne se fait pas sans difficultés."),
        ("Les pairs sont formés par les professionnels.", "Les pairs ne sont pas formés par les professionnels mais par les usagers."),
        ("Peer workers are paid.", "Peer workers are not paid."),
        ("Peer workers replace nurses.", "Peer workers don't replace nurses."),
        ("Une association à but lucratif.", "Une association à but non-lucratif."),
        ("Les pairs ont été consultés.", "Les pairs n'ont aucunement été consultés."),
        ("La région a refusé de financer le poste.", "La région a financé le poste."),
        # "différentes" before a noun means "various", not "not the same": no negation of its own
        ("Les différentes équipes ont permis de recruter des pairs.", "Les équipes n'ont pas permis de recruter des pairs."),
        # function words between the denied word and its neighbours: still the same use
        ("Les besoins sont satisfaits par les institutions existantes.",
         "Les besoins ne sont pas ou ne peuvent pas être satisfaits par ou au travers des institutions existantes."),
        # the negated word is also stated, unnegated, elsewhere on the negating side
        ("On encourage les MSP dans les établissements de santé, mais pas dans les établissements médico-sociaux.",
         "Les MSP seront encouragés tant dans les établissements de santé que dans les établissements médico-sociaux."),
    ],
)
def test_polarity_flips_are_caught(claim, source):
    finding = polarity_conflict(claim, source)
    assert finding is not None and finding.code == "polarity"
    assert finding.claim_term and finding.source_term


@pytest.mark.parametrize(
    "claim, source",
    [
        # both negated, in other words
        ("Le métier de pair-aidant n'existe toujours pas en Belgique.", BELGIQUE),
        ("Les pairs ne sont pas payés.", "Les pairs ne sont pas rémunérés."),
        # the claim leaves out the negated side clause
        ("L'approche basée sur l'empowerment apporte des pistes pour lutter contre les inégalités.", EMPOWERMENT),
        ("Les pairs interviennent à l'hôpital.", "Les pairs ne sont pas rémunérés par l'hôpital."),
        # ne … que, ne … pas seulement, non seulement
        ("Les pairs n'interviennent qu'à domicile.", "Les pairs interviennent uniquement à domicile."),
        ("Les pairs-aidants bénéficient d'un statut inférieur aux autres professionnels.", SALAIRE),
        ("La santé consiste en une absence de maladie, mais pas seulement.", SANTE),
        # negation paraphrased without a cue
        ("L'absence de statut officiel freine les pairs.", "Il n'y a pas de statut officiel."),
        ("Les pairs-aidants sont différents des soignants.", "Les pairs-aidants ne sont pas des soignants."),
        ("Cette intégration se fait avec des difficultés.", "Cette intégration ne se fait pas sans difficultés."),
        ("Les pairs sont formés par les usagers.", "Les pairs ne sont pas formés par les professionnels mais par les usagers."),
        ("Peer workers are unpaid volunteers.", "Peer workers are not paid."),
        ("La structure ne poursuit pas de but lucratif.", "Une structure à but non-lucratif."),
        ("Les soignants connaissent mal ce métier.", "Le manque de connaissance de ce métier par les soignants."),
        ("Aucune maladie, aussi grave soit-elle, ne rend impossible une amélioration.", "Une amélioration est toujours possible."),
        ("La démocratie en santé ne se limite pas à la représentation.", "La démocratie en santé dépasse la représentation."),

        ("La pair-aidance est en phase de déploiement.", AUTONOMIE),
        ("Les pairs-aidants accompagnent les usagers.", "Les pairs-aidants accompagnent les usagers."),
        # the source negates a word of the same stem elsewhere, and states the claim's very word
        ("Les AA sont la source d'aide la plus utilisée face à l'alcoolisme.",
         "Les AA sont la source d'aide la plus utilisée en alcoolisme ; ils visent une vie sans alcool."),
    ],
)
def test_faithful_claims_are_not_flagged(claim, source):
    assert polarity_conflict(claim, source) is None


# The tokenisation the checks share (assistant.meaning.words).

from assistant.meaning.words import PhraseTable, contains_phrase, words  # noqa: E402


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Le pair-aidant n'est pas l'usager.", ["Le", "pair-aidant", "n'", "est", "pas", "l'", "usager"]),
        ("L’usager qu’il accompagne", ["L’", "usager", "qu’", "il", "accompagne"]),
        ("Le médiateur de santé-pair aujourd'hui", ["Le", "médiateur", "de", "santé-pair", "aujourd'hui"]),
        ("Peer workers don't replace nurses.", ["Peer", "workers", "do", "n't", "replace", "nurses"]),
    ],
)
def test_words_keep_every_word(text, expected):
    found = words(text)
    assert [w.text for w in found] == expected
    assert all(text[w.start : w.end] == w.text for w in found)


def test_words_fold_and_stem():
    usager, usagers, elision, _ = words("usager Usagers N’est")
    assert usager.stem == usagers.stem
    assert usagers.folded == "usagers" and elision.folded == "n'"
    assert words("forment formés")[0].stem == words("forment formés")[1].stem


def test_phrases_match_inflected_multiword_terms():
    table = PhraseTable({"médiateur de santé pair": "msp", "pair": "pair"})
    matches = table.find(words("Les médiateurs de santé pairs et les pairs"))
    assert [(m.first, m.last, m.label) for m in matches] == [(1, 4, "msp"), (7, 7, "pair")]
    assert contains_phrase(words("Il vient, tandis que les pairs restent."), "tandis que")
    assert not contains_phrase(words("Il vient tandis les pairs restent."), "tandis que")


def test_an_irregular_verb_is_one_word_whatever_its_form():
    # Snowball stems "soutient" souti and "soutenu" soutenu: the negation went unseen
    finding = polarity_conflict("La Fondation Abbé Pierre ne soutient pas le projet Totem.",
                                "Le projet Totem est soutenu par la Fondation Abbé Pierre.")
    assert finding is not None
    assert stem("interviennent") == stem("intervenu") == stem("intervient")
    assert stem("reconnaît") == stem("reconnue") and stem("offert") == stem("offrent") and stem("vécu") == stem("vivent")
    assert stem("suite") != stem("suit")  # « la suite » is not « il suit »


def test_a_negated_light_verb_denies_what_follows_it():
    claim = "Les rencontres ne reposent pas sur le volontariat."
    assert polarity_conflict(claim, "Les rencontres ont un caractère volontaire.") is not None
    assert polarity_conflict(claim, "Les rencontres ont lieu chaque semaine.") is None  # nothing said of it
    # a verb with its own meaning is not read through its object
    assert polarity_conflict("Les pairs ne remplacent pas les soignants.", "Les pairs complètent les soignants.") is None


def test_a_denied_lack_flips_the_lack_its_source_states():
    # "manque" is a negation in other words, but not of itself
    assert polarity_conflict(
        "Les soignants ne manquent pas de connaissances sur cette possibilité.",
        "Les principaux freins étaient le manque de connaissance des soignants sur cette possibilité.",
    ) is not None


@pytest.mark.parametrize("claim, source", [
    ("Le Dr Lagouanelle-Simeoni n'exerce pas à l'AP-HM.", "Dr Marie-Claude Lagouanelle-Simeoni, médecin de santé publique, AP-HM."),
    ("La CoP ne s'intéresse pas aux personnes en situation complexe de handicap.",
     "La CoP a pour vocation de contribuer à l'amélioration des situations de vie des personnes en situation complexe de handicap."),
])
def test_a_denial_of_what_the_source_never_mentions_is_unstated(claim, source):
    assert unstated_negation(claim, source).code == "negation_unstated"


@pytest.mark.parametrize("claim, source", [
    # the source denies it in other words
    ("Avoir vécu des expériences douloureuses ne suffit pas à garantir l'élaboration de savoirs.",
     "Le seul fait d'avoir vécu des expériences douloureuses ne garantissant pas l'élaboration de savoirs."),
    ("Il n'existe pas de mode de rémunération unique.", "Il n'y a cependant pas de mode de rémunération unique."),
    # … with a synonym (synonyms.py) of the denied word
    ("Ils donnent de leur temps sans être payés.", "Ils donnent un temps personnel et non rémunéré."),
    ("Il n'est nullement assuré qu'une personne agisse ainsi.", "Rien ne garantit qu'une personne agira ainsi."),
    # the source states the denied word (the polarity check judges it)
    ("Les pairs ne sont pas rémunérés.", "Les pairs sont rémunérés."),
    # a light verb is judged by what it bears on
    ("Les GEM ne reposent pas sur le volontariat.", "Le caractère volontaire des GEM."),
    # a quoted title is a name, held to the passage's words by the quotation checks
    ("Le rapport « Zéro sans solution » suggère que les MDPH reçoivent des crédits.",
     "Les MDPH pourraient être destinataires de crédits nationaux."),
])
def test_a_denial_the_source_speaks_of_is_not_unstated(claim, source):
    assert unstated_negation(claim, source) is None


def test_a_synonym_stands_for_the_denied_word_only():
    # « assurer » is a synonym of « garantir », but the source denies a training, not the job
    assert unstated_negation("Le dispositif ne garantit pas l'emploi.", "Le dispositif n'assure pas de formation.") is not None


@pytest.mark.parametrize("claim, source", [
    ("L'exemple du pair aidant est loin d'être inspirant pour la reconnaissance des patients.",
     "L'exemple du pair aidant est inspirant, notamment dans la reconnaissance des patients."),
    ("Il est faux que, dans le glossaire, le pairjectif soit opposé au subjectif.",
     "Est PAIRJECTIF ce qui est opposé à subjectif au sens valable pour tous les pairs."),
])
def test_clause_denials_flip_polarity(claim, source):
    assert polarity_conflict(claim, source) is not None


def test_far_from_a_place_is_no_denial():
    assert negations("Ils habitent loin de Paris.") == []


def test_not_speaking_of_what_the_source_names_denies_it():
    source = "Cela a permis de mettre en évidence les freins et les leviers, mais aussi les attentes de chacun."
    finding = polarity_conflict("L'atelier a fait ressortir les freins et les leviers, sans aborder les attentes de chacun.", source)
    assert finding is not None and finding.source_term == "attentes"
    assert polarity_conflict("L'atelier se penche sur l'intérêt du savoir expérientiel sans en examiner les limites.",
                             "L'atelier porte sur l'intérêt et les limites du savoir expérientiel.") is not None
    # the source does not name them either: nothing to deny
    assert polarity_conflict("L'atelier a fait ressortir les freins, sans aborder les attentes.", "Il a fait ressortir les freins.") is None


@pytest.mark.parametrize("text", [
    "Il n'y a pas une seule association dans la région.",  # not a single one: a negation
    "Recruiting peers is not a simple task.",  # not easy: a negation
    "Le pair n'est pas un témoin.",
])
def test_a_negation_before_an_article_stays_one(text):
    assert len(negations(text)) == 1
