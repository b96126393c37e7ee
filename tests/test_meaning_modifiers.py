"""A shared word qualified otherwise in the claim than in its source."""

import pytest

from assistant.meaning.modifiers import modifier_changed


@pytest.mark.parametrize("claim, source, term", [
    ("Jean-Michel Benattar est codirecteur patient du CI3P.", "Jean-Michel Benattar, codirecteur opérationnel du CI3P.", "patient"),
    ("La journée était organisée par l'ARS Occitanie.", "La journée était organisée par l'ARS PACA.", "Occitanie"),
    ("Le CI3P a un codirecteur soignant.", "Le CI3P a un codirecteur patient.", "soignant"),
])
def test_a_changed_qualifier_is_found(claim, source, term):
    finding = modifier_changed(claim, source)
    assert finding is not None and finding.code == "modifier_changed" and finding.claim_term == term


@pytest.mark.parametrize("claim, source", [
    ("Il faut créer un contexte propice.", "Il faut aménager un contexte favorable."),  # a synonym
    ("Les moyens restent maigres.", "Les moyens restent chiches."),  # an attribute after a linking verb
    ("Le CI3P a un codirecteur opérationnel, Jean-Michel Benattar.", "Jean-Michel Benattar, codirecteur opérationnel du CI3P."),
    ("La formation initiale et continue des pairs.", "La formation continue et initiale des pairs."),  # words moved
    ("Les pairs sont formés.", "Les pairs sont formés par les usagers."),  # nothing qualified otherwise
    ("Les familles disent en bénéficier.", "Les familles déclarent en bénéficier."),  # a verb, not someone
    ("Des crédits comparables.", "Des crédits analogues."),  # an adjective, not someone
])
def test_same_qualifiers_or_other_words_are_not_flagged(claim, source):
    assert modifier_changed(claim, source) is None
