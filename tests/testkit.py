"""Test helpers: OpenAI-compatible endpoints that misbehave on purpose or answer as a capable model
writes (``eval.written_endpoint``), and small stores."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.written_endpoint import LoopbackEndpoint


# ----- OpenAI-compatible endpoints, in-process -----
class MisbehavingEndpoint(LoopbackEndpoint):
    """An HTTP server on 127.0.0.1 that fails every request in one chosen way.

    ``behaviour``: "500" or "401" answer with that status and a body that echoes the request's
    Authorization header (the worst case for a secret: it comes back in the error text);
    "garbage" answers 200 with a body that is not JSON; "hang" reads the request and never
    answers until the server is closed. Requests are counted; the server stops on ``close``.
    """

    def __init__(self, behaviour: str) -> None:
        self.behaviour = behaviour
        self.requests = 0
        self._release = threading.Event()
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
                return

            def do_GET(self) -> None:
                self._fail()

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(min(length, 1_000_000))
                self._fail()

            def _fail(self) -> None:
                endpoint.requests += 1
                if endpoint.behaviour == "hang":
                    endpoint._release.wait(timeout=60)
                    return
                auth = self.headers.get("Authorization", "")
                if endpoint.behaviour == "garbage":
                    status, body = 200, b"<html>not json " + auth.encode() + b"</html>"
                    content_type = "text/html"
                else:
                    status = int(endpoint.behaviour)
                    message = f"Incorrect API key provided: {auth}" if status == 401 else f"internal error for {auth}"
                    body = json.dumps({"error": {"message": message, "type": "server_error", "code": status}}).encode()
                    content_type = "application/json"
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(Handler)

    def close(self) -> None:
        self._release.set()  # a hanging request returns first
        super().close()


# ----- small stores for the tests -----
def ingest_into(settings: Any, embeddings: Any, paths: Sequence[Path]) -> Any:
    """Ingest ``paths`` into the store ``settings`` names, in this process; returns the IngestReport."""
    engine = engine_for(settings, embeddings)
    try:
        report = engine.ingest(list(paths))
    finally:
        # Release the client: an embedded store's shared Chroma system lives while any client holds it.
        if hasattr(engine.store.client, "close"):
            engine.store.client.close()
    assert not report.failed, report.failed
    return report


def engine_for(settings: Any, embeddings: Any) -> Any:
    """An ``Engine`` on ``settings`` that reuses an already loaded embedding model."""
    from rag.engine import Engine

    engine = Engine(settings)
    # cached_properties: set once, so the model is not loaded twice. Passages and sentences are
    # embedded with the same model in the tests.
    engine.embeddings = embeddings
    engine.sentence_embeddings = embeddings
    return engine


# The model the ``embeddings`` fixture loads; child processes must embed with the same one.
CHILD_ENV = {"RAG_EMBEDDING_BACKEND": "minilm"}


# ----- the verifier on passages of the UN convention -----
UN_CONVENTION = "un-cybercrime-convention-2024"


def verify_un(verifier: Any, sentence: str, passage: str, article: str | None = None) -> Any:
    """The verifier's verdict on ``sentence`` against a passage of the UN convention."""
    return verifier.verify(sentence, passage, doc_id=UN_CONVENTION, article=article)
