"""Modal frames: the force a sentence gives an act must be the force the passage gives it.

Which passage frame a sentence speaks of decides the comparison: the one grounding its words best,
or a frame of compatible force that grounds all of those words too. The passages are written in
the treaties' style; no model is needed.
"""

from __future__ import annotations

from rag.verification import frames, modality, polarity
from rag.verification.modality import Force

ATTEMPT = (
    "1. Each State Party shall adopt such legislative and other measures as may be necessary to establish as a "
    "criminal offence participation as an accomplice in an offence established in accordance with this Convention. "
    "2. Each State Party may adopt such legislative and other measures as may be necessary to establish as a "
    "criminal offence any attempt to commit an offence established in accordance with this Convention."
)
POLITICAL = (
    "The requested Party may, in addition to the grounds for refusal set out in article 25, paragraph 4, refuse "
    "assistance if the request concerns an offence which the requested Party considers a political offence."
)
RECORDS = (
    "The requested State Party:\n\n(a) Shall provide to the requesting State Party copies of government records "
    "that under its domestic law are available to the general public;"
)
CONTACT = "Each State Party shall designate a point of contact available twenty-four hours a day, seven days a week."
MAY_INCLUDE = "Assistance can include the taking of evidence from persons."


def reasons(sentence: str, passage: str) -> list[str]:
    return [c.reason for c in frames.compare(sentence, passage).conflicts]


def test_obligation_written_for_the_permission_of_a_neighbouring_paragraph_is_contradicted():
    sentence = "Each State Party shall establish as a criminal offence any attempt to commit an offence."
    assert reasons(sentence, ATTEMPT) == ['modality: the passage says "may", the sentence says "shall"']


def test_obligation_of_the_paragraph_it_paraphrases_is_supported():
    sentence = "Each State Party must make participation as an accomplice in a convention offence a crime."
    assert reasons(sentence, ATTEMPT) == []


def test_refusal_permission_across_a_parenthesis_is_read_as_no_obligation():
    assert [m.force for m in modality.modals(POLITICAL)] == [Force.NO_OBLIGATION]
    sentence = "The requested Party must refuse assistance if the request concerns a political offence."
    assert reasons(sentence, POLITICAL) == [
        'modality: the passage says "imposes no obligation to", the sentence says "must refuse"'
    ]


def test_can_paraphrasing_an_obligation_is_supported():
    assert reasons("A State can designate a contact point available 24 hours a day, 7 days a week.", CONTACT) == []


def test_must_written_for_can_is_contradicted():
    assert reasons("Assistance must include the taking of evidence from persons.", MAY_INCLUDE) == [
        'modality: the passage says "can", the sentence says "must"'
    ]


def test_the_subject_of_a_list_is_the_actor_of_its_items():
    sentence = "The requesting State must provide copies of government records that are available to the public."
    found = reasons(sentence, RECORDS)
    assert found and all(r.startswith("actor:") for r in found)
    assert reasons("The requested State must provide copies of public government records.", RECORDS) == []


NOTHING = (
    "Nothing in this Convention shall entitle a State Party to undertake in the territory of another State the "
    "exercise of jurisdiction reserved for the authorities of that other State."
)
ACCOUNT = (
    "Decides that, until the Conference of the States Parties decides otherwise, the account will be operated by "
    "the United Nations Office on Drugs and Crime."
)


def test_a_modal_under_nothing_is_no_force_but_a_negation():
    assert modality.modals(NOTHING) == []
    sentence = "The convention entitles a State Party to exercise jurisdiction in the territory of another State."
    assert reasons(sentence, NOTHING) == []
    assert [c.kind for c in polarity.compare(sentence, NOTHING)] == ["negation"]


def test_the_agent_of_a_passive_modal_is_its_actor():
    assert reasons("UNODC will operate the account until the Conference decides otherwise.", ACCOUNT) == []
    assert reasons("The Secretary-General will operate the account until the Conference decides otherwise.", ACCOUNT)


# ----- more ways of saying there is no obligation, and modals that are not deontic


def forces(text: str) -> list[Force]:
    return [m.force for m in modality.modals(text)]


def test_shall_not_be_required_is_no_obligation():
    assert forces("States Parties shall not be required to transfer personal data.") == [Force.NO_OBLIGATION]


def test_no_duty_to_is_no_obligation_whatever_the_verb_before_it():
    assert forces("Article 38 creates no duty to transfer sentenced persons.") == [Force.NO_OBLIGATION]


def test_nothing_in_the_convention_obliges_is_no_obligation():
    assert forces("Nothing in the Convention obliges a State to extradite someone.") == [Force.NO_OBLIGATION]


