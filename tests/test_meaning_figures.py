"""Figures in claims and sources: extraction, normalisation and comparison (pure functions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.meaning.figures import Figure, FigureComparison, agree, compare_figures, extract_figures

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def only(text: str) -> Figure:
    figures = extract_figures(text)
    assert len(figures) == 1, [(f.kind, f.text) for f in figures]
    return figures[0]


def summary(text: str) -> list[tuple[str, float | None, float | None, str]]:
    return [(f.kind, f.value, f.high, f.unit) for f in extract_figures(text)]


def corpus_text(name: str, fragment: str) -> str:
    """A fragment that really occurs in a corpus document (whitespace as in the file)."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    assert fragment in text, f"not in {name}: {fragment!r}"
    return fragment


# ---------------------------------------------------------------------------------------------
# Numbers written with digits


@pytest.mark.parametrize(
    "text, value",
    [
        ("Il y avait 1500 personnes.", 1500.0),
        ("Il y avait 1 500 personnes.", 1500.0),
        ("Il y avait 1\u00a0500 personnes.", 1500.0),
        ("Il y avait 1\u202f500 personnes.", 1500.0),
        ("Il y avait 1.500 personnes.", 1500.0),  # French thousands dot
        ("Il y avait 1 234 567 personnes.", 1234567.0),
        ("La note moyenne est de 3,5 sur la durée.", 3.5),  # French decimal comma
        ("La note moyenne est de 3.5 sur la durée.", 3.5),
        ("Le ratio est de 1,500 dans le groupe.", 1.5),  # French: comma is decimal
        ("There were 1,500 people in the room.", 1500.0),  # English: comma groups thousands
        ("The ratio was 1.500 in the group.", 1.5),  # English: dot is decimal
        ("There were 1,500,000 people in the region.", 1500000.0),
        ("Il y avait 1.500.000 habitants dans la région.", 1500000.0),
        ("The budget was 1,250.50 for the group.", 1250.5),
        ("Le budget était de 1.250,50 pour le groupe.", 1250.5),
    ],
)
def test_digits_with_french_and_english_separators(text, value):
    figure = only(text)
    assert figure.kind == "number"
    assert figure.value == value
    assert figure.high is None


def test_figure_text_and_offsets_point_into_the_input():
    text = "Au total, 1\u202f500 personnes ont répondu en 2019."
    for figure in extract_figures(text):
        assert text[figure.start : figure.end] == figure.text
    assert [f.text for f in extract_figures(text)] == ["1\u202f500", "2019"]


def test_offsets_survive_characters_that_fold_to_several_letters():
    text = "Œuvre ﬁnancée : 54 personnes."
    figure = only(text)
    assert text[figure.start : figure.end] == "54"


# ---------------------------------------------------------------------------------------------
# Numbers written in words


@pytest.mark.parametrize(
    "text, value",
    [
        ("Ils étaient deux.", 2),
        ("Il y avait seize participants.", 16),
        ("Il y avait vingt participants.", 20),
        ("Il y avait vingt-neuf candidats.", 29),
        ("Il y avait vingt et un candidats.", 21),
        ("Il y avait trente-et-une personnes.", 31),
        ("Il y avait soixante-dix personnes.", 70),
        ("Il y avait soixante et onze personnes.", 71),
        ("Il y avait soixante-dix-sept personnes.", 77),
        ("Il y avait quatre-vingts personnes.", 80),
        ("Il y avait quatre-vingt-dix personnes.", 90),
        ("Il y avait quatre-vingt-dix-neuf personnes.", 99),
        ("Il y avait deux cents personnes.", 200),
        ("Il y avait deux cent cinquante personnes.", 250),
        ("Il y avait trois mille personnes.", 3000),
        ("Il y avait mille personnes.", 1000),
        ("Il y avait un million de personnes.", 1_000_000),
        ("Il y avait deux millions trois cent mille personnes.", 2_300_000),
        ("Il y avait une centaine de personnes.", 100),
        ("Il y avait une vingtaine de patients.", 20),
        ("There were two people.", 2),
        ("There were ninety-nine people.", 99),
        ("There were two hundred and fifty people.", 250),
        ("There were one hundred people.", 100),
        ("There were a thousand people.", 1000),
        ("There were three million people.", 3_000_000),
    ],
)
def test_numbers_in_words(text, value):
    figure = only(text)
    assert (figure.kind, figure.value, figure.unit) == ("number", float(value), "")


