"""Does an English sentence say what the French sentence it translates says?

A translation keeps the sentence's structure, so no alignment is needed: the two sentences
must carry the same signature. Compared: negations (how many), figures and dates (each
side's found on the other), quantifier, frequency and modality strength (the English may
say less, never more), comparisons and "more"/"less" (same directions), opposite pairs (the
English must not take the other pole of a pair the French uses), names (each of the
French's found in the English) and roles (each English one named by the French, in the
French order). What the signature cannot see is left to the embeddings' cosine, checked by
the caller (assistant/translation.py).
"""

from __future__ import annotations

import collections
import difflib

from assistant.bilingual import ENGLISH_FUNCTION_WORDS, french_words
from assistant.meaning.entities import PLACE_NAMES
from assistant.meaning.figures import compare_figures, extract_figures
from assistant.meaning.lexicon import comparisons, pole_of, poles
from assistant.meaning.polarity import negations
from assistant.meaning.quantifiers import HEDGE, cues
from assistant.meaning.words import FUNCTION_WORDS, Finding, words
from assistant.text import fold

# English opposite pairs -> the French pairs they translate, each named by the first form
# of its line in lexicon.py. A pair missing here is not compared across languages.
_TRANSLATED_PAIRS = {
    "higher": "supérieur élevé", "more": "plus", "increase": "augmenter", "mandatory": "obligatoire",
    "allowed": "autorisé", "before": "avant antérieur", "volunteer": "bénévole", "replace": "remplacer",
    "better": "meilleur", "first": "premier", "strength": "avantage", "success": "succès", "positive": "positif",
    "include": "inclure", "accept": "accepter", "formal": "formel", "individual": "individuel",
    "internal": "interne intérieur", "public": "public", "possible": "possible", "useful": "utile",
    "effective": "efficace", "improve": "améliorer", "majority": "majorité", "strengthen": "renforcer",
    "facilitate": "faciliter", "early": "précoce", "long": "long", "old": "ancien", "active": "actif",
    "simple": "simple", "same": "identique", "easy": "difficile", "presence": "présence", "gain": "gain",
    "direct": "direct", "temporary": "temporaire", "men": "homme",
}


def _pair_map() -> dict[int, tuple[int, ...]]:
    mapped = {}
    for english, french in _TRANSLATED_PAIRS.items():
        english_pole = pole_of(english, english=True)
        french_poles = [pole_of(form) for form in french.split()]
        assert english_pole is not None and all(french_poles), f"{english}: not in the lexicon"
        mapped[english_pole.pair] = tuple(p.pair for p in french_poles if p is not None)
    return mapped


_ENGLISH_TO_FRENCH_PAIR = _pair_map()

# English words that French says with a negation ("privées de toute reconnaissance" =
# "denied any recognition", "non rémunéré" = "unpaid").
_ENGLISH_NEGATIVE = frozenset("""denied deprived devoid lacking lacks lack absence unpaid unable unknown unrecognised
    unrecognized unemployed unequal unclear uncertain unlimited unusual unfinished unsuitable unaware unpowered
    powerless helpless""".split())

# English words the lexicon's English table lacks, as the French form of their pole.
_ENGLISH_POLES = {
    "recognised": "reconnu", "recognized": "reconnu", "recognition": "reconnu", "contested": "contesté",
    "disputed": "contesté", "volunteering": "bénévole", "salaried": "salarié", "employees": "salarié",
    "known": "connu", "unknown": "inconnu", "frequent": "fréquent", "rare": "rare", "favourable": "favorable",
    "favorable": "favorable", "unfavourable": "défavorable", "adapted": "adapté", "unsuitable": "inadapté",
    "sufficient": "suffisant", "insufficient": "insuffisant", "visible": "visible", "invisible": "invisible",
    "initial": "formation initiale", "continuing": "formation continue", "ongoing": "formation continue",
    "sheltered": "milieu protégé", "ordinary": "milieu ordinaire", "remote": "à distance", "remotely": "à distance",
}
# Adverbs of totality the quantifier table does not list, in each language.
_TOTAL_EN = frozenset("entirely completely fully totally wholly exclusively solely".split())
_TOTAL_FR = frozenset("entierement completement pleinement totalement integralement exclusivement uniquement seulement".split())

_EXTRA_POLES = {fold(english): pole_of(french) for english, french in _ENGLISH_POLES.items()}

