"""Opposite words and swapped comparisons."""

import pytest

from assistant.meaning.lexicon import PAIR_COUNT, comparison_swap, inverted_pairs, poles

# Real sentences from the corpus.
SALAIRE = (
    "Principales critiques : ne bénéficiant que d'un statut et d'un salaire inférieur aux autres professionnels, "
    "les pairs-aidants se sentent rabaissés."
)
CHOIX = (
    "L'intérêt de telles pratiques est double : celui pour les usagers d'avoir plus de choix et de contrôle sur "
    "leur vie mais aussi pour les professionnels de trouver plus de satisfaction dans leur travail."
)
COMPLEMENTAIRES = (
    "Ce travail participe à la reconnaissance des savoirs expérientiels comme complémentaires des savoirs des "
    "professionnels."
)
SEMBLABLES = "La parole des semblables est plus forte que celle des institutions."
REHOSPITALISATION = (
    "L'étude retrouve sur trois ans un taux de réhospitalisation inférieur dans le groupe bénéficiant du "
    "programme pair-aidant par rapport au groupe témoin."
)


def test_the_table_is_large_enough():
    assert PAIR_COUNT >= 80


@pytest.mark.parametrize(
    "claim, source, claim_term, source_term",
    [
        (SALAIRE.replace("inférieur", "supérieur"), SALAIRE, "supérieur", "inférieur"),
        ("Deux groupes d'usagers à faible risque.", "Deux groupes d'usagers à haut risque.", "faible", "haut"),
        ("Une normativité accrue sur les comportements.", "Une normativité moindre sur les comportements.", "accrue", "moindre"),
        ("Les pairs interviendront à la place des professionnels.", "Les pairs seront en binôme avec des professionnels.",
         "à la place", "en binôme"),
        ("Les familles disent en bénéficier largement.", "Les familles déclarent en bénéficier très peu.", "largement", "très peu"),
        (CHOIX.replace("plus de choix", "moins de choix").replace("plus de satisfaction", "moins de satisfaction"), CHOIX, "moins", "plus"),
        ("Ce travail reconnaît que les savoirs expérientiels remplacent les savoirs des professionnels.", COMPLEMENTAIRES, "remplacent", "complémentaires"),
        (REHOSPITALISATION.replace("inférieur", "supérieur"), REHOSPITALISATION, "supérieur", "inférieur"),
        ("Les effectifs de MSP augmentent.", "Les effectifs de MSP diminuent.", "augmentent", "diminuent"),
        ("On observe une hausse des hospitalisations.", "On observe une baisse des hospitalisations.", "hausse", "baisse"),
        ("La formation est facultative.", "La formation est obligatoire.", "facultative", "obligatoire"),
        ("Les pairs-aidants sont bénévoles.", "Les pairs-aidants sont salariés.", "bénévoles", "salariés"),
        ("L'entretien a lieu après la sortie.", "L'entretien a lieu avant la sortie.", "après", "avant"),
        ("Les MSP sont majoritaires dans l'équipe.", "Les MSP sont minoritaires dans l'équipe.", "majoritaires", "minoritaires"),
        ("Un accompagnement collectif.", "Un accompagnement individuel.", "collectif", "individuel"),
        ("La formation se déroule à distance.", "La formation se déroule en présentiel.", "à distance", "présentiel"),
        ("Le statut des pairs est reconnu.", "Le statut des pairs est contesté.", "reconnu", "contesté"),
        ("Le dispositif freine le rétablissement.", "Le dispositif favorise le rétablissement.", "freine", "favorise"),
        ("La relation de confiance sert à limiter leur intégration.", "La relation de confiance sert à favoriser leur intégration.", "limiter", "favoriser"),
        ("Les résultats sont meilleurs.", "Les résultats sont pires.", "meilleurs", "pires"),
        ("Les deux approches sont identiques.", "Les deux approches sont différentes.", "identiques", "différentes"),
        ("Le guide a été écrit en écartant les usagers.", "Le guide a été écrit en associant les usagers.", "écartant", "associant"),
        ("Le groupe est réservé aux proches.", "Le groupe est ouvert à tous les proches.", "réservé", "ouvert à tous"),
        ("Le réseau vise à freiner la pair-aidance.", "Le réseau vise à promouvoir la pair-aidance.", "freiner", "promouvoir"),
        ("Le réseau disperse les initiatives.", "Le réseau rassemble les initiatives.", "disperse", "rassemble"),
        ("Cette implication nuit à la démocratie en santé.", "Cette implication contribue à la démocratie en santé.", "nuit", "contribue"),
        ("Un lien qui dissuade les usagers.", "Un lien plus rassurant et donc encourageant les usagers.", "dissuade", "encourageant"),
        ("Une notion figée.", "Une notion évolutive.", "figée", "évolutive"),
        ("Créer au plus un groupe par département.", "Créer au moins un groupe par département.", "au plus", "au moins"),
        ("De longue date, les associations ont une place.", "Depuis peu, les associations ont une place.", "De longue date", "Depuis peu"),
        ("Le dispositif bénéficie moins aux plus éloignés.", "Le dispositif bénéficie principalement aux plus éloignés.", "moins", "principalement"),
        ("Peer workers are paid.", "Peer workers are volunteers.", "paid", "volunteers"),
        ("Peer work reduces hospital stays.", "Peer work increases hospital stays.", "reduces", "increases"),
        ("Training is optional.", "Training is mandatory.", "optional", "mandatory"),
        ("Peer workers have fewer contacts with users.", "Peer workers have more contacts with users.", "fewer", "more"),
    ],
)
def test_opposites_are_caught(claim, source, claim_term, source_term):
    findings = inverted_pairs(claim, source)
    assert findings and findings[0].code == "antonym"
    assert (findings[0].claim_term, findings[0].source_term) == (claim_term, source_term)


