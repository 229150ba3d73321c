"""The domain types that carry a passage from the file to the screen."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from rag.documents import short_title

_PARAGRAPH_LABEL_RE = re.compile(r"(?m)^(\d{1,3})\.\s")


@dataclass(frozen=True)
class SourceDocument:
    """A loaded document: its id, title, full text and (for PDFs) where each page starts."""

    doc_id: str
    title: str
    text: str
    source_path: str = ""
    page_starts: tuple[int, ...] = ()

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]

    def page_at(self, offset: int) -> int | None:
        """1-based page holding the character ``offset``, or None for documents without pages."""
        if not self.page_starts:
            return None
        page = 0
        for index, start in enumerate(self.page_starts):
            if start <= offset:
                page = index
        return page + 1


@dataclass(frozen=True)
class Passage:
    """A retrievable slice of a document, anchored in its legal structure.

    ``text == document.text[start:end]`` always holds; ``context`` is the short heading
    (document, chapter, article and title) that is embedded together with the text.
    """

    id: str
    doc_id: str
    doc_title: str
    text: str
    start: int
    end: int
    context: str
    kind: str  # "article", "preamble", "paragraph", "note", "final", "heading"
    chapter: str | None = None
    chapter_title: str | None = None
    article: str | None = None
    article_title: str | None = None
    paragraphs: tuple[str, ...] = ()
    page: int | None = None
    refers_to: tuple[str, ...] = ()  # article numbers this passage points to (same document)
    doc_hash: str = ""
    article_noun: str = "Article"  # what the document calls its provisions: "Article", or a national act's "Section"

    @property
    def embedded_text(self) -> str:
        return f"{self.context}\n{self.text}"

    def is_heading(self, start: int, end: int) -> bool:
        """True when ``text[start:end]`` is the passage's "Article N" line or its title."""
        fragment = self.text[start:end].strip()
        return fragment == (self.article_title or "") or bool(re.fullmatch(r"Article \d+", fragment))

    def paragraph_at(self, local_offset: int) -> str | None:
        """The numbered paragraph of this passage that holds ``local_offset`` (an offset in ``text``)."""
        label = None
        for match in _PARAGRAPH_LABEL_RE.finditer(self.text):
            if match.start() > local_offset:
                break
            label = match.group(1)
        if label is None and len(self.paragraphs) >= 1:
            return self.paragraphs[0]
        return label

    def label_for(self, paragraph: str | None) -> str:
        """The citation label of one paragraph of this passage, e.g. 'UN Cybercrime Convention, art. 24(2)'."""
        if paragraph is None or self.article == "preamble":
            return self.label
        title = short_title(self.doc_id, self.doc_title)
        if self.article:
            return f"{title}, {self.article_abbreviation} {self.article}({paragraph})"
        noun = "note" if self.kind == "note" else "para."
        return f"{title}, {noun} {paragraph}"

    @property
    def label(self) -> str:
        """A human citation label, e.g. 'UN Cybercrime Convention, art. 24(2)-(3)'."""
        parts = [short_title(self.doc_id, self.doc_title)]
        if self.article == "preamble":
            parts.append("preamble")
        elif self.article:
            parts.append(f"{self.article_abbreviation} {self.article}{_paragraph_range(self.paragraphs)}")
        elif self.paragraphs:
            noun = "note" if self.kind == "note" else "para."
            parts.append(f"{noun} {'-'.join(dict.fromkeys((self.paragraphs[0], self.paragraphs[-1])))}")
        return ", ".join(parts)

    @property
    def article_abbreviation(self) -> str:
        """How a citation names the provision: "art." for an article, "sec." for a section."""
        return "sec." if self.article_noun == "Section" else "art."

    def to_metadata(self) -> dict[str, Any]:
        """Flat metadata for Chroma (scalars only; tuples as JSON)."""
        meta: dict[str, Any] = {
            "doc_id": self.doc_id,
            "doc_title": self.doc_title,
            "start": self.start,
            "end": self.end,
            "context": self.context,
            "kind": self.kind,
            "chapter": self.chapter or "",
            "chapter_title": self.chapter_title or "",
            "article": self.article or "",
            "article_title": self.article_title or "",
            "paragraphs": json.dumps(list(self.paragraphs)),
            "page": self.page if self.page is not None else -1,
            "refers_to": json.dumps(list(self.refers_to)),
            "doc_hash": self.doc_hash,
            "article_noun": self.article_noun,
        }
        return meta

    @classmethod
    def from_metadata(cls, passage_id: str, text: str, meta: dict[str, Any]) -> Passage:
        page = int(meta.get("page", -1))
        return cls(
            id=passage_id,
            doc_id=str(meta["doc_id"]),
            doc_title=str(meta["doc_title"]),
            text=text,
            start=int(meta["start"]),
            end=int(meta["end"]),
            context=str(meta["context"]),
            kind=str(meta["kind"]),
            chapter=meta.get("chapter") or None,
            chapter_title=meta.get("chapter_title") or None,
            article=meta.get("article") or None,
            article_title=meta.get("article_title") or None,
            paragraphs=tuple(json.loads(meta.get("paragraphs", "[]"))),
            page=page if page >= 0 else None,
            refers_to=tuple(json.loads(meta.get("refers_to", "[]"))),
            doc_hash=str(meta.get("doc_hash", "")),
            article_noun=str(meta.get("article_noun") or "Article"),
        )


@dataclass(frozen=True)
class ScoredPassage:
    """A passage with its retrieval score; ``supporting`` marks context attached by cross-reference."""

    passage: Passage
    score: float
    supporting: bool = False
    reasons: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        p = self.passage
        return {
            "id": p.id,
            "doc": p.doc_id,
            "article": p.article,
            "paragraphs": list(p.paragraphs),
            "start": p.start,
            "end": p.end,
            "score": round(self.score, 6),
            "text": p.text,
            "label": p.label,
            "supporting": self.supporting,
        }


def _paragraph_range(paragraphs: tuple[str, ...]) -> str:
    if not paragraphs:
        return ""
    if len(paragraphs) == 1:
        return f"({paragraphs[0]})"
    return f"({paragraphs[0]})-({paragraphs[-1]})"
