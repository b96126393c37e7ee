"""Thumbs up/down on answers, appended to a local JSONL file (settings.feedback_path).

Each line holds what is needed to turn a bad answer into an eval item: the question, the
answer, its citations (document, chunk, exact quote) and a draft `gold` list in the
format of evals/data/eval_set.jsonl.

What is accepted is bounded: the record has a schema (pydantic: types checked, texts cut to
their limits, at most MAX_CITATIONS citations, unknown keys dropped) and a size in bytes
once serialised (settings.feedback_max_bytes). The file is written and read back through
ui/jsonl.py (any Unicode, torn lines, full disk, rotation)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from . import jsonl

RATINGS = {"up": "up", "down": "down", "like": "up", "dislike": "down", "+1": "up", "-1": "down", "👍": "up", "👎": "down"}
MAX_COMMENT_CHARS = 2000
MAX_QUESTION_CHARS = 2000
MAX_ANSWER_CHARS = 6000
MAX_QUOTE_CHARS = 1500
MAX_LABEL_CHARS = 300
MAX_CITATIONS = 12
DEFAULT_MAX_BYTES = 32_000


class FeedbackError(ValueError):
    """Bad feedback input, or feedback that could not be stored; the message is for the user (French)."""


def _text(limit: int):
    def cut(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ValueError("texte attendu")
        return str(value)[:limit]

    return Annotated[str, BeforeValidator(cut)]


def _small_int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError("nombre attendu")
    number = int(value)
    if not -1 <= number <= 100_000:
        raise ValueError("nombre hors limites")
    return number


SmallInt = Annotated[int | None, BeforeValidator(_small_int)]


class CitationRecord(BaseModel):
    model_config = ConfigDict(extra="ignore")

    n: SmallInt = None
    doc: _text(MAX_LABEL_CHARS) = ""
    title: _text(MAX_LABEL_CHARS) = ""
    organisation: _text(MAX_LABEL_CHARS) = ""
    year: SmallInt = None
    section: _text(MAX_LABEL_CHARS) = ""
    page: SmallInt = None
    chunk_id: _text(80) = ""
    quote: _text(MAX_QUOTE_CHARS) = ""


def _timings(value: Any) -> dict[str, float]:
    if not isinstance(value, dict):
        return {}
    return {str(k)[:40]: float(v) for k, v in list(value.items())[:20]
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and abs(v) < 1e6}


def _citations(value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError("liste de citations attendue")
    return [c for c in value if isinstance(c, dict)][:MAX_CITATIONS]


class FeedbackRecord(BaseModel):
    """One stored line (the JSON shape documented in docs/web-ui.md)."""

    model_config = ConfigDict(extra="forbid")

    time: str
    rating: Literal["up", "down"]
    comment: _text(MAX_COMMENT_CHARS) = ""
    question: _text(MAX_QUESTION_CHARS)
    standalone_question: _text(MAX_QUESTION_CHARS) = ""
    answer: _text(MAX_ANSWER_CHARS) = ""
    abstained: bool = False
    backend: _text(60) = ""
    notice: _text(MAX_COMMENT_CHARS) = ""
    timings: Annotated[dict[str, float], BeforeValidator(_timings)] = Field(default_factory=dict)
    citations: Annotated[list[CitationRecord], BeforeValidator(_citations)] = Field(default_factory=list)
    gold: list[dict[str, str]] = Field(default_factory=list)
    origin: Literal["ui", "api"] = "ui"


def normalise_rating(rating) -> str:
    if isinstance(rating, bool):
        return "up" if rating else "down"
    value = RATINGS.get(str(rating or "").strip().lower()[:10])
    if not value:
        raise FeedbackError("Avis inconnu : utilisez « up » (👍) ou « down » (👎).")
    return value


def make_record(answer: dict, rating, comment: str = "", origin: str = "ui") -> dict:
    if not isinstance(answer, dict) or not isinstance(answer.get("question"), str) or not answer["question"].strip():
        raise FeedbackError("L'avis doit porter sur une réponse : passez le JSON renvoyé par `ask` (avec sa question).")
    if comment is not None and not isinstance(comment, str):
        raise FeedbackError("Le commentaire doit être un texte.")
    rating = normalise_rating(rating)
    try:
        record = FeedbackRecord(
            time=time.strftime("%Y-%m-%dT%H:%M:%S%z"), rating=rating, comment=comment or "", question=answer["question"],
            standalone_question=answer.get("standalone_question"), answer=answer.get("answer"),
            abstained=bool(answer.get("abstained")), backend=answer.get("backend"), notice=answer.get("notice"),
            timings=answer.get("timings"), citations=answer.get("citations"), origin=origin,
        )
    except ValidationError as exc:
        where = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors()[:3])
        raise FeedbackError(f"Avis mal formé ({where}) : passez le JSON renvoyé par `ask`.") from None
    record.gold = [{"doc": c.doc, "quote": c.quote} for c in record.citations if c.doc and c.quote]
    return record.model_dump()


class FeedbackStore:
    def __init__(self, path: Path, max_bytes: int = DEFAULT_MAX_BYTES, rotate_mb: float = 10.0, keep_files: int = 10):
        self.path = Path(path)
        self.max_bytes, self.rotate_bytes, self.keep_files = max_bytes, int(rotate_mb * 1024 * 1024), keep_files

    @classmethod
    def of(cls, settings) -> "FeedbackStore":
        return cls(settings.feedback_path, settings.feedback_max_bytes, settings.feedback_rotate_mb, settings.feedback_keep_files)

    def add(self, answer: dict, rating, comment: str = "", origin: str = "ui") -> dict:
        record = make_record(answer, rating, comment, origin)
        size = len(jsonl.dumps(record)) + 1
        if size > self.max_bytes:
            raise FeedbackError(f"Avis trop volumineux ({size} octets, maximum {self.max_bytes}) : raccourcissez le commentaire.")
        try:
            jsonl.append(self.path, record, self.rotate_bytes, self.keep_files)
        except jsonl.DiskFull:
            raise FeedbackError("Avis non enregistré : le disque du serveur est plein. Prévenez l'administrateur.") from None
        except OSError:
            raise FeedbackError("Avis non enregistré : le fichier des avis est inaccessible. Prévenez l'administrateur.") from None
        return record

    def read(self) -> list[dict]:
        """Every stored record, oldest first (rotated files included); unreadable lines skipped."""
        return jsonl.read(self.path).records