# Superlatives and bare comparatives: "la plus utilisée" = "the most used".
_MORE_FR, _LESS_FR = frozenset({"plus"}), frozenset({"moins"})
_MORE_EN, _LESS_EN = frozenset({"more", "most"}), frozenset({"less", "least", "fewer", "fewest"})
_NOT_COMPARING_FR = frozenset({"ne", "n'", "de", "non", "jamais", "pas"})  # "ne … plus", "de plus", "non plus"

NAME_LIKENESS = 0.75  # difflib ratio of a name and its translation: "fondation"/"foundation" 0.95, "toulouse"/"marseille" 0.24
NAME_PREFIX = 4  # letters a name shares with its translation: "Marseille"/"Marseilles", "Alcooliques"/"Alcoholics"


def translation_findings(french: str, english: str) -> list[Finding]:
    """What the English says otherwise than the French: [] when nothing was seen."""
    checks = (_polarity, _figures, _strength, _comparisons, _directions, _opposites, _names, _roles)
    return [finding for check in checks for finding in check(french, english)]


def _polarity(french: str, english: str) -> list[Finding]:
    said_fr = _negation_count(french)
    said_en = _negation_count(english) + sum(w.folded in _ENGLISH_NEGATIVE for w in words(english))
    if said_fr == said_en:
        return []
    return [Finding("polarity", f"{said_en} negation(s)", f"{said_fr} negation(s)", "negation added or dropped")]


def _negation_count(text: str) -> int:
    """Negations, a "ni" continuing the one before ("sans patients ni proches" = "without
    patients or relatives") and a contrast ("plutôt que" = "rather than") left out."""
    return sum(fold(n.cue) not in _NOT_COUNTED for n in negations(text))


_NOT_COUNTED = frozenset({"ni", "nor", "que", "qu'", "than", "rather than", "instead of", "au lieu de", "plutot que"})


def _figures(french: str, english: str) -> list[Finding]:
    forth, back = compare_figures(english, french), compare_figures(french, english)
    figures_fr, figures_en = extract_figures(french), extract_figures(english)
    found = [Finding("figure", c.text, s.text, "figure changed") for c, s in forth.changed]
    found += [Finding("figure_missing", f.text, "", "figure the French does not give") for f in forth.missing
              if not _first(f) and not _as_ordinal(f, figures_fr)]
    found += [Finding("figure_dropped", "", f.text, "figure the English leaves out") for f in back.missing
              if not _first(f) and not _as_ordinal(f, figures_en)]
    return found


def _as_ordinal(figure, others) -> bool:
    """« atelier 3 » = "the 3rd workshop": a number and an ordinal of the same value."""
    return any(o.value == figure.value and "ordinal" in (o.kind, figure.kind) for o in others)


def _first(figure) -> bool:
    """"first" often translates "d'abord", which says no figure."""
    return figure.kind == "ordinal" and figure.value == 1


_IDIOMS_EN = ("all the more", "most of all", "at all", "all in all", "above all", "first of all")


def _levels(text: str) -> dict[str, int]:
    strongest: dict[str, int] = {}
    for cue in cues(text):
        if cue.kind != HEDGE:
            strongest[cue.kind] = max(strongest.get(cue.kind, 0), cue.level)
    return strongest


def _strength(french: str, english: str) -> list[Finding]:
    """The English may say less than the French ("some" for "tous"), never more. A dropped
    hedge is not compared: its English renderings ("in particular", "such as") are too many."""
    plain = english.lower()
    for idiom in _IDIOMS_EN:
        plain = plain.replace(idiom, " ")
    said_fr, said_en = _levels(french), _levels(plain)
    superlative = any(f" {d} plus " in f" {fold(french)} " for d in ("le", "la", "les"))
    found = [Finding(kind, str(level), str(said_fr.get(kind, 0)), "stronger in English")
             for kind, level in said_en.items()
             if level > said_fr.get(kind, 0) and level > 1  # "some", "may": weaker than a plain statement
             and not (superlative and kind == "quantity" and level == 2)]  # "le plus apprécié" = "appreciated most"
    total_en = [w.text for w in words(english) if w.folded in _TOTAL_EN]
    if total_en and not any(w.folded in _TOTAL_FR for w in words(french)):
        found.append(Finding("quantity", total_en[0], "", "totality the French does not state"))
    return found


