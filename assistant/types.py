"""The things that travel from retrieval to the user."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ingest.types import Chunk, innermost_heading


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with the evidence of why it was retrieved."""

    chunk: Chunk
    score: float  # reciprocal-rank-fusion score
    dense: float  # cosine similarity to the question (0 when only BM25 found it)
    lexical: float  # share of the question's content words present in the passage
    rank: int

    def to_json(self) -> dict:
        c = self.chunk
        return {
            "doc": c.doc,
            "title": c.title,
            "organisation": c.organisation,
            "year": c.year,
            "section": c.section,
            "page": c.page,
            "text": c.text,
            "score": round(self.score, 5),
            "dense": round(self.dense, 4),
            "lexical": round(self.lexical, 3),
            "chunk_id": c.chunk_id,
            "start": c.start,
            "end": c.end,
        }


@dataclass(frozen=True)
class Citation:
    n: int
    doc: str
    title: str
    organisation: str
    year: int | None
    section: str
    page: int | None
    text: str
    chunk_id: str
    quote: str = ""  # the span of the passage that supports the cited sentence(s)

    @classmethod
    def of(cls, n: int, passage: Passage, quote: str = "") -> "Citation":
        c = passage.chunk
        return cls(n, c.doc, c.title, c.organisation, c.year, c.section, c.page, c.text, c.chunk_id, quote)

    def reference(self) -> str:
        """« Titre », Organisation, année, section, p. N — for quoting."""
        parts = [f"« {self.title} »"]
        parts += [p for p in (self.organisation, str(self.year) if self.year else "") if p]
        if self.section:
            parts.append(f"section « {innermost_heading(self.section)} »")
        if self.page:
            parts.append(f"p. {self.page}")
        return ", ".join(parts)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Sentence:
    text: str
    citations: list[int]
    supported: bool  # every cited passage supports it (by the verifier)
    support: float = 0.0


@dataclass(frozen=True)
class Gate:
    """The decision taken before any generation: answer, or say « je ne sais pas »."""

    answerable: bool
    relevance: float
    reason: str = ""


@dataclass
class Grounded:
    """A generated answer after verification: what may be shown, and what was removed."""

    text: str  # sentences kept, with [n] renumbered in order of first use
    sentences: list[Sentence]
    citations: list[Citation]
    dropped: int  # unsupported sentences removed


@dataclass(frozen=True)
class Retrieved:
    """Streamed as soon as retrieval is done, before any generation."""

    standalone_question: str
    passages: list[Passage]
    gate: Gate


@dataclass
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    backend: str
    timings: dict[str, float] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)  # what retrieval returned
    notice: str = ""  # e.g. the generator was unreachable and the extractive fallback answered
    standalone_question: str = ""

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_json() for c in self.citations],
            "backend": self.backend,
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "sentences": [asdict(s) for s in self.sentences],
            "notice": self.notice,
            "standalone_question": self.standalone_question,
            "closest_passages": [p.to_json() for p in self.passages] if self.abstained else [],
        }


@dataclass
class SourceMatch:
    passage: Passage
    verdict: str  # "supports", "related" or "none"
    support: float
    quote: str  # exact span of the passage text
    quote_start: int  # offsets of the quote in the passage text
    quote_end: int

    def to_json(self) -> dict:
        data = self.passage.to_json()
        data.update(verdict=self.verdict, support=round(self.support, 3), quote=self.quote,
                    quote_start=self.quote_start, quote_end=self.quote_end,
                    reference=Citation.of(0, self.passage).reference())
        return data


@dataclass
class SourcesResult:
    claim: str
    supported: bool
    matches: list[SourceMatch]
    timings: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"claim": self.claim, "supported": self.supported,
                "passages": [m.to_json() for m in self.matches],
                "timings": {k: round(v, 4) for k, v in self.timings.items()}}
