"""Reading what a model drafted: the schema a small model fills, free text with a direct opening,
the words a claim rests on, and the readable text streamed while JSON is generated."""

from __future__ import annotations

import json

import pytest

from rag.answering.assess import Assessment, Evidence
from rag.answering.assess.decision import RefusalDecision
from rag.answering.assess.premise import NOTHING_CONTRADICTED, Contradiction, PremiseCheck
from rag.answering.cite.direct import backed_direct, numbers_given
from rag.answering.draft import _with_correction
from rag.answering.draft.context import PromptContext
from rag.answering.draft.drafting import (
    FieldStream,
    answer_schema,
    for_question,
    locate_quote,
    parse_free_text,
    parse_schema,
    says_nothing,
    says_something,
)
from rag.answering.draft.types import Draft, DraftSentence
from rag.prompts import SCHEMA_ANSWER_PROMPT, SCHEMA_EXAMPLE_ANSWER, SCHEMA_EXAMPLE_PASSAGES
from rag.types import Passage, ScoredPassage

PRESERVATION = (
    "1. Each State Party shall adopt such legislative and other measures as may be necessary to enable its "
    "competent authorities to order the expeditious preservation of specified electronic data.\n"
    "2. Such preservation may last for a period of up to ninety days, and the order may be renewed."
)
REFUSAL = "Mutual legal assistance may be refused if the request is likely to prejudice the sovereignty of the State."


def _passage(text: str, article: str) -> ScoredPassage:
    passage = Passage(
        id=f"p{article}", doc_id="d", doc_title="D", text=text, start=0, end=len(text), context="D", kind="article",
        article=article,
    )  # fmt: skip
    return ScoredPassage(passage, 1.0)


PASSAGES = [_passage(PRESERVATION, "25"), _passage(REFUSAL, "40")]
# The prompt shows the second retrieved passage as [1] and the first as [2].
CONTEXT = PromptContext((1, 0), ("D, art. 40", "D, art. 25"), (REFUSAL, PRESERVATION))


def _schema_text(answer: str, *claims: tuple[int, str, str]) -> str:
    return json.dumps({"answer": answer, "claims": [{"passage": n, "quote": q, "claim": c} for n, q, c in claims]})


def test_claim_whose_words_are_in_its_passage_claims_that_passage() -> None:
    text = _schema_text("Yes", (1, "may be refused", "A state may refuse legal assistance that harms its sovereignty."))
    drafted = parse_schema(text, CONTEXT, PASSAGES)
    assert drafted.direct == "Yes" and not drafted.declined
    assert [(d.text, d.claimed, d.rejection) for d in drafted.sentences] == [
        ("A state may refuse legal assistance that harms its sovereignty.", (1,), None)
    ]


def test_quoted_words_match_across_case_and_line_breaks() -> None:
    quote = "Such   PRESERVATION may last\nfor a period"
    assert locate_quote(quote, PRESERVATION) == (PRESERVATION.index("Such"), PRESERVATION.index(" of up to"))
    assert locate_quote("“up to ninety days.”", PRESERVATION) is not None


def test_quote_copied_across_the_excerpt_ellipsis_is_found_when_each_part_is() -> None:
    # The prompt joins a passage's best sentences with " … "; the model copies the join.
    quote = "the expeditious preservation … may last for a period of up"
    assert locate_quote(quote, PRESERVATION) == (PRESERVATION.index("may last"), PRESERVATION.index(" to ninety"))
    assert locate_quote("the expeditious preservation … may last for a decade", PRESERVATION) is None


def test_one_word_or_paraphrased_quote_is_not_found() -> None:
    assert locate_quote("preservation", PRESERVATION) is None
    assert locate_quote("kept for ninety days", PRESERVATION) is None


def test_claim_quoting_another_shown_passage_claims_that_one() -> None:
    text = _schema_text("up to 90 days", (1, "up to ninety days", "Data may be preserved for up to ninety days."))
    drafted = parse_schema(text, CONTEXT, PASSAGES)
    assert drafted.direct == "Up to 90 days"  # it opens the answer
    assert drafted.sentences[0].claimed == (0,)
    assert drafted.sentences[0].rejection is None


def test_claim_whose_words_are_in_no_passage_is_rejected_with_the_reason() -> None:
    text = _schema_text("No", (2, "states must always help", "States must always send help to foreign police."))
    drafted = parse_schema(text, CONTEXT, PASSAGES)
    (sentence,) = drafted.sentences
    assert sentence.claimed == ()
    assert sentence.rejection is not None and "states must always help" in sentence.rejection


def test_model_declining_in_the_schema_is_a_refusal() -> None:
    drafted = parse_schema(_schema_text("NOT_IN_DOCUMENTS"), CONTEXT, PASSAGES)
    assert drafted.declined and drafted.sentences == []


def test_json_cut_at_the_token_limit_keeps_its_whole_claims() -> None:
    full = _schema_text(
        "Yes",
        (1, "may be refused", "Legal assistance may be refused for sovereignty."),
        (2, "up to ninety days", "Preservation lasts up to ninety days."),
    )
    cut = full[: full.index("Preservation lasts") + 5]
    drafted = parse_schema(cut, CONTEXT, PASSAGES)
    assert [d.text for d in drafted.sentences] == ["Legal assistance may be refused for sovereignty."]


