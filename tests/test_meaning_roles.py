"""Actors, role swaps and role substitutions."""

import pytest

from assistant.meaning.roles import actors, agent_made_recipient, role_substitution, role_swap

# Real sentence from the corpus.
FORMATION = (
    "Plusieurs travaux ont montré le fort intérêt de faire participer les personnes accompagnées, les patients "
    "et les aidants à la formation des professionnels de la santé et de l'action sociale."
)
PATIENTS_EXPERTS = "Elle peut aussi être celle de patients devenant experts pour d'autres patients grâce à une formation certifiante."


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Les médiateurs de santé pairs accompagnent les usagers.", [("médiateurs de santé pairs", "msp"), ("usagers", "usager")]),
        ("Le MSP et le médiateur de santé-pair.", [("MSP", "msp"), ("médiateur de santé-pair", "msp")]),
        ("Le patient partenaire et le patient expert.", [("patient partenaire", "patient_partenaire"), ("patient expert", "patient_expert")]),
        ("Les pairs-aidants et les pairs aidants.", [("pairs-aidants", "pair_aidant"), ("pairs aidants", "pair_aidant")]),
        ("Les professionnels de santé et leurs proches aidants.", [("professionnels de santé", "professionnel"), ("proches aidants", "aidant")]),
        ("Les infirmières, les éducateurs et les travailleurs sociaux.", [("infirmières", "infirmier"), ("éducateurs", "educateur"), ("travailleurs sociaux", "travailleur_social")]),
        ("Les représentants des usagers siègent.", [("représentants des usagers", "representant_usagers")]),
        ("Peer workers support service users and their carers.", [("Peer workers", "travailleur_pair"), ("service users", "usager"), ("carers", "aidant")]),
        # the English name of a French role is that role, not a mere "peer"
        ("A peer health mediator and peer support workers.", [("peer health mediator", "msp"), ("peer support workers", "travailleur_pair")]),
        # adjectives and look-alikes are not actors
        ("Les savoirs professionnels et le travail bénévole.", []),
        ("Nurses train peer workers.", [("Nurses", "infirmier"), ("peer workers", "travailleur_pair")]),
        ("Il vient, car il le veut.", []),
        # a word that shares an actor's stem is not that actor: the field, the act, the cared-for
        ("Les usagers de la psychiatrie et l'éducation du patient.", [("usagers", "usager"), ("patient", "patient")]),
        ("Aider les soignés à s'associer et à étudier.", []),
        # people the corpus speaks of besides its roles
        ("Le pair et l'utilisateur, les malades et les élus.", [("pair", "pair"), ("utilisateur", "utilisateur"), ("malades", "malade"), ("élus", "elu")]),
        ("Embauché en qualité d'aide-soignant, il a été élu.", [("aide-soignant", "aide_soignant")]),
        ("Ils étaient soignants avant.", [("soignants", "soignant")]),  # « être » before a role still names it
    ],
)
def test_actors(text, expected):
    assert [(a.term, a.key) for a in actors(text)] == expected


def test_actor_offsets_point_at_the_text():
    text = "Les professionnels forment les pairs."
    assert [text[a.start : a.end] for a in actors(text)] == ["professionnels", "pairs"]


@pytest.mark.parametrize(
    "claim, source",
    [
        ("Les pairs forment les professionnels.", "Les professionnels forment les pairs."),
        ("Les professionnels sont formés par les pairs.", "Les professionnels forment les pairs."),
        ("Les pairs sont formés par les professionnels.", "Les pairs forment les professionnels."),
        ("Les pairs assurent la formation des professionnels.", "Les professionnels assurent la formation des pairs."),
        ("Les MSP interviennent auprès des infirmiers.", "Les infirmiers interviennent auprès des MSP."),
        ("Les usagers accompagnent les MSP.", "Les MSP accompagnent les usagers."),
        ("Nurses train peer workers.", "Peer workers train nurses."),
        ("Nurses are trained by peer workers.", "Nurses train peer workers."),
        (
            "Plusieurs travaux ont montré le fort intérêt de faire participer les professionnels de la santé "
            "à la formation des aidants.",
            FORMATION,
        ),
        # the source's object made the agent, with an object the source does not give
        ("Les professionnels permettent aux personnes accompagnées de découvrir leurs pratiques.",
         "Elles permettent aux professionnels de découvrir leurs pratiques."),
        ("L'atelier a réfléchi à la façon dont les patients pourraient rémunérer les soignants.",
         "L'atelier a réfléchi aux modes de rémunération des patients."),
    ],
)
def test_role_swaps_are_caught(claim, source):
    finding = role_swap(claim, source)
    assert finding is not None and finding.code == "role_swap"


