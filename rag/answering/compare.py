"""Compare two documents on a topic: aligned provisions side by side, each side cited, and in a
generative mode a written comparison whose every sentence is verified and cited like an answer's."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from rag.answering.cite import CitationBook, attribute
from rag.answering.draft.context import whole_passages
from rag.answering.draft.drafting import finish, schema_for, stream_draft
from rag.answering.draft.generative import build_chat_model
from rag.answering.types import Answer, AnswerSentence
from rag.prompts import COMPARE_TOPIC, SCHEMA_SUMMARY_PROMPT, SUMMARY_PROMPT
from rag.settings import Settings
from rag.types import ScoredPassage
from rag.verification import Verifier

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
    # The model's comparison across both documents (generative modes; None when none was verified).
    written: Answer | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "written": self.written.to_json() if self.written else None,
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


def write_comparison(
    answer_a: Answer,
    answer_b: Answer,
    names: tuple[str, str],
    topic: str,
    verifier: Verifier,
    mode: str,
    settings: Settings,
) -> Answer | None:
    """The model states what each document provides on ``topic``; its sentences are verified.

    The two sides' hits are shown alternately (A1, B1, A2, ...) so a budget cut keeps both. The
    model writes plain claims; the system, which knows the document of each citation, opens each
    verified sentence with that document's name and puts the first document's sentences first,
    so the difference reads side by side. None when no sentence is verified.
    """
    sides = ([p for p in a.passages if not p.supporting] for a in (answer_a, answer_b))
    paired = [p for pair in itertools.zip_longest(*sides) for p in pair if p is not None]
    if not paired:
        return None
    budget = settings.openai_context_tokens if mode == "openai" else settings.local_context_tokens
    context = whole_passages(paired, budget)
    schema = schema_for(mode, settings, context.size, direct=False)
    prompt = SCHEMA_SUMMARY_PROMPT if schema is not None else SUMMARY_PROMPT
    title = COMPARE_TOPIC.format(doc_a=names[0], doc_b=names[1], topic=topic)
    messages = prompt.format_messages(passages=context.numbered, topic=title)
    written = finish(stream_draft(build_chat_model(settings, mode), messages, context, paired, schema))
    sentences, citations = attribute(written.sentences, paired, verifier, CitationBook())
    doc_a = answer_a.passages[0].passage.doc_id if answer_a.passages else None
    named: list[tuple[int, AnswerSentence]] = []
    for sentence in sentences:
        if not sentence.supported:
            continue
        doc = citations[sentence.citations[0] - 1].doc
        name = names[0] if doc == doc_a else names[1]
        named.append((0 if doc == doc_a else 1, replace(sentence, text=f"{name}: {sentence.text}")))
    if not named:
        return None
    named.sort(key=lambda item: item[0])  # stable: each side keeps the model's order
    return Answer(f"Comparison: {title}", mode, [s for _, s in named], citations, paired, False)
