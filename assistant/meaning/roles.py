"""Actors of peer support and who does what to whom.

`role_swap`: "les professionnels forment les pairs" vs "les pairs forment les professionnels".
`role_substitution`: the source gives a predicate to actor A and names actor B elsewhere;
the claim gives that predicate to B.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.meaning.synonyms import stated
from assistant.text import fold, tokens
from assistant.meaning.words import Finding, PhraseTable, PhraseMatch, Word, clause_breaks, content_stems, is_content, words

# canonical key: French forms, matched by stem (the table matches the longest phrase first).
_ACTORS: dict[str, str] = {
    "msp": """médiateur de santé pair, médiateurs de santé pairs, médiatrice de santé pair, médiatrice de santé paire,
              médiatrices de santé pairs, médiateur santé pair, médiateurs santé pairs, médiateur de santé-pair,
              médiateurs de santé-pairs, médiatrice de santé-paire, médiateur pair, médiateurs pairs, MSP""",
    "pair_aidant": """pair-aidant, pairs-aidants, pair-aidante, pairs-aidantes, paire-aidante, pair aidant, pairs aidants,
              pair aidante, pairs aidantes""",
    "travailleur_pair": "travailleur pair, travailleurs pairs, travailleuse paire",
    "pair_emulateur": "pair-émulateur, pairs-émulateurs, pair émulateur, pairs émulateurs, pair-émulatrice",
    "intervenant_pair": "intervenant pair, intervenants pairs, intervenante paire, intervenantes paires",
    "pair": "pair, pairs",
    "patient_partenaire": """patient partenaire, patients partenaires, patiente partenaire, patientes partenaires""",
    "patient_expert": "patient expert, patients experts, patiente experte, patientes expertes",
    "expert_vecu": """expert du vécu, experts du vécu, experte du vécu, expertes du vécu, expert d'expérience,
              experts d'expérience, expert par expérience, experts par expérience""",
    "patient_ressource": "patient ressource, patients ressources, patiente ressource, patients-ressources, patient-ressource",
    "patient_formateur": "patient formateur, patients formateurs, patiente formatrice, patientes formatrices",
    "patient_coach": "patient coach, patients coachs, patients coaches, patiente coach, patientes coachs",
    "patient_chercheur": "patient chercheur, patients chercheurs, patiente chercheuse",
    "representant_usagers": """représentant des usagers, représentants des usagers, représentante des usagers,
              représentantes des usagers""",
    "usager": "usager, usagers, usagère, usagères",
    "patient": "patient, patients, patiente, patientes",
    "professionnel": """professionnel, professionnels, professionnelle, professionnelles, professionnel de santé,
              professionnels de santé, professionnels du soin""",
    "soignant": "soignant, soignants, soignante, soignantes, personnel soignant, personnels soignants",
    "aide_soignant": "aide-soignant, aides-soignants, aide-soignante, aides-soignantes",
    "medecin": "médecin, médecins",
    "infirmier": "infirmier, infirmiers, infirmière, infirmières",
    "psychiatre": "psychiatre, psychiatres",
    "psychologue": "psychologue, psychologues",
    "educateur": "éducateur, éducateurs, éducatrice, éducatrices, éducateur spécialisé, éducateurs spécialisés",
    "travailleur_social": "travailleur social, travailleurs sociaux, travailleuse sociale",
    "equipe": "équipe, équipes, équipe soignante, équipes soignantes",
    "aidant": "aidant, aidants, aidante, aidantes, proche aidant, proches aidants",
    "proche": "proche, proches",
    "famille": "famille, familles",
    "formateur": "formateur, formateurs, formatrice, formatrices",
    "etudiant": "étudiant, étudiants, étudiante, étudiantes",
    "chercheur": "chercheur, chercheurs, chercheuse, chercheuses",
    "benevole": "bénévole, bénévoles",
    "association": "association, associations",
    "etablissement": "établissement, établissements",
    "institution": "institution, institutions",
    "personne_handicapee": """personne handicapée, personnes handicapées, personne en situation de handicap,
              personnes en situation de handicap""",
    "personne_concernee": "personne concernée, personnes concernées",
    "personne_accompagnee": "personne accompagnée, personnes accompagnées",
    "utilisateur": "utilisateur, utilisateurs, utilisatrice, utilisatrices",
    "malade": "malade, malades",
    "habitant": "habitant, habitants, habitante, habitantes",
    "decideur": "décideur, décideurs, décideuse, décideuses",
    "elu": "élu, élus, élue, élues, élus locaux",
    "beneficiaire": "bénéficiaire, bénéficiaires",
}
# English forms are matched as written: French stems would merge "trainer" with "train", "carer" with "car".
_ENGLISH_ACTORS: dict[str, str] = {
    "msp": """peer health mediator, peer health mediators, peer mental health mediator, peer mental health mediators,
              health peer mediator, health peer mediators, peer mediator, peer mediators""",
    "pair_aidant": "peer supporter, peer supporters, peer helper, peer helpers",
    "travailleur_pair": "peer worker, peer workers, peer support worker, peer support workers",
    "pair": "peer, peers",
    "patient_partenaire": "patient partner, patient partners",
    "patient_expert": "expert patient, expert patients",
    "usager": "user, users, service user, service users",
    "patient": "patient, patients",
    "professionnel": "professional, professionals, health professional, health professionals, healthcare professionals",
    "medecin": "doctor, doctors, physician, physicians",
    "infirmier": "nurse, nurses",
    "psychiatre": "psychiatrist, psychiatrists",
    "psychologue": "psychologist, psychologists",
    "travailleur_social": "social worker, social workers",
    "equipe": "team, teams, care team, care teams",
    "aidant": "carer, carers, caregiver, caregivers",
    "famille": "family, families",
    "formateur": "trainer, trainers",
    "etudiant": "student, students",
    "chercheur": "researcher, researchers",
    "benevole": "volunteer, volunteers",
    "association": "association, associations",
    "institution": "institution, institutions",
}


