"""`pairs eval`: run an eval set through retrieval (hybrid, dense, BM25) and the assistant,
then print metrics, write a report, and optionally gate on thresholds.

Exit codes: 0 done (gate passed), 1 gate failed, 2 unusable set, index or arguments."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tqdm import tqdm

from .check import check_set
from .dataset import DEFAULT_SETS, EvalItem, EvalSetError, SourceTexts, load_set, select_split, select_subset
from .gate import THRESHOLDS_FILE, check_gate, load_thresholds
from .verification import ClaimRecord, PassageEvidence, word_overlap_label
from .metrics import (
    K_VALUES,
    MODES,
    CitationResult,
    GoldResult,
    ItemResult,
    RetrievalResult,
    RetrievedPassage,
    SentenceResult,
    gold_ranks,
    mentions,
    overlaps,
    summarize,
)

EXIT_OK, EXIT_GATE, EXIT_USAGE = 0, 1, 2
RETRIEVAL_K = max(K_VALUES)


@dataclass
class EvalOptions:
    set_paths: tuple[Path, ...] = DEFAULT_SETS
    split: str = "test"
    backend: str | None = "extractive"
    report: Path | None = None
    json: bool = False
    limit: int | None = None
    subset: str | None = None
    gate: bool = False
    judge: str | None = None

    @classmethod
    def of(cls, args) -> "EvalOptions":
        get = lambda name, default=None: getattr(args, name, default)  # noqa: E731
        return cls(
            set_paths=tuple(Path(p) for p in get("set_paths") or ()) or DEFAULT_SETS,
            split=get("split") or "test",
            backend=get("backend", "extractive"),
            report=Path(get("report")) if get("report") else None,
            json=bool(get("json", False)),
            limit=get("limit"),
            subset=get("subset"),
            gate=bool(get("gate", False)),
            judge=get("judge"),
        )


def main(args, runtime, thresholds_path: Path = THRESHOLDS_FILE) -> int:
    """Entry point of `pairs eval` over a runtime; `thresholds_path` for tests."""
    options = EvalOptions.of(args)
    settings = runtime.settings
    try:
        items = prepare_items(options, settings.corpus_dir)
        thresholds = load_thresholds(thresholds_path) if options.gate else {}
        if options.limit is not None and options.limit < 1:
            raise EvalSetError("--limit doit être un entier positif")
    except EvalSetError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return EXIT_USAGE
    evaluator = Evaluator(runtime, options.backend)
    problem = evaluator.index_problem(items)
    if problem:
        print(f"Erreur : {problem}", file=sys.stderr)
        return EXIT_USAGE
    judge_note = evaluator.setup_judge(options.judge) if options.judge else ""
    if judge_note:
        print(f"Avertissement : {judge_note}", file=sys.stderr)
    started = time.perf_counter()
    results = evaluator.run(items)
    metrics = build_metrics(options, evaluator, results, time.perf_counter() - started, judge_note)
    failures = check_gate(metrics["overall"], thresholds) if options.gate else []
    if options.gate:
        metrics["gate"] = {"thresholds": str(thresholds_path), "passed": not failures, "failures": [f.message() for f in failures]}
    if options.report:
        from .report import write_report

        metrics["report"] = str(write_report(options.report, metrics, results))
    output(metrics, options)
    return report_gate(failures) if options.gate else EXIT_OK


def prepare_items(options: EvalOptions, corpus_dir: Path) -> list[EvalItem]:
    items: list[EvalItem] = []
    for path in options.set_paths:
        errors = check_set(path, corpus_dir)
        if errors:
            shown = "\n  ".join(errors[:20]) + (f"\n  … et {len(errors) - 20} autre(s)" if len(errors) > 20 else "")
            raise EvalSetError(f"jeu d'évaluation invalide ({path}, corpus {corpus_dir}) :\n  {shown}")
        items += load_set(path)
    items = select_split(items, options.split)
    if options.subset:
        items = select_subset(items, options.subset)
    return items[: options.limit] if options.limit else items


class Evaluator:
    """Runs every item once through the assistant and each retrieval mode."""

    def __init__(self, runtime, backend: str | None):
        from assistant import Assistant, HybridRetriever

        self.runtime = runtime
        self.settings = runtime.settings
        self.assistant = Assistant(runtime, backend=backend)
        self.retrievers = {m: HybridRetriever.of(runtime, mode=m, k=RETRIEVAL_K) for m in MODES}
        self.sources = SourceTexts(self.settings.corpus_dir)
        self.judge = None
        self._chunks = {c.chunk_id: c for c in runtime.lexical_index().chunks}

    def index_problem(self, items: list[EvalItem]) -> str:
        """Why the index cannot be evaluated against these items ('' when it can)."""
        from ingest.loaders import file_sha256, read_bytes

        if not self._chunks:
            return "l'index est vide : lancez d'abord `pairs ingest`."
        indexed: dict[str, set[str]] = {}
        for chunk in self._chunks.values():
            indexed.setdefault(chunk.doc, set()).add(chunk.file_sha.split(":")[0])  # "<sha256>:<chunker key>"
        for doc in sorted({g.doc for item in items for g in item.gold}):
            if doc not in indexed:
                return f"le document {doc} du jeu n'est pas dans l'index : lancez `pairs ingest`."
            if indexed[doc] != {file_sha256(read_bytes(self.settings.corpus_dir / doc))}:
                return f"l'index est périmé pour {doc} (fichier modifié depuis l'ingestion) : lancez `pairs ingest`."
        return ""

    def setup_judge(self, backend: str) -> str:
        from .judge import make_judge

        self.judge, note = make_judge(self.runtime, backend)
        return note

    def run(self, items: list[EvalItem]) -> list[ItemResult]:
        self._warm_up()
        bar = tqdm(items, desc="Évaluation", unit="item", file=sys.stderr, disable=None, dynamic_ncols=True)
        results = []
        for item in bar:
            bar.set_postfix_str(item.id, refresh=False)
            results.append(self.evaluate(item))
        return results

    def _warm_up(self) -> None:
        """Load the embedder and open the store before anything is timed."""
        passages = self.assistant.retriever.search("pair-aidance", 2)
        self.assistant.similarity("pair-aidance", passages)

    def evaluate(self, item: EvalItem) -> ItemResult:
        result = ItemResult(
            id=item.id, kind=item.kind, question=item.question, expects_abstention=item.expects_abstention,
            gold=[GoldResult(g.doc, g.quote, self.sources.spans(g)) for g in item.gold],
            must_mention=item.must_mention, history=item.history, reference=item.answer,
            type=item.type, split=item.split,
        )
        if item.adversarial:
            try:
                result.claim = self.verify_claim(item)
            except Exception as exc:  # one broken item must not stop the run
                result.error = f"{type(exc).__name__}: {exc}"
            return result
        try:
            self._answer(item, result)
        except Exception as exc:  # one broken item must not stop the run
            result.error = f"{type(exc).__name__}: {exc}"
        query = result.standalone or item.question
        for mode, retriever in self.retrievers.items():
            started = time.perf_counter()
            passages = retriever.search(query, RETRIEVAL_K)
            result.timings[f"search_{mode}"] = time.perf_counter() - started
            result.retrieval[mode] = self._retrieval(passages, result.gold)
        if item.kind == "claim" and not result.error:
            result.claim_supported = self.assistant.sources(item.question).supported
        return result

    def verify_claim(self, item: EvalItem) -> ClaimRecord:
        """The product's claim lookup on an adversarial claim, with what its checks found."""
        from assistant.text import split_sentences

        source = GoldResult(item.source.doc, item.source.quote, self.sources.spans(item.source)) if item.source else None
        result = self.assistant.sources(item.question)
        record = ClaimRecord(item.id, item.type, item.expected, item.split, item.question)
        for match in sorted(result.matches, key=lambda m: m.passage.rank):
            chunk = match.passage.chunk
            gold = source is not None and overlaps(chunk.doc, chunk.start, chunk.end, source)
            reasons = [r.partition(":")[0] for r in match.verdict.reasons]
            record.passages.append(PassageEvidence(chunk.doc, chunk.start, chunk.end, gold, match.evidence,
                                                   word_overlap_label(item.question, split_sentences(chunk.text), match.passage.dense),
                                                   "model_read" in reasons, "model_doubt" in reasons,
                                                   match.may_support))
            if gold and record.source_rank is None:
                record.source_rank = match.passage.rank
        return record

    def _answer(self, item: EvalItem, result: ItemResult) -> None:
        answer = self.assistant.ask(item.question, history=item.history)
        result.standalone = answer.standalone_question or item.question
        result.answer, result.abstained = answer.answer, answer.abstained
        result.backend, result.notice, result.relevance = answer.backend, answer.notice, answer.relevance
        result.timings.update(answer.timings)
        result.citations = [self._citation(c, result.gold) for c in answer.citations]
        result.sentences = [self._sentence(s) for s in answer.sentences]
        result.mentioned = mentions(answer.answer, item.must_mention)
        if self.judge is not None and not answer.abstained and answer.citations:
            result.judge = self.judge.judge(answer.answer, [c.text for c in answer.citations])

    def _citation(self, citation, gold: list[GoldResult]) -> CitationResult:
        chunk = self._chunks.get(citation.chunk_id)
        start, end = (chunk.start, chunk.end) if chunk else (None, None)
        hit = chunk is not None and any(overlaps(chunk.doc, chunk.start, chunk.end, g) for g in gold)
        return CitationResult(citation.n, citation.doc, citation.chunk_id, start, end, hit, citation.quote)

    @staticmethod
    def _sentence(sentence) -> SentenceResult:
        return SentenceResult(sentence.text, list(sentence.citations), sentence.verdict, sentence.quoted, sentence.original)

    def _retrieval(self, passages, gold: list[GoldResult]) -> RetrievalResult:
        spans = [(p.chunk.doc, p.chunk.start, p.chunk.end) for p in passages]
        retrieved = [
            RetrievedPassage(doc, s, e, p.chunk.chunk_id, any(overlaps(doc, s, e, g) for g in gold))
            for p, (doc, s, e) in zip(passages, spans)
        ]
        return RetrievalResult(ranks=gold_ranks(spans, gold), passages=retrieved)


