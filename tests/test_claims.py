"""Questions that quote someone: the claim is what is asked, the source only when asked about."""

from __future__ import annotations

import pytest

from rag.answering.assess.decision import decide
from rag.answering.assess.names import source_recorded, unknown_names
from rag.answering.retrieve.claims import read_question
from tests.test_refusal import values

# What "does any document mention X" is checked against.
CORPUS = (
    "Each State Party shall ensure that the implementation of its obligations is consistent with "
    "international human rights law. Last month, six Democratic senators wrote that the treaty could "
    "legitimize efforts to censor."
)


def test_a_newspaper_is_the_source_and_the_claim_is_asked() -> None:
    reading = read_question("The Daily Planet says the treaty forces tech firms to hand over encryption keys. True?")
    assert reading.source == "The Daily Planet"
    assert reading.asked == "The treaty forces tech firms to hand over encryption keys. True?"


def test_an_attributed_claim_with_an_unknown_newspaper_name_is_not_refused() -> None:
    reading = read_question("The Daily Planet reported that the treaty protects human rights. Is that right?")
    missing = unknown_names(reading.asked, CORPUS)
    assert missing == []
    assert not decide(values(), missing, 0.9, 0.3).refuse


def test_a_question_about_the_newspapers_own_views_is_refused() -> None:
    for question in (
        "What did the Daily Planet say about the treaty?",
        "The Daily Planet says the treaty is dangerous. Why does the Daily Planet think so?",
        "The Daily Planet says the treaty is dangerous. What are its main arguments?",
    ):
        reading = read_question(question)
        missing = unknown_names(reading.asked, CORPUS)
        assert missing, question
        assert decide(values(), missing, 0.9, 0.3).refuse, question


def test_according_to_and_told_me_attribute_a_claim() -> None:
    according = read_question("According to a think tank, states can pass personal data on to anyone. Right?")
    told = read_question("A Brazilian prosecutor told me the convention lets him demand subscriber data. Does it?")
    on_tv = read_question("A tech CEO said on TV that companies will face liability. Can they?")
    assert according.source == "a think tank" and according.asked.startswith("States can pass")
    assert told.source == "A Brazilian prosecutor" and told.asked.startswith("The convention lets him")
    assert on_tv.source == "A tech CEO" and on_tv.asked.startswith("Companies will face")


def test_the_documents_saying_something_is_not_an_attribution() -> None:
    for question in (
        "The treaty says states shall cooperate. What does that mean?",
        "Article 6 states that human rights apply. Is that binding?",
        "Microsoft is said to have lobbied for the treaty. Which provisions did Microsoft draft?",
        "Does the convention say anything about encryption?",
    ):
        reading = read_question(question)
        assert reading.source is None and reading.asked == question, question


def test_the_answer_says_so_when_the_documents_do_not_record_the_source() -> None:
    unknown = read_question("The Daily Planet says the treaty protects human rights. True?")
    recorded = read_question("Six US senators wrote that the treaty could legitimise censorship. Could it?")
    assert not source_recorded("The Daily Planet", CORPUS)
    assert source_recorded("Six US senators", CORPUS)
    remark = unknown.remark(recorded=False)
    assert remark is not None and "the Daily Planet" in remark
    assert recorded.remark(recorded=True) is None
    assert read_question("Is hacking a crime under the treaty?").remark(recorded=False) is None


def test_a_speaker_the_documents_quote_is_searched_with_the_claim() -> None:
    # "officials" names the news report, which quotes US officials: the report must be found too.
    quoted = read_question("US officials said the treaty would help prosecute sharing of private photos. Does it?")
    assert quoted.source == "US officials" and quoted.source_is_documented
    assert quoted.searched == quoted.question
    assert quoted.asked.startswith("The treaty would help")
    outside = read_question("The Daily Planet says the treaty forces tech firms to hand over encryption keys. True?")
    assert not outside.source_is_documented and outside.searched == outside.asked


@pytest.mark.parametrize(
    ("question", "asserted"),
    [
        (
            "Since the convention obliges States to extradite without dual criminality, what procedure applies?",
            "the convention obliges States to extradite without dual criminality",
        ),
        (
            "A blogger claims that police can read messages in real time for any offence. Is that right?",
            "Police can read messages in real time for any offence",
        ),
        (
            "An MP says the treaty forces us to hand data to any country that asks - is that true?",
            "The treaty forces us to hand data to any country that asks",
        ),
        (
            "Is it true that the convention defines a child as anyone under 16?",
            "The convention defines a child as anyone under 16",
        ),
        (
            "The Hanoi convention sets a five-year statute of limitations, doesn't it?",
            "The Hanoi convention sets a five-year statute of limitations",
        ),
    ],
)
def test_the_claim_a_question_asserts_is_read_without_its_frame(question: str, asserted: str) -> None:
    assert read_question(question).asserted == asserted


@pytest.mark.parametrize(
    "question",
    [
        "Can a State refuse extradition for political offences?",
        "What counts as a 'serious crime' in the UN cybercrime convention - is there a minimum jail term?",
        "Is that provision correct?",
        "Human Rights Watch says the treaty is flawed. What are its arguments?",
        "Access Now says the convention lacks human rights safeguards. What safeguards does the text contain?",
    ],
)
def test_a_question_that_only_asks_asserts_nothing(question: str) -> None:
    assert read_question(question).asserted is None