def _forms(actors: dict[str, str]) -> list[tuple[str, str]]:
    """(form, key) for each form the table lists."""
    return [(form.strip(), key) for key, forms in actors.items() for form in forms.split(",")]


def _table(actors: dict[str, str], by: str) -> PhraseTable:
    phrases = {}
    for form, key in _forms(actors):
        phrases.setdefault(form, key)
        if form.count(" ") == 1:  # "travailleurs pairs" is also written "travailleurs-pairs"
            phrases.setdefault(form.replace(" ", "-"), key)
    return PhraseTable(phrases, by=by)


_TABLES = (_table(_ACTORS, "stem"), _table(_ENGLISH_ACTORS, "folded"))
# A one-word actor is one of its listed forms: its stem alone would make actors of
# « psychiatrie » (psychiatre), « éducation » (éducateur), « aider » (aidant) or « soignés » (soignants).
_ONE_WORD_FORMS = frozenset(fold(form).lower() for table in (_ACTORS, _ENGLISH_ACTORS) for form, _ in _forms(table) if " " not in form)
# Single words that are also adjectives: "savoirs professionnels", "travail bénévole", "pair aidante professionnelle".
_ADJECTIVE_TOO = frozenset({"professionnel", "benevol", "soign", "aid", "pair", "proch", "formateur", "chercheur", "malad", "elu", "elus"})
_PARTICIPLE_TOO = frozenset({"elu", "elus"})  # « il a été élu »


@dataclass(frozen=True)
class Actor:
    term: str  # as written
    key: str  # canonical: "msp", "pair_aidant", "professionnel"
    start: int
    end: int


@dataclass(frozen=True)
class _Found:
    actor: Actor
    first: int  # word indexes, inclusive
    last: int


def actors(text: str) -> list[Actor]:
    """The actors named in `text`, longest phrase first ("patient partenaire" before "patient")."""
    return [f.actor for f in _find(text, words(text))]


def _find(text: str, ws: Sequence[Word]) -> list[_Found]:
    found = []
    taken: set[int] = set()
    breaks = clause_breaks(text, ws)
    longest_first = sorted((m for table in _TABLES for m in table.find(ws, breaks)), key=lambda m: (m.first - m.last, m.first))
    for match in longest_first:
        span = set(range(match.first, match.last + 1))
        if span & taken or (match.first == match.last and (_used_as_adjective(ws, match) or not _listed_form(ws[match.first]))):
            continue
        taken |= span
        term = text[ws[match.first].start : ws[match.last].end]
        actor = Actor(term, match.label, ws[match.first].start, ws[match.last].end)
        found.append(_Found(actor, match.first, match.last))
    return sorted(found, key=lambda f: f.first)


