"""Edits that keep a sentence's meaning, and actor swaps that change it, through the checks.

    python -m evals.mutations [--json] [--examples N]

Generated, not written: each sentence of the indexed documents (`PAIRS_DATA_DIR`) is edited
in ways that keep what it says: itself; two coordinated phrases in the other order
(« des patients et des soignants »); a fronted phrase moved to the end (« En 2012, … »); a
small figure written in words; a « Selon le document, » lead-in; an acronym in parentheses
dropped (« (ETP) »). And in one way that changes it: two actors of different kinds exchanged
where they are not coordinated (« les pairs forment les professionnels »). Each edited
sentence is judged against the unedited one by the verifier's checks (`contradictions`, then
`gaps`): no retrieval, no embedder, no threshold, a few seconds for a corpus.

A check that fires on a preserving edit is a false alarm: in the chat, that sentence would be
replaced by a quote; in the claim lookup, a faithful claim would be refused or contradicted.
An actor swap no check flags is a missed role swap (an upper bound: a few swaps keep the
meaning, « la relation entre X et Y »). Baselines: flagging nothing (no false alarm, no swap
found) and flagging everything (both 100 %). It runs on whatever corpus is indexed, so a
maintainer sees, after adding documents, whether the checks still hold on their sentences;
the tests hold the bundled corpus to it."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from assistant.meaning.roles import actor_group, actors
from assistant.text import split_sentences
from assistant.verify import contradictions, gaps

MIN_CHARS, MAX_CHARS = 40, 400  # headings and list fragments are too short to edit, tables too long
SWAP = "actor_swap"

# the same article on both sides: « des patients et des soignants », not « par des pairs et de la place »
_COORDINATED = re.compile(r"\b(des|les|la|le|du|aux) ([a-zà-öø-ÿ-]{4,}) (et|ou) (\1) ([a-zà-öø-ÿ-]{4,})\b(?![^«»]*»)")
_FRONTED = re.compile(r"^((?:En|Dans|Depuis|Selon|Pour|Avec|Lors|Au|Aux|À|Par|Sur)\b[^,]{3,60}),\s+(\w)(.*?)([.!?]?)$", re.S)
_NUMBER_WORDS = {"2": "deux", "3": "trois", "4": "quatre", "5": "cinq", "6": "six", "7": "sept", "8": "huit", "9": "neuf",
                 "10": "dix", "20": "vingt", "30": "trente", "50": "cinquante", "100": "cent"}
_SMALL_FIGURE = re.compile(r"(?<![\w,.:/-])(100|50|30|20|10|[2-9])(?=\s+(?!(?:janvier|février|mars|avril|mai|juin|juillet|août|"
                           r"septembre|octobre|novembre|décembre)\b)[a-zà-öø-ÿ]{4,})")
_ACRONYM_IN_PARENTHESES = re.compile(r"\s*\((?:[A-Z][A-Za-z-]{1,9})\)")
_PRONOUN_START = re.compile(r"^(?:Il|Elle|Ils|Elles|Ce|Cet|Cette|Ces|Selon|On)\b")
_CAPITALISED_START = re.compile(r"^[A-ZÀ-Ö][a-zà-öø-ÿ]")
# Between two actors that are listed, coordinated or joined by « de » (other actors of the list
# set aside): exchanging them may keep the meaning.
_NOT_A_RELATION = re.compile(r"^(?:[\s,;/…()-]|\b(?:et|ou|and|or|les|des|de|du|la|le|leurs?|ses|aux|à)\b|\b[dl]['’])*$", re.I)


def coordination_reversed(sentence: str) -> str | None:
    match = _COORDINATED.search(sentence)
    if not match:
        return None
    first_article, first, conjunction, second_article, second = match.groups()
    return f"{sentence[:match.start()]}{second_article} {second} {conjunction} {first_article} {first}{sentence[match.end():]}"


def fronted_phrase_moved(sentence: str) -> str | None:
    match = _FRONTED.match(sentence)
    if not match:
        return None
    phrase, first, rest, end = match.groups()
    return f"{first.upper()}{rest} {phrase[0].lower()}{phrase[1:]}{end or '.'}"


def figure_in_words(sentence: str) -> str | None:
    match = _SMALL_FIGURE.search(sentence)
    return f"{sentence[:match.start()]}{_NUMBER_WORDS[match.group(1)]}{sentence[match.end():]}" if match else None


def lead_in(sentence: str) -> str | None:
    if not _CAPITALISED_START.match(sentence) or _PRONOUN_START.match(sentence):
        return None
    return f"Selon le document, {sentence[0].lower()}{sentence[1:]}"


def acronym_dropped(sentence: str) -> str | None:
    edited = _ACRONYM_IN_PARENTHESES.sub("", sentence)
    return edited if edited != sentence else None


def actors_swapped(sentence: str) -> str | None:
    """The first two actors of different kinds that are not coordinated, exchanged."""
    found = sorted(actors(sentence), key=lambda a: a.start)
    for i, one in enumerate(found):
        for j, other in enumerate(found[i + 1 :], start=i + 1):
            between = "".join(sentence[a.end : b.start] for a, b in zip(found[i:j], found[i + 1 : j + 1]))
            if actor_group(one.key) == actor_group(other.key) or _NOT_A_RELATION.match(between):
                continue
            return f"{sentence[:one.start]}{other.term}{sentence[one.end:other.start]}{one.term}{sentence[other.end:]}"
    return None


PRESERVING: dict[str, Callable[[str], str | None]] = {
    "verbatim": lambda sentence: sentence,
    "coordination": coordination_reversed,
    "fronted_phrase": fronted_phrase_moved,
    "figure_in_words": figure_in_words,
    "lead_in": lead_in,
    "acronym_dropped": acronym_dropped,
}


@dataclass
class EditScore:
    edit: str
    preserving: bool
    sentences: int = 0
    flagged: int = 0  # a contradiction or a gap found
    contradicted: int = 0
    codes: dict[str, int] = field(default_factory=dict)
    examples: list[dict] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.flagged / self.sentences if self.sentences else None


def sentences_of(texts: Iterable[str]) -> list[str]:
    """Sentences of whole paragraphs (line breaks inside a paragraph joined), of a length worth editing."""
    found: dict[str, None] = {}
    for text in texts:
        for paragraph in re.split(r"\n\s*\n", text):
            for sentence in split_sentences(" ".join(paragraph.split())):
                if MIN_CHARS <= len(sentence) <= MAX_CHARS:
                    found.setdefault(sentence)
    return list(found)


def judge_edit(edited: str, sentence: str) -> tuple[list[str], list[str]]:
    """(contradictions, gaps) of the edited sentence against its original: the verifier's checks alone."""
    against = contradictions(edited, sentence, set())
    return against, ([] if against else gaps(edited, sentence, "", set()))


