"""Page furniture removed from PDF page texts (``rag.page_furniture``) before structure parsing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rag.page_furniture import clean_pages

HEADER = "Convention on Digital Evidence"


def test_running_header_and_page_numbers_are_removed() -> None:
    pages = [f"{HEADER}\nArticle {n}\nEach Party shall act under article {n}.\n{n}" for n in range(1, 5)]
    cleaned = clean_pages(pages)
    assert cleaned == [f"Article {n}\nEach Party shall act under article {n}." for n in range(1, 5)]


def test_page_of_pages_footer_and_dashed_numbers_are_removed() -> None:
    pages = ["Text one.\nPage 1 of 3", "- 2 -\nText two.\nPage 2 of 3", "Text three.\n3/3"]
    assert clean_pages(pages) == ["Text one.", "Text two.", "Text three."]


def test_article_heading_at_the_top_of_every_page_is_kept() -> None:
    """Headings recur at page tops with different numbers; numbers count as furniture only in page lines."""
    titles = ["Scope", "Use of terms", "Jurisdiction", "Extradition"]
    pages = [f"Article {n}\n{title}\nText {n}." for n, title in enumerate(titles, 1)]
    assert clean_pages(pages) == pages


def test_a_line_repeated_inside_pages_is_not_furniture() -> None:
    pages = ["Intro.\nA\nB\nThe Parties agree.\nC\nD\nEnd one.", "Intro two.\nE\nF\nThe Parties agree.\nG\nH\nEnd two."]
    assert clean_pages(pages) == pages


def test_header_on_a_single_page_is_kept() -> None:
    assert clean_pages(["Convention\nText."]) == ["Convention\nText."]


def test_hyphenated_line_end_is_joined() -> None:
    assert clean_pages(["the inter-\nnational co-operation of Parties"]) == [
        "the international co-operation of Parties"
    ]


def test_hyphen_before_a_capital_is_kept() -> None:
    assert clean_pages(["the Anti-\nMoney Laundering Act"]) == ["the Anti-\nMoney Laundering Act"]


def test_word_hyphenated_across_a_page_break_is_completed_on_the_first_page() -> None:
    pages = [f"{HEADER}\nEach Party shall empower its terri-\n1", f"{HEADER}\ntory authorities to act.\n2"]
    assert clean_pages(pages) == ["Each Party shall empower its territory", "authorities to act."]


LINE = st.text(alphabet="abcdefghij KLMNOP.,;:0123456789", min_size=1, max_size=40).map(str.strip).filter(bool)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(LINE, min_size=0, max_size=12), min_size=0, max_size=6))
def test_lines_inside_a_page_are_never_removed(pages: list[list[str]]) -> None:
    """Only the first and last two lines of a page can be furniture; the rest always stays."""
    cleaned = clean_pages(["\n".join(lines) for lines in pages])
    assert len(cleaned) == len(pages)
    for lines, page in zip(pages, cleaned, strict=True):
        kept = page.split("\n")
        for line in lines[2:-2]:
            assert line in kept
