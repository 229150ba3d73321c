"""From a question to a verified answer: retrieve, decide, draft, verify, cite.

``AnswerService.stream`` yields the answer's text as it is produced and, last, the final
``Answer``; ``ask`` returns only the final answer. Whatever the provider, refusal and
citations are decided here, outside the model.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from rag.answering import answerability, refusal
from rag.answering.attribution import CitationBook, attribute
from rag.answering.claims import QuestionReading, read_question
from rag.answering.context import context_for
from rag.answering.conversation import contextualize
from rag.answering.drafting import Draft, backed_direct, draft, schema_for
from rag.answering.extractive import PREMISE_CORRECTION, Candidate, extractive_drafts, rank_sentences
from rag.answering.generative import build_chat_model
from rag.answering.premise import Contradiction, contradicted_premise, unknown_premise_names
from rag.answering.types import Answer
from rag.errors import ModelUnavailableError, QueryError
from rag.prompts import ANSWER_PROMPT, SCHEMA_ANSWER_PROMPT
from rag.retrieval import Retriever, SearchFilters, asks_broadly
from rag.settings import ANSWER_MODES, Settings
from rag.types import ScoredPassage
from rag.verification import Verifier

log = logging.getLogger(__name__)

# A broad question ("could it be used against journalists?") is answered from this many more
# passages than the default k, so that each provision it needs can lend a sentence.
BROAD_EXTRA_PASSAGES = 3


@dataclass(frozen=True)
class Evidence:
    """What ``AnswerService.evidence`` finds for a question in its retrieved passages."""

    candidates: list[Candidate]
    values: dict[str, float]  # rag.answering.answerability.features
    question_vector: list[float]  # the answerability model's: MiniLM and e5 vectors of the query, joined
    missing_names: list[str]
    # The question asks what a provision it names says, and retrieval found that provision.
    asks_for_named_provision: bool


@dataclass(frozen=True)
class Gathered:
    """A question read (``QuestionReading``), its retrieval query, passages and evidence."""

    reading: QuestionReading
    query: str
    broad: bool
    passages: list[ScoredPassage]
    evidence: Evidence


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
        started = time.perf_counter()
        gathered = self.gather(question, k, filters, history)
        passages, found = gathered.passages, gathered.evidence
        retrieved = time.perf_counter()
        timings = {"retrieval": retrieved - started}
        candidates = found.candidates
        model = answerability.load_model()
        probability = model.probability(found.values, found.question_vector)
        decision = refusal.decide(
            found.values, found.missing_names, probability, model.threshold, found.asks_for_named_provision
        )
        if decision.refuse:
            timings["verification"] = time.perf_counter() - retrieved
            timings["total"] = time.perf_counter() - started
            answer = Answer(question, mode, [], [], passages, True, timings, decision.reason, decision.probability)
            yield answer.text
            yield answer
            return
        source = gathered.reading.source
        remark = gathered.reading.remark(
            source is not None and refusal.source_recorded(source, self.retriever.view().corpus_text)
        )

        notice = None
        generation_started = time.perf_counter()
        if mode == "extractive":
            contradiction, correction = self._premise_check(gathered)
            lead = contradiction.sentence if contradiction else None
            drafted = Draft(None, extractive_drafts(candidates, passages, lead, gathered.broad, correction))
        else:
            try:
                drafting = self._generate(mode, question, passages, candidates)
                drafted = yield from first_text_timed(drafting, timings, started)
            except ModelUnavailableError as error:
                notice = f"The {mode} model is unavailable ({error}); this answer is extractive."
                drafted = Draft(None, extractive_drafts(candidates, passages))
            except Exception as error:  # a server or model failure must not lose the question
                log.warning("generation failed: %s", type(error).__name__)
                notice = f"The {mode} model failed ({type(error).__name__}); this answer is extractive."
                drafted = Draft(None, extractive_drafts(candidates, passages))
        verification_started = time.perf_counter()
        timings["generation"] = verification_started - generation_started
        sentences, citations = attribute(drafted.sentences, passages, self.verifier, CitationBook())
        model_verified = mode != "extractive" and notice is None and any(s.supported for s in sentences)
        if mode != "extractive" and not drafted.declined and not any(s.supported for s in sentences):
            # The model wrote nothing the passages support, yet the evidence is there: show it.
            notice = "The model's sentences could not be verified against the sources; the answer quotes them instead."
            sentences, citations = attribute(extractive_drafts(candidates, passages), passages, self.verifier)
        direct = backed_direct(drafted.direct, sentences, citations, passages, model_verified)
        timings["verification"] = time.perf_counter() - verification_started
        timings["total"] = time.perf_counter() - started
        refused = drafted.declined or not any(s.supported for s in sentences)
        answer = Answer(
            question, mode, sentences, citations, passages, refused, timings, notice, probability, direct, remark
        )
        if mode == "extractive" or notice:
            yield answer.text
        yield answer

    def _premise_check(self, gathered: Gathered) -> tuple[Contradiction | None, str]:
        """Whether the best sentences contradict what the question takes for granted, and the words
        that say so: a premise naming what no document mentions, or ``contradicted_premise``."""
        candidates = gathered.evidence.candidates
        premise = gathered.reading.premise
        if premise and candidates:
            names = refusal.unknown_names(premise, self.retriever.view().corpus_text)
            if names:
                return Contradiction(0, "the premise names what no document mentions"), unknown_premise_names(names)
        contradiction = contradicted_premise(gathered.query, [c.text for c in candidates])
        return contradiction, PREMISE_CORRECTION

    def gather(
        self,
        question: str,
        k: int | None = None,
        filters: SearchFilters | None = None,
        history: Sequence[str] = (),
    ) -> Gathered:
        """Read the question, retrieve for what it asks, and weigh the evidence.

        A question quoting someone is searched and weighed by its claim (``read_question``), so the
        quoted source neither steers retrieval nor counts as a name the question relies on. A broad
        question (``asks_broadly``) gets ``BROAD_EXTRA_PASSAGES`` more passages unless ``k`` is given.
        """
        reading = read_question(question)
        query = contextualize(reading.asked, history)
        broad = asks_broadly(query)
        if k is None:
            k = self.settings.top_k + (BROAD_EXTRA_PASSAGES if broad else 0)
            k = min(k, self.settings.max_k)
        passages = self.retriever.search(query, k, filters)
        self._preload_sentences(passages)
        found = self.evidence(reading.asked, query, passages, reading.relied_on)
        return Gathered(reading, query, broad, passages, found)

    def evidence(
        self, question: str, query: str, passages: list[ScoredPassage], relied_on: str | None = None
    ) -> Evidence:
        """The passages' sentences ranked against ``query``, and what refusal weighs: the
        answerability features of ``question``, the answerability model's vector of ``query`` and
        the names of ``relied_on`` (default: ``question``) that no document mentions.

        ``query`` is the question made standalone by the conversation; refusal reads the question
        as asked. Sentence vectors must be preloaded (``_preload_sentences``).
        """
        # A question that names a provision ("what does article 29 provide?") is answered from it.
        # Named provisions rank first, so they are a prefix of ``passages`` and indices still agree.
        named = [p for p in passages if not p.supporting and any(r.startswith("names ") for r in p.reasons)]
        query_vector = self.embeddings.embed_query(query)
        candidates = rank_sentences(query, named or passages, self.verifier, np.asarray(query_vector))
        view = self.retriever.view()
        hits = [p.passage for p in passages if not p.supporting]
        missing_names = refusal.unknown_names(question if relied_on is None else relied_on, view.corpus_text)
        values = answerability.features(
            question,
            [c.text for c in candidates],
            [c.score for c in candidates],
            [p.text + " " + view.plain_terms_by_id.get(p.id, "") for p in hits],
            view.vocabulary,
            view.corpus_lower,
            missing_names,
        )
        question_vector = query_vector + self.question_embeddings.embed_query(query)
        provision_request = bool(named) and refusal.asks_only_for_named_provision(question)
        return Evidence(candidates, values, question_vector, missing_names, provision_request)

    def _preload_sentences(self, passages: list[ScoredPassage]) -> None:
        by_id = {p.passage.id: p.passage.text for p in passages}
        stored = self.retriever.store.sentence_vectors(list(by_id))
        self.verifier.preload({by_id[pid]: value for pid, value in stored.items()})

    def _generate(
        self, mode: str, question: str, passages: list[ScoredPassage], candidates: list[Candidate]
    ) -> Generator[str, None, Draft]:
        """Stream the model's readable draft; return what it drafted.

        The local model fills the answer schema (unless ``local_drafting`` is "free"); a capable
        model writes free text with ``[n]`` markers. Each sees the passages its budget allows.
        """
        model = build_chat_model(self.settings, mode)
        context = context_for(mode, passages, candidates, self.settings)
        schema = schema_for(mode, self.settings, context.size)
        prompt = SCHEMA_ANSWER_PROMPT if schema is not None else ANSWER_PROMPT
        messages = prompt.format_messages(passages=context.numbered, question=question)
        return (yield from draft(model, messages, context, passages, schema))


def first_text_timed(
    drafting: Generator[str, None, Draft], timings: dict[str, float], started: float
) -> Generator[str, None, Draft]:
    """Pass the draft's text through, noting in ``timings["first_text"]`` when the first piece came."""
    while True:
        try:
            piece = next(drafting)
        except StopIteration as done:
            return done.value
        timings.setdefault("first_text", time.perf_counter() - started)
        yield piece
