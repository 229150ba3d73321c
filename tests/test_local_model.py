"""The local provider for real: the packaged 1.5B and 0.5B GGUF models answer clear questions.

Each question's answer is written plainly in one passage of a small store (the GA resolution,
the interpretative notes and a news report), so a working model must answer, not decline;
whatever it writes, the answer's citations must quote the source documents exactly, and no
sentence it keeps is an empty "Yes". Consecutive answers open with the same prompt, so that
llama.cpp reuses its evaluation.
"""

from __future__ import annotations

import pytest
from test_openai_server import assert_well_formed
from testkit import engine_for, ingest_into

from rag.answering.draft.drafting import finish, says_something
from rag.answering.draft.generative import build_chat_model
from rag.answering.draft.rephrase import stream_rephrased
from rag.answering.draft.types import verbatim_draft
from rag.answering.verify.checks import check_sentences
from rag.prompts import REPHRASE_EXAMPLE_ANSWER, REPHRASE_SYSTEM_PROMPT
from rag.settings import Settings
from rag.types import Passage, ScoredPassage

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

FILES = (
    "un-ga-resolution-79-243.txt",
    "un-cybercrime-convention-2024-interpretative-notes.txt",
    "news-us-support-un-cybercrime-convention.txt",
)
CASES = {
    "1.5b": ("On which day of the year is the International Anti-Cybercrime Day?", "24 December"),
    "0.5b": ("Where is the convention opened for signature in 2025?", "Hanoi"),
}


@pytest.fixture(scope="module")
def small_store(tmp_path_factory, corpus_dir, embeddings, make_settings, working_llama_cpp) -> Settings:
    settings = make_settings(tmp_path_factory.mktemp("local-model"))
    ingest_into(settings, embeddings, [corpus_dir / name for name in FILES])
    return settings


@pytest.mark.parametrize("size", ["1.5b", "0.5b"])
def test_local_model_answers_a_clear_question_with_valid_citations(
    size: str, small_store: Settings, embeddings, corpus_dir
) -> None:
    question, expected = CASES[size]
    settings = small_store.model_copy(update={"llm_model_size": size, "llm_max_tokens": 120})
    answer = engine_for(settings, embeddings).ask(question, mode="local")
    assert answer.mode == "local"
    assert answer.notice is None or "unavailable" not in answer.notice, answer.notice
    assert not answer.refused, answer.to_json()
    assert_well_formed(answer, corpus_dir)
    supported = " ".join(s.text for s in answer.sentences if s.supported)
    cited = " ".join(c.quote for c in answer.citations)
    assert expected in cited, f"the citations miss the passage that answers: {cited!r}"
    print(f"\n{size}: {answer.text!r} ({answer.timings.get('total', 0):.1f} s; notice: {answer.notice})")
    assert supported
    assert all(says_something(s.text) for s in answer.sentences if s.supported), answer.to_json()["sentences"]


def test_consecutive_local_answers_share_the_evaluated_prompt_prefix(small_store: Settings, embeddings) -> None:
    settings = small_store.model_copy(update={"llm_model_size": "0.5b", "llm_max_tokens": 60})
    engine = engine_for(settings, embeddings)
    llama = build_chat_model(settings, "local").client  # type: ignore[attr-defined]
    engine.ask("Where is the convention opened for signature in 2025?", mode="local")
    first = list(llama._input_ids[: llama.n_tokens])
    engine.ask("On which day of the year is the International Anti-Cybercrime Day?", mode="local")
    second = list(llama._input_ids[: llama.n_tokens])
    shared = next((i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b), 0)
    # At least the system prompt and the worked example: llama.cpp does not read them again.
    fixed = len(llama.tokenize(REPHRASE_SYSTEM_PROMPT.encode())) + len(llama.tokenize(REPHRASE_EXAMPLE_ANSWER.encode()))
    assert shared >= fixed


PRESERVATION = (
    "2. Such preservation may last for a period of up to ninety days, in order to enable the competent "
    "authorities to seek its disclosure, and the order may be renewed."
)


def test_local_model_rewrites_the_selected_sentence_and_the_answer_keeps_a_verified_sentence(
    make_settings, tmp_path, verifier, working_llama_cpp
) -> None:
    passage = Passage(
        id="p25", doc_id="d", doc_title="D", text=PRESERVATION, start=0, end=len(PRESERVATION), context="D",
        kind="article", article="25",
    )  # fmt: skip
    passages = [ScoredPassage(passage, 1.0)]
    quote = verbatim_draft(PRESERVATION, 0, len(PRESERVATION), 0)
    model = build_chat_model(make_settings(tmp_path, llm_model_size="1.5b"), "local")
    drafting = stream_rephrased(model, "How long can preserved data be kept?", [quote], passages)
    streamed: list[str] = []
    while True:
        try:
            streamed.append(next(drafting))
        except StopIteration as done:
            drafted = done.value
            break
    (sentence,) = drafted.sentences
    print(f"\nrewrite: {sentence.text!r}; direct: {drafted.direct!r}")
    assert sentence.fallback == quote and sentence.claimed == (0,), "the model wrote no rewrite of its own"
    assert "".join(streamed) == sentence.text  # the user saw the rewrite stream in, not JSON
    (checked,) = check_sentences(drafted.sentences, passages, verifier)
    assert checked.supported and checked.support[0][0] == 0
    assert finish(stream_rephrased(model, "How long?", [], passages)).sentences == []
