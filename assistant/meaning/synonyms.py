"""Words a faithful paraphrase puts in place of the source's: "un contexte propice" for "un
contexte favorable", "qui exige" for "qui suppose", "relevés" for "soulevés".

They count as covered when the verifier measures how much of a claim the aligned source
sentence states (`verify.coverage`). Only words of general French (and English) that keep
the meaning in the contexts of this field are grouped: no role (usager, patient, pair),
no organisation, nothing from the antonym table (lexicon.py) and no figure, so a swapped
role, an inverted comparison or a changed number is judged by its own check as before.
Matched by stem: "favorables" finds "favorable".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

from assistant.meaning.words import is_content, words
from assistant.text import as_digits, tokens

MIN_PREFIX = 5  # stems sharing this many first letters count as the same word (particip-, accompagn-)

# One group per line; every word of a line stands for every other.
_GROUPS = """
créer, aménager, instaurer, instituer
propice, favorable, favorables, propices
exiger, exige, exigent, supposer, suppose, supposent, nécessiter, nécessite, requérir, requiert, impliquer, implique
entraîner, entraîne, entraînent, provoquer, provoque, causer, cause, induire, induit, conséquence, conséquences
relever, relevé, relevés, relevées, soulever, soulevé, soulevés, soulevées, pointer, pointé, pointés, mentionner, mentionné, mentionnés
fondé, fondée, fondés, fondées, basé, basée, basés, basées, reposant, repose, reposent, appuyé, appuyée
indiquer, indique, montrer, montre, révéler, révèle, souligner, souligne, soulignent, ressortir, ressort, ressortent, évidence
volonté, volontés, envie, envies, souhait, souhaits, désir, désirs
mener, mène, mènent, mené, menée, menées, réaliser, réalise, réalisent, réalisant, réalisé, réalisée, réalisées, conduire, conduit, conduisent, effectuer, effectue, effectué
important, importante, importants, importantes, essentiel, essentielle, essentiels, primordial, primordiale, crucial, cruciale, central, centrale
difficulté, difficultés, obstacle, obstacles, frein, freins, problème, problèmes
objectif, objectifs, but, buts, finalité, finalités, visée
aider, aide, soutenir, soutien, épauler, appuyer
personnes, individus, gens
participer, participe, participent, contribuer, contribue, contribuent
réunir, réuni, réunis, réunie, rassembler, rassemblé, rassemblés, regrouper, regroupé, regroupés
considérer, considéré, considérés, considérées, juger, jugé, jugés, jugées, estimer, estimé, estimés, regardé
proposer, propose, proposent, offrir, offre, offrent, suggérer, suggère
solliciter, sollicite, sollicitent, demander, demande, demandent
utiliser, utilise, utilisé, utilisée, employer, emploie, employé, recourir, recours, mobiliser, mobilise, mobilisé
principal, principale, principaux, principales
commencer, commence, débuter, débute, démarrer, démarre, lancer, lancé, lancement
emploi, emplois, poste, postes, métier, métiers
échange, échanges, discussion, discussions, dialogue, débat, débats
actuellement, aujourd'hui, désormais
connaissances, savoirs, savoir
vécu, expérience, expériences
outil, outils, instrument, instruments, moyen, moyens
rencontre, rencontres, réunion, réunions
obtenir, obtient, recevoir, reçoit, bénéficier, bénéficie, bénéficient
enjeu, enjeux, problématique, problématiques
étape, étapes, phase, phases, stade, stades
garantir, garantit, assurer, assure
élaborer, élabore, élaboration, élaboré, élaborés, élaborée, élaborées, construire, construit, construction, coconstruire, coconstruit, coconstruits, coconstruites, coconstruction
représenter, représente, représentent, constituer, constitue, constituent
relation, relations, lien, liens
améliorer, améliore, amélioration, renforcer, renforce, renforcement
changement, changements, évolution, évolutions, transformation, transformations
payé, payée, payés, payées, rémunéré, rémunérée, rémunérés, rémunérées
dispose, disposent, disposer, possède, possèdent, posséder
domaine, domaines, secteur, secteurs, champ, champs
mission, missions, tâche, tâches, fonction, fonctions
caractère, nature
create, establish, build
favourable, favorable, conducive
require, requires, need, needs
show, shows, indicate, indicates, reveal, reveals
important, essential, key, crucial, central
obstacle, obstacles, barrier, barriers, difficulty, difficulties, problem, problems
aim, aims, goal, goals, objective, objectives, purpose
help, helps, support, supports
"""


def _grouped(stems_of: Callable[[str], Iterable[str]]) -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for line in _GROUPS.strip().splitlines():
        stems = {s for form in line.split(",") for s in stems_of(form)}
        for s in stems:
            table.setdefault(s, set()).update(stems - {s})
    return {s: frozenset(others) for s, others in table.items()}


@lru_cache(maxsize=1)
def _table() -> dict[str, frozenset[str]]:
    return _grouped(tokens)


@lru_cache(maxsize=1)
def _word_table() -> dict[str, frozenset[str]]:
    return _grouped(lambda form: [w.stem for w in words(form) if is_content(w)])


def synonyms(token: str) -> frozenset[str]:
    """The stems that stand for a stemmed content word in a faithful paraphrase."""
    return _table().get(token, frozenset())


def word_synonyms(stem: str) -> frozenset[str]:
    """`synonyms` by the stems `words` gives (the Snowball stems the polarity and role checks
    read: « payés » is "pai" there, "pay" for `tokens`)."""
    return _word_table().get(stem, frozenset())


def covered(token: str, available: set[str]) -> bool:
    """The stem is among `available`, or a derivation of one (the same first letters)."""
    if token in available:
        return True
    if len(token) < MIN_PREFIX:
        return False
    prefix = token[:MIN_PREFIX]
    return any(len(other) >= MIN_PREFIX and other[:MIN_PREFIX] == prefix for other in available)


def stated(token: str, available: set[str]) -> bool:
    """A stem is said by those stems: as it is, as a derivation, as its digits (a number
    written out), or by a synonym. Give `available` with its own digit forms
    (`with_digits`) for "15" to find "quinze" too."""
    return covered(token, available) or as_digits(token) in available or bool(synonyms(token) & available)


def with_digits(stems: set[str]) -> set[str]:
    return stems | {as_digits(t) for t in stems}
