"""Who is said to be or do what: the actors of a sentence (roles and named organisations)
and the words attached to each, plus the strength words a claim adds.

- `actor_finding`: the claim names an actor (a role: patient expert, soignant…) that the
  source does not name at all.
- `attachment_swap`: both sentences name the same actors, but what the source says of one
  the claim says of the other ("le patient expert répond à des standards, le patient
  ressource est choisi par les équipes" against the reverse; "organisée par le CRES avec
  l'ARS" against "organisée par l'ARS avec le CRES").
- `universal_added` / `hedge_dropped`: "tous", "entièrement", "toujours"… the source does
  not say, or the source's "peut", "certains", "parfois" gone from the claim.
- `attribution`: where a claim says its statement comes from ("Selon le glossaire, …",
  "D'après la présentation de l'atelier 2, …"), apart from the statement."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.meaning.entities import focal_entities
from assistant.meaning.roles import actor_group as _group, actors
from assistant.meaning.synonyms import stated
from assistant.meaning.words import Finding
from assistant.text import fold, tokens

_ENTITY_KINDS = {"acronym", "organisation", "name", "programme"}
_WINDOW = 2  # content tokens on each side of an actor that belong to it
_MIN_SHARED = 2  # attached words a swap needs

_UNIVERSAL = re.compile(
    r"\b(?:tous|toutes|tout\s+(?:le|la|les)|toute\s+(?:la|l['’])|chaque|l['’]ensemble\s+(?:des?|du|d['’])|la\s+totalit[ée]|"
    r"enti[eè]rement|totalement|"
    r"compl[eè]tement|exclusivement|uniquement|syst[ée]matiquement|toujours|sans\s+exception|all|every|each|always|"
    r"entirely|exclusively|only)\b", re.I)
_HEDGE = re.compile(
    r"\b(?:peut|peuvent|pourrait|pourraient|susceptibles?|parfois|souvent|certains|certaines|quelques|plusieurs|"
    r"en\s+partie|une\s+partie|partiellement|g[ée]n[ée]ralement|may|might|can|some|sometimes|often|partly|usually)\b", re.I)


@dataclass(frozen=True)
class _Mention:
    key: str
    position: int  # index of the first content token after the mention
    agent: bool = False  # "… par le CRES", "… by the nurses": the words before are its doing
    joined: bool = False  # coordinated with the mention before ("les MSP et les usagers"): what is said of one is said of both


# Between two coordinated mentions: « et », « ou », « ainsi que », or a comma in a list that
# ends with one of them (« des étudiants, des professionnels et des formateurs »), and an article.
_ARTICLE = r"(?:(?:les|des|de|du|d'|d’|la|le|l'|l’|leurs?|ses|the|their)\s*)?$"
_AND = re.compile(r"^[\s,]*(?:\bet\b|\bou\b|\band\b|\bor\b|\bainsi que\b|\bas well as\b)\s*" + _ARTICLE, re.I)
_COMMA = re.compile(r"^\s*,\s*" + _ARTICLE, re.I)
_IN_PARENTHESES = re.compile(r"\(\s*$")
_AGENT = re.compile(r"\b(?:par|by)\s+(?:(?:le|la|les|l'|l’|des|du|the|leur|leurs|ses|son|sa)\s*)?$", re.I)


# Actors are matched by stem: "éducation" would be an "éducateur", "psychiatrique" a "psychiatre".
_NOT_AN_ACTOR = re.compile(r"(?:tion|tions|ique|iques|ie|ies)$")


def _actors(text: str):
    """Actors, without the nouns, verbs and adjectives that share their stem. `actors` keeps a
    single word to its listed forms ("éducation" is no "éducateur"); this is for the words
    it matches part by part or in a phrase: "pair-émulation" is no "pair-émulateur" (an
    actor named by such a noun, "associations", stays one)."""
    return [a for a in actors(text) if (not _NOT_AN_ACTOR.search(fold(a.term)) or _NOT_AN_ACTOR.search(a.key))
            and _looks_like(a.term, a.key)]


def _looks_like(term: str, key: str) -> bool:
    if "_" in key or len(key) <= 4:
        return True
    return key[: max(4, len(key) - 3)] in fold(term)


def actor_keys(text: str) -> set[str]:
    return {_group(a.key) for a in _actors(text)}


def actor_finding(claim: str, context: str) -> Finding | None:
    folded_context = fold(context)
    named = actor_keys(context)
    missing = sorted({_group(a.key) for a in _actors(claim)
                      if _group(a.key) not in named and fold(a.term).rstrip("sx") not in folded_context})
    if not missing:
        return None
    return Finding("actor_missing", missing[0], "", f"the claim names {', '.join(missing)}, the source does not")


def _mentions(text: str) -> tuple[list[str], list[_Mention]]:
    """Content tokens of the text and the actors among them (by token position)."""
    entities = focal_entities(text)
    spans = [(a.start, a.end, _group(a.key)) for a in _actors(text)]
    spans += [(e.start, e.end, e.key) for e in entities if e.kind in _ENTITY_KINDS]
    spans += [(e.start, e.end, "") for e in entities if e.kind == "place"]  # "ARS PACA": the place is not a word said of it
    spans.sort()
    words, mentions, joins, last = [], [], [], 0
    for start, end, key in spans:
        if start < last or _IN_PARENTHESES.search(text[max(0, start - 3) : start]):
            continue  # overlapping mention (an acronym inside an organisation name), or one in apposition: « (ETP) »
        between = text[last:start]
        words += tokens(between)
        if key:
            adjacent = bool(mentions) and mentions[-1].position == len(words)
            joins.append("and" if adjacent and _AND.match(between) else "comma" if adjacent and _COMMA.match(between) else "")
            mentions.append(_Mention(key, len(words), bool(_AGENT.search(text[max(0, start - 12) : start]))))
        last = end
    words += tokens(text[last:])
    return words, [replace(m, joined=_listed(joins, i)) for i, m in enumerate(mentions)]


def _listed(joins: list[str], i: int) -> bool:
    """Whether mention i is coordinated with the one before: by « et », or by a comma in a list
    that an « et » closes (« patient, le Cerfep a développé » is no list)."""
    rest = joins[i:]
    closing = next((j for j in rest if j != "comma"), "")
    return joins[i] == "and" or (joins[i] == "comma" and closing == "and")


def _adjacent(words: list[str], mentions: list[_Mention]) -> dict[str, set[str]]:
    """The words said of each actor: the few that follow it, up to the next actor (French
    puts the subject first); before the first actor, the few that lead to it ("organisée
    par le CRES")."""
    near: dict[str, set[str]] = {m.key: set() for m in mentions}
    for i, mention in enumerate(mentions):
        following = mentions[i + 1] if i + 1 < len(mentions) else None
        if mention.joined or (following and following.joined):
            continue  # what is said of coordinated actors is said of each: no word sets one apart
        end = following.position if following else len(words)
        if following and following.agent:  # what precedes "par X" is X's doing
            end = max(mention.position, following.position - _WINDOW)
        window = words[mention.position : min(mention.position + _WINDOW, end)]
        if i == 0 or mention.agent:
            window = words[max(0, mention.position - _WINDOW) : mention.position] + window
        near[mention.key].update(window)
    return near


def attachment_swap(claim: str, source: str) -> Finding | None:
    claim_words, claim_mentions = _mentions(claim)
    source_words, source_mentions = _mentions(source)
    shared = sorted({m.key for m in claim_mentions} & {m.key for m in source_mentions})
    if len(shared) < 2:
        return None
    in_claim, in_source = _adjacent(claim_words, claim_mentions), _adjacent(source_words, source_mentions)

    def crossed(a: str, b: str) -> set[str]:
        return in_claim[a] & in_source[b] - in_source[a]

    for i, a in enumerate(shared):
        for b in shared[i + 1 :]:
            ab, ba = crossed(a, b), crossed(b, a)
            one_way = max(len(ab), len(ba)) >= _MIN_SHARED and not (in_claim[a] & in_source[a] if len(ab) >= len(ba) else in_claim[b] & in_source[b])
            if (ab and ba and len(ab) + len(ba) >= 3) or one_way:
                return Finding("attachment_swap", a, b, f"the claim says of {a} what the source says of {b}, or the reverse")
    return None


# Universal words that say the same thing: "l'ensemble des informations" is "toutes les informations".
_UNIVERSAL_SENSES = (
    re.compile(r"^(?:tous|toutes|tout\s+(?:le|la|les)|toute\s+(?:la|l')|chaque|l'ensemble\s+(?:des?|du|d')|la\s+totalite|all|every|each)$"),
    re.compile(r"^(?:entierement|totalement|completement|entirely)$"),
    re.compile(r"^(?:exclusivement|uniquement|exclusively|only)$"),
    re.compile(r"^(?:toujours|systematiquement|sans\s+exception|always)$"),
)


# « tous les trimestres », « chaque année », « tous les deux ans » say how often, which the
# frequency check reads (« trimestrielle », « deux par an »), not that all of something is
# concerned; « toutes les semaines de stage », « tous les jours fériés » are universals.
_TIME_UNIT = re.compile(
    r"\s*(?:(?:les|the)\s+)?(?:(?:\d+|deux|trois|quatre|cinq|six|dix|two|three|four|five|six|ten)\s+)?"
    r"(?:ans?|ann[ée]es?|mois|semaines?|jours?|trimestres?|semestres?|years?|months?|weeks?|days?|quarters?)"
    r"(?=\s*(?:$|[.,;:!?)]|(?:en|et|à|a|pour|dans|sur|au|aux|on|il|elle|ils|elles|ce|se|sont|est|ont|and|in|for|at)\b))", re.I)


def _universal_senses(text: str) -> dict[int | str, str]:
    """Universal words of a text by sense (the word itself when it has no listed sense)."""
    found: dict[int | str, str] = {}
    for match in _UNIVERSAL.finditer(text):
        if _TIME_UNIT.match(text, match.end()) and fold(match.group(0)).lower() in {"tous", "toutes", "chaque", "every", "each", "all"}:
            continue
        word = re.sub(r"\s+", " ", fold(match.group(0)).replace("’", "'"))
        sense = next((i for i, pattern in enumerate(_UNIVERSAL_SENSES) if pattern.match(word)), word)
        found.setdefault(sense, word)
    return found


def universal_added(claim: str, source: str) -> Finding | None:
    said = _universal_senses(source)
    added = [word for sense, word in _universal_senses(claim).items() if sense not in said]
    if not added:
        return None
    word = sorted(added)[0]
    return Finding("quantifier_added", word, "", f"the claim says '{word}', the source does not")


def hedge_dropped(claim: str, source: str) -> Finding | None:
    hedges = {fold(m.group(0)) for m in _HEDGE.finditer(source)}
    if not hedges or _HEDGE.search(claim):
        return None
    word = sorted(hedges)[0]
    return Finding("hedge_dropped", "", word, f"the source says '{word}', the claim drops it")


# A question states nothing: « Les pair-aidants ont-ils une vraie plus-value ? » is no
# evidence that they have one. A claim may still report the question (« la question de savoir
# si… », « l'atelier s'interroge sur… », « comment intégrer… »).
_QUESTION = re.compile(r"\?\s*$|\b\w+-\s?(?:t-\s?)?(?:il|ils|elle|elles|on)\b|\best-ce\s+qu|^\W*(?:comment|pourquoi|combien)\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.?!…])\s+")
_REPORTED_QUESTION = re.compile(
    r"\b(?:question\w*|interrog\w*|demand\w*|d[ée]bat\w*|s['’]agit\s+de\s+savoir|savoir\s+(?:si|comment|pourquoi|quand|qui)|"
    r"comment|pourquoi|quand|combien|lequel|laquelle|lesquel\w*|whether|asks?|asked|why|how|when)\b", re.I)


_ASKS = re.compile(r"\?[\W_]*$")  # a question itself, closed by quotes or emphasis: « … ? »**


def question_asserted(claim: str, source: str) -> Finding | None:
    """The source asks what the claim asserts."""
    sentences = [s for s in _SENTENCE_END.split(source.strip()) if s]
    if not sentences or not all(_QUESTION.search(s) for s in sentences):
        return None
    if _ASKS.search(claim) or _QUESTION.search(claim) or _REPORTED_QUESTION.search(claim):
        return None
    return Finding("question_asserted", "", source.strip()[-40:], "the source asks a question, the claim states an answer")


# A lead-in naming where a statement is read, not what it says: "Selon le glossaire, …",
# "According to the report, …". "Pour X, …", "Dans X, …", "Lors de X, …" stay in the
# statement: for whom, where and when are part of what is said.
_ATTRIBUTION = re.compile(
    r"^\s*(?:selon|d['’]apr[eè]s|according\s+to|as\s+stated\s+in)\s*"
    r"([^,;:.]{2,120}?),\s+(\S.*)$",
    re.I | re.S)


def attribution(claim: str) -> tuple[str, str]:
    """(where it is read, statement) of a claim with a lead-in: "Selon le glossaire, les
    pairs…" is ("le glossaire", "les pairs…"); ("", claim) without one."""
    match = _ATTRIBUTION.match(claim)
    return (match.group(1), match.group(2)) if match else ("", claim)


# a sentence that opens on an article opens on its subject (« En s'appuyant sur… », « Dans le
# programme de Yale, … » open on circumstances, which a paraphrase may add from around)
_SUBJECT_FIRST = re.compile(r"^\W*(?:le|la|les|l['’]|un|une|des|du|the|a|an)\b", re.I)


def subject_from_context(claim: str, span: str, context: str) -> Finding | None:
    """The claim opens with words the source sentence does not say but its surroundings do
    (the title, the heading, the file name), where the sentence opens with a subject of its
    own the claim drops: « L'intervention par les pairs s'adresse à l'ensemble des acteurs »
    read in « Le partenariat en santé s'adresse à l'ensemble des acteurs », in a document
    on both. Both must open on their subject (an article): a sentence that refers back
    (« Il », « Ce dispositif ») takes its subject from around it."""
    if not (_SUBJECT_FIRST.match(claim) and _SUBJECT_FIRST.match(span)):
        return None
    claim_tokens, span_tokens = tokens(claim), tokens(span)
    claim_lead = _lead(claim_tokens, set(span_tokens))
    span_lead = _lead(span_tokens, set(claim_tokens))
    if not claim_lead or not span_lead:
        return None
    around = set(tokens(context))  # a whole passage: read only when both sentences open on their own words
    if not all(stated(t, around) for t in claim_lead):
        return None
    return Finding("subject_from_context", " ".join(claim_lead), " ".join(span_lead),
                   "the claim's subject comes from around the sentence, which has its own")


def _lead(sequence: list[str], said: set[str]) -> list[str]:
    """The tokens before the first one `said` states (all of them if none is)."""
    lead = []
    for token in sequence:
        if stated(token, said):
            return lead
        lead.append(token)
    return []
