"""Ingest files into the passage store: load, parse, chunk, embed, commit.

Each document is replaced as a unit (see ``rag.store``): new passages are written, the
manifest record is switched, and the old passages are deleted. Unchanged documents (same
content hash, same passage count in the store) are skipped without touching the model.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from langchain_core.embeddings import Embeddings

from rag.documents import derive_names
from rag.embeddings import TokenCountingEmbeddings
from rag.errors import DocumentError
from rag.ingestion.discovery import discover_files
from rag.ingestion.lock import writer_lock
from rag.ingestion.preparation import prepare_document
from rag.sentences import split_sentences
from rag.settings import Settings
from rag.store import ManifestEntry, PassageStore
from rag.types import Passage, SourceDocument


@dataclass
class IngestReport:
    """What one run did; ``to_json`` is the object ``python -m ingest --json`` prints."""

    documents: int = 0
    passages: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[DocumentError] = field(default_factory=list)
    seconds: float = 0.0
    embedding_seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            "passages": self.passages,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": [{"file": e.path, "reason": e.reason} for e in self.failed],
            "seconds": round(self.seconds, 3),
            "embedding_seconds": round(self.embedding_seconds, 3),
        }


class Ingestor:
    """Runs ingestion against one store with one embedding model."""

    def __init__(
        self,
        settings: Settings,
        store: PassageStore,
        embeddings: TokenCountingEmbeddings,
        sentence_embeddings: Embeddings,
    ) -> None:
        """``embeddings`` embed passages for dense search; ``sentence_embeddings`` embed their
        sentences for answer selection and verification."""
        self.settings = settings
        self.store = store
        self.embeddings = embeddings
        self.sentence_embeddings = sentence_embeddings
        self.max_tokens = min(settings.chunk_max_tokens, embeddings.max_tokens)

    def run(
        self,
        paths: Iterable[Path],
        prune: bool = False,
        progress: Callable[[str], None] | None = None,
        reset: bool = False,
    ) -> IngestReport:
        """Ingest ``paths`` (``reset`` empties the store first), holding the store's writer lock."""
        with writer_lock(self.settings):
            if reset:
                self.store.reset()
            return self._run(paths, prune, progress)

    def _run(self, paths: Iterable[Path], prune: bool, progress: Callable[[str], None] | None) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        files, report.failed = discover_files(paths)
        manifest = self.store.manifest()
        self.store.sweep_uncommitted(manifest)
        seen: dict[str, Path] = {}
        for path in files:
            if progress:
                progress(path.name)
            try:
                doc, passages = prepare_document(path, self.settings, self.embeddings.count_tokens, self.max_tokens)
            except DocumentError as error:
                report.failed.append(error)
                continue
            if doc.doc_id in seen:
                report.failed.append(DocumentError(str(path), f"same document id '{doc.doc_id}' as {seen[doc.doc_id]}"))
                continue
            seen[doc.doc_id] = path
            report.documents += 1
            report.passages += len(passages)
            previous = manifest.get(doc.doc_id)
            if (
                previous
                and previous.doc_hash == doc.content_hash
                and set(self.store.passage_ids({"doc_key": previous.doc_key})) == {p.id for p in passages}
            ):
                report.unchanged.append(doc.doc_id)
                self._refresh_names(doc, previous)
                continue
            report.embedding_seconds += self._replace(doc, passages, previous)
            (report.updated if previous else report.added).append(doc.doc_id)
        if prune:
            report.removed = self._prune(manifest, seen)
        self.refresh_keyword_index()
        report.seconds = time.perf_counter() - started
        return report

    def _replace(self, doc: SourceDocument, passages: list[Passage], previous: ManifestEntry | None) -> float:
        """Write the new passages, commit, then drop the old ones; returns seconds in the model."""
        spans = [split_sentences(p.text) for p in passages]
        embed_started = time.perf_counter()
        vectors = self.embeddings.embed_documents([p.embedded_text for p in passages])
        sentence_vectors = self.sentence_embeddings.embed_documents(
            [p.text[a:b] for p, passage_spans in zip(passages, spans, strict=True) for a, b in passage_spans]
        )
        embed_seconds = time.perf_counter() - embed_started
        self.store.add_passages(passages, vectors)
        self.store.add_sentences(passages, spans, sentence_vectors)
        if previous and previous.names_edited:  # a person named it: keep their names
            short_title, aliases = previous.short_title, previous.aliases
        else:
            short_title, aliases = derive_names(doc.doc_id, doc.title, doc.text)
        entry = ManifestEntry(
            doc.doc_id,
            doc.content_hash,
            doc.title,
            doc.source_path,
            len(passages),
            short_title=short_title,
            aliases=aliases,
            names_edited=bool(previous and previous.names_edited),
        )
        self.store.commit(entry)
        if previous and previous.doc_key != entry.doc_key:
            self.store.delete_document_records(previous.doc_key)
        elif previous:  # same text chunked anew: drop the passages this run did not write
            new_ids = {p.id for p in passages}
            stale = [pid for pid in self.store.passage_ids({"doc_key": entry.doc_key}) if pid not in new_ids]
            if stale:
                self.store.delete_ids(stale)
                self.store.sentence_collection.delete(where={"passage_id": {"$in": stale}})
        return embed_seconds

    def _refresh_names(self, doc: SourceDocument, previous: ManifestEntry) -> None:
        """Derive an unchanged document's names again (names derived by an earlier version stay
        otherwise), unless a person set them."""
        if previous.names_edited:
            return
        short_title, aliases = derive_names(doc.doc_id, doc.title, doc.text)
        if (short_title, aliases) != (previous.short_title, previous.aliases):
            self.store.commit(replace(previous, short_title=short_title, aliases=aliases))

    def _prune(self, manifest: dict[str, ManifestEntry], seen: dict[str, Path]) -> list[str]:
        """Remove committed documents whose source file no longer exists."""
        removed = []
        for doc_id, entry in manifest.items():
            if doc_id in seen or (entry.source_path and Path(entry.source_path).exists()):
                continue
            self.store.uncommit(doc_id)
            self.store.delete_document_records(entry.doc_key)
            removed.append(doc_id)
        return removed

    def refresh_keyword_index(self) -> None:
        manifest = self.store.manifest()
        self.store.write_keyword_index(self.store.committed_passages(manifest), self.store.signature(manifest))

    def remove(self, doc_id: str) -> bool:
        """Remove one committed document; False when it was not there."""
        with writer_lock(self.settings):
            entry = self.store.manifest().get(doc_id)
            if entry is None:
                return False
            self.store.uncommit(doc_id)
            self.store.delete_document_records(entry.doc_key)
            self.refresh_keyword_index()
            return True