def _comparisons(french: str, english: str) -> list[Finding]:
    said_fr = collections.Counter(c.direction for c in comparisons(french))
    said_en = collections.Counter(c.direction for c in comparisons(english))
    if said_en and said_fr and said_en != said_fr:
        return [Finding("comparative", "".join(sorted(said_en)), "".join(sorted(said_fr)), "comparison inverted")]
    return []


def _directions(french: str, english: str) -> list[Finding]:
    """"plus"/"moins" outside a full comparison frame ("la plus utilisée"): the English must
    not go the other way only."""
    ws_fr = words(french)
    signs_fr = {"+" if w.folded in _MORE_FR else "-" for i, w in enumerate(ws_fr)
                if w.folded in _MORE_FR | _LESS_FR and not (i and ws_fr[i - 1].folded in _NOT_COMPARING_FR)}
    signs_en = {"+" if w.folded in _MORE_EN else "-" for w in words(english) if w.folded in _MORE_EN | _LESS_EN}
    if len(signs_fr) == 1 and len(signs_en) == 1 and signs_fr != signs_en:
        return [Finding("comparative", signs_en.pop(), signs_fr.pop(), "more and less inverted")]
    return []


def _english_poles(english: str) -> list[tuple[int, int, str]]:
    """(French pair, side, word) of the English opposite-pair words."""
    found = [(pair, m.pole.side, m.text) for m in poles(english) for pair in _ENGLISH_TO_FRENCH_PAIR.get(m.pole.pair, ())]
    for w in words(english):
        pole = _EXTRA_POLES.get(w.folded)
        if pole is not None:
            found.append((pole.pair, pole.side, w.text))
    return found


def _opposites(french: str, english: str) -> list[Finding]:
    sides_fr = {(m.pole.pair, m.pole.side) for m in poles(french)}
    return [Finding("antonym", text, "", "the opposite of the French word") for pair, side, text in _english_poles(english)
            if (pair, 1 - side) in sides_fr and (pair, side) not in sides_fr]


_MONTHS_AND_DAYS = frozenset("""january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday saturdays sundays""".split())
# Words of names whose translation shares no first letters: acronyms, the words of a few
# bodies' names and nationalities (and the place names of entities.py).
_NAMES_EN_FR = {"who": "oms", "un": "onu", "eu": "ue", "red": "croix-rouge", "cross": "croix-rouge",
                "world": "mondiale mondial", "french": "francais francaise francaises", "united": "unies"}


def _equivalents() -> dict[str, frozenset[str]]:
    same: dict[str, set[str]] = collections.defaultdict(set)
    for names in PLACE_NAMES:
        folded = {fold(w.text) for name in names for w in words(name)}
        for word in folded:
            same[word] |= folded
    for english, french in _NAMES_EN_FR.items():
        names = {english, *french.split()}
        for name in names:
            same[name] |= names
    return {word: frozenset(names) for word, names in same.items()}


_EQUIVALENT = _equivalents()


def _proper_names(text: str) -> list[str]:
    """Capitalised words that do not open a sentence or a quotation."""
    return [w.text for w in words(text)
            if w.text[:1].isupper() and text[: w.start].rstrip()[-1:] not in _OPENERS
            and not w.text.endswith(("'", "’")) and w.folded not in ENGLISH_FUNCTION_WORDS | FUNCTION_WORDS | _MONTHS_AND_DAYS
            and len(w.folded) > 1]


_OPENERS = frozenset(".!?:;«\"“(-–—•*") | {""}  # a sentence, a quotation or a list item opens


def _is_acronym(name: str) -> bool:
    return sum(ch.isupper() for ch in name) >= 2


def _alike(name: str, word: str) -> bool:
    return name[:NAME_PREFIX] == word[:NAME_PREFIX] or difflib.SequenceMatcher(None, name, word).ratio() >= NAME_LIKENESS


def _found(name: str, other: list[str], glossary: set[str]) -> bool:
    folded = fold(name)
    return (any(_alike(folded, word) for word in other) or bool(_EQUIVALENT.get(folded, frozenset()) & set(other))
            or folded in glossary)


