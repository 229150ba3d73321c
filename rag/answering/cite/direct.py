"""The direct answer ("Yes", "No", "90 days") a model gave, kept only when the verified answer backs it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.answering.types import AnswerSentence, Citation
from rag.types import ScoredPassage

_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")


def numbers_given(direct: str, texts: Sequence[str]) -> bool:
    """Does every number of the direct answer appear in one of ``texts``?"""
    wanted = _NUMBER_RE.findall(direct)
    return all(any(re.search(rf"(?<![\d.,]){re.escape(n)}(?![\d])", t) for t in texts) for n in wanted)


def backed_direct(
    direct: str | None,
    sentences: Sequence[AnswerSentence],
    citations: Sequence[Citation],
    passages: list[ScoredPassage],
    model_verified: bool,
    corrects_premise: bool = False,
) -> str | None:
    """The direct answer, when the verified answer backs it; else None.

    "Yes" and "No" stand only beside a verified sentence the model wrote (``model_verified``); "No" also
    when it corrects a premise the passages' wording contradicts (``corrects_premise``: the verifier or
    the premise rules found it so, not the model).
    Any other direct answer ("24 December", "in Hanoi") needs all its numbers and all its words
    of four letters or more in the passages the answer cites, quoted or written.
    """
    if not direct or not any(s.supported for s in sentences):
        return None
    if direct.lower() in ("yes", "no"):
        return direct if model_verified or (corrects_premise and direct.lower() == "no") else None
    cited = {c.passage_id for c in citations}
    texts = [p.passage.text for p in passages if p.passage.id in cited]
    words = {w.lower() for w in re.findall(r"[^\W\d_]{4,}", direct)}
    joined = " ".join(texts).lower()
    backed = numbers_given(direct, texts) and all(w in joined for w in words)
    return direct if backed else None
