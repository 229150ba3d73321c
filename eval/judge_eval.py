"""Agreement of the judges (``eval.judges``) with hand-labelled (sentence, passage) pairs.

The label files and their format are described in ``rag.verification.labels``.

For each judge the report gives the accuracy of "supported" against "not supported", the
share of faithful sentences it accepts, the share it accepts of each error kind (each should
be near 0), the agreement of its three-way verdict with the label, how many replies gave no
verdict, and the time per pair.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from eval import metrics
from eval.judges.base import UNPARSED, Judge, Judgement
from rag.verification.labels import FAITHFUL, LabelledClaim, load_labels


def spread_over_kinds(pairs: Sequence[LabelledClaim], limit: int | None) -> list[LabelledClaim]:
    """At most ``limit`` pairs, taken in turn from each kind (in file order), so every kind is measured."""
    if limit is None or limit >= len(pairs):
        return list(pairs)
    by_kind: dict[str, list[LabelledClaim]] = {}
    for pair in pairs:
        by_kind.setdefault(pair.kind, []).append(pair)
    chosen: list[LabelledClaim] = []
    depth = 0
    while len(chosen) < limit:
        for group in by_kind.values():
            if depth < len(group) and len(chosen) < limit:
                chosen.append(group[depth])
        depth += 1
    order = {id(p): i for i, p in enumerate(pairs)}
    return sorted(chosen, key=lambda p: order[id(p)])


def run_judge(
    judge: Judge, pairs: Sequence[LabelledClaim], progress: Callable[[str], None] | None = None
) -> tuple[list[Judgement], list[float]]:
    """The judge's verdict on every pair and the seconds each took.

    Pairs are judged grouped by passage (a model that caches its prompt prefix reads a shared
    passage once); the results come back in the order of ``pairs``.
    """
    first_seen: dict[str, int] = {}
    for index, pair in enumerate(pairs):
        first_seen.setdefault(pair.passage_text, index)
    order = sorted(range(len(pairs)), key=lambda i: (first_seen[pairs[i].passage_text], i))
    judgements: list[Judgement | None] = [None] * len(pairs)
    seconds = [0.0] * len(pairs)
    for index in order:
        pair = pairs[index]
        started = time.perf_counter()
        judgements[index] = judge.judge(pair.sentence, pair.passage_text, pair.doc, pair.article)
        seconds[index] = time.perf_counter() - started
        if progress:
            progress(pair.id)
    return [j for j in judgements if j is not None], seconds


def _rate(values: Sequence[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def agreement(
    pairs: Sequence[LabelledClaim], judgements: Sequence[Judgement], seconds: Sequence[float]
) -> dict[str, Any]:
    """How one judge's verdicts agree with the labels (see the module docstring)."""
    if len(pairs) != len(judgements):
        raise ValueError("one judgement per pair is needed")
    accepted = [j.supported for j in judgements]
    binary = metrics.binary_scores(accepted, [p.supported for p in pairs])
    by_kind: dict[str, Any] = {}
    for kind in sorted({p.kind for p in pairs}, key=lambda k: (k != FAITHFUL, k)):
        idx = [i for i, p in enumerate(pairs) if p.kind == kind]
        by_kind[kind] = {
            "n": len(idx),
            "accepted": _rate([accepted[i] for i in idx]),
            "verdicts": dict(Counter(judgements[i].verdict for i in idx)),
        }
    by_origin: dict[str, Any] = {}
    for origin in sorted({p.origin for p in pairs}):
        idx = [i for i, p in enumerate(pairs) if p.origin == origin]
        by_origin[origin or "(none)"] = {
            "n": len(idx),
            "accuracy": _rate([accepted[i] == pairs[i].supported for i in idx]),
        }
    faithful = [accepted[i] for i, p in enumerate(pairs) if p.kind == FAITHFUL]
    errors = [accepted[i] for i, p in enumerate(pairs) if not p.supported]
    return {
        "n": len(pairs),
        "accuracy": binary.accuracy,
        "binary": metrics.as_dict(binary),
        "faithful_accepted": _rate(faithful),
        "errors_accepted": _rate(errors),
        "verdict_accuracy": _rate([j.verdict == p.label for j, p in zip(judgements, pairs, strict=True)]),
        "unparsed": sum(1 for j in judgements if j.verdict == UNPARSED),
        "seconds_per_pair": metrics.latency_summary(list(seconds)),
        "by_kind": by_kind,
        "by_origin": by_origin,
    }


def evaluate_judges(
    pairs: Sequence[LabelledClaim],
    judges: Sequence[Judge],
    labels_path: str = "",
    progress: Callable[[str, str], None] | None = None,
) -> dict[str, Any]:
    """Every judge on every pair: the agreement of each and, per pair, each judge's verdict and reason."""
    results: dict[str, Any] = {}
    verdicts: dict[str, list[Judgement]] = {}
    for judge in judges:
        report = (lambda pair_id, name=judge.name: progress(name, pair_id)) if progress else None
        judgements, seconds = run_judge(judge, pairs, report)
        verdicts[judge.name] = judgements
        results[judge.name] = agreement(pairs, judgements, seconds)
    per_pair = [
        {
            "id": p.id,
            "kind": p.kind,
            "label": p.label,
            "sentence": p.sentence,
            "judges": {name: {"verdict": js[i].verdict, "reason": js[i].reason} for name, js in verdicts.items()},
        }
        for i, p in enumerate(pairs)
    ]
    kinds = Counter(p.kind for p in pairs)
    return {
        "labels": labels_path,
        "n": len(pairs),
        "positives": sum(p.supported for p in pairs),
        "kinds": dict(sorted(kinds.items(), key=lambda kv: (kv[0] != FAITHFUL, kv[0]))),
        "judges": results,
        "pairs": per_pair,
    }


def misjudged(result: dict[str, Any], kinds: Sequence[str]) -> list[str]:
    """One line per pair of ``kinds`` that a judge got wrong (a faithful sentence rejected, an error
    accepted): the judge, id, kind, verdict, reason and sentence, for error analysis."""
    lines = []
    for pair in result["pairs"]:
        if pair["kind"] not in kinds:
            continue
        for name, judged in pair["judges"].items():
            accepted = judged["verdict"] == "supported"
            if accepted != (pair["label"] == "supported"):
                reason = f" ({judged['reason']})" if judged["reason"] else ""
                lines.append(f"{name} {pair['id']} {pair['kind']}: {judged['verdict']}{reason}\n    {pair['sentence']}")
    return lines


def run_judge_eval(
    labels_path: Path,
    settings: Any,
    judge_names: Sequence[str],
    limit: int | None = None,
    progress: Callable[[str, str], None] | None = None,
) -> dict[str, Any]:
    """Load the labels (``limit`` of them, spread over the kinds) and the named judges, and evaluate."""
    from eval.judges import build_judge

    pairs = spread_over_kinds(load_labels(labels_path), limit)
    judges = [build_judge(name, settings) for name in judge_names]
    return evaluate_judges(pairs, judges, labels_path=str(labels_path), progress=progress)
