"""The engine: one object that owns the store, the embedding model and the retriever.

The CLIs, the app and the evaluation all build an ``Engine`` and call its methods, so there
is one path from a question to an answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from pathlib import Path

from rag.answering.compare import Comparison, align, write_comparison
from rag.answering.retrieve.claims import read_question
from rag.answering.service import AnswerService
from rag.answering.summarize import (
    LEADS_PER_ARTICLE,
    group_by_article,
    group_by_chapter,
    group_by_paragraph,
    summarize,
)
from rag.answering.types import Answer
from rag.document_text import DocumentText, document_text
from rag.documents import DocumentEntry, Registry, builtin_registry
from rag.embeddings import MiniLMEmbeddings, get_embeddings, get_question_embeddings, get_sentence_embeddings
from rag.errors import QueryError, UnknownDocumentError
from rag.ingestion import Ingestor, IngestReport
from rag.langchain_retriever import TreatyRetriever
from rag.limits import check_question
from rag.retrieval import Retriever, SearchFilters
from rag.settings import Settings, get_settings
from rag.store import ManifestEntry, PassageStore
from rag.types import Passage, ScoredPassage, short_title

log = logging.getLogger(__name__)

MAX_NAME_CHARS = 120  # a short title or alias
MAX_ALIASES = 30


class Engine:
    """Loads models and the store once; every request goes through it."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()

    @cached_property
    def embeddings(self):  # type: ignore[no-untyped-def]
        return get_embeddings(self.settings)

    @cached_property
    def sentence_embeddings(self) -> MiniLMEmbeddings:
        return get_sentence_embeddings(self.settings)

    @cached_property
    def store(self) -> PassageStore:
        return PassageStore(self.settings, self.embeddings)

    @cached_property
    def retriever(self) -> Retriever:
        return Retriever(self.settings, self.store)

    @cached_property
    def answers(self) -> AnswerService:
        return AnswerService(
            self.settings, self.retriever, self.sentence_embeddings, get_question_embeddings(self.settings)
        )

    def as_langchain_retriever(self, k: int = 5, filters: SearchFilters | None = None) -> TreatyRetriever:
        """The search as a LangChain ``BaseRetriever``."""
        return TreatyRetriever(retriever=self.retriever, k=k, filters=filters)

    def check_question(self, question: str) -> None:
        """Raise ``QueryError`` (with a message for the user) when ``question`` cannot be asked."""
        check_question(question, self.settings)

    def search(self, query: str, k: int | None = None, filters: SearchFilters | None = None) -> list[ScoredPassage]:
        """The passages for what ``query`` asks: a claim it quotes is searched, not its source
        (``rag.answering.retrieve.claims``), as the answer path does."""
        return self.retriever.search(read_question(query, self.registry()).searched, k, filters)

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

    def summarize(
        self, doc_id: str, article: str | None = None, chapter: str | None = None, mode: str | None = None
    ) -> Answer:
        """A cited summary of an article, a chapter or a whole document."""
        passages = self.retriever.passages_of(doc_id)
        if not passages:
            raise UnknownDocumentError(doc_id)
        title = self.retriever.view().manifest[doc_id].title
        if article is not None:
            provision = [p for p in passages if p.article == article]
            groups = group_by_article(provision)
            noun = provision[0].article_noun.lower() if provision else "article"  # a national act's "section"
            title, leads = f"{short_title(doc_id, title)}, {noun} {article}", LEADS_PER_ARTICLE
        elif chapter is not None:
            groups = group_by_article(p for p in passages if p.chapter == chapter.upper() and p.kind == "article")
            title, leads = f"{short_title(doc_id, title)}, chapter {chapter.upper()}", 1
        else:
            groups = group_by_chapter(passages)
            if len(groups) < 2:
                groups = group_by_article(p for p in passages if p.kind == "article")
            leads = 1
            if not groups:  # a resolution or a news report: no chapters, no articles
                groups, leads = group_by_paragraph(passages), LEADS_PER_ARTICLE
            title = short_title(doc_id, title)
        if not groups:
            raise QueryError(f"nothing to summarise: {title} not found")
        return summarize(groups, title, self.answers.verifier, leads, mode or "extractive", self.settings)

    def compare(self, doc_a: str, doc_b: str, topic: str, k: int = 3, mode: str | None = None) -> Comparison:
        """Aligned provisions of two documents on ``topic``, with a cited answer from each."""
        answer_a = self.ask(topic, mode, k, SearchFilters(docs=(doc_a,)))
        answer_b = self.ask(topic, mode, k, SearchFilters(docs=(doc_b,)))
        rows = align(answer_a.passages, answer_b.passages, self.sentence_embeddings)
        written = None
        mode = mode or self.settings.answer_mode
        if mode != "extractive":  # written from both sides' hits, each sentence verified like an answer's
            manifest = self.retriever.view().manifest
            name_a, name_b = (short_title(d, manifest[d].title) if d in manifest else d for d in (doc_a, doc_b))
            try:
                written = write_comparison(
                    answer_a, answer_b, (name_a, name_b), topic, self.answers.verifier, mode, self.settings
                )
            except Exception as error:  # each side's answer already stands on its own; say why there is no more
                log.warning("the written comparison failed: %s", type(error).__name__)
        return Comparison(topic, doc_a, doc_b, rows, answer_a, answer_b, written)

    def passages_of(self, doc_id: str, article: str | None = None, chapter: str | None = None) -> list[Passage]:
        """Passages of a document (or one article or chapter of it), in reading order."""
        return self.retriever.passages_of(doc_id, article, chapter)

    def documents(self) -> list[ManifestEntry]:
        """The committed documents, by id."""
        return sorted(self.retriever.view().manifest.values(), key=lambda e: e.doc_id)

    def document_text(self, doc_id: str, start: int = 0, end: int | None = None) -> DocumentText:
        """Characters ``start`` to ``end`` of a committed document, rebuilt from its passages."""
        view = self.retriever.view()
        entry = view.manifest.get(doc_id)
        if entry is None:
            raise UnknownDocumentError(doc_id)
        return document_text(doc_id, entry.title, view.by_doc.get(doc_id, []), start, end)

    @cached_property
    def ingestor(self) -> Ingestor:
        return Ingestor(self.settings, self.store, self.embeddings, self.sentence_embeddings)

    def registry(self) -> Registry:
        """The names and links of the store's documents: the built-in registry plus each upload's entry."""
        return self.retriever.view().registry

    def notes_on(self, doc_id: str, article: str) -> list[Passage]:
        """The interpretative notes on one article of a document."""
        return self.retriever.view().notes_on(doc_id, article)

    def update_document_names(self, doc_id: str, short_title: str, aliases: Sequence[str]) -> DocumentEntry:
        """Set an uploaded document's short title and aliases (the names questions may use for it).

        Built-in documents are named by ``rag/data/documents.toml``; their names are not edited here.
        """
        short_title = " ".join(short_title.split())
        cleaned = list(dict.fromkeys(" ".join(a.split()).lower() for a in aliases if a.strip()))
        if not short_title:
            raise QueryError("the short title is empty; give the name citations should use")
        if len(short_title) > MAX_NAME_CHARS or any(len(a) > MAX_NAME_CHARS for a in cleaned):
            raise QueryError(f"a name is longer than {MAX_NAME_CHARS} characters; use a shorter one")
        if len(cleaned) > MAX_ALIASES:
            raise QueryError(f"{len(cleaned)} aliases; at most {MAX_ALIASES} are kept")
        if (entry := builtin_registry().get(doc_id)) is not None:
            raise QueryError(f"{entry.short_title!r} is a built-in document; its names are set in the registry file")
        self.store.rename(doc_id, short_title, cleaned)
        return self.registry().entries[doc_id]

    def ingest(
        self,
        paths: Sequence[Path],
        prune: bool = False,
        reset: bool = False,
        progress: Callable[[str], None] | None = None,
    ) -> IngestReport:
        """Ingest files and folders into this engine's store: the one wiring of ingestion.

        ``prune`` removes documents whose files are gone, ``reset`` empties the store first, and
        ``progress`` is called with each file's name before it is ingested.
        """
        return self.ingestor.run(paths, prune=prune, progress=progress, reset=reset)

    def remove(self, doc_id: str) -> bool:
        """Remove one committed document from the store; False when it was not there."""
        return self.ingestor.remove(doc_id)

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
