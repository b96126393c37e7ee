"""Hybrid retrieval: dense (Chroma) + French BM25, fused by reciprocal rank fusion.

The BM25 index is derived from the store and rebuilt only when the store's version
changes (an ingest changed something), never per query."""

from __future__ import annotations

import difflib
import math
import threading
from dataclasses import dataclass

import bm25s
import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ingest import Chunk, Settings, all_chunks, make_embeddings, open_collection
from ingest.store import StoreUnavailableError, chunk_from_record, forget_client, index_version, unreachable_message

from .text import fold, tokens
from .types import Passage

RRF_K = 60
CANDIDATES = 30


@dataclass
class LexicalIndex:
    version: int
    chunks: list[Chunk]
    bm25: bm25s.BM25
    vocabulary: list[str]
    token_sets: list[set[str]]
    idf: dict[str, float]
    headings: list[frozenset[str]]

    @classmethod
    def build(cls, version: int, chunks: list[Chunk]) -> "LexicalIndex":
        corpus_tokens = [tokens(f"{c.title} {c.section.split(' > ')[-1]} {c.text}") for c in chunks]
        bm25 = bm25s.BM25(k1=1.2, b=0.75)
        if chunks:
            bm25.index([t or ["∅"] for t in corpus_tokens], show_progress=False)
        token_sets = [set(t) for t in corpus_tokens]
        headings = [frozenset(tokens(c.section.split(" > ")[-1])) if c.section else frozenset() for c in chunks]
        df: dict[str, int] = {}
        for doc_tokens in token_sets:
            for token in doc_tokens:
                df[token] = df.get(token, 0) + 1
        n = len(chunks)
        idf = {token: math.log((n + 1) / (count + 0.5)) for token, count in df.items()}
        return cls(version, chunks, bm25, sorted(df), token_sets, idf, headings)

    def heading_matches(self, query_tokens: list[str]) -> list[int]:
        """Chunks whose section heading is entirely named by the question (« médiateur de
        santé-pair » asked, the glossary entry of that name), in document order."""
        query = set(query_tokens)
        return [i for i, heading in enumerate(self.headings) if heading and len(heading) <= 6 and heading <= query]

    def coverage(self, query_tokens: list[str], passage_tokens: set[str]) -> float:
        """IDF-weighted share of the question's words found in the passage; a word the
        corpus never uses weighs as much as the rarest one."""
        if not query_tokens:
            return 0.0
        unknown = math.log(len(self.chunks) + 2)
        weights = {t: self.idf.get(t, unknown) for t in set(query_tokens)}
        covered = sum(w for t, w in weights.items() if t in passage_tokens)
        return covered / sum(weights.values())

    def correct(self, query_tokens: list[str]) -> list[str]:
        """Map typos to the closest word the corpus knows (« mediatuer » -> « mediateur »)."""
        known = set(self.vocabulary)
        fixed = []
        for token in query_tokens:
            if token in known or token.isdigit() or len(token) < 4:
                fixed.append(token)
                continue
            close = difflib.get_close_matches(token, self.vocabulary, n=1, cutoff=0.8)
            fixed.append(close[0] if close else token)
        return fixed

    def search(self, query_tokens: list[str], k: int) -> list[tuple[int, float]]:
        known = [t for t in query_tokens if t in set(self.vocabulary)]
        if not known or not self.chunks:
            return []
        docs, scores = self.bm25.retrieve([known], k=min(k, len(self.chunks)), show_progress=False, n_threads=1)
        return [(int(i), float(s)) for i, s in zip(docs[0], scores[0]) if s > 0]


_lexical_cache: dict[tuple, LexicalIndex] = {}
_lexical_lock = threading.Lock()


