"""PDFs made like LaTeX, Word or LibreOffice make them, read back into clean passages
with their section path and pages."""

from __future__ import annotations

import re

import pytest

from ingest.catalog import CatalogEntry
from ingest.chunking import chunk_document
from ingest.loaders import LoadError, load
from ingest.pdf import reader
from ingest.store import chunk_from_record, chunk_metadata

from .pdfs import image_only_page_pdf, latex_like_pdf, office_like_pdf, text_pdf

ENTRY = CatalogEntry(title="Manuel", organisation="Org", year=2024)

LATEX_PAGES = [
    ["Le syst`eme lit le fichier de configuration puis il d´e-",
     "marre la mesure de la tension sur chaque entr´ee analogique.",
     "La r´esistance est mesur´ee par comparaison avec une valeur connue",
     "et le r´esultat s'affiche dans la fen^etre principale du logiciel.",
     "Chaque mesure est enregistr´ee dans un fichier que l'on peut relire.",
     "Le courant traverse la r´esistance puis revient vers la masse."],
    ["La fr´equence du signal carr´e se r`egle avec le curseur du panneau.",
     "Un oscilloscope affiche les deux voies en fonction du temps et la",
     "fr´equence mesur´ee s'affiche sous le graphique avec sa p´eriode.",
     "On peut ensuite sauvegarder les points dans un fichier de texte.",
     "´Etudier la tension alternative du secteur demande des pr´ecautions."],
    ["Le capteur de temp´erature se branche sur l'entr´ee SEN du bo^itier.",
     "Sa r´esistance varie avec la temp´erature et le logiciel la convertit",
     "en degr´es Celsius gr^ace `a une table de correspondance fournie.",
     "La courbe obtenue montre le refroidissement de l'eau dans le temps.",
     "Les valeurs sont enregistr´ees toutes les secondes pendant une heure."],
]
LATEX_OUTLINE = [("Mesures électriques", 1, 0), ("Résistance", 2, 0), ("Signaux", 1, 1), ("Fréquence", 2, 1), ("Chaleur", 1, 2)]


@pytest.fixture
def latex_pdf(tmp_path):
    pages = [[line.replace("^", "") for line in page] for page in LATEX_PAGES]
    return latex_like_pdf(tmp_path / "manuel-latex.pdf", pages, LATEX_OUTLINE, header="2.3. MESURES ET SIGNAUX")


def long_tokens(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_]+", text) if len(w) >= 18]


def test_latex_like_pdf_reads_without_glued_words(latex_pdf):
    source = load(latex_pdf)
    assert [q.reader for q in source.page_quality] == ["pypdfium2"] * 3, "pypdf glues these words, pdfium does not"
    assert all(q.other_score is not None and q.score > q.other_score for q in source.page_quality)
    chunks = chunk_document(source, latex_pdf.name, ENTRY, 400, 40)
    text = "\n".join(c.text for c in chunks)
    assert not long_tokens(text)
    assert "Le système lit le fichier de configuration puis il démarre la mesure" in text
    assert "La résistance est mesurée par comparaison" in text
    assert "Étudier la tension alternative" in text


def test_latex_like_pdf_passages_lose_the_running_header_and_page_numbers(latex_pdf):
    source = load(latex_pdf)
    chunks = chunk_document(source, latex_pdf.name, ENTRY, 400, 40)
    for chunk in chunks:
        assert "MESURES ET SIGNAUX" not in chunk.text
        assert not re.search(r"^\s*1[123]\s*$", chunk.text, re.M)
        assert source.text[chunk.start : chunk.end] == chunk.source_text


def test_latex_like_pdf_sections_come_from_the_outline_with_their_pages(latex_pdf):
    chunks = chunk_document(load(latex_pdf), latex_pdf.name, ENTRY, 300, 30)
    assert all(c.section for c in chunks)
    by_text = {c.text[:30]: c for c in chunks}
    first = next(c for t, c in by_text.items() if t.startswith("Le système"))
    assert first.section == "Mesures électriques > Résistance" and first.page == 1
    second = next(c for c in chunks if "oscilloscope" in c.text)
    assert second.section == "Signaux > Fréquence" and second.page == 2
    third = next(c for c in chunks if "refroidissement" in c.text)
    assert third.section == "Chaleur" and third.page == third.page_end == 3


BODY_WORDS = ["con\u00adfi\u00adgu\u00adra\u00adtion", "dé\u00admar\u00adrage", "pro\u00adfes\u00adsion\u00adnel", "ac\u00adqui\u00adsi\u00adtion", "ana\u00adlo\u00adgique"]


def office_body(topic: str, sentences: int = 14) -> str:
    return " ".join(f"La {BODY_WORDS[i % 5]} du {topic} numéro {i} est décrite ici." for i in range(sentences)) + " Une ﬁche résume tout."


@pytest.fixture
def office_pdf(tmp_path):
    sections = [(1, "Installation", office_body("boîtier")), (2, "Branchements", office_body("câble", 40)), (1, "Utilisation", office_body("logiciel", 30))]
    table = [["Borne", "Rôle", "Tension"], ["A1", "entrée analogique", "±16 V"], ["PV1", "sortie programmable", "±5 V"]]
    return office_like_pdf(tmp_path / "guide-office.pdf", sections, table)


