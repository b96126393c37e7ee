"""Reciprocal rank fusion (Cormack et al., 2009), as a pure step: several rankings of ids
in, one fused ranking out. Like Haystack's DocumentJoiner in `reciprocal_rank_fusion` mode."""

from __future__ import annotations

from collections.abc import Sequence

RRF_K = 60


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Each id scores the sum of 1 / (k + rank) over the rankings it appears in (rank from 1);
    best first, ties in order of first appearance."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: pair[1], reverse=True)
