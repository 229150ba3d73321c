"""The draft stage: a provider drafts the answer's sentences, each claiming the passages it rests on.

The extractive provider quotes the best sentences, opening with the correction of a premise the
assess stage found contradicted. A generative provider (``local``, ``openai``) streams its text,
which is read into sentences. By default (``local_drafting`` "rephrase") the local model is shown
only the sentences the extractive provider would quote and rewrites each in plain words, each
rewrite falling back to its quote; with "schema" it fills an answer schema from excerpts, with
"free" it writes free text. A capable model writes free text with ``[n]`` markers, shown the
passages its budget allows. When the model is unavailable or fails, the answer quotes instead,
with a notice. When the assess stage found the question's premise contradicted by the passages'
wording, every mode opens with "No": the extractive lead is the correcting sentence, and a model's
own direct answer gives way to the correction.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from dataclasses import replace

from rag.answering.assess import Assessment
from rag.answering.assess.premise import PREMISE_DIRECT
from rag.answering.draft.context import context_for
from rag.answering.draft.drafting import YES_NO_OPENING_RE, for_question, schema_for, stream_draft
from rag.answering.draft.extractive import extractive_drafts
from rag.answering.draft.generative import build_chat_model
from rag.answering.draft.rephrase import stream_rephrased
from rag.answering.draft.types import Draft, Drafted, DraftSentence
from rag.answering.retrieve import Retrieved
from rag.errors import ModelUnavailableError
from rag.prompts import ANSWER_PROMPT, SCHEMA_ANSWER_PROMPT
from rag.settings import Settings

log = logging.getLogger(__name__)


def draft(mode: str, retrieved: Retrieved, assessment: Assessment, settings: Settings) -> Generator[str, None, Drafted]:
    """Stream the readable text of provider ``mode`` as it is generated; return what it drafted."""
    if mode == "extractive":
        return Drafted(Draft(None, _quoted(retrieved, assessment)), mode)
    try:
        if mode == "local" and settings.local_drafting == "rephrase":
            written = yield from _rephrase(retrieved, assessment, settings)
        else:
            written = yield from _generate(mode, retrieved, settings)
    except ModelUnavailableError as error:
        notice = f"The {mode} model is unavailable ({error}); this answer is extractive."
    except Exception as error:  # a server or model failure must not lose the question
        log.warning("generation failed: %s", type(error).__name__)
        notice = f"The {mode} model failed ({type(error).__name__}); this answer is extractive."
    else:
        return Drafted(_with_correction(written, assessment), mode)
    return Drafted(Draft(None, _quoted(retrieved, assessment)), mode, notice)


def _quoted(retrieved: Retrieved, assessment: Assessment) -> list[DraftSentence]:
    """The extractive provider's sentences: the lead correcting a contradicted premise first, if any."""
    premise = assessment.premise
    candidates, passages = retrieved.candidates, retrieved.passages
    return extractive_drafts(candidates, passages, premise.lead, retrieved.broad, premise.correction)


def _with_correction(written: Draft, assessment: Assessment) -> Draft:
    """``written`` opening with "No" when the assess stage found the premise contradicted by the passages'
    wording: the model's own direct answer gives way, unless its first sentence already says "No" (a
    rewrite that fell back to the correcting quote)."""
    if not assessment.premise.by_the_text:
        return written
    opening = YES_NO_OPENING_RE.match(written.sentences[0].text) if written.sentences else None
    if opening is not None and opening.group(1).lower() == "no":
        return replace(written, direct=None)
    return replace(written, direct=PREMISE_DIRECT)


def _rephrase(retrieved: Retrieved, assessment: Assessment, settings: Settings) -> Generator[str, None, Draft]:
    """Stream the local model's plain-words rewrites of the sentences the extractive provider would quote."""
    model = build_chat_model(settings, "local")
    quotes = _quoted(retrieved, assessment)
    return (yield from stream_rephrased(model, retrieved.reading.question, quotes, retrieved.passages))


def _generate(mode: str, retrieved: Retrieved, settings: Settings) -> Generator[str, None, Draft]:
    """Stream the model's readable draft of an answer to the question as asked; return what it drafted."""
    model = build_chat_model(settings, mode)
    context = context_for(mode, retrieved.passages, retrieved.candidates, settings)
    schema = schema_for(mode, settings, context.size)
    prompt = SCHEMA_ANSWER_PROMPT if schema is not None else ANSWER_PROMPT
    messages = prompt.format_messages(passages=context.numbered, question=retrieved.reading.question)
    written = yield from stream_draft(model, messages, context, retrieved.passages, schema)
    return for_question(written, retrieved.reading.question)
