"""The Gradio web UI: Discussion (chat), Sources (trainer), Corpus (maintainer).

Presentation only: every answer comes from the assistant's Python API. The named API
endpoints (`ask`, `sources`, `search`, `corpus`, `feedback`, `reindex`) are for `gradio_client`:

    from gradio_client import Client
    client = Client("http://127.0.0.1:7860/")
    answer = client.predict("Qu'est-ce qu'un médiateur santé pair ?", [], api_name="/ask")

Every handler, UI event or API endpoint, asks `Guard` on the server who is calling (the
login Gradio checked, ui/auth.py), whether that role may do it, and whether the client is
within its rate; admin actions are written to the audit journal (ui/audit.py). Hidden
buttons are a convenience for readers, never the check: any event can be called over HTTP."""

from __future__ import annotations

import inspect
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # nothing leaves the machine

import gradio as gr  # noqa: E402

from assistant import Assistant, Runtime  # noqa: E402
from ingest import Settings  # noqa: E402
from ingest.catalog import CatalogError  # noqa: E402

from . import assets, chat, corpus, http, render  # noqa: E402
from .audit import AuditLog  # noqa: E402
from .auth import (ADMIN_ONLY, ROLE_LABELS, Caller, PasswordCheck, account_problem, accounts, caller_of,  # noqa: E402
                   is_loopback)
from .feedback import FeedbackError, FeedbackStore  # noqa: E402
from .limits import RateLimiter, too_many  # noqa: E402
from .startup import Startup  # noqa: E402

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
MAX_HISTORY_TURNS = 40
MAX_HISTORY_CHARS = 6000
EXAMPLES = [
    "Qu'est-ce qu'un médiateur santé pair ?",
    "Qu'est-ce que la pair-aidance ?",
    "Qu'est-ce que le savoir expérientiel ?",
    "Qu'est-ce qu'un patient partenaire ?",
]
INTRO = (
    "# Pairs\n"
    "Des réponses sur la **pair-aidance** (médiateurs de santé pairs, patients partenaires, savoirs expérientiels…) "
    "tirées d'un corpus de documents français, avec le **passage exact** derrière chaque phrase. "
    "Quand le corpus ne contient pas la réponse, Pairs le dit."
)
READ_ONLY = ("Lecture seule : ajouter, retirer ou réindexer des documents et modifier leur fiche est réservé aux "
             "administrateurs.")


class Refused(Exception):
    """An action refused before it ran (role, rate, input size); the message is for the user."""


