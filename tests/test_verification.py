"""The verifier reads legal language: modality, actors, negation, figures, conditions, instruments.

Each error kind a capable assistant makes is contradicted (or not found) with a reason a
person can read, and each faithful way of writing is supported. Passages are quoted from the
corpus; the sentence model is the real MiniLM.
"""

from __future__ import annotations

import json

import pytest

from rag.answering.cite import CitationBook, attribute
from rag.answering.draft.types import DraftSentence
from rag.answering.types import Answer
from rag.types import Passage, ScoredPassage
from rag.verification import Verdict
from rag.verification.decision import FEATURES, Decision, Evidence
from rag.verification.fit import fit
from rag.verification.labels import LabelledClaim
from rag.verification.numbers import figures
from tests.testkit import verify_un

UN = "un-cybercrime-convention-2024"
ART_2H = (
    "(h) “Serious crime” shall mean conduct constituting an offence punishable by a maximum deprivation of "
    "liberty of at least four years or a more serious penalty;"
)
ART_37_15 = (
    "15. Nothing in this Convention shall be interpreted as imposing an obligation to extradite if the requested "
    "State Party has substantial grounds for believing that the request has been made for the purpose of "
    "prosecuting or punishing a person on account of that person’s sex, race, language, religion, nationality, "
    "ethnic origin or political opinions, or that compliance with the request would cause prejudice to that "
    "person’s position for any one of these reasons."
)
ART_40_8 = (
    "8. States Parties may decline to render assistance pursuant to this article on the ground of absence of "
    "dual criminality. However, the requested State Party may, when it deems appropriate, provide assistance, to "
    "the extent it decides at its discretion, irrespective of whether the conduct would constitute an offence "
    "under the domestic law of the requested State Party."
)
ART_29_3 = (
    "3. Each State Party shall adopt such legislative and other measures as may be necessary to oblige a service "
    "provider to keep confidential the fact of the execution of any power provided for in this article and any "
    "information relating to it."
)
ART_44_1 = (
    "1. Where, in the course of the execution of a request made pursuant to article 42 of this Convention to "
    "preserve traffic data concerning a specific communication, the requested State Party discovers that a "
    "service provider in another State Party was involved in the transmission of the communication, the "
    "requested State Party shall expeditiously disclose to the requesting State Party a sufficient amount of "
    "traffic data to identify that service provider and the path through which the communication was transmitted."
)
ART_45_1 = (
    "1. States Parties shall endeavour to provide mutual legal assistance to each other in the real-time "
    "collection of traffic data associated with specified communications in their territory transmitted by means "
    "of an information and communications technology system."
)
ART_65_1 = (
    "1. This Convention shall enter into force on the ninetieth day after the date of deposit of the fortieth "
    "instrument of ratification, acceptance, approval or accession."
)
ART_40_SECRECY = (
    "23. States Parties shall not decline to render mutual legal assistance pursuant to this article on the "
    "ground of bank secrecy."
)


# ----- faithful sentences are supported


def test_verbatim_quote_is_supported_with_its_exact_span(verifier):
    sentence = (
        "States Parties may decline to render assistance pursuant to this article on the ground of absence of "
        "dual criminality."
    )
    result = verify_un(verifier, sentence, ART_40_8)
    assert result.verdict is Verdict.SUPPORTED and result.reason is None
    assert ART_40_8[result.start : result.end] == sentence


def test_plain_paraphrase_of_refusal_ground_is_supported(verifier):
    sentence = (
        "A State can refuse to extradite someone if it has good reason to think the request is really about "
        "punishing their political opinions."
    )
    assert verify_un(verifier, sentence, ART_37_15).supported


def test_paraphrase_of_may_decline_is_supported(verifier):
    sentence = "A State may decline to help when the conduct is not a crime in both countries."
    assert verify_un(verifier, sentence, ART_40_8).supported


def test_double_negation_paraphrased_as_an_obligation_is_supported(verifier):
    assert verify_un(
        verifier, "States must provide legal assistance even when bank secrecy applies.", ART_40_SECRECY
    ).supported


