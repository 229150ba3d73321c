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

    def probabilities(self, values: Sequence[dict[str, float]], question_vectors: np.ndarray) -> np.ndarray:
        """The probability that the passages answer each question, for a batch of questions."""
        vectors = np.asarray(question_vectors, dtype=np.float64)
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
        no pickled objects)."""
        arrays: dict[str, Any] = {
            name: np.asarray(getattr(self, name), dtype=np.float32) for name in (*_ARRAYS, "threshold")
        }
        if self.vocabulary is not None:
            stems = sorted(self.vocabulary.document_frequency)
            arrays["vocabulary_stems"] = np.array(stems, dtype=str)
            arrays["vocabulary_frequencies"] = np.array(
                [self.vocabulary.document_frequency[s] for s in stems], dtype=np.int32
            )
            arrays["vocabulary_passages"] = np.int32(self.vocabulary.passages)
        np.savez_compressed(path, features=np.array(FEATURES), **arrays)

    @classmethod
    def load(cls, path: Path) -> AnswerabilityModel:
        with np.load(path, allow_pickle=False) as archive:
            if archive["features"].tolist() != list(FEATURES):
                raise ValueError(
                    "the answerability model was trained on other features: run python -m eval.train_refusal"
                )
            arrays = {name: archive[name].astype(np.float64) for name in _ARRAYS}
            vocabulary = None
            if "vocabulary_stems" in archive:
                stems, counts = archive["vocabulary_stems"].tolist(), archive["vocabulary_frequencies"].tolist()
                frequencies = zip(stems, counts, strict=True)
                vocabulary = Vocabulary(Counter(dict(frequencies)), int(archive["vocabulary_passages"]))
            return cls(**arrays, threshold=float(archive["threshold"]), vocabulary=vocabulary)


# The fields saved as weight arrays.
_ARRAYS = tuple(f.name for f in fields(AnswerabilityModel) if f.name not in ("threshold", "vocabulary"))


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> AnswerabilityModel:
    return AnswerabilityModel.load(path)
