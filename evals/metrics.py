"""Metrics of the grounding evaluation: pure functions over per-item observations.

Retrieval: a gold quote is found by a passage of the same document whose source span
[start, end) intersects one of the quote's occurrences. Citations, answers, abstention,
latency and the optional judge are aggregated per kind and overall."""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field

from assistant.text import fold

from assistant.verify import VerifyThresholds

from .verification import ClaimRecord, VerificationScores, score

K_VALUES = (1, 3, 5, 10)
MODES = ("hybrid", "dense", "bm25")
STAGES = ("retrieval", "first_token", "total")

Span = tuple[int, int]


# -- per-item observations -------------------------------------------------------------
@dataclass
class GoldResult:
    doc: str
    quote: str
    spans: list[Span]


@dataclass
class RetrievedPassage:
    doc: str
    start: int
    end: int
    chunk_id: str
    gold: bool  # overlaps a gold quote


@dataclass
class RetrievalResult:
    ranks: list[int | None]  # per gold quote: rank of the first passage that overlaps it
    passages: list[RetrievedPassage]


@dataclass
class SentenceResult:
    text: str
    citations: list[int]
    verdict: str  # what the product's verifier said (shown for diagnosis; never scored as support)
    quoted: bool  # replaced by the verbatim source sentence
    original: str = ""  # an English answer's sentence: the verified French sentence it translates


@dataclass
class CitationResult:
    n: int
    doc: str
    chunk_id: str
    start: int | None
    end: int | None
    gold: bool  # overlaps a gold quote
    quote: str


@dataclass
class JudgeResult:
    claims: list[dict] = field(default_factory=list)  # {"claim": str, "supported": bool}
    error: str = ""

    @property
    def faithfulness(self) -> float | None:
        return sum(c["supported"] for c in self.claims) / len(self.claims) if self.claims else None


@dataclass
class ItemResult:
    id: str
    kind: str
    question: str
    expects_abstention: bool
    gold: list[GoldResult]
    must_mention: list[str]
    history: list[dict] | None = None
    reference: str = ""  # the set's reference answer
    standalone: str = ""
    answer: str = ""
    abstained: bool = False
    backend: str = ""
    notice: str = ""
    error: str = ""
    retrieval: dict[str, RetrievalResult] = field(default_factory=dict)
    sentences: list[SentenceResult] = field(default_factory=list)
    citations: list[CitationResult] = field(default_factory=list)
    mentioned: list[bool] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    claim_supported: bool | None = None  # Assistant.sources verdict, claims only
    judge: JudgeResult | None = None
    type: str = ""  # adversarial claims and unanswerables: their type
    split: str = ""
    claim: ClaimRecord | None = None  # adversarial claims: what the verifier examined
    relevance: float | None = None  # the gate's relevance signal (for the relevance-only baseline)

    @property
    def must_mention_recall(self) -> float | None:
        return sum(self.mentioned) / len(self.mentioned) if self.mentioned else None

    @property
    def citation_hit(self) -> bool | None:
        if not self.gold or self.abstained or self.error:
            return None
        return any(c.gold for c in self.citations)

    def to_json(self) -> dict:
        data = asdict(self)
        data["must_mention_recall"] = self.must_mention_recall
        data["citation_hit"] = self.citation_hit
        return data


# -- primitive metrics -----------------------------------------------------------------
def quote_spans(text: str, quote: str) -> list[Span]:
    """Every occurrence of `quote` in `text`, overlapping ones included."""
    spans, start = [], text.find(quote) if quote else -1
    while start >= 0:
        spans.append((start, start + len(quote)))
        start = text.find(quote, start + 1)
    return spans


def overlaps(doc: str, start: int, end: int, gold: GoldResult) -> bool:
    """The passage [start, end) of `doc` intersects one occurrence of the gold quote."""
    return doc == gold.doc and any(start < q_end and q_start < end for q_start, q_end in gold.spans)


def gold_ranks(passages: list[tuple[str, int, int]], gold: list[GoldResult]) -> list[int | None]:
    """Per gold quote, the 1-based rank of the first passage (doc, start, end) overlapping it."""
    ranks: list[int | None] = []
    for quote in gold:
        rank = next((i for i, (doc, s, e) in enumerate(passages, start=1) if overlaps(doc, s, e, quote)), None)
        ranks.append(rank)
    return ranks


