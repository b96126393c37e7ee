"""The Chroma store: embedded PersistentClient by default, a `chroma run` server on demand.

The collection records which embedder (and dimension) built it, and a version number that
every ingest that changes anything increments, so readers can cache what they derive.
One `Store` holds one client; the runtime owns it."""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from langchain_core.embeddings import Embeddings

from .settings import Settings
from .types import Chunk

PAGE = 5000  # records per `get` when reading the whole collection
# Candidates the HNSW graph explores per query. At Chroma's default (100) a close passage was
# missed in 1 or 2 of 80 questions from one process to the next; wider, dense results repeat.
EF_SEARCH = 400


class EmbedderMismatchError(RuntimeError):
    pass


class StoreUnavailableError(RuntimeError):
    pass


def embedder_name(embeddings: Embeddings) -> str:
    return getattr(embeddings, "name", type(embeddings).__name__)


def unreachable_message(settings: Settings) -> str:
    return (
        f"Le serveur Chroma {settings.chroma_host}:{settings.chroma_port} est injoignable. "
        "Vérifiez qu'il tourne (`chroma run --path … --port …`) ou repassez en mode embarqué (PAIRS_CHROMA_MODE=embedded)."
    )


def mismatch_message(settings: Settings, built_with, built_dim, name: str, dim: int) -> str:
    return (
        f"L'index « {settings.collection} » a été construit avec l'embedder {built_with} (dimension {built_dim}), "
        f"mais les réglages demandent {name} (dimension {dim}). Mélanger les deux rendrait la recherche fausse : "
        "relancez `pairs ingest --rebuild` pour reconstruire l'index, ou remettez l'embedder d'origine "
        "(PAIRS_EMBEDDER), ou utilisez un autre dossier de données (PAIRS_DATA_DIR)."
    )


