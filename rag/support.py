"""Does a passage support a sentence? An offline judge built from lexical and embedding evidence.

No NLI or reranking model is available offline, so the judge combines:
- term recall: the share of the sentence's stemmed content words found in the best window
  (one or two adjacent sentences) of the passage;
- meaning: the cosine similarity of the sentence and that window under the embedding model;
- hard checks: a number in the sentence that the passage lacks, or a negation on one side
  only, lowers the score.
The threshold is calibrated on hand-labelled pairs (``eval/labels/support_pairs.jsonl``), and
its agreement with those labels is reported by ``python -m eval judge``.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from rag.answering.injection import looks_like_instruction
from rag.keyword_index import tokenize
from rag.sentences import split_sentences

SUPPORT_THRESHOLD = 0.62
RECALL_WEIGHT = 0.6
_CITATION_RE = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")
_NUMBER_RE = re.compile(r"\b\d+(?:[.,]\d+)*\b")
_NEGATION_RE = re.compile(r"\b(?:not|no|never|neither|nor|cannot|without|shall not|may not)\b", re.IGNORECASE)


def strip_citations(sentence: str) -> str:
    return _CITATION_RE.sub("", sentence).strip()


@dataclass(frozen=True)
class Support:
    """How well a passage supports a sentence, and which of its words do."""

    score: float
    start: int  # offsets of the supporting window inside the passage text
    end: int
    recall: float
    similarity: float

    def supported(self, threshold: float = SUPPORT_THRESHOLD) -> bool:
        return self.score >= threshold


class SupportJudge:
    """Scores (sentence, passage text) pairs; caches the embeddings of passage windows."""

    def __init__(self, embeddings: Embeddings, threshold: float = SUPPORT_THRESHOLD) -> None:
        self.embeddings = embeddings
        self.threshold = threshold
        self._window_cache: dict[str, tuple[list[tuple[int, int]], np.ndarray]] = {}

    def preload(self, texts_and_vectors: dict[str, tuple[list[tuple[int, int]], list[list[float]]]]) -> None:
        """Fill the cache with sentence vectors computed at ingestion (keyed by passage text)."""
        for text, (spans, vectors) in texts_and_vectors.items():
            if spans and text not in self._window_cache:
                self._window_cache[text] = (list(spans), np.asarray(vectors))

    def sentence_vectors(self, passage_text: str) -> tuple[list[tuple[int, int]], np.ndarray]:
        """The passage's sentence spans and their (normalised) embeddings, cached by text."""
        cached = self._window_cache.get(passage_text)
        if cached is not None:
            return cached
        spans = split_sentences(passage_text) or [(0, len(passage_text))]
        vectors = np.asarray(self.embeddings.embed_documents([passage_text[a:b] for a, b in spans]))
        self._window_cache[passage_text] = (spans, vectors)
        return spans, vectors

    def windows(self, passage_text: str) -> tuple[list[tuple[int, int]], np.ndarray]:
        """Single sentences and adjacent pairs; a pair's vector is the normalised sum of its two."""
        spans, vectors = self.sentence_vectors(passage_text)
        if len(spans) < 2:
            return spans, vectors
        pair_vectors = vectors[:-1] + vectors[1:]
        pair_vectors /= np.linalg.norm(pair_vectors, axis=1, keepdims=True) + 1e-9
        pairs = [(a[0], b[1]) for a, b in itertools.pairwise(spans)]
        return spans + pairs, np.vstack([vectors, pair_vectors])

    def score(self, sentence: str, passage_text: str) -> Support:
        claim = strip_citations(sentence)
        claim_tokens = set(tokenize(claim))
        if not claim_tokens or not passage_text.strip():
            return Support(0.0, 0, 0, 0.0, 0.0)
        windows, vectors = self.windows(passage_text)
        claim_vector = np.asarray(self.embeddings.embed_query(claim))
        similarities = vectors @ claim_vector
        best: Support | None = None
        for (start, end), similarity in zip(windows, similarities, strict=False):
            if looks_like_instruction(passage_text[start:end]):
                continue  # text addressed to the assistant is never evidence
            window_tokens = set(tokenize(passage_text[start:end]))
            recall = len(claim_tokens & window_tokens) / len(claim_tokens)
            value = RECALL_WEIGHT * recall + (1 - RECALL_WEIGHT) * max(0.0, float(similarity))
            value *= _consistency(claim, passage_text[start:end], passage_text)
            if best is None or value > best.score:
                best = Support(value, start, end, recall, float(similarity))
        return best or Support(0.0, 0, 0, 0.0, 0.0)


def _consistency(claim: str, window: str, passage: str) -> float:
    """Penalties for numbers the passage lacks and for a negation present on one side only."""
    factor = 1.0
    numbers = set(_NUMBER_RE.findall(claim))
    if numbers - set(_NUMBER_RE.findall(passage)):
        factor *= 0.6
    if bool(_NEGATION_RE.search(claim)) != bool(_NEGATION_RE.search(window)):
        factor *= 0.85
    return factor
