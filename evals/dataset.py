"""The eval set: JSONL items, gold quotes located in the corpus, named subsets."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

EVALS_DIR = Path(__file__).resolve().parent
DEFAULT_SET = EVALS_DIR / "data" / "eval_set.jsonl"
SUBSETS_FILE = EVALS_DIR / "subsets.toml"
KINDS = ("definition", "claim", "fact", "multi", "unanswerable", "english", "followup")


class EvalSetError(ValueError):
    """The set cannot be used; the message (French) says why."""


@dataclass(frozen=True)
class GoldQuote:
    doc: str
    quote: str


@dataclass
class EvalItem:
    id: str
    question: str
    kind: str
    gold: list[GoldQuote]
    answer: str = ""
    must_mention: list[str] = field(default_factory=list)
    history: list[dict] | None = None
    tags: list[str] = field(default_factory=list)
    unsupported: bool | None = None

    @property
    def expects_abstention(self) -> bool:
        """Positives of the abstention metrics: out-of-corpus questions and unsupported claims."""
        return self.kind == "unanswerable" or self.unsupported is True

    @classmethod
    def from_json(cls, data: dict) -> "EvalItem":
        return cls(
            id=str(data["id"]),
            question=str(data["question"]),
            kind=str(data["kind"]),
            gold=[GoldQuote(str(g["doc"]), str(g["quote"])) for g in data.get("gold") or []],
            answer=str(data.get("answer", "")),
            must_mention=[str(t) for t in data.get("must_mention") or []],
            history=data.get("history") or None,
            tags=[str(t) for t in data.get("tags") or []],
            unsupported=data.get("unsupported"),
        )


def read_lines(path: Path) -> list[tuple[int, dict | None, str]]:
    """(line number, parsed object or None, error) for every non-blank line."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EvalSetError(f"jeu d'évaluation introuvable : {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalSetError(f"jeu d'évaluation illisible ({path}) : {exc}") from None
    rows = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append((number, None, f"JSON invalide ({exc.msg})"))
            continue
        rows.append((number, data, "" if isinstance(data, dict) else "un objet JSON est attendu"))
    return rows


def load_set(path: Path) -> list[EvalItem]:
    """Items of a set already validated by `check_set`."""
    return [EvalItem.from_json(data) for _, data, error in read_lines(path) if data is not None and not error]


def select_subset(items: list[EvalItem], name: str, subsets_file: Path = SUBSETS_FILE) -> list[EvalItem]:
    """Items tagged `name`, plus the ids listed under `name` in subsets.toml (set order kept)."""
    listed: set[str] = set()
    if subsets_file.is_file():
        with subsets_file.open("rb") as fh:
            listed = set(tomllib.load(fh).get(name, {}).get("ids", []))
    chosen = [item for item in items if name in item.tags or item.id in listed]
    if not chosen:
        raise EvalSetError(
            f"sous-ensemble « {name} » vide : aucun item n'a l'étiquette « {name} » "
            f"ni ne figure dans [{name}] de {subsets_file.name}"
        )
    return chosen


class SourceTexts:
    """Decoded corpus files (as ingestion reads them) and where gold quotes sit in them."""

    def __init__(self, corpus_dir: Path):
        self.corpus_dir = Path(corpus_dir)
        self._texts: dict[str, str | None] = {}
        self._errors: dict[str, str] = {}

    def text(self, doc: str) -> str | None:
        if doc not in self._texts:
            self._texts[doc] = self._load(doc)
        return self._texts[doc]

    def error(self, doc: str) -> str:
        self.text(doc)
        return self._errors.get(doc, "")

    def _load(self, doc: str) -> str | None:
        from ingest.loaders import LoadError, load

        path = self.corpus_dir / doc
        if not path.is_file():
            self._errors[doc] = f"document absent du corpus ({path})"
            return None
        try:
            return load(path).text
        except LoadError as exc:
            self._errors[doc] = f"document illisible ({exc})"
            return None

    def spans(self, gold: GoldQuote) -> list[tuple[int, int]]:
        """Every occurrence of the quote in its document (overlapping ones included)."""
        from .metrics import quote_spans

        text = self.text(gold.doc)
        return quote_spans(text, gold.quote) if text else []
