"""The limits a request must respect, checked in one place for the engine, the app and the API."""

from __future__ import annotations

from rag.errors import QueryError
from rag.settings import Settings


def check_question(question: str, settings: Settings) -> None:
    """Raise ``QueryError`` with a message a user can act on when ``question`` cannot be asked."""
    if not question or not question.strip():
        raise QueryError("the question is empty: type a question about the treaties")
    if len(question) > settings.max_question_chars:
        raise QueryError(
            f"the question is {len(question):,} characters long; the limit is {settings.max_question_chars:,}. "
            "Shorten it or ask about one provision at a time"
        )


def check_k(k: int, settings: Settings) -> None:
    """Raise ``QueryError`` when ``k`` passages cannot be asked for."""
    if not 1 <= k <= settings.max_k:
        raise QueryError(f"k must be between 1 and {settings.max_k}, not {k}")
