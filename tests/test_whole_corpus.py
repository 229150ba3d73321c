"""The whole corpus ingested with the real model (the session ``corpus_store`` fixture).

Marked slow: embedding ~550 passages and ~2,450 sentences takes minutes on 2 CPU cores.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.ingestion import Ingestor, prepare_document
from rag.keyword_index import KeywordIndex

pytestmark = pytest.mark.slow

DOC_IDS = {
    "un-cybercrime-convention-2024",
    "un-cybercrime-convention-2024-interpretative-notes",
    "un-ga-resolution-79-243",
    "budapest-convention-ets185",
    "budapest-convention-additional-protocol-ets189",
    "untoc-2000",
    "uncac-2003",
    "news-us-support-un-cybercrime-convention",
}


def test_first_ingest(corpus_store) -> None:
    report = corpus_store.report
    assert report.failed == []
    assert report.documents == 8
    assert set(report.added) == DOC_IDS
    assert report.passages > 400
    assert set(corpus_store.store.manifest()) == DOC_IDS
    committed = corpus_store.store.committed_passages()
    assert len(committed) == report.passages
    assert len({p.id for p in committed}) == len(committed)
    index = KeywordIndex.load(corpus_store.store.keyword_index_path)
    assert index is not None and sorted(index.ids) == sorted(p.id for p in committed)


def test_committed_passages_are_the_chunks(corpus_store, corpus_dir: Path) -> None:
    settings = corpus_store.settings
    embeddings = corpus_store.store.embeddings  # the passage model the store was built with
    max_tokens = min(settings.chunk_max_tokens, embeddings.max_tokens)
    expected = []
    for path in sorted(corpus_dir.glob("*.txt")):
        if path.stem != "MANIFEST":
            expected.extend(prepare_document(path, settings, embeddings.count_tokens, max_tokens)[1])
    committed = corpus_store.store.committed_passages()
    assert sorted(p.id for p in committed) == sorted(p.id for p in expected)
    by_id = {p.id: p for p in expected}
    assert all(p == by_id[p.id] for p in committed)  # metadata round-trips through Chroma


def test_dense_search_finds_the_article(corpus_store) -> None:
    store = corpus_store.store
    keys = [entry.doc_key for entry in store.manifest().values()]
    hits = store.dense_search("conditions and safeguards for procedural powers and human rights", 5, keys)
    titles = {p.id: p.article_title for p in store.committed_passages()}
    assert any(titles[pid] == "Conditions and safeguards" for pid, _ in hits)


def test_reingest_is_all_unchanged(corpus_store, corpus_dir: Path) -> None:
    before = [p.id for p in corpus_store.store.committed_passages()]
    model = corpus_store.store.embeddings
    report = Ingestor(corpus_store.settings, corpus_store.store, model, model).run([corpus_dir])
    assert set(report.unchanged) == DOC_IDS
    assert report.added == report.updated == report.removed == report.failed == []
    assert report.embedding_seconds == 0
    assert [p.id for p in corpus_store.store.committed_passages()] == before
