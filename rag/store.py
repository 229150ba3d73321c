"""The passage store: Chroma (embedded or client/server), a manifest, and the keyword index.

Visibility is decided by the manifest, a second Chroma collection with one record per
committed document (its id, content hash and title). Ingestion writes a document's new
passages first, then upserts its manifest record (the commit point), then deletes the old
passages. Readers only see passages whose ``doc_key`` is in the manifest, so a killed or
concurrent ingest never shows a partial document, and leftovers are swept on the next run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from langchain_core.embeddings import Embeddings

from rag.documents import DocumentEntry, derive_names, upload_entry
from rag.errors import StoreError
from rag.keyword_index import KeywordIndex
from rag.settings import Settings
from rag.types import Passage

log = logging.getLogger(__name__)

MANIFEST_SUFFIX = "__manifest"
SENTENCES_SUFFIX = "__sentences"
_GET_PAGE = 500
_ADD_BATCH = 256
# Up to this many passages in scope, dense search compares the question with every passage (exact,
# and the same in every process); beyond it, Chroma's approximate HNSW index answers.
EXACT_SEARCH_MAX_PASSAGES = 20_000


@dataclass(frozen=True)
class ManifestEntry:
    """A committed document, with the names an upload is known by (derived at ingestion, editable)."""

    doc_id: str
    doc_hash: str
    title: str
    source_path: str
    passages: int
    short_title: str = ""
    aliases: tuple[str, ...] = ()
    names_edited: bool = False  # a person set the names; re-ingesting a changed file keeps them

    @property
    def doc_key(self) -> str:
        return doc_key(self.doc_id, self.doc_hash)

    def registry_entry(self) -> DocumentEntry:
        """This document's registry entry as an upload (built-in ids keep the registry's own)."""
        if self.short_title:
            return upload_entry(self.doc_id, self.title, self.short_title, self.aliases)
        short, aliases = derive_names(self.doc_id, self.title, "")  # a store written before names were kept
        return upload_entry(self.doc_id, self.title, short, aliases)


def doc_key(doc_id: str, doc_hash: str) -> str:
    return f"{doc_id}@{doc_hash}"


def _probe_server(settings: Settings, headers: dict[str, str]) -> None:
    """Fail fast and clearly: Chroma's HTTP client waits forever on a server that never answers."""
    import httpx

    scheme = "https" if settings.chroma_ssl else "http"
    where = f"{settings.chroma_host}:{settings.chroma_port}"
    url = f"{scheme}://{where}/api/v2/heartbeat"
    try:
        response = httpx.get(url, headers=headers, timeout=settings.chroma_timeout)
    except httpx.TimeoutException as exc:
        raise StoreError(f"the Chroma server at {where} did not answer within {settings.chroma_timeout:g} s") from exc
    except httpx.HTTPError as exc:
        raise StoreError(f"cannot reach the Chroma server at {where} ({type(exc).__name__})") from exc
    if response.status_code in (401, 403):
        raise StoreError(f"the Chroma server at {where} refused the token (HTTP {response.status_code})")


