"""The seams of the architecture, on the fake profile: settings read once and validated,
the runtime that owns the expensive things, reciprocal rank fusion, citation markers, the
backend registry, the fake embedder and each answering step alone."""

from __future__ import annotations

import pytest

from assistant import Assistant, Backend, Gate, Retrieved, Runtime, register_backend, steps
from assistant.backends import BACKENDS
from assistant.fakes import ScriptedChat
from assistant.fusion import reciprocal_rank_fusion
from assistant.markers import cited, numbers, parse_citations, strip, write
from ingest import FakeEmbeddings, Settings, SettingsError, load_settings


# -- settings --------------------------------------------------------------------------
def test_settings_precedence_defaults_toml_env_arguments(tmp_path, monkeypatch):
    config = tmp_path / "pairs.toml"
    config.write_text('top_k = 9\nbackend = "ollama"\nollama_model = "mistral"\n', encoding="utf-8")
    monkeypatch.setenv("PAIRS_CONFIG", str(config))
    monkeypatch.setenv("PAIRS_BACKEND", "extractive")
    monkeypatch.setenv("PAIRS_LOG_QUESTIONS", "oui")
    monkeypatch.setenv("PAIRS_DATA_DIR", "~/pairs-data")
    settings = load_settings(top_k=3)
    assert settings.top_k == 3  # argument beats the file
    assert settings.backend == "extractive"  # environment beats the file
    assert settings.ollama_model == "mistral"  # the file beats the default
    assert settings.chunk_size == 1000  # the default
    assert settings.log_questions is True and "~" not in str(settings.data_dir)
    assert settings.with_overrides(top_k=7).top_k == 7 and settings.top_k == 3
    with pytest.raises(Exception):
        settings.top_k = 1  # frozen: read once, passed down


def test_bad_settings_are_refused_with_every_reason_in_french(tmp_path, monkeypatch):
    with pytest.raises(SettingsError, match="embedder"):
        Settings().with_overrides(embedder="word2vec")
    config = tmp_path / "pairs.toml"
    config.write_text('chroma_mode = "cloud"\ntop_kk = 4\n', encoding="utf-8")
    monkeypatch.setenv("PAIRS_CONFIG", str(config))
    monkeypatch.setenv("PAIRS_CHUNK_SIZE", "mille")
    with pytest.raises(SettingsError) as error:
        load_settings()
    message = str(error.value)
    assert message.startswith("Réglages invalides") and "chroma_mode" in message and "top_kk" in message and "chunk_size" in message


# -- the runtime -----------------------------------------------------------------------
def test_runtime_builds_each_expensive_thing_once_and_follows_the_index(fake_runtime):
    assert fake_runtime.embeddings is fake_runtime.embeddings and fake_runtime.store is fake_runtime.store
    first = fake_runtime.lexical_index()
    assert fake_runtime.lexical_index() is first  # no ingest, no rebuild
    (fake_runtime.settings.corpus_dir / "nouveau.md").write_text(
        "# Nouveau\n\nLe travailleur pair zorglub anime un groupe de parole hebdomadaire à l'hôpital de jour.\n", encoding="utf-8")
    report = fake_runtime.ingest()
    assert report.count("indexed") == 1
    rebuilt = fake_runtime.lexical_index()
    assert rebuilt is not first and rebuilt.version == first.version + 1
    assert any(c.doc == "nouveau.md" for c in rebuilt.chunks)
    assert fake_runtime.chat_model("fake") is fake_runtime.chat_model("fake")
    assert fake_runtime.chat_model("extractive") is None


def test_a_second_runtime_sees_another_process_ingest(fake_settings):
    reader = Runtime(fake_settings())
    writer = Runtime(fake_settings())
    writer.ingest()
    assert reader.lexical_index().chunks, "the reader follows the store's version, not its own memory"


def test_an_injected_chat_model_answers_for_every_backend(fake_runtime):
    chat = ScriptedChat(replies=["La pair-émulation est la transmission de l'expérience [1]."], prompts=[])
    runtime = Runtime(fake_runtime.settings, embeddings=fake_runtime.embeddings, chat_model=chat)
    assert runtime.backend("local") == "custom" and runtime.chat_model("ollama") is chat


