"""Request limits: each is refused with a message that names the limit, before any work is done."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.chunking import approximate_tokens
from rag.engine import Engine
from rag.errors import DocumentError, QueryError, StoreError
from rag.ingestion import prepare_document
from rag.settings import Settings


@pytest.fixture
def engine(tmp_path: Path, make_settings) -> Engine:
    # An empty store: the limits are checked before the store is read.
    return Engine(make_settings(tmp_path, max_question_chars=4_000, max_k=50))


@pytest.mark.parametrize("question", ["", "   \n\t "])
def test_an_empty_question_is_refused(engine: Engine, question: str) -> None:
    with pytest.raises(QueryError, match="the question is empty"):
        engine.search(question)


def test_a_50000_character_question_is_refused_naming_the_limit(engine: Engine) -> None:
    with pytest.raises(QueryError, match="50,000 characters long; the limit is 4,000"):
        engine.search("why " * 12_500)
    with pytest.raises(QueryError, match="the limit is 4,000"):
        engine.ask("why " * 12_500, mode="extractive")


def test_a_question_at_the_limit_passes_the_check(engine: Engine) -> None:
    # It gets as far as the (empty) store, which is the next thing to complain.
    with pytest.raises(StoreError, match="the store is empty") as raised:
        engine.search("a" * 4_000)
    assert not isinstance(raised.value, QueryError)


@pytest.mark.parametrize("k", [0, -1, 51, 10_000])
def test_k_out_of_range_is_refused(engine: Engine, k: int) -> None:
    with pytest.raises(QueryError, match=f"k must be between 1 and 50, not {k}"):
        engine.search("what is illegal access?", k=k)


def test_a_document_with_too_many_passages_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    articles = (f"Article {n}\n\nScope {n}\n\nEach State Party shall act on matter {n}." for n in range(1, 40))
    path.write_text("Convention on Limits\n\n" + "\n\n".join(articles), encoding="utf-8")
    settings = Settings(store_path=tmp_path / "store", max_passages_per_document=10)
    with pytest.raises(DocumentError, match=r"39 passages, over the limit of 10"):
        prepare_document(path, settings, approximate_tokens, 230)
