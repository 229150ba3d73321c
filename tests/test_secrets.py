"""Secrets stay secret: the OpenAI key and the Chroma token never reach logs, errors or answers.

The key is a recognisable string; the endpoints are a closed port and local servers that fail
on purpose and echo the Authorization header back in their error bodies (as some real servers
do), which is the worst case: the secret is then inside the client library's exception text.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).parent))
from testkit import MisbehavingEndpoint, engine_for, ingest_into

from eval.services import closed_port
from rag.errors import StoreError
from rag.settings import Settings
from rag.store import open_client

SECRET = "sk-test-SECRET-5f2b9c1e7a"
TOKEN = "chroma-SECRET-token-8d41"
QUESTION = "What does the service provider definition in article 2 of the UN cybercrime convention include?"
SMALL_DOCS = ("un-cybercrime-convention-2024-interpretative-notes.txt", "news-us-support-un-cybercrime-convention.txt")


def _leaks(text: str) -> bool:
    return SECRET in text or SECRET[8:] in text or TOKEN in text


@pytest.fixture(scope="module")
def small_store(tmp_path_factory, corpus_dir, embeddings, make_settings) -> Settings:
    settings = make_settings(tmp_path_factory.mktemp("secrets"))
    ingest_into(settings, embeddings, [corpus_dir / name for name in SMALL_DOCS])
    return settings


def test_settings_never_print_the_key_or_the_token(make_settings, tmp_path) -> None:
    settings = make_settings(
        tmp_path,
        openai_api_key=SecretStr(SECRET),
        chroma_token=SecretStr(TOKEN),
        chroma_host="127.0.0.1",
    )
    dumped = json.dumps(settings.model_dump(), default=str)
    for shown in (str(settings), repr(settings), settings.model_dump_json(), dumped):
        assert not _leaks(shown), shown


def test_settings_from_the_environment_keep_the_key_secret(monkeypatch) -> None:
    monkeypatch.setenv("RAG_OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("RAG_CHROMA_TOKEN", TOKEN)
    settings = Settings()
    assert settings.openai_api_key.get_secret_value() == SECRET
    assert not _leaks(repr(settings)) and not _leaks(str(settings))


@pytest.mark.parametrize("behaviour", ["closed", "401", "500", "garbage"])
def test_a_failing_openai_endpoint_never_shows_the_key(
    behaviour: str, small_store: Settings, embeddings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every library's debug output too
    endpoint = None if behaviour == "closed" else MisbehavingEndpoint(behaviour)
    try:
        base_url = endpoint.base_url if endpoint else f"http://127.0.0.1:{closed_port()}/v1"
        settings = small_store.model_copy(
            update={"openai_base_url": base_url, "openai_api_key": SecretStr(SECRET), "openai_timeout": 5.0}
        )
        answer = engine_for(settings, embeddings).ask(QUESTION, mode="openai")
    finally:
        if endpoint:
            endpoint.close()
    if endpoint:
        assert endpoint.requests >= 1, "the endpoint was never asked: the test proves nothing"
    assert answer.notice and "extractive" in answer.notice
    assert not answer.refused and answer.citations
    shown = [answer.text, answer.notice or "", json.dumps(answer.to_json()), answer.to_markdown()]
    for text in shown:
        assert not _leaks(text), text
    for record in caplog.records:
        trace = logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        rendered = record.getMessage() + trace
        assert not _leaks(rendered), f"{record.name}: {rendered[:500]}"


def test_a_refused_chroma_token_is_not_repeated_in_the_error(tmp_path: Path) -> None:
    endpoint = MisbehavingEndpoint("401")
    try:
        settings = Settings(
            store_path=tmp_path, chroma_host="127.0.0.1", chroma_port=endpoint.port, chroma_token=SecretStr(TOKEN)
        )
        with pytest.raises(StoreError) as caught:
            open_client(settings)
    finally:
        endpoint.close()
    assert not _leaks(str(caught.value))
    assert not _leaks(repr(caught.value))