def test_definition_summarised_in_plain_words_is_supported(verifier):
    sentence = "The treaty defines a serious crime as conduct punishable by at least four years in prison."
    assert verify_un(verifier, sentence, ART_2H).supported


def test_ordinal_in_words_matches_the_same_figure_in_digits(verifier):
    assert [f.value for f in figures("on the ninetieth day after the fortieth instrument")] == [90.0, 40.0]
    sentence = "The Convention enters into force 90 days after the 40th instrument of ratification is deposited."
    assert verify_un(verifier, sentence, ART_65_1).supported


def test_yes_answer_naming_the_article_is_not_penalised_for_the_number(verifier):
    sentence = (
        "Yes: under article 65 the Convention enters into force on the ninetieth day after the fortieth ratification."
    )
    assert verify_un(verifier, sentence, ART_65_1, article="65").supported


def test_causative_paraphrase_keeps_the_obliged_actor(verifier):
    sentence = "Each State Party must make service providers keep the execution of these powers confidential."
    assert verify_un(verifier, sentence, ART_29_3, article="29").supported


# ----- each error kind is caught, with its reason


def test_may_written_as_must_is_contradicted_with_modality_reason(verifier):
    result = verify_un(
        verifier, "A State must decline to help when the conduct is not a crime in both countries.", ART_40_8
    )
    assert result.verdict is Verdict.CONTRADICTED
    assert result.reason is not None and result.reason.startswith("modality:") and '"must' in result.reason


def test_shall_endeavour_written_as_shall_is_contradicted(verifier):
    sentence = (
        "States Parties must provide each other mutual legal assistance in the real-time collection of traffic data."
    )
    result = verify_un(verifier, sentence, ART_45_1)
    assert result.verdict is Verdict.CONTRADICTED and "endeavour" in (result.reason or "")


def test_refusal_permission_written_as_obligation_is_contradicted(verifier):
    sentence = "A State must refuse to extradite someone if the request is about their political opinions."
    result = verify_un(verifier, sentence, ART_37_15)
    assert result.verdict is Verdict.CONTRADICTED and "must" in (result.reason or "")


def test_service_provider_obligation_given_to_the_state_is_contradicted_with_actor_reason(verifier):
    sentence = "Service providers must adopt measures obliging the State Party to keep the execution confidential."
    result = verify_un(verifier, sentence, ART_29_3, article="29")
    assert result.verdict is Verdict.CONTRADICTED
    assert result.reason == "actor: the passage obliges the State Party, the sentence the service provider"


def test_requested_and_requesting_state_swapped_is_contradicted(verifier):
    sentence = (
        "The requesting State Party shall expeditiously disclose traffic data to the requested State Party to "
        "identify the service provider."
    )
    result = verify_un(verifier, sentence, ART_44_1, article="44")
    assert result.verdict is Verdict.CONTRADICTED and (result.reason or "").startswith("actor:")


ART_40_COSTS = (
    "30. The ordinary costs of executing a request shall be borne by the requested State Party, unless otherwise "
    "agreed by the States Parties concerned."
)
ART_5_2 = (
    "2. Nothing in this Convention shall entitle a State Party to undertake in the territory of another State the "
    "exercise of jurisdiction and performance of functions that are reserved exclusively for the authorities of "
    "that other State by its domestic law."
)


def test_requesting_state_written_for_requested_state_is_contradicted(verifier):
    result = verify_un(verifier, "The requesting State pays the ordinary costs of executing a request.", ART_40_COSTS)
    assert result.verdict is Verdict.CONTRADICTED and (result.reason or "").startswith("actor:")
    assert "requested State Party" in (result.reason or "")


def test_cost_borne_by_the_requested_state_is_supported(verifier):
    sentence = "Unless the States concerned agree otherwise, the requested State bears the ordinary costs of a request."
    assert verify_un(verifier, sentence, ART_40_COSTS).supported


def test_no_answer_with_does_not_is_supported(verifier):
    sentence = (
        "No: the convention does not entitle a State Party to exercise jurisdiction in another State's territory."
    )
    assert verify_un(verifier, sentence, ART_5_2).supported


