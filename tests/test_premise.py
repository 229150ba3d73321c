"""A premise the text contradicts is spotted, so the answer can open with "No"."""

from __future__ import annotations

from rag.answering.assess.premise import (
    PREMISE_CORRECTION,
    check_premise,
    contradicted_premise,
    verified_contradiction,
)

SERIOUS_CRIME = (
    "“Serious crime” shall mean conduct constituting an offence punishable by a maximum deprivation of "
    "liberty of at least four years or a more serious penalty;"
)
PRESERVATION = (
    "to preserve and maintain the integrity of those electronic data for a period of time as long as necessary, "
    "up to a maximum of 90 days"
)
ATTEMPT = (
    "Each State Party may adopt the necessary legislative and other measures to establish as a criminal offence "
    "any attempt to commit an offence."
)
FISCAL = (
    "States Parties may not refuse a request for mutual legal assistance on the sole ground that the offence is "
    "also considered to involve fiscal matters."
)
DENUNCIATION = (
    "Such denunciation shall become effective one year after the date of receipt of the notification by the "
    "Secretary-General."
)


def test_a_minimum_where_the_text_says_maximum_is_contradicted() -> None:
    found = contradicted_premise(
        "Since the treaty applies to crimes with a minimum of four years, which qualify?", [SERIOUS_CRIME]
    )
    assert found is not None and found.sentence == 0


def test_another_number_of_days_is_contradicted_but_the_same_one_is_not() -> None:
    assert contradicted_premise("Why must data be preserved for at least 180 days?", [PRESERVATION]) is not None
    assert contradicted_premise("Is it true that preservation lasts up to 90 days?", [PRESERVATION]) is None


def test_a_question_asking_for_a_figure_states_no_premise() -> None:
    assert contradicted_premise("How many days can data be preserved for?", [PRESERVATION]) is None


def test_mandatory_where_the_text_says_may_is_contradicted_only_when_asserted() -> None:
    asserted = "Since the convention makes it mandatory to criminalise attempts, how is attempt defined?"
    asked = "Must states criminalise attempts?"
    assert contradicted_premise(asserted, [ATTEMPT]) is not None
    assert contradicted_premise(asked, [ATTEMPT]) is None


def test_a_permission_the_text_denies_is_contradicted() -> None:
    assert contradicted_premise(
        "As the treaty lets states refuse assistance for tax offences, what about VAT?", [FISCAL]
    )
    assert contradicted_premise("Why can states not refuse assistance for tax offences?", [FISCAL]) is None


def test_each_verb_of_a_coordinated_prohibition_contradicts_a_permission() -> None:
    use_limit = (
        "The requesting State Party shall not transmit or use information or evidence furnished by the requested "
        "State Party for investigations other than those stated in the request without its prior consent."
    )
    asserted = "Since the convention lets the requesting country use the evidence in any other case, what stops misuse?"
    found = contradicted_premise(asserted, [use_limit])
    assert found is not None and found.reason == "the text forbids it"
    asked = "Why can't the requesting country use the evidence in other cases?"
    assert contradicted_premise(asked, [use_limit]) is None


def test_a_question_that_asks_whether_a_state_can_refuse_carries_no_premise() -> None:
    # The brief's own example: the fiscal-matters prohibition must not turn it into "No, ...".
    assert contradicted_premise("Can a State refuse to help if the request looks political?", [FISCAL]) is None


def test_immediate_effect_against_a_waiting_period_is_contradicted() -> None:
    assert contradicted_premise("Since withdrawal takes immediate effect, how is it notified?", [DENUNCIATION])


def test_the_contradicting_sentence_is_named_among_the_best() -> None:
    found = contradicted_premise(
        "Since a country can withdraw with immediate effect, how?", [SERIOUS_CRIME, DENUNCIATION]
    )
    assert found is not None and found.sentence == 1


