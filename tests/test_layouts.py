"""The structure parser on layouts other than the built-in eight, each on a document of that layout.

Fixtures in ``tests/fixtures/layouts/`` (see its README): the Philippine Cybercrime Prevention Act
(real, as text and as the LawPhil HTML page, damage kept), Council of Europe Convention 108 (real,
in Markdown, from ``tests/fixtures/user-documents/``) and short instruments written here in
the layouts of a Council of Europe protocol, the AU convention, the Arab convention's English
translation, a Commonwealth-style national act, an NGO analysis and a PDF's pages. The number of
provisions each should have is counted by an independent regex over the raw text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rag.loaders import load_document
from rag.structure import ParsedDocument, Unit, parse_document

FIXTURES = Path(__file__).parent / "fixtures"
LAYOUTS = FIXTURES / "layouts"
PHILIPPINES_TXT = FIXTURES / "user-documents" / "philippines-cybercrime-prevention-act-2012.txt"
CONVENTION_108 = FIXTURES / "user-documents" / "coe-convention-108-data-protection-1981.md"
PHILIPPINES_HTML = LAYOUTS / "philippines-cybercrime-prevention-act-2012.lawphil.html"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def read(name: str) -> str:
    return (LAYOUTS / name).read_text(encoding="utf-8")


def provisions(doc: ParsedDocument) -> dict[str, Unit]:
    return {u.article: u for u in doc.units if u.kind == "article" and u.article}


def numbers(unit: Unit) -> list[str]:
    return [p.number for p in unit.paragraphs if p.number]


def check_spans(text: str, doc: ParsedDocument) -> None:
    previous_end = 0
    for unit in doc.units:
        assert previous_end <= unit.start <= unit.body_start <= unit.end <= len(text), unit
        for paragraph in unit.paragraphs:
            assert unit.body_start <= paragraph.start < paragraph.end <= unit.end, (unit, paragraph)
            assert text[paragraph.start : paragraph.end].strip() == text[paragraph.start : paragraph.end]
        previous_end = unit.end


# ----- the Philippine act (real), text and HTML -----


@pytest.fixture(scope="module")
def philippines_txt() -> tuple[str, ParsedDocument]:
    text = PHILIPPINES_TXT.read_text(encoding="utf-8")
    return text, parse_document(text)


@pytest.fixture(scope="module")
def philippines_html() -> tuple[str, ParsedDocument]:
    text = load_document(PHILIPPINES_HTML, 10_000_000, 10).text
    return text, parse_document(text)


def test_national_act_sections_with_inline_text_are_its_provisions(philippines_txt) -> None:
    text, doc = philippines_txt
    raw = re.findall(r"^Section (\d+)\. ", text, re.MULTILINE)  # independent count: 31
    assert doc.articles == raw == [str(n) for n in range(1, 32)]
    assert all(u.noun == "Section" for u in provisions(doc).values())
    check_spans(text, doc)


def test_national_act_chapters_with_title_on_the_next_line(philippines_txt) -> None:
    text, doc = philippines_txt
    assert doc.chapters == re.findall(r"^CHAPTER ([IVX]+)$", text, re.MULTILINE) == ROMAN
    sections = provisions(doc)
    assert sections["1"].chapter_title == "Preliminary provisions"
    assert sections["12"].chapter == "IV"
    assert sections["31"].chapter_title == "Final provisions"


def test_section_title_and_text_are_split_at_the_damaged_dash(philippines_txt) -> None:
    text, doc = philippines_txt
    sections = provisions(doc)
    assert sections["3"].title == "Definition of Terms"
    assert sections["12"].title == "Real-Time Collection of Traffic Data"
    assert sections["29"].title == "Separability Clause"  # no stop before the dash
    assert sections["6"].title is None  # "Section 6. All crimes defined ..." has no title
    assert text.startswith("For purposes of this Act", sections["3"].body_start)
    assert text.startswith("All crimes defined", sections["6"].body_start)


def test_numbers_under_lettered_items_are_not_paragraph_numbers(philippines_txt) -> None:
    text, doc = philippines_txt
    section4 = provisions(doc)["4"]
    assert numbers(section4) == []  # "(a) ... (1) Illegal Access" keeps (1) inside item (a)
    assert "(1) Illegal Access" in text[section4.start : section4.end]
    assert "(c) Content-related Offenses" in text[section4.start : section4.end]


def test_enacting_words_are_a_preamble_and_signatures_a_final_clause(philippines_txt) -> None:
    text, doc = philippines_txt
    assert doc.title == "REPUBLIC ACT NO. 10175"
    assert doc.units[0].kind == "preamble"
    assert "Be it enacted" in text[doc.units[0].start : doc.units[0].end]
    section31 = provisions(doc)["31"]
    assert "(Sgd.)" not in text[section31.start : section31.end]
    assert [u.kind for u in doc.units].count("final") == 1 and doc.units[-1].kind == "final"
    final = doc.units[-1]
    assert "Approved: SEP 12 2012" in text[final.start : final.end]  # signatures and attestation, one unit
    assert len(doc.units) == 1 + 31 + 1


def test_html_page_parses_like_the_text(philippines_txt, philippines_html) -> None:
    _, from_text = philippines_txt
    html_text, from_html = philippines_html
    assert from_html.articles == from_text.articles
    assert from_html.chapters == from_text.chapters
    titles = {n: u.title for n, u in provisions(from_text).items()}
    assert {n: u.title for n, u in provisions(from_html).items()} == titles
    raw = PHILIPPINES_HTML.read_text(encoding="utf-8")
    assert len(re.findall(r"Section (\d+)\.</b>", raw)) == len(from_html.articles)  # independent: 31
    check_spans(html_text, from_html)


# ----- a Council of Europe convention in Markdown (real) -----


def test_markdown_headings_of_a_council_of_europe_convention() -> None:
    text = CONVENTION_108.read_text(encoding="utf-8")
    doc = parse_document(text)
    raw = re.findall(r"^#+\s*Article\s+(\d+)\s*$", text, re.MULTILINE)  # independent count: 27
    assert doc.articles == raw == [str(n) for n in range(1, 28)]
    assert doc.chapters == re.findall(r"^#+\s*CHAPTER\s+([IVX]+)\s*$", text, re.MULTILINE) == ROMAN[:7]
    assert doc.title.startswith("Convention for the Protection of Individuals")
    articles = provisions(doc)
    assert articles["1"].title == "Object and purpose"
    assert articles["1"].chapter_title == "General provisions"
    assert articles["7"].title == "Data security"  # written "###Article 7", without a space
    assert numbers(articles["3"]) == ["1", "2", "3", "4", "5", "6"]
    assert [u.kind for u in doc.units[:2]] == ["preamble", "article"]
    check_spans(text, doc)


# ----- layouts written here -----


def test_council_of_europe_layout_title_on_the_article_line() -> None:
    text = read("coe-layout-protocol.written-here.txt")
    doc = parse_document(text)
    assert doc.articles == re.findall(r"^Article (\d+) – ", text, re.MULTILINE) == [str(n) for n in range(1, 8)]
    articles = provisions(doc)
    assert articles["1"].title == "Purpose"
    assert articles["4"].title == "Request for domain name registration information"
    assert articles["4"].section == "Section 1 Procedures enhancing direct co-operation with providers"
    assert articles["6"].section == "Section 2 Procedures enhancing co-operation in emergencies"
    assert doc.chapters == ["I", "II", "III"]
    assert articles["7"].chapter_title == "Final provisions"
    assert numbers(articles["3"]) == ["1", "2"]
    assert doc.units[0].kind == "preamble" and doc.units[-1].kind == "final"
    check_spans(text, doc)


def test_colon_titles_and_capital_chapters() -> None:
    text = read("au-layout-convention.written-here.txt")
    doc = parse_document(text)
    assert doc.articles == re.findall(r"^Article (\d+): ", text, re.MULTILINE) == [str(n) for n in range(1, 9)]
    articles = provisions(doc)
    assert articles["1"].title == "Definitions" and articles["1"].chapter is None
    assert articles["2"].chapter == "I" and articles["2"].chapter_title == "Electronic transactions"
    assert articles["7"].chapter_title == "Promoting cyber security and combating cybercrime"
    assert numbers(articles["5"]) == ["1", "2"]
    check_spans(text, doc)


def test_single_newline_text_with_capital_articles_and_dashed_labels() -> None:
    text = read("arab-layout-convention.written-here.txt")
    assert "\n\n" not in text
    doc = parse_document(text)
    assert doc.articles == re.findall(r"^ARTICLE (\d+)$", text, re.MULTILINE) == [str(n) for n in range(1, 8)]
    articles = provisions(doc)
    assert articles["1"].title == "Purpose of the convention"
    assert articles["4"].title == "Offence of illicit access"
    assert doc.chapters == ["1", "2", "3"] and articles["4"].chapter_title == "Criminalization"
    assert numbers(articles["2"]) == ["1", "2", "3"]  # "1-", "2-", "3-"
    assert numbers(articles["3"]) == []  # "a-", "b-", "c-" are items
    assert len(articles["3"].paragraphs) == 4  # the lead-in and three items
    # "... stipulated in Chapter 2" / "of this Convention." is a wrapped sentence, not a chapter.
    assert "of this Convention." in text[articles["7"].start : articles["7"].end]
    check_spans(text, doc)


def test_parts_and_sections_with_bracketed_subsections() -> None:
    text = read("national-act-parts.written-here.txt")
    doc = parse_document(text)
    assert doc.articles == re.findall(r"^Section (\d+) – ", text, re.MULTILINE) == [str(n) for n in range(1, 7)]
    sections = provisions(doc)
    assert sections["3"].noun == "Section" and sections["3"].title == "Unauthorised access"
    assert sections["3"].section == "Part II Computer and cybercrime offences"
    assert numbers(sections["2"]) == ["1", "2"]  # (1), (2); the (a)-(c) items fold into (1)
    assert text.startswith("(2) A reference", sections["2"].paragraphs[1].start)
    check_spans(text, doc)


def test_text_without_provisions_is_cut_at_its_headings() -> None:
    text = read("ngo-analysis.written-here.txt")
    doc = parse_document(text)
    assert doc.articles == []
    assert [u.title for u in doc.units] == ["Summary", "Background", "Key concerns", "Recommendations"]
    assert all(u.kind == "paragraphs" for u in doc.units)
    assert sum(len(u.paragraphs) for u in doc.units) == 9  # the nine paragraphs under the headings
    check_spans(text, doc)


def test_text_without_provisions_or_blank_lines_is_cut_at_its_headings() -> None:
    """The same analysis as PDF text gives it: no blank lines at all."""
    text = read("ngo-analysis.written-here.txt").replace("\n\n", "\n")
    doc = parse_document(text)
    assert [u.title for u in doc.units] == ["Summary", "Background", "Key concerns", "Recommendations"]
    assert text.startswith("This briefing looks", doc.units[0].body_start)
    check_spans(text, doc)


# ----- headings in a line-by-line text -----


@pytest.mark.parametrize(
    ("line", "number", "title"),
    [
        ("Article 1 – Purpose", "1", "Purpose"),
        ("Article 1: Definitions", "1", "Definitions"),
        ("Article 1. Scope of application", "1", "Scope of application"),
        ("ARTICLE 1", "1", None),
        ("ARTICLE 12 - ILLEGAL ACCESS", "12", "Illegal access"),
        ("Art. 3.", "3", None),
    ],
)
def test_article_heading_forms(line: str, number: str, title: str | None) -> None:
    doc = parse_document(f"Treaty\n\n{line}\n\n1. Each Party shall act.\n\n{line.replace(number, '99')}\n\nText.")
    first = provisions(doc)[number]
    assert first.title == title
    assert numbers(first) == ["1"]


def test_article_with_its_text_on_the_heading_line() -> None:
    text = "Treaty\n\nArt. 1. Each Party shall adopt such measures.\n\nArt. 2. Each Party shall co-operate."
    doc = parse_document(text)
    assert doc.articles == ["1", "2"]
    assert text.startswith("Each Party shall adopt", provisions(doc)["1"].body_start)


def test_sentence_starting_with_article_is_not_a_heading() -> None:
    text = "Treaty\nArticle 1 – Scope\nThe rules in\nArticle 5 of the Convention apply\nto this Protocol."
    doc = parse_document(text)
    assert doc.articles == ["1"]


def test_wrapped_title_after_a_capital_heading_in_single_newline_text() -> None:
    text = "Treaty\nARTICLE 3\nAccess to data stored in a\ncomputer system\n1. Each Party shall act.\n2. And more."
    article = provisions(parse_document(text))["3"]
    assert article.title == "Access to data stored in a computer system"
    assert numbers(article) == ["1", "2"]


def test_body_line_after_a_heading_is_not_taken_for_its_title() -> None:
    text = (
        "Treaty\nARTICLE 3\nEach Party shall adopt such legislative and other measures as may be\n"
        "necessary to establish as criminal offences the access to a computer system.\nARTICLE 4\nMore."
    )
    article = provisions(parse_document(text))["3"]
    assert article.title is None
    assert text.startswith("Each Party", article.body_start)
