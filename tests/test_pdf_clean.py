"""Cleaning rules for PDF extractions, each on literal strings, offsets checked."""

from __future__ import annotations

import pytest

from ingest.clean import Mapped, clean, drop_page_furniture, normalize_glyphs, page_furniture


def pdf_clean(text: str) -> str:
    return clean(text, [0]).text


@pytest.mark.parametrize(("raw", "expected"), [
    ("une pro\ufffe\nfession", "une profession"),
    ("une pro\ufffefession", "une profession"),
    ("voir ci\ufffe\ndessus", "voir ci-dessus"),
    ("une pro\u00ad\nfession", "une profession"),
    ("une pro\u00adfes\u00adsion", "une profession"),
    ("une démarche évolu-\ntive", "une démarche évolutive"),
])
def test_hyphenation_marks_are_joined(raw, expected):
    assert pdf_clean(raw) == expected


def test_ligatures_become_letters_but_oe_and_ae_stay():
    assert pdf_clean("e\ufb03cace, \ufb01chier, \ufb02eur, e\ufb00et, ra\ufb04e, \ufb05yle, \ufb06op, œuvre, æther") == \
        "efficace, fichier, fleur, effet, raffle, style, stop, œuvre, æther"


def test_latex_spacing_accents_are_composed():
    assert pdf_clean("La r´esistance `a l’entr´ee peut ˆetre na¨ıve, fa¸cons, ˆıle.") == \
        "La résistance à l’entrée peut être naïve, façons, île."
    assert pdf_clean("la tension ´\nalternative") == "la tension alternative"


def test_backquotes_of_text_files_are_not_accents():
    assert "`echo`" in clean("lancer `echo` ici").text


@pytest.mark.parametrize(("raw", "expected"), [
    ("Note\u00a0: voir ; puis\u202f! Quoi\u2009?", "Note : voir ; puis ! Quoi ?"),
    ("Note: voir; puis!", "Note : voir ; puis !"),
    ("Quoi ?!", "Quoi ?!"),
    ("voir http://exemple.fr à 9:30 ou https://x.fr?a=1", "voir http://exemple.fr à 9:30 ou https://x.fr?a=1"),
    ("Remarque:\nLa suite.", "Remarque :\nLa suite."),
])
def test_french_spacing_before_double_punctuation_is_one_space(raw, expected):
    assert pdf_clean(raw) == expected


def test_odd_spaces_become_ordinary_spaces():
    assert pdf_clean("10\u202f000\u00a0V et\u2009plus") == "10 000 V et plus"


@pytest.mark.parametrize("bullet", ["•", "▪", "–", "◦", "\uf0b7", "\uf0a7", "—", "-"])
def test_bullets_become_dashes(bullet):
    assert pdf_clean(f"Liste :\n{bullet} premier point\n{bullet} second point") == "Liste :\n- premier point\n- second point"


def test_a_leading_minus_sign_is_not_a_bullet():
    assert pdf_clean("-5 V") == "-5 V"


def test_tab_separated_cells_stay_rows():
    text = pdf_clean("Borne\tRôle\tTension\nA1\tentrée\t±16 V\nA2\tentrée\t±16 V\nLe texte reprend\nsur deux lignes.")
    assert text.split("\n") == ["Borne | Rôle | Tension", "A1 | entrée | ±16 V", "A2 | entrée | ±16 V", "Le texte reprend sur deux lignes."]


def test_space_aligned_cells_in_a_pdf_are_rows_but_sloppy_prose_in_text_is_not():
    assert pdf_clean("A1    entrée    16 V\nA2    sortie    5 V").split("\n") == ["A1 | entrée | 16 V", "A2 | sortie | 5 V"]
    assert clean("sur deux lignes   et  des   espaces.").text == "sur deux lignes et des espaces."


def test_page_counters_and_control_characters_go():
    assert pdf_clean("Le texte.\n146/ 237\nLa suite\x00 ici\x02.") == "Le texte.\nLa suite ici."


PAGES = [
    "Manuel ExpEYES\n1.3. INSTALLATION DU LOGICIEL 21\nLe gain est régi par une résistance.\nObjectif\nMesurer.\n21",
    "Manuel ExpEYES\nCHAPITRE 1. UN BON DÉPART 22\nObjectif\nTexte de la deuxième page.\nSuite.\n22",
    "Manuel ExpEYES\n1.4. PREMIERS PAS 23\nTexte de la troisième page, Objectif affiché.\nSuite encore.\n23",
    "Manuel ExpEYES\nCHAPITRE 1. UN BON DÉPART 24\nDernière page.\nObjectif\nFin\n24",
]


def test_running_headers_page_numbers_and_printed_numbers_are_furniture():
    found = page_furniture(PAGES)
    assert found == [(0, 1, 5), (0, 1, 5), (0, 1, 4), (0, 1, 5)]


def test_a_line_also_used_in_the_body_is_not_furniture():
    # "Objectif" is at the top or bottom of some pages but also inside pages: a heading, kept.
    lines = [page.split("\n") for page in PAGES]
    for page, drop in zip(lines, page_furniture(PAGES)):
        assert not any(page[i] == "Objectif" for i in drop)


