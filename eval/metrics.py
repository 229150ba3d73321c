"""Evaluation metrics as pure functions (no models, no I/O).

Retrieval metrics take, for one question, the ranked retrieved results already reduced to
*which gold entries each result matches* (``matched[i]`` is the set of gold indices that the
result at rank ``i + 1`` matches) and the number of gold entries.  Answer metrics take the
support judge as an injected callable ``supports(sentence, passage_texts) -> bool`` so that
they can be tested with hand-written judges.

Every function's docstring names where the definition comes from.
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

#: ``supports(sentence, passage_texts)``: do these passages, read together, support the sentence?
SupportsFn = Callable[[str, list[str]], bool]

Matches = Sequence[set[int] | frozenset[int]]


# --------------------------------------------------------------------------- gold matching


def passage_matches_gold(
    doc: str,
    article: str | None,
    paragraphs: Sequence[str],
    gold_doc: str,
    gold_article: str | None = None,
    gold_paragraph: str | None = None,
) -> bool:
    """Does a passage (``doc``, ``article``, ``paragraphs``) match one gold entry?

    The project's gold rule (see ``eval/dataset.py``): the document is the same, and the
    gold has no article or the article is the same, and the gold has no paragraph or the
    paragraph is among the passage's paragraph numbers or the passage carries no paragraph
    numbers but covers the (gold) article.  For documents without articles (the notes, the
    resolution) the gold paragraph is document-level and is looked up in ``paragraphs``;
    a document-only gold entry (the news report) matches any passage of the document.
    """
    if doc != gold_doc:
        return False
    if gold_article is not None and article != gold_article:
        return False
    if gold_paragraph is None:
        return True
    if gold_paragraph in paragraphs:
        return True
    # A passage without paragraph numbers that covers the gold article (its article equals
    # the gold article, checked above) holds every paragraph of it.
    return gold_article is not None and not paragraphs


# --------------------------------------------------------------------------- retrieval


def item_recall_at_k(matched: Matches, n_gold: int, k: int) -> float:
    """Share of the question's gold entries matched by at least one of the top ``k`` results.

    Source: the usual recall@k of IR evaluation (Manning, Raghavan & Schuetze, *Introduction
    to Information Retrieval*, ch. 8), taken over gold entries ("items") rather than passages,
    as in multi-hop retrieval evaluations; averaged over questions by the caller.
    """
    if n_gold <= 0:
        raise ValueError("recall is undefined for a question without gold entries")
    found: set[int] = set()
    for hit in matched[:k]:
        found |= hit
    return len(found & set(range(n_gold))) / n_gold


def full_recall_at_k(matched: Matches, n_gold: int, k: int) -> float:
    """1.0 when *every* gold entry is matched within the top ``k`` results, else 0.0.

    Source: "full recall" / all-supporting-facts recall, as reported for multi-hop QA
    retrieval (e.g. HotpotQA-style "EM over supporting documents"; Yang et al. 2018); the
    mean over questions is the share of questions retrieved completely.
    """
    return 1.0 if item_recall_at_k(matched, n_gold, k) == 1.0 else 0.0


def reciprocal_rank(matched: Matches, k: int | None = None) -> float:
    """1 / rank of the first result that matches any gold entry (0 when none does).

    Source: mean reciprocal rank, Voorhees, "The TREC-8 Question Answering Track Report"
    (1999); the mean over questions is the MRR.  ``k`` optionally cuts the list (MRR@k).
    """
    ranked = matched if k is None else matched[:k]
    for rank, hit in enumerate(ranked, start=1):
        if hit:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(matched: Matches, n_gold: int, k: int) -> float:
    """nDCG@k with binary relevance.

    Source: Jaervelin & Kekaelaeinen, "Cumulated gain-based evaluation of IR techniques"
    (ACM TOIS 2002), with the log2(rank + 1) discount.  A result has gain 1 when it matches
    a gold entry that no higher-ranked result has matched yet (so several passages of one
    gold article are not rewarded twice), else 0; the ideal ranking places one result per
    gold entry first, so IDCG = sum over i = 1..min(k, n_gold) of 1 / log2(i + 1).
    """
    if n_gold <= 0:
        raise ValueError("nDCG is undefined for a question without gold entries")
    seen: set[int] = set()
    dcg = 0.0
    for rank, hit in enumerate(matched[:k], start=1):
        new = set(hit) - seen
        if new:
            dcg += 1.0 / math.log2(rank + 1)
            seen |= new
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(k, n_gold) + 1))
    return dcg / ideal if ideal else 0.0


# --------------------------------------------------------------------------- spans

Span = tuple[str, int, int]  # (doc, start, end), end exclusive


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Union of ``[start, end)`` character spans, per document, as sorted disjoint spans."""
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for doc, start, end in spans:
        if end > start:
            by_doc.setdefault(doc, []).append((start, end))
    merged: list[Span] = []
    for doc in sorted(by_doc):
        current: list[int] | None = None
        for start, end in sorted(by_doc[doc]):
            if current is not None and start <= current[1]:
                current[1] = max(current[1], end)
                continue
            if current is not None:
                merged.append((doc, current[0], current[1]))
            current = [start, end]
        if current is not None:
            merged.append((doc, current[0], current[1]))
    return merged