@pytest.mark.parametrize(
    "text",
    [
        "Un pair aidant accompagne une personne.",
        "A peer worker met one of the patients.",
        "Il a été recruté pour un an.",  # an article before a unit is still an article
        "Des milliers de personnes et des dizaines d'associations.",  # no count given
        "Un bâtiment tout neuf, remis à neuf.",  # neuf = new
    ],
)
def test_articles_and_words_that_are_not_figures(text):
    assert extract_figures(text) == []


def test_two_numbers_in_a_row_stay_two_numbers():
    assert [f.value for f in extract_figures("deux et trois ateliers, deux trois fois")] == [2.0, 3.0, 2.0, 3.0]


# ---------------------------------------------------------------------------------------------
# Money, scales, percentages


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("financés à hauteur de 7,8 M€ sur la durée", 7_800_000, "EUR"),
        ("financés à hauteur de 7,8M€ sur la durée", 7_800_000, "EUR"),
        ("financés à hauteur de 7,8 millions d'euros sur la durée", 7_800_000, "EUR"),
        ("financés à hauteur de 7 800 000 € sur la durée", 7_800_000, "EUR"),
        ("financés à hauteur de 7800000 euros sur la durée", 7_800_000, "EUR"),
        ("financés à hauteur de sept millions d'euros", 7_000_000, "EUR"),
        ("un budget de 50 k€ par an", 50_000, "EUR"),
        ("un budget de 2 Md€ par an", 2_000_000_000, "EUR"),
        ("un budget de 1,5 milliard d'euros", 1_500_000_000, "EUR"),
        ("funded with €7.8 million over the strategy", 7_800_000, "EUR"),
        ("funded with $5 million over the strategy", 5_000_000, "USD"),
        ("a grant of 300 dollars for each peer", 300, "USD"),
        ("a grant of 2000 euros for each peer", 2000, "EUR"),
    ],
)
def test_money_is_normalised_to_one_magnitude_and_currency(text, value, unit):
    figure = only(text)
    assert (figure.kind, figure.value, figure.unit) == ("money", float(value), unit)


@pytest.mark.parametrize(
    "text",
    ["un taux de 30 %", "un taux de 30%", "un taux de 30\u00a0%", "un taux de 30 pour cent",
     "un taux de trente pour cent", "a rate of 30 percent", "a rate of 30 per cent"],
)
def test_percentages(text):
    figure = only(text)
    assert (figure.kind, figure.value, figure.unit) == ("percent", 30.0, "%")


def test_decimal_percentage_and_hundred_percent():
    assert summary("un taux de 2,5 % puis cent pour cent") == [("percent", 2.5, None, "%"), ("percent", 100.0, None, "%")]


def test_currency_before_the_number_reads_as_english_typography():
    assert summary("un budget de €1,500") == [("money", 1500.0, None, "EUR")]


def test_latex_dollars_are_not_money():
    text = corpus_text("ireps-bfc-dossier-documentaire-pair-aidance-2019.md", "( $n = 106$ )")
    assert summary(text) == [("number", 106.0, None, "")]


# ---------------------------------------------------------------------------------------------
# Durations and other units


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("une formation de 35 h", 35, "h"),
        ("une formation de 35h, gratuite", 35, "h"),
        ("une formation de 35 heures", 35, "h"),
        ("pendant 3 jours", 3, "day"),
        ("pendant trois jours", 3, "day"),
        ("pendant 2 ans", 2, "year"),
        ("pendant 6 mois", 6, "month"),
        ("pendant 12 semaines", 12, "week"),
        ("pendant huit semaines", 8, "week"),
        ("pendant 90 minutes", 90, "min"),
        ("(10’ par groupe)", 10, "min"),
        ("for 3 days", 3, "day"),
        ("for two years", 2, "year"),
        ("for 4 weeks", 4, "week"),
        ("pendant une quinzaine de jours", 15, "day"),
    ],
)
def test_durations_have_a_normalised_unit(text, value, unit):
    figure = only(text)
    assert (figure.kind, figure.value, figure.unit) == ("duration", float(value), unit)


@pytest.mark.parametrize("text", ["54 personnes", "54 participants", "54 people", "cinquante-quatre personnes"])
def test_counts_of_people_are_plain_numbers(text):
    assert summary(text) == [("number", 54.0, None, "")]


def test_letters_glued_to_digits_are_codes_not_figures():
    assert extract_figures("Le projet 4P, le CI3P et la COVID-19 en 3D.") == []