@pytest.mark.parametrize(
    "claim, source",
    [
        (SALAIRE, SALAIRE),
        ("Les pairs-aidants ont un salaire plus faible que les autres professionnels.", SALAIRE),  # no pair word
        ("La formation n'est pas obligatoire.", "La formation est facultative."),  # negated opposite
        ("Les pairs ne sont pas salariés.", "Les pairs sont bénévoles."),
        ("Les pairs n'interviennent plus à domicile.", "Les pairs interviennent moins à domicile."),  # ne … plus
        ("De plus, les pairs interviennent à domicile.", "Les pairs interviennent moins à domicile."),  # de plus
        ("Les pairs interviendront plus tard.", "Les pairs interviennent moins souvent."),
        ("Les usagers ont plus ou moins de choix.", CHOIX.replace("plus de choix", "moins de choix")),
        ("Ce dernier accompagne les usagers.", "Le premier accompagne les usagers."),  # "ce dernier" = the latter
        ("Les différents acteurs se rencontrent.", "Les mêmes acteurs se rencontrent."),  # "différents" = various
        ("Le grand public connaît mal les pairs.", "Le secteur privé connaît mal les pairs."),  # "public" = audience
        ("Tout au long du parcours, le pair accompagne.", "À court terme, le pair accompagne."),
        ("L'entretien a lieu avant et après la sortie.", "L'entretien a lieu après la sortie."),  # both sides
        ("Les infirmiers sont moins nombreux que les MSP.", "Les MSP sont plus nombreux que les infirmiers."),
        ("La Haute Autorité de santé publie un guide.", "La santé basse est un risque."),  # a name, not an adjective
        ("Ce document présente les pairs.", "The absence of peers."),  # French "présente" is not English "present"
    ],
)
def test_faithful_or_unrelated_senses_are_not_flagged(claim, source):
    assert inverted_pairs(claim, source) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Les MSP sont plus nombreux que les infirmiers.", ["plus"]),
        ("Les pairs n'interviennent plus.", []),
        ("De plus, les pairs interviennent.", []),
        ("Il viendra plus tard, non plus.", ["tard"]),  # "plus tard" is "later": only "tard" counts
        ("Avant tout, le pair écoute.", []),
        ("D'après les pairs, le soutien aide.", []),
        ("Les pairs sont de plus en plus nombreux.", ["plus", "plus"]),
    ],
)
def test_plus_moins_only_as_comparatives(text, expected):
    assert [m.text for m in poles(text)] == expected


@pytest.mark.parametrize(
    "claim, source",
    [
        ("Les infirmiers sont plus nombreux que les MSP.", "Les MSP sont plus nombreux que les infirmiers."),
        ("La parole des institutions est plus forte que celle des semblables.", SEMBLABLES),
        ("Le salaire des infirmiers est supérieur à celui des pairs.", "Le salaire des pairs est supérieur à celui des infirmiers."),
        (
            "Le taux est plus faible dans le groupe témoin que dans le groupe pair-aidant.",
            "Le taux est plus faible dans le groupe pair-aidant que dans le groupe témoin.",
        ),
        ("Nurses are more numerous than peer workers.", "Peer workers are more numerous than nurses."),
        ("Nurses' wages are lower than peer workers' wages.", "Peer workers' wages are lower than nurses' wages."),
        ("Le nombre d'infirmiers dépasse celui des MSP.", "Le nombre de MSP dépasse celui des infirmiers."),
    ],
)
def test_swapped_comparisons_are_caught(claim, source):
    finding = comparison_swap(claim, source)
    assert finding is not None and finding.code == "comparison_swap"


