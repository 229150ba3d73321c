"""Parse a legal text into its structure: preamble, chapters, articles or sections, paragraphs, notes.

The parser works on blocks (``rag.structure.blocks``) and keeps every block's character span,
so later steps can slice passages out of the source text exactly. A document's provisions are
its articles; a national act without articles has sections instead ("Section 3. Title. – text"),
and a text with neither is cut at its headings, or failing those kept as paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rag.structure.blocks import Block, is_title_text, split_blocks
from rag.structure.headings import (
    GROUPING_RE,
    MARKDOWN_MARK_RE,
    Heading,
    article_heading,
    chapter_heading,
    grouping_heading,
    inline_section_heading,
    is_heading_line,
    standalone_section_heading,
    tidy_title,
)
from rag.structure.labels import NUMBERED_RE, SUBITEM_RE, label_style, paragraph_number

NOTE_HEADING_RE = re.compile(r"^Articles?\s+\d+.*$")
PREAMBLE_RE = re.compile(r"^preamble$", re.IGNORECASE)
# Closing formulas and signatures ("(Sgd.) ..." and "Approved," close an enacted act).
FINAL_RE = re.compile(r"^(IN WITNESS WHEREOF|DONE at|\[Footnote|\(Sgd\.\)|Approved,$)")
SKIPPED_TITLE_BLOCKS = {"annex"}
MAX_HEADING_TITLE_CHARS = 200


@dataclass
class Paragraph:
    """A numbered paragraph (``number``) or an unnumbered block, with its sub-items folded in."""

    number: str | None
    start: int
    end: int


@dataclass
class Unit:
    """One structural unit: an article (or a national act's section), the preamble, a note, paragraphs."""

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
    noun: str = "Article"  # what the document calls an "article" unit: "Article" or "Section"


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


def _first_line(block: Block) -> str:
    return block.text.split("\n")[0].strip()


def _is_heading_title(block: Block) -> bool:
    text = block.text
    return (
        len(text) <= MAX_HEADING_TITLE_CHARS
        and is_title_text(text)
        and not NUMBERED_RE.match(text)
        and not SUBITEM_RE.match(text)
        and label_style(text) is None
        and not is_heading_line(_first_line(block))
    )


def _document_title(blocks: list[Block], fallback: str) -> str:
    for block in blocks[:5]:
        if block.text.lower() in SKIPPED_TITLE_BLOCKS or PREAMBLE_RE.match(block.text):
            continue
        first_line = _first_line(block)
        if is_heading_line(first_line) or NUMBERED_RE.match(first_line) or SUBITEM_RE.match(first_line):
            return fallback  # the text opens with its structure, not with a title
        if "\n" in block.text and (caps := _capitals_title(blocks)):
            return caps  # a letterhead ("Fifteenth Congress / Second Regular Session") above the title
        title = MARKDOWN_MARK_RE.sub("", block.text.split("\n")[0]).rstrip(";").strip()
        if ";" in title:
            title = title.split(";")[0].strip()
        if 3 <= len(title) <= MAX_HEADING_TITLE_CHARS:
            return title
        break
    return fallback


def _capitals_title(blocks: list[Block]) -> str | None:
    """The first one-line block in capitals near the top ("REPUBLIC ACT NO. 10175"), before any heading."""
    for block in blocks[:6]:
        text = block.text
        if is_heading_line(_first_line(block)):
            return None
        if "\n" not in text and text.isupper() and 3 <= len(text) <= MAX_HEADING_TITLE_CHARS:
            return text
    return None


def _looks_like_notes(blocks: list[Block]) -> bool:
    head = " ".join(b.text for b in blocks[:3]).lower()
    return "interpretative note" in head or "explanatory note" in head


@dataclass(frozen=True)
class Layout:
    """What a document's provisions are: articles, or (in a national act without articles) sections."""

    has_articles: bool
    sections_are_units: bool

    @classmethod
    def of(cls, blocks: list[Block], is_notes: bool) -> Layout:
        firsts = [_first_line(b) for b in blocks]
        has_articles = not is_notes and any(article_heading(line) for line in firsts)
        sections = not is_notes and not has_articles and any(_section_heading(line) for line in firsts)
        return cls(has_articles, sections)


def _section_heading(line: str) -> Heading | None:
    return inline_section_heading(line) or standalone_section_heading(line)


class _Parser:
    """The state of one parse: the open chapter, section and unit, and the units closed so far."""

    def __init__(self, blocks: list[Block], is_notes: bool) -> None:
        self.blocks = blocks
        self.is_notes = is_notes
        self.layout = Layout.of(blocks, is_notes)
        self.units: list[Unit] = []
        self.chapter: str | None = None
        self.chapter_title: str | None = None
        self.section: str | None = None
        self.outer_section: str | None = None
        self.current: Unit | None = None
        self.label_style: str | None = None  # the style of the open unit's first label
        self.note_refers: tuple[str, ...] = ()

    def close(self) -> None:
        current = self.current
        if current is not None and (current.paragraphs or current.kind == "article"):
            self.units.append(current)
        self.current = None

    def open_unit(self, kind: str, start: int, **kwargs: object) -> Unit:
        self.close()
        self.label_style = None
        return Unit(
            kind=kind,
            start=start,
            body_start=start,
            end=start,
            chapter=self.chapter,
            chapter_title=self.chapter_title,
            section=self.section,
            **kwargs,  # type: ignore[arg-type]
        )

    def title_after(self, index: int) -> Block | None:
        """The block after ``index`` when it is a heading's title."""
        nxt = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
        return nxt if nxt is not None and _is_heading_title(nxt) else None

    def parse(self, index: int) -> list[Unit]:
        while index < len(self.blocks):
            index = self.step(index)
        self.close()
        return self.units

    def step(self, index: int) -> int:
        """Consume the block at ``index`` (and a title after it); the index of the next block."""
        block = self.blocks[index]
        first_line = _first_line(block)
        single_line = "\n" not in block.text

        if heading := chapter_heading(first_line):
            return self.open_chapter(index, heading)
        if (
            single_line
            and (heading := grouping_heading(first_line))
            and not (self.layout.sections_are_units and heading.noun == "Section")
        ):
            return self.open_grouping(index, heading)
        if self.is_notes and NOTE_HEADING_RE.match(first_line) and single_line:
            self.close()
            self.note_refers = tuple(re.findall(r"\d+", first_line))
            return index + 1
        heading = None
        if self.layout.has_articles:
            heading = article_heading(first_line)
        elif self.layout.sections_are_units:
            heading = _section_heading(first_line)
        if heading is not None and heading.title and not single_line and is_title_text(block.text):
            # A title wrapped onto the next line: "Article 3 – Access to data stored in a" / "computer system".
            wrapped = block.text.partition("\n")[2]
            heading = replace(heading, title=tidy_title(f"{heading.title} {wrapped}"))
            return self.open_provision(index, heading)
        if heading is not None and (single_line or heading.body_offset is not None):
            return self.open_provision(index, heading)
        if PREAMBLE_RE.match(first_line) and single_line:
            self.current = self.open_unit("preamble", block.start, article="preamble", title="Preamble")
            self.current.end = self.current.body_start = block.end
            return index + 1
        if FINAL_RE.match(first_line):
            if self.current is None or self.current.kind != "final":
                self.current = self.open_unit("final", block.start, title="Final clause")
            _append_block(self.current, block, None)
            return index + 1
        if self.starts_headed_part(index):
            title = self.blocks[index]
            self.current = self.open_unit("paragraphs", title.start, title=tidy_title(title.text))
            self.current.end = self.current.body_start = title.end
            return index + 1
        self.add_paragraph(index, block)
        return index + 1

    def open_chapter(self, index: int, heading: Heading) -> int:
        self.close()
        self.chapter = heading.number
        self.chapter_title = heading.title
        self.section = self.outer_section = None
        if heading.title is None and (title := self.title_after(index)):
            self.chapter_title = tidy_title(title.text)
            index += 1
        return index + 1

    def open_grouping(self, index: int, heading: Heading) -> int:
        self.close()
        first_line = _first_line(self.blocks[index])
        # The built-in layout keeps the heading's own spelling ("Section 1", "Title 1").
        name = first_line.title() if GROUPING_RE.match(first_line) else f"{heading.noun} {heading.number}"
        section_title = heading.title or ""
        if heading.title is None and (title := self.title_after(index)):
            section_title = tidy_title(title.text)
            index += 1
        label = f"{name} {section_title}".strip()
        if heading.noun == "Title" and self.outer_section:
            self.section = f"{self.outer_section} | {label}"
        else:
            self.section = self.outer_section = label
        return index + 1

    def open_provision(self, index: int, heading: Heading) -> int:
        """An article, or a section of a national act: its heading, title and any text on the heading line."""
        block = self.blocks[index]
        noun = "Section" if heading.kind == "section" else "Article"
        current = self.open_unit("article", block.start, article=heading.number, title=heading.title, noun=noun)
        self.current = current
        if heading.body_offset is not None:
            body_start = block.start + heading.body_offset
            current.end = current.body_start = body_start
            text_block = Block(block.text[heading.body_offset :], body_start, block.end)
            self.add_paragraph(index, text_block)
            return index + 1
        current.end = current.body_start = block.end
        if heading.title is None and (title := self.title_after(index)):
            current.title = tidy_title(title.text)
            current.end = current.body_start = title.end
            index += 1
        return index + 1

    def starts_headed_part(self, index: int) -> bool:
        """In a text without articles or sections, a title-like block followed by text opens a part."""
        if self.layout.has_articles or self.layout.sections_are_units or self.is_notes:
            return False
        if self.current is not None and self.current.kind != "paragraphs":
            return False
        block = self.blocks[index]
        nxt = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
        return (
            _is_heading_title(block)
            and nxt is not None
            and not _is_heading_title(nxt)
            and not is_heading_line(_first_line(nxt))
            and NUMBERED_RE.match(nxt.text) is None
        )

    def add_paragraph(self, index: int, block: Block) -> None:
        """Add a block to the open unit, opening a preamble, note or paragraphs unit where one begins."""
        current = self.current
        if current is not None and current.kind == "final" and self.layout.sections_are_units:
            _append_block(current, block, None)  # an act's signatures and attestation after "Approved,"
            return
        if current is None or current.kind == "final":
            kind = "note" if self.is_notes else "paragraphs"
            current = self.open_unit(kind, block.start, refers_to=self.note_refers if self.is_notes else ())
        number = self.number_of(block)
        if self.is_notes and number is not None and current.paragraphs:
            current = self.open_unit("note", block.start, refers_to=self.note_refers)
            number = self.number_of(block)
        if current.kind == "paragraphs" and number is None and not current.paragraphs and current.title is None:
            # Text before any heading, with numbered paragraphs or an act's sections later, is a preamble.
            before_provisions = _has_numbered_after(self.blocks, index) or (
                self.layout.sections_are_units and not self.units
            )
            current.kind = "preamble" if before_provisions else "paragraphs"
            if current.kind == "preamble":
                current.article = "preamble"
                current.title = "Preamble"
        if (
            current.kind == "preamble"
            and number is not None
            and current.article == "preamble"
            and not _article_follows(self.blocks, index)
        ):
            # Operative paragraphs after a preamble in a text without articles (a resolution).
            current = self.open_unit("paragraphs", block.start)
            number = self.number_of(block)
        self.current = current
        _append_block(current, block, number)

    def number_of(self, block: Block) -> str | None:
        """The paragraph number ``block`` opens with, in the open unit's label style (set by its first label)."""
        if self.label_style is None:
            self.label_style = label_style(block.text)
        return paragraph_number(block.text, self.label_style)


def parse_document(text: str, fallback_title: str = "Untitled") -> ParsedDocument:
    """Parse ``text`` into units. Never raises on odd input; unknown blocks become paragraphs."""
    blocks = split_blocks(text)
    title = _document_title(blocks, fallback_title)
    blocks = _title_line_apart(blocks, title)
    is_notes = _looks_like_notes(blocks)
    # The title blocks at the top are not content.
    units = _Parser(blocks, is_notes).parse(_skip_title_blocks(blocks, title))
    return ParsedDocument(title=title, units=units, is_notes=is_notes)


def _title_line_apart(blocks: list[Block], title: str) -> list[Block]:
    """In text without blank lines the title's line starts the first block; the rest is content."""
    for index, block in enumerate(blocks[:3]):
        first, _, rest = block.text.partition("\n")
        if rest and MARKDOWN_MARK_RE.sub("", first).rstrip(";").split(";")[0].strip() == title:
            rest_start = block.start + len(first) + 1
            rest_start += len(rest) - len(rest.lstrip())
            head = Block(first.rstrip(), block.start, block.start + len(first.rstrip()))
            return [*blocks[:index], head, Block(rest.strip(), rest_start, block.end), *blocks[index + 1 :]]
    return blocks


def _skip_title_blocks(blocks: list[Block], title: str) -> int:
    """Index of the first content block: past "Annex", the title and a subtitle after a ';'."""
    index = 0
    continues_title = False
    while index < min(len(blocks), 4):
        text = blocks[index].text
        is_title = title.startswith(MARKDOWN_MARK_RE.sub("", text.split("\n")[0]).rstrip(";").split(";")[0].strip())
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
    return any(article_heading(_first_line(b)) for b in blocks[index:])
