"""What each provider's prompt shows: the local model each passage's best sentences, in reading order,
bounded; a capable model whole passages within a token budget; one numbering for both."""

from __future__ import annotations

from rag.answering.draft.context import CHARS_PER_TOKEN, context_for, excerpt, whole_passages
from rag.answering.draft.drafting import parse_drafts
from rag.answering.retrieve.ranking import Candidate
from rag.settings import Settings
from rag.types import Passage, ScoredPassage

PROMPT_EXCERPT_CHARS = Settings().local_excerpt_chars

SENTENCES = [
    "1. Each State Party shall adopt measures to preserve stored data.",
    "2. The preservation shall last up to ninety days.",
    "3. " + "Long procedural detail that says nothing new. " * 12,
    "4. A request may be renewed.",
]
TEXT = " ".join(SENTENCES)


def _scored(text: str = TEXT, article: str = "25", supporting: bool = False) -> ScoredPassage:
    passage = Passage(
        id=f"p{article}", doc_id="d", doc_title="D", text=text, start=0, end=len(text),
        context=f"D | Article {article}", kind="article", article=article,
    )  # fmt: skip
    return ScoredPassage(passage, 1.0, supporting=supporting)


def _candidate(number: int, score: float, index: int = 0) -> Candidate:
    start = TEXT.index(SENTENCES[number])
    return Candidate(index, start, start + len(SENTENCES[number]), SENTENCES[number], score)


def test_best_sentences_are_shown_in_reading_order() -> None:
    candidates = [_candidate(3, 0.9), _candidate(1, 0.8), _candidate(0, 0.1)]
    assert excerpt(0, _scored(), candidates, PROMPT_EXCERPT_CHARS) == " … ".join(
        [SENTENCES[0], SENTENCES[1], SENTENCES[3]]
    )


def test_a_sentence_that_would_overflow_the_budget_stops_the_excerpt() -> None:
    candidates = [_candidate(1, 0.9), _candidate(2, 0.8), _candidate(0, 0.7)]
    shown = excerpt(0, _scored(), candidates, PROMPT_EXCERPT_CHARS)
    assert shown == SENTENCES[1]
    assert len(shown) <= PROMPT_EXCERPT_CHARS


def test_other_passages_sentences_are_ignored_and_a_bare_passage_is_cut() -> None:
    assert excerpt(0, _scored(), [_candidate(1, 0.9, index=1)], PROMPT_EXCERPT_CHARS) == TEXT[:PROMPT_EXCERPT_CHARS]


def test_capable_model_sees_whole_passages_in_rank_order_within_its_budget() -> None:
    passages = [_scored(TEXT, "1"), _scored(TEXT, "2"), _scored(TEXT, "3")]
    one_and_a_half = (len(TEXT) * 3 // 2) // CHARS_PER_TOKEN
    context = whole_passages(passages, one_and_a_half)
    assert context.indices == (0,)
    assert context.texts == (TEXT,)
    assert whole_passages(passages, 10**6).indices == (0, 1, 2)


def test_first_hit_is_shown_whole_even_over_the_budget() -> None:
    assert whole_passages([_scored(TEXT, "1")], 1).texts == (TEXT,)


def test_hits_come_before_the_provisions_they_cite_and_a_short_one_still_fits() -> None:
    short = "1. A request may be renewed once."
    passages = [_scored(TEXT, "1"), _scored(TEXT, "9", supporting=True), _scored(TEXT, "2"), _scored(short, "3")]
    context = whole_passages(passages, (2 * len(TEXT) + len(short)) // CHARS_PER_TOKEN + 3)
    assert context.indices == (0, 2, 3)


def test_providers_get_their_own_budget() -> None:
    passages = [_scored(TEXT, str(n)) for n in range(1, 7)]
    candidates = [_candidate(1, 0.9, index=i) for i in range(6)]
    settings = Settings(local_prompt_passages=2, openai_context_tokens=10**5)
    local = context_for("local", passages, candidates, settings)
    capable = context_for("openai", passages, candidates, settings)
    assert local.indices == (0, 1) and all(len(t) <= settings.local_excerpt_chars for t in local.texts)
    assert capable.indices == tuple(range(6)) and capable.texts == (TEXT,) * 6


def test_prompt_numbers_map_to_the_retrieved_passages_shown() -> None:
    passages = [_scored(TEXT, "1"), _scored(TEXT, "9", supporting=True), _scored(TEXT, "2")]
    context = whole_passages(passages, 10**6)
    assert context.indices == (0, 2, 1)
    assert context.numbered.splitlines()[1].startswith("[2] (D, art. 2) 1. Each State Party")
    drafts, declined = parse_drafts("States must preserve data [2]. A request may be renewed [3][7].", context)
    assert not declined
    assert [d.claimed for d in drafts] == [(2,), (1,)]
