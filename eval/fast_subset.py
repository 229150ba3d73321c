"""A fast, fixed subset of the dev retrieval evaluation, with committed thresholds.

About 30 answerable dev questions are picked deterministically (no randomness, no state):
the questions are grouped by their first tag (the document family: un, comparison,
resolution, uncac, ...), each family gets a share in proportion to its size (at least one
question), and within a family the questions are taken in the order of the SHA-256 of
their id.
``tests/test_eval_regression.py`` runs the product on the subset against a store with the
whole corpus and fails when a metric drops below ``eval/thresholds.json``.

``python -m eval.fast_subset [--store DIR] [--collection NAME]`` prints the measured
metrics and the threshold check (exit 1 on a regression).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.dataset import GoldQuestion, default_corpus_dir, default_dataset_files, load_corpus, load_questions
from eval.retrieval_eval import ProductSystem, SystemResult, evaluate_system

FAST_SUBSET_SIZE = 30
FAST_K = 5
THRESHOLDS_PATH = Path(__file__).resolve().parent / "thresholds.json"


def _digest(qid: str) -> str:
    return hashlib.sha256(qid.encode("utf-8")).hexdigest()


def select_fast_subset(questions: Sequence[GoldQuestion], size: int = FAST_SUBSET_SIZE) -> list[GoldQuestion]:
    """``size`` answerable questions, stratified by first tag, deterministic; in id order.

    Each family (first tag) gets a share of ``size`` proportional to its number of
    answerable questions (largest remainders, at least one each while room is left), and
    within a family the questions with the smallest SHA-256 of their id are taken.
    """
    groups: dict[str, list[GoldQuestion]] = defaultdict(list)
    for q in questions:
        if q.answerable and q.gold:
            groups[q.tags[0] if q.tags else ""].append(q)
    total = sum(len(g) for g in groups.values())
    if total <= size:
        return sorted((q for g in groups.values() for q in g), key=lambda q: q.id)
    families = sorted(groups, key=lambda t: (-len(groups[t]), t))
    exact = {t: size * len(groups[t]) / total for t in families}
    quota = {t: min(len(groups[t]), max(1, int(exact[t]))) for t in families}
    # Too many after the minimum of one: take back from the largest families.
    while sum(quota.values()) > size:
        tag = max(families, key=lambda t: (quota[t] - exact[t], quota[t], t))
        quota[tag] -= 1
    # Room left: give it by largest remainder.
    while sum(quota.values()) < size:
        open_families = [t for t in families if quota[t] < len(groups[t])]
        tag = max(open_families, key=lambda t: (exact[t] - quota[t], len(groups[t]), t))
        quota[tag] += 1
    chosen = [q for t in families for q in sorted(groups[t], key=lambda q: _digest(q.id))[: quota[t]]]
    return sorted(chosen, key=lambda q: q.id)


def dev_questions() -> list[GoldQuestion]:
    return load_questions(default_dataset_files()[0])


def run_fast_subset(engine: Any, corpus_dir: Path | None = None) -> SystemResult:
    """The product's retrieval result on the fast subset of the dev set."""
    if corpus_dir is None or not Path(corpus_dir).is_dir():
        corpus_dir = default_corpus_dir()
    corpus = load_corpus(corpus_dir)
    if not corpus:
        raise FileNotFoundError(f"no corpus documents in {corpus_dir}: the span metrics need the texts")
    subset = select_fast_subset(dev_questions())
    return evaluate_system(ProductSystem(engine), subset, corpus, k=FAST_K)


def load_thresholds(path: Path = THRESHOLDS_PATH) -> dict[str, float]:
    """The committed minimum of each metric (the ``"min"`` object of the file)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): float(v) for k, v in data["min"].items()}


def check_thresholds(summary: dict[str, float | None], thresholds: dict[str, float]) -> list[str]:
    """One message per metric below its threshold (a missing metric is a failure too)."""
    failures = []
    for name, minimum in thresholds.items():
        value = summary.get(name)
        if value is None:
            failures.append(f"{name}: not measured (threshold {minimum:.3f})")
        elif value < minimum:
            failures.append(f"{name}: {value:.3f} < threshold {minimum:.3f}")
    return failures


def main(argv: list[str] | None = None) -> int:
    from rag.cli_common import add_store_arguments, settings_from_args
    from rag.engine import Engine

    parser = argparse.ArgumentParser(prog="python -m eval.fast_subset", description=__doc__.split("\n")[0])
    add_store_arguments(parser)
    args = parser.parse_args(argv)
    engine = Engine(settings_from_args(args))
    result = run_fast_subset(engine, engine.settings.corpus_path)
    summary = result.summary()
    failures = check_thresholds(summary, load_thresholds())
    print(
        json.dumps(
            {
                "questions": [q.question.id for q in result.questions],
                "summary": summary,
                "misses": [q.question.id for q in result.misses()],
                "failures": failures,
            },
            indent=1,
        )
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
