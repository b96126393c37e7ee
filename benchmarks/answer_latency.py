"""Answer latency of a backend, before and after issue 15, measured in the same run.

    python -m benchmarks.answer_latency [--backend local] [--questions 20] [--cold 3] [--delay 0 10] [--show 3]

Two configurations, on the same questions, interleaved (each question is asked to both, in
alternating order, so the machine's load weighs on both alike):

- before: the former context (whole passages: 3 x 700 characters for the local model),
  320 tokens at most, no wall-clock budget, no warm-up at start (`PAIRS_CONTEXT=passages`);
- direct: as after, but the model answers an English question in English (before the
  translation of verified French sentences, `PAIRS_ENGLISH_ANSWERS=direct`);
- fixed: as after, but always context_chars of excerpts (`first_token_seconds=0`);
- after: the question's sentences (context.py), fewer when the model's measured prompt speed
  would not give a first word within first_token_seconds; the settings' token cap and
  budget, the model warmed up before the first question (what `pairs serve` does in the background); English
  questions answered in French, verified, then translated sentence by sentence (translation.py).

Warm: one process per configuration already warmed up, then every question. Cold: a fresh
process per run, the first question asked `--delay` seconds after start (0: at once, while
the warm-up started with the server is still running; 10: a user who opens the page and
types). Printed per configuration: first token, first verified sentence (what a user sees
first) and total, p50/p95/max; prompt tokens (all of them, and those evaluated after the
reused prefix); generated tokens per second (the model alone: verification time excluded);
and over the English questions, the share answered in English: their own verified
sentences in English (quotes of French passages and the English line that introduces
them set aside: an answer made only of quotes is not an English answer, however it is
introduced), an English « I don't know » counted apart; and how many answers were French
quotes under that English line.

Questions: answerable single-turn items of the eval set, one kind after another, then every
English item. Figures are printed, never asserted."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field

from assistant import Answer, Assistant, Runtime
from assistant.steps import QUOTES_LEAD_EN
from assistant.text import language
from benchmarks.stats import percentile
from evals.dataset import DEFAULT_SET, load_set
from ingest import load_settings

BEFORE = dict(context="passages", llm_max_tokens=320, answer_seconds=0.0, english_answers="direct")
DIRECT = dict(english_answers="direct")  # stop 18: the model answers English questions in English
AFTER: dict = {}
FIXED = dict(first_token_seconds=0.0)  # as after, but the excerpt budget does not follow the measured prompt speed
CONFIGS = {"before": BEFORE, "direct": DIRECT, "fixed": FIXED, "after": AFTER}


def pick_questions(count: int, english: bool = True) -> list[str]:
    items = [i for i in load_set(DEFAULT_SET) if not i.history and not i.expects_abstention]
    by_kind: dict[str, list[str]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item.question)
    picked: list[str] = []
    while len(picked) < count and any(by_kind.values()):
        for kind in sorted(by_kind):
            if by_kind[kind] and len(picked) < count:
                picked.append(by_kind[kind].pop(0))
    if english:
        picked += [i.question for i in load_set(DEFAULT_SET) if not i.history and language(i.question) == "en" and i.question not in picked]
    return picked


def answered_in_english(answer: Answer) -> bool:
    """The answer has sentences of its own in English: quotes of French passages, and the
    line that introduces them (steps.QUOTES_LEAD_EN), set aside."""
    own = answer.answer.replace(QUOTES_LEAD_EN, " ")
    own = re.sub(r"«[^»]*»", " ", own)
    own = re.sub(r"\[\d+(?:,\s*\d+)*\]", " ", own)
    return bool(own.strip(" .:")) and language(own) == "en"


@dataclass
class Run:
    question: str
    first_token: float
    first_sentence: float | None
    total: float
    prompt_tokens: int = 0
    evaluated_tokens: int = 0
    context_chars: int = 0  # the excerpt budget of this answer
    completion_tokens: int = 0
    tokens_per_second: float | None = None
    english: bool | None = None  # for English questions: own sentences in English
    english_unknown: bool = False  # an English « I don't know »
    quotes_only: bool = False  # an English question answered only by French quotes
    abstained: bool = False
    stopped: str = ""
    answer: str = ""
    extra: dict = field(default_factory=dict)


def ask(assistant: Assistant, question: str) -> Run:
    answer = assistant.ask(question)
    t, usage = answer.timings, answer.usage
    generated = usage.get("completion_tokens", 0)
    generating = t.get("generated", 0) - t.get("first_token", 0) - t.get("verify_during_generation", 0)
    return Run(
        question=question, first_token=t.get("first_token", t["total"]),
        first_sentence=None if answer.abstained else t.get("first_sentence"), total=t["total"],
        prompt_tokens=usage.get("prompt_tokens", 0), evaluated_tokens=usage.get("prompt_tokens", 0) - usage.get("reused_tokens", 0),
        context_chars=usage.get("context_chars", 0),
        completion_tokens=generated, tokens_per_second=(generated - 1) / generating if generated > 1 and generating > 0 else None,
        english=(not answer.abstained and answered_in_english(answer)) if language(question) == "en" else None,
        english_unknown=language(question) == "en" and answer.abstained and answer.answer.startswith("I don't know"),
        quotes_only=language(question) == "en" and answer.answer.startswith(QUOTES_LEAD_EN),
        abstained=answer.abstained, stopped=answer.stopped, answer=answer.answer,
    )


def assistant_for(config: str, backend: str) -> Assistant:
    settings = load_settings(**CONFIGS[config])
    return Assistant(Runtime(settings), backend=backend)


def warm(assistant: Assistant, config: str) -> float:
    started = time.perf_counter()
    if config == "before":
        assistant.ask("Qu'est-ce que la pair-aidance ?")  # what the former benchmark did: a first question loads everything
    else:
        assistant.warm_up()
    return time.perf_counter() - started


# -- cold: a fresh process per run -----------------------------------------------------------
def cold_child(config: str, backend: str, delay: float, question: str) -> None:
    """In a fresh process: start (warm-up in the background for "after"), wait, ask once."""
    import threading

    started = time.perf_counter()
    assistant = assistant_for(config, backend)
    if config == "after":
        threading.Thread(target=assistant.warm_up, daemon=True).start()
    time.sleep(delay)
    run = ask(assistant, question)
    print(json.dumps({**run.__dict__, "since_start": time.perf_counter() - started}))


def cold_runs(config: str, backend: str, delay: float, questions: list[str], count: int) -> list[Run]:
    runs = []
    for n in range(count):
        command = [sys.executable, "-m", "benchmarks.answer_latency", "--cold-child", config, "--backend", backend,
                   "--delay", str(delay), "--ask", questions[n % len(questions)]]
        out = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
        line = next((x for x in reversed(out.stdout.splitlines()) if x.startswith("{")), None)
        if line is None:
            print(f"  (cold run failed: {out.stderr.strip().splitlines()[-1:] or out.returncode})", file=sys.stderr)
            continue
        data = json.loads(line)
        data.pop("since_start", None)
        runs.append(Run(**data))
    return runs


# -- report ----------------------------------------------------------------------------------
def _fmt(values: list[float], digits: int = 1) -> str:
    if not values:
        return "—"
    return f"{percentile(values, 0.5):.{digits}f} / {percentile(values, 0.95):.{digits}f} / {max(values):.{digits}f}"


def row(name: str, runs: list[Run]) -> str:
    answered = [r for r in runs if not r.abstained]
    sentence = [r.first_sentence for r in answered if r.first_sentence is not None]
    prompt = [r.prompt_tokens for r in answered if r.prompt_tokens]
    evaluated = [r.evaluated_tokens for r in answered if r.prompt_tokens]
    budget = [r.context_chars for r in answered if r.context_chars]
    speed = [r.tokens_per_second for r in answered if r.tokens_per_second]
    english = [r.english for r in runs if r.english is not None]
    cells = [
        name, f"{len(runs)} ({len(runs) - len(answered)} abst.)",
        _fmt([r.first_token for r in answered]), _fmt(sentence), _fmt([r.total for r in runs]),
        f"{percentile(prompt, 0.5):.0f} ({percentile(evaluated, 0.5):.0f})" if prompt else "—",
        f"{percentile(budget, 0.5):.0f}" if budget else "—",
        f"{percentile(speed, 0.5):.1f}" if speed else "—",
        (f"{sum(english)}/{len(english)} (+{sum(r.english_unknown for r in runs)} « I don't know », "
         f"{sum(r.quotes_only for r in runs)} French quotes only)") if english else "—",
        str(sum(bool(r.stopped) for r in runs)),
    ]
    return "| " + " | ".join(cells) + " |"


HEADER = ("| run | questions | first token p50 / p95 / max (s) | first verified sentence p50 / p95 / max (s) | "
          "total p50 / p95 / max (s) | prompt tokens p50 (evaluated) | excerpt budget p50 (chars) | generated tokens/s p50 | English questions with English sentences | cut |\n"
          "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", default="local")
    parser.add_argument("--questions", type=int, default=20, help="answerable questions, one kind after another (English items are added)")
    parser.add_argument("--cold", type=int, default=3, help="cold runs per configuration and delay (fresh processes)")
    parser.add_argument("--delay", type=float, nargs="+", default=[0.0, 10.0], help="seconds between start and the cold question")
    parser.add_argument("--configs", nargs="+", default=["before", "after"], choices=list(CONFIGS))
    parser.add_argument("--show", type=int, default=0, help="print the first N answers of each configuration")
    parser.add_argument("--json", default=None, help="also write every run to this file")
    parser.add_argument("--cold-child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--ask", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_child:
        cold_child(args.cold_child, args.backend, args.delay[0], args.ask)
        return 0
    questions = pick_questions(args.questions)
    print(f"{len(questions)} questions ({sum(language(q) == 'en' for q in questions)} in English), backend {args.backend}, "
          f"{os.cpu_count()} CPU, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    results: dict[str, list[Run]] = {}
    for config in args.configs:
        for delay in args.delay:
            label = f"{config}, cold (question {delay:.0f} s after start)"
            results[label] = cold_runs(config, args.backend, delay, questions, args.cold)
            print(f"  {label}: {len(results[label])} runs", flush=True)
    assistants = {config: assistant_for(config, args.backend) for config in args.configs}
    for config, assistant in assistants.items():
        print(f"  {config}: warm-up {warm(assistant, config):.1f} s", flush=True)
    warm_runs: dict[str, list[Run]] = {config: [] for config in args.configs}
    for n, question in enumerate(questions):
        order = args.configs if n % 2 == 0 else list(reversed(args.configs))
        for config in order:
            run = ask(assistants[config], question)
            warm_runs[config].append(run)
            print(f"  [{n + 1}/{len(questions)}] {config}: first token {run.first_token:.1f} s, first sentence "
                  f"{run.first_sentence if run.first_sentence is None else round(run.first_sentence, 1)} s, total {run.total:.1f} s, "
                  f"prompt {run.prompt_tokens} ({run.evaluated_tokens} evaluated, excerpts {run.context_chars} chars){', ' + run.stopped if run.stopped else ''}", flush=True)
    for config in args.configs:
        results[f"{config}, warm"] = warm_runs[config]
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end\n")
    print(HEADER)
    for label, runs in results.items():
        print(row(label, runs))
    for config in args.configs:
        for run in warm_runs[config][: args.show]:
            print(f"\n[{config}] Q : {run.question}\nR : {run.answer}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({label: [r.__dict__ for r in runs] for label, runs in results.items()}, fh, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
