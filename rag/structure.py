"""Parse a legal text into its structure: preamble, chapters, articles, paragraphs, notes.

The parser works on blank-line separated blocks and keeps every block's character span,
so later steps can slice passages out of the source text exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BLOCK_RE = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")
CHAPTER_RE = re.compile(r"^(?:chapter)\s+([IVXLC]+)\.?$", re.IGNORECASE)
SECTION_RE = re.compile(r"^(?:section|title|part)\s+(\d+|[IVXLC]+)\.?$", re.IGNORECASE)
ARTICLE_RE = re.compile(r"^Article\s+(\d+)\.?$")
NOTE_HEADING_RE = re.compile(r"^Articles?\s+\d+.*$")
NUMBERED_RE = re.compile(r"^(\d{1,3})\.\s")
SUBITEM_RE = re.compile(r"^\(?([a-z]{1,2}|[ivxlc]{1,6})\)\s")
PREAMBLE_RE = re.compile(r"^preamble$", re.IGNORECASE)
FINAL_RE = re.compile(r"^(IN WITNESS WHEREOF|DONE at|\[Footnote)")
SKIPPED_TITLE_BLOCKS = {"annex"}
MAX_HEADING_TITLE_CHARS = 200


@dataclass(frozen=True)
class Block:
    """A blank-line separated block with its span in the source text."""

    text: str
    start: int
    end: int


@dataclass
class Paragraph:
    """A numbered paragraph (``number``) or an unnumbered block, with its sub-items folded in."""

    number: str | None
    start: int
    end: int


@dataclass
class Unit:
    """One structural unit: an article, the preamble, a note, a run of document paragraphs."""

    kind: str  # "article", "preamble", "note", "paragraphs", "final"
    start: int  # where its heading (if any) starts
    body_start: int  # where its first paragraph starts
    end: int
    chapter: str | None = None
    chapter_title: str | None = None
    section: str | None = None
    article: str | None = None
    title: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    refers_to: tuple[str, ...] = ()


@dataclass
class ParsedDocument:
    title: str
    units: list[Unit]
    is_notes: bool

    @property
    def articles(self) -> list[str]:
        return [u.article for u in self.units if u.kind == "article" and u.article]

    @property
    def chapters(self) -> list[str]:
        return list(dict.fromkeys(u.chapter for u in self.units if u.chapter))


LABELLED_LINE_RE = re.compile(r"\n(?=[ \t]*(?:\d{1,3}\.\s|\(?(?:[a-z]{1,2}|[ivxlc]{1,6})\)\s))")


def split_blocks(text: str) -> list[Block]:
    """Blank-line separated blocks, trailing whitespace trimmed from each span.

    A line that opens with a paragraph label ("2.", "b)", "(iii)") starts a block of its own
    even without a blank line before it, as in treaty texts that list paragraphs line by line.
    """
    blocks = []
    for match in BLOCK_RE.finditer(text):
        offset = match.start()
        for piece in LABELLED_LINE_RE.split(match.group(0)):
            stripped = piece.strip()
            if stripped:
                start = offset + (len(piece) - len(piece.lstrip()))
                blocks.append(Block(stripped, start, start + len(stripped)))
            offset += len(piece) + 1
    return blocks


def _is_heading_title(block: Block) -> bool:
    text = block.text
    return (
        len(text) <= MAX_HEADING_TITLE_CHARS
        and "\n" not in text
        and not NUMBERED_RE.match(text)
        and not SUBITEM_RE.match(text)
        and not ARTICLE_RE.match(text)
        and not CHAPTER_RE.match(text)
        and not text.endswith((".", ";", ":", ","))
    )


def _document_title(blocks: list[Block], fallback: str) -> str:
    for block in blocks[:5]:
        if block.text.lower() in SKIPPED_TITLE_BLOCKS or PREAMBLE_RE.match(block.text):
            continue
        first_line = block.text.split("\n")[0].strip()
        if any(r.match(first_line) for r in (ARTICLE_RE, CHAPTER_RE, SECTION_RE, NUMBERED_RE, SUBITEM_RE)):
            return fallback  # the text opens with its structure, not with a title
        title = block.text.split("\n")[0].rstrip(";").strip()
        if ";" in title:
            title = title.split(";")[0].strip()
        if 3 <= len(title) <= MAX_HEADING_TITLE_CHARS:
            return title
        break
    return fallback


def _looks_like_notes(blocks: list[Block]) -> bool:
    head = " ".join(b.text for b in blocks[:3]).lower()
    return "interpretative note" in head or "explanatory note" in head


def parse_document(text: str, fallback_title: str = "Untitled") -> ParsedDocument:
    """Parse ``text`` into units. Never raises on odd input; unknown blocks become paragraphs."""
    blocks = split_blocks(text)
    title = _document_title(blocks, fallback_title)
    is_notes = _looks_like_notes(blocks)
    units: list[Unit] = []
    chapter: str | None = None
    chapter_title: str | None = None
    section: str | None = None
    outer_section: str | None = None
    current: Unit | None = None
    note_refers: tuple[str, ...] = ()
    # The title blocks at the top are not content.
    index = _skip_title_blocks(blocks, title)

    def close() -> None:
        nonlocal current
        if current is not None and (current.paragraphs or current.kind == "article"):
            units.append(current)
        current = None

    def open_unit(kind: str, start: int, **kwargs: object) -> Unit:
        close()
        unit = Unit(
            kind=kind,
            start=start,
            body_start=start,
            end=start,
            chapter=chapter,
            chapter_title=chapter_title,
            section=section,
            **kwargs,  # type: ignore[arg-type]
        )
        return unit

    while index < len(blocks):
        block = blocks[index]
        first_line = block.text.split("\n")[0].strip()
        nxt = blocks[index + 1] if index + 1 < len(blocks) else None

        if m := CHAPTER_RE.match(first_line):
            close()
            chapter = m.group(1).upper()
            chapter_title = None
            section = outer_section = None
            if nxt is not None and _is_heading_title(nxt):
                chapter_title = _tidy_title(nxt.text)
                index += 1
            index += 1
            continue
        if (m := SECTION_RE.match(first_line)) and "\n" not in block.text:
            close()
            section_title = ""
            if nxt is not None and _is_heading_title(nxt):
                section_title = _tidy_title(nxt.text)
                index += 1
            label = f"{first_line.title()} {section_title}".strip()
            if first_line.lower().startswith("title") and outer_section:
                section = f"{outer_section} | {label}"
            else:
                section = outer_section = label
            index += 1
            continue
        if is_notes and NOTE_HEADING_RE.match(first_line) and "\n" not in block.text:
            close()
            note_refers = tuple(re.findall(r"\d+", first_line))
            index += 1
            continue
        if (m := ARTICLE_RE.match(first_line)) and "\n" not in block.text and not is_notes:
            current = open_unit("article", block.start, article=m.group(1))
            current.end = block.end
            current.body_start = block.end
            if nxt is not None and _is_heading_title(nxt):
                current.title = _tidy_title(nxt.text)
                current.end = nxt.end
                current.body_start = nxt.end
                index += 1
            index += 1
            continue
        if PREAMBLE_RE.match(first_line) and "\n" not in block.text:
            current = open_unit("preamble", block.start, article="preamble", title="Preamble")
            current.end = current.body_start = block.end
            index += 1
            continue
        if FINAL_RE.match(first_line):
            if current is None or current.kind != "final":
                current = open_unit("final", block.start, title="Final clause")
            _append_block(current, block, None)
            index += 1
            continue

        number_match = NUMBERED_RE.match(block.text)
        number = number_match.group(1) if number_match else None
        if current is None or current.kind == "final":
            kind = "note" if is_notes else "paragraphs"
            # Text before any heading, with numbered paragraphs later, is a preamble.
            current = open_unit(kind, block.start, refers_to=note_refers if is_notes else ())
        elif is_notes and number is not None and current.paragraphs:
            current = open_unit("note", block.start, refers_to=note_refers)
        if current.kind == "paragraphs" and number is None and not current.paragraphs:
            current.kind = "preamble" if _has_numbered_after(blocks, index) else "paragraphs"
            if current.kind == "preamble":
                current.article = "preamble"
                current.title = "Preamble"
        if (
            current.kind == "preamble"
            and number is not None
            and current.article == "preamble"
            and not _article_follows(blocks, index)
        ):
            # Operative paragraphs after a preamble in a text without articles (a resolution).
            current = open_unit("paragraphs", block.start)
        _append_block(current, block, number)
        index += 1
    close()
    return ParsedDocument(title=title, units=units, is_notes=is_notes)


def _skip_title_blocks(blocks: list[Block], title: str) -> int:
    """Index of the first content block: past "Annex", the title and a subtitle after a ';'."""
    index = 0
    continues_title = False
    while index < min(len(blocks), 4):
        text = blocks[index].text
        is_title = title.startswith(text.split("\n")[0].rstrip(";").split(";")[0].strip())
        if text.lower() in SKIPPED_TITLE_BLOCKS or is_title or continues_title:
            continues_title = text.endswith(";")
            index += 1
            continue
        break
    return index


def _append_block(unit: Unit, block: Block, number: str | None) -> None:
    """Add a block to a unit: a numbered block opens a paragraph; others extend the open one.

    Sub-items ``(a)``/``(i)`` and plain continuation blocks fold into the preceding numbered
    paragraph; in units without numbering, each block is its own paragraph.
    """
    if not unit.paragraphs:
        unit.body_start = block.start
    open_paragraph = unit.paragraphs[-1] if unit.paragraphs else None
    if number is None and open_paragraph is not None and open_paragraph.number is not None:
        open_paragraph.end = block.end
    else:
        unit.paragraphs.append(Paragraph(number, block.start, block.end))
    unit.end = block.end


def _has_numbered_after(blocks: list[Block], index: int) -> bool:
    return any(NUMBERED_RE.match(b.text) for b in blocks[index + 1 :])


def _article_follows(blocks: list[Block], index: int) -> bool:
    return any(ARTICLE_RE.match(b.text.split("\n")[0].strip()) for b in blocks[index:])


def _tidy_title(text: str) -> str:
    text = " ".join(text.split())
    return text if not text.isupper() else text.capitalize()


CROSS_REF_RE = re.compile(
    r"\barticles\s+(?P<low>\d+)\s+(?P<joint>to|through|and)\s+(?P<high>\d+)"
    r"|\bparagraphs?\s+(?P<para_first>\d+)(?:\s*\([a-z]\))?\s+of\s+article\s+(?P<art_after>\d+)"
    r"|\barticles?\s+(?P<art>\d+)(?:\s*,\s*paragraphs?\s+(?P<para>\d+))?",
    re.IGNORECASE,
)


def cross_references(text: str, own_article: str | None) -> tuple[str, ...]:
    """Articles (``"40"``) or article paragraphs (``"40.21"``) that ``text`` refers to.

    References to "this Convention" are same-document; references to other instruments
    ("article 6 of this Convention" vs "article 4 of the Convention against Corruption")
    cannot be told apart reliably, so all are kept and resolved against the same document.
    """
    refs: list[str] = []
    for m in CROSS_REF_RE.finditer(text):
        if m.group("low"):
            low, high = int(m.group("low")), int(m.group("high"))
            if m.group("joint").lower() != "and" and 0 < high - low <= 20:
                refs.extend(str(n) for n in range(low, high + 1))
            else:
                refs.extend([str(low), str(high)])
        elif m.group("art_after"):
            refs.append(f"{m.group('art_after')}.{m.group('para_first')}")
        else:
            refs.append(f"{m.group('art')}.{m.group('para')}" if m.group("para") else m.group("art"))
    own = own_article or ""
    return tuple(r for r in dict.fromkeys(refs) if r.split(".")[0] != own)
