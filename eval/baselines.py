"""The three baselines the product is compared with, over the same corpus files.

1. ``langchain-tutorial``: the LangChain RAG tutorial pipeline: ``TextLoader`` ->
   ``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)``
   -> ``langchain_chroma.Chroma`` (same embedding model as the product, in its own temporary
   in-memory collection) -> ``similarity_search``.  Its chunks know nothing of articles, so a
   chunk is mapped to the product passages it overlaps (same document, intersecting
   character offsets) and matches a gold entry when one of those passages does.
2. ``bm25``: bm25s alone, with its usual tokenizer (English stopwords, Snowball stemmer),
   over the product's passages as the product indexes them (heading line + text); no query
   expansion, no document scoping, no structure lookups.
3. ``dense``: the product's Chroma collection queried by the raw question (cosine
   similarity only), over every document: no expansion, scoping, BM25 or lookups.
"""

from __future__ import annotations

import bisect
import contextlib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from eval.retrieval_eval import Anchor, Retrieved, retrieved_from_passage
from rag.types import Passage

TUTORIAL_CHUNK_SIZE = 1000
TUTORIAL_CHUNK_OVERLAP = 200


class PassageIndex:
    """The product's passages per document, sorted by offset, for overlap look-ups."""

    def __init__(self, passages: Iterable[Passage]) -> None:
        by_doc: dict[str, list[Passage]] = defaultdict(list)
        for p in passages:
            by_doc[p.doc_id].append(p)
        self.by_doc = {d: sorted(ps, key=lambda p: p.start) for d, ps in by_doc.items()}
        self._starts = {d: [p.start for p in ps] for d, ps in self.by_doc.items()}

    def overlapping(self, doc: str, start: int, end: int) -> list[Passage]:
        """Passages of ``doc`` whose ``[start, end)`` intersects ``[start, end)`` (non-empty)."""
        passages = self.by_doc.get(doc, [])
        last = bisect.bisect_left(self._starts.get(doc, []), end)
        return [p for p in passages[:last] if p.end > start and p.start < end]


def map_chunk(index: PassageIndex, doc: str, start: int, end: int, chunk_id: str = "", score: float = 0.0) -> Retrieved:
    """A character chunk as a :class:`Retrieved` whose anchors are the passages it overlaps."""
    overlapped = index.overlapping(doc, start, end)
    anchors = tuple(dict.fromkeys(Anchor(p.doc_id, p.article, tuple(p.paragraphs)) for p in overlapped))
    if overlapped:
        first, last = overlapped[0].label, overlapped[-1].label
        label = first if first == last else f"{first} .. {last.split(', ', 1)[-1]}"
    else:
        label = f"{doc} [{start}:{end}]"
    return Retrieved(
        id=chunk_id or f"{doc}@{start}-{end}",
        doc=doc,
        start=start,
        end=end,
        score=score,
        label=f"chunk {label}",
        anchors=anchors,
    )


class TutorialBaseline:
    """The LangChain tutorial pipeline (see the module docstring)."""

    name = "langchain-tutorial"

    def __init__(self, files: Sequence[Path], embeddings: Any, passages: Iterable[Passage]) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
        from langchain_community.document_loaders import TextLoader
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from rag.loaders import document_id, normalise_text

        docs = []
        for path in files:
            for doc in TextLoader(str(path), encoding="utf-8").load():
                # The product offsets are in the normalised text (identical for clean UTF-8
                # text without control characters, as in the shipped corpus).
                doc.page_content = normalise_text(doc.page_content)
                doc.metadata["doc_id"] = document_id(Path(path))
                docs.append(doc)
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=TUTORIAL_CHUNK_SIZE, chunk_overlap=TUTORIAL_CHUNK_OVERLAP, add_start_index=True
        )
        self.chunks = splitter.split_documents(docs)
        self.index = PassageIndex(passages)
        self._client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        self.collection_name = f"eval-tutorial-{uuid.uuid4().hex[:12]}"
        self.vectorstore = Chroma(
            collection_name=self.collection_name, embedding_function=embeddings, client=self._client
        )
        self.vectorstore.add_documents(self.chunks)

    def search(self, question: str, k: int) -> list[Retrieved]:
        found = self.vectorstore.similarity_search_with_score(question, k=k)
        out = []
        for doc, distance in found:
            start = int(doc.metadata["start_index"])
            out.append(
                map_chunk(
                    self.index,
                    str(doc.metadata["doc_id"]),
                    start,
                    start + len(doc.page_content),
                    score=-float(distance),
                )
            )
        return out

    def close(self) -> None:
        with contextlib.suppress(Exception):  # already gone: nothing to clean
            self._client.delete_collection(self.collection_name)


class BM25Baseline:
    """bm25s over the product's passages (see the module docstring)."""

    name = "bm25"

    def __init__(self, passages: Iterable[Passage]) -> None:
        import bm25s
        import Stemmer

        self.passages = list(passages)
        self._bm25s = bm25s
        self._stemmer = Stemmer.Stemmer("english")
        tokens = bm25s.tokenize(
            [p.embedded_text for p in self.passages],
            stopwords="en",
            stemmer=self._stemmer,
            show_progress=False,
        )
        self.retriever = bm25s.BM25()
        self.retriever.index(tokens, show_progress=False)

    def search(self, question: str, k: int) -> list[Retrieved]:
        query = self._bm25s.tokenize(
            [question], stopwords="en", stemmer=self._stemmer, show_progress=False, return_ids=False
        )
        if not query or not query[0]:
            return []
        k = min(k, len(self.passages))
        docs, scores = self.retriever.retrieve(query, k=k, show_progress=False)
        return [
            retrieved_from_passage(self.passages[int(i)], float(s))
            for i, s in zip(docs[0], scores[0], strict=True)
            if float(s) > 0
        ]


class DenseBaseline:
    """The product's Chroma collection, raw question, no scoping (see the module docstring)."""

    name = "dense"

    def __init__(self, store: Any, passages: Iterable[Passage]) -> None:
        self.store = store
        self.passages = {p.id: p for p in passages}
        self.keys = [entry.doc_key for entry in store.manifest().values()]

    def search(self, question: str, k: int) -> list[Retrieved]:
        hits = self.store.dense_search(question, k, self.keys)
        return [retrieved_from_passage(self.passages[pid], s) for pid, s in hits if pid in self.passages]


BASELINE_NAMES = ("langchain-tutorial", "bm25", "dense")


def build_baseline(name: str, store: Any, embeddings: Any, files: Sequence[Path], passages: Sequence[Passage]) -> Any:
    """One named baseline over the store's committed ``passages`` and the corpus ``files``."""
    if name == "langchain-tutorial":
        return TutorialBaseline(files, embeddings, passages)
    if name == "bm25":
        return BM25Baseline(passages)
    if name == "dense":
        return DenseBaseline(store, passages)
    raise ValueError(f"unknown baseline {name!r}; known: {', '.join(BASELINE_NAMES)}")