def test_a_premise_clause_naming_what_no_document_mentions_opens_the_answer_with_that() -> None:
    question = "Since the signing was in Geneva, who signed?"
    found = check_premise("the signing was in Geneva", question, [ATTEMPT], SERIOUS_CRIME + " " + PRESERVATION)
    assert found.lead == 0
    assert found.correction == "No, the documents never mention “Geneva”; "


def test_a_premise_the_documents_name_is_checked_by_the_wording_rules() -> None:
    question = "Since the treaty applies to crimes with a minimum of four years, which qualify?"
    named = check_premise("the treaty applies to crimes with a minimum of four years", question, [SERIOUS_CRIME], "")
    assert named.lead == 0 and named.correction == PREMISE_CORRECTION
    agreed = check_premise(None, "Is it true that preservation lasts up to 90 days?", [PRESERVATION], "")
    assert agreed.lead is None


ILLEGAL_ACCESS = (
    "Each State Party shall adopt such legislative and other measures as may be necessary to establish as a "
    "criminal offence under its domestic law, when committed intentionally, the access to the whole or any part "
    "of an information and communications technology system without right."
)
LIMITATIONS = (
    "Each State Party shall, where appropriate, considering the gravity of the crime, establish under its "
    "domestic law a long statute of limitations period in which to commence proceedings for any offence."
)
INTERCEPTION = (
    "Each State Party shall adopt such legislative and other measures as may be necessary, in relation to a range "
    "of serious criminal offences to be determined by domestic law, to empower its competent authorities to "
    "collect or record content data in real time."
)
ANY_OFFENCE = (
    "The powers and procedures referred to in paragraph 1 of this article shall be applied to the collection of "
    "evidence in electronic form of any criminal offence."
)


def test_a_figure_asserted_as_a_premise_that_the_text_never_gives_is_contradicted() -> None:
    found = contradicted_premise(
        "Since the convention sets a 10-year prison term for illegal access, is fraud the same?", [ILLEGAL_ACCESS]
    )
    assert found is not None and found.reason == "the text sets no such figure"
    tagged = "The convention sets a five-year statute of limitations, doesn't it?"
    assert contradicted_premise(tagged, [LIMITATIONS, ILLEGAL_ACCESS]) is not None


def test_a_figure_that_one_of_the_sentences_gives_or_that_is_only_asked_about_stands() -> None:
    confirmed = "Since withdrawal takes effect one year after notification, who is notified?"
    assert contradicted_premise(confirmed, [ILLEGAL_ACCESS, LIMITATIONS, INTERCEPTION, DENUNCIATION]) is None
    assert contradicted_premise("Is there a five-year statute of limitations?", [LIMITATIONS]) is None
    assert contradicted_premise("How many years is the statute of limitations, right?", [LIMITATIONS]) is None


def test_any_offence_against_a_range_of_serious_offences_is_contradicted() -> None:
    claim = "Police can read your messages in real time for any offence at all. Is that right?"
    found = contradicted_premise(claim, [INTERCEPTION])
    assert found is not None and found.sentence == 0


def test_any_offence_stands_when_a_sentence_speaks_of_any_criminal_offence() -> None:
    claim = "The treaty's surveillance powers apply to any crime, not just cybercrime. Is that correct?"
    assert contradicted_premise(claim, [INTERCEPTION, ANY_OFFENCE]) is None
    assert contradicted_premise("Can police intercept content for any offence?", [INTERCEPTION]) is None


AMENDMENTS = (
    "After the expiry of five years from the entry into force of this Convention, a State Party may propose an "
    "amendment and transmit it to the Secretary-General of the United Nations."
)


def test_the_same_figure_about_something_else_does_not_confirm_an_asserted_one() -> None:
    tagged = "The convention sets a five-year statute of limitations, doesn't it?"
    found = contradicted_premise(tagged, [LIMITATIONS, AMENDMENTS])
    assert found is not None and found.sentence == 0