def recall_at_k(ranks: list[int | None], k: int) -> float:
    """Share of the gold quotes found in the top k."""
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0


def hit_at_k(ranks: list[int | None], k: int) -> float:
    """1 when at least one gold quote is found in the top k."""
    return 1.0 if any(r is not None and r <= k for r in ranks) else 0.0


def reciprocal_rank(ranks: list[int | None]) -> float:
    """1 / rank of the first passage that overlaps any gold quote (0 when none does)."""
    found = [r for r in ranks if r is not None]
    return 1.0 / min(found) if found else 0.0


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "«": '"', "»": '"', "“": '"', "”": '"', "-": " ", "‐": " ", "–": " "})


def normalize(text: str) -> str:
    """Case-, accent-, apostrophe-, hyphen- and space-insensitive form."""
    return re.sub(r"\s+", " ", fold(text).translate(_APOSTROPHES)).strip()


def mentions(answer: str, terms: list[str]) -> list[bool]:
    """For each term, whether the answer contains it (normalized substring)."""
    text = normalize(answer)
    return [normalize(term) in text for term in terms]


def percentile(values: list[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in [0, 100]), as numpy's default."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


# -- aggregated metrics ----------------------------------------------------------------
@dataclass
class RetrievalScores:
    items: int
    recall_at_1: float | None
    recall_at_3: float | None
    recall_at_5: float | None
    recall_at_10: float | None
    hit_at_1: float | None
    hit_at_3: float | None
    hit_at_5: float | None
    hit_at_10: float | None
    mrr: float | None

    @classmethod
    def of(cls, all_ranks: list[list[int | None]]) -> "RetrievalScores":
        all_ranks = [r for r in all_ranks if r]  # items without gold are skipped
        values: dict[str, float | None] = {}
        for k in K_VALUES:
            values[f"recall_at_{k}"] = _mean([recall_at_k(r, k) for r in all_ranks])
            values[f"hit_at_{k}"] = _mean([hit_at_k(r, k) for r in all_ranks])
        return cls(items=len(all_ranks), mrr=_mean([reciprocal_rank(r) for r in all_ranks]), **values)


@dataclass
class CitationScores:
    """Where answers point. Whether a sentence says what its passage says is measured on
    the adversarial claims (`verification`), with an independent gold, not here."""

    answers: int  # answered items (not abstained, no error)
    sentences: int
    cited: float | None  # share of answer sentences with at least one citation
    quoted: float | None  # share of sentences replaced by the verbatim source sentence
    translated: float | None  # share of sentences that are checked translations of verified French ones
    hit: float | None  # share of answers (with gold) citing a passage that overlaps a gold quote
    precision: float | None  # share of citations (items with gold) that overlap a gold quote

    @classmethod
    def of(cls, items: list[ItemResult]) -> "CitationScores":
        answered = [i for i in items if not i.abstained and not i.error]
        sentences = [s for i in answered for s in i.sentences]
        with_gold = [i for i in answered if i.gold]
        return cls(
            answers=len(answered),
            sentences=len(sentences),
            cited=_share([bool(s.citations) for s in sentences]),
            quoted=_share([s.quoted for s in sentences]),
            translated=_share([bool(s.original) for s in sentences]),
            hit=_share([bool(i.citation_hit) for i in with_gold]),
            precision=_share([c.gold for i in with_gold for c in i.citations]),
        )


@dataclass
class AnswerScores:
    items: int  # items with must_mention terms
    must_mention: float | None  # mean share of the terms found in the answer

    @classmethod
    def of(cls, items: list[ItemResult]) -> "AnswerScores":
        recalls = [i.must_mention_recall for i in items if i.must_mention]
        return cls(items=len(recalls), must_mention=_mean([r or 0.0 for r in recalls]))


@dataclass
class AbstentionScores:
    """Positives: items that expect an abstention (unanswerable, unsupported claims)."""

    tp: int
    fp: int
    fn: int
    tn: int
    precision: float | None
    recall: float | None
    f1: float | None
    false_abstention: float | None  # share of answerable items where the assistant abstained
    rate: float | None  # share of items where it abstained
    baselines: dict[str, dict[str, float | None]] = field(default_factory=dict)  # recall / false_abstention

    @classmethod
    def with_baselines(cls, items: list["ItemResult"], min_relevance: float | None) -> "AbstentionScores":
        """Ours, beside always abstaining, never abstaining and the relevance threshold alone."""
        expected = [i.expects_abstention for i in items]
        scores = cls.of(expected, [i.abstained for i in items])
        guesses = {"always_abstain": [True] * len(items), "never_abstain": [False] * len(items)}
        if min_relevance is not None and all(i.relevance is not None for i in items):
            guesses["relevance_only"] = [i.relevance < min_relevance for i in items]
        for name, predicted in guesses.items():
            baseline = cls.of(expected, predicted)
            scores.baselines[name] = {"recall": baseline.recall, "false_abstention": baseline.false_abstention}
        return scores

    @classmethod
    def of(cls, expected: list[bool], predicted: list[bool]) -> "AbstentionScores":
        pairs = list(zip(expected, predicted))
        tp = sum(e and p for e, p in pairs)
        fp = sum(p and not e for e, p in pairs)
        fn = sum(e and not p for e, p in pairs)
        tn = sum(not e and not p for e, p in pairs)
        return cls(
            tp=tp, fp=fp, fn=fn, tn=tn,
            precision=tp / (tp + fp) if tp + fp else None,
            recall=tp / (tp + fn) if tp + fn else None,
            f1=2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else None,
            false_abstention=fp / (fp + tn) if fp + tn else None,
            rate=(tp + fp) / len(pairs) if pairs else None,
        )


@dataclass
class LatencyScores:
    n: int
    p50: float | None
    p90: float | None
    mean: float | None
    max: float | None

    @classmethod
    def of(cls, values: list[float]) -> "LatencyScores":
        return cls(len(values), percentile(values, 50), percentile(values, 90), _mean(values), max(values) if values else None)


@dataclass
class ClaimScores:
    """`Assistant.sources(claim)` verdicts against the set's `unsupported` flags."""

    items: int
    accuracy: float | None

    @classmethod
    def of(cls, items: list[ItemResult]) -> "ClaimScores":
        judged = [i for i in items if i.claim_supported is not None]
        return cls(len(judged), _share([i.claim_supported != i.expects_abstention for i in judged]))


@dataclass
class FaithfulnessScores:
    items: int  # answers the judge scored
    claims: int
    faithfulness: float | None  # supported claims / claims
    item_mean: float | None  # mean of the per-answer faithfulness
    errors: int

    @classmethod
    def of(cls, items: list[ItemResult]) -> "FaithfulnessScores | None":
        judged = [i.judge for i in items if i.judge is not None]
        if not judged:
            return None
        claims = [c for j in judged for c in j.claims]
        scored = [j.faithfulness for j in judged if j.faithfulness is not None]
        return cls(len(scored), len(claims), _share([c["supported"] for c in claims]), _mean(scored), sum(1 for j in judged if j.error))


@dataclass
class GroupMetrics:
    items: int
    errors: int
    retrieval: dict[str, RetrievalScores]
    citations: CitationScores
    answer: AnswerScores
    abstention: AbstentionScores
    latency: dict[str, LatencyScores]
    claims: ClaimScores
    verification: VerificationScores | None = None
    faithfulness: FaithfulnessScores | None = None

    @classmethod
    def of(cls, items: list[ItemResult], thresholds: VerifyThresholds | None = None, min_relevance: float | None = None) -> "GroupMetrics":
        """Questions (asked) and adversarial claims (verified) are measured apart."""
        questions = [i for i in items if i.claim is None]
        records = [i.claim for i in items if i.claim is not None]
        ok = [i for i in questions if not i.error]
        modes = [m for m in MODES if any(m in i.retrieval for i in questions)]
        return cls(
            items=len(items),
            errors=sum(1 for i in items if i.error),
            retrieval={m: RetrievalScores.of([i.retrieval[m].ranks for i in questions if m in i.retrieval]) for m in modes},
            citations=CitationScores.of(questions),
            answer=AnswerScores.of(questions),
            abstention=AbstentionScores.with_baselines(ok, min_relevance),
            latency={s: LatencyScores.of([i.timings[s] for i in ok if s in i.timings]) for s in _stages(questions)},
            claims=ClaimScores.of(questions),
            verification=score(records, thresholds) if records and thresholds else None,
            faithfulness=FaithfulnessScores.of(questions),
        )


def _stages(items: list[ItemResult]) -> list[str]:
    """The chain's stages, then any other timing (each retrieval mode alone)."""
    others = sorted({s for i in items for s in i.timings} - set(STAGES))
    return list(STAGES) + others


def summarize(items: list[ItemResult], thresholds: VerifyThresholds | None = None, min_relevance: float | None = None) -> dict:
    """{"overall": …, "by_kind": {kind: …}} as plain JSON data."""
    kinds = sorted({i.kind for i in items})
    return {
        "overall": _rounded(asdict(GroupMetrics.of(items, thresholds, min_relevance))),
        "by_kind": {k: _rounded(asdict(GroupMetrics.of([i for i in items if i.kind == k], thresholds, min_relevance))) for k in kinds},
    }


def _rounded(value):
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items() if not (k in ("faithfulness", "verification") and v is None)}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