@pytest.mark.parametrize(
    "claim, source",
    [
        ("Les pairs sont formés par les professionnels.", "Les professionnels forment les pairs."),  # passive
        ("Les professionnels forment les pairs.", "Les pairs sont formés par les professionnels."),
        ("Les pairs, formés par les professionnels, interviennent.", "Les professionnels forment les pairs."),
        ("Peer workers are trained by nurses.", "Nurses train peer workers."),
        ("Les MSP travaillent avec les infirmiers.", "Les infirmiers travaillent avec les MSP."),  # symmetric
        ("Les professionnels forment les pairs.", "Les professionnels forment les pairs."),
        ("Les professionnels forment.", "Les professionnels forment les pairs."),  # shorter
        (FORMATION, FORMATION),
        ("Des patients deviennent experts pour d'autres patients.", PATIENTS_EXPERTS),
        ("Les professionnels permettent aux patients de parler.", "Elles permettent aux professionnels et aux patients de parler."),
        ("Les soignants assurent la rémunération des patients.", "L'atelier a réfléchi aux modes de rémunération des patients."),
        # the claim's agent is the subject of another use of the verb in the source
        ("Les pairs soutiennent les usagers.", "Les pairs, soutenus par les soignants, soutiennent les usagers."),
        ("Les patients forment les usagers.", "Les soignants forment les patients, qui forment à leur tour les usagers."),
    ],
)
def test_kept_roles_are_not_flagged(claim, source):
    assert role_swap(claim, source) is None


SUBSTITUTION_SOURCE = (
    "Le patient expert transmet ses savoirs aux autres patients, tandis que le patient partenaire participe "
    "à la gouvernance de l'établissement."
)


@pytest.mark.parametrize(
    "claim, source, claim_term, source_term",
    [
        ("Le patient partenaire transmet ses savoirs aux autres patients.", SUBSTITUTION_SOURCE, "patient partenaire", "patient expert"),
        ("Le patient expert participe à la gouvernance de l'établissement.", SUBSTITUTION_SOURCE, "patient expert", "patient partenaire"),
        ("Les MSP accompagnent les usagers.", "Les infirmiers, formés par les MSP, accompagnent les usagers.", "MSP", "infirmiers"),
        (
            "Les aidants coordonnent les soins.",
            "Les soignants coordonnent les soins, alors que les aidants assurent le quotidien.",
            "aidants",
            "soignants",
        ),
        ("Nurses deliver the training.", "Nurses attend the sessions, whereas peer workers deliver the training.", "Nurses", "peer workers"),
    ],
)
def test_role_substitutions_are_caught(claim, source, claim_term, source_term):
    finding = role_substitution(claim, source)
    assert finding is not None and finding.code == "role_substitution"
    assert (finding.claim_term, finding.source_term) == (claim_term, source_term)


@pytest.mark.parametrize(
    "claim, source",
    [
        ("Le patient partenaire participe à la gouvernance.", SUBSTITUTION_SOURCE),
        ("Le patient expert transmet ses savoirs.", SUBSTITUTION_SOURCE),
        ("Les infirmiers accompagnent les usagers.", "Les infirmiers, formés par les MSP, accompagnent les usagers."),
        ("Les soignants coordonnent les soins.", "Les soignants coordonnent les soins, alors que les aidants assurent le quotidien."),
        ("Les MSP accompagnent les usagers.", "Les MSP accompagnent les usagers."),  # one clause
        ("Les pairs accompagnent les usagers.", "Les MSP accompagnent les usagers, et les familles."),  # pairs not in source
    ],
)
def test_faithful_attributions_are_not_flagged(claim, source):
    assert role_substitution(claim, source) is None


