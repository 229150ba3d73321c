"""Drafting by rephrasing: the local model is shown only the selected sentences and rewrites each in
plain words; a rewrite claims its sentence's passage, and one the verifier rejects gives way to its
quote, for that sentence only."""

from __future__ import annotations

import json

import pytest
from test_drafting import PASSAGES, PRESERVATION, REFUSAL

from rag.answering.draft.drafting import FieldStream, says_nothing
from rag.answering.draft.rephrase import (
    REWRITE_FIELD,
    numbered_sentences,
    parse_rephrased,
    rephrase_all,
    rephrase_schema,
    selected_quotes,
)
from rag.answering.draft.types import DraftSentence, verbatim_draft
from rag.answering.verify.checks import check_sentences
from rag.prompts import (
    MAX_REPHRASED,
    REPHRASE_EXAMPLE_ANSWER,
    REPHRASE_EXAMPLE_SENTENCES,
    REPHRASE_PROMPT,
)

NINETY_DAYS = "Such preservation may last for a period of up to ninety days, and the order may be renewed."
# The selected sentences: paragraph 2 of art. 25 (passage 0), then art. 40 (passage 1).
QUOTES = [
    verbatim_draft(PRESERVATION, PRESERVATION.index("2. Such"), len(PRESERVATION), 0),
    verbatim_draft(REFUSAL, 0, len(REFUSAL), 1),
]


def _rewrites(answer: str, *plain: str) -> str:
    return json.dumps({"rewrites": [{REWRITE_FIELD: p} for p in plain], "answer": answer})


def test_prompt_shows_only_the_selected_sentences_numbered_with_their_provisions() -> None:
    shown = numbered_sentences(QUOTES, PASSAGES)
    assert shown.splitlines() == [f"[1] (D, art. 25(2)) {NINETY_DAYS}", f"[2] (D, art. 40) {REFUSAL}"]
    messages = REPHRASE_PROMPT.format_messages(sentences=shown, question="How long is data kept?")
    assert "competent authorities" not in messages[-1].content  # paragraph 1 was not selected


def test_at_most_three_sentences_are_rephrased() -> None:
    many = [verbatim_draft(REFUSAL, 0, len(REFUSAL), 1)] * (MAX_REPHRASED + 2)
    assert len(selected_quotes(many)) == MAX_REPHRASED
    assert selected_quotes([DraftSentence("Written, not quoted.", (0,))]) == []


def test_rewrite_claims_its_sentence_passage_and_carries_its_quote() -> None:
    text = _rewrites("Up to ninety days", "Data can be kept for ninety days at most, and the order can be extended.")
    drafted = parse_rephrased(text, QUOTES[:1])
    assert drafted.direct == "Up to ninety days"
    (rewrite,) = drafted.sentences
    assert rewrite.text == "Data can be kept for ninety days at most, and the order can be extended."
    assert rewrite.claimed == (0,) and rewrite.verbatim_of is None
    assert rewrite.fallback == QUOTES[0]


def test_rewrites_follow_the_order_of_the_sentences() -> None:
    text = _rewrites(
        "Yes",
        "Data can be kept for ninety days at most.",
        "A state may refuse legal help when the request would harm its sovereignty.",
    )
    drafted = parse_rephrased(text, QUOTES)
    assert [(s.claimed, s.fallback) for s in drafted.sentences] == [((0,), QUOTES[0]), ((1,), QUOTES[1])]


@pytest.mark.parametrize(
    "plain",
    [
        "",
        "Yes",
        NINETY_DAYS,
        "Such preservation may last for a period",
        "Such preservation may last for a period of up to ninety days and can be renewed.",  # four words in five
    ],
)
def test_rewrite_saying_nothing_or_copying_its_sentence_is_the_quote(plain: str) -> None:
    drafted = parse_rephrased(_rewrites("Yes", plain), QUOTES[:1])
    assert drafted.sentences == [QUOTES[0]]


def test_rewrite_with_json_debris_is_the_quote() -> None:
    plain = "Preserved data can be kept for up to ninety days, and the order renewed.'}, {"
    assert parse_rephrased(_rewrites("", plain), QUOTES[:1]).sentences == [QUOTES[0]]
    clean = parse_rephrased(_rewrites("", plain[: plain.index("'")]), QUOTES[:1]).sentences
    assert clean[0].text.startswith("Preserved data") and clean[0].fallback == QUOTES[0]


