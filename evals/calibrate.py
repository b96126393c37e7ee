"""Where should `min_relevance` sit? The relevance signal of every item of an eval set,
answerable against unanswerable, and the errors each threshold would make.

    python -m evals.calibrate [--set FILE]

Abstention happens before generation, so this needs no generator: it measures exactly the
decision the chain takes (followups condensed the way the extractive backend does)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .dataset import DEFAULT_SET, load_set


def relevances(set_path: Path) -> list[tuple[float, bool, str]]:
    """(relevance, should abstain, id) per item."""
    from assistant import HybridRetriever, Runtime, relevance
    from assistant.steps import condense
    from assistant.text import is_english
    from ingest import load_settings

    retriever = HybridRetriever.of(Runtime(load_settings()))
    rows = []
    for item in load_set(set_path):
        if item.kind == "claim":  # claims go to `sources`, whose verdict is measured apart
            continue
        standalone = condense(item.question, item.history, retriever, None)  # as the extractive backend does
        rows.append((relevance(retriever.search(standalone), is_english(standalone), retriever.runtime.calibration),
                     item.expects_abstention, item.id))
    return rows


def errors_at(rows, threshold: float) -> tuple[int, int]:
    """(answerable items refused, unanswerable items answered)."""
    refused = sum(1 for r, abstain, _ in rows if r < threshold and not abstain)
    answered = sum(1 for r, abstain, _ in rows if r >= threshold and abstain)
    return refused, answered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="set_path", type=Path, default=DEFAULT_SET)
    args = parser.parse_args(argv)
    rows = sorted(relevances(args.set_path))
    for value, abstain, item_id in rows:
        print(f"{value:.3f}  {'HORS CORPUS' if abstain else '           '}  {item_id}")
    answerable = [r for r, a, _ in rows if not a]
    print(f"\nréponse attendue : {len(answerable)} items, pertinence min {min(answerable):.3f}")
    print(f"abstention attendue : {len(rows) - len(answerable)} items\n")
    print("seuil   refus à tort   réponses à tort")
    for threshold in [x / 100 for x in range(40, 81, 2)]:
        refused, answered = errors_at(rows, threshold)
        print(f"{threshold:.2f}    {refused:5d}          {answered:5d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
