"""What the generative prompt shows of each passage: its best sentences, in reading order, bounded."""

from __future__ import annotations

from rag.answering.extractive import Candidate
from rag.answering.service import PROMPT_EXCERPT_CHARS, excerpt
from rag.types import Passage, ScoredPassage

SENTENCES = [
    "1. Each State Party shall adopt measures to preserve stored data.",
    "2. The preservation shall last up to ninety days.",
    "3. " + "Long procedural detail that says nothing new. " * 12,
    "4. A request may be renewed.",
]
TEXT = " ".join(SENTENCES)


def _scored() -> ScoredPassage:
    passage = Passage(
        id="p", doc_id="d", doc_title="D", text=TEXT, start=0, end=len(TEXT), context="D | Article 25", kind="article",
        article="25",
    )  # fmt: skip
    return ScoredPassage(passage, 1.0)


def _candidate(number: int, score: float, index: int = 0) -> Candidate:
    start = TEXT.index(SENTENCES[number])
    return Candidate(index, start, start + len(SENTENCES[number]), SENTENCES[number], score)


def test_best_sentences_are_shown_in_reading_order() -> None:
    candidates = [_candidate(3, 0.9), _candidate(1, 0.8), _candidate(0, 0.1)]
    assert excerpt(0, _scored(), candidates) == " … ".join([SENTENCES[0], SENTENCES[1], SENTENCES[3]])


def test_a_sentence_that_would_overflow_the_budget_stops_the_excerpt() -> None:
    candidates = [_candidate(1, 0.9), _candidate(2, 0.8), _candidate(0, 0.7)]
    shown = excerpt(0, _scored(), candidates)
    assert shown == SENTENCES[1]
    assert len(shown) <= PROMPT_EXCERPT_CHARS


def test_other_passages_sentences_are_ignored_and_a_bare_passage_is_cut() -> None:
    assert excerpt(0, _scored(), [_candidate(1, 0.9, index=1)]) == TEXT[:PROMPT_EXCERPT_CHARS]