def _listed_form(word: Word) -> bool:
    """A listed form, or a compound (« pair-aidants », « patients-experts ») the stems match part by part."""
    return word.folded in _ONE_WORD_FORMS or "-" in word.folded


def _used_as_adjective(ws: Sequence[Word], match: PhraseMatch) -> bool:
    """« savoirs professionnels » after a noun; « il a été élu » after « être » (« ils
    étaient soignants » still names soignants)."""
    word = ws[match.first]
    if word.stem not in _ADJECTIVE_TOO or match.first == 0 or _english(ws):
        return False
    before = ws[match.first - 1]
    return is_content(before) or (before.folded in _BE and word.stem in _PARTICIPLE_TOO)


def _english(ws: Sequence[Word]) -> bool:
    return sum(w.folded in {"the", "and", "are", "is", "of", "by"} for w in ws) > sum(
        w.folded in {"le", "la", "les", "et", "des", "est", "sont", "par"} for w in ws
    )


# Role swap -------------------------------------------------------------------------------

_SEGMENT_WORDS = frozenset("mais tandis alors car whereas while but because although".split())
_AGENT_MARKERS = frozenset({"par", "by"})
_NOT_A_ROLE = frozenset({"avec", "with", "entre", "between", "comme", "as", "que", "qu'", "than", "ni", "nor"})
_BE = frozenset(
    """est sont etait etaient sera seront soit soient ete etre etant is are was were be been being""".split()
)
_PARTICIPLE = re.compile(r"(?:e|es|ee|ees|i|is|ie|ies|u|us|ue|ues|it|its|ed|en)$")
_PREFIX = 5


@dataclass(frozen=True)
class _Roles:
    agents: frozenset[str]
    objects: frozenset[str]


@dataclass(frozen=True)
class _Sentence:
    text: str
    ws: tuple[Word, ...]
    breaks: frozenset[int]
    found: tuple[_Found, ...]

    @property
    def actor_words(self) -> frozenset[int]:
        return frozenset(k for f in self.found for k in range(f.first, f.last + 1))


def _sentence(text: str) -> _Sentence:
    ws = words(text)
    return _Sentence(text, tuple(ws), clause_breaks(text, ws), tuple(_find(text, ws)))


def role_swap(claim: str, source: str) -> Finding | None:
    """Two actors exchange agent and object around a predicate both sentences share; or, when
    one sentence is passive and the other plainly active, one actor changes side: « d'anciens
    usagers vont pouvoir être recrutés » vs « … vont pouvoir recruter des médiateurs »."""
    c, s = _sentence(claim), _sentence(source)
    if not c.found or not s.found:
        return None
    for p_claim, p_source in _shared_predicates(c, s):
        claim_roles, source_roles = _roles(c, p_claim), _roles(s, p_source)
        moved_to_agent = (claim_roles.agents - source_roles.agents) & source_roles.objects
        moved_to_object = (claim_roles.objects - source_roles.objects) & source_roles.agents
        one_sided = bool((moved_to_agent - claim_roles.objects) or (moved_to_object - claim_roles.agents)) and _voice_flipped(
            c, p_claim, s, p_source)
        verb = c.ws[p_claim].text
        if moved_to_agent and moved_to_object and moved_to_agent != moved_to_object:
            agent, patient = _term(c, sorted(moved_to_agent)[0]), _term(c, sorted(moved_to_object)[0])
            return Finding("role_swap", f"{agent} → {verb} → {patient}", s.ws[p_source].text,
                           f"the claim makes '{agent}' the agent of '{verb}', the source makes it the object")
        # the source's object made the claim's agent, with an object of the claim's own in its
        # place: « elles permettent aux professionnels de … » vs « les professionnels
        # permettent aux personnes accompagnées de … »
        new_objects = claim_roles.objects - source_roles.objects - source_roles.agents - claim_roles.agents
        if (moved_to_agent and new_objects and _plain_voice(c, p_claim) == "active"  # a verb, not « l'émergence »
                and not _agent_elsewhere(moved_to_agent, c, p_claim, s)):
            agent, patient = _term(c, sorted(moved_to_agent)[0]), _term(c, sorted(new_objects)[0])
            return Finding("role_swap", f"{agent} → {verb} → {patient}", s.ws[p_source].text,
                           f"the claim makes '{agent}' the agent of '{verb}', the source makes it the object")
        # the source's agent made the claim's object, the verb given to an actor of the
        # claim's own: « les MSP contribuent à diffuser … » vs « ce sont les usagers qui
        # diffusent aux MSP … »
        new_agents = claim_roles.agents - source_roles.agents - source_roles.objects - claim_roles.objects
        if (moved_to_object and new_agents and not moved_to_object & claim_roles.agents
                and _plain_voice(c, p_claim) == "active" and not {f.actor.key for f in s.found} & new_agents
                and _just_before(c, new_agents, p_claim) and _just_before(s, moved_to_object, p_source)):
            agent, patient = _term(c, sorted(new_agents)[0]), _term(c, sorted(moved_to_object)[0])
            return Finding("role_swap", f"{agent} → {verb} → {patient}", s.ws[p_source].text,
                           f"the claim makes '{patient}' the object of '{verb}', the source makes it the agent")
        if one_sided:
            moved = _term(c, sorted(moved_to_agent or moved_to_object)[0])
            side = ("agent", "object") if moved_to_agent else ("object", "agent")
            return Finding("role_swap", f"{moved} → {verb}" if moved_to_agent else f"{verb} → {moved}", s.ws[p_source].text,
                           f"the claim makes '{moved}' the {side[0]} of '{verb}', the source makes it the {side[1]}")
    return None


