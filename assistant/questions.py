"""What a question needs from the corpus before anything is generated: its focal entities
(a country, an organisation, a law, a person, a year) must be in the retrieved passages,
and the kind of answer it asks for (a figure, a date, a person, a place) must be given by
a passage sentence about it. When either is missing, Pairs says « je ne sais pas »."""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

from .bilingual import EN_FR, french_of, question_words
from .meaning.entities import Entity, focal_entities, missing_entities, place_level
from .meaning.figures import compare_figures, extract_figures
from .meaning.synonyms import stated, with_digits
from .text import fold, misspelt, sentence_spans, tokens

# The figure a question asks for, by the words that ask it (folded).
_MONEY_WORDS = (r"cout\w*|coute\w*|prix|tarif\w*|salaire\w*|remuner\w*|budget\w*|montant\w*|financement\w*|euros?|paye\w*|"
                r"gagn\w*|cost\w*|salar\w*|price\w*|fees?|paid|pay|earn\w*")
# An amount is asked when the asking word governs the money word ("combien coûte", "quel est
# le salaire", "what was the total budget"); "quelle piste pour que les patients soient payés"
# asks for a way, "quel organisme finance" for a body.
_MONEY = re.compile(rf"\bcombien\b[^?]*\b(?:{_MONEY_WORDS})\b|\b(?:{_MONEY_WORDS})\b[^?]*\bcombien\b|"
                    rf"\bhow much\b[^?]*\b(?:{_MONEY_WORDS}|money)\b|"
                    rf"\bquel(?:le)?s? (?:(?:est|sont|etait|etaient|serait|seront) )?(?:(?:le|la|les|son|sa|ses|leur|leurs|un|une) |l')?"
                    rf"(?:\w+ )?(?:{_MONEY_WORDS})\b|"
                    rf"\bwhat (?:is|was|are|were|will be) (?:the |its |their )?(?:\w+ )?(?:{_MONEY_WORDS})\b")
_PERCENT = re.compile(r"\b(?:pourcentage|taux|proportion|quelle part|percentage|rate|share of)\b")
_DURATION = re.compile(r"\b(?:duree|combien de temps|combien d'(?:heures|annees)|combien de (?:jours|mois|semaines|ans|heures)|"
                       r"how long|how many (?:hours|days|weeks|months|years))\b")
# "combien de grandes composantes": the noun counted, after an adjective
_COUNT = re.compile(r"\b(?:combien (?:de |d')(?:(?:grand|petit|principa|nouve|differen|autre|premier|dernier|vrai)\w* )?(\w+)|"
                    r"quel nombre d[e'] ?(\w+)|nombre d[e'] ?(\w+)|how many (\w+))")
_FIGURE_ASKED = re.compile(r"\b(?:combien|quel nombre|how many|how much|quel (?:montant|cout|salaire|prix|budget|taux|pourcentage))\b")
_FREQUENCY_ASKED = re.compile(r"\b(?:tous les combien|a quelle frequence|quelle frequence|combien de fois par|how often)\b")
_FREQUENCY = re.compile(r"\b(?:par (?:an|annee|mois|semaine|jour|trimestre)|chaque (?:annee|mois|semaine|jour|trimestre)|"
                        r"tous les (?:\w+ )?(?:ans|mois|jours|semaines|trimestres)|(?:mensuel|hebdomadaire|annuel|quotidien|trimestriel|"
                        r"semestriel)\w*|per (?:year|month|week|day)|(?:every|each) (?:\w+ )?(?:year|month|week|day)s?|"
                        r"weekly|monthly|yearly|annually|daily)\b")
_DATE = re.compile(r"\b(?:quand|en quelle annee|quelle annee|depuis quand|a quelle date|quelle date|quel jour|"
                   r"when|what year|which year|since when)\b")
