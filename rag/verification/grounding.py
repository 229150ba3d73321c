"""Content-word grounding: which of a sentence's content words a passage region accounts for.

A word is grounded when the region has the same stem, a word of the same meaning group
(``words.Equivalents``), a word sharing its first six letters ("criminalise" / "criminal"), or
when the word is a plain term of the glossary (``rag.glossary``) whose treaty wording the
region uses ("hacking" → "access ... without right").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from rag.glossary import GLOSSARY
from rag.verification.words import TEXT_CACHE_SIZE, Token, content_tokens, equivalents, tokens

PREFIX_LETTERS = 6


@dataclass(frozen=True)
class Grounding:
    content: int  # content words in the claim
    missing_tokens: tuple[Token, ...]  # the claim's content words the region does not account for

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(t.surface for t in self.missing_tokens)

    @property
    def share(self) -> float:
        return 1.0 if not self.content else 1.0 - len(self.missing) / self.content


@dataclass(frozen=True)
class RegionWords:
    stems: frozenset[str]
    meanings: frozenset[int]
    prefixes: frozenset[str]


@cache
def _glossary() -> tuple[tuple[re.Pattern[str], frozenset[str]], ...]:
    table = equivalents()
    return tuple(
        (re.compile(pattern), frozenset(t.stem for t in tokens(wording) if table.is_content(t.stem)))
        for pattern, wording in GLOSSARY
    )


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def region_words(text: str) -> RegionWords:
    table = equivalents()
    stems = {t.stem for t in tokens(text)}
    meanings: set[int] = set()
    for s in stems:
        meanings.update(table.meanings(s))
    return RegionWords(
        frozenset(stems), frozenset(meanings), frozenset(s[:PREFIX_LETTERS] for s in stems if len(s) >= PREFIX_LETTERS)
    )


def is_grounded(token: Token, region: RegionWords) -> bool:
    if token.stem in region.stems:
        return True
    if equivalents().meanings(token.stem) & region.meanings:
        return True
    return len(token.stem) >= PREFIX_LETTERS and token.stem[:PREFIX_LETTERS] in region.prefixes


def ground(claim: str, region: RegionWords, ignored: tuple[tuple[int, int], ...] = ()) -> Grounding:
    """How much of ``claim``'s content ``region`` accounts for; words inside the ``ignored`` spans need no grounding."""
    claim_tokens = content_tokens(claim)
    skipped = [*_glossed_offsets(claim, region), *ignored]
    missing = tuple(
        t for t in claim_tokens if not is_grounded(t, region) and not any(a <= t.start < b for a, b in skipped)
    )
    return Grounding(len(claim_tokens), missing)


def _glossed_offsets(claim: str, region: RegionWords) -> list[tuple[int, int]]:
    """Spans of ``claim`` that are plain terms whose treaty wording the region uses."""
    lowered = claim.lower()
    spans = []
    for pattern, wording in _glossary():
        if not wording & region.stems:
            continue
        for match in pattern.finditer(lowered):
            spans.append((match.start(), match.end()))
    return spans
