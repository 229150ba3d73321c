"""The cite stage: number the verified sentences' citations, keep a direct answer they back, and
make the ``Answer`` (or the refusal, which shows the nearest provisions)."""

from __future__ import annotations

from rag.answering.assess import Assessment
from rag.answering.cite.citations import CitationBook, number_citations
from rag.answering.cite.direct import backed_direct
from rag.answering.draft.types import DraftSentence
from rag.answering.retrieve import Retrieved
from rag.answering.types import Answer, AnswerSentence, Citation
from rag.answering.verify import Verified
from rag.answering.verify.checks import check_sentences
from rag.types import ScoredPassage
from rag.verification import Verifier


def cite(verified: Verified, retrieved: Retrieved, assessment: Assessment, mode: str) -> Answer:
    """The answer to the question: its verified sentences with numbered citations; refused when the
    model declined or no sentence is supported."""
    passages = retrieved.passages
    sentences, citations = number_citations(verified.sentences, passages)
    direct = backed_direct(
        verified.direct, sentences, citations, passages, verified.model_verified, assessment.premise.by_the_text
    )
    refused = verified.declined or not any(s.supported for s in sentences)
    return Answer(
        retrieved.reading.question,
        mode,
        sentences,
        citations,
        passages,
        refused,
        notice=verified.notice,
        answerability=assessment.probability,
        direct=direct,
        remark=assessment.remark,
    )


def refusal(retrieved: Retrieved, assessment: Assessment, mode: str) -> Answer:
    """The refusal the assess stage decided, with its reason and the passages it weighed."""
    decision = assessment.decision
    return Answer(
        retrieved.reading.question,
        mode,
        [],
        [],
        retrieved.passages,
        True,
        notice=decision.reason,
        answerability=decision.probability,
    )


def attribute(
    drafts: list[DraftSentence], passages: list[ScoredPassage], verifier: Verifier, book: CitationBook | None = None
) -> tuple[list[AnswerSentence], list[Citation]]:
    """Verify and cite in one call: for summaries and comparisons, which draft without a question."""
    return number_citations(check_sentences(drafts, passages, verifier), passages, book)