def test_a_count_sign_is_the_count_it_marks():
    assert summary("Plénière trop longue (x4)") == [("number", 4.0, None, "")]
    assert summary("Un écran 1920x1080") != [("number", 1080.0, None, "")]


# ---------------------------------------------------------------------------------------------
# Dates, years, centuries, times


@pytest.mark.parametrize(
    "text, date",
    [
        ("la loi du 11/02/2005", (2005, 2, 11)),
        ("la loi du 11-02-2005", (2005, 2, 11)),
        ("la loi du 11.02.2005", (2005, 2, 11)),
        ("la loi du 2005-02-11", (2005, 2, 11)),
        ("la loi du 11 février 2005", (2005, 2, 11)),
        ("la loi du 11 fevrier 2005", (2005, 2, 11)),
        ("la loi du 11 FÉVRIER 2005", (2005, 2, 11)),
        ("la loi du 1er mars 2002", (2002, 3, 1)),
        ("la loi du premier mars 2002", (2002, 3, 1)),
        ("la loi de février 2005", (2005, 2, None)),
        ("en février 2005", (2005, 2, None)),
        ("les 02/2005", (2005, 2, None)),
        ("le 28 juin", (None, 6, 28)),
        ("réunis en juin", (None, 6, None)),
        ("the law of February 11, 2005", (2005, 2, 11)),
        ("the law of February 11th, 2005", (2005, 2, 11)),
        ("the law of 11 February 2005", (2005, 2, 11)),
        ("the law of February 2005", (2005, 2, None)),
        ("the law of Feb. 11, 2005", (2005, 2, 11)),
        ("signed on 11/25/2005", (2005, 11, 25)),  # day-first is impossible: month-first
    ],
)
def test_dates(text, date):
    figure = only(text)
    assert (figure.kind, figure.date, figure.value) == ("date", date, None)


def test_english_months_that_are_words_need_a_capital():
    assert extract_figures("Peers may help and march together.") == []
    assert only("It opened on May 5, 2010.").date == (2010, 5, 5)


def test_bare_years_and_year_ranges():
    assert summary("créée en 2005") == [("year", 2005.0, None, "")]
    assert only("créée en 2005").date == (2005, None, None)
    assert summary("la stratégie 2018-2022") == [("year", 2018.0, 2022.0, "")]
    assert summary("de 2011 à 2014") == [("year", 2011.0, 2014.0, "")]
    assert summary("entre 2012 et 2014") == [("year", 2012.0, 2014.0, "")]
    assert summary("from 2012 to 2014") == [("year", 2012.0, 2014.0, "")]


def test_numbers_outside_year_range_or_with_count_nouns_are_not_years():
    assert summary("1789 et 2000 personnes") == [("number", 1789.0, None, ""), ("number", 2000.0, None, "")]


def test_decades_are_year_ranges():
    assert summary("dans les années 80") == [("year", 1980.0, 1989.0, "")]
    assert summary("dans les années 1930") == [("year", 1930.0, 1939.0, "")]
    assert summary("in the 1980s") == [("year", 1980.0, 1989.0, "")]


@pytest.mark.parametrize("text", ["au XXe siècle", "au XXème siècle", "au 20e siècle", "au vingtième siècle", "in the twentieth century", "in the 20th century"])
def test_centuries_are_ordinals_with_unit_century(text):
    figure = only(text)
    assert (figure.kind, figure.value, figure.unit) == ("ordinal", 20.0, "century")


def test_roman_century_needs_capitals():
    assert only("au XIXème siècle").value == 19.0
    assert extract_figures("la vie siècle après siècle") == []


@pytest.mark.parametrize(
    "text, value",
    [("à 9h30", 9.5), ("à 9 h 30", 9.5), ("à 13H45", 13.75), ("à 14 h", 14.0), ("vers 9 heures", 9.0),
     ("at 9:30", 9.5), ("at 2:30 pm", 14.5), ("at 9 am", 9.0)],
)
def test_times(text, value):
    figure = only(text)
    assert (figure.kind, figure.value) == ("time", value)


# ---------------------------------------------------------------------------------------------
# Ordinals


