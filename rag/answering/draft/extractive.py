"""The extractive provider: an answer made of the best supporting sentences of the passages.

No generative model: each answer sentence is a sentence of a retrieved passage, cited to
the exact span it came from, so it is faithful by construction. The answer opens with a lead:
the best sentence (or the one contradicting the question's premise) framed by its provision's
label ("UN Cybercrime Convention, art. 40(22): ..."), and "No" before it when the premise is
wrong; then one sentence from each other provision that scores close to the best (the scores of
``rag.answering.retrieve.ranking``, which refusal weighs too).
"""

from __future__ import annotations

from rag.answering.assess.premise import PREMISE_CORRECTION
from rag.answering.draft.types import DraftSentence, framed_draft, verbatim_draft
from rag.answering.retrieve.ranking import Candidate, overlaps
from rag.types import ScoredPassage

KEEP_RATIO = 0.85  # a second sentence of the lead's provision must score this share of the best one
PROVISION_KEEP_RATIO = 0.85  # a sentence of another provision must score this share of the best one
# A sentence of another provision must be this long: shorter ones are titles and list stubs
# ("Adopts the United Nations Convention against Cybercrime;").
MIN_PROVISION_SENTENCE_CHARS = 60
MAX_SENTENCES = 4
MAX_SENTENCES_BROAD = 5


def extractive_drafts(
    candidates: list[Candidate],
    passages: list[ScoredPassage],
    contradiction: int | None = None,
    broad: bool = False,
    correction: str = PREMISE_CORRECTION,
) -> list[DraftSentence]:
    """The lead sentence, then one sentence from each other provision that scores close to it.

    The lead is ``candidates[contradiction]`` when a premise of the question is contradicted by
    that sentence (``rag.answering.assess.premise``), framed by ``correction`` ("No, the text says
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
    label = passage.label_for(passage.paragraph_at(quoted.span[0]))
    framing = f"{correction}{label}: "
    return framed_draft(framing, passage.text, *quoted.span, lead.passage_index)
