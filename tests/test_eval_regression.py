"""Retrieval regression gate: the fast dev subset (``eval/fast_subset.py``) against the
committed thresholds in ``eval/thresholds.json``, on a store holding the whole corpus.

The store comes from the session fixture ``corpus_store`` of ``tests/conftest.py`` when
it exists; otherwise a local fallback (``eval_corpus_store``) ingests the corpus into a
temporary store once per session.  Either object has ``.settings`` and ``.store``.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from eval.dataset import default_corpus_dir
from eval.fast_subset import FAST_SUBSET_SIZE, check_thresholds, load_thresholds, run_fast_subset

CORPUS_DIR = default_corpus_dir()

pytestmark = pytest.mark.skipif(
    not (CORPUS_DIR / "un-cybercrime-convention-2024.txt").is_file(),
    reason=f"corpus not found at {CORPUS_DIR}",
)


@pytest.fixture(scope="session")
def eval_corpus_store(tmp_path_factory):
    """Fallback: a temporary store with the whole corpus ingested."""
    from ingest.pipeline import Ingestor
    from rag.embeddings import get_embeddings
    from rag.settings import get_settings
    from rag.store import PassageStore

    settings = get_settings().model_copy(
        update={
            "store_path": tmp_path_factory.mktemp("eval-store"),
            "collection": "treaties",
            "corpus_path": CORPUS_DIR,
            "chroma_host": None,
        }
    )
    embeddings = get_embeddings(settings)
    store = PassageStore(settings, embeddings)
    report = Ingestor(settings, store, embeddings).run([CORPUS_DIR])
    assert not report.failed, report.failed
    return SimpleNamespace(settings=settings, store=store)


@pytest.fixture(scope="session")
def regression_store(request):
    """The shared ``corpus_store`` when conftest provides it, else the local fallback."""
    try:
        return request.getfixturevalue("corpus_store")
    except pytest.FixtureLookupError:
        return request.getfixturevalue("eval_corpus_store")


@pytest.fixture(scope="session")
def fast_result(regression_store):
    from rag.engine import Engine

    engine = Engine(regression_store.settings)
    return run_fast_subset(engine, CORPUS_DIR)


def test_fast_subset_covers_the_planned_questions(fast_result):
    assert len(fast_result.questions) == FAST_SUBSET_SIZE


def test_fast_subset_retrieval_meets_thresholds(fast_result):
    summary = fast_result.summary()
    failures = check_thresholds(summary, load_thresholds())
    misses = ", ".join(q.question.id for q in fast_result.misses())
    measured = ", ".join(f"{k}={v:.3f}" for k, v in summary.items() if v is not None)
    assert not failures, f"retrieval regression: {'; '.join(failures)} (measured {measured}; misses: {misses})"
