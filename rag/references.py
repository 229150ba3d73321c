"""Read what a question names: documents ("the Budapest Convention") and provisions ("Art. 40(22)").

These readings steer retrieval: a named provision is returned first, and a named document
scopes the search to it, because the UN convention copies much of UNTOC and UNCAC and a
question about one must not be answered from the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

UN_CONVENTION = "un-cybercrime-convention-2024"
UN_NOTES = "un-cybercrime-convention-2024-interpretative-notes"
UN_RESOLUTION = "un-ga-resolution-79-243"
UN_NEWS = "news-us-support-un-cybercrime-convention"
BUDAPEST = "budapest-convention-ets185"
BUDAPEST_PROTOCOL = "budapest-convention-additional-protocol-ets189"
UNTOC = "untoc-2000"
UNCAC = "uncac-2003"

# Documents that a question reaches only when it names them (or their family).
OTHER_INSTRUMENTS = frozenset({BUDAPEST, BUDAPEST_PROTOCOL, UNTOC, UNCAC})

DOCUMENT_ALIASES: dict[str, tuple[str, ...]] = {
    BUDAPEST_PROTOCOL: (
        r"additional protocol",
        r"ets\s*(?:no\.?\s*)?189",
        r"racis[tm]",
        r"xenophob",
        r"first protocol to the budapest",
    ),
    BUDAPEST: (
        r"budapest",
        r"council of europe",
        r"ets\s*(?:no\.?\s*)?185",
        r"\bcoe\b",
        r"2001 convention",
        r"convention on cybercrime",
    ),
    UNTOC: (
        r"\buntoc\b",
        r"organi[sz]ed crime convention",
        r"transnational organi[sz]ed crime",
        r"palermo",
        r"convention against transnational",
    ),
    UNCAC: (r"\buncac\b", r"corruption", r"merida", r"mérida"),
    UN_NOTES: (r"interpretative notes?", r"interpretive notes?"),
    UN_RESOLUTION: (r"resolution", r"general assembly", r"79/243", r"anti-cybercrime day", r"hanoi", r"viet ?nam"),
    UN_NEWS: (
        r"\bnews\b",
        r"senators?",
        r"biden",
        r"\bus\b administration",
        r"united states",
        r"\bthe us\b",
        r"advocacy groups",
        r"cio news",
        r"report(?:ed)? by",
        r"officials",
    ),
    UN_CONVENTION: (
        r"\bun\b (?:cyber|convention|treaty)",
        r"united nations convention against cybercrime",
        r"cybercrime (?:convention|treaty)",
        r"new (?:un )?(?:convention|treaty)",
        r"\bun\b",
    ),
}

_ROMAN = r"[IVXLC]+"
ARTICLE_REF_RE = re.compile(
    r"\b(?:art(?:icle)?s?\.?)\s*(\d{1,3})(?:\s*\((\d{1,3})\)|\s*,?\s*(?:para(?:graph)?\.?|§)\s*(\d{1,3}))?",
    re.IGNORECASE,
)
CHAPTER_REF_RE = re.compile(rf"\bchapter\s+({_ROMAN}|\d+)\b", re.IGNORECASE)
NOTE_REF_RE = re.compile(r"\b(?:interpretative|interpretive)?\s*note\s+(?:no\.?\s*)?(\d+)\b", re.IGNORECASE)
PARAGRAPH_REF_RE = re.compile(r"\b(?:operative\s+)?paragraph\s+(\d{1,3})\b", re.IGNORECASE)
PREAMBLE_RE = re.compile(r"\bpreamb(?:le|ular)\b", re.IGNORECASE)
COMPARISON_RE = re.compile(r"\b(compar|differ|versus|vs\.?|both|contrast|similar)", re.IGNORECASE)


@dataclass(frozen=True)
class ProvisionRef:
    """A provision a question names: an article (and paragraph), a chapter, a note, the preamble."""

    kind: str  # "article", "chapter", "note", "preamble", "paragraph"
    number: str | None = None
    paragraph: str | None = None


@dataclass
class QueryReading:
    """What a question names explicitly."""

    documents: list[str] = field(default_factory=list)
    provisions: list[ProvisionRef] = field(default_factory=list)
    is_comparison: bool = False


def int_to_roman(value: int) -> str:
    pairs = [(100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for number, numeral in pairs:
        while value >= number:
            out += numeral
            value -= number
    return out


def named_documents(question: str, known_docs: set[str] | None = None) -> list[str]:
    """Document ids a question names, most specific first; known_docs limits the answer."""
    lowered = question.lower()
    found: list[str] = []
    for doc_id, patterns in DOCUMENT_ALIASES.items():
        if any(re.search(p, lowered) for p in patterns):
            found.append(doc_id)
    # "Budapest ... additional protocol" names the protocol, not both.
    if (
        BUDAPEST_PROTOCOL in found
        and BUDAPEST in found
        and not re.search(r"convention on cybercrime|budapest convention", lowered)
    ):
        found.remove(BUDAPEST)
    # A bare "UN" beside another instrument is part of its name ("UN Convention against Corruption").
    if UN_CONVENTION in found and ({UNTOC, UNCAC} & set(found)) and not re.search(r"cyber", lowered):
        found.remove(UN_CONVENTION)
    if known_docs is not None:
        found = [d for d in found if d in known_docs]
    return found


def read_query(question: str, known_docs: set[str] | None = None) -> QueryReading:
    """Documents and provisions named in ``question``."""
    reading = QueryReading(documents=named_documents(question, known_docs))
    reading.is_comparison = bool(COMPARISON_RE.search(question)) and len(reading.documents) >= 2
    for m in NOTE_REF_RE.finditer(question):
        if "note" in m.group(0).lower():
            reading.provisions.append(ProvisionRef("note", m.group(1)))
    for m in ARTICLE_REF_RE.finditer(question):
        reading.provisions.append(ProvisionRef("article", m.group(1), m.group(2) or m.group(3)))
    for m in CHAPTER_REF_RE.finditer(question):
        raw = m.group(1)
        number = raw.upper() if not raw.isdigit() else int_to_roman(int(raw))
        reading.provisions.append(ProvisionRef("chapter", number))
    if PREAMBLE_RE.search(question):
        reading.provisions.append(ProvisionRef("preamble", "preamble"))
    if not any(p.kind == "article" for p in reading.provisions):
        for m in PARAGRAPH_REF_RE.finditer(question):
            reading.provisions.append(ProvisionRef("paragraph", m.group(1)))
    return reading
