"""How likely the retrieved passages are to answer a question: features and a trained model.

Unanswerable on-topic questions retrieve passages as similar as answerable ones do, so no single
score separates them (measured on the dev split). What does separate them is what the question
asks for and the passages lack: its rare words missing from the passages, a name or year no
document mentions, a figure or date the closest sentences do not give (or a date given for
something other than the asked actor), a question about the present day or about someone's
opinion. ``features`` measures these; ``AnswerabilityModel`` weighs them, with the question's
MiniLM and e5 vectors, as learned by ``python -m eval.train_refusal`` from synthetic questions
written from the corpus (``eval/datasets/refusal-train-*.jsonl``), never from the gold splits;
its refusal threshold is then calibrated on the dev split and held-out training predictions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from rag.answering import refusal
from rag.glossary import expansions
from rag.keyword_index import Vocabulary, tokenize

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "answerability.npz"
# The passages whose words count as "what the evidence says" (the hits shown first).
COVERAGE_PASSAGES = 3
# The best sentences whose words count as "what the answer would say".
COVERAGE_SENTENCES = 3

_QUESTION_STEMS = frozenset(tokenize("what which who whom whose when where why how does did do is are was were"))
STATUS_RE = re.compile(
    r"\b(?:today|now|currently|current|so far|to date|yet|still|latest|recent(?:ly)?|nowadays|these days|"
    r"next year|in the future|will (?:it|the|they|russia|china)|ever been)\b",
    re.IGNORECASE,
)
OPINION_RE = re.compile(
    r"\b(?:(?<!\bI )(?<!\bI actually )sa(?:y|id)|criticis\w*|criticiz\w*|think|thought|opinion|view|praised?|"
    r"welcomed?|good|bad|effective|worked|succeed\w*|fail(?:ed)?|controversial|react\w*|respond\w*)\b",
    re.IGNORECASE,
)
PERSON_RE = re.compile(r"\bwho\b|\bwhose\b|\bnames? of\b|\bwhich (?:person|diplomat|official|judge|country)\b", re.I)
PRACTICE_RE = re.compile(
    r"\b(?:implement\w*|national law|domestic law|parliament|legislat\w+|court (?:ruled|decided)|ruling|case law|"
    r"prosecuted|convicted|in practice)\b",
    re.IGNORECASE,
)
YEAR_RE = re.compile(r"\b(?:19|20)\d{2}\b")

FEATURES = (
    "evidence",
    "evidence_top3",
    "coverage",
    "sentence_coverage",
    "uncovered_max_idf",
    "unseen_terms",
    "unknown_names",
    "unseen_year",
    "figure_missing",
    "count_missing",
    "date_missing",
    "actor_undated",
    "asks_status",
    "asks_opinion",
    "asks_person",
    "asks_practice",
)


def _content_stems(question: str) -> list[str]:
    return [s for s in dict.fromkeys(tokenize(question)) if s not in _QUESTION_STEMS and not s.isdigit()]


def features(
    question: str,
    best_sentences: Sequence[str],
    scores: Sequence[float],
    evidence_texts: Sequence[str],
    vocabulary: Vocabulary,
    corpus_lower: str,
    missing_names: Sequence[str],
) -> dict[str, float]:
    """The answerability features of ``question`` given its best sentences (with their scores), the
    text of its top passages (with their plain terms), the whole corpus, and the names it uses that
    no document mentions (``refusal.unknown_names``, computed once by the caller: it scans the corpus)."""
    stems = _content_stems(question)
    said = set(tokenize(" ".join(evidence_texts[:COVERAGE_PASSAGES]) + " " + " ".join(expansions(question))))
    weights = {s: vocabulary.idf(s) for s in stems}
    uncovered = [s for s in stems if s not in said]
    total = sum(weights.values())
    best = list(best_sentences[: refusal.QUANTITY_SENTENCES])
    in_best = set(tokenize(" ".join(best_sentences[:COVERAGE_SENTENCES])))
    asks_figure = bool(refusal.QUANTITY_QUESTION_RE.search(question))
    asks_date = bool(refusal.PAST_DATE_QUESTION_RE.search(question))
    return {
        "evidence": scores[0] if scores else 0.0,
        "evidence_top3": sum(scores[:3]) / 3 if scores else 0.0,
        "coverage": 1.0 - (sum(weights[s] for s in uncovered) / total if total else 0.0),
        "sentence_coverage": sum(weights[s] for s in stems if s in in_best) / total if total else 1.0,
        "uncovered_max_idf": max((weights[s] for s in uncovered), default=0.0),
        "unseen_terms": float(min(3, sum(1 for s in stems if vocabulary.document_frequency.get(s, 0) == 0))),
        "unknown_names": float(min(2, len(missing_names))),
        "unseen_year": float(any(year not in corpus_lower for year in YEAR_RE.findall(question))),
        "figure_missing": float(asks_figure and not any(refusal.QUANTITY_RE.search(s) for s in best)),
        "count_missing": float(asks_figure and not refusal.counts_the_asked_noun(question, best)),
        "date_missing": float(asks_date and not any(refusal.DATE_RE.search(s) for s in best)),
        "actor_undated": float(asks_date and _actor_undated(question, best)),
        "asks_status": float(bool(STATUS_RE.search(question))),
        "asks_opinion": float(bool(OPINION_RE.search(question))),
        "asks_person": float(bool(PERSON_RE.search(question))),
        "asks_practice": float(bool(PRACTICE_RE.search(question))),
    }


# A capitalised name inside the question ("the United States", "the Conference of the States Parties").
_ACTOR_RE = re.compile(r"(?<!^)(?<![.?!] )\b[A-Z][\w’'-]+(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w’'-]+)*")


def _actor_undated(question: str, best: Sequence[str]) -> bool:
    """For "when did X ...": does no dated best sentence name X? The Budapest Convention's own date
    does not say when the United States signed it. Documents' own names and generic words are not actors.
    """
    actors = [
        name
        for name in _ACTOR_RE.findall(question)
        if not refusal.is_document_alias(name) and name.lower() not in refusal.GENERIC_NAMES
    ]
    dated = " ".join(s.lower() for s in best if refusal.DATE_RE.search(s))
    return any(actor.lower() not in dated for actor in actors)


@dataclass(frozen=True, eq=False)
class AnswerabilityModel:
    """A few one-hidden-layer networks (ReLU, logistic output, probabilities averaged) over the
    standardised ``FEATURES`` and a vector of the question: its MiniLM vector followed by its e5
    vector (``AnswerService.evidence``).

    The vector lets the model learn which kinds of question these documents do not answer (events,
    current status, opinions, national practice); the features say what the retrieved passages lack.
    Held out one training file at a time (``eval.train_refusal``), the networks refuse more than a
    logistic regression over the same inputs, and the two question models together more than either
    alone. ``threshold`` is calibrated on the dev split and the held-out training predictions.
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
        """Write the model as a NumPy archive (float32 weights, no pickled objects)."""
        arrays: dict[str, Any] = {f.name: np.asarray(getattr(self, f.name), dtype=np.float32) for f in fields(self)}
        np.savez_compressed(path, features=np.array(FEATURES), **arrays)

    @classmethod
    def load(cls, path: Path) -> AnswerabilityModel:
        with np.load(path, allow_pickle=False) as archive:
            if archive["features"].tolist() != list(FEATURES):
                raise ValueError(
                    "the answerability model was trained on other features: run python -m eval.train_refusal"
                )
            arrays = {f.name: archive[f.name].astype(np.float64) for f in fields(cls) if f.name != "threshold"}
            return cls(**arrays, threshold=float(archive["threshold"]))


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> AnswerabilityModel:
    return AnswerabilityModel.load(path)
