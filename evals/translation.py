"""The translation check of English answers (assistant/translation.py), measured.

    python -m evals.translation [--split test|dev] [--json]
    python -m evals.translation --french evals/data/debian_fr.jsonl --english evals/data/debian_fr_en.jsonl

Pairs are built from claims.jsonl and its English translation claims_en.jsonl, which
share ids (`…-en`) and groups (one source sentence each):
- faithful: a French claim and its own English translation (every type);
- altered, by type: the group's faithful French claim against the English of an altered
  claim (negation, number, date, comparative, role, entity, generalisation, unrelated),
  and, except for generalisation (the faithful claim says less: it is entailed), the
  altered French claim against the English faithful one.
Reported per type on the split asked (test by default: `evals.calibrate` tunes the cosine
on dev), beside two baselines: accepting every translation, and the cosine alone. Two sets
nothing was tuned on, translated by a helper who did not see the checker's code: the
held-out claims (`claims_holdout_en.jsonl`) and the Debian manuals' claims, a second
corpus (`debian_fr_en.jsonl`)."""

from __future__ import annotations

import argparse
import collections
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from assistant.translation import judged, signature_codes

from .dataset import CLAIMS_SET, ENGLISH_CLAIMS_SET, EvalItem, EvalSetError, load_set, select_split

FAITHFUL = "translation"
COSINE_GRID = tuple(round(0.85 + 0.005 * k, 3) for k in range(21))  # 0.85 to 0.95


@dataclass(frozen=True)
class TranslationPair:
    french: str
    english: str
    faithful: bool
    type: str  # "translation" for a faithful pair, else the alteration


@dataclass
class TranslationScore:
    accepted: dict[str, float] = field(default_factory=dict)  # share accepted, per type
    counts: dict[str, int] = field(default_factory=dict)
    cosine_only: dict[str, float] = field(default_factory=dict)  # baseline: the cosine threshold alone

    def altered_accepted(self, accepted: dict[str, float] | None = None) -> float:
        shares = accepted if accepted is not None else self.accepted
        altered = [(shares[t], n) for t, n in self.counts.items() if t != FAITHFUL]
        total = sum(n for _, n in altered)
        return sum(share * n for share, n in altered) / total if total else 0.0


def translation_pairs(split: str, french_path: Path = CLAIMS_SET, english_path: Path = ENGLISH_CLAIMS_SET) -> list[TranslationPair]:
    english = {item.id: item.question for item in load_set(english_path)}
    groups: dict[str, list[EvalItem]] = collections.defaultdict(list)
    for claim in select_split(load_set(french_path), split):
        if claim.kind == "claim" and f"{claim.id}-en" in english:
            groups[claim.group].append(claim)
    pairs = []
    for claims in groups.values():
        faithful = [c for c in claims if c.type == "faithful"]
        for claim in claims:
            own_english = english[f"{claim.id}-en"]
            pairs.append(TranslationPair(claim.question, own_english, True, FAITHFUL))
            if claim.type == "faithful":
                continue
            for kept in faithful:
                pairs.append(TranslationPair(kept.question, own_english, False, claim.type))
                if claim.type != "generalisation":
                    pairs.append(TranslationPair(claim.question, english[f"{kept.id}-en"], False, claim.type))
    return pairs


def cosines(pairs: list[TranslationPair], vectors) -> list[float]:
    embedded = vectors([text for pair in pairs for text in (pair.french, pair.english)])
    return [sum(a * b for a, b in zip(f, e)) for f, e in zip(embedded[0::2], embedded[1::2])]


def score_pairs(pairs: list[TranslationPair], cosine_of: list[float], min_cosine: float,
                codes_of: list[tuple[str, ...]] | None = None) -> TranslationScore:
    codes_of = codes_of if codes_of is not None else [signature_codes(p.french, p.english) for p in pairs]
    accepted, cosine_accepted, counts = collections.Counter(), collections.Counter(), collections.Counter()
    for pair, cosine, codes in zip(pairs, cosine_of, codes_of):
        counts[pair.type] += 1
        accepted[pair.type] += judged(pair.french, pair.english, codes, cosine, min_cosine).faithful
        cosine_accepted[pair.type] += cosine >= min_cosine
    return TranslationScore({t: accepted[t] / n for t, n in counts.items()}, dict(counts),
                            {t: cosine_accepted[t] / n for t, n in counts.items()})


def tune_cosine(pairs: list[TranslationPair], cosine_of: list[float]) -> tuple[float, TranslationScore]:
    """The cosine threshold that accepts the most faithful translations minus altered ones
    (on dev), the higher threshold on a tie."""
    codes_of = [signature_codes(p.french, p.english) for p in pairs]

    def merit(threshold: float) -> tuple[float, float]:
        scored = score_pairs(pairs, cosine_of, threshold, codes_of)
        return scored.accepted.get(FAITHFUL, 0.0) - scored.altered_accepted(), threshold

    best = max(COSINE_GRID, key=merit)
    return best, score_pairs(pairs, cosine_of, best, codes_of)


def report(scored: TranslationScore) -> str:
    lines = [f"{'type':16s} {'n':>4s} {'acceptée':>9s} {'cosinus seul':>13s} {'tout accepter':>14s}"]
    for kind in [FAITHFUL] + sorted(t for t in scored.counts if t != FAITHFUL):
        lines.append(f"{kind:16s} {scored.counts[kind]:4d} {scored.accepted[kind]:9.1%} {scored.cosine_only[kind]:13.1%} {1:14.0%}")
    lines.append(f"{'altérées (toutes)':16s} {sum(n for t, n in scored.counts.items() if t != FAITHFUL):4d} "
                 f"{scored.altered_accepted():9.1%} {scored.altered_accepted(scored.cosine_only):13.1%} {1:14.0%}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("dev", "test", "all"))
    parser.add_argument("--french", type=Path, default=CLAIMS_SET, help="French claims (default: claims.jsonl)")
    parser.add_argument("--english", type=Path, default=ENGLISH_CLAIMS_SET, help="their English translations, ids + '-en'")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from assistant.runtime import Runtime
    from ingest import load_settings

    runtime = Runtime(load_settings())
    threshold = runtime.calibration.verify.translation_cosine
    try:
        pairs = translation_pairs(args.split, args.french, args.english)
    except EvalSetError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not pairs:
        print(f"Aucune paire : {args.english} ne traduit aucune affirmation de {args.french} (split {args.split}).", file=sys.stderr)
        return 1
    scored = score_pairs(pairs, cosines(pairs, runtime.statement_vectors), threshold)
    if args.json:
        json.dump({"split": args.split, "min_cosine": threshold, "accepted": scored.accepted, "counts": scored.counts,
                   "cosine_only": scored.cosine_only, "altered_accepted": scored.altered_accepted()}, sys.stdout, indent=1)
        print()
    else:
        print(f"Traductions vérifiées ({args.french.name}), split {args.split}, cosinus minimal {threshold} ({runtime.store.embedder})")
        print(report(scored))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
