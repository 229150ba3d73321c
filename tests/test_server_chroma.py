"""The store on a Chroma server behind an nginx token proxy gives the same answers as the embedded store.

``chroma run`` listens on one loopback port; nginx, on another, passes a request on only when it
carries ``Authorization: Bearer <token>`` and answers 401 otherwise. The same files are ingested
into an embedded store and, through the proxy, into the server; searches and extractive answers
must then agree exactly (ids and order). A wrong or missing token must fail fast with a
``StoreError``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pydantic import SecretStr
from testkit import engine_for, ingest_into

from eval.services import HOST, nginx_binary, start_chroma, start_token_proxy
from rag.errors import StoreError
from rag.settings import PROJECT_ROOT, Settings
from rag.store import PassageStore, open_client

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (make system-deps)"),
]

TOKEN = "test-token-3b7e91c4"
FILES = (
    "un-cybercrime-convention-2024-interpretative-notes.txt",
    "news-us-support-un-cybercrime-convention.txt",
    "un-ga-resolution-79-243.txt",
)
QUESTIONS = [
    "What does the definition of service provider include?",
    "When is an offence under article 17 deemed an offence?",
    "Which day did the General Assembly designate as international anti-cybercrime day?",
    "Why did US officials support the convention despite human-rights concerns?",
    "Where will the signing ceremony of the convention take place?",
]
FAIL_FAST_SECONDS = 15.0


def remote_settings(base: Settings, port: int, token: str | None) -> Settings:
    return base.model_copy(
        update={"chroma_host": HOST, "chroma_port": port, "chroma_token": SecretStr(token) if token else None}
    )


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    """A Chroma server and the nginx token proxy in front of it; both stopped at the end."""
    work = tmp_path_factory.mktemp("chroma-server")
    chroma = start_chroma(work / "data", work / "logs")
    try:
        nginx = start_token_proxy(chroma.port, TOKEN, work)
    except BaseException:
        chroma.stop()
        raise
    yield nginx
    nginx.stop()
    chroma.stop()


@pytest.fixture(scope="module")
def stores(proxy, tmp_path_factory, corpus_dir, embeddings, make_settings) -> tuple[Settings, Settings]:
    """(embedded, remote) settings with the same files ingested into each."""
    files = [corpus_dir / name for name in FILES]
    embedded = make_settings(tmp_path_factory.mktemp("embedded"))
    remote = remote_settings(make_settings(tmp_path_factory.mktemp("remote")), proxy.port, TOKEN)
    ingest_into(embedded, embeddings, files)
    ingest_into(remote, embeddings, files)
    return embedded, remote


def _call_bounded(function, seconds: float):  # type: ignore[no-untyped-def]
    """Run ``function()`` in a thread; (finished, result or exception, seconds taken)."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = function()
        except BaseException as error:
            box["value"] = error

    started = time.monotonic()
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    return not thread.is_alive(), box.get("value"), time.monotonic() - started


def test_the_proxy_refuses_requests_without_the_token(proxy) -> None:
    from eval.services import http_status

    assert http_status(f"{proxy.url}/api/v2/heartbeat") == 401
    assert http_status(f"{proxy.url}/api/v2/heartbeat", {"Authorization": "Bearer nope"}) == 401
    assert http_status(f"{proxy.url}/api/v2/heartbeat", {"Authorization": f"Bearer {TOKEN}"}) == 200


def test_server_store_holds_what_the_embedded_store_holds(stores, embeddings) -> None:
    embedded, remote = (PassageStore(s, embeddings) for s in stores)
    local_manifest, remote_manifest = embedded.manifest(), remote.manifest()
    assert sorted(local_manifest) == sorted(remote_manifest) == sorted(Path(f).stem for f in FILES)
    for doc_id, entry in local_manifest.items():
        other = remote_manifest[doc_id]
        assert (entry.doc_hash, entry.passages, entry.title) == (other.doc_hash, other.passages, other.title)
    assert [p.id for p in embedded.committed_passages()] == [p.id for p in remote.committed_passages()]
    assert embedded.sentence_collection.count() == remote.sentence_collection.count()


@pytest.mark.parametrize("question", QUESTIONS)
def test_server_search_ranks_like_the_embedded_store(stores, embeddings, question: str) -> None:
    local, remote = (engine_for(s, embeddings) for s in stores)
    local_hits, remote_hits = local.search(question, k=5), remote.search(question, k=5)
    assert [h.passage.id for h in remote_hits] == [h.passage.id for h in local_hits]
    assert [h.supporting for h in remote_hits] == [h.supporting for h in local_hits]
    for a, b in zip(local_hits, remote_hits, strict=True):
        assert a.score == pytest.approx(b.score, abs=1e-6)


@pytest.mark.parametrize("question", QUESTIONS)
def test_server_extractive_answer_equals_the_embedded_one(stores, embeddings, question: str) -> None:
    local, remote = (engine_for(s, embeddings) for s in stores)
    a, b = local.ask(question, mode="extractive"), remote.ask(question, mode="extractive")
    assert b.refused == a.refused
    assert b.text == a.text
    assert [c.to_json() for c in b.citations] == [c.to_json() for c in a.citations]
    assert [p.passage.id for p in b.passages] == [p.passage.id for p in a.passages]


@pytest.mark.parametrize("token", ["wrong-token", None], ids=["wrong", "missing"])
def test_a_wrong_or_missing_token_fails_fast_with_a_store_error(stores, proxy, token: str | None) -> None:
    settings = remote_settings(stores[1], proxy.port, token)
    finished, outcome, seconds = _call_bounded(lambda: open_client(settings), FAIL_FAST_SECONDS)
    assert finished, f"open_client hung for {FAIL_FAST_SECONDS} s on a refused token"
    assert isinstance(outcome, StoreError), outcome
    assert f"{HOST}:{proxy.port}" in str(outcome)
    assert seconds < 5


def test_a_refused_token_is_named_in_the_error(stores, proxy) -> None:
    with pytest.raises(StoreError) as caught:
        open_client(remote_settings(stores[1], proxy.port, "wrong-token"))
    message = str(caught.value).lower()
    assert "401" in message or "token" in message or "unauthori" in message


def test_ingest_cli_with_a_wrong_token_exits_cleanly(proxy, corpus_dir, tmp_path) -> None:
    env = {
        **os.environ,
        "RAG_CHROMA_HOST": HOST,
        "RAG_CHROMA_PORT": str(proxy.port),
        "RAG_CHROMA_TOKEN": "wrong-token",
        "RAG_STORE_PATH": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "ingest", str(corpus_dir / FILES[1])],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 1, result.stderr[-2000:]
    assert "error:" in result.stderr and "Traceback" not in result.stderr
    assert "wrong-token" not in result.stderr + result.stdout


def test_a_server_that_never_answers_fails_within_a_bounded_time(tmp_path) -> None:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((HOST, 0))
    listener.listen(8)  # connections queue in the backlog; nothing ever reads or answers them
    port = listener.getsockname()[1]
    settings = Settings(store_path=tmp_path, chroma_host=HOST, chroma_port=port, chroma_token=SecretStr(TOKEN))
    try:
        finished, outcome, _ = _call_bounded(lambda: open_client(settings), FAIL_FAST_SECONDS)
    finally:
        listener.close()  # releases a hung client thread: its connection is reset
    assert finished, f"open_client still waiting after {FAIL_FAST_SECONDS} s on a silent server"
    assert isinstance(outcome, StoreError), outcome
