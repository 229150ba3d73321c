"""Split a text into blocks with their character spans: blank-line blocks, cut further at labels and headings.

Texts extracted from PDFs often have no blank lines at all. There a line that opens with a
paragraph label or a heading starts a block of its own, and a heading line ends its block; a
title on the line after a heading ("ARTICLE 5" / "ILLEGAL ACCESS"), with its wrapped remainder,
becomes a block of its own too.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from rag.structure.headings import article_heading, heading_of, inline_section_heading, is_heading_line
from rag.structure.labels import LABELLED_LINE_RE, label_style

BLOCK_RE = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")
MAX_TITLE_LINE_CHARS = 200
# A wrapped title's remainder is short and starts in lower case ("... stored in a" / "computer system").
MAX_TITLE_CONTINUATION_CHARS = 60
MAX_TITLE_CONTINUATIONS = 2
# A heading standing alone on a line of text without blank lines: a few words.
MAX_PLAIN_HEADING_CHARS = 80
MAX_PLAIN_HEADING_WORDS = 10


@dataclass(frozen=True)
class Block:
    """A blank-line separated block (or a labelled or heading line run) with its span in the source."""

    text: str
    start: int
    end: int


def split_blocks(text: str) -> list[Block]:
    """Blank-line separated blocks, trailing whitespace trimmed from each span.

    A line that opens with a paragraph label ("2.", "b)", "(iii)", "(2)", "2-", "b-") or a heading
    ("Article 5", "CHAPTER II", "Section 3. Title. – text") starts a block of its own even without
    a blank line before it, as in treaty texts that list paragraphs line by line.
    """
    blocks: list[Block] = []
    for match in BLOCK_RE.finditer(text):
        lines = _lines(match.group(0), match.start())
        for first, last in _runs(lines):
            start, end = lines[first][1], lines[last][2]
            piece = text[start:end]
            stripped = piece.strip()
            if stripped:
                begin = start + (len(piece) - len(piece.lstrip()))
                blocks.append(Block(stripped, begin, begin + len(stripped)))
    return blocks


def is_title_text(text: str) -> bool:
    """A short heading title: one line, or one line and its wrapped lower-case remainder; no final stop."""
    lines = text.split("\n")
    first = lines[0].strip()
    return (
        len(text) <= MAX_TITLE_LINE_CHARS
        and bool(first)
        and len(lines) <= 1 + MAX_TITLE_CONTINUATIONS
        and all(_continues_title(line) for line in lines[1:])
        and not text.rstrip().endswith((".", ";", ":", ","))
    )


def _lines(block: str, offset: int) -> list[tuple[str, int, int]]:
    """Each line of ``block`` with its start and end (without the newline) in the source."""
    out = []
    for line in block.split("\n"):
        out.append((line, offset, offset + len(line)))
        offset += len(line) + 1
    return [entry for entry in out if entry[0].strip()]


def _runs(lines: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Index ranges of the lines that form one block each."""
    cuts = [0]
    index = 1
    while index < len(lines):
        line = lines[index][0].strip()
        previous = lines[index - 1][0].strip()
        if LABELLED_LINE_RE.match(lines[index][0]) or is_heading_line(line):
            cuts.append(index)
        elif _has_inline_title(previous) and _continues_title(line):
            # "Article 3 – Access to data stored in a computer" / "system": the wrapped title stays.
            end = index + 1
            while end < len(lines) and end - index < MAX_TITLE_CONTINUATIONS and _continues_title(lines[end][0]):
                end += 1
            if end < len(lines):
                cuts.append(end)
            index = end
            continue
        elif _ends_heading(previous):
            cuts.append(index)
            title_end = _title_run_end(lines, index)
            if title_end is not None:
                cuts.append(title_end)
                index = title_end
                continue
        elif _stands_as_heading(lines, index):
            cuts.extend((index, index + 1))
        index += 1
    cuts.append(len(lines))
    return [(a, b - 1) for a, b in itertools.pairwise(cuts) if b > a]


def _stands_as_heading(lines: list[tuple[str, int, int]], index: int) -> bool:
    """A plain heading in text without blank lines ("... as follows." / "Key concerns" / "The first ...").

    A short line without a final stop, after a line that ends a sentence (or after the title
    line) and before one that starts a new one with a capital, is a heading, not a wrapped sentence.
    """
    line = lines[index][0].strip()
    previous = lines[index - 1][0].strip()
    following = lines[index + 1][0].strip() if index + 1 < len(lines) else ""
    return (
        0 < len(line) <= MAX_PLAIN_HEADING_CHARS
        and len(line.split()) <= MAX_PLAIN_HEADING_WORDS
        and line[0].isupper()
        and not line.endswith((".", ";", ":", ",", "-"))
        and (previous.endswith((".", ";", ":", "!", "?")) or (index == 1 and is_title_text(previous)))
        and following[:1].isupper()
        and label_style(line) is None
    )


def _has_inline_title(line: str) -> bool:
    heading = heading_of(line)
    return heading is not None and heading.title is not None and heading.body_offset is None


def _ends_heading(line: str) -> bool:
    """A heading line whose provision text does not continue on the same line."""
    if not is_heading_line(line):
        return False
    inline = article_heading(line) or inline_section_heading(line)
    return inline is None or inline.body_offset is None


def _title_run_end(lines: list[tuple[str, int, int]], index: int) -> int | None:
    """Where a title line after a heading (and its wrapped remainder) ends, or None when there is none."""
    first = lines[index][0].strip()
    if (
        len(first) > MAX_TITLE_LINE_CHARS
        or first.endswith((".", ";", ":", ","))
        or label_style(first) is not None
        or is_heading_line(first)
    ):
        return None
    end = index + 1
    while end < len(lines) and end - index <= MAX_TITLE_CONTINUATIONS and _continues_title(lines[end][0]):
        end += 1
    if end < len(lines) and lines[end][0].strip()[:1].islower():
        return None  # a sentence wrapped over lines, not a title
    return end if end < len(lines) else None


def _continues_title(line: str) -> bool:
    stripped = line.strip()
    return (
        0 < len(stripped) <= MAX_TITLE_CONTINUATION_CHARS
        and stripped[0].islower()
        and not stripped.endswith((".", ";", ":", ","))
        and label_style(stripped) is None
    )