def open_client(settings: Settings) -> Any:
    """A Chroma client: HttpClient when a host is configured, else PersistentClient on disk."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if settings.chroma_host:
        headers = {}
        if settings.chroma_token is not None:
            headers["Authorization"] = f"Bearer {settings.chroma_token.get_secret_value()}"
        _probe_server(settings, headers)
        try:
            return chromadb.HttpClient(
                host=settings.chroma_host,
                port=settings.chroma_port,
                ssl=settings.chroma_ssl,
                headers=headers,
                settings=chroma_settings,
            )
        except Exception as exc:  # the client raises plain Exception/ValueError on connect
            where = f"{settings.chroma_host}:{settings.chroma_port}"
            if re.search(r"\b(?:401|403)\b|unauthori[sz]ed|forbidden", str(exc), re.IGNORECASE):
                raise StoreError(f"the Chroma server at {where} refused the token (HTTP 401/403)") from exc
            raise StoreError(f"cannot reach the Chroma server at {where} ({type(exc).__name__})") from exc
    settings.store_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.store_path), settings=chroma_settings)


class PassageStore:
    """Passages in Chroma plus the manifest that says which documents are committed."""

    def __init__(self, settings: Settings, embeddings: Embeddings, client: Any | None = None) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.client = client if client is not None else open_client(settings)
        self._open_collections()
        # The passage vectors of each committed document version (doc_key), read once for exact search.
        self._vectors: dict[str, tuple[list[str], np.ndarray]] = {}

    def _open_collections(self) -> None:
        self.collection = self.client.get_or_create_collection(
            self.settings.collection, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        self.manifest_collection = self.client.get_or_create_collection(
            self.settings.collection + MANIFEST_SUFFIX, embedding_function=None
        )
        # Sentence vectors of every passage, used to pick and verify answer sentences quickly.
        self.sentence_collection = self.client.get_or_create_collection(
            self.settings.collection + SENTENCES_SUFFIX, embedding_function=None
        )

    def reopen(self) -> None:
        """A fresh client, so an embedded store re-reads the vector index another process changed.

        Chroma's embedded client loads the HNSW index once and does not see another process's
        writes; closing it (Chroma 1.x ``Client.close``) and opening anew does.
        """
        if not self.settings.chroma_host and hasattr(self.client, "close"):
            self.client.close()
        self.client = open_client(self.settings)
        self._open_collections()
        self._vectors.clear()

    # ----- manifest -----
    def manifest(self) -> dict[str, ManifestEntry]:
        records = self.manifest_collection.get(include=["metadatas"])
        entries = {}
        for doc_id, meta in zip(records["ids"], records["metadatas"] or [], strict=False):
            entries[doc_id] = ManifestEntry(
                doc_id=doc_id,
                doc_hash=str(meta["doc_hash"]),
                title=str(meta.get("title", doc_id)),
                source_path=str(meta.get("source_path", "")),
                passages=int(meta.get("passages", 0)),
                short_title=str(meta.get("short_title", "")),
                aliases=tuple(json.loads(str(meta.get("aliases", "[]")))),
                names_edited=bool(meta.get("names_edited", False)),
            )
        return entries

    def signature(self, manifest: dict[str, ManifestEntry] | None = None) -> str:
        """A digest of the committed documents; the keyword index records the one it matches."""
        manifest = self.manifest() if manifest is None else manifest
        keys = sorted(entry.doc_key for entry in manifest.values())
        return hashlib.sha256(json.dumps(keys).encode()).hexdigest()[:20]

    def commit(self, entry: ManifestEntry) -> None:
        self.manifest_collection.upsert(
            ids=[entry.doc_id],
            embeddings=[[0.0]],
            metadatas=[
                {
                    "doc_hash": entry.doc_hash,
                    "title": entry.title,
                    "source_path": entry.source_path,
                    "passages": entry.passages,
                    "short_title": entry.short_title,
                    "aliases": json.dumps(list(entry.aliases)),
                    "names_edited": entry.names_edited,
                }
            ],
            documents=[entry.title],
        )

    def rename(self, doc_id: str, short_title: str, aliases: Sequence[str]) -> ManifestEntry:
        """Set the short title and aliases of a committed document; its passages are untouched."""
        entry = self.manifest().get(doc_id)
        if entry is None:
            raise StoreError(f"no document {doc_id!r} in the store; the Documents page lists those there are")
        renamed = replace(entry, short_title=short_title, aliases=tuple(aliases), names_edited=True)
        self.commit(renamed)
        return renamed

    def uncommit(self, doc_id: str) -> None:
        self.manifest_collection.delete(ids=[doc_id])

    # ----- passages -----
    def add_passages(self, passages: Sequence[Passage], vectors: Sequence[Sequence[float]]) -> None:
        self._vectors.clear()
        for begin in range(0, len(passages), _ADD_BATCH):
            batch = passages[begin : begin + _ADD_BATCH]
            self.collection.upsert(
                ids=[p.id for p in batch],
                embeddings=[list(v) for v in vectors[begin : begin + _ADD_BATCH]],
                documents=[p.text for p in batch],
                metadatas=[{**p.to_metadata(), "doc_key": doc_key(p.doc_id, p.doc_hash)} for p in batch],
            )

    def add_sentences(
        self,
        passages: Sequence[Passage],
        spans: Sequence[Sequence[tuple[int, int]]],
        vectors: Sequence[Sequence[float]],
    ) -> None:
        """Store each passage's sentence spans (offsets inside the passage) with their vectors."""
        ids, metadatas = [], []
        for passage, passage_spans in zip(passages, spans, strict=True):
            for index, (start, end) in enumerate(passage_spans):
                ids.append(f"{passage.id}#{index}")
                metadatas.append(
                    {
                        "passage_id": passage.id,
                        "start": start,
                        "end": end,
                        "doc_key": doc_key(passage.doc_id, passage.doc_hash),
                    }
                )
        for begin in range(0, len(ids), _ADD_BATCH):
            self.sentence_collection.upsert(
                ids=ids[begin : begin + _ADD_BATCH],
                embeddings=[list(v) for v in vectors[begin : begin + _ADD_BATCH]],
                metadatas=metadatas[begin : begin + _ADD_BATCH],
            )

    def sentence_vectors(
        self, passage_ids: Sequence[str]
    ) -> dict[str, tuple[list[tuple[int, int]], list[list[float]]]]:
        """Sentence spans and vectors of the given passages, in reading order."""
        if not passage_ids:
            return {}
        found = self.sentence_collection.get(
            where={"passage_id": {"$in": list(passage_ids)}}, include=["metadatas", "embeddings"]
        )
        rows: dict[str, list[tuple[int, int, list[float]]]] = {}
        for meta, vector in zip(found["metadatas"], found["embeddings"], strict=False):
            rows.setdefault(str(meta["passage_id"]), []).append((int(meta["start"]), int(meta["end"]), list(vector)))
        result = {}
        for pid, items in rows.items():
            items.sort()
            result[pid] = ([(a, b) for a, b, _ in items], [v for _, _, v in items])
        return result

    def delete_document_records(self, key: str) -> None:
        """Drop a document version's passages and sentence vectors."""
        self.delete_ids(self.passage_ids({"doc_key": key}))
        self.sentence_collection.delete(where={"doc_key": key})

    def passage_ids(self, where: dict[str, Any] | None = None) -> list[str]:
        ids: list[str] = []
        offset = 0
        while True:
            page = self.collection.get(where=where, include=[], limit=_GET_PAGE, offset=offset)
            ids.extend(page["ids"])
            if len(page["ids"]) < _GET_PAGE:
                return ids
            offset += _GET_PAGE

    def count_for(self, key: str) -> int:
        return len(self.passage_ids({"doc_key": key}))

    def delete_ids(self, ids: Iterable[str]) -> None:
        self._vectors.clear()
        id_list = list(ids)
        for begin in range(0, len(id_list), _GET_PAGE):
            self.collection.delete(ids=id_list[begin : begin + _GET_PAGE])

    def sweep_uncommitted(self, manifest: dict[str, ManifestEntry] | None = None) -> int:
        """Delete passages of no committed document (left by a killed or replaced ingest)."""
        manifest = self.manifest() if manifest is None else manifest
        keys = [entry.doc_key for entry in manifest.values()]
        where = {"doc_key": {"$nin": keys}} if keys else None
        orphans = self.passage_ids(where)
        self.delete_ids(orphans)
        if where is not None:
            self.sentence_collection.delete(where=where)
        else:
            self._drop_all_sentences()
        return len(orphans)

    def _drop_all_sentences(self) -> None:
        ids = self.sentence_collection.get(include=[])["ids"]
        for begin in range(0, len(ids), _GET_PAGE):
            self.sentence_collection.delete(ids=ids[begin : begin + _GET_PAGE])

    def committed_passages(self, manifest: dict[str, ManifestEntry] | None = None) -> list[Passage]:
        """Every visible passage, in document and reading order."""
        manifest = self.manifest() if manifest is None else manifest
        keys = [entry.doc_key for entry in manifest.values()]
        if not keys:
            return []
        passages: list[Passage] = []
        offset = 0
        while True:
            page = self.collection.get(
                where={"doc_key": {"$in": keys}},
                include=["documents", "metadatas"],
                limit=_GET_PAGE,
                offset=offset,
            )
            for pid, text, meta in zip(page["ids"], page["documents"], page["metadatas"], strict=False):
                passages.append(Passage.from_metadata(pid, text, meta))
            if len(page["ids"]) < _GET_PAGE:
                break
            offset += _GET_PAGE
        passages.sort(key=lambda p: (p.doc_id, p.start))
        return passages

    def dense_search(self, query: str, k: int, doc_keys: Sequence[str]) -> list[tuple[str, float]]:
        """(passage id, cosine similarity) of the ``k`` nearest committed passages, nearest first.

        Chroma's HNSW index is approximate, and the one it builds differs from process to process: the
        same question found a different 60 nearest passages in two runs (a passage at 0.8147 missing
        from one, one at 0.8142 kept). Up to ``EXACT_SEARCH_MAX_PASSAGES`` every passage is compared,
        ties broken by id, so a ranking is the same in every process.
        """
        if not doc_keys or k <= 0:
            return []
        vector = self.embeddings.embed_query(query)
        if self.collection.count() <= EXACT_SEARCH_MAX_PASSAGES:
            return self._exact_nearest(vector, k, sorted(set(doc_keys)))
        try:
            result = self._query(vector, k, doc_keys)
        except chromadb.errors.InternalError:
            self.reopen()  # the index changed under us (another process ingested): read it anew
            try:
                result = self._query(vector, k, doc_keys)
            except chromadb.errors.InternalError as error:
                # Still mid-write in the other process: answer from the keyword index this once.
                log.warning("dense search unavailable while the store is being written (%s)", error)
                return []
        return [(pid, 1.0 - float(dist)) for pid, dist in zip(result["ids"][0], result["distances"][0], strict=False)]

    def _exact_nearest(self, vector: list[float], k: int, doc_keys: Sequence[str]) -> list[tuple[str, float]]:
        """The ``k`` passages of ``doc_keys`` with the highest cosine similarity to ``vector``, ties by id."""
        found = [self._vectors_of(key) for key in doc_keys]
        ids = [pid for key_ids, _ in found for pid in key_ids]
        if not ids:
            return []
        matrix = np.vstack([vectors for _, vectors in found])
        query = np.asarray(vector, dtype=np.float64)
        # Rounded: the same vector in two rows can differ in the last bit by where the row lies.
        similarities = np.round(matrix @ (query / (np.linalg.norm(query) or 1.0)), 9)
        order = sorted(range(len(ids)), key=lambda i: (-similarities[i], ids[i]))[:k]
        return [(ids[i], float(similarities[i])) for i in order]

    def _vectors_of(self, key: str) -> tuple[list[str], np.ndarray]:
        """The ids and unit vectors (float64 rows) of a committed document version's passages."""
        if key not in self._vectors:
            ids: list[str] = []
            rows: list[Any] = []
            offset = 0
            while True:
                page = self.collection.get(
                    where={"doc_key": key}, include=["embeddings"], limit=_GET_PAGE, offset=offset
                )
                ids.extend(page["ids"])
                rows.extend(page["embeddings"] if page["embeddings"] is not None else [])
                if len(page["ids"]) < _GET_PAGE:
                    break
                offset += _GET_PAGE
            matrix = np.asarray(rows, dtype=np.float64).reshape(len(ids), -1)
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            self._vectors[key] = (ids, matrix / np.where(norms == 0, 1.0, norms))
        return self._vectors[key]

    def _query(self, vector: list[float], k: int, doc_keys: Sequence[str]) -> Any:
        return self.collection.query(
            query_embeddings=[vector],
            n_results=k,
            where={"doc_key": {"$in": list(doc_keys)}},
            include=["distances"],
        )

    # ----- keyword index -----
    @property
    def keyword_index_path(self) -> Path:
        if self.settings.chroma_host:
            name = f"{self.settings.chroma_host}_{self.settings.chroma_port}_{self.settings.collection}.json"
            return self.settings.store_path / "keyword-index-remote" / name
        return self.settings.store_path / f"keyword-index-{self.settings.collection}.json"

    def write_keyword_index(self, passages: list[Passage], signature: str) -> KeywordIndex:
        index = KeywordIndex.build([p.id for p in passages], [p.embedded_text for p in passages], signature)
        index.save(self.keyword_index_path)
        return index

    def load_keyword_index(self, passages: list[Passage], signature: str) -> KeywordIndex:
        """The saved index if it matches the committed documents, else one rebuilt and saved."""
        index = KeywordIndex.load(self.keyword_index_path)
        if index is not None and index.signature == signature and set(index.ids) == {p.id for p in passages}:
            return index
        try:
            return self.write_keyword_index(passages, signature)
        except OSError:
            # A read-only store still answers: keep the rebuilt index in memory only.
            return KeywordIndex.build([p.id for p in passages], [p.embedded_text for p in passages], signature)

    def reset(self) -> None:
        """Drop every passage, the manifest and the keyword index."""
        suffixes = ("", MANIFEST_SUFFIX, SENTENCES_SUFFIX)
        for name in (self.settings.collection + suffix for suffix in suffixes):
            with contextlib.suppress(ValueError, chromadb.errors.NotFoundError):
                self.client.delete_collection(name)
        self.keyword_index_path.unlink(missing_ok=True)
        self._open_collections()