# -- who is calling, and may they --------------------------------------------------------
class Guard:
    """Server-side checks shared by every handler of one app."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.audit = AuditLog.of(settings)
        burst = settings.rate_burst
        self.limits = {
            "question": RateLimiter(settings.rate_questions_per_minute, burst),
            "feedback": RateLimiter(settings.rate_feedback_per_minute, burst),
            "admin": RateLimiter(settings.rate_admin_per_minute, min(burst, 5)),
        }

    def caller(self, request: gr.Request | None) -> Caller:
        username = getattr(request, "username", None) if request is not None else None
        try:
            host = request.client.host if request is not None and request.client else ""
        except AttributeError:
            host = ""
        return caller_of(self.settings, username, host or "")

    def reader(self, request: gr.Request | None, bucket: str) -> Caller:
        caller = self.caller(request)
        if caller.role is None:
            raise Refused("Accès refusé : identifiez-vous.")
        wait = self.limits[bucket].wait(caller.rate_key)
        if wait:
            raise Refused(too_many(wait))
        return caller

    def admin(self, request: gr.Request | None, action: str) -> Caller:
        caller = self.caller(request)
        if not caller.is_admin:
            self.audit.record(caller, "refused", ok=False, wanted=action)
            raise Refused(ADMIN_ONLY)
        wait = self.limits["admin"].wait(caller.rate_key)
        if wait:
            raise Refused(too_many(wait))
        return caller

    def question(self, text) -> str:
        if not isinstance(text, str):
            raise Refused("La question doit être un texte.")
        limit = self.settings.max_question_chars
        if len(text) > limit:
            raise Refused(f"La question est trop longue ({len(text)} caractères, maximum {limit}) : résumez-la.")
        return text

    def asking(self, request: gr.Request | None, text) -> Caller:
        """A reader asking something: the text is a bounded question, the caller may ask now."""
        self.question(text)
        return self.reader(request, "question")


# -- the app -----------------------------------------------------------------------------
def build_app(runtime: Runtime, assistant: Assistant | None = None, startup=None) -> gr.Blocks:
    """The Blocks app over a runtime; inject an Assistant (a test's backend) or let it be built.
    With a `startup` (ui/startup.py) running, the status line follows its progress."""
    settings = runtime.settings
    assistant = assistant or Assistant(runtime)
    feedback = FeedbackStore.of(settings)
    guard = Guard(settings)
    corpus.sweep_partial_uploads(settings.corpus_dir)
    # delete_cache: uploads wait in Gradio's temporary folder; anything older than an hour goes
    with gr.Blocks(title="Pairs — la pair-aidance, sources à l'appui", analytics_enabled=False,
                   delete_cache=(1800, 3600)) as demo:
        gr.Markdown(INTRO, elem_id="pairs-intro")
        status = gr.Markdown(elem_id="pairs-status")
        with gr.Tabs():
            with gr.Tab("Discussion", id="chat", elem_id="tab-chat"):
                _chat_tab(settings, assistant, feedback, guard, startup)
            with gr.Tab("Sources", id="sources", elem_id="tab-sources"):
                _sources_tab(assistant, guard)
            with gr.Tab("Corpus", id="corpus", elem_id="tab-corpus"):
                view = _corpus_tab(runtime, guard)
        _api_endpoints(runtime, assistant, feedback, guard, startup)

        def on_load(request: gr.Request):
            caller = guard.caller(request)
            return (_status_line(settings, assistant, caller, startup), *_corpus_view(runtime, caller), *view.role_updates(caller))

        demo.load(on_load, outputs=[status, view.table, view.summary, *view.role_outputs], api_visibility="private")
        if startup is not None:
            _follow_startup(startup, settings, assistant, runtime, guard, status, view)
    demo.queue(default_concurrency_limit=max(1, int(settings.concurrency)))
    return demo


def _follow_startup(startup: Startup, settings: Settings, assistant: Assistant, runtime: Runtime, guard: Guard,
                    status, view: CorpusView) -> None:
    """While the server indexes and warms up in the background, refresh the status line
    (and, once indexed, the corpus tab) every second, then stop."""
    timer = gr.Timer(1.0, active=not startup.done.is_set())

    def tick(request: gr.Request):
        caller = guard.caller(request)
        done = startup.done.is_set()
        table = _corpus_view(runtime, caller) if startup.indexed.is_set() else (gr.skip(), gr.skip())
        return _status_line(settings, assistant, caller, startup), *table, gr.Timer(active=not done)

    timer.tick(tick, outputs=[status, view.table, view.summary, timer], api_visibility="private", show_progress="hidden")


def _status_line(settings: Settings, assistant: Assistant, caller: Caller, startup: Startup | None = None) -> str:
    backend = render.backend_label(getattr(assistant, "backend", settings.backend))
    who = f"{render.esc(caller.user)} ({ROLE_LABELS[caller.role]})" if caller.user and caller.role else (
        f"utilisateur local ({ROLE_LABELS[caller.role]})" if caller.role else "non identifié")
    starting = startup.status() if startup is not None else ""
    if starting:
        return (f'<span class="pairs-meta pairs-starting pairs-role-{caller.role or "none"}" id="pairs-who">⏳ {render.esc(starting)} · '
                f"Connecté : {who} · moteur de réponse : {render.esc(backend)}</span>")
    return (f'<span class="pairs-meta pairs-role-{caller.role or "none"}" id="pairs-who">Connecté : {who} · '
            f"Moteur de réponse : {render.esc(backend)} · vos avis sur les réponses restent sur cette machine.</span>")


def _chat_tab(settings: Settings, assistant: Assistant, feedback: FeedbackStore, guard: Guard, startup: Startup | None = None) -> None:
    session = gr.State(chat.new_session())
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(
                label="Discussion", elem_id="pairs-chat", height=560, show_label=False,
                examples=[{"text": q} for q in EXAMPLES], feedback_options=("Like", "Dislike"),
                placeholder="**Bienvenue !** Posez une question sur la pair-aidance, ou choisissez un exemple :",
                buttons=["copy"], latex_delimiters=[],
            )
            with gr.Row():
                question = gr.Textbox(placeholder="Votre question sur la pair-aidance…", show_label=False,
                                      scale=6, elem_id="pairs-question", max_lines=6, autofocus=True,
                                      max_length=settings.max_question_chars)
                send = gr.Button("Envoyer", variant="primary", scale=1, elem_id="pairs-send")
            clear = gr.Button("Effacer la conversation", size="sm", elem_id="pairs-clear")
        with gr.Column(scale=2):
            gr.Markdown("### Sources citées")
            sources = gr.HTML(render.EMPTY_SOURCES, elem_id="pairs-sources", js_on_load=None)

    def respond(text: str, state: dict, request: gr.Request):
        if not (text or "").strip():
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        try:
            guard.asking(request, text)
        except Refused as exc:
            state["messages"] = state["messages"] + [{"role": "assistant", "content": render.error_message(str(exc))}]
            yield gr.skip(), state["messages"], gr.skip(), state
            return
        for state in chat.answer_turn(assistant, state, text, log_questions=settings.log_questions, startup=startup):
            yield "", state["messages"], chat.sources_view(state), state

    def respond_example(state: dict, selected: gr.SelectData, request: gr.Request):
        value = selected.value
        yield from respond(value.get("text", "") if isinstance(value, dict) else str(value), state, request)

    def rate(state: dict, data: gr.LikeData, request: gr.Request):
        answer = chat.answer_for_message(state, data.index)
        if answer is None or not isinstance(data.liked, bool):
            return
        try:
            guard.reader(request, "feedback")
            feedback.add(answer, data.liked, origin="ui")
        except (Refused, FeedbackError) as exc:
            gr.Warning(str(exc))
            return
        gr.Info("Merci ! Votre avis positif est enregistré." if data.liked else "Merci ! Votre avis négatif est enregistré : cette réponse servira à améliorer Pairs.")

    outputs = [question, chatbot, sources, session]
    common = dict(outputs=outputs, concurrency_id="generation", api_visibility="private", show_progress="hidden")
    question.submit(respond, [question, session], **common)
    send.click(respond, [question, session], **common)
    chatbot.example_select(respond_example, [session], **common)
    chatbot.like(rate, [session], None, api_visibility="private", concurrency_limit=None)
    clear.click(lambda: ("", [], render.EMPTY_SOURCES, chat.new_session()), None, outputs, api_visibility="private")
    chatbot.clear(lambda: ("", [], render.EMPTY_SOURCES, chat.new_session()), None, outputs, api_visibility="private")


def _sources_tab(assistant: Assistant, guard: Guard) -> None:
    gr.Markdown("Collez une affirmation (d'un support de formation, d'un article…) : Pairs cherche les passages "
                "du corpus qui l'étayent, avec une citation exacte et sa référence complète.")
    claim = gr.Textbox(label="Affirmation à vérifier", lines=3, elem_id="pairs-claim", max_length=guard.settings.max_question_chars,
                       placeholder="Ex. : Le médiateur de santé pair a lui-même vécu un trouble psychique.")
    with gr.Row():
        k = gr.Slider(3, 30, value=assistant.runtime.settings.claim_passages, step=1, label="Passages examinés", scale=2)
        check = gr.Button("Chercher les sources", variant="primary", scale=1, elem_id="pairs-claim-check")
    result = gr.HTML(elem_id="pairs-claim-result", js_on_load=None)
    quotes = gr.Textbox(label="Citations prêtes à copier (avec leurs références)", lines=6, interactive=False,
                        buttons=["copy"], elem_id="pairs-quotes")

    def find(text: str, count: float, request: gr.Request):
        try:
            guard.asking(request, text)
            data = assistant.sources(text, _bounded(count, assistant.runtime.settings.claim_passages)).to_json()
        except Refused as exc:
            return render.error_message(str(exc)), ""
        except Exception as exc:
            return render.error_message(chat.friendly_error(exc)), ""
        return render.sources_result(data), render.quotes_to_copy(data)

    for trigger in (check.click, claim.submit):
        trigger(find, [claim, k], [result, quotes], api_visibility="private")


@dataclass
class CorpusView:
    """The Corpus tab's components that the page load fills, by the caller's role."""

    table: Any
    summary: Any
    role_outputs: list  # admin panel, read-only note, the two document pickers
    role_updates: Callable[[Caller], tuple]


def _corpus_tab(runtime: Runtime, guard: Guard) -> CorpusView:
    settings = runtime.settings
    summary = gr.Markdown(elem_id="pairs-corpus-summary")
    table = gr.HTML(elem_id="pairs-corpus-table", js_on_load=None)
    refresh = gr.Button("Actualiser la liste", elem_id="pairs-refresh", size="sm")
    reader_note = gr.Markdown(READ_ONLY, elem_id="pairs-read-only", visible=False)
    mb = settings.max_upload_mb
    with gr.Column(visible=False, elem_id="pairs-admin") as admin_panel:
        gr.Markdown("### Administration du corpus")
        files = gr.File(label=f"Ajouter des documents (.pdf, .txt, .md ; {mb} Mo au plus par fichier, "
                              f"{settings.max_upload_files} fichiers au plus)", file_count="multiple",
                        file_types=list(corpus.ALLOWED_SUFFIXES), elem_id="pairs-upload")
        with gr.Row():
            add = gr.Button("Ajouter et indexer", variant="primary", elem_id="pairs-add")
            again = gr.Button("Réindexer le corpus", elem_id="pairs-reingest")
        report = gr.HTML(elem_id="pairs-ingest-report", js_on_load=None)
        with gr.Accordion("Modifier la fiche d'un document (catalog.toml)", open=False, elem_id="pairs-catalog"):
            editor_doc = gr.Dropdown(label="Document", choices=[], elem_id="pairs-catalog-doc", allow_custom_value=True)
            with gr.Row():
                title = gr.Textbox(label="Titre (vide : le titre du document)", elem_id="pairs-catalog-title", max_length=300)
                organisation = gr.Textbox(label="Organisation (auteur)", elem_id="pairs-catalog-organisation", max_length=300)
                year = gr.Textbox(label="Année", elem_id="pairs-catalog-year", max_length=4)
            save = gr.Button("Enregistrer la fiche", elem_id="pairs-catalog-save")
        with gr.Accordion("Retirer un document", open=False, elem_id="pairs-delete"):
            # the handlers check the name themselves (role first, then corpus.corpus_file)
            doomed = gr.Dropdown(label="Document à retirer du corpus et de l'index", choices=[], elem_id="pairs-delete-doc",
                                 allow_custom_value=True)
            confirm = gr.Checkbox(label="Je confirme : le fichier part dans la corbeille du serveur, ses passages quittent l'index",
                                  elem_id="pairs-delete-confirm")
            delete = gr.Button("Retirer", variant="stop", elem_id="pairs-delete-button")

    def refused(exc: Refused, *skips):
        return (render.error_message(str(exc)), *([gr.skip()] * len(skips)))

    def views(caller: Caller):
        table_html, summary_md = _corpus_view(runtime, caller)
        choices = _doc_choices(runtime)
        return table_html, summary_md, gr.update(choices=choices, value=None), gr.update(choices=choices, value=None)

    def add_files(paths, request: gr.Request, progress=gr.Progress()):
        try:
            caller = guard.admin(request, "upload")
        except Refused as exc:
            return *refused(exc, 1, 2, 3, 4), None
        if not paths:
            return render.error_message("Choisissez d'abord un ou plusieurs fichiers."), gr.skip(), gr.skip(), gr.skip(), gr.skip(), None
        rows, took = _guarded(lambda: corpus.add_files(_paths(paths), runtime, _progress(progress), actor=f"{caller.label}, dépôt"))
        guard.audit.record(caller, "upload", ok=all(r["status"] != "failed" for r in rows),
                           files=[{k: r.get(k) for k in ("name", "status", "sha256", "reason")} for r in rows])
        return render.ingest_report(rows, took, "Fichiers ajoutés"), *views(caller), None

    def reingest(request: gr.Request, progress=gr.Progress()):
        try:
            caller = guard.admin(request, "reindex")
        except Refused as exc:
            return refused(exc, 1, 2, 3, 4)
        rows, took = _guarded(lambda: corpus.reingest(runtime, _progress(progress), actor=f"{caller.label}, réindexation"))
        guard.audit.record(caller, "reindex", ok=all(r["status"] != "failed" for r in rows),
                           files=[{k: r.get(k) for k in ("name", "status")} for r in rows if r["status"] != "unchanged"])
        return render.ingest_report(rows, took, "Réindexation du corpus"), *views(caller)

    def fill_editor(doc: str):
        entry = next((d for d in corpus.list_documents(runtime) if d["doc"] == doc), None) if doc else None
        if not entry:
            return "", "", ""
        return entry["title"], entry["organisation"], str(entry["year"] or "")

    def save_entry(doc: str, title_: str, organisation_: str, year_: str, request: gr.Request):
        try:
            caller = guard.admin(request, "catalog")
        except Refused as exc:
            return refused(exc, 1, 2, 3, 4)
        before = fill_editor(doc)
        try:
            entry, rows = corpus.edit_catalog(runtime, doc, title_, organisation_, year_, actor=f"{caller.label}, fiche")
        except (CatalogError, corpus.CorpusError) as exc:
            guard.audit.record(caller, "catalog", ok=False, doc=doc, reason=str(exc))
            return render.error_message(str(exc)), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        guard.audit.record(caller, "catalog", doc=doc, before=dict(zip(("title", "organisation", "year"), before)), after=entry)
        return render.ingest_report(rows, None, f"Fiche de « {doc} » enregistrée"), *views(caller)

    def delete_doc(doc: str, confirmed: bool, request: gr.Request):
        try:
            caller = guard.admin(request, "delete")
        except Refused as exc:
            return *refused(exc, 1, 2, 3, 4), gr.skip()
        if not doc or not confirmed:
            return (render.error_message("Choisissez un document et cochez la confirmation."),
                    gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip())
        try:
            done = corpus.delete_document(runtime, doc)
        except (corpus.CorpusError, OSError) as exc:
            message = str(exc) if isinstance(exc, corpus.CorpusError) else "Impossible de retirer le fichier (erreur disque)."
            guard.audit.record(caller, "delete", ok=False, doc=doc, reason=message)
            return render.error_message(message), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        guard.audit.record(caller, "delete", **done)
        note = (f'<div class="pairs-report"><p>« {render.esc(doc)} » retiré : {done["passages_removed"]} passage(s) quittent '
                "l'index ; le fichier est conservé dans la corbeille du serveur.</p></div>")
        return note, *views(caller), False

    ingest_opts = dict(concurrency_id="ingest", concurrency_limit=1, api_visibility="private")
    add.click(add_files, [files], [report, table, summary, editor_doc, doomed, files], **ingest_opts)
    again.click(reingest, None, [report, table, summary, editor_doc, doomed], **ingest_opts)
    save.click(save_entry, [editor_doc, title, organisation, year], [report, table, summary, editor_doc, doomed], **ingest_opts)
    delete.click(delete_doc, [doomed, confirm], [report, table, summary, editor_doc, doomed, confirm], **ingest_opts)
    editor_doc.change(fill_editor, [editor_doc], [title, organisation, year], api_visibility="private")

    def refreshed(request: gr.Request):
        caller = guard.caller(request)
        return views(caller) if caller.is_admin else (*_corpus_view(runtime, caller), gr.skip(), gr.skip())

    refresh.click(refreshed, None, [table, summary, editor_doc, doomed], api_visibility="private")

    def role_updates(caller: Caller) -> tuple:
        admin = caller.is_admin
        choices = _doc_choices(runtime) if admin else []
        return (gr.update(visible=admin), gr.update(visible=not admin), gr.update(choices=choices, value=None),
                gr.update(choices=choices, value=None))

    return CorpusView(table, summary, [admin_panel, reader_note, editor_doc, doomed], role_updates)


def _doc_choices(runtime: Runtime) -> list[str]:
    try:
        return [d["doc"] for d in corpus.list_documents(runtime)]
    except Exception:
        log.exception("listing failed")
        return []


def _paths(files) -> list[str]:
    items = files if isinstance(files, list) else [files]
    return [getattr(f, "name", None) or (f.get("path") if isinstance(f, dict) else f) for f in items if f]


def _progress(progress):
    def report(name: str, fraction: float) -> None:
        progress(fraction, desc=f"Ingestion : {name}" if name else "Ingestion terminée")

    return report


def _guarded(work):
    """Run an ingestion; any failure becomes one French report row, never a trace."""
    try:
        return work()
    except Exception as exc:
        log.exception("ingestion failed")
        known = type(exc).__name__ in {"EmbedderMismatchError", "StoreUnavailableError", "CatalogError", "CorpusError"}
        reason = render.redact_paths(str(exc)) if known else "erreur inattendue pendant l'ingestion (détails dans le journal du serveur)"
        return [{"name": "—", "status": "failed", "reason": reason, "chunks": 0, "pages": 0, "warnings": []}], None


def _corpus_view(runtime: Runtime, caller: Caller | None = None):
    try:
        documents = corpus.list_documents(runtime, admin=bool(caller and caller.is_admin))
    except Exception as exc:
        log.exception("listing failed")
        return "", f"⚠ Impossible de lire l'index : {render.esc(render.redact_paths(chat.friendly_error(exc)))}"
    indexed = [d for d in documents if d["chunks"]]
    dates = [d["last_ingest"] for d in indexed if d["last_ingest"]]
    latest = max(dates, key=lambda d: datetime.strptime(d, corpus.DATE_FORMAT)) if dates else ""
    flagged = sum(len(d.get("flagged") or []) for d in indexed)
    summary = (f"**{len(indexed)} document(s) indexé(s)**, {sum(d['chunks'] for d in indexed)} passages"
               + (f" ; dernière ingestion : {latest}" if latest else "") + "."
               + (f" ⚠ {flagged} phrase(s) ressemblant à une consigne adressée à l'assistant : jamais citées ni utilisées "
                  "comme preuve (colonne « Consignes détectées »)." if flagged else ""))
    return render.corpus_table(documents, admin=bool(caller and caller.is_admin)), summary


# -- named API endpoints (gradio_client) -------------------------------------------------
def _api_endpoints(runtime: Runtime, assistant: Assistant, feedback: FeedbackStore, guard: Guard, startup: Startup | None = None) -> None:
    def indexed() -> None:  # on a first run, API calls wait for the background indexing
        if startup is not None:
            startup.indexed.wait()

    def ask(question: str, history: list[dict] | None = None, backend: str | None = None, request: gr.Request = None) -> dict:
        """Pose une question ; renvoie la réponse vérifiée et ses citations (Answer.to_json()).

        Parameters:
            question: la question, en français de préférence (2000 caractères au plus).
            history: la conversation précédente, liste de {"role": "user"|"assistant", "content": "…"} (facultatif).
            backend: le générateur à utiliser : auto, local, ollama, openai ou extractive (facultatif).
        Returns:
            {question, answer, abstained, citations[{n, doc, title, organisation, year, section, page, text, chunk_id, quote}],
            backend, timings, sentences, notice, standalone_question, closest_passages}
        """
        def work():
            guard.asking(request, question)
            indexed()
            return assistant.ask(question, _clean_history(history), backend or None).to_json()

        return _call(work)

    def sources(claim: str, k: int = 0, request: gr.Request = None) -> dict:
        """Cherche les passages du corpus qui étayent une affirmation (SourcesResult.to_json()).

        Parameters:
            claim: l'affirmation à vérifier.
            k: nombre de passages examinés (1 à 30 ; 0 : le réglage claim_passages, 16 par défaut).
        Returns:
            {claim, supported, passages[{doc, title, …, verdict: supports|related|none, support, quote, reference}], timings}
        """
        def work():
            guard.asking(request, claim)
            indexed()
            return assistant.sources(claim, _bounded(k, runtime.settings.claim_passages)).to_json()

        return _call(work)

    def search(query: str, k: int = 5, request: gr.Request = None) -> list[dict]:
        """Recherche hybride (dense + BM25) ; renvoie les passages (Passage.to_json()).

        Parameters:
            query: la requête.
            k: nombre de passages (1 à 30).
        Returns:
            liste de {doc, title, organisation, year, section, page, text, score, dense, lexical, chunk_id, start, end}
        """
        def work():
            guard.asking(request, query)
            indexed()
            return [p.to_json() for p in assistant.search(query, _bounded(k, 5))]

        return _call(work)

    def corpus_documents(request: gr.Request = None) -> list[dict]:
        """Liste les documents du corpus : indexés (passages, pages, dernière ingestion, provenance) ou non.

        Returns:
            liste de {doc, title, organisation, year, chunks, pages, last_ingest, status, added_by, sha256}
            (et, pour un administrateur, flagged : les phrases lues comme des consignes adressées à l'assistant)
        """
        def work():
            caller = guard.reader(request, "question")
            return corpus.list_documents(runtime, admin=caller.is_admin)

        return _call(work)

    def give_feedback(answer: dict, rating: str, comment: str = "", request: gr.Request = None) -> dict:
        """Enregistre un avis 👍/👎 sur une réponse (fichier JSONL local), pour en faire un cas d'évaluation.

        Parameters:
            answer: le JSON renvoyé par `ask` (au moins question et answer ; citations conseillées).
            rating: "up" (👍) ou "down" (👎).
            comment: remarque libre (facultatif, 2000 caractères au plus).
        Returns:
            {ok, rating, message}
        """
        def work():
            guard.reader(request, "feedback")
            return feedback.add(answer, rating, comment, origin="api")

        record = _call(work)
        return {"ok": True, "rating": record["rating"], "message": "Avis enregistré, merci."}

    def reindex(request: gr.Request = None) -> dict:
        """Réindexe le dossier du corpus (administrateurs seulement) : fichiers nouveaux ou modifiés, fiches de catalog.toml.

        Returns:
            {ok, seconds, files[{name, status, reason, chunks, pages, warnings}]}
        """
        def work():
            caller = guard.admin(request, "reindex")
            rows, took = corpus.reingest(runtime, actor=f"{caller.label}, réindexation (API)")
            guard.audit.record(caller, "reindex", ok=all(r["status"] != "failed" for r in rows), origin="api",
                               files=[{k: r.get(k) for k in ("name", "status")} for r in rows if r["status"] != "unchanged"])
            for row in rows:
                row["reason"] = render.redact_paths(row["reason"])
            return {"ok": all(r["status"] != "failed" for r in rows), "seconds": round(took or 0.0, 3), "files": rows}

        return _call(work)

    gr.api(ask, api_name="ask", api_description=inspect.getdoc(ask), concurrency_id="generation")
    gr.api(sources, api_name="sources", api_description=inspect.getdoc(sources))
    gr.api(search, api_name="search", api_description=inspect.getdoc(search))
    gr.api(corpus_documents, api_name="corpus", api_description=inspect.getdoc(corpus_documents), concurrency_limit=None)
    gr.api(give_feedback, api_name="feedback", api_description=inspect.getdoc(give_feedback), concurrency_limit=None)
    gr.api(reindex, api_name="reindex", api_description=inspect.getdoc(reindex), concurrency_id="ingest", concurrency_limit=1)


def _call(work):
    """API calls: French errors for the client, no stack trace, no server path."""
    try:
        return work()
    except gr.Error:
        raise
    except (Refused, FeedbackError) as exc:
        raise gr.Error(str(exc), title="Erreur", print_exception=False) from None
    except Exception as exc:
        raise gr.Error(render.redact_paths(chat.friendly_error(exc)), title="Erreur", print_exception=False) from None


def _bounded(k, default: int) -> int:
    """A passage count from a request, 1 to 30; the default when none (or 0) is given."""
    try:
        return max(1, min(30, int(k))) if k else default
    except (TypeError, ValueError, OverflowError):
        return default


def _clean_history(history) -> list[dict]:
    """The conversation an API client sends, bounded (the last turns, each cut)."""
    turns = []
    for turn in (history if isinstance(history, list) else [])[-MAX_HISTORY_TURNS:]:
        if isinstance(turn, dict) and turn.get("role") in {"user", "assistant"}:
            turns.append({"role": turn["role"], "content": str(turn.get("content") or "")[:MAX_HISTORY_CHARS]})
        elif isinstance(turn, (list, tuple)) and len(turn) == 2:  # [question, answer] pairs
            turns += [{"role": "user", "content": str(turn[0] or "")[:MAX_HISTORY_CHARS]},
                      {"role": "assistant", "content": str(turn[1] or "")[:MAX_HISTORY_CHARS]}]
    return turns[-MAX_HISTORY_TURNS:]


# -- serving -----------------------------------------------------------------------------
def auth_of(settings: Settings) -> PasswordCheck | None:
    """Gradio's `auth`: None when no account is configured (loopback only, see check_binding)."""
    return PasswordCheck(settings) if accounts(settings) else None


def check_binding(settings: Settings, host: str) -> str:
    """Why this server must not start, or "" when it may."""
    problem = account_problem(settings)
    if problem:
        return problem
    if not is_loopback(host) and not accounts(settings):
        return (f"Refus d'écouter sur « {host} » sans authentification : l'interface serait accessible depuis le réseau. "
                "Définissez un compte lecteur (PAIRS_READER_USER et PAIRS_READER_PASSWORD, ou leurs anciens noms "
                "PAIRS_AUTH_USER et PAIRS_AUTH_PASSWORD) et un compte administrateur (PAIRS_ADMIN_USER et "
                "PAIRS_ADMIN_PASSWORD), ou gardez l'hôte par défaut 127.0.0.1.")
    return ""


def launch_options(settings: Settings) -> dict:
    """Everything `launch` needs besides host and port: auth, limits, look and behaviour."""
    return dict(
        auth=auth_of(settings),
        auth_message="Pairs : identifiez-vous pour accéder à l'assistant.",
        max_file_size=f"{int(settings.max_upload_mb)}mb",
        show_error=False,
        footer_links=["api"],
        enable_monitoring=False,
        ssr_mode=False,
        css=assets.CSS,
        js=assets.JS,
        theme=gr.themes.Soft(),
        app_kwargs={"middleware": http.middleware(settings)},
    )


def start(demo: gr.Blocks, settings: Settings, host: str, port: int | None, block: bool = True):
    """Launch `demo`; with block=False, return at once (tests) with (app, local_url)."""
    app, url, _ = demo.launch(server_name=host, server_port=port, prevent_thread_lock=not block, quiet=not block,
                              **launch_options(settings))
    return app, url


def serve(runtime: Runtime, host: str | None = None, port: int | None = None) -> int:
    """`pairs serve`: bind to settings.host:settings.port unless told otherwise. The page is
    served at once; indexing (first run) and the model's warm-up go on in the background."""
    settings = runtime.settings
    host = host or settings.host
    port = int(port or settings.port)
    refusal = check_binding(settings, host)
    if refusal:
        print(f"Erreur : {refusal}", file=sys.stderr)
        return EXIT_USAGE
    assistant = Assistant(runtime)
    startup = Startup(runtime, assistant, warm=settings.warm_start).start()
    demo = build_app(runtime, assistant, startup)
    print(f"Pairs : interface web sur http://{host}:{port}/ (Ctrl-C pour arrêter)", file=sys.stderr)
    try:
        start(demo, settings, host, port, block=True)
    except OSError as exc:
        print(f"Erreur : impossible d'écouter sur {host}:{port} ({exc}). Choisissez un autre port (--port ou PAIRS_PORT).",
              file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        pass
    finally:
        demo.close()
    return EXIT_OK