def test_counters_and_footers_with_totals_are_furniture():
    bodies = ["Le matériel.", "Les entrées analogiques.", "Le logiciel.", "Les sorties."]
    pages = [f"Titre courant du guide\n{body}\nGuide pratique … {n}/ 237" for n, body in zip(range(146, 150), bodies)]
    assert page_furniture(pages) == [(0, 2)] * 4


def test_dropping_furniture_keeps_the_source_offsets():
    source = "\f".join(PAGES)
    starts = [0]
    for page in PAGES[:-1]:
        starts.append(starts[-1] + len(page) + 1)
    mapped = drop_page_furniture(Mapped.of(source).sub(__import__("re").compile("\f"), "\n"), starts)
    assert "Manuel ExpEYES" not in mapped.text and "INSTALLATION" not in mapped.text
    assert "\n21" not in mapped.text
    index = mapped.text.index("Texte de la troisième page")
    assert source[mapped.offsets[index] :].startswith("Texte de la troisième page")


def test_glyph_normalisation_keeps_offsets():
    source = "e\ufb03cace r´esistance"
    mapped = normalize_glyphs(Mapped.of(source), pdf=True)
    assert mapped.text == "efficace résistance"
    start = mapped.text.index("résistance")
    assert source[slice(*mapped.source_span(start, start + len("résistance")))] == "r´esistance"


def test_two_part_headers_whose_titles_change_are_furniture():
    chapters = ["CHAPITRE 3. CHOISIR UNE DISTRIBUTION\t3.2. ET À PROPOS DE KNOPPIX", "CHAPITRE 4. OBTENIR DEBIAN\t4.1. LES MIROIRS",
                "CHAPITRE 5. LES PAQUETS\t5.3. LES DÉPENDANCES", "CHAPITRE 6. LES OUTILS\t6.2. APT"]
    bodies = ["Le choix se fait selon l'usage.\nKnoppix est dérivée.", "Les miroirs sont nombreux.\nChoisir le plus proche.",
              "Un paquet dépend d'autres.\nApt les installe.", "Apt est l'outil courant.\nAptitude aussi."]
    pages = [f"{header}\n{body}\n{n}" for n, (header, body) in enumerate(zip(chapters, bodies), start=13)]
    assert page_furniture(pages) == [(0, 3)] * 4


def test_capitalised_headers_without_column_gap_and_numbers_glued_to_titles_are_furniture():
    headers = ["CHAPITRE 1. DÉFINITIONS ET VUE D’ENSEMBLE 1.5. QUELLES SONT", "CHAPITRE 2. CHOISIR UNE DISTRIBUTION 2.1. LES VERSIONS",
               "CHAPITRE 3. LES PAQUETS DEBIAN 3.4. LES DÉPENDANCES", "CHAPITRE 4. LES OUTILS DE GESTION 4.2. APT"]
    bodies = ["Le projet Debian est ancien.\nIl réunit des bénévoles.", "Stable est la version publiée.\nTesting la prépare.",
              "Un paquet contient des fichiers.\nIl déclare ses dépendances.", "Apt installe les paquets.\nDpkg les déballe."]
    pages = [f"{h}\n{b}\nFin de page." if n % 2 else f"2.20. DÉPHASAGE DANS LES CIRCUITS{n + 52}\n{b}\nFin {n}." for n, (h, b) in enumerate(zip(headers, bodies))]
    found = page_furniture(pages)
    assert all(0 in drop for drop in found)
    assert all(1 not in drop for drop in found)


BULLETS_LOST = (
    "Le point de vigilance porte sur les rôles.\n"
    "Réflexion sur l'appellation patient expert :\n"
    "demande d'un cadrage par certains participants\n"
    "Point d'attention porté par certains participants\n"
    "concernant la prévention des conflits\n"
    "d'intérêt chez les représentants des usagers.\n"
)


def test_a_list_item_whose_bullet_was_lost_stays_its_own_line():
    lines = clean(BULLETS_LOST).text.split("\n")
    assert "Point d'attention porté par certains participants concernant la prévention des conflits d'intérêt chez les représentants des usagers." in lines


def test_an_item_opening_with_a_dictionary_word_the_document_writes_nowhere_else_stays_its_own_line():
    raw = ("Il faut parfois rassurer les usagers (ex : dans le secteur\nde la pédiatrie)\n"
           "Passerelles possibles entre patient expert et\nreprésentant des usagers\n")
    lines = clean(raw).text.split("\n")
    assert "Passerelles possibles entre patient expert et représentant des usagers" in lines, lines


@pytest.mark.parametrize("raw", [
    "Un outil écrit en Python est fourni.\nIl faut un interpréteur\nPython et un module série.\n",  # a name: capitalised mid-sentence
    "porté par l'association\nSavoirs Patients et soutenu par l'ARS.\n",  # two capitalised words: a name
    "porté par l'\nAgence régionale de santé et le point est fait.\n",  # the line ends on an article
    "cliquer sur le bouton\nEnregistrer sous.\nenregistrer le fichier\n",  # too short to be an item
])
def test_wrapped_lines_inside_a_sentence_are_still_joined(raw):
    first = raw.split("\n")[1] if raw.startswith("Un outil") else raw.split("\n")[0]
    assert any(line.startswith(first) and len(line) > len(first) for line in clean(raw).text.split("\n"))