# -- what went wrong -------------------------------------------------------------------
def failure_reasons(item: ItemResult, mode: str = "hybrid") -> list[str]:
    """Why an item failed, in French, most serious first."""
    if item.error:
        return [f"erreur : {item.error}"]
    reasons = []
    if item.expects_abstention and not item.abstained:
        reasons.append("a répondu alors que le corpus ne contient pas la réponse (abstention attendue)")
    if not item.expects_abstention and item.abstained:
        reasons.append("abstention à tort : le corpus contient la réponse")
    retrieved = item.retrieval.get(mode)
    if retrieved and retrieved.ranks:
        missing = sum(1 for r in retrieved.ranks if r is None)
        late = sum(1 for r in retrieved.ranks if r is not None and r > 5)
        if missing == len(retrieved.ranks):
            reasons.append(f"recherche ({mode}) : aucune citation de référence dans le top {max(K_VALUES)}")
        elif missing or late:
            reasons.append(f"recherche ({mode}) : {missing + late}/{len(retrieved.ranks)} citation(s) de référence hors du top 5")
    if item.citation_hit is False:
        reasons.append("aucun passage cité ne recouvre une citation de référence")
    uncited = sum(1 for s in item.sentences if not s.citations)
    if uncited and not item.abstained:
        reasons.append(f"{uncited} phrase(s) sans citation")
    quoted = sum(1 for s in item.sentences if s.quoted)
    if quoted:
        reasons.append(f"{quoted} phrase(s) du modèle remplacée(s) par la phrase source citée telle quelle")
    missing_terms = [t for t, ok in zip(item.must_mention, item.mentioned) if not ok]
    if missing_terms:
        reasons.append("termes attendus absents : " + ", ".join(f"« {t} »" for t in missing_terms))
    if item.claim_supported is not None and item.claim_supported == item.expects_abstention:
        verdict = "étayée" if item.claim_supported else "non étayée"
        reasons.append(f"`sources` juge l'affirmation {verdict}, à tort")
    if item.judge and item.judge.faithfulness is not None and item.judge.faithfulness < 1:
        reasons.append(f"juge : fidélité {item.judge.faithfulness:.0%}")
    return reasons


def severity(item: ItemResult, mode: str = "hybrid") -> float:
    """How badly an item failed: higher is worse (orders the report's worst items)."""
    if item.error:
        return 10.0
    score = 3.0 if item.expects_abstention != item.abstained else 0.0
    retrieved = item.retrieval.get(mode)
    if retrieved and retrieved.ranks:
        score += 2.0 * (1 - recall_at_k(retrieved.ranks, 10)) + (1 - recall_at_k(retrieved.ranks, 5))
    if item.citation_hit is False:
        score += 1.0
    if item.must_mention:
        score += 2.0 * (1 - (item.must_mention_recall or 0.0))
    cited = [s for s in item.sentences if s.citations]
    if item.sentences and not item.abstained:
        score += sum(not s.citations for s in item.sentences) / len(item.sentences)
        score += 0.5 * sum(s.quoted for s in cited) / len(item.sentences)
    if item.claim_supported is not None and item.claim_supported == item.expects_abstention:
        score += 0.5
    if item.judge and item.judge.faithfulness is not None:
        score += 1 - item.judge.faithfulness
    return round(score, 4)
