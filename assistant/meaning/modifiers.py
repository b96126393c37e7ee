"""A word both sentences share, qualified by another word in each: "codirecteur patient" for
"codirecteur opérationnel", "l'ARS Occitanie" for "l'ARS PACA". The claim's qualifier
appearing nowhere in the source sentence means the claim says something of another thing,
however many words it shares; the title or heading of the passage, which may hold that
word, does not count here. Only qualifiers that name someone are compared — a role
(patient, soignant…) or a name (a capitalised word, an acronym): another verb or adjective
after a shared noun is most often a paraphrase ("les familles disent" / "déclarent").
"""

from __future__ import annotations

from assistant.meaning.roles import actors
from assistant.meaning.synonyms import stated
from assistant.meaning.words import Finding, Word, is_content, words
from assistant.text import tokens

# Verbs that link a subject to an attribute ("restent maigres" / "restent chiches"): what
# follows them is said of the subject in other words, not a qualifier of the verb.
_LINKING = frozenset("""reste restent restait restaient resteront demeure demeurent devient deviennent devenu devenue
    semble semblent paraît paraissent apparaît apparaissent parait paraissent remains remain seems seem becomes become""".split())


def _stem(word: Word) -> str:
    found = tokens(word.text)
    return found[0] if found else ""


def _pairs(text: str) -> list[tuple[Word, Word]]:
    """Content words written next to each other (nothing but a space between them)."""
    ws = words(text)
    return [(a, b) for a, b in zip(ws, ws[1:]) if is_content(a) and is_content(b) and not text[a.end : b.start].strip()]


def _names_someone(word: Word) -> bool:
    return word.text[:1].isupper() or bool(actors(word.text))


def _present(stem: str, stems: set[str]) -> bool:
    return not stem or stated(stem, stems)


def modifier_changed(claim: str, span: str) -> Finding | None:
    """The claim's "A B" where the span has "A C", with B nowhere in the span and C nowhere
    in the claim."""
    span_stems = set(tokens(span))
    claim_stems = set(tokens(claim))
    following: dict[str, set[str]] = {}
    for a, b in _pairs(span):
        following.setdefault(_stem(a), set()).add(_stem(b))
    for a, b in _pairs(claim):
        if a.folded in _LINKING or not _names_someone(b):
            continue
        head, qualifier = _stem(a), _stem(b)
        theirs = following.get(head, set()) - {""}
        if not head or not theirs or _present(qualifier, span_stems):
            continue
        if any(_present(other, claim_stems) for other in theirs):
            continue  # the span's qualifier is in the claim too: words moved, not changed
        return Finding("modifier_changed", b.text, "", f"the claim says '{a.text} {b.text}' where the source qualifies '{a.text}' otherwise",
                       head)
    return None
