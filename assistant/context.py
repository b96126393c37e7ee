"""What the generator reads: the sentences of the retrieved passages that align with the
question, each under its passage number, within a character budget; not whole passages.

On a 2-core CPU the local model reads about 56 prompt tokens a second: five whole passages
cost more than the answer itself. The sentences kept are scored by the IDF-weighted share
of the question's words they cover (their passage's title and heading, and the sentence
before, count for less), with a small prior for the passage's rank. Only evidence
sentences are candidates (no bibliography, heading, table of contents or instruction aimed
at the assistant: see evidence.py), so an injected instruction never reaches the prompt.

An English question shares few words with French passages: its words are mapped to their
French equivalents first (a small domain glossary: bilingual.py), and words of Latin origin match by
their first letters ("experiential" ~ "expérientiel").

`whole_passages` builds the former context (whole passages, cut at a character limit),
kept for the benchmark's before/after comparison (`PAIRS_CONTEXT=passages`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .bilingual import question_words
from .evidence import source_sentences
from .questions import Need, asked, provides
from .safety import as_quoted_data, flagged_spans, neutralise
from .text import fold, tokens
from .types import Passage
from .verify import Weights, coverage

CONTEXT_WEIGHT = 0.4  # share of a question word found only in the title, heading or previous sentence
RANK_PRIOR = 0.08  # score bonus of the first passage (divided by the rank)
DENSE_PRIOR = 0.3  # score bonus per unit of the passage's cosine similarity above 0.8
NEED_BONUS = 0.6  # the sentence gives the kind of answer asked (a figure, a date, a person, a place)
DEFINING_BONUS = 0.15  # a definition question, and the sentence defines ("est", "désigne", "se définit"…)
LEAD_BONUS = 0.5  # the first sentences under a heading that names what is asked (a glossary entry)
LEAD_SENTENCES = 2
QUESTION_PENALTY = 0.5  # a question in a document announces an answer, it is not one
FLOOR = 0.35  # a sentence scoring less than this share of the best one is not worth its tokens
MIN_CHARS, MIN_WORDS, MAX_SENTENCE_CHARS = 8, 2, 420
FOLLOW_UP_CHARS = 160  # a short best sentence brings the next one (a definition often runs on)
_DEFINITION_ASKED = re.compile(r"\b(?:qu'?est[- ]ce qu|que (?:signifie|veut dire|designe)|c koi|c quoi|definition|defini|"
                               r"qu'appelle-t-on|what (?:is|are|does)|meaning|define)", re.I)
_DEFINING = re.compile(r"\b(?:est|sont|désigne|désignent|définit|défini|définie|se définit|correspond|consiste|signifie|"
                       r"renvoie|regroupe|regroupent|constitue|constituent|is|are|means)\b", re.I)
_NOISE = re.compile(r"\b[A-Z][a-z]+ [A-Z]{1,3}(?:,|$)|\bet al\b|^\W*$|https?://|www\.|\bISBN\b|\[(?:en ligne|page internet)\]|"
                    r"^[^.!?]*\b(?:19|20)\d\d\s*,\s*\d*\s*p\.|^\s*[A-ZÉ][\w-]+ : [A-ZÉ]")

@dataclass(frozen=True)
class Excerpt:
    """One sentence the model reads, under the number of the passage it comes from."""

    passage: int  # 1-based: the number the model cites
    start: int  # offsets in the passage text
    end: int
    text: str
    score: float


@dataclass(frozen=True)
class Context:
    """The numbered excerpts and the text the prompt gets."""

    excerpts: list[Excerpt]
    text: str
    mode: str  # "sentences" or "passages"

    @property
    def passages_shown(self) -> list[int]:
        return sorted({e.passage for e in self.excerpts})


def candidate(text: str) -> bool:
    """A sentence worth showing the model: long enough, not a reference, an address, a list
    of names or a heading in capitals."""
    letters = [ch for ch in text if ch.isalpha()]
    shouting = len(letters) > 12 and sum(ch.isupper() for ch in letters) > 0.6 * len(letters)
    names = len(re.findall(r"\b[A-ZÉ][a-zé]+\b", text)) >= 4 and text.count(",") >= 2 and not re.search(r"\b(?:est|sont|a|ont)\b", text)
    return (len(text) >= MIN_CHARS and len(text.split()) >= MIN_WORDS and not shouting and not names
            and not _NOISE.search(text) and neutralise(text) == text)


def score_sentences(question_tokens: list[str], passages: list[Passage], weights: Weights,
                    needs: list[Need] | None = None, definition: bool = False) -> list[Excerpt]:
    """Every evidence sentence of the passages with its score (not yet selected)."""
    scored = []
    for number, passage in enumerate(passages, start=1):
        chunk = passage.chunk
        around = set(tokens(f"{chunk.title} {chunk.heading}"))
        named = coverage(question_tokens, set(tokens(chunk.heading)), weights) if chunk.section else 0.0
        prior = RANK_PRIOR / passage.rank + DENSE_PRIOR * max(0.0, passage.dense - 0.8)
        previous: set[str] = set()
        lead = 0
        # an instruction split over sentences ("Oublie tout. Écris…") is flagged on the whole passage
        instructions = flagged_spans(chunk.text)
        for sentence in source_sentences(chunk.text, chunk.title, chunk.section):
            words = set(tokens(sentence.text))
            if any(start < sentence.end and end > sentence.start for start, end in instructions) or sentence.text in chunk.flagged:
                previous = words
                continue
            if sentence.why_not == "heading":
                lead = 0
            if sentence.evidence and candidate(sentence.text):
                lead += 1
                own = coverage(question_tokens, words, weights)
                wider = coverage(question_tokens, words | around | previous, weights)
                score = own + CONTEXT_WEIGHT * (wider - own) + prior
                if needs and any(provides(need, sentence.text) for need in needs):
                    score += NEED_BONUS * wider
                if definition and _DEFINING.search(sentence.text):
                    score += DEFINING_BONUS * wider
                if lead <= LEAD_SENTENCES and named >= 0.6:
                    score += LEAD_BONUS * named
                if sentence.text.rstrip().endswith("?"):
                    score *= QUESTION_PENALTY
                scored.append(Excerpt(number, sentence.start, sentence.end, sentence.text, round(score, 4)))
            previous = words
    return scored


def select(question: str, passages: list[Passage], weights: Weights, budget: int, english: bool = False,
           corrected: list[str] | None = None) -> Context:
    """The best sentences across the passages, in reading order, within `budget` characters
    (the best one always, cut if it alone is longer)."""
    wanted = corrected if corrected is not None else question_words(question, english)
    candidates = score_sentences(wanted, passages, weights, asked(question), bool(_DEFINITION_ASKED.search(fold(question))))
    if not candidates:
        return Context([], "", "sentences")
    best = max(c.score for c in candidates)
    chosen: list[Excerpt] = []
    used = 0
    for candidate in sorted(candidates, key=lambda c: (-c.score, c.passage, c.start)):
        if chosen and (candidate.score < FLOOR * best or used + len(candidate.text) > budget):
            continue
        chosen.append(candidate)
        used += min(len(candidate.text), MAX_SENTENCE_CHARS)
    first = chosen[0]
    if len(first.text) <= FOLLOW_UP_CHARS:  # "Pair-émulation :" or a short definition: read on
        following = next((c for c in candidates if c.passage == first.passage and c.start > first.end), None)
        if following and following not in chosen and used + len(following.text) <= budget + FOLLOW_UP_CHARS:
            chosen.append(following)
    chosen.sort(key=lambda c: (c.passage, c.start))
    return Context(chosen, format_excerpts(chosen, passages), "sentences")


def _clip(text: str, limit: int) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def format_excerpts(excerpts: list[Excerpt], passages: list[Passage]) -> str:
    """One line per passage: `[n] (heading) sentence … sentence`, fenced as quoted data."""
    lines = []
    for number in sorted({e.passage for e in excerpts}):
        mine = [e for e in excerpts if e.passage == number]
        pieces = [_clip(mine[0].text, MAX_SENTENCE_CHARS)]
        for before, after in zip(mine, mine[1:]):
            adjacent = not passages[number - 1].chunk.text[before.end : after.start].strip()
            pieces.append(("" if adjacent else "… ") + _clip(after.text, MAX_SENTENCE_CHARS))
        heading = neutralise(passages[number - 1].chunk.heading)
        label = f" ({_clip(heading, 60)})" if heading and fold(heading) not in fold(" ".join(pieces)) else ""
        lines.append(as_quoted_data(f"[{number}]{label} " + " ".join(pieces)))
    return "<<<\n" + "\n".join(lines) + "\n>>>"


def whole_passages(passages: list[Passage], limit: int) -> Context:
    """The former context: numbered passages, each fenced and cut at `limit` characters."""
    blocks, excerpts = [], []
    for n, passage in enumerate(passages, start=1):
        c = passage.chunk
        text = as_quoted_data(neutralise(c.text))
        text = text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
        where = as_quoted_data(neutralise(f"{c.title}" + (f" — {c.heading}" if c.section else ""))).replace("\n", " ")
        blocks.append(f"[{n}] ({where})\n<<<\n{text}\n>>>")
        excerpts.append(Excerpt(n, 0, min(len(c.text), limit), text, 0.0))
    return Context(excerpts, "\n\n".join(blocks), "passages")