SUBJECT_REACH = 4  # words between a subject and its verb (« les usagers qui diffusent », « les MSP contribuent à diffuser »)


def _just_before(sentence: _Sentence, keys: set[str], p: int) -> bool:
    """One of these actors ends at most SUBJECT_REACH words before the predicate: its subject,
    not an actor the parse reached across the sentence."""
    return any(f.actor.key in keys and 0 < p - f.last <= SUBJECT_REACH + 1 for f in sentence.found)


def _agent_elsewhere(keys: set[str], c: _Sentence, p_claim: int, s: _Sentence) -> bool:
    """The source may make these actors the subject of another use of the claim's predicate:
    they are named before it in its clause, or, when its clause names no one before it, it is
    the nearest actor before, not a « par » agent (« les pairs, soutenus par les soignants,
    soutiennent les usagers »; « … forment les patients, qui forment à leur tour … »)."""
    predicate = _predicate(c.ws[p_claim])
    for j, word in enumerate(s.ws):
        if not content_stems(word) or not _same_predicate(predicate, _predicate(word)):
            continue
        start, _ = _segment(s, j)
        before = [f for f in s.found if f.last < j and not (f.first and s.ws[f.first - 1].folded in _AGENT_MARKERS)]
        in_clause = {f.actor.key for f in before if f.first >= start}
        if keys <= (in_clause or {f.actor.key for f in before[-1:]}):
            return True
    return False


_PLAIN_PARTICIPLE = re.compile(r"(?:é|ée|és|ées|i|ie|is|ies|u|ue|us|ues|it|ite|its|ites|ise|ises|erte|ertes|ed|en)$")


def plain_participle(word: Word) -> bool:
    """A past participle as written (« intégrées », « prise », « trained »), not a word the
    folded suffixes take for one (« approche », « charge »)."""
    return is_content(word) and bool(_PLAIN_PARTICIPLE.search(word.text.lower()))


_PLAIN_ACTIVE = re.compile(r"(?:er|ir|re|(?<!m)ent)$")  # an infinitive or a plural present, not « -ment »
_REFLEXIVE = frozenset({"se", "s'", "s’"})


def _voice_flipped(c: _Sentence, p_claim: int, s: _Sentence, p_source: int) -> bool:
    """One sentence says the predicate plainly in the passive (« être » and a participle),
    the other plainly in the active: an infinitive or a plural present, not pronominal
    (« s'impliquent » for « sont impliqués »). Nouns and adjectives sharing the stem
    (« soutien », « rémunération », « pertinente ») and participles used as adjectives
    (« les pairs, formés à l'écoute ») say nothing of voice."""
    claim_voice, source_voice = _plain_voice(c, p_claim), _plain_voice(s, p_source)
    return {claim_voice, source_voice} == {"active", "passive"}


def _plain_voice(sentence: _Sentence, p: int) -> str:
    text = sentence.ws[p].text.lower()
    before = {sentence.ws[k].folded for k in range(max(0, p - 2), p)}
    if before & _REFLEXIVE:
        return ""
    if before & _BE:
        return "passive" if plain_participle(sentence.ws[p]) else ""
    return "active" if _PLAIN_ACTIVE.search(text) or _singular_present(sentence.ws, p) else ""


