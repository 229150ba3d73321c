"""The HTTP API: OpenAI-compatible chat with verified citations, search and documents (``python -m rag serve``)."""

from rag.api.app import create_app

__all__ = ["create_app"]
