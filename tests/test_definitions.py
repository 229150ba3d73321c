"""Terms a document defines are read from its text, and a question using one retrieves its definition."""

from __future__ import annotations

from pathlib import Path

import pytest

import rag.retrieval
from rag.definitions import defined_terms, defining_passages, definitions_index, term_pattern
from rag.types import Passage
from tests.testkit import engine_for, ingest_into

DEFINITIONS = (
    "For the purposes of this Convention: (a) “Property” shall mean assets of every kind, including virtual "
    "assets; (b) “Freezing” or “seizure” shall mean temporarily prohibiting the transfer of property; "
    "(c) “Traffic data” shall mean data indicating a communication's origin."
)


def passage(pid: str, text: str, article: str = "2") -> Passage:
    return Passage(
        id=pid, doc_id="treaty", doc_title="Treaty", text=text, start=0, end=len(text), context="",
        kind="paragraph", article=article,
    )  # fmt: skip


def test_each_quoted_term_before_shall_mean_is_defined_and_or_defines_both() -> None:
    assert defined_terms(DEFINITIONS) == ["property", "freezing", "seizure", "traffic data"]


def test_a_quoted_phrase_that_is_not_followed_by_shall_mean_is_not_a_definition() -> None:
    assert defined_terms("Parties shall adopt the measures in “Chapter II” and report to the “Conference”.") == []


def test_a_term_matches_as_a_whole_phrase_singular_or_plural() -> None:
    assert term_pattern("service provider").search("What must internet service providers keep?")
    assert term_pattern("property").search("Is seized property returned?")
    assert not term_pattern("property").search("intellectual properties are not the same")  # whole word only
    assert not term_pattern("traffic data").search("data about traffic")


def test_the_passage_defining_most_of_the_questions_terms_comes_first() -> None:
    index = definitions_index(
        [passage("defs", DEFINITIONS), passage("seizure-only", "“Seizure” shall mean taking hold of property.", "31")]
    )
    assert defining_passages("Can frozen property be kept after a seizure?", index) == ["defs", "seizure-only"]
    assert defining_passages("Who chairs the conference?", index) == []


def test_a_term_the_document_uses_everywhere_is_left_out_of_the_index() -> None:
    definitions = passage("defs", "(a) “System” shall mean a device; (b) “Traffic data” shall mean data on a route.")
    using_system = [passage(f"p{n}", "The system shall be protected.", str(n)) for n in range(3, 13)]
    index = definitions_index([definitions, *using_system])
    assert index == {"traffic data": ["defs"]}  # "system" is in 11 of 11 passages, "traffic data" in 1


TREATY = """MODEL TREATY ON DIGITAL CRIME

Article 1

Use of terms

For the purposes of this Treaty:

(a) “Property” shall mean assets of every kind, whether corporeal or incorporeal, including virtual assets;

(b) “Freezing” shall mean temporarily prohibiting the transfer, conversion or disposition of property.

Article 2

Confiscation of proceeds

1. Each Party shall enable the confiscation of the proceeds of offences established under this Treaty.

2. Each Party shall enable the identification, tracing and freezing of proceeds for the purpose of confiscation.

Article 3

Return of confiscated proceeds

1. A Party that has confiscated proceeds may return them to a requesting Party so that it can compensate victims.

Article 4

Cooperation for confiscation

1. A Party that receives a request to confiscate proceeds in its territory shall submit it to its authorities.

Article 5

Special cooperation

1. A Party may forward information on proceeds of offences to another Party without a prior request.
"""


@pytest.fixture(scope="module")
def treaty_engine(tmp_path_factory, embeddings, make_settings):  # type: ignore[no-untyped-def]
    folder: Path = tmp_path_factory.mktemp("definitions")
    (folder / "model-digital-crime-treaty.txt").write_text(TREATY, encoding="utf-8")
    settings = make_settings(folder)
    ingest_into(settings, embeddings, [folder / "model-digital-crime-treaty.txt"])
    return engine_for(settings, embeddings)


def top_articles(engine, question: str, k: int = 3) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.passage.article or "" for r in engine.search(question, k) if not r.supporting]


def test_a_question_using_a_defined_term_gets_the_definition_into_its_top_k(treaty_engine, monkeypatch) -> None:
    question = "Can confiscated proceeds held in virtual assets be returned to the victims' country?"
    assert "1" in top_articles(treaty_engine, question, k=2)
    monkeypatch.setattr(rag.retrieval, "DEFINITIONS_WEIGHT", 0.0)
    assert "1" not in top_articles(treaty_engine, question, k=2)  # the question's own ranking puts it below both


def test_a_broad_question_gets_the_definition_beside_provisions_of_several_articles(treaty_engine) -> None:
    top = top_articles(treaty_engine, "Could the treaty help a country get back ransom paid in virtual assets?", 4)
    assert "1" in top
    assert len(top) == 4 and len(set(top)) == 4  # one passage per article
