"""Retrieval regression gate: the fast dev subset (``eval/fast_subset.py``) against the
committed thresholds in ``eval/thresholds.json``, on a store holding the whole corpus.

The store is the session fixture ``corpus_store`` of ``tests/conftest.py`` (the whole
corpus ingested once into a temporary store, shared read-only with other tests).
"""

from __future__ import annotations

import pytest

from eval.dataset import default_corpus_dir
from eval.fast_subset import FAST_SUBSET_SIZE, check_thresholds, load_thresholds, run_fast_subset

CORPUS_DIR = default_corpus_dir()

pytestmark = pytest.mark.skipif(
    not (CORPUS_DIR / "un-cybercrime-convention-2024.txt").is_file(),
    reason=f"corpus not found at {CORPUS_DIR}",
)


@pytest.fixture(scope="session")
def fast_result(corpus_store):
    from rag.engine import Engine

    engine = Engine(corpus_store.settings)
    return run_fast_subset(engine, CORPUS_DIR)


def test_fast_subset_covers_the_planned_questions(fast_result):
    assert len(fast_result.questions) == FAST_SUBSET_SIZE


def test_fast_subset_retrieval_meets_thresholds(fast_result):
    summary = fast_result.summary()
    failures = check_thresholds(summary, load_thresholds())
    misses = ", ".join(q.question.id for q in fast_result.misses())
    measured = ", ".join(f"{k}={v:.3f}" for k, v in summary.items() if v is not None)
    assert not failures, f"retrieval regression: {'; '.join(failures)} (measured {measured}; misses: {misses})"
