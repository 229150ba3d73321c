"""The draft stage: a provider drafts the answer's sentences, each claiming the passages it rests on.

The extractive provider quotes the best sentences, opening with the correction of a premise the
assess stage found contradicted. A generative provider (``local``, ``openai``) streams its text,
which is read into sentences. By default (``local_drafting`` "rephrase") the local model is shown
only the sentences the extractive provider would quote and rewrites each in plain words, each
rewrite falling back to its quote; with "schema" it fills an answer schema from excerpts, with
"free" it writes free text. A capable model writes free text with ``[n]`` markers, shown the
passages its budget allows. When the model is unavailable or fails, the answer quotes instead,
with a notice.
"""

from __future__ import annotations

import logging
from collections.abc import Generator

from rag.answering.assess import Assessment
from rag.answering.draft.context import context_for
from rag.answering.draft.drafting import for_question, schema_for, stream_draft
from rag.answering.draft.extractive import extractive_drafts
from rag.answering.draft.generative import build_chat_model
from rag.answering.draft.rephrase import stream_rephrased
from rag.answering.draft.types import Draft, Drafted
from rag.answering.retrieve import Retrieved
from rag.errors import ModelUnavailableError
from rag.prompts import ANSWER_PROMPT, SCHEMA_ANSWER_PROMPT
from rag.settings import Settings

log = logging.getLogger(__name__)


def draft(mode: str, retrieved: Retrieved, assessment: Assessment, settings: Settings) -> Generator[str, None, Drafted]:
    """Stream the readable text of provider ``mode`` as it is generated; return what it drafted."""
    if mode == "extractive":
        premise = assessment.premise
        quoted = extractive_drafts(
            retrieved.candidates, retrieved.passages, premise.lead, retrieved.broad, premise.correction
        )
        return Drafted(Draft(None, quoted), mode)
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
        return Drafted(written, mode)
    return Drafted(Draft(None, extractive_drafts(retrieved.candidates, retrieved.passages)), mode, notice)


def _rephrase(retrieved: Retrieved, assessment: Assessment, settings: Settings) -> Generator[str, None, Draft]:
    """Stream the local model's plain-words rewrites of the sentences the extractive provider would quote."""
    model = build_chat_model(settings, "local")
    premise = assessment.premise
    quotes = extractive_drafts(
        retrieved.candidates, retrieved.passages, premise.lead, retrieved.broad, premise.correction
    )
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