def span_length(spans: Iterable[Span]) -> int:
    """Characters covered by the union of the spans."""
    return sum(end - start for _, start, end in merge_spans(spans))


def span_overlap(first: Iterable[Span], second: Iterable[Span]) -> int:
    """Characters covered by both unions (same document, intersecting offsets)."""
    a, b = merge_spans(first), merge_spans(second)
    total = 0
    for doc, start, end in a:
        for doc2, start2, end2 in b:
            if doc == doc2:
                total += max(0, min(end, end2) - max(start, start2))
    return total


def span_precision_recall(retrieved: Iterable[Span], gold: Iterable[Span]) -> tuple[float, float]:
    """Character-level precision and recall of retrieved spans against gold evidence spans.

    Source: Pipitone & Houir Alami, "LegalBench-RAG: A Benchmark for Retrieval-Augmented
    Generation in the Legal Domain" (2024): precision = overlapping characters / retrieved
    characters, recall = overlapping characters / gold characters.  Overlapping retrieved
    spans (e.g. chunks with an overlap) are counted once (the union).  Returns 0.0 for a
    zero denominator.
    """
    retrieved, gold = list(retrieved), list(gold)
    overlap = span_overlap(retrieved, gold)
    retrieved_chars = span_length(retrieved)
    gold_chars = span_length(gold)
    precision = overlap / retrieved_chars if retrieved_chars else 0.0
    recall = overlap / gold_chars if gold_chars else 0.0
    return precision, recall


# --------------------------------------------------------------------------- citations


@dataclass(frozen=True)
class CitationScores:
    """ALCE citation scores of one answer."""

    recall: float
    precision: float
    sentences: int
    citations: int


def alce_citation_scores(sentences: Sequence[tuple[str, Sequence[str | None]]], supports: SupportsFn) -> CitationScores:
    """ALCE citation recall and precision of one answer.

    Source: Gao et al., "Enabling Large Language Models to Generate Text with Citations"
    (EMNLP 2023), and its reference code (``compute_autoais``).  ``sentences`` holds each
    answer sentence with the texts of the passages it cites (``None`` for a citation that
    points at nothing, which makes the sentence unsupported, as ALCE does for an out-of-range
    citation).

    - A sentence's citation recall is 1 when the concatenation of its cited passages
      supports it (0 when it cites nothing); the answer's recall is the mean over sentences.
    - A citation is *irrelevant* when it neither supports the sentence alone nor is needed
      (removing it, the rest still supports the sentence).  As in the reference code, the
      citations of a sentence whose cited passages do not jointly support it all count as
      imprecise, and a single citation is precise exactly when it supports the sentence.
      The answer's precision is precise citations / all citations (0 with no citations).
    """
    if not sentences:
        return CitationScores(0.0, 0.0, 0, 0)
    supported_sentences = 0
    precise = 0
    total_citations = 0
    for sentence, cited in sentences:
        total_citations += len(cited)
        if not cited or any(text is None for text in cited):
            joint = False
        else:
            joint = supports(sentence, [str(t) for t in cited])
        supported_sentences += int(joint)
        if not joint:
            continue
        if len(cited) == 1:
            precise += 1
            continue
        texts = [str(t) for t in cited]
        for index, text in enumerate(texts):
            if supports(sentence, [text]):
                precise += 1
                continue
            rest = texts[:index] + texts[index + 1 :]
            if not supports(sentence, rest):
                precise += 1  # needed: without it the rest does not support the sentence
    return CitationScores(
        recall=supported_sentences / len(sentences),
        precision=precise / total_citations if total_citations else 0.0,
        sentences=len(sentences),
        citations=total_citations,
    )


