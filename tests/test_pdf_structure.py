"""Pure rules of PDF reading: page quality figures and heading location, on literal lines."""

from __future__ import annotations

from ingest.pdf.headings import PageLines, find_headings, fold, font_headings, numbered_headings, outline_headings
from ingest.pdf.pages import Line, OutlineEntry
from ingest.pdf.quality import better_reader, garbage_reason, text_figures
from ingest.pdf.reader import PageChoice, assemble, heading_title
from ingest.types import PageQuality

VOCABULARY = {"le", "système", "lit", "fichier", "configuration", "puis", "démarre", "mesure", "la", "de"}


def test_glued_words_score_below_spaced_words():
    spaced = text_figures("Le système lit le fichier de configuration puis démarre la mesure", VOCABULARY)
    glued = text_figures("Lesystème lit lefichier deconfiguration puisdémarre lamesure", VOCABULARY)
    run = text_figures("Lesystèmelitlefichierdeconfigurationpuisdémarrelamesure", VOCABULARY)
    assert spaced.score == 1.0
    assert glued.score < 0.5 and run.long_words == 1.0 and run.score == 0.0
    assert better_reader(glued, spaced) and not better_reader(spaced, glued)


def test_an_empty_primary_page_takes_the_fallback_text():
    assert better_reader(text_figures("", VOCABULARY), text_figures("le système", VOCABULARY))


def test_garbage_is_told_without_a_dictionary():
    prose = text_figures("Le médiateur de santé pair partage son savoir et il a connu la maladie. " * 5, set())
    soup = text_figures("xqzvk brtgh plmnw qrstv " * 20, set())
    symbols = text_figures("$%& ()*+ ,-./ 0123 ;<=> ?@[ " * 20 + " un mot", set())
    private = text_figures("\ue000\ue001\ue002 le la " * 30, set())
    assert garbage_reason(prose) == ""
    assert "aucun mot courant" in garbage_reason(soup)
    assert garbage_reason(symbols) == "peu de lettres"
    assert garbage_reason(private) == "caractères illisibles"


def test_tables_of_contents_are_not_garbage():
    toc = text_figures("1.2.6 Fréquencemètres . . . . . . . . . . . . 20\n" * 30 + "de la et le", set())
    assert toc.letters > 0.9


def test_fold_matches_latex_accents_with_outline_titles():
    assert fold("1.2.6 Fr´equencem`etres") == "126frequencemetres"
    assert fold("Fréquencemètres") in fold("1.2.6 Fr´equencem`etres")


def page(index: int, *texts: str, furniture: frozenset[int] = frozenset()) -> PageLines:
    return PageLines(index, tuple(Line(t) for t in texts), furniture)


def test_outline_titles_are_found_on_their_page_even_wrapped_or_one_page_late():
    pages = [
        page(0, "CHAPITRE 2. MESURES 14", "Du texte qui parle de la fr´equence.", "2.8 Courant continu, courant alternatif, et effet", "d’antenne", "Objectif", furniture=frozenset({0})),
        page(1, "Premier paragraphe.", "2.9 Le son", "Le son se propage."),
    ]
    outline = [OutlineEntry("Courant continu, courant alternatif, et effet d’antenne", 2, 0), OutlineEntry("Le son", 2, 0)]
    found = outline_headings(pages, outline)
    assert [(h.page, h.first, h.last) for h in found] == [(0, 2, 3), (1, 1, 1)]


def test_an_outline_title_not_on_the_page_is_placed_by_its_height():
    lines = (Line("En-tête", top=800), Line("Texte au-dessus.", top=700), Line("Titre mal écrit", top=500), Line("Suite.", top=480))
    found = outline_headings([PageLines(0, lines)], [OutlineEntry("Entrées analogiques:math:pm16V", 3, 0, top=505)])
    assert (found[0].first, found[0].last, found[0].level) == (2, -1, 3)