@pytest.mark.parametrize(
    "claim, source",
    [
        (SEMBLABLES, SEMBLABLES),
        ("La parole des semblables pèse plus que celle des institutions.", SEMBLABLES),
        ("La parole des institutions est moins forte que celle des semblables.", SEMBLABLES),  # both inverted
        ("Les MSP sont plus nombreux.", "Les MSP sont plus nombreux que les infirmiers."),  # shorter claim
        ("Les pairs sont plus nombreux que les MSP.", "Les infirmiers sont plus nombreux que les médecins."),
    ],
)
def test_kept_comparisons_are_not_flagged(claim, source):
    assert comparison_swap(claim, source) is None


def test_a_pole_word_negated_a_few_words_before_turns_back():
    """« même » is no content word, so no negation scope holds it: « n'est pas le même »."""
    source = "leur positionnement n’est pas le même : le représentant"
    assert [f.code for f in inverted_pairs("leur positionnement ne diffère pas : le représentant", source)] == ["antonym"]
    assert inverted_pairs("leur positionnement diffère : le représentant", source) == []


@pytest.mark.parametrize("claim, source", [
    ("un net recul de cette notion", "un essor considérable de cette notion"),
    ("une bonne alliance thérapeutique", "une mauvaise alliance thérapeutique"),
    ("le travail en plus grands groupes", "le travail en plus petits groupes"),
])
def test_more_antonyms_are_inversions(claim, source):
    assert inverted_pairs(claim, source)


@pytest.mark.parametrize("claim, source", [
    ("ils ont peu de points communs", "ils ont de nombreux points communs"),
    ("une part marginale de leur activité", "une part importante de leur activité"),
    ("former les équipes après la mise en place", "former les équipes préalablement à ce type de pratique"),
    ("ce qui est synonyme de subjectif", "ce qui est opposé à subjectif"),
])
def test_quantity_importance_and_order_antonyms(claim, source):
    assert inverted_pairs(claim, source)


def test_with_both_sides_in_the_source_the_side_on_the_same_object_decides():
    source = ("Plusieurs propositions pour dépasser les freins ont été faites : s'appuyer sur la relation de confiance "
              "afin de favoriser leurs intégrations dans les programmes d'ETP")
    found = inverted_pairs("Il est proposé de s'appuyer sur la relation de confiance pour limiter l'intégration des patients.", source)
    assert [(f.claim_term, f.source_term) for f in found] == [("limiter", "favoriser")]
    assert inverted_pairs("Il est proposé de s'appuyer sur la relation de confiance pour favoriser l'intégration des patients.", source) == []


def test_a_ranking_the_source_does_not_make_is_caught():
    from assistant.meaning.lexicon import ranking_added

    source = "Les personnes peuvent développer des connaissances et compétences précieuses issues de leur expérience."
    added = ranking_added("Ces connaissances issues de l'expérience sont inférieures aux savoirs professionnels.", source)
    assert added.code == "ranking_added" and added.claim_term == "inférieures"
    assert ranking_added("Leur salaire est inférieur.", "Leur salaire est supérieur à celui des autres.") is None  # the antonym check's
    assert ranking_added("Ces connaissances servent à mieux accompagner.", source) is None


def test_a_synonym_of_one_side_of_a_pair_stands_on_that_side():
    from assistant.meaning.lexicon import inverted_pairs

    source = "Ces activités de care participent au développement humain et au bien-être social."
    found = inverted_pairs("Ces activités de care nuisent au développement humain et au bien-être social.", source)
    assert [(f.claim_term, f.source_term) for f in found] == [("nuisent", "participent")]
    assert inverted_pairs("Ces activités de care contribuent au développement humain.", source) == []


