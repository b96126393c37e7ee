"""The Gradio web UI: Discussion (chat), Sources (trainer), Corpus (maintainer).

Presentation only: every answer comes from the assistant's Python API. The named API
endpoints (`ask`, `sources`, `search`, `corpus`, `feedback`) are for `gradio_client`:

    from gradio_client import Client
    client = Client("http://127.0.0.1:7860/")
    answer = client.predict("Qu'est-ce qu'un médiateur santé pair ?", [], api_name="/ask")
"""

from __future__ import annotations

import inspect
import ipaddress
import logging
from datetime import datetime
import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # nothing leaves the machine

import gradio as gr  # noqa: E402

from assistant import Assistant, Runtime  # noqa: E402
from ingest import Settings  # noqa: E402

from . import assets, chat, corpus, render  # noqa: E402
from .feedback import FeedbackError, FeedbackStore  # noqa: E402
from .startup import Startup  # noqa: E402

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
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


# -- the app -----------------------------------------------------------------------------
def build_app(runtime: Runtime, assistant: Assistant | None = None, startup=None) -> gr.Blocks:
    """The Blocks app over a runtime; inject an Assistant (a test's backend) or let it be built.
    With a `startup` (ui/startup.py) running, the status line follows its progress."""
    settings = runtime.settings
    assistant = assistant or Assistant(runtime)
    feedback = FeedbackStore(settings.feedback_path)
    with gr.Blocks(title="Pairs — la pair-aidance, sources à l'appui", analytics_enabled=False) as demo:
        gr.Markdown(INTRO, elem_id="pairs-intro")
        status = gr.Markdown(elem_id="pairs-status")
        with gr.Tabs():
            with gr.Tab("Discussion", id="chat", elem_id="tab-chat"):
                _chat_tab(settings, assistant, feedback, startup)
            with gr.Tab("Sources", id="sources", elem_id="tab-sources"):
                _sources_tab(assistant)
            with gr.Tab("Corpus", id="corpus", elem_id="tab-corpus"):
                table, summary = _corpus_tab(runtime)
        _api_endpoints(runtime, assistant, feedback, startup)
        demo.load(lambda: (_status_line(settings, assistant, startup), *_corpus_view(runtime)),
                  outputs=[status, table, summary], api_visibility="private")
        if startup is not None:
            _follow_startup(startup, settings, assistant, runtime, status, table, summary)
    demo.queue(default_concurrency_limit=max(1, int(settings.concurrency)))
    return demo


def _follow_startup(startup, settings: Settings, assistant: Assistant, runtime: Runtime, status, table, summary) -> None:
    """While the server indexes and warms up in the background, refresh the status line
    (and, once indexed, the corpus tab) every second, then stop."""
    timer = gr.Timer(1.0, active=not startup.done.is_set())

    def tick():
        done = startup.done.is_set()
        view = _corpus_view(runtime) if startup.indexed.is_set() else (gr.skip(), gr.skip())
        return _status_line(settings, assistant, startup), *view, gr.Timer(active=not done)

    timer.tick(tick, outputs=[status, table, summary, timer], api_visibility="private", show_progress="hidden")


def _status_line(settings: Settings, assistant: Assistant, startup=None) -> str:
    backend = render.backend_label(getattr(assistant, "backend", settings.backend))
    starting = startup.status() if startup is not None else ""
    if starting:
        return f'<span class="pairs-meta pairs-starting">⏳ {render.esc(starting)} · moteur de réponse : {render.esc(backend)}</span>'
    return f'<span class="pairs-meta">Moteur de réponse : {render.esc(backend)} · vos avis sur les réponses restent sur cette machine.</span>'


def _chat_tab(settings: Settings, assistant: Assistant, feedback: FeedbackStore, startup=None) -> None:
    session = gr.State(chat.new_session())
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(
                label="Discussion", elem_id="pairs-chat", height=560, show_label=False,
                examples=[{"text": q} for q in EXAMPLES], feedback_options=("Like", "Dislike"),
                placeholder="**Bienvenue !** Posez une question sur la pair-aidance, ou choisissez un exemple :",
                buttons=["copy"],
            )
            with gr.Row():
                question = gr.Textbox(placeholder="Votre question sur la pair-aidance…", show_label=False,
                                      scale=6, elem_id="pairs-question", max_lines=6, autofocus=True)
                send = gr.Button("Envoyer", variant="primary", scale=1, elem_id="pairs-send")
            clear = gr.Button("Effacer la conversation", size="sm", elem_id="pairs-clear")
        with gr.Column(scale=2):
            gr.Markdown("### Sources citées")
            sources = gr.HTML(render.EMPTY_SOURCES, elem_id="pairs-sources", js_on_load=None)

    def respond(text: str, state: dict):
        if not (text or "").strip():
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        for state in chat.answer_turn(assistant, state, text, log_questions=settings.log_questions, startup=startup):
            yield "", state["messages"], chat.sources_view(state), state

    def respond_example(state: dict, selected: gr.SelectData):
        value = selected.value
        yield from respond(value.get("text", "") if isinstance(value, dict) else str(value), state)

    def rate(state: dict, data: gr.LikeData):
        answer = chat.answer_for_message(state, data.index)
        if answer is None or not isinstance(data.liked, bool):
            return
        try:
            feedback.add(answer, data.liked, origin="ui")
        except (FeedbackError, OSError) as exc:
            log.warning("feedback not stored: %s", exc)
            gr.Warning("Votre avis n'a pas pu être enregistré.")
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


