"""Thumbs up/down on answers, appended to a local JSONL file (settings.feedback_path).

Each line holds what is needed to turn a bad answer into an eval item: the question, the
answer, its citations (document, chunk, exact quote) and a draft `gold` list in the
format of evals/data/eval_set.jsonl."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

RATINGS = {"up": "up", "down": "down", "like": "up", "dislike": "down", "+1": "up", "-1": "down", "👍": "up", "👎": "down"}
MAX_COMMENT_CHARS = 2000
MAX_TEXT_CHARS = 20000
MAX_CITATIONS = 20


class FeedbackError(ValueError):
    """Bad feedback input; the message is for the user (French)."""


def normalise_rating(rating) -> str:
    if isinstance(rating, bool):
        return "up" if rating else "down"
    value = RATINGS.get(str(rating or "").strip().lower())
    if not value:
        raise FeedbackError("Avis inconnu : utilisez « up » (👍) ou « down » (👎).")
    return value


def _citation(c: dict) -> dict:
    keys = ("n", "doc", "title", "organisation", "year", "section", "page", "chunk_id", "quote")
    return {k: (str(c.get(k))[:MAX_TEXT_CHARS] if isinstance(c.get(k), str) else c.get(k)) for k in keys}


def make_record(answer: dict, rating, comment: str = "", origin: str = "ui") -> dict:
    if not isinstance(answer, dict) or not str(answer.get("question") or "").strip():
        raise FeedbackError("L'avis doit porter sur une réponse : passez le JSON renvoyé par `ask` (avec sa question).")
    citations = [_citation(c) for c in (answer.get("citations") or [])[:MAX_CITATIONS] if isinstance(c, dict)]
    return {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "rating": normalise_rating(rating),
        "comment": str(comment or "")[:MAX_COMMENT_CHARS],
        "question": str(answer.get("question"))[:MAX_TEXT_CHARS],
        "standalone_question": str(answer.get("standalone_question") or "")[:MAX_TEXT_CHARS],
        "answer": str(answer.get("answer") or "")[:MAX_TEXT_CHARS],
        "abstained": bool(answer.get("abstained")),
        "backend": str(answer.get("backend") or ""),
        "notice": str(answer.get("notice") or "")[:MAX_TEXT_CHARS],
        "timings": {k: v for k, v in (answer.get("timings") or {}).items() if isinstance(v, (int, float))},
        "citations": citations,
        "gold": [{"doc": c["doc"], "quote": c["quote"]} for c in citations if c.get("doc") and c.get("quote")],
        "origin": origin,
    }


class FeedbackStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def add(self, answer: dict, rating, comment: str = "", origin: str = "ui") -> dict:
        record = make_record(answer, rating, comment, origin)
        line = json.dumps(record, ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")
        return record

    def read(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
