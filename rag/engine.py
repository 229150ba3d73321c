"""The engine: one object that owns the store, the embedding model and the retriever.

The CLIs, the app and the evaluation all build an ``Engine`` and call its methods, so there
is one path from a question to an answer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cached_property

from rag.answering.service import AnswerService
from rag.answering.types import Answer
from rag.embeddings import get_embeddings
from rag.retrieval import Retriever, SearchFilters
from rag.settings import Settings, get_settings
from rag.store import PassageStore
from rag.types import ScoredPassage


class Engine:
    """Loads models and the store once; every request goes through it."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()

    @cached_property
    def embeddings(self):  # type: ignore[no-untyped-def]
        return get_embeddings(self.settings)

    @cached_property
    def store(self) -> PassageStore:
        return PassageStore(self.settings, self.embeddings)

    @cached_property
    def retriever(self) -> Retriever:
        return Retriever(self.settings, self.store)

    @cached_property
    def answers(self) -> AnswerService:
        return AnswerService(self.settings, self.retriever, self.embeddings)

    def search(self, query: str, k: int | None = None, filters: SearchFilters | None = None) -> list[ScoredPassage]:
        return self.retriever.search(query, k, filters)

    def ask(
        self,
        question: str,
        mode: str | None = None,
        k: int | None = None,
        filters: SearchFilters | None = None,
        history: Sequence[str] = (),
    ) -> Answer:
        """A verified answer (or a refusal) to ``question``."""
        return self.answers.ask(question, mode, k, filters, history)

    def ask_stream(
        self,
        question: str,
        mode: str | None = None,
        k: int | None = None,
        filters: SearchFilters | None = None,
        history: Sequence[str] = (),
    ) -> Iterator[str | Answer]:
        """Text pieces as they are generated, then the final ``Answer``."""
        return self.answers.stream(question, mode, k, filters, history)