def test_the_limiting_sentence_leads_even_below_the_best_three() -> None:
    claim = "Police can read your messages in real time for any offence at all. Is that right?"
    found = contradicted_premise(claim, [ILLEGAL_ACCESS, DENUNCIATION, PRESERVATION, INTERCEPTION])
    assert found is not None and found.sentence == 3


def test_a_premise_naming_what_no_document_mentions_is_not_contradicted_by_the_text() -> None:
    unknown = check_premise("the signing was in Geneva", "Since the signing was in Geneva, when?", [ATTEMPT], "text")
    textual = check_premise(None, "Since withdrawal takes immediate effect, how is it notified?", [DENUNCIATION], "")
    assert unknown.contradiction is not None and not unknown.by_the_text
    assert textual.by_the_text


DISPUTES = (
    "If, six months after the date of the request for arbitration, those States Parties are unable to agree on "
    "the organization of the arbitration, any one of those States Parties may refer the dispute to the "
    "International Court of Justice by request in conformity with the Statute of the Court."
)
SAFEGUARDS = (
    "Such conditions and safeguards shall, as appropriate in view of the nature of the procedure or power "
    "concerned, include, inter alia, judicial or other independent review."
)
ENTRY_INTO_FORCE = (
    "An amendment shall enter into force in respect of a State Party 90 days after the date of the deposit "
    "with the Secretary-General of an instrument of ratification of such amendment."
)


def test_premise_rule_ignores_an_unrelated_may() -> None:
    question = "Since the UN treaty requires a court warrant for every search, which court issues it?"
    assert contradicted_premise(question, [DISPUTES, SAFEGUARDS]) is None


def test_an_asserted_obligation_is_contradicted_by_the_may_about_the_same_action() -> None:
    question = "Since the UN convention makes it mandatory to criminalise attempted offences, how is attempt defined?"
    found = contradicted_premise(question, [DISPUTES, ATTEMPT])
    assert found is not None and found.sentence == 1 and found.reason == "the text makes it optional"


def test_an_obligation_asserted_last_is_judged_by_the_whole_premise() -> None:
    tagged = "Criminalising an attempt is mandatory under the treaty, isn't it?"
    assert contradicted_premise(tagged, [DISPUTES, ATTEMPT]) is not None
    assert contradicted_premise(tagged, [DISPUTES]) is None


def test_the_correction_opens_with_the_waiting_period_of_what_the_premise_is_about() -> None:
    # Both sentences set a waiting period; the withdrawal ("pull out": denunciation) is the premise's.
    question = "Since a country can pull out of the convention with immediate effect, how does it notify?"
    found = contradicted_premise(question, [ENTRY_INTO_FORCE, DENUNCIATION])
    assert found is not None and found.sentence == 1


def test_the_correction_opens_with_the_figure_on_the_premise_topic_not_the_best_scored_one() -> None:
    question = "Since the treaty applies to crimes with a minimum of four years, which qualify?"
    found = contradicted_premise(question, [DENUNCIATION, SERIOUS_CRIME])
    assert found is not None and found.sentence == 1 and found.reason == "the text gives another figure"


def test_an_asserted_figure_no_sentence_gives_is_corrected_by_the_sentence_on_its_topic() -> None:
    tagged = "The convention sets a five-year statute of limitations, doesn't it?"
    found = contradicted_premise(tagged, [ILLEGAL_ACCESS, AMENDMENTS, LIMITATIONS])
    assert found is not None and found.sentence == 2 and found.reason == "the text sets no such figure"


def test_a_figure_about_what_no_sentence_speaks_of_is_corrected_but_does_not_overrule_refusal() -> None:
    # An event the documents do not record: its "premise" only looks contradicted.
    question = "Since the boycott of the signing lasted three days, which countries joined it?"
    check = check_premise(None, question, [SERIOUS_CRIME, ILLEGAL_ACCESS], "")
    assert check.by_the_text and not check.settles_refusal


