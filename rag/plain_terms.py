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
covers it. A table describes one text: the registry (``rag/data/documents.toml``) gives each
file the content hash of the text it was written for, so a passage takes terms by its
document's content hash, never by file name. A document without a table (an upload) gets terms
derived from its own wording instead: its section and article titles, the titles of its
numbered items and the terms it defines, so its passages take part in this ranking too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rag.documents import REGISTRY_FILE, builtin_registry, load_registry
from rag.keyword_index import KeywordIndex
from rag.types import Passage

DATA_DIR = Path(__file__).resolve().parent / "data" / "plain_terms"

# "(1) Illegal Access. – The access ...", "(a) Access refers to ...", "“personal data” means ...".
_ITEM_TITLE_RE = re.compile(r"^\s*\(?\w{1,4}[.)]\s*([A-Z][\w' ,/-]{2,60}?)\.\s*[-–—\ufffd]", re.MULTILINE)
_DEFINED_RE = re.compile(
    r"(?:^\s*\(?\w{1,4}[.)]\s*([A-Z][\w' -]{2,50}?)|[\"“']([^\"”'\n]{3,50})[\"”'])\s+(?:refers? to|means|shall mean)\b",
    re.MULTILINE,
)
# "Section 12. Real-Time Collection of Traffic Data. – ..." when no heading was parsed.
_INLINE_HEADING_RE = re.compile(
    r"^\s*(?:section|article|art\.)\s+\d+\.\s+([^.\n]{3,80})\.", re.IGNORECASE | re.MULTILINE
)


@dataclass(frozen=True)
class PlainTerms:
    """The everyday wording of one provision (an article, one of its paragraphs, a note) of one text."""

    doc_hash: str
    article: str | None
    paragraph: str | None
    terms: str

    def covers(self, passage: Passage) -> bool:
        if passage.doc_hash != self.doc_hash:
            return False
        if self.article is not None and passage.article != self.article:
            return False
        return self.paragraph is None or self.paragraph in passage.paragraphs


def _read_file(path: Path, doc_hash: str) -> list[PlainTerms]:
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            entries.append(PlainTerms(doc_hash, record["article"], record["paragraph"], record["terms"]))
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: not a plain-terms record ({error})") from error
    return entries


@lru_cache(maxsize=4)
def load_plain_terms(
    data_dir: Path = DATA_DIR, registry_file: Path = REGISTRY_FILE
) -> dict[str, tuple[PlainTerms, ...]]:
    """Every table the registry names, by the content hash of the text it describes."""
    registry = builtin_registry() if registry_file == REGISTRY_FILE else load_registry(registry_file)
    table = {}
    for entry in registry.entries.values():
        if not entry.plain_terms:
            continue
        path = data_dir / entry.plain_terms
        if not path.is_file():
            raise ValueError(f"{registry_file.name}: {entry.id!r} names {path}, which does not exist")
        table[entry.content_hash] = tuple(_read_file(path, entry.content_hash))
    return table


def terms_of(passage: Passage, table: Mapping[str, tuple[PlainTerms, ...]]) -> str:
    """The everyday wording of every provision ``passage`` covers; derived terms when its text has no table."""
    if passage.doc_hash not in table:
        return derived_terms(passage)
    return " ".join(entry.terms for entry in table[passage.doc_hash] if entry.covers(passage))


def derived_terms(passage: Passage) -> str:
    """Terms a passage's own wording offers: its headings, its items' titles and the terms it defines."""
    found = [passage.chapter_title or "", passage.article_title or ""]
    found += _INLINE_HEADING_RE.findall(passage.text)
    found += _ITEM_TITLE_RE.findall(passage.text)
    found += [a or b for a, b in _DEFINED_RE.findall(passage.text)]
    return " ".join(dict.fromkeys(t.strip() for t in found if t and t.strip()))


def plain_terms_index(terms_by_id: Mapping[str, str], signature: str) -> KeywordIndex:
    """BM25 over passages' plain terms (passage id -> terms); passages without terms are left out."""
    with_terms = [(pid, text) for pid, text in terms_by_id.items() if text]
    return KeywordIndex.build([pid for pid, _ in with_terms], [text for _, text in with_terms], signature)