class Store:
    """The index of one settings object, written and read through one Chroma client."""

    def __init__(self, settings: Settings, embeddings: Embeddings):
        self.settings = settings
        self.embeddings = embeddings
        self.embedder = embedder_name(embeddings)
        self._client: ClientAPI | None = None
        self._lock = threading.Lock()
        self._searched_wide = False

    # -- connection ------------------------------------------------------------------
    @property
    def client(self) -> ClientAPI:
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            return self._client

    def _connect(self) -> ClientAPI:
        chroma_settings = chromadb.Settings(anonymized_telemetry=False, allow_reset=False)
        if self.settings.chroma_mode == "embedded":
            self.settings.index_dir.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(self.settings.index_dir), settings=chroma_settings)
        token = self.settings.chroma_token
        try:
            client = chromadb.HttpClient(host=self.settings.chroma_host, port=self.settings.chroma_port,
                                         headers={"Authorization": f"Bearer {token}"} if token else None,
                                         settings=chroma_settings)
            client.heartbeat()
            return client
        except Exception as exc:
            raise StoreUnavailableError(unreachable_message(self.settings)) from exc

    def reconnect(self) -> None:
        """Forget the client (a server that went away must be reconnected next time)."""
        with self._lock:
            self._client = None

    def guarded(self, work):
        """Run `work()`; a failing server becomes one French StoreUnavailableError."""
        try:
            return work()
        except (StoreUnavailableError, EmbedderMismatchError):
            raise
        except Exception as exc:
            if self.settings.chroma_mode != "http":
                raise
            self.reconnect()
            raise StoreUnavailableError(unreachable_message(self.settings)) from exc

    # -- the collection --------------------------------------------------------------
    @property
    def dim(self) -> int:
        return int(getattr(self.embeddings, "dim", 0) or len(self.embeddings.embed_query("dimension")))

    def collection(self, create: bool = True) -> Collection:
        def open_() -> Collection:
            if create:
                return self.client.get_or_create_collection(
                    self.settings.collection,
                    metadata={"embedder": self.embedder, "dim": self.dim, "version": 0},
                    configuration={"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}},
                    embedding_function=None,
                )
            return self.client.get_collection(self.settings.collection, embedding_function=None)

        collection = self.guarded(open_)
        built_with, built_dim = collection.metadata.get("embedder"), collection.metadata.get("dim")
        if built_with != self.embedder or int(built_dim or 0) != self.dim:
            raise EmbedderMismatchError(mismatch_message(self.settings, built_with, built_dim, self.embedder, self.dim))
        if not self._searched_wide:  # an index built before EF_SEARCH: widen its search once
            hnsw = (collection.configuration or {}).get("hnsw") or {}
            if int(hnsw.get("ef_search") or 0) < EF_SEARCH:
                self.guarded(lambda: collection.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}}))
            self._searched_wide = True
        return collection

    def drop(self) -> None:
        names = {c if isinstance(c, str) else c.name for c in self.guarded(self.client.list_collections)}
        if self.settings.collection in names:
            self.client.delete_collection(self.settings.collection)

    def count(self) -> int:
        return self.guarded(lambda: self.collection().count())

    def version(self) -> int:
        return int(self.collection().metadata.get("version", 0))

    def bump_version(self) -> None:
        collection = self.collection()
        metadata = dict(collection.metadata)
        metadata["version"] = int(metadata.get("version", 0)) + 1
        collection.modify(metadata=metadata)

    # -- writing ---------------------------------------------------------------------
    def upsert(self, chunks: list[Chunk], vectors: list[list[float]], path: str) -> None:
        self.collection().upsert(
            ids=[c.chunk_id for c in chunks],
            embeddings=vectors,
            documents=[c.text for c in chunks],
            metadatas=[chunk_metadata(c, path) for c in chunks],
        )

    def delete(self, ids: list[str]) -> None:
        if ids:
            self.collection().delete(ids=ids)

    def update_metadata(self, changes: dict[str, dict]) -> None:
        """Merge new metadata values into passages (vectors and texts untouched)."""
        ids = [i for i, values in changes.items() if values]
        collection = self.collection()
        for begin in range(0, len(ids), PAGE):
            batch = ids[begin : begin + PAGE]
            self.guarded(lambda: collection.update(ids=batch, metadatas=[changes[i] for i in batch]))

    # -- reading ---------------------------------------------------------------------
    def _pages(self, include: list[str]) -> Iterator[dict]:
        collection, offset = self.collection(), 0
        while True:
            batch = self.guarded(lambda: collection.get(include=include, limit=PAGE, offset=offset))
            yield batch
            if len(batch["ids"]) < PAGE:
                return
            offset += PAGE

    def indexed_docs(self) -> dict[str, "IndexedDoc"]:
        docs: dict[str, IndexedDoc] = defaultdict(IndexedDoc)
        for batch in self._pages(["metadatas"]):
            for chunk_id, meta in zip(batch["ids"], batch["metadatas"]):
                docs[meta["doc"]].add(chunk_id, meta)
        return dict(docs)

    def texts(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        got = self.guarded(lambda: self.collection().get(ids=list(dict.fromkeys(ids)), include=["documents"]))
        return dict(zip(got["ids"], got["documents"]))

    def flagged_sentences(self, ids: list[str]) -> list[str]:
        """The sentences flagged at ingest in these passages, once each, in passage order."""
        if not ids:
            return []
        got = self.guarded(lambda: self.collection().get(ids=list(dict.fromkeys(ids)), include=["metadatas"]))
        order = sorted(zip(got["ids"], got["metadatas"]), key=lambda item: int(item[1].get("start", 0)))
        return list(dict.fromkeys(s for _, meta in order for s in _json_list(meta.get("flagged"))))

    def all_chunks(self) -> list[Chunk]:
        return [chunk_from_record(i, d, m) for batch in self._pages(["documents", "metadatas"])
                for i, d, m in zip(batch["ids"], batch["documents"], batch["metadatas"])]

    def nearest(self, vector: list[float], n: int) -> list[tuple[Chunk, float]]:
        """The n passages closest to a query vector, with their cosine similarity."""
        def query():
            collection = self.collection()
            count = collection.count()
            if not count:
                return []
            result = collection.query(query_embeddings=[vector], n_results=min(n, count),
                                      include=["documents", "metadatas", "distances"])
            return [(chunk_from_record(i, d, m), 1.0 - float(dist)) for i, d, m, dist in
                    zip(result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0])]

        return self.guarded(query)

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        if not ids:
            return {}
        unique = list(dict.fromkeys(ids))  # Chroma refuses duplicates
        got = self.guarded(lambda: self.collection().get(ids=unique, include=["embeddings"]))
        return {i: np.asarray(e, dtype=np.float32) for i, e in zip(got["ids"], got["embeddings"])}


