"""The engine (one per process and configuration), the sidebar options and per-session state."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from rag.answering.types import Answer
from rag.engine import Engine
from rag.retrieval import SearchFilters
from rag.settings import Settings
from rag.uploads import uploads_root


def _environment_key() -> tuple[tuple[str, str], ...]:
    """What the settings are read from: the RAG_* variables and the config file, as a cache key."""
    config = Path(os.environ.get("RAG_CONFIG", "rag.toml"))
    stamp = str(config.stat().st_mtime) if config.is_file() else ""
    return (*sorted((k, v) for k, v in os.environ.items() if k.startswith("RAG_")), ("config", stamp))


@st.cache_resource(show_spinner="Loading the embedding model and the store…", max_entries=4)
def _load_engine(environment: tuple[tuple[str, str], ...]) -> Engine:
    # Settings() rather than get_settings(): the latter is cached for the process, while the
    # environment (``environment`` is the cache key) may differ, e.g. between tests.
    del environment
    engine = Engine(Settings())
    engine.documents()  # open the store and index the committed passages now, not on the first question
    return engine


def get_engine() -> Engine:
    """The engine for the current RAG_* configuration, loaded once per process."""
    return _load_engine(_environment_key())


@dataclass
class Options:
    """What the sidebar chose."""

    mode: str
    k: int
    docs: tuple[str, ...] = ()

    @property
    def filters(self) -> SearchFilters | None:
        return SearchFilters(docs=self.docs) if self.docs else None


@dataclass
class Turn:
    """One question on the Ask page and what came of it."""

    question: str
    answer: Answer | None = None
    error: str | None = None
    level: str = "error"  # how ``error`` is shown: "error" or "warning"
    rating: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])


@dataclass
class PendingQuestion:
    """A question sent to the Ask page from elsewhere (the Library's "Ask about this article")."""

    question: str
    filters: SearchFilters | None = None  # for this question only; None: the sidebar's


def session_id() -> str:
    return st.session_state.setdefault("session_id", uuid.uuid4().hex)


def turns() -> list[Turn]:
    return st.session_state.setdefault("turns", [])


def feedback_path(settings: Settings) -> Path:
    return Path(settings.store_path) / "feedback.jsonl"


def upload_folder(settings: Settings) -> Path:
    return uploads_root(settings) / session_id()
