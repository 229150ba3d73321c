"""What answerability weighs: what a question asks for against what its retrieved passages give.

Unanswerable on-topic questions retrieve passages as similar as answerable ones do, so no single
score separates them (measured on the dev split). What does separate them is what the question
asks for and the passages lack: its rare words missing from the passages, a name or year no
document mentions, a figure or date the closest sentences do not give (or a date given for
something other than the asked actor), a question about the present day or about someone's
opinion. ``features`` measures these for the answerability model (``rag.answering.assess.model``).

How rare a word is comes from a fixed reference vocabulary (the training store's, kept with the
model), not from the store being asked: a store of three documents makes every word rarer and
more of them unknown, and the model, fitted on the whole corpus, would then refuse what it answers
there. A word counts as unknown when neither the reference nor the store has it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.answering.assess import kinds, names
from rag.glossary import expansions
from rag.keyword_index import Vocabulary, tokenize

# The passages whose words count as "what the evidence says" (the hits shown first).
COVERAGE_PASSAGES = 3
# The best sentences whose words count as "what the answer would say".
COVERAGE_SENTENCES = 3
# The best sentences that must give the figure or date a question asks for.
QUANTITY_SENTENCES = 5

_QUESTION_STEMS = frozenset(tokenize("what which who whom whose when where why how does did do is are was were"))


FEATURES = (
    "evidence",
    "evidence_top3",
    "coverage",
    "sentence_coverage",
    "uncovered_max_idf",
    "unseen_terms",
    "unknown_names",
    "unseen_year",
    "figure_missing",
    "count_missing",
    "date_missing",
    "actor_undated",
    "asks_status",
    "asks_opinion",
    "asks_person",
    "asks_practice",
)


def _content_stems(question: str) -> list[str]:
    return [s for s in dict.fromkeys(tokenize(question)) if s not in _QUESTION_STEMS and not s.isdigit()]


def features(
    question: str,
    best_sentences: Sequence[str],
    scores: Sequence[float],
    evidence_texts: Sequence[str],
    vocabulary: Vocabulary,
    corpus_lower: str,
    missing_names: Sequence[str],
    store_vocabulary: Vocabulary | None = None,
    name_words: frozenset[str] = frozenset(),
) -> dict[str, float]:
    """The answerability features of ``question`` given its best sentences (with their scores), the
    text of its top passages (with their plain terms), the reference ``vocabulary`` (word rarity),
    the whole corpus, the names it uses that no document mentions (``names.unknown_names``,
    computed once by the caller: it scans the corpus) and the store's own vocabulary, whose words
    are not unknown either. ``name_words`` are the stems of the question's words inside a document's
    name (``names.document_name_words``): one that no text has ("ra" of "RA 10175", the Philippine
    act's short name) names the document, which retrieval searched, and is no word the passages miss."""
    stems = [s for s in _content_stems(question) if s not in name_words or not _unseen(s, vocabulary, store_vocabulary)]
    said = set(tokenize(" ".join(evidence_texts[:COVERAGE_PASSAGES]) + " " + " ".join(expansions(question))))
    weights = {s: vocabulary.idf(s) for s in stems}
    uncovered = [s for s in stems if s not in said]
    total = sum(weights.values())
    best = list(best_sentences[:QUANTITY_SENTENCES])
    in_best = set(tokenize(" ".join(best_sentences[:COVERAGE_SENTENCES])))
    asks_figure = bool(kinds.QUANTITY_QUESTION_RE.search(question))
    asks_date = bool(kinds.PAST_DATE_QUESTION_RE.search(question))
    return {
        "evidence": scores[0] if scores else 0.0,
        "evidence_top3": sum(scores[:3]) / 3 if scores else 0.0,
        "coverage": 1.0 - (sum(weights[s] for s in uncovered) / total if total else 0.0),
        "sentence_coverage": sum(weights[s] for s in stems if s in in_best) / total if total else 1.0,
        "uncovered_max_idf": max((weights[s] for s in uncovered), default=0.0),
        "unseen_terms": float(min(3, sum(1 for s in stems if _unseen(s, vocabulary, store_vocabulary)))),
        "unknown_names": float(min(2, len(missing_names))),
        "unseen_year": float(any(year not in corpus_lower for year in kinds.YEAR_RE.findall(question))),
        "figure_missing": float(asks_figure and not any(kinds.QUANTITY_RE.search(s) for s in best)),
        "count_missing": float(asks_figure and not kinds.counts_the_asked_noun(question, best)),
        "date_missing": float(asks_date and not any(kinds.DATE_RE.search(s) for s in best)),
        "actor_undated": float(asks_date and _actor_undated(question, best)),
        "asks_status": float(bool(kinds.STATUS_RE.search(question))),
        "asks_opinion": float(bool(kinds.OPINION_RE.search(question))),
        "asks_person": float(bool(kinds.PERSON_RE.search(question))),
        "asks_practice": float(bool(kinds.PRACTICE_RE.search(question))),
    }


def _unseen(stem: str, reference: Vocabulary, store: Vocabulary | None) -> bool:
    """No text of the reference vocabulary, nor of the store, has ``stem``."""
    return reference.document_frequency.get(stem, 0) == 0 and (
        store is None or store.document_frequency.get(stem, 0) == 0
    )


# A capitalised name inside the question ("the United States", "the Conference of the States Parties").
_ACTOR_RE = re.compile(r"(?<!^)(?<![.?!] )\b[A-Z][\w’'-]+(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w’'-]+)*")


def _actor_undated(question: str, best: Sequence[str]) -> bool:
    """For "when did X ...": does no dated best sentence name X? The Budapest Convention's own date
    does not say when the United States signed it. Documents' own names and generic words are not actors.
    """
    actors = [
        name
        for name in _ACTOR_RE.findall(question)
        if not names.is_document_alias(name) and name.lower() not in names.GENERIC_NAMES
    ]
    dated = " ".join(s.lower() for s in best if kinds.DATE_RE.search(s))
    return any(actor.lower() not in dated for actor in actors)
