"""Fit the verifier's decision on labelled pairs: ``python -m rag.verification.fit --labels FILE [--write]``.

Fitted on the dev labels only (``eval/labels/claims-dev.jsonl``). Three steps:

1. the logistic model learns whether the sentence's content is in the passage: its target is
   "supported, or wrong only in a legal frame (modality, actor, negation, number, condition,
   instrument)", since the frame checks, not the grounding, must catch those;
2. its threshold is the one with the best accuracy of the whole decision on the labels;
3. conflict rules are switched off greedily while that raises the accuracy (a rule that fires on
   more faithful sentences than errors it alone catches goes), and the threshold is chosen again.

The report adds a cross-validated figure: the same three steps fitted on all but one fold of
(document, article) groups and applied to the held-out fold, so that over-fitting the dev labels
shows as a gap between the fitted and the cross-validated accuracy.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from rag.verification.decision import DECISION_PATH, Decision, Evidence, load_decision
from rag.verification.labels import LabelledClaim, load_labels
from rag.verification.verifier import Verifier

FRAME_KINDS = frozenset({"modality", "actor", "negation", "number", "condition", "instrument"})
L2 = 0.01
STEPS = 3000
LEARNING_RATE = 0.5


def collect(verifier: Verifier, claims: Sequence[LabelledClaim]) -> list[Evidence | None]:
    """The evidence of every pair (None for a verbatim quote or nothing to check)."""
    verifier.prepare([c.sentence for c in claims])
    return [verifier.evidence(c.sentence, c.passage_text, doc_id=c.doc, article=c.article)[0] for c in claims]


def accuracy(decision: Decision, claims: Sequence[LabelledClaim], evidence: Sequence[Evidence | None]) -> float:
    return float(np.mean([accepted(decision, e) == c.supported for c, e in zip(claims, evidence, strict=True)]))


def disabled_rules(
    decision: Decision, claims: Sequence[LabelledClaim], evidence: Sequence[Evidence | None]
) -> frozenset[str]:
    """Rules switched off one at a time, each time the one whose removal raises accuracy most."""
    names = {c.name for found in evidence if found for c in found.conflicts}
    off: set[str] = set()
    current = accuracy(decision, claims, evidence)
    while True:
        trials = {
            name: accuracy(replace(decision, disabled_rules=frozenset(off | {name})), claims, evidence)
            for name in sorted(names - off)
        }
        best = max(trials, key=lambda name: trials[name], default=None)
        if best is None or trials[best] <= current:
            return frozenset(off)
        off.add(best)
        current = trials[best]


def fit_logistic(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Gradient descent on the L2-regularised log loss over standardised features, returned unstandardised."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / scale
    weights = np.zeros(x.shape[1])
    bias = 0.0
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-(z @ weights + bias)))
        weights -= LEARNING_RATE * (z.T @ (p - y) / len(y) + L2 * weights)
        bias -= LEARNING_RATE * float(np.mean(p - y))
    return weights / scale, bias - float(np.sum(weights * mean / scale))


def accepted(decision: Decision, found: Evidence | None) -> bool:
    return True if found is None else decision.decide(found)[0].value == "supported"


def best_threshold(
    decision: Decision, claims: Sequence[LabelledClaim], evidence: Sequence[Evidence | None]
) -> Decision:
    candidates = [replace(decision, threshold=float(t)) for t in np.linspace(0.05, 0.95, 91)]
    return max(candidates, key=lambda d: accuracy(d, claims, evidence))


def fit(claims: Sequence[LabelledClaim], evidence: Sequence[Evidence | None]) -> Decision:
    rows = [(c, e) for c, e in zip(claims, evidence, strict=True) if e is not None]
    x = np.array([e.features() for _, e in rows])
    y = np.array([1.0 if c.supported or c.kind in FRAME_KINDS else 0.0 for c, _ in rows])
    weights, bias = fit_logistic(x, y)
    decision = best_threshold(Decision(tuple(float(w) for w in weights), bias, 0.5), claims, evidence)
    decision = replace(decision, disabled_rules=disabled_rules(decision, claims, evidence))
    return best_threshold(decision, claims, evidence)


FOLDS = 5


def fold_of(claims: Sequence[LabelledClaim], folds: int = FOLDS) -> list[int]:
    """Each pair's fold: (document, article) groups dealt in turn, in sorted order, so no group spans two folds."""
    groups = sorted({(c.doc or "", c.article or "") for c in claims})
    fold = {group: index % folds for index, group in enumerate(groups)}
    return [fold[(c.doc or "", c.article or "")] for c in claims]


def cross_validated(
    claims: Sequence[LabelledClaim], evidence: Sequence[Evidence | None], folds: int = FOLDS
) -> list[bool]:
    """Whether each pair is accepted by a decision fitted without its fold."""
    assigned = fold_of(claims, folds)
    verdicts = [False] * len(claims)
    for held_out in range(folds):
        train = [i for i, f in enumerate(assigned) if f != held_out]
        decision = fit([claims[i] for i in train], [evidence[i] for i in train])
        for i, f in enumerate(assigned):
            if f == held_out:
                verdicts[i] = accepted(decision, evidence[i])
    return verdicts


def report(decision: Decision, claims: Sequence[LabelledClaim], evidence: Sequence[Evidence | None]) -> list[str]:
    return report_verdicts([accepted(decision, e) for e in evidence], claims)


def report_verdicts(verdicts: Sequence[bool], claims: Sequence[LabelledClaim]) -> list[str]:
    accuracy = np.mean([v == c.supported for v, c in zip(verdicts, claims, strict=True)])
    lines = [f"{len(claims)} pairs, accuracy {accuracy:.3f}", "kind            n  accepted"]
    for kind in sorted({c.kind for c in claims}):
        chosen = [v for v, c in zip(verdicts, claims, strict=True) if c.kind == kind]
        lines.append(f"{kind:<14} {len(chosen):>3}  {np.mean(chosen):.3f}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rag.verification.fit", description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, nargs="+", required=True, help="dev label files (JSON Lines)")
    parser.add_argument("--write", action="store_true", help=f"write the fitted parameters to {DECISION_PATH}")
    args = parser.parse_args(argv)
    from rag.embeddings import get_sentence_embeddings
    from rag.settings import Settings

    claims = [c for path in args.labels for c in load_labels(path)]
    verifier = Verifier(get_sentence_embeddings(Settings()))
    evidence = collect(verifier, claims)
    print("current parameters:", *report(load_decision(), claims, evidence), sep="\n")
    decision = fit(claims, evidence)
    print("fitted:", decision.to_json(), *report(decision, claims, evidence), sep="\n")
    print(
        f"cross-validated ({FOLDS} folds of (document, article) groups):",
        *report_verdicts(cross_validated(claims, evidence), claims),
        sep="\n",
    )
    if args.write:
        import json

        DECISION_PATH.write_text(json.dumps(decision.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {DECISION_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
