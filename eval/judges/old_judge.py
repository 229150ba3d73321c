"""The product's former support judge (``rag.support.SupportJudge``) as a judge: a score against a threshold.

It only tells supported from not, so every rejection is ``not_found``; it stays in the report
as the baseline the verifier replaces.
"""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from eval.judges.base import NOT_FOUND, SUPPORTED, Judgement
from rag.support import SupportJudge


class OldJudge:
    """``SupportJudge`` (term recall + cosine with hard checks) at its calibrated threshold."""

    name = "old"

    def __init__(self, embeddings: Embeddings) -> None:
        self._judge = SupportJudge(embeddings)

    def judge(self, sentence: str, passage_text: str, doc: str | None = None, article: str | None = None) -> Judgement:
        support = self._judge.score(sentence, passage_text)
        threshold = self._judge.threshold
        if support.supported(threshold):
            return Judgement(SUPPORTED, f"score {support.score:.2f} >= {threshold:.2f}", support.score)
        return Judgement(NOT_FOUND, f"score {support.score:.2f} < {threshold:.2f}", support.score)