@pytest.mark.parametrize(
    "text, value",
    [("le 1er atelier", 1), ("la 1re séance", 1), ("la 1ère séance", 1), ("le premier atelier", 1),
     ("la première séance", 1), ("le 2e atelier", 2), ("le 2ème atelier", 2), ("le deuxième atelier", 2),
     ("le second atelier", 2), ("la troisième étape", 3), ("la vingt-deuxième édition", 22),
     ("the first workshop", 1), ("the 2nd workshop", 2), ("the third step", 3), ("the 21st edition", 21),
     ("the twenty-first edition", 21)],
)
def test_ordinals(text, value):
    figure = only(text)
    assert (figure.kind, figure.value, figure.unit) == ("ordinal", float(value), "")


# ---------------------------------------------------------------------------------------------
# Ranges


@pytest.mark.parametrize(
    "text, expected",
    [
        ("de 3 à 5 personnes", ("number", 3.0, 5.0, "")),
        ("entre 3 et 5 personnes", ("number", 3.0, 5.0, "")),
        ("entre trois et cinq personnes", ("number", 3.0, 5.0, "")),
        ("from 3 to 5 people", ("number", 3.0, 5.0, "")),
        ("between 3 and 5 people", ("number", 3.0, 5.0, "")),
        ("pendant 3-5 ans", ("duration", 3.0, 5.0, "year")),
        ("pendant 3 à 5 jours", ("duration", 3.0, 5.0, "day")),
        ("pendant 3 jours à 5 jours", ("duration", 3.0, 5.0, "day")),
        ("entre 30 et 40 %", ("percent", 30.0, 40.0, "%")),
        ("de 3 à 5 millions d'euros", ("money", 3_000_000.0, 5_000_000.0, "EUR")),
        ("de 500 000 à 1 million d'euros", ("money", 500_000.0, 1_000_000.0, "EUR")),
        ("de trois à cinq millions d'euros", ("money", 3_000_000.0, 5_000_000.0, "EUR")),
        ("entre deux et trois millions de personnes", ("number", 2_000_000.0, 3_000_000.0, "")),
        ("de 9h à 12h", ("time", 9.0, 12.0, "")),
    ],
)
def test_ranges_are_one_figure(text, expected):
    assert summary(text) == [expected]


def test_hour_ranges_written_with_a_hyphen():
    assert summary("9h-12h : atelier") == [("time", 9.0, 12.0, "")]
    assert summary("10h–12h : atelier") == [("time", 10.0, 12.0, "")]
    # mid-sentence "9h-12h" may be hours of work; it still agrees with the same clock range
    assert agree(only("atelier 9h-12h"), only("atelier de 9h à 12h"))


def test_day_ranges_give_both_dates():
    assert [f.date for f in extract_figures("du 3 au 5 juin 2021")] == [(2021, 6, 3), (2021, 6, 5)]
    assert [f.date for f in extract_figures("entre le 3 et le 5 juin")] == [(None, 6, 3), (None, 6, 5)]
    assert compare_figures("La session a commencé le 3 juin 2021.", "Session du 3 au 5 juin 2021.").ok
    assert not compare_figures("La session a commencé le 4 juin 2021.", "Session du 3 au 5 juin 2021.").ok


def test_and_without_between_is_not_a_range():
    assert summary("3 et 5 personnes") == [("number", 3.0, None, ""), ("number", 5.0, None, "")]


def test_a_descending_pair_is_not_a_range():
    assert summary("passé de 5 à 3 ateliers") == [("number", 5.0, None, ""), ("number", 3.0, None, "")]


# ---------------------------------------------------------------------------------------------
# Identifiers and noise


@pytest.mark.parametrize(
    "text",
    [
        "la loi n° 2002-303",
        "la loi nº 2002-303",
        "l'article L. 1114-1",
        "l'article 34",
        "l'art. L114-1",
        "le code L114-3",
        "tel : 07 62 78 07 21",
        "tel : 06.65.80.75.45",
        "tel : +33 6 12 34 56 78",
        "(pages 17-22)",
        "voir p. 101",
        "ISBN 978-2-7071-5447-2",
    ],
)
def test_references_are_identifiers(text):
    figure = only(text)
    assert (figure.kind, figure.value) == ("identifier", None)


def test_postcode_before_a_city_is_an_identifier():
    assert summary("2 Rue Henri Barbusse, 13006 Marseille") == [("number", 2.0, None, ""), ("identifier", None, None, "")]


def test_hyphenated_descending_integers_are_a_reference():
    assert summary("Toxibase 1997 ; 92 : 755-60") == [("year", 1997.0, None, ""), ("number", 92.0, None, ""), ("identifier", None, None, "")]


