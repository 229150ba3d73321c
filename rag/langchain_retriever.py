"""The engine's search as a LangChain ``BaseRetriever``, so it plugs into any LangChain chain."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from rag.retrieval import Retriever, SearchFilters


class TreatyRetriever(BaseRetriever):
    """Hybrid, structure-aware search; each hit becomes a ``Document`` with its citation metadata.

    Supporting passages (cross-references, interpretative notes) follow the hits, marked with
    ``metadata["supporting"] = True``.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Retriever
    k: int = 5
    filters: SearchFilters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        documents = []
        for hit in self.retriever.search(query, self.k, self.filters):
            metadata: dict[str, Any] = {key: value for key, value in hit.to_json().items() if key != "text"}
            documents.append(Document(page_content=hit.passage.text, metadata=metadata, id=hit.passage.id))
        return documents
