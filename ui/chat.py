"""The chat turn, independent of Gradio: stream the assistant's answer into display
updates, keep the plain conversation for follow-ups, remember each answer for feedback.

What a user sees, in order: the passages found (Sources panel) as soon as retrieval is done;
then the answer sentence by sentence, each once it passed verification (never the model's
raw, unverified text); then the final answer with its notice and timings."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator

from assistant import Answer, InvalidQuestionError, Retrieved, Verified

from . import render

log = logging.getLogger(__name__)

WAIT_TICK = 0.5  # seconds between "still working" updates
MIN_UPDATE = 0.08  # seconds between two streamed display updates
UNEXPECTED = ("Une erreur inattendue a empêché la réponse ; elle est consignée dans le journal du serveur. "
              "Réessayez, ou reformulez la question.")


def new_session() -> dict:
    """messages: what the chatbot shows; history: plain turns for the assistant;
    turns: each answer's JSON; by_message: chatbot index -> turn number."""
    return {"messages": [], "history": [], "turns": [], "by_message": {}}


def with_heartbeat(events: Callable[[], Iterator], tick: float | None = None) -> Iterator[tuple[str, object]]:
    """Run a blocking generator in a thread; yield ("event", x) for its items and
    ("waiting", seconds) while it is silent, so the UI can say the model is loading."""
    tick = tick or WAIT_TICK
    box: queue.Queue = queue.Queue()

    def work():
        try:
            for event in events():
                box.put(("event", event))
        except BaseException as exc:  # handed over to the consumer
            box.put(("error", exc))
        box.put(("done", None))

    threading.Thread(target=work, daemon=True, name="pairs-answer").start()
    started = time.monotonic()
    while True:
        try:
            kind, value = box.get(timeout=tick)
        except queue.Empty:
            yield "waiting", time.monotonic() - started
            continue
        if kind == "done":
            return
        if kind == "error":
            raise value
        yield "event", value


def friendly_error(exc: BaseException) -> str:
    if isinstance(exc, (InvalidQuestionError, ValueError)):
        return str(exc)
    known = type(exc).__name__ in {"EmbedderMismatchError", "StoreUnavailableError", "BackendUnavailableError"}
    if known:
        return str(exc)
    log.exception("answer failed", exc_info=exc)
    return UNEXPECTED


def answer_turn(assistant, session: dict, question: str, backend: str | None = None, log_questions: bool = False,
                startup=None) -> Iterator[dict]:
    """Yields the session after each visible change; the last one holds the verified answer.
    With a `startup` still indexing the corpus, the question waits for it, showing its progress."""
    question = (question or "").strip()
    if not question:
        return
    if log_questions:
        log.info("question: %s", question)
    messages = session["messages"]
    messages += [{"role": "user", "content": render.esc(question)}, {"role": "assistant", "content": render.pending_message("")}]
    yield session
    while startup is not None and not startup.indexed.wait(WAIT_TICK):
        messages[-1]["content"] = render.pending_message("", status=startup.status())
        yield session
    generator = backend != "extractive" and getattr(assistant, "backend", "") != "extractive"
    turn = len(session["turns"]) + 1
    shown: list[str] = []
    writing, last = False, 0.0
    try:
        for kind, value in with_heartbeat(lambda: assistant.stream(question, list(session["history"]), backend)):
            if kind == "waiting":
                if not shown:
                    messages[-1]["content"] = render.pending_message("", value, generator, writing=writing)
                    yield session
            elif isinstance(value, Retrieved):
                session["pending"] = {"turn": turn, "question": question, "citations": [],
                                      "passages": [p.to_json() for p in value.passages] if value.gate.answerable else []}
                messages[-1]["content"] = render.pending_message("", generator=generator, found=len(value.passages))
                yield session
            elif isinstance(value, Verified):
                shown.append(value.text)
                session.setdefault("pending", {"turn": turn, "question": question, "passages": []})
                session["pending"]["citations"] = [c.to_json() for c in value.citations]
                messages[-1]["content"] = render.streaming_answer(shown, session["pending"]["citations"], turn)
                yield session
            elif isinstance(value, Answer):
                session.pop("pending", None)
                finish(session, value)
                yield session
                return
            elif not writing or (not shown and time.monotonic() - last >= MIN_UPDATE):  # raw text: never shown
                writing, last = True, time.monotonic()
                if not shown:
                    messages[-1]["content"] = render.pending_message("", generator=generator, writing=True)
                    yield session
    except Exception as exc:  # no stack trace for users
        session.pop("pending", None)
        messages[-1]["content"] = render.error_message(friendly_error(exc))
        yield session


def sources_view(session: dict) -> str:
    """The Sources panel: the passages of the answer being written (found, then cited as
    its sentences are verified), else every answer's passages."""
    pending = session.get("pending")
    if pending:
        return render.pending_sources(pending, session["turns"])
    return render.sources_panel(session["turns"])


def finish(session: dict, answer: Answer) -> None:
    data = answer.to_json()
    turn = len(session["turns"]) + 1
    session["turns"].append({"turn": turn, "answer": data})
    session["by_message"][len(session["messages"]) - 1] = turn
    session["messages"][-1]["content"] = render.answer_message(data, turn)
    session["history"] += [{"role": "user", "content": answer.question}, {"role": "assistant", "content": answer.answer}]


def answer_for_message(session: dict, index) -> dict | None:
    if isinstance(index, (list, tuple)):
        index = index[0]
    turn = session.get("by_message", {}).get(index)
    if turn is None:
        turn = session.get("by_message", {}).get(str(index))
    return session["turns"][turn - 1]["answer"] if turn else None
