"""The product's former support judge (``eval.old_support_judge``) as a judge: a score against a threshold.

It only tells supported from not, so every rejection is ``not_found``; it stays in the report
as the baseline the verifier replaces.
"""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from eval.judges.base import NOT_FOUND, SUPPORTED, Judgement
from eval.old_support_judge import OldSupportJudge


class OldJudge:
    """The old judge (term recall + cosine with hard checks) at its calibrated threshold."""

    name = "old"

    def __init__(self, embeddings: Embeddings) -> None:
        self._judge = OldSupportJudge(embeddings)

    def judge(self, sentence: str, passage_text: str, doc: str | None = None, article: str | None = None) -> Judgement:
        score = self._judge.score(sentence, passage_text)
        threshold = self._judge.threshold
        if score >= threshold:
            return Judgement(SUPPORTED, f"score {score:.2f} >= {threshold:.2f}", score)
        return Judgement(NOT_FOUND, f"score {score:.2f} < {threshold:.2f}", score)