def _sources_tab(assistant: Assistant) -> None:
    gr.Markdown("Collez une affirmation (d'un support de formation, d'un article…) : Pairs cherche les passages "
                "du corpus qui l'étayent, avec une citation exacte et sa référence complète.")
    claim = gr.Textbox(label="Affirmation à vérifier", lines=3, elem_id="pairs-claim",
                       placeholder="Ex. : Le médiateur de santé pair a lui-même vécu un trouble psychique.")
    with gr.Row():
        k = gr.Slider(3, 15, value=8, step=1, label="Passages examinés", scale=2)
        check = gr.Button("Chercher les sources", variant="primary", scale=1, elem_id="pairs-claim-check")
    result = gr.HTML(elem_id="pairs-claim-result", js_on_load=None)
    quotes = gr.Textbox(label="Citations prêtes à copier (avec leurs références)", lines=6, interactive=False,
                        buttons=["copy"], elem_id="pairs-quotes")

    def find(text: str, count: float):
        try:
            data = assistant.sources(text, int(count)).to_json()
        except Exception as exc:
            return render.error_message(chat.friendly_error(exc)), ""
        return render.sources_result(data), render.quotes_to_copy(data)

    for trigger in (check.click, claim.submit):
        trigger(find, [claim, k], [result, quotes], api_visibility="private")


def _corpus_tab(runtime: Runtime):
    settings = runtime.settings
    summary = gr.Markdown(elem_id="pairs-corpus-summary")
    table = gr.HTML(elem_id="pairs-corpus-table", js_on_load=None)
    mb = settings.max_upload_mb
    files = gr.File(label=f"Ajouter des documents (.pdf, .txt, .md ; {mb} Mo au plus par fichier)", file_count="multiple",
                    file_types=list(corpus.ALLOWED_SUFFIXES), elem_id="pairs-upload")
    with gr.Row():
        add = gr.Button("Ajouter et indexer", variant="primary", elem_id="pairs-add")
        again = gr.Button("Réindexer le corpus", elem_id="pairs-reingest")
        refresh = gr.Button("Actualiser la liste", elem_id="pairs-refresh")
    report = gr.HTML(elem_id="pairs-ingest-report", js_on_load=None)

    def add_files(paths, progress=gr.Progress()):
        if not paths:
            return render.error_message("Choisissez d'abord un ou plusieurs fichiers."), gr.skip(), gr.skip(), None
        rows, took = _guarded(lambda: corpus.add_files(_paths(paths), runtime, _progress(progress)))
        return render.ingest_report(rows, took, "Fichiers ajoutés"), *_corpus_view(runtime), None

    def reingest(progress=gr.Progress()):
        rows, took = _guarded(lambda: corpus.reingest(runtime, _progress(progress)))
        return render.ingest_report(rows, took, "Réindexation du corpus"), *_corpus_view(runtime)

    ingest_opts = dict(concurrency_id="ingest", concurrency_limit=1, api_visibility="private")
    add.click(add_files, [files], [report, table, summary, files], **ingest_opts)
    again.click(reingest, None, [report, table, summary], **ingest_opts)
    refresh.click(lambda: _corpus_view(runtime), None, [table, summary], api_visibility="private")
    return table, summary


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
        reason = str(exc) if type(exc).__name__ in {"EmbedderMismatchError", "StoreUnavailableError"} else (
            "erreur inattendue pendant l'ingestion (détails dans le journal du serveur)")
        return [{"name": "—", "status": "failed", "reason": reason, "chunks": 0, "pages": 0, "warnings": []}], None


def _corpus_view(runtime: Runtime):
    settings = runtime.settings
    try:
        documents = corpus.list_documents(runtime)
    except Exception as exc:
        log.exception("listing failed")
        return "", f"⚠ Impossible de lire l'index : {render.esc(chat.friendly_error(exc))}"
    indexed = [d for d in documents if d["chunks"]]
    dates = [d["last_ingest"] for d in indexed if d["last_ingest"]]
    latest = max(dates, key=lambda d: datetime.strptime(d, corpus.DATE_FORMAT)) if dates else ""
    summary = (f"**{len(indexed)} document(s) indexé(s)**, {sum(d['chunks'] for d in indexed)} passages"
               + (f" ; dernière ingestion : {latest}" if latest else "")
               + f". Dossier du corpus : `{settings.corpus_dir}`.")
    return render.corpus_table(documents), summary