def test_repeated_claims_are_read_once() -> None:
    claim = (1, "may be refused", "Legal assistance may be refused for sovereignty.")
    assert len(parse_schema(_schema_text("Yes", claim, claim), CONTEXT, PASSAGES).sentences) == 1


@pytest.mark.parametrize(
    ("sentence", "says"),
    [
        ("Yes.", False),
        ("Yes, it may [1].", False),
        ("States Parties must do so under the Convention.", False),  # generic words only
        ("Assistance may be refused.", False),  # two content words
        ("A state may refuse assistance that harms its sovereignty [1].", True),
    ],
)
def test_a_claim_says_something_with_three_content_words(sentence: str, says: bool) -> None:
    assert says_something(sentence) is says


def test_bare_yes_claim_resting_on_the_whole_passage_is_dropped() -> None:
    # How the 1.5B model fills the schema when it has no sentence to write.
    drafted = parse_schema(_schema_text("Yes", (1, REFUSAL, "Yes")), CONTEXT, PASSAGES)
    assert drafted.direct == "Yes" and drafted.sentences == []


def test_claim_restating_the_direct_answer_is_dropped() -> None:
    text = _schema_text(
        "Renewable preservation for ninety days",
        (2, "up to ninety days", "Preservation is renewable for ninety days."),
        (2, "order may be renewed", "A preservation order can be extended after it runs out."),
    )
    drafted = parse_schema(text, CONTEXT, PASSAGES)
    assert [d.text for d in drafted.sentences] == ["A preservation order can be extended after it runs out."]


def test_claim_asking_the_question_back_is_dropped() -> None:
    question = "Under the treaty, may legal assistance be refused for reasons of sovereignty?"
    assert parse_schema(_schema_text("Yes", (1, "may be refused", question)), CONTEXT, PASSAGES).sentences == []


def test_claim_copying_its_quote_is_dropped() -> None:
    quote = "Such preservation may last for a period of up to ninety days"
    for claim in (quote + ".", "Preservation may last for a period"):
        assert parse_schema(_schema_text("Yes", (2, quote, claim)), CONTEXT, PASSAGES).sentences == []


@pytest.mark.parametrize(
    ("text", "direct", "first"),
    [
        ("Yes. Assistance may be refused [1].", "Yes", "Assistance may be refused [1]."),
        ("No, assistance may be refused [1].", "No", "Assistance may be refused [1]."),
        (
            "Ninety days. Preservation lasts up to ninety days [2].",
            "Ninety days",
            "Preservation lasts up to ninety days [2].",
        ),
        ("Preservation lasts up to ninety days [2].", None, "Preservation lasts up to ninety days [2]."),
    ],
)
def test_free_text_opening_is_read_as_the_direct_answer(text: str, direct: str | None, first: str) -> None:
    drafted = parse_free_text(text, CONTEXT)
    assert drafted.direct == direct
    assert drafted.sentences[0].text == first


def test_free_text_markers_name_the_retrieved_passages_through_the_prompt_numbers() -> None:
    drafted = parse_free_text("Yes. Assistance may be refused [1]. Data is kept for ninety days [2].", CONTEXT)
    assert [d.claimed for d in drafted.sentences] == [(1,), (0,)]


def test_free_text_question_sentences_are_dropped_as_schema_questions_are() -> None:
    text = (
        "May assistance be refused for reasons of sovereignty? Yes. Assistance may be refused [1]. "
        "Is the order renewable [2]? Data is kept for ninety days [2]."
    )
    drafted = parse_free_text(text, CONTEXT)
    assert drafted.direct == "Yes"
    assert [d.text for d in drafted.sentences] == [
        "Assistance may be refused [1].",
        "Data is kept for ninety days [2].",
    ]


def test_free_text_made_only_of_questions_drafts_nothing() -> None:
    drafted = parse_free_text("Can assistance be refused [1]? Why would it be?", CONTEXT)
    assert drafted.direct is None and drafted.sentences == [] and not drafted.declined


def _answer_parts(direct_text: str):  # type: ignore[no-untyped-def]
    from rag.answering.types import AnswerSentence, Citation

    sentence = AnswerSentence("Data may be kept for up to ninety days.", (1,), True, 0.9, "supported")
    citation = Citation(1, "p25", "d", "D", "D, art. 25(2)", "25", "2", 0, 10, PRESERVATION[:10])
    return [sentence], [citation]


@pytest.mark.parametrize(
    ("direct", "model_verified", "kept"),
    [
        ("Yes", True, True),
        ("Yes", False, False),  # beside quotes only, a yes or no is the model's word alone
        ("Up to ninety days", False, True),
        ("Up to sixty days", True, False),
        ("90 days", True, False),  # the passage spells the number out
    ],
)
def test_direct_answer_stands_only_when_the_cited_passages_back_it(
    direct: str, model_verified: bool, kept: bool
) -> None:
    sentences, citations = _answer_parts(direct)
    assert (backed_direct(direct, sentences, citations, PASSAGES, model_verified) == direct) is kept


