"""Ingestion: files -> structure -> passages -> embeddings -> the store, one document at a time."""

from rag.ingestion.discovery import discover_files
from rag.ingestion.pipeline import Ingestor, IngestReport
from rag.ingestion.preparation import prepare_document

__all__ = ["IngestReport", "Ingestor", "discover_files", "prepare_document"]
