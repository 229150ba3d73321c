"""The document registry: names as data, loose names resolved, uploads named by their own title."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from rag.chunking import approximate_tokens
from rag.documents import DocumentEntry, builtin_registry, derive_names, load_registry
from rag.engine import Engine
from rag.errors import QueryError
from rag.ingestion import prepare_document
from rag.keyword_index import KeywordIndex
from rag.loaders import load_document
from rag.plain_terms import DATA_DIR, load_plain_terms, terms_of
from rag.references import read_query
from rag.retrieval import CorpusView, PartitionedScores, _reserve_places
from rag.settings import Settings
from rag.types import Passage

FIXTURES = Path(__file__).parent / "fixtures" / "user-documents"
UN, BUDAPEST, UNTOC, UNCAC = "un-cybercrime-convention-2024", "budapest-convention-ets185", "untoc-2000", "uncac-2003"
UPLOAD = "testland-cybercrime-act"


# ----- the registry file -----


def test_every_builtin_document_has_an_entry_with_its_texts_hash(corpus_dir: Path) -> None:
    registry = builtin_registry()
    for path in sorted(corpus_dir.glob("*.txt")):
        entry = registry.get(path.stem)
        assert entry is not None, f"{path.name} has no entry in documents.toml"
        assert entry.content_hash == load_document(path, 10_000_000, 10).content_hash, path.name
        assert entry.short_title and entry.aliases and entry.builtin


def test_every_plain_terms_file_is_named_by_one_entry() -> None:
    named = [e.plain_terms for e in builtin_registry().entries.values() if e.plain_terms]
    assert sorted(named) == sorted(p.name for p in DATA_DIR.glob("*.jsonl"))


def test_an_entry_annotating_an_unknown_document_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "documents.toml"
    bad.write_text(
        'default_document = "a"\n[[document]]\nid = "a"\ntitle = "A"\nshort_title = "A"\nannotates = "b"\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="annotates 'b'"):
        load_registry(bad)


# ----- names in questions -----


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What does the Hanoi Convention say about child sexual abuse material?", [UN]),
        ("Does the UN cybercrime treaty protect journalists?", [UN]),
        ("How does the Palermo Convention define an organised criminal group?", [UNTOC]),
        ("Is bribery covered by the UN Convention against Corruption?", [UNCAC]),
        (
            "What does Budapest's additional protocol say about racist material?",
            ["budapest-convention-additional-protocol-ets189"],
        ),
        ("When was the resolution adopted?", ["un-ga-resolution-79-243"]),
        ("Does the UNCC cover online fraud?", [UN]),
    ],
)
def test_a_documents_name_or_nickname_names_it(question: str, expected: list[str]) -> None:
    assert read_query(question).documents == expected


def test_the_convention_beside_budapest_names_both() -> None:
    reading = read_query("Does the convention go further than the Budapest Convention on data preservation?")
    assert set(reading.documents) == {BUDAPEST, UN}


def test_the_convention_named_through_its_resolution_names_both() -> None:
    reading = read_query("When does the convention adopted by resolution 79/243 enter into force?")
    assert reading.documents == ["un-ga-resolution-79-243", UN]
    assert read_query("When was the resolution adopted?").documents == ["un-ga-resolution-79-243"]


def test_the_convention_alone_names_no_other_document() -> None:
    reading = read_query("What does the convention say about data preservation?")
    assert reading.documents == [] and reading.generic


def test_a_place_a_document_mentions_does_not_name_it() -> None:
    # The resolution names Hanoi, but "the treaty signed in Hanoi" is the convention.
    reading = read_query("Does the treaty signed in Hanoi let states extradite their own nationals?")
    assert reading.documents == [] and reading.generic


def test_budapest_convention_with_its_own_wording_is_not_in_doubt() -> None:
    assert read_query("Under the Budapest Convention, what is illegal access?").documents == [BUDAPEST]


# ----- uploads named by their own title -----


def test_a_national_act_is_named_by_its_cited_title_acronym_and_number() -> None:
    path = FIXTURES / "philippines-cybercrime-prevention-act-2012.txt"
    doc, _ = prepare_document(path, Settings(), approximate_tokens, 230)
    short, aliases = derive_names(doc.doc_id, doc.title, doc.text)
    assert short == "Cybercrime Prevention Act of 2012"
    assert {"cybercrime prevention act of 2012", "cybercrime prevention act", "cpa 2012", "ra 10175"} <= set(aliases)


def test_a_long_treaty_title_gets_a_short_title_cut_at_a_word() -> None:
    title = "Convention for the Protection of Individuals with Regard to Automatic Processing of Personal Data"
    short, aliases = derive_names("c108", title, "")
    assert short.endswith("...") and len(short) <= 60 and title.startswith(short[:-3])
    assert title.lower() in aliases


def test_a_file_named_for_an_instruments_number_is_known_by_that_number() -> None:
    title = "Convention for the Protection of Individuals with Regard to Automatic Processing of Personal Data"
    assert "convention 108" in derive_names("coe-convention-108-data-protection-1981", title, "")[1]
    assert "protocol 185" in derive_names("protocol185", "Protocol", "")[1]
    # A year in the file name is not the instrument's number.
    _, aliases = derive_names("philippines-cybercrime-prevention-act-2012", "Cybercrime Prevention Act", "")
    assert not any(alias.startswith("act ") for alias in aliases)


def test_plain_terms_follow_the_text_not_the_file_name() -> None:
    table = load_plain_terms()
    untoc_hash = builtin_registry().entries[UNTOC].content_hash
    article_5 = {"doc_title": "t", "start": 0, "end": 1, "context": "c", "kind": "article", "article": "5"}
    renamed = Passage(id="a", doc_id="my-copy-of-palermo", text="x", doc_hash=untoc_hash, **article_5)  # type: ignore[arg-type]
    impostor = Passage(
        id="b",
        doc_id=UNTOC,
        text="Section 5. Penalties. - text",
        doc_hash="0" * 16,
        **article_5,  # type: ignore[arg-type]
    )
    assert "gang" in terms_of(renamed, table).lower()
    assert terms_of(impostor, table) == "Penalties"


# ----- a small store: scoping, the upload's entry, editing it -----

UN_TEXT = """United Nations Convention against Cybercrime

