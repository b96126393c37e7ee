"""The runtime: one object, built from the settings, that owns the expensive things.

    runtime = Runtime(load_settings())      # nothing is loaded yet
    runtime.ingest()                        # files -> index (the lexical index follows)
    Assistant(runtime).ask("…")             # embedder, store client, BM25, chat model: built once
    runtime.close()

CLI, UI, evaluation and benchmarks each build one and pass it down; a test builds one on
the fake profile (`Settings(embedder="fake", backend="fake")`) or injects a scripted chat
model. There are no module-level caches."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from langchain_core.embeddings import Embeddings
from langchain_core.language_models.chat_models import BaseChatModel

from ingest import EmbeddingCache, IngestReport, Settings, Store, ingest, make_embeddings
from ingest.types import Screen

from .backends import BackendUnavailableError, build_chat_model, resolve_backend
from .calibration import Calibration, load_calibration
from .entailment import ModelReader
from .lexical import LexicalIndex
from .safety import RULES_VERSION, flagged_sentences
from .verify import Verifier, idf_weights

CUSTOM = "custom"  # the backend name of an injected chat model


class Runtime:
    def __init__(self, settings: Settings, *, embeddings: Embeddings | None = None, chat_model: BaseChatModel | None = None):
        self.settings = settings
        self._embeddings = embeddings
        self._injected_chat = chat_model
        self._store: Store | None = None
        self._lexical: LexicalIndex | None = None
        self._chat_models: dict[str, BaseChatModel | None] = {}
        self._cache: EmbeddingCache | None = None
        self._calibration: Calibration | None = None
        self._lock = threading.RLock()

    # -- what it owns ----------------------------------------------------------------
    @property
    def embeddings(self) -> Embeddings:
        with self._lock:
            if self._embeddings is None:
                self._embeddings = make_embeddings(self.settings)
            return self._embeddings

    @property
    def store(self) -> Store:
        with self._lock:
            if self._store is None:
                self._store = Store(self.settings, self.embeddings)
            return self._store

    @property
    def calibration(self) -> Calibration:
        """The similarity scales and decision thresholds of this runtime's embedder."""
        with self._lock:
            if self._calibration is None:
                self._calibration = load_calibration(self.store.embedder, self.settings.data_dir)
            return self._calibration

    @property
    def min_relevance(self) -> float:
        """The gate's threshold: the setting when given, else the calibrated one."""
        return self.settings.min_relevance if self.settings.min_relevance is not None else self.calibration.min_relevance

    def lexical_index(self) -> LexicalIndex:
        """BM25 and friends over the whole index, rebuilt only when an ingest (in this process
        or another) changed it: the store's version says so."""
        version = self.store.version()
        with self._lock:
            cached = self._lexical
            stale = cached is None or cached.version != version or (version == 0 and len(cached.chunks) != self.store.count())
            if stale:
                self._lexical = LexicalIndex.build(version, self.store.all_chunks())
            return self._lexical

    @property
    def embedding_cache(self) -> EmbeddingCache:
        with self._lock:
            if self._cache is None:
                self._cache = EmbeddingCache(self.settings.cache_path / "embeddings.sqlite")
            return self._cache

    def statement_vectors(self, texts: list[str]) -> list[list[float]]:
        """Claims and source sentences embedded as statements (cached by content)."""
        return self.embedding_cache.embed(self.embeddings, texts, as_queries=True)[0]

    def verifier(self) -> Verifier:
        """The claim verifier over the current index: its word weights, this embedder's
        vectors and calibrated thresholds."""
        lexical = self.lexical_index()
        return Verifier(idf_weights(lexical.idf, len(lexical.chunks)), self.calibration.verify, self.statement_vectors)

    def claim_reader(self) -> ModelReader | None:
        """The local model as a second reader of claims, undecided or plainly supported (None: off, not installed,
        or a chat model that cannot give first-word odds)."""
        if self.settings.claim_reader == "off" or self._injected_chat is not None:
            return None
        try:
            wanted = self.settings.claim_reader == "local" or resolve_backend(self.settings) == "local"
            if not wanted or resolve_backend(self.settings, "auto") != "local":
                return None
            model = self.chat_model("local")
        except (BackendUnavailableError, ValueError):
            return None
        if not hasattr(model, "first_word_odds"):
            return None
        return ModelReader(model, self.settings.claim_reader_threshold, self.settings.claim_reader_doubt)

    def backend(self, requested: str | None = None) -> str:
        return CUSTOM if self._injected_chat is not None else resolve_backend(self.settings, requested)

    def chat_model(self, backend: str) -> BaseChatModel | None:
        """The chat model of a backend, built once (None for `extractive`)."""
        if self._injected_chat is not None:
            return self._injected_chat
        with self._lock:
            if backend not in self._chat_models:
                self._chat_models[backend] = build_chat_model(self.settings, backend)
            return self._chat_models[backend]

    # -- lifecycle -------------------------------------------------------------------
    def ingest(self, paths: Iterable[Path] | None = None, rebuild: bool = False, show_progress: bool = False,
               on_progress=None, actor: str = "") -> IngestReport:
        """Index files; `actor` (who asked) is recorded with each passage; instructions aimed
        at the assistant are flagged per passage by the injection detector."""
        return ingest(self.store, paths, rebuild=rebuild, show_progress=show_progress, on_progress=on_progress,
                      actor=actor, screen=Screen(RULES_VERSION, flagged_sentences))

    def refresh(self) -> None:
        """Forget what was derived from the index (the next search rebuilds it if needed)."""
        with self._lock:
            self._lexical = None

    def sibling(self, **overrides) -> "Runtime":
        """A runtime on changed settings that shares this one's embedder (same model)."""
        return Runtime(self.settings.with_overrides(**overrides), embeddings=self.embeddings, chat_model=self._injected_chat)

    def close(self) -> None:
        with self._lock:
            self._chat_models.clear()
            self._lexical = None
            if self._cache is not None:
                self._cache.close()
                self._cache = None
            if self._store is not None:
                self._store.reconnect()

    def __enter__(self) -> "Runtime":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
