"""The answerability model: how likely the retrieved passages are to answer a question.

It weighs the answerability ``FEATURES`` with the question's MiniLM and e5 vectors, as learned by
``rag.answering.assess.training`` (``python -m eval.train_refusal --write`` runs it on the project's
files) from synthetic questions written from the corpus (``eval/datasets/refusal-train-*.jsonl``),
never from the gold splits; its refusal threshold is then calibrated on the dev split and held-out
training predictions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from rag.answering.assess.features import FEATURES
from rag.keyword_index import Vocabulary

MODEL_PATH = Path(__file__).resolve().parents[2] / "data" / "answerability.npz"


@dataclass(frozen=True, eq=False)
class AnswerabilityModel:
    """A few one-hidden-layer networks (ReLU, logistic output, probabilities averaged) over the
    standardised ``FEATURES`` and a vector of the question: its MiniLM vector followed by its e5
    vector (``rag.answering.assess.weigh``).

    The vector lets the model learn which kinds of question these documents do not answer (events,
    current status, opinions, national practice); the features say what the retrieved passages lack.
    Held out one training file at a time (``training``), the networks refuse more than a
    logistic regression over the same inputs, and the two question models together more than either
    alone. ``threshold`` is calibrated on the dev split and the held-out training predictions.
    ``vocabulary`` is the training store's: the features read word rarity from it on every store
    (``rag.answering.assess.features``); a model saved without one reads the store's.

    The question vector only knows the training store's documents: there, a question about a
    country's own law is one they do not answer, and the model learned so. For a question whose
    best passage comes from any other document (an upload: "Which Philippine agencies enforce the
    act?"), ``for_document`` hands the decision to ``unfamiliar``, a model fitted on the features
    alone, with its own threshold. ``documents`` are the training store's content hashes.
    """

    feature_means: np.ndarray  # (features,)
    feature_scales: np.ndarray
    vector_means: np.ndarray  # (vector dimensions,)
    vector_scales: np.ndarray
    hidden_weights: np.ndarray  # (members, inputs, hidden units)
    hidden_biases: np.ndarray  # (members, hidden units)
    output_weights: np.ndarray  # (members, hidden units)
    output_biases: np.ndarray  # (members,)
    threshold: float
    vocabulary: Vocabulary | None = None
    documents: frozenset[str] = frozenset()
    unfamiliar: AnswerabilityModel | None = None
    reads_plain_terms: bool = True

    @property
    def reads_question_vector(self) -> bool:
        return self.vector_means.shape[0] > 0

    def for_document(self, doc_hash: str) -> AnswerabilityModel:
        """The model deciding for a question whose best passage is from the document with content
        hash ``doc_hash``: this one for a document it was trained on, its features-only model for
        any other (this one when it has none)."""
        if self.unfamiliar is None or doc_hash in self.documents:
            return self
        return self.unfamiliar

    def probabilities(self, values: Sequence[dict[str, float]], question_vectors: np.ndarray) -> np.ndarray:
        """The probability that the passages answer each question, for a batch of questions."""
        vectors = np.asarray(question_vectors, dtype=np.float64)
        if not self.reads_question_vector:
            vectors = np.zeros((len(values), 0))
        if vectors.ndim != 2 or vectors.shape[1] != self.vector_means.shape[0]:
            raise ValueError(
                f"the answerability model expects {self.vector_means.shape[0]}-d question vectors, got "
                f"{vectors.shape[-1]}: retrain it for these question models (python -m eval.train_refusal --write)"
            )
        table = np.array([[row[name] for name in FEATURES] for row in values], dtype=np.float64)
        inputs = np.hstack(
            [(table - self.feature_means) / self.feature_scales, (vectors - self.vector_means) / self.vector_scales]
        )
        hidden = np.maximum(0.0, np.einsum("qi,mih->qmh", inputs, self.hidden_weights) + self.hidden_biases)
        logits = np.einsum("qmh,mh->qm", hidden, self.output_weights) + self.output_biases
        return np.asarray((0.5 * (1.0 + np.tanh(logits / 2.0))).mean(axis=1))  # the logistic, without overflow

    def probability(self, values: dict[str, float], question_vector: Sequence[float]) -> float:
        """The probability that the passages answer the question."""
        return float(self.probabilities([values], np.asarray([question_vector]))[0])

    def with_threshold(self, threshold: float) -> AnswerabilityModel:
        return replace(self, threshold=threshold)

    def save(self, path: Path) -> None:
        """Write the model as a NumPy archive (float32 weights, the vocabulary as stems and counts,
        the features-only model's weights prefixed ``unfamiliar_``, no pickled objects)."""
        arrays = self._weights()
        if self.unfamiliar is not None:
            arrays |= {f"{_UNFAMILIAR}{name}": value for name, value in self.unfamiliar._weights().items()}
            arrays["documents"] = np.array(sorted(self.documents), dtype=str)
        if self.vocabulary is not None:
            stems = sorted(self.vocabulary.document_frequency)
            arrays["vocabulary_stems"] = np.array(stems, dtype=str)
            arrays["vocabulary_frequencies"] = np.array(
                [self.vocabulary.document_frequency[s] for s in stems], dtype=np.int32
            )
            arrays["vocabulary_passages"] = np.int32(self.vocabulary.passages)
        np.savez_compressed(path, features=np.array(FEATURES), **arrays)

    def _weights(self) -> dict[str, Any]:
        weights = {name: np.asarray(getattr(self, name), dtype=np.float32) for name in (*_ARRAYS, "threshold")}
        return weights | {"reads_plain_terms": np.bool_(self.reads_plain_terms)}

    @classmethod
    def load(cls, path: Path) -> AnswerabilityModel:
        with np.load(path, allow_pickle=False) as archive:
            if archive["features"].tolist() != list(FEATURES):
                raise ValueError(
                    "the answerability model was trained on other features: run python -m eval.train_refusal"
                )
            arrays = {name: archive[name].astype(np.float64) for name in _ARRAYS}
            unfamiliar = None
            if f"{_UNFAMILIAR}threshold" in archive:
                weights = {name: archive[f"{_UNFAMILIAR}{name}"].astype(np.float64) for name in _ARRAYS}
                unfamiliar = cls(
                    **weights,
                    threshold=float(archive[f"{_UNFAMILIAR}threshold"]),
                    reads_plain_terms=_flag(archive, f"{_UNFAMILIAR}reads_plain_terms"),
                )
            vocabulary = None
            if "vocabulary_stems" in archive:
                stems, counts = archive["vocabulary_stems"].tolist(), archive["vocabulary_frequencies"].tolist()
                frequencies = zip(stems, counts, strict=True)
                vocabulary = Vocabulary(Counter(dict(frequencies)), int(archive["vocabulary_passages"]))
            documents = frozenset(archive["documents"].tolist()) if "documents" in archive else frozenset()
            return cls(
                **arrays,
                threshold=float(archive["threshold"]),
                vocabulary=vocabulary,
                documents=documents,
                unfamiliar=unfamiliar,
                reads_plain_terms=_flag(archive, "reads_plain_terms"),
            )


def _flag(archive: Any, name: str) -> bool:
    """A saved yes/no, true when the archive predates it (every model then read the plain terms)."""
    return bool(archive[name]) if name in archive else True


# The fields saved as weight arrays, and the prefix of the features-only model's.
_ARRAYS = tuple(
    f.name
    for f in fields(AnswerabilityModel)
    if f.name not in ("threshold", "vocabulary", "documents", "unfamiliar", "reads_plain_terms")
)
_UNFAMILIAR = "unfamiliar_"


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> AnswerabilityModel:
    return AnswerabilityModel.load(path)