_DETERMINERS = frozenset("le la les l' l’ un une ce cet cette ces son sa ses leur leurs".split())
_SINGULAR_PRESENT = re.compile(r"(?:e|t)$")


def _singular_present(ws: Sequence[Word], p: int) -> bool:
    """« cette expérimentation bouscule les professionnels »: a word ending like a verb in the
    third person singular, after a word that is no determiner (« la charge », « une approche »
    are nouns) and before one, which opens its object."""
    return (bool(_SINGULAR_PRESENT.search(ws[p].text.lower())) and 0 < p < len(ws) - 1
            and ws[p - 1].folded not in _DETERMINERS and is_content(ws[p - 1]) and ws[p + 1].folded in _DETERMINERS)


def _term(sentence: _Sentence, key: str) -> str:
    return next(f.actor.term for f in sentence.found if f.actor.key == key)


def _shared_predicates(c: _Sentence, s: _Sentence) -> list[tuple[int, int]]:
    claim_words, source_words = c.actor_words, s.actor_words
    pairs = []
    for i, word in enumerate(c.ws):
        if i in claim_words or not content_stems(word):
            continue
        for j, other in enumerate(s.ws):
            if j not in source_words and content_stems(other) and _same_predicate(_predicate(word), _predicate(other)):
                pairs.append((i, j))
    return pairs


_ENGLISH_INFLECTION = re.compile(r"(?<=\w{3})(?:ed|ing)$")


def _predicate(word: Word) -> str:
    """The French stem; English "trained"/"training" also come back to "train"."""
    english = _ENGLISH_INFLECTION.sub("", word.folded)
    return english if english != word.folded else word.stem


def _same_predicate(a: str, b: str) -> bool:
    """Equal stems, or irregular forms sharing a long prefix ("intervienn" / "intervi")."""
    if a == b:
        return True
    shortest = min(len(a), len(b))
    return shortest >= _PREFIX + 2 and a[: shortest - 1] == b[: shortest - 1]


def _roles(sentence: _Sentence, p: int) -> _Roles:
    start, end = _segment(sentence, p)
    passive = _is_passive(sentence.ws, p, end)
    before = [f for f in sentence.found if start <= f.first and f.last < p]
    if not before:  # "Les pairs, formés par …": the subject is in the segment before
        before = [f for f in sentence.found if f.last < start][-1:]
    agents, objects = set(), set()
    (objects if passive else agents).update(f.actor.key for f in before)
    for f in sentence.found:
        if p < f.first < end:
            marker = _marker(sentence.ws, p, f.first)
            if marker in _AGENT_MARKERS:
                agents.add(f.actor.key)
            elif marker not in _NOT_A_ROLE:
                objects.add(f.actor.key)
    return _Roles(frozenset(agents), frozenset(objects))


def _segment(sentence: _Sentence, p: int) -> tuple[int, int]:
    ws, breaks = sentence.ws, sentence.breaks
    start = p
    while start > 0 and start not in breaks and ws[start - 1].folded not in _SEGMENT_WORDS:
        start -= 1
    end = p + 1
    while end < len(ws) and end not in breaks and ws[end].folded not in _SEGMENT_WORDS:
        end += 1
    return start, end


def _is_passive(ws: Sequence[Word], p: int, end: int) -> bool:
    if not _PARTICIPLE.search(ws[p].folded):
        return False
    be_before = any(ws[k].folded in _BE for k in range(max(0, p - 2), p))
    by_after = any(ws[k].folded in _AGENT_MARKERS for k in range(p + 1, min(end, p + 3)))
    return be_before or by_after


# Words that keep a noun phrase going: « par les chercheurs et les cliniciens porteurs d'un
# savoir institué » is one agent, the actor at its end introduced by the same « par ».
_PHRASE_GLUE = frozenset("de d' d’ du des le la les l' l’ un une et ou".split())


def _marker(ws: Sequence[Word], p: int, actor_first: int) -> str:
    """The preposition that introduces the actor: "par", "avec", … or "" for a direct object.
    Read back over the noun phrase the actor ends, if it ends one."""
    for k in range(actor_first - 1, p, -1):
        folded = ws[k].folded
        if folded in _AGENT_MARKERS or folded in _NOT_A_ROLE:
            return folded
        if not (is_content(ws[k]) or folded in _PHRASE_GLUE):
            break
    return ""


