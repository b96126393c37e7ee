"""Answer latency per backend: retrieval, first token and total, p50/p90, on 20 questions.

    python -m benchmarks.answer_latency [--backends extractive local] [--questions 20] [--show 5]

Questions come from the eval set (answerable, single-turn, first of each id prefix in turn);
the index of the environment's settings is used (ingest first). `--show N` prints the
first N answers with their citations."""

from __future__ import annotations

import argparse
import sys
import time

from assistant import Assistant, Runtime
from benchmarks.stats import percentile
from evals.dataset import DEFAULT_SET, load_set
from ingest import load_settings

STAGES = ("retrieval", "first_token", "total")


def pick_questions(count: int) -> list[str]:
    items = [i for i in load_set(DEFAULT_SET) if not i.history and not i.expects_abstention]
    by_kind: dict[str, list[str]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item.question)
    picked: list[str] = []
    while len(picked) < count and any(by_kind.values()):
        for kind in sorted(by_kind):
            if by_kind[kind] and len(picked) < count:
                picked.append(by_kind[kind].pop(0))
    return picked


def run(runtime: Runtime, backend: str, questions: list[str], show: int) -> None:
    assistant = Assistant(runtime, backend=backend)
    started = time.perf_counter()
    assistant.ask("Qu'est-ce que la pair-aidance ?")  # loads embedder, index and model
    print(f"\n== {assistant.backend} (préchauffage {time.perf_counter() - started:.1f} s)")
    timings: dict[str, list[float]] = {s: [] for s in STAGES}
    for n, question in enumerate(questions):
        answer = assistant.ask(question)
        for stage in STAGES:
            timings[stage].append(answer.timings.get(stage, 0.0))
        if n < show:
            print(f"\nQ : {question}\nR : {answer.answer}")
            for c in answer.citations:
                print(f"   [{c.n}] {c.reference()}")
            if answer.notice:
                print(f"   (i) {answer.notice}")
    for stage in STAGES:
        values = timings[stage]
        print(f"{stage:12s} p50 {percentile(values, 0.5):7.3f} s   p90 {percentile(values, 0.9):7.3f} s   max {max(values):7.3f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", nargs="+", default=["extractive", "local"])
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    questions = pick_questions(args.questions)
    print(f"{len(questions)} questions")
    runtime = Runtime(load_settings())
    for backend in args.backends:
        run(runtime, backend, questions, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
