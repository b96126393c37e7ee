"""French text helpers shared by lexical retrieval and citation checking."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

import Stemmer

from ingest.pdf.words import french_words

from .general_en_fr import ENGLISH_ONLY_WORDS

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
    parmi figure figurent figurer figurait figuraient dont font egalement
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
    """The stem of a folded word. Snowball's French stemmer expects accents: folded, a feminine
    participle keeps an "e" its masculine loses ("organisee" → organise, "organise" → organis),
    so "organisée par" missed a question's "organisé". The feminine "e" goes first."""
    if len(word) > 4 and word.endswith(("ee", "ees")):
        word = word[:-2] + word[-1:] if word.endswith("s") else word[:-1]
    return _stemmer.stemWord(word)


def tokens(text: str) -> list[str]:
    """Folded, stemmed content words. An acronym keeps its letters: stemmed, "COPS" was
    "cop", the CoP of another document, "ARS" "ar" and "CRES" the "cre" of « créé » (typed
    in lower case: `typed_acronyms`)."""
    acronyms = _acronyms(text)
    return [w if w in acronyms else _stem(w) for w in _WORD.findall(_CO_PREFIX.sub("co", fold(text)))
            if w not in FRENCH_STOP_WORDS and (len(w) > 1 or w.isdigit())]


_CO_PREFIX = re.compile(r"\bco-(?=[a-z])")  # « co-construction » is the « coconstruction » of another writer

_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,5}\b")  # "COPS", "ARS", "CPTS", "H2"


def _acronyms(text: str) -> frozenset[str]:
    """Short words in capitals that are no French word ("PAIRS" in a heading is one, and is stemmed)."""
    return frozenset(w.lower() for w in _ACRONYM.findall(text) if w.lower() not in french_words())


def typed_acronyms(text: str, known: set[str] | frozenset[str]) -> list[str]:
    """The acronyms of `known` (an index's words) typed in lower case ("les cops", "l'ars"):
    `tokens` stems them, as it must any word not in capitals."""
    return [w for w in _WORD.findall(text) if w.islower() and w in _acronyms(w.upper()) and w in known]


# Number words written out, by stem: "quinze pairs-aidants" covers "15 pairs-aidants" ("neuf"
# and "ten" are left out: "new", and the stem of "tenir"). Figures are compared in meaning/figures.py.
_NUMBER_WORDS = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "dix": 10, "onze": 11, "douze": 12,
    "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60, "cent": 100, "mille": 1000,
    "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "hundred": 100, "thousand": 1000,
}
NUMBER_STEMS = {_stemmer.stemWord(word): str(value) for word, value in _NUMBER_WORDS.items()}


def as_digits(token: str) -> str:
    """A stemmed number word as its digits ("quinz" -> "15"); any other token as it is."""
    return NUMBER_STEMS.get(token, token)


MIN_MISSPELT, MISSPELT_RATIO = 6, 0.85  # a typo: a long word with nearly all its letters right


def misspelt(word: str, available: set[str]) -> bool:
    """A word typed with a slip ("retablisement", "perssonnes") for one of `available`
    (stems): long words, nearly the same letters."""
    return len(word) >= MIN_MISSPELT and any(
        len(other) >= MIN_MISSPELT and difflib.SequenceMatcher(None, word, other).ratio() >= MISSPELT_RATIO for other in available)


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


# A web address; one a PDF broke over two lines goes on with the pieces that hold a slash.
WEB_ADDRESS = re.compile(r"\S*(?:https?://|www\.)\S*(?:\s+[\w.%~-]*/[\w./%~-]*)*")


def without_addresses(text: str) -> str:
    return " ".join(WEB_ADDRESS.sub(" ", text).split())


def is_english(text: str) -> bool:
    return language(text) == "en"


