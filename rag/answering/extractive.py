"""The extractive provider: an answer made of the best supporting sentences of the passages.

No generative model: each answer sentence is a sentence of a retrieved passage, cited to
the exact span it came from, so it is faithful by construction. The same sentence scores
give the evidence strength that the refusal decision uses in every mode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from rag.answering.attribution import DraftSentence
from rag.glossary import expansions
from rag.keyword_index import tokenize
from rag.support import SupportJudge
from rag.types import ScoredPassage

SIMILARITY_WEIGHT = 0.6
TERM_WEIGHT = 0.3
RANK_WEIGHT = 0.1
KEEP_RATIO = 0.85  # further sentences must score at least this share of the best one
MAX_SENTENCES = 3
MIN_SENTENCE_CHARS = 25
_LEADING_LABEL_RE = re.compile(r"^(?:\d{1,3}\.\s+)?(?:\(?[a-z]{1,4}\)\s+)?")


@dataclass(frozen=True)
class Candidate:
    passage_index: int
    start: int
    end: int
    text: str
    score: float


def rank_sentences(
    question: str, passages: list[ScoredPassage], judge: SupportJudge, embeddings: Embeddings
) -> list[Candidate]:
    """Every sentence of the hit passages, scored against the question, best first."""
    question_vector = np.asarray(embeddings.embed_query(question))
    question_terms = set(tokenize(question))
    expansion_terms = set(tokenize(" ".join(expansions(question)))) - question_terms
    candidates: list[Candidate] = []
    hit_rank = 0
    for index, scored in enumerate(passages):
        if scored.supporting:
            continue
        hit_rank += 1
        text = scored.passage.text
        spans, vectors = judge.sentence_vectors(text)
        similarities = vectors @ question_vector
        for (start, end), similarity in zip(spans, similarities, strict=False):
            sentence = text[start:end]
            if len(sentence) < MIN_SENTENCE_CHARS:
                continue
            terms = set(tokenize(sentence))
            overlap = len(question_terms & terms) + 0.5 * len(expansion_terms & terms)
            term_share = overlap / max(1, len(question_terms))
            score = (
                SIMILARITY_WEIGHT * float(similarity)
                + TERM_WEIGHT * min(1.0, term_share)
                + RANK_WEIGHT / hit_rank
            )
            candidates.append(Candidate(index, start, end, sentence, score))
    candidates.sort(key=lambda c: -c.score)
    return candidates


def extractive_drafts(candidates: list[Candidate]) -> list[DraftSentence]:
    """The best sentence and up to two close seconds, in reading order, quoted verbatim."""
    if not candidates:
        return []
    best = candidates[0].score
    chosen: list[Candidate] = []
    for candidate in candidates:
        if candidate.score < KEEP_RATIO * best or len(chosen) == MAX_SENTENCES:
            break
        if any(_overlaps(candidate, other) for other in chosen):
            continue
        chosen.append(candidate)
    chosen.sort(key=lambda c: (c.passage_index, c.start))
    drafts = []
    for c in chosen:
        label = _LEADING_LABEL_RE.match(c.text)
        shift = label.end() if label else 0
        drafts.append(DraftSentence(c.text[shift:], (c.passage_index,), c.passage_index, (c.start + shift, c.end)))
    return drafts


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.passage_index == b.passage_index and a.start < b.end and b.start < a.end