@pytest.mark.parametrize(
    "text",
    [
        "3.1 - Personnes en situation de handicap",
        "1) Importance de partager",
        "2. Créer des interfaces",
        "# 4 - La place de l'usager",
        "**4 - LA PLACE DE L'USAGER**",
        "(1) l'envie de partager",
        "Les pairs aidants sont reconnus [2].",
        "Les pairs aidants sont reconnus [1, 3].",
        "Les pairs aidants sont reconnus (passage 2).",
        "En ligne : <https://www.cairn.info/revue-rhizome-2017-3-page-25.htm>",
        "[le rapport](https://www.gouvernement.fr/2018/12/publication_travail_pair.pdf)",
        "wp-content/uploads/2019/10/Actes_JE_EXPAIRS.pdf",
        "contact : marie-jeanne.fabiano2021@ars.sante.fr",
        '<td style="width: 50%">Partenariat</td>',
        "l&#8217;usager",
    ],
)
def test_markdown_html_and_list_noise_make_no_figure(text):
    assert extract_figures(text) == []


def test_section_number_is_noise_but_the_figures_after_it_count():
    assert summary("3.1 - Un séminaire de 54 personnes") == [("number", 54.0, None, "")]


def test_citation_words_and_markdown_emphasis():
    assert summary("Selon le passage 2, il y avait _54_ personnes.") == [("number", 54.0, None, "")]


# ---------------------------------------------------------------------------------------------
# agree()


def fig(text: str) -> Figure:
    return only(text)


@pytest.mark.parametrize(
    "claim, source",
    [
        ("cinquante-quatre personnes", "54 personnes"),
        ("54 participants", "54 personnes"),
        ("54 personnes", "54 people"),
        ("7,8 millions d'euros", "7,8 M€"),
        ("7 800 000 €", "7800000 euros"),
        ("€7.8 million", "7,8 M€"),
        ("trente pour cent", "30 %"),
        ("30 percent", "30 %"),
        ("trois jours", "3 jours"),
        ("3 days", "3 jours"),
        ("5 sessions", "5 jours"),  # the claim may leave out a unit
        ("en 2005", "11 février 2005"),
        ("février 2005", "11/02/2005"),
        ("le 28 juin", "28/06/2024"),
        ("le 28 juin 2024", "28/06/2024"),
        ("February 11, 2005", "11 février 2005"),
        ("de 3 à 5 ans", "entre 3 et 5 ans"),
        ("2019-2021", "de 2019 à 2021"),
        ("dans les années 1980", "dans les années 80"),
        ("le premier atelier", "le 1er atelier"),
        ("the first workshop", "la première séance"),
        ("au XXe siècle", "au vingtième siècle"),
        ("à 14 h", "14H00"),
        ("à 9h30", "at 9:30"),
        ("loi n° 2002-303", "loi no 2002-303"),
        ("2002-303", "loi n° 2002-303"),
    ],
)
def test_agree(claim, source):
    assert agree(fig(claim), fig(source))


@pytest.mark.parametrize(
    "claim, source",
    [
        ("45 personnes", "54 personnes"),
        ("en 2007", "en 2005"),
        ("28 juillet", "28 juin"),
        ("40 %", "30 %"),
        ("3 semaines", "3 jours"),
        ("3 jours", "3 heures"),
        ("30 %", "30 personnes"),
        ("30 personnes", "30 %"),
        ("30 €", "30 $"),
        ("7,8 millions d'euros", "7,8 milliards d'euros"),
        ("11 février 2005", "en 2005"),  # the source does not give the day
        ("4 ans", "de 3 à 5 ans"),  # the source does not give 4
        ("de 3 à 6 ans", "de 3 à 5 ans"),
        ("2020", "2019-2021"),
        ("le premier atelier", "le deuxième atelier"),
        ("au XIXe siècle", "au XXe siècle"),
        ("à 14 h", "à 15 h"),
        ("loi n° 2002-304", "loi n° 2002-303"),
        ("5 jours", "5"),  # the claim is more precise than the source
    ],
)
def test_do_not_agree(claim, source):
    assert not agree(fig(claim), fig(source))


# ---------------------------------------------------------------------------------------------
# compare_figures(): faithful paraphrases are ok