Article 7

Illegal access

1. Each State Party shall establish as a criminal offence the access to the whole or any part of an
information and communications technology system without right.

Article 25

Expedited preservation of stored electronic data

1. Each State Party shall enable its competent authorities to order the expeditious preservation of
specified electronic data.
"""
BUDAPEST_TEXT = """Convention on Cybercrime

Article 2

Illegal access

Each Party shall establish as criminal offences under its domestic law the access to the whole or any
part of a computer system without right.

Article 16

Expedited preservation of stored computer data

1. Each Party shall enable its competent authorities to order the expeditious preservation of specified
computer data.
"""
UNTOC_TEXT = """United Nations Convention against Transnational Organized Crime

Article 5

Criminalization of participation in an organized criminal group

1. Each State Party shall establish as a criminal offence agreeing with one or more other persons to
commit a serious crime.
"""
UPLOAD_TEXT = """Republic of Testland

REPUBLIC ACT NO. 4242

Article 1

Title

This Act shall be known as the "Testland Cybercrime Act of 2019".

Article 4

Illegal access

The access to the whole or any part of a computer system without right is punishable by
imprisonment.
"""


def _small_store(folder: Path, make_settings) -> Engine:
    """Three built-in ids with a few articles each and one upload, ingested with the MiniLM model."""
    docs = folder / "docs"
    docs.mkdir()
    for name, text in [(UN, UN_TEXT), (BUDAPEST, BUDAPEST_TEXT), (UNTOC, UNTOC_TEXT), (UPLOAD, UPLOAD_TEXT)]:
        (docs / f"{name}.txt").write_text(text, encoding="utf-8")
    engine = Engine(make_settings(folder, embedding_backend="minilm"))
    engine.ingest([docs])
    return engine


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, make_settings, embeddings) -> Engine:
    """A small store the read-only tests share."""
    return _small_store(tmp_path_factory.mktemp("registry-store"), make_settings)


@pytest.fixture
def own_engine(tmp_path: Path, make_settings, embeddings) -> Engine:
    """A small store of the test's own, for tests that change it."""
    return _small_store(tmp_path, make_settings)


