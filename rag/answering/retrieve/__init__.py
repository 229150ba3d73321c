"""The retrieve stage: read the question, search for what it asks, rank the passages' sentences.

A question quoting someone is searched by its claim (``claims.read_question``), so the quoted
source does not steer retrieval (unless the documents record it as a speaker: then it is searched
with the claim); a follow-up carries the previous question's topic
(``conversation``); a broad question (``asks_broadly``) gets ``BROAD_EXTRA_PASSAGES`` more
passages unless ``k`` is given. The sentences of the hits are then scored against the query
(``ranking``): those of a provision the question names, when retrieval found it by that name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from rag.answering.retrieve.claims import QuestionReading, read_question
from rag.answering.retrieve.conversation import contextualize
from rag.answering.retrieve.ranking import Candidate, rank_sentences
from rag.retrieval import Retriever, SearchFilters, asks_broadly
from rag.settings import Settings
from rag.types import ScoredPassage
from rag.verification import Verifier

# A broad question ("could it be used against journalists?") is answered from this many more
# passages than the default k, so that each provision it needs can lend a sentence.
BROAD_EXTRA_PASSAGES = 3


@dataclass(frozen=True)
class Question:
    """A question as asked: its text, how many passages to retrieve (None: as the settings say),
    the filters on them, and the conversation's earlier questions."""

    text: str
    k: int | None = None
    filters: SearchFilters | None = None
    history: Sequence[str] = ()


@dataclass(frozen=True)
class Retrieved:
    """A question read, its retrieval query, the passages found and their sentences ranked."""

    reading: QuestionReading
    query: str  # the asked part, made standalone by the conversation
    broad: bool
    passages: list[ScoredPassage]
    # The sentences of the hits, best first: of the named provisions only when retrieval found some.
    candidates: list[Candidate]
    query_vector: list[float]  # the sentence model's vector of ``query``
    # Retrieval found a provision the question names ("article 29"); they rank first.
    found_named_provision: bool


def retrieve(
    question: Question, settings: Settings, retriever: Retriever, embeddings: Embeddings, verifier: Verifier
) -> Retrieved:
    """Read ``question``, retrieve passages for what it asks, and rank their sentences with the
    sentence model (``embeddings``), whose vectors of the stored sentences ``verifier`` then holds."""
    reading = read_question(question.text, retriever.view().registry)
    query = contextualize(reading.asked, question.history)
    broad = asks_broadly(query)
    k = question.k
    if k is None:
        k = min(settings.top_k + (BROAD_EXTRA_PASSAGES if broad else 0), settings.max_k)
    passages = retriever.search(contextualize(reading.searched, question.history), k, question.filters)
    _preload_sentences(passages, retriever, verifier)
    # A question that names a provision ("what does article 29 provide?") is answered from it.
    # Named provisions rank first, so they are a prefix of ``passages`` and indices still agree.
    named = [p for p in passages if not p.supporting and any(r.startswith("names ") for r in p.reasons)]
    query_vector = embeddings.embed_query(query)
    candidates = rank_sentences(query, named or passages, verifier, np.asarray(query_vector))
    return Retrieved(reading, query, broad, passages, candidates, query_vector, bool(named))


def _preload_sentences(passages: list[ScoredPassage], retriever: Retriever, verifier: Verifier) -> None:
    """Hand the verifier the stored vectors of the passages' sentences, so none is embedded again."""
    by_id = {p.passage.id: p.passage.text for p in passages}
    stored = retriever.store.sentence_vectors(list(by_id))
    verifier.preload({by_id[pid]: value for pid, value in stored.items()})
