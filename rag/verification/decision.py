"""The calibrated decision: from what the checks found to a verdict, a reason and a score.

Two small logistic models, whose parameters are data (``rag/data/verification/decision.json``,
fitted on the labelled claims by ``python -m rag.verification.fit``; no learning library is
needed at run time):

1. grounding: over five alignment features (window similarity; the grounding of the best window,
   of the two windows most similar to the sentence and of the whole passage; ungrounded words),
   the probability that the passage holds the sentence's content. Below its threshold the
   sentence is not found. Wrong legal frames (a "may" for a "must", the wrong
   actor) are grounded too: the rules, not this model, must catch them.
2. conflicts: when rules fired on a grounded sentence, the probability that it is still right,
   from the grounding model's log-odds and one weight per rule signal: each conflict kind that
   fired ("negation"), and each single rule seen often enough in the labels to earn its own
   weight beside its kind's ("condition.domestic_law"). A rule that also fires on faithful
   paraphrases weighs less than one that never does, and a well-grounded sentence can outweigh
   a weak rule, not a reliable one.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rag.verification.types import Conflict, Verdict

DECISION_PATH = Path(__file__).resolve().parent.parent / "data" / "verification" / "decision.json"
FEATURES = ("similarity", "window_share", "aligned_share", "passage_share", "missing_words")
MAX_MISSING_COUNTED = 3
MISSING_SHOWN = 3
# Conflicts are reported in this order when several count against a sentence.
KIND_ORDER = ("instrument", "number", "negation", "modality", "actor", "condition", "extra")
# Kinds that leave the sentence's claim unstated rather than contradicted: an unstated condition, added content.
NOT_FOUND_KINDS = frozenset({"condition", "extra"})


@dataclass(frozen=True)
class Evidence:
    """What the checks found for one (sentence, passage) pair."""

    similarity: float  # cosine of the sentence and its best window
    window_share: float  # share of the sentence's content words the window grounds
    # ... the windows most similar to the sentence ground: words grounded only far from them (a
    # preamble's scattered terms) count less than words grounded where the sentence aligns
    aligned_share: float
    passage_share: float  # ... the whole passage grounds
    missing: tuple[str, ...]  # content words the passage does not ground
    conflicts: tuple[Conflict, ...] = ()

    def features(self) -> list[float]:
        return [
            self.similarity,
            self.window_share,
            self.aligned_share,
            self.passage_share,
            float(min(len(self.missing), MAX_MISSING_COUNTED)),
        ]

    def signals(self) -> frozenset[str]:
        """The rule signals that fired: each conflict's kind and its rule's name."""
        return frozenset({c.kind for c in self.conflicts} | {c.name for c in self.conflicts})


@dataclass(frozen=True)
class Decision:
    """The grounding model (weights over ``FEATURES``, bias, threshold) and the conflict model."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    signal_weights: tuple[tuple[str, float], ...] = ()  # (signal, weight); a signal not listed weighs 0
    grounding_weight: float = 1.0  # of the grounding model's log-odds, in the conflict model
    conflict_bias: float = 0.0

    def grounding_logit(self, evidence: Evidence) -> float:
        return self.bias + sum(w * x for w, x in zip(self.weights, evidence.features(), strict=True))

    def signal_weight(self, signal: str) -> float:
        return dict(self.signal_weights).get(signal, 0.0)

    def conflict_logit(self, evidence: Evidence) -> float:
        """The conflict model's log-odds that a sentence on which rules fired is still right."""
        signals = sum(self.signal_weight(s) for s in evidence.signals())
        return self.conflict_bias + self.grounding_weight * self.grounding_logit(evidence) + signals

    def probability(self, evidence: Evidence) -> float:
        """The probability that the passage supports the sentence."""
        z = self.conflict_logit(evidence) if evidence.conflicts else self.grounding_logit(evidence)
        return 1.0 / (1.0 + math.exp(-z))

    def weight_of(self, conflict: Conflict) -> float:
        """How much the conflict counts against the sentence: its kind's weight and its rule's."""
        rule = self.signal_weight(conflict.name) if conflict.name != conflict.kind else 0.0
        return self.signal_weight(conflict.kind) + rule

    def active(self, conflicts: tuple[Conflict, ...]) -> list[Conflict]:
        """The conflicts that count against the sentence, in ``KIND_ORDER``; within a kind, the rule of the kind
        itself first (the legal frame: "the passage obliges ..."), then the heaviest."""
        kept = [c for c in conflicts if self.weight_of(c) < 0]
        order = {kind: index for index, kind in enumerate(KIND_ORDER)}
        return sorted(kept, key=lambda c: (order.get(c.kind, len(order)), bool(c.rule), self.weight_of(c)))

    def against(self, conflicts: tuple[Conflict, ...]) -> list[Conflict]:
        """The conflicts that reject a sentence the rules reject: those counting against it on their own
        (``active``), else, when only together they reject it, all that fired, the heaviest against it first."""
        return self.active(conflicts) or sorted(conflicts, key=self.weight_of)

    def decide(self, evidence: Evidence) -> tuple[Verdict, str | None, float]:
        """The verdict, its reason when not supported, and the grounding model's probability (the score).

        The score says how well the passage holds the sentence's words, whatever the rules found: a
        sentence that changes a passage's "shall" into "may" is contradicted and scores high, so a caller can
        tell the passage that speaks of the sentence's subject from one that merely lacks its words.
        """
        grounded = 1.0 / (1.0 + math.exp(-self.grounding_logit(evidence)))
        if grounded < self.threshold:
            return Verdict.NOT_FOUND, not_found_reason(evidence), grounded
        if self.probability(evidence) >= 0.5:
            return Verdict.SUPPORTED, None, grounded
        against = self.against(evidence.conflicts)
        if not against:
            return Verdict.NOT_FOUND, not_found_reason(evidence), grounded
        verdict = Verdict.NOT_FOUND if against[0].kind in NOT_FOUND_KINDS else Verdict.CONTRADICTED
        return verdict, against[0].reason, grounded

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "threshold": round(self.threshold, 6),
            "grounding_weight": round(self.grounding_weight, 6),
            "conflict_bias": round(self.conflict_bias, 6),
            "signals": {name: round(w, 6) for name, w in self.signal_weights},
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Decision:
        if data.get("features") != list(FEATURES):
            raise ValueError(f"decision parameters are for features {data.get('features')}, not {list(FEATURES)}")
        signals = data.get("signals")
        if not isinstance(signals, dict):
            raise ValueError("decision parameters: 'signals' must map each rule signal to its weight")
        return cls(
            weights=tuple(float(w) for w in data["weights"]),  # type: ignore[attr-defined]
            bias=float(data["bias"]),  # type: ignore[arg-type]
            threshold=float(data["threshold"]),  # type: ignore[arg-type]
            signal_weights=tuple((str(name), float(w)) for name, w in signals.items()),
            grounding_weight=float(data["grounding_weight"]),  # type: ignore[arg-type]
            conflict_bias=float(data["conflict_bias"]),  # type: ignore[arg-type]
        )


def not_found_reason(evidence: Evidence) -> str:
    if evidence.missing:
        shown = ", ".join(f'"{w}"' for w in dict.fromkeys(evidence.missing[:MISSING_SHOWN]))
        return f"not in the passage: {shown}"
    return "the passage does not say this"


@cache
def load_decision(path: Path = DECISION_PATH) -> Decision:
    return Decision.from_json(json.loads(path.read_text(encoding="utf-8")))