# A body asked for like a person: "quel cabinet a évalué…", "which firm…"; a structure, a
# university… only when not followed by what it is of ("quelles structures de soins").
_BODIES = r"cabinet|entreprise|societe|organisme|prestataire"
_BODIES_UNQUALIFIED = r"structure|universite|fondation|institution"
_BODIES_EN = r"which (?:company|firm|consultancy)"
# Bodies whose names say what they are (« Université de Montréal », « Fondation Abbé Pierre »):
# a sentence answers « quelle université » only by naming one as such
_KIND_IN_NAME = re.compile(r"^quel(?:le)?s? (universite|fondation)s?\b")
_KIND_STEMS = {"universite": "universit", "fondation": "fondation"}  # as written in a folded sentence
# People a question asks for by a role that names them, not a category: « quels
# enseignants-chercheurs sont intervenus » wants names, « quels professionnels » may not.
_NAMED_PEOPLE = (r"enseignants?-chercheur|chercheur|chercheuse|auteur|autrice|orateur|oratrice|conferencier|conferenciere|"
                 r"intervenant|intervenante|animateur|animatrice|president|presidente|fondateur|fondatrice|directeur|directrice|"
                 r"pilote|organisateur|organisatrice|coordinateur|coordinatrice")
_NAMED_PEOPLE_EN = r"researcher|author|speaker|founder|director"
_PERSON = re.compile(
    r"\bpar qui\b|^qui (?:a|ont|avait|presid\w*|dirig\w*|organis\w*|anim\w*|financ\w*|coordonn\w*|pilot\w*|port\w*|fond\w*|"
    r"intervien\w*|represent\w*|est (?:le|la) (?:president|presidente|directeur|directrice|responsable|fondateur|fondatrice))\b|"
    r"^who (?:founded|created|wrote|organi[sz]ed|chairs|heads|headed|leads|led|directs|coordinates|hosted|presented|"
    r"initiated|funds|runs|opened|closed|is the (?:president|director|head))\b|"
    rf"^(?:quel(?:le)?s? (?:{_BODIES})|{_BODIES_EN})\b|^quel(?:le)?s? (?:{_BODIES_UNQUALIFIED})s? (?!de |d')|"
    rf"^(?:quel(?:le)?s?|qui (?:sont|etaient|est|etait) (?:les?|la|l')) ?(?:{_NAMED_PEOPLE})s?\b(?! pairs?\b)|"
    rf"^which (?:{_NAMED_PEOPLE_EN})s?\b")
# The body a question asks for, not a relation it asks about: "quel organisme a mené…"
_BODY_ASKED = re.compile(rf"^(?:quel(?:le)?s? (?:{_BODIES}|{_BODIES_UNQUALIFIED})s?|{_BODIES_EN})\s*")
# What a "who" question asks someone to have done, by family: "qui dirige", "who heads" and
# "directrice de" are one. A passage naming someone answers only where it states that
# relation (in the sentence, the line before, its list item or its section): "Directrice
# générale d'ENDOmind" does not say who heads the Institut Savoir(s) Patient(s).
_RELATIONS = tuple(re.compile(rf"\b(?:{family})\b") for family in (
    r"dirig\w*|direct(?:eur|rice|ion|s|ed|or)\w*|a la tete|heads?|headed|leads?|led|runs?",
    r"presid\w*|chair\w*",
    r"anim\w*|moderat\w*|host\w*|leads?|led",
    r"organis\w*|organiz\w*|host\w*",
    r"coord\w*",
    r"fond(?:e|ee|es|ees|ateur|atrice|ation|ateurs|atrices)|found(?:ed|er|ers|ing)?",
    r"cree|creee|crees|creees|creation|createur|creatrice|creat\w*",
    r"initi\w*",
    r"pilot\w*|steer\w*",
    r"financ\w*|fund\w*",
    r"present(?:e|ee|es|ees|ent|ation|ations|ed|s)|restitu\w*",
    r"redig\w*|redact\w*|ecri\w*|auteur\w*|realis\w*|wr[io]te|written|author\w*",
    r"souten\w*|soutien\w*|support\w*|appui\w*",
    r"evalu\w*|assess\w*",
    r"men(?:e|ee|es|ees|er|ent|ait|aient)|conduit|conduite|conduits|conduites|conduct\w*|carried out",
    r"interv(?:ien|enu|enan|ention)\w*|spoke|speak(?:s|er|ers)",
    # a programme's « Ouverture institutionnelle », « Clôture »: who opened or closed the day
    r"ouvr(?:e|ent|ir|it|ait)|ouvert|ouverte|ouverture|clotur\w*|clos|close|closed|closing|open(?:s|ed|ing)?",
    r"port(?:e|ee|es|ees|ent|ait|aient|eur|euse|eurs|euses)|carr(?:y|ies|ied)",
    r"heberg\w*|accueill\w*|host\w*",
))
_WHICH = r"quel(?:le)?s? (?:(?:sont|etaient|seront) (?:les|leurs?|ses) (?:\w+ )?)?"  # « quelles étaient les trois … »
_PLACE = re.compile(rf"\b(?:dans )?{_WHICH}(?:ville|region|pays|departement)s?\b|\ben quel lieu|"
                    r"\b(?:in )?which (?:city|town|country|region)\b|^where\b")
