"""Load: N concurrent users asking through the Gradio API of a real `pairs serve`.

    python -m benchmarks.load [--users 20] [--seconds 120] [--backend extractive]

Starts `pairs serve` on a free loopback port (its own process, the settings of the
environment: PAIRS_DATA_DIR, PAIRS_BACKEND…), then each user, with its own
`gradio_client.Client`, asks questions from the eval set one after another until time is
up. Each user sends its own X-Forwarded-For address (uvicorn trusts it from loopback), so
the per-client rate limit applies per user, as it would to people on their own machines.
Prints latency p50/p95/max, errors, rate-limit refusals (counted apart: a refusal is the
limiter working), throughput and the server's resident memory sampled every 5 s (stable
memory: the last samples do not keep growing)."""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from benchmarks.stats import percentile
from evals.dataset import DEFAULT_SET, load_set

PROJECT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_server(port: int, backend: str) -> subprocess.Popen:
    env = dict(os.environ, PAIRS_PORT=str(port), PAIRS_BACKEND=backend)
    server = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve"], cwd=PROJECT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 900  # a first run ingests the corpus
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"pairs serve s'est arrêté : {server.stderr.read()[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return server
        except OSError:
            time.sleep(1)
    server.kill()
    raise SystemExit("pairs serve n'a pas démarré à temps")


def questions() -> list[str]:
    return [item.question for item in load_set(DEFAULT_SET) if not item.history]


def user(url: str, number: int, until: float, latencies: list, errors: list, abstained: list, refused: list) -> None:
    from gradio_client import Client

    client = Client(url, verbose=False, headers={"X-Forwarded-For": f"10.20.0.{number + 1}"})
    pool = questions()
    i = number * 7
    while time.monotonic() < until:
        question = pool[i % len(pool)]
        i += 1
        started = time.perf_counter()
        try:
            answer = client.predict(question, [], api_name="/ask")
            latencies.append(time.perf_counter() - started)
            abstained.append(bool(answer.get("abstained")))
        except Exception as exc:  # noqa: BLE001 - counted and printed
            if "Trop de demandes" in str(exc):
                refused.append(time.perf_counter() - started)
                time.sleep(2)
            else:
                errors.append(f"{type(exc).__name__}: {exc}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--backend", default="extractive")
    args = parser.parse_args()

    port = free_port()
    server = start_server(port, args.backend)
    url = f"http://127.0.0.1:{port}/"
    latencies: list[float] = []
    errors: list[str] = []
    abstained: list[bool] = []
    refused: list[float] = []
    memory = [rss_mb(server.pid)]
    try:
        until = time.monotonic() + args.seconds
        users = [threading.Thread(target=user, args=(url, n, until, latencies, errors, abstained, refused), daemon=True)
                 for n in range(args.users)]
        started = time.perf_counter()
        for t in users:
            t.start()
        while any(t.is_alive() for t in users):
            time.sleep(5)
            memory.append(rss_mb(server.pid))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"backend {args.backend} · {args.users} utilisateurs · {elapsed:.0f} s")
    print(f"réponses {len(latencies)} ({len(latencies) / elapsed:.2f}/s), abstentions {sum(abstained)}, erreurs {len(errors)}, "
          f"refus du limiteur de débit {len(refused)}")
    if latencies:
        print(f"latence p50 {statistics.median(latencies):.2f} s · p95 {percentile(latencies, 0.95):.2f} s · max {max(latencies):.2f} s")
    third = max(1, len(memory) // 3)
    print(f"mémoire du serveur (RSS) : départ {memory[0]:.0f} Mo · après le premier tiers {memory[third]:.0f} Mo · "
          f"fin {memory[-1]:.0f} Mo · max {max(memory):.0f} Mo")
    for message in sorted(set(errors))[:5]:
        print(f"  erreur : {message}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