def test_a_figure_on_the_topic_of_a_sentence_overrules_refusal() -> None:
    tagged = "The convention sets a five-year statute of limitations, doesn't it?"
    assert check_premise(None, tagged, [ILLEGAL_ACCESS, AMENDMENTS, LIMITATIONS], "").settles_refusal
    immediate = "Since a country can pull out of the convention with immediate effect, how does it notify?"
    assert check_premise(None, immediate, [ENTRY_INTO_FORCE, DENUNCIATION], "").settles_refusal


# The asserted claim against the text, by the claim verifier (the ``verifier`` fixture: real MiniLM).
EVIDENCE_USE = (
    "19. The requesting State Party shall not transmit or use information or evidence furnished by the requested "
    "State Party for investigations, prosecutions or judicial proceedings other than those stated in the request "
    "without the prior consent of the requested State Party."
)
DUAL_CRIMINALITY = (
    "1. This article shall apply to the criminal offences established in accordance with this Convention where the "
    "person who is the subject of the request for extradition is present in the territory of the requested State "
    "Party, provided that the offence for which extradition is sought is punishable under the domestic law of both "
    "the requesting State Party and the requested State Party."
)
NO_OBLIGATION_TO_EXTRADITE = (
    "15. Nothing in this Convention shall be interpreted as imposing an obligation to extradite if the requested "
    "State Party has substantial grounds for believing that the request has been made for the purpose of "
    "prosecuting or punishing a person on account of that person's political opinions."
)
CHILD_MATERIAL = (
    "2. For the purposes of this article, the term child sexual abuse material shall include visual material that "
    "depicts any person under 18 years of age."
)


def test_a_claimed_permission_the_text_forbids_is_contradicted_by_the_verifier(verifier) -> None:  # type: ignore[no-untyped-def]
    claim = "the convention lets the requesting country use the evidence it receives in any other case it likes"
    found = verified_contradiction(claim, [ATTEMPT, EVIDENCE_USE], verifier)
    assert found is not None and found.sentence == 1 and found.reason.startswith("negation")


def test_a_claimed_obligation_the_text_says_need_not_exist_is_contradicted(verifier) -> None:  # type: ignore[no-untyped-def]
    claim = "under the convention our government would have to hand over people to any country that asks"
    found = verified_contradiction(claim, [NO_OBLIGATION_TO_EXTRADITE], verifier)
    assert found is not None and found.sentence == 0


def test_a_figure_the_sentence_does_not_give_is_left_to_the_figure_rules(verifier) -> None:  # type: ignore[no-untyped-def]
    signature = (
        "1. This Convention shall be open to all States for signature in Hanoi in 2025 and thereafter at United "
        "Nations Headquarters in New York until 31 December 2026."
    )
    assert verified_contradiction("20 countries boycotted the Hanoi signing ceremony", [signature], verifier) is None
    # The figure rules compare it with a figure of its kind: an age against an age.
    question = "As the convention defines a child as anyone under 16, what material counts?"
    assert check_premise(None, question, [CHILD_MATERIAL], "").by_the_text


def test_a_claim_the_text_states_is_not_contradicted(verifier) -> None:  # type: ignore[no-untyped-def]
    claim = (
        "the requesting State Party shall not use evidence furnished by the requested State Party in other proceedings"
    )
    assert verified_contradiction(claim, [EVIDENCE_USE, DUAL_CRIMINALITY], verifier) is None


def test_a_sentence_that_only_lacks_the_claims_words_is_no_evidence_against_it(verifier) -> None:  # type: ignore[no-untyped-def]
    claim = "the 24/7 network of the convention is run by Interpol"
    assert verified_contradiction(claim, [DENUNCIATION, ATTEMPT], verifier) is None


def test_the_verifier_corrects_a_premise_the_wording_rules_miss(verifier) -> None:  # type: ignore[no-untyped-def]
    question = (
        "Since the convention obliges countries to extradite even if the offence is not a crime in the "
        "requested country, what procedure applies?"
    )
    claim = "the convention obliges countries to extradite even if the offence is not a crime in the requested country"
    check = check_premise(claim, question, [DENUNCIATION, DUAL_CRIMINALITY], "", claim=claim, verifier=verifier)
    assert check.lead == 1 and check.settles_refusal
    assert check_premise(claim, question, [DENUNCIATION, DUAL_CRIMINALITY], "").lead is None


