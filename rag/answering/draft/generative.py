"""Generative providers behind LangChain chat models: the packaged local GGUF or any OpenAI-compatible server.

Both are ``BaseChatModel``s; a provider only drafts (``drafting`` reads what it wrote), and the
verify and cite stages decide what is cited.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel

from rag.errors import ModelUnavailableError
from rag.models import ensure_gguf
from rag.settings import Settings


def build_chat_model(settings: Settings, mode: str) -> BaseChatModel:
    """The chat model for ``mode`` ("local" or "openai")."""
    if mode == "local":
        return _local_chat_model(
            settings.llm_model_size,
            str(settings.model_cache),
            settings.llm_threads,
            settings.llm_context,
            settings.llm_max_tokens,
        )
    if mode == "openai":
        if not settings.openai_base_url and settings.openai_api_key.get_secret_value() == "not-needed":
            raise ModelUnavailableError("openai mode needs RAG_OPENAI_BASE_URL or RAG_OPENAI_API_KEY")
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=settings.openai_model,
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key,
            temperature=0,
            max_completion_tokens=settings.llm_max_tokens,
            timeout=settings.openai_timeout,
            max_retries=1,
        )
    raise ModelUnavailableError(f"unknown generative mode {mode!r}")


@lru_cache(maxsize=2)
def _local_chat_model(size: str, cache_dir: str, threads: int, context: int, max_tokens: int) -> BaseChatModel:
    """One llama.cpp model per process: loading takes seconds and ~2 GB."""
    from pathlib import Path

    from langchain_community.chat_models import ChatLlamaCpp

    model_path = ensure_gguf(size, Path(cache_dir))
    try:
        return ChatLlamaCpp(
            model_path=str(model_path),
            n_ctx=context,
            n_threads=threads,
            n_batch=512,
            temperature=0.0,
            max_tokens=max_tokens,
            verbose=False,
        )
    except (ValueError, RuntimeError) as exc:
        raise ModelUnavailableError(f"the local model could not be loaded: {exc}") from exc


def stream_text(
    model: BaseChatModel,
    messages: list,  # type: ignore[type-arg]
    schema: dict[str, Any] | None = None,
) -> Iterator[str]:
    """Yield the model's text as it is generated; with ``schema``, llama.cpp's grammar makes it a
    JSON object that fills the schema."""
    options: dict[str, Any] = {}
    if schema is not None:
        options["response_format"] = {"type": "json_object", "schema": schema}
    for chunk in model.stream(messages, **options):
        content = chunk.content
        if isinstance(content, str) and content:
            yield content
