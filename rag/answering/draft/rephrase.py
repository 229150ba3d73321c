"""Drafting by rephrasing ("extract, then rephrase"): the local model says selected sentences again in plain words.

The system selects the sentences, as the extractive provider quotes them; the model is shown only
those, numbered, with the question, and fills a JSON schema: one plain-words rewrite per sentence,
in order, then the direct answer. Each rewrite claims its sentence's passage and carries the quote
as its fallback (``DraftSentence.fallback``): the verify stage shows the quote instead when the
verifier does not find the rewrite supported. A rewrite that says nothing (``says_nothing``: empty,
a bare "Yes") or copies its sentence (``copies_passage``) is the quote from the start: the quote
shows the same words, exactly, highlighted in the source.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Sequence
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel

from rag.answering.draft.copying import copies_passage
from rag.answering.draft.drafting import FieldStream, complete_prefix, declines, finish, for_question, says_nothing
from rag.answering.draft.generative import stream_text
from rag.answering.draft.types import Draft, DraftSentence
from rag.prompts import MAX_REPHRASED, REPHRASE_PROMPT, format_passages
from rag.types import ScoredPassage

# The JSON field that holds each rewrite: what a user sees stream in.
REWRITE_FIELD = "simple_words"

# Braces never appear in a plain sentence; in a rewrite they are the schema leaking into the text.
_JSON_DEBRIS_RE = re.compile(r"[{}]")


def rephrase_schema(count: int) -> dict[str, Any]:
    """The JSON schema the model fills: exactly ``count`` rewrites, in the sentences' order, then the answer."""
    rewrite = {
        "type": "object",
        "properties": {REWRITE_FIELD: {"type": "string"}},
        "required": [REWRITE_FIELD],
        "additionalProperties": False,
    }
    properties: dict[str, Any] = {
        "rewrites": {"type": "array", "items": rewrite, "minItems": count, "maxItems": count},
        "answer": {"type": "string"},  # after the rewrites: the model answers from what it has just said
    }
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def selected_quotes(quotes: Sequence[DraftSentence]) -> list[DraftSentence]:
    """The quoted sentences the model rephrases: the first ``MAX_REPHRASED`` of the extractive draft."""
    return [q for q in quotes if q.verbatim_of is not None and q.span is not None][:MAX_REPHRASED]


def numbered_sentences(quotes: Sequence[DraftSentence], passages: Sequence[ScoredPassage]) -> str:
    """The sentences as the prompt shows them: ``[n] (provision label) quoted words``, one a line."""
    shown = []
    for quote in quotes:
        assert quote.verbatim_of is not None and quote.span is not None
        passage = passages[quote.verbatim_of].passage
        shown.append((passage.label_for(passage.paragraph_at(quote.span[0])), quote.quoted))
    return format_passages(shown, max_chars=None)


def parse_rephrased(text: str, quotes: Sequence[DraftSentence]) -> Draft:
    """The filled schema read against ``quotes``: each rewrite claims its quote's passage and falls back
    to the quote; a missing rewrite (the output cut at its token limit), one that says nothing or one
    that copies its sentence is the quote itself, and so is one holding JSON debris (a small model that
    closes its string with the wrong quote mark writes "…'}, {" into it)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = complete_prefix(text)  # cut at the token limit: the whole rewrites before the cut
    data = data if isinstance(data, dict) else {}
    answer = " ".join(str(data.get("answer") or "").split()).rstrip(".")
    direct = answer[:1].upper() + answer[1:] if answer and not declines(answer) else None
    rewrites = data.get("rewrites")
    rewrites = rewrites if isinstance(rewrites, list) else []
    drafts = []
    for position, quote in enumerate(quotes):
        item = rewrites[position] if position < len(rewrites) else None
        plain = " ".join(str(item.get(REWRITE_FIELD) or "").split()) if isinstance(item, dict) else ""
        if (
            not plain
            or _JSON_DEBRIS_RE.search(plain)
            or declines(plain)
            or says_nothing(plain, direct, quote.quoted)
            or copies_passage(plain, [quote.quoted])
        ):
            drafts.append(quote)
        else:
            drafts.append(
                DraftSentence(plain, (quote.verbatim_of,) if quote.verbatim_of is not None else (), fallback=quote)
            )
    return Draft(direct, drafts)


def stream_rephrased(
    model: BaseChatModel, question: str, quotes: Sequence[DraftSentence], passages: Sequence[ScoredPassage]
) -> Generator[str, None, Draft]:
    """Stream the rewrites as the model writes them; return the draft (``quotes`` alone when there are none)."""
    quotes = selected_quotes(quotes)
    if not quotes:
        return Draft(None, [])
    messages = REPHRASE_PROMPT.format_messages(sentences=numbered_sentences(quotes, passages), question=question)
    pieces: list[str] = []
    readable = FieldStream(REWRITE_FIELD)
    for piece in stream_text(model, messages, rephrase_schema(len(quotes))):
        pieces.append(piece)
        shown = readable.feed(piece)
        if shown:
            yield shown
    return for_question(parse_rephrased("".join(pieces), quotes), question)


def rephrase_all(
    model: BaseChatModel, question: str, quotes: Sequence[DraftSentence], passages: Sequence[ScoredPassage]
) -> list[DraftSentence]:
    """Every quote rephrased (a summary's lead sentences), ``MAX_REPHRASED`` to a call; the direct answers
    are not used."""
    drafts: list[DraftSentence] = []
    for start in range(0, len(quotes), MAX_REPHRASED):
        batch = quotes[start : start + MAX_REPHRASED]
        drafts.extend(finish(stream_rephrased(model, question, batch, passages)).sentences)
    return drafts
