"""Paragraph and item labels at the start of a block: "1.", "1-", "(1)", "(a)", "a)", "a-", "(iii)"."""

from __future__ import annotations

import re

# "1. Each Party ..." — the numbering of the built-in documents, always a paragraph number.
NUMBERED_RE = re.compile(r"^(\d{1,3})\.\s")
# "(1) Each Party ..." and "1- Each Party ...": paragraph numbers where they are the unit's first
# labels; under a lettered item ("(a) ... (1) ...") they number sub-items instead.
OTHER_NUMBERED_RE = re.compile(r"^(?:\((\d{1,3})\)|(\d{1,3})-)\s")
SUBITEM_RE = re.compile(r"^\(?([a-z]{1,2}|[ivxlc]{1,6})\)\s")
DASHED_ITEM_RE = re.compile(r"^[a-z]-\s")
# A line that starts a block of its own even without a blank line before it.
LABELLED_LINE_RE = re.compile(
    r"^[ \t]*(?:\d{1,3}\.\s|\(?(?:[a-z]{1,2}|[ivxlc]{1,6})\)\s|\(\d{1,3}\)\s|\d{1,3}-\s|[a-z]-\s)"
)

DOT_STYLE = "1."


def label_style(text: str) -> str | None:
    """The kind of label that opens ``text``: "1.", "(1)", "1-", "item" (lettered), or None."""
    if NUMBERED_RE.match(text):
        return DOT_STYLE
    if m := OTHER_NUMBERED_RE.match(text):
        return "(1)" if m.group(1) else "1-"
    if SUBITEM_RE.match(text) or DASHED_ITEM_RE.match(text):
        return "item"
    return None


def paragraph_number(text: str, unit_style: str | None) -> str | None:
    """The paragraph number ``text`` opens with, given the label style of the unit's first label.

    "1." always numbers a paragraph (as in the built-in documents); "(1)" and "1-" do when the
    unit's first label has the same style, so that "(a) ... (1) ..." keeps (1) inside item (a).
    """
    if m := NUMBERED_RE.match(text):
        return m.group(1)
    m = OTHER_NUMBERED_RE.match(text)
    if m is None or label_style(text) != unit_style:
        return None
    return m.group(1) or m.group(2)


def is_item(text: str) -> bool:
    """A lettered or roman item: "(a)", "a)", "a-", "(iii)"."""
    return bool(SUBITEM_RE.match(text) or DASHED_ITEM_RE.match(text))