# -- pure steps ------------------------------------------------------------------------
def test_reciprocal_rank_fusion_sums_reciprocal_ranks():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a"], ["d"]], k=60)
    scores = dict(fused)
    assert scores["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert scores["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert scores["d"] == pytest.approx(1 / 61) and scores["b"] == pytest.approx(1 / 62)
    assert [item for item, _ in fused] == ["a", "c", "d", "b"]
    assert reciprocal_rank_fusion([]) == [] and reciprocal_rank_fusion([[], []]) == []
    tie = reciprocal_rank_fusion([["x"], ["y"]])
    assert [item for item, _ in tie] == ["x", "y"]  # equal scores keep first appearance


def test_markers_are_read_in_any_style_and_written_one_way():
    assert numbers("1, 3") == [1, 3] and numbers("2-4") == [2, 3, 4] and numbers("1 et 2") == [1, 2]
    assert cited("A [1]. B 【2】. C (3). D [passage 4]. E [1, 5].") == [1, 2, 3, 4, 5]
    assert write([1, 2]) == " [1] [2]" and strip("Un pair aide. [1] [2] Fin [3].") == "Un pair aide. Fin."
    parsed = parse_citations("Le pair aide. [2] Il écoute [1][9].", 3)
    assert [(p.text, p.cited, p.dropped) for p in parsed] == [("Le pair aide.", [2], []), ("Il écoute.", [1], [9])]


def test_backend_registry_accepts_a_new_backend():
    register_backend(Backend("echo-test", build=lambda s: ScriptedChat(replies=["Réponse [1]."], prompts=[]),
                             describe=lambda s: "écho de test"))
    try:
        settings = Settings(backend="echo-test")
        assert isinstance(Runtime(settings).chat_model("echo-test"), ScriptedChat)
        with pytest.raises(ValueError, match="Backend inconnu.*echo-test"):
            Runtime(settings).backend("nimportequoi")
    finally:
        BACKENDS.pop("echo-test")


def test_fake_embedder_is_deterministic_and_similar_texts_are_close():
    fake = FakeEmbeddings()
    a, b, c = (fake.embed_query(t) for t in ("médiateur de santé pair", "les médiateurs santé pairs", "capitale de l'Australie"))
    assert a == FakeEmbeddings().embed_query("médiateur de santé pair")
    dot = lambda x, y: sum(i * j for i, j in zip(x, y))  # noqa: E731
    assert dot(a, b) > 0.5 > dot(a, c) and abs(dot(a, a) - 1) < 1e-6


def test_each_step_alone(fake_runtime):
    assistant = Assistant(fake_runtime)
    passages = steps.retrieve("Qu'est-ce que la pair-émulation ?", assistant.retriever)
    assert passages[0].chunk.doc == "emulation.md"
    calibration = fake_runtime.calibration
    assert steps.gate("Qu'est-ce que la pair-émulation ?", passages, 0.48, calibration).answerable
    off = steps.retrieve("Quelle est la capitale de l'Australie ?", assistant.retriever)
    closed = steps.gate("Quelle est la capitale de l'Australie ?", off, 0.48, calibration)
    assert isinstance(closed, Gate) and not closed.answerable and "seuil" in closed.reason
    raw = "".join(steps.generate(fake_runtime.chat_model("fake"), "Qu'est-ce que la pair-émulation ?", passages[:2], 900))
    assert "[1]" in raw and "transmission de l'expérience" in raw
    grounded = steps.verify(raw + " La lune est en fromage [2].", passages[:2], fake_runtime.verifier(), "pair-émulation")
    assert "fromage" not in grounded.text and "transmission de l'expérience" in grounded.text
    assert (grounded.dropped, grounded.off_topic) == (1, 1)  # the invented sentence; a supported one that does not answer
    answer = steps.render("q ?", "q ?", grounded, passages, "fake", {"total": 0.1})
    assert not answer.abstained and answer.notice.startswith("1 phrase(s) non étayée(s)") and "hors de la question" in answer.notice


def test_stream_shows_the_passages_before_any_token(fake_runtime):
    events = list(Assistant(fake_runtime).stream("Qu'est-ce que le savoir expérientiel ?"))
    assert isinstance(events[0], Retrieved) and events[0].passages and events[0].gate.answerable
    assert any(isinstance(e, str) for e in events[1:-1])
    assert events[-1].citations and events[-1].backend == "fake"
