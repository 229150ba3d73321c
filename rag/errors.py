"""Domain exceptions whose messages a user can act on."""

from __future__ import annotations


class RagError(Exception):
    """Base class of every error the engine raises on purpose."""


class DocumentError(RagError):
    """A file could not be turned into a document (unreadable, empty, too big, unsupported)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreError(RagError):
    """The vector store or keyword index is missing, unreachable or inconsistent."""


class QueryError(RagError):
    """A question or search request is invalid (empty, too long, k out of range)."""


class UnknownDocumentError(QueryError):
    """A request names a document id that is not in the store."""

    def __init__(self, doc_id: str) -> None:
        super().__init__(f"no document {doc_id!r} in the store")
        self.doc_id = doc_id


class ModelUnavailableError(RagError):
    """A generative or embedding model cannot be loaded or reached."""
