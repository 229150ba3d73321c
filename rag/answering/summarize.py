"""Summaries of an article, a chapter or a document, map-reduced over the legal structure.

Map: each article is reduced to its lead sentences (the opening sentence of each numbered
paragraph, up to a few), quoted verbatim with citations. Reduce: an article keeps its leads; a
chapter keeps one lead per article; a document keeps its statement of purpose and one lead per
chapter. With a generative mode, the model rewrites the mapped sentences in plain words and
every rewritten sentence is verified and cited like an answer sentence.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from rag.answering.attribution import CitationBook, DraftSentence, attribute, verbatim_draft
from rag.answering.generative import build_chat_model, parse_drafts, stream_text
from rag.answering.types import Answer
from rag.errors import ModelUnavailableError, QueryError
from rag.prompts import SUMMARY_PROMPT, format_passages
from rag.sentences import split_sentences
from rag.support import SupportJudge
from rag.types import Passage, ScoredPassage

LEADS_PER_ARTICLE = 3
MAX_SUMMARY_SENTENCES = 14


def lead_sentences(passages: list[Passage], limit: int) -> list[tuple[Passage, int, int]]:
    """Opening sentences of the numbered paragraphs (or blocks) of an article, in order."""
    leads: list[tuple[Passage, int, int]] = []
    for passage in passages:
        body_start = _body_start(passage)
        seen_paragraphs: set[str] = set()
        spans = split_sentences(passage.text)
        for index, (start, end) in enumerate(spans):
            if start < body_start or len(passage.text[start:end]) < 30 or passage.is_heading(start, end):
                continue
            if passage.text[start:end].endswith(":") and index + 1 < len(spans):
                end = spans[index + 1][1]  # an introduction reads with its first item
            paragraph = _paragraph_key(passage.text, start)
            if paragraph in seen_paragraphs:
                continue
            seen_paragraphs.add(paragraph)
            leads.append((passage, start, end))
            if len(leads) == limit:
                return leads
    return leads


def _body_start(passage: Passage) -> int:
    """Skip the "Article N" heading and title lines at the top of a passage."""
    if passage.article and passage.text.startswith("Article"):
        lines = passage.text.split("\n\n", 2)
        return len("\n\n".join(lines[:2])) if len(lines) > 2 else 0
    return 0


def _paragraph_key(text: str, offset: int) -> str:
    line_start = text.rfind("\n", 0, offset) + 1
    return text[line_start : line_start + 6]


def summarize(
    groups: OrderedDict[str, list[Passage]],
    title: str,
    judge: SupportJudge,
    leads_per_group: int,
    mode: str = "extractive",
    settings: object | None = None,
) -> Answer:
    """Map each group (article or chapter) to lead sentences; reduce to a cited summary."""
    mapped: list[tuple[Passage, int, int]] = []
    for passages in groups.values():
        mapped.extend(lead_sentences(passages, leads_per_group))
    mapped = mapped[:MAX_SUMMARY_SENTENCES]
    if not mapped:
        raise QueryError(f"nothing to summarise for {title}")
    scored = list(OrderedDict((p.id, ScoredPassage(p, 1.0)) for p, _, _ in mapped).values())
    index_of = {sp.passage.id: i for i, sp in enumerate(scored)}
    drafts = [verbatim_draft(p.text, a, b, index_of[p.id]) for p, a, b in mapped]
    notice = None
    if mode != "extractive" and settings is not None:
        try:
            drafts = _rewrite(drafts, scored, title, mode, settings) or drafts
        except ModelUnavailableError as error:
            notice = f"The {mode} model is unavailable ({error}); this summary is extractive."
    sentences, citations = attribute(drafts, scored, judge, CitationBook())
    refused = not any(s.supported for s in sentences)
    return Answer(f"Summary: {title}", mode, sentences, citations, scored, refused, {}, notice)


def _rewrite(
    drafts: list[DraftSentence], scored: list[ScoredPassage], title: str, mode: str, settings: object
) -> list[DraftSentence]:
    model = build_chat_model(settings, mode)  # type: ignore[arg-type]
    numbered = format_passages([(sp.passage.label, sp.passage.text) for sp in scored], max_chars=700)
    messages = SUMMARY_PROMPT.format_messages(passages=numbered, topic=title)
    text = "".join(stream_text(model, messages))
    rewritten, _ = parse_drafts(text, len(scored))
    return rewritten


def group_by_article(passages: Iterable[Passage]) -> OrderedDict[str, list[Passage]]:
    groups: OrderedDict[str, list[Passage]] = OrderedDict()
    for passage in passages:
        groups.setdefault(passage.article or passage.kind, []).append(passage)
    return groups


def group_by_chapter(passages: Iterable[Passage]) -> OrderedDict[str, list[Passage]]:
    """One group per chapter, holding the chapter's first substantive article (the map step)."""
    chapters: OrderedDict[str, list[Passage]] = OrderedDict()
    for passage in passages:
        if passage.kind != "article":
            continue
        key = passage.chapter or "—"
        if key not in chapters or chapters[key][0].article == passage.article:
            chapters.setdefault(key, []).append(passage)
    return chapters
