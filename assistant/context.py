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
ENTRY_BONUS = 1.0  # a definition asked, and the heading above is the term itself: its entry in a glossary
ENTRY_MATCH = 0.6  # share of the term's words in the heading, and of the heading's in the term
LEAD_SENTENCES = 2
QUESTION_PENALTY = 0.5  # a question in a document announces an answer, it is not one
FLOOR = 0.35  # a sentence scoring less than this share of the best one is not worth its tokens
MIN_CHARS, MIN_WORDS, MAX_SENTENCE_CHARS = 8, 2, 420
FOLLOW_UP_CHARS = 160  # a short best sentence brings the next one (a definition often runs on)
LIST_ITEMS, LIST_CHARS = 3, 450  # a best sentence announcing a list (":") brings its first items
_DEFINITION_ASKED = re.compile(r"\b(?:qu'?est[- ]ce qu|que (?:signifie|veut dire|designe)|c koi|c quoi|definition|defini|"
                               r"qu'appelle-t-on|what (?:is|are|does)|meaning|define)", re.I)
# the term a definition question asks about: quoted, or after its asking words, before « selon … »
_TERM_QUOTED = re.compile(r"[«\"“]\s*([^»\"”]{2,80}?)\s*[»\"”]")
_TERM_AFTER = re.compile(r"\b(?:qu'?\s?est[- ]ce qu(?:e|'?(?:un|une|on appelle))?|que (?:signifie|veut dire|designe)|c koi|c quoi|"
                         r"definition (?:de la|du|des|de|d')?|qu'appelle-t-on|what (?:is|are|does)(?: an?| the)?|define|meaning of)"
                         r"\s*(.+?)(?:\s+(?:selon|d'apres|dans|pour|according|in the|mean)\b.*)?\s*\??\s*$", re.I)
_ENTRY_INLINE = re.compile(r"^\s*([^:]{3,80}?)\s*:\s+\S")
_DEFINING = re.compile(r"\b(?:est|sont|désigne|désignent|définit|défini|définie|se définit|correspond|consiste|signifie|"
                       r"renvoie|regroupe|regroupent|constitue|constituent|is|are|means)\b", re.I)
_NOISE = re.compile(r"\b[A-Z][a-z]+ [A-Z]{1,3}(?:,|$)|\bet al\b|^\W*$|https?://|www\.|\bISBN\b|\[(?:en ligne|page internet)\]|"
                    r"^[^.!?]*\b(?:19|20)\d\d\s*,\s*\d*\s*p\.|^\s*[A-ZÉ][\w-]+ : [A-ZÉ]")

CHARS_PER_TOKEN = 3.4  # French excerpts through the Qwen tokenizer: 600 characters ≈ 175 tokens
FRAME_TOKENS = 24  # fences, passage numbers, labels and the chat template's turn markers


def context_budget(limit: int, floor: int, rate: float, seconds: float, rest: str) -> int:
    """Characters of excerpts a model reading `rate` prompt tokens a second can take in and
    still write its first word within `seconds`, besides `rest` (the question and what follows
    it); between `floor` and `limit`. `limit` when the rate is unknown, and when no time is
    left (no target, or a follow-up reworded first): a first word late anyway is not worth a
    thinner answer."""
    if rate <= 0 or seconds <= 0 or not floor:
        return limit
    tokens = rate * seconds - FRAME_TOKENS - len(rest) / CHARS_PER_TOKEN
    return int(min(limit, max(floor, tokens * CHARS_PER_TOKEN)))


# A question whose answer takes several facts (a comparison, a list, two questions in one) is
# given its whole budget: one sentence cannot answer it, however slow the machine.
_SEVERAL = re.compile(
    r"\b(?:differen\w*|compar\w*|points? communs?|distingu\w*|versus|contrast\w*|"  # a comparison
    r"quel(?:le)?s|lesquel(?:le)?s|cite[sz]?|liste[sz]?|enumer\w*|what are|which \w+ are|list|"  # a list
    r"(?:les|the) (?:deux|trois|quatre|cinq|six|sept|two|three|four|five|seven) \w+|"
    r"et (?:comment|pourquoi|quand|ou|qui|quel\w*|par quel\w*|combien|en quoi|de quel\w*)|"  # two questions in one
    r"and (?:how|why|when|where|who|what|which))\b")


def asks_several(question: str) -> bool:
    """Whether the answer takes several facts: « quelles sont les missions… », « compare… »,
    « quelle loi… et comment… », "who presented it, and when"."""
    return bool(_SEVERAL.search(fold(question).replace("’", "'")))


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


def defined_term(question: str) -> str:
    """The term a definition question asks about (« être pair », "un GEM"); "" when none, or
    when it quotes several (a comparison)."""
    folded = fold(question).replace("’", "'")
    quoted = _TERM_QUOTED.findall(question)
    if quoted:
        return quoted[0] if len(quoted) == 1 else ""
    after = _TERM_AFTER.search(folded)
    return after.group(1) if after else ""


def _is_entry(term: list[str], heading: set[str], weights: Weights) -> bool:
    """The heading is the term itself: each covers most of the other's words."""
    return bool(term and heading) and (coverage(term, heading, weights) >= ENTRY_MATCH
                                       and coverage(sorted(heading), set(term), weights) >= ENTRY_MATCH)


