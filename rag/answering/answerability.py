"""How likely the retrieved passages are to answer a question: features and a trained logistic model.

Unanswerable on-topic questions retrieve passages as similar as answerable ones do, so no single
score separates them (measured on the dev split). What does separate them is what the question
asks for and the passages lack: its rare words missing from the passages, a name or year no
document mentions, a figure or date the closest sentences do not give (or a date given for
something other than the asked actor), a question about the present day or about someone's
opinion. ``features`` measures these; ``AnswerabilityModel`` weighs them, with the question's
vector, by coefficients learned by ``python -m eval.train_refusal`` from synthetic questions
written from the corpus (``eval/datasets/refusal-train-*.jsonl``), never from the gold splits,
and the refusal threshold is then calibrated on the dev split.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from rag.answering import refusal
from rag.glossary import expansions
from rag.keyword_index import Vocabulary, tokenize

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "answerability.json"
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
    r"\b(?:sa(?:y|id)|criticis\w*|criticiz\w*|think|thought|opinion|view|praised?|welcomed?|good|bad|"
    r"effective|worked|succeed\w*|fail(?:ed)?|controversial|react\w*|respond\w*)\b",
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


@dataclass(frozen=True)
class AnswerabilityModel:
    """Logistic regression over the standardised ``FEATURES`` and the question's sentence-model vector.

    The vector lets the model learn which kinds of question these documents do not answer (events,
    current status, opinions, national practice); the features say what the retrieved passages lack.
    ``threshold`` is calibrated on the dev split.
    """

    means: dict[str, float]
    scales: dict[str, float]
    weights: dict[str, float]
    vector_means: tuple[float, ...]
    vector_scales: tuple[float, ...]
    vector_weights: tuple[float, ...]
    intercept: float
    threshold: float

    def probability(self, values: dict[str, float], question_vector: Sequence[float]) -> float:
        """The probability that the passages answer the question."""
        if len(question_vector) != len(self.vector_weights):
            raise ValueError(
                f"the answerability model expects {len(self.vector_weights)}-d question vectors, got "
                f"{len(question_vector)}: retrain it for this sentence model (python -m eval.train_refusal --write)"
            )
        z = self.intercept + sum(
            self.weights[name] * (values[name] - self.means[name]) / self.scales[name] for name in FEATURES
        )
        z += sum(
            w * (x - m) / s
            for w, x, m, s in zip(
                self.vector_weights, question_vector, self.vector_means, self.vector_scales, strict=True
            )
        )
        return 1.0 / (1.0 + math.exp(-z))

    def with_threshold(self, threshold: float) -> AnswerabilityModel:
        return replace(self, threshold=threshold)

    def to_json(self) -> dict[str, object]:
        return {"features": list(FEATURES)} | {
            name: list(value) if isinstance(value, tuple) else value for name, value in asdict(self).items()
        }

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> AnswerabilityModel:
        if payload.get("features") != list(FEATURES):
            raise ValueError("the answerability model was trained on other features: run python -m eval.train_refusal")
        return cls(
            means=dict(payload["means"]),
            scales=dict(payload["scales"]),
            weights=dict(payload["weights"]),
            vector_means=tuple(payload["vector_means"]),
            vector_scales=tuple(payload["vector_scales"]),
            vector_weights=tuple(payload["vector_weights"]),
            intercept=float(payload["intercept"]),
            threshold=float(payload["threshold"]),
        )


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> AnswerabilityModel:
    return AnswerabilityModel.from_json(json.loads(path.read_text(encoding="utf-8")))
