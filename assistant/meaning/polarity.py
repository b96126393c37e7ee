"""Negations and their scope, and whether a claim flips the polarity of its source.

French: ne/n' … pas/plus/jamais/rien/guère/aucun/personne/nullement/point/ni, "pas de",
"sans", "aucun", "jamais", "ni … ni", "non" + word, "non-" compounds.
English: not, n't, cannot, no, never, without, none, nobody, nothing, neither/nor.
Not negations: "ne … que" (= only), "non seulement", "pas seulement", "sans doute",
"n'importe", "pas mal", "ne serait-ce"; "ne … pas sans" / "not without" cancel out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.meaning.synonyms import word_synonyms
from assistant.meaning.words import FUNCTION_WORDS, Finding, Word, clause_breaks, content_stems, stem, words


@dataclass(frozen=True)
class Negation:
    cue: str  # as written: "n' … pas", "sans", "not"
    start: int
    end: int
    scope: frozenset[str]  # stems of the content words it negates
    head: str  # the stem it bears on first: the verb, or the noun after "pas de"


_NE = frozenset({"ne", "n'"})
_NE_PARTICLES = frozenset(
    {"pas", "plus", "jamais", "rien", "guere", "aucun", "aucune", "personne", "nullement", "aucunement", "point", "ni", "que", "qu'"}
)
_RESTRICTION = frozenset({"que", "qu'"})
_ONLY = frozenset({"seulement", "uniquement", "simplement", "que", "qu'", "only", "just", "merely", "simply"})
_CLAUSE_WORDS = frozenset(
    """mais et ou qui que qu' car donc or tandis alors lorsque lorsqu' puisque puisqu' parce quand dont cependant
    toutefois pourtant but and or which who that because whereas while although though since when""".split()
)
_CORRECTION = frozenset({"mais", "but"})
_LINKING_ADVERBS = frozenset({"donc", "alors", "toutefois", "cependant", "pourtant"})
# A negated noun phrase ("sans contrat dans les hôpitaux") stops at the next preposition.
_PREPOSITIONS = frozenset(
    """dans a au aux en pour par avec sur sous chez entre vers aupres selon depuis pendant de d' du des
    in at for by with on to from into between of among during""".split()
)
_NOUN_PAS = frozenset(
    "un le les des ce ces premier premiers petit petits grand grands du au aux faux mon son leur leurs nos vos".split()
)
_PRONOUN_CUES = frozenset({"aucun", "aucune", "personne", "rien", "nul", "nulle", "jamais"})
_STANDALONE_NOT = frozenset({"not", "n't", "cannot", "never", "none", "nobody", "nothing", "nowhere"})
_NOT_NEGATING_AFTER = {
    "sans": frozenset({"doute", "cesse", "exception", "conteste"}),
    "no": frozenset({"doubt", "more", "less"}),
    "non": frozenset({"seulement", "plus", "sans", "pas"}),
    "pas": frozenset({"mal"}),
}
# "sans aucun doute", "sans nul doute": certainly, not a double negation
_CERTAINLY = frozenset({("sans", "aucun", "doute"), ("sans", "nul", "doute"), ("without", "any", "doubt")})
_SKIP_LEADING = frozenset(FUNCTION_WORDS | {"longer", "etre", "being"})
# Words that say "not" without a negation cue: "l'absence de statut" paraphrases "pas de statut",
# "connaissent mal" the "manque de connaissances".
_IMPLICIT_NEGATORS = frozenset(
    stem(w)
    for w in """absence absent absente absents manque manquer manquent defaut refus refuse refusent refuser
    different differente differents distinct distincte distincts hors exempt depourvu depourvus impossible
    incapable incapables insuffisant insuffisante faute plutot contrairement mal lack lacks lacking absent
    different distinct unable fail fails failed instead rather unlike""".split()
)
_IMPLICIT_REACH = 3
_VERB_SCOPE_CAP = 4
_NOUN_SCOPE_CAP = 3
_NE_REACH = 6


@dataclass(frozen=True)
class _Scope:
    cue_words: tuple[int, ...]  # indexes of the cue words
    negated: tuple[int, ...]  # indexes of the negated content words, head first


def negations(text: str) -> list[Negation]:
    """The negations of `text`, in order, each with the content words it negates."""
    ws = words(text)
    return [_to_negation(ws, scope) for scope in _scopes(text, ws)]


def _to_negation(ws: Sequence[Word], scope: _Scope) -> Negation:
    first, last = ws[scope.cue_words[0]], ws[scope.cue_words[-1]]
    cue = " … ".join(ws[i].text for i in scope.cue_words)
    stems = [s for i in scope.negated for s in content_stems(ws[i])]
    return Negation(cue, first.start, last.end, frozenset(stems), stems[0])


def _scopes(text: str, ws: Sequence[Word]) -> list[_Scope]:
    breaks = clause_breaks(text, ws)
    used: set[int] = set()
    found = []
    for i, word in enumerate(ws):
        if i in used:
            continue
        scope = _scope_at(ws, i, breaks, used)
        if scope is not None and scope.negated:
            found.append(scope)
    return found


def _scope_at(ws: Sequence[Word], i: int, breaks: frozenset[int], used: set[int]) -> _Scope | None:
    folded = ws[i].folded
    after = ws[i + 1].folded if i + 1 < len(ws) else ""
    if tuple(w.folded for w in ws[i : i + 3]) in _CERTAINLY:
        used.add(i + 1)
        return None
    if folded in _NOT_NEGATING_AFTER and after in _NOT_NEGATING_AFTER[folded]:
        if after == "sans":  # "non sans": both cancel out
            used.add(i + 1)
        return None
    if folded in _NE:
        return _ne_scope(ws, i, breaks, used)
    if folded == "pas" or folded in _STANDALONE_NOT:
        return _adverb_scope(ws, i, breaks, used)
    if folded in _PRONOUN_CUES:
        return _pronoun_scope(ws, i, breaks, used)
    if folded in {"ni", "neither", "nor"}:
        return _ni_scope(ws, i, breaks, used)
    if folded in {"sans", "without", "no", "non"}:
        return _noun_phrase_scope(ws, i, breaks, used)
    if (folded in _LACK or folded in _DEPRIVED) and after in {"de", "d'"}:  # "un manque de reconnaissance": reconnaissance is denied
        return _noun_phrase_scope(ws, i + 1, breaks, used)
    if after in _DECLINED_BY.get(stem(folded), ()):  # "ont refusé de la soutenir"
        return replace(_noun_phrase_scope(ws, i + 1, breaks, used), cue_words=(i, i + 1))
    contrast = _contrast_length(ws, i)
    if contrast:  # "plutôt que X", "au lieu de X", "rather than X": X is said not to hold
        return _noun_phrase_scope(ws, i + contrast - 1, breaks, used)
    if folded.startswith("non-") and len(folded) > 4:
        return _Scope((i,), (i,))
    if folded == "loin" and after in {"de", "d'"} and i + 2 < len(ws) and _INFINITIVE.search(ws[i + 2].folded):
        return _adverb_scope(ws, i + 1, breaks, used, cue=(i, i + 1))  # "loin d'être inspirant"
    if folded in {"faux", "false"} and 0 < i and ws[i - 1].folded in {"est", "is"} and after in {"que", "qu'", "that"}:
        return _denied_clause(ws, i, breaks)  # "il est faux que le pairjectif soit…"
    return None


_INFINITIVE = re.compile(r"(?:er|ir|re|oir)$")


def _denied_clause(ws, i, breaks) -> _Scope:
    """The clause after "il est faux que": all of it is denied, past an aside that opens
    it ("il est faux que, dans le glossaire, le pairjectif soit…")."""
    start = i + 2
    if start in breaks:
        start = next((k for k in range(start + 1, len(ws)) if k in breaks), start)
    end = next((k for k in range(start + 1, len(ws)) if k in breaks), len(ws))
    return _Scope((i - 1, i, i + 1), tuple(k for k in range(start, end) if content_stems(ws[k]))[:_VERB_SCOPE_CAP])


_DEPRIVED = frozenset({"prive", "privee", "prives", "privees", "depourvu", "depourvue", "depourvus", "depourvues"})
_LACK = frozenset({"manque", "faute", "defaut", "lack"})  # "absence de" stays an implicit negator (see _implicitly_negated)
# Verbs that deny what follows their preposition: "refuser de créer" does not create.
_DECLINED_BY: dict[str, set[str]] = {}
for _verbs, _preps in (
    ("refuser refuse refusent refusee refuses refusant", {"de", "d'"}),
    ("negliger neglige negligent negligeant", {"de", "d'"}),
    ("omettre omet omettent omis omettant", {"de", "d'"}),
    ("cesser cesse cessent cessant", {"de", "d'"}),
    ("renoncer renonce renoncent renoncant", {"a", "au", "aux"}),
    ("refuse refuses refusing refused neglect neglects neglected", {"to"}),
):
    for _verb in _verbs.split():
        _DECLINED_BY.setdefault(stem(_verb), set()).update(_preps)

_CONTRASTS = (("plutot", "que"), ("plutot", "qu'"), ("au", "lieu", "de"), ("au", "lieu", "d'"), ("rather", "than"), ("instead", "of"))


def _contrast_length(ws: Sequence[Word], i: int) -> int:
    """Length of a contrast cue starting at word i (0: none)."""
    for cue in _CONTRASTS:
        if tuple(w.folded for w in ws[i : i + len(cue)]) == cue:
            return len(cue)
    return 0


def _ne_scope(ws, i, breaks, used) -> _Scope | None:
    after = ws[i + 1].folded if i + 1 < len(ws) else ""
    if after == "importe" or after.startswith("serait-ce"):
        return None
    j = _find_particle(ws, i, breaks)
    if j < 0:
        return None
    used.add(j)
    particle = ws[j].folded
    next_word = ws[j + 1].folded if j + 1 < len(ws) else ""
    if particle in _RESTRICTION or (particle == "plus" and next_word in _RESTRICTION):
        return None  # "ne … que": a restriction, not a negation
    if particle == "pas" and _merely(ws, j):
        return None  # "ne … pas seulement", "n'est pas une simple …": "not only"
    if _limited(ws, i, j):
        return None  # "ne se limite pas à X": X and more, X is not denied
    if next_word in {"sans", "without"}:
        used.add(j + 1)
        return None  # "ne … pas sans": the two cancel out
    between = [k for k in range(i + 1, j) if content_stems(ws[k])]
    end = _clause_end(ws, j, breaks, stop_at_ni=particle != "ni")
    if _double_negation(ws, j, end):
        return None
    if particle == "ni":
        used.update(k for k in range(j + 1, end) if ws[k].folded == "ni")
    following = [k for k in range(j + 1, end) if content_stems(ws[k])][:_VERB_SCOPE_CAP]
    corrected = _corrected(ws, j, end)
    if corrected is not None:
        between, following = [], [k for k in following if k > corrected]
    return _Scope((i, j), tuple(between + following))


# "n'est pas une pure et simple compilation", "not a mere compilation": not only that. A
# "simple" after an English article is left a negation: "not a simple task" says it is hard.
_MERE = {"un": {"simple", "pur"}, "une": {"simple", "pure"}, "a": {"mere"}}


def _merely(ws, j) -> bool:
    """The negation at `j` is "not only": "pas seulement", "not just", "pas une simple …"."""
    after = [w.folded for w in ws[j + 1 : j + 3]]
    if after and after[0] in _ONLY:
        return True
    return len(after) == 2 and after[1] in _MERE.get(after[0], set())


_LIMITING = frozenset(stem(w) for w in "limite limitent limiter resume resument reduit reduisent cantonne cantonnent borne bornent".split())
# Negative words whose own negation affirms: "ne rend pas impossible" says "possible".
_NEGATIVE_WORDS = frozenset(
    "impossible impossibles inutile inutiles insuffisant insuffisante insuffisants insuffisantes incapable incapables".split()
)


def _limited(ws, i, j) -> bool:
    """"ne se limite pas à", "ne se résume pas à", "ne se réduit pas à": "not only"."""
    following = ws[j + 1].folded if j + 1 < len(ws) else ""
    return following in {"a", "au", "aux"} and any(stem(ws[k].folded) in _LIMITING for k in range(i + 1, j))


_ASIDE_REACH = 12


def _double_negation(ws, start, end) -> bool:
    return any(ws[k].folded in _NEGATIVE_WORDS for k in range(start + 1, end))


def _find_particle(ws, i, breaks) -> int:
    for j in range(i + 1, min(i + 1 + _NE_REACH, len(ws))):
        if j in breaks:
            return -1
        if ws[j].folded in _NE_PARTICLES:
            return j
    return -1


def _clause_end(ws, j, breaks, stop_at_ni=True) -> int:
    for k in range(j + 1, len(ws)):
        if k == j + 1 and ws[k].folded in _LINKING_ADVERBS:
            continue  # "n'est pas donc en capacité": an adverb, not a new clause
        if ws[k].folded == "but" and ws[k - 1].folded in _FRENCH_BEFORE_BUT:
            continue  # "pas de but lucratif": the French noun, not English "but"
        if k in breaks or ws[k].folded in _CLAUSE_WORDS or (stop_at_ni and ws[k].folded in {"ni", "nor"}):
            return k
    return len(ws)


_FRENCH_BEFORE_BUT = frozenset("de d' un le du au son leur a pour sans ce mon notre votre".split())


def _corrected(ws, j, end) -> int | None:
    """In "ne sont pas formés par X mais par Y", only X is negated: the verb holds for Y.

    Returns the index of the word that the correction mirrors ("par"), or None.
    """
    if end + 1 >= len(ws) or ws[end].folded not in _CORRECTION:
        return None
    mirrored = ws[end + 1].folded
    if mirrored not in FUNCTION_WORDS:
        return None
    return next((k for k in range(j + 1, end) if ws[k].folded == mirrored), None)


def _adverb_scope(ws, i, breaks, used, cue: tuple[int, ...] | None = None) -> _Scope | None:
    """Standalone "pas" (spoken French, "pas de"), "not", "never": negates what follows."""
    folded = ws[i].folded
    next_word = ws[i + 1].folded if i + 1 < len(ws) else ""
    if folded == "pas" and i > 0 and ws[i - 1].folded in _NOUN_PAS:
        return None  # "un pas", "les premiers pas"
    if _merely(ws, i):
        return None
    if next_word in {"sans", "without"}:
        used.add(i + 1)
        return None
    end = _clause_end(ws, i, breaks)
    following = [k for k in range(i + 1, end) if content_stems(ws[k])][:_VERB_SCOPE_CAP]
    corrected = _corrected(ws, i, end)
    if corrected is not None:
        following = [k for k in following if k > corrected]
    cue = cue or ((i - 1, i) if i > 0 and ws[i - 1].folded == "non" else (i,))
    return _Scope(cue, tuple(following))


def _pronoun_scope(ws, i, breaks, used) -> _Scope | None:
    """"aucun", "jamais" alone, "personne ne", "rien ne", "nul ne"."""
    folded = ws[i].folded
    before = ws[i - 1].folded if i > 0 else ""
    end = _clause_end(ws, i, breaks)
    ne = next((k for k in range(i + 1, end) if ws[k].folded in _NE), -1)
    determiner = folded in {"nul", "nulle"} and ne > i + 1 and content_stems(ws[i + 1]) != ()
    if folded in {"personne", "rien", "nul", "nulle"} and ne != i + 1 and not determiner:
        return None  # "la personne", "pour rien"; but "nulle participation n'est requise" denies it
    if folded == "aucuns" or (folded == "jamais" and before in {"si", "que", "qu'", "a"}):
        return None  # "d'aucuns" (= some), "si jamais", "plus que jamais"
    if _double_negation(ws, i, min(len(ws), i + _ASIDE_REACH)):  # past an aside: "aucune maladie, aussi grave soit-elle, ne rend impossible"
        if ne >= 0:
            used.add(ne)
        return None  # "aucune maladie ne rend impossible une amélioration": it is always possible
    if ne >= 0:
        used.add(ne)
        # "Aucun pair n'est …": the particle after ne, if any, belongs to the same negation.
        particle = _find_particle(ws, ne, breaks)
        if particle >= 0:
            used.add(particle)
    following = [k for k in range(i + 1, end) if content_stems(ws[k])][:_VERB_SCOPE_CAP]
    return _Scope((i,) if ne < 0 else (i, ne), tuple(following))


def _ni_scope(ws, i, breaks, used) -> _Scope:
    end = _clause_end(ws, i, breaks)
    return _Scope((i,), tuple(k for k in range(i + 1, end) if content_stems(ws[k]))[:_NOUN_SCOPE_CAP])


def _noun_phrase_scope(ws, i, breaks, used) -> _Scope:
    """"sans", "without", "no", "non": negate the noun phrase or infinitive that follows."""
    end = _clause_end(ws, i, breaks)
    k = i + 1
    while k < end and ws[k].folded in _SKIP_LEADING:
        k += 1
    negated = []
    while k < end and len(negated) < _NOUN_SCOPE_CAP and ws[k].folded not in _PREPOSITIONS:
        if content_stems(ws[k]):
            negated.append(k)
        k += 1
    return _Scope((i,), tuple(negated))


# Conflict --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    ws: tuple[Word, ...]
    breaks: frozenset[int]
    scopes: tuple[_Scope, ...]
    negated_stems: frozenset[str]
    affirmed: dict[str, int]  # stem -> index of a word that affirms it
    affirmed_forms: frozenset[str]  # folded words outside any negation


def _read(text: str) -> _Reading:
    ws = words(text)
    scopes = _scopes(text, ws)
    negated_idx = {k for s in scopes for k in s.negated} | {k for s in scopes for k in s.cue_words}
    affirmed: dict[str, int] = {}
    for k, word in enumerate(ws):
        if k not in negated_idx:
            for s in content_stems(word):
                affirmed.setdefault(s, k)
    negated_stems = frozenset(s for sc in scopes for k in sc.negated for s in content_stems(ws[k]))
    forms = frozenset(w.folded for k, w in enumerate(ws) if k not in negated_idx)
    return _Reading(tuple(ws), clause_breaks(text, ws), tuple(scopes), negated_stems, affirmed, forms)


def polarity_conflict(claim: str, source: str) -> Finding | None:
    """A word negated on one side and affirmed on the other: "ne sont pas rémunérés" vs "sont rémunérés"."""
    claim_reading, source_reading = _read(claim), _read(source)
    flipped = _flip(negating=source_reading, affirming=claim_reading)
    if flipped:
        negation, word = flipped
        return Finding("polarity", word.text, negation.cue, f"the source negates '{negation.head}', the claim affirms it",
                       _shared_stem(negation, word))
    flipped = _flip(negating=claim_reading, affirming=source_reading)
    if flipped:
        negation, word = flipped
        return Finding("polarity", negation.cue, word.text, f"the claim negates '{negation.head}', the source affirms it",
                       _shared_stem(negation, word))
    return None


def _shared_stem(negation: Negation, word: Word) -> str:
    """The stem both sides use: the negated word, or what a light verb's negation falls on."""
    stems = content_stems(word)
    return negation.head if negation.head in stems or not stems else stems[0]