# Role substitution -----------------------------------------------------------------------

_CLAUSE_SPLIT = re.compile(
    r"[,;:]|\b(?:tandis qu['’]?e?|alors qu['’]?e?|mais|contrairement (?:à|aux?)|à la différence d[eu']s?|whereas|while|but|unlike)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Clause:
    keys: frozenset[str]
    terms: dict[str, str]
    content: frozenset[str]  # non-actor content stems
    subject_first: bool  # an actor comes before the clause's first content word


def _clauses(text: str) -> list[_Clause]:
    found = []
    position = 0
    pieces = []
    for match in _CLAUSE_SPLIT.finditer(text):
        pieces.append(text[position : match.start()])
        position = match.end()
    pieces.append(text[position:])
    for piece in pieces:
        ws = words(piece)
        located = _find(piece, ws)
        actor_words = {k for f in located for k in range(f.first, f.last + 1)}
        content = frozenset(s for k, w in enumerate(ws) if k not in actor_words for s in content_stems(w))
        first_content = next((k for k, w in enumerate(ws) if k not in actor_words and content_stems(w)), len(ws))
        subject_first = any(f.first < first_content for f in located)
        terms = {f.actor.key: f.actor.term for f in located}
        if content or terms:
            found.append(_Clause(frozenset(terms), terms, content, subject_first))
    return found


def role_substitution(claim: str, source: str) -> Finding | None:
    """The claim gives a predicate to an actor that the source names, but for another clause."""
    source_clauses = _clauses(source)
    if len(source_clauses) < 2:
        return None
    source_keys = frozenset(k for clause in source_clauses for k in clause.keys)
    for clause in _clauses(claim):
        if not clause.keys or not clause.content:
            continue
        aligned = _aligned(clause, source_clauses)
        if aligned is None:
            continue
        aligned_terms = dict(aligned.terms)
        if not aligned.subject_first:  # "Les infirmiers, formés …, accompagnent": subject carried over
            aligned_terms = {**source_clauses[0].terms, **aligned_terms}
        replaced = sorted(aligned_terms.keys() - clause.keys)
        for key in sorted(clause.keys - aligned_terms.keys()):
            if key in source_keys and replaced:
                source_term = aligned_terms[replaced[0]]
                return Finding(
                    "role_substitution",
                    clause.terms[key],
                    source_term,
                    f"the source says this of '{source_term}', not of '{clause.terms[key]}'",
                )
    return None


def _aligned(clause: _Clause, source_clauses: Sequence[_Clause]) -> _Clause | None:
    """The source clause sharing most content words with `clause`, if it is the only best one."""
    scores = [len(clause.content & s.content) for s in source_clauses]
    best = max(scores)
    if best == 0 or scores.count(best) > 1:
        return None
    return source_clauses[scores.index(best)]


# Roles close enough that naming one for the other is not a different actor.
_SAME_ACTOR = {
    "usager": "people", "patient": "people", "personne": "people", "personne_concernee": "people", "malade": "people",
    "professionnel": "staff", "soignant": "staff", "professionnel_sante": "staff", "equipe": "staff",
    "equipe_soignante": "staff",
}


def actor_group(key: str) -> str:
    return _SAME_ACTOR.get(key, key)


# Who acts (« par les pairs ») and for whom (« à destination des professionnels »).
_BY = r"\b(?:par|by)"
_FOR = r"(?:\b[aà]\s+destination|\bdestin[ée]e?s?|\bauprès|\bintended|\baimed)"
_ARTICLE = r"(?:\s*(?:de|des|du|d['’]|à|a|aux|au|for|at|les?|la|l['’]|un|une|the|an)\b['’]?){0,2}\s*$"
AGENT_REACH = 5  # content words before the cue that name the action


def _participants(text: str, ws: Sequence[Word], found: Sequence[_Found], cue: str) -> list[tuple[frozenset[str], str]]:
    """(stems of the action, actor key) for each actor a cue introduces: « l'accompagnement
    par un patient coach » gives ({accompagn}, patient_coach) for `_BY`."""
    in_actor = {k for f in found for k in range(f.first, f.last + 1)}
    participants = []
    for f in found:
        at = re.search(cue + _ARTICLE, text[: f.actor.start], re.I)
        if not at:
            continue
        before = [w for k, w in enumerate(ws) if w.end <= at.start() and k not in in_actor and is_content(w)][-AGENT_REACH:]
        participants.append((frozenset(stem for w in before for stem in content_stems(w)), f.actor.key))
    return participants


def agent_changed(claim: str, source: str) -> Finding | None:
    """The same action done by, or meant for, another actor: « l'accompagnement des patients
    coachs par les patients ressources » against « l'accompagnement par un patient coach »;
    « une formation à destination des patients » against « … des professionnels »."""
    claim_ws, source_ws = words(claim), words(source)
    claim_found, source_found = _find(claim, claim_ws), _find(source, source_ws)
    for cue in (_BY, _FOR):
        said = _participants(source, source_ws, source_found, cue)
        # "par les soignants et les usagers": every actor listed after the cue takes part
        listed = {actor_group(f.actor.key) for f in source_found if re.search(cue + r"[^.;:]{0,80}$", source[: f.actor.start], re.I)}
        for action, key in _participants(claim, claim_ws, claim_found, cue):
            if actor_group(key) in listed:
                continue
            for source_action, source_key in said:
                if action & source_action and actor_group(key) != actor_group(source_key):
                    shared = sorted(action & source_action)[0]
                    return Finding("agent_changed", key, source_key, f"the source gives '{shared}' to {source_key}, not {key}", shared)
    return None


# « coconstruits par des groupes de travail pour répondre aux demandes du terrain »: who acts
# is the two content words after « par »; the action is the word just before it.
_BY_WORD = re.compile(_BY + r"\b")
BY_AGENT_WORDS = 2


def _by_phrases(text: str) -> list[tuple[str, list[str]]]:
    """(stem of the action, stems of who does it) for each « par » of a text."""
    folded = fold(text)
    phrases = []
    for cue in _BY_WORD.finditer(folded):
        action = tokens(re.split(r"[,;:.()]", folded[max(0, cue.start() - 80): cue.start()])[-1])[-1:]
        agent = tokens(re.split(r"[,;:.()]", folded[cue.end(): cue.end() + 80])[0])[:BY_AGENT_WORDS]
        if action and agent:
            phrases.append((action[0], agent))
    return phrases


def agent_swapped(claim: str, source: str) -> Finding | None:
    """The same action, its agent and another participant trading places: « outils coconstruits
    par les acteurs de terrain pour répondre aux demandes des groupes de travail » against
    « … coconstruits par des groupes de travail pour répondre aux demandes du terrain ». Each
    side's agent is said by the other side, in another place."""
    claim_stems, source_stems = set(tokens(claim)), set(tokens(source))
    for action, agent in _by_phrases(claim):
        for source_action, source_agent in _by_phrases(source):
            if not stated(action, {source_action}) or any(stated(t, set(source_agent)) for t in agent):
                continue
            if any(stated(t, source_stems) for t in agent) and any(stated(t, claim_stems) for t in source_agent):
                return Finding("agent_swapped", " ".join(agent), " ".join(source_agent),
                               "the claim's agent has another place in the source, and the source's agent in the claim")
    return None


# « à », an article or a possessive before whom the action is done to; not « de »/« du »/« des »,
# which after a noun may name who acts (« l'accompagnement du médecin »).
_RECIPIENT_CUES = frozenset("à a au aux le la les l' l’ un une son sa ses leur leurs to the".split())
RECIPIENT_REACH = 4  # words after the action where the claim names whom it is done to


def agent_made_recipient(claim: str, source: str) -> Finding | None:
    """Who the source says does a thing (« chacun de ces groupes est soutenu par un
    animateur-référent ») the claim makes the one it is done to (« chacun des groupes apporte
    son soutien à un animateur-référent »): the agent named after the claim's action, not
    before it."""
    claim_ws = words(claim)
    for passive in passive_agents(source):
        if not passive.agent:
            continue
        head = passive.agent[0].stem
        for i, word in enumerate(claim_ws):
            if not is_content(word) or not stated(word.stem, {passive.participle.stem}):
                continue
            after = claim_ws[i + 1 : i + 1 + RECIPIENT_REACH]
            named_after = next((k for k, w in enumerate(after) if w.stem == head), None)
            if named_after is None or any(w.stem == head for w in claim_ws[:i]):
                continue
            between = {w.folded for w in after[:named_after] if not is_content(w)}
            if not between <= _RECIPIENT_CUES:  # « par » keeps the source's agent; « avec », « pour » say another thing
                continue
            return Finding("agent_made_recipient", passive.agent[0].text, passive.participle.text,
                           f"the source says '{passive.agent[0].text}' does '{passive.participle.text}', the claim does it to them")
    return None


# « usager élu pour représenter » does not say who elects; « porté par l'association Savoirs
# Patients » does not say « porté par le COPS ». A passive agent the source gives to no one, or to
# someone else, is the claim's own. « par an », « par exemple », « par le biais de » are no agents.
_HAVE = frozenset({"a", "ai", "as", "avons", "avez", "ont", "avait", "avaient", "aura", "auront", "ayant", "avoir", "eu", "has", "have", "had"})
_NOT_AGENTS = frozenset({"an", "annee", "mois", "jour", "semaine", "heure", "personne", "exemple", "ailleurs", "consequent",
                         "biais", "intermediaire", "moyen", "voie", "cas", "rapport", "contre", "suite", "defaut", "ecrit",
                         "telephone", "mail", "courrier", "visio", "internet", "year", "example", "means", "way"})
PASSIVE_AGENT_GAP = 3  # words between a participle and its « par »
PASSIVE_AGENT_WORDS = 2
AGENT_REACH = 8  # words after « par » where the claim's agent may be named


@dataclass(frozen=True)
class PassiveAgent:
    participle: Word
    agent: tuple[Word, ...]  # its first content words after « par », () when it has none
    reach: frozenset[str] = frozenset()  # stems of the content words soon after « par » (« par ou au travers des institutions »)


def passive_agents(text: str, ws: Sequence[Word] | None = None) -> list[PassiveAgent]:
    """Each participle as written, in lower case (« Université », « santé » are nouns) and not
    after « avoir » (« a financé » is active), with the agent a « par » gives it: the nearest
    participle before that « par », in the same clause."""
    ws = words(text) if ws is None else ws
    participles: dict[int, tuple[tuple[Word, ...], frozenset[str]]] = {
        i: ((), frozenset()) for i, w in enumerate(ws)
        if plain_participle(w) and w.text.islower() and not (i and ws[i - 1].folded in _HAVE)}
    for k, w in enumerate(ws):
        if w.folded not in _AGENT_MARKERS:
            continue
        owner = next((j for j in range(k - 1, max(-1, k - 2 - PASSIVE_AGENT_GAP), -1) if j in participles), None)
        if owner is not None and not re.search(r"[,;:.()\[\]]", text[ws[owner].end : w.start]):
            following = ws[k + 1 : k + 1 + AGENT_REACH]
            participles[owner] = (_agent_words(following), frozenset(x.stem for x in following if is_content(x)))
    return [PassiveAgent(ws[i], agent, reach) for i, (agent, reach) in participles.items()]


def _agent_words(following: Sequence[Word]) -> tuple[Word, ...]:
    """The first content words after « par », up to the first word that is not one (« les
    usagers et … » is « usagers »)."""
    agent: list[Word] = []
    for w in following:
        if is_content(w):
            agent.append(w)
        elif agent:
            break
    return tuple(agent[:PASSIVE_AGENT_WORDS])


def _acronym(ws: Sequence[Word]) -> bool:
    return any(len(w.text) >= 2 and w.text.isupper() for w in ws)


def agent_unstated(claim: str, source: str) -> Finding | None:
    """The claim gives an action an agent (« est porté par X ») where the source's same
    participle has none, or another one that shares no word with it."""
    source_passives = passive_agents(source)
    for said in passive_agents(claim):
        if not said.agent or said.agent[0].folded in _NOT_AGENTS or _acronym(said.agent):
            continue
        same = [p for p in source_passives if p.participle.stem == said.participle.stem]
        if not same:
            continue
        stems = {w.stem for w in said.agent}
        if any(stems & p.reach or _acronym(p.agent) or any(stated(w.stem, p.reach) for w in said.agent) for p in same):
            continue
        given = next((p.agent for p in same if p.agent), ())
        agent = " ".join(w.text for w in said.agent)
        detail = f"the source gives '{said.participle.text}' to {' '.join(w.text for w in given)}" if given else \
            f"the source does not say by whom '{said.participle.text}'"
        return Finding("agent_unstated", agent, " ".join(w.text for w in given), detail, said.participle.stem)
    return None
