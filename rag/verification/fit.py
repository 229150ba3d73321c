"""Fit the verifier's decision on labelled pairs: ``python -m rag.verification.fit --labels FILE... [--write]``.

The decision (``rag.verification.decision``) is two logistic models, fitted in turn by gradient
descent on the L2-regularised log loss:

1. grounding, over the alignment features: its target is "supported, or wrong only in a legal
   frame (modality, actor, negation, number, condition, instrument)", since the rules, not the
   grounding, must catch those;
2. conflicts, on the pairs that pass the grounding threshold and on which some rule fired: its
   target is "supported", its inputs the grounding log-odds and one 0/1 signal per conflict kind
   and per rule seen on at least ``MIN_RULE_PAIRS`` of those pairs (signals are not standardised,
   so a rare rule keeps a small weight unless the labels say otherwise).

The grounding threshold is the one with the best accuracy of the whole decision.

The report gives three figures, so over-fitting shows as a gap between them:

- fitted: on the labels it was fitted on;
- cross-validated: each of 5 folds of (document, article) groups judged by a decision fitted on the others;
- cross-writer, when several files are given (each written by another person): each file judged by a
  decision fitted on the other files only. This is the figure that says whether the verifier reads a
  new writer's sentences, not only the phrasing it was tuned on.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from rag.verification.decision import DECISION_PATH, FEATURES, Decision, Evidence, load_decision
from rag.verification.labels import LabelledClaim, load_labels
from rag.verification.types import Verdict
from rag.verification.verifier import Verifier

L2 = 0.02  # of the grounding model
# Of the conflict model: weak, so that each signal's weight follows the pairs it fires on.
CONFLICT_L2 = 0.02
STEPS = 2000
LEARNING_RATE = 0.5
# A single rule gets its own weight, beside its kind's, when it fires on at least this many pairs.
MIN_RULE_PAIRS = 8
FOLDS = 5


# A pair the decision has nothing to weigh: a verbatim quote (supported) or no content to check (not found),
# with the verdict ``Verifier.verify`` gives it.
Found = Evidence | Verdict


def collect(verifier: Verifier, claims: Sequence[LabelledClaim]) -> list[Found]:
    """The evidence of every pair, or the verdict the verifier gives without weighing any."""
    verifier.prepare([c.sentence for c in claims])
    found: list[Found] = []
    for c in claims:
        evidence, span = verifier.evidence(c.sentence, c.passage_text, doc_id=c.doc, article=c.article)
        fixed = Verdict.NOT_FOUND if span is None else Verdict.SUPPORTED
        found.append(fixed if evidence is None else evidence)
    return found


def accepted(decision: Decision, found: Found) -> bool:
    """Whether the verifier supports the pair: a fixed verdict as ``verify`` gives it, or the decision's."""
    if isinstance(found, Verdict):
        return found is Verdict.SUPPORTED
    return decision.decide(found)[0] is Verdict.SUPPORTED


def accuracy(decision: Decision, claims: Sequence[LabelledClaim], evidence: Sequence[Found]) -> float:
    return float(np.mean([accepted(decision, e) == c.supported for c, e in zip(claims, evidence, strict=True)]))


def signal_names(evidence: Sequence[Found]) -> list[str]:
    """Every conflict kind that fired, and every rule that fired on at least ``MIN_RULE_PAIRS`` pairs."""
    kinds: set[str] = set()
    rules: Counter[str] = Counter()
    for found in evidence:
        if not isinstance(found, Evidence):
            continue
        kinds.update(c.kind for c in found.conflicts)
        rules.update({c.name for c in found.conflicts if c.name != c.kind})
    return sorted(kinds) + sorted(name for name, n in rules.items() if n >= MIN_RULE_PAIRS)


def fit_logistic(
    x: np.ndarray, binary: np.ndarray, y: np.ndarray, l2: float = L2
) -> tuple[np.ndarray, np.ndarray, float]:
    """Gradient descent on the L2-regularised log loss; ``x`` is standardised, ``binary`` is not.

    Returns the weights of ``x`` (unstandardised), of ``binary``, and the bias.
    """
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.hstack([(x - mean) / scale, binary])
    weights = np.zeros(z.shape[1])
    bias = 0.0
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-(z @ weights + bias)))
        weights -= LEARNING_RATE * (z.T @ (p - y) / len(y) + l2 * weights)
        bias -= LEARNING_RATE * float(np.mean(p - y))
    continuous, signals = weights[: x.shape[1]], weights[x.shape[1] :]
    return continuous / scale, signals, bias - float(np.sum(continuous * mean / scale))


FRAME_KINDS = frozenset({"modality", "actor", "negation", "number", "condition", "instrument"})
THRESHOLDS = np.linspace(0.05, 0.95, 19)


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def fit_grounding(claims: Sequence[LabelledClaim], evidence: Sequence[Found]) -> Decision:
    """The grounding model alone, at threshold 0.5."""
    rows = [(c, e) for c, e in zip(claims, evidence, strict=True) if isinstance(e, Evidence)]
    x = np.array([e.features() for _, e in rows])
    y = np.array([1.0 if c.supported or c.kind in FRAME_KINDS else 0.0 for c, _ in rows])
    weights, _, bias = fit_logistic(x, np.zeros((len(rows), 0)), y)
    return Decision(tuple(float(w) for w in weights), bias, 0.5)


