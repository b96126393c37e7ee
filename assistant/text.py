"""French text helpers shared by lexical retrieval and citation checking."""

from __future__ import annotations

import functools
import re
import unicodedata

import Stemmer

# Snowball's French list, accent-folded, plus chat filler ("c quoi", "svp").
FRENCH_STOP_WORDS = frozenset(
    """
    a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions aurons auront aux
    avaient avais avait avec avez aviez avions avons ayant ayez ayons c ce ceci cela celle celles celui cet cette
    ceux d dans de des du elle elles en es est et etaient etais etait etant ete etee etees etes etiez etions eu eue
    eues eumes eurent eus eusse eussent eusses eussiez eussions eut eutes eux fumes furent fus fusse fussent fusses
    fussiez fussions fut futes ici il ils j je l la le les leur leurs lui m ma mais me meme memes mes moi mon n ne
    nos notre nous on ont ou par pas pour qu que quel quelle quelles quels qui s sa sans se sera serai seraient
    serais serait seras serez seriez serions serons seront ses si soi soient sois soit sommes son sont soyez soyons
    suis sur t ta te tes toi ton tu un une vos votre vous y quoi est-ce comment pourquoi quand combien svp stp
    dit dire parle peut peuvent fait faire etre avoir tout tous toute toutes plus aussi donc alors ainsi
    the of and to in is are what who how which does do an for on with by be this that it as from or why when
    """.split()
)

_WORD = re.compile(r"\w+", re.UNICODE)
_stemmer = Stemmer.Stemmer("french")


def fold(text: str) -> str:
    """Lowercase and strip accents: « Médiateur » -> « mediateur »."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("œ", "oe").replace("æ", "ae")


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


def tokens(text: str) -> list[str]:
    """Folded, stemmed content words."""
    return [_stem(w) for w in _WORD.findall(fold(text)) if w not in FRENCH_STOP_WORDS and (len(w) > 1 or w.isdigit())]


def content_words(text: str) -> set[str]:
    return set(tokens(text))


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”)]*[ \t]+(?=[A-ZÀ-ÖØ-Þ«\"(\[0-9-])|\s*\n\s*")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence (or line) of `text`, surrounding spaces excluded."""
    spans, last = [], 0
    for match in list(_SENTENCE_END.finditer(text)) + [None]:
        end = match.start() if match else len(text)
        piece = text[last:end]
        if piece.strip():
            start = last + len(piece) - len(piece.lstrip())
            spans.append((start, start + len(piece.strip())))
        if match:
            last = match.end()
    return spans


def split_sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


_EN = frozenset("what who how is are the does do which why when of a an in".split())
_FR = frozenset("qu que quoi est le la les un une des du de qui comment pourquoi quels quelle".split())


def is_english(text: str) -> bool:
    words = re.findall(r"[a-zA-Z']+", text.lower())
    return sum(w in _EN for w in words) > sum(w in _FR for w in words)
