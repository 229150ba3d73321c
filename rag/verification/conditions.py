"""Qualifiers and conditions: a sentence that paraphrases a clause must keep the clause's condition.

"Each State Party shall, in accordance with its domestic law, ..." paraphrased as "States must
..." drops "in accordance with its domestic law". The condition counts as kept when the sentence
grounds one of its content words ("under national law", "if it sees it as appropriate").
"""

from __future__ import annotations

import re

from rag.verification.clauses import clauses
from rag.verification.grounding import is_grounded, region_words
from rag.verification.types import Conflict
from rag.verification.words import Token, content_tokens

# The sentence paraphrases a passage clause when the clause grounds this share of its content words.
MIN_CLAUSE_SHARE = 0.6

_LAW = r"(?:its|their|the)\s+(?:own\s+)?(?:domestic|national|internal)\s+(?:law|laws|legislation|legal system)"
CONDITIONS: dict[str, str] = {
    "domestic_law": rf"(?:in accordance with|subject to|consistent with|pursuant to|in conformity with|under|"
    rf"without prejudice to|(?:as|to the extent) (?:permitted|provided|required) (?:by|for|under)(?: in)?)\s+{_LAW}|"
    r"in accordance with (?:the )?fundamental principles of (?:its|their) (?:domestic )?(?:law|legal system)",
    "appropriate": r"(?:where|as|when|if) (?:it deems |it considers |is )?(?:appropriate|necessary)",
    "extent": r"to the extent (?:that |permitted |possible|consistent)[^,;.]{0,80}",
    "intent": r"(?:when|where|if) committed intentionally|intentionally|with (?:the )?intent to [^,;.]{0,40}",
    "without_right": r"without right",
    "grounds": r"(?:if|where|when) (?:the )?requested state party has substantial grounds for believing",
    "proviso": r"(?:provided that|unless|on condition that|only (?:if|where|when|on the basis of))\s[^;.]{0,100}",
    "request": r"(?:upon|on) (?:its |the )?request|on a case-by-case basis",
    "capability": r"within its existing technical capability",
    "consent": r"with (?:the )?(?:lawful and voluntary )?consent of [^,;.]{0,60}",
}
_COMPILED = {name: re.compile(rf"\b(?:{pattern})", re.IGNORECASE) for name, pattern in CONDITIONS.items()}
MAX_QUOTE = 60


def compare(claim_text: str, passage_text: str, matched: list[tuple[int, int]]) -> list[Conflict]:
    """A conflict for each condition of the paraphrased passage clause that the sentence leaves out.

    The paraphrased clauses are those the sentence's frames matched (``frames.compare``); without
    any, the passage clause that grounds most of the sentence's words, if it grounds enough.
    """
    claim_words = content_tokens(claim_text)
    if not claim_words:
        return []
    paraphrased = matched or _best_clause(claim_words, passage_text)
    claim_region = region_words(claim_text)
    conflicts: list[Conflict] = []
    for a, b in paraphrased:
        clause = passage_text[a:b]
        for name, pattern in _COMPILED.items():
            for match in pattern.finditer(clause):
                words = content_tokens(match.group(0))
                if not words or any(is_grounded(t, claim_region) for t in words):
                    continue
                quote = " ".join(match.group(0).split())
                quote = quote if len(quote) <= MAX_QUOTE else quote[:MAX_QUOTE].rsplit(" ", 1)[0] + " …"
                conflicts.append(Conflict("condition", f'condition dropped: "{quote}"', name))
    return conflicts


def _best_clause(claim_words: tuple[Token, ...], passage_text: str) -> list[tuple[int, int]]:
    best_share, best = 0.0, []
    for a, b in clauses(passage_text):
        region = region_words(passage_text[a:b])
        share = sum(is_grounded(t, region) for t in claim_words) / len(claim_words)
        if share > best_share:
            best_share, best = share, [(a, b)]
    return best if best_share >= MIN_CLAUSE_SHARE else []
