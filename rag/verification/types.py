"""What the verifier says about a sentence: a verdict, the supporting span and, when not supported, why."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    SUPPORTED = "supported"
    CONTRADICTED = "contradicted"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Verification:
    """The verdict on one (sentence, passage) pair.

    ``start``/``end`` locate the best-aligned window in the passage text (the supporting span when
    supported); ``score`` is the calibrated probability that the passage holds the sentence's content
    (its words, grounded), which a contradicted sentence may score high; ``reason`` says, for a person,
    why a sentence is not supported.
    """

    verdict: Verdict
    reason: str | None
    start: int
    end: int
    score: float
    # The kinds of the rules that count against a sentence whose words the passage holds yet does not
    # support ("modality", "negation", "condition", ...), in the order the reasons are given.
    conflicts: tuple[str, ...] = ()

    @property
    def supported(self) -> bool:
        return self.verdict is Verdict.SUPPORTED


@dataclass(frozen=True)
class Conflict:
    """A legal-frame difference between a sentence and its passage, found by one check."""

    kind: str  # "modality", "negation", "actor", "number", "condition", "instrument", "article"
    reason: str
    # The rule that found it, when a kind has several (a condition's family); calibration gives a
    # rule seen often enough its own weight beside its kind's (``rag/data/verification/decision.json``).
    rule: str = ""

    @property
    def name(self) -> str:
        return f"{self.kind}.{self.rule}" if self.rule else self.kind