def run(sentences: list[str], examples: int = 3) -> list[EditScore]:
    edits = [(name, edit, True) for name, edit in PRESERVING.items()] + [(SWAP, actors_swapped, False)]
    scores = []
    for name, edit, preserving in edits:
        score = EditScore(name, preserving)
        for sentence in sentences:
            edited = edit(sentence)
            if edited is None:
                continue
            score.sentences += 1
            against, missing = judge_edit(edited, sentence)
            if against or missing:
                score.flagged += 1
                score.contradicted += bool(against)
                code = (against or missing)[0].split(":")[0]
                score.codes[code] = score.codes.get(code, 0) + 1
                if preserving and len(score.examples) < examples:
                    score.examples.append({"sentence": sentence, "edited": edited, "reason": (against or missing)[0]})
            elif not preserving and len(score.examples) < examples:
                score.examples.append({"sentence": sentence, "edited": edited, "reason": ""})
        scores.append(score)
    return scores


def false_alarms(scores: list[EditScore]) -> float | None:
    """Share of preserving edits a check flags, over all of them."""
    edited = sum(s.sentences for s in scores if s.preserving)
    return sum(s.flagged for s in scores if s.preserving) / edited if edited else None


def swaps_flagged(scores: list[EditScore]) -> float | None:
    return next((s.share for s in scores if s.edit == SWAP), None)


def report(scores: list[EditScore], corpus: str) -> str:
    lines = [f"Modifications générées sur {corpus} : contrôles du vérificateur, sans recherche ni seuil"]
    for s in scores:
        kind = "sens gardé" if s.preserving else "sens changé"
        share = "—" if s.share is None else f"{s.share:.1%}"
        codes = ", ".join(f"{code} {n}" for code, n in sorted(s.codes.items(), key=lambda kv: -kv[1]))
        lines.append(f"  {s.edit:16s} ({kind}) : {s.flagged}/{s.sentences} signalées, {share}" + (f" [{codes}]" if codes else ""))
    alarms, swaps = false_alarms(scores), swaps_flagged(scores)
    lines.append(f"  Fausses alertes (sens gardé, signalé) : {'—' if alarms is None else f'{alarms:.1%}'} ; "
                 f"échanges d'acteurs signalés : {'—' if swaps is None else f'{swaps:.1%}'} "
                 "(références : ne rien signaler 0 % / 0 % ; tout signaler 100 % / 100 %)")
    for s in scores:
        for example in s.examples:
            label = example["reason"] or "non signalé"
            lines.append(f"    {s.edit} · {label}\n      source : {example['sentence'][:200]}\n      modifiée : {example['edited'][:200]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.mutations", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--examples", type=int, default=3, help="exemples par modification (défaut : 3)")
    args = parser.parse_args(argv)
    from assistant import Runtime
    from ingest import load_settings

    with Runtime(load_settings()) as runtime:
        chunks = runtime.store.all_chunks()
        corpus = str(runtime.settings.corpus_dir)
    if not chunks:
        print("Index vide : lancez d'abord `pairs ingest`.", file=sys.stderr)
        return 1
    scores = run(sentences_of(c.text for c in chunks), args.examples)
    if args.json:
        json.dump({"corpus": corpus, "false_alarms": false_alarms(scores), "swaps_flagged": swaps_flagged(scores),
                   "edits": [asdict(s) | {"share": s.share} for s in scores]}, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(report(scores, corpus))
    return 0


if __name__ == "__main__":
    sys.exit(main())
