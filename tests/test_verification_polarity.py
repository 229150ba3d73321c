"""Negation read with its scope: a dropped or added "not" on what the passage says is contradicted,
a "No: ... does not ..." answer that denies what the passage does not say is not.

The passages are written in the treaties' style; no model is needed.
"""

from __future__ import annotations

from rag.verification import frames, polarity
from rag.verification.clauses import clauses

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


# ----- negations in other words, and where a negation of the passage reaches

WITHOUT_AUTHORISATION = (
    "A Party may, without the authorisation of another Party:\n\n"
    "a) access publicly available stored computer data; or\n\n"
    "b) access or receive, through a computer system in its territory, stored computer data located in another "
    "Party, if the Party obtains the lawful and voluntary consent of the person who has the lawful authority to "
    "disclose the data."
)
ARBITRATION = (
    "If, six months after the date of the request for arbitration, those States Parties are unable to agree on the "
    "organization of the arbitration, any one of those States Parties may refer the dispute to the Court."
)
COMMITMENTS = (
    "To the extent possible, the measures taken under this article shall be without prejudice to existing foreign "
    "assistance commitments."
)
ORGANIZATIONS = "The Conference shall facilitate the exchange of information with non-governmental organizations."


def test_a_list_item_is_read_with_the_negation_of_the_clause_opening_the_list():
    sentence = "A Party may access stored data located in another Party without authorisation if it obtains consent."
    assert negation_reasons(sentence, WITHOUT_AUTHORISATION) == []
    dropped = "A Party may access stored data located in another Party only with the authorisation of that Party."
    assert negation_reasons(dropped, WITHOUT_AUTHORISATION)


def test_unable_is_a_negation_that_cannot_stands_for():
    sentence = (
        "If, six months after arbitration is requested, the parties cannot agree on its organization, any may refer it."
    )
    assert negation_reasons(sentence, ARBITRATION) == []


def test_should_not_prejudice_says_without_prejudice_in_other_words():
    sentence = "As far as possible, these measures should not prejudice existing foreign assistance commitments."
    assert negation_reasons(sentence, COMMITMENTS) == []
    assert frames.compare(sentence, COMMITMENTS).conflicts == []


def test_non_negates_the_word_it_is_joined_to():
    sentence = "Each State Party must criminalize the non-consensual sharing of an intimate image of a person."
    assert negation_reasons(sentence, CONSENT) == []
    dropped = "Each State Party must criminalize the consensual sharing of an intimate image of a person."
    assert negation_reasons(dropped, CONSENT)


def test_non_governmental_names_a_kind_of_organization_and_negates_nothing():
    assert negation_reasons("The Conference shall help NGOs exchange information.", ORGANIZATIONS) == []


def test_a_negation_in_other_words_pairs_with_the_passage_negation_it_restates():
    passage = (
        "In the absence of an agreement or arrangement as set forth in paragraph 2 of this article, decisions to use "
        "such special investigative techniques at the international level shall be made on a case-by-case basis."
    )
    sentence = (
        "Without an agreement, decisions to use special investigative techniques internationally are case by case."
    )
    assert negation_reasons(sentence, passage) == []


DUAL_CRIMINALITY = (
    "Whenever dual criminality is required, it shall be deemed fulfilled irrespective of whether the laws of the "
    "requested State Party place the offence within the same category of offence or denominate the offence by the "
    "same terminology, if the conduct underlying the offence is a criminal offence under the laws of both States."
)


def test_making_a_condition_of_what_the_passage_says_does_not_matter_is_contradicted():
    sentence = "Dual criminality is met only if both States place the offence in the same category."
    [found] = polarity.compare_irrelevant(sentence, DUAL_CRIMINALITY)
    assert found.kind == "negation" and "irrespective" in found.reason
    other = "Dual criminality is met only if the conduct is a criminal offence under the laws of both States."
    assert polarity.compare_irrelevant(other, DUAL_CRIMINALITY) == []


LEGAL_PERSONS = (
    "Subject to the legal principles of the State Party, the liability of legal persons may be criminal, civil or "
    "administrative. Such liability shall be without prejudice to the criminal liability of the natural persons who "
    "have committed the offences."
)
RESERVED = (
    "Nothing contained in this Convention shall affect the principle that the description of the offences "
    "established in accordance with this Convention is reserved to the domestic law of a State Party."
)
CONTACT_POINT = (
    "If the point of contact designated by a State Party is not part of that State Party's authority responsible "
    "for mutual legal assistance, the point of contact shall ensure that it is able to coordinate with that authority "
    "on an expedited basis."
)
NO_TREATY = (
    "If a State Party that makes extradition conditional on the existence of a treaty receives a request for "
    "extradition from another State Party with which it has no treaty in this matter, it may consider this Convention "
    "the legal basis for extradition."
)


def test_does_not_rule_out_says_without_prejudice_in_other_words():
    sentence = (
        "Such liability does not rule out the criminal liability of the "
        "natural persons who have committed the offences."
    )
    assert negation_reasons(sentence, LEGAL_PERSONS) == []


def test_a_saving_clause_restated_without_a_negation_is_supported():
    sentence = (
        "The description of the offences established in accordance with this Convention is reserved to domestic law."
    )
    assert negation_reasons(sentence, RESERVED) == []


def test_saying_a_provision_replaces_what_it_leaves_without_prejudice_is_contradicted():
    sentence = (
        "The liability of legal persons replaces the criminal liability of the natural persons who committed them."
    )
    assert [c.rule for c in polarity.compare_saving(sentence, LEGAL_PERSONS)] == ["saving"]


