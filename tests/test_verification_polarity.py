"""Negation read with its scope: a dropped or added "not" on what the passage says is contradicted,
a "No: ... does not ..." answer that denies what the passage does not say is not.

The passages are written in the treaties' style; no model is needed.
"""

from __future__ import annotations

from rag.verification import frames, polarity

NOTHING_ENTITLES = (
    "Nothing in this Convention shall entitle a State Party to undertake in the territory of another State the "
    "exercise of jurisdiction reserved exclusively for the authorities of that other State."
)
BANK_SECRECY = "States Parties shall not refuse to provide assistance on the ground of bank secrecy."
DEFINITION = "“Serious crime” shall mean conduct punishable by a maximum deprivation of liberty of at least four years."
CONSENT = (
    "Each State Party shall criminalize the sharing of an intimate image of a person without the consent of that "
    "person."
)
PRESERVATION = (
    "Dual criminality shall not be required as a condition for providing such preservation, and a State Party may, "
    "when it deems appropriate, seek further information."
)


def negation_reasons(sentence: str, passage: str) -> list[str]:
    return [c.reason for c in polarity.compare(sentence, passage)]


def test_dropped_nothing_is_contradicted():
    sentence = "The convention entitles a State Party to exercise jurisdiction in the territory of another State."
    assert negation_reasons(sentence, NOTHING_ENTITLES) == [
        'negation: the passage says "nothing", the sentence does not'
    ]


def test_no_answer_with_does_not_is_supported():
    sentence = "The convention does not entitle a State Party to exercise jurisdiction in another State's territory."
    assert negation_reasons(sentence, NOTHING_ENTITLES) == []


def test_no_answer_denying_what_the_passage_does_not_say_is_supported():
    sentence = "The convention does not define a serious crime by a list of offences."
    assert negation_reasons(sentence, DEFINITION) == []


def test_added_not_on_what_the_passage_says_is_contradicted():
    sentence = "Serious crime does not mean conduct punishable by a deprivation of liberty of at least four years."
    assert negation_reasons(sentence, DEFINITION) == ['negation: the sentence says "not", the passage does not']


def test_refusal_forbidden_paraphrased_as_an_obligation_is_supported():
    assert (
        negation_reasons("States Parties must provide assistance even where bank secrecy applies.", BANK_SECRECY) == []
    )


def test_may_refuse_against_shall_not_refuse_is_left_to_the_modal_frames():
    sentence = "States Parties may refuse assistance on the ground of bank secrecy."
    assert negation_reasons(sentence, BANK_SECRECY) == []
    assert [c.reason for c in frames.compare(sentence, BANK_SECRECY).conflicts] == [
        'negation: the passage says "shall not refuse", the sentence says "may refuse"'
    ]


def test_with_written_for_without_is_contradicted():
    sentence = "Each State Party shall criminalize sharing an intimate image of a person with that person's consent."
    assert negation_reasons(sentence, CONSENT)
    faithful = "States must make it a crime to share someone's intimate image without their consent."
    assert negation_reasons(faithful, CONSENT) == []


def test_negation_of_another_part_of_the_clause_does_not_count():
    sentence = "A State Party may, when it deems appropriate, seek further information."
    assert negation_reasons(sentence, PRESERVATION) == []