def chunk_metadata(chunk: Chunk, path: str) -> dict:
    return {
        "doc": chunk.doc,
        "title": chunk.title,
        "organisation": chunk.organisation,
        "year": chunk.year or 0,
        "section": chunk.section,
        "page": chunk.page or 0,
        "page_end": chunk.page_end or chunk.page or 0,
        "start": chunk.start,
        "end": chunk.end,
        "source_text": chunk.source_text,
        "file_sha": chunk.file_sha,
        "n_chunks": chunk.n_chunks,
        "indexed_at": chunk.indexed_at,
        "indexed_by": chunk.indexed_by,
        "title_from": chunk.title_from,
        "flagged": json.dumps(list(chunk.flagged), ensure_ascii=False),
        "screened": chunk.screened,
        "path": path,
    }


def _json_list(value) -> list[str]:
    try:
        items = json.loads(value) if value else []
    except (TypeError, ValueError):
        return []
    return [str(item) for item in items] if isinstance(items, list) else []


def chunk_from_record(chunk_id: str, text: str, meta: dict) -> Chunk:
    return Chunk(
        chunk_id=chunk_id,
        doc=meta["doc"],
        title=meta.get("title", meta["doc"]),
        organisation=meta.get("organisation", ""),
        year=meta.get("year") or None,
        section=meta.get("section", ""),
        page=meta.get("page") or None,
        start=int(meta.get("start", 0)),
        end=int(meta.get("end", 0)),
        text=text,
        source_text=meta.get("source_text", text),
        file_sha=meta.get("file_sha", ""),
        n_chunks=int(meta.get("n_chunks", 0)),
        indexed_at=meta.get("indexed_at", ""),
        page_end=meta.get("page_end") or meta.get("page") or None,
        indexed_by=meta.get("indexed_by", ""),
        title_from=meta.get("title_from", ""),
        flagged=tuple(_json_list(meta.get("flagged"))),
        screened=meta.get("screened", ""),
    )


@dataclass
class IndexedDoc:
    """What the store holds for one document."""

    ids: list[str] = field(default_factory=list)
    shas: set[str] = field(default_factory=set)
    n_chunks: set[int] = field(default_factory=set)
    path: str = ""
    labels: dict[str, set] = field(default_factory=lambda: defaultdict(set))  # title, organisation, year, title_from
    screened: set[str] = field(default_factory=set)
    flagged: list[str] = field(default_factory=list)

    def add(self, chunk_id: str, meta: dict) -> None:
        self.ids.append(chunk_id)
        self.shas.add(meta.get("file_sha", ""))
        self.n_chunks.add(int(meta.get("n_chunks", 0)))
        self.path = meta.get("path", "")
        for key, default in (("title", ""), ("organisation", ""), ("year", 0), ("title_from", "")):
            self.labels[key].add(meta.get(key, default))
        self.screened.add(meta.get("screened", ""))
        self.flagged = list(dict.fromkeys(self.flagged + _json_list(meta.get("flagged"))))

    @property
    def title_from(self) -> set[str]:
        return self.labels["title_from"]

    def complete_for(self, sha: str) -> bool:
        return self.shas == {sha} and self.n_chunks == {len(self.ids)}
