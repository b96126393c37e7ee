"""Tokenisation shared by the meaning checks: every word is kept, with its offsets.

Unlike `assistant.text.tokens`, negation words, quantifiers and articles stay, because
they are what the meaning checks look at.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import Stemmer

from assistant.text import fold


@dataclass(frozen=True)
class Word:
    text: str  # as written
    folded: str  # lowercase, accents folded, apostrophe normalised to '
    stem: str  # folded Snowball stem; compounds stemmed part by part ("pair-aid")
    start: int
    end: int


@dataclass(frozen=True)
class Finding:
    code: str  # stable reason code: "polarity", "antonym", "quantifier", ...
    claim_term: str
    source_term: str
    detail: str
    stem: str = ""  # the word (stem) the finding bears on, when there is one

    @property
    def reason(self) -> str:
        """The reason code a verdict carries: "polarity:pas", "figure:54"."""
        term = self.claim_term or self.source_term
        return f"{self.code}:{term}" if term else self.code


_ELISION = r"(?:jusqu|lorsqu|puisqu|quoiqu|presqu|qu|[cdjlmnst])['’](?=\w)"
_TOKEN = re.compile(
    rf"(?P<elision>\b{_ELISION})"
    r"|(?P<nt>(?<=\w)n['’]t\b)"
    r"|(?P<word>aujourd['’]hui|\w+?(?=n['’]t\b)|\w+(?:[-‐‑]\w+)*)",
    re.IGNORECASE,
)
_HYPHENS = re.compile(r"[‐‑]")
# Between two words: a break in the clause (punctuation, a bracket, a quote opening a new segment).
_CLAUSE_PUNCT = re.compile(r"[,;:.!?()\[\]…–—]|\s-\s|\n")
_SENTENCE_PUNCT = re.compile(r"[.!?…:]|\n")
_ABBREVIATION = re.compile(r"^(?:[A-Z]|M|Mme|Mlle|Dr|Pr|Prof|Mr|Mrs|Ms|St)$")

_stemmer = Stemmer.Stemmer("french")

# Snowball French leaves the 3rd person plural "-ent" ("forment" vs "forme"): strip it
# from any stem when enough remains, so that a verb and its participle share a stem.
_ENT_ENDING = re.compile(r"(?<=\w{4})ent$")
# Snowball stems some singulars and plurals apart ("usager" -> usag, "usagers" -> usager):
# the plural -s is dropped first.
_PLURAL_S = re.compile(r"(?<=\w{3})(?<![su])s$")


@functools.lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Folded stem of one word; hyphenated compounds are stemmed part by part."""
    parts = _HYPHENS.sub("-", word.lower()).split("-")
    return "-".join(_stem_part(p) for p in parts if p)


def _stem_part(part: str) -> str:
    irregular = _irregular(fold(part))
    if irregular:
        return irregular
    return _ENT_ENDING.sub("", fold(_stemmer.stemWord(_PLURAL_S.sub("", part))))


# Irregular verbs, whose forms Snowball stems apart ("soutient" souti, "soutenu" soutenu,
# "soutiennent" soutienn): each family's forms share one key, so that "ne soutient pas"
# meets "est soutenu par" in the polarity check. On folded forms; the key is the prefix
# (sou-, ob-, inter-…) and the verb's own key.
_IRREGULAR = tuple((re.compile(pattern), key) for pattern, key in (
    (r"(sou|ob|main|appar|con|re|ab|de|en|)(?:tien(?:s|t|nent|dra\w*)?|ten(?:u|ue|us|ues|ir|ait|aient|ant|ons|ez))", "ten"),
    (r"(de|inter|pre|par|re|con|sur|sou|ad|)(?:vien(?:s|t|nent|dra\w*)?|ven(?:u|ue|us|ues|ir|ait|aient|ant|ons|ez))", "ven"),
    (r"(com|ap|entre|sur|re|)(?:prend(?:s|re|ra\w*)?|pren(?:nent|ait|aient|ant|ons|ez)|pri(?:s|se|ses))", "prend"),
    (r"(per|trans|sou|pro|ad|re|com|e|)(?:met(?:s|tre|tent|tait|taient|tant|tons|tez|tra\w*)?|mi(?:s|se|ses))", "mett"),
    (r"(con|recon|mecon)(?:nai(?:t|tre|tra\w*)|nais(?:s|sent|sait|saient|sant|sance|sances)?|nu(?:e|s|es)?)", "n"),
    (r"(pro|con|re|intro|in|tra|de|se)(?:dui(?:t|te|ts|tes|re|sent|sait|saient|sant|ra\w*)|duis(?:ent|ait)?)", "dui"),
    (r"(e|de|ins|pres|sous|trans)(?:cri(?:t|te|ts|tes|re|vent|vait|vaient|vant|ra\w*))", "cri"),
    (r"(re|per|con|de)(?:cevoir|coi(?:t|s|vent|vait)|cu(?:e|s|es)?|cev(?:ait|aient|ant|ons|ez|ra\w*))", "cev"),
    (r"(of|souf)(?:f(?:r(?:e|es|ent|ir|ait|aient|ant|ira\w*)|ert|erte|erts|ertes))", "fr"),
    (r"(ouv|couv|decouv)(?:r(?:e|es|ent|ir|ait|aient|ant|ira\w*)|ert|erte|erts|ertes)", "r"),
    (r"()(?:vi(?:t|vre|vent|vait|vaient|vant)|vecu(?:e|s|es)?)", "viv"),
    (r"(pour|)(?:sui(?:t|s|vre|vent|vi|vie|vis|vies|vait|vaient|vant))", "suiv"),
))


