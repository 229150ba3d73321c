"""Compare two documents on a topic: aligned provisions side by side, each side cited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from rag.answering.types import Answer
from rag.types import ScoredPassage

ALIGNMENT_FLOOR = 0.35  # below this cosine, two provisions are shown on rows of their own


@dataclass
class Comparison:
    """Rows of (provision in A, provision in B, similarity), and a cited answer for each side."""

    topic: str
    doc_a: str
    doc_b: str
    rows: list[tuple[ScoredPassage | None, ScoredPassage | None, float]]
    answer_a: Answer
    answer_b: Answer

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "docs": [self.doc_a, self.doc_b],
            "rows": [
                {
                    "a": a.to_json() if a else None,
                    "b": b.to_json() if b else None,
                    "similarity": round(similarity, 4),
                }
                for a, b, similarity in self.rows
            ],
            "answers": {self.doc_a: self.answer_a.to_json(), self.doc_b: self.answer_b.to_json()},
        }


def align(
    left: list[ScoredPassage], right: list[ScoredPassage], embeddings: Embeddings
) -> list[tuple[ScoredPassage | None, ScoredPassage | None, float]]:
    """Greedy one-to-one alignment of two lists of hits by the cosine of their texts."""
    left = [p for p in left if not p.supporting]
    right = [p for p in right if not p.supporting]
    if not left or not right:
        return [(p, None, 0.0) for p in left] + [(None, p, 0.0) for p in right]
    vectors_left = np.asarray(embeddings.embed_documents([p.passage.embedded_text for p in left]))
    vectors_right = np.asarray(embeddings.embed_documents([p.passage.embedded_text for p in right]))
    similarity = vectors_left @ vectors_right.T
    rows: list[tuple[ScoredPassage | None, ScoredPassage | None, float]] = []
    used_left: set[int] = set()
    used_right: set[int] = set()
    for flat in np.argsort(-similarity, axis=None):
        i, j = divmod(int(flat), similarity.shape[1])
        if i in used_left or j in used_right or similarity[i, j] < ALIGNMENT_FLOOR:
            continue
        used_left.add(i)
        used_right.add(j)
        rows.append((left[i], right[j], float(similarity[i, j])))
    rows.sort(key=lambda row: -row[2])
    rows += [(p, None, 0.0) for i, p in enumerate(left) if i not in used_left]
    rows += [(None, p, 0.0) for j, p in enumerate(right) if j not in used_right]
    return rows
