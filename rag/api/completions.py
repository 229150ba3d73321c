"""An ``Answer`` in OpenAI's chat-completion shape: model ids, message content, and the streamed chunks."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable
from typing import Any

from rag.answering.types import Answer
from rag.api.errors import ApiError
from rag.api.schemas import (
    AssistantMessage,
    ChatCompletion,
    Choice,
    CitationOut,
    ModelCard,
    ModelList,
    SentenceOut,
    TreatyFields,
)
from rag.settings import ANSWER_MODES

MODEL_PREFIX = "treatyqa-"
MODE_DESCRIPTIONS = {
    "extractive": "Quotes the best-supported sentences of the retrieved provisions (fast, offline).",
    "local": "Written by the packaged local model (llama.cpp), every sentence verified against the sources.",
    "openai": "Written by the server's OpenAI-compatible model, every sentence verified against the sources.",
}
# Each source in the content's sources block quotes at most this many characters.
SOURCE_QUOTE_CHARS = 160
STARTED = int(time.time())


def model_id(mode: str) -> str:
    return MODEL_PREFIX + mode


def model_list() -> ModelList:
    """One model per answer mode of the product."""
    return ModelList(
        data=[ModelCard(id=model_id(m), created=STARTED, description=MODE_DESCRIPTIONS.get(m, m)) for m in ANSWER_MODES]
    )


def mode_of(model: str) -> str:
    """The answer mode a model id names; 404 (as OpenAI answers an unknown model) listing the ids."""
    mode = model.removeprefix(MODEL_PREFIX)
    if not model.startswith(MODEL_PREFIX) or mode not in ANSWER_MODES:
        known = ", ".join(model_id(m) for m in ANSWER_MODES)
        raise ApiError(404, f"unknown model {model!r}; choose from {known}", "invalid_request_error", "model_not_found")
    return mode


def completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"


def shorten(text: str, limit: int = SOURCE_QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def message_content(answer: Answer) -> str:
    """The answer text with its [n] markers, a notice when there is one, then one line per source."""
    parts = [answer.text]
    if answer.notice and not answer.refused:
        parts.append(f"Note: {answer.notice}")
    if answer.citations:
        sources = [f"[{c.n}] {c.label}: “{shorten(c.quote)}”" for c in answer.citations]
        parts.append("Sources:\n" + "\n".join(sources))
    return "\n\n".join(parts)


def treaty_fields(answer: Answer) -> TreatyFields:
    """The product's own fields of a response: citations, sentence verdicts, refusal, timings."""
    return TreatyFields(
        citations=[
            CitationOut(
                n=c.n,
                doc=c.doc,
                title=c.doc_title,
                label=c.label,
                article=c.article,
                paragraph=c.paragraph,
                start=c.start,
                end=c.end,
                quote=c.quote,
            )
            for c in answer.citations
        ],
        sentences=[
            SentenceOut(
                text=s.text,
                citations=list(s.citations),
                supported=s.supported,
                verdict=s.verdict,
                reason=s.reason,
                score=round(s.score, 4),
            )
            for s in answer.sentences
        ],
        refused=answer.refused,
        notice=answer.notice,
        timings={name: round(seconds, 4) for name, seconds in answer.timings.items()},
    )


def completion(answer: Answer, model: str) -> ChatCompletion:
    """The whole response of a non-streamed request."""
    return ChatCompletion(
        id=completion_id(),
        created=int(time.time()),
        model=model,
        choices=[Choice(message=AssistantMessage(content=message_content(answer)))],
        **treaty_fields(answer).model_dump(),
    )


class ChunkWriter:
    """The server-sent events of one streamed completion, each a ``chat.completion.chunk``."""

    def __init__(self, model: str) -> None:
        self.id = completion_id()
        self.created = int(time.time())
        self.model = model

    def _event(self, delta: dict[str, Any], finish_reason: str | None = None, **extra: Any) -> str:
        chunk = {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
            **extra,
        }
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

    def opening(self) -> str:
        """Sent at once, before retrieval: the client sees the response start."""
        return self._event({"role": "assistant", "content": ""})

    def draft(self, piece: str) -> str:
        """A piece of a model's unverified draft, in a field clients ignore (the content is verified only)."""
        return self._event({"draft": piece})

    def closing(self, answer: Answer) -> Iterable[str]:
        """The verified content, then the finishing chunk carrying the product's fields, then [DONE]."""
        yield self._event({"content": message_content(answer)})
        yield self._event({}, "stop", **treaty_fields(answer).model_dump())
        yield "data: [DONE]\n\n"

    @staticmethod
    def failure(message: str, error_type: str) -> Iterable[str]:
        """An error after the response started: an event with an ``error`` object (the SDK raises it), then [DONE]."""
        yield f"data: {json.dumps({'error': {'message': message, 'type': error_type, 'code': None}})}\n\n"
        yield "data: [DONE]\n\n"
