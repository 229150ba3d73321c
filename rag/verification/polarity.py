"""Polarity: a "not" dropped or added. Each sentence clause is compared with the passage clause that
grounds most of its words; the two must agree in the parity of their negations.

Refusal verbs count as negations, so "may refuse to extradite" and "nothing ... imposes an
obligation to extradite" agree, and "shall not decline to assist" agrees with "must assist".
Fixed phrases that negate nothing ("not later than", "whether or not", "without prejudice")
are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.verification.clauses import clauses
from rag.verification.grounding import is_grounded, region_words
from rag.verification.types import Conflict
from rag.verification.words import content_tokens

MIN_CLAUSE_WORDS = 3
# The passage clause must ground this share of the sentence clause's content words.
MIN_CLAUSE_SHARE = 0.9

_FIXED_RE = re.compile(
    r"\b(?:not (?:later|less|more|fewer|exceeding|only|limited to|necessarily)|no (?:later|less|more|fewer) than|"
    r"whether or not|if not|without (?:prejudice|delay|right)|not(?:withstanding))\b",
    re.IGNORECASE,
)
_NEGATION_RE = re.compile(
    r"\b(?:not|never|no|nothing|neither|nor|none|cannot|absen(?:ce|t)|lack(?:s|ing)?|refus\w*|declin\w*|den(?:y|ies|"
    r"ied|ial)|reject\w*|withh[oe]ld\w*)\b|n't\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Negations:
    words: tuple[str, ...]

    @property
    def odd(self) -> bool:
        return len(self.words) % 2 == 1


def negations(text: str) -> Negations:
    blanked = _FIXED_RE.sub(lambda m: " " * len(m.group(0)), text)
    return Negations(tuple(m.group(0).lower() for m in _NEGATION_RE.finditer(blanked)))


def compare(claim_text: str, passage_text: str) -> list[Conflict]:
    """A negation conflict for each sentence clause whose best passage clause has the other parity."""
    passage_clauses = [passage_text[a:b] for a, b in clauses(passage_text)]
    regions = [region_words(c) for c in passage_clauses]
    conflicts = []
    for a, b in clauses(claim_text):
        clause = claim_text[a:b]
        words = content_tokens(clause)
        if len(words) < MIN_CLAUSE_WORDS:
            continue
        best_share, best = 0.0, None
        for text, region in zip(passage_clauses, regions, strict=True):
            share = sum(is_grounded(t, region) for t in words) / len(words)
            if share > best_share:
                best_share, best = share, text
        if best is None or best_share < MIN_CLAUSE_SHARE:
            continue
        mine, theirs = negations(clause), negations(best)
        if mine.odd != theirs.odd:
            conflicts.append(Conflict("negation", _reason(mine, theirs), "clause"))
    return conflicts


def _reason(claim: Negations, passage: Negations) -> str:
    if claim.odd:
        return f'negation: the sentence says "{claim.words[-1]}", the passage does not'
    if passage.words:
        return f'negation: the passage says "{passage.words[-1]}", the sentence does not'
    return "negation: the sentence and the passage differ in a negation"
