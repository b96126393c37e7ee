"""Hybrid retrieval: dense (Chroma) + French BM25 + section-heading matches, fused by
reciprocal rank fusion. A LangChain retriever over the runtime's index. An English query's
words are looked up by their French equivalents (bilingual.py)."""

from __future__ import annotations

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ingest import Chunk

from .bilingual import question_words
from .calibration import E5, Calibration
from .fusion import reciprocal_rank_fusion
from .lexical import chunk_tokens
from .runtime import Runtime
from .text import language, typed_acronyms
from .types import Passage

CANDIDATES = 30
MODES = ("hybrid", "dense", "bm25")


class HybridRetriever(BaseRetriever):
    """`search` gives typed passages; `invoke` gives LangChain documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    runtime: Runtime
    k: int = 5
    mode: str = "hybrid"  # "hybrid", or "dense" / "bm25" alone (baselines of the evaluation)

    @classmethod
    def of(cls, runtime: Runtime, **kwargs) -> "HybridRetriever":
        return cls(runtime=runtime, k=kwargs.pop("k", runtime.settings.top_k), **kwargs)

    def search(self, query: str, k: int | None = None) -> list[Passage]:
        k = k or self.k
        lexical = self.runtime.lexical_index()
        english = language(query) == "en"
        query_tokens = lexical.correct(question_words(query, english)) + typed_acronyms(query, lexical.known)
        covered_tokens = lexical.correct(question_words(query, english, first_only=True)) if english else query_tokens
        dense_hits = self._dense(query) if self.mode in {"hybrid", "dense"} else []
        bm25_hits = [lexical.chunks[i] for i, _ in lexical.search(query_tokens, CANDIDATES)] if self.mode in {"hybrid", "bm25"} else []
        heading_hits = [lexical.chunks[i] for i in lexical.heading_matches(query_tokens)[:CANDIDATES]] if self.mode == "hybrid" else []
        by_id: dict[str, Chunk] = {}
        for chunk in [c for c, _ in dense_hits] + bm25_hits + heading_hits:
            by_id.setdefault(chunk.chunk_id, chunk)
        rankings = [[c.chunk_id for c, _ in dense_hits], [c.chunk_id for c in bm25_hits], [c.chunk_id for c in heading_hits]]
        fused = reciprocal_rank_fusion(rankings)[:k]
        dense_sim = {c.chunk_id: s for c, s in dense_hits}
        missing = [cid for cid, _ in fused if cid not in dense_sim]
        if missing:
            dense_sim.update(self.similarities(query, missing))
        return [
            Passage(chunk=by_id[cid], score=score, dense=dense_sim.get(cid, 0.0),
                    lexical=lexical.coverage(covered_tokens, set(chunk_tokens(by_id[cid]))), rank=rank)
            for rank, (cid, score) in enumerate(fused, start=1)
        ]

    def _dense(self, query: str) -> list[tuple[Chunk, float]]:
        return self.runtime.store.nearest(self.runtime.embeddings.embed_query(query), CANDIDATES)

    def similarities(self, text: str, ids: list[str]) -> dict[str, float]:
        """Cosine similarity of `text` (embedded as a query) to indexed passages."""
        vectors = self.runtime.store.vectors(ids)
        if not vectors:
            return {}
        query = np.asarray(self.runtime.embeddings.embed_query(text), dtype=np.float32)
        return {i: float(np.dot(query, v)) for i, v in vectors.items()}

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [Document(page_content=p.chunk.text, id=p.chunk.chunk_id, metadata=p.to_json()) for p in self.search(query)]


def relevance(passages: list[Passage], cross_lingual: bool = False, calibration: Calibration = E5) -> float:
    """How likely the best passages answer the question, in [0, 1], before any generation.

    Dense cosine alone is compressed with e5 (off-topic questions still score ~0.78), so it
    is rescaled and combined with how much of the question the best passage covers. An
    English question shares almost no words with French passages: there, the dense score
    is read on the lower scale cross-lingual similarities have (calibrated on the dev
    split's English questions), and coverage counts the French equivalents of its words."""
    if not passages:
        return 0.0
    best_dense = max(p.dense for p in passages)
    best_lexical = max(p.lexical for p in passages)
    score = 0.5 * calibration.dense(best_dense) + 0.5 * best_lexical
    if cross_lingual:
        score = max(score, cross_lingual_relevance(best_dense, best_lexical, calibration))
    return round(score, 4)


def cross_lingual_relevance(best_dense: float, best_lexical: float, calibration: Calibration) -> float:
    return 0.5 * calibration.cross_lingual(best_dense) + 0.5 * best_lexical
