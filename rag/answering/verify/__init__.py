"""The verify stage: the verifier (``rag.verification``) checks each drafted sentence against the passages.

When a generative model wrote nothing the passages support, yet did not decline, the evidence is
there all the same: the answer quotes the best sentences instead (or the quotes its rewrites fell
back to), with a notice.
"""

from __future__ import annotations

from dataclasses import dataclass

from rag.answering.draft.extractive import extractive_drafts
from rag.answering.draft.types import Drafted
from rag.answering.retrieve import Retrieved
from rag.answering.verify.checks import CheckedSentence, check_sentences
from rag.verification import Verifier

UNVERIFIED_NOTICE = "The model's sentences could not be verified against the sources; the answer quotes them instead."


@dataclass(frozen=True)
class Verified:
    """The verify stage's result: each sentence with its verdict and support, and the draft's direct
    answer, which the cite stage keeps only when the verified sentences back it."""

    sentences: list[CheckedSentence]
    direct: str | None
    declined: bool
    # A sentence the model itself wrote is supported: a "Yes" or "No" may stand beside it.
    model_verified: bool
    notice: str | None = None


def verify(drafted: Drafted, retrieved: Retrieved, verifier: Verifier) -> Verified:
    """Check the drafted sentences against the retrieved passages; quote the evidence instead when
    a generative mode drafted nothing supported and did not decline."""
    passages = retrieved.passages
    sentences = check_sentences(drafted.draft.sentences, passages, verifier)
    written = any(s.supported and not s.verbatim for s in sentences)
    notice = drafted.notice
    if drafted.mode != "extractive" and not drafted.draft.declined and not written:
        notice = notice or UNVERIFIED_NOTICE
        if not any(s.supported for s in sentences):
            sentences = check_sentences(extractive_drafts(retrieved.candidates, passages), passages, verifier)
    return Verified(sentences, drafted.draft.direct, drafted.draft.declined, drafted.by_model and written, notice)