@pytest.mark.parametrize("text, key", [
    ("les travailleurs-pairs ont une intervention pertinente", "travailleur_pair"),
    ("un patient-expert intervient", "patient_expert"),
])
def test_a_two_word_role_is_found_hyphenated_too(text, key):
    assert [a.key for a in actors(text)] == [key]


def test_the_same_action_done_by_another_actor_is_a_changed_agent():
    from assistant.meaning.roles import agent_changed

    claim = "Parmi les facteurs figure l'accompagnement des patients coachs de la DCPP par les patients ressources."
    source = "Citons le soutien des patients ressources entre eux ainsi que l'accompagnement par un patient coach de la DCPP."
    assert agent_changed(claim, source).code == "agent_changed"
    assert agent_changed("Les pairs sont formés par les soignants.", "Les soignants sont formés par les pairs.") is not None
    # one of the actors the source lists after "par" is no change
    assert agent_changed("Les pairs sont formés par les usagers.", "Les pairs sont formés par les soignants et les usagers.") is None
    assert agent_changed("Les pairs sont formés par les soignants.", "Les pairs sont formés par les soignants.") is None


def test_the_same_offer_meant_for_other_people_is_a_changed_recipient():
    from assistant.meaning.roles import agent_changed

    source = "L'Institut propose une formation-action à destination des professionnels de santé."
    assert agent_changed("L'Institut propose une formation-action à destination des patients.", source) is not None
    assert agent_changed("L'Institut propose une formation-action à destination des soignants.", source) is None  # one group


def test_an_agent_trading_places_with_another_participant_is_caught():
    from assistant.meaning.roles import agent_swapped

    source = "- • Outils coconstruits par des groupes de travail pour répondre aux demandes du terrain"
    swapped = agent_swapped("Des outils coconstruits par les acteurs de terrain répondent aux demandes des groupes de travail.", source)
    assert swapped.code == "agent_swapped" and (swapped.claim_term, swapped.source_term) == ("acteur terrain", "group travail")
    assert agent_swapped("Les pairs sont formés par les soignants.", "Les soignants sont formés par les pairs.") is not None
    # the same agent, an active paraphrase, or « par » after another word: nothing swapped
    assert agent_swapped("Des outils coconstruits par des groupes de travail répondent au terrain.", source) is None
    assert agent_swapped("Les soignants forment les pairs.", "Les pairs sont formés par les soignants.") is None
    assert agent_swapped("Soutenue par l'ARS, la politique de soutien à l'intervention par les pairs vise à la développer.",
                         "La politique de soutien à l'intervention par les pairs, soutenue par l'ARS, vise à la développer.") is None


@pytest.mark.parametrize("claim, source", [
    # the source's passive subject made the agent of the same verb, active
    ("D'anciens usagers vont pouvoir recruter eux-mêmes des médiateurs de santé pairs.",
     "D'anciens usagers vont pouvoir être recrutés comme médiateurs de santé pairs."),
    # the source's passive agent put after the active verb
    ("Le patient expert pourrait utiliser l'expertise des établissements.",
     "Son expertise pourrait être utilisée par les établissements."),
    ("Les usagers sont recrutés.", "Les usagers recrutent des médiateurs."),  # the agent made the object
    # a verb in the singular present, its object after it
    ("Cette expérimentation est bousculée par les professionnels et les élus.",
     "Cette expérimentation bouscule les professionnels et les élus."),
])
def test_a_voice_turned_around_on_the_same_subject_swaps_its_role(claim, source):
    finding = role_swap(claim, source)
    assert finding is not None and finding.code == "role_swap"