def _flip(negating: _Reading, affirming: _Reading) -> tuple[Negation, Word] | None:
    for scope in negating.scopes:
        negation = _to_negation(negating.ws, scope)
        at = affirming.affirmed.get(negation.head)
        if at is None and negation.head in _LIGHT_VERBS and negation.head not in affirming.negated_stems:
            at = _affirmed_predicate(negating, scope, affirming)
        if at is None or negation.head in affirming.negated_stems:
            continue
        if _implicitly_negated(affirming, at):
            continue
        said = affirming.ws[at].folded
        if said != negating.ws[scope.negated[0]].folded and said in negating.affirmed_forms:
            continue  # "en alcoolisme … sans alcool": the negating side states the very word, unnegated
        return negation, affirming.ws[at]
    return None


# Verbs whose negation falls on what follows them: "ne reposent pas sur le volontariat"
# denies the "caractère volontaire" a source affirms, whatever verb the source uses. So do the
# verbs of speaking of something: « sans aborder les attentes » denies the « attentes » a
# source names (« mais aussi les attentes »), whatever verb it names them with.
_LIGHT_VERBS = frozenset("repos fond relev constitu represent consist agit port concern vis".split()) | frozenset(
    stem(w) for w in """aborder abordent examiner examinent evoquer evoquent mentionner mentionnent traiter traitent
    discuter discutent parler parlent etudier etudient analyser analysent explorer explorent""".split())
