"""A definitions article is one provision: it lends one passage to a question's top k."""

from __future__ import annotations

from pathlib import Path

import pytest

import rag.retrieval
from rag.retrieval import CorpusView, _one_definition_per_article
from rag.types import Passage
from tests.testkit import engine_for, ingest_into

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


USE_OF_TERMS_TREATY = "\n\n".join(
    (
        "MODEL TREATY ON DIGITAL CRIME",
        "Article 1",
        "Use of terms",
        "For the purposes of this Treaty:",
        "(a) “Property” shall mean assets of every kind, whether corporeal or incorporeal, movable or immovable, "
        "tangible or intangible, including virtual assets, and legal documents or instruments evidencing title to "
        "such assets;",
        "(b) “Freezing” shall mean temporarily prohibiting the transfer, conversion, disposition or movement of "
        "property, or temporarily assuming custody or control of property on the basis of an order issued by a "
        "court or other competent authority;",
        "(c) “Proceeds of crime” shall mean any property derived from or obtained, directly or indirectly, through "
        "the commission of an offence established in accordance with this Treaty, including property into which "
        "it has been transformed.",
        "Article 2",
        "Confiscation of proceeds",
        "1. Each Party shall enable the confiscation of proceeds of crime derived from offences established under "
        "this Treaty.",
        "Article 3",
        "Return of confiscated proceeds",
        "1. A Party that has confiscated proceeds of crime may return them to a requesting Party so that it can "
        "compensate victims.",
        "Article 4",
        "Freezing orders from another Party",
        "1. A Party that receives a request to freeze property in its territory shall take measures to identify "
        "and freeze it.",
    )
)


@pytest.fixture(scope="module")
def use_of_terms_engine(tmp_path_factory, embeddings, make_settings):  # type: ignore[no-untyped-def]
    folder: Path = tmp_path_factory.mktemp("use-of-terms")
    (folder / "model-digital-crime-treaty.txt").write_text(USE_OF_TERMS_TREATY, encoding="utf-8")
    settings = make_settings(folder, chunk_max_tokens=64)  # each defined term in a passage of its own
    ingest_into(settings, embeddings, [folder / "model-digital-crime-treaty.txt"])
    return engine_for(settings, embeddings)


def test_a_question_using_three_defined_terms_gets_one_definition_passage_and_the_provisions(
    use_of_terms_engine, monkeypatch
) -> None:
    question = "Can frozen property that is proceeds of crime be confiscated and given back to the victims?"

    def articles() -> list[str]:
        return [r.passage.article or "" for r in use_of_terms_engine.search(question, 4) if not r.supporting]

    assert articles().count("1") == 1
    assert {"2", "3"} <= set(articles())
    monkeypatch.setattr(rag.retrieval, "_one_definition_per_article", lambda view, ranked, k: ranked)
    assert articles().count("1") >= 2  # without the rule the definitions take two places or more
