"""The sentences the local model really writes, labelled by reading: how often the chat shows
one its passage does not say.

    python -m evals.sentences [--split test|dev|all] [--set PATH] [--json]

The claim sets measure the verifier on alterations people wrote. This set measures it on the
generator's own sentences: `answer_sentences.jsonl` holds, per question of the eval set, the
passages retrieved and each sentence of the local model's raw answer (Qwen2.5-Coder-1.5B Q4,
stop 29) with the passages it cited; stop 30 added the answers to `questions_dev3.jsonl`
(split dev) and `questions_dev4.jsonl` (split test), whose `sample` names their set and is
reported apart; `answer_sentences_debian.jsonl` (stop 31, split test, sample `debian_fr`) holds
the answers to the Debian manuals' questions (`debian_fr.jsonl`, a corpus nothing was tuned
on), to replay with that corpus's index (`PAIRS_DATA_DIR`, see `evals.external`). A reader
labelled every sentence against the passage the chat attached it to (`label_passages`),
without seeing any verdict: `said`, `not_said` with the error's type, or `uncited`. Each
`evidence` is an exact substring of that passage.

Running it feeds the sentences, in order, to today's `Grounder` over the stored passages (no
generation), and counts, on the split asked:
- shown as written: the model's own words, with a citation;
- breach: the share of those whose passage does not say them (`not_said`), the promise;
- said kept: the share of `said` sentences shown as written (the rest are quoted or dropped);
- beside two baselines: showing every sentence (no check: the breach is the model's own
  error rate), and quoting instead of every sentence (breach 0, said kept 0).
A sentence attached to another passage than the labelled one has no label for that passage:
it is counted apart (`attached_elsewhere`), neither a breach nor a success."""

from __future__ import annotations

import argparse
import collections
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from assistant.grounding import Grounder
from assistant.markers import ParsedSentence
from assistant.types import Passage
from ingest.types import Chunk

from .dataset import EvalSetError
from .verification import share

SENTENCES_SET = Path(__file__).parent / "data" / "answer_sentences.jsonl"
# the second corpus (Debian's French ExpEYES manuals, stop 31): replay it over their index
DEBIAN_SENTENCES_SET = Path(__file__).parent / "data" / "answer_sentences_debian.jsonl"
LABELS = ("said", "not_said", "uncited")


@dataclass(frozen=True)
class LabelledSentence:
    text: str
    cited: list[int]  # the passages the model cited (1-based)
    label_passages: list[int]  # the passages the label was read against
    label: str  # said, not_said, uncited
    type: str = ""  # the error of a not_said sentence (negation, number, role...)


@dataclass(frozen=True)
class LabelledAnswer:
    id: str
    split: str
    question: str
    passages: list[Passage]
    sentences: list[LabelledSentence]
    sample: str = "eval_set"  # the question set the questions come from


@dataclass(frozen=True)
class Outcome:
    sentence: LabelledSentence
    shown: bool  # shown as the model wrote it, with a citation
    attached: tuple[int, ...]  # the passages it was shown citing


@dataclass
class SentenceScores:
    sentences: int = 0
    labelled_not_said: float | None = None  # the generator's own error rate (baseline: no check)
    shown: int = 0
    breach: float | None = None  # not_said among the sentences shown as written, attached as labelled
    said_kept: float | None = None  # said sentences shown as written
    attached_elsewhere: int = 0
    by_type: dict[str, dict[str, int]] = field(default_factory=dict)  # not_said type -> n, shown


def load_answers(path: Path = SENTENCES_SET) -> list[LabelledAnswer]:
    answers = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            answers.append(_answer(data))
        except (ValueError, KeyError, TypeError) as exc:
            raise EvalSetError(f"{path.name}, ligne {number} : {exc}") from exc
    return answers


def _answer(data: dict) -> LabelledAnswer:
    passages = [Passage(_chunk(p), 0.0, 0.0, 0.0, rank) for rank, p in enumerate(data["passages"], start=1)]
    sentences = []
    for s in data["sentences"]:
        if s["label"] not in LABELS:
            raise ValueError(f"étiquette inconnue {s['label']!r}")
        sentences.append(LabelledSentence(s["text"], list(s["cited"]), list(s["label_passages"]), s["label"], s.get("type", "")))
    return LabelledAnswer(data["id"], data["split"], data["question"], passages, sentences, data.get("sample", "eval_set"))


