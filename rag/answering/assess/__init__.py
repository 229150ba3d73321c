"""The assess stage: whether the documents answer the question, worked out once and handed on.

It looks up the names the question relies on (``names``), measures what it asks for against what
the best sentences give (``features``, ``kinds``), asks the answerability model (``model``) and
decides (``decision``). For a question it answers, it also checks the premise the question takes
for granted (``premise``) and words the remark on a quoted source the documents do not record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from langchain_core.embeddings import Embeddings

from rag.answering.assess.decision import RefusalDecision, decide
from rag.answering.assess.features import features
from rag.answering.assess.kinds import asks_only_for_named_provision
from rag.answering.assess.model import AnswerabilityModel, load_model
from rag.answering.assess.names import document_name_words, source_recorded, unknown_names
from rag.answering.assess.premise import NOTHING_CONTRADICTED, PremiseCheck, check_premise
from rag.answering.retrieve import Retrieved
from rag.keyword_index import Vocabulary
from rag.retrieval import CorpusView
from rag.verification import Verifier


@dataclass(frozen=True)
class Evidence:
    """What refusal weighs of a question and its retrieved passages.

    The features are measured when first read: a decision reads one of the two sets (the model for
    the lead document reads the passages' plain terms or not), training reads both."""

    # rag.answering.assess.features.features, counting the passages' plain terms (True) or not
    measure: Callable[[bool], dict[str, float]]
    question_vector: list[float]  # the answerability model's: MiniLM and e5 vectors of the query, joined
    missing_names: list[str]  # names the question relies on that no document mentions
    # The question asks what a provision it names says, and retrieval found that provision.
    asks_for_named_provision: bool

    @cached_property
    def values(self) -> dict[str, float]:
        """The features, with the passages' plain terms counted as what they say."""
        return self.measure(True)

    @cached_property
    def own_text_values(self) -> dict[str, float]:
        """The features, with the passages' own text alone (no plain terms)."""
        return self.measure(False)

    def values_for(self, model: AnswerabilityModel) -> dict[str, float]:
        """The features ``model`` reads: counting the passages' plain terms or not (``reads_plain_terms``)."""
        return self.values if model.reads_plain_terms else self.own_text_values


@dataclass(frozen=True)
class Assessment:
    """The assess stage's result: the evidence, the model's probability and the decision; for a
    question that is answered, the premise check and the remark that follows the answer."""

    evidence: Evidence
    probability: float  # the answerability model's, that the passages answer the question
    decision: RefusalDecision
    remark: str | None = None
    premise: PremiseCheck = NOTHING_CONTRADICTED


def weigh(
    retrieved: Retrieved, view: CorpusView, question_embeddings: Embeddings, reference: Vocabulary | None = None
) -> Evidence:
    """The evidence refusal weighs: the answerability features of the question as asked, the
    model's vector of the query (``question_embeddings`` is its second question model, e5) and the
    names of the question that no document of ``view`` mentions. Word rarity is read from
    ``reference`` (the answerability model's vocabulary) united with the store's, so that an upload's
    own words are as rare as they are in it rather than unknown; from the store alone when there is
    no reference."""
    reading = retrieved.reading
    candidates = retrieved.candidates
    hits = [p.passage for p in retrieved.passages if not p.supporting]
    missing_names = unknown_names(reading.relied_on, view.corpus_text, view.registry)
    rarity = reference.united_with(view.vocabulary) if reference else view.vocabulary
    name_words = document_name_words(reading.asked, view.registry)

    def measure(plain_terms: bool) -> dict[str, float]:
        sentences, scores = [c.text for c in candidates], [c.score for c in candidates]
        texts = [p.text + (" " + view.plain_terms_by_id.get(p.id, "") if plain_terms else "") for p in hits]
        return features(
            reading.asked,
            sentences,
            scores,
            texts,
            rarity,
            view.corpus_lower,
            missing_names,
            view.vocabulary,
            name_words,
        )

    question_vector = retrieved.query_vector + question_embeddings.embed_query(retrieved.query)
    provision_request = retrieved.found_named_provision and asks_only_for_named_provision(reading.asked, view.registry)
    return Evidence(measure, question_vector, missing_names, provision_request)


def assess(retrieved: Retrieved, view: CorpusView, question_embeddings: Embeddings, verifier: Verifier) -> Assessment:
    """Check the premise the question takes for granted (``check_premise``, the asserted claim put to
    ``verifier``) and decide, with the committed answerability model, whether to refuse
    (``decide_refusal``). For a question that is answered, word the remark on the source it quotes."""
    reading = retrieved.reading
    premise = premise_of_retrieved(retrieved, view, verifier)
    evidence, probability, decision = decide_refusal(
        retrieved, view, question_embeddings, load_model(), premise.settles_refusal
    )
    if decision.refuse:
        return Assessment(evidence, probability, decision)
    recorded = reading.source is not None and source_recorded(reading.source, view.corpus_text, view.registry)
    return Assessment(evidence, probability, decision, reading.remark(recorded), premise)


def premise_of_retrieved(retrieved: Retrieved, view: CorpusView, verifier: Verifier) -> PremiseCheck:
    """Whether the retrieved sentences contradict what the question takes for granted (``check_premise``)."""
    reading = retrieved.reading
    sentences = [c.text for c in retrieved.candidates]
    return check_premise(
        reading.premise,
        retrieved.query,
        sentences,
        view.corpus_text,
        view.registry,
        claim=reading.asserted,
        verifier=verifier,
    )


def decide_refusal(
    retrieved: Retrieved,
    view: CorpusView,
    question_embeddings: Embeddings,
    trained: AnswerabilityModel,
    premise_settles: bool,
) -> tuple[Evidence, float, RefusalDecision]:
    """Weigh the evidence (``weigh``) and decide with ``trained`` (its features-only model, reading the
    passages' own text, when the first passage comes from a document it was not trained on): the
    evidence, the probability that the passages answer the question, and the decision.
    ``premise_settles``: the passages' wording contradicts the premise on its topic
    (``PremiseCheck.settles_refusal``), so the question is answered by the correction."""
    evidence = weigh(retrieved, view, question_embeddings, trained.vocabulary)
    model = trained.for_document(lead_document_hash(retrieved, view))
    values = evidence.values_for(model)
    probability = model.probability(values, evidence.question_vector)
    decision = decide(
        values,
        evidence.missing_names,
        probability,
        model.threshold,
        evidence.asks_for_named_provision,
        premise_settles,
    )
    return evidence, probability, decision


def lead_document_hash(retrieved: Retrieved, view: CorpusView) -> str:
    """The content hash of the document of the first passage retrieved, "" when there is none."""
    lead = next((p.passage for p in retrieved.passages if not p.supporting), None)
    entry = view.manifest.get(lead.doc_id) if lead is not None else None
    return entry.doc_hash if entry is not None else ""
