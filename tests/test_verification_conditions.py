"""A dropped condition is an error only when it narrows the duty the sentence states.

"In accordance with its domestic law", "as appropriate", "when committed intentionally" temper an
obligation: a sentence that keeps the obligation and drops them obliges more than the passage does,
while one that states a permission or a soft duty overstates nothing. A proviso ("only if",
"provided that") narrows any statement, a permission included.
"""

from __future__ import annotations

from rag.verification import conditions

ART_19_3 = (
    "3. Each State Party may adopt such legislative and other measures as may be necessary to establish as a "
    "criminal offence, in accordance with its domestic law, the preparation for an offence established in "
    "accordance with this Convention."
)
ART_34_1 = (
    "1. Each State Party shall take appropriate measures, in accordance with its domestic law, to provide "
    "assistance and protection to victims of offences established in accordance with this Convention."
)
PROVISO = (
    "2. The requested State Party may refuse the request only if the execution of the request would prejudice "
    "its sovereignty or security."
)


def rules(sentence: str, passage: str) -> list[str]:
    return [c.rule for c in conditions.compare(sentence, passage, [])]


def test_domestic_law_dropped_from_a_permission_is_not_a_condition_error():
    sentence = "A State Party may make the preparation of an offence established under this Convention a crime."
    assert "domestic_law" not in rules(sentence, ART_19_3)


def test_domestic_law_dropped_from_a_soft_duty_is_not_a_condition_error():
    sentence = "States Parties shall consider measures to provide assistance and protection to victims of offences."
    assert "domestic_law" not in rules(sentence, ART_34_1)


def test_domestic_law_dropped_from_an_obligation_is_a_condition_error():
    sentence = "Each State Party must provide assistance and protection to victims of offences under this Convention."
    assert "domestic_law" in rules(sentence, ART_34_1)


def test_a_proviso_dropped_from_a_permission_is_still_a_condition_error():
    sentence = "The requested State Party may refuse the request."
    assert "proviso" in rules(sentence, PROVISO)


TRAINING = (
    "1. Each State Party shall, to the extent necessary, initiate, develop or improve specific training programmes "
    "for its law enforcement personnel."
)


def test_to_the_extent_necessary_dropped_from_an_obligation_is_a_condition_error():
    sentence = "Each State Party must develop specific training programmes for its law enforcement personnel."
    assert "extent" in rules(sentence, TRAINING)
    kept = "Each State Party must, to the extent necessary, develop specific training programmes for its personnel."
    assert "extent" not in rules(kept, TRAINING)


ARBITRATION = (
    "If, six months after the date of the request for arbitration, those States Parties are unable to agree on the "
    "organization of the arbitration, any one of those States Parties may refer the dispute to the International "
    "Court of Justice."
)
RECORDS = (
    "The requested State Party shall provide copies of government records that under its domestic law are available "
    "to the general public."
)


def test_any_of_them_picks_from_the_set_the_passage_names():
    sentence = "If the States cannot agree on the arbitration, any of them may refer the dispute to the Court."
    assert "universal" not in rules(sentence, ARBITRATION)


def test_all_records_where_the_passage_does_not_quantify_them_is_a_universal_claim():
    assert "universal" in rules("The requested State Party must provide copies of all government records.", RECORDS)


SEIZURE = "2. Each State Party may, where appropriate, seize the computer data stored in its territory."
DELETION = (
    "Each Party shall establish as criminal offences under its domestic law, when committed intentionally, the "
    "deletion of computer data without right."
)
DISCLOSURE = (
    "Law enforcement authorities, upon securing a court warrant, may order a service provider to disclose "
    "subscriber information within seventy-two hours."
)


def test_dropped_condition_under_may_is_found_when_the_sentence_restates_what_it_qualifies():
    assert "appropriate" in rules("A State Party may seize computer data stored in its territory.", SEIZURE)


def test_dropped_condition_under_a_soft_duty_in_plain_words_is_not_a_condition_error():
    sentence = "States are asked to consider seizing computer data stored in their territory."
    assert "appropriate" not in rules(sentence, SEIZURE)


def test_dropped_condition_in_a_sentence_stating_no_duty_is_found():
    assert "without_right" in rules("Deleting computer data is a criminal offence.", DELETION)
    kept = "Deleting computer data without right is a criminal offence."
    assert "without_right" not in rules(kept, DELETION)


def test_a_dropped_warrant_counts_whatever_the_sentence_force():
    sentence = "Law enforcement authorities can order a service provider to disclose subscriber information."
    assert "authority" in rules(sentence, DISCLOSURE)
    kept = "With a court warrant, the authorities may order a provider to disclose subscriber information."
    assert "authority" not in rules(kept, DISCLOSURE)


def test_a_condition_restated_in_the_sentences_own_words_is_kept():
    passage = "The requested State may, at the request of the requesting State Party, take the person into custody."
    sentence = "When the requesting State asks, the requested State may take the person into custody."
    assert "request" not in rules(sentence, passage)


def test_strict_mode_requires_every_condition_of_the_clause_the_sentence_says_again():
    # Read generously, a permission that only touches on the qualified part keeps its domestic-law proviso implicit;
    # a rewrite that says the one sentence again must keep it.
    sentence = "A State Party may make the preparation of an offence established under this Convention a crime."
    assert "domestic_law" not in rules(sentence, ART_19_3)
    strict = [c.rule for c in conditions.compare(sentence, ART_19_3, [], strict=True)]
    assert "domestic_law" in strict
    kept = "Under its domestic law, a State Party may make preparing an offence under this Convention a crime."
    assert "domestic_law" not in [c.rule for c in conditions.compare(kept, ART_19_3, [], strict=True)]


MISUSE_OF_DEVICES = (
    "Each State Party shall adopt such legislative and other measures as may be necessary to establish as criminal "
    "offences under its domestic law, when committed intentionally and without right, the production, sale or "
    "distribution of a password with the intent that it be used for the purpose of committing an offence."
)


def test_without_right_is_kept_by_a_sentence_that_keeps_the_intent():
    faithful = "States must criminalize intentionally selling or distributing passwords meant for committing offences."
    assert "without_right" not in rules(faithful, MISUSE_OF_DEVICES)


def test_without_right_dropped_with_the_intent_is_still_a_condition_error():
    sentence = "States must criminalize selling or distributing passwords meant for committing offences."
    assert "without_right" in rules(sentence, MISUSE_OF_DEVICES)
