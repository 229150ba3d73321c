"""Run the API with uvicorn: one process, or several workers each with its own ``Engine``."""

from __future__ import annotations

import os

import uvicorn

from rag.api.app import create_app
from rag.settings import Settings

APP_FACTORY = "rag.api.app:create_app"


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8080, workers: int = 1) -> None:
    """Serve until stopped (SIGINT/SIGTERM finish the requests in flight first).

    Several workers are separate processes that read their settings from the environment, so the
    store folder and collection are passed on as ``RAG_STORE_PATH`` and ``RAG_COLLECTION``.
    """
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, timeout_graceful_shutdown=30)
        return
    os.environ["RAG_STORE_PATH"] = str(settings.store_path)
    os.environ["RAG_COLLECTION"] = settings.collection
    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers, timeout_graceful_shutdown=30)
