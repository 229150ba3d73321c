"""The BM25 keyword index over the committed passages, persisted beside the vector store.

The file holds the passage ids, their tokens and the manifest signature it was built from,
and is written to a temporary name and renamed, so a reader never trusts a half-written
index. A reader whose signature differs from the store's rebuilds it from the store.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

_STEMMER = Stemmer.Stemmer("english")
_TOKEN_RE = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "could",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "may",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "shall",
        "should",
        "so",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "under",
        "was",
        "what",
        "when",
        "where",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)


def tokenize(text: str) -> list[str]:
    """Lowercased, stop-word-free, Snowball-stemmed tokens."""
    words = [w for w in _TOKEN_RE.findall(text.lower()) if w not in STOPWORDS]
    return _STEMMER.stemWords(words)


@dataclass(frozen=True)
class Vocabulary:
    """In how many of ``passages`` texts each stem occurs."""

    document_frequency: Mapping[str, float]  # counts; a united vocabulary's added stems are scaled
    passages: int

    @classmethod
    def build(cls, texts: list[str]) -> Vocabulary:
        frequency: Counter[str] = Counter()
        for text in texts:
            frequency.update(set(tokenize(text)))
        return cls(frequency, len(texts))

    def united_with(self, other: Vocabulary) -> Vocabulary:
        """This vocabulary, plus the stems only ``other`` has, at their share of ``other``'s passages
        scaled to this one's: a stem as common in an uploaded act as "court" is in the treaties is
        as rare here as "court" is, not unknown."""
        scale = self.passages / other.passages if other.passages else 0.0
        added = {s: f * scale for s, f in other.document_frequency.items() if s not in self.document_frequency}
        return Vocabulary(Counter({**self.document_frequency, **added}), self.passages)

    def idf(self, stem: str) -> float:
        """Inverse document frequency scaled to [0, 1]: 1 for a stem no text has, 0 for one all have."""
        frequency = self.document_frequency.get(stem, 0)
        return math.log((self.passages + 1) / (frequency + 1)) / math.log(self.passages + 1)


@dataclass
class KeywordIndex:
    """BM25 over a fixed list of passages (``ids[i]`` has ``tokens[i]``)."""

    ids: list[str]
    tokens: list[list[str]]
    signature: str

    def __post_init__(self) -> None:
        self._bm25: bm25s.BM25 | None = None
        if self.ids:
            self._bm25 = bm25s.BM25()
            self._bm25.index(self.tokens, show_progress=False)

    @classmethod
    def build(cls, ids: list[str], texts: list[str], signature: str) -> KeywordIndex:
        return cls(ids=list(ids), tokens=[tokenize(t) for t in texts], signature=signature)

    def scores(self, query: str) -> dict[str, float]:
        """BM25 score of every passage that shares a term with ``query``."""
        query_tokens = tokenize(query)
        if self._bm25 is None or not query_tokens:
            return {}
        raw = self._bm25.get_scores(query_tokens)
        hits = np.nonzero(raw > 0)[0]
        return {self.ids[i]: float(raw[i]) for i in hits}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"signature": self.signature, "ids": self.ids, "tokens": self.tokens}
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> KeywordIndex | None:
        """The saved index, or None when there is none or it cannot be read."""
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            return cls(ids=payload["ids"], tokens=payload["tokens"], signature=payload["signature"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
