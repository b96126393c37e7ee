"""The eval set: JSONL items, gold quotes located in the corpus, named subsets."""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

EVALS_DIR = Path(__file__).resolve().parent
DEFAULT_SET = EVALS_DIR / "data" / "eval_set.jsonl"
CLAIMS_SET = EVALS_DIR / "data" / "claims.jsonl"
DEFAULT_SETS = (DEFAULT_SET, CLAIMS_SET)
# dev only: more claims to tune on (claims_dev3: stop 22, LLM-style paraphrases, list items)
EXTRA_DEV_CLAIMS_SETS = (EVALS_DIR / "data" / "claims_dev2.jsonl", EVALS_DIR / "data" / "claims_dev3.jsonl")
# dev only: questions written by reading the corpus, to tune the gate on (stops 20, 22 and 32)
EXTRA_DEV_QUESTION_SETS = tuple(EVALS_DIR / "data" / f"questions_dev{n}.jsonl" for n in (3, 4, 5))
ENGLISH_CLAIMS_SET = EVALS_DIR / "data" / "claims_en.jsonl"  # claims.jsonl in English (same splits)
HOLDOUT_CLAIMS_SET = EVALS_DIR / "data" / "claims_holdout.jsonl"  # test only, never tuned on
HOLDOUT2_CLAIMS_SET = EVALS_DIR / "data" / "claims_holdout2.jsonl"  # stop 19: written by a helper, measured once, never read
SUBSETS_FILE = EVALS_DIR / "subsets.toml"
KINDS = ("definition", "claim", "fact", "multi", "unanswerable", "english", "followup")
SPLITS = ("dev", "test")
# Adversarial claims: what the verifier should say of each type.
CLAIM_TYPES = {
    "faithful": "supports",
    "negation": "contradicts", "number": "contradicts", "date": "contradicts", "comparative": "contradicts",
    "role": "not_supports", "entity": "not_supports", "generalisation": "not_supports", "unrelated": "not_supports",
}
UNANSWERABLE_TYPES = ("missing_entity", "missing_figure", "missing_date", "missing_person", "missing_place")


class EvalSetError(ValueError):
    """The set cannot be used; the message (French) says why."""


@dataclass(frozen=True)
class GoldQuote:
    doc: str
    quote: str
    page: int | None = None  # 1-based, PDFs

    @classmethod
    def of(cls, data: dict) -> "GoldQuote":
        return cls(str(data["doc"]), str(data["quote"]), int(data["page"]) if data.get("page") else None)


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
    type: str = ""  # adversarial claims: faithful, negation…; unanswerables: missing_entity…
    expected: str = ""  # adversarial claims: supports, contradicts or not_supports
    group: str = ""  # items derived from the same source sentence share a group (and a split)
    split: str = ""  # "dev" (thresholds are tuned on it) or "test" (figures are reported on it)
    source: GoldQuote | None = None  # the sentence an adversarial claim paraphrases or alters
    near: GoldQuote | None = None  # unanswerables: where the corpus discusses the topic

    @property
    def expects_abstention(self) -> bool:
        """Positives of the abstention metrics: out-of-corpus questions and unsupported claims."""
        return self.kind == "unanswerable" or self.unsupported is True

    @property
    def adversarial(self) -> bool:
        """A claim for the verifier (`sources`), not a question for `ask`."""
        return self.kind == "claim" and bool(self.type)

    @classmethod
    def from_json(cls, data: dict) -> "EvalItem":
        return cls(
            id=str(data["id"]),
            question=str(data["question"]),
            kind=str(data["kind"]),
            gold=[GoldQuote.of(g) for g in data.get("gold") or []],
            answer=str(data.get("answer", "")),
            must_mention=[str(t) for t in data.get("must_mention") or []],
            history=data.get("history") or None,
            tags=[str(t) for t in data.get("tags") or []],
            unsupported=data.get("unsupported"),
            type=str(data.get("type", "")),
            expected=str(data.get("expected", "")),
            group=str(data.get("group", "")),
            split=str(data.get("split", "")),
            source=GoldQuote.of(data["source"]) if data.get("source") else None,
            near=GoldQuote.of(data["near"]) if data.get("near") else None,
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


def select_split(items: list[EvalItem], split: str) -> list[EvalItem]:
    """Items of one split ("all": every item; items without a split belong to every split)."""
    return items if split == "all" else [i for i in items if i.split in ("", split)]


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


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\ufffe\ufeff\u200b\u0002"), None)
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-[ \t]*\n[ \t]*(?=[^\W\d_])")
_WHITESPACE = re.compile(r"\s+")


def normalise_quote_text(text: str) -> tuple[str, list[int]]:
    """The text as gold quotes of PDFs are written (NFKC, invisible characters and
    end-of-line hyphenation removed, whitespace runs collapsed), with, for each character,
    its offset in `text`, so a quote found there maps back to source offsets."""
    chars: list[str] = []
    offsets: list[int] = []
    for offset, ch in enumerate(text):
        for piece in unicodedata.normalize("NFKC", ch).translate(_INVISIBLE):
            chars.append(piece)
            offsets.append(offset)
    joined = "".join(chars)
    out, kept, last = [], [], 0
    for match in list(_HYPHEN_BREAK.finditer(joined)) + [None]:
        end = match.start() if match else len(joined)
        out.append(joined[last:end])
        kept.extend(offsets[last:end])
        last = match.end() if match else len(joined)
    joined, offsets = "".join(out), kept
    out, kept, last = [], [], 0
    for match in list(_WHITESPACE.finditer(joined)) + [None]:
        end = match.start() if match else len(joined)
        out.append(joined[last:end])
        kept.extend(offsets[last:end])
        if match:
            out.append(" ")
            kept.append(offsets[match.start()])
            last = match.end()
    return "".join(out), kept


class SourceTexts:
    """Decoded corpus files (as ingestion reads them) and where gold quotes sit in them."""

    def __init__(self, corpus_dir: Path):
        self.corpus_dir = Path(corpus_dir)
        self._texts: dict[str, str | None] = {}
        self._errors: dict[str, str] = {}
        self._normalised: dict[str, tuple[str, list[int]]] = {}

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
        """Every occurrence of the quote in its document (overlapping ones included), in
        source offsets. Text files: exact. PDFs: on the normalised text (see
        normalise_quote_text), since PDF readers differ in spacing and hyphenation."""
        from .metrics import quote_spans

        text = self.text(gold.doc)
        if not text:
            return []
        if not gold.doc.lower().endswith(".pdf"):
            return quote_spans(text, gold.quote)
        if gold.doc not in self._normalised:
            self._normalised[gold.doc] = normalise_quote_text(text)
        normalised, offsets = self._normalised[gold.doc]
        quote, _ = normalise_quote_text(gold.quote)
        return [(offsets[s], offsets[e - 1] + 1) for s, e in quote_spans(normalised, quote.strip())]

    def found(self, gold: GoldQuote) -> bool:
        return bool(self.spans(gold))
