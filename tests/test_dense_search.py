"""Dense search (rag.store.PassageStore.dense_search): exact, ties broken by id, the same in every process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rag.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
TREATY = """Model Treaty

Article 1

Preservation

Each Party shall enable its authorities to order the expeditious preservation of stored computer data.

Article 2

Extradition

Extradition may be refused where the request is made for the purpose of prosecuting a person on account of
his or her political opinions.

Article 3

Confiscation

Each Party shall adopt measures to enable the confiscation of proceeds of crime.
"""
# The same text in a second file: its passages tie with the treaty's.
COPY = TREATY
QUESTIONS = ["Can a State refuse extradition for political offences?", "How long is data preserved?"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, make_settings, embeddings) -> Engine:
    folder = tmp_path_factory.mktemp("dense-store")
    docs = folder / "docs"
    docs.mkdir()
    (docs / "treaty.txt").write_text(TREATY, encoding="utf-8")
    (docs / "treaty-copy.txt").write_text(COPY, encoding="utf-8")
    engine = Engine(make_settings(folder, embedding_backend="minilm"))
    engine.ingest([docs])
    return engine


def _keys(engine: Engine) -> list[str]:
    return [entry.doc_key for entry in engine.store.manifest().values()]


def test_dense_search_ranks_every_passage_by_cosine_and_ties_by_id(engine: Engine) -> None:
    store = engine.store
    stored = store.collection.get(include=["embeddings"])
    vectors = np.asarray(stored["embeddings"], dtype=np.float64)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    question = np.asarray(store.embeddings.embed_query(QUESTIONS[0]), dtype=np.float64)
    similarities = vectors @ (question / np.linalg.norm(question))
    expected = sorted(zip(stored["ids"], similarities, strict=True), key=lambda pair: (-pair[1], pair[0]))
    hits = store.dense_search(QUESTIONS[0], k=len(expected), doc_keys=_keys(engine))
    assert [pid for pid, _ in hits] == [pid for pid, _ in expected]
    assert [score for _, score in hits] == pytest.approx([score for _, score in expected])
    # The treaty's extradition article and its copy score the same; the lower id comes first.
    (first, first_score), (second, second_score) = hits[:2]
    assert {first.split(":")[0], second.split(":")[0]} == {"treaty", "treaty-copy"}
    assert first_score == second_score and first < second


def test_dense_search_keeps_to_the_documents_asked_for(engine: Engine) -> None:
    treaty_key = [key for key in _keys(engine) if key.startswith("treaty@")]
    hits = engine.store.dense_search(QUESTIONS[0], k=50, doc_keys=treaty_key)
    assert hits and {pid.split(":")[0] for pid, _ in hits} == {"treaty"}


_SEARCH = """
import json, sys
from rag.engine import Engine
from rag.settings import Settings
engine = Engine(Settings())
found = {q: [(h.passage.id, h.score) for h in engine.search(q, k=5)] for q in json.loads(sys.argv[1])}
print(json.dumps(found))
"""


def _search_in_a_new_process(engine: Engine, hash_seed: str) -> dict[str, list[list[object]]]:
    env = os.environ | {
        "RAG_STORE_PATH": str(engine.settings.store_path),
        "RAG_COLLECTION": engine.settings.collection,
        "RAG_EMBEDDING_BACKEND": "minilm",
        "PYTHONHASHSEED": hash_seed,
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", _SEARCH, json.dumps(QUESTIONS)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.slow
def test_the_same_search_in_two_processes_ranks_and_scores_the_same(engine: Engine) -> None:
    first = _search_in_a_new_process(engine, "1")
    second = _search_in_a_new_process(engine, "2")
    assert first == second
    assert all(len(hits) == 5 for hits in first.values())
