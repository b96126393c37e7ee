"""The CI gate: thresholds kept in evals/thresholds.toml, checked against the overall metrics.

Keys are paths in the metrics object's `overall` part (`retrieval.hybrid.recall_at_5`,
`abstention.f1`…); the value is a minimum, or a maximum when the key ends in `_max`
(`latency.total.p90_max`)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .dataset import EVALS_DIR, EvalSetError

THRESHOLDS_FILE = EVALS_DIR / "thresholds.toml"


@dataclass
class GateFailure:
    metric: str
    value: float | None
    threshold: float
    maximum: bool

    def message(self) -> str:
        if self.value is None:
            return f"{self.metric} : métrique absente ou non calculable (seuil {self.threshold})"
        sign = ">" if self.maximum else "<"
        return f"{self.metric} = {self.value:.4g} {sign} seuil {self.threshold}"


def load_thresholds(path: Path = THRESHOLDS_FILE) -> dict[str, float]:
    try:
        with Path(path).open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise EvalSetError(f"fichier de seuils introuvable : {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise EvalSetError(f"fichier de seuils invalide ({path}) : {exc}") from None
    flat = _flatten(data)
    bad = [k for k, v in flat.items() if isinstance(v, bool) or not isinstance(v, (int, float))]
    if bad:
        raise EvalSetError(f"seuils non numériques dans {path} : {', '.join(bad)}")
    return {k: float(v) for k, v in flat.items()}


def _flatten(data: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, path + "."))
        else:
            flat[path] = value
    return flat


def lookup(metrics: dict, path: str):
    value = metrics
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def check_gate(overall: dict, thresholds: dict[str, float]) -> list[GateFailure]:
    failures = []
    for key, threshold in thresholds.items():
        maximum = key.endswith("_max")
        metric = key[: -len("_max")] if maximum else key
        value = lookup(overall, metric)
        if value is None or (value > threshold if maximum else value < threshold):
            failures.append(GateFailure(metric, value, threshold, maximum))
    return failures