def test_a_comparison_the_source_does_not_make_is_caught():
    from assistant.meaning.lexicon import comparison_added

    source = ("Le rétablissement est basé sur la croyance que, quelle que soit la gravité d'une maladie psychique, "
              "un rétablissement est toujours possible.")
    added = comparison_added("Le rétablissement est d'autant moins possible que la maladie psychique est grave.", source)
    assert added.code == "comparison_added" and added.claim_term == "moins"
    assert comparison_added("Le public du partenariat est plus restreint que celui de l'intervention par les pairs.",
                            "Le partenariat en santé vise un public large.").claim_term == "plus"
    # a comparison the source makes too is the comparison checks' to judge, a name is no comparison
    assert comparison_added("Les pairs sont plus nombreux que les soignants.", "Les soignants sont plus nombreux que les pairs.") is None
    # « davantage … que » compares as « plus … que » does
    source = "Leur socle de compétences se base sur leur expérience de vie."
    added = comparison_added("Leur socle de compétences repose davantage sur leurs diplômes que sur leur expérience de vie.", source)
    assert added is not None and added.claim_term == "davantage"
    assert comparison_added("Le ministère de l'Enseignement supérieur a coordonné une dynamique.",
                            "Le ministère a coordonné une dynamique.") is None
    assert comparison_added("Un rétablissement est toujours possible, quelle que soit la gravité de la maladie.", source) is None
    # the source's own comparison, whose other side is a bare figure
    assert comparison_added("On alimente le moteur avec un rapport cyclique inférieur à 40 % dans quelques expériences.",
                            "Dans quelques expériences, on alimente le moteur avec un rapport cyclique inférieur à 40 %.") is None
    assert comparison_added("Le public du partenariat est plus restreint que celui de l'intervention par les pairs.",
                            "Le partenariat ne vise plus un public large.").claim_term == "plus"


def test_a_trend_the_source_does_not_state_is_caught():
    from assistant.meaning.lexicon import trend_added

    source = "Les politiques de santé actuelles intègrent désormais la prise en compte du savoir expérientiel."
    added = trend_added("Les politiques de santé intègrent de moins en moins le savoir expérientiel.", source)
    assert added is not None and added.code == "trend_added" and added.claim_term == "de moins en moins"
    assert trend_added("Les politiques de santé intègrent désormais le savoir expérientiel.", source) is None
    # a change the source states in other words: its direction is the antonym checks' business
    assert trend_added("La pair-aidance se développe de plus en plus.", "La pair-aidance connaît un essor.") is None
    assert trend_added("Les postes sont de moins en moins nombreux.", "Le nombre de postes est en baisse.") is None


def test_a_change_turned_around_is_caught():
    from assistant.meaning.lexicon import direction_swap

    source = "La démarche s'appuie sur la transformation de l'expérience en savoir expérientiel, c'est-à-dire en compétences."
    swapped = direction_swap("La démarche s'appuie sur la transformation du savoir expérientiel en expérience.", source)
    assert swapped is not None and swapped.code == "direction_swap"
    assert direction_swap("On passe de l'hôpital au domicile.", "Le passage du domicile à l'hôpital est préparé.") is not None
    # the same direction, in other words; and « de … à » without a word of change
    assert direction_swap("La démarche repose sur la transformation de l'expérience vécue en savoir.", source) is None
    assert direction_swap("Ils vont de 25 à 18 ans.", "Ils vont de 18 à 25 ans.") is None


def test_a_change_over_a_long_starting_point_is_read_whole():
    from assistant.meaning.lexicon import direction_swap

    source = "C'est l'occasion de se déplacer d'une posture d'aide à celle d'une rencontre des autres."
    assert direction_swap("C'est l'occasion de passer d'une posture de rencontre des autres à une posture d'aide.", source) is not None
    assert direction_swap("C'est l'occasion de passer d'une posture d'aide à une rencontre des autres.", source) is None


def test_a_ranking_of_what_the_source_puts_on_a_par_is_caught():
    from assistant.meaning.lexicon import equality_broken

    source = "Les expérimentations cherchent des modalités qui puissent convenir tant aux pairs qu'aux professionnels du secteur."
    found = equality_broken("Les modalités conviennent davantage aux professionnels du secteur qu'aux pairs.", source)
    assert found is not None and found.code == "equality_broken"
    assert equality_broken("Les apports des patients sont plus importants que ceux des professionnels.",
                           "Les apports comptent, à la fois ceux des patients et ceux des professionnels.") is not None
    # the par kept, or a comparison of other terms
    assert equality_broken("Les modalités conviennent aux pairs comme aux professionnels.", source) is None
    assert equality_broken("Les expérimentations sont plus nombreuses que prévu.", source) is None


def test_no_synonym_group_joins_the_two_sides_of_an_opposite_pair():
    """A paraphrase's synonyms count as said; one that is also the opposite of another word of
    its group would let an inverted claim pass as a paraphrase."""
    from assistant.meaning import lexicon, synonyms
    from assistant.meaning.words import phrase_key

    for line in synonyms._GROUPS.strip().splitlines():
        sides: dict[int, set[int]] = {}
        for form in line.split(","):
            for pole in lexicon._STEM_INDEX.get(phrase_key(form.strip(), "stem"), []):
                sides.setdefault(pole.pair, set()).add(pole.side)
        assert all(len(s) == 1 for s in sides.values()), line
