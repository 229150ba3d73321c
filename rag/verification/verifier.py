"""The verifier: does a passage support a sentence, contradict it, or not say it at all?

The sentence is aligned to its best passage window (``alignment``), its content words are
grounded (``grounding``), its legal frame is compared with the passage's: instrument and
article, figures, modality and actor, polarity, conditions (one module each), and the
calibrated ``decision`` turns what they found into a verdict with a reason.
"""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from rag.verification import added, conditions, frames, instruments, numbers, paragraphs, polarity
from rag.verification.alignment import SentenceVectors, Window
from rag.verification.claim import claim_of, verbatim_span
from rag.verification.decision import Decision, Evidence, load_decision
from rag.verification.grounding import ground, region_words
from rag.verification.types import Verdict, Verification
from rag.verification.words import blanked, content_tokens

# Windows whose grounding is computed, the most similar first.
WINDOWS_CONSIDERED = 4
# The windows most similar to the sentence, together: where its content should be grounded.
ALIGNED_WINDOWS = 2
SIMILARITY_WEIGHT = 0.5  # in the choice of the best window, against the window's grounding


class Verifier:
    """Verifies (sentence, passage) pairs; caches passage sentence vectors and claim vectors."""

    def __init__(self, embeddings: Embeddings, decision: Decision | None = None) -> None:
        self.vectors = SentenceVectors(embeddings)
        self.decision = decision or load_decision()

    def preload(self, texts_and_vectors: dict[str, tuple[list[tuple[int, int]], list[list[float]]]]) -> None:
        """Sentence vectors computed at ingestion, keyed by passage text."""
        self.vectors.preload(texts_and_vectors)

    def prepare(self, sentences: list[str]) -> None:
        """Embed the claims of ``sentences`` in one batch before verifying them one by one."""
        self.vectors.embed_claims([claim_of(s) for s in sentences])

    def verify(
        self,
        sentence: str,
        passage_text: str,
        *,
        doc_id: str | None = None,
        article: str | None = None,
        strict_conditions: bool = False,
    ) -> Verification:
        """The verdict on ``sentence`` against ``passage_text``.

        With ``strict_conditions``, for a sentence that says one passage sentence again in other words,
        every condition of the clause it aligns with must be kept: one left out makes it not found,
        whatever the sentence's force and however the calibrated decision weighs a dropped condition.
        """
        evidence, span = self.evidence(
            sentence, passage_text, doc_id=doc_id, article=article, strict_conditions=strict_conditions
        )
        if evidence is None:
            reason = "nothing to check" if span is None else None
            verdict = Verdict.NOT_FOUND if span is None else Verdict.SUPPORTED
            start, end = span or (0, 0)
            return Verification(verdict, reason, start, end, 0.0 if span is None else 1.0)
        verdict, reason, score = self.decision.decide(evidence)
        assert span is not None
        dropped = [c for c in evidence.conflicts if c.kind == "condition"] if strict_conditions else []
        if verdict is Verdict.SUPPORTED and dropped:
            return Verification(Verdict.NOT_FOUND, dropped[0].reason, span[0], span[1], score, ("condition",))
        against: tuple[str, ...] = ()
        if verdict is not Verdict.SUPPORTED and score >= self.decision.threshold:
            against = tuple(dict.fromkeys(c.kind for c in self.decision.against(evidence.conflicts)))
        return Verification(verdict, reason, span[0], span[1], score, against)

    def ungrounded_words(self, sentence: str, passage_text: str, *, doc_id: str | None = None) -> tuple[str, ...]:
        """The sentence's content words that nothing in the passage accounts for (not its stems, their
        equivalents nor a glossary term's treaty wording); words naming an instrument or article are not counted."""
        claim = claim_of(sentence)
        return ground(claim, region_words(passage_text), locating_spans(claim, doc_id)).missing

    def evidence(
        self,
        sentence: str,
        passage_text: str,
        *,
        doc_id: str | None = None,
        article: str | None = None,
        strict_conditions: bool = False,
    ) -> tuple[Evidence | None, tuple[int, int] | None]:
        """What the checks find, and the best window; ``(None, span)`` for a verbatim quote, ``(None, None)``
        when there is nothing to check (a claim without content words, such as "Yes"; an empty passage; a
        passage of instructions only). ``strict_conditions``: see ``verify``."""
        claim = claim_of(sentence)
        if not content_tokens(claim) or not passage_text.strip():
            return None, None
        quoted = verbatim_span(claim, passage_text)
        if quoted is not None and not instruments.compare(sentence, passage_text, doc_id, article):
            return None, quoted
        windows = self.vectors.ranked_windows(claim, passage_text)
        if not windows:
            return None, None
        passage_region = region_words(passage_text)
        best_value, best, best_share = -1.0, windows[0], 0.0
        for window in windows[:WINDOWS_CONSIDERED]:
            share = ground(claim, region_words(passage_text[window.start : window.end])).share
            value = SIMILARITY_WEIGHT * window.similarity + (1 - SIMILARITY_WEIGHT) * share
            if value > best_value:
                best_value, best, best_share = value, window, share
        locating = locating_spans(claim, doc_id)
        grounding = ground(claim, passage_region, locating)
        aligned = ground(claim, region_words(aligned_text(passage_text, windows[:ALIGNED_WINDOWS])), locating)
        framed = frames.compare(claim, passage_text)
        conflicts = (
            *instruments.compare(sentence, passage_text, doc_id, article),
            *numbers.compare(blanked(claim, instruments.own_name_spans(claim, doc_id)), passage_text),
            *instruments.compare_references(claim, passage_text, article),
            *paragraphs.compare(claim, passage_text, article),
            *framed.conflicts,
            *polarity.compare(claim, passage_text),
            *polarity.compare_irrelevant(claim, passage_text),
            *polarity.compare_saving(claim, passage_text),
            *polarity.compare_regard(claim, passage_text),
            *polarity.compare_either_way(claim, passage_text),
            *polarity.compare_excluded(claim, passage_text),
            *conditions.compare(claim, passage_text, framed.clauses, strict=strict_conditions),
            *added.compare(claim, passage_text, grounding),
        )
        evidence = Evidence(
            max(0.0, best.similarity), best_share, aligned.share, grounding.share, grounding.missing, conflicts
        )
        return evidence, (best.start, best.end)


def locating_spans(claim: str, doc_id: str | None) -> tuple[tuple[int, int], ...]:
    """Spans of ``claim`` that locate it (an instrument, its own document's name, an article, its source
    label): no content to ground."""
    return (
        *instruments.reference_spans(claim),
        *instruments.own_name_spans(claim, doc_id),
        *instruments.source_label_span(claim, doc_id),
    )


def aligned_text(passage_text: str, windows: list[Window]) -> str:
    """The text of ``windows`` in passage order (a bag of words: text two windows share may come twice)."""
    return " ".join(passage_text[w.start : w.end] for w in sorted(windows, key=lambda w: w.start))
