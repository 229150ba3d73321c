"""From a question to a verified answer, in stages: retrieve, assess, draft, verify, cite.

Each stage is one function of its package (``rag.answering.retrieve`` ... ``rag.answering.cite``)
that takes what the stages before it produced and returns one typed result, so a question passes
through each once. ``AnswerService.stream`` yields the answer's text as it is produced and, last,
the final ``Answer``; ``ask`` returns only the final answer. Whatever the provider, refusal and
citations are decided here, outside the model.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator, Sequence

from langchain_core.embeddings import Embeddings

from rag.answering.assess import Evidence, assess, weigh
from rag.answering.cite import cite, refusal
from rag.answering.draft import draft
from rag.answering.draft.types import Drafted
from rag.answering.retrieve import Question, retrieve
from rag.answering.types import Answer
from rag.answering.verify import verify
from rag.errors import QueryError
from rag.keyword_index import Vocabulary
from rag.retrieval import Retriever, SearchFilters
from rag.settings import ANSWER_MODES, Settings
from rag.verification import Verifier


class AnswerService:
    """Answers questions with any provider; the same verification for all."""

    def __init__(
        self, settings: Settings, retriever: Retriever, embeddings: Embeddings, question_embeddings: Embeddings
    ) -> None:
        """``embeddings`` is the sentence model (ranking, verification); ``question_embeddings`` the
        second question model of the answerability model (e5)."""
        self.settings = settings
        self.retriever = retriever
        self.embeddings = embeddings
        self.question_embeddings = question_embeddings
        self.verifier = Verifier(embeddings)

    def ask(
        self,
        question: str,
        mode: str | None = None,
        k: int | None = None,
        filters: SearchFilters | None = None,
        history: Sequence[str] = (),
    ) -> Answer:
        answer: Answer | None = None
        for event in self.stream(question, mode, k, filters, history):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None
        return answer

    def stream(
        self,
        question: str,
        mode: str | None = None,
        k: int | None = None,
        filters: SearchFilters | None = None,
        history: Sequence[str] = (),
    ) -> Iterator[str | Answer]:
        """Yield text pieces as they are generated, then the verified ``Answer``."""
        mode = mode or self.settings.answer_mode
        if mode not in ANSWER_MODES:
            raise QueryError(f"unknown answer mode {mode!r}; choose from {', '.join(ANSWER_MODES)}")
        clock = StageClock()
        retrieved = retrieve(
            Question(question, k, filters, history), self.settings, self.retriever, self.embeddings, self.verifier
        )
        assessment = assess(retrieved, self.retriever.view(), self.question_embeddings, self.verifier)
        clock.lap("retrieval")
        if assessment.decision.refuse:
            answer = refusal(retrieved, assessment, mode)
            answer.timings = clock.stop("verification")
            yield answer.text
            yield answer
            return
        drafted = yield from clock.first_text(draft(mode, retrieved, assessment, self.settings))
        clock.lap("generation")
        verified = verify(drafted, retrieved, self.verifier)
        answer = cite(verified, retrieved, assessment, mode)
        answer.timings = clock.stop("verification")
        if mode == "extractive" or answer.notice:
            yield answer.text
        yield answer

    def weigh(self, question: str, reference: Vocabulary | None = None) -> Evidence:
        """What refusal weighs of ``question`` (retrieved as an answer would be), without the model's
        decision: the features a training run of the answerability model learns from, with word
        rarity from ``reference`` (default: the store's vocabulary)."""
        retrieved = retrieve(Question(question), self.settings, self.retriever, self.embeddings, self.verifier)
        return weigh(retrieved, self.retriever.view(), self.question_embeddings, reference)


class StageClock:
    """Seconds spent in the stages, as ``Answer.timings`` reports them: "retrieval" (retrieve and
    assess), "first_text", "generation" (draft), "verification" (verify and cite) and "total"."""

    def __init__(self) -> None:
        self.started = self.mark = time.perf_counter()
        self.timings: dict[str, float] = {}

    def lap(self, name: str) -> None:
        """Record under ``name`` the time since the previous lap."""
        now = time.perf_counter()
        self.timings[name] = now - self.mark
        self.mark = now

    def stop(self, name: str) -> dict[str, float]:
        """Record the last lap and the total; the timings."""
        self.lap(name)
        self.timings["total"] = self.mark - self.started
        return self.timings

    def first_text(self, drafting: Generator[str, None, Drafted]) -> Generator[str, None, Drafted]:
        """Pass the draft's text through, noting as "first_text" when the first piece came."""
        while True:
            try:
                piece = next(drafting)
            except StopIteration as done:
                return done.value
            self.timings.setdefault("first_text", time.perf_counter() - self.started)
            yield piece