def _docs_of(engine: Engine, question: str) -> list[str]:
    return [hit.passage.doc_id for hit in engine.search(question, k=3) if not hit.supporting]


def test_an_alias_question_is_searched_in_that_document_only(engine: Engine) -> None:
    assert set(_docs_of(engine, "What does the Palermo Convention say about joining a criminal group?")) == {UNTOC}


def test_an_uploads_derived_acronym_scopes_the_question_to_it(engine: Engine) -> None:
    entry = engine.registry().get(UPLOAD)
    assert entry is not None and entry.short_title == "Testland Cybercrime Act of 2019"
    assert set(_docs_of(engine, "Is illegal access punished under TCA 2019?")) == {UPLOAD}
    assert _docs_of(engine, "Is illegal access punished under Republic Act 4242?")[0] == UPLOAD
    assert _docs_of(engine, "Is illegal access punished under the UN cybercrime treaty?")[0] == UN


def test_the_convention_beside_budapest_searches_both(engine: Engine) -> None:
    docs = _docs_of(engine, "Does the convention require expedited preservation like the Budapest Convention?")
    assert {UN, BUDAPEST} <= set(docs)
    assert set(_docs_of(engine, "Under the Budapest Convention, what is illegal access?")) == {BUDAPEST}


def test_editing_an_uploads_names_persists_and_scopes(own_engine: Engine) -> None:
    engine = own_engine
    engine.update_document_names(UPLOAD, "Testland Act", ["the hacking statute"])
    reopened = Engine(engine.settings)
    entry = reopened.registry().get(UPLOAD)
    assert entry is not None and entry.short_title == "Testland Act" and entry.aliases == ("the hacking statute",)
    assert _docs_of(reopened, "Is illegal access punished under the hacking statute?")[0] == UPLOAD
    label = next(
        h.passage.label for h in reopened.search("the hacking statute illegal access") if h.passage.doc_id == UPLOAD
    )
    assert label.startswith("Testland Act")
    # Re-ingesting the changed file keeps the names a person gave it.
    path = Path(reopened.store.manifest()[UPLOAD].source_path)
    path.write_text(UPLOAD_TEXT + "\nArticle 5\n\nPenalties\n\nA fine applies.\n", encoding="utf-8")
    reopened.ingest([path])
    assert Engine(engine.settings).registry().entries[UPLOAD].short_title == "Testland Act"


def test_a_builtin_documents_names_are_not_edited_through_the_engine(engine: Engine) -> None:
    with pytest.raises(QueryError, match="built-in"):
        engine.update_document_names(UN, "UN", ["un"])
    with pytest.raises(QueryError, match="empty"):
        engine.update_document_names(UPLOAD, "  ", [])


# ----- uploads beside the built-in documents -----

DATA_PROTECTION_UPLOAD = DocumentEntry(
    id="coe-108",
    title="Convention for the Protection of Individuals with Regard to Automatic Processing of Personal Data",
    short_title="Convention 108",
    aliases=("convention 108",),
)


def test_four_words_in_a_row_of_an_uploads_title_name_it() -> None:
    registry = builtin_registry().with_entries([DATA_PROTECTION_UPLOAD])
    reading = registry.read("How does the convention on automatic processing of personal data define a controller?")
    assert "coe-108" in reading.documents