@pytest.mark.parametrize(
    "claim, source",
    [
        ("La journée a réuni cinquante-quatre personnes.", "Ce séminaire a rassemblé 54 personnes."),
        ("La journée a eu lieu le 28 juin 2024.", "Vendredi 28/06/2024 au City Center"),
        ("Les GEM recevront 7,8 millions d'euros.", "Les GEM seront financés à hauteur de 7,8 M€."),
        ("Les pairs aidants partagent leur expérience.", "En 2005, 54 personnes ont reçu 7,8 M€ pendant 3 jours."),
        ("La loi de 2005 a créé les GEM.", "La loi du 11 février 2005 permet la création de groupes d'entraide mutuelle."),
        ("La formation dure trente-cinq heures.", "Formation « intervenants pairs » : 35h, gratuite et accessible."),
        ("La formation dure cinq jours.", "formation gratuite répartie sur 5 jours"),
        ("Le programme a duré de trois à cinq ans.", "Le programme a duré entre 3 et 5 ans."),
        ("Environ 30 % des participants.", "Environ trente pour cent des participants."),
        ("The law of February 11, 2005 created mutual aid groups.", "La loi du 11 février 2005 permet la création de GEM."),
        ("About 1,500 people attended.", "Environ 1 500 personnes étaient présentes."),
        ("Le premier atelier a porté sur l'éthique.", "Le 1er atelier portait sur l'éthique."),
        ("Le programme a été expérimenté de 2011 à 2014.", "Le programme a été expérimenté entre 2011 et 2014."),
        ("Cela remonte aux années 1980.", "Les associations se créent dans les années 80."),
        ("Le séminaire a réuni 54 personnes [1].", "Ce séminaire a rassemblé 54 personnes."),
        ("Les 54 participants ont été réunis en 2024.", "Le 28 juin 2024, ce séminaire a rassemblé 54 personnes."),
        ("Les échanges ont été cités dix fois.", "Le plus apprécié : - Échange et rencontres (x10)"),  # the sign of a count
    ],
)
def test_faithful_paraphrases_are_ok(claim, source):
    result = compare_figures(claim, source)
    assert result.ok, (result.changed, result.missing)


def test_matched_pairs_name_the_source_figure():
    result = compare_figures("La journée a réuni cinquante-quatre personnes.", "Ce séminaire a rassemblé 54 personnes.")
    assert [(c.text, s.text) for c, s in result.matched] == [("cinquante-quatre", "54")]
    assert result.changed == () and result.missing == ()


# ---------------------------------------------------------------------------------------------
# compare_figures(): alterations are caught


@pytest.mark.parametrize(
    "claim, source, changed",
    [
        ("Le séminaire a réuni 45 personnes.", "Ce séminaire a rassemblé 54 personnes.", [("45", "54")]),
        ("Le séminaire a réuni quarante-cinq personnes.", "Ce séminaire a rassemblé 54 personnes.", [("quarante-cinq", "54")]),
        ("La loi de 2007 crée les GEM.", "La loi du 11 février 2005 crée les GEM.", [("2007", "11 février 2005")]),
        ("La loi de 2007 crée les GEM.", "La loi de 2005 crée les GEM.", [("2007", "2005")]),
        ("La journée a eu lieu le 28 juillet 2024.", "Vendredi 28 juin 2024", [("28 juillet 2024", "28 juin 2024")]),
        ("La journée a eu lieu le 27 juin 2024.", "Vendredi 28/06/2024", [("27 juin 2024", "28/06/2024")]),
        ("Un taux inférieur de 40 %.", "Un taux inférieur de 30 %.", [("40 %", "30 %")]),
        ("La formation dure 3 semaines.", "La formation dure 3 jours.", [("3 semaines", "3 jours")]),
        ("Les GEM recevront 8,7 millions d'euros.", "Les GEM seront financés à hauteur de 7,8 M€.", [("8,7 millions d'euros", "7,8 M€")]),
        ("Le programme a duré de 3 à 6 ans.", "Le programme a duré de 3 à 5 ans.", [("3 à 6 ans", "3 à 5 ans")]),
        ("Le deuxième atelier portait sur l'éthique.", "Le premier atelier portait sur l'éthique.", [("deuxième", "premier")]),
        ("La journée commence à 14 h.", "La journée commence à 13H45.", [("14 h", "13H45")]),
        ("La loi n° 2002-304 le prévoit.", "La loi n° 2002-303 le prévoit.", [("n° 2002-304", "n° 2002-303")]),
    ],
)
def test_changed_figures(claim, source, changed):
    result = compare_figures(claim, source)
    assert not result.ok
    assert [(c.text, s.text) for c, s in result.changed] == changed
    assert result.missing == ()


