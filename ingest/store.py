"""The Chroma store: embedded PersistentClient by default, a `chroma run` server on demand.

The collection records which embedder (and dimension) built it, and a version number that
every ingest that changes anything increments, so readers can cache what they derive."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from .settings import Settings
from .types import Chunk


class EmbedderMismatchError(RuntimeError):
    pass


class StoreUnavailableError(RuntimeError):
    pass


_clients: dict[tuple, ClientAPI] = {}
_clients_lock = threading.Lock()


def get_client(settings: Settings) -> ClientAPI:
    chroma_settings = chromadb.Settings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_mode == "http":
        key = ("http", settings.chroma_host, settings.chroma_port, settings.chroma_token)
    else:
        key = ("embedded", str(settings.index_dir))
    with _clients_lock:
        if key not in _clients:
            _clients[key] = _connect(settings, chroma_settings)
        return _clients[key]


def _connect(settings: Settings, chroma_settings: chromadb.Settings) -> ClientAPI:
    if settings.chroma_mode == "embedded":
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
    if settings.chroma_mode != "http":
        raise ValueError(f"chroma_mode inconnu : {settings.chroma_mode!r} (attendu : embedded ou http)")
    headers = {"Authorization": f"Bearer {settings.chroma_token}"} if settings.chroma_token else None
    try:
        client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, headers=headers, settings=chroma_settings)
        client.heartbeat()
        return client
    except Exception as exc:
        raise StoreUnavailableError(unreachable_message(settings)) from exc


def unreachable_message(settings: Settings) -> str:
    return (
        f"Le serveur Chroma {settings.chroma_host}:{settings.chroma_port} est injoignable. "
        "Vérifiez qu'il tourne (`chroma run --path … --port …`) ou repassez en mode embarqué (PAIRS_CHROMA_MODE=embedded)."
    )


def forget_client(settings: Settings) -> None:
    """Drop a cached client (a server that went away must be reconnected)."""
    with _clients_lock:
        for key in [k for k in _clients if k[0] == settings.chroma_mode]:
            _clients.pop(key, None)


def open_collection(settings: Settings, embeddings: Embeddings, create: bool = True) -> Collection:
    name = getattr(embeddings, "name", type(embeddings).__name__)
    dim = int(getattr(embeddings, "dim", 0) or len(embeddings.embed_query("dimension")))
    client = get_client(settings)
    try:
        if create:
            collection = client.get_or_create_collection(
                settings.collection,
                metadata={"embedder": name, "dim": dim, "version": 0},
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=None,
            )
        else:
            collection = client.get_collection(settings.collection, embedding_function=None)
    except StoreUnavailableError:
        raise
    except Exception as exc:
        if settings.chroma_mode == "http":
            forget_client(settings)
            raise StoreUnavailableError(unreachable_message(settings)) from exc
        raise
    built_with, built_dim = collection.metadata.get("embedder"), collection.metadata.get("dim")
    if built_with != name or int(built_dim or 0) != dim:
        raise EmbedderMismatchError(
            f"L'index « {settings.collection} » a été construit avec l'embedder {built_with} (dimension {built_dim}), "
            f"mais les réglages demandent {name} (dimension {dim}). Mélanger les deux rendrait la recherche fausse : "
            "relancez `pairs ingest --rebuild` pour reconstruire l'index, ou remettez l'embedder d'origine "
            "(PAIRS_EMBEDDER), ou utilisez un autre dossier de données (PAIRS_DATA_DIR)."
        )
    return collection


def drop_collection(settings: Settings) -> None:
    client = get_client(settings)
    if settings.collection in {c if isinstance(c, str) else c.name for c in client.list_collections()}:
        client.delete_collection(settings.collection)


def index_version(collection: Collection) -> int:
    return int(collection.metadata.get("version", 0))


def bump_version(collection: Collection) -> None:
    metadata = dict(collection.metadata)
    metadata["version"] = index_version(collection) + 1
    collection.modify(metadata=metadata)


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
        "path": path,
    }


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
    )


@dataclass
class IndexedDoc:
    """What the store holds for one document."""

    ids: list[str] = field(default_factory=list)
    shas: set[str] = field(default_factory=set)
    n_chunks: set[int] = field(default_factory=set)
    path: str = ""

    def complete_for(self, sha: str) -> bool:
        return self.shas == {sha} and self.n_chunks == {len(self.ids)}


def indexed_docs(collection: Collection) -> dict[str, IndexedDoc]:
    docs: dict[str, IndexedDoc] = defaultdict(IndexedDoc)
    page, offset = 5000, 0
    while True:
        batch = collection.get(include=["metadatas"], limit=page, offset=offset)
        for chunk_id, meta in zip(batch["ids"], batch["metadatas"]):
            entry = docs[meta["doc"]]
            entry.ids.append(chunk_id)
            entry.shas.add(meta.get("file_sha", ""))
            entry.n_chunks.add(int(meta.get("n_chunks", 0)))
            entry.path = meta.get("path", "")
        if len(batch["ids"]) < page:
            return dict(docs)
        offset += page


def all_chunks(collection: Collection) -> list[Chunk]:
    chunks, page, offset = [], 5000, 0
    while True:
        batch = collection.get(include=["documents", "metadatas"], limit=page, offset=offset)
        chunks += [chunk_from_record(i, d, m) for i, d, m in zip(batch["ids"], batch["documents"], batch["metadatas"])]
        if len(batch["ids"]) < page:
            return chunks
        offset += page


def vector_store(settings: Settings, embeddings: Embeddings) -> Chroma:
    """The LangChain view of the collection, for similarity search."""
    collection = open_collection(settings, embeddings)
    return Chroma(client=get_client(settings), collection_name=collection.name, embedding_function=embeddings)