def test_dropped_nothing_is_contradicted_with_negation_reason(verifier):
    sentence = "The convention entitles a State Party to exercise jurisdiction in the territory of another State."
    result = verify_un(verifier, sentence, ART_5_2)
    assert result.verdict is Verdict.CONTRADICTED and (result.reason or "").startswith("negation:")


def test_added_not_is_contradicted_with_negation_reason(verifier):
    sentence = "States Parties may not decline to render assistance on the ground of absence of dual criminality."
    result = verify_un(verifier, sentence, ART_40_8)
    assert result.verdict is Verdict.CONTRADICTED and (result.reason or "").startswith("negation:")


def test_dropped_not_is_contradicted(verifier):
    sentence = "States Parties may decline to render mutual legal assistance on the ground of bank secrecy."
    result = verify_un(verifier, sentence, ART_40_SECRECY)
    assert result.verdict is Verdict.CONTRADICTED


def test_wrong_duration_is_contradicted_with_number_reason(verifier):
    result = verify_un(verifier, "A serious crime is conduct punishable by at least 5 years of imprisonment.", ART_2H)
    assert result.verdict is Verdict.CONTRADICTED
    assert result.reason == 'number: the passage says "four years", the sentence "5 years"'


def test_added_content_is_not_supported_and_names_the_missing_word(verifier):
    sentence = (
        "The treaty defines a serious crime as one committed through ICT systems, including money-laundering, "
        "corruption and acts of terrorism."
    )
    result = verify_un(verifier, sentence, ART_2H)
    assert result.verdict is Verdict.NOT_FOUND
    assert (result.reason or "").startswith("not in the passage:")


def test_sentence_about_the_budapest_convention_is_not_supported_by_a_un_article(verifier):
    sentence = "The Budapest Convention enters into force on the ninetieth day after the fortieth ratification."
    result = verify_un(verifier, sentence, ART_65_1, article="65")
    assert not result.supported
    assert (
        result.reason == "instrument: the sentence names the Budapest Convention, the passage is from the UN convention"
    )


def test_sentence_naming_another_article_is_contradicted(verifier):
    sentence = "Under article 41 the Convention enters into force on the ninetieth day after the fortieth ratification."
    result = verify_un(verifier, sentence, ART_65_1, article="65")
    assert result.verdict is Verdict.CONTRADICTED and "article 41" in (result.reason or "")


@pytest.mark.parametrize("sentence", ["Yes.", "Yes [1].", "No, it may not.", "States Parties shall."])
def test_sentence_without_content_words_is_nothing_to_check(verifier, sentence):
    result = verify_un(verifier, sentence, ART_40_8)
    assert (result.verdict, result.reason) == (Verdict.NOT_FOUND, "nothing to check")


def test_unrelated_passage_does_not_support(verifier):
    assert (
        verify_un(
            verifier, "The treaty defines a serious crime as conduct punishable by at least four years.", ART_65_1
        ).verdict
        is Verdict.NOT_FOUND
    )


PREAMBLE_LIKE = (
    "Concerned that information and communications technology systems offer new opportunities to criminals. "
    "Recognizing the need for cooperation among States in preventing such crime. "
    "Noting that capacity-building helps developing countries. "
    "Stressing the importance of human rights and fundamental freedoms. "
    "Convinced of the value of partnerships with the private sector. "
    "Mindful of money-laundering, corruption and terrorism, which are serious threats to stability."
)


def test_words_grounded_only_far_from_the_aligned_sentences_lower_the_aligned_share(verifier):
    scattered, _ = verifier.evidence(
        "Criminals exploit information and communications technology systems for money-laundering and terrorism.",
        PREAMBLE_LIKE,
    )
    local, _ = verifier.evidence("ICT systems give criminals new opportunities.", PREAMBLE_LIKE)
    assert scattered is not None and local is not None
    assert scattered.aligned_share < scattered.passage_share - 0.2
    assert local.aligned_share == local.passage_share


# ----- attribution and presentation


def _scored(text: str, article: str, index: int) -> ScoredPassage:
    passage = Passage(
        f"{UN}:{index}",
        UN,
        "UN convention",
        text,
        1000 * index,
        1000 * index + len(text),
        "",
        "article",
        article=article,
    )
    return ScoredPassage(passage, 1.0)


