"""The "openai" provider against a real OpenAI-compatible server, and against endpoints that fail.

The server is llama.cpp's (``python -m llama_cpp.server``) serving the packaged 0.5B GGUF on a
loopback port, with an API key it checks, so the test also proves the key is sent. Whatever
the model writes, the answer must be well formed: each supported sentence cites numbers of
``answer.citations``, and each citation's quote is the source document's text at its offsets.
An endpoint that is closed, hangs or fails gives an extractive answer with a notice instead.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pydantic import SecretStr
from testkit import MisbehavingEndpoint, engine_for, ingest_into

from eval.services import closed_port, start_llama_server
from rag.answering.types import Answer
from rag.loaders import load_document
from rag.settings import Settings

API_KEY = "sk-test-secret-123"
FILES = (
    "un-cybercrime-convention-2024-interpretative-notes.txt",
    "news-us-support-un-cybercrime-convention.txt",
    "un-ga-resolution-79-243.txt",
)
QUESTION = "What does the definition of service provider in article 2 include?"


def assert_well_formed(answer: Answer, corpus_dir: Path) -> None:
    """Supported sentences cite existing numbers; quotes are the documents' text at their offsets."""
    texts: dict[str, str] = {}
    numbers = {c.n for c in answer.citations}
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for sentence in answer.sentences:
        if sentence.supported:
            assert sentence.citations, sentence
            assert set(sentence.citations) <= numbers, (sentence, numbers)
        else:
            assert not sentence.citations
    for citation in answer.citations:
        if citation.doc not in texts:
            texts[citation.doc] = load_document(corpus_dir / f"{citation.doc}.txt", 10**8, 10**4).text
        assert texts[citation.doc][citation.start : citation.end] == citation.quote, citation
    if not answer.refused:
        assert any(s.supported for s in answer.sentences)


@pytest.fixture(scope="module")
def small_store(tmp_path_factory, corpus_dir, embeddings, make_settings) -> Settings:
    settings = make_settings(tmp_path_factory.mktemp("openai"))
    ingest_into(settings, embeddings, [corpus_dir / name for name in FILES])
    return settings


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory, working_llama_cpp):
    """llama.cpp's OpenAI-compatible server on the 0.5B model; stopped at the end of the module."""
    from rag.models import ensure_gguf
    from rag.settings import Settings

    model = ensure_gguf("0.5b", Settings().model_cache)
    service = start_llama_server(model, tmp_path_factory.mktemp("llama-logs"), alias="qwen", api_key=API_KEY)
    yield service
    service.stop()


def openai_settings(base: Settings, base_url: str, **extra: object) -> Settings:
    values: dict[str, object] = {
        "openai_base_url": base_url,
        "openai_model": "qwen",
        "openai_api_key": SecretStr(API_KEY),
        "llm_max_tokens": 160,
        "openai_timeout": 300.0,
    }
    values.update(extra)
    return base.model_copy(update=values)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_answer_through_the_openai_compatible_server_is_well_formed(
    llama_server, small_store, embeddings, corpus_dir
) -> None:
    engine = engine_for(openai_settings(small_store, f"{llama_server.url}/v1"), embeddings)
    answer = engine.ask(QUESTION, mode="openai")
    assert answer.mode == "openai"
    assert answer.notice is None or "could not be verified" in answer.notice, answer.notice
    assert_well_formed(answer, corpus_dir)
    assert not answer.refused, answer.to_json()


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_openai_stream_yields_text_before_the_answer(llama_server, small_store, embeddings, corpus_dir) -> None:
    engine = engine_for(openai_settings(small_store, f"{llama_server.url}/v1"), embeddings)
    events = list(engine.ask_stream("Which day is the international anti-cybercrime day?", mode="openai"))
    assert isinstance(events[-1], Answer)
    assert all(isinstance(e, str) for e in events[:-1]) and len(events) >= 2
    assert_well_formed(events[-1], corpus_dir)


@pytest.mark.slow
def test_a_wrong_api_key_gives_an_extractive_answer_with_a_notice(llama_server, small_store, embeddings) -> None:
    settings = openai_settings(small_store, f"{llama_server.url}/v1", openai_api_key=SecretStr("sk-wrong"))
    answer = engine_for(settings, embeddings).ask(QUESTION, mode="openai")
    assert answer.notice and "extractive" in answer.notice
    assert not answer.refused and answer.citations


def test_a_closed_port_gives_an_extractive_answer_with_a_notice(small_store, embeddings, corpus_dir) -> None:
    settings = openai_settings(small_store, f"http://127.0.0.1:{closed_port()}/v1", openai_timeout=5.0)
    started = time.monotonic()
    answer = engine_for(settings, embeddings).ask(QUESTION, mode="openai")
    assert time.monotonic() - started < 60
    assert answer.notice and "extractive" in answer.notice
    assert not answer.refused
    assert_well_formed(answer, corpus_dir)


@pytest.mark.parametrize("behaviour", ["hang", "500", "garbage"])
def test_a_failing_endpoint_gives_an_extractive_answer_in_bounded_time(
    behaviour: str, small_store, embeddings, corpus_dir
) -> None:
    timeout = 2.0
    with MisbehavingEndpoint(behaviour) as endpoint:
        settings = openai_settings(small_store, endpoint.base_url, openai_timeout=timeout)
        started = time.monotonic()
        answer = engine_for(settings, embeddings).ask(QUESTION, mode="openai")
        seconds = time.monotonic() - started
        assert endpoint.requests >= 1
    # One try and one retry of at most ``timeout`` each, plus the client's back-off and the answer itself.
    assert seconds < 4 * timeout + 20, seconds
    assert answer.notice and "extractive" in answer.notice
    assert_well_formed(answer, corpus_dir)
