"""Opposite words (supérieur/inférieur, obligatoire/facultatif …) and swapped comparisons.

The table lists inflected forms: they are matched by stem, so "supérieures" finds "supérieur".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.meaning.polarity import negations
from assistant.meaning.synonyms import synonyms
from assistant.text import fold
from assistant.meaning.words import Finding, Word, clause_breaks, content_stems, is_content, phrase_key, stem, stems_of, words

# One pair per line: forms of one side | forms of the other side. "à distance" is a phrase.
_FRENCH = """
supérieur, supérieure, supérieurs, supérieures | inférieur, inférieure, inférieurs, inférieures
plus, davantage | moins
augmenter, augmente, augmentent, augmenté, augmentée, augmentés, augmentation, augmentations, hausse, hausses, accroître, accroît, accroissent, accru, accrue, accrus, accroissement, croissant, croissante, croissance | diminuer, diminue, diminuent, diminué, diminuée, diminués, diminution, diminutions, baisse, baisses, baissent, réduire, réduit, réduite, réduits, réduites, réduisent, réduction, réductions, décroissant, déclin, moindre, moindres
majorité, majoritaire, majoritaires, majoritairement | minorité, minoritaire, minoritaires, minoritairement
majeur, majeure, majeurs, majeures | mineur, mineure, mineurs, mineures
meilleur, meilleure, meilleurs, meilleures, mieux | pire, pires, moins bien
obligatoire, obligatoires, obligatoirement | facultatif, facultative, facultatifs, facultatives, optionnel, optionnelle, optionnels, optionnelles
volontaire, volontaires, volontariat | imposé, imposée, imposés, imposées, contraint, contrainte, contraints
autorisé, autorisée, autorisés, autorisées, autorisation, permis, permise, permises | interdit, interdite, interdits, interdites, interdiction
reconnu, reconnue, reconnus, reconnues, reconnaissance | contesté, contestée, contestés, contestées, méconnu, méconnue, méconnus, méconnues, méconnaissance
remplacer, remplace, remplacent, remplacé, remplacée, remplacés, remplacement, substituer, substitue, substituent, substitution, à la place, concurrence, concurrencer | en binôme, aux côtés, compléter, complètent, complété, complétée, complément, compléments, complémentaire, complémentaires, complémentarité
bénévole, bénévoles, bénévolat | salarié, salariée, salariés, salariées, salariat, rémunéré, rémunérée, rémunérés, rémunérées, rémunération, payé, payée, payés, payées
avant, préalablement, au préalable | après
antérieur, antérieure, antérieurs, antérieures | postérieur, postérieure, postérieurs, postérieures
en amont | en aval
individuel, individuelle, individuels, individuelles, individuellement | collectif, collective, collectifs, collectives, collectivement, communautaire, communautaires
bien connu, bien connue, bien connus, bien connues, très connu, connu de tous | peu connu, peu connue, peu connus, peu connues, méconnu, méconnue, méconnus
milieu ordinaire | milieu protégé, milieu adapté
formation initiale | formation continue
formel, formelle, formels, formelles | informel, informelle, informels, informelles
interne, internes | externe, externes
intérieur, intérieure | extérieur, extérieure
public, publique, publics, publiques | privé, privée, privés, privées
gratuit, gratuite, gratuits, gratuites, gratuité | payant, payante, payants, payantes
présentiel, présentielle | distanciel, distancielle, à distance
possible, possibles | impossible, impossibles
utile, utiles | inutile, inutiles
favorable, favorables | défavorable, défavorables
positif, positive, positifs, positives | négatif, négative, négatifs, négatives
avantage, avantages, atout, atouts, force, forces, point fort, points forts | inconvénient, inconvénients, désavantage, désavantages, faiblesse, faiblesses, limite, limites, point faible, points faibles
succès, réussite, réussites, réussir, réussi | échec, échecs, échouer, échoué
accepter, accepte, acceptent, accepté, acceptée, acceptés, acceptation | refuser, refuse, refusent, refusé, refusée, refusés, refus, rejeter, rejette, rejettent, rejeté, rejetée, rejet
inclure, inclut, incluent, inclus, incluse, incluses, inclusion | exclure, exclut, excluent, exclu, exclue, exclus, exclues, exclusion
renforcer, renforce, renforcent, renforcé, renforcée, renforcement | affaiblir, affaiblit, affaiblissent, affaibli, affaiblie, affaiblissement, fragiliser, fragilise, fragilisent, fragilisé
faciliter, facilite, facilitent, facilité, facilitée, favoriser, favorise, favorisent, favorisé, favorisée, levier, leviers | freiner, freine, freinent, freiné, frein, freins, entraver, entrave, entravent, entravé, entraves, obstacle, obstacles, limiter, limitent, limité, limitée, limités, restreindre, restreint, restreignent
long, longue, longs, longues | court, courte, courts, courtes
début, débuts, commencement | fin
commencer, commence, commencent, commencé, débuter, débute | terminer, termine, terminent, terminé, finir, finit, achever, achève, achevé
premier, première, premiers, premières | dernier, dernière, derniers, dernières
ancien, ancienne, anciens, anciennes | nouveau, nouvel, nouvelle, nouveaux, nouvelles, récent, récente, récents, récentes
actif, active, actifs, actives | passif, passive, passifs, passives
simple, simples | complexe, complexes, compliqué, compliquée, compliqués
identique, identiques, semblable, semblables, similaire, similaires, même, mêmes | différent, différente, différents, différentes, distinct, distincte, distincts, distinctes
facile, faciles, facilement | difficile, difficiles, difficilement
présence | absence
améliorer, améliore, améliorent, amélioré, améliorée, amélioration, améliorations | dégrader, dégrade, dégradent, dégradé, dégradation, détériorer, détériore, détérioré, détérioration, aggraver, aggrave, aggravent, aggravé, aggravation
gain, gains | perte, pertes
largement, beaucoup, énormément | très peu
de nombreux, de nombreuses, beaucoup de | peu de
important, importante, importants, importantes | marginal, marginale, marginaux, marginales, négligeable, négligeables, infime, infimes
opposé, opposée, opposés, opposées, contraire, contraires | synonyme, synonymes, équivalent, équivalente, équivalents
élevé, élevée, élevés, élevées, fort, forte, forts, fortes, fortement, haut, haute, hauts, hautes | faible, faibles, faiblement
maximum, maximal, maximale, maximaux | minimum, minimal, minimale, minimaux
principal, principale, principaux, principales | secondaire, secondaires
central, centrale, centraux, centrales | périphérique, périphériques, marginal, marginale, marginaux, marginales
fréquent, fréquente, fréquents, fréquentes | rare, rares
rapide, rapides, rapidement | lent, lente, lents, lentes, lentement
précoce, précoces, tôt | tardif, tardive, tardifs, tardives, tard
efficace, efficaces, efficacité | inefficace, inefficaces, inefficacité
adapté, adaptée, adaptés, adaptées | inadapté, inadaptée, inadaptés, inadaptées
suffisant, suffisante, suffisants, suffisantes | insuffisant, insuffisante, insuffisants, insuffisantes, insuffisance
accessible, accessibles, accessibilité | inaccessible, inaccessibles
visible, visibles, visibilité | invisible, invisibles, invisibilité
légitime, légitimes, légitimité | illégitime, illégitimes
égalité, égal, égale, égaux, égalitaire, égalitaires | inégalité, inégalités, inégal, inégale, inégaux, hiérarchisé, hiérarchisée, hiérarchisés, hiérarchisées, hiérarchique, hiérarchiques
stable, stables, stabilité, stabilisation | instable, instables, instabilité
autonome, autonomes, autonomie, indépendant, indépendante, indépendance | dépendant, dépendante, dépendants, dépendance
explicite, explicites | implicite, implicites
direct, directe, directs, directes, directement | indirect, indirecte, indirects, indirectes, indirectement
temporaire, temporaires, provisoire, ponctuel, ponctuelle, ponctuels | permanent, permanente, permanents, pérenne, pérennes, durable, durables
satisfait, satisfaite, satisfaits, satisfaction | insatisfait, insatisfaite, insatisfaits, insatisfaction
confiance | méfiance, défiance
valoriser, valorise, valorisent, valorisé, valorisée, valorisation, valorisant | dévaloriser, dévalorise, dévalorisé, dévalorisation, dévalorisant, dénigrer, dénigré, dénigrés
encourager, encourage, encouragent, encouragé | décourager, décourage, découragent, découragé
ouvert, ouverte, ouverts, ouvertes, ouverture | fermé, fermée, fermés, fermées, fermeture
connu, connue, connus, connues | inconnu, inconnue, inconnus, inconnues
savoir professionnel, savoirs professionnels | savoir profane, savoirs profanes, savoir expérientiel, savoirs expérientiels
spécialiste, spécialistes, spécialisé, spécialisée, spécialisés | généraliste, généralistes
qualitatif, qualitative, qualitatifs, qualitatives | quantitatif, quantitative, quantitatifs, quantitatives
homogène, homogènes | hétérogène, hétérogènes
urbain, urbaine, urbains, urbaines | rural, rurale, ruraux, rurales
vrai, vraie, vrais | faux, fausse, fausses
progrès, progression, essor, progresser, progresse, progressent | régression, recul, déclin, reculer, recule, reculent, régresser, régresse, régressent, décliner, décline, déclinent
bon, bonne, bons, bonnes | mauvais, mauvaise, mauvaises
grand, grande, grands, grandes | petit, petite, petits, petites
large, larges, élargi, élargie | restreint, restreinte, restreints, étroit, étroite
ajouter, ajoute, ajoutent, ajouté, ajout, créer, crée, créent, créé, créée, création | supprimer, supprime, suppriment, supprimé, supprimée, suppression, retirer, retiré
gagner, gagne, gagnent, gagné | perdre, perd, perdent, perdu
surestimer, surestimé, surestimée, surreprésenté, surreprésentés | sous-estimer, sous-estimé, sous-estimée, sous-représenté, sous-représentés
homme, hommes | femme, femmes
associer, associe, associent, associant, associé, associée, associés, intégrer, intègre, intègrent, intégrant, intégré, intégrée, impliquer, implique, impliquent, impliquant | écarter, écarte, écartent, écartant, écarté, écartée, écartés, ignorer, ignore, ignorent, ignorant, ignoré, ignorée
libre d'accès, libre accès, ouvert à tous, ouverte à tous | réservé, réservée, réservés, réservées, interdit, interdite, fermé, fermée
promouvoir, promeut, promeuvent, promouvant, promotion, encourageant, inciter, incite, incitent, incitant | freiner, freine, freinent, dissuader, dissuade, dissuadent, dissuadé, dissuadant, décourager, décourage, découragent, décourageant
rassembler, rassemble, rassemblent, rassemblant, rassemblé, fédérer, fédère, fédèrent, regrouper, regroupe, regroupent | disperser, disperse, dispersent, dispersé, dispersées, éparpiller, éparpille, diviser, divise, divisent
contribuer, contribue, contribuent, contribué, participe de, participent de, bénéfique, bénéfiques | nuire, nuit, nuisent, nui, nuisible, nuisibles, préjudiciable, préjudiciables
évolutif, évolutive, évolutifs, évolutives, en évolution | figé, figée, figés, figées, immuable, immuables, statique, statiques
au moins, au minimum | au plus, au maximum, tout au plus
depuis peu, récemment, récent, récente, récents, récentes | de longue date, depuis longtemps, de tout temps
principalement, surtout, essentiellement, avant tout | moins, marginalement
bousculer, bouscule, bousculent, bousculé, bousculée, bousculés, ébranler, ébranle, ébranlent, ébranlé, déstabiliser, déstabilise, déstabilisent, déstabilisé | conforter, conforte, confortent, conforté, confortée, confortés, rassurer, rassure, rassurent, rassuré, rassurés
déployer, déploie, déploient, déployé, déployée, déployés, déploiement, étendre, étend, étendent, étendu, étendue, élargir, élargit, élargissent | réduire, réduit, réduite, réduisent, restreindre, restreint, restreignent, resserrer, resserré
"""

_ENGLISH = """
higher, high, greater, above, superior | lower, low, smaller, below, inferior
more | less, fewer
increase, increases, increased, increasing, rise, rises, growth, grow, grows | decrease, decreases, decreased, decreasing, reduce, reduces, reduced, reduction, decline, declines, fall, falls
mandatory, compulsory, obligatory | optional, voluntary
allowed, permitted, authorised, authorized | forbidden, prohibited, banned
before, prior | after
volunteer, volunteers, unpaid, voluntary | paid, salaried, employed, remunerated
replace, replaces, replaced, replacing, substitute, substitutes | complement, complements, complementary, supplement
better, best | worse, worst
first | last
strength, strengths, advantage, advantages, asset, assets | weakness, weaknesses, disadvantage, disadvantages, limitation, limitations, drawback, drawbacks
success, successful, succeed, succeeds | failure, failures, failed, fail, fails
positive | negative
include, includes, included, inclusion | exclude, excludes, excluded, exclusion
accept, accepts, accepted, acceptance | refuse, refuses, refused, reject, rejects, rejected, rejection
formal | informal
individual | collective
internal | external
public | private
possible | impossible
useful | useless
effective, efficient | ineffective, inefficient
improve, improves, improved, improvement | worsen, worsens, worsened, deteriorate, deteriorated, deterioration
majority | minority
strengthen, strengthens, strengthened | weaken, weakens, weakened
facilitate, facilitates, facilitated, enable, enables, facilitator, facilitators | hinder, hinders, hindered, impede, impedes, barrier, barriers
early, earlier | late, later
long, longer | short, shorter
old, older | new, newer, recent
active | passive
simple | complex, complicated
same, similar, identical | different, distinct
easy, easier | difficult, harder
presence, present | absence, absent
gain, gains | loss, losses
direct, directly | indirect, indirectly
temporary | permanent
men | women
"""


@dataclass(frozen=True)
class Pole:
    pair: int  # index of the opposition in the table
    side: int  # 0 or 1


@dataclass(frozen=True)
class PoleMatch:
    pole: Pole
    first: int  # word indexes, inclusive
    last: int
    text: str  # as written


def _parse(table: str, offset: int, by: str) -> dict[tuple[str, ...], list[Pole]]:
    index: dict[tuple[str, ...], list[Pole]] = {}
    for pair, line in enumerate(l for l in table.strip().splitlines() if l.strip()):
        for side, forms in enumerate(line.split("|")):
            for form in forms.split(","):
                poles_of_form = index.setdefault(phrase_key(form.strip(), by), [])
                if Pole(offset + pair, side) not in poles_of_form:
                    poles_of_form.append(Pole(offset + pair, side))
    return index


_FRENCH_PAIRS = len(_FRENCH.strip().splitlines())
PAIR_COUNT = _FRENCH_PAIRS + len(_ENGLISH.strip().splitlines())
# French forms match by stem; English forms as written, since French stems would merge
# English "present" with French "présente", "men" with "mène".
_INDEXES = (("stem", _parse(_FRENCH, 0, "stem")), ("folded", _parse(_ENGLISH, _FRENCH_PAIRS, "folded")))
_LONGEST = max(len(k) for _, index in _INDEXES for k in index)
_STEM_INDEX = _INDEXES[0][1]

# Forms whose stem collides with a table entry but mean something else.
_UNRELATED_FORMS = frozenset(
    """exclusivement exclusif exclusive exclusifs exclusives simplement activite activites position positions
    identite identites faculte facultes eleve eleves basee base bases permet permettent simplifier
    complet completement finance financement financements finir finale publication publications
    forcement formalite hautement identifier identifie presente presentent presenter
    remplir longtemps courant courante courants mieux-etre""".split()
)
_DETERMINERS = frozenset(
    "le la les l' un une des du de d' au aux ce cet cette ces son sa ses leur leurs notre nos votre vos mon ma mes".split()
)
_COMPARATIVE = frozenset({"plus", "moins", "more", "less", "fewer"})


def pole_of(form: str, english: bool = False) -> Pole | None:
    """The pair and side a listed form belongs to ("supérieur" -> pair 0, side 0)."""
    by, index = _INDEXES[1] if english else _INDEXES[0]
    found = index.get(phrase_key(form, by))
    return found[0] if found else None


def poles(text: str) -> list[PoleMatch]:
    """The opposite-pair words of `text`, skipping senses unrelated to the pair."""
    ws = words(text)
    return _poles(ws, clause_breaks(text, ws))


def _poles(ws: Sequence[Word], breaks: frozenset[int]) -> list[PoleMatch]:
    keys = {"stem": [w.stem for w in ws], "folded": [w.folded for w in ws]}
    found, i = [], 0
    while i < len(ws):
        for size in range(min(_LONGEST, len(ws) - i), 0, -1):
            entry = [p for by, index in _INDEXES for p in index.get(tuple(keys[by][i : i + size]), [])]
            crosses_break = any(k in breaks for k in range(i + 1, i + size))
            if entry and not crosses_break and _in_sense(ws, i, size, breaks):
                text = " ".join(w.text for w in ws[i : i + size])
                found.extend(PoleMatch(p, i, i + size - 1, text) for p in entry)
                i += size - 1
                break
        i += 1
    return found


def _with_synonym_poles(ws: Sequence[Word], breaks: frozenset[int]) -> list[PoleMatch]:
    """The pair words of `ws` (`_poles`), and each other word that is a synonym of one
    (synonyms.py): « participent au développement » stands on the side of « contribuent »,
    opposite « nuisent »."""
    found = _poles(ws, breaks)
    taken = {k for m in found for k in range(m.first, m.last + 1)}
    for i, word in enumerate(ws):
        if i in taken or not _in_sense(ws, i, 1, breaks):
            continue
        poles_of = {p for other in synonyms(word.stem) for p in _STEM_INDEX.get((other,), [])}
        found.extend(PoleMatch(p, i, i, word.text) for p in sorted(poles_of, key=repr))
    return found


def _in_sense(ws: Sequence[Word], i: int, size: int, breaks: frozenset[int]) -> bool:
    """False for the cheaply detectable unrelated senses ("de plus", "ce dernier", "le public")."""
    word = ws[i]
    if size == 1 and word.folded in _UNRELATED_FORMS:
        return False
    if i > 0 and word.text[:1].isupper() and i not in breaks:
        return False  # part of a name: "Haute Autorité de santé"
    before = ws[i - 1].folded if i > 0 else ""
    after = ws[i + 1].folded if i + 1 < len(ws) else ""
    folded = word.folded
    if folded in _COMPARATIVE:
        return is_comparative(ws, i, breaks)
    if folded in {"complete", "completes"}:
        return after in _DETERMINERS  # the verb "il complète l'équipe", not "une formation complète"
    guards = {
        "avant": before in {"en", "l'", "d'"} or after == "tout",
        "apres": before in {"d'", "l'"} or after == "tout",
        "meme": before not in {"le", "la", "les", "l'", "un", "une", "des", "du", "au", "aux"},
        "memes": before not in {"les", "des", "aux", "memes"},
        "differents": before in _DETERMINERS | {"plusieurs", "trois", "deux"},
        "differentes": before in _DETERMINERS | {"plusieurs", "trois", "deux"},
        "public": before in _DETERMINERS | {"grand", "tout", "large", "nouveau", "nouveaux"} or after == "cible",
        "publics": before in _DETERMINERS | {"grands", "tous", "nouveaux"} or after == "cibles",
        "dernier": before in {"ce", "cet"},
        "derniere": before == "cette",
        "derniers": before == "ces",
        "dernieres": before == "ces",
        "long": before in {"au", "le", "as"},
        "simple": before in {"un", "une", "de", "d'", "et", "pur", "pure"},
        "simples": before in {"de", "d'", "des"},
        "force": before == "a",
        "forces": before == "a",
        "fort": after in {"a", "au"},
        "limite": before == "la" and i > 1 and ws[i - 2].folded == "a",
        "nouveau": before in {"a", "de"},
        "prive": after in {"de", "d'"},
        "privee": after in {"de", "d'"},
        "prives": after in {"de", "d'"},
        "privees": after in {"de", "d'"},
    }
    return not guards.get(folded, False)


def is_comparative(ws: Sequence[Word], i: int, breaks: frozenset[int]) -> bool:
    """"plus de", "plus nombreux que", "les plus anciens"; not "ne … plus", "de plus", "non plus", "plus tard"."""
    folded = ws[i].folded
    before = ws[i - 1].folded if i > 0 else ""
    after = ws[i + 1].folded if i + 1 < len(ws) else ""
    if folded in {"plus", "moins"}:
        # "de plus en plus", "de moins en moins"
        trend = (before == "de" and after == "en") or (before == "en" and i > 1 and ws[i - 2].folded == folded)
        if not trend and before in {"de", "non", "en", "au", "du", "ou", "a", "pour", "sans"}:
            return False
        if after in {"tard", "tot", "ou", "loin"} or (before == "en" and i in breaks):
            return False
        return not _after_ne(ws, i, breaks)
    if before in {"no", "any", "or", "once", "nevertheless"} or after == "or":
        return False
    return True


def _after_ne(ws: Sequence[Word], i: int, breaks: frozenset[int]) -> bool:
    """"ne … plus" (no longer), unless "pas"/"jamais" took the negation first ("ne sont pas plus nombreux")."""
    for k in range(i - 1, max(-1, i - 6), -1):
        if ws[k].folded in {"pas", "jamais", "point", "guere"}:
            return False
        if ws[k].folded in {"ne", "n'"}:
            return True
        if k in breaks:
            return False
    return False


# Antonyms --------------------------------------------------------------------------------


def inverted_pairs(claim: str, source: str) -> list[Finding]:
    """Opposite words: the claim uses one side of a pair, the source only the other side."""
    claim_ws, source_ws = words(claim), words(source)
    claim_breaks, source_breaks = clause_breaks(claim, claim_ws), clause_breaks(source, source_ws)
    claim_poles = _with_synonym_poles(claim_ws, claim_breaks)
    source_poles = _with_synonym_poles(source_ws, source_breaks)
    if not claim_poles or not source_poles:
        return []
    findings = []
    for pair in sorted({m.pole.pair for m in claim_poles} & {m.pole.pair for m in source_poles}):
        in_claim = [m for m in claim_poles if m.pole.pair == pair]
        in_source = [m for m in source_poles if m.pole.pair == pair]
        claim_sides = {m.pole.side for m in in_claim}
        if len(claim_sides) != 1:
            continue
        claim_match = in_claim[0]
        # « dépasser les freins … favoriser leurs intégrations »: with both sides in the source,
        # the one that bears on what the claim's word bears on
        in_source = _bearing_on(_object_of(claim_ws, claim_match), source_ws, in_source)
        source_sides = {m.pole.side for m in in_source}
        if claim_sides == source_sides or len(source_sides) != 1:
            continue
        source_match = in_source[0]
        # "n'est pas obligatoire" says "facultatif": one negated side turns the pair back.
        if _is_negated(claim_ws, claim_match, _negated_stems(claim)) != _is_negated(
            source_ws, source_match, _negated_stems(source)
        ):
            continue
        if _is_comparative_pair(claim_ws, claim_match) and _swapped_directions(claim, source):
            continue  # "A plus nombreux que B" = "B moins nombreux que A"
        findings.append(
            Finding(
                "antonym",
                claim_match.text,
                source_match.text,
                f"the claim says '{claim_match.text}' where the source says the opposite, '{source_match.text}'",
            )
        )
    return findings


OBJECT_REACH = 2  # content words after a pole word that say what it bears on


def _object_of(ws: Sequence[Word], match: PoleMatch) -> frozenset[str]:
    following = [w for w in ws[match.last + 1:] if is_content(w)][:OBJECT_REACH]
    return stems_of(following)


def _bearing_on(what: frozenset[str], ws: Sequence[Word], matches: list[PoleMatch]) -> list[PoleMatch]:
    """The matches whose object shares a word with `what`; all of them when the sides agree
    or none does."""
    if len({m.pole.side for m in matches}) < 2:
        return matches
    bearing = [m for m in matches if _object_of(ws, m) & what]
    return bearing or matches


def _negated_stems(text: str) -> frozenset[str]:
    return frozenset(s for n in negations(text) for s in n.scope)


_NEGATION_CUES = frozenset({"pas", "jamais", "non", "guere", "nullement", "aucunement", "not", "never"})
NEGATION_REACH = 3  # words before a pole word: "n'est pas le même" (« même » is no content word of a scope)


def _is_negated(ws: Sequence[Word], match: PoleMatch, negated: frozenset[str]) -> bool:
    stems = stems_of(ws[match.first : match.last + 1])
    if stems and stems <= negated:
        return True
    return any(w.folded in _NEGATION_CUES for w in ws[max(0, match.first - NEGATION_REACH) : match.first])


def _is_comparative_pair(ws: Sequence[Word], match: PoleMatch) -> bool:
    return any(
        ws[k].folded in _COMPARATIVE or ws[k].stem in _DIRECTIONS or ws[k].folded in _ENGLISH_DIRECTIONS
        for k in range(match.first, match.last + 1)
    )


# Comparisons -----------------------------------------------------------------------------

# French by stem, English as written (French stems of English words are not reliable).
_DIRECTIONS = {
    **{stem(w): "+" for w in "supérieur supérieure meilleur meilleure mieux dépasse dépassent davantage".split()},
    **{stem(w): "-" for w in "inférieur inférieure pire".split()},
}
_ENGLISH_DIRECTIONS = {
    **{w: "+" for w in "higher greater better superior exceeds exceed larger bigger".split()},
    **{w: "-" for w in "lower smaller worse inferior".split()},
}
_TAKES_TO = frozenset({stem("supérieur"), stem("inférieur"), "superior", "inferior"})
_TAKES_OBJECT = frozenset({stem("dépasse"), "exceeds", "exceed"})
_THAN = frozenset({"que", "qu'", "than"})
_TO = frozenset({"a", "au", "aux", "to"})
_COMPARED = frozenset({"compare", "comparee", "compares", "comparees", "compared", "versus", "vs"})
_RIGHT_CAP = 4
_LEFT_CAP = 5


@dataclass(frozen=True)
class Comparison:
    direction: str  # "+" or "-"
    marker: str  # as written: "plus", "supérieur"
    left: frozenset[str]  # stems of what is compared (and the measure)
    right: frozenset[str]  # stems of what it is compared to
    text: str  # the comparison as written


def comparisons(text: str) -> list[Comparison]:
    """Comparative frames: "A sont plus nombreux que B", "A est supérieur à B", "A more than B"."""
    ws = words(text)
    breaks = clause_breaks(text, ws)
    found = []
    for i, word in enumerate(ws):
        direction = _direction(ws, i, breaks)
        if direction is None:
            continue
        frame = _frame(ws, i, breaks, direction)
        if frame is not None:
            found.append(frame)
    return found


def _direction(ws: Sequence[Word], i: int, breaks: frozenset[int]) -> str | None:
    folded = ws[i].folded
    if folded in _COMPARATIVE:
        if not is_comparative(ws, i, breaks):
            return None
        return "+" if folded in {"plus", "more"} else "-"
    return _DIRECTIONS.get(ws[i].stem) or _ENGLISH_DIRECTIONS.get(folded)


def _frame(ws: Sequence[Word], i: int, breaks: frozenset[int], direction: str) -> Comparison | None:
    start = max(b for b in breaks if b <= i)
    end = min((b for b in breaks if b > i), default=len(ws))
    right_at = _right_marker(ws, i, end)
    if right_at is None:
        return None
    marker_end, right_start = right_at
    left = [w for w in ws[start:marker_end] if w is not ws[i] and w.folded not in _COMPARATIVE]
    right = ws[right_start:end]
    right_stems = [s for w in right for s in content_stems(w)][:_RIGHT_CAP]
    left_stems = [s for w in left for s in content_stems(w)][-_LEFT_CAP:]
    if not right_stems or not left_stems:
        return None
    text = " ".join(w.text for w in ws[start:end])
    return Comparison(direction, ws[i].text, frozenset(left_stems), frozenset(right_stems), text)


def _right_marker(ws: Sequence[Word], i: int, end: int) -> tuple[int, int] | None:
    """(index where the compared side ends, index where the other side starts)."""
    marker = ws[i].stem if ws[i].stem in _DIRECTIONS else ws[i].folded
    for k in range(i + 1, min(end, i + 8)):
        folded = ws[k].folded
        if folded in _THAN:
            return k, k + 1
        if folded in _TO and marker in _TAKES_TO:
            return k, k + 1
        if folded == "par" and k + 1 < end and ws[k + 1].folded == "rapport":
            return k, k + 2
        if folded in _COMPARED:
            return k, k + 1
    if marker in _TAKES_OBJECT:
        return i, i + 1
    return None


def _swapped(claim: Comparison, source: Comparison) -> bool:
    moved_left = (claim.left - source.left) & source.right
    moved_right = (claim.right - source.right) & source.left
    return bool(moved_left and moved_right)


def _swapped_directions(claim: str, source: str) -> bool:
    """Both the direction and the compared terms changed: the meaning is kept."""
    return any(
        c.direction != s.direction and _swapped(c, s) for c in comparisons(claim) for s in comparisons(source)
    )


def comparison_swap(claim: str, source: str) -> Finding | None:
    """Same comparison, compared terms exchanged: "A plus nombreux que B" vs "B plus nombreux que A"."""
    for c in comparisons(claim):
        for s in comparisons(source):
            if c.direction == s.direction and _swapped(c, s):
                return Finding(
                    "comparison_swap", c.text, s.text, "the claim exchanges the two terms of the source's comparison"
                )
    return None


# A ranking is a statement of its own: « des connaissances …, inférieures aux savoirs
# professionnels » adds one to a source that ranks nothing.
_RANKING_PAIRS = frozenset(pole_of(form).pair for form in ("supérieur", "meilleur"))
_MANNER = frozenset({"mieux", "moins bien"})  # « pour mieux accompagner » ranks nothing


def ranking_added(claim: str, source: str) -> Finding | None:
    """The claim ranks (supérieur/inférieur, meilleur/pire) where the source uses neither side.
    Within one language: an English "lower" has no French pole to meet."""
    said = {m.pole.pair for m in poles(source)}
    for match in poles(claim):
        if match.pole.pair in _RANKING_PAIRS and match.pole.pair not in said and match.text.lower() not in _MANNER:
            return Finding("ranking_added", match.text, "", f"the claim ranks ('{match.text}'), the source does not")
    return None


def comparison_added(claim: str, source: str) -> Finding | None:
    """The claim compares (« A plus restreint que B », « d'autant moins possible que … »)
    where the source compares nothing: the comparison is the claim's own statement. A
    capitalised name is no comparison (« le ministère de l'Enseignement supérieur »)."""
    if comparisons(source):
        return None
    source_stems = {w.stem for w in words(source)}
    for found in comparisons(claim):
        if re.search(rf"\b[A-ZÀ-Ý][\w'’-]*\s+{re.escape(found.marker)}\b", claim):
            continue
        if fold(found.marker).lower() not in _COMPARATIVE and {w.stem for w in words(found.marker)} & source_stems:
            continue  # the source writes the comparison too, read without its other side (« inférieur à 40 % »);
            # not « plus »/« moins », which the source may write in « de plus », « ne … plus »
        return Finding("comparison_added", found.marker, "", f"the claim compares ('{found.marker}'), the source does not")
    return None


# A trend is a statement of its own too: « intègrent de moins en moins » says what « intègrent
# désormais » does not. A source that states a change in other words (« un essor », « se
# développe », « en baisse ») leaves the direction to the antonym checks.
_TREND = re.compile(r"\bde (?:plus|moins) en (?:plus|moins)\b|\bmore and more\b|\bless and less\b|\bincreasingly\b")
_CHANGE = re.compile(r"\b(?:essor|developp|croiss|croit|augment|hausse|progress|diminu|baiss|recul|declin|reduct|redui|"
                     r"accru|accroi|emerg|multipli|rar[eé]fi|grow|increas|decreas|rise|rising|fall)")


def trend_added(claim: str, source: str) -> Finding | None:
    """The claim says something changes over time ("de plus en plus", "de moins en moins")
    where the source states no change at all."""
    found = _TREND.search(fold(claim))
    folded_source = fold(source)
    if not found or _TREND.search(folded_source) or _CHANGE.search(folded_source):
        return None
    return Finding("trend_added", found.group(0), "", f"the claim says '{found.group(0)}', the source states no change")


# A change has a direction: « la transformation de l'expérience en savoir » is not « la
# transformation du savoir en expérience ». Only after a word of change, so that « de soutien
# à domicile » or « de 18 à 25 ans » are no starting and end points.
_CHANGE_WORD = re.compile(r"^(?:transform|convert|convers|passag|pass|evolu|transit|bascul|glissement|gliss|mutat|"
                          r"traduir|tradui|traduct|chang|deplac|turn|shift|move|moving)")
_FROM = frozenset({"de", "du", "des", "d'", "d’", "from"})
_INTO = frozenset({"en", "a", "au", "aux", "vers", "into", "to", "towards"})
_END_REACH = 3  # content words of each end point


def direction_swap(claim: str, source: str) -> Finding | None:
    """The claim changes A into B where the source changes B into A."""
    for start, end in _changes(claim):
        for source_start, source_end in _changes(source):
            if len(start & source_end) > len(start & source_start) and len(end & source_start) > len(end & source_end):
                return Finding("direction_swap", " ".join(sorted(start)), " ".join(sorted(source_start)),
                               "the claim turns around the direction of the change the source states")
    return None


def _end_point(ws: Sequence[Word], first: int) -> int | None:
    """Where « en », « à », « vers » ends the starting point, within its first content words."""
    content = 0
    for k in range(first, len(ws)):
        if ws[k].folded in _INTO:
            return k if content else None
        content += is_content(ws[k])
        if content > _END_REACH:
            return None
    return None


def _changes(text: str) -> list[tuple[frozenset[str], frozenset[str]]]:
    """(stems of the starting point, stems of the end point) after each word of change."""
    ws = words(text)
    breaks = clause_breaks(text, ws)
    found = []
    for i, word in enumerate(ws):
        if not _CHANGE_WORD.match(word.folded) or i + 1 >= len(ws) or ws[i + 1].folded not in _FROM:
            continue
        into = _end_point(ws, i + 2)
        if into is None or any(i < k <= into for k in breaks):
            continue
        start = stems_of(ws[i + 2 : into])
        end_words = []
        for k in range(into + 1, len(ws)):
            if k in breaks or len(end_words) >= _END_REACH:
                break
            if is_content(ws[k]):
                end_words.append(ws[k])
        end = stems_of(end_words)
        if start and end:
            found.append((start, end))
    return found


# « tant aux pairs qu'aux professionnels » puts both on a par; « davantage aux professionnels
# qu'aux pairs » ranks them: the claim breaks an equality its source states.
_EQUALITY = re.compile(r"\b(?:tant|autant|aussi\s+bien)\b(?P<a>[^.;:]{1,60}?)\bqu(?:e\b|['’])(?P<b>[^.;:,]{1,60})"
                       r"|\b(?:à\s+la\s+fois)\b(?P<c>[^.;:]{1,60}?)\bet\b(?P<d>[^.;:,]{1,60})"
                       r"|\bas\s+much\b(?P<e>[^.;:]{1,60}?)\bas\b(?P<f>[^.;:,]{1,60})", re.I)
_UNEQUAL = re.compile(r"\b(?:davantage|plus|moins|mieux|surtout|plutôt|more|less|rather)\b(?P<a>[^.;:]{1,60}?)\b(?:qu(?:e\b|['’])|than\b)"
                      r"(?P<b>[^.;:,]{1,60})", re.I)


def equality_broken(claim: str, source: str) -> Finding | None:
    """The claim ranks two terms (« davantage A que B ») that the source puts on a par
    (« tant A que B », « à la fois A et B »), the same terms on both sides."""
    for equal in _EQUALITY.finditer(source):
        sides = [g for g in equal.groups() if g]
        terms = stems_of(words(" ".join(sides)))
        for unequal in _UNEQUAL.finditer(claim):
            # « A sont plus importants que B »: A comes before the comparative
            before = re.split(r"[.;:,]", claim[max(0, unequal.start() - 60):unequal.start()])[-1]
            first, second = stems_of(words(f"{before} {unequal.group('a')}")), stems_of(words(unequal.group("b")))
            if first & terms and second & terms and not first & second:
                return Finding("equality_broken", unequal.group(0).strip(), equal.group(0).strip(),
                               "the claim ranks what the source puts on a par")
    return None
