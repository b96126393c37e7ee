"""Loaders and cleaning: encodings, PDF pages, every bad-input case, exact source spans."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.catalog import CatalogEntry
from ingest.chunking import chunk_document, find_sections
from ingest.clean import clean
from ingest.loaders import LoadError, decode_text, load

from .pdfs import encrypted_pdf, scanned_pdf, text_pdf

ENTRY = CatalogEntry(title="Doc de test", organisation="Org", year=2024)
FRENCH = "Le médiateur de santé pair partage son savoir expérientiel ; il a connu la maladie et s’en est rétabli. Œuvre, déjà, à côté."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_text_encodings_are_detected(tmp_path, encoding):
    text = FRENCH if encoding not in {"latin-1"} else FRENCH.replace("’", "'").replace("Œ", "Oe")
    path = tmp_path / "notes.txt"
    path.write_bytes(text.encode(encoding))
    assert load(path).text == text


def test_markdown_headings_become_the_section_path(tmp_path):
    path = tmp_path / "guide.md"
    path.write_text("# Partie 1 - Définitions\n\nIntro de la partie qui est assez longue pour compter comme un vrai passage du texte.\n\n"
                    "## Pair-aidance\n\n" + "La pair-aidance repose sur l'entraide entre personnes. " * 8 + "\n\n"
                    "## Savoir expérientiel\n\n" + "Le savoir expérientiel vient du vécu de la maladie. " * 8 + "\n", encoding="utf-8")
    chunks = chunk_document(load(path), "guide.md", ENTRY, 1000, 100)
    sections = [c.section for c in chunks]
    assert "Partie 1 - Définitions > Pair-aidance" in sections
    assert "Partie 1 - Définitions > Savoir expérientiel" in sections
    assert all(c.page is None for c in chunks)
    assert not any(c.text.lstrip().startswith("#") for c in chunks)


def test_cleaning_repairs_extraction_scars_and_keeps_exact_source_spans():
    source = ("Une démarche évolu-\ntive du <b>pair-</b>\naidant,\nsur deux lignes   et  des   espaces.\n\n"
              "<table><tr><td>Cellule A</td><td>Cellule B</td></tr></table>\n\nFin&nbsp;du texte.")
    mapped = clean(source)
    assert "évolutive" in mapped.text
    assert "pair-aidant" in mapped.text
    assert "<" not in mapped.text and "&nbsp;" not in mapped.text
    assert "sur deux lignes et des espaces" in mapped.text.replace("\n", " ")
    assert "Cellule A Cellule B" in " ".join(mapped.text.split())
    start, end = mapped.source_span(mapped.text.index("évolutive"), mapped.text.index("évolutive") + len("évolutive"))
    assert source[start:end] == "évolu-\ntive"


def test_chunks_point_back_at_their_exact_source_text(tmp_path):
    path = Path(__file__).resolve().parent.parent / "corpus" / "ireps-bfc-dossier-documentaire-pair-aidance-2019.md"
    source = load(path)
    chunks = chunk_document(source, path.name, ENTRY, 1000, 120)
    assert len(chunks) > 150
    for chunk in chunks:
        assert source.text[chunk.start : chunk.end] == chunk.source_text
        assert chunk.n_chunks == len(chunks)
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    assert [c.chunk_id for c in chunk_document(source, path.name, ENTRY, 1000, 120)] == [c.chunk_id for c in chunks]
    msp = next(c for c in chunks if c.text.startswith("MÉDIATEUR DE SANTÉ-PAIR"))
    assert msp.section.endswith("LA PAIR-AIDANCE EN DÉFINITIONS > MÉDIATEUR DE SANTÉ-PAIR")
    assert not any("… 10" in c.text and "EMPOWERMENT … 9" in c.text for c in chunks), "the table of contents is not a passage"


def test_pdf_pages_are_numbered_from_one_and_blank_pages_reported(tmp_path):
    path = text_pdf(tmp_path / "deux-pages.pdf", ["Première page : la pair-aidance en psychiatrie. " * 10,
                                                   "Troisième page : le patient partenaire en éducation thérapeutique. " * 10],
                    blank_pages=(2,))
    source = load(path)
    assert source.pages == 3
    assert any("2" in w for w in source.warnings)
    chunks = chunk_document(source, path.name, ENTRY, 400, 50)
    assert {c.page for c in chunks} == {1, 3}
    assert all("partenaire" in c.text for c in chunks if c.page == 3)


def test_encrypted_pdf_is_refused_with_a_reason(tmp_path):
    with pytest.raises(LoadError, match="chiffré"):
        load(encrypted_pdf(tmp_path / "secret.pdf", "Texte protégé sur la pair-aidance."))


def test_corrupt_pdf_is_refused_with_a_reason(tmp_path):
    good = text_pdf(tmp_path / "good.pdf", ["Du texte " * 50]).read_bytes()
    truncated = tmp_path / "tronque.pdf"
    truncated.write_bytes(good[: len(good) // 3])
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(os.urandom(4096))
    for path in (truncated, garbage):
        with pytest.raises(LoadError, match="corrompu|sans texte|illisible"):
            load(path)


def test_scanned_pdf_without_text_is_refused_with_a_reason(tmp_path):
    with pytest.raises(LoadError, match="sans texte extractible"):
        load(scanned_pdf(tmp_path / "scan.pdf"))


def test_empty_files_are_refused(tmp_path):
    for name in ("vide.txt", "vide.md", "vide.pdf"):
        (tmp_path / name).write_bytes(b"" if name != "vide.md" else b"  \n\n ")
        with pytest.raises(LoadError, match="vide"):
            load(tmp_path / name)


def test_binary_file_with_a_text_extension_is_refused(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(LoadError, match="binaire"):
        load(path)
    with pytest.raises(LoadError, match="binaire"):
        decode_text(b"\x89PNG\r\n\x1a\n" + bytes(200))


def test_unreadable_files_are_refused(tmp_path):
    broken = tmp_path / "lien-casse.md"
    broken.symlink_to(tmp_path / "disparu.md")
    with pytest.raises(LoadError, match="lien symbolique refusé"):  # a link is never followed, broken or not
        load(broken)
    with pytest.raises(LoadError, match="introuvable"):
        load(tmp_path / "disparu.md")
    folder = tmp_path / "dossier.txt"
    folder.mkdir()
    with pytest.raises(LoadError, match="dossier"):
        load(folder)
    if os.geteuid() != 0:  # root reads any file; the symlink and folder cases cover it then
        locked = tmp_path / "verrou.txt"
        locked.write_text("secret")
        locked.chmod(0)
        with pytest.raises(LoadError, match="permission"):
            load(locked)


def test_unsupported_type_is_refused(tmp_path):
    path = tmp_path / "tableur.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(LoadError, match="non pris en charge"):
        load(path)


def test_text_headings_are_found_in_plain_text(tmp_path):
    mapped = clean("Objectifs de la journée\n\nLa journée vise à réunir usagers et professionnels.\n\nAtelier 1\n\nLe premier atelier porte sur la formation.\n")
    paths = [s.path for s in find_sections(mapped, markdown=False)]
    assert ("Objectifs de la journée",) in paths and ("Atelier 1",) in paths