# -- named API endpoints (gradio_client) -------------------------------------------------
def _api_endpoints(runtime: Runtime, assistant: Assistant, feedback: FeedbackStore, startup=None) -> None:
    def indexed() -> None:  # on a first run, API calls wait for the background indexing
        if startup is not None:
            startup.indexed.wait()

    def ask(question: str, history: list[dict] | None = None, backend: str | None = None) -> dict:
        """Pose une question ; renvoie la réponse vérifiée et ses citations (Answer.to_json()).

        Parameters:
            question: la question, en français de préférence (2000 caractères au plus).
            history: la conversation précédente, liste de {"role": "user"|"assistant", "content": "…"} (facultatif).
            backend: le générateur à utiliser : auto, local, ollama, openai ou extractive (facultatif).
        Returns:
            {question, answer, abstained, citations[{n, doc, title, organisation, year, section, page, text, chunk_id, quote}],
            backend, timings, sentences, notice, standalone_question, closest_passages}
        """
        indexed()
        return _call(lambda: assistant.ask(question, _clean_history(history), backend or None).to_json())

    def sources(claim: str, k: int = 8) -> dict:
        """Cherche les passages du corpus qui étayent une affirmation (SourcesResult.to_json()).

        Parameters:
            claim: l'affirmation à vérifier.
            k: nombre de passages examinés (1 à 30).
        Returns:
            {claim, supported, passages[{doc, title, …, verdict: supports|related|none, support, quote, reference}], timings}
        """
        indexed()
        return _call(lambda: assistant.sources(claim, _bounded(k, 8)).to_json())

    def search(query: str, k: int = 5) -> list[dict]:
        """Recherche hybride (dense + BM25) ; renvoie les passages (Passage.to_json()).

        Parameters:
            query: la requête.
            k: nombre de passages (1 à 30).
        Returns:
            liste de {doc, title, organisation, year, section, page, text, score, dense, lexical, chunk_id, start, end}
        """
        indexed()
        return _call(lambda: [p.to_json() for p in assistant.search(query, _bounded(k, 5))])

    def corpus_documents() -> list[dict]:
        """Liste les documents du corpus : indexés (passages, pages, dernière ingestion) ou non.

        Returns:
            liste de {doc, title, organisation, year, chunks, pages, last_ingest, status}
        """
        return _call(lambda: corpus.list_documents(runtime))

    def give_feedback(answer: dict, rating: str, comment: str = "") -> dict:
        """Enregistre un avis 👍/👎 sur une réponse (fichier JSONL local), pour en faire un cas d'évaluation.

        Parameters:
            answer: le JSON renvoyé par `ask` (au moins question et answer ; citations conseillées).
            rating: "up" (👍) ou "down" (👎).
            comment: remarque libre (facultatif).
        Returns:
            {ok, rating, message}
        """
        record = _call(lambda: feedback.add(answer, rating, comment, origin="api"))
        return {"ok": True, "rating": record["rating"], "message": "Avis enregistré, merci."}

    gr.api(ask, api_name="ask", api_description=inspect.getdoc(ask), concurrency_id="generation")
    gr.api(sources, api_name="sources", api_description=inspect.getdoc(sources))
    gr.api(search, api_name="search", api_description=inspect.getdoc(search))
    gr.api(corpus_documents, api_name="corpus", api_description=inspect.getdoc(corpus_documents), concurrency_limit=None)
    gr.api(give_feedback, api_name="feedback", api_description=inspect.getdoc(give_feedback), concurrency_limit=None)


def _call(work):
    """API calls: French errors for the client, no stack trace."""
    try:
        return work()
    except gr.Error:
        raise
    except Exception as exc:
        raise gr.Error(chat.friendly_error(exc), title="Erreur", print_exception=False) from None


def _bounded(k, default: int) -> int:
    try:
        return max(1, min(30, int(k)))
    except (TypeError, ValueError):
        return default


def _clean_history(history) -> list[dict]:
    turns = []
    for turn in history or []:
        if isinstance(turn, dict) and turn.get("role") in {"user", "assistant"}:
            turns.append({"role": turn["role"], "content": str(turn.get("content") or "")})
        elif isinstance(turn, (list, tuple)) and len(turn) == 2:  # [question, answer] pairs
            turns += [{"role": "user", "content": str(turn[0] or "")}, {"role": "assistant", "content": str(turn[1] or "")}]
    return turns


# -- serving -----------------------------------------------------------------------------
def is_loopback(host: str) -> bool:
    if host.strip().lower() in {"localhost", "localhost.localdomain", "ip6-localhost"}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def auth_of(settings: Settings) -> tuple[str, str] | None:
    return (settings.auth_user, settings.auth_password) if settings.auth_user and settings.auth_password else None


def check_binding(settings: Settings, host: str) -> str:
    """Why this server must not start, or "" when it may."""
    if bool(settings.auth_user) != bool(settings.auth_password):
        return ("Authentification incomplète : définissez à la fois PAIRS_AUTH_USER et PAIRS_AUTH_PASSWORD "
                "(ou aucun des deux).")
    if not is_loopback(host) and not auth_of(settings):
        return (f"Refus d'écouter sur « {host} » sans authentification : l'interface serait accessible depuis le réseau. "
                "Définissez PAIRS_AUTH_USER et PAIRS_AUTH_PASSWORD, ou gardez l'hôte par défaut 127.0.0.1.")
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