@pytest.mark.parametrize("claim, source", [
    ("Les établissements recrutent des usagers.", "Des usagers sont recrutés par les établissements."),  # a true converse
    ("On peut recruter des usagers.", "Des usagers peuvent être recrutés."),
    ("Les pairs s'impliquent dans la formation.", "Les pairs sont impliqués dans la formation."),  # pronominal
    ("Les pairs, formés à l'écoute, interviennent.", "Les pairs sont formés à l'écoute."),  # a participle as adjective
    ("Le travail pair donne lieu à une rémunération des pairs.", "Le travail des pairs est rémunéré."),  # a noun of the stem
    ("Les professionnels sont bousculés par cette expérimentation.", "Cette expérimentation bouscule les professionnels."),
    ("La formation prend en charge les frais.", "Les frais sont pris en charge par la formation."),  # « la charge »: a noun
    # an actor at the end of the agent's noun phrase is an agent too
    ("Les chercheurs et les cliniciens, détenteurs d'un savoir institué, les valorisent.",
     "Elles sont valorisées par les chercheurs et les cliniciens porteurs d'un savoir institué."),
])
def test_a_voice_turned_around_with_the_roles_kept_is_not_a_swap(claim, source):
    assert role_swap(claim, source) is None



def test_a_passive_agent_the_source_gives_to_no_one_or_to_another_actor():
    from assistant.meaning.roles import agent_unstated

    source = "Le Centre Opérationnel du Partenariat en Santé est un dispositif porté par l'association Savoirs Patients."
    moved = agent_unstated("Il est porté par le Centre Opérationnel du Partenariat en Santé.", source)
    assert moved.code == "agent_unstated" and moved.source_term == "association Savoirs"
    assert agent_unstated("Le COPS est porté par l'association Savoirs Patients.", source) is None
    elected = agent_unstated("Il est élu par les usagers et défend leurs droits.", "Représentant des usagers : usager élu pour représenter les autres usagers.")
    assert elected is not None and elected.claim_term == "usagers" and elected.source_term == ""
    assert agent_unstated("Le programme a été financé par l'ARS.", "L'ARS a financé le programme.") is None, "« a financé » is active"
    assert agent_unstated("Vingt pairs sont formés par an.", "Vingt pairs formés chaque année.") is None, "« par an » is no agent"
    assert agent_unstated("Le programme est financé par l'ARS.", "Le programme, financé par l'Agence régionale de santé.") is None
    assert agent_unstated("Ils ne sont pas satisfaits par les institutions existantes.",
                          "Ils ne peuvent pas être satisfaits par ou au travers des institutions existantes.") is None


def test_the_sources_agent_made_the_one_the_action_is_done_to():
    source = "Chacun de ces groupes est soutenu par un animateur-référent, en proximité avec les participants."
    finding = agent_made_recipient("Chacun des groupes apporte son soutien à un animateur-référent.", source)
    assert finding is not None and finding.code == "agent_made_recipient" and finding.claim_term == "animateur-référent"
    # the agent named before the action, or still introduced by « par », keeps its role
    assert agent_made_recipient("Un animateur-référent apporte son soutien à chacun de ces groupes.", source) is None
    assert agent_made_recipient("Un animateur-référent soutient chacun de ces groupes.", source) is None
    assert agent_made_recipient("Les groupes sont soutenus par un animateur-référent.", source) is None
    # « du » after a noun may name who acts
    assert agent_made_recipient("Les patients bénéficient de l'accompagnement du médecin.", "Les patients sont accompagnés par le médecin.") is None


def test_the_sources_agent_made_the_object_of_an_actor_of_the_claims_own():
    source = "Nous montrons que les MSP contribuent à diffuser activement une idéologie du rétablissement."
    swapped = "L'étude montre que ce sont les usagers qui diffusent activement aux MSP une idéologie du rétablissement."
    finding = role_swap(swapped, source)
    assert finding is not None and finding.code == "role_swap"
    assert role_swap("L'étude montre que les MSP diffusent activement une idéologie du rétablissement.", source) is None
    # an actor the parse reaches across the sentence is not the verb's subject
    far = ("Les interventions par des pairs usagers de drogues s'appuient le plus souvent sur plusieurs approches combinées, "
           "visant à la fois à modifier les comportements et à soutenir la prévention en renforçant les compétences des pairs.")
    assert role_swap(far, "Elles reposent sur des approches qui cherchent à induire des changements et à soutenir "
                          "l'action préventive par l'augmentation des compétences des pairs UDI.") is None
