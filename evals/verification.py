"""The claim verifier on adversarial claims: per type, beside its baselines.

Collection (retrieval, alignment, checks) is done once per claim and kept with what it
found before any threshold (`Evidence`); labels are then a pure function of the
thresholds, so tuning on the dev split (`python -m evals.calibrate`) costs no recomputation.

Baselines, on the same retrieved passages:
- `always_supports`: every claim is called supported (what a citation-only check does);
- `word_overlap`: the verifier Pairs had before, word overlap plus passage cosine."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.text import content_words, is_english
from assistant.verify import CONTRADICTS, SUPPORTS, Evidence, VerifyThresholds, decide

from .dataset import CLAIM_TYPES, EvalItem

CONTRADICTION_TYPES = tuple(t for t, e in CLAIM_TYPES.items() if e == "contradicts")
ALTERED_TYPES = tuple(t for t in CLAIM_TYPES if t != "faithful")
BASELINES = ("always_supports", "word_overlap")


@dataclass
class PassageEvidence:
    doc: str
    start: int
    end: int
    gold: bool  # the passage overlaps the claim's source sentence
    evidence: Evidence
    word_overlap: str  # the old verifier's label on this passage
    model_read: bool = False  # the rules left the claim undecided and the local model read it here (entailment.py)
    model_doubt: bool = False  # the rules supported the claim here by shared words and the model did not read it
    may_support: bool = True  # within the passages that may support a claim (verify.beyond_support)


@dataclass
class ClaimRecord:
    id: str
    type: str
    expected: str
    split: str
    claim: str
    passages: list[PassageEvidence] = field(default_factory=list)
    source_rank: int | None = None  # rank of the first retrieved passage overlapping the source

    def label(self, thresholds: VerifyThresholds) -> tuple[str, bool]:
        """(overall label, whether a passage that supports it is the source's)."""
        verdicts = [(decide(p.evidence, thresholds), p) for p in self.passages]
        supporting = [p for v, p in verdicts if v.label == SUPPORTS and p.may_support and not p.model_doubt]
        if supporting:
            return SUPPORTS, any(p.gold for p in supporting)
        if any(v.label == CONTRADICTS for v, _ in verdicts):
            return CONTRADICTS, False
        read = [p for p in self.passages if p.model_read]
        return (SUPPORTS, any(p.gold for p in read)) if read else ("none", False)

    def baseline(self, name: str) -> str:
        if name == "always_supports":
            return SUPPORTS
        return SUPPORTS if any(p.word_overlap == SUPPORTS and p.may_support for p in self.passages) else "none"


# -- the old verifier, kept as a baseline ---------------------------------------------------
def word_overlap_label(claim: str, sentences: Iterable[str], passage_cosine: float) -> str:
    """Pairs' verifier before meaning checks: the best passage sentence sharing the claim's
    words, its word overlap and the passage cosine (e5 scale)."""
    words = content_words(claim)
    if not words:
        return "none"
    best = max((len(words & content_words(s)) / len(words) for s in sentences), default=0.0)
    embedding = min(1.0, max(0.0, (passage_cosine - 0.78) / 0.10))
    support = max(best, 0.9 * embedding) if is_english(claim) else max(best, 0.7 * best + 0.3 * embedding)
    return SUPPORTS if support >= 0.75 and best >= 0.6 else "none"


# -- scores --------------------------------------------------------------------------------
@dataclass
class TypeScores:
    n: int
    supports: float | None  # share labelled supports
    contradicts: float | None  # share labelled contradicts
    baselines: dict[str, float | None]  # share labelled supports by each baseline


@dataclass
class VerificationScores:
    claims: int
    altered_supported: float | None  # altered claims wrongly called supports (target <= 5 %)
    faithful_supported: float | None  # faithful claims called supports (target >= 90 %)
    faithful_supported_by_source: float | None  # ... by a passage that holds their source sentence
    contradictions_detected: float | None  # negation/number/date/comparative labelled contradicts (target >= 80 %)
    source_retrieved_at_8: float | None  # the source sentence's passage among the first 8 (kept for older reports)
    source_retrieved_may_support: float | None  # … among the passages that may support (setting claim_support_passages)
    source_retrieved: float | None  # … among all the passages judged (16 by default)
    baselines: dict[str, dict[str, float | None]]  # the same three headline rates per baseline
    by_type: dict[str, TypeScores]


def share(flags: list[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None


def score(records: list[ClaimRecord], thresholds: VerifyThresholds) -> VerificationScores:
    labelled = [(r, *r.label(thresholds)) for r in records]
    by_type = {}
    for claim_type in CLAIM_TYPES:
        rows = [(r, label) for r, label, _ in labelled if r.type == claim_type]
        if rows:
            by_type[claim_type] = TypeScores(
                len(rows), share([label == SUPPORTS for _, label in rows]), share([label == CONTRADICTS for _, label in rows]),
                {b: share([r.baseline(b) == SUPPORTS for r, _ in rows]) for b in BASELINES})
    altered = [(r, label) for r, label, _ in labelled if r.type in ALTERED_TYPES]
    faithful = [(r, label, by_source) for r, label, by_source in labelled if r.type == "faithful"]
    contradicting = [(r, label) for r, label, _ in labelled if r.type in CONTRADICTION_TYPES]
    baselines = {
        b: {"altered_supported": share([r.baseline(b) == SUPPORTS for r, _ in altered]),
            "faithful_supported": share([r.baseline(b) == SUPPORTS for r, _, _ in faithful]),
            "contradictions_detected": 0.0 if contradicting else None}
        for b in BASELINES
    }
    return VerificationScores(
        claims=len(records),
        altered_supported=share([label == SUPPORTS for _, label in altered]),
        faithful_supported=share([label == SUPPORTS for _, label, _ in faithful]),
        faithful_supported_by_source=share([label == SUPPORTS and by_source for _, label, by_source in faithful]),
        contradictions_detected=share([label == CONTRADICTS for _, label in contradicting]),
        source_retrieved_at_8=share([r.source_rank is not None and r.source_rank <= 8 for r in records]),
        source_retrieved_may_support=share([any(p.gold and p.may_support for p in r.passages) for r in records]),
        source_retrieved=share([r.source_rank is not None for r in records]),
        baselines=baselines,
        by_type=by_type,
    )


def is_adversarial(item: EvalItem) -> bool:
    return item.adversarial
