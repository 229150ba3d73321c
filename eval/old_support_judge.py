"""The support judge the product used before ``rag.verification``, kept as the eval's baseline.

0.6 × term recall of the best window (one or two passage sentences) + 0.4 × MiniLM cosine,
times 0.6 when the sentence has a number the passage lacks and 0.85 when only one side has a
negation; supported at 0.62 or more.
"""

from __future__ import annotations

import re

from langchain_core.embeddings import Embeddings

from rag.answering.injection import looks_like_instruction
from rag.keyword_index import tokenize
from rag.verification.alignment import SentenceVectors
from rag.verification.claim import strip_citations

THRESHOLD = 0.62
RECALL_WEIGHT = 0.6
_NUMBER_RE = re.compile(r"\b\d+(?:[.,]\d+)*\b")
_NEGATION_RE = re.compile(r"\b(?:not|no|never|neither|nor|cannot|without|shall not|may not)\b", re.IGNORECASE)


class OldSupportJudge:
    """Scores (sentence, passage text) pairs the old way."""

    def __init__(self, embeddings: Embeddings, threshold: float = THRESHOLD) -> None:
        self.vectors = SentenceVectors(embeddings)
        self.threshold = threshold

    def score(self, sentence: str, passage_text: str) -> float:
        claim = strip_citations(sentence)
        claim_tokens = set(tokenize(claim))
        if not claim_tokens or not passage_text.strip():
            return 0.0
        windows, vectors = self.vectors.windows(passage_text)
        similarities = vectors @ self.vectors.of_claim(claim)
        best = 0.0
        for (start, end), similarity in zip(windows, similarities, strict=False):
            window = passage_text[start:end]
            if looks_like_instruction(window):
                continue
            recall = len(claim_tokens & set(tokenize(window))) / len(claim_tokens)
            value = RECALL_WEIGHT * recall + (1 - RECALL_WEIGHT) * max(0.0, float(similarity))
            if set(_NUMBER_RE.findall(claim)) - set(_NUMBER_RE.findall(passage_text)):
                value *= 0.6
            if bool(_NEGATION_RE.search(claim)) != bool(_NEGATION_RE.search(window)):
                value *= 0.85
            best = max(best, value)
        return best

    def supported(self, sentence: str, passage_text: str) -> bool:
        return self.score(sentence, passage_text) >= self.threshold
