"""Claim lookup latency (`pairs sources`): how long a trainer waits for a verdict.

    python -m benchmarks.claim_latency [--claims 60] [--passages 8 16] [--reader off local]

Claims: the dev split of the claim sets, faithful and altered alike, taken in turn from each
set. Every configuration (passages examined x reader) looks up the same claims, interleaved
(each claim goes to every configuration before the next), in one process on the index of the
settings (`pairs ingest` first). One warm-up lookup per configuration is not counted.

Printed per configuration: total seconds p50/p95/max, of which the rules (retrieval,
alignment, checks) and the local reader (when on and installed); the claims the reader read.
Figures are printed, never asserted."""

from __future__ import annotations

import argparse
import os
import statistics
from dataclasses import dataclass, field

from assistant import Assistant, Runtime
from benchmarks.stats import percentile
from evals.dataset import DEFAULT_SET, load_set, select_split
from ingest import load_settings

SETS = ("claims.jsonl", "claims_dev2.jsonl", "claims_dev3.jsonl", "claims_dev4.jsonl", "claims_dev5.jsonl", "claims_dev6.jsonl")


@dataclass
class Config:
    passages: int
    reader: str
    assistant: Assistant
    totals: list[float] = field(default_factory=list)
    rules: list[float] = field(default_factory=list)
    reads: list[float] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.passages} passages, reader {self.reader}"


def pick_claims(count: int) -> list[str]:
    per_set = [[i.question for i in select_split(load_set(DEFAULT_SET.parent / name), "dev")] for name in SETS]
    picked: list[str] = []
    while len(picked) < count and any(per_set):
        for claims in per_set:
            if claims and len(picked) < count:
                picked.append(claims.pop(0))
    return picked


def lookup(config: Config, claim: str, record: bool = True) -> None:
    result = config.assistant.sources(claim)
    if record:
        config.totals.append(result.timings["total"])
        config.rules.append(result.timings["rules"])
        if "read" in result.timings:
            config.reads.append(result.timings["read"])


def summary(values: list[float]) -> str:
    if not values:
        return "—"
    return f"p50 {percentile(values, 0.5):.2f} s / p95 {percentile(values, 0.95):.2f} s / max {max(values):.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=60)
    parser.add_argument("--passages", type=int, nargs="+", default=[8, 16], help="passages examined (claim_passages)")
    parser.add_argument("--reader", nargs="+", default=["off"], choices=["off", "local"])
    args = parser.parse_args()
    claims = pick_claims(args.claims)
    configs = []
    for passages in args.passages:
        for reader in args.reader:
            settings = load_settings(claim_passages=passages, claim_reader=reader,
                                     claim_support_passages=min(passages, load_settings().claim_support_passages))
            configs.append(Config(passages, reader, Assistant(Runtime(settings), backend="extractive")))
    print(f"{len(claims)} dev claims, {os.cpu_count()} CPU, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    for config in configs:
        lookup(config, "Le médiateur de santé pair est un professionnel salarié.", record=False)
    for n, claim in enumerate(claims):
        for config in configs if n % 2 == 0 else list(reversed(configs)):
            lookup(config, claim)
    print(f"load average {os.getloadavg()[0]:.1f} at the end\n")
    for config in configs:
        reads = f"; reader {summary(config.reads)} over {len(config.reads)} lookups" if config.reads else ""
        print(f"{config.label}: total {summary(config.totals)} (mean {statistics.fmean(config.totals):.2f} s); "
              f"rules {summary(config.rules)}{reads}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
