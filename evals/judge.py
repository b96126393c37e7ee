"""Optional LLM judge: split an answer into claims and label each supported or not by the
passages the answer cites. Faithfulness = supported claims / claims."""

from __future__ import annotations

import json
import re

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from assistant import markers

from .metrics import JudgeResult

PASSAGE_CHARS = 1200
MAX_FAILURES_IN_A_ROW = 3

JUDGE_PROMPT = ChatPromptTemplate.from_messages(
    [
        (
            "system",
            "Tu es un évaluateur rigoureux. Tu vérifies si chaque affirmation d'une réponse est "
            "justifiée par les passages fournis, sans utiliser tes propres connaissances.",
        ),
        (
            "human",
            "Passages cités :\n{passages}\n\nRéponse à évaluer :\n{answer}\n\n"
            "Découpe la réponse en affirmations courtes et vérifiables (une idée chacune). "
            "Pour chaque affirmation, indique si les passages la justifient. "
            "Réponds uniquement par une liste JSON, sans autre texte, par exemple :\n"
            '[{{"affirmation": "…", "soutenue": true}}, {{"affirmation": "…", "soutenue": false}}]',
        ),
    ]
)

_TRUE = {"true", "oui", "yes", "vrai", "soutenue", "supported", "1"}
_FALSE = {"false", "non", "no", "faux", "non soutenue", "unsupported", "0"}


class Judge:
    """Wraps a chat model; gives up (with a message) after repeated failures."""

    def __init__(self, model: BaseChatModel, name: str):
        self.model = model
        self.name = name
        self.failures_in_a_row = 0
        self.gave_up = ""

    def judge(self, answer: str, passages: list[str]) -> JudgeResult:
        if self.gave_up:
            return JudgeResult(error=self.gave_up)
        try:
            raw = (JUDGE_PROMPT | self.model | StrOutputParser()).invoke(
                {"passages": format_passages(passages), "answer": markers.strip(answer).strip()}
            )
        except Exception as exc:  # unreachable server, timeout, model error
            return self._failed(f"juge injoignable ({type(exc).__name__}: {str(exc)[:120]})")
        claims = parse_claims(raw)
        if not claims:
            return self._failed(f"réponse du juge illisible : {raw[:160]!r}")
        self.failures_in_a_row = 0
        return JudgeResult(claims=claims)

    def _failed(self, message: str) -> JudgeResult:
        self.failures_in_a_row += 1
        if self.failures_in_a_row >= MAX_FAILURES_IN_A_ROW:
            self.gave_up = f"juge abandonné après {MAX_FAILURES_IN_A_ROW} échecs de suite ({message})"
        return JudgeResult(error=message)


def format_passages(passages: list[str]) -> str:
    return "\n\n".join(f"[{n}] {text[:PASSAGE_CHARS]}" for n, text in enumerate(passages, start=1)) or "(aucun)"


def parse_claims(raw: str) -> list[dict]:
    """The judge's JSON list, or failing that `- claim : oui/non` lines."""
    claims = _parse_json(raw)
    return claims if claims else _parse_lines(raw)


def _parse_json(raw: str) -> list[dict]:
    start, end = raw.find("["), raw.rfind("]")
    if start < 0 or end <= start:
        return []
    try:
        data = json.loads(raw[start : end + 1])
    except json.JSONDecodeError:
        return []
    claims = []
    for entry in data if isinstance(data, list) else []:
        if not isinstance(entry, dict):
            continue
        text = next((str(entry[k]) for k in ("affirmation", "claim", "texte", "text") if k in entry), "")
        verdict = _verdict(next((entry[k] for k in ("soutenue", "supported", "verdict", "justifiee", "justifiée") if k in entry), None))
        if text.strip() and verdict is not None:
            claims.append({"claim": text.strip(), "supported": verdict})
    return claims


def _parse_lines(raw: str) -> list[dict]:
    claims = []
    for line in raw.splitlines():
        match = re.match(r"^\s*(?:[-*•]|\d+[.)])\s*(.+?)\s*[:=—-]+\s*\(?([\wé ]+?)\)?\s*\.?$", line)
        if match and _verdict(match.group(2)) is not None:
            claims.append({"claim": match.group(1).strip(), "supported": _verdict(match.group(2))})
    return claims


def _verdict(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if value is not None else ""
    if text in _FALSE:
        return False
    if text in _TRUE:
        return True
    return None


def make_judge(runtime, backend: str) -> tuple[Judge | None, str]:
    """The judge for a backend, or None and why not (French)."""
    from assistant.backends import BackendUnavailableError, resolve_backend

    name = resolve_backend(runtime.settings, backend)  # unknown name: ValueError, a usage error
    if name == "extractive":
        return None, "le juge a besoin d'un backend LLM (local, ollama ou openai), pas de l'extractif : fidélité non mesurée."
    try:
        model = runtime.chat_model(name)
    except BackendUnavailableError as exc:
        return None, f"juge « {name} » indisponible : {exc} Fidélité non mesurée."
    except Exception as exc:  # a missing optional package, a bad URL…
        return None, f"juge « {name} » indisponible ({type(exc).__name__}: {exc}). Fidélité non mesurée."
    return Judge(model, name), ""
