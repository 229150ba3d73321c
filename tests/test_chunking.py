"""The chunker (``rag.chunking``) on the whole corpus with the real MiniLM tokenizer, plus
property tests with ``approximate_tokens``.

Passages are made the way ingestion makes them (``rag.ingestion.prepare_document``), so the
budget checked here is the one the store gets.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.chunking import SENTENCE_END_RE, approximate_tokens, chunk_document
from rag.ingestion import prepare_document
from rag.settings import Settings
from rag.structure import parse_document, split_blocks
from rag.types import Passage, SourceDocument

ARTICLE_HEADING_RE = re.compile(r"Article \d+")
SENTENCE_BOUNDARY_BEFORE_RE = re.compile(r"[.;:!?][”\"')\]]*\s+$")
SENTENCE_END_AT_RE = re.compile(r"[.;:!?][”\"')\]]*$")


class Chunked:
    """One corpus file chunked for ingestion: the document, its parse and its passages."""

    def __init__(self, doc: SourceDocument, passages: list[Passage]) -> None:
        self.doc = doc
        self.passages = passages
        self.parsed = parse_document(doc.text)


def chunk_corpus(corpus_dir: Path, settings: Settings, embeddings) -> dict[str, Chunked]:
    max_tokens = min(settings.chunk_max_tokens, embeddings.max_tokens)
    chunked = {}
    for path in sorted(corpus_dir.glob("*.txt")):
        if path.stem == "MANIFEST":
            continue
        doc, passages = prepare_document(path, settings, embeddings.count_tokens, max_tokens)
        chunked[doc.doc_id] = Chunked(doc, passages)
    return chunked


@pytest.fixture(scope="module")
def chunk_settings(tmp_path_factory: pytest.TempPathFactory, make_settings) -> Settings:
    return make_settings(tmp_path_factory.mktemp("chunking"))


@pytest.fixture(scope="module")
def corpus_chunks(corpus_dir: Path, chunk_settings: Settings, embeddings) -> dict[str, Chunked]:
    return chunk_corpus(corpus_dir, chunk_settings, embeddings)


def all_passages(chunks: dict[str, Chunked]) -> list[Passage]:
    return [p for c in chunks.values() for p in c.passages]


# ----- the corpus with the real tokenizer -----


def test_corpus_chunks_every_document(corpus_chunks: dict[str, Chunked]) -> None:
    assert len(corpus_chunks) == 8
    assert all(c.passages for c in corpus_chunks.values())
    assert len(all_passages(corpus_chunks)) > 400


def test_passage_text_is_exact_slice(corpus_chunks: dict[str, Chunked]) -> None:
    for chunked in corpus_chunks.values():
        for p in chunked.passages:
            assert p.text == chunked.doc.text[p.start : p.end], p.id
            assert p.text.strip() == p.text != "", p.id
            assert p.doc_hash == chunked.doc.content_hash


def test_passages_in_order_and_cover_every_unit(corpus_chunks: dict[str, Chunked]) -> None:
    """No overlap, reading order, and no non-space character of a unit left out of every passage."""
    for doc_id, chunked in corpus_chunks.items():
        text = chunked.doc.text
        previous_end = 0
        covered = bytearray(len(text))
        for p in chunked.passages:
            assert previous_end <= p.start < p.end, p.id
            previous_end = p.end
            covered[p.start : p.end] = b"\x01" * (p.end - p.start)
        for unit in chunked.parsed.units:
            lost = [i for i in range(unit.start, unit.end) if not covered[i] and not text[i].isspace()]
            assert not lost, f"{doc_id}: {text[lost[0] : lost[0] + 60]!r} is in no passage"


def test_every_passage_within_the_model_limit(corpus_chunks: dict[str, Chunked], chunk_settings, embeddings) -> None:
    assert embeddings.max_tokens == 256
    sizes = {p.id: embeddings.count_tokens(p.embedded_text) for p in all_passages(corpus_chunks)}
    largest = max(sizes, key=sizes.__getitem__)
    assert sizes[largest] <= embeddings.max_tokens, largest
    # Also within the configured chunk budget (230 by default), which leaves a margin.
    assert sizes[largest] <= chunk_settings.chunk_max_tokens, (largest, sizes[largest])


def _sentence_around(text: str, cut: int) -> str:
    """The sentence (inside its block) that holds the offset ``cut``, as the chunker splits them."""
    for block in split_blocks(text):
        if block.start <= cut <= block.end:
            ends = [block.start + m.end() for m in SENTENCE_END_RE.finditer(block.text)]
            before = max([block.start, *[e for e in ends if e <= cut]])
            after = min([block.end, *[e for e in ends if e > cut]])
            return text[before:after]
    raise AssertionError(f"offset {cut} lies in no block")


def test_no_passage_starts_or_ends_mid_sentence(corpus_chunks: dict[str, Chunked], embeddings) -> None:
    """A cut that is neither a block edge nor a sentence end needs a sentence over the budget."""
    count = embeddings.count_tokens
    mid_sentence_cuts = 0
    for chunked in corpus_chunks.values():
        text = chunked.doc.text
        for p in chunked.passages:
            start_ok = (
                p.start == 0
                or text[p.start - 1] == "\n"
                or bool(SENTENCE_BOUNDARY_BEFORE_RE.search(text[max(0, p.start - 8) : p.start]))
            )
            end_ok = (
                p.end == len(text)
                or text[p.end] == "\n"
                or bool(SENTENCE_END_AT_RE.search(text[max(0, p.end - 4) : p.end]))
            )
            for ok, cut in ((start_ok, p.start), (end_ok, p.end)):
                if ok:
                    continue
                mid_sentence_cuts += 1
                sentence = _sentence_around(text, cut)
                room = 230 - count(p.context)
                assert count(sentence) > room, f"{p.id} cut mid-sentence at {text[cut - 30 : cut + 30]!r}"
    # Only the UNCAC preamble, one run-on recital list, is cut inside a sentence.
    assert mid_sentence_cuts <= 8


def test_article_heading_never_alone(corpus_chunks: dict[str, Chunked]) -> None:
    for chunked in corpus_chunks.values():
        for p in chunked.passages:
            if p.kind != "article":
                continue
            rest = p.text
            if ARTICLE_HEADING_RE.match(rest):
                rest = rest[ARTICLE_HEADING_RE.match(rest).end() :].strip()
                if p.article_title:
                    rest = rest.removeprefix(p.article_title).strip()
                assert rest, f"{p.id}: only the heading {p.text!r}"


def test_every_article_heading_starts_its_first_passage(corpus_chunks: dict[str, Chunked]) -> None:
    for chunked in corpus_chunks.values():
        firsts: dict[str, Passage] = {}
        for p in chunked.passages:
            if p.kind == "article" and p.article:
                firsts.setdefault(p.article, p)
        for article, p in firsts.items():
            assert p.text.startswith(f"Article {article}"), p.id
            assert p.paragraphs[:1] in ((), ("1",)), p.id


def test_short_article_is_exactly_one_passage(corpus_chunks: dict[str, Chunked], embeddings) -> None:
    count = embeddings.count_tokens
    short = 0
    for chunked in corpus_chunks.values():
        text = chunked.doc.text
        for unit in chunked.parsed.units:
            if unit.kind != "article":
                continue
            mine = [p for p in chunked.passages if p.kind == "article" and p.article == unit.article]
            assert mine, unit.article
            if count(mine[0].context + "\n" + text[unit.start : unit.end]) <= 200:
                short += 1
                assert len(mine) == 1, f"{chunked.doc.doc_id} art. {unit.article}"
                assert (mine[0].start, mine[0].end) == (unit.start, unit.end)
    assert short > 100


def test_known_passages(corpus_chunks: dict[str, Chunked]) -> None:
    un = corpus_chunks["un-cybercrime-convention-2024"].passages
    art1 = [p for p in un if p.article == "1"]
    assert len(art1) == 1 and art1[0].article_title == "Statement of purpose"
    assert art1[0].context.startswith("UN Cybercrime Convention | Chapter I General provisions | Article 1")
    art40 = [p for p in un if p.article == "40"]
    assert len(art40) > 3
    assert list(dict.fromkeys(n for p in art40 for n in p.paragraphs)) == [str(n) for n in range(1, 33)]
    notes = corpus_chunks["un-cybercrime-convention-2024-interpretative-notes"].passages
    assert [p.refers_to for p in notes] == [("2",), ("2",), ("17",), ("23", "35"), ("35",)]
    assert all(p.kind == "note" for p in notes)


def test_ids_unique_and_stable(corpus_dir: Path, corpus_chunks: dict[str, Chunked], chunk_settings, embeddings) -> None:
    ids = [p.id for p in all_passages(corpus_chunks)]
    assert len(ids) == len(set(ids))
    again = chunk_corpus(corpus_dir, chunk_settings, embeddings)
    assert [p.id for p in all_passages(again)] == ids
    assert all_passages(again) == all_passages(corpus_chunks)


def test_unbreakable_word_is_cut_to_the_budget(embeddings) -> None:
    url = "https://example.org/" + "/".join(f"part{n}" for n in range(300))  # ~1,900 characters
    text = f"Memo on links\n\nThe link is {url} and it ends here.\n\nA second paragraph."
    doc = SourceDocument("memo", "Memo on links", text)
    passages = chunk_document(doc, parse_document(text), embeddings.count_tokens, 230)
    assert all(p.text == text[p.start : p.end] for p in passages)
    assert max(embeddings.count_tokens(p.embedded_text) for p in passages) <= 230


USER_DOCUMENTS = Path(__file__).parent / "fixtures" / "user-documents"


def test_national_act_passages_are_its_sections(chunk_settings: Settings, embeddings) -> None:
    path = USER_DOCUMENTS / "philippines-cybercrime-prevention-act-2012.txt"
    max_tokens = min(chunk_settings.chunk_max_tokens, embeddings.max_tokens)
    doc, passages = prepare_document(path, chunk_settings, embeddings.count_tokens, max_tokens)
    assert all(p.text == doc.text[p.start : p.end] for p in passages)
    assert max(embeddings.count_tokens(p.embedded_text) for p in passages) <= max_tokens
    sections = {p.article for p in passages if p.kind == "article"}
    assert sections == {str(n) for n in range(1, 32)}
    section4 = [p for p in passages if p.article == "4"]
    assert len(section4) > 1  # a long section is split, each piece under its heading
    assert all("Chapter II Punishable acts | Section 4 Cybercrime Offenses" in p.context for p in section4)
    assert section4[0].label.endswith(", sec. 4")  # cited as a section, not as an article
    stored = Passage.from_metadata(section4[0].id, section4[0].text, section4[0].to_metadata())
    assert stored == section4[0]


def test_unstructured_single_newline_text_is_never_one_giant_passage(embeddings) -> None:
    """Prose from a PDF with neither headings nor blank lines: many passages, each within the budget."""
    sentence = "The report finds that the cooperation chapter is broad and that safeguards are weak. "
    lines = [(sentence * 2).strip() for _ in range(60)]
    text = "A report on the treaty\n" + "\n".join(lines)
    doc = SourceDocument("report", "A report on the treaty", text)
    passages = chunk_document(doc, parse_document(text), embeddings.count_tokens, 230)
    assert len(passages) >= len(text) // 2000
    assert all(p.text == text[p.start : p.end] for p in passages)
    assert max(embeddings.count_tokens(p.embedded_text) for p in passages) <= 230


# ----- property tests with approximate_tokens -----

PLAIN_WORDS = [
    "State",
    "Party",
    "shall",
    "adopt",
    "measures",
    "the",
    "of",
    "data",
    "computer",
    "system",
    "and",
    "or",
    "offence",
    "article",
    "2",
    "15",
    "1999",
    "“data”",
    "(a)",
    "such",
    "as",
    "may",
    "necessary,",
    "including:",
    "e.g.",
    "art.",
    "U.N.",
    "co-operation",
    "Schengen",
    "cybercrime",
    "i.e.",
    "para.",
]
ENDING_WORDS = ["law.", "Convention;", "follows:", "purposes.", "request."]
WORD = st.sampled_from(PLAIN_WORDS + ENDING_WORDS)


def sentence(min_words: int = 1, max_words: int = 40) -> st.SearchStrategy[str]:
    return st.lists(WORD, min_size=min_words, max_size=max_words).map(lambda ws: " ".join(ws) + ".")


def run_on_sentence() -> st.SearchStrategy[str]:
    """A sentence of 100 to 600 words with no sentence end inside (the last-resort word cuts)."""
    return st.tuples(st.lists(st.sampled_from(PLAIN_WORDS), min_size=10, max_size=20), st.integers(10, 30)).map(
        lambda pair: " ".join(pair[0] * pair[1]) + "."
    )


@st.composite
def structured_documents(draw: st.DrawFn) -> str:
    """A treaty-like text: title, preamble, chapters, articles, numbered paragraphs, sub-items,
    and now and then a run-on sentence far over any budget."""
    parts = [draw(st.sampled_from(["Convention on Testing", "Protocol on Things", "A Report"]))]
    if draw(st.booleans()):
        parts += ["Preamble", *draw(st.lists(sentence(), min_size=1, max_size=3))]
    chapters = draw(st.integers(min_value=0, max_value=2))
    article = 0
    for chapter in range(max(1, chapters)):
        if chapters:
            parts += [f"Chapter {'I' * (chapter + 1)}", draw(st.sampled_from(["General provisions", "Cooperation"]))]
        for _ in range(draw(st.integers(min_value=0, max_value=3))):
            article += 1
            parts += [f"Article {article}", draw(st.sampled_from(["Use of terms", "Scope of application"]))]
            for number in range(1, draw(st.integers(min_value=1, max_value=4)) + 1):
                body = " ".join(draw(st.lists(sentence(), min_size=1, max_size=4)))
                if draw(st.integers(min_value=0, max_value=9)) == 0:
                    body += " " + draw(run_on_sentence())
                parts.append(f"{number}. {body}")
                for letter in draw(st.lists(st.sampled_from("abcdef"), max_size=3, unique=True)):
                    parts.append(f"({letter}) {draw(sentence())}")
    if draw(st.booleans()):
        parts += draw(st.lists(sentence(), min_size=1, max_size=3))  # unnumbered paragraphs
    separator = draw(st.sampled_from(["\n\n", "\n"]))
    return separator.join(parts)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(structured_documents(), st.integers(min_value=96, max_value=400))
def test_chunking_keeps_slices_and_budget(text: str, max_tokens: int) -> None:
    doc = SourceDocument("prop-doc", "Property document", text)
    parsed = parse_document(text)
    passages = chunk_document(doc, parsed, approximate_tokens, max_tokens)
    previous_end = 0
    covered = bytearray(len(text))
    for p in passages:
        assert p.text == text[p.start : p.end]
        assert p.text.strip() == p.text != ""
        assert previous_end <= p.start < p.end
        previous_end = p.end
        covered[p.start : p.end] = b"\x01" * (p.end - p.start)
        assert approximate_tokens(p.embedded_text) <= max_tokens, (p.id, approximate_tokens(p.embedded_text))
    for unit in parsed.units:
        assert all(covered[i] or text[i].isspace() for i in range(unit.start, unit.end))
    ids = [p.id for p in passages]
    assert len(ids) == len(set(ids))
    assert ids == [p.id for p in chunk_document(doc, parsed, approximate_tokens, max_tokens)]
