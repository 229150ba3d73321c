"""Words of a sentence or passage: stemmed tokens with offsets, and plain-word ↔ treaty-word equivalents.

The equivalents table (``rag/data/verification/equivalents.json``) groups the everyday words a
paraphrase uses with the treaty words they stand for ("help" ↔ "assistance", "refuse" ↔
"decline"); two words are equivalent when they share a stem or a group. Generic words (modal
verbs, "treaty", "article", "says") carry nothing a passage must ground.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import Stemmer

from rag.keyword_index import STOPWORDS

EQUIVALENTS_PATH = Path(__file__).resolve().parent.parent / "data" / "verification" / "equivalents.json"
_STEMMER = Stemmer.Stemmer("english")
# Passages recur across sentences and answers: per-text results are cached this many at a time.
TEXT_CACHE_SIZE = 4096
_WORD_RE = re.compile(r"[a-z0-9]+")


def blanked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with each span turned to spaces, offsets kept: words a check has read elsewhere."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


@dataclass(frozen=True)
class Token:
    surface: str
    stem: str
    start: int
    end: int


def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word.lower()))


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def tokens(text: str) -> tuple[Token, ...]:
    """The non-stop-words of ``text`` with their stems and offsets."""
    lowered = text.lower()
    out = []
    for match in _WORD_RE.finditer(lowered):
        word = match.group()
        if word in STOPWORDS:
            continue
        out.append(Token(text[match.start() : match.end()], stem(word), match.start(), match.end()))
    return tuple(out)


@dataclass(frozen=True)
class Equivalents:
    """Stem → the meaning groups it belongs to, and the stems that need no grounding."""

    groups: dict[str, frozenset[int]]
    generic: frozenset[str]

    def meanings(self, word_stem: str) -> frozenset[int]:
        return self.groups.get(word_stem, frozenset())

    def expand(self, stems: set[str]) -> set[str | int]:
        """``stems`` with the groups they belong to, for set intersections."""
        expanded: set[str | int] = set(stems)
        for s in stems:
            expanded.update(self.groups.get(s, ()))
        return expanded

    def is_content(self, word_stem: str) -> bool:
        return len(word_stem) > 1 and word_stem not in self.generic and not word_stem[:1].isdigit()


@cache
def equivalents(path: Path = EQUIVALENTS_PATH) -> Equivalents:
    data = json.loads(path.read_text(encoding="utf-8"))
    groups: dict[str, set[int]] = {}
    for index, group in enumerate(data["groups"]):
        for word in group:
            for token in tokens(word):
                groups.setdefault(token.stem, set()).add(index)
    generic = frozenset(stem(w) for w in data["generic"])
    return Equivalents({s: frozenset(g) for s, g in groups.items()}, generic)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def content_tokens(text: str) -> tuple[Token, ...]:
    """Tokens that carry content a passage must ground."""
    table = equivalents()
    return tuple(t for t in tokens(text) if table.is_content(t.stem))
