"""Turn a parsed document into passages anchored in its structure.

A short article is one passage. A long one is split on paragraph boundaries, packing
whole paragraphs up to the token budget; a paragraph that alone exceeds the budget is
split on its sub-items, then on sentence ends. The article heading always stays with
the first paragraph, and every passage is an exact slice of the source text.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from rag.structure import Paragraph, ParsedDocument, Unit, cross_references, split_blocks
from rag.types import Passage, SourceDocument, short_title

TokenCounter = Callable[[str], int]
SENTENCE_END_RE = re.compile(r"(?<=[.;:])\s+(?=[A-Z(“\"])")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    paragraphs: tuple[str, ...]


def approximate_tokens(text: str) -> int:
    """A conservative word-piece estimate (used when no tokenizer is given)."""
    return int(len(re.findall(r"\w+|[^\w\s]", text)) * 1.3) + 2


def context_line(doc: SourceDocument, unit: Unit) -> str:
    """The heading embedded with each passage: document, chapter, section, article and title."""
    parts = [short_title(doc.doc_id, doc.title)]
    if unit.chapter:
        parts.append(f"Chapter {unit.chapter}" + (f" {unit.chapter_title}" if unit.chapter_title else ""))
    if unit.section:
        parts.append(unit.section)
    if unit.kind == "article":
        parts.append(f"{unit.noun} {unit.article}" + (f" {unit.title}" if unit.title else ""))
    elif unit.kind == "note":
        about = ", ".join(unit.refers_to)
        parts.append(f"Interpretative note on article {about}" if about else "Note")
    elif unit.title:
        parts.append(unit.title)
    return " | ".join(parts)


def chunk_document(
    doc: SourceDocument,
    parsed: ParsedDocument,
    count_tokens: TokenCounter = approximate_tokens,
    max_tokens: int = 230,
) -> list[Passage]:
    """All passages of a document, in reading order, each within ``max_tokens`` with its context."""
    passages: list[Passage] = []
    for unit in parsed.units:
        context = context_line(doc, unit)
        budget = max(16, max_tokens - count_tokens(context) - 2)
        for span in _unit_spans(doc.text, unit, count_tokens, budget):
            passages.append(_make_passage(doc, unit, context, span, len(passages)))
    return passages


def _unit_spans(text: str, unit: Unit, count: TokenCounter, budget: int) -> list[Span]:
    whole = text[unit.start : unit.end]
    numbers = tuple(p.number for p in unit.paragraphs if p.number)
    if count(whole) <= budget:
        return [Span(unit.start, unit.end, numbers)]
    # Pieces leave room for the heading, which always travels with the first of them.
    piece_budget = budget - count(text[unit.start : unit.body_start])
    pieces: list[Span] = []
    for paragraph in unit.paragraphs:
        pieces.extend(_paragraph_pieces(text, paragraph, count, piece_budget))
    return _pack(text, pieces, count, budget, heading_start=unit.start)


def _paragraph_pieces(text: str, paragraph: Paragraph, count: TokenCounter, budget: int) -> list[Span]:
    """A paragraph as one piece, or split on its blocks and then on sentence ends."""
    label = (paragraph.number,) if paragraph.number else ()
    if count(text[paragraph.start : paragraph.end]) <= budget:
        return [Span(paragraph.start, paragraph.end, label)]
    pieces: list[Span] = []
    for block in split_blocks(text[paragraph.start : paragraph.end]):
        start, end = paragraph.start + block.start, paragraph.start + block.end
        if count(text[start:end]) <= budget:
            pieces.append(Span(start, end, label))
        else:
            pieces.extend(_sentence_pieces(text, start, end, label, count, budget))
    return pieces


def _sentence_pieces(
    text: str, start: int, end: int, label: tuple[str, ...], count: TokenCounter, budget: int
) -> list[Span]:
    cuts = [start] + [start + m.end() for m in SENTENCE_END_RE.finditer(text[start:end])] + [end]
    sentences = [Span(a, b, label) for a, b in itertools.pairwise(cuts) if text[a:b].strip()]
    packed: list[Span] = []
    for sentence in sentences:
        if count(text[sentence.start : sentence.end]) > budget:
            packed.extend(_word_pieces(text, sentence, count, budget))
        else:
            packed.append(sentence)
    return [Span(s.start, _rstrip_end(text, s.start, s.end), s.paragraphs) for s in packed]


def _word_pieces(text: str, span: Span, count: TokenCounter, budget: int) -> list[Span]:
    """Last resort for a run-on sentence: cut between words, and inside a word over the budget."""
    pieces: list[Span] = []
    start = span.start
    last_cut = span.start
    for match in re.finditer(r"\S+", text[span.start : span.end]):
        word_end = span.start + match.end()
        if count(text[start:word_end]) > budget and last_cut > start:
            pieces.append(Span(start, last_cut, span.paragraphs))
            start = _skip_space(text, last_cut)
        while count(text[start:word_end]) > budget:
            cut = _longest_prefix(text, start, word_end, count, budget)
            pieces.append(Span(start, cut, span.paragraphs))
            start = cut
        last_cut = word_end
    if start < span.end:
        pieces.append(Span(start, span.end, span.paragraphs))
    return pieces


def _longest_prefix(text: str, start: int, end: int, count: TokenCounter, budget: int) -> int:
    """The largest ``cut`` in (start, end) with ``text[start:cut]`` within the budget (at least start + 1)."""
    low, high = start + 1, end - 1
    while low < high:
        middle = (low + high + 1) // 2
        if count(text[start:middle]) <= budget:
            low = middle
        else:
            high = middle - 1
    return low


def _pack(text: str, pieces: list[Span], count: TokenCounter, budget: int, heading_start: int) -> list[Span]:
    """Greedily join consecutive pieces up to the budget; the first carries the heading."""
    packed: list[Span] = []
    current: Span | None = None
    for index, piece in enumerate(pieces):
        start = heading_start if index == 0 else piece.start
        if current is None:
            current = Span(start, piece.end, piece.paragraphs)
            continue
        merged = Span(current.start, piece.end, _merge_labels(current.paragraphs, piece.paragraphs))
        if count(text[merged.start : merged.end]) <= budget:
            current = merged
        else:
            packed.append(current)
            current = Span(piece.start, piece.end, piece.paragraphs)
    if current is not None:
        packed.append(current)
    return packed


def _merge_labels(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(first + second))


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _make_passage(doc: SourceDocument, unit: Unit, context: str, span: Span, ordinal: int) -> Passage:
    body = doc.text[span.start : span.end]
    kind = {"paragraphs": "paragraph"}.get(unit.kind, unit.kind)
    refers_to = unit.refers_to if unit.kind == "note" else cross_references(body, unit.article)
    digest = hashlib.sha1(f"{doc.doc_id}:{span.start}:{span.end}:{doc.content_hash}".encode()).hexdigest()
    return Passage(
        id=f"{doc.doc_id}:{ordinal:04d}:{digest[:8]}",
        doc_id=doc.doc_id,
        doc_title=doc.title,
        text=body,
        start=span.start,
        end=span.end,
        context=context,
        kind=kind,
        chapter=unit.chapter,
        chapter_title=unit.chapter_title,
        article=unit.article,
        article_title=unit.title if unit.kind == "article" else None,
        paragraphs=span.paragraphs,
        page=doc.page_at(span.start),
        refers_to=refers_to,
        doc_hash=doc.content_hash,
        article_noun=unit.noun,
    )
