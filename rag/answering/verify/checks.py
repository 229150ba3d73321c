"""Check each draft sentence against the retrieved passages with the verifier (``rag.verification``).

Whatever the provider claims, the system decides: a sentence keeps a claimed passage only if
the verifier finds it supported; otherwise the best-supporting retrieved passage is taken
instead; a sentence that no passage supports is kept with the verifier's verdict (contradicted
or not found) and reason, and no support; so is a sentence that a passage contradicts (or finds a
condition dropped from) while grounding it at least as well as its best support. A sentence the
extractive provider quoted verbatim is supported by construction and is not verified again.

A model's rewrite of a quoted sentence (``DraftSentence.fallback``) is checked against the paragraph
that holds its quote (``paragraph_around``: a numbered paragraph, a recital, a list with its lead-in),
and nothing else: it says that sentence again in plain words, so
whatever it adds that this paragraph does not say is the model's own, however well a longer passage
or another one grounds it word by word. Nor may it add content of its own: a small model asked to
say a sentence again often answers the question instead ("… must tell the UN where it happened"),
in words the paragraph lacks but that the verifier, reading paraphrases generously, would let
pass. A rewrite is therefore held to its paragraph's words (with their plain-word equivalents and
the glossary's plain terms): at most ``MAX_REWRITE_ADDITIONS`` content words it does not account
for. Nor may it drop a condition of the sentence it says again (``strict_conditions``): "may, upon
request, share" rewritten as "may share" says less than its quote, whatever a looser paraphrase is
allowed. A rewrite that is not supported gives way to its quote, for that sentence only.
"""

from __future__ import annotations

from dataclasses import dataclass

from rag.answering.draft.types import DraftSentence
from rag.answering.injection import looks_like_instruction
from rag.types import ScoredPassage
from rag.verification import Verdict, Verification, Verifier, strip_citations
from rag.verification.paragraphs import paragraph_around

MAX_CITATIONS_PER_SENTENCE = 2
# Content words a rewrite may use that its quote's paragraph does not account for (a plain word of
# its own, such as "aims" for "purposes"); more is a claim of the model's, not the sentence said again.
MAX_REWRITE_ADDITIONS = 1


@dataclass(frozen=True)
class CheckedSentence:
    """A draft sentence after verification: the verdict, and the passage spans that support it."""

    text: str
    supported: bool
    score: float
    # The verifier's verdict: "supported", "contradicted" or "not_found", and why when not supported.
    verdict: str
    reason: str | None = None
    # (retrieved passage index, start, end) of each supporting span in the passage's text, best first.
    support: tuple[tuple[int, int, int], ...] = ()
    # The sentence is a verbatim quote of its passage (the extractive provider's, or a rewrite's fallback).
    verbatim: bool = False


def check_sentences(
    drafts: list[DraftSentence], passages: list[ScoredPassage], verifier: Verifier
) -> list[CheckedSentence]:
    """Each draft sentence with its verdict; a sentence left empty once its markers are gone is dropped."""
    to_verify = [d.text for d in drafts if d.verbatim_of is None]
    if to_verify:  # verbatim quotes are supported by construction and need no model
        verifier.prepare(to_verify)
    checked = []
    for draft in drafts:
        sentence = _check(draft, passages, verifier)
        if (sentence is None or not sentence.supported) and draft.fallback is not None:
            sentence = _check(draft.fallback, passages, verifier)
        if sentence is not None:
            checked.append(sentence)
    return checked


def _check(draft: DraftSentence, passages: list[ScoredPassage], verifier: Verifier) -> CheckedSentence | None:
    """One draft sentence with its verdict; None when it is empty once its markers are gone."""
    text = strip_citations(draft.text)
    if not text:
        return None
    if draft.rejection is not None:
        return CheckedSentence(text, False, 0.0, "not_found", draft.rejection)
    if looks_like_instruction(text):
        return CheckedSentence(text, False, 0.0, "not_found", "reads as an instruction, not a claim")
    if draft.verbatim_of is not None and draft.span is not None:
        support = ((draft.verbatim_of, *draft.span),)
        return CheckedSentence(text, True, 1.0, "supported", support=support, verbatim=True)
    if draft.fallback is not None and draft.fallback.verbatim_of is not None and draft.fallback.span is not None:
        return _check_rewrite(text, draft.fallback, passages, verifier)
    verified = _verify(text, draft.claimed, passages, verifier)
    supports = _supporting(verified)
    if not supports or _outweighed(supports[0][1], verified):
        closest = max(verified.values(), key=_closeness, default=None)
        if closest is None:
            return CheckedSentence(text, False, 0.0, "not_found", "no retrieved passage to check it against")
        return CheckedSentence(text, False, closest.score, closest.verdict.value, closest.reason)
    spans = tuple((i, v.start, v.end) for i, v in supports)
    return CheckedSentence(text, True, supports[0][1].score, "supported", support=spans)


def _check_rewrite(
    text: str, quote: DraftSentence, passages: list[ScoredPassage], verifier: Verifier
) -> CheckedSentence:
    """A rewrite verified against the paragraph of the quote it rewrites, cited to that quote."""
    assert quote.verbatim_of is not None and quote.span is not None
    passage = passages[quote.verbatim_of].passage
    start, end = paragraph_around(passage.text, quote.span[0])
    paragraph = passage.text[start:end]
    verified = verifier.verify(text, paragraph, doc_id=passage.doc_id, article=passage.article, strict_conditions=True)
    if not verified.supported:
        return CheckedSentence(text, False, verified.score, verified.verdict.value, verified.reason)
    added = verifier.ungrounded_words(text, paragraph, doc_id=passage.doc_id)
    if len(added) > MAX_REWRITE_ADDITIONS:
        shown = ", ".join(f'"{word}"' for word in added)
        return CheckedSentence(text, False, verified.score, "not_found", f"adds to its quote: {shown}")
    return CheckedSentence(text, True, verified.score, "supported", support=((quote.verbatim_of, *quote.span),))


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


def _outweighed(support: Verification, verified: dict[int, Verification]) -> bool:
    """Whether a passage that rejects the sentence grounds it at least as well as its best support.

    A sentence that turns a passage's "shall" into "shall endeavour", or drops its condition, is
    rejected by that passage; that a looser passage elsewhere grounds enough of its words to pass
    does not make it true. The passage that states the sentence's subject best decides. (A passage
    that merely lacks the sentence's words scores below the acceptance threshold, so below any
    support, and never outweighs it.)
    """
    return any(not v.supported and v.score >= support.score for v in verified.values())


def _closeness(verification: Verification) -> tuple[bool, float]:
    """Which verdict to show for an unsupported sentence: a contradiction before a mere absence."""
    return verification.verdict is Verdict.CONTRADICTED, verification.score
