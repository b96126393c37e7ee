"""Server mode with real servers on loopback: a `chroma run` store, an OpenAI-compatible
llama.cpp server, an Ollama-protocol stand-in; and what happens when they are down or slow."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant import Assistant, HybridRetriever
from assistant.local_model import assemble_gguf, local_backend_installed
from ingest import StoreUnavailableError

from .servers import free_port, running

PROJECT = Path(__file__).resolve().parent.parent
QUERIES = ["qu'est-ce qu'un médiateur santé pair", "pair émulation", "savoir expérientiel", "journée partenariat patient Marseille"]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    chroma = Path(sys.executable).parent / "chroma"
    with running([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                 f"http://127.0.0.1:{port}/api/v2/heartbeat", 60, path / "server.log") as proc:
        yield port, proc


def test_chroma_server_mode_gives_the_same_results_as_embedded(chroma_server, corpus_runtime, tmp_path):
    port, _ = chroma_server
    server = corpus_runtime.sibling(chroma_mode="http", chroma_port=port, data_dir=tmp_path / "data")
    report = server.ingest()
    assert report.ok and report.count("indexed") == 5
    assert server.ingest().embedded == 0
    remote, local = HybridRetriever.of(server), HybridRetriever.of(corpus_runtime)
    for query in QUERIES:
        assert [p.chunk.chunk_id for p in remote.search(query, 3)] == [p.chunk.chunk_id for p in local.search(query, 3)]
    answer = Assistant(server, backend="extractive").ask("Qu'est-ce qu'un médiateur santé pair ?")
    assert answer.citations and not answer.abstained


def test_unreachable_chroma_server_gives_a_clear_message_fast(fake_runtime, tmp_path):
    down = fake_runtime.sibling(chroma_mode="http", chroma_port=free_port(), data_dir=tmp_path / "data")
    started = time.monotonic()
    with pytest.raises(StoreUnavailableError, match="injoignable"):
        Assistant(down, backend="extractive").ask("Qu'est-ce que la pair-aidance ?")
    assert time.monotonic() - started < 15
    env = dict(os.environ, PAIRS_CHROMA_MODE="http", PAIRS_CHROMA_PORT=str(down.settings.chroma_port),
               PAIRS_DATA_DIR=str(down.settings.data_dir), PAIRS_EMBEDDER="fake")
    out = subprocess.run([sys.executable, "-m", "ui.cli", "search", "pair-aidance"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "injoignable" in out.stderr and "Traceback" not in out.stderr


class _OllamaStandIn(BaseHTTPRequestHandler):
    """Speaks Ollama's /api/chat (NDJSON stream). No real Ollama can be installed here."""

    reply = ""
    requests: list[dict] = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.end_headers()
        for word in self.reply.split(" "):
            chunk = {"model": body["model"], "created_at": "2026-01-01T00:00:00Z", "message": {"role": "assistant", "content": word + " "}, "done": False}
            self.wfile.write((json.dumps(chunk) + "\n").encode())
        done = {"model": body["model"], "created_at": "2026-01-01T00:00:00Z", "message": {"role": "assistant", "content": ""},
                "done": True, "done_reason": "stop", "total_duration": 1, "eval_count": 1, "prompt_eval_count": 1}
        self.wfile.write((json.dumps(done) + "\n").encode())

    def log_message(self, *args):
        pass


def test_ollama_backend_through_langchain_against_a_protocol_stand_in(corpus_runtime):
    _OllamaStandIn.reply = "La pair-émulation est la transmission de l'expérience par les personnes handicapées autonomes [1]."
    _OllamaStandIn.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OllamaStandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        runtime = corpus_runtime.sibling(backend="ollama", ollama_url=f"http://127.0.0.1:{server.server_port}", ollama_model="qwen-test")
        answer = Assistant(runtime).ask("Qu'est-ce que la pair-émulation ?")
    finally:
        server.shutdown()
    assert answer.backend == "ollama" and not answer.notice
    assert answer.citations and "transmission de l'expérience" in answer.answer
    sent = _OllamaStandIn.requests[0]
    assert sent["model"] == "qwen-test" and "Passages" in sent["messages"][-1]["content"]


def test_generator_that_never_answers_times_out_into_the_extractive_fallback(fake_runtime):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # accepts connections, never replies
    try:
        runtime = fake_runtime.sibling(backend="openai", openai_base_url=f"http://127.0.0.1:{listener.getsockname()[1]}/v1", llm_timeout=2.0)
        started = time.monotonic()
        answer = Assistant(runtime).ask("Qu'est-ce que le savoir expérientiel ?")
        assert time.monotonic() - started < 20
    finally:
        listener.close()
    assert answer.backend == "extractive" and "injoignable ou trop lent" in answer.notice and answer.citations


def test_generator_down_falls_back_with_a_message(fake_runtime):
    runtime = fake_runtime.sibling(backend="openai", openai_base_url=f"http://127.0.0.1:{free_port()}/v1", llm_timeout=5.0)
    answer = Assistant(runtime).ask("Qu'est-ce que la pair-émulation ?")
    assert answer.backend == "extractive" and answer.notice and answer.citations


@pytest.mark.slow
@pytest.mark.skipif(not local_backend_installed(), reason="the local extra is not installed")
def test_openai_backend_against_a_real_llama_cpp_server(corpus_runtime, tmp_path):
    gguf = assemble_gguf(corpus_runtime.settings.cache_path)
    port = free_port()
    # llama_cpp.server loads the model as ours does (no AMX buffer where it crashes: local_model.repacks_safely)
    serve = ("import runpy, sys\nfrom assistant.local_model import cpu_flags, extra_buffers, repacks_safely\n"
             "with extra_buffers(repacks_safely(cpu_flags())):\n"
             "    sys.argv[0] = 'llama_cpp.server'\n    runpy.run_module('llama_cpp.server', run_name='__main__')")
    cmd = [sys.executable, "-c", serve, "--model", str(gguf), "--host", "127.0.0.1", "--port", str(port),
           "--n_ctx", "4096", "--n_threads", "2", "--model_alias", "qwen-local"]
    with running(cmd, f"http://127.0.0.1:{port}/v1/models", 180, tmp_path / "llama-server.log"):
        runtime = corpus_runtime.sibling(backend="openai", openai_base_url=f"http://127.0.0.1:{port}/v1", openai_model="qwen-local", llm_timeout=300.0,
                                          answer_seconds=0)
        answer = Assistant(runtime).ask("Combien de personnes a rassemblé la journée Partenariat Patient du CRES PACA ?")
    # The backend answered (no fallback); the grounding step may still drop off-topic sentences.
    assert answer.backend == "openai" and "injoignable" not in answer.notice, answer.notice
    assert "54" in answer.answer and answer.citations
