"""Split a text into clauses with offsets: at sentence ends, semicolons, colons and list items.

Inside a clause, relative clauses ("a State Party that makes extradition conditional ...") and
conditional ones ("if a State Party requires a treaty, ...") describe or presuppose; they are
found here too, since what they say is not what the clause obliges or permits.
"""

from __future__ import annotations

import re
from functools import lru_cache

# A letter or numeral in brackets opens a list item, unless it cites one ("paragraph 1 (a) of this article").
_BOUNDARY_RE = re.compile(
    r"[.;:!?](?=\s|$)|\n+|(?<!\d)(?<!paragraph)\s\((?:[a-z]{1,2}|[ivx]{1,5})\)\s|,\s+(?:but|whereas|while)\b|"
    r"\bhowever\b",
    re.IGNORECASE,
)
# "which", "who", a "that" right after a plural actor ("States Parties that make extradition conditional"),
# and a "that" followed by its verb ("a State Party that makes ..."), not the "that" of a verb's object
# ("ensure that such preservation is available", "provided that one member State has signed").
_RELATIVE_RE = re.compile(
    r"\b(?:which|who)\b|(?:(?<=\bparties )|(?<=\bstates )|(?<=\bpersons )|(?<=\bproviders )|(?<=\bauthorities ))that\b|"
    r"(?<!\bensure )(?<!\bensures )(?<!\brequire )(?<!\brequires )(?<!\bprovided )"
    r"(?<!\bprovide )(?<!\bprovides )(?<!\bso )(?<!\bsuch )"
    r"\bthat(?=\s+(?:\w+ly\s+)?(?:is|are|was|were|has|have|had|does|do|did|may|can|could|shall|should|will|would|"
    r"must|(?-i:[a-z]+[^s\W]s))\b)",
    re.IGNORECASE,
)
_CONDITION_RE = re.compile(r"\b(?:if|where|when|whenever|unless)\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def clauses(text: str) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of each non-blank clause of ``text``."""
    spans = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return tuple(spans)


def _subordinates(text: str, pattern: re.Pattern[str], *, open_ended: bool) -> tuple[tuple[int, int], ...]:
    """Spans from each match of ``pattern`` to the next comma or the end of its clause.

    Unless ``open_ended``, a span that opens its clause and finds no comma is left out: in "if it
    asks it must answer" the main clause cannot be told from the condition.
    """
    spans = []
    for clause_start, clause_end in clauses(text):
        for match in pattern.finditer(text, clause_start, clause_end):
            comma = text.find(",", match.end(), clause_end)
            if comma < 0 and not open_ended and not text[clause_start : match.start()].strip(" \t\"'(0123456789."):
                continue
            spans.append((match.start(), comma if comma >= 0 else clause_end))
    return tuple(spans)


@lru_cache(maxsize=4096)
def conditional_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Conditional clauses: from "if", "where", "when" or "unless" to the next comma or the end of the clause."""
    return _subordinates(text, _CONDITION_RE, open_ended=False)


@lru_cache(maxsize=4096)
def described_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Conditional and relative clauses ("that", "which", "who" to the next comma or the end of the clause):
    what a text states of its actors without obliging or permitting it."""
    relatives = _subordinates(text, _RELATIVE_RE, open_ended=True)
    return tuple(sorted((*conditional_spans(text), *relatives)))
