"""The summaries benchmark (``python -m eval.summaries``) on a small store: what it counts is what
the summary cites."""

from __future__ import annotations

import pytest

from eval import summaries
from tests.testkit import engine_for, ingest_into

RESOLUTION = "un-ga-resolution-79-243"
CONVENTION = "un-cybercrime-convention-2024"


@pytest.fixture(scope="module")
def engine(tmp_path_factory, corpus_dir, embeddings, make_settings):  # type: ignore[no-untyped-def]
    settings = make_settings(tmp_path_factory.mktemp("summaries"))
    ingest_into(settings, embeddings, [corpus_dir / f"{RESOLUTION}.txt", corpus_dir / f"{CONVENTION}.txt"])
    return engine_for(settings, embeddings)


def test_article_coverage_counts_the_numbered_paragraphs_its_verified_sentences_cite(engine) -> None:
    row = summaries.measure(engine, CONVENTION, "extractive", article="24")
    summary = engine.summarize(CONVENTION, article="24", mode="extractive")
    cited = {summary.citation(n).paragraph for s in summary.sentences if s.supported for n in s.citations}
    assert row["verified"] == row["sentences"] > 0
    assert row["covered"] == len(cited - {None})
    assert row["of"] == 5  # article 24 has five numbered paragraphs


def test_chapter_coverage_counts_articles(engine) -> None:
    row = summaries.measure(engine, CONVENTION, "extractive", chapter="IV")
    assert 0 < row["covered"] <= row["of"]
    assert row["of"] >= 10  # chapter IV (procedural measures) runs from article 23 to article 34