def build_metrics(options: EvalOptions, evaluator: Evaluator, results: list[ItemResult], seconds: float, judge_note: str) -> dict:
    backends: dict[str, int] = {}
    for r in results:
        if r.backend:
            backends[r.backend] = backends.get(r.backend, 0) + 1
    metrics = {
        "sets": [str(p) for p in options.set_paths],
        "split": options.split,
        "subset": options.subset,
        "limit": options.limit,
        "backend": evaluator.assistant.backend,
        "backends_used": backends,
        "items": len(results),
        "kinds": {k: sum(1 for r in results if r.kind == k) for k in sorted({r.kind for r in results})},
        "k": list(K_VALUES),
        "seconds": round(seconds, 2),
        "thresholds": {"verify": asdict(evaluator.runtime.calibration.verify), "min_relevance": evaluator.runtime.min_relevance},
        "claim_passages": {"examined": evaluator.runtime.settings.claim_passages,
                           "may_support": evaluator.runtime.settings.claim_support_passages},
        # claims the rules left undecided and the local model read (`model_read`), and claims the
        # rules supported and the model doubted (`model_doubt`), when the reader is on
        "claim_reader": _claim_reader(evaluator, results),
        **summarize(results, evaluator.runtime.calibration.verify, evaluator.runtime.min_relevance),
    }
    if options.judge:
        metrics["judge"] = {"backend": options.judge, "available": evaluator.judge is not None, "message": judge_note}
        if evaluator.judge is not None and evaluator.judge.gave_up:
            metrics["judge"]["message"] = evaluator.judge.gave_up
    return metrics


def _claim_reader(evaluator: Evaluator, results: list[ItemResult]) -> dict:
    reader = evaluator.runtime.claim_reader()
    lifted = sum(1 for r in results if r.claim is not None and any(p.model_read for p in r.claim.passages))
    doubted = sum(1 for r in results if r.claim is not None and any(p.model_doubt for p in r.claim.passages))
    return {"on": reader is not None, "threshold": reader.threshold if reader else None, "lifted": lifted,
            "doubt": reader.doubt if reader else None, "doubted": doubted}


def output(metrics: dict, options: EvalOptions) -> None:
    if options.json:
        print(json.dumps(metrics, ensure_ascii=False, indent=2))
    else:
        from .report import summary_text

        print(summary_text(metrics))


def report_gate(failures) -> int:
    if not failures:
        print("Seuils respectés.", file=sys.stderr)
        return EXIT_OK
    print(f"Seuils non atteints ({len(failures)}) :", file=sys.stderr)
    for failure in failures:
        print(f"  - {failure.message()}", file=sys.stderr)
    return EXIT_GATE
