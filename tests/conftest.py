"""Shared fixtures for the test suite.

Fixtures other test files may use:

- ``corpus_dir``: the corpus folder, ``corpus/`` shipped in the repository.
- ``embeddings``: the real all-MiniLM-L6-v2 ``MiniLMEmbeddings``, loaded once per session (~8 s)
  and shared with ``rag.embeddings.get_embeddings``.
- ``corpus_store``: the whole corpus ingested once per session into a temporary Chroma store
  with the default passage model and the MiniLM sentence model (minutes on 2 CPU cores);
  a ``CorpusStore``
  with ``.settings``, ``.store`` and ``.report``. Treat it as read-only: other tests share it.
- ``working_llama_cpp``: checks once, in a child process, that llama.cpp can generate with the
  0.5B model; fails the tests that use it with the reason when the build crashes on this CPU.
- ``make_settings``: a factory ``make_settings(tmp_path, **overrides) -> Settings`` for a store
  under ``tmp_path`` (collection ``"tests"``), with any ``Settings`` field overridden.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from rag.settings import DEFAULT_CORPUS, PROJECT_ROOT, Settings

CORPUS_DIR = DEFAULT_CORPUS


def build_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for a fresh store in ``tmp_path``; ``overrides`` set any other field."""
    values: dict[str, Any] = {"store_path": tmp_path / "store", "collection": "tests"}
    values.update(overrides)
    return Settings(**values)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the whole-corpus store, so `make test-fast` can leave it out."""
    for item in items:
        if "corpus_store" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.corpus)


@dataclass(frozen=True)
class CorpusStore:
    """The whole corpus ingested once: its settings, the open store and the ingest report."""

    settings: Settings
    store: Any  # rag.store.PassageStore
    report: Any  # rag.ingestion.IngestReport


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The corpus folder (read-only); the test is skipped when it is not there."""
    if not CORPUS_DIR.is_dir() or not any(CORPUS_DIR.glob("*.txt")):
        pytest.skip(f"corpus not found at {CORPUS_DIR}")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def embeddings():
    """The real MiniLM embedding model (with ``count_tokens`` and ``max_tokens`` = 256).

    It is the instance ``rag.embeddings.get_embeddings`` caches for the default batch size, so
    code under test that loads the model itself (an ``Engine``, the CLIs) shares this copy.
    """
    from rag.embeddings import MiniLMEmbeddings, get_embeddings

    model = get_embeddings(Settings(embedding_backend="minilm", embedding_batch_size=32))
    assert isinstance(model, MiniLMEmbeddings)
    return model


@pytest.fixture(scope="session")
def make_settings() -> Callable[..., Settings]:
    """The factory ``make_settings(tmp_path, **overrides)``; see ``build_settings``."""
    return build_settings


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path, embeddings) -> CorpusStore:
    """The whole corpus ingested once into a temporary store with the real model."""
    from rag.embeddings import get_embeddings, get_sentence_embeddings
    from rag.ingestion import Ingestor
    from rag.store import PassageStore

    # The same models an Engine on these settings uses (the default passage embedding backend).
    settings = build_settings(tmp_path_factory.mktemp("corpus-store"))
    passage_embeddings = get_embeddings(settings)
    store = PassageStore(settings, passage_embeddings)
    report = Ingestor(settings, store, passage_embeddings, get_sentence_embeddings(settings)).run([corpus_dir])
    return CorpusStore(settings=settings, store=store, report=report)


# A few tokens from the 0.5B model, in a child: a llama.cpp build that uses instructions this CPU
# refuses (SIGILL) would otherwise kill the whole pytest process.
_GENERATE_A_FEW_TOKENS = """
from llama_cpp import Llama
from rag.models import ensure_gguf
from rag.settings import Settings
model = Llama(model_path=str(ensure_gguf("0.5b", Settings().model_cache)), n_ctx=512, n_threads=2, verbose=False)
print(model("The capital of France is", max_tokens=4)["choices"][0]["text"])
"""


@pytest.fixture(scope="session")
def working_llama_cpp() -> None:
    """Fail (not crash) the local-model tests when llama.cpp cannot run on this machine."""
    child = subprocess.run(
        [sys.executable, "-c", _GENERATE_A_FEW_TOKENS], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600
    )
    if child.returncode != 0:
        pytest.fail(
            f"llama.cpp could not generate (exit status {child.returncode}; -4 or 132 is SIGILL, a build for another "
            f"CPU: `make setup` builds it with CMAKE_ARGS=-DGGML_NATIVE=OFF):\n{child.stderr[-2000:]}"
        )


@pytest.fixture(scope="module")
def verifier(embeddings):  # type: ignore[no-untyped-def]
    """The claim verifier on the test embedding model."""
    from rag.verification import Verifier

    return Verifier(embeddings)
