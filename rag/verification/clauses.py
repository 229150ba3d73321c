"""Split a text into clauses with offsets: at sentence ends, semicolons, colons and list items."""

from __future__ import annotations

import re
from functools import lru_cache

_BOUNDARY_RE = re.compile(
    r"[.;:!?](?=\s|$)|\n+|\s\((?:[a-z]{1,2}|[ivx]{1,5})\)\s|,\s+(?:but|whereas|while)\b|\bhowever\b", re.IGNORECASE
)


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