SHARED_PREFIX = 6  # "volontariat" and "volontaire": one word family


def _affirmed_predicate(negating: _Reading, scope: _Scope, affirming: _Reading) -> int | None:
    """Where the affirming side states the word a light verb's negation falls on."""
    for k in scope.negated[1:]:
        for negated in content_stems(negating.ws[k]):
            for affirmed, at in affirming.affirmed.items():
                if _same_family(affirmed, negated):
                    return at
    return None


def _implicitly_negated(reading: _Reading, at: int) -> bool:
    """"L'absence de statut", "différents des soignants": a negation in other words, next to the word."""
    first = max([b for b in reading.breaks if b <= at] + [at - _IMPLICIT_REACH])
    last = min([b for b in reading.breaks if b > at] + [at + _IMPLICIT_REACH + 1, len(reading.ws)])
    # the word itself is not its own negation: "le manque de connaissance" is denied by "ne manquent pas"
    return any(_negates_here(reading.ws, k) for k in range(first, last) if k != at)


_UNLIKE = frozenset(stem(w) for w in "different differente differents differentes distinct distincte distincts distinctes".split())


def _negates_here(ws: Sequence[Word], k: int) -> bool:
    """An implicit negator; "différent" only as "différent de" ("différentes cartographies" are various ones)."""
    said = [s for s in content_stems(ws[k]) if s in _IMPLICIT_NEGATORS]
    if not said:
        return False
    if all(s in _UNLIKE for s in said):
        return k + 1 < len(ws) and ws[k + 1].folded in {"de", "d'", "des", "du", "from", "than"}
    return True


