"""A definitions article is one provision: it lends one passage to a question's top k."""

from __future__ import annotations

from rag.retrieval import CorpusView, _one_definition_per_article
from rag.types import Passage

UN = "un-cybercrime-convention-2024"
UNTOC = "untoc-2000"


def passage(doc: str, article: str, paragraph: str, text: str = "Each State Party shall adopt measures.") -> Passage:
    return Passage(
        id=f"{doc}:{article}:{paragraph}", doc_id=doc, doc_title=doc, text=text, start=0, end=len(text), context="",
        kind="paragraph", article=article, paragraphs=(paragraph,),
    )  # fmt: skip


def definition(doc: str, item: str, term: str) -> Passage:
    return passage(doc, "2", item, f"({item}) “{term}” shall mean a thing the treaty speaks of;")


def view_of(passages: list[Passage]) -> CorpusView:
    return CorpusView("signature", {}, {p.id: p for p in passages}, keyword=None)  # type: ignore[arg-type]


def top(passages: list[Passage], k: int) -> list[str]:
    fused = [(p.id, 1.0, "hybrid") for p in passages]
    return [pid for pid, _, _ in _one_definition_per_article(view_of(passages), fused, k)]


def test_the_second_and_third_passages_of_a_definitions_article_leave_the_top_k() -> None:
    ranked = [
        definition(UN, "a", "Property"),
        definition(UN, "b", "Freezing"),
        passage(UN, "31", "1"),
        definition(UN, "c", "Traffic data"),
        passage(UN, "29", "3"),
        passage(UN, "25", "3"),
    ]
    order = top(ranked, k=4)
    assert order[:4] == [ranked[0].id, ranked[2].id, ranked[4].id, ranked[5].id]
    assert sorted(order) == sorted(p.id for p in ranked)  # nothing is lost, only moved after the top k


def test_each_documents_definitions_article_keeps_a_place_in_the_top_k() -> None:
    ranked = [definition(UN, "a", "Serious crime"), definition(UNTOC, "b", "Serious crime"), passage(UN, "35", "1")]
    assert top(ranked, k=3) == [p.id for p in ranked]


def test_paragraphs_that_define_nothing_keep_their_places_however_many_of_one_article() -> None:
    ranked = [passage(UN, "40", str(n)) for n in (21, 22, 23)] + [definition(UN, "a", "Property")]
    assert top(ranked, k=3) == [p.id for p in ranked]