def test_a_sentence_no_passage_supports_is_never_cited_and_keeps_its_verdict(verifier):
    passages = [_scored(ART_2H, "2", 0), _scored(ART_65_1, "65", 1)]
    drafts = [
        DraftSentence("A serious crime is conduct punishable by at least 5 years of imprisonment.", (0,)),
        DraftSentence("The Convention enters into force 90 days after the fortieth ratification.", (0,)),
    ]
    sentences, citations = attribute(drafts, passages, verifier, CitationBook())
    wrong, right = sentences
    assert wrong.citations == () and not wrong.supported
    assert wrong.to_json()["verdict"] == "contradicted" and wrong.to_json()["reason"].startswith("number:")
    assert right.supported and [citations[n - 1].article for n in right.citations] == ["65"]
    answer = Answer("q", "local", sentences, citations, passages, False)
    assert "5 years" not in answer.text and "90 days" in answer.text


def test_the_app_strikes_an_unsupported_sentence_through_with_its_reason(verifier):
    from ui.answer_view import sentences_markdown

    passages = [_scored(ART_2H, "2", 0)]
    drafts = [DraftSentence("A serious crime is conduct punishable by at least 5 years of imprisonment.", (0,))]
    sentences, citations = attribute(drafts, passages, verifier, CitationBook())
    shown = sentences_markdown(Answer("q", "local", sentences, citations, passages, False))
    assert "contradicted by the sources" in shown and "~~" in shown and "four years" in shown


# ----- calibration


def test_decision_parameters_round_trip_and_refuse_other_features():
    decision = Decision(
        (1.0, 2.0, 2.5, 3.0, -1.0), -2.0, 0.4, (("number", -3.0), ("condition.appropriate", 1.5)), 0.5, 0.2
    )
    assert Decision.from_json(json.loads(json.dumps(decision.to_json()))) == decision
    with pytest.raises(ValueError, match="features"):
        Decision.from_json({**decision.to_json(), "features": ["similarity"]})
    with pytest.raises(ValueError, match="signals"):
        Decision.from_json({**decision.to_json(), "signals": ["number"]})
    assert len(FEATURES) == len(decision.weights)


def _claim(i: int, label: str, kind: str) -> LabelledClaim:
    return LabelledClaim(str(i), f"s{i}", "p", label, kind)


def test_fit_learns_that_a_rule_firing_on_faithful_pairs_does_not_count_and_a_reliable_one_does():
    from rag.verification.types import Conflict

    noisy = Conflict("condition", "condition dropped: x", "appropriate")
    number = Conflict("number", "number: x")
    claims, evidence = [], []
    for i in range(12):  # the noisy rule fires on faithful and wrong sentences alike; the number rule on errors only
        claims += [_claim(4 * i, "supported", "faithful"), _claim(4 * i + 1, "supported", "faithful")]
        evidence += [Evidence(0.8, 1.0, 1.0, 1.0, (), (noisy,)), Evidence(0.8, 1.0, 1.0, 1.0, ())]
        claims += [_claim(4 * i + 2, "contradicted", "number"), _claim(4 * i + 3, "not_found", "extra")]
        evidence += [Evidence(0.8, 1.0, 1.0, 1.0, (), (number,)), Evidence(0.1, 0.1, 0.1, 0.1, ("x", "y", "z"))]
    decision = fit(claims, evidence)
    assert decision.weight_of(number) < decision.weight_of(noisy)
    assert [decision.decide(e)[0] for e in evidence[:4]] == [
        Verdict.SUPPORTED,
        Verdict.SUPPORTED,
        Verdict.CONTRADICTED,
        Verdict.NOT_FOUND,
    ]
    assert decision.decide(evidence[2])[1] == "number: x"