def faithfulness(sentences: Sequence[str], context: Sequence[str], supports: SupportsFn) -> float:
    """Share of answer sentences supported by the passages given to the answerer.

    Source: the faithfulness score of RAGAS (Es et al., "RAGAS: Automated Evaluation of
    Retrieval Augmented Generation", EACL 2024 demo): claims inferable from the context /
    all claims, with answer sentences as the claims and the injected judge deciding
    "inferable" against the whole context.  0.0 for an answer without sentences.
    """
    if not sentences:
        return 0.0
    texts = list(context)
    return sum(1 for s in sentences if texts and supports(s, texts)) / len(sentences)


# --------------------------------------------------------------------------- refusals


@dataclass(frozen=True)
class RefusalScores:
    """Refusal treated as the positive class of a detector of unanswerable questions."""

    precision: float | None
    recall: float | None
    f1: float | None
    true_positives: int
    refused: int
    unanswerable: int
    false_refusals: int  # answerable questions refused


def refusal_scores(refused: Sequence[bool], answerable: Sequence[bool]) -> RefusalScores:
    """Refusal precision and recall.

    Source: precision/recall of abstention as in selective QA, e.g. Rajpurkar et al.,
    "Know What You Don't Know: Unanswerable Questions for SQuAD" (2018) and the abstention
    metrics of Kamath et al. (2020): precision = refused unanswerable / all refusals,
    recall = refused unanswerable / all unanswerable.  ``None`` where a denominator is 0.
    """
    if len(refused) != len(answerable):
        raise ValueError("refused and answerable must have the same length")
    tp = sum(1 for r, a in zip(refused, answerable, strict=True) if r and not a)
    n_refused = sum(1 for r in refused if r)
    n_unanswerable = sum(1 for a in answerable if not a)
    precision = tp / n_refused if n_refused else None
    recall = tp / n_unanswerable if n_unanswerable else None
    f1 = None
    if precision is not None and recall is not None:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return RefusalScores(precision, recall, f1, tp, n_refused, n_unanswerable, n_refused - tp)


# --------------------------------------------------------------------------- answer text

_ARTICLES_RE = re.compile(r"\b(a|an|the)\b")
_PUNCT_TABLE = str.maketrans("", "", string.punctuation + "\u2018\u2019\u201c\u201d\u2013\u2014")


def normalize_answer(text: str) -> str:
    """SQuAD answer normalisation: lower case, no punctuation, no articles, single spaces.

    Source: the official SQuAD v1.1 evaluation script (Rajpurkar et al. 2016).
    """
    text = text.lower().translate(_PUNCT_TABLE)
    text = _ARTICLES_RE.sub(" ", text)
    return " ".join(text.split())


def answer_tokens(text: str) -> list[str]:
    """Tokens of :func:`normalize_answer` output."""
    return normalize_answer(text).split()


