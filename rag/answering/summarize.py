"""Summaries of an article, a chapter or a document, map-reduced over the legal structure.

Map: each article (or, in a document without articles, each paragraph) is reduced to its lead
sentences (the opening sentence of each numbered paragraph, up to a few), quoted verbatim with
citations. Reduce: an article keeps its leads; a chapter keeps one lead per article; a document
keeps one lead per chapter, per article or per paragraph. With a generative mode, the model
writes the summary in plain words and every sentence is verified and cited like an answer
sentence; the quoted leads are the fallback. The local model rewrites each lead sentence in
plain words (by default), and a rewrite the verifier rejects gives way to its lead.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from rag.answering.cite import CitationBook, attribute
from rag.answering.cite.citations import number_citations
from rag.answering.draft.context import PromptContext, whole_passages
from rag.answering.draft.drafting import finish, schema_for, stream_draft
from rag.answering.draft.generative import build_chat_model
from rag.answering.draft.rephrase import rephrase_all
from rag.answering.draft.types import DraftSentence, verbatim_draft
from rag.answering.types import Answer
from rag.answering.verify.checks import check_sentences
from rag.errors import ModelUnavailableError, QueryError
from rag.prompts import SCHEMA_SUMMARY_PROMPT, SUMMARY_PROMPT, SUMMARY_QUESTION
from rag.sentences import split_sentences
from rag.settings import Settings
from rag.types import Passage, ScoredPassage
from rag.verification import Verifier

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
    verifier: Verifier,
    leads_per_group: int,
    mode: str = "extractive",
    settings: Settings | None = None,
) -> Answer:
    """Map each group (article, chapter or paragraph) to lead sentences; reduce to a cited summary.

    In a generative mode the model writes the summary in plain words from the passages (whole for
    a capable model, their lead sentences for the local one); every sentence is verified and cited
    like an answer's, and the lead sentences are the fallback when none is verified.
    """
    mapped: list[tuple[Passage, int, int]] = []
    for passages in groups.values():
        mapped.extend(lead_sentences(passages, leads_per_group))
    mapped = mapped[:MAX_SUMMARY_SENTENCES]
    if not mapped:
        raise QueryError(f"nothing to summarise for {title}")
    scored = list(OrderedDict((p.id, ScoredPassage(p, 1.0)) for p, _, _ in mapped).values())
    index_of = {sp.passage.id: i for i, sp in enumerate(scored)}
    leads = [verbatim_draft(p.text, a, b, index_of[p.id]) for p, a, b in mapped]
    notice = None
    if mode != "extractive" and settings is not None:
        try:
            written = _write(leads, scored, title, mode, settings)
        except ModelUnavailableError as error:
            notice = f"The {mode} model is unavailable ({error}); this summary is extractive."
        except Exception as error:  # a server or model failure must not lose the summary
            notice = f"The {mode} model failed ({type(error).__name__}); this summary is extractive."
        else:
            checked = check_sentences(written, scored, verifier)
            if any(s.supported and not s.verbatim for s in checked):  # a sentence the model wrote stands
                sentences, citations = number_citations(checked, scored, CitationBook())
                return Answer(f"Summary: {title}", mode, sentences, citations, scored, False, {}, notice)
            notice = "The model's summary could not be verified against the sources; it quotes them instead."
    sentences, citations = attribute(leads, scored, verifier, CitationBook())
    refused = not any(s.supported for s in sentences)
    return Answer(f"Summary: {title}", mode, sentences, citations, scored, refused, {}, notice)


def summary_context(leads: list[DraftSentence], scored: list[ScoredPassage], mode: str, budget: int) -> PromptContext:
    """A capable model reads the passages whole, within its budget; the local model their lead sentences."""
    if mode == "openai":
        return whole_passages(scored, budget)
    by_passage: OrderedDict[int, list[str]] = OrderedDict()
    for lead in leads:
        assert lead.verbatim_of is not None
        by_passage.setdefault(lead.verbatim_of, []).append(lead.text)
    return PromptContext(
        tuple(by_passage),
        tuple(scored[i].passage.label for i in by_passage),
        tuple(" … ".join(texts) for texts in by_passage.values()),
    )


def _write(
    leads: list[DraftSentence], scored: list[ScoredPassage], title: str, mode: str, settings: Settings
) -> list[DraftSentence]:
    """The model's plain-language summary sentences, with the passages they claim: the local model
    rewrites each lead sentence (``local_drafting`` "rephrase"), each rewrite falling back to its lead."""
    model = build_chat_model(settings, mode)
    if mode == "local" and settings.local_drafting == "rephrase":
        return rephrase_all(model, SUMMARY_QUESTION.format(title=title), leads, scored)
    context = summary_context(leads, scored, mode, settings.openai_context_tokens)
    schema = schema_for(mode, settings, context.size, direct=False)
    prompt = SCHEMA_SUMMARY_PROMPT if schema is not None else SUMMARY_PROMPT
    messages = prompt.format_messages(passages=context.numbered, topic=title)
    return finish(stream_draft(model, messages, context, scored, schema)).sentences


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


def group_by_paragraph(passages: Iterable[Passage]) -> OrderedDict[str, list[Passage]]:
    """One group per passage, in reading order: the map step for a document without articles.

    A document with numbered paragraphs (a resolution's operative part) is summarised by them,
    not by its preamble; one without (a news report) by all its passages.
    """
    body = [p for p in passages if p.kind != "heading"]
    numbered = [p for p in body if p.paragraphs and p.article != "preamble"]
    return OrderedDict((p.id, [p]) for p in numbered or body)
