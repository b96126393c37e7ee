"""The ingest pipeline: the next file is read while the current one embeds, progress is
told per document and page, and a failure of the reader thread is raised, not lost."""

from __future__ import annotations

import threading

import pytest

from assistant import Runtime
from ingest import FakeEmbeddings, pipeline
from ingest.loaders import load
from ingest.pdf import reader

from .pdfs import text_pdf

WORDS = ("La médiatrice accompagne les personnes vers les soins et rédige un compte rendu de chaque visite. "
         "Elle partage son expérience du rétablissement avec les patients et leurs proches. ")


def _pdf(path, pages: int):
    return text_pdf(path, [f"Page {n}. " + WORDS * 6 for n in range(1, pages + 1)])


class GatedEmbeddings(FakeEmbeddings):
    """Fake vectors, but the first embedding call waits until the reader thread has started
    reading the second file: it can only return if reading and embedding overlap."""

    def __init__(self, second_read: threading.Event) -> None:
        self.second_read, self.calls, self.overlapped = second_read, 0, None

    def embed_documents(self, texts):
        self.calls += 1
        if self.calls == 1:
            self.overlapped = self.second_read.wait(timeout=20)
        return super().embed_documents(texts)


def test_the_next_file_is_read_while_the_current_one_embeds(fake_settings, tmp_path, monkeypatch):
    settings = fake_settings()
    first, second = _pdf(settings.corpus_dir / "a.pdf", 2), _pdf(settings.corpus_dir / "b.pdf", 2)
    second_read = threading.Event()
    real_load = pipeline.load

    def spying_load(path, data=None, on_page=None):
        if path.name == "b.pdf":
            second_read.set()
        return real_load(path, data, on_page)

    monkeypatch.setattr(pipeline, "load", spying_load)
    embeddings = GatedEmbeddings(second_read)
    report = Runtime(settings, embeddings=embeddings).ingest([first, second])
    assert report.ok and report.count("indexed") == 2
    assert embeddings.overlapped is True, "b.pdf was not read while a.pdf was embedding"
    assert all(f.read_seconds > 0 for f in report.files) and report.embed_seconds > 0


def test_progress_is_told_per_document_and_page(fake_settings, monkeypatch):
    settings = fake_settings()
    pdf = _pdf(settings.corpus_dir / "long.pdf", 6)
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 2)  # several batches on a small file
    seen: list[tuple[str, float]] = []
    report = Runtime(settings).ingest([pdf, settings.corpus_dir / "msp.md"], on_progress=lambda label, f: seen.append((label, f)))
    assert report.ok
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and all(0 <= f <= 1 for f in fractions)
    embedding = [label for label, _ in seen if label.startswith("long.pdf : page ")]
    pages = [int(label.split("page ")[1].split("/")[0]) for label in embedding]
    assert len(pages) > 2 and pages == sorted(pages) and pages[-1] == 6
    assert embedding[-1].endswith(f"passages {report.files[0].chunks}/{report.files[0].chunks}")
    assert any(label.startswith("msp.md") for label, _ in seen)
    assert seen[-1] == ("", 1.0)


def test_reading_progress_counts_both_readers_over_every_page(tmp_path):
    calls: list[tuple[int, int]] = []
    load(_pdf(tmp_path / "p.pdf", 3), on_page=lambda read, pages: calls.append((read, pages)))
    assert calls == [(n, 3) for n in range(1, 7)]


def test_a_wait_for_the_reader_reports_pages_read(fake_settings, monkeypatch):
    settings = fake_settings()
    pdf = _pdf(settings.corpus_dir / "slow.pdf", 3)
    real_pypdf = reader.read_with_pypdf

    def slow_pypdf(data, on_page=None):
        def tick(pages):
            threading.Event().wait(0.15)  # slower than the poll, so the consumer waits and reports
            on_page(pages)
        return real_pypdf(data, tick if on_page else None)

    monkeypatch.setattr(reader, "read_with_pypdf", slow_pypdf)
    seen: list[str] = []
    assert Runtime(settings).ingest([pdf], on_progress=lambda label, f: seen.append(label)).ok
    assert any(label.startswith("slow.pdf : lecture, page ") and label.endswith("/3") for label in seen)


def test_an_unexpected_reader_error_is_raised_and_the_thread_stops(fake_settings, monkeypatch):
    settings = fake_settings()

    def broken(path, *args, **kwargs):
        raise RuntimeError("disque en panne")

    monkeypatch.setattr(pipeline, "prepare_file", broken)
    before = {t.name for t in threading.enumerate()}
    with pytest.raises(RuntimeError, match="disque en panne"):
        Runtime(settings).ingest()
    assert "pairs-ingest-reader" not in {t.name for t in threading.enumerate()} - before