_QUOTATION = re.compile(r"«[^»]{1,200}»|“[^”]{1,200}”|\"[^\"]{1,200}\"")


def unstated_negation(claim: str, source: str) -> Finding | None:
    """A claim denying what its source does not mention: "n'exerce pas à l'AP-HM" against
    "médecin de santé publique, AP-HM". Nothing states or denies "exercer", so the claim
    says more than the source. A negated light verb counts by the words it bears on."""
    source_reading = _read(source)
    stated = set(source_reading.affirmed) | source_reading.negated_stems
    denied = [n.scope for n in negations(source)]
    quoted = [m.span() for m in _QUOTATION.finditer(claim)]
    for negation in negations(claim):
        if any(start <= negation.start < end for start, end in quoted):
            continue  # a quoted title or phrase (« Zéro sans solution ») is held to the passage's words by the quotation checks
        if negation.head in _LIGHT_VERBS:
            continue  # judged by what it bears on (`_affirmed_predicate`), stated or not
        if any(_denied_alike(negation, scope) for scope in denied):
            continue  # the source denies it in its own words: "ne suffit pas à garantir" / "ne garantit pas";
            # or the denied word's synonym (synonyms.py): « sans être payés » / « non rémunéré »
        if not any(_same_family(negation.head, said) for said in stated):
            return Finding("negation_unstated", negation.cue, "", f"the claim denies '{negation.head}', which the source does not state",
                           negation.head)
    return None


def _denied_alike(negation: Negation, denied: frozenset[str]) -> bool:
    """The source's denial bears on a word of the claim's, or on a synonym of its head with
    the rest of the claim's scope (« ne garantit pas l'emploi » is not « n'assure pas de
    formation »)."""
    if negation.scope & denied:
        return True
    rest = negation.scope - {negation.head}
    return bool(word_synonyms(negation.head) & denied) and rest <= denied


def _same_family(one: str, other: str) -> bool:
    return one == other or (min(len(one), len(other)) >= SHARED_PREFIX and one[:SHARED_PREFIX] == other[:SHARED_PREFIX])
