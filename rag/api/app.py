"""The FastAPI application: one ``Engine`` per process, the routes, auth, limits, CORS and error bodies."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from rag.api.errors import install_error_handlers
from rag.api.limits import MULTIPART_OVERHEAD_BYTES, BodySizeLimit
from rag.api.routes import chat, documents, health, search
from rag.engine import Engine
from rag.errors import RagError
from rag.settings import Settings, get_settings

log = logging.getLogger(__name__)

DESCRIPTION = """\
Cited answers about the UN Convention against Cybercrime and the treaties read beside it.

`POST /v1/chat/completions` speaks the OpenAI chat API (point any OpenAI client at `/v1`); the
`model` picks the answer mode. Every sentence of the content is verified against the sources and
carries `[n]` markers; `citations`, `sentences`, `refused` and `timings` give the details.
Send `Authorization: Bearer <RAG_API_TOKEN>` when the server has a token; uploads and deletions
always need one.
"""


def warm_up(engine: Engine) -> None:
    """Open the store and load the models now, so that the first question does not pay for them."""
    try:
        engine.documents()
        _ = engine.answers  # the sentence and question models
    except RagError as error:  # the server still starts; /healthz reports the problem
        log.warning("the engine could not be warmed up: %s", error)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """The API over ``engine`` (default: a new ``Engine`` on ``settings``, default the process settings).

    ``settings`` gives the API's own knobs (token, body limit, CORS); without it, the engine's.
    A factory, so that each worker process (``uvicorn --factory``) builds its own engine.
    """
    engine = engine or Engine(settings or get_settings())
    settings = settings or engine.settings

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(warm_up, engine)
        yield

    app = FastAPI(title="treatyqa API", version="1.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.engine = engine
    app.state.settings = settings
    for module in (chat, search, documents, health):
        app.include_router(module.router)
    install_error_handlers(app)

    upload_limit = settings.max_file_bytes + MULTIPART_OVERHEAD_BYTES

    def body_limit(path: str) -> int:
        return upload_limit if path.rstrip("/") == documents.router.prefix else settings.api_max_body_bytes

    app.add_middleware(BodySizeLimit, limit_for=body_limit)
    if settings.api_cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.api_cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    return app
