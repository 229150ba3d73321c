"""The labelled pairs the product's verifier gets wrong, with what its checks found: for error analysis.

``python -m eval.verifier_misses [--labels FILE] [--kind KIND ...] [--all]``

For each pair of the chosen kinds (default: all) that the verifier misclassifies (a faithful
sentence not supported, an error accepted), prints its id, kind, the verifier's verdict and
reason, the decision's features, the conflicts found with the weight each carries (those that do not count
against a sentence in brackets), the sentence and, for an error, the label's note. ``--all`` prints every
pair, not only the misses. Development labels only (``claims-dev.jsonl``, ``claims-holdout.jsonl``).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from rag.settings import PROJECT_ROOT, Settings
from rag.verification import Verdict, Verifier
from rag.verification.decision import FEATURES, load_decision
from rag.verification.labels import LabelledClaim, load_labels

DEFAULT_LABELS = PROJECT_ROOT / "eval" / "labels" / "claims-dev.jsonl"


def describe(claim: LabelledClaim, verifier: Verifier) -> tuple[bool, list[str]]:
    """Whether the verifier agrees with the label, and the lines that describe the pair."""
    evidence, span = verifier.evidence(claim.sentence, claim.passage_text, doc_id=claim.doc, article=claim.article)
    if evidence is None:
        verdict, reason, score = Verdict.SUPPORTED, None, 1.0
        if span is None:
            verdict, reason, score = Verdict.NOT_FOUND, "nothing to check", 0.0
    else:
        verdict, reason, score = verifier.decision.decide(evidence)
    lines = [f"{claim.id} [{claim.kind}] -> {verdict.value}: {reason or ''} (p={score:.2f})"]
    if evidence is not None:
        features = ", ".join(f"{name}={value:.2f}" for name, value in zip(FEATURES, evidence.features(), strict=True))
        lines.append(f"    features: {features}")
        if evidence.missing:
            lines.append(f"    missing: {', '.join(evidence.missing)}")
        for conflict in evidence.conflicts:
            weight = verifier.decision.weight_of(conflict)
            shown = conflict.reason if weight < 0 else f"[{conflict.name} does not count] {conflict.reason}"
            lines.append(f"    conflict ({weight:+.2f}): {shown}")
    lines.append(f"    sentence: {claim.sentence}")
    if not claim.supported:
        lines.append(f"    note ({claim.label}, {claim.origin}): {claim.note}")
    return (verdict is Verdict.SUPPORTED) == claim.supported, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.verifier_misses", description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--kind", nargs="+", default=None, help="only these kinds (faithful, extra, condition, ...)")
    parser.add_argument("--all", action="store_true", help="print every pair, not only the misclassified ones")
    args = parser.parse_args(argv)
    from rag.embeddings import get_sentence_embeddings

    claims = [c for c in load_labels(args.labels) if args.kind is None or c.kind in args.kind]
    verifier = Verifier(get_sentence_embeddings(Settings()), load_decision())
    verifier.prepare([c.sentence for c in claims])
    misses: Counter[str] = Counter()
    totals: Counter[str] = Counter(c.kind for c in claims)
    for claim in claims:
        agrees, lines = describe(claim, verifier)
        misses[claim.kind] += not agrees
        if args.all or not agrees:
            print(*lines, sep="\n")
    print("misclassified:", ", ".join(f"{kind} {misses[kind]}/{totals[kind]}" for kind in sorted(totals)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
