"""English questions over French passages: the English words of the domain and of questions
with their French equivalents, so that an English question's words can be looked up in
French passages (lexical retrieval, coverage, the sentences the model reads). Scoring
only: nothing here is shown to a user."""

from __future__ import annotations

import re

from .general_en_fr import GENERAL_EN_FR
from .text import is_english, tokens

# English words of the domain and of questions, with their French equivalents (scoring only).
DOMAIN_EN_FR = {
    "peer": "pair pairs pair-aidance", "peers": "pairs", "health": "santé", "mental": "mentale psychique",
    "mediator": "médiateur", "mediators": "médiateurs", "knowledge": "savoir savoirs", "experiential": "expérientiel",
    "recovery": "rétablissement", "training": "formation", "trained": "formé formation", "people": "personnes",
    "attended": "rassemblé réuni participants", "participants": "participants", "founded": "créé création fondé",
    "created": "créé création", "year": "année", "day": "journée", "cost": "coût coûte", "costs": "coût coûte",
    "free": "gratuit gratuite", "hours": "heures", "long": "durée", "support": "soutien accompagnement entraide",
    "supports": "porté soutenu", "supported": "porté soutenu", "patient": "patient", "patients": "patients",
    "partner": "partenaire", "partnership": "partenariat", "user": "usager", "users": "usagers",
    "engagement": "engagement", "reflection": "réflexion", "person": "présentiel", "components": "composantes",
    "key": "clés", "three": "trois", "hope": "espoir", "agency": "pouvoir agir", "opportunity": "opportunité",
    "stand": "signifie", "illness": "maladie", "disability": "handicap", "disabled": "handicapées",
    "worker": "intervenant", "workers": "intervenants", "family": "famille", "caregiver": "aidant",
    "caregivers": "aidants", "mutual": "mutuelle", "help": "aide entraide", "role": "rôle", "definition": "définition",
    "glossary": "glossaire", "according": "selon", "where": "lieu", "when": "date", "salary": "salaire rémunération",
    "pay": "rémunération", "paid": "rémunéré", "hospital": "hôpital", "care": "soins", "team": "équipe",
    "teams": "équipes", "group": "groupe", "groups": "groupes", "expert": "expert", "representative": "représentant",
    "representatives": "représentants", "rights": "droits", "empowerment": "empowerment pouvoir", "community": "communauté",
    "practice": "pratique", "evaluation": "évaluation", "program": "programme", "programme": "programme",
    "members": "membres", "workshop": "atelier", "workshops": "ateliers", "meeting": "rencontre réunion",
    "self-help": "entraide", "association": "association", "associations": "associations", "lived": "vécu",
    "experience": "expérience vécu", "education": "éducation enseignement", "state": "état",
    "french": "français française francophone", "french-speaking": "francophone", "ministry": "ministère",
    "higher": "supérieur", "june": "juin", "september": "septembre", "online": "visio",
    "launched": "lancé lancement", "launch": "lancé lancement", "self-assessment": "auto-évaluation",
    "assessment": "évaluation", "tools": "outils", "tool": "outil", "report": "rapport", "published": "publié",
    "project": "projet", "projects": "projets", "european": "européen", "national": "national nationale",
}
EN_FR = {**GENERAL_EN_FR, **DOMAIN_EN_FR}
# French terms of the domain with their usual English, given to the model that translates
# verified French sentences (translation.py), so that a term is rendered the same way each time.
TERMS_FR_EN = {
    "médiateur de santé pair": "peer health mediator", "médiateurs de santé pairs": "peer health mediators",
    "médiateur santé pair": "peer health mediator", "pair-aidance": "peer support", "pair aidance": "peer support",
    "pair-aidant": "peer helper", "pair aidant": "peer helper", "pairs-aidants": "peer helpers",
    "pairs aidants": "peer helpers", "pair-émulation": "peer emulation", "travailleur pair": "peer worker",
    "travailleurs pairs": "peer workers", "travail pair": "peer work", "intervenant pair": "peer worker",
    "intervenants pairs": "peer workers", "patient partenaire": "partner patient", "patients partenaires": "partner patients",
    "patient expert": "expert patient", "patients experts": "expert patients", "patient ressource": "resource patient",
    "savoirs expérientiels": "experiential knowledge", "savoir expérientiel": "experiential knowledge",
    "représentant des usagers": "user representative", "représentants des usagers": "user representatives",
    "usagers": "service users", "usager": "service user", "rétablissement": "recovery", "entraide": "mutual aid",
    "groupe d'entraide mutuelle": "mutual aid group", "proche aidant": "family carer", "proches aidants": "family carers",
    "soignants": "healthcare staff", "soignant": "healthcare worker",
    "éducation thérapeutique du patient": "therapeutic patient education", "pouvoir d'agir": "empowerment",
    "santé mentale": "mental health", "intervention par les pairs": "peer intervention", "par les pairs": "by peers",
    "entre pairs": "between peers", "les pairs": "peers",
}

_ENGLISH_QUESTION_WORDS = frozenset("what who how which when where does did is are was were the of and in a an".split())


def question_words(question: str, english: bool | None = None, first_only: bool = False) -> list[str]:
    """The stems a sentence should cover: the question's content words, in French (with
    `first_only`, one French word per English word: alternatives would count as words the
    passage must all cover). `english`: the question's language when the caller knows it;
    None reads it from the question."""
    if english is None:
        english = is_english(question)
    if not english:
        return tokens(question)
    # each word in its own case: an untranslated "COPS" stays an acronym for `tokens`
    kept = [w for w in re.findall(r"[\w'’-]+", question) if w.lower() not in _ENGLISH_QUESTION_WORDS]
    # one stem once: "organised" is « organisé organisée organisés organisées », one word asked
    return list(dict.fromkeys(tokens(" ".join(french_of(w) if first_only else EN_FR.get(w.lower(), w) for w in kept))))


def french_words(word: str) -> list[str]:
    """Every French equivalent the glossary gives an English word (none: [])."""
    return EN_FR.get(word.lower(), "").split()


def french_of(word: str) -> str:
    """The first French equivalent of an English word (the word itself, as written, when
    the glossary has none)."""
    return EN_FR.get(word.lower(), word).split()[0]


# English words that carry no content of their own (negations and quantifiers have their
# own checks: meaning/polarity.py, meaning/quantifiers.py).
ENGLISH_FUNCTION_WORDS = frozenset("""
    the of and to in is are was were be been being by for with on at from as that this these those it its their they
    them he she his her an a or but which who whom whose what when where how also has have had do does did can could
    would should will may might must into than then there such so very more most other some any each all both only own
    same not no nor its about over under between during through per via""".split())


def english_terms(text: str) -> list[tuple[str, ...]]:
    """Each English content word of `text` as the stems that may render it in a French
    passage: its French equivalents first, then its own stem (names, figures and cognates
    are written alike: "CRES", "54", "analysis" ~ "analyse")."""
    terms = []
    for written in re.findall(r"[\w'’-]+", text):
        word = written.lower()
        if word in ENGLISH_FUNCTION_WORDS or word in _ENGLISH_QUESTION_WORDS:
            continue
        french = tokens(EN_FR[word]) if word in EN_FR else []
        alternatives = tuple(dict.fromkeys(french + tokens(written)))  # "CRES" in its capitals
        if alternatives:
            terms.append(alternatives)
    return terms
