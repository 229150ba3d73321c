"""Refusal rules (rag.answering.refusal.decide): what a question needs that the closest sentences lack."""

from __future__ import annotations

from rag.answering.refusal import decide

# What "does any document mention X" is checked against (lowercased committed text).
CORPUS = (
    "this convention shall enter into force on the ninetieth day after the date of deposit of the fortieth "
    "instrument of ratification. the conference of the states parties."
)
ENTRY_INTO_FORCE = [
    "1. This Convention shall enter into force on the ninetieth day after the date of deposit of the fortieth "
    "instrument of ratification, acceptance, approval or accession."
]
ADOPTED = ["Adopted by the General Assembly on 24 December 2024."]
GENERAL = ["Each State Party shall adopt such legislative and other measures as may be necessary."]


def test_weak_evidence_is_refused() -> None:
    assert decide("What is illegal access?", GENERAL, 0.1, CORPUS).refuse


def test_a_name_no_document_mentions_is_refused_and_named() -> None:
    decision = decide("What did Human Rights Watch say about the treaty?", GENERAL, 0.9, CORPUS)
    assert decision.refuse and "Human Rights Watch" in decision.reason


def test_a_count_of_countries_is_answered_by_a_count_of_instruments() -> None:
    question = "How many countries have to ratify the treaty before it takes effect?"
    assert not decide(question, ENTRY_INTO_FORCE, 0.9, CORPUS).refuse


def test_a_count_of_other_things_is_refused_when_only_instruments_are_counted() -> None:
    question = "How many negotiating sessions did the committee hold?"
    decision = decide(question, ENTRY_INTO_FORCE, 0.9, CORPUS)
    assert decision.refuse and "count" in decision.reason


def test_a_past_date_needs_a_year_or_month_in_the_evidence() -> None:
    question = "When was the first conference of the states parties held?"
    refused = decide(question, ENTRY_INTO_FORCE, 0.9, CORPUS)
    assert refused.refuse and "date" in refused.reason
    assert not decide("On what date did the General Assembly adopt it?", ADOPTED, 0.9, CORPUS).refuse


def test_an_ordinary_question_with_evidence_is_answered() -> None:
    assert not decide("Do states have to pass laws?", GENERAL, 0.9, CORPUS).refuse