def test_font_headings_rank_by_size_and_join_wrapped_titles():
    lines = (
        Line("Chapitre 2", 20.7, True), Line("Expériences", 24.8, True),
        Line("Le corps du texte est en dix points et continue ici.", 10.0),
        Line("2.8 Courant continu, courant alternatif, et effet", 14.3, True), Line("d’antenne", 14.3, True),
        Line("Objectif", 12.0, True), Line("Le corps du texte est en dix points, comme partout.", 10.0),
        Line("Une figure en gros caractères : 12345 = 67", 14.3),
    )
    found = font_headings([PageLines(0, lines)])
    assert [(h.first, h.last, h.level, h.title) for h in found] == [
        (0, 1, 1, "Chapitre 2 Expériences"),
        (3, 4, 2, "2.8 Courant continu, courant alternatif, et effet d’antenne"),
        (5, 5, 3, "Objectif"),
        (7, 7, 2, "Une figure en gros caractères : 12345 = 67"),
    ]


def test_numbered_headings_without_fonts_but_not_list_items():
    found = numbered_headings([page(0, "Chapitre 3", "1. Brancher le câble.", "3.2 Mesurer la tension", "Le texte.", "3.2.1 Objectif")])
    assert [(h.first, h.level) for h in found] == [(0, 1), (2, 2), (4, 3)]


def test_front_matter_gets_the_title_as_its_section():
    pages = [page(0, "Manuel de l’utilisateur", "Version 4"), page(1, "Introduction", "Le texte.")]
    found = find_headings(pages, [OutlineEntry("Introduction", 1, 1), OutlineEntry("Suite", 1, 1)])
    assert (found[0].origin, found[0].title, found[0].page) == ("title", "Manuel de l’utilisateur", 0)


def test_assembled_text_sets_headings_apart_and_locates_them():
    quality = PageQuality(1, "pypdfium2", 1.0, 1.0)
    choices = [PageChoice([Line("Le texte avant."), Line("1.2 Le mat´eriel"), Line("Le texte après.")], quality),
               PageChoice([Line("Page deux.")], quality)]
    headings = numbered_headings([PageLines(0, tuple(choices[0].lines)), PageLines(1, tuple(choices[1].lines))])
    text, starts, located = assemble(choices, headings)
    assert text == "Le texte avant.\n\n1.2 Le mat´eriel\n\nLe texte après.\fPage deux."
    assert starts == [0, text.index("Page deux.")]
    assert located[0].title == "1.2 Le matériel" and text[located[0].offset :].startswith("1.2 Le mat")


def test_heading_titles_are_cleaned():
    assert heading_title("2.1 Mesurer\tla r´esistance ") == "2.1 Mesurer la résistance"


def test_contents_pages_go_but_a_preface_in_the_same_section_stays():
    from pathlib import Path

    from ingest.catalog import CatalogEntry
    from ingest.chunking import chunk_document
    from ingest.loaders import SourceDocument
    from ingest.types import Heading

    preface = ("Préface\n\nLe projet PHOENIX vise à améliorer l’enseignement des sciences. Il n’y a pas besoin "
               "d’une alimentation séparée, puisqu’il fonctionne à l’aide de la prise USB.\n")
    contents = "Table des matières\n" + "".join(f"{n}.1 Objectif … {n + 6}\n{n}.2 Procédure … {n + 7}\n" for n in range(1, 12))
    figures = "Liste des figures\n" + "".join(f"{n}.1 Copie d’écran montrant la tension aux bornes du circuit … {n + 8}\n" for n in range(1, 4))
    chapter = "Un bon départ\n\n" + "On mesure la tension de la pile avec le boîtier et on note la valeur. " * 6 + "\n"
    pages = ["Manuel de l’utilisateur\nVersion 4\n", preface, contents, figures, chapter]
    text = "\f".join(pages)
    starts = [sum(len(p) + 1 for p in pages[:i]) for i in range(len(pages))]
    source = SourceDocument(path=Path("m.pdf"), text=text, sha256="x", markdown=False, page_starts=starts, pages=len(pages),
                            headings=[Heading(1, "Manuel de l’utilisateur", 0, "title"), Heading(1, "Un bon départ", starts[4], "outline")])
    chunks = chunk_document(source, "m.pdf", CatalogEntry(title="Manuel", organisation="", year=None), 1000, 120)
    joined = " ".join(c.text for c in chunks)
    kept = next(c for c in chunks if "alimentation séparée" in c.text)
    assert kept.section == "Manuel de l’utilisateur" and kept.page_end == 2
    assert "… " not in joined and "Objectif" not in joined and "Copie d’écran" not in joined
    assert any(c.section == "Un bon départ" for c in chunks)