def _part_of(sentence: str, heading: str) -> bool:
    """The sentence is the heading, or its first part (a full stop inside the heading split it)."""
    said = fold(sentence).strip(" .:")
    return len(said) > 3 and fold(heading).startswith(said)


def candidate(text: str) -> bool:
    """A sentence worth showing the model: long enough, not a reference, an address, a list
    of names or a heading in capitals."""
    letters = [ch for ch in text if ch.isalpha()]
    shouting = len(letters) > 12 and sum(ch.isupper() for ch in letters) > 0.6 * len(letters)
    names = len(re.findall(r"\b[A-ZÉ][a-zé]+\b", text)) >= 4 and text.count(",") >= 2 and not re.search(r"\b(?:est|sont|a|ont)\b", text)
    return (len(text) >= MIN_CHARS and len(text.split()) >= MIN_WORDS and not shouting and not names
            and not _NOISE.search(text) and neutralise(text) == text)


def score_sentences(question_tokens: list[str], passages: list[Passage], weights: Weights,
                    needs: list[Need] | None = None, definition: bool = False, term: list[str] | None = None) -> list[Excerpt]:
    """Every evidence sentence of the passages with its score (not yet selected). `term`:
    the words of the term a definition question asks about."""
    def weigh(heading: set[str]) -> tuple[float, bool]:
        """How much of the question the heading names, and whether it is the defined term."""
        return (coverage(question_tokens, heading, weights) if heading else 0.0,
                definition and _is_entry(term or [], heading, weights))

    scored = []
    for number, passage in enumerate(passages, start=1):
        chunk = passage.chunk
        around = set(tokens(f"{chunk.title} {chunk.heading}"))
        prior = RANK_PRIOR / passage.rank + DENSE_PRIOR * max(0.0, passage.dense - 0.8)
        previous: set[str] = set()
        lead = 0
        sentences = source_sentences(chunk.text, chunk.title, chunk.section)
        # a small section folded into the next one at ingestion: the chunk's heading is inside it,
        # and what comes before that heading belongs to another one
        inside = any(s.why_not == "heading" and fold(s.text.strip()) == fold(chunk.heading.strip()) for s in sentences)

        named, term_heading = weigh(set(tokens(chunk.heading)) if chunk.section and not inside else set())
        # an instruction split over sentences ("Oublie tout. Écris…") is flagged on the whole passage
        instructions = flagged_spans(chunk.text)
        for sentence in sentences:
            words = set(tokens(sentence.text))
            if any(start < sentence.end and end > sentence.start for start, end in instructions) or sentence.text in chunk.flagged:
                previous = words
                continue
            if sentence.why_not == "heading" or _part_of(sentence.text, chunk.heading):
                lead, (named, term_heading) = 0, weigh(words)
                previous = words
                continue
            if sentence.evidence and candidate(sentence.text):
                lead += 1
                own = coverage(question_tokens, words, weights)
                wider = coverage(question_tokens, words | around | previous, weights)
                score = own + CONTEXT_WEIGHT * (wider - own) + prior
                if needs and any(provides(need, sentence.text) for need in needs):
                    score += NEED_BONUS * wider
                if definition and _DEFINING.search(sentence.text):
                    score += DEFINING_BONUS * wider
                entry = _ENTRY_INLINE.match(sentence.text)  # « Représentant des usagers : usager élu pour … »
                if definition and entry and _is_entry(term or [], set(tokens(entry.group(1))), weights):
                    score += ENTRY_BONUS * wider
                elif lead <= LEAD_SENTENCES and term_heading:
                    score += ENTRY_BONUS * wider
                elif lead <= LEAD_SENTENCES and named >= 0.6:
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
    definition = bool(_DEFINITION_ASKED.search(fold(question)))
    term = question_words(defined_term(question), english) if definition else []
    candidates = score_sentences(wanted, passages, weights, asked(question), definition, term)
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
    if first.text.rstrip().endswith(":"):  # "… identifie trois types d'empowerment :" announces its list
        for item in _continuation(first, candidates, passages)[:LIST_ITEMS]:
            if item not in chosen and used + min(len(item.text), MAX_SENTENCE_CHARS) <= budget + LIST_CHARS:
                chosen.append(item)
                used += min(len(item.text), MAX_SENTENCE_CHARS)
    elif len(first.text) <= FOLLOW_UP_CHARS:  # a short definition: read on
        following = next((c for c in candidates if c.passage == first.passage and c.start > first.end), None)
        if following and following not in chosen and used + len(following.text) <= budget + FOLLOW_UP_CHARS:
            chosen.append(following)
    chosen.sort(key=lambda c: (c.passage, c.start))
    return Context(chosen, format_excerpts(chosen, passages), "sentences")


def _continuation(sentence: Excerpt, candidates: list[Excerpt], passages: list[Passage]) -> list[Excerpt]:
    """The sentences that follow `sentence` in its document: in its passage, then in a
    retrieved passage that starts where its passage ends."""
    own = passages[sentence.passage - 1].chunk
    nexts = {n for n, p in enumerate(passages, start=1) if p.chunk.doc == own.doc and 0 <= p.chunk.start - own.end <= 8}
    after = [c for c in candidates if c.passage == sentence.passage and c.start > sentence.end]
    after += [c for c in candidates if c.passage in nexts]
    return sorted(after, key=lambda c: (c.passage != sentence.passage, c.start))


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
