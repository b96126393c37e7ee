"""Source sentences: a passage split into sentences with their offsets, each marked as
evidence or not. A bibliography entry, a title, a table of contents line, a heading or an
instruction aimed at the assistant is never evidence, whatever words it shares with a claim."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .safety import neutralise
from .text import WEB_ADDRESS, fold, sentence_spans

_URL = re.compile(r"https?://|www\.|\.(?:fr|org|com|net)/", re.I)
_STRONG_BIBLIOGRAPHY = re.compile(
    r"\bISBN\b|\bISSN\b|\bDOI\b|\[(?:en ligne|page internet|site internet)\]|\ben ligne\s*:|consult[ée]e? le\b|"
    r"\bdisponible sur\b|\bretrieved from\b|,\s*s\.\s?d\.\s*$|"  # "…, s.d." (sans date) ends a reference
    r"(?:19|20)\d\d\s*;\s*\d+(?:\s*\(\d+\))?\s*:\s*\d+|"  # journal: "2017 ; 220 : 35-42"
    r"\b[A-ZÉ][a-zéè-]+\s*:\s*[A-ZÉ][\w'’-]+(?:\s[\w'’-]+){0,3},\s*(?:19|20)\d\d\b", re.I)  # "Paris : Maloine, 2004"
# Each a different kind of cue: a sentence needs two kinds to look like a reference.
_WEAK_BIBLIOGRAPHY = tuple(re.compile(p) for p in (
    r"\bp\.\s*\d|\b\d+\s*p\.|\bpp\.\s*\d",  # pages
    r";\s*\d+\s*\(\d+\)|\(\s*\d+\s*\)\s*:|\bvol\.|\bn°\s*\d",  # volume, issue
    r"\b(?:éd|ed|dir|coord)\.\s*\)",  # editors
    r"\b(?:Presses|Éditions|Editions|Revue|Journal)\b",  # publishers, journals
    r"\b[A-ZÉ][A-ZÉ'-]{2,}\s+[A-Z]\.?(?:[A-Z]\.?)?\s*[,;]",  # "DUPONT J.," "GARDIEN E,"
    r"[»”\"]\s*,[^«“]*\b(?:19|20)\d\d\s*\.?\s*$",  # a quoted title, then its year last: "« … », Presses …, 2021"
))
_TOC_LINE = re.compile(r"(?:…|\.{3,}|\s{2,})\s*\d{1,3}\s*$")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\s*[-–.)]\s")
_SENTENCE_END = (".", "!", "?", "…", ":", ";", "»", '"', ")")


@dataclass(frozen=True)
class SourceSentence:
    text: str
    start: int  # offsets in the passage text
    end: int
    evidence: bool
    why_not: str = ""  # "bibliography", "title", "heading", "toc", "instruction" when not evidence


def source_sentences(passage_text: str, title: str = "", section: str = "") -> list[SourceSentence]:
    """Every sentence (or line) of a passage, classified."""
    headings = {fold(h).strip(" .:") for h in section.split(" > ") if h.strip()}
    folded_title = fold(title).strip(" .:")
    sentences = []
    for start, end in sentence_spans(passage_text):
        text = passage_text[start:end]
        why_not = not_evidence(text, folded_title, headings)
        sentences.append(SourceSentence(text, start, end, not why_not, why_not))
    return _titles_of_references(sentences)


def _titles_of_references(sentences: list[SourceSentence]) -> list[SourceSentence]:
    """The unpunctuated lines just before a reference (its title, its authors) are part of it."""
    marked = list(sentences)
    for i, sentence in enumerate(sentences):
        if sentence.why_not != "bibliography" or _mostly_address(sentence.text):
            continue  # a title comes before a reference, not before a bare address
        for j in (i - 1, i - 2):
            if j >= 0 and marked[j].evidence and not marked[j].text.rstrip().endswith((".", "!", "?", "»", '"')):
                marked[j] = SourceSentence(marked[j].text, marked[j].start, marked[j].end, False, "bibliography")
            else:
                break
    return marked


def not_evidence(sentence: str, folded_title: str = "", headings: frozenset[str] | set[str] = frozenset()) -> str:
    """Why a sentence cannot support a claim ("" when it can)."""
    if neutralise(sentence) != sentence:
        return "instruction"
    if is_bibliographic(sentence):
        return "bibliography"
    if _TOC_LINE.search(sentence) and not sentence.rstrip().endswith("."):
        return "toc"
    folded = fold(sentence).strip(" .:-–")
    if folded and folded == folded_title:
        return "title"
    if folded in headings and (len(folded.split()) <= 8 or is_heading(sentence)):
        return "heading"  # a longer line the chunker took for a heading is often content
    if is_heading(sentence):
        return "heading"
    return ""


def is_bibliographic(sentence: str) -> bool:
    if _STRONG_BIBLIOGRAPHY.search(sentence) or _mostly_address(sentence):
        return True
    return sum(bool(cue.search(sentence)) for cue in _WEAK_BIBLIOGRAPHY) + bool(_URL.search(sentence)) >= 2


def _mostly_address(sentence: str) -> bool:
    """A line that is mostly a web address ("Inscription via https://…" is not)."""
    addresses = WEB_ADDRESS.findall(sentence)
    return bool(addresses) and sum(map(len, addresses)) > 0.5 * len(sentence.strip())


def is_heading(line: str) -> bool:
    """A heading-like line: no sentence punctuation and either upper case or numbered."""
    stripped = line.strip().lstrip("#").strip()
    if not stripped or stripped.endswith(_SENTENCE_END) or stripped.startswith("- "):
        return False
    letters = [ch for ch in stripped if ch.isalpha()]
    if len(stripped.split()) > 14 or not letters:
        return False
    if any(ch.isdigit() for ch in stripped) and not _NUMBERED_HEADING.match(stripped):
        return False  # "3 JUIN 2021 À 13H45": a date in a programme is content
    upper = sum(ch.isupper() for ch in letters) / len(letters)
    return upper > 0.8 or bool(_NUMBERED_HEADING.match(stripped))