# the level of place asked: a wider one is no answer (« quelle ville »: not a region or a
# country; « quelles régions », « quel département »: not a country)
_LEVEL_ASKED = (("city", re.compile(rf"\b{_WHICH}villes?\b|\bwhich (?:city|town)\b")),
                ("region", re.compile(rf"\b{_WHICH}(?:regions?|departements?)\b|\bwhich region\b")))
_WIDER = {"city": ("country", "region"), "region": ("country",)}
_WHERE = re.compile(r"(?:^|\bet |\band )où\b", re.I)  # on the unfolded text: "ou" folded is also "or"
_FIGURE_FAMILIES = {"money": {"money"}, "percent": {"percent"}, "duration": {"duration"}}
_PERSON_KINDS = {"name", "organisation", "acronym", "person"}
_KINDS_ORDER = ("date", "figure", "person", "place")
_ITEM = re.compile(r"\s*[-•*]\s")  # a list item's first line
# A question or a request opens with one of these (folded); a claim typed in the chat does not.
_ASKING_START = re.compile(
    r"^(?:qu'|que|quel\w*|qui|quand|ou|comment|pourquoi|combien|est-ce|lequel|laquelle|lesquel\w*|y a-t-il|"
    r"explique\w*|definis\w*|donne\w*|decris\w*|parle\w*|dis|liste\w*|resume\w*|cite\w*|presente\w*|"
    r"what|who|whom|whose|when|where|why|how|which|is|are|was|were|do|does|did|can|could|should|has|have|"
    r"tell|explain|define|describe|list|give)\b")
RELEVANT = 0.4  # share of the question's words (beyond the asking ones) a passage sentence must have


@dataclass(frozen=True)
class Need:
    kind: str  # "figure", "date", "person", "place" or "" (anything)
    detail: str = ""  # figure: money, percent, duration, count; count: the noun counted


def is_statement(text: str) -> bool:
    """A claim typed in the chat ("La loi du 11 février 2005 a permis …"): no question mark,
    no asking word first. A sentence that restates it is its confirmation, to verify."""
    text = text.strip()
    return bool(text) and "?" not in text and not _ASKING_START.match(fold(text))


def asked(question: str) -> list[Need]:
    """The kinds of answer a question asks for ("quand et où" asks two; none: anything)."""
    folded = fold(question).replace("’", "'")
    needs = []
    if _DATE.search(folded):
        needs.append(Need("date"))
    if _MONEY.search(folded):
        needs.append(Need("figure", "money"))
    if _PERCENT.search(folded):
        needs.append(Need("figure", "percent"))
    if _DURATION.search(folded):
        needs.append(Need("figure", "duration"))
    count = _COUNT.search(folded)
    if count:
        noun = next(g for g in count.groups() if g)
        english = folded.startswith("how") or " how many " in f" {folded}"
        if english:  # "how many people": "personnes" (or "people"); a noun the glossary lacks: any number
            counted = " ".join(tokens(f"{french_of(noun)} {noun}")) if noun in EN_FR else ""
        else:
            counted = tokens(noun)[0] if tokens(noun) else noun
        needs.append(Need("figure", "count:" + counted))
    if _FREQUENCY_ASKED.search(folded):
        needs.append(Need("figure", "frequency"))
    if not needs and _FIGURE_ASKED.search(folded):
        needs.append(Need("figure"))
    if _PERSON.search(folded):
        kind = _KIND_IN_NAME.match(folded)
        needs.append(Need("person", _KIND_STEMS[kind.group(1)] if kind else ""))
    if _PLACE.search(folded) or _WHERE.search(question.strip()):
        needs.append(Need("place", next((level for level, asking in _LEVEL_ASKED if asking.search(folded)), "")))
    return needs