class HybridRetriever(BaseRetriever):
    """A LangChain retriever over the Pairs index; `search` gives typed passages."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    settings: Settings
    embeddings: Embeddings
    k: int = 5
    mode: str = "hybrid"  # "hybrid", "dense" or "bm25" (baselines for the evaluation)

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs) -> "HybridRetriever":
        return cls(settings=settings, embeddings=make_embeddings(settings), k=kwargs.pop("k", settings.top_k), **kwargs)

    def _collection(self):
        return open_collection(self.settings, self.embeddings)

    def lexical_index(self, collection=None) -> LexicalIndex:
        collection = collection or self._collection()
        version = index_version(collection)
        key = (self.settings.chroma_mode, str(self.settings.index_dir), self.settings.chroma_host, self.settings.chroma_port, self.settings.collection)
        with _lexical_lock:
            cached = _lexical_cache.get(key)
            if cached is None or cached.version != version or (version == 0 and len(cached.chunks) != collection.count()):
                cached = _lexical_cache[key] = LexicalIndex.build(version, all_chunks(collection))
            return cached

    def search(self, query: str, k: int | None = None) -> list[Passage]:
        try:
            return self._search(query, k or self.k)
        except StoreUnavailableError:
            raise
        except Exception as exc:
            if self.settings.chroma_mode != "http":
                raise
            forget_client(self.settings)  # the server went away: reconnect next time
            raise StoreUnavailableError(unreachable_message(self.settings)) from exc

    def _search(self, query: str, k: int) -> list[Passage]:
        collection = self._collection()
        lexical = self.lexical_index(collection)
        query_tokens = lexical.correct(tokens(query))
        dense_hits = self._dense(collection, query) if self.mode in {"hybrid", "dense"} else []
        bm25_hits = lexical.search(query_tokens, CANDIDATES) if self.mode in {"hybrid", "bm25"} else []
        by_id: dict[str, Chunk] = {c.chunk_id: c for c, _ in dense_hits}
        dense_sim = {c.chunk_id: s for c, s in dense_hits}
        fused: dict[str, float] = {}
        for rank, (chunk, _) in enumerate(dense_hits):
            fused[chunk.chunk_id] = fused.get(chunk.chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        for rank, (index, _) in enumerate(bm25_hits):
            chunk = lexical.chunks[index]
            by_id.setdefault(chunk.chunk_id, chunk)
            fused[chunk.chunk_id] = fused.get(chunk.chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        if self.mode == "hybrid":
            for rank, index in enumerate(lexical.heading_matches(query_tokens)[:CANDIDATES]):
                chunk = lexical.chunks[index]
                by_id.setdefault(chunk.chunk_id, chunk)
                fused[chunk.chunk_id] = fused.get(chunk.chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        ranked = sorted(fused, key=fused.get, reverse=True)[:k]
        missing_dense = [cid for cid in ranked if cid not in dense_sim]
        if missing_dense:
            dense_sim.update(self._similarities(collection, query, missing_dense))
        return [
            Passage(
                chunk=by_id[cid],
                score=fused[cid],
                dense=dense_sim.get(cid, 0.0),
                lexical=lexical.coverage(query_tokens, set(tokens(f"{by_id[cid].title} {by_id[cid].section.split(' > ')[-1]} {by_id[cid].text}"))),
                rank=rank,
            )
            for rank, cid in enumerate(ranked, start=1)
        ]

    def _dense(self, collection, query: str) -> list[tuple[Chunk, float]]:
        count = collection.count()
        if not count:
            return []
        result = collection.query(
            query_embeddings=[self.embeddings.embed_query(query)],
            n_results=min(CANDIDATES, count),
            include=["documents", "metadatas", "distances"],
        )
        return [
            (chunk_from_record(i, d, m), 1.0 - float(dist))
            for i, d, m, dist in zip(result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0])
        ]

    def _similarities(self, collection, query: str, ids: list[str]) -> dict[str, float]:
        q = np.asarray(self.embeddings.embed_query(query), dtype=np.float32)
        return {i: float(np.dot(q, v)) for i, v in self.passage_vectors(ids).items()}

    def passage_vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        if not ids:
            return {}
        got = self._collection().get(ids=list(dict.fromkeys(ids)), include=["embeddings"])  # Chroma refuses duplicates
        return {i: np.asarray(e, dtype=np.float32) for i, e in zip(got["ids"], got["embeddings"])}

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(page_content=p.chunk.text, id=p.chunk.chunk_id, metadata=p.to_json())
            for p in self.search(query)
        ]


def relevance(passages: list[Passage], cross_lingual: bool = False) -> float:
    """How likely the best passages answer the question, in [0, 1], before any generation.

    Dense cosine alone is compressed with e5 (off-topic questions still score ~0.78), so it
    is rescaled and combined with how much of the question the best passage covers. An
    English question shares almost no words with French passages: there, the dense score
    carries the signal alone, on the lower scale cross-lingual similarities have."""
    if not passages:
        return 0.0
    best_dense = max(p.dense for p in passages)
    best_lexical = max(p.lexical for p in passages)
    dense_part = min(1.0, max(0.0, (best_dense - 0.78) / 0.1))
    score = 0.5 * dense_part + 0.5 * best_lexical
    if cross_lingual:
        score = max(score, min(1.0, max(0.0, (best_dense - 0.79) / 0.05)))
    return round(score, 4)


__all__ = ["HybridRetriever", "LexicalIndex", "fold", "relevance"]
