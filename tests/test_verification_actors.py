"""Actors read from their place in a clause: who does a thing, to whom, and whose it is.

A sentence that gives the obligation, the cost, the law or the request of one actor to another
is contradicted with a reason naming both; a paraphrase that moves an actor from one wording to
another ("the law of X" / "X's law", "X shall inform Y" / "Y must be informed") is not. The
passages are written in the treaties' style; no model is needed.
"""

from __future__ import annotations

from rag.verification import slots
from rag.verification.actors import Role, mentions
from rag.verification.slots import Relation

COSTS = (
    "The ordinary costs of executing a request shall be borne by the requested State Party, unless otherwise "
    "agreed by the States Parties concerned."
)
INFORM = (
    "The requesting State Party shall promptly inform the requested State Party when the evidence is no longer needed."
)
EXECUTION = "A request shall be executed in accordance with the domestic law of the requested State Party."
DECIDE = (
    "Where the requested State Party believes that preservation will not ensure the availability of the data, it "
    "shall promptly so inform the requesting State Party, which shall then decide whether the request should be "
    "executed."
)
SECRETARIAT = (
    "Requests the Secretary-General to designate the United Nations Office on Drugs and Crime to serve as the "
    "secretariat of the Conference of the States Parties."
)
TRANSFER = (
    "The receiving State shall keep the person transferred in custody unless the sending State authorizes otherwise."
)


def actor_reasons(sentence: str, passage: str) -> list[str]:
    return [c.reason for c in slots.compare(sentence, passage)]


def test_requesting_state_written_for_requested_state_is_contradicted():
    reasons = actor_reasons("The ordinary costs of executing a request are borne by the requesting State.", COSTS)
    assert reasons == [
        'actor: the passage says "… a request shall be borne by the requested State Party", the sentence "… of '
        'executing a request are borne by the requesting State"'
    ]


def test_doer_and_recipient_swapped_is_contradicted():
    sentence = (
        "The requested State Party must promptly inform the requesting State Party when the evidence is not needed."
    )
    reasons = actor_reasons(sentence, INFORM)
    assert reasons and all(r.startswith("actor:") for r in reasons)
    assert '"requesting State Party shall promptly inform"' in reasons[0]


def test_same_actors_in_the_same_places_are_not_contradicted():
    sentence = "The requesting State must quickly inform the requested State once it no longer needs the evidence."
    assert actor_reasons(sentence, INFORM) == []


def test_recipient_written_as_passive_subject_is_not_contradicted():
    assert actor_reasons("The requested State Party must be informed promptly.", INFORM) == []


def test_possessive_paraphrase_of_the_owner_keeps_the_actor():
    assert actor_reasons("Requests are executed under the requested State's domestic law.", EXECUTION) == []
    reasons = actor_reasons("Requests are executed under the requesting State's domestic law.", EXECUTION)
    assert reasons == [
        'actor: the passage says "domestic law of the requested State Party", the sentence "requesting State\'s '
        'domestic law"'
    ]


def test_the_doer_of_a_relative_clause_is_read():
    assert actor_reasons("The requesting State then decides whether the request is executed.", DECIDE) == []
    assert actor_reasons("The requested State then decides whether the request is executed.", DECIDE)


def test_body_designated_for_another_body_is_contradicted():
    sentence = "The Secretary-General is asked to designate the Ad Hoc Committee to serve as the secretariat."
    assert actor_reasons(sentence, SECRETARIAT)
    faithful = "The Secretary-General is asked to designate UNODC to serve as the Conference's secretariat."
    assert actor_reasons(faithful, SECRETARIAT) == []


def test_sending_and_receiving_state_are_told_apart():
    assert [m.role for m in mentions(TRANSFER)][:1] == [Role.RECEIVING_STATE]
    assert actor_reasons("The sending State must keep the transferred person in custody.", TRANSFER)
    assert actor_reasons("The receiving State must keep the transferred person in custody.", TRANSFER) == []


def test_object_asked_to_act_is_the_doer_of_that_act():
    relations = {(s.role, s.relation) for s in slots.slots(SECRETARIAT)}
    assert (Role.SECRETARY_GENERAL, Relation.DOER) in relations
    assert (Role.UNODC, Relation.DOER) in relations


def test_owned_actor_after_and_is_the_subject_of_what_follows():
    passage = (
        "A person may be transferred if the person gives consent and the competent authorities of both States agree."
    )
    wrong = "A person may be transferred if the person consents and both States' service providers agree."
    assert actor_reasons(wrong, passage)
    assert actor_reasons("A person may be transferred if both States' competent authorities agree.", passage) == []


COE_REGISTER = (
    "The Secretary General of the Council of Europe shall set up and keep updated a register of central "
    "authorities designated by the Parties."
)


def test_the_secretaries_general_of_two_organizations_are_different_actors():
    wrong = "The Secretary-General of the United Nations shall keep updated the register of central authorities."
    assert actor_reasons(wrong, COE_REGISTER)
    plain = "The Secretary-General shall keep updated the register of central authorities."
    assert actor_reasons(plain, COE_REGISTER) == []


OWN_AUTHORITY = (
    "Each Party shall adopt such measures as may be necessary to ensure the expeditious disclosure to the Party's "
    "competent authority of a sufficient amount of traffic data to identify the service providers."
)