def provides(need: Need, sentence: str, question: str = "") -> bool:
    """Whether a sentence gives the kind of answer needed. A person or a place the question
    itself names is not its answer ("who is the director of PRIOR" is not answered by a
    sentence naming PRIOR alone)."""
    if need.kind == "date":
        cited = [m.span(1) for m in _CITED_YEAR.finditer(sentence)]
        return any(f.kind in ("year", "date") and not any(a <= f.start < b for a, b in cited) for f in extract_figures(sentence))
    if need.kind == "figure" and need.detail == "frequency":
        return bool(_FREQUENCY.search(fold(sentence)))
    if need.kind == "figure":
        figures = [f for f in extract_figures(sentence) if f.kind not in ("year", "date", "time", "identifier")]
        if need.detail in _FIGURE_FAMILIES:
            return any(f.kind in _FIGURE_FAMILIES[need.detail] for f in figures)
        if need.detail.startswith("count:"):
            noun = need.detail.removeprefix("count:")
            return any(f.kind == "number" and _counts(sentence, f.end, noun) for f in figures)
        return bool(figures)
    named = _named(question)
    if need.kind == "person":
        if need.detail and need.detail not in fold(sentence):  # « quelle université »: one named as such
            return False
        return any(e.kind in _PERSON_KINDS and fold(e.text) not in named for e in focal_entities(sentence))
    if need.kind == "place":
        wider = _WIDER.get(need.detail, ())
        entities = focal_entities(sentence)
        # « à Murielle Sévenne » is a person spoken to, not a place
        people = [(e.start, e.end) for e in entities if e.kind == "person"]
        return (any(e.kind == "place" and fold(e.text) not in named and not _inside_name(sentence, e.start, e.end)
                    and place_level(e.text) not in wider for e in entities)
                or any(fold(m.group(1)) not in named and place_level(m.group(1)) not in wider
                       and not any(a <= m.start(1) < b for a, b in people) and not _inside_name(sentence, m.start(1), m.end(1))
                       for m in _LOCATED.finditer(sentence)))
    return True


# "(Rowland et al., 2019)", "(Gardien, 2017)": the year a work was published, not an answer
_CITED_YEAR = re.compile(r"\((?:[^()]*?(?:et al\.?|[A-Z][\w'-]+)\s*,?\s*)((?:19|20)\d\d)[a-z]?\s*\)")


def _inside_name(sentence: str, start: int, end: int) -> bool:
    """A place between two capitalised words is part of a name: « APF France Handicap »; so
    is one numbered: « Paris VIII », « Lyon 2 » are universities."""
    before = sentence[:start].rstrip().rsplit(" ", 1)[-1] if sentence[:start].endswith(" ") else ""
    after = sentence[end:].lstrip().split(" ", 1)[0] if sentence[end : end + 1] == " " else ""
    return bool(before[:1].isupper() and after[:1].isupper()) or bool(_NUMBERED.fullmatch(after.rstrip(".,;:)")))


_NUMBERED = re.compile(r"[IVX]{1,4}|\d{1,2}")


# "s'est tenue à Alma-Ata", "held in Adelaide": a capitalised name after a locative
# preposition is a place, whether or not the gazetteer (entities.py) knows it.
_LOCATED = re.compile(r"(?:(?<=\s)|^)(?:à|in|at)\s+((?!(?:January|February|March|April|May|June|July|August|September|"
                      r"October|November|December|English|French)\b)[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)*)")


