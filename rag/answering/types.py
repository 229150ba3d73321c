"""What an answer is: sentences, each tied to numbered citations that point into the sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rag.types import ScoredPassage

REFUSAL_TEXT = "The documents do not answer this question."


@dataclass(frozen=True)
class Citation:
    """``[n]``: a quote in a passage, located by character offsets in its source document."""

    n: int
    passage_id: str
    doc: str
    doc_title: str
    label: str
    article: str | None
    paragraph: str | None
    start: int
    end: int
    quote: str

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "doc": self.doc,
            "doc_title": self.doc_title,
            "label": self.label,
            "article": self.article,
            "paragraph": self.paragraph,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "passage_id": self.passage_id,
        }


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence of an answer; ``citations`` are numbers of ``Answer.citations``."""

    text: str
    citations: tuple[int, ...]
    supported: bool
    score: float
    # The verifier's verdict: "supported", "contradicted" or "not_found", and why when not supported.
    verdict: str
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "citations": list(self.citations),
            "supported": self.supported,
            "score": round(self.score, 4),
            "verdict": self.verdict,
            "reason": self.reason,
        }


@dataclass
class Answer:
    """A verified answer, or a refusal with the nearest provisions."""

    question: str
    mode: str
    sentences: list[AnswerSentence]
    citations: list[Citation]
    passages: list[ScoredPassage]
    refused: bool
    timings: dict[str, float] = field(default_factory=dict)
    notice: str | None = None  # e.g. "the local model failed; this answer is extractive"
    # The answerability model's probability that the passages answer the question (None where the
    # model was not asked: a summary, or an outright refusal).
    answerability: float | None = None
    # The model's direct answer ("Yes", "No", "90 days"), kept only when a verified sentence backs it.
    direct: str | None = None
    # After the answer to a claim quoted from a source the documents do not mention: says so.
    remark: str | None = None

    @property
    def text(self) -> str:
        """The answer as shown: the direct answer, then supported sentences with their markers; or the refusal."""
        if self.refused:
            nearest = "; ".join(dict.fromkeys(p.passage.label for p in self.passages if not p.supporting))
            return REFUSAL_TEXT + (f" The closest provisions are: {nearest}." if nearest else "")
        parts = [self.direct if self.direct[-1] in ".!?" else self.direct + "."] if self.direct else []
        for sentence in self.sentences:
            if not sentence.supported:
                continue
            markers = "".join(f"[{n}]" for n in sentence.citations)
            parts.append(f"{sentence.text} {markers}".strip())
        if parts and self.remark:
            parts.append(self.remark)
        return " ".join(parts)

    @property
    def unsupported(self) -> list[AnswerSentence]:
        return [s for s in self.sentences if not s.supported]

    def citation(self, n: int) -> Citation:
        return self.citations[n - 1]

    def to_markdown(self) -> str:
        """The answer with its numbered sources, for copying."""
        lines = [self.text, ""]
        for c in self.citations:
            lines.append(f"[{c.n}] {c.label}: “{c.quote}”")
        return "\n".join(lines).strip()

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "mode": self.mode,
            "answer": self.text,
            "direct": self.direct,
            "refused": self.refused,
            "sentences": [s.to_json() for s in self.sentences],
            "citations": [c.to_json() for c in self.citations],
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "passages": [p.to_json() for p in self.passages],
            "notice": self.notice,
            "answerability": None if self.answerability is None else round(self.answerability, 4),
            "remark": self.remark,
        }
