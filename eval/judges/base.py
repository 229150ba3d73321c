"""What every judge returns for a (sentence, passage) pair, and the interface a judge keeps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

SUPPORTED = "supported"
CONTRADICTED = "contradicted"
NOT_FOUND = "not_found"
VERDICTS = (SUPPORTED, CONTRADICTED, NOT_FOUND)
# No verdict could be read: the model's reply was not the JSON asked for, or its request failed.
UNPARSED = "unparsed"


@dataclass(frozen=True)
class Judgement:
    """One judge's verdict on one pair, with a one-line reason and the judge's score if it has one."""

    verdict: str  # one of VERDICTS, or UNPARSED
    reason: str = ""
    score: float | None = None

    @property
    def supported(self) -> bool:
        return self.verdict == SUPPORTED

    @property
    def parsed(self) -> bool:
        return self.verdict != UNPARSED


class Judge(Protocol):
    """Decides whether ``passage_text`` supports ``sentence``.

    ``doc`` and ``article`` say where the passage comes from, when known (a judge may use them
    to see that a sentence names another instrument or article than the passage's).
    """

    name: str

    def judge(self, sentence: str, passage_text: str, doc: str | None = None, article: str | None = None) -> Judgement:
        """The verdict on one pair."""
        ...
