"""The everyday-wording table (rag/data/plain_terms): every entry lands on a real provision, and it ranks."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.chunking import approximate_tokens
from rag.documents import builtin_registry
from rag.ingestion import prepare_document
from rag.plain_terms import DATA_DIR, PlainTerms, load_plain_terms, plain_terms_index, terms_of
from rag.settings import Settings
from rag.types import Passage

UN_CONVENTION = builtin_registry().default_document


@pytest.fixture(scope="module")
def corpus_passages(corpus_dir: Path) -> dict[str, list[Passage]]:
    settings = Settings()
    by_doc = {}
    for path in sorted(corpus_dir.glob("*.txt")):
        doc, passages = prepare_document(path, settings, approximate_tokens, settings.chunk_max_tokens)
        by_doc[doc.doc_id] = passages
    return by_doc


def test_every_file_is_named_after_a_corpus_document(corpus_passages: dict[str, list[Passage]]) -> None:
    files = {path.stem for path in DATA_DIR.glob("*.jsonl")}
    assert files, "no plain-terms files"
    assert files <= set(corpus_passages)


def test_every_entry_covers_a_passage_of_its_document(corpus_passages: dict[str, list[Passage]]) -> None:
    table = load_plain_terms()
    by_hash = {passages[0].doc_hash: passages for passages in corpus_passages.values()}
    assert set(table) <= set(by_hash), "a plain-terms table for a text not in the corpus"
    orphans = [
        (entry.doc_hash, entry.article, entry.paragraph)
        for entries in table.values()
        for entry in entries
        if not any(entry.covers(p) for p in by_hash[entry.doc_hash])
    ]
    assert orphans == []


def test_every_article_of_the_un_convention_has_plain_terms(corpus_passages: dict[str, list[Passage]]) -> None:
    table = load_plain_terms()
    without = sorted(
        {p.article for p in corpus_passages[UN_CONVENTION] if p.article and not terms_of(p, table)},
        key=lambda a: (not a.isdigit(), int(a) if a.isdigit() else 0, a),
    )
    assert without == []


def test_a_paragraph_entry_adds_to_its_article_entry() -> None:
    article = PlainTerms("h", "40", None, "mutual legal assistance")
    paragraph = PlainTerms("h", "40", "21", "refusal grounds")
    passage = Passage(
        id="p", doc_id=UN_CONVENTION, doc_title="t", text="x", start=0, end=1, context="c", kind="article",
        article="40", paragraphs=("20", "21"), doc_hash="h",
    )  # fmt: skip
    other = Passage(
        id="q", doc_id=UN_CONVENTION, doc_title="t", text="x", start=0, end=1, context="c", kind="article",
        article="40", paragraphs=("1",), doc_hash="h",
    )  # fmt: skip
    table = {"h": (article, paragraph)}
    assert terms_of(passage, table) == "mutual legal assistance refusal grounds"
    assert terms_of(other, table) == "mutual legal assistance"


def test_plain_question_ranks_the_provision_it_means_first(corpus_passages: dict[str, list[Passage]]) -> None:
    table = load_plain_terms()
    index = plain_terms_index({p.id: terms_of(p, table) for p in corpus_passages[UN_CONVENTION]}, "signature")
    by_id = {p.id: p for p in corpus_passages[UN_CONVENTION]}
    for question, article in [
        ("is hacking into someone's account a crime?", "7"),
        ("is revenge porn covered?", "16"),
        ("which country gets to prosecute?", "22"),
    ]:
        scores = index.scores(question)
        best = max(scores, key=lambda pid: scores[pid])
        assert by_id[best].article == article, question


def test_a_malformed_line_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "doc.jsonl").write_text('{"article": "1", "paragraph": null, "terms": "a"}\n{"article": 2}\n')
    registry = tmp_path / "documents.toml"
    registry.write_text(
        'default_document = "doc"\n[[document]]\nid = "doc"\ntitle = "D"\nshort_title = "D"\n'
        'content_hash = "h"\nplain_terms = "doc.jsonl"\n'
    )
    with pytest.raises(ValueError, match=r"doc\.jsonl:2: not a plain-terms record"):
        load_plain_terms(tmp_path, registry)
