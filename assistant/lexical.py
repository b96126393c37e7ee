"""The lexical side of retrieval: French BM25 (bm25s + PyStemmer), IDF coverage of a
question, section-heading matches and typo correction against the index vocabulary.
Derived from the store's chunks; the runtime rebuilds it when the index version changes."""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass

import bm25s

from ingest import Chunk

from .text import tokens


def chunk_tokens(chunk: Chunk) -> list[str]:
    """What BM25 and coverage see of a chunk: title, heading and text."""
    return tokens(f"{chunk.title} {chunk.heading} {chunk.text}")


@dataclass
class LexicalIndex:
    version: int
    chunks: list[Chunk]
    bm25: bm25s.BM25
    vocabulary: list[str]
    token_sets: list[set[str]]
    idf: dict[str, float]
    headings: list[frozenset[str]]
    known: frozenset[str] = frozenset()

    @classmethod
    def build(cls, version: int, chunks: list[Chunk]) -> "LexicalIndex":
        corpus_tokens = [chunk_tokens(c) for c in chunks]
        bm25 = bm25s.BM25(k1=1.2, b=0.75)
        if chunks:
            bm25.index([t or ["∅"] for t in corpus_tokens], show_progress=False)
        token_sets = [set(t) for t in corpus_tokens]
        headings = [frozenset(tokens(c.heading)) if c.section else frozenset() for c in chunks]
        df: dict[str, int] = {}
        for doc_tokens in token_sets:
            for token in doc_tokens:
                df[token] = df.get(token, 0) + 1
        n = len(chunks)
        idf = {token: math.log((n + 1) / (count + 0.5)) for token, count in df.items()}
        return cls(version, chunks, bm25, sorted(df), token_sets, idf, headings, frozenset(df))

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
        fixed = []
        for token in query_tokens:
            if token in self.known or token.isdigit() or len(token) < 4:
                fixed.append(token)
                continue
            close = difflib.get_close_matches(token, self.vocabulary, n=1, cutoff=0.8)
            fixed.append(close[0] if close else token)
        return fixed

    def search(self, query_tokens: list[str], k: int) -> list[tuple[int, float]]:
        known = [t for t in query_tokens if t in self.known]
        if not known or not self.chunks:
            return []
        docs, scores = self.bm25.retrieve([known], k=min(k, len(self.chunks)), show_progress=False, n_threads=1)
        return [(int(i), float(s)) for i, s in zip(docs[0], scores[0]) if s > 0]