def test_a_named_role_the_passage_never_speaks_of_is_absent():
    from rag.verification.actors import absent

    wrong = "Traffic data must be disclosed quickly to the requesting Party's competent authority."
    found = absent(wrong, OWN_AUTHORITY)
    assert found is not None and found.role is Role.REQUESTING_STATE
    assert (
        absent("Traffic data must be disclosed quickly to the Party's own competent authority.", OWN_AUTHORITY) is None
    )
    assert absent("The requesting State must be told when the evidence is no longer needed.", INFORM) is None


def test_a_passage_about_a_request_speaks_of_both_its_sides():
    from rag.verification.actors import absent

    passage = (
        "5. If a State Party that makes extradition conditional on the existence of a treaty receives a request for "
        "extradition from another State Party with which it has no extradition treaty, it may consider this "
        "Convention the legal basis for extradition."
    )
    assert absent("The requesting country may have no extradition treaty with it.", passage) is None
    assert absent("The requested State may treat the Convention as the legal basis.", passage) is None
    unrelated = passage.replace("receives a request for extradition from", "has concluded no treaty with")
    assert absent("The requested State may treat the Convention as the legal basis.", unrelated) is not None


COE_DECLARATION = (
    "1. Any State may, at the time of signature, specify the territory to which this Convention shall apply. 2. Any "
    "State may extend the application of this Convention to any other territory by a declaration addressed to the "
    "Secretary General of the Council of Europe. 3. Any declaration may be withdrawn by a notification addressed "
    "to the Secretary General. The withdrawal shall become effective three months after its receipt by the "
    "Secretary General."
)
UN_WITHDRAWAL = (
    "2. Any State Party that has made a reservation may at any time withdraw that reservation by notification to "
    "the Secretary-General of the United Nations. 3. Disputes may be referred to the International Court of Justice."
)


def test_the_secretary_general_of_a_passage_naming_one_organization_is_that_one():
    from rag.verification.actors import absent

    wrong = "Declarations extending the Convention to a territory go to the Secretary-General of the United Nations."
    found = absent(wrong, COE_DECLARATION)
    assert found is not None and found.role is Role.UN_SECRETARY_GENERAL


def test_notifying_the_international_court_for_the_secretary_general_is_contradicted():
    wrong = "A State Party may withdraw its reservation by notifying the International Court of Justice."
    assert [m.role for m in mentions(wrong)][-1] is Role.INTERNATIONAL_COURT
    assert actor_reasons(wrong, UN_WITHDRAWAL)
    right = "A State Party may withdraw its reservation by notifying the Secretary-General of the United Nations."
    assert actor_reasons(right, UN_WITHDRAWAL) == []


def test_the_committee_of_ministers_and_the_crime_problems_committee_are_named_bodies():
    text = "The Committee of Ministers shall obtain the opinion of the European Committee on Crime Problems (CDPC)."
    assert [m.role for m in mentions(text)] == [
        Role.COMMITTEE_OF_MINISTERS,
        Role.CRIME_PROBLEMS_COMMITTEE,
        Role.CRIME_PROBLEMS_COMMITTEE,
    ]


def frame_actor_reasons(sentence: str, passage: str) -> list[str]:
    from rag.verification import frames

    return [c.reason for c in frames.compare(sentence, passage).conflicts if c.kind == "actor"]


COURT_ORDER = "The court may order a service provider to preserve the computer data specified in the order."
CONTROLLER = "The controller shall notify, without delay, the supervisory authority of any data breach."


def test_a_power_of_the_court_given_to_law_enforcement_authorities_is_contradicted():
    police = "Law enforcement authorities may order a service provider to preserve data."
    assert frame_actor_reasons(police, COURT_ORDER)
    assert frame_actor_reasons("A judge may order a service provider to preserve the data.", COURT_ORDER) == []


def test_courts_or_other_competent_authorities_are_one_mention_of_courts_or_authorities():
    assert [m.role for m in mentions("Courts or other competent authorities may order the seizure.")] == [
        Role.COURT_OR_AUTHORITY
    ]


def test_the_controller_obligation_given_to_the_processor_is_contradicted():
    assert frame_actor_reasons("The processor must notify the supervisory authority of any data breach.", CONTROLLER)
    assert frame_actor_reasons("The data controller must notify the supervisory authority.", CONTROLLER) == []


BEAR_IN_MIND = (
    "Each State Party shall ensure that its courts or other competent authorities bear in mind the grave nature of "
    "the offences when considering the eventuality of early release or parole of persons convicted of such offences."
)


def test_courts_named_of_courts_or_other_competent_authorities_keep_the_actor():
    sentence = "Courts must keep in mind the grave nature of these offences when considering early release or parole."
    assert actor_reasons(sentence, BEAR_IN_MIND) == []


def test_service_providers_written_for_courts_or_other_competent_authorities_is_an_actor_conflict():
    sentence = "Service providers must bear in mind the grave nature of these offences when considering early release."
    assert actor_reasons(sentence, BEAR_IN_MIND) != []


BANK_RECORDS = (
    "6. Each State Party shall empower its courts or other competent authorities to order that bank, financial or "
    "commercial records be made available or be seized. States Parties shall not decline to act under the provisions "
    "of this paragraph on the ground of bank secrecy."
)


def test_banks_written_for_the_state_that_empowers_its_courts_is_an_actor_conflict():
    sentence = "Banks must empower courts to order that financial or commercial records be made available or seized."
    assert actor_reasons(sentence, BANK_RECORDS) != []


def test_bank_records_and_bank_secrecy_name_no_actor():
    assert [m.role for m in mentions("Bank records may be seized; bank secrecy is no ground to decline.")] == []
    faithful = "Each State Party must empower its courts to order that bank records be made available or seized."
    assert actor_reasons(faithful, BANK_RECORDS) == []