def _irregular(folded: str) -> str:
    for pattern, key in _IRREGULAR:
        match = pattern.fullmatch(folded)
        if match:
            return match.group(1) + key
    return ""


def _fold_token(text: str) -> str:
    return _HYPHENS.sub("-", fold(text).replace("’", "'"))


@functools.lru_cache(maxsize=20_000)
def _words(text: str) -> tuple[Word, ...]:
    found = []
    for match in _TOKEN.finditer(text):
        written = match.group()
        folded = _fold_token(written)
        word_stem = folded if match.lastgroup != "word" else stem(written)
        found.append(Word(written, folded, word_stem, match.start(), match.end()))
    return tuple(found)


def words(text: str) -> list[Word]:
    """Every word of `text`, elisions split ("n'", "est"), hyphenated compounds kept whole."""
    return list(_words(text))


# French and English function words: articles, pronouns, prepositions, conjunctions,
# auxiliaries, negation particles, quantifiers and modals. They never count as shared content.
FUNCTION_WORDS = frozenset(
    """
    a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions aurons auront aux
    avaient avais avait avec avez aviez avions avons ayant ayez ayons c c' ce ceci cela celle celles celui cet cette
    ceux d d' dans de des du elle elles en es est et etaient etais etait etant ete etee etees etes etiez etions eu eue
    eues eumes eurent eus eut ici il ils j j' je l l' la le les leur leurs lui m m' ma mais me meme memes mes moi mon
    n n' ne nos notre nous on ont ou par pas pour qu qu' que quel quelle quelles quels qui s s' sa sans se sera serai
    seraient serais serait seras serez seriez serions serons seront ses si soi soient sois soit sommes son sont soyez
    soyons suis sur t t' ta te tes toi ton tu un une vos votre vous y ou dont car donc or ni ne point guere nullement
    plus moins tres trop peu aussi ainsi alors comme chez entre vers sous selon lors lorsque lorsqu' puisque puisqu'
    jusqu' jusqu quoique quoiqu' tandis afin cependant toutefois pourtant neanmoins egalement encore deja
    tout tous toute toutes certain certains certaine certaines quelque quelques plusieurs chaque chacun chacune
    aucun aucune aucuns nul nulle rien personne jamais toujours souvent parfois quelquefois rarement generalement
    frequemment systematiquement notamment seul seule seuls seules uniquement exclusivement seulement
    peut peuvent pouvait pouvaient pourra pourront pourrait pourraient puisse puissent pouvoir peux
    doit doivent devait devaient devra devront devrait devraient faut faudra faudrait falloir
    etre avoir fait font faire non oui
    the a an of and or but to in on at by for with from as is are was were be been being am do does did done
    have has had having not n't no nor never none this that these those it its they them their he she his her
    we our you your i me my which who whom whose what when where why how there here than then so such also
    very can could may might must shall should will would all some any each every both either neither few many
    most more less only just always often sometimes rarely usually into onto about over under between through
    """.split()
)


