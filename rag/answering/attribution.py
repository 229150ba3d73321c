"""Tie each draft sentence to the passages that support it, and number the citations.

Whatever the provider claims, the system decides: a sentence keeps a claimed passage only if
the verifier (``rag.verification``) finds it supported; otherwise the best-supporting retrieved
passage is cited instead; a sentence that no passage supports is kept with the verifier's
verdict (contradicted or not found) and reason, and no citation. A sentence the extractive
provider quoted verbatim is supported by construction and is not verified again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.answering.injection import looks_like_instruction
from rag.answering.types import AnswerSentence, Citation
from rag.types import Passage, ScoredPassage
from rag.verification import Verdict, Verification, Verifier, strip_citations

MAX_CITATIONS_PER_SENTENCE = 2
_PARAGRAPH_LABEL_RE = re.compile(r"(?m)^(\d{1,3})\.\s")


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


class CitationBook:
    """Numbers citations in order of first use; the same quote of a passage reuses its number."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._index: dict[tuple[str, int, int], int] = {}

    def cite(self, passage: Passage, local_start: int, local_end: int) -> int:
        key = (passage.id, local_start, local_end)
        if key in self._index:
            return self._index[key]
        n = len(self.citations) + 1
        paragraph = paragraph_at(passage, local_start)
        self.citations.append(
            Citation(
                n=n,
                passage_id=passage.id,
                doc=passage.doc_id,
                doc_title=passage.doc_title,
                label=passage.label_for(paragraph),
                article=passage.article,
                paragraph=paragraph,
                start=passage.start + local_start,
                end=passage.start + local_end,
                quote=passage.text[local_start:local_end],
            )
        )
        self._index[key] = n
        return n


def paragraph_at(passage: Passage, local_offset: int) -> str | None:
    """The numbered paragraph of ``passage`` that holds ``local_offset``."""
    label = None
    for match in _PARAGRAPH_LABEL_RE.finditer(passage.text):
        if match.start() > local_offset:
            break
        label = match.group(1)
    if label is None and len(passage.paragraphs) >= 1:
        return passage.paragraphs[0]
    return label


def attribute(
    drafts: list[DraftSentence],
    passages: list[ScoredPassage],
    verifier: Verifier,
    book: CitationBook | None = None,
) -> tuple[list[AnswerSentence], list[Citation]]:
    """Verified sentences and the citations they use."""
    book = book or CitationBook()
    to_verify = [d.text for d in drafts if d.verbatim_of is None]
    if to_verify:  # verbatim quotes are supported by construction and need no model
        verifier.prepare(to_verify)
    sentences: list[AnswerSentence] = []
    for draft in drafts:
        text = strip_citations(draft.text)
        if not text:
            continue
        if draft.rejection is not None:
            sentences.append(AnswerSentence(text, (), False, 0.0, "not_found", draft.rejection))
            continue
        if looks_like_instruction(text):
            sentences.append(AnswerSentence(text, (), False, 0.0, "not_found", "reads as an instruction, not a claim"))
            continue
        if draft.verbatim_of is not None and draft.span is not None:
            passage = passages[draft.verbatim_of].passage
            n = book.cite(passage, *draft.span)
            sentences.append(AnswerSentence(text, (n,), True, 1.0, "supported"))
            continue
        verified = _verify(text, draft.claimed, passages, verifier)
        supports = _supporting(verified)
        if not supports:
            closest = max(verified.values(), key=_closeness, default=None)
            if closest is None:
                sentences.append(
                    AnswerSentence(text, (), False, 0.0, "not_found", "no retrieved passage to check it against")
                )
            else:
                sentences.append(AnswerSentence(text, (), False, closest.score, closest.verdict.value, closest.reason))
            continue
        numbers = tuple(book.cite(passages[i].passage, v.start, v.end) for i, v in supports)
        sentences.append(AnswerSentence(text, tuple(dict.fromkeys(numbers)), True, supports[0][1].score, "supported"))
    return sentences, book.citations


def _verify(
    text: str, claimed: tuple[int, ...], passages: list[ScoredPassage], verifier: Verifier
) -> dict[int, Verification]:
    """Verifications of the claimed passages; of every passage when none of those supports the sentence."""

    def check(i: int) -> Verification:
        passage = passages[i].passage
        return verifier.verify(text, passage.text, doc_id=passage.doc_id, article=passage.article)

    verified = {i: check(i) for i in claimed if 0 <= i < len(passages)}
    if not any(v.supported for v in verified.values()):
        for i in range(len(passages)):
            if i not in verified:
                verified[i] = check(i)
    return verified


def _supporting(verified: dict[int, Verification]) -> list[tuple[int, Verification]]:
    """The supporting passages, best first, at most ``MAX_CITATIONS_PER_SENTENCE``."""
    accepted = sorted(((i, v) for i, v in verified.items() if v.supported), key=lambda item: -item[1].score)
    return accepted[:MAX_CITATIONS_PER_SENTENCE]


def _closeness(verification: Verification) -> tuple[bool, float]:
    """Which verdict to show for an unsupported sentence: a contradiction before a mere absence."""
    return verification.verdict is Verdict.CONTRADICTED, verification.score
