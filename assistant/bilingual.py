"""English questions over French passages: the English words of the domain and of questions
with their French equivalents, so that an English question's words can be looked up in
French passages (lexical retrieval, coverage, the sentences the model reads). Scoring
only: nothing here is shown to a user."""

from __future__ import annotations

import re

from .text import tokens

# English words of the domain and of questions, with their French equivalents (scoring only).
EN_FR = {
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
    "experience": "expérience vécu", "june": "juin", "september": "septembre", "online": "visio",
}
_ENGLISH_QUESTION_WORDS = frozenset("what who how which when where does did is are was were the of and in a an".split())


def question_words(question: str, english: bool = False, first_only: bool = False) -> list[str]:
    """The stems a sentence should cover: the question's content words, in French (with
    `first_only`, one French word per English word: alternatives would count as words the
    passage must all cover)."""
    if not english:
        return tokens(question)
    words = re.findall(r"[\w'’-]+", question.lower())
    french = (EN_FR.get(w, w) for w in words if w not in _ENGLISH_QUESTION_WORDS)
    return tokens(" ".join(f.split()[0] if first_only else f for f in french))