def test_rewrites_cut_at_the_token_limit_leave_the_rest_quoted() -> None:
    full = _rewrites(
        "Yes",
        "Data can be kept for ninety days at most.",
        "A state may refuse legal help when the request would harm its sovereignty.",
    )
    cut = full[: full.index("A state may refuse legal") + 10]
    drafted = parse_rephrased(cut, QUOTES)
    assert [s.text for s in drafted.sentences] == ["Data can be kept for ninety days at most.", REFUSAL]
    assert drafted.sentences[1] == QUOTES[1] and drafted.direct is None


def test_output_that_is_no_json_leaves_every_sentence_quoted() -> None:
    assert parse_rephrased("I cannot help with that.", QUOTES).sentences == QUOTES


def test_empty_answer_gives_no_direct_answer() -> None:
    assert parse_rephrased(_rewrites("", "Data can be kept for ninety days at most."), QUOTES[:1]).direct is None


def test_failed_rewrite_falls_back_to_its_quote_and_the_others_stay_written(verifier) -> None:  # type: ignore[no-untyped-def]
    kept = "A state may refuse legal assistance when the request is likely to harm its sovereignty."
    wrong = "Data must be kept for at least five years."  # not what paragraph 2 says
    drafted = parse_rephrased(_rewrites("Yes", wrong, kept), QUOTES)
    checked = check_sentences(drafted.sentences, PASSAGES, verifier)
    assert [(c.text, c.supported, c.verbatim) for c in checked] == [(NINETY_DAYS, True, True), (kept, True, False)]
    start = PRESERVATION.index("Such")
    assert checked[0].support == ((0, start, len(PRESERVATION)),)
    assert checked[1].support[0][0] == 1


def test_schema_asks_exactly_one_rewrite_per_sentence_then_the_answer() -> None:
    schema = rephrase_schema(2)
    rewrites = schema["properties"]["rewrites"]
    assert (rewrites["minItems"], rewrites["maxItems"]) == (2, 2)
    assert list(schema["properties"]) == ["rewrites", "answer"]


def test_llama_cpp_compiles_the_rephrase_schema_into_a_grammar() -> None:
    llama_grammar = pytest.importorskip("llama_cpp.llama_grammar")
    grammar = llama_grammar.json_schema_to_gbnf(json.dumps(rephrase_schema(3)))
    assert 'root ::= "{" space rewrites-kv "," space answer-kv "}" space' in grammar
    assert "rewrites-item" in grammar


def test_stream_shows_the_rewrites_not_the_json() -> None:
    raw = _rewrites("Yes", "Data can be kept.", "A state may say no.")
    stream = FieldStream(REWRITE_FIELD)
    assert (
        "".join(stream.feed(raw[i : i + 5]) for i in range(0, len(raw), 5)) == "Data can be kept. A state may say no."
    )


def test_prompt_opens_with_the_same_messages_for_every_question() -> None:
    # llama.cpp reuses the evaluated prompt prefix of the previous answer: it must not vary.
    first = REPHRASE_PROMPT.format_messages(sentences="[1] (D, art. 25) Data is kept.", question="How long?")
    second = REPHRASE_PROMPT.format_messages(sentences="[1] (D, art. 40) Help is refused.", question="Why?")
    assert first[:-1] == second[:-1] and first[-1] != second[-1]


def test_worked_example_rewrites_each_of_its_sentences_in_other_words() -> None:
    example = json.loads(REPHRASE_EXAMPLE_ANSWER)
    sentences = [line.split(") ", 1)[1] for line in REPHRASE_EXAMPLE_SENTENCES.splitlines()]
    assert list(example) == list(rephrase_schema(2)["properties"])
    assert len(example["rewrites"]) == len(sentences)
    for rewrite, sentence in zip(example["rewrites"], sentences, strict=True):
        assert not says_nothing(rewrite[REWRITE_FIELD], example["answer"], sentence)


def test_a_summary_rephrases_its_lead_sentences_three_to_a_call() -> None:
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    leads = [QUOTES[0], QUOTES[1], QUOTES[0], QUOTES[1]]
    written = [
        _rewrites(
            "",
            "Data can be kept for ninety days at most.",
            "A state may refuse legal help when the request would harm its sovereignty.",
            "Yes",
        ),
        _rewrites("", "A state may turn down help that would harm its sovereignty."),
    ]
    model = GenericFakeChatModel(messages=iter(AIMessage(content=text) for text in written))
    drafts = rephrase_all(model, "What does article 25 provide?", leads, PASSAGES)
    assert [d.text for d in drafts] == [
        "Data can be kept for ninety days at most.",
        "A state may refuse legal help when the request would harm its sovereignty.",
        NINETY_DAYS,  # its rewrite said nothing: the lead stands
        "A state may turn down help that would harm its sovereignty.",
    ]
    assert [d.fallback for d in drafts] == [QUOTES[0], QUOTES[1], None, QUOTES[1]]
