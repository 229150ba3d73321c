"""The sentences of the retrieved passages, each scored against the question, best first.

The scores serve every later stage: the best sentences are the evidence that refusal weighs,
the extractive provider's answer, and what the local model is shown of each passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from rag.answering.injection import looks_like_instruction
from rag.glossary import expansions
from rag.keyword_index import tokenize
from rag.types import ScoredPassage
from rag.verification import Verifier

SIMILARITY_WEIGHT = 0.6
TERM_WEIGHT = 0.3
RANK_WEIGHT = 0.1
MIN_SENTENCE_CHARS = 25
_ITEM_LABEL_RE = re.compile(r"^\(?(?:[a-z]{1,2}|[ivx]{1,5})\)\s")


@dataclass(frozen=True)
class Candidate:
    """A sentence of retrieved passage ``passage_index`` (characters ``start:end``) and its score."""

    passage_index: int
    start: int
    end: int
    text: str
    score: float


def rank_sentences(
    question: str, passages: list[ScoredPassage], verifier: Verifier, question_vector: np.ndarray
) -> list[Candidate]:
    """Every sentence of the hit passages, scored against the question (given with its sentence-model
    vector), best first."""
    question_terms = set(tokenize(question))
    expansion_terms = set(tokenize(" ".join(expansions(question)))) - question_terms
    candidates: list[Candidate] = []
    hit_rank = 0
    for index, scored in enumerate(passages):
        if scored.supporting:
            continue
        hit_rank += 1
        text = scored.passage.text
        spans, vectors = verifier.vectors.of_passage(text)
        similarities = vectors @ question_vector
        for position, ((start, end), similarity) in enumerate(zip(spans, similarities, strict=False)):
            sentence = text[start:end]
            if len(sentence) < MIN_SENTENCE_CHARS or scored.passage.is_heading(start, end):
                continue
            if looks_like_instruction(sentence):
                continue
            if _ITEM_LABEL_RE.match(sentence):
                start = _intro_start(text, spans, position)
            terms = set(tokenize(sentence))
            overlap = len(question_terms & terms) + 0.5 * len(expansion_terms & terms)
            term_share = overlap / max(1, len(question_terms))
            score = SIMILARITY_WEIGHT * float(similarity) + TERM_WEIGHT * min(1.0, term_share) + RANK_WEIGHT / hit_rank
            candidates.append(Candidate(index, start, end, sentence, score))
    candidates.sort(key=lambda c: -c.score)
    return candidates


def _intro_start(text: str, spans: list[tuple[int, int]], position: int) -> int:
    """Where a list item's sentence starts once its introduction ("... shall order:") is joined to it.

    Items of a list are contiguous in the text, so the introduction and the item still form one
    exact, verbatim span.
    """
    for back in range(position - 1, -1, -1):
        previous = text[spans[back][0] : spans[back][1]]
        if previous.rstrip().endswith(":"):
            return spans[back][0] if position - back <= 1 else spans[position][0]
        if not _ITEM_LABEL_RE.match(previous):
            break
    return spans[position][0]


def overlaps(a: Candidate, b: Candidate) -> bool:
    """Do two candidates share characters of the same passage?"""
    return a.passage_index == b.passage_index and a.start < b.end and b.start < a.end