def test_a_conflict_whose_weight_does_not_count_against_the_sentence_gives_no_reason():
    from rag.verification.types import Conflict

    weak, strong = Conflict("condition", "condition dropped: x", "appropriate"), Conflict("number", "number: y")
    decision = Decision((0.0,) * len(FEATURES), 3.0, 0.5, (("number", -4.0), ("condition", 0.5)), 1.0, 0.0)
    assert decision.decide(Evidence(0.8, 1.0, 1.0, 1.0, (), (weak,)))[0] is Verdict.SUPPORTED
    verdict, reason, _ = decision.decide(Evidence(0.8, 1.0, 1.0, 1.0, (), (weak, strong)))
    assert verdict is Verdict.CONTRADICTED and reason == "number: y"


def test_cross_writer_verdicts_come_from_a_decision_fitted_on_the_other_file_only():
    from rag.verification.fit import cross_writer
    from rag.verification.types import Conflict

    number = Conflict("number", "number: x")
    claims, evidence, files = [], [], []
    for file in (0, 1):
        for i in range(10):
            claims += [_claim(100 * file + 2 * i, "supported", "faithful")]
            claims += [_claim(100 * file + 2 * i + 1, "contradicted", "number")]
            # In file 0 the number rule is right; in file 1 it fires on faithful sentences only.
            flagged = (number,) if file == 0 else ()
            evidence += [Evidence(0.8, 1.0, 1.0, 1.0, (), () if file == 0 else (number,))]
            evidence += [Evidence(0.8, 1.0, 1.0, 1.0, (), flagged)]
            files += [file, file]
    verdicts = cross_writer(claims, evidence, files)
    # Judged by what file 1 taught, file 0's errors pass; judged by file 0, file 1's flagged faithful ones fail.
    assert verdicts[:20] == [True] * 20
    assert verdicts[20:] == [False, True] * 10


def test_fit_counts_a_sentence_with_nothing_to_check_as_not_found_and_a_verbatim_quote_as_supported(verifier):
    from rag.verification.fit import accepted, collect

    quote = "States Parties shall not decline to render mutual legal assistance pursuant to this article"
    claims = [
        LabelledClaim("empty", "Yes.", ART_40_SECRECY, "supported", "faithful", doc=UN),
        LabelledClaim("quote", quote, ART_40_SECRECY, "supported", "faithful", doc=UN),
    ]
    found = collect(verifier, claims)
    assert found == [Verdict.NOT_FOUND, Verdict.SUPPORTED]
    decision = Decision((0.0,) * len(FEATURES), 0.0, 0.5)
    assert [accepted(decision, f) for f in found] == [False, True]
    assert [verifier.verify(c.sentence, c.passage_text, doc_id=UN).verdict for c in claims] == found


def test_a_sentence_the_rules_reject_together_gets_the_reason_of_the_rule_weighing_most_against_it():
    from rag.verification.types import Conflict

    negation = Conflict("negation", 'negation: the passage says "nothing", the sentence does not', "clause")
    extra = Conflict("extra", 'not in the passage: "sworn interpreter"', "phrase")
    signals = (("negation", -0.1), ("negation.clause", 0.2), ("extra", 0.3))
    decision = Decision((0.0,) * len(FEATURES), 3.0, 0.5, signals, 0.0, -2.0)
    verdict, reason, _ = decision.decide(Evidence(0.8, 1.0, 1.0, 1.0, (), (extra, negation)))
    assert verdict is Verdict.CONTRADICTED and reason == negation.reason


# ----- a condition dropped from a permission that restates the clause

ART_40_DISCRETION = (
    "8. The requested State Party may, when it deems appropriate, provide assistance irrespective of whether the "
    "conduct would constitute an offence under the domestic law of the requested State Party."
)


def test_dropped_condition_under_may_is_not_found(verifier):
    sentence = (
        "The requested State Party may provide assistance irrespective of whether the conduct would constitute an "
        "offence under its domestic law."
    )
    result = verify_un(verifier, sentence, ART_40_DISCRETION)
    assert result.verdict is Verdict.NOT_FOUND
    assert result.reason is not None and "condition dropped" in result.reason


def test_condition_kept_under_may_is_supported(verifier):
    sentence = (
        "When it deems it appropriate, the requested State Party may provide assistance irrespective of whether the "
        "conduct would be an offence under its domestic law."
    )
    assert verify_un(verifier, sentence, ART_40_DISCRETION).supported