# -- the language of a question or an answer ----------------------------------------------
# Words that are frequent in one language and (almost) never words of the other. Domain
# words count too: users type "peer support" or "pair-aidance" without function words.
_ENGLISH_WORDS = frozenset("""
    the of and to in is are was were what who whom whose how which does do did an for on with by be been this that these
    those it its as from or why when where there their they them can could should would will may might must about into
    than then also not no yes if so such only other some any each many much more most very between after before during
    at his her he she we you your our my me us has have had being which while because whether according stand
    peer peers health mental worker workers support supports supporter people person training trained knowledge
    experiential recovery mediator mediators patient patients partner partnership day days year years founded created
    attended cost costs free long hours three key components role roles trust trusts work working help users user
    engagement reflection place took take held meeting meetings main average salary pay paid paper report group groups
""".split()) | ENGLISH_ONLY_WORDS
_FRENCH_WORDS = frozenset("""
    le la les un une des du de et est sont qui que quoi quel quelle quels quelles comment pourquoi quand combien ou où
    ce cet cette ces il elle ils elles on nous vous je tu au aux dans par pour sur avec sans mais donc car ni ne pas
    plus moins très leur leurs son sa ses mon ma mes ton ta tes notre votre nos vos été être avoir fait faire peut
    peuvent selon entre depuis pendant chez lors aussi ainsi alors dont y en c qu est-ce qu'est-ce svp stp koi
    santé pair pairs pair-aidance pair-aidant pair-aidants aidance aidant aidants médiateur médiateurs mediateur
    savoir savoirs expérientiel expérientiels experientiel rétablissement usager usagers patient-partenaire
    partenariat formation journée accompagnement entraide soignants soins handicap personnes définition definition
""".split())
_FRENCH_LETTERS = re.compile(r"[àâçéèêëîïôûùüÿœæ]", re.I)
_FRENCH_ELISION = re.compile(r"\b(?:qu|l|d|c|j|n|s|m|t)['’]\w", re.I)


def language_evidence(text: str) -> tuple[int, int]:
    """(English, French) evidence in a text: words typical of each language; accents and
    elisions count for French; text in quotes or parentheses (a French term inside an
    English question) is ignored."""
    outside = re.sub(r"«[^»]*»|\([^)]*\)|\"[^\"]*\"", " ", text or "")
    words = re.findall(r"[\w'’-]+", outside.lower())
    english = sum(w in _ENGLISH_WORDS for w in words)
    french = sum(w in _FRENCH_WORDS or w.split("'")[0] in {"qu", "l", "d", "c"} for w in words)
    french += len(_FRENCH_LETTERS.findall(outside)) > 0
    french += len(_FRENCH_ELISION.findall(outside))
    return english, french


def language(text: str) -> str:
    """"en" or "fr": the language a question is written in (French unless the English
    evidence wins). Unlike `is_english`, "a" or "in" inside a French sentence or a French
    name inside an English question do not decide it."""
    english, french = language_evidence(text)
    return "en" if english > french else "fr"


# Chat spellings of French asking words: « c koi l'expertise d'usage » read as typed shares
# no word with the passages and embeds far from them (relevance 0.48 against 0.92 written out).
_CHAT_FORMS = {
    "c koi": "c'est quoi", "c quoi": "c'est quoi", "ckoi": "c'est quoi", "cest": "c'est",
    "koi": "quoi", "kel": "quel", "kelle": "quelle", "kels": "quels", "kelles": "quelles", "ki": "qui",
    "pk": "pourquoi", "pq": "pourquoi", "pkoi": "pourquoi", "pourkoi": "pourquoi", "cmt": "comment", "cmnt": "comment",
    "qqn": "quelqu'un", "qqch": "quelque chose", "ds": "dans", "bcp": "beaucoup",
    "tjs": "toujours", "tjrs": "toujours", "svp": "", "stp": "", "ya": "il y a",
}
_CHAT = re.compile(r"(?<![\w'’-])(" + "|".join(sorted(map(re.escape, _CHAT_FORMS), key=len, reverse=True)) + r")(?![\w'’-])",
                   re.I)


def written_out(question: str) -> str:
    """A French question with its chat spellings written out (« c koi » → « c'est quoi »)."""
    if language(question) == "en":
        return question
    return re.sub(r"\s{2,}", " ", _CHAT.sub(lambda m: _CHAT_FORMS[m.group(1).lower()], question)).strip()
