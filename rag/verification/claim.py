"""The claim a sentence makes: its citation markers and a "Yes:" / "No," opener removed."""

from __future__ import annotations

import re

_CITATION_RE = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")
_ANSWER_OPENER_RE = re.compile(r"^\s*(?:yes|no)\s*[:,.;—–-]\s*", re.IGNORECASE)


def strip_citations(sentence: str) -> str:
    return _CITATION_RE.sub("", sentence).strip()


def claim_of(sentence: str) -> str:
    """What a sentence asserts, as the checks read it."""
    return _ANSWER_OPENER_RE.sub("", strip_citations(sentence)).strip()


def verbatim_span(claim: str, passage_text: str) -> tuple[int, int] | None:
    """Where ``claim`` occurs word for word (spacing and case aside) in the passage, if it does."""
    words = claim.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, passage_text, re.IGNORECASE)
    return (match.start(), match.end()) if match else None
