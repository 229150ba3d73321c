"""One file made into a source document and its passages: load, parse the structure, chunk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rag.chunking import chunk_document
from rag.errors import DocumentError
from rag.loaders import load_document
from rag.settings import Settings
from rag.structure import parse_document
from rag.types import Passage, SourceDocument


def prepare_document(
    path: Path, settings: Settings, count_tokens: Callable[[str], int], max_tokens: int
) -> tuple[SourceDocument, list[Passage]]:
    """Load, parse and chunk one file; raise ``DocumentError`` when it yields nothing usable."""
    loaded = load_document(path, settings.max_file_bytes, settings.max_pdf_pages)
    parsed = parse_document(loaded.text, fallback_title=loaded.doc_id.replace("-", " ").capitalize())
    doc = SourceDocument(
        doc_id=loaded.doc_id,
        title=parsed.title,
        text=loaded.text,
        source_path=str(path.resolve()),
        page_starts=loaded.page_starts,
    )
    passages = chunk_document(doc, parsed, count_tokens, max_tokens)
    if not passages:
        raise DocumentError(str(path), "no passages could be made from the text")
    if len(passages) > settings.max_passages_per_document:
        raise DocumentError(
            str(path), f"{len(passages)} passages, over the limit of {settings.max_passages_per_document}"
        )
    return doc, passages
