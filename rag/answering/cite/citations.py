"""Number the citations of checked sentences: each supporting span becomes ``[n]``, located in its source."""

from __future__ import annotations

from rag.answering.types import AnswerSentence, Citation
from rag.answering.verify.checks import CheckedSentence
from rag.types import Passage, ScoredPassage


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
        paragraph = passage.paragraph_at(local_start)
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


def number_citations(
    checked: list[CheckedSentence], passages: list[ScoredPassage], book: CitationBook | None = None
) -> tuple[list[AnswerSentence], list[Citation]]:
    """The answer's sentences, each with the numbers of its citations, and the citations in order."""
    book = book or CitationBook()
    sentences = []
    for sentence in checked:
        numbers = tuple(book.cite(passages[i].passage, start, end) for i, start, end in sentence.support)
        sentences.append(
            AnswerSentence(
                sentence.text,
                tuple(dict.fromkeys(numbers)),
                sentence.supported,
                sentence.score,
                sentence.verdict,
                sentence.reason,
            )
        )
    return sentences, book.citations
