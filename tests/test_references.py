"""Provisions a question names: "section 4" is a national act's section, "article 4" a treaty's article."""

from __future__ import annotations

import pytest

from rag.engine import Engine
from rag.references import ProvisionRef, read_query

UN = "un-cybercrime-convention-2024"
ACT = "testland-cybercrime-act"
UN_TEXT = """United Nations Convention against Cybercrime

Article 4

Offences established in accordance with other United Nations conventions and protocols

1. In giving effect to other applicable United Nations conventions and protocols, States Parties shall
ensure that criminal offences established in accordance with such conventions and protocols are also
considered criminal offences under domestic law when committed through information systems.

Article 7

Illegal access

1. Each State Party shall establish as a criminal offence the access to the whole or any part of an
information and communications technology system without right.
"""
ACT_TEXT = """REPUBLIC ACT NO. 4242

AN ACT DEFINING CYBERCRIME IN TESTLAND AND PROVIDING PENALTIES THEREFOR

Section 1. Title. – This Act shall be known as the "Testland Cybercrime Act of 2019".

Section 4. Cybercrime Offenses. – The following acts constitute the offense of cybercrime:

(a) Illegal Access. – The access to the whole or any part of a computer system without right.

(b) Data Interference. – The intentional alteration or deletion of computer data without right.

Section 8. Penalties. – Any person found guilty of any of the punishable acts enumerated in Section 4
shall be punished with imprisonment of up to six years or a fine of up to five hundred thousand pesos.
"""


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What does section 4 of RA 4242 say?", ProvisionRef("section", "4")),
        ("Is sec. 8 a fine or prison?", ProvisionRef("section", "8")),
        ("What does Section 4(a) cover?", ProvisionRef("section", "4", "a")),
        ("Read § 12 for me", ProvisionRef("section", "12")),
    ],
)
def test_a_section_number_is_read_as_a_section(question: str, expected: ProvisionRef) -> None:
    assert read_query(question).provisions == [expected]


def test_a_section_without_a_number_or_a_year_is_no_reference() -> None:
    assert read_query("Which section of the act deals with penalties?").provisions == []
    assert read_query("Section 2024/13 of the report").provisions == []


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, make_settings, embeddings) -> Engine:
    """The UN convention's articles 4 and 7 and a national act numbered by sections, MiniLM store."""
    folder = tmp_path_factory.mktemp("sections-store")
    docs = folder / "docs"
    docs.mkdir()
    (docs / f"{UN}.txt").write_text(UN_TEXT, encoding="utf-8")
    (docs / f"{ACT}.txt").write_text(ACT_TEXT, encoding="utf-8")
    engine = Engine(make_settings(folder, embedding_backend="minilm"))
    engine.ingest([docs])
    return engine


def _first_hit(engine: Engine, question: str) -> tuple[str, str | None, tuple[str, ...]]:
    hit = engine.search(question, k=3)[0]
    return hit.passage.doc_id, hit.passage.article, hit.reasons


def test_section_4_is_the_acts_section_and_article_4_the_conventions_article(engine: Engine) -> None:
    assert engine.passages_of(ACT, article="4")[0].article_noun == "Section"
    assert _first_hit(engine, "What does section 4 say?") == (ACT, "4", ("names section 4",))
    assert _first_hit(engine, "What does article 4 say?") == (UN, "4", ("names article 4",))


def test_a_section_named_with_its_act_is_looked_up_in_that_act(engine: Engine) -> None:
    assert _first_hit(engine, "What penalty does section 8 of the Testland Cybercrime Act set?")[:2] == (ACT, "8")


def test_a_section_no_document_has_is_not_forced_on_an_article(engine: Engine) -> None:
    # The convention has an article 7, but "section 7" names a section, which no document has.
    hits = engine.search("What does section 7 provide about illegal access?", k=3)
    assert all(not any(r.startswith("names") for r in hit.reasons) for hit in hits)


def test_a_summary_of_a_section_is_titled_by_the_documents_own_word(engine: Engine) -> None:
    assert ", section 4" in engine.summarize(ACT, article="4").question
    assert ", article 4" in engine.summarize(UN, article="4").question
