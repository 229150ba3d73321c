"""The structure parser (``rag.structure``) on every corpus file, plus property tests.

Corpus expectations come from corpus/MANIFEST.md and, where possible, are checked
against an independent scan of the raw text (standalone ``Article N`` lines, ``N.`` labels).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rag.structure import ParsedDocument, Unit, cross_references, parse_document, split_blocks

UN = "un-cybercrime-convention-2024"
NOTES = "un-cybercrime-convention-2024-interpretative-notes"
RESOLUTION = "un-ga-resolution-79-243"
BUDAPEST = "budapest-convention-ets185"
PROTOCOL = "budapest-convention-additional-protocol-ets189"
UNTOC = "untoc-2000"
UNCAC = "uncac-2003"
NEWS = "news-us-support-un-cybercrime-convention"

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
ARTICLE_LINE_RE = re.compile(r"^Article (\d+)$", re.MULTILINE)
LABEL_RE = re.compile(r"^(\d{1,3})\.\s", re.MULTILINE)


@pytest.fixture(scope="module")
def texts(corpus_dir: Path) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt"))}


@pytest.fixture(scope="module")
def parsed(texts: dict[str, str]) -> dict[str, ParsedDocument]:
    return {name: parse_document(text) for name, text in texts.items()}


def articles_by_number(doc: ParsedDocument) -> dict[str, Unit]:
    return {u.article: u for u in doc.units if u.kind == "article" and u.article}


def numbers(unit: Unit) -> list[str]:
    return [p.number for p in unit.paragraphs if p.number]


def consecutive(n: int) -> list[str]:
    return [str(i) for i in range(1, n + 1)]


def raw_article_labels(text: str) -> dict[str, list[str]]:
    """Independent of the parser: the ``N.`` labels at line starts between ``Article N`` lines."""
    heads = list(ARTICLE_LINE_RE.finditer(text))
    labels = {}
    for head, nxt in zip(heads, [*heads[1:], None], strict=True):
        body = text[head.end() : nxt.start() if nxt else len(text)]
        labels[head.group(1)] = LABEL_RE.findall(body)
    return labels


# ----- the corpus -----


def test_every_corpus_file_parses(parsed: dict[str, ParsedDocument]) -> None:
    assert set(parsed) == {UN, NOTES, RESOLUTION, BUDAPEST, PROTOCOL, UNTOC, UNCAC, NEWS}
    for name, doc in parsed.items():
        assert doc.units, name
        assert doc.title and doc.title != "Untitled", name


@pytest.mark.parametrize(
    ("name", "count", "chapters"),
    [
        (UN, 68, ROMAN[:9]),
        (BUDAPEST, 48, ROMAN[:4]),
        (PROTOCOL, 16, ROMAN[:4]),
        (UNTOC, 41, []),
        (UNCAC, 71, ROMAN[:8]),
    ],
)
def test_articles_in_order_with_chapters(
    parsed: dict[str, ParsedDocument], texts: dict[str, str], name: str, count: int, chapters: list[str]
) -> None:
    doc = parsed[name]
    assert doc.articles == consecutive(count)
    assert doc.articles == ARTICLE_LINE_RE.findall(texts[name])  # the raw text agrees
    assert doc.chapters == chapters
    assert not doc.is_notes
    # Chapters never go backwards in reading order.
    order = [chapters.index(u.chapter) for u in doc.units if u.kind == "article" and u.chapter]
    assert order == sorted(order)
    # Every article has its title.
    assert all(u.title for u in doc.units if u.kind == "article"), name


def test_un_convention_chapters(parsed: dict[str, ParsedDocument]) -> None:
    arts = articles_by_number(parsed[UN])
    first_of_chapter = {"I": 1, "II": 7, "III": 22, "IV": 23, "V": 35, "VI": 53, "VII": 54, "VIII": 57, "IX": 59}
    starts = {}
    for number in range(1, 69):
        starts.setdefault(arts[str(number)].chapter, number)
    assert starts == first_of_chapter
    assert arts["24"].chapter_title == "Procedural measures and law enforcement"
    assert arts["59"].chapter_title == "Final provisions"


@pytest.mark.parametrize(
    ("name", "article", "title"),
    [
        (UN, "1", "Statement of purpose"),
        (UN, "2", "Use of terms"),
        (UN, "24", "Conditions and safeguards"),
        (UN, "40", "General principles and procedures relating to mutual legal assistance"),
        (BUDAPEST, "2", "Illegal access"),
        (BUDAPEST, "24", "Extradition"),
        (PROTOCOL, "1", "Purpose"),
        (UNTOC, "18", "Mutual legal assistance"),
        (UNCAC, "46", "Mutual legal assistance"),
    ],
)
def test_article_titles(parsed: dict[str, ParsedDocument], name: str, article: str, title: str) -> None:
    assert articles_by_number(parsed[name])[article].title == title


@pytest.mark.parametrize("name", [UN, BUDAPEST, PROTOCOL, UNTOC, UNCAC])
def test_numbered_paragraphs_consecutive_in_every_article(
    parsed: dict[str, ParsedDocument], texts: dict[str, str], name: str
) -> None:
    raw = raw_article_labels(texts[name])
    for number, unit in articles_by_number(parsed[name]).items():
        found = numbers(unit)
        assert found == consecutive(len(found)), f"{name} art. {number}: {found}"
        assert found == raw[number], f"{name} art. {number}: parser {found} vs raw text {raw[number]}"


def test_numbered_paragraph_examples(parsed: dict[str, ParsedDocument]) -> None:
    un, uncac = articles_by_number(parsed[UN]), articles_by_number(parsed[UNCAC])
    # The text of UN art. 40 has 32 numbered paragraphs (MANIFEST: 264 in the whole convention).
    assert numbers(un["40"]) == consecutive(32)
    assert numbers(uncac["46"]) == consecutive(30)
    assert sum(len(numbers(u)) for u in un.values()) == 264
    assert numbers(un["24"]) == consecutive(5)


def test_numbered_paragraph_spans_start_at_their_label(
    parsed: dict[str, ParsedDocument], texts: dict[str, str]
) -> None:
    for name in (UN, UNCAC, UNTOC, BUDAPEST):
        text = texts[name]
        for unit in parsed[name].units:
            for paragraph in unit.paragraphs:
                if paragraph.number:
                    assert text.startswith(f"{paragraph.number}.", paragraph.start), (name, unit.article)


def test_interpretative_notes(parsed: dict[str, ParsedDocument]) -> None:
    doc = parsed[NOTES]
    assert doc.is_notes
    assert doc.articles == []
    assert [u.kind for u in doc.units] == ["note"] * 5
    assert [u.refers_to for u in doc.units] == [("2",), ("2",), ("17",), ("23", "35"), ("35",)]
    assert [numbers(u) for u in doc.units] == [["1"], ["2"], ["3"], ["4"], ["5"]]


def test_resolution_operative_paragraphs(parsed: dict[str, ParsedDocument], texts: dict[str, str]) -> None:
    doc = parsed[RESOLUTION]
    assert doc.articles == []
    kinds = [u.kind for u in doc.units]
    assert kinds == ["preamble", "paragraphs"]
    preamble, operative = doc.units
    assert numbers(operative) == consecutive(12)
    assert numbers(preamble) == []
    assert "The General Assembly," in texts[RESOLUTION][preamble.start : preamble.end]
    assert texts[RESOLUTION].startswith("1. Takes note", operative.start)


def test_news_report_is_plain_paragraphs(parsed: dict[str, ParsedDocument]) -> None:
    doc = parsed[NEWS]
    assert doc.title.startswith("US to support contentious UN cybercrime convention")
    assert [u.kind for u in doc.units] == ["paragraphs"]
    assert doc.articles == [] and doc.chapters == []


@pytest.mark.parametrize("name", [UN, BUDAPEST, PROTOCOL, UNCAC])
def test_preamble_and_final_clause(parsed: dict[str, ParsedDocument], name: str) -> None:
    kinds = [u.kind for u in parsed[name].units]
    assert kinds[0] == "preamble"
    assert kinds[-1] == "final"
    assert kinds[1:-1] == ["article"] * (len(kinds) - 2)


def test_untoc_has_no_preamble(parsed: dict[str, ParsedDocument]) -> None:
    kinds = [u.kind for u in parsed[UNTOC].units]
    assert kinds == ["article"] * 41 + ["final"]


@pytest.mark.parametrize("name", [UN, NOTES, RESOLUTION, BUDAPEST, PROTOCOL, UNTOC, UNCAC, NEWS])
def test_corpus_spans_are_valid(parsed: dict[str, ParsedDocument], texts: dict[str, str], name: str) -> None:
    check_spans(texts[name], parsed[name])


def test_nested_section_and_title_both_kept(parsed: dict[str, ParsedDocument]) -> None:
    art2 = articles_by_number(parsed[BUDAPEST])["2"]
    assert art2.section is not None
    assert "Section 1" in art2.section and "Title 1" in art2.section


def test_document_starting_with_an_article_keeps_it() -> None:
    text = "Article 1\n\nScope\n\n1. This applies.\n\nArticle 2\n\nTerms\n\n1. Words."
    doc = parse_document(text, fallback_title="Fallback")
    assert doc.articles == ["1", "2"]
    check_spans(text, doc)


def test_document_starting_with_a_numbered_paragraph_keeps_it() -> None:
    text = "1. The first paragraph of a memo.\n\n2. The second paragraph."
    doc = parse_document(text, fallback_title="Fallback")
    assert [p.number for u in doc.units for p in u.paragraphs] == ["1", "2"]


# ----- cross references -----


@pytest.mark.parametrize(
    ("text", "own", "expected"),
    [
        ("in accordance with article 6 of this Convention", None, ("6",)),
        ("as provided in paragraph 21 of article 40", None, ("40.21",)),
        ("see article 40, paragraph 8", None, ("40.8",)),
        ("offences established in accordance with articles 7 to 11", None, ("7", "8", "9", "10", "11")),
        ("Articles 2 through 4", None, ("2", "3", "4")),
        ("articles 23 and 35 of the convention", None, ("23", "35")),
        ("articles 1 through 30", None, ("1", "30")),  # ranges over 20 keep only the ends
        ("as set out in article 24 and article 25", "24", ("25",)),  # own article dropped
        ("article 5 and again article 5", None, ("5",)),  # no duplicates
        ("no references here", None, ()),
    ],
)
def test_cross_references(text: str, own: str | None, expected: tuple[str, ...]) -> None:
    assert cross_references(text, own) == expected


def test_cross_references_in_the_corpus(parsed: dict[str, ParsedDocument], texts: dict[str, str]) -> None:
    text = texts[UN]
    arts = articles_by_number(parsed[UN])

    def refs(number: str) -> tuple[str, ...]:
        unit = arts[number]
        return cross_references(text[unit.start : unit.end], number)

    assert "14" in refs("16")  # "... article 14 of this Convention"
    assert {"7", "8", "9", "10"} <= set(refs("11"))  # "articles 7 to 10"
    assert {str(n) for n in range(7, 17)} <= set(refs("17"))  # "articles 7 to 16"
    assert "40" not in refs("40")


# ----- property tests -----


def check_spans(text: str, doc: ParsedDocument) -> None:
    """Every unit and paragraph span lies inside ``text``, in order, without overlap."""
    previous_end = 0
    for unit in doc.units:
        assert previous_end <= unit.start <= unit.body_start <= unit.end <= len(text), unit
        paragraph_end = unit.body_start
        for paragraph in unit.paragraphs:
            assert paragraph_end <= paragraph.start < paragraph.end <= unit.end, (unit, paragraph)
            piece = text[paragraph.start : paragraph.end]
            assert piece.strip() == piece, (unit, paragraph)
            paragraph_end = paragraph.end
        previous_end = unit.end
    for block in split_blocks(text):
        assert text[block.start : block.end] == block.text
        assert block.text.strip() == block.text != ""


WORD = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
RTL = st.sampled_from(["الدول الأطراف", "מדינות צד", "\u202eoverride\u202c", "اتفاقية\u200f"])
ZERO_WIDTH = st.sampled_from(["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad"])
LEGAL_WORD = st.sampled_from(["shall", "the", "Party", "."])
SENTENCE = st.lists(st.one_of(WORD, RTL, ZERO_WIDTH, LEGAL_WORD), min_size=1, max_size=15).map(" ".join)
# Cheaper to draw: fixed words only, for the strategies that draw many sentences.
PLAIN_SENTENCE = st.lists(
    st.sampled_from(["shall", "the", "Party", "data", "الدول", "צד", "\u200b", "é", "—", "(a)", "1."]),
    min_size=1,
    max_size=15,
).map(" ".join)
ROMANS = st.sampled_from([*ROMAN, "XL", "IIII", "C"])
NUMBER = st.integers(min_value=0, max_value=999).map(str)
LETTER_LABEL = st.sampled_from(["a", "b", "z", "aa", "i", "ii", "iv", "xiv", "A", "ab"])


def labelled(label: st.SearchStrategy[str], template: str) -> st.SearchStrategy[str]:
    return st.tuples(label, SENTENCE).map(lambda pair: template.format(*pair))


BLOCK = st.one_of(
    SENTENCE,
    ROMANS.map(lambda r: f"Chapter {r}"),
    ROMANS.map(lambda r: f"CHAPTER {r}."),
    NUMBER.map(lambda n: f"Article {n}"),
    NUMBER.map(lambda n: f"Articles {n} and {n}"),
    NUMBER.map(lambda n: f"Section {n}"),
    st.sampled_from(
        [
            "Preamble",
            "PREAMBLE",
            "Annex",
            "IN WITNESS WHEREOF",
            "DONE at Budapest",
            "[Footnote 1] x",
            "Interpretative notes",
        ]
    ),
    labelled(NUMBER, "{}. {}"),
    # the other layouts: titles on the heading line, inline section text, other labels
    labelled(NUMBER, "Article {} – {}"),
    labelled(NUMBER, "Art. {}. {}"),
    labelled(NUMBER, "Section {}. Title. \ufffd {}"),
    NUMBER.map(lambda n: f"ARTICLE {n}"),
    ROMANS.map(lambda r: f"PART {r} – Offences"),
    NUMBER.map(lambda n: f"Chapter {n} — Final provisions"),
    labelled(NUMBER, "({}) {}"),
    labelled(NUMBER, "{}- {}"),
    labelled(LETTER_LABEL, "{}- {}"),
    labelled(LETTER_LABEL, "({}) {}"),
    labelled(LETTER_LABEL, "{}) {}"),
    # deep lettered nesting on consecutive lines
    st.lists(labelled(LETTER_LABEL, "    ({}) {}"), min_size=1, max_size=8).map("\n".join),
    st.integers(min_value=1000, max_value=20000).map(lambda n: "x" * n),  # a huge line
    st.text(max_size=200),  # anything at all
)
SEPARATOR = st.sampled_from(["\n\n", "\n", "\r\n\r\n", " \n \t\n", "\n\n\n", "\u2028", "\n\u200b\n"])


@st.composite
def legal_texts(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(BLOCK, max_size=25))
    pieces = []
    for block in blocks:
        pieces.append(block)
        pieces.append(draw(SEPARATOR))
    return "".join(pieces)


@st.composite
def numbered_articles(draw: st.DrawFn) -> str:
    """Articles with repeated, skipped or reversed numbering and their paragraphs."""
    numbering = draw(st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=8))
    parts = [draw(st.sampled_from(["Convention on Things", "Interpretative notes on things"]))]
    if draw(st.booleans()):
        parts.insert(0, "Annex")
    for number in numbering:
        parts.append(f"Article {number}")
        parts.append(draw(st.sampled_from(["Use of terms", "SCOPE OF APPLICATION", "x" * 300, "Definitions:"])))
        for label in draw(st.lists(st.integers(min_value=1, max_value=5), max_size=5)):
            parts.append(f"{label}. {draw(PLAIN_SENTENCE)}")
            letters = draw(st.lists(LETTER_LABEL, max_size=3))
            parts.extend(f"({letter}) {draw(PLAIN_SENTENCE)};" for letter in letters)
    return "\n\n".join(parts)


PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(st.text())
@example("")
@example("\n\n\n")
@example("Article 1")
@example("Chapter I\n\nArticle 1\n\nTitle\n\n1. Text.\n\n1. Again.\n\n3. Skipped.")
@example("Interpretative notes\n\nArticle 2\n\nText without number.\n\n1. Numbered.")
@example("Preamble\n\n1. One.\n\nArticle 1\n\n(a) item")
def test_parse_never_raises_on_any_text(text: str) -> None:
    doc = parse_document(text)
    check_spans(text, doc)


@PROPERTY_SETTINGS
@given(legal_texts())
def test_parse_structured_noise(text: str) -> None:
    doc = parse_document(text, fallback_title="Fallback")
    assert doc.title
    check_spans(text, doc)


@PROPERTY_SETTINGS
@given(numbered_articles())
def test_parse_odd_numbering(text: str) -> None:
    doc = parse_document(text)
    check_spans(text, doc)
    assert len(doc.articles) == 0 if doc.is_notes else len(doc.articles) == text.count("\nArticle ")