def test_office_like_pdf_joins_soft_hyphens_and_drops_header_and_footer(office_pdf):
    source = load(office_pdf)
    assert source.pages >= 2
    assert "\ufffe" in source.text, "the test PDF must break words at soft hyphens"
    chunks = chunk_document(source, office_pdf.name, ENTRY, 500, 50)
    text = "\n".join(c.text for c in chunks)
    assert "Guide de l’utilisateur" not in text and "Page 1 /" not in text
    assert not re.search(r"\w-\s\w", text), "no hyphenated halves left"
    assert "Une fiche résume tout" in text and "ﬁ" not in text
    for word in ("configuration", "démarrage", "professionnel", "acquisition", "analogique"):
        assert word in text


def test_office_like_pdf_table_rows_stay_rows(office_pdf):
    chunks = chunk_document(load(office_pdf), office_pdf.name, ENTRY, 500, 50)
    lines = [line for c in chunks for line in c.text.split("\n")]
    assert "Borne | Rôle | Tension" in lines
    assert "A1 | entrée analogique | ±16 V" in lines
    assert "PV1 | sortie programmable | ±5 V" in lines


def test_office_like_pdf_sections_and_page_ranges(office_pdf):
    source = load(office_pdf)
    chunks = chunk_document(source, office_pdf.name, ENTRY, 500, 50)
    assert {c.section for c in chunks} >= {"Installation", "Installation > Branchements", "Utilisation"}
    assert all(c.page <= c.page_end for c in chunks)
    assert any(c.page_end > c.page for c in chunks) or source.pages == 1
    last = chunks[-1]
    assert last.page_end == source.pages


def test_without_outline_sections_come_from_heading_fonts(tmp_path):
    sections = [(1, "Installation", office_body("boîtier")), (2, "Branchements", office_body("câble", 40)), (1, "Utilisation", office_body("logiciel", 30))]
    path = office_like_pdf(tmp_path / "sans-signets.pdf", sections, outline=False)
    source = load(path)
    assert source.pages >= 2
    assert {h.origin for h in source.headings} == {"font"}
    chunks = chunk_document(source, path.name, ENTRY, 500, 50)
    assert all(c.section for c in chunks)
    assert {c.section for c in chunks} >= {"Installation", "Installation > Branchements", "Utilisation"}


def test_a_scanned_page_and_a_garbled_page_are_named_in_warnings(tmp_path):
    prose = "La pair-aidance repose sur le partage du savoir expérientiel entre les personnes. " * 6
    garbage = " ".join("xqzvk brtgh plmnw qrstv" for _ in range(20))
    path = image_only_page_pdf(tmp_path / "mixte.pdf", [prose, garbage, prose], image_page=2)
    source = load(path)
    problems = {q.page: q.problem for q in source.page_quality}
    assert problems[2] == "scannée" and problems[3] and not problems[1] and not problems[4]
    assert any("scannées" in w and "2" in w for w in source.warnings)
    assert any("illisible" in w and "3" in w for w in source.warnings)


def test_a_pdf_pypdfium2_cannot_open_is_read_by_pypdf(tmp_path, monkeypatch):
    path = text_pdf(tmp_path / "repli.pdf", ["Le médiateur de santé pair partage son savoir expérientiel. " * 5])
    monkeypatch.setattr(reader, "read_with_pdfium", lambda data, on_page=None: RuntimeError("pdfium ne sait pas"))
    source = load(path)
    assert [q.reader for q in source.page_quality] == ["pypdf"]
    assert "savoir expérientiel" in source.text


def test_a_pdf_pypdf_cannot_open_is_read_by_pypdfium2(tmp_path, monkeypatch):
    path = text_pdf(tmp_path / "repli.pdf", ["Le médiateur de santé pair partage son savoir expérientiel. " * 5])

    def broken(data):
        raise reader.pypdf.errors.PdfReadError("xref cassée")

    monkeypatch.setattr(reader, "open_pypdf", broken)
    source = load(path)
    assert [q.reader for q in source.page_quality] == ["pypdfium2"]


def test_a_pdf_neither_reader_opens_is_refused(tmp_path):
    path = tmp_path / "casse.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 200)
    with pytest.raises(LoadError, match="corrompu|illisible|sans texte"):
        load(path)


def test_page_end_is_kept_by_the_store_metadata(office_pdf):
    chunks = chunk_document(load(office_pdf), office_pdf.name, ENTRY, 3000, 0)
    chunk = next(c for c in chunks if c.page_end > c.page)
    assert chunk_from_record(chunk.chunk_id, chunk.text, chunk_metadata(chunk, "/x.pdf")).page_end == chunk.page_end
    old = chunk_metadata(chunk, "/x.pdf")
    del old["page_end"]
    assert chunk_from_record(chunk.chunk_id, chunk.text, old).page_end == chunk.page, "records written before page_end read as one page"
