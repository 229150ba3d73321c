"""``POST /v1/chat/completions`` and ``GET /v1/models``: the product's answers in OpenAI's chat format."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Iterator, Sequence

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from rag.answering.types import Answer
from rag.api.auth import require_reader
from rag.api.completions import ChunkWriter, completion, mode_of, model_list
from rag.api.errors import rag_error_status
from rag.api.schemas import ERROR_RESPONSES, ChatCompletion, ChatCompletionRequest, ModelList
from rag.engine import Engine
from rag.errors import RagError
from rag.limits import check_k
from rag.retrieval import SearchFilters

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1", tags=["chat"], dependencies=[Depends(require_reader)])

# One llama.cpp model per process, and it is not safe to run from two threads at once: local answers
# take turns (each holds the lock for its whole answer, in one thread).
LOCAL_MODEL_LOCK = threading.Lock()
_END = object()


@contextlib.contextmanager
def model_turn(mode: str) -> Iterator[None]:
    """Hold the local model for an answer in ``local`` mode; other modes run side by side."""
    if mode != "local":
        yield
        return
    with LOCAL_MODEL_LOCK:
        yield


@router.get("/models", response_model=ModelList, responses=ERROR_RESPONSES)
def list_models() -> ModelList:
    """The answer modes, as OpenAI model ids."""
    return model_list()


@router.post("/chat/completions", response_model=ChatCompletion, responses=ERROR_RESPONSES)
def chat_completions(body: ChatCompletionRequest, request: Request) -> ChatCompletion | StreamingResponse:
    """A verified, cited answer to the last user message (or a refusal naming the closest provisions)."""
    engine: Engine = request.app.state.engine
    mode = mode_of(body.model)
    question, history = body.question_and_history()
    engine.check_question(question)  # 400 before any response starts, streamed or not
    check_k(engine.settings.top_k if body.k is None else body.k, engine.settings)
    filters = SearchFilters(docs=tuple(body.documents)) if body.documents else None
    if body.stream:
        events = sse_events(engine, body.model, mode, question, history, body.k, filters)
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}  # nginx: pass each event on at once
        return StreamingResponse(events, media_type="text/event-stream", headers=headers)
    with model_turn(mode):
        answer = engine.ask(question, mode, body.k, filters, history)
    return completion(answer, body.model)


async def sse_events(
    engine: Engine,
    model: str,
    mode: str,
    question: str,
    history: Sequence[str],
    k: int | None,
    filters: SearchFilters | None,
) -> AsyncIterator[str]:
    """The opening chunk at once, the draft pieces as the model writes, then the verified answer."""
    writer = ChunkWriter(model)
    yield writer.opening()
    loop = asyncio.get_running_loop()
    events: asyncio.Queue[object] = asyncio.Queue()

    def deliver(event: object) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed: the server is stopping
            loop.call_soon_threadsafe(events.put_nowait, event)

    def produce() -> None:
        """Run the engine's stream in its own thread; everything it yields (or raises) goes to the queue."""
        try:
            with model_turn(mode):
                for event in engine.ask_stream(question, mode, k, filters, history):
                    deliver(event)
        except Exception as error:  # delivered to the client as an error event
            deliver(error)
        finally:
            deliver(_END)

    threading.Thread(target=produce, name="answer-stream", daemon=True).start()
    while (event := await events.get()) is not _END:
        if isinstance(event, Answer):
            for line in writer.closing(event):
                yield line
        elif isinstance(event, RagError):
            for line in writer.failure(str(event), rag_error_status(event)[1]):
                yield line
        elif isinstance(event, Exception):
            log.error("streamed answer failed", exc_info=event)
            message = f"internal error ({type(event).__name__}); the server log has the details"
            for line in writer.failure(message, "server_error"):
                yield line
        elif isinstance(event, str) and mode != "extractive":
            yield writer.draft(event)