@pytest.mark.parametrize(
    "claim, source, missing",
    [
        ("Le séminaire a réuni 54 personnes en 2024.", "Ce séminaire a rassemblé 54 personnes.", ["2024"]),
        ("La loi du 11 février 2005 crée les GEM.", "La loi de 2005 crée les GEM.", ["11 février 2005"]),
        ("Le programme a duré 4 ans.", "Le programme a duré de 3 à 5 ans.", ["4 ans"]),
        ("Il y avait 4 groupes.", "Il y avait de 3 à 5 groupes.", ["4"]),
        ("Le taux est de 30 %.", "Trente personnes ont répondu.", ["30 %"]),
        ("The seminar gathered 54 people over 2 days.", "Ce séminaire a rassemblé 54 personnes.", ["2 days"]),
        ("Il y a 12 ateliers.", "Les pairs aidants partagent leur expérience.", ["12"]),
    ],
)
def test_missing_figures(claim, source, missing):
    result = compare_figures(claim, source)
    assert not result.ok
    assert [f.text for f in result.missing] == missing
    assert result.changed == ()


def test_only_unmatched_source_figures_count_as_rivals():
    # 54 is matched, so the altered 2007 pairs with the year and not with 54.
    result = compare_figures("En 2007, 54 personnes.", "En 2005, 54 personnes.")
    assert [(c.text, s.text) for c, s in result.changed] == [("2007", "2005")]
    assert [(c.text, s.text) for c, s in result.matched] == [("54", "54")]


def test_changed_figure_pairs_with_the_nearest_source_value():
    result = compare_figures("Il y avait 53 personnes.", "Il y avait 12 patients et 54 personnes.")
    assert [(c.text, s.text) for c, s in result.changed] == [("53", "54")]


def test_a_claim_with_no_figure_is_ok():
    result = compare_figures("Le partenariat patient se développe.", "En 2024, 54 personnes et 30 % de patients.")
    assert result == FigureComparison((), (), ())
    assert result.ok


def test_ok_is_false_when_anything_is_changed_or_missing():
    figure = only("54 personnes")
    assert FigureComparison(((figure, figure),), (), ()).ok
    assert not FigureComparison((), ((figure, figure),), ()).ok
    assert not FigureComparison((), (), (figure,)).ok


# ---------------------------------------------------------------------------------------------
# Real sentences from the corpus

CRES = "cres-paca-actes-journee-partenariat-patient-2024.txt"
IREPS = "ireps-bfc-dossier-documentaire-pair-aidance-2019.md"
ARS = "ars-journee-reflexion-engagement-usagers-2021.txt"
COPS = "cops-occitanie-intervention-pairs-partenariat-sante.md"
GLOSSARY = "cop-pdl-glossaire-intervenants-pairs.md"


def test_corpus_figures_are_read_correctly():
    assert summary(corpus_text(CRES, "Ce séminaire a rassemblé 54 personnes.")) == [("number", 54.0, None, "")]
    assert [f.date for f in extract_figures(corpus_text(CRES, "Vendredi 28 juin 2024"))] == [(2024, 6, 28)]
    assert summary(corpus_text(CRES, "Satisfaction concernant la qualité de la plénière : 3,6 /4")) == [
        ("number", 3.6, None, ""), ("number", 4.0, None, "")]
    assert summary(corpus_text(IREPS, "groupes d'entraide mutuelle (GEM) qui seront financés à hauteur de 7,8M€")) == [
        ("money", 7_800_000.0, None, "EUR")]
    assert [(f.kind, f.text) for f in extract_figures(corpus_text(GLOSSARY, "(Loi du 11/02/2005 et Art L114-1 et L114-3 du CASF)"))] == [
        ("date", "11/02/2005"), ("identifier", "Art L114-1"), ("identifier", "L114-3")]
    assert [(f.kind, f.value) for f in extract_figures(corpus_text(ARS, "3 JUIN 2021 à 13H45"))] == [("date", None), ("time", 13.75)]
    assert summary(corpus_text(COPS, "35h, gratuite et accessible")) == [("duration", 35.0, None, "h")]