def test_cannot_rely_on_a_ground_to_decline_is_an_obligation_not_to_refuse():
    assert forces("A State Party cannot rely on bank secrecy to decline to act.") == [Force.OBLIGATION]
    assert forces("A request cannot be refused because it involves fiscal matters.") == [Force.OBLIGATION]


def test_cannot_in_a_condition_is_an_inability_not_a_prohibition():
    assert forces("If, after six months, the parties cannot agree on it, either may refer the dispute.") == [
        Force.PERMISSION
    ]
    assert forces("If the request is late, the State cannot refuse it.") == [Force.OBLIGATION]


def test_cannot_be_read_as_is_how_a_text_is_interpreted_not_a_prohibition():
    assert forces("The convention cannot be read as allowing the suppression of human rights.") == []


def test_not_obliged_is_true_of_what_the_passage_only_permits_or_asks_to_consider():
    permits = "States Parties may consider entering into agreements on the transfer of sentenced persons."
    assert reasons("States Parties are not obliged to transfer sentenced persons.", permits) == []
    obliges = "Each State Party shall transfer sentenced persons."
    assert reasons("States Parties are not obliged to transfer sentenced persons.", obliges)


EMPOWER = (
    "1. Each State Party shall adopt such legislative and other measures as may be necessary to empower its "
    "competent authorities to order any person who has knowledge about the functioning of the system to provide "
    "the necessary information."
)
SIGNATURE = (
    "This Convention shall also be open for signature by regional economic integration organizations, provided "
    "that at least one member State of such an organization has signed this Convention."
)


def modality_reasons(sentence: str, passage: str) -> list[str]:
    return [r for r in reasons(sentence, passage) if r.startswith("modality")]


def test_authorities_must_be_empowered_paraphrases_an_obligation_to_empower_them():
    sentence = "Competent authorities must be empowered to order any person who knows the system to provide data."
    assert modality_reasons(sentence, EMPOWER) == []


def test_a_state_must_empower_its_authorities_paraphrases_the_obligation_to_empower():
    sentence = "Each State Party must empower its authorities to order any person to provide the necessary information."
    assert modality_reasons(sentence, EMPOWER) == []


def test_the_power_an_obligation_gives_is_the_authorities_permission():
    sentence = "Competent authorities may order any person who knows the system to provide the necessary information."
    assert reasons(sentence, EMPOWER) == []


def test_authorities_must_order_for_a_power_to_order_is_contradicted():
    sentence = "Competent authorities must order any person who knows the system to provide the necessary information."
    assert [r.split(":")[0] for r in reasons(sentence, EMPOWER)] == ["modality"]


def test_open_for_signature_is_a_permission_to_sign():
    sentence = "A regional economic integration organization may sign if at least one of its member States has signed."
    assert reasons(sentence, SIGNATURE) == []


def test_as_far_as_its_law_allows_is_a_condition_not_a_permission():
    assert forces("The requested State Party shall, as far as its legal system allows, seek an order.") == [
        Force.OBLIGATION
    ]


def test_consider_this_convention_the_legal_basis_is_an_obligation_to_regard_it_so():
    assert forces("It shall consider this Convention the necessary and sufficient treaty basis.") == [Force.OBLIGATION]


def test_only_have_to_consider_is_a_soft_obligation():
    assert forces("States Parties only have to consider such agreements.") == [Force.SOFT]


STRICTER = (
    "2. Each State Party may adopt more strict or severe measures than those provided for by this Convention for "
    "preventing and combating the offences established in accordance with this Convention."
)


def test_forbids_a_state_from_what_the_passage_permits_is_a_negation():
    sentence = "The Convention forbids a State Party from adopting stricter measures than it provides for."
    assert [m.force for m in modality.modals(sentence)] == [Force.PROHIBITION]
    assert reasons(sentence, STRICTER) == ['negation: the passage says "may", the sentence says "forbids"']


def test_mandatory_written_for_a_permission_is_a_modality_error():
    sentence = "It is mandatory for each State Party to adopt more severe measures than the Convention provides for."
    assert reasons(sentence, STRICTER) == ['modality: the passage says "may", the sentence says "mandatory"']


def test_forbidding_an_act_without_an_actor_or_infinitive_is_no_frame():
    assert modality.modals("The Convention forbids torture.") == []


def test_an_article_that_obliges_a_state_to_give_its_authorities_the_power_paraphrases_the_obligation_to_empower():
    sentence = "Article 28 obliges each State Party to give its competent authorities the power to order any person to "
    sentence += "provide the necessary information."
    assert modality_reasons(sentence, EMPOWER) == []


def test_an_article_that_requires_states_to_empower_authorities_paraphrases_the_obligation_to_empower():
    sentence = "Article 28 requires States Parties to empower their authorities to order any person to provide the "
    sentence += "necessary information."
    assert modality_reasons(sentence, EMPOWER) == []