def test_fewer_title_words_in_a_row_do_not_name_an_upload() -> None:
    registry = builtin_registry().with_entries([DATA_PROTECTION_UPLOAD])
    assert registry.read("How does the UN convention protect the processing of personal data?").documents == [
        "un-cybercrime-convention-2024"
    ]


def test_a_question_naming_a_builtin_document_does_not_search_an_unnamed_upload(engine: Engine) -> None:
    # The upload's "Illegal access" article matches these questions as well as the UN convention's.
    assert UPLOAD not in _docs_of(
        engine, "Is illegal access to a computer system punished under the UN cybercrime treaty?"
    )
    assert UPLOAD not in _docs_of(engine, "Does the treaty make illegal access to a computer system a crime?")
    assert UPLOAD in _docs_of(
        engine, "Is illegal access to the whole or any part of a computer system punishable by imprisonment?"
    )


def test_a_comparison_with_the_un_convention_searches_a_loosely_named_upload_too(engine: Engine) -> None:
    docs = _docs_of(
        engine,
        "How does the Testland law on access to the whole or any part of a computer system without right compare "
        "with the UN cybercrime treaty?",
    )
    assert UPLOAD in docs and UN in docs


def test_the_treaty_said_in_a_store_of_uploads_only_searches_the_uploads(
    tmp_path: Path, make_settings, embeddings
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / f"{UPLOAD}.txt").write_text(UPLOAD_TEXT, encoding="utf-8")
    engine = Engine(make_settings(tmp_path, embedding_backend="minilm"))
    engine.ingest([docs])
    docs_found = _docs_of(engine, "Does the treaty punish illegal access?")
    assert docs_found and set(docs_found) == {UPLOAD}


def test_an_upload_leaves_the_builtin_passages_bm25_order_unchanged() -> None:
    # "beta" is the rarer word among the built-in passages, so "builtin-b" leads; an upload full of
    # "beta" would make it the commoner word and put "builtin-a" first if it shared the statistics.
    builtin = {"builtin-a": "alpha alpha gamma", "builtin-b": "beta beta gamma"}
    builtin |= {f"builtin-filler-{n}": "alpha delta" for n in range(3)}
    upload = {f"upload-{n}": "beta epsilon" for n in range(8)}
    texts = builtin | upload
    shared = KeywordIndex.build(list(texts), list(texts.values()), "sig")
    alone = KeywordIndex.build(list(builtin), list(builtin.values()), "sig").scores("alpha beta")
    assert shared.scores("alpha beta")["builtin-a"] > shared.scores("alpha beta")["builtin-b"]  # the shift
    partitioned = PartitionedScores(shared, frozenset(builtin)).scores("alpha beta")
    assert {pid: partitioned[pid] for pid in alone} == alone
    assert all(partitioned[pid] > 0 for pid in upload)  # the upload is still ranked beside them


# ----- uploads named as people name them -----


def _fixture_names(name: str) -> tuple[str, ...]:
    doc, _ = prepare_document(FIXTURES / name, Settings(), approximate_tokens, 230)
    return derive_names(doc.doc_id, doc.title, doc.text)[1]


def test_a_treaty_titled_by_its_subject_is_known_by_its_everyday_name() -> None:
    assert "data protection convention" in _fixture_names("coe-convention-108-data-protection-1981.md")


def test_a_national_act_is_known_by_the_place_it_is_enacted_for() -> None:
    assert {"philippines", "philippine"} <= set(_fixture_names("philippines-cybercrime-prevention-act-2012.txt"))


def test_an_instrument_of_a_body_in_the_registry_gets_the_bodys_names() -> None:
    assert {"council of europe", "coe"} <= set(_fixture_names("coe-convention-108-data-protection-1981.md"))
    assert "council of europe" not in _fixture_names("philippines-cybercrime-prevention-act-2012.txt")


