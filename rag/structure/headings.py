"""Recognise the heading lines of legal texts: chapters, parts, sections, titles and articles.

Besides the built-in layout ("Article 5" alone, its title in the next block), this reads the
common others: the number and title on one line ("Article 1 – Purpose", "Article 1: Definitions",
"ARTICLE 1", "Art. 1. Scope", "Chapter 2 — Offences", "CHAPTER I PRELIMINARY PROVISIONS",
"PART II"), and the national-act layout where a section carries its title and its text inline
("Section 3. Definition of Terms. – For purposes of this Act ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

ROMAN = r"[IVXLC]+"
# Dashes and colons between a number and its title; U+FFFD stands for a dash lost in conversion.
SEPARATOR = r"[–—:\-\ufffd]"

CHAPTER_RE = re.compile(rf"^chapter\s+({ROMAN})\.?$", re.IGNORECASE)
GROUPING_RE = re.compile(rf"^(?:section|title|part)\s+(\d+|{ROMAN})\.?$", re.IGNORECASE)
ARTICLE_RE = re.compile(r"^Article\s+(\d+)\.?$")

# The same headings with a title on the line: "Chapter 2 — Offences", "CHAPTER I: GENERAL",
# "CHAPTER I PRELIMINARY PROVISIONS" (a line break lost by an HTML page), "PART II – Co-operation".
TITLED_CHAPTER_RE = re.compile(rf"^(?P<noun>Chapter|CHAPTER)\s+(?P<number>{ROMAN}|\d+)\b(?P<rest>.*)$")
TITLED_GROUPING_RE = re.compile(
    rf"^(?P<noun>Section|SECTION|Title|TITLE|Part|PART)\s+(?P<number>\d+|{ROMAN})\b(?P<rest>.*)$"
)
# "Article 1 – Purpose", "Article 1: Definitions", "Article 1. Scope", "ARTICLE 1 DEFINITIONS", "Art. 1."
TITLED_ARTICLE_RE = re.compile(r"^(?P<noun>Article|ARTICLE|Art\.)\s+(?P<number>\d+)\b(?P<rest>.*)$")
SEPARATOR_START_RE = re.compile(rf"^\s*(?:\.\s*{SEPARATOR}?|{SEPARATOR})\s*")
# "Section 3. Definition of Terms. – For purposes ...", "Section 6. All crimes ...",
# "Sec. 29. Separability Clause – If any ...": a section with its text on the same line.
INLINE_SECTION_RE = re.compile(
    rf"^(?:Section|SECTION|Sec\.|SEC\.)\s+(?P<number>\d+[A-Z]?)\.\s+"
    rf"(?:(?P<title>[^.\n–—\ufffd]{{1,150}}?)\.?\s*{SEPARATOR}\s+)?(?P<body>\S.*)$"
)

# Markdown heading marks before a heading or title ("### Article  1", "####Definitions").
MARKDOWN_MARK_RE = re.compile(r"^#{1,6}\s*")

MAX_TITLE_CHARS = 200
# A title on the heading line is short; anything longer is the provision's text.
MAX_INLINE_TITLE_CHARS = 120


@dataclass(frozen=True)
class Heading:
    """A recognised heading line: its kind, number, title, and where inline text starts (if any)."""

    kind: str  # "chapter", "grouping" (section/title/part above articles), "article", "section"
    number: str
    noun: str  # the word the document uses: "Chapter", "Part", "Section", "Article", ...
    title: str | None = None
    body_offset: int | None = None  # offset in the line where the provision's text begins


def _chapter_heading(line: str) -> Heading | None:
    if m := CHAPTER_RE.match(line):
        return Heading("chapter", m.group(1).upper(), "Chapter")
    m = TITLED_CHAPTER_RE.match(line)
    if m is None or not _plausible_number(m.group("number")):
        return None
    is_heading, title = _rest_as_title(m.group("rest"))
    return Heading("chapter", _number(m.group("number")), "Chapter", title) if is_heading else None


def _grouping_heading(line: str) -> Heading | None:
    if m := GROUPING_RE.match(line):
        return Heading("grouping", m.group(1), line.split()[0].title())
    m = TITLED_GROUPING_RE.match(line)
    if m is None or not _plausible_number(m.group("number")):
        return None
    is_heading, title = _rest_as_title(m.group("rest"))
    return Heading("grouping", _number(m.group("number")), m.group("noun").title(), title) if is_heading else None


def _article_heading(line: str) -> Heading | None:
    """An article heading line: "Article 5", or the number and a short title on one line.

    A line whose "title" reads as the provision's own text ("Art. 5. Each Party shall ...") is an
    article heading with its text inline.
    """
    if m := ARTICLE_RE.match(line):
        return Heading("article", m.group(1), "Article")
    m = TITLED_ARTICLE_RE.match(line)
    if m is None:
        return None
    number, rest = m.group("number"), m.group("rest")
    is_heading, title = _rest_as_title(rest)
    if is_heading:
        return Heading("article", number, "Article", title)
    separator = SEPARATOR_START_RE.match(rest)
    if separator is None or not rest[separator.end() :].strip():
        return None  # "Article 5 of the Convention applies": a sentence, not a heading
    return Heading("article", number, "Article", body_offset=m.start("rest") + separator.end())


def _inline_section_heading(line: str) -> Heading | None:
    m = INLINE_SECTION_RE.match(line)
    if m is None:
        return None
    title = m.group("title")
    return Heading("section", m.group("number"), "Section", _title(title) if title else None, m.start("body"))


def chapter_heading(line: str) -> Heading | None:
    """A chapter heading, with the title when it is on the same line."""
    return _unmarked(_chapter_heading, line)


def grouping_heading(line: str) -> Heading | None:
    """A section, title or part heading that groups articles ("SECTION 1", "PART II – Procedure")."""
    return _unmarked(_grouping_heading, line)


def article_heading(line: str) -> Heading | None:
    """An article heading line: "Article 5", or the number and a short title (or its text) on one line."""
    return _unmarked(_article_heading, line)


def inline_section_heading(line: str) -> Heading | None:
    """A national-act section with its title and text on the line ("Section 3. Title. – text")."""
    return _unmarked(_inline_section_heading, line)


def _unmarked(match: Callable[[str], Heading | None], line: str) -> Heading | None:
    """``match`` applied to ``line`` without Markdown heading marks; offsets stay those of ``line``."""
    mark = MARKDOWN_MARK_RE.match(line)
    if mark is None or not mark.group(0):
        return match(line)
    heading = match(line[mark.end() :])
    if heading is None or heading.body_offset is None:
        return heading
    return replace(heading, body_offset=heading.body_offset + mark.end())


def standalone_section_heading(line: str) -> Heading | None:
    """A section heading alone on its line ("Section 3", "SECTION 3 – Definitions")."""
    heading = grouping_heading(line)
    if heading is None or heading.noun != "Section" or not heading.number.isdigit():
        return None
    return Heading("section", heading.number, "Section", heading.title)


def heading_of(line: str) -> Heading | None:
    """The chapter, grouping, article or section heading ``line`` is, if any."""
    for match in (chapter_heading, grouping_heading, article_heading, inline_section_heading):
        if (heading := match(line)) is not None:
            return heading
    return None


def is_heading_line(line: str) -> bool:
    """Any chapter, grouping, article or section heading."""
    return heading_of(line) is not None


def tidy_title(text: str) -> str:
    """One-line title without Markdown marks; an all-capitals title is written in sentence case."""
    text = " ".join(MARKDOWN_MARK_RE.sub("", text.strip()).split())
    return text if not text.isupper() else text.capitalize()


def _rest_as_title(rest: str) -> tuple[bool, str | None]:
    """Whether the line is a heading, judged by what follows its number, and the title found there.

    A title follows a separator ("– Purpose", ": Definitions", ". Scope") or is written in capitals
    ("CHAPTER I PRELIMINARY PROVISIONS"); anything else is running text.
    """
    if rest.strip() in ("", ".", ")"):
        return True, None
    separator = SEPARATOR_START_RE.match(rest)
    if separator is not None:
        candidate = rest[separator.end() :]
    elif rest.startswith((" ", "\t")) and rest.strip().isupper():
        candidate = rest
    else:
        return False, None
    title = _title(candidate) if _reads_as_title(candidate) else None
    return title is not None, title


def _title(text: str | None) -> str | None:
    if not text:
        return None
    return tidy_title(text.strip().rstrip(".").strip()) or None


def _reads_as_title(text: str) -> bool:
    """Short, one clause, not ending like a sentence with more to come."""
    body = text.strip().rstrip(".").strip()
    return (
        0 < len(body) <= MAX_INLINE_TITLE_CHARS
        and not re.search(r"[.;:]\s", body)
        and not body.endswith((",", ";", ":"))
        and not re.search(r"\s[–—\ufffd]\s", body)
        and not re.match(r"(?:The|Each|Any|A|An|This|States?|Parties|No)\s", body)
    )


def _number(text: str) -> str:
    return text.upper() if re.fullmatch(ROMAN, text, re.IGNORECASE) else text


def _plausible_number(text: str) -> bool:
    """Arabic numbers, or roman numerals written in capitals ("I", "IV"), not words like "civil"."""
    return text.isdigit() or (text.isupper() and re.fullmatch(ROMAN, text) is not None)
