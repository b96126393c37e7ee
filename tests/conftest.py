"""Shared fixtures: a real Chroma store under tmp, the real corpus ingested once per
session, and one embedding cache for the whole run so the corpus is embedded once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest import Settings, ingest

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT / "corpus"
ARTIFACTS = PROJECT / "test-artifacts"


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("embedding-cache")


@pytest.fixture
def make_settings(tmp_path, shared_cache):
    """Settings over a fresh data folder (and, unless given, a fresh copy of the corpus)."""

    def make(corpus: Path | None = None, **overrides) -> Settings:
        if corpus is None:
            corpus = tmp_path / "corpus"
            if not corpus.exists():
                shutil.copytree(CORPUS, corpus)
        return Settings(corpus_dir=corpus, data_dir=tmp_path / "data", cache_dir=shared_cache, backend="extractive", **overrides)

    return make


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory, shared_cache) -> Settings:
    """The real corpus, ingested once, for read-only tests."""
    data = tmp_path_factory.mktemp("corpus-index")
    settings = Settings(corpus_dir=CORPUS, data_dir=data, cache_dir=shared_cache, backend="extractive")
    report = ingest(settings=settings)
    assert report.ok and report.chunks > 200
    return settings


@pytest.fixture(scope="session")
def assistant(corpus_settings):
    from assistant import Assistant

    return Assistant(corpus_settings, backend="extractive")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