def test_direct_answer_numbers_must_be_in_the_cited_passages() -> None:
    assert numbers_given("90 days", ["It lasts 90 days."])
    assert not numbers_given("60 days", ["It lasts 90 days."])
    assert not numbers_given("9 days", ["It lasts 90 days."])
    assert numbers_given("Yes", [])


def test_stream_shows_the_claims_not_the_json() -> None:
    raw = _schema_text("Yes", (1, "may be refused", "Assistance may be \\refused."), (2, "ninety days", "It lasts."))
    stream = FieldStream()
    shown = "".join(stream.feed(raw[i : i + 7]) for i in range(0, len(raw), 7))
    assert shown == "Assistance may be \\refused. It lasts."


def test_schema_numbers_only_the_passages_shown() -> None:
    schema = answer_schema(3)
    claim = schema["properties"]["claims"]["items"]
    assert claim["properties"]["passage"]["enum"] == [1, 2, 3]
    assert list(claim["properties"]) == ["passage", "claim", "quote"]  # the sentence before the words copied
    assert list(schema["properties"]) == ["claims", "answer"]
    assert schema["properties"]["claims"]["minItems"] == 1
    assert list(answer_schema(3, direct=False)["properties"]) == ["claims"]


def test_llama_cpp_compiles_the_schema_into_a_grammar() -> None:
    llama_grammar = pytest.importorskip("llama_cpp.llama_grammar")
    grammar = llama_grammar.json_schema_to_gbnf(json.dumps(answer_schema(4)))
    assert 'claims-item-passage ::= "1" | "2" | "3" | "4"' in grammar
    assert 'root ::= "{" space claims-kv "," space answer-kv "}" space' in grammar


def test_schema_prompt_opens_with_the_same_messages_for_every_question() -> None:
    # llama.cpp reuses the evaluated prompt prefix of the previous answer: it must not vary.
    first = SCHEMA_ANSWER_PROMPT.format_messages(passages="[1] (D, art. 25) Data is kept.", question="How long?")
    second = SCHEMA_ANSWER_PROMPT.format_messages(passages="[1] (D, art. 40) Help is refused.", question="Why?")
    assert first[:-1] == second[:-1] and first[-1] != second[-1]


def test_worked_example_fills_the_schema_with_a_claim_resting_on_its_own_passage() -> None:
    example = json.loads(SCHEMA_EXAMPLE_ANSWER)
    schema = answer_schema(2)
    assert list(example) == list(schema["properties"])
    (claim,) = example["claims"]
    assert list(claim) == list(schema["properties"]["claims"]["items"]["properties"])
    assert not says_nothing(claim["claim"], example["answer"], claim["quote"])
    assert locate_quote(claim["quote"], SCHEMA_EXAMPLE_PASSAGES) is not None


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("What is the new UN cybercrime treaty actually meant to achieve?", False),
        ("How does the convention tell metadata apart from content?", False),
        ("On which day does the convention enter into force?", False),
        ("Up to what amount can a fine go under the act?", False),
        ("Under the UN treaty, is it a crime just to look at such images?", True),
        ("Does the new treaty require investigative powers to be proportionate?", True),
    ],
)
def test_yes_or_no_stands_only_as_the_answer_to_a_yes_or_no_question(question: str, kept: bool) -> None:
    drafted = Draft("Yes", [DraftSentence("The treaty aims to prevent and combat cybercrime.", (0,))])
    assert (for_question(drafted, question).direct == "Yes") is kept
    assert for_question(drafted, question).sentences == drafted.sentences
    assert for_question(Draft("Ninety days"), "How long is data kept?").direct == "Ninety days"


def test_a_no_correcting_a_contradicted_premise_stands_beside_quotes_but_a_yes_does_not() -> None:
    sentences, citations = _answer_parts("No")
    assert backed_direct("No", sentences, citations, PASSAGES, False, corrects_premise=True) == "No"
    assert backed_direct("Yes", sentences, citations, PASSAGES, False, corrects_premise=True) is None
    assert backed_direct("No", sentences, citations, PASSAGES, False) is None


def _assessment_with_premise(contradicted: bool) -> Assessment:
    premise = PremiseCheck(Contradiction(0, "modality: the passage says may")) if contradicted else NOTHING_CONTRADICTED
    return Assessment(Evidence(lambda plain_terms: {}, [], [], False), 0.9, RefusalDecision(False), premise=premise)


@pytest.mark.parametrize(
    ("first", "contradicted", "direct"),
    [
        ("Yes, each State must criminalise preparation.", True, "No"),
        ("No, the text only allows it.", True, None),
        ("Yes, each State must criminalise preparation.", False, "Yes"),
    ],
)
def test_a_contradicted_premise_opens_with_no_unless_the_first_sentence_already_says_no(
    first: str, contradicted: bool, direct: str | None
) -> None:
    written = Draft("Yes", [DraftSentence(first, (0,))])
    assert _with_correction(written, _assessment_with_premise(contradicted)).direct == direct
