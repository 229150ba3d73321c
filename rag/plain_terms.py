"""Everyday words for each provision, so that a plain question reaches the treaty's wording.

People ask about "hacking", "who gets to prosecute" or "bank secrecy"; the provisions say
"illegal access", "jurisdiction" and "shall not decline to render mutual legal assistance on the
ground of bank secrecy". ``rag.glossary`` rewrites the question; this module works from the
other side: for each provision of the known documents, ``rag/data/plain_terms/<doc_id>.jsonl``
lists the everyday words, synonyms and plain questions it answers, written by reading the
provision (never the evaluation questions). The retriever ranks passages by BM25 over these
terms as one more list in its rank fusion.

Each line of a file is ``{"article": ..., "paragraph": ..., "terms": ...}``: ``article`` null
means the document has no articles (notes, resolution paragraphs, news), ``paragraph`` null
means the entry covers the whole article. A passage takes the terms of every entry that
covers it. Documents without a file (uploads) simply get no terms.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rag.keyword_index import KeywordIndex
from rag.types import Passage

DATA_DIR = Path(__file__).resolve().parent / "data" / "plain_terms"


@dataclass(frozen=True)
class PlainTerms:
    """The everyday wording of one provision (an article, one of its paragraphs, a note)."""

    doc_id: str
    article: str | None
    paragraph: str | None
    terms: str

    def covers(self, passage: Passage) -> bool:
        if passage.doc_id != self.doc_id:
            return False
        if self.article is not None and passage.article != self.article:
            return False
        return self.paragraph is None or self.paragraph in passage.paragraphs


def _read_file(path: Path) -> list[PlainTerms]:
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            entries.append(PlainTerms(path.stem, record["article"], record["paragraph"], record["terms"]))
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: not a plain-terms record ({error})") from error
    return entries


@lru_cache(maxsize=4)
def load_plain_terms(data_dir: Path = DATA_DIR) -> dict[str, tuple[PlainTerms, ...]]:
    """Every document's plain-terms entries, by document id."""
    return {path.stem: tuple(_read_file(path)) for path in sorted(data_dir.glob("*.jsonl"))}


def terms_of(passage: Passage, table: dict[str, tuple[PlainTerms, ...]]) -> str:
    """The everyday wording of every provision ``passage`` covers (empty when none)."""
    return " ".join(entry.terms for entry in table.get(passage.doc_id, ()) if entry.covers(passage))


def plain_terms_index(terms_by_id: Mapping[str, str], signature: str) -> KeywordIndex:
    """BM25 over passages' plain terms (passage id -> terms); passages without terms are left out."""
    with_terms = [(pid, text) for pid, text in terms_by_id.items() if text]
    return KeywordIndex.build([pid for pid, _ in with_terms], [text for _, text in with_terms], signature)