def test_corpus_study_sentence():
    source = corpus_text(
        IREPS,
        "L'étude retrouve sur une période de trois ans un taux de réhospitalisation 15 % inférieur dans le groupe "
        "bénéficiant du programme pair-aidant de la FC ( $n = 106$ ) par rapport au groupe n'en bénéficiant pas "
        "( $n = 378$ ) (62 % *versus* 73 %).",
    )
    assert summary(source) == [
        ("duration", 3.0, None, "year"), ("percent", 15.0, None, "%"), ("number", 106.0, None, ""),
        ("number", 378.0, None, ""), ("percent", 62.0, None, "%"), ("percent", 73.0, None, "%")]
    assert compare_figures("Sur 3 ans, la réhospitalisation est 15 % plus basse (62 % contre 73 %).", source).ok
    altered = compare_figures("Sur 3 ans, la réhospitalisation est 25 % plus basse.", source)
    assert [(c.text, s.text) for c, s in altered.changed] == [("25 %", "15 %")]
    assert not compare_figures("Sur cinq ans, la réhospitalisation est 15 % plus basse.", source).ok


@pytest.mark.parametrize(
    "claim, source_file, source, ok",
    [
        ("La journée a réuni cinquante-quatre personnes.", CRES, "Ce séminaire a rassemblé 54 personnes.", True),
        ("La journée a réuni 45 personnes.", CRES, "Ce séminaire a rassemblé 54 personnes.", False),
        ("La journée s'est tenue le 28/06/2024.", CRES, "Vendredi 28 juin 2024", True),
        ("La journée s'est tenue le 28 juillet 2024.", CRES, "Vendredi 28 juin 2024", False),
        ("Les GEM disposent de 7,8 millions d'euros.", IREPS, "qui seront financés à hauteur de 7,8M€ sur la durée de la stratégie nationale", True),
        ("Les GEM disposent de 78 millions d'euros.", IREPS, "qui seront financés à hauteur de 7,8M€ sur la durée de la stratégie nationale", False),
        ("La loi de 2005 permet de créer des GEM.", IREPS, "La loi du 11 février 2005 permet la création de groupes d'entraide mutuelle.", True),
        ("La loi du 11 février 2007 permet de créer des GEM.", IREPS, "La loi du 11 février 2005 permet la création de groupes d'entraide mutuelle.", False),
        ("La formation des MSP dure 8 semaines.", IREPS, "au terme d'une formation de huit semaines équivalant à un diplôme universitaire", True),
        ("La formation des MSP dure 8 mois.", IREPS, "au terme d'une formation de huit semaines équivalant à un diplôme universitaire", False),
        ("Le programme a commencé avec vingt-neuf candidats.", IREPS, "il a débuté avec 29 candidats à des postes de MSP", True),
        ("Le projet Emilia a duré de 2005 à 2010.", IREPS, "De 2005 à 2010, le projet Emilia a", True),
        ("Le projet Emilia a duré de 2005 à 2012.", IREPS, "De 2005 à 2010, le projet Emilia a", False),
        ("Chaque atelier accueille une douzaine de participants.", ARS, "environ 12 participants par atelier sur inscription", True),
        ("La formation référents dure cinq jours.", COPS, "formation gratuite répartie sur 5 jours", True),
        ("La formation référents dure cinq semaines.", COPS, "formation gratuite répartie sur 5 jours", False),
    ],
)
def test_claims_against_corpus_sentences(claim, source_file, source, ok):
    assert compare_figures(claim, corpus_text(source_file, source)).ok is ok


def test_whole_corpus_document_extracts_without_error():
    text = (CORPUS / IREPS).read_text(encoding="utf-8")
    figures = extract_figures(text)
    assert len(figures) > 100
    assert all(text[f.start : f.end] == f.text for f in figures)
    assert not any(f.kind == "number" and f.text.startswith(("3.1", "4.1")) for f in figures)  # section numbers


def test_a_decade_in_words_is_a_year_range():
    (figure,) = extract_figures("apparus dans les années trente aux États-Unis")
    assert (figure.kind, figure.value, figure.high) == ("year", 1930.0, 1939.0)
    assert compare_figures("dans les années cinquante", "dans les années trente").changed


def test_a_count_whose_noun_the_source_counts_otherwise_is_changed():
    from assistant.meaning.figures import recounted

    source = "au sein de 29 équipes de soins généraux et spécialisés, dont quatre en santé mentale, de 19 établissements"
    [(claim_figure, source_figure)] = recounted("Il a impliqué 4 équipes de soins généraux de 19 établissements.", source)
    assert (claim_figure.text, source_figure.text) == ("4", "29")
    assert recounted("Quatre équipes en santé mentale y ont participé.", source) == []
    assert recounted("Il a impliqué 29 équipes de soins.", source) == []
    assert recounted("54 personnes ont participé.", "54 participants étaient présents.") == []
