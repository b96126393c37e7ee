"""The transfer check's plumbing: gold quotes of PDFs are checked as the evaluation finds
them (normalised text), and the ingest summary of evals.external."""

from __future__ import annotations

import json

from assistant import Runtime
from evals.check import check_set
from evals.external import ingest_summary
from ingest.loaders import load

from .pdfs import text_pdf

TEXT = ("Le boîtier mesure la tension sur chaque entrée analogique et affiche le résultat "
        "dans la fenêtre principale du logiciel, avec la fréquence du signal et sa période. ") * 3


def _set(path, quotes):
    rows = [{"id": f"q{n}", "question": "Que mesure le boîtier ?", "kind": "fact", "gold": [{"doc": "m.pdf", "quote": q, "page": 1}],
             "answer": "", "must_mention": [], "tags": []} for n, q in enumerate(quotes)]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def test_pdf_quotes_are_checked_on_normalised_text(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text_pdf(corpus / "m.pdf", [TEXT.split(". ")[0] + "."])
    # the PDF breaks the line after « fenêtre »; the quote, written as one line, still matches
    quote = "affiche le résultat dans la fenêtre principale du logiciel"
    assert quote not in load(corpus / "m.pdf").text
    good = _set(tmp_path / "good.jsonl", [quote])
    assert check_set(good, corpus) == []
    bad = _set(tmp_path / "bad.jsonl", ["affiche le résultat dans la fenêtre secondaire"])
    errors = check_set(bad, corpus)
    assert len(errors) == 1 and "introuvable" in errors[0]


def test_ingest_summary_counts_pages_passages_and_sections(fake_settings):
    settings = fake_settings()
    text_pdf(settings.corpus_dir / "m.pdf", [TEXT, TEXT])
    with Runtime(settings) as runtime:
        report = runtime.ingest()
        summary = ingest_summary(report, runtime.store.all_chunks())
    assert summary["failed"] == [] and summary["pages"] == 2 and summary["passages"] == report.chunks
    assert 0 < summary["with_section"] <= 1 and summary["ingest_s"] >= summary["embed_s"] >= 0
