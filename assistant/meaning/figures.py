"""Figures (numbers, amounts, durations, dates, times, ordinals, references) in French and
English text, normalised so that a claim can be checked against its source sentence.

The generator paraphrases; it also changes figures. `compare_figures` says which figures of a
claim the source states (`matched`), contradicts (`changed`) or does not give (`missing`).

Choices worth knowing (see also the tests):
- Counts of people ("54 personnes", "54 participants", "54 people") are plain numbers with
  unit "": the noun is not a unit, so "54 participants" and "54 personnes" agree.
- "un/une/a/one" alone is an article, never a figure ("un an" gives nothing); only compounds
  ("un million", "une centaine", "one hundred") are numbers.
- Centuries ("XXe siècle", "20e siècle", "twentieth century") are ordinals of unit "century".
- A bare 4-digit integer from 1900 to 2099 with no unit is a year, unless a count noun
  follows ("2000 personnes").
- Numeric dates are day-first ("02/11/2005" is 2 November) unless the day-first reading is
  impossible ("11/25/2005").
- "1,500" is 1500 in English text and 1.5 in French text; "1.500" is 1500 in French text and
  1.5 in English text. Several groups ("1.500.000", "1,500,000") are always thousands.
- Section numbers at the start of a line, "(1)" list markers, citation markers "[2]", URLs,
  e-mail addresses, HTML tags and entities are noise: they give no figure.
- Legal references, "n°", pages, phone numbers and postcodes are identifiers, compared by
  their digits only.
- "14 h" is a time after "à/vers/dès/at…" or at the start of a line, otherwise a duration
  ("une formation de 14 h"); a time and a duration in hours with the same value agree.
- "du 3 au 5 juin 2021" gives two dates (3 and 5 June 2021), not a date range.
- A claim figure without a unit agrees with a source duration or count of the same value
  (the claim may say less), never with a percentage or an amount of money.
- A changed unit with the same value ("3 jours" for "3 semaines") is reported as changed,
  not missing.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass

from assistant.meaning.words import is_content, words

# ---------------------------------------------------------------------------------------------
# Public values


@dataclass(frozen=True)
class Figure:
    kind: str  # number | percent | money | duration | year | date | time | ordinal | identifier
    value: float | None  # normalised magnitude (low end of a range); None for dates/identifiers
    high: float | None  # upper bound of a range, else None
    unit: str  # "", "%", "EUR", "USD", "GBP", "h", "min", "s", "day", "week", "month", "year", "century"
    date: tuple[int | None, int | None, int | None] | None  # (year, month, day) for years and dates
    text: str  # as written in the input
    start: int
    end: int


@dataclass(frozen=True)
class FigureComparison:
    matched: tuple[tuple[Figure, Figure], ...]  # (claim figure, source figure) that agree
    changed: tuple[tuple[Figure, Figure], ...]  # (claim figure, source figure it contradicts)
    missing: tuple[Figure, ...]  # claim figures the source does not give

    @property
    def ok(self) -> bool:
        return not self.changed and not self.missing


# ---------------------------------------------------------------------------------------------
# Offset-preserving folding: the working string has the same length as the input, so every
# regex offset is an offset in the input. (assistant.text.fold may change the length.)

_SPACE_CHARS = "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008"
_CHAR_MAP = {
    **{ch: " " for ch in _SPACE_CHARS},
    **{ch: "'" for ch in "\u2019\u2018\u02bc\u00b4\u2032`"},
    **{ch: "-" for ch in "\u2010\u2011\u2012\u2013\u2014\u2212"},
    "\u00ba": "°",
}


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _CHAR_MAP:
        return _CHAR_MAP[ch]
    lowered = ch.lower()
    if len(lowered) != 1:
        return ch
    base = "".join(c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c))
    return base if len(base) == 1 else lowered


def _fold_aligned(text: str) -> str:
    if text.isascii():
        return text.lower().replace("`", "'")
    return "".join(map(_fold_char, text))


# ---------------------------------------------------------------------------------------------
# Noise: replaced by spaces before anything else looks at the text.

_NOISE = tuple(
    re.compile(pattern, flags)
    for pattern, flags in (
        (r"<(?:https?|ftp)://[^>\s]*>", 0),
        (r"(?:https?|ftp)://[^\s<>()\[\]]+|www\.[^\s<>()\[\]]+", 0),
        (r"\]\([^)\s]*\)", 0),  # markdown link target
        (r"(?<!\S)(?=[^\s/]*/[^\s/]*/)(?=\S*[a-z_])\S+", 0),  # path or URL without scheme: "uploads/2019/10/x"
        (r"</?[a-z][^<>\n]{0,300}>", 0),  # HTML tag
        (r"&#?[a-z0-9]{1,8};", 0),  # HTML entity
        (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", 0),  # e-mail
        (r"[\[【(]\s*(?:passages?|sources?|ref(?:erence)?s?\.?|doc(?:ument)?s?)\s*"
         r"\d{1,2}(?:\s*[,;-]\s*\d{1,2})*\s*[\]】)]", 0),  # "[passage 2]", "(source 1)"
        (r"(?<![\w])(?:passages?|sources?|extraits?)\s+n?°?\s*\d{1,2}(?!\d)", 0),  # "selon le passage 2"
        (r"[\[【]\^?\d{1,3}(?:\s*[,;-]\s*\d{1,3})*[\]】]", 0),  # citation / footnote marker
        (r"\(\d{1,2}\)", 0),  # "(1) l'envie" list marker
        (r"(?<!\w)[x×](?=\d{1,4}(?!\w))", 0),  # the sign of a count, "cité (x10)": ten times
        # section number or list marker at the start of a line: "3.1 -", "1)", "2.", "# 4 - Titre"
        (r"^[ \t>]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?(?:[-*+•][ \t]*)?"
         r"\d{1,2}(?:\.\d{1,2})*(?:\)|\.(?=\s)|(?=[ \t]*[-:][ \t]+[^\d\s]))", re.M),
    )
)
_LATEX_DOLLARS = re.compile(r"\$(?=[^\s\d$])([^$\n]{0,100}?)\$")  # "$n = 106$" is not money


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def _mask_noise(work: str) -> str:
    work = _LATEX_DOLLARS.sub(lambda m: " " + m.group(1) + " ", work)
    for pattern in _NOISE:
        work = pattern.sub(_blank, work)
    return work


_MASK = "\x00"  # marks text already turned into a figure


def _masked(work: str, figures: list[Figure]) -> str:
    chars = list(work)
    for figure in figures:
        chars[figure.start : figure.end] = _MASK * (figure.end - figure.start)
    return "".join(chars)


# ---------------------------------------------------------------------------------------------
# Language hint (only used to read "1,500" and "1.500")

_ENGLISH_HINTS = frozenset(
    "the of and to in is are was were with for on by from this that which between people".split()
)
_FRENCH_HINTS = frozenset(
    "le la les de des du et est sont un une dans pour par sur avec en au aux qui que ce cette entre".split()
)
_LETTERS = re.compile(r"[a-z]+")


def _looks_english(work: str) -> bool:
    words = _LETTERS.findall(work)
    return sum(w in _ENGLISH_HINTS for w in words) > sum(w in _FRENCH_HINTS for w in words)


def _figure(text: str, kind: str, start: int, end: int, *, value: float | None = None,
            high: float | None = None, unit: str = "", date=None) -> Figure:
    return Figure(kind, value, high, unit, date, text[start:end], start, end)


def _year_figure(text: str, start: int, end: int, year: int, last_year: int | None = None) -> Figure:
    high = float(last_year) if last_year is not None else None
    return _figure(text, "year", start, end, value=float(year), high=high, date=(year, None, None))


# ---------------------------------------------------------------------------------------------
# Identifiers: references that look like numbers


_IDENTIFIERS = tuple(
    re.compile(p)
    for p in (
        r"(?<![\w])(?:n\s?°|no\.?|numero|num\.)\s*\d+(?:[./-]\d+)*",
        r"(?<![\w])(?:art\.?|articles?)\s*(?:[lrd]\.?\s*)?\d+(?:[./-]\d+)*",
        r"(?<![\w])(?:isbn|issn|doi)(?:-1[03])?[\s:]*[\dx][\dx./-]*",
        r"(?<![\w])(?:pp?\.|pages?)\s*\d+(?:\s?-\s?\d+)?",
        r"(?<![\w+])(?:\+33\s?(?:\(0\)\s?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)",
        r"(?<![\w])\+\d{1,3}(?:[\s.-]?\d{2,4}){2,5}(?!\d)",
    )
)
_CODE_ARTICLE = re.compile(r"(?<![\w])[lrd]\.?\s?\d{1,4}(?:-\d+)+")  # "L. 1114-1", "L114-3"
_POSTCODE = re.compile(r"(?<![\w.,])\d{5}(?=\s+[a-z])")


def _identifiers(text: str, work: str, english: bool) -> list[Figure]:
    found: list[Figure] = []
    for pattern in _IDENTIFIERS:
        for m in pattern.finditer(work):
            if not _overlaps(m.span(), found):
                found.append(_figure(text, "identifier", *m.span()))
    for m in _CODE_ARTICLE.finditer(work):
        if text[m.start()].isupper() and not _overlaps(m.span(), found):
            found.append(_figure(text, "identifier", *m.span()))
    for m in _POSTCODE.finditer(work):
        if text[m.end():].lstrip()[:1].isupper() and not _overlaps(m.span(), found):
            found.append(_figure(text, "identifier", *m.span()))
    return found


def _overlaps(span: tuple[int, int], figures: list[Figure]) -> bool:
    return any(span[0] < f.end and f.start < span[1] for f in figures)


# ---------------------------------------------------------------------------------------------
# Dates

_FRENCH_MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}
_ENGLISH_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
_ABBREVIATED_MONTHS = {
    "janv": 1, "jan": 1, "fevr": 2, "fev": 2, "feb": 2, "mar": 3, "avr": 4, "apr": 4, "jun": 6,
    "juil": 7, "jul": 7, "aug": 8, "sept": 9, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTHS = {**_ABBREVIATED_MONTHS, **_ENGLISH_MONTHS, **_FRENCH_MONTHS}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ENGLISH_MONTH_NAMES = "|".join(sorted({**_ENGLISH_MONTHS, **_ABBREVIATED_MONTHS}, key=len, reverse=True))
_DAY = r"(?P<day>[0-3]?\d|1\s?er|premier)(?:st|nd|rd|th)?"

_NUMERIC_DATES = tuple(
    re.compile(p)
    for p in (
        r"(?<![\w.,/-])(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\w/-]|[.,]\d)",
        r"(?<![\w.,/-])(?P<day>\d{1,2})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})(?![\w/-]|[.,]\d)",
        r"(?<![\w.,/-])(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{2})(?![\w/-]|[.,]\d)",
        r"(?<![\w.,/-])(?P<month>\d{1,2})/(?P<year>\d{4})(?![\w/-]|[.,]\d)",
    )
)
_WRITTEN_DATES = (
    re.compile(
        rf"(?<![\w])(?P<month>{_ENGLISH_MONTH_NAMES})\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
        rf"(?:,?\s+(?P<year>\d{{4}}))?(?![\w])"
    ),
    re.compile(rf"(?<![\w])(?:{_DAY}\s+(?:of\s+)?)?(?P<month>{_MONTH_NAMES})\.?(?:,?\s+(?P<year>\d{{4}}))?(?![\w])"),
)


def _numeric_dates(text: str, work: str, english: bool) -> list[Figure]:
    found: list[Figure] = []
    for pattern in _NUMERIC_DATES:
        for m in pattern.finditer(work):
            parts = m.groupdict()
            date = _valid_date(_two_digit_year(parts["year"]), int(parts["month"]), _int_or_none(parts.get("day")))
            if date is None and parts.get("day"):  # month-first (US) reading when day-first is impossible
                date = _valid_date(_two_digit_year(parts["year"]), int(parts["day"]), int(parts["month"]))
            if date and not _overlaps(m.span(), found):
                found.append(_figure(text, "date", *m.span(), date=date))
    return found


# The first day of "du 3 au 5 juin 2021", "entre le 3 et le 5 juin", "3-5 juin": same month and year.
_FIRST_DAY_BEFORE = re.compile(r"(?<![\w.,])(?P<day>[0-3]?\d)(?:\s?er)?\s*(?:au|a|-|et|to|and|&)\s*(?:le\s+)?$")


def _written_dates(text: str, work: str, english: bool) -> list[Figure]:
    found: list[Figure] = []
    for pattern in _WRITTEN_DATES:
        for m in pattern.finditer(work):
            date = _written_date(text, m)
            if date and not _overlaps(m.span(), found):
                found += _first_day_of_range(text, work, m.start(), date) + [_figure(text, "date", *m.span(), date=date)]
    return found


def _first_day_of_range(text: str, work: str, start: int, date: tuple[int | None, int | None, int | None]) -> list[Figure]:
    before = _FIRST_DAY_BEFORE.search(work, max(0, start - 16), start)
    if date[2] is None or before is None or not 1 <= int(before.group("day")) < date[2]:
        return []
    return [_figure(text, "date", *before.span("day"), date=(date[0], date[1], int(before.group("day"))))]


def _written_date(text: str, m: re.Match) -> tuple[int | None, int | None, int | None] | None:
    month_word = m.group("month")
    day_text, year_text = m.group("day"), m.group("year")
    if month_word not in _FRENCH_MONTHS and not text[m.start("month")].isupper():
        return None  # "may", "march", "sept" are months only when capitalised (English) or French
    if not day_text and not year_text and not _bare_month(text, m):
        return None
    return _valid_date(_int_or_none(year_text), _MONTHS[month_word], _day_number(day_text))


def _day_number(day_text: str | None) -> int | None:
    if not day_text:
        return None
    digits = re.match(r"\d+", day_text)
    return int(digits.group()) if digits else 1  # "premier"


def _bare_month(text: str, m: re.Match) -> bool:
    """A month alone counts only as a lowercase French month name in running text: "en juin"."""
    before = text[m.start() - 1] if m.start() else " "
    return m.group("month") in _FRENCH_MONTHS and text[m.start("month")].islower() and before not in "-/_"


def _valid_date(year: int | None, month: int, day: int | None) -> tuple[int | None, int | None, int | None] | None:
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    if year is not None and not 1000 <= year <= 2999:
        return None
    return (year, month, day)


def _two_digit_year(year: str) -> int:
    value = int(year)
    if len(year) == 2:
        return 2000 + value if value < 50 else 1900 + value
    return value


def _int_or_none(digits: str | None) -> int | None:
    return int(digits) if digits else None


_DECADE_WORDS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "soixante-dix": 70,
                 "quatre-vingt": 80, "quatre-vingts": 80, "quatre-vingt-dix": 90}
_DECADES = (
    re.compile(r"(?<![\w])annees\s+(?P<year>\d{2}|\d{4})(?![\w])"),
    # « les années trente »: the 1930s
    re.compile(r"(?<![\w])annees\s+(?P<word>quatre-vingt-dix|quatre-vingts?|soixante-dix|soixante|cinquante|quarante|trente|vingt)(?![\w-])"),
    re.compile(r"(?<![\w'])(?P<year>\d{4})'?s(?![\w])"),
    re.compile(r"(?<![\w])(?:the\s+|')(?P<year>\d{2})'?s(?![\w])"),
)


def _decades(text: str, work: str, english: bool) -> list[Figure]:
    found: list[Figure] = []
    for pattern in _DECADES:
        for m in pattern.finditer(work):
            year = _DECADE_WORDS[m.group("word")] if "word" in pattern.groupindex else int(m.group("year"))
            year = year + 1900 if year < 100 else year
            if year % 10 == 0 and not _overlaps(m.span(), found):
                found.append(_year_figure(text, *m.span(), year, year + 9))
    return found


# ---------------------------------------------------------------------------------------------
# Times of day

_HOUR = r"(?P<hour>[01]?\d|2[0-4])"
_AM_PM = r"(?P<ampm>a\.?m\.?|p\.?m\.?)(?![a-z])"
_TIMES = tuple(
    re.compile(p, re.M)
    for p in (
        rf"(?<![\w.,:]){_HOUR}\s?h\s?(?P<minute>[0-5]\d)(?![\w])",
        rf"(?<![\w.,:]){_HOUR}:(?P<minute>[0-5]\d)(?![\w:])(?:\s?{_AM_PM})?",
        rf"(?<![\w.,:]){_HOUR}\s?{_AM_PM}",
        # "à 14 h", "vers 9 heures", or an agenda line starting "14 h": otherwise "14 h" is a duration
        rf"(?:(?<![\w])(?:a|vers|des|jusqu'a|avant|apres|at|by|until|till)\s+|^[ \t]*){_HOUR}\s?(?:h|heures?)(?![\w])",
    )
)


def _times(text: str, work: str, english: bool) -> list[Figure]:
    found: list[Figure] = []
    for pattern in _TIMES:
        for m in pattern.finditer(work):
            span = (m.start("hour"), m.end())
            if not _overlaps(span, found):
                found.append(_figure(text, "time", *span, value=_clock_value(m)))
    return found


def _clock_value(m: re.Match) -> float:
    hour = int(m.group("hour"))
    minute = int(m.groupdict().get("minute") or 0)
    ampm = (m.groupdict().get("ampm") or "")[:1]
    if ampm == "p" and hour < 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    return hour + minute / 60


# ---------------------------------------------------------------------------------------------
# Centuries in roman numerals: "XXe siècle", "XIXème siècle"

_CENTURY_WORD = r"(?:siecles?|s\.|century|centuries)(?![a-z])"
_ROMAN_CENTURY = re.compile(rf"(?<![\w])(?P<roman>[ivxlc]{{1,7}})\s?(?:e|eme|ieme|er|th|st|nd|rd)?\s+{_CENTURY_WORD}")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def _centuries(text: str, work: str, english: bool) -> list[Figure]:
    found: list[Figure] = []
    for m in _ROMAN_CENTURY.finditer(work):
        if text[m.start("roman"):m.end("roman")].isupper():
            found.append(_figure(text, "ordinal", *m.span(), value=float(_roman(m.group("roman"))), unit="century"))
    return found


def _roman(numeral: str) -> int:
    values = [_ROMAN_VALUES[ch] for ch in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


# ---------------------------------------------------------------------------------------------
# Numbers written in words


@dataclass(frozen=True)
class _NumberWord:
    role: str  # small | one | hundred | scale | approx | zero
    value: float
    ordinal: bool = False


def _number_words() -> dict[str, _NumberWord]:
    french = {
        "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
        "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
        "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
        "septante": 70, "huitante": 80, "octante": 80, "nonante": 90, "quatre-vingt": 80,
    }
    english = {
        "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
        "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    }
    words = {w: _NumberWord("small", v) for w, v in {**french, **english}.items()}
    words.update({w: _NumberWord("small", v, True) for w, v in _french_ordinals(french).items()})
    words.update({w: _NumberWord("small", v, True) for w, v in _english_ordinals(english).items()})
    words.update({"quatre-vingts": _NumberWord("small", 80), "zero": _NumberWord("zero", 0)})
    words.update({w: _NumberWord("one", 1) for w in ("un", "une", "one", "a")})
    words.update({"unieme": _NumberWord("one", 1, True)})
    words.update({w: _NumberWord("hundred", 100) for w in ("cent", "cents", "hundred")})
    words.update({w: _NumberWord("hundred", 100, True) for w in ("centieme", "hundredth")})
    scales = {"mille": 1e3, "thousand": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9,
              "milliards": 1e9, "billion": 1e9, "billions": 1e9}
    words.update({w: _NumberWord("scale", v) for w, v in scales.items()})
    scale_ordinals = {"millieme": 1e3, "thousandth": 1e3, "millionieme": 1e6, "millionth": 1e6}
    words.update({w: _NumberWord("scale", v, True) for w, v in scale_ordinals.items()})
    approx = {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
              "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000}
    words.update({w + plural: _NumberWord("approx", v) for w, v in approx.items() for plural in ("", "s")})
    words.update({"dozen": _NumberWord("approx", 12), "dozens": _NumberWord("approx", 12)})
    return words


def _french_ordinals(cardinals: dict[str, int]) -> dict[str, int]:
    special = {"cinq": "cinquieme", "neuf": "neuvieme"}
    ordinals = {special.get(w) or w.rstrip("e") + "ieme": v for w, v in cardinals.items()}
    ordinals.update({w: 1 for w in ("premier", "premiere", "premiers", "premieres")})
    ordinals.update({"second": 2, "seconde": 2})
    return ordinals


def _english_ordinals(cardinals: dict[str, int]) -> dict[str, int]:
    irregular = {"two": "second", "three": "third", "five": "fifth", "eight": "eighth", "nine": "ninth",
                 "twelve": "twelfth"}
    ordinals = {irregular.get(w) or (w[:-1] + "ieth" if w.endswith("y") else w + "th"): v for w, v in cardinals.items()}
    return {**ordinals, "first": 1}


_WORDS = _number_words()
_WORD_ALTERNATION = "|".join(re.escape(w).replace(r"\-", r"[\s-]") for w in sorted(_WORDS, key=len, reverse=True))
_WORD_TOKEN = re.compile(rf"\b(?:{_WORD_ALTERNATION}|et|and)\b")
_WORD_RUN = rf"\b(?:{_WORD_ALTERNATION})\b(?:(?:\s+|-)(?:(?:et|and)(?:\s+|-))?(?:{_WORD_ALTERNATION})\b)*"


@dataclass
class _WordNumber:
    """A number being read from words (mutable while it is built)."""

    start: int
    end: int
    total: float = 0
    current: float = 0
    last_scale: float = math.inf
    ordinal: bool = False
    scaled: bool = False  # a scale or approximation word: "millions d'euros", "quinzaine de jours"
    closed: bool = False

    @property
    def value(self) -> float:
        return self.total + self.current


@dataclass(frozen=True)
class _Token:
    word: str
    start: int
    end: int


def _word_tokens(work: str, start: int, end: int) -> list[_Token]:
    return [_Token(re.sub(r"[\s-]+", "-", m.group(0)), m.start(), m.end()) for m in _WORD_TOKEN.finditer(work, start, end)]


def _read_word_numbers(tokens: list[_Token]) -> list[_WordNumber]:
    """Split a run of number words into numbers: "deux et trois" is two numbers, "vingt et un" one."""
    numbers: list[_WordNumber] = []
    building: _WordNumber | None = None
    for i, token in enumerate(tokens):
        following = tokens[i + 1].word if i + 1 < len(tokens) else None
        if building is not None and token.word in ("et", "and") and _joiner_fits(token.word, building, following):
            continue
        if building is not None and token.word not in ("et", "and") and not building.closed and _extended(building, token):
            continue
        if building is not None:
            numbers.append(building)
        building = None if token.word in ("et", "and") else _started(token, following)
    if building is not None:
        numbers.append(building)
    return numbers


def _started(token: _Token, following: str | None) -> _WordNumber | None:
    word = _WORDS[token.word]
    number = _WordNumber(token.start, token.end, ordinal=word.ordinal, closed=word.ordinal)
    if word.role == "one":
        follower = _WORDS.get(following or "")
        if word.ordinal or not follower or follower.role not in ("hundred", "scale", "approx"):
            return None  # an article, not a figure
        number.current = 1
    elif word.role == "scale":
        if token.word != "mille":
            return None  # "millions de", "des milliers": no count given
        number.total, number.last_scale = 1000, 1000
    elif word.role == "hundred":
        if token.word not in ("cent", "centieme"):
            return None
        number.current = 100
    elif word.role == "approx":
        return None
    elif word.role == "zero":
        number.closed = True
    else:
        number.current = word.value
    return number


def _extended(number: _WordNumber, token: _Token) -> bool:
    word = _WORDS[token.word]
    if word.role in ("small", "one"):
        if token.word == "a" or not _small_fits(number.current, word.value):
            return False
        number.current += word.value
    elif word.role == "hundred":
        if number.current >= 100:
            return False
        number.current = max(number.current, 1) * 100
    elif word.role in ("scale", "approx"):
        if word.value >= number.last_scale or number.current == 0:
            return False
        number.total += number.current * word.value
        number.current, number.last_scale = 0, word.value
        number.scaled = number.scaled or word.value >= 1e6 or word.role == "approx"
        number.closed = word.role == "approx"
    else:
        return False
    number.end = token.end
    number.ordinal = word.ordinal
    number.closed = number.closed or word.ordinal
    return True


def _small_fits(current: float, value: float) -> bool:
    """Whether a word under 100 can continue the number read so far (vingt-cinq, dix-sept...)."""
    tail = current % 100
    if tail == 0:
        return True
    if tail >= 20 and tail % 10 == 0 and value < 10:
        return True
    if tail in (60, 80) and 10 <= value < 20:  # soixante-douze, quatre-vingt-dix
        return True
    return tail == 10 and 7 <= value <= 9  # dix-sept


def _joiner_fits(joiner: str, number: _WordNumber, following: str | None) -> bool:
    if following is None or number.closed:
        return False
    if joiner == "et":  # vingt et un, soixante et onze
        return number.current % 100 in (20, 30, 40, 50, 60) and following in ("un", "une", "onze", "unieme", "onzieme")
    word = _WORDS.get(following)
    return number.current % 100 == 0 and number.value > 0 and word is not None and word.role == "small"


# ---------------------------------------------------------------------------------------------
# Quantities: digits or words, with scale, unit or currency

_DIGITS = r"\d{1,3}(?: \d{3})+(?:,\d+)?(?!\d)|\d+(?:[.,]\d+)*"
_NUMBER_START = re.compile(rf"(?<![^\W_])(?<![.,{_MASK}])(?P<digits>{_DIGITS})|(?P<words>{_WORD_RUN})")

_ORDINAL_SUFFIX = re.compile(r"(?:(?:ere|er|re|eme|ieme|e|nde|nd|de|st|rd|th)s?|[ \t\n](?:er|ere|eme|ieme)s?)(?![a-z])")
_CENTURY_AFTER = re.compile(rf"\s*{_CENTURY_WORD}")

_SCALE_FACTORS = {"k": 1e3, "mille": 1e3, "milliers": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6,
                  "millions": 1e6, "md": 1e9, "mds": 1e9, "mrd": 1e9, "mrds": 1e9, "b": 1e9, "bn": 1e9,
                  "milliard": 1e9, "milliards": 1e9, "billion": 1e9, "billions": 1e9, "trillion": 1e12}
_SCALE_BEFORE_SYMBOL = re.compile(r"\s?(?P<scale>mrds|mrd|mds|md|mn|m|k|bn)(?=\s?(?:€|\$|£|eur\b|usd\b))")
_SCALE_WORD = re.compile(r"\s+(?P<scale>millions?|milliards?|mille|milliers|thousand|billions?|trillion|bn)(?![a-z])")
_SCALE_AFTER_CURRENCY = re.compile(r"\s?(?P<scale>millions?|billions?|thousand|mn|bn|m|k|b)(?![a-z])")
_CURRENCY_BEFORE = re.compile(r"(?:(?<![a-z])(?:eur|usd)|us\$|€|\$|£)\s?$")

_UNITS = {  # group name -> (kind, unit, pattern)
    "percent": ("percent", "%", r"%|pour\s?cents?|pourcents?|percent|per\s?cent|pct"),
    "eur": ("money", "EUR", r"€|euros?|eur"),
    "usd": ("money", "USD", r"us\$|\$|dollars?|usd"),
    "gbp": ("money", "GBP", r"£|livres?\s+sterling|gbp|pounds?"),
    "hour": ("duration", "h", r"h|hrs?|heures?|hours?"),
    "minute": ("duration", "min", r"min|mn|minutes?"),
    "second": ("duration", "s", r"sec|secondes?|seconds?"),
    "day": ("duration", "day", r"j|jours?|journees?|days?"),
    "week": ("duration", "week", r"sem|semaines?|weeks?|wk"),
    "month": ("duration", "month", r"mois|months?"),
    "year": ("duration", "year", r"ans?|annees?|years?|yrs?"),
    "km": ("number", "km", r"km"),
    "kg": ("number", "kg", r"kg"),
}
_UNIT_AFTER = re.compile(
    r"\s*(?P<of>d'|de\s+|of\s+)?(?:" + "|".join(f"(?P<{name}>{p})" for name, (_, _, p) in _UNITS.items()) + r")(?!['a-z])"
)
_CURRENCY_UNITS = {"€": "EUR", "eur": "EUR", "$": "USD", "us$": "USD", "usd": "USD", "£": "GBP"}
# A 4-digit number followed by one of these counts things: "2000 personnes" is not a year.
_COUNT_NOUN_AFTER = re.compile(
    r"\s+(?:personnes?|participants?|participantes?|patients?|patientes?|usagers?|people|persons?|membres?|"
    r"members?|adherents?|benevoles?|volunteers?|salaries?|professionnels?|pairs?|places?|postes?|"
    r"structures?|etablissements?|associations?|familles?|families|enfants?|children|jeunes|femmes|hommes|"
    r"habitants?|lits?|beds?|repondants?|respondents?|entretiens?|interviews?|dossiers?|cas|cases|fois|times)\b"
)
_NEW_AS_ADJECTIVE = re.compile(r"(?:\bde|\bdu|\btout|\ba|\bremise?s?|\brefaite?s?|\bflambant)\s+$")
_PERCENT_BEFORE = re.compile(r"(?:pour|per)\s+$")
_PLURAL_NOUN_AFTER = re.compile(r"\s+\w+[sx]\b")


@dataclass(frozen=True)
class _Found:
    """A figure with the scale its text applied, so "de 3 à 5 millions" can scale the 3."""

    figure: Figure
    scale: float = 1.0
    plain_integer: bool = False  # digits only: "2002-303" can become an identifier


@dataclass
class _Reading:
    """A quantity being read: where it is, its magnitude, and what follows it."""

    start: int
    end: int
    value: float
    scale: float = 1.0
    scaled_word: bool = False
    currency: str = ""
    kind: str = "number"
    unit: str = ""


def _quantities(text: str, work: str, english: bool) -> list[_Found]:
    found: list[_Found] = []
    position = 0
    while (m := _NUMBER_START.search(work, position)) is not None:
        if m.group("digits"):
            item, position = _digit_quantity(text, work, m, english)
            found += [item] if item else []
        else:
            items = _word_quantities(text, work, m)
            found += items
            position = max([m.end()] + [i.figure.end for i in items])
    return found


def _digit_quantity(text: str, work: str, m: re.Match, english: bool) -> tuple[_Found | None, int]:
    start, end = m.span("digits")
    raw = m.group("digits")
    if _part_of_code(text, start):
        return None, _word_end(work, end)
    reading = _Reading(start, end, 0.0)
    _read_currency_before(work, reading)
    value = _parse_digits(raw, english or bool(reading.currency))  # "€1,500", "$7.8": English typography
    if value is None:
        return _Found(_figure(text, "identifier", start, end)), end
    if raw.isdigit() and not reading.currency and (ordinal := _ORDINAL_SUFFIX.match(work, end)):
        return _Found(_ordinal(text, work, start, ordinal.end(), value)), ordinal.end()
    reading.value = value
    _read_scale(work, reading)
    _read_unit(work, reading)
    if reading.end == end and end < len(work) and work[end].isalpha():
        return None, _word_end(work, end)  # glued to letters: "4P", "3D", "CI3P"
    if _minutes_mark(work, reading, raw):
        reading.kind, reading.unit, reading.end = "duration", "min", end + 1
    if _is_year(work, reading, raw):
        return _Found(_year_figure(text, start, end, int(raw)), plain_integer=True), end
    return _Found(_reading_figure(text, reading), reading.scale, raw.isdigit()), reading.end


def _word_quantities(text: str, work: str, m: re.Match) -> list[_Found]:
    tokens = _word_tokens(work, *m.span("words"))
    if tokens and tokens[0].word in ("cent", "cents") and _preceded_by(_PERCENT_BEFORE, work, tokens[0].start):
        tokens = tokens[1:]  # the "cent" of "pour cent" with no number before it
    found: list[_Found] = []
    for number in _read_word_numbers(tokens):
        if number.ordinal:
            found.append(_Found(_ordinal(text, work, number.start, number.end, float(number.value))))
            continue
        if work[number.start:number.end] == "neuf" and _preceded_by(_NEW_AS_ADJECTIVE, work, number.start) \
                and not _PLURAL_NOUN_AFTER.match(work, number.end):
            continue  # "à neuf", "tout neuf": new, not nine ("de neuf communes" is nine)
        reading = _Reading(number.start, number.end, number.value, scaled_word=number.scaled)
        _read_unit(work, reading)
        scale = number.last_scale if math.isfinite(number.last_scale) else 1.0
        found.append(_Found(_reading_figure(text, reading), scale))
    return found


def _preceded_by(pattern: re.Pattern, work: str, position: int) -> bool:
    return pattern.search(work, max(0, position - 12), position) is not None


def _part_of_code(text: str, start: int) -> bool:
    """Digits after an uppercase word and a hyphen: "COVID-19", "SARS-CoV-2"."""
    return start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha() and text[start - 2].isupper()


def _word_end(work: str, position: int) -> int:
    while position < len(work) and work[position].isalnum():
        position += 1
    return position


def _parse_digits(raw: str, english: bool) -> float | None:
    """1 500 / 1.500 / 1,500 / 3,5 / 3.5 / 1,500.25 / 1.500,25 -> float; None when not a number."""
    if " " in raw:
        return float(raw.replace(" ", "").replace(",", "."))
    commas, dots = raw.count(","), raw.count(".")
    if not commas and not dots:
        return float(raw)
    if commas and dots:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        grouping = "." if decimal == "," else ","
        whole, _, fraction = raw.rpartition(decimal)
        if raw.count(decimal) > 1 or not _grouped(whole, grouping):
            return None
        return float(whole.replace(grouping, "") + "." + fraction)
    separator = "," if commas else "."
    parts = raw.split(separator)
    if len(parts) > 2:
        return float("".join(parts)) if _grouped(raw, separator) else None
    whole, fraction = parts
    thousands_language = english if separator == "," else not english
    if thousands_language and len(fraction) == 3 and _grouped(raw, separator) and whole != "0":
        return float(whole + fraction)
    return float(whole + "." + fraction)


def _grouped(number: str, separator: str) -> bool:
    head, *groups = number.split(separator)
    return 1 <= len(head) <= 3 and all(len(group) == 3 for group in groups)


def _read_currency_before(work: str, reading: _Reading) -> None:
    m = _CURRENCY_BEFORE.search(work, max(0, reading.start - 5), reading.start)
    if m:
        reading.currency = _CURRENCY_UNITS[m.group(0).strip()]
        reading.start = m.start()


def _read_scale(work: str, reading: _Reading) -> None:
    pattern_order = (_SCALE_AFTER_CURRENCY,) if reading.currency else (_SCALE_BEFORE_SYMBOL, _SCALE_WORD)
    for pattern in pattern_order:
        if m := pattern.match(work, reading.end):
            reading.scale = _SCALE_FACTORS[m.group("scale")]
            reading.value *= reading.scale
            reading.scaled_word = reading.scale >= 1e6 or m.group("scale") == "milliers"
            reading.end = m.end()
            return


def _read_unit(work: str, reading: _Reading) -> None:
    m = _UNIT_AFTER.match(work, reading.end)
    of_allowed = m is not None and (not m.group("of") or reading.scaled_word)  # "millions d'euros", not "3 de jours"
    if of_allowed and not (reading.currency and _UNITS[m.lastgroup][0] != "money"):
        reading.kind, reading.unit, _ = _UNITS[m.lastgroup]
        reading.end = m.end()
    elif reading.currency:
        reading.kind, reading.unit = "money", reading.currency


def _minutes_mark(work: str, reading: _Reading, raw: str) -> bool:
    """"10'" in an agenda is ten minutes."""
    end = reading.end
    return (reading.kind == "number" and raw.isdigit() and int(raw) < 600 and end < len(work) and work[end] == "'"
            and not work[end + 1:end + 2].isalpha())


def _is_year(work: str, reading: _Reading, raw: str) -> bool:
    return (reading.kind == "number" and reading.scale == 1 and len(raw) == 4 and raw.isdigit()
            and 1900 <= int(raw) <= 2099 and not _COUNT_NOUN_AFTER.match(work, reading.end))


def _ordinal(text: str, work: str, start: int, end: int, value: float) -> Figure:
    century = _CENTURY_AFTER.match(work, end)
    end = century.end() if century else end
    return _figure(text, "ordinal", start, end, value=value, unit="century" if century else "")


def _reading_figure(text: str, reading: _Reading) -> Figure:
    return _figure(text, reading.kind, reading.start, reading.end, value=float(reading.value), unit=reading.unit)


# ---------------------------------------------------------------------------------------------
# Ranges: "de 3 à 5", "entre 3 et 5", "3-5 ans", "from 3 to 5", "2019-2021"

_RANGE_GAP = re.compile(r"\s?-\s?|\s+(?:a|au|to|till|until|jusqu'a|jusqu'au)\s+|\s+(?P<both>et|and)\s+")
_RANGE_OPENER = re.compile(r"(?:entre|between)\s+$")
_HYPHENATED_INTEGERS = re.compile(r"\d+-\d+")


def _merge_ranges(text: str, plain: str, found: list[_Found]) -> list[Figure]:
    figures: list[Figure] = []
    i = 0
    while i < len(found):
        joined = _joined(text, plain, found[i], found[i + 1]) if i + 1 < len(found) else None
        figures.append(joined or found[i].figure)
        i += 2 if joined else 1
    return figures


def _joined(text: str, plain: str, low: _Found, high: _Found) -> Figure | None:
    a, b = low.figure, high.figure
    gap = _RANGE_GAP.fullmatch(plain, a.end, b.start)
    if not gap or gap.group("both") and not _RANGE_OPENER.search(plain, max(0, a.start - 12), a.start):
        return None
    hyphenated = low.plain_integer and high.plain_integer and _HYPHENATED_INTEGERS.fullmatch(text, a.start, b.end)
    if hyphenated and a.value >= b.value:
        return _figure(text, "identifier", a.start, b.end)  # "2002-303", "755-60"
    return _range(text, low, high)


def _range(text: str, low: _Found, high: _Found) -> Figure | None:
    a, b = low.figure, high.figure
    if a.value is None or b.value is None or a.high is not None or b.high is not None:
        return None
    kind, unit, start_value = _range_kind(low, high)
    if not kind or not start_value < b.value:
        return None
    if kind == "year":
        return _year_figure(text, a.start, b.end, int(start_value), int(b.value))
    return _figure(text, kind, a.start, b.end, value=start_value, high=b.value, unit=unit)


def _range_kind(low: _Found, high: _Found) -> tuple[str, str, float]:
    a, b = low.figure, high.figure
    if {a.kind, b.kind} == {"time", "duration"} and "h" in (a.unit, b.unit):  # "de 9 h à 12 h", "9h-12h"
        return "time", "", a.value
    if a.kind in ("year", "time") and a.kind == b.kind:
        return a.kind, "", a.value
    unit_written_once = a.kind == "number" and a.unit == ""  # "3 à 5 jours"
    if b.kind in ("number", "percent", "money", "duration") and (unit_written_once or (a.kind, a.unit) == (b.kind, b.unit)):
        return b.kind, b.unit, _low_end(low, high)
    return "", "", 0.0


def _low_end(low: _Found, high: _Found) -> float:
    """"de 3 à 5 millions": the scale written once applies to both ends (not in "de 500 000 à 1 million")."""
    a, b = low.figure, high.figure
    if low.scale == 1 and a.value * high.scale <= b.value:
        return a.value * high.scale
    return a.value


# ---------------------------------------------------------------------------------------------
# Extraction

_STAGES = (_identifiers, _numeric_dates, _written_dates, _decades, _times, _centuries)


def extract_figures(text: str) -> list[Figure]:
    """Every figure of the text, in order, normalised."""
    plain = _mask_noise(_fold_aligned(text))
    english = _looks_english(plain)
    work = plain
    found: list[_Found] = []
    for stage in _STAGES:
        figures = stage(text, work, english)
        found += [_Found(f) for f in figures]
        work = _masked(work, figures)
    found += _quantities(text, work, english)
    found.sort(key=lambda item: item.figure.start)
    return _merge_ranges(text, plain, found)


# ---------------------------------------------------------------------------------------------
# Agreement

_FAMILIES = {"number": "quantity", "duration": "quantity", "percent": "percent", "money": "money",
             "year": "date", "date": "date", "time": "time", "ordinal": "ordinal", "identifier": "identifier"}


def agree(claim: Figure, source: Figure) -> bool:
    """The claim figure states what the source figure states (or less, for dates)."""
    family = _FAMILIES[claim.kind]
    if family != _FAMILIES[source.kind]:
        return _agree_across_kinds(claim, source)
    if family == "date":
        return _dates_agree(claim, source)
    if family == "identifier":
        return _digits(claim) == _digits(source)
    if not _same_bounds(claim, source):
        return False
    return claim.unit == source.unit or (claim.kind == "number" and claim.unit == "" and family == "quantity")


def _agree_across_kinds(claim: Figure, source: Figure) -> bool:
    hours = {claim.kind, source.kind} == {"time", "duration"} and "h" in (claim.unit, source.unit)
    if hours:  # "à 14 h" read as a time on one side, a duration on the other
        return _same_bounds(claim, source)
    if claim.kind == "number" and source.kind == "identifier" and claim.unit == "" and claim.high is None:
        return claim.value is not None and claim.value.is_integer() and str(int(claim.value)) == _digits(source)
    return False


def _same_bounds(claim: Figure, source: Figure) -> bool:
    return _close(claim.value, source.value) and _close(claim.high, source.high)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _digits(figure: Figure) -> str:
    return re.sub(r"\D", "", figure.text)


def _dates_agree(claim: Figure, source: Figure) -> bool:
    if claim.high is not None or source.high is not None:  # year ranges agree only with the same range
        return claim.kind == source.kind == "year" and _same_bounds(claim, source)
    return all(c is None or c == s for c, s in zip(claim.date, source.date))


def _consistent(claim: Figure, source: Figure) -> bool:
    """Not the same figure, but the source does not contradict it: it is less precise
    (a year for a full date, a range around the claimed value, no unit)."""
    family = _FAMILIES[claim.kind]
    if family != _FAMILIES[source.kind]:
        return False
    if family == "date":
        if source.high is not None:
            return claim.high is None and source.value <= claim.date[0] <= source.high if claim.date[0] else False
        if claim.high is not None:
            return False
        return all(c is None or s is None or c == s for c, s in zip(claim.date, source.date))
    if claim.value is None or source.value is None or family == "identifier":
        return False
    within = source.high is not None and claim.high is None and source.value <= claim.value <= source.high
    same_unit = claim.unit == source.unit or claim.unit == ""
    unit_added = family == "quantity" and source.unit == "" and _same_bounds(claim, source)
    return (within and same_unit) or unit_added


def _rival(claim: Figure, source: Figure) -> bool:
    """A source figure the claim figure may be a changed version of."""
    family = _FAMILIES[claim.kind]
    if family != _FAMILIES[source.kind]:
        return False
    if family in ("date", "identifier", "time", "percent"):
        return True
    same_unit = claim.unit == source.unit or (family == "quantity" and claim.unit == "")
    return same_unit or _same_bounds(claim, source)  # "3 jours" -> "3 semaines": unit changed


def _rival_distance(claim: Figure, source: Figure, claim_length: int, source_length: int) -> tuple[float, float]:
    if claim.date is not None and source.date is not None:
        gap = float(sum(c is not None and s is not None and c != s for c, s in zip(claim.date, source.date)))
    elif claim.value is not None and source.value is not None:
        gap = abs(claim.value - source.value) / max(abs(claim.value), abs(source.value), 1e-9)
    else:
        gap = 0.0
    position = abs(claim.start / max(claim_length, 1) - source.start / max(source_length, 1))
    return gap + (0.0 if claim.unit == source.unit else 1.0), position


def compare_figures(claim: str, source: str) -> FigureComparison:
    """Which figures of the claim the source states, contradicts, or does not give."""
    claim_figures, source_figures = extract_figures(claim), extract_figures(source)
    matched: list[tuple[Figure, Figure]] = []
    unmatched: list[Figure] = []
    for figure in claim_figures:
        counterpart = next((s for s in source_figures if agree(figure, s)), None)
        if counterpart is None:
            unmatched.append(figure)
        else:
            matched.append((figure, counterpart))
    used = {s for _, s in matched}
    free = [s for s in source_figures if s not in used]
    changed: list[tuple[Figure, Figure]] = []
    missing: list[Figure] = []
    for figure in unmatched:
        rivals = [] if any(_consistent(figure, s) for s in source_figures) else [s for s in free if _rival(figure, s)]
        if not rivals:
            missing.append(figure)
            continue
        rival = min(rivals, key=lambda s: _rival_distance(figure, s, len(claim), len(source)))
        changed.append((figure, rival))
        free.remove(rival)
    return FigureComparison(tuple(matched), tuple(changed), tuple(missing))


# ---------------------------------------------------------------------------------------------
# What a count counts
# ---------------------------------------------------------------------------------------------
COUNTED_WORDS = 2  # content words after a count that name what it counts


def _counted(text: str, figure: Figure) -> tuple[str, ...]:
    """The stems of the first content words after a plain count (« 29 équipes de soins » gives
    équipes, soins); () when a word that is not content comes first (« quatre en santé »)."""
    following = words(text[figure.end : figure.end + 120])
    if not following or not is_content(following[0]):
        return ()
    return tuple(w.stem for w in following if is_content(w))[:COUNTED_WORDS]


def recounted(claim: str, source: str) -> list[tuple[Figure, Figure]]:
    """Counts of the claim whose noun the source counts with another value, and never with
    this one: « 4 équipes de soins » where the source says « 29 équipes de soins, dont
    quatre en santé mentale ». The claim's 4 is in the source, counting something else."""
    plain = lambda f: f.kind == "number" and f.unit == "" and f.value is not None  # noqa: E731
    counts = [(f, _counted(source, f)) for f in extract_figures(source) if plain(f)]
    found = []
    for figure in filter(plain, extract_figures(claim)):
        counted = _counted(claim, figure)
        if len(counted) < COUNTED_WORDS:
            continue
        same_noun = [s for s, noun in counts if noun == counted]
        if same_noun and not any(_same_bounds(figure, s) for s in same_noun):
            found.append((figure, same_noun[0]))
    return found