def token_f1(prediction: str, reference: str) -> float:
    """Bag-of-tokens F1 between a prediction and a reference answer.

    Source: the SQuAD v1.1 evaluation script (Rajpurkar et al. 2016), ``f1_score``.
    Two empty answers score 1.0; one empty answer scores 0.0.
    """
    pred, ref = answer_tokens(prediction), answer_tokens(reference)
    if not pred or not ref:
        return 1.0 if pred == ref else 0.0
    common = Counter(pred) & Counter(ref)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision, recall = same / len(pred), same / len(ref)
    return 2 * precision * recall / (precision + recall)


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence of two token sequences (O(len(a)*len(b)))."""
    if not a or not b:
        return 0
    previous = [0] * (len(b) + 1)
    for token in a:
        current = [0]
        for j, other in enumerate(b, start=1):
            current.append(previous[j - 1] + 1 if token == other else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


def rouge_l_recall(prediction: str, reference: str) -> float:
    """ROUGE-L recall: LCS(prediction, reference) / reference length, in tokens.

    Source: Lin, "ROUGE: A Package for Automatic Evaluation of Summaries" (2004), R_lcs,
    over SQuAD-normalised tokens (no stemming).  0.0 for an empty reference.
    """
    pred, ref = answer_tokens(prediction), answer_tokens(reference)
    if not ref:
        return 0.0
    return lcs_length(pred, ref) / len(ref)


# --------------------------------------------------------------------------- latency & means


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) with linear interpolation between closest ranks.

    Source: Hyndman & Fan, "Sample Quantiles in Statistical Packages" (1996), definition 7
    (the default of NumPy and R).  Raises ``ValueError`` on an empty sequence.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError("q must be between 0 and 100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_summary(seconds: Sequence[float]) -> dict[str, float | int | None]:
    """p50, p95, mean and max of latencies in seconds (p50/p95 per :func:`percentile`)."""
    if not seconds:
        return {"n": 0, "p50": None, "p95": None, "mean": None, "max": None}
    return {
        "n": len(seconds),
        "p50": percentile(seconds, 50),
        "p95": percentile(seconds, 95),
        "mean": sum(seconds) / len(seconds),
        "max": max(seconds),
    }


def mean(values: Iterable[float]) -> float | None:
    """Arithmetic mean, ``None`` for no values."""
    items = list(values)
    return sum(items) / len(items) if items else None


# --------------------------------------------------------------------------- judge agreement


@dataclass(frozen=True)
class BinaryScores:
    """Agreement of binary predictions with labels, "supported" being the positive class."""

    n: int
    accuracy: float | None
    precision: float | None
    recall: float | None
    f1: float | None
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int


def binary_scores(predicted: Sequence[bool], labels: Sequence[bool]) -> BinaryScores:
    """Accuracy, precision, recall and F1 of binary predictions (positive = True).

    Source: the standard confusion-matrix definitions (e.g. Manning et al., *Introduction
    to Information Retrieval*, sec. 8.3).  ``None`` where a denominator is 0.
    """
    if len(predicted) != len(labels):
        raise ValueError("predicted and labels must have the same length")
    pairs = list(zip(predicted, labels, strict=True))
    tp = sum(1 for p, y in pairs if p and y)
    fp = sum(1 for p, y in pairs if p and not y)
    fn = sum(1 for p, y in pairs if not p and y)
    tn = sum(1 for p, y in pairs if not p and not y)
    n = len(pairs)
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = None
    if precision is not None and recall is not None:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BinaryScores(n, (tp + tn) / n if n else None, precision, recall, f1, tp, fp, fn, tn)


def threshold_sweep(
    scores: Sequence[float], labels: Sequence[bool], thresholds: Iterable[float]
) -> list[tuple[float, BinaryScores]]:
    """:func:`binary_scores` of ``score >= threshold`` for each threshold.

    Source: the operating-point sweep behind a precision-recall curve (Davis & Goadrich,
    "The Relationship Between Precision-Recall and ROC Curves", ICML 2006).
    """
    return [(t, binary_scores([s >= t for s in scores], labels)) for t in thresholds]


def ratio(value: float | None, baseline: float | None) -> float | None:
    """``value / baseline``; ``None`` when either is missing or the baseline is 0."""
    if value is None or baseline is None or baseline == 0:
        return None
    return value / baseline


def as_dict(obj: object) -> Mapping[str, object]:
    """The fields of a metrics dataclass as a dict (for JSON)."""
    from dataclasses import asdict, is_dataclass

    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    raise TypeError(f"not a dataclass instance: {obj!r}")
