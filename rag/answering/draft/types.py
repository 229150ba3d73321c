"""What the draft stage hands on: sentences as a provider wrote them, with the passages they claim."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DraftSentence:
    """A sentence as a provider wrote it, with the passage indices (0-based) it claims."""

    text: str
    claimed: tuple[int, ...] = ()
    # Set by the extractive provider: the sentence is this exact span of that passage, after
    # ``framing`` (words of the product's own that introduce the quote, e.g. its provision's label).
    verbatim_of: int | None = None
    span: tuple[int, int] | None = None
    # Set when the system rejected the draft before verification, and why (e.g. its quoted words
    # are in no passage); such a sentence is kept unsupported and never cited.
    rejection: str | None = None
    framing: str = ""
    # Set on a model's rewrite of a quoted sentence: that quote, which the answer shows instead
    # when the verifier does not find the rewrite supported.
    fallback: DraftSentence | None = None

    @property
    def quoted(self) -> str:
        """The verbatim part of the sentence: ``text`` less its framing."""
        return self.text[len(self.framing) :]


# Matched at a sentence's start (``match(text, start)``), so no "^": that would only match at 0.
_LEADING_LABEL_RE = re.compile(r"(?:\d{1,3}\.\s+)?(?:\(?[a-z]{1,4}\)\s+)?")


def verbatim_draft(text: str, start: int, end: int, passage_index: int) -> DraftSentence:
    """A sentence quoted from a passage, its paragraph label ("1.", "(a)") left to the citation."""
    label = _LEADING_LABEL_RE.match(text, start)
    shift = label.end() - start if label else 0
    return DraftSentence(text[start + shift : end], (passage_index,), passage_index, (start + shift, end))


def framed_draft(framing: str, text: str, start: int, end: int, passage_index: int) -> DraftSentence:
    """``framing`` followed by the exact span ``text[start:end]`` of passage ``passage_index``."""
    return DraftSentence(framing + text[start:end], (passage_index,), passage_index, (start, end), framing=framing)


@dataclass(frozen=True)
class Draft:
    """What a provider drafted: its direct answer, its sentences, and whether it declined."""

    direct: str | None
    sentences: list[DraftSentence] = field(default_factory=list)
    declined: bool = False


@dataclass(frozen=True)
class Drafted:
    """The draft stage's result: the draft, the mode asked for, and a notice when a generative mode
    fell back to quoting (its model unavailable or failing)."""

    draft: Draft
    mode: str
    notice: str | None = None

    @property
    def by_model(self) -> bool:
        """Whether a generative model wrote the sentences (no extractive mode, no fallback)."""
        return self.mode != "extractive" and self.notice is None