def is_content(word: Word) -> bool:
    """A word that carries meaning of its own (not a function word, not a lone letter)."""
    return word.folded not in FUNCTION_WORDS and len(word.folded) > 1 and any(ch.isalpha() for ch in word.folded)


def content_stems(word: Word) -> tuple[str, ...]:
    """Stems a content word contributes: compounds give each part ("pair-aidant" -> pair, aid).

    A "non-" prefix is dropped: "non-professionnel" shares "professionnel" with its positive form.
    """
    if not is_content(word):
        return ()
    parts = word.stem.split("-")
    if len(parts) > 1 and parts[0] == "non":
        parts = parts[1:]
    return tuple(p for p in parts if p and p not in FUNCTION_WORDS)


def stems_of(ws: Iterable[Word]) -> frozenset[str]:
    """All content stems of a sequence of words."""
    return frozenset(s for w in ws for s in content_stems(w))


def clause_breaks(text: str, ws: Sequence[Word]) -> frozenset[int]:
    """Indexes i such that punctuation separates ws[i-1] from ws[i] (0 is always a break)."""
    breaks = {0}
    for i in range(1, len(ws)):
        if _CLAUSE_PUNCT.search(text, ws[i - 1].end, ws[i].start):
            breaks.add(i)
    return frozenset(breaks)


def sentence_starts(text: str, ws: Sequence[Word]) -> frozenset[int]:
    """Indexes of words that open a sentence, a line or a quotation."""
    starts = {0}
    for i in range(1, len(ws)):
        gap = text[ws[i - 1].end : ws[i].start]
        if gap.strip() == "." and _ABBREVIATION.match(ws[i - 1].text):
            continue  # "E. Gardien", "Dr. Smith"
        if _SENTENCE_PUNCT.search(gap) or any(q in gap for q in "«\"“(") or gap.strip() in {"-", "*", "•"}:
            starts.add(i)
    return frozenset(starts)


# Phrases ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhraseMatch:
    first: int  # index of the first word
    last: int  # index of the last word (inclusive)
    label: str  # what the table maps the phrase to


def phrase_key(phrase: str, by: str = "stem") -> tuple[str, ...]:
    """The word sequence a phrase is matched on: stems (inflection-blind) or folded words."""
    return tuple(getattr(w, by) for w in words(phrase))


class PhraseTable:
    """Multiword phrases matched longest first, left to right, without overlap.

    `by="stem"` lets "médiateurs de santé pairs" match "médiateur de santé pair";
    `by="folded"` is for names that must not be stemmed (places).
    """

    def __init__(self, phrases: Mapping[str, str], by: str = "stem"):
        self.by = by
        self._labels: dict[tuple[str, ...], str] = {}
        for phrase, label in phrases.items():
            self._labels.setdefault(phrase_key(phrase, by), label)
        self._longest = max((len(k) for k in self._labels), default=0)

    def find(self, ws: Sequence[Word], breaks: frozenset[int] = frozenset()) -> list[PhraseMatch]:
        """Matches in ws; none spans one of `breaks` (see `clause_breaks`)."""
        keys = [getattr(w, self.by) for w in ws]
        found, i = [], 0
        while i < len(ws):
            for size in range(min(self._longest, len(ws) - i), 0, -1):
                label = self._labels.get(tuple(keys[i : i + size]))
                if label is not None and not any(k in breaks for k in range(i + 1, i + size)):
                    found.append(PhraseMatch(i, i + size - 1, label))
                    i += size
                    break
            else:
                i += 1
        return found

    def __contains__(self, phrase: str) -> bool:
        return phrase_key(phrase, self.by) in self._labels


def contains_phrase(ws: Sequence[Word], phrase: str, by: str = "folded") -> bool:
    """Whether the words contain `phrase` as a contiguous sequence ("pas de", "tandis que")."""
    return find_phrase(ws, phrase, by) >= 0


def find_phrase(ws: Sequence[Word], phrase: str, by: str = "folded", start: int = 0) -> int:
    """Index of the first word of `phrase` in ws from `start`, or -1."""
    key = phrase_key(phrase, by)
    keys = [getattr(w, by) for w in ws]
    for i in range(start, len(ws) - len(key) + 1):
        if tuple(keys[i : i + len(key)]) == key:
            return i
    return -1