@functools.lru_cache(maxsize=256)
def _named(question: str) -> frozenset[str]:
    """What a question names (folded): read once, though every passage sentence is asked about."""
    return frozenset(fold(e.text) for e in focal_entities(question)) if question else frozenset()


def _counts(sentence: str, figure_end: int, noun: str) -> bool:
    """"54 personnes": the counted noun (or one of its names, space-separated) follows the
    number (a few words at most; a typo in the question is forgiven)."""
    after = sentence[figure_end : figure_end + 60]
    if not noun or re.match(r"\s*[A-Z]{2,6}\b", after):  # "15 MSP": a count of what an acronym names
        return True
    following = tokens(after)[:3]
    return any(word[:4] == one[:4] or difflib.SequenceMatcher(None, word, one).ratio() >= 0.75
               for word in following for one in noun.split())


# French names of places an English question names in English: "London" is in a passage as
# "Londres".
EXONYMS = {"londres": "London", "bruxelles": "Brussels", "geneve": "Geneva", "montreal": "Montreal",
           "quebec": "Quebec", "angleterre": "England", "royaume-uni": "United Kingdom UK", "etats-unis": "United States USA",
           "allemagne": "Germany", "belgique": "Belgium", "suisse": "Switzerland", "italie": "Italy", "espagne": "Spain",
           "ecosse": "Scotland", "irlande": "Ireland", "pays-bas": "Netherlands", "australie": "Australia",
           "nouvelle-zelande": "New Zealand", "marseille": "Marseilles", "lyon": "Lyons"}


def with_exonyms(context: str) -> str:
    folded = fold(context)
    return " ".join([context] + [english for french, english in EXONYMS.items() if french in folded])


def absent(question: str, context: str) -> list[str]:
    """The question's named entities and years that the context never mentions (under
    their English name too, for places)."""
    context = with_exonyms(context)
    missing = [e.text for e in missing_entities(question, context) if not _named_loosely(e, context)]
    folded_context = fold(context)
    missing += [p for p in place_names(question) if fold(p) not in folded_context and p not in missing]
    figures = compare_figures(question, context)
    missing += [f.text for f in figures.missing if f.kind in ("year", "date")]
    missing += [c.text for c, _ in figures.changed if c.kind in ("year", "date")]
    missing += [law for law in laws_named(question) if not _law_stated(law, context) and law not in missing]
    return missing


# A law named by what it is about (« la loi de modernisation de notre système de santé »,
# « la loi relative aux droits des malades ») or by a name (« la loi Kouchner »); one named by
# its date alone (« la loi du 11 février 2005 ») is the figure check's.
_LAW = re.compile(r"\b(?i:loi)\s+(?:(?:de la|de l['’]|des|du|de|d['’]|sur la|sur le|sur les|sur l['’]|sur|relative à la|"
                  r"relative à l['’]|relative aux|relative au|relative à|portant)\s*([^\W\d][\w'’-]*(?:\s+[^\W\d][\w'’-]*){0,3})"
                  r"|([A-ZÀ-Ý][\w'’-]+))")
LAW_WORDS = 3  # the first content words of a law's name that the passages must state


def laws_named(question: str) -> list[str]:
    return [match.group(0) for match in _LAW.finditer(question) if tokens(match.group(1) or match.group(2) or "")]


def _law_stated(law: str, context: str) -> bool:
    said = with_digits(set(tokens(context)))
    return all(stated(word, said) for word in tokens(law.split(None, 1)[1])[:LAW_WORDS])


NAME_WINDOW = 80  # characters within which the capitalised words of a long name must all be written