AUTHENTIC_TEXTS = (
    "2. The original of this Convention, of which the Arabic, Chinese, English, French, Russian and Spanish texts "
    "are equally authentic, shall be deposited with the Secretary-General of the United Nations."
)
REGIONAL_SIGNATURE = (
    "2. This Convention shall also be open for signature by regional economic integration organizations, provided "
    "that at least one member State of such an organization has signed this Convention."
)
PREPARATION = (
    "3. Each State Party may adopt the necessary legislative and other measures to establish as a criminal offence "
    "the preparation for an offence established in accordance with this Convention."
)
LEGAL_PERSONS = (
    "2. Subject to the legal principles of the State Party, the liability of legal persons may be criminal, civil "
    "or administrative."
)


def test_only_one_authentic_text_against_texts_equally_authentic_is_contradicted() -> None:
    question = "Since only the English text of the convention is authentic, what if the French one differs?"
    found = contradicted_premise(question, [DENUNCIATION, AUTHENTIC_TEXTS])
    assert found is not None and found.sentence == 1 and found.reason == "the text does not limit it so"


def test_only_open_to_some_against_also_open_to_others_is_contradicted_when_asserted() -> None:
    asserted = "Because the convention is only open to UN member states, the EU cannot join it, right?"
    assert contradicted_premise(asserted, [REGIONAL_SIGNATURE]) is not None
    # Asked, not asserted; and an "also" about something else is no evidence.
    assert contradicted_premise("Is the convention only open to UN member states?", [REGIONAL_SIGNATURE]) is None
    assert contradicted_premise(asserted, [DENUNCIATION]) is None


def test_a_premise_clause_inside_the_question_is_asserted() -> None:
    question = (
        "Our regulator fears its rules will be overridden, since the treaty makes every State criminalise "
        "the preparation of offences. Is that so?"
    )
    found = contradicted_premise(question, [DISPUTES, PREPARATION])
    assert found is not None and found.sentence == 1
    assert contradicted_premise("Does the treaty make every State criminalise preparation?", [PREPARATION]) is None


def test_a_statement_before_the_question_and_a_claim_gone_on_from_are_asserted() -> None:
    stated = "The treaty makes states criminalise the preparation of offences. How do they define it?"
    assert contradicted_premise(stated, [PREPARATION]) is not None
    gone_on_from = "The treaty makes states criminalise the preparation of offences, so how do they define it?"
    assert contradicted_premise(gone_on_from, [PREPARATION]) is not None


def test_a_why_question_takes_its_obligation_for_granted() -> None:
    assert contradicted_premise("Why does the treaty require states to criminalise attempts?", [ATTEMPT]) is not None
    assert contradicted_premise("How does the treaty treat attempts?", [ATTEMPT]) is None


def test_made_mandatory_is_judged_by_what_is_made_mandatory_in_the_texts_own_words() -> None:
    # "companies" is "legal persons" in the glossary's treaty wording.
    question = "Since the treaty makes criminal trials of companies mandatory, what penalties apply?"
    found = contradicted_premise(question, [ATTEMPT, LEGAL_PERSONS])
    assert found is not None and found.sentence == 1


def test_a_passive_prohibition_forbids_its_participle_not_every_word_beginning_with_be() -> None:
    not_liable = "This article shall not be interpreted as imposing criminal liability for possession for testing."
    asserted = "An NGO warns that researchers could be prosecuted for owning hacking tools. What does the text say?"
    assert contradicted_premise(asserted, [not_liable]) is None
    refused = "Requests for assistance may not be refused on the sole ground of bank secrecy."
    assert contradicted_premise("Since a State can refuse requests because of bank secrecy, how?", [refused])
