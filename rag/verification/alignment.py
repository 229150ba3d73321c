"""Align a sentence to the best window of a passage: one sentence or two adjacent ones.

Passage sentence vectors are cached by passage text and can be preloaded with the vectors
computed at ingestion (``PassageStore.sentence_vectors``), so a verification embeds only the
claim. A window's score mixes the share of the claim's content words it grounds with the
cosine similarity of the two under the sentence model.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from rag.answering.injection import looks_like_instruction
from rag.sentences import split_sentences

CLAIM_CACHE_SIZE = 4096


@dataclass(frozen=True)
class Window:
    start: int
    end: int
    similarity: float


class SentenceVectors:
    """Sentence spans and unit vectors of passages, cached by text; claim vectors, cached too."""

    def __init__(self, embeddings: Embeddings) -> None:
        self.embeddings = embeddings
        self._passages: dict[str, tuple[list[tuple[int, int]], np.ndarray]] = {}
        self._claims: OrderedDict[str, np.ndarray] = OrderedDict()

    def preload(self, texts_and_vectors: dict[str, tuple[list[tuple[int, int]], list[list[float]]]]) -> None:
        """Fill the cache with sentence vectors computed at ingestion (keyed by passage text)."""
        for text, (spans, vectors) in texts_and_vectors.items():
            if spans and text not in self._passages:
                self._passages[text] = (list(spans), np.asarray(vectors))

    def of_passage(self, passage_text: str) -> tuple[list[tuple[int, int]], np.ndarray]:
        """The passage's sentence spans and their (normalised) embeddings."""
        cached = self._passages.get(passage_text)
        if cached is not None:
            return cached
        spans = split_sentences(passage_text) or [(0, len(passage_text))]
        vectors = np.asarray(self.embeddings.embed_documents([passage_text[a:b] for a, b in spans]))
        self._passages[passage_text] = (spans, vectors)
        return spans, vectors

    def of_claim(self, claim: str) -> np.ndarray:
        vector = self._claims.get(claim)
        if vector is None:
            vector = np.asarray(self.embeddings.embed_query(claim))
            self._claims[claim] = vector
            if len(self._claims) > CLAIM_CACHE_SIZE:
                self._claims.popitem(last=False)
        return vector

    def embed_claims(self, claims: list[str]) -> None:
        """Embed the claims not cached yet in one batch (an answer's sentences, a label set)."""
        missing = list(dict.fromkeys(c for c in claims if c and c not in self._claims))
        if missing:
            for claim, vector in zip(missing, self.embeddings.embed_documents(missing), strict=True):
                self._claims[claim] = np.asarray(vector)
            while len(self._claims) > CLAIM_CACHE_SIZE:
                self._claims.popitem(last=False)

    def windows(self, passage_text: str) -> tuple[list[tuple[int, int]], np.ndarray]:
        """Single sentences and adjacent pairs; a pair's vector is the normalised sum of its two."""
        spans, vectors = self.of_passage(passage_text)
        if len(spans) < 2:
            return spans, vectors
        pair_vectors = vectors[:-1] + vectors[1:]
        pair_vectors /= np.linalg.norm(pair_vectors, axis=1, keepdims=True) + 1e-9
        pairs = [(a[0], b[1]) for a, b in itertools.pairwise(spans)]
        return spans + pairs, np.vstack([vectors, pair_vectors])

    def ranked_windows(self, claim: str, passage_text: str) -> list[Window]:
        """Every window that is not text addressed to an assistant, most similar first."""
        spans, vectors = self.windows(passage_text)
        similarities = vectors @ self.of_claim(claim)
        ranked = [
            Window(start, end, float(similarity))
            for (start, end), similarity in zip(spans, similarities, strict=False)
            if not looks_like_instruction(passage_text[start:end])
        ]
        ranked.sort(key=lambda w: -w.similarity)
        return ranked
