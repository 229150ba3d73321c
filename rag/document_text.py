"""A document's source text, rebuilt from its stored passages, for showing a cited span in context.

The store keeps passages, not whole files (the file may live on another machine, the one that
ran the ingest). Every passage is an exact slice of the source (``text == source[start:end]``),
so the passages put back at their offsets give the source text; what no passage holds (the
blank lines between provisions, a title line the parser read as the document's title) comes
back as spaces, listed in ``gaps``, so that offsets still line up with citations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rag.errors import QueryError
from rag.types import Passage


@dataclass(frozen=True)
class DocumentText:
    """``text`` is the document's characters ``start`` to ``end``; ``length`` is the whole document's."""

    doc_id: str
    title: str
    start: int
    end: int
    length: int
    text: str
    gaps: tuple[tuple[int, int], ...]  # spans (document offsets) that no passage holds, shown as spaces


def document_text(
    doc_id: str, title: str, passages: Sequence[Passage], start: int = 0, end: int | None = None
) -> DocumentText:
    """Characters ``start`` to ``end`` (default: the end) of the document that ``passages`` come from."""
    length = max((p.end for p in passages), default=0)
    end = length if end is None else min(end, length)
    if start < 0 or start > end:
        raise QueryError(f"start and end must satisfy 0 <= start <= end <= {length:,} (got {start:,} and {end:,})")
    chars = [" "] * (end - start)
    held = [False] * (end - start)
    for passage in passages:
        low, high = max(start, passage.start), min(end, passage.end)
        for offset in range(low, high):
            chars[offset - start] = passage.text[offset - passage.start]
            held[offset - start] = True
    return DocumentText(doc_id, title, start, end, length, "".join(chars), _gaps(held, start))


def _gaps(held: list[bool], start: int) -> tuple[tuple[int, int], ...]:
    gaps: list[tuple[int, int]] = []
    gap_start: int | None = None
    for index, is_held in enumerate([*held, True]):
        if not is_held and gap_start is None:
            gap_start = index
        elif is_held and gap_start is not None:
            gaps.append((start + gap_start, start + index))
            gap_start = None
    return tuple(gaps)
