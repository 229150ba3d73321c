"""The extractive provider: an answer made of the best supporting sentences of the passages.

No generative model: each answer sentence is a sentence of a retrieved passage, cited to
the exact span it came from, so it is faithful by construction. The answer opens with a lead:
the best sentence (or the one contradicting the question's premise) framed by its provision's
label ("UN Cybercrime Convention, art. 40(22): ..."), and "No" before it when the premise is
wrong; then one sentence from each other provision that scores close to the best. The same
sentence scores give the evidence strength that the refusal decision uses in every mode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from rag.answering.attribution import DraftSentence, framed_draft, paragraph_at, verbatim_draft
from rag.answering.injection import looks_like_instruction
from rag.glossary import expansions
from rag.keyword_index import tokenize
from rag.types import ScoredPassage
from rag.verification import Verifier

SIMILARITY_WEIGHT = 0.6
TERM_WEIGHT = 0.3
RANK_WEIGHT = 0.1
KEEP_RATIO = 0.85  # a second sentence of the lead's provision must score this share of the best one
PROVISION_KEEP_RATIO = 0.85  # a sentence of another provision must score this share of the best one
# A sentence of another provision must be this long: shorter ones are titles and list stubs
# ("Adopts the United Nations Convention against Cybercrime;").
MIN_PROVISION_SENTENCE_CHARS = 60
MAX_SENTENCES = 4
MAX_SENTENCES_BROAD = 5
PREMISE_CORRECTION = "No, the text says otherwise. "
MIN_SENTENCE_CHARS = 25
_ITEM_LABEL_RE = re.compile(r"^\(?(?:[a-z]{1,2}|[ivx]{1,5})\)\s")


@dataclass(frozen=True)
class Candidate:
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


def extractive_drafts(
    candidates: list[Candidate],
    passages: list[ScoredPassage],
    contradiction: int | None = None,
    broad: bool = False,
    correction: str = PREMISE_CORRECTION,
) -> list[DraftSentence]:
    """The lead sentence, then one sentence from each other provision that scores close to it.

    The lead is ``candidates[contradiction]`` when a premise of the question is contradicted by
    that sentence (``rag.answering.premise``), framed by ``correction`` ("No, the text says
    otherwise.") and its provision's label; otherwise the best sentence, framed by its label. A close
    second sentence of the lead's provision may follow it. Every sentence is a verbatim span of its
    passage. A broad question may take ``MAX_SENTENCES_BROAD`` sentences.
    """
    if not candidates:
        return []
    lead = candidates[contradiction] if contradiction is not None else candidates[0]
    best = candidates[0].score
    limit = MAX_SENTENCES_BROAD if broad else MAX_SENTENCES
    chosen: list[Candidate] = [lead]
    provisions = {_provision(passages, lead)}
    for candidate in candidates:
        if len(chosen) == limit or candidate.score < PROVISION_KEEP_RATIO * best:
            break
        if any(overlaps(candidate, other) for other in chosen):
            continue
        if len(candidate.text) < MIN_PROVISION_SENTENCE_CHARS:
            continue
        provision = _provision(passages, candidate)
        same_as_lead = provision == _provision(passages, lead)
        if same_as_lead and (candidate.score < KEEP_RATIO * best or len(chosen) > 1):
            continue
        if provision in provisions and not same_as_lead:
            continue
        chosen.append(candidate)
        provisions.add(provision)
    drafts = [_lead_draft(lead, passages, correction if contradiction is not None else "")]
    for candidate in chosen[1:]:
        text = passages[candidate.passage_index].passage.text
        drafts.append(verbatim_draft(text, candidate.start, candidate.end, candidate.passage_index))
    return drafts


def _provision(passages: list[ScoredPassage], candidate: Candidate) -> tuple[str, str]:
    """The provision a candidate belongs to: its document and article (or passage, without articles)."""
    passage = passages[candidate.passage_index].passage
    return (passage.doc_id, passage.article or passage.id)


def _lead_draft(lead: Candidate, passages: list[ScoredPassage], correction: str) -> DraftSentence:
    """The lead sentence: the premise ``correction`` if any, its provision's label, then the sentence
    quoted verbatim."""
    passage = passages[lead.passage_index].passage
    quoted = verbatim_draft(passage.text, lead.start, lead.end, lead.passage_index)
    assert quoted.span is not None
    label = passage.label_for(paragraph_at(passage, quoted.span[0]))
    framing = f"{correction}{label}: "
    return framed_draft(framing, passage.text, *quoted.span, lead.passage_index)


def overlaps(a: Candidate, b: Candidate) -> bool:
    """Do two candidates share characters of the same passage?"""
    return a.passage_index == b.passage_index and a.start < b.end and b.start < a.end
