"""The web UI: helpers in isolation, the named API through gradio_client, the real
`pairs serve` command, and the three tabs end to end in headless Chromium.

The app under test runs in this process over its own copy of the corpus and its own
index (uploads and re-ingests never touch the shared session index), with the
extractive backend. Screenshots land in test-artifacts/ (and in docs/screenshots/ when
PAIRS_UPDATE_SCREENSHOTS=1)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from assistant import Assistant, Runtime
from ingest import Settings
from ui import render
from ui.app import build_app, check_binding, is_loopback, serve, start
from ui.corpus import add_files, list_documents, safe_name
from ui.feedback import FeedbackError, FeedbackStore

from .pdfs import scanned_pdf
from .servers import free_port

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT / "corpus"
DOCS_SCREENSHOTS = PROJECT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
NEWCOMER = "Qu'est-ce qu'un médiateur santé pair ?"
OFF_CORPUS = "Quelle est la capitale de l'Australie ?"
CLAIM = "Le médiateur de santé pair a connu une période de trouble psychique."
TIMEOUT = 30_000  # ms, for the browser


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- fixtures ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ui_runtime(corpus_settings, tmp_path_factory) -> Runtime:
    """A private copy of the corpus and its own index (fast: the embedding cache is warm)."""
    root = tmp_path_factory.mktemp("ui")
    shutil.copytree(CORPUS, root / "corpus")
    # one address for every test of the module: no per-client rate limit here (tests/test_ui_security.py checks it)
    runtime = Runtime(Settings(corpus_dir=root / "corpus", data_dir=root / "data", cache_dir=corpus_settings.cache_path,
                               backend="extractive", max_upload_mb=1, rate_questions_per_minute=0, rate_feedback_per_minute=0))
    assert runtime.ingest().ok
    return runtime


@pytest.fixture(scope="module")
def ui_settings(ui_runtime) -> Settings:
    return ui_runtime.settings


@pytest.fixture(scope="module")
def server(ui_runtime):
    demo = build_app(ui_runtime, Assistant(ui_runtime, backend="extractive"))
    _, url = start(demo, ui_runtime.settings, "127.0.0.1", free_port(), block=False)
    yield url
    demo.close()


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server, verbose=False)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(server)
    page.wait_for_selector("#pairs-chat")
    page.wait_for_selector("#pairs-status .pairs-meta")  # the load event ran
    yield page
    context.close()


def shoot(page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"ui-{name}.png"), full_page=True)
    if os.environ.get("PAIRS_UPDATE_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS_SCREENSHOTS / f"{name}.png"))


# -- helpers in isolation ----------------------------------------------------------------
@pytest.mark.parametrize("raw, expected", [
    ("guide.md", "guide.md"),
    ("../../etc/cron.d/evil.md", "evil.md"),
    ("..\\..\\windows\\evil.txt", "evil.txt"),
    ("/abs/path/Résumé final (v2).PDF", "Resume-final-v2.pdf"),
    ("a;rm -rf ~;b.txt", "a-rm-rf-b.txt"),
    ("..", "document"),
    ("", "document"),
    ("noextension", "noextension"),
])
def test_upload_names_are_sanitised(raw, expected):
    assert safe_name(raw) == expected


def test_binding_rules():
    local = Settings()
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("example.org")
    assert check_binding(local, "127.0.0.1") == ""
    assert "authentification" in check_binding(local, "0.0.0.0")
    assert check_binding(local.with_overrides(auth_user="formatrice", auth_password="s3cret"), "0.0.0.0") == ""
    assert "incomplète" in check_binding(local.with_overrides(auth_user="formatrice"), "127.0.0.1")


def test_serve_refuses_a_network_host_without_auth(capsys):
    assert serve(Runtime(Settings(host="0.0.0.0"))) != 0
    err = capsys.readouterr().err
    assert "Refus d'écouter sur « 0.0.0.0 » sans authentification" in err and "PAIRS_AUTH_USER" in err


def test_answer_markers_become_links_and_text_is_escaped():
    answer = {"question": "q", "answer": "Un <b>pair</b> aide. [1, 2] Autre phrase [9].", "abstained": False,
              "citations": [{"n": 1, "title": "T1", "text": "x"}, {"n": 2, "title": "T2", "text": "y"}],
              "backend": "extractive", "timings": {"retrieval": 0.1, "total": 0.5}}
    html = render.answer_message(answer, 3)
    assert '<a class="pairs-cite" href="#cite-3-1"' in html and 'href="#cite-3-2"' in html
    assert "cite-3-9" not in html and "&#91;9&#93;" in html  # unknown numbers stay plain text (inert for Markdown)
    assert "&lt;b&gt;pair&lt;/b&gt;" in html and "<b>" not in html
    assert "Moteur : extractif" in html and "total 0,50 s" in html


def test_sources_panel_highlights_the_supporting_span():
    citation = {"n": 1, "doc": "d.md", "title": "Titre", "organisation": "Org", "year": 2019, "section": "A > B",
                "page": 4, "text": "Avant. Le pair a vécu   la maladie. Après <fin>.", "quote": "Le pair a vécu la maladie."}
    html = render.sources_panel([{"turn": 1, "answer": {"question": "q", "abstained": False, "citations": [citation]}}])
    assert 'id="cite-1-1"' in html and "<mark>Le pair a vécu   la maladie.</mark>" in html
    assert "Org · 2019 · section « B » · p. 4" in html and "&lt;fin&gt;" in html


def test_feedback_records_question_answer_and_citations(tmp_path):
    store = FeedbackStore(tmp_path / "fb" / "feedback.jsonl")
    answer = {"question": "Q ?", "answer": "R. [1]", "abstained": False, "backend": "extractive",
              "citations": [{"n": 1, "doc": "d.md", "title": "T", "chunk_id": "c1", "quote": "R.", "text": "R. long"}]}
    store.add(answer, True)
    store.add(answer, "down", "citation hors sujet", origin="api")
    up, down = store.read()
    assert (up["rating"], down["rating"], down["comment"]) == ("up", "down", "citation hors sujet")
    assert down["question"] == "Q ?" and down["citations"][0]["chunk_id"] == "c1"
    assert down["gold"] == [{"doc": "d.md", "quote": "R."}]
    with pytest.raises(FeedbackError):
        store.add(answer, "bof")
    with pytest.raises(FeedbackError):
        store.add({"answer": "sans question"}, "up")


def test_uploads_are_checked_placed_safely_and_ingested(fake_settings, tmp_path):
    runtime = Runtime(fake_settings(max_upload_mb=1))
    settings = runtime.settings
    corpus = settings.corpus_dir
    before = {p.name: sha(p) for p in corpus.iterdir()}
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    files = {
        "Guide du pair aidant.md": "# Guide du pair-aidant\n\nLe pair-aidant partage son savoir expérientiel avec les personnes accompagnées.\n",
        "script.exe": "MZ binaire",
        "vide.txt": "",
        "faux.pdf": "ceci n'est pas un PDF",
        "binaire.txt": "abc\x00def",
        "gros.txt": "pair " * 300_000,
        "catalog.toml.md": "# Même nom qu'un autre\n\nUn document différent du catalogue, sur la pair-aidance en santé mentale.\n",
    }
    for name, text in files.items():
        (incoming / name).write_text(text, encoding="utf-8")
    scanned_pdf(incoming / "scan.pdf")
    (corpus / "catalog.toml.md").write_text("# Déjà là\n\nUn fichier existant, à ne pas écraser.\n", encoding="utf-8")
    before["catalog.toml.md"] = sha(corpus / "catalog.toml.md")
    seen = []

    rows, _ = add_files(sorted(incoming.iterdir()), runtime, on_progress=lambda name, fraction: seen.append(fraction))
    by_name = {r["name"]: r for r in rows}
    assert by_name["Guide du pair aidant.md → Guide-du-pair-aidant.md"]["status"] == "indexed"
    assert by_name["catalog.toml.md"]["status"] == "indexed"
    assert "renommé en « catalog.toml-2.md »" in by_name["catalog.toml.md"]["reason"]
    assert "type de fichier refusé (.exe)" in by_name["script.exe"]["reason"]
    assert by_name["vide.txt"]["reason"] == "fichier vide"
    assert "ce n'est pas un PDF" in by_name["faux.pdf"]["reason"]
    assert "binaire" in by_name["binaire.txt"]["reason"]
    assert "trop volumineux" in by_name["gros.txt"]["reason"]
    assert by_name["scan.pdf"]["status"] == "failed" and "non conservé" in by_name["scan.pdf"]["reason"]
    assert seen and seen[-1] == 1.0
    # Nothing else lost, nothing rejected kept, nothing outside the corpus folder.
    after = {p.name: sha(p) for p in corpus.iterdir()}
    assert {k: after[k] for k in before} == before
    assert set(after) - set(before) == {"Guide-du-pair-aidant.md", "catalog.toml-2.md"}
    docs = {d["doc"]: d for d in list_documents(runtime)}
    assert docs["Guide-du-pair-aidant.md"]["chunks"] >= 1 and docs["Guide-du-pair-aidant.md"]["last_ingest"]
    assert docs["msp.md"]["status"] == "non indexé"  # not ingested in this data dir
    # The same file again is recognised, not duplicated.
    rows, _ = add_files([incoming / "Guide du pair aidant.md"], runtime)
    assert rows[0]["status"] == "unchanged" and "déjà présent" in rows[0]["reason"]
    assert len(list(corpus.glob("Guide-du-pair-aidant*"))) == 1


class SlowGenerator:
    """Stands for a local model that takes a while to load, then falls back to extractive."""

    backend = "local"

    def __init__(self, fail: bool = False):
        self.fail = fail

    def stream(self, question, history=None, backend=None):
        from assistant import Answer, Citation

        time.sleep(0.4)
        if self.fail:
            raise RuntimeError("boom: internal detail")
        yield "Le pair aide [1]."
        citation = Citation(1, "d.md", "Titre", "Org", 2020, "Section", None, "Le pair aide.", "c1", "Le pair aide.")
        yield Answer(question=question, answer="Le pair aide. [1]", abstained=False, citations=[citation],
                     backend="extractive", timings={"retrieval": 0.1, "first_token": 0.4, "total": 0.5},
                     notice="Le générateur (modèle local) est injoignable ou trop lent : réponse extractive à la place.")


def test_chat_turn_says_the_generator_is_loading_then_shows_the_fallback_notice(monkeypatch):
    from ui import chat

    monkeypatch.setattr(chat, "WAIT_TICK", 0.05)
    monkeypatch.setattr(render, "LOADING_AFTER", 0.1)
    session = chat.new_session()
    shown = [s["messages"][-1]["content"] for s in chat.answer_turn(SlowGenerator(), session, "Qui aide ?")]
    assert any("Le générateur se charge" in m for m in shown)
    assert any("pairs-streaming" in m and "[1]" not in m for m in shown)  # markers hidden until verified
    final = shown[-1]
    assert "pairs-notice" in final and "réponse extractive à la place" in final and 'href="#cite-1-1"' in final
    assert session["history"][-1] == {"role": "assistant", "content": "Le pair aide. [1]"}
    assert chat.answer_for_message(session, 1)["question"] == "Qui aide ?"


def test_chat_turn_hides_internal_errors():
    from ui import chat

    session = chat.new_session()
    final = list(chat.answer_turn(SlowGenerator(fail=True), session, "Qui aide ?"))[-1]["messages"][-1]["content"]
    assert "erreur inattendue" in final and "boom" not in final and "Traceback" not in final
    assert list(chat.answer_turn(SlowGenerator(), session, "   ")) == []


def test_queue_concurrency_comes_from_settings(fake_runtime):
    runtime = fake_runtime.sibling(concurrency=2)
    demo = build_app(runtime, Assistant(runtime, backend="extractive"))
    assert demo._queue.default_concurrency_limit == 2
    assert {fn.concurrency_id for fn in demo.fns.values() if fn.api_name == "ask"} == {"generation"}


# -- the named API, through gradio_client ------------------------------------------------
def test_api_endpoints_are_named_and_documented(server):
    with urllib.request.urlopen(server.rstrip("/") + "/gradio_api/info") as response:
        info = json.load(response)
    named = info["named_endpoints"]
    for name in ("/ask", "/sources", "/search", "/corpus", "/feedback", "/reindex"):
        assert name in named, name
        assert named[name].get("description"), name
    assert len(named) == 6  # the UI's own events stay private


def test_api_ask_follow_up_and_abstention(client):
    answer = client.predict(NEWCOMER, [], None, api_name="/ask")
    assert not answer["abstained"] and answer["citations"] and answer["backend"] == "extractive"
    assert {"doc", "title", "organisation", "year", "section", "page", "quote", "chunk_id"} <= set(answer["citations"][0])
    history = [{"role": "user", "content": NEWCOMER}, {"role": "assistant", "content": answer["answer"]}]
    follow_up = client.predict("Et quelle formation suit-il ?", history, "extractive", api_name="/ask")
    assert follow_up["standalone_question"] != "Et quelle formation suit-il ?" and not follow_up["abstained"]
    unknown = client.predict(OFF_CORPUS, api_name="/ask")
    assert unknown["abstained"] and "Je ne sais pas" in unknown["answer"] and unknown["closest_passages"]


def test_api_sources_search_corpus(client):
    result = client.predict(CLAIM, 5, api_name="/sources")
    assert result["supported"] and result["passages"][0]["verdict"] == "supports"
    assert result["passages"][0]["quote"] and result["passages"][0]["reference"].startswith("« ")
    passages = client.predict("savoir expérientiel", 3, api_name="/search")
    assert len(passages) == 3 and all(p["text"] and p["chunk_id"] for p in passages)
    documents = client.predict(api_name="/corpus")
    assert len([d for d in documents if d["status"] == "indexé"]) >= 5
    assert all(d["chunks"] > 0 and d["last_ingest"] for d in documents if d["status"] == "indexé")  # dates from the index itself


def test_twenty_concurrent_users_all_get_answers(server):
    """20 users at once through the named API: every call answers, none errors, in order."""
    from concurrent.futures import ThreadPoolExecutor

    from gradio_client import Client

    questions = [NEWCOMER, "Qu'est-ce que la pair-émulation ?", "Quel est le rôle des GEM ?", OFF_CORPUS]

    def one_user(n: int) -> list[tuple[str, dict]]:
        client = Client(server, verbose=False)
        return [(q, client.predict(q, [], api_name="/ask")) for q in (questions[n % 4], questions[(n + 1) % 4])]

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = [pair for user in pool.map(one_user, range(20)) for pair in user]
    assert len(results) == 40
    for question, answer in results:
        assert answer["question"] == question  # no answer crossed over to another user
        assert answer["abstained"] == (question == OFF_CORPUS) and (answer["abstained"] or answer["citations"])


def test_api_feedback_and_french_errors(client, ui_settings):
    from gradio_client.exceptions import AppError

    answer = client.predict(NEWCOMER, api_name="/ask")
    assert client.predict(answer, "down", "réponse trop vague", api_name="/feedback")["ok"]
    record = FeedbackStore(ui_settings.feedback_path).read()[-1]
    assert (record["rating"], record["question"], record["origin"]) == ("down", NEWCOMER, "api")
    assert record["citations"] and record["citations"][0]["quote"]
    with pytest.raises(AppError, match="Avis inconnu"):
        client.predict(answer, "bof", api_name="/feedback")
    with pytest.raises(AppError, match="La question est vide"):
        client.predict("   ", api_name="/ask")
    with pytest.raises(AppError, match="trop longue"):
        client.predict("pair " * 1000, api_name="/ask")


# -- the real command --------------------------------------------------------------------
def _wait_http(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"pairs serve exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers (401 before login is an answer)
        except OSError:
            time.sleep(0.5)
    raise AssertionError("pairs serve did not start")


def test_pairs_serve_with_basic_auth(corpus_settings, tmp_path):
    from gradio_client import Client

    port = free_port()
    env = dict(os.environ, PAIRS_DATA_DIR=str(tmp_path / "data"), PAIRS_CORPUS_DIR=str(CORPUS),
               PAIRS_CACHE_DIR=str(corpus_settings.cache_path), PAIRS_BACKEND="extractive",
               PAIRS_AUTH_USER="formatrice", PAIRS_AUTH_PASSWORD="mot-de-passe", PAIRS_CONCURRENCY="2")
    refused = subprocess.run([sys.executable, "-m", "ui.cli", "serve", "--host", "0.0.0.0", "--port", str(port)],
                             cwd=PROJECT, env={**env, "PAIRS_AUTH_PASSWORD": ""}, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "Authentification incomplète" in refused.stderr and "Traceback" not in refused.stderr
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--port", str(port)], cwd=PROJECT, env=env,
                               stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        _wait_http(url, process)
        with pytest.raises(Exception):
            Client(url, verbose=False)  # no credentials, no app
        client = Client(url, auth=("formatrice", "mot-de-passe"), verbose=False)
        assert client.predict(NEWCOMER, api_name="/ask")["citations"]
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


# -- end to end, in a real browser -------------------------------------------------------
def test_chat_streams_a_cited_answer_and_opens_the_passage(page, artifacts, ui_settings):
    page.evaluate("""() => {
        window.pairsSeen = new Set();
        new MutationObserver(() => {
            if (document.querySelector('#pairs-chat .pairs-pending, #pairs-chat .pairs-streaming')) window.pairsSeen.add('pending');
        }).observe(document.body, {subtree: true, childList: true, characterData: true});
    }""")
    page.locator("#pairs-chat button.example", has_text=NEWCOMER).click()
    marker = page.locator("#pairs-chat .pairs-answer a.pairs-cite").first
    marker.wait_for()
    assert page.evaluate("window.pairsSeen.has('pending')"), "no intermediate (streamed) state was shown"
    assert "Moteur : extractif" in page.locator("#pairs-chat .pairs-meta").first.inner_text()
    marker.click()
    passage = page.locator("#cite-1-1")
    assert passage.get_attribute("open") is not None
    assert passage.locator("mark").first.is_visible() and passage.locator("mark").first.inner_text().strip()
    assert "Dossier documentaire" in passage.inner_text() or "Ireps" in passage.inner_text()
    shoot(page, artifacts, "chat")

    page.fill("#pairs-question textarea", "Et quelle formation suit-il ?")
    page.click("#pairs-send")
    page.wait_for_function("document.querySelectorAll('#pairs-chat .pairs-meta').length === 2")
    assert "Sources des réponses précédentes (1)" in page.locator("#pairs-sources").inner_text()

    page.locator("#pairs-chat").get_by_role("button", name="Je n'aime pas").first.click()
    page.wait_for_function("document.body.innerText.includes('Votre avis négatif est enregistré')")
    record = FeedbackStore(ui_settings.feedback_path).read()[-1]
    assert (record["rating"], record["question"], record["origin"]) == ("down", NEWCOMER, "ui")
    assert record["citations"] and record["answer"]

    page.click("#pairs-clear")
    page.wait_for_function("document.querySelectorAll('#pairs-chat .pairs-meta').length === 0")
    assert "Les passages cités apparaîtront ici" in page.locator("#pairs-sources").inner_text()


def test_chat_abstains_off_corpus_and_offers_closest_passages(page, artifacts):
    page.fill("#pairs-question textarea", OFF_CORPUS)
    page.keyboard.press("Enter")
    abstain = page.locator("#pairs-chat .pairs-abstain")
    abstain.wait_for()
    assert "Je ne sais pas" in abstain.inner_text()
    page.locator("#pairs-chat a.pairs-near-link").first.click()
    assert page.locator("#near-1-1").get_attribute("open") is not None
    assert page.locator("#pairs-sources .pairs-near").count() >= 1
    shoot(page, artifacts, "abstention")


def test_sources_tab_gives_verdicts_and_copyable_quotes(page, artifacts):
    page.get_by_role("tab", name="Sources").click()
    page.fill("#pairs-claim textarea", CLAIM)
    page.click("#pairs-claim-check")
    page.locator("#pairs-claim-result .pairs-match").first.wait_for()
    assert "Affirmation étayée par le corpus" in page.locator("#pairs-claim-result").inner_text()
    first = page.locator("#pairs-claim-result .pairs-match").first
    assert first.locator(".pairs-verdict").inner_text().strip().lower() == "étaye"
    assert "Ireps Bourgogne Franche-Comté" in first.locator(".pairs-ref").inner_text()
    first.locator("button.pairs-copy").click()
    page.wait_for_function("document.querySelector('#pairs-claim-result button.pairs-copy').textContent.includes('copiée')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("« ") and "Dossier documentaire sur la pair-aidance" in copied
    quotes = page.input_value("#pairs-quotes textarea")
    assert quotes.startswith("« ") and "(fichier ireps-bfc-dossier-documentaire-pair-aidance-2019.md)" in quotes
    shoot(page, artifacts, "sources")


def test_corpus_tab_lists_documents_adds_files_and_reingests(page, artifacts, ui_settings, tmp_path):
    page.get_by_role("tab", name="Corpus").click()
    table = page.locator("#pairs-corpus-table")
    table.locator("tr[data-doc]").first.wait_for()
    assert table.locator("tr[data-doc]").count() == 5
    assert "Dossier documentaire sur la pair-aidance" in table.inner_text()
    good = tmp_path / "Charte locale des pairs.md"
    good.write_text("# Charte locale des pairs\n\nLes pairs aidants de l'association signent une charte de confidentialité.\n",
                    encoding="utf-8")
    bad = tmp_path / "rapport.pdf"
    bad.write_text("pas un vrai PDF", encoding="utf-8")
    page.locator("#pairs-upload input[type=file]").set_input_files([str(good), str(bad)])
    page.locator("#pairs-upload").get_by_text("rapport", exact=True).wait_for()
    page.click("#pairs-add")
    report = page.locator("#pairs-ingest-report")
    report.get_by_text("Fichiers ajoutés").wait_for()
    text = report.inner_text()
    assert "Charte-locale-des-pairs.md" in text and "indexé" in text
    assert "rapport.pdf" in text and "ce n'est pas un PDF" in text
    page.wait_for_function("document.querySelectorAll('#pairs-corpus-table tr[data-doc]').length === 6")
    assert (ui_settings.corpus_dir / "Charte-locale-des-pairs.md").exists()
    assert not (ui_settings.corpus_dir / "rapport.pdf").exists()
    shoot(page, artifacts, "corpus")

    page.click("#pairs-reingest")
    report.get_by_text("Réindexation du corpus").wait_for()
    assert "6 fichier(s) traité(s)" in report.inner_text() and "inchangé" in report.inner_text()


def test_a_translated_answer_folds_its_verified_french_sentences_under_it():
    answer = {"question": "q", "answer": "Peers <help>. [1]", "abstained": False, "citations": [{"n": 1, "title": "T1", "text": "x"}],
              "sentences": [{"text": "Peers <help>.", "citations": [1], "original": "Les pairs <aident>."}],
              "backend": "local", "timings": {}}
    html = render.answer_message(answer, 1)
    assert '<details class="pairs-originals">' in html and "« Les pairs &lt;aident&gt;. »" in html
    assert "pairs-originals" not in render.answer_message({**answer, "sentences": [{"text": "x", "citations": [1]}]}, 1)


def test_every_reason_a_check_can_give_has_a_french_label():
    import re

    root = Path(__file__).resolve().parents[1] / "assistant"
    source = "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*.py"))
    codes = set(re.findall(r'Finding\(\s*"([a-z_]+)"', source)) | set(re.findall(r'f"([a-z_]+):\{', source))
    codes |= {"quantifier", "frequency"}  # named through quantifiers._CODES
    assert len(codes) > 25
    missing = sorted(c for c in codes if c not in render.REASON_LABELS)
    assert missing == []
    assert render.reason_label("far_rank:12") == render.REASON_LABELS["far_rank"]
