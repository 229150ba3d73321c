"""Test helpers: an OpenAI-compatible endpoint that misbehaves on purpose, and small stores."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.services import HOST


# ----- a misbehaving OpenAI-compatible endpoint, in-process -----
class MisbehavingEndpoint:
    """An HTTP server on 127.0.0.1 that fails every request in one chosen way.

    ``behaviour``: "500" or "401" answer with that status and a body that echoes the request's
    Authorization header (the worst case for a secret: it comes back in the error text);
    "garbage" answers 200 with a body that is not JSON; "hang" reads the request and never
    answers until the server is closed. Requests are counted; the server stops on ``close``.
    """

    def __init__(self, behaviour: str) -> None:
        import http.server
        import threading

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

        self._server = http.server.ThreadingHTTPServer((HOST, 0), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}/v1"

    def close(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> MisbehavingEndpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
