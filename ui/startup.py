"""`pairs serve` starts at once: on a fresh machine the corpus is indexed, then the model is
loaded and its fixed prompt evaluated, in a background thread, while the page is already
served and says where things are. A question asked during indexing waits for it, showing
its progress; a question asked while the model loads simply waits for the model."""

from __future__ import annotations

import logging
import threading
import time

from .render import redact_paths

log = logging.getLogger(__name__)

INDEXING, WARMING, READY, FAILED = "indexing", "warming", "ready", "failed"


class Startup:
    """The server's background start: index when the index is empty, then warm up."""

    def __init__(self, runtime, assistant, warm: bool = True):
        self.runtime, self.assistant, self.warm = runtime, assistant, warm
        self.state = WARMING
        self.document, self.fraction = "", 0.0
        self.message = ""
        self.seconds: dict[str, float] = {}
        self.indexed = threading.Event()
        self.done = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> "Startup":
        try:
            self.state = INDEXING if self.runtime.store.count() == 0 else WARMING
        except Exception as exc:  # a Chroma server down: the page says so, the server still starts
            self.state, self.message = FAILED, str(exc)
            self.indexed.set()
            self.done.set()
            return self
        self._thread = threading.Thread(target=self._run, daemon=True, name="pairs-startup")
        self._thread.start()
        return self

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            if self.state == INDEXING:
                report = self.runtime.ingest(on_progress=self._progress, actor="premier lancement du serveur")
                self.runtime.refresh()
                self.seconds["index"] = time.perf_counter() - started
                failed = len(report.failed)
                self.message = f"{report.chunks} passages indexés" + (f", {failed} fichier(s) refusé(s)" if failed else "")
            self.indexed.set()  # questions may go on while the model warms up
            if self.warm:
                self.state = WARMING
                self.seconds.update(self.assistant.warm_up())
            self.state = READY
        except Exception as exc:  # the server keeps running; questions will say what is wrong
            log.exception("startup failed")
            self.state, self.message = FAILED, f"{type(exc).__name__} : {exc}"
        finally:
            self.indexed.set()
            self.done.set()

    def _progress(self, name: str, fraction: float) -> None:
        self.document, self.fraction = name, fraction

    def status(self) -> str:
        """Where the start is, in French ("" once ready)."""
        if self.state == INDEXING:
            where = f" ({self.document})" if self.document else ""
            return f"Premier lancement : indexation du corpus, {round(100 * self.fraction)} %{where}…"
        if self.state == WARMING:
            return "Chargement du modèle de réponse…"
        if self.state == FAILED:
            return f"Le démarrage a échoué : {redact_paths(self.message)}"
        return ""
