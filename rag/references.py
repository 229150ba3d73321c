"""Read what a question names: documents ("the Budapest Convention") and provisions ("Art. 40(22)").

These readings steer retrieval: a named provision is returned first, and a named document
scopes the search to it, because the UN convention copies much of UNTOC and UNCAC and a
question about one must not be answered from the other. Document names are data
(``rag.documents``: the registry and each upload's entry).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.documents import Registry, builtin_registry

_ROMAN = r"[IVXLC]+"
ARTICLE_REF_RE = re.compile(
    r"\b(?:art(?:icle)?s?\.?)\s*(\d{1,3})(?:\s*\((\d{1,3})\)|\s*,?\s*(?:para(?:graph)?\.?|§)\s*(\d{1,3}))?",
    re.IGNORECASE,
)
# "section 4", "sec. 4(a)", "§ 12": national acts number their provisions as sections.
SECTION_REF_RE = re.compile(
    r"(?:\bsec(?:tion)?s?\.?|§)\s*(\d{1,3}[A-Za-z]?)(?![\w/])(?:\s*\(([a-z]{1,2}|\d{1,3})\))?", re.IGNORECASE
)
CHAPTER_REF_RE = re.compile(rf"\bchapter\s+({_ROMAN}|\d+)\b", re.IGNORECASE)
NOTE_REF_RE = re.compile(r"\b(?:interpretative|interpretive)?\s*note\s+(?:no\.?\s*)?(\d+)\b", re.IGNORECASE)
PARAGRAPH_REF_RE = re.compile(r"\b(?:operative\s+)?paragraph\s+(\d{1,3})\b", re.IGNORECASE)
PREAMBLE_RE = re.compile(r"\bpreamb(?:le|ular)\b", re.IGNORECASE)
COMPARISON_RE = re.compile(r"\b(compar|differ|versus|vs\.?|both|contrast|similar)", re.IGNORECASE)


@dataclass(frozen=True)
class ProvisionRef:
    """A provision a question names: an article or a section (and paragraph), a chapter, a note, the
    preamble."""

    kind: str  # "article", "section", "chapter", "note", "preamble", "paragraph"
    number: str | None = None
    paragraph: str | None = None


@dataclass
class QueryReading:
    """What a question names explicitly."""

    documents: list[str] = field(default_factory=list)
    generic: bool = False  # says "the convention" / "the treaty" loosely
    provisions: list[ProvisionRef] = field(default_factory=list)
    compares: bool = False  # asks how things compare ("compare", "differ", "both"), whatever it names
    name_spans: tuple[tuple[int, int], ...] = ()  # where it names documents

    def without_names(self, question: str) -> str:
        """``question`` less the documents' names it uses: what it asks, for ranking passages within
        the documents named (a name's words, "Cybercrime Prevention Act", would rank the passages
        that repeat them, not the ones that answer)."""
        kept, last = [], 0
        for start, end in self.name_spans:
            kept.append(question[last:start])
            last = end
        return " ".join(" ".join([*kept, question[last:]]).split())

    @property
    def is_comparison(self) -> bool:
        """Compares two or more documents it names."""
        return self.compares and len(self.documents) >= 2


def int_to_roman(value: int) -> str:
    pairs = [(100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for number, numeral in pairs:
        while value >= number:
            out += numeral
            value -= number
    return out


def read_query(question: str, known_docs: set[str] | None = None, registry: Registry | None = None) -> QueryReading:
    """Documents and provisions named in ``question``; names are read with ``registry`` (default: built-in)."""
    names = (registry or builtin_registry()).read(question, known_docs)
    reading = QueryReading(documents=names.documents, generic=names.generic, name_spans=names.name_spans)
    reading.compares = bool(COMPARISON_RE.search(question))
    for m in NOTE_REF_RE.finditer(question):
        if "note" in m.group(0).lower():
            reading.provisions.append(ProvisionRef("note", m.group(1)))
    for m in ARTICLE_REF_RE.finditer(question):
        reading.provisions.append(ProvisionRef("article", m.group(1), m.group(2) or m.group(3)))
    for m in SECTION_REF_RE.finditer(question):
        reading.provisions.append(ProvisionRef("section", m.group(1).upper(), m.group(2)))
    for m in CHAPTER_REF_RE.finditer(question):
        raw = m.group(1)
        number = raw.upper() if not raw.isdigit() else int_to_roman(int(raw))
        reading.provisions.append(ProvisionRef("chapter", number))
    if PREAMBLE_RE.search(question):
        reading.provisions.append(ProvisionRef("preamble", "preamble"))
    if not any(p.kind in ("article", "section") for p in reading.provisions):
        for m in PARAGRAPH_REF_RE.finditer(question):
            reading.provisions.append(ProvisionRef("paragraph", m.group(1)))
    return reading
