"""Remove the page furniture of text extracted from PDF pages: running headers and footers, page
numbers, and words hyphenated at a line end.

A running header or footer is a line at the top or bottom of a page (its first or last two
lines) that recurs there on at least half of the pages; a page number is such a line that is
only a number ("12", "- 12 -", "Page 12 of 40", "12/40"). Both would otherwise land inside
provisions ("... the Parties shall / Convention on Cybercrime – page 7 / co-operate ..."), and a
page number alone on a line can even pass for a paragraph label. The page a passage comes from
is kept by the loader as page start offsets, so no information is lost with them.
"""

from __future__ import annotations

import re
from collections import Counter

EDGE_LINES = 2  # lines at each end of a page where headers, footers and page numbers stand
PAGE_NUMBER_RE = re.compile(
    r"^(?:page|p\.)?\s*[-–—]?\s*\d{1,4}\s*[-–—]?\s*(?:(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
# "inter-" at a line end and "national" starting the next line (lower case, so "Anti-\nMoney" stays).
HYPHENATED_RE = re.compile(r"(?<=[^\W\d_])-\n(?=[a-z])")


def clean_pages(pages: list[str]) -> list[str]:
    """Each page's text without running headers, footers and page numbers, with hyphenated words joined."""
    page_lines = [[line.rstrip() for line in page.split("\n")] for page in pages]
    repeated = _repeated_edge_lines(page_lines)
    cleaned = ["\n".join(_without_furniture(lines, repeated)).strip() for lines in page_lines]
    cleaned = [HYPHENATED_RE.sub("", page) for page in cleaned]
    return _join_words_across_pages(cleaned)


def _key(line: str) -> str:
    """How a header line is compared across pages: case and spacing ignored; page numbers in it too."""
    key = " ".join(line.split()).casefold()
    return re.sub(r"\d+", "#", key) if re.search(r"\bpage\b|\bp\.\s*\d", key) else key


def _edge_indices(lines: list[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return filled[:EDGE_LINES] + filled[-EDGE_LINES:]


def _repeated_edge_lines(page_lines: list[list[str]]) -> set[str]:
    if len(page_lines) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in page_lines:
        counts.update({_key(lines[i]) for i in _edge_indices(lines)})
    needed = max(2, (len(page_lines) + 1) // 2)
    return {key for key, count in counts.items() if count >= needed}


def _without_furniture(lines: list[str], repeated: set[str]) -> list[str]:
    edges = set(_edge_indices(lines))
    return [
        line
        for i, line in enumerate(lines)
        if i not in edges or not (_key(line) in repeated or PAGE_NUMBER_RE.match(line.strip()))
    ]


def _join_words_across_pages(pages: list[str]) -> list[str]:
    """A word hyphenated at the foot of a page is completed there with the start of the next page."""
    out = list(pages)
    for index in range(len(out) - 1):
        page, following = out[index], out[index + 1]
        fragment = re.match(r"[a-z]\S*", following)
        if fragment and re.search(r"[^\W\d_]-$", page):
            out[index] = page[:-1] + fragment.group(0)
            out[index + 1] = following[fragment.end() :].lstrip(" ")
            if out[index + 1].startswith("\n"):
                out[index + 1] = out[index + 1].lstrip("\n")
    return out
