"""The calibrated decision: from what the checks found to a verdict, a reason and a score.

A small logistic model over four features (window similarity, window and passage grounding,
ungrounded words) gives the probability that the passage states the sentence; a conflict found by
an enabled rule makes a grounded sentence contradicted. Parameters are data
(``rag/data/verification/decision.json``), fitted on the dev labels by
``python -m rag.verification.fit``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rag.verification.types import Conflict, Verdict

DECISION_PATH = Path(__file__).resolve().parent.parent / "data" / "verification" / "decision.json"
FEATURES = ("similarity", "window_share", "passage_share", "missing_words")
MAX_MISSING_COUNTED = 3
MISSING_SHOWN = 3
# Conflicts are reported in this order when several are found.
KIND_ORDER = ("instrument", "number", "negation", "modality", "actor", "condition", "extra")
# Kinds that leave the sentence's claim unstated rather than contradicted: an unstated condition, added content.
NOT_FOUND_KINDS = frozenset({"condition", "extra"})


@dataclass(frozen=True)
class Evidence:
    """What the checks found for one (sentence, passage) pair."""

    similarity: float  # cosine of the sentence and its best window
    window_share: float  # share of the sentence's content words the window grounds
    passage_share: float  # ... the whole passage grounds
    missing: tuple[str, ...]  # content words the passage does not ground
    conflicts: tuple[Conflict, ...] = ()

    def features(self) -> list[float]:
        return [
            self.similarity,
            self.window_share,
            self.passage_share,
            float(min(len(self.missing), MAX_MISSING_COUNTED)),
        ]


@dataclass(frozen=True)
class Decision:
    """Logistic weights over ``FEATURES``, the acceptance threshold and the rules switched off."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    disabled_rules: frozenset[str] = field(default_factory=frozenset)

    def probability(self, evidence: Evidence) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, evidence.features(), strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def active(self, conflicts: tuple[Conflict, ...]) -> list[Conflict]:
        kept = [c for c in conflicts if c.name not in self.disabled_rules and c.kind not in self.disabled_rules]
        return sorted(kept, key=lambda c: KIND_ORDER.index(c.kind) if c.kind in KIND_ORDER else len(KIND_ORDER))

    def decide(self, evidence: Evidence) -> tuple[Verdict, str | None, float]:
        """The verdict, its reason when not supported, and the probability of support."""
        probability = self.probability(evidence)
        active = self.active(evidence.conflicts)
        if probability < self.threshold:
            return Verdict.NOT_FOUND, not_found_reason(evidence), probability
        if active:
            verdict = Verdict.NOT_FOUND if active[0].kind in NOT_FOUND_KINDS else Verdict.CONTRADICTED
            return verdict, active[0].reason, probability
        return Verdict.SUPPORTED, None, probability

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "threshold": round(self.threshold, 6),
            "disabled_rules": sorted(self.disabled_rules),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Decision:
        if data.get("features") != list(FEATURES):
            raise ValueError(f"decision parameters are for features {data.get('features')}, not {list(FEATURES)}")
        weights = tuple(float(w) for w in data["weights"])  # type: ignore[attr-defined]
        disabled = frozenset(str(r) for r in data.get("disabled_rules", []))  # type: ignore[attr-defined]
        return cls(weights, float(data["bias"]), float(data["threshold"]), disabled)  # type: ignore[arg-type]


def not_found_reason(evidence: Evidence) -> str:
    if evidence.missing:
        shown = ", ".join(f'"{w}"' for w in dict.fromkeys(evidence.missing[:MISSING_SHOWN]))
        return f"not in the passage: {shown}"
    return "the passage does not say this"


@cache
def load_decision(path: Path = DECISION_PATH) -> Decision:
    return Decision.from_json(json.loads(path.read_text(encoding="utf-8")))