COE_UPLOAD = DocumentEntry(
    id="coe-108",
    title="Convention for the Protection of Individuals with Regard to Automatic Processing of Personal Data",
    short_title="Convention 108",
    aliases=("convention 108", "council of europe"),
)


def test_a_name_two_documents_share_goes_to_the_one_whose_title_the_question_echoes() -> None:
    registry = builtin_registry().with_entries([COE_UPLOAD])
    assert registry.read("What does the Council of Europe treaty on personal data say about access?").documents == [
        "coe-108"
    ]
    # No title word to choose by: both stay in play.
    assert set(registry.read("Can a State leave the Council of Europe treaty?").documents) == {BUDAPEST, "coe-108"}
    # The built-in registry alone still reads "Council of Europe" as the Budapest Convention.
    assert builtin_registry().read("Can a State leave the Council of Europe treaty?").documents == [BUDAPEST]


def test_the_convention_heading_an_uploads_title_words_names_only_that_upload() -> None:
    registry = builtin_registry().with_entries([DATA_PROTECTION_UPLOAD])
    reading = registry.read("How does the convention on automatic processing of personal data define a controller?")
    assert reading.documents == ["coe-108"] and not reading.generic


def test_the_convention_joined_to_another_treatys_name_is_read_as_the_un_convention_beside_it() -> None:
    reading = builtin_registry().read("The convention and Budapest both have a 24/7 network. What must each do?")
    assert set(reading.documents) == {BUDAPEST, UN} and reading.generic


def test_a_question_read_without_the_names_it_uses_keeps_what_it_asks() -> None:
    registry = builtin_registry().with_entries([COE_UPLOAD])
    question = "Under Convention 108, who pays for assistance between authorities?"
    assert (
        read_query(question, registry=registry).without_names(question)
        == "Under , who pays for assistance between authorities?"
    )
    assert read_query("Who pays?", registry=registry).without_names("Who pays?") == "Who pays?"


def test_derived_names_are_refreshed_when_an_unchanged_document_is_ingested_again(own_engine: Engine) -> None:
    store = own_engine.store
    entry = store.manifest()[UPLOAD]
    store.commit(replace(entry, short_title="stale", aliases=("stale",)))
    own_engine.ingest([Path(entry.source_path)])
    refreshed = store.manifest()[UPLOAD]
    assert refreshed.short_title == "Testland Cybercrime Act of 2019" and "testland" in refreshed.aliases
    # Names a person set are kept.
    own_engine.update_document_names(UPLOAD, "Mine", ["my act"])
    own_engine.ingest([Path(entry.source_path)])
    assert store.manifest()[UPLOAD].aliases == ("my act",)


def test_a_question_naming_two_families_keeps_places_for_each_in_the_first_five() -> None:
    ranked = [(f"{UN}:{n:04d}", 1.0 - n / 100, "hybrid") for n in range(6)]
    ranked += [("coe-108:0001", 0.1, "hybrid"), ("coe-108:0002", 0.05, "hybrid")]
    passages = [
        Passage(id=pid, doc_id=pid.split(":")[0], doc_title="", text="t", start=0, end=1, context="", kind="paragraph")
        for pid, _, _ in ranked
    ]
    view = CorpusView("signature", {}, {p.id: p for p in passages}, keyword=None)  # type: ignore[arg-type]
    top = [pid for pid, _, _ in _reserve_places(view, ranked, ["coe-108", UN], 5, 2)[:5]]
    assert top == [f"{UN}:0000", f"{UN}:0001", f"{UN}:0002", "coe-108:0001", "coe-108:0002"]
    # A document with one passage lends that one.
    short = [*ranked[:6], ("coe-108:0001", 0.1, "hybrid")]
    assert [pid for pid, _, _ in _reserve_places(view, short, ["coe-108", UN], 5, 2)[:5]][-1] == "coe-108:0001"