def _named_loosely(entity: Entity, context: str) -> bool:
    """An organisation a question names in its own words: « la Maison des usagers de
    l'hôpital Sainte-Anne » is « la Maison des usagers du centre hospitalier Sainte-Anne »
    when each of its capitalised words is written, close together, in the passages."""
    capitalised = [w for w in re.findall(r"[\w'-]+", entity.text) if w[:1].isupper() and len(w) > 1]
    if entity.kind != "organisation" or len(capitalised) < 2:
        return False
    first = re.escape(capitalised[0])
    for match in re.finditer(rf"\b{first}\b", context):
        window = context[max(0, match.start() - NAME_WINDOW) : match.start() + NAME_WINDOW]
        if all(re.search(rf"\b{re.escape(w)}\b", window) for w in capitalised[1:]):
            return True
    return False


_ASKING = frozenset(tokens("combien nombre quand année date qui où quel quelle coût prix durée how many much when where who"))


RELATION_WORDS = 4  # "who is the director": the relation is within a question's first words


def asked_relation(question: str) -> re.Pattern[str] | None:
    """The relation a question asking for a person wants stated, if any: any word of the
    families its words belong to ("who led" is "dirigé" or "animé")."""
    folded = fold(question).replace("’", "'")
    if not _PERSON.search(folded):
        return None
    # the verb follows "qui" ("qui a organisé", "qui est le directeur") or the body asked
    # ("quel organisme a mené": « organisme » is not « organisé »); "par qui" puts it anywhere
    body = _BODY_ASKED.match(folded)
    rest = folded[body.end():] if body else folded
    asking = rest if "par qui" in rest else " ".join(rest.split()[:RELATION_WORDS])
    families = [family.pattern for family in _RELATIONS if family.search(asking)]
    return re.compile("|".join(families)) if families else None


def states(relation: re.Pattern[str], text: str) -> bool:
    """Whether a text states an asked relation (its families are written folded)."""
    return bool(relation.search(fold(text)))


def relevant_sentences(question: str, passages: list[tuple[str, str]]) -> list[str]:
    """Sentences of (text, context) passages that can answer: when the question names focal
    entities ("en quelle année l'AFMSP…"), those about them (named in the sentence, the one
    before, the name line of the list item it belongs to — "- Programme Denver (1986)" —,
    or the passage's title, organisation and section); else those sharing its words beyond
    the asking ones (one of them in the sentence itself, the others possibly in the
    passage's title, organisation and section), and every sentence of the best passage.
    An English question's words count by their French equivalents (bilingual.py). A question
    asking who did something keeps only the sentences stating that relation around them.
    """
    relation = asked_relation(question)
    anchors = [fold(e.text) for e in focal_entities(question) if e.kind != "place"]
    wanted = set(question_words(question)) - _ASKING  # an English question by its French words
    found = []
    for rank, (text, context) in enumerate(passages):
        previous, item = "", ""
        last_end = 0
        titled = set(tokens(context))  # the title says which day "54 personnes" came to
        for start, end in sentence_spans(text):
            sentence = text[start:end]
            starts_item = bool(_ITEM.match(sentence))
            if "\n\n" in text[last_end:start] or starts_item:
                item = sentence if starts_item and not sentence.rstrip().endswith(".") else ""
            last_end = end
            around = fold(f"{item} {previous} {sentence} {context}") if anchors or relation is not None else ""
            if anchors:
                keep = any(anchor in around for anchor in anchors)
            else:
                said = set(tokens(sentence))
                known = said | titled
                shared = sum(1 for word in wanted if word in known or misspelt(word, known))
                own = any(word in said or misspelt(word, said) for word in wanted)
                keep = rank == 0 or not wanted or (own and shared >= max(1, RELEVANT * len(wanted)))
            if keep and relation is not None:
                keep = bool(relation.search(around))
            if keep:
                found.append(sentence)
            previous = sentence
    return found


def place_names(question: str) -> list[str]:
    """Places named in a question typed without capitals ("pair aidance en italie")."""
    return [e.text for e in focal_entities(_capitalised(question)) if e.kind == "place"]


def _capitalised(text: str) -> str:
    return re.sub(r"\b(\w)(\w{3,})\b", lambda m: m.group(1).upper() + m.group(2), text)
