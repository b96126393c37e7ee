"""Strength of quantifiers, frequency adverbs, modality and exclusivity.

A claim must not say more than its source: "tous" where the source says "certains",
"toujours" where it says "souvent", "doit" where it says "peut", "seuls" where it says
nothing, or drop the source's hedge ("peut", "parfois", "notamment"). Cues are only
compared when they attach to content the two sentences share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.text import fold
from assistant.meaning.words import Finding, PhraseTable, Word, clause_breaks, content_stems, words

QUANTITY, FREQUENCY, MODALITY, EXCLUSIVITY, HEDGE = "quantity", "frequency", "modality", "exclusivity", "hedge"

# kind -> level -> phrases. Higher is stronger: all (3) > many (2) > some (1);
# always/never (4) > often (3) > sometimes (2) > rarely (1); must (3) > should (2) > may (1).
_CUES: dict[str, dict[int, str]] = {
    QUANTITY: {
        3: """tous, toutes, tout le, toute la, tout l', toute l', tout, toute, chaque, chacun, chacune,
              l'ensemble des, l'ensemble de, la totalité, totalité des, sans exception, sans aucune exception,
              tout le monde, all, every, each, everyone, everybody, none, all of""",
        2: """la plupart, la majorité, la grande majorité, beaucoup, nombreux, nombreuses, de nombreux, de nombreuses,
              many, most, the majority, a majority, a lot of""",
        1: """certains, certaines, quelques, plusieurs, une partie, un certain nombre, une minorité, d'aucuns,
              some, several, a few, a number of, part of, a minority""",
    },
    FREQUENCY: {
        4: """toujours, systématiquement, constamment, invariablement, jamais, always, systematically, invariably,
              constantly, never""",
        3: """souvent, fréquemment, généralement, habituellement, régulièrement, le plus souvent, en général,
              la plupart du temps, often, usually, generally, frequently, typically, commonly, regularly, mostly""",
        2: """parfois, quelquefois, de temps en temps, occasionnellement, sometimes, occasionally""",
        1: """rarement, rarely, seldom""",
    },
    MODALITY: {
        3: """doit, doivent, devra, devront, devoir, il faut, faut, faudra, obligatoire, obligatoires, obligatoirement,
              nécessaire, nécessaires, nécessairement, nécessite, nécessitent, nécessité, indispensable,
              indispensables, exigé, exigée, exigés, exigées, exige, exigent, requis, requise, requises, impératif,
              impérative, obligé, obligée, obligés, obligées, tenu de, tenue de, tenus de, tenues de, obligation,
              obligations, must, has to, have to, had to, required, requires, require, mandatory, compulsory,
              forcément, necessary, necessarily, need to, needs to""",
        2: """devrait, devraient, faudrait, recommandé, recommandée, recommandés, recommandées, conseillé, conseillée,
              il convient, convient de, should, ought to, recommended, advised""",
        1: """peut, peuvent, pourra, pourront, pourrait, pourraient, puisse, puissent, pouvoir, possible, possibles,
              possiblement, éventuellement, envisageable, envisageables, susceptible, susceptibles, potentiellement, peut-être, facultatif,
              facultative, facultatifs, facultatives, optionnel, optionnelle, may, might, can, could, possibly,
              potentially, optional, perhaps, maybe""",
    },
    EXCLUSIVITY: {
        3: """seul, seule, seuls, seules, uniquement, exclusivement, seulement, only, solely, exclusively,
              nothing but""",
    },
    HEDGE: {
        1: """notamment, en particulier, en partie, partiellement, dans certains cas, dans certaines situations, dans certaines
              conditions, entre autres, probablement, sans doute, semble, semblent, paraît, tend à, tendent à,
              plutôt, notably, partly, in part, partially, in some cases, probably, likely, seems, seem, appears,
              tend to, tends to, among others, in particular""",
    },
}


@dataclass(frozen=True)
class CueClass:
    kind: str
    level: int


@dataclass(frozen=True)
class Cue:
    text: str  # as written
    kind: str
    level: int
    start: int
    end: int
    targets: frozenset[str]  # content stems the cue attaches to
    head: frozenset[str]  # stems of the word it bears on first: the noun after "tous", the verb after "peut"
    negated: bool  # "pas tous", "pas toujours", "ne peut pas", "not only"


_CLASSES = {f"{kind}:{level}": CueClass(kind, level) for kind, levels in _CUES.items() for level in levels}
_TABLE = PhraseTable(
    {
        phrase.strip(): f"{kind}:{level}"
        for kind, levels in _CUES.items()
        for level, phrases in levels.items()
        for phrase in phrases.split(",")
    },
    by="folded",
)
_BOUNDARY_WORDS = frozenset(
    """mais qui car tandis alors dont lorsque lorsqu' puisque puisqu' et ou or donc
    but which who whereas while because although and""".split()
)
_NEGATORS = frozenset({"pas", "not", "n't", "never", "jamais", "nullement"})
_NECESSITY_ADVERBS = frozenset({"necessairement", "forcement", "obligatoirement", "necessarily"})
_NE = frozenset({"ne", "n'"})
_PARTICLES = frozenset({"pas", "plus", "jamais", "point", "guere", "rien", "aucun", "aucune", "personne"})
_DETERMINERS = frozenset("le la les l' un une des du de d' au aux ce cet cette ces son sa ses leur leurs".split())
_NOT_TOUT = frozenset(
    """a au en de d' fait autant aussi juste comme meme d'abord particulierement simplement nouveau petit
    entier entiere long un une""".split()
)
_UNIVERSAL = CueClass(QUANTITY, 3)
_TARGETS_AFTER = 2
_TARGETS_BEFORE = 1
_NE_REACH = 6


@dataclass(frozen=True)
class _Reading:
    cues: tuple[Cue, ...]
    content: frozenset[str]


def cues(text: str) -> list[Cue]:
    """The quantifier, frequency, modality, exclusivity and hedge cues of `text`."""
    return list(_read(text).cues)


def _read(text: str) -> _Reading:
    ws = words(text)
    breaks = clause_breaks(text, ws)
    matches = [m for m in _TABLE.find(ws, breaks) if _in_sense(ws, m.first, m.last)]
    spans = [(m.first, m.last, _CLASSES[m.label]) for m in matches] + _ne_que(ws, breaks)
    cue_words = {k for first, last, _ in spans for k in range(first, last + 1)}
    found = []
    for first, last, cls in sorted(spans, key=lambda span: span[0]):
        targets, head = _targets(ws, first, last, breaks, cue_words)
        text_as_written = text[ws[first].start : ws[last].end]
        negated = _negated(ws, first, last, breaks) or (cls == _UNIVERSAL and _denied_later(ws, last, breaks))
        found.append(Cue(text_as_written, cls.kind, cls.level, ws[first].start, ws[last].end, targets, head, negated))
    content = frozenset(s for k, w in enumerate(ws) if k not in cue_words for s in content_stems(w))
    return _Reading(tuple(found), content)


def _in_sense(ws: Sequence[Word], first: int, last: int) -> bool:
    """False for the cheaply detectable other senses: "tout à fait", "le pouvoir d'agir", "le seul fait"."""
    folded = " ".join(w.folded for w in ws[first : last + 1])
    before = ws[first - 1].folded if first > 0 else ""
    after = ws[last + 1].folded if last + 1 < len(ws) else ""
    if folded in {"tout", "toute"}:
        return before not in {"avant", "en", "du", "pas", "a"} and after not in _NOT_TOUT and after != ""
    if folded in {"tous", "toutes"}:
        return before != "en"
    if folded in {"pouvoir", "devoir", "possible", "possibles"}:
        return before not in _DETERMINERS | {"plus", "que", "qu'", "si", "autant"}
    if folded in {"seul", "seule", "seuls", "seules"}:
        return after != "fait" and before != "tout" and (before in _DETERMINERS or after in _DETERMINERS or first == 0)
    if folded in {"seulement", "only"}:
        return before != "non"
    if folded in {"beaucoup"}:
        return after not in {"plus", "moins", "trop", "mieux"}
    if folded in {"nombreux", "nombreuses"}:
        return before not in {"plus", "moins", "aussi", "si", "trop", "peu"}
    if folded in {"most", "many"}:
        return before not in {"the", "how", "as", "so", "too"}
    if folded in {"all", "each", "faut"}:
        return before not in {"at", "after"} and after not in {"other", "the same"}
    if folded == "toujours":
        return after != "pas"  # "toujours pas" = still not
    return True


def _ne_que(ws: Sequence[Word], breaks: frozenset[int]) -> list[tuple[int, int, CueClass]]:
    """"ne … que" (only): the cue spans from "ne" to "que"."""
    found = []
    for i, word in enumerate(ws):
        if word.folded not in _NE:
            continue
        for j in range(i + 1, min(i + 1 + _NE_REACH, len(ws))):
            if j in breaks or ws[j].folded in _PARTICLES - {"plus"}:
                break
            if ws[j].folded in {"que", "qu'"}:
                found.append((i, j, CueClass(EXCLUSIVITY, 3)))
                break
    return found


def _targets(ws, first, last, breaks, cue_words) -> tuple[frozenset[str], frozenset[str]]:
    """Content stems near the cue, in its clause (one word before, two after), and those of its head word."""
    start, end = _clause(ws, first, breaks)
    after = [k for k in range(last + 1, end) if k not in cue_words and content_stems(ws[k])][:_TARGETS_AFTER]
    before = [k for k in range(first - 1, start - 1, -1) if k not in cue_words and content_stems(ws[k])]
    chosen = after + before[:_TARGETS_BEFORE]
    if ws[first].folded in _NE:  # "ne … que": the verb between and what follows "que"
        chosen += [k for k in range(first + 1, last) if content_stems(ws[k])]
    head = frozenset(content_stems(ws[chosen[0]])) if chosen else frozenset()
    return frozenset(s for k in chosen for s in content_stems(ws[k])), head


def _clause(ws, i, breaks) -> tuple[int, int]:
    start = i
    while start > 0 and start not in breaks and ws[start - 1].folded not in _BOUNDARY_WORDS:
        start -= 1
    end = i + 1
    while end < len(ws) and end not in breaks and ws[end].folded not in _BOUNDARY_WORDS:
        end += 1
    return start, end


def _denied_later(ws, last, breaks) -> bool:
    """"Tous les pairs ne sont pas salariés": not all of them are."""
    _, end = _clause(ws, last, breaks)
    folded = [w.folded for w in ws[last + 1 : end]]
    return any(f in _NE for f in folded) and "pas" in folded


def _negated(ws, first, last, breaks) -> bool:
    """"pas tous", "not always", "pas nécessairement", "ne peut pas", "n'est pas obligatoire"."""
    if ws[first].folded in _NE or first in breaks:
        return False
    for k in range(first - 1, max(-1, first - 3), -1):
        if ws[k].folded in _NEGATORS:
            return True
        if k in breaks:
            break
    for k in range(first - 1, max(-1, first - 4), -1):
        if ws[k].folded in _NE:
            return any(ws[j].folded in _PARTICLES for j in range(last + 1, min(len(ws), last + 3)))
        if k in breaks:
            break
    return False


# Comparison ------------------------------------------------------------------------------

_CODES = {QUANTITY: "quantifier", FREQUENCY: "frequency", MODALITY: "modality"}
# The level at which a cue says "without exception" / "necessarily".
_ABSOLUTE = {QUANTITY: 3, FREQUENCY: 4, MODALITY: 3}


def _effective_level(cue: Cue) -> int | None:
    """Level once negation is applied; None when the cue no longer compares ("ne peut pas")."""
    if not cue.negated:
        return cue.level
    if cue.kind == QUANTITY and cue.level == 3:
        return 1  # "pas tous" = some
    if cue.kind == FREQUENCY and cue.level == 4:
        return 2  # "pas toujours" = sometimes
    if cue.kind == MODALITY and fold(cue.text) in _NECESSITY_ADVERBS:
        return 1  # "pas nécessairement" = may
    return None


def _is_hedge(cue: Cue, level: int) -> bool:
    """Cues that soften a statement: "peut", "parfois", "souvent", "certains", "notamment"."""
    return (
        cue.kind == HEDGE
        or (cue.kind == MODALITY and level <= 2)
        or (cue.kind == FREQUENCY and level <= 3)
        or (cue.kind == QUANTITY and level <= 2)
    )


def _attached(cue: Cue, other_content: frozenset[str]) -> bool:
    """The other sentence repeats what the cue bears on: its head word and, if it has more, a second one.

    One shared word is not enough: "pair" in an unrelated clause would pull in the cue.
    """
    shared = cue.targets & other_content
    return bool(cue.head & shared) and len(shared) >= min(2, len(cue.targets))


def strengthened(claim: str, source: str) -> Finding | None:
    """The claim is stronger than its source on content they share; None when weaker or equal."""
    claim_reading, source_reading = _read(claim), _read(source)
    return _stronger_cue(claim_reading, source_reading) or _dropped_hedge(claim_reading, source_reading)


def _stronger_cue(claim: _Reading, source: _Reading) -> Finding | None:
    for cue in claim.cues:
        level = _effective_level(cue)
        if level is None or cue.kind == HEDGE or not _attached(cue, source.content):
            continue
        rivals = [(c, _effective_level(c)) for c in source.cues if c.kind == cue.kind and c.targets & cue.targets]
        rivals = [(c, lvl) for c, lvl in rivals if lvl is not None]
        if cue.kind == MODALITY and not rivals:
            # "exige une progression" for "la condition requise … est la progression": the
            # source's own obligation bears on another word of the same statement
            rivals = [(c, lvl) for c in source.cues if c.kind == MODALITY and (lvl := _effective_level(c)) is not None]
        source_cue, source_level = max(rivals, key=lambda r: r[1], default=(None, 0))
        source_term = source_cue.text if source_cue else ""
        if cue.kind == EXCLUSIVITY:
            if source_cue is None:
                return Finding("exclusive_added", cue.text, "", f"the claim adds '{cue.text}', absent from the source")
            continue
        absolute = level >= _ABSOLUTE[cue.kind] and source_level < level
        if absolute or (source_cue is not None and level > source_level):
            said = f"'{source_term}'" if source_cue else "nothing"
            return Finding(_CODES[cue.kind], cue.text, source_term, f"the claim says '{cue.text}' where the source says {said}")
    return None


def _dropped_hedge(claim: _Reading, source: _Reading) -> Finding | None:
    for cue in source.cues:
        level = _effective_level(cue)
        if level is None or not _is_hedge(cue, level) or not _attached(cue, claim.content):
            continue
        if any(c.targets & cue.targets for c in claim.cues if c.kind == cue.kind or _is_hedge(c, c.level)):
            continue  # kept, or changed into a cue that the first pass judges
        if any(c.kind == cue.kind and _effective_level(c) == level for c in claim.cues):
            continue  # said of the same thing in other words: "certains ont été formés" / "une partie des pairs a suivi une formation"
        return Finding("hedge_dropped", "", cue.text, f"the claim drops the source's '{cue.text}'")
    return None