def test_saying_a_provision_does_not_affect_what_it_saves_is_supported():
    sentence = "The liability of legal persons does not affect the criminal liability of the natural persons."
    assert polarity.compare_saving(sentence, LEGAL_PERSONS) == []


def test_a_negation_inside_the_passage_condition_does_not_bear_on_a_sentence_without_the_condition():
    sentence = (
        "The point of contact must be able to coordinate with the authority responsible for mutual legal assistance."
    )
    assert negation_reasons(sentence, CONTACT_POINT) == []


def test_the_same_word_negated_pairs_even_without_content_of_its_own():
    sentence = (
        "A State Party may consider this Convention the legal basis for "
        "extradition when it has no treaty with the requesting State."
    )
    assert negation_reasons(sentence, NO_TREATY) == []


PRIVACY = (
    "Each State Party shall take such measures as may be necessary to enhance transparency, with due regard for the "
    "protection of privacy and personal data, on decisions that concern members of the public."
)
HINDERING = "The serious hindering, when committed intentionally and without right, of the functioning of a system."


def test_freeing_a_measure_from_the_regard_the_passage_requires_is_contradicted():
    wrong = "Transparency measures need not take the protection of privacy and personal data into account."
    assert [c.rule for c in polarity.compare_regard(wrong, PRIVACY)] == ["regard"]
    right = "Measures to enhance transparency must have due regard for the protection of privacy and personal data."
    assert polarity.compare_regard(right, PRIVACY) == []


def test_with_right_for_without_right_is_contradicted():
    wrong = "The hindering is an offence when done with right."
    assert [c.rule for c in polarity.compare_regard(wrong, HINDERING)] == ["regard"]
    assert polarity.compare_regard("The hindering is an offence when done without right.", HINDERING) == []


CHILD_RIGHTS = (
    "Nothing in this article shall affect any international obligations which are more conducive to the realization "
    "of the rights of the child."
)


def test_nothing_affects_without_an_auxiliary_is_the_same_saving_clause():
    sentence = "Nothing in the convention affects international obligations more conducive to the rights of the child."
    assert negation_reasons(sentence, CHILD_RIGHTS) == []


PUBLIC_OFFICIAL = (
    "(a) “Public official” shall mean any person holding a legislative, executive, administrative or judicial office "
    "of a State Party, whether appointed or elected, whether permanent or temporary, whether paid or unpaid."
)
SUBSCRIBER = (
    "(o) Subscriber’s information refers to any information contained in the form of computer data held by a "
    "service provider, relating to subscribers of its services other than traffic or content data."
)
CANNOT_ADOPT = (
    "2. Where a State Party, owing to the principles of its domestic legal system, cannot adopt the measures referred "
    "to in paragraph 1 (a) of this article, it may instead adopt such legislative and other measures as may be "
    "necessary to ensure the real-time collection of traffic data transmitted in its territory."
)


def test_denying_one_case_of_whether_paid_or_unpaid_is_a_negation_error():
    sentence = "An unpaid holder of a judicial office of a State Party is not a public official."
    assert [c.rule for c in polarity.compare_either_way(sentence, PUBLIC_OFFICIAL)] == ["either-way"]
    faithful = "A person holding a judicial office of a State Party is a public official, whether paid or unpaid."
    assert polarity.compare_either_way(faithful, PUBLIC_OFFICIAL) == []


def test_including_what_the_passage_puts_other_than_its_definition_is_a_negation_error():
    sentence = "Traffic data and content data held by a service provider count as subscriber's information."
    assert [c.rule for c in polarity.compare_excluded(sentence, SUBSCRIBER)] == ["excluded"]
    faithful = "Subscriber's information is data a service provider holds on its subscribers, apart from traffic data."
    assert polarity.compare_excluded(faithful, SUBSCRIBER) == []


def test_a_cross_reference_in_brackets_does_not_cut_the_clause_that_holds_its_cannot():
    # "paragraph 1 (a)" cites an item; it opens none, so "cannot adopt" stays in the clause the sentence restates.
    sentence = (
        "A State whose legal system does not allow the direct measure may instead ensure real-time collection of "
        "traffic data by other measures in its territory."
    )
    assert negation_reasons(sentence, CANNOT_ADOPT) == []
    [holding] = [CANNOT_ADOPT[a:b] for a, b in clauses(CANNOT_ADOPT) if "cannot" in CANNOT_ADOPT[a:b]]
    assert "it may instead adopt" in holding


NO_COSTS_BUT_EXPERTS = (
    "1. Mutual assistance which the Parties render each other shall not give rise to the payment of any costs or "
    "fees other than those incurred for experts and interpreters. The latter costs or fees shall be borne by the "
    "Party which has designated the authority making the request for assistance."
)


def test_saying_what_a_denial_excepts_is_no_negation_error():
    faithful = "Costs for experts and interpreters are borne by the Party that designated the requesting authority."
    assert polarity.compare_excluded(faithful, NO_COSTS_BUT_EXPERTS) == []


def test_including_what_a_definition_excepts_is_still_a_negation_error_beside_a_denial_exception():
    sentence = "Traffic data and content data held by a service provider count as subscriber's information."
    assert [c.rule for c in polarity.compare_excluded(sentence, SUBSCRIBER + " " + NO_COSTS_BUT_EXPERTS)] == [
        "excluded"
    ]
