"""PDF fidelity: how well each reader, and the final passages, read real PDFs.

    python -m benchmarks.pdf_fidelity [PDF or folder ...]   # default: /tmp/debfr/*.pdf

For each PDF: pages, characters, extraction seconds (ingest.loaders.load: both readers,
the choice per page, the headings), the reader kept per page, the glued-word share of
pypdf's text, of pypdfium2's own text (get_text_range) and of the final passages, the
share of passages with a section, the running header/footer lines removed, and the pages
flagged as reading badly. Prints numbers; asserts nothing.

Glued-word share = among word tokens (letters only, 6 or more, no capital inside: not an
identifier), the share that are not known words but split into two parts (each of 2+
letters, or "à"/"a"/"y") that the document itself shows side by side with a space:
"lesystème" is glued when "le système" occurs in pypdf's or pypdfium2's text.
Known words (never glued): the French dictionary of pyspellchecker when installed (so
"quelque" is not glued although "quel que" occurs) and the words both readers produce
(a token both read identically is no spacing artefact of either; a word both readers
glue the same way is therefore missed: the figure is a lower bound for such words).
The three texts are first given the same glyph repair (LaTeX accents, ligatures, pdfium's
hyphen marks) so that only spacing differs between them.
A second, cruder figure is printed when the dictionary is installed: [dict] counts any
unknown token that splits into two dictionary words. It is an upper bound: technical and
English words the dictionary lacks ("ferrite" = "fer" + "rite") count as glued.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from ingest.catalog import CatalogEntry
from ingest.chunking import chunk_document
from ingest.clean import Mapped, normalize_glyphs, page_furniture
from ingest.loaders import load
from ingest.pdf.reader import read_with_pypdf
from ingest.pdf.words import french_words

DEFAULT_DIR = Path("/tmp/debfr")
ENTRY = CatalogEntry(title="", organisation="", year=None)
_TOKEN = re.compile(r"[^\W\d_]+")
_ONE_LETTER_WORDS = {"à", "a", "y"}


@dataclass(frozen=True)
class GluedShare:
    tokens: int
    glued: int
    examples: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.glued / self.tokens if self.tokens else 0.0


def candidate_tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text) if len(t) >= 6 and not any(ch.isupper() for ch in t[1:])]


def _is_word(part: str, vocabulary: set[str] | frozenset[str]) -> bool:
    return part in vocabulary and (len(part) >= 2 or part in _ONE_LETTER_WORDS)


def _splits(token: str):
    return ((token[:i], token[i:]) for i in range(1, len(token)) if min(i, len(token) - i) >= 2 or token[:i] in _ONE_LETTER_WORDS or token[i:] in _ONE_LETTER_WORDS)


def glued_by_dictionary(token: str, vocabulary: set[str] | frozenset[str]) -> bool:
    """Unknown, and two dictionary words once split (upper bound: dictionary gaps count)."""
    return token not in vocabulary and any(_is_word(a, vocabulary) and _is_word(b, vocabulary) for a, b in _splits(token))


_SPACED_PAIR = re.compile(r"([^\W\d_]+)(?=[ \t]+([^\W\d_]+))")


def spaced_pairs(*texts: str) -> set[tuple[str, str]]:
    """Word pairs the texts write side by side with spaces on one line (not across a line
    break, where "oscillo-⏎scope" would pass for two words)."""
    return {(a.lower(), b.lower()) for text in texts for a, b in _SPACED_PAIR.findall(text)}


def glued_by_evidence(token: str, known: set[str] | frozenset[str], pairs: set[tuple[str, str]]) -> bool:
    """Not a known word, and the document writes its two halves apart somewhere."""
    return token not in known and any(pair in pairs for pair in _splits(token))


def glued_share(text: str, is_glued) -> GluedShare:
    tokens = candidate_tokens(text)
    glued = [t for t in tokens if is_glued(t)]
    return GluedShare(len(tokens), len(glued), tuple(t for t, _ in Counter(glued).most_common(6)))


def repaired(text: str) -> str:
    return normalize_glyphs(Mapped.of(text), pdf=True).text


def pypdf_text(data: bytes) -> str:
    pages = read_with_pypdf(data)
    if isinstance(pages, Exception):
        return ""
    return "\n".join(line.text for page in pages.pages for line in (page or []))


def pdfium_text(path: Path) -> str:
    doc = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def furniture_lines(source) -> int:
    text = source.text.replace("\r\n", "\n")
    bounds = list(zip(source.page_starts, source.page_starts[1:] + [len(text) + 1]))
    return sum(len(lines) for lines in page_furniture([text[s : e - 1] for s, e in bounds]))


def pdf_paths(arguments: list[str]) -> list[Path]:
    targets = [Path(a) for a in arguments] or [DEFAULT_DIR]
    paths = []
    for target in targets:
        paths += sorted(p for p in target.glob("*.pdf") if "debian-reference" not in p.name) if target.is_dir() else [target]
    return paths


def report(path: Path, dictionary: frozenset[str]) -> None:
    data = path.read_bytes()
    started = time.perf_counter()
    source = load(path, data)
    seconds = time.perf_counter() - started
    chunks = chunk_document(source, path.name, ENTRY, 1000, 120)
    texts = {
        "pypdf": repaired(pypdf_text(data)),
        "pypdfium2": repaired(pdfium_text(path)),
        "passages": "\n".join(c.text for c in chunks),
    }
    both = {t.lower() for t in _TOKEN.findall(texts["pypdf"])} & {t.lower() for t in _TOKEN.findall(texts["pypdfium2"])}
    pairs = spaced_pairs(texts["pypdf"], texts["pypdfium2"])
    known = dictionary | both
    measures = {"preuve": lambda t: glued_by_evidence(t, known, pairs)}
    if dictionary:
        measures["dict"] = lambda t: glued_by_dictionary(t, dictionary)
    readers = Counter(q.reader or "aucun" for q in source.page_quality)
    poor = [f"{q.page} ({q.problem})" for q in source.page_quality if q.problem]
    print(f"\n{path.name}: {source.pages} pages, {len(source.text)} caractères, extraction {seconds:.2f} s")
    print(f"  lecteur retenu par page : {dict(readers)}")
    for name, is_glued in measures.items():
        figures = {reader: glued_share(text, is_glued) for reader, text in texts.items()}
        shares = "  ".join(f"{reader} {g.share:.2%} ({g.glued}/{g.tokens})" for reader, g in figures.items())
        print(f"  mots collés [{name}] : {shares}")
        print(f"    exemples : pypdf {', '.join(figures['pypdf'].examples) or '-'} | passages {', '.join(figures['passages'].examples) or '-'}")
    with_section = sum(1 for c in chunks if c.section) / max(len(chunks), 1)
    print(f"  passages : {len(chunks)}, avec section : {with_section:.1%}, sur plusieurs pages : {sum(1 for c in chunks if c.page_end != c.page)}")
    print(f"  lignes d'en-tête/pied de page retirées : {furniture_lines(source)}")
    print(f"  pages signalées : {', '.join(poor) or 'aucune'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pdf_fidelity", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdfs", nargs="*", help="PDF files or folders (default: /tmp/debfr)")
    args = parser.parse_args(argv)
    paths = pdf_paths(args.pdfs)
    if not paths:
        print("aucun PDF : lancez `python -m evals.external /tmp/debfr` ou donnez des chemins", file=sys.stderr)
        return 1
    dictionary = french_words()
    known = f"dictionnaire français de pyspellchecker ({len(dictionary)} mots) et " if dictionary else "(pyspellchecker absent) "
    print("mots collés [preuve] : mot inconnu dont les deux moitiés figurent ailleurs dans le document, séparées par une espace ;",
          f"mots connus : {known}mots que les deux lecteurs lisent tous deux")
    if dictionary:
        print("mots collés [dict] : mot inconnu du dictionnaire qui se coupe en deux mots du dictionnaire (borne haute : lacunes du dictionnaire incluses)")
    for path in paths:
        report(path, dictionary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