def fit_conflicts(grounding: Decision, claims: Sequence[LabelledClaim], evidence: Sequence[Found]) -> Decision:
    """``grounding`` with a conflict model fitted on the pairs that pass its threshold and on which rules fired."""
    rows = [
        (c, e)
        for c, e in zip(claims, evidence, strict=True)
        if isinstance(e, Evidence) and e.conflicts and sigmoid(grounding.grounding_logit(e)) >= grounding.threshold
    ]
    names = signal_names([e for _, e in rows])
    if not names:
        return grounding
    x = np.array([[grounding.grounding_logit(e)] for _, e in rows])
    binary = np.array([[name in e.signals() for name in names] for _, e in rows], dtype=float)
    y = np.array([1.0 if c.supported else 0.0 for c, _ in rows])
    (weight,), signal_weights, bias = fit_logistic(x, binary, y, CONFLICT_L2)
    signals = tuple((name, float(w)) for name, w in zip(names, signal_weights, strict=True))
    return replace(grounding, signal_weights=signals, grounding_weight=float(weight), conflict_bias=bias)


def fit(claims: Sequence[LabelledClaim], evidence: Sequence[Found]) -> Decision:
    """Both models; the grounding threshold with the best accuracy (between equals, the one nearest 0.5)."""
    grounding = fit_grounding(claims, evidence)
    fitted = [fit_conflicts(replace(grounding, threshold=float(t)), claims, evidence) for t in THRESHOLDS]
    return max(fitted, key=lambda d: (accuracy(d, claims, evidence), -abs(d.threshold - 0.5)))


def fold_of(claims: Sequence[LabelledClaim], folds: int = FOLDS) -> list[int]:
    """Each pair's fold: (document, article) groups dealt in turn, in sorted order, so no group spans two folds."""
    groups = sorted({(c.doc or "", c.article or "") for c in claims})
    fold = {group: index % folds for index, group in enumerate(groups)}
    return [fold[(c.doc or "", c.article or "")] for c in claims]


def held_out_verdicts(
    claims: Sequence[LabelledClaim], evidence: Sequence[Found], assigned: Sequence[int]
) -> list[bool]:
    """Whether each pair is accepted by a decision fitted on the pairs of the other parts."""
    verdicts = [False] * len(claims)
    for part in sorted(set(assigned)):
        train = [i for i, p in enumerate(assigned) if p != part]
        decision = fit([claims[i] for i in train], [evidence[i] for i in train])
        for i, p in enumerate(assigned):
            if p == part:
                verdicts[i] = accepted(decision, evidence[i])
    return verdicts


def cross_validated(claims: Sequence[LabelledClaim], evidence: Sequence[Found], folds: int = FOLDS) -> list[bool]:
    """Whether each pair is accepted by a decision fitted without its fold of (document, article) groups."""
    return held_out_verdicts(claims, evidence, fold_of(claims, folds))


def cross_writer(claims: Sequence[LabelledClaim], evidence: Sequence[Found], files: Sequence[int]) -> list[bool]:
    """Whether each pair is accepted by a decision fitted on the other files only (``files[i]``: pair i's file)."""
    return held_out_verdicts(claims, evidence, files)


def report(decision: Decision, claims: Sequence[LabelledClaim], evidence: Sequence[Found]) -> list[str]:
    return report_verdicts([accepted(decision, e) for e in evidence], claims)


def report_verdicts(verdicts: Sequence[bool], claims: Sequence[LabelledClaim]) -> list[str]:
    right = np.mean([v == c.supported for v, c in zip(verdicts, claims, strict=True)])
    lines = [f"{len(claims)} pairs, accuracy {right:.3f}", "kind            n  accepted"]
    for kind in sorted({c.kind for c in claims}):
        chosen = [v for v, c in zip(verdicts, claims, strict=True) if c.kind == kind]
        lines.append(f"{kind:<14} {len(chosen):>3}  {np.mean(chosen):.3f}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rag.verification.fit", description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, nargs="+", required=True, help="development label files (JSON Lines)")
    parser.add_argument("--write", action="store_true", help=f"write the fitted parameters to {DECISION_PATH}")
    args = parser.parse_args(argv)
    from rag.embeddings import get_sentence_embeddings
    from rag.settings import Settings

    per_file = [load_labels(path) for path in args.labels]
    claims = [c for file in per_file for c in file]
    files = [index for index, file in enumerate(per_file) for _ in file]
    try:
        current: Decision | None = load_decision()
    except ValueError as error:  # parameters written for other features: refit from scratch
        print(f"current parameters unusable: {error}")
        current = None
    # The evidence does not depend on the decision: a neutral one stands in for unusable parameters.
    verifier = Verifier(get_sentence_embeddings(Settings()), current or Decision((0.0,) * len(FEATURES), 0.0, 0.5))
    evidence = collect(verifier, claims)
    if current is not None:
        print("current parameters:", *report(current, claims, evidence), sep="\n")
    decision = fit(claims, evidence)
    print("fitted:", json.dumps(decision.to_json()), *report(decision, claims, evidence), sep="\n")
    print(
        f"cross-validated ({FOLDS} folds of (document, article) groups):",
        *report_verdicts(cross_validated(claims, evidence), claims),
        sep="\n",
    )
    if len(per_file) > 1:
        verdicts = cross_writer(claims, evidence, files)
        for index, path in enumerate(args.labels):
            chosen = [i for i, f in enumerate(files) if f == index]
            print(
                f"cross-writer: {path.name}, judged by a decision fitted on the other files only:",
                *report_verdicts([verdicts[i] for i in chosen], [claims[i] for i in chosen]),
                sep="\n",
            )
        right = [v == c.supported for v, c in zip(verdicts, claims, strict=True)]
        print(f"cross-writer, all files: {len(claims)} pairs, accuracy {np.mean(right):.3f}")
    if args.write:
        DECISION_PATH.write_text(json.dumps(decision.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {DECISION_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
