"""The things that travel from retrieval to the user."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ingest.types import Chunk, innermost_heading

from .safety import quotable


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


SUPPORTS, CONTRADICTS, PARTIAL, UNRELATED = "supports", "contradicts", "partial", "unrelated"


@dataclass(frozen=True)
class Alignment:
    passage: int  # index in the passages judged
    start: int  # offsets of the aligned span in the passage text
    end: int
    text: str
    coverage: float  # IDF-weighted share of the claim's content words found in the span (and context)
    cosine: float | None  # statement similarity, when embeddings were used
    score: float


@dataclass(frozen=True)
class Verdict:
    label: str  # supports | contradicts | partial | unrelated
    reasons: tuple[str, ...]  # reason codes that decided it, e.g. "figure_changed:54→45"
    alignment: Alignment | None
    support: float = 0.0

    @property
    def supports(self) -> bool:
        return self.label == SUPPORTS


@dataclass(frozen=True)
class Evidence:
    """What the checks found on the aligned span, before any threshold is applied."""

    alignment: Alignment | None
    against: tuple[str, ...] = ()  # contradiction reason codes
    missing: tuple[str, ...] = ()  # gap reason codes
    cross_lingual: bool = False
    in_order: bool = False  # the claim's words are all in the span, in the span's order


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
        """A citation of a passage; a sentence of the quote that addresses the assistant is
        never shown as evidence (see safety.quotable)."""
        c = passage.chunk
        return cls(n, c.doc, c.title, c.organisation, c.year, c.section, c.page, c.text, c.chunk_id, quotable(quote))

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
    supported: bool  # a cited passage's verdict is "supports"
    support: float = 0.0
    verdict: str = ""  # the verifier's label for the sentence against its citations
    reasons: list[str] = field(default_factory=list)
    quoted: bool = False  # the model's sentence failed; this is the source sentence, quoted verbatim
    original: str = ""  # an English answer's sentence: the verified French sentence it translates
    source: str = ""  # the passage's words the verdict aligned the sentence with


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
    off_topic: int = 0  # supported sentences removed because they do not answer the question


@dataclass(frozen=True)
class Retrieved:
    """Streamed as soon as retrieval is done, before any generation."""

    standalone_question: str
    passages: list[Passage]
    gate: Gate


@dataclass(frozen=True)
class Verified:
    """One sentence of the answer, streamed as soon as it passed verification; its
    citations are numbered as in the final answer."""

    sentence: Sentence
    text: str  # the sentence with its markers, as the final answer writes it
    citations: list[Citation]  # every citation of the answer so far
    elapsed: float = 0.0  # seconds since the question


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
    relevance: float | None = None  # the gate's relevance signal for the standalone question
    gate_reason: str = ""  # why it abstained before generation ("" when it did not)
    language: str = "fr"  # of the question, and so of the answer ("en" or "fr")
    stopped: str = ""  # why generation was cut short: "budget", "tokens", "loop" ("" when it ended by itself)
    usage: dict[str, int] = field(default_factory=dict)  # prompt_tokens, reused_tokens, completion_tokens (local model)

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
            "relevance": self.relevance,
            "gate_reason": self.gate_reason,
            "language": self.language,
            "stopped": self.stopped,
            "usage": self.usage,
            "closest_passages": [p.to_json() for p in self.passages] if self.abstained else [],
        }


# The JSON `verdict` of a passage keeps its first vocabulary (supports/related/none) and adds
# "contradicts"; `label` is the verifier's own.
JSON_VERDICT = {SUPPORTS: "supports", CONTRADICTS: "contradicts", PARTIAL: "related", UNRELATED: "none"}


@dataclass
class SourceMatch:
    passage: Passage
    verdict: Verdict
    evidence: Evidence  # what the checks found, before thresholds (for the evaluation)
    may_support: bool = True  # verify.may_support: among the first passages, or the claim's closest

    @property
    def quote(self) -> str:
        """The aligned span: an exact substring of the passage text ("" when none)."""
        return self.verdict.alignment.text if self.verdict.alignment else ""

    def to_json(self) -> dict:
        data = self.passage.to_json()
        alignment = self.verdict.alignment
        data.update(verdict=JSON_VERDICT[self.verdict.label], label=self.verdict.label, reasons=list(self.verdict.reasons),
                    support=round(self.verdict.support, 3), alignment=round(alignment.score, 3) if alignment else 0.0,
                    quote=self.quote, quote_start=alignment.start if alignment else 0, quote_end=alignment.end if alignment else 0,
                    reference=Citation.of(0, self.passage).reference())
        return data


@dataclass
class SourcesResult:
    claim: str
    verdict: str  # "supports", "contradicts" or "none": what the corpus says of the claim
    matches: list[SourceMatch]
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def supported(self) -> bool:
        return self.verdict == SUPPORTS

    def to_json(self) -> dict:
        return {"claim": self.claim, "supported": self.supported, "verdict": self.verdict,
                "passages": [m.to_json() for m in self.matches],
                "timings": {k: round(v, 4) for k, v in self.timings.items()}}
