"""Modal scope: a modal word in a relative or conditional clause is not the sentence's deontic frame,
and a sentence may not oblige or permit what the passage only describes.

Passages are quoted from the UN convention; frames need no model, the verifier uses the real MiniLM.
"""

from __future__ import annotations

from rag.verification import frames, modality
from rag.verification.clauses import described_spans
from rag.verification.modality import Force
from tests.testkit import verify_un

ART_37_5 = (
    "5. If a State Party that makes extradition conditional on the existence of a treaty receives a request for "
    "extradition from another State Party with which it has no extradition treaty, it may consider this "
    "Convention the legal basis for extradition in respect of any offence to which this article applies."
)
ART_7_1 = (
    "1. Each State Party shall adopt such legislative and other measures as may be necessary to establish as "
    "criminal offences under its domestic law, when committed intentionally, the access to the whole or any part "
    "of an information and communications technology system without right."
)


def forces(text: str) -> list[Force]:
    return [m.force for m in modality.modals(text)]


def conflicts(sentence: str, passage: str) -> list[tuple[str, str]]:
    return [(c.kind, c.reason) for c in frames.compare(sentence, passage).conflicts]


def test_must_over_a_described_predicate_is_not_supported():
    sentence = (
        "If a country wants to use the UN treaty, it must make extradition conditional on the existence of a treaty."
    )
    assert conflicts(sentence, ART_37_5) == [
        ("modality", 'modality: the passage does not oblige anyone to "make extradition conditional on the existence…"')
    ]


ART_37_6 = (
    "6. States Parties that make extradition conditional on the existence of a treaty shall:\n\n(a) At the time of "
    "deposit of their instruments of ratification, inform the Secretary-General of the United Nations whether they "
    "will take this Convention as the legal basis for cooperation in extradition with other States Parties."
)


def test_must_over_what_a_plural_actor_is_described_as_doing_is_not_supported():
    # "that make" after "States Parties": a relative clause, though its verb has no -s.
    sentence = "Each State Party must make extradition conditional on the existence of a treaty."
    assert [kind for kind, _ in conflicts(sentence, ART_37_6)] == ["modality"]
    faithful = (
        "Countries that require a treaty for extradition must tell the UN Secretary-General whether they will use "
        "the convention as the legal basis."
    )
    assert conflicts(faithful, ART_37_6) == []


def test_may_over_a_described_predicate_is_not_supported():
    sentence = "A State Party may make extradition conditional on the existence of a treaty."
    assert [kind for kind, _ in conflicts(sentence, ART_37_5)] == ["modality"]
    assert "does not permit anyone" in conflicts(sentence, ART_37_5)[0][1]


def test_verb_of_a_relative_clause_is_not_the_sentence_modal():
    sentence = (
        "A country that requires a treaty for extradition may treat the convention as the legal basis when it has no "
        "extradition treaty with the requesting country."
    )
    assert forces(sentence) == [Force.PERMISSION]
    assert conflicts(sentence, ART_37_5) == []


def test_modal_word_inside_a_condition_is_not_the_frame():
    assert forces("If the law of the requested State Party so permits, it shall provide the assistance.") == [
        Force.OBLIGATION
    ]
    assert forces("A State Party may refuse when its domestic law requires dual criminality.") == [Force.NO_OBLIGATION]


def test_condition_opening_a_sentence_without_a_comma_keeps_the_main_modal():
    # "If it asks it must answer": the condition's end cannot be told, so the modal is kept.
    assert forces("If a State Party receives a request it must answer promptly.") == [Force.OBLIGATION]


def test_the_need_to_is_a_noun_not_a_modal():
    assert forces("The convention stresses the need to protect human rights.") == []


def test_object_clause_of_ensure_is_not_a_description():
    assert described_spans("Each State Party shall ensure that such preservation is available.") == ()
    text = "A State Party that makes extradition conditional on a treaty, it may ..."
    assert [text[a:b] for a, b in described_spans(text)] == ["that makes extradition conditional on a treaty"]


def test_obligation_to_criminalise_paraphrase_is_not_a_described_predicate():
    sentence = "Countries must criminalise intentional access to an ICT system without right."
    assert not any("does not oblige" in reason for _, reason in conflicts(sentence, ART_7_1))


def test_modal_of_another_force_over_the_same_words_keeps_the_usual_reason():
    passage = (
        "If a State Party that makes extradition conditional on the existence of a treaty receives a request, it "
        "may consider this Convention the legal basis for extradition."
    )
    sentence = "A State Party must consider this Convention the legal basis for extradition."
    assert conflicts(sentence, passage) == [("modality", 'modality: the passage says "may", the sentence says "must"')]


def test_faithful_sentence_with_a_relative_requires_is_supported(verifier):
    sentence = (
        "A country that requires a treaty for extradition may treat the convention as the legal basis when it has no "
        "extradition treaty with the requesting country."
    )
    result = verify_un(verifier, sentence, ART_37_5, article="37")
    assert result.supported, result.reason


def test_may_also_be_refused_is_a_permission_to_refuse():
    from rag.verification.modality import Force, modals

    text = "Cooperation under this article may also be refused if the property is of a de minimis value."
    assert [m.force for m in modals(text)] == [Force.NO_OBLIGATION]


def test_it_shall_not_be_necessary_for_is_no_obligation():
    from rag.verification.modality import Force, modals

    text = "It shall not be necessary for the offences set forth in it to result in damage or harm to state property."
    assert [m.force for m in modals(text)] == [Force.NO_OBLIGATION]