def _chunk(p: dict) -> Chunk:
    return Chunk(f"{p['doc']}:{p['start']}", p["doc"], p.get("title", ""), p.get("organisation", ""), p.get("year"),
                 p.get("section", ""), p.get("page"), p["start"], p["end"], p["text"], p["text"])


def replay(answer: LabelledAnswer, verifier) -> list[Outcome]:
    """Today's grounding of the stored sentences, in order, over the stored passages."""
    grounder = Grounder(answer.passages, verifier, answer.question)
    outcomes = []
    for sentence in answer.sentences:
        shown = grounder.add(ParsedSentence(sentence.text, list(sentence.cited)))
        as_written = shown is not None and not shown.quoted and bool(shown.citations)
        passage_of = {new: original for original, new in grounder.order.items()}
        attached = tuple(passage_of[n] for n in shown.citations) if as_written else ()
        outcomes.append(Outcome(sentence, as_written, attached))
    return outcomes


def shown_as_read(outcome: Outcome) -> bool:
    """Shown as written, citing a passage the label was read against."""
    return outcome.shown and bool(set(outcome.attached) & set(outcome.sentence.label_passages))


def score(outcomes: list[Outcome]) -> SentenceScores:
    cited = [o for o in outcomes if o.sentence.label != "uncited"]
    shown = [o for o in outcomes if o.shown]
    labelled = [o for o in shown if shown_as_read(o)]
    said = [o for o in outcomes if o.sentence.label == "said"]
    by_type: dict[str, dict[str, int]] = collections.defaultdict(lambda: {"n": 0, "shown": 0})
    for o in outcomes:
        if o.sentence.label == "not_said":
            by_type[o.sentence.type]["n"] += 1
            by_type[o.sentence.type]["shown"] += shown_as_read(o)
    return SentenceScores(
        sentences=len(outcomes),
        labelled_not_said=share([o.sentence.label == "not_said" for o in cited]),
        shown=len(shown),
        breach=share([o.sentence.label == "not_said" for o in labelled]),
        said_kept=share([shown_as_read(o) for o in said]),
        attached_elsewhere=len(shown) - len(labelled),
        by_type=dict(sorted(by_type.items())),
    )


def pct(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.1f} %"


def report(scores: SentenceScores, split: str) -> str:
    lines = [f"Phrases du modèle local, relues (split {split}) : {scores.sentences}",
             f"  montrées telles qu'écrites : {scores.shown} (dont {scores.attached_elsewhere} rattachées à un autre passage que celui relu)",
             f"  montrées que leur passage ne dit pas : {pct(scores.breach)}   (sans vérification : {pct(scores.labelled_not_said)} ; "
             "tout citer mot pour mot : 0 %)",
             f"  phrases justes montrées : {pct(scores.said_kept)}   (sans vérification : 100 % ; tout citer : 0 %)",
             "  erreurs du modèle par type (montrées / n) :"]
    lines += [f"    {kind or '?':16s} {c['shown']:3d} / {c['n']:3d}" for kind, c in scores.by_type.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("dev", "test", "all"))
    parser.add_argument("--set", dest="path", type=Path, default=SENTENCES_SET)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from assistant.runtime import Runtime
    from ingest import load_settings

    try:
        answers = [a for a in load_answers(args.path) if args.split in ("all", a.split)]
    except (OSError, EvalSetError) as exc:
        print(exc, file=sys.stderr)
        return 2
    with Runtime(load_settings()) as runtime:
        verifier = runtime.verifier()
        outcomes = {answer.id: replay(answer, verifier) for answer in answers}
    scores = score([o for answer in answers for o in outcomes[answer.id]])
    samples = sorted({answer.sample for answer in answers})
    by_sample = {name: score([o for answer in answers if answer.sample == name for o in outcomes[answer.id]]) for name in samples}
    if args.json:
        json.dump({"split": args.split, **scores.__dict__, "by_sample": {k: v.__dict__ for k, v in by_sample.items()}},
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(report(scores, args.split))
        if len(samples) > 1:
            print(sample_lines(by_sample))
    return 0


def sample_lines(by_sample: dict[str, SentenceScores]) -> str:
    lines = ["  par jeu de questions (montrées que leur passage ne dit pas / phrases justes montrées / sans vérification) :"]
    lines += [f"    {name:16s} {pct(s.breach):>7s} de {s.shown - s.attached_elsewhere:3d} / {pct(s.said_kept):>7s} / {pct(s.labelled_not_said):>7s}"
              for name, s in by_sample.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
