"""Follow-up questions: carry the topic of the conversation into the retrieval query."""

from __future__ import annotations

import re
from collections.abc import Sequence

_FOLLOW_UP_RE = re.compile(
    r"^(?:and|but|also|so|what about|how about|and what about|what if|then|same for|does it|is it|"
    r"are they|can they|could they|do they|what does it|why|how)\b",
    re.IGNORECASE,
)
_PRONOUN_RE = re.compile(r"\b(?:it|its|they|them|their|this|that|these|those|there)\b", re.IGNORECASE)
SHORT_QUESTION_WORDS = 7


def is_follow_up(question: str) -> bool:
    """A question that leans on the previous one: short, opening with 'and'/'what about', or pronoun-led."""
    words = question.split()
    return bool(_FOLLOW_UP_RE.match(question.strip())) or (
        len(words) <= SHORT_QUESTION_WORDS and bool(_PRONOUN_RE.search(question))
    )


def contextualize(question: str, history: Sequence[str]) -> str:
    """The retrieval query: the question, prefixed by the previous one when it is a follow-up."""
    if not history or not is_follow_up(question):
        return question
    return f"{history[-1]} {question}"