def _names(french: str, english: str) -> list[Finding]:
    """Each proper name or acronym of the French found in the English: as written (nearly:
    « Fondation » = "Foundation"), as a known equivalent (« OMS » = "WHO", « Suisse » =
    "Switzerland"), or through the glossary. The other way only for acronyms and places:
    English capitalises common words in names ("Ministry of Health")."""
    folded_fr = [fold(w.text) for w in words(french)]
    folded_en = [fold(w.text) for w in words(english)]
    french_of_english = {fold(f) for w in folded_en for f in french_words(w)}
    checked_en = [n for n in _proper_names(english) if _is_acronym(n) or fold(n) in _EQUIVALENT]
    found = [Finding("entity", name, "", "name the French does not give")
             for name in checked_en if not _found(name, folded_fr, set())]
    found += [Finding("entity_dropped", "", name, "name the English leaves out")
              for name in _proper_names(french) if not _found(name, folded_en, french_of_english)]
    return found


# People and bodies an answer can swap (who trains whom): English word -> the French words
# that translate it. An English one whose French is absent, or two in the other order, is
# a changed role.
_ROLES = {
    "user": "usager utilisateur", "users": "usager utilisateur", "professional": "professionnel",
    "professionals": "professionnel", "patient": "patient", "patients": "patient", "peer": "pair pair-aidant",
    "peers": "pair pair-aidant", "mediator": "médiateur", "mediators": "médiateur", "carer": "aidant proche",
    "carers": "aidant proche", "caregiver": "aidant proche", "caregivers": "aidant proche", "family": "famille proche",
    "families": "famille proche", "relatives": "proche famille", "student": "étudiant", "students": "étudiant",
    "trainer": "formateur", "trainers": "formateur", "doctor": "médecin", "doctors": "médecin",
    "physician": "médecin", "physicians": "médecin", "nurse": "infirmier", "nurses": "infirmier",
    "psychiatrist": "psychiatre", "psychiatrists": "psychiatre", "expert": "expert", "experts": "expert",
    "representative": "représentant", "representatives": "représentant", "volunteer": "bénévole",
    "volunteers": "bénévole", "employer": "employeur", "employers": "employeur", "researcher": "chercheur",
    "researchers": "chercheur", "educator": "éducateur", "educators": "éducateur", "resource": "ressource",
    "healthcare": "soignant soin santé sanitaire", "staff": "personnel équipe professionnel soignant agent salarié",
}
_ROLE_FORMS = {english: tuple(fold(w) for w in french.split()) for english, french in _ROLES.items()}
GROUP_GAP = 1  # English role words this close form one noun phrase ("user representative"), freely ordered in French


def _role_groups(english: str) -> list[list[tuple[str, tuple[str, ...]]]]:
    """The English role words, in order, as noun-phrase groups, each word with the French
    forms (folded) that may render it, the word itself included ("patient", "expert")."""
    groups: list[list[tuple[str, tuple[str, ...]]]] = []
    last = -GROUP_GAP - 2
    for i, w in enumerate(words(english)):
        forms = _ROLE_FORMS.get(w.folded)
        if forms is None:
            continue
        entry = (w.text, forms + (w.folded,))
        if i - last <= GROUP_GAP + 1 and groups:
            groups[-1].append(entry)
        else:
            groups.append([entry])
        last = i
    return groups


def _places(forms: tuple[str, ...], folded_fr: list[str]) -> list[int]:
    """Where the French names the role: a word starting like one of its forms, less its
    last two letters ("bénévole" finds « bénévolat »), or a part of a compound (« santé-pair »)."""
    starts = tuple(form[: max(4, len(form) - 2)] for form in forms)
    return [i for i, word in enumerate(folded_fr) if any(part.startswith(starts) for part in word.split("-"))]


def _roles(french: str, english: str) -> list[Finding]:
    """Each English role word names someone the French names, in the same order: read left
    to right, each takes the first place of its French word after the group before."""
    folded_fr = [fold(w.text) for w in words(french)]
    found, after, named = [], -1, set()
    for group in _role_groups(english):
        taken = []
        for text, forms in group:
            places = _places(forms, folded_fr)
            if not places:
                found.append(Finding("role", text, "", "role the French does not name"))
            elif [p for p in places if p > after]:
                taken.append(min(p for p in places if p > after))
            elif forms not in named:  # named again: the French may say it with a pronoun
                found.append(Finding("role_swap", text, "", "roles in the other order"))
            named.add(forms)
        after = max(taken, default=after)
    return found
