"""Retrieval evaluation of the product (and of any baseline) against the gold questions.

A *system* is anything with a ``name`` and ``search(question, k) -> list[Retrieved]``.  Each
retrieved result carries its character span in a document and the structural *anchors*
(document, article, paragraph numbers) it covers, which is what gold entries are matched
against (:func:`eval.metrics.passage_matches_gold`).  A product passage is its own single
anchor; a baseline chunk that cuts across the product's passages has one anchor per
passage it overlaps (see ``eval.baselines``).

Only answerable questions (those with gold entries) are scored; unanswerable ones are
counted and left to the answer evaluation (refusals).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from eval import metrics
from eval.dataset import CorpusDoc, GoldItem, GoldQuestion, occurrences
from rag.types import Passage

DEFAULT_K = 5
CURVE_MAX_K = 10


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Anchor:
    """A structural location a retrieved result covers: a document, article, paragraphs."""

    doc: str
    article: str | None = None
    paragraphs: tuple[str, ...] = ()

    def matches(self, gold: GoldItem) -> bool:
        return metrics.passage_matches_gold(
            self.doc, self.article, self.paragraphs, gold.doc, gold.article, gold.paragraph
        )

    def label(self) -> str:
        if self.article == "preamble":
            return "preamble"
        if self.article:
            paras = f"({','.join(self.paragraphs)})" if self.paragraphs else ""
            return f"art. {self.article}{paras}"
        if self.paragraphs:
            return f"para. {','.join(self.paragraphs)}"
        return "-"


@dataclass(frozen=True)
class Retrieved:
    """One retrieved result, reduced to what the metrics need."""

    id: str
    doc: str
    start: int
    end: int
    score: float
    label: str
    anchors: tuple[Anchor, ...]

    def matches(self, gold: GoldItem) -> bool:
        """True when any anchor matches the gold entry (a chunk matches what it overlaps)."""
        return any(anchor.matches(gold) for anchor in self.anchors)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 6),
            "label": self.label,
            "anchors": [a.label() for a in self.anchors],
        }


def retrieved_from_passage(passage: Passage, score: float) -> Retrieved:
    """A product passage as a :class:`Retrieved` (its own single anchor)."""
    return Retrieved(
        id=passage.id,
        doc=passage.doc_id,
        start=passage.start,
        end=passage.end,
        score=score,
        label=passage.label,
        anchors=(Anchor(passage.doc_id, passage.article, tuple(passage.paragraphs)),),
    )


class RetrievalSystem(Protocol):
    """What the evaluation needs from a retriever."""

    name: str

    def search(self, question: str, k: int) -> list[Retrieved]: ...


class ProductSystem:
    """The product: ``Engine.search``; supporting passages (after the first k) are dropped."""

    name = "product"

    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def search(self, question: str, k: int) -> list[Retrieved]:
        results = self.engine.search(question, k)
        hits = [r for r in results if not r.supporting][:k]
        return [retrieved_from_passage(r.passage, r.score) for r in hits]


# --------------------------------------------------------------------------- gold evidence


def evidence_spans(question: GoldQuestion, corpus: dict[str, CorpusDoc]) -> list[metrics.Span]:
    """Character spans of the question's evidence quotes in their documents.

    A quote that occurs more than once is placed at the first occurrence inside one of the
    question's gold locations for that document, else at its first occurrence.
    """
    spans: list[metrics.Span] = []
    for ev in question.evidence:
        doc = corpus.get(ev.doc)
        if doc is None:
            continue
        starts = occurrences(doc.text, ev.quote)
        if not starts:
            continue
        found = [_gold_region(doc, g) for g in question.gold if g.doc == ev.doc]
        regions = [r for r in found if r is not None]
        chosen = next(
            (o for o in starts for a, b in regions if a <= o and o + len(ev.quote) <= b),
            starts[0],
        )
        spans.append((ev.doc, chosen, chosen + len(ev.quote)))
    return spans


def _gold_region(doc: CorpusDoc, gold: GoldItem) -> tuple[int, int] | None:
    if gold.paragraph is not None and gold.article != "preamble":
        return doc.paragraph_span(gold.article, gold.paragraph)
    return doc.span(gold.article)


# --------------------------------------------------------------------------- evaluation


@dataclass
class QuestionResult:
    """One question's ranked results and what they matched."""

    question: GoldQuestion
    retrieved: list[Retrieved]
    matched: list[set[int]]
    latency: float
    evidence: list[metrics.Span]

    def found_at(self, k: int) -> list[bool]:
        """For each gold entry: is it matched within the top ``k``?"""
        found: set[int] = set()
        for hit in self.matched[:k]:
            found |= hit
        return [i in found for i in range(len(self.question.gold))]

    def scores(self, k: int, max_k: int) -> dict[str, float]:
        n = len(self.question.gold)
        top = self.retrieved[:k]
        precision, recall = metrics.span_precision_recall([(r.doc, r.start, r.end) for r in top], self.evidence)
        gold_docs = {g.doc for g in self.question.gold}
        return {
            f"item_recall@{k}": metrics.item_recall_at_k(self.matched, n, k),
            f"full_recall@{k}": metrics.full_recall_at_k(self.matched, n, k),
            f"mrr@{max_k}": metrics.reciprocal_rank(self.matched, max_k),
            f"ndcg@{k}": metrics.ndcg_at_k(self.matched, n, k),
            f"span_precision@{k}": precision,
            f"span_recall@{k}": recall,
            # Was the right document searched at all? (An upload without parsed articles can score
            # no item recall while its passages are retrieved.)
            f"document_recall@{k}": len(gold_docs & {r.doc for r in top}) / len(gold_docs) if gold_docs else 0.0,
        }

    def to_json(self, k: int, max_k: int) -> dict[str, Any]:
        q = self.question
        found = self.found_at(k)
        return {
            "id": q.id,
            "question": q.question,
            "tags": q.tags,
            "gold": [g.to_json() for g in q.gold],
            "found": found,
            "missing": [g.to_json() for g, ok in zip(q.gold, found, strict=True) if not ok],
            "scores": {name: round(v, 4) for name, v in self.scores(k, max_k).items()},
            "latency_s": round(self.latency, 4),
            "retrieved": [
                {**r.to_json(), "matches": sorted(m)} for r, m in zip(self.retrieved, self.matched, strict=True)
            ],
        }


@dataclass
class SystemResult:
    """All questions of one system, with aggregate metrics."""

    name: str
    k: int
    max_k: int
    questions: list[QuestionResult]
    skipped_unanswerable: int = 0
    build_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, float | None]:
        rows = [q.scores(self.k, self.max_k) for q in self.questions]
        names = list(rows[0]) if rows else []
        return {name: metrics.mean(r[name] for r in rows) for name in names}

    def curves(self) -> dict[str, list[float | None]]:
        """Mean item and full recall at k = 1..max_k."""
        ks = range(1, self.max_k + 1)
        item = [
            metrics.mean(metrics.item_recall_at_k(q.matched, len(q.question.gold), k) for q in self.questions)
            for k in ks
        ]
        full = [
            metrics.mean(metrics.full_recall_at_k(q.matched, len(q.question.gold), k) for q in self.questions)
            for k in ks
        ]
        return {"k": list(ks), "item_recall": item, "full_recall": full}  # type: ignore[dict-item]

    def by_tag(self) -> dict[str, dict[str, float | int | None]]:
        tags = sorted({t for q in self.questions for t in q.question.tags})
        out: dict[str, dict[str, float | int | None]] = {}
        for tag in tags:
            group = [q for q in self.questions if tag in q.question.tags]
            rows = [q.scores(self.k, self.max_k) for q in group]
            entry: dict[str, float | int | None] = {"n": len(group)}
            for name in (f"item_recall@{self.k}", f"full_recall@{self.k}", f"mrr@{self.max_k}", f"ndcg@{self.k}"):
                entry[name] = metrics.mean(r[name] for r in rows)
            entry["misses"] = sum(1 for q in group if not all(q.found_at(self.k)))
            out[tag] = entry
        return out

    def misses(self) -> list[QuestionResult]:
        """Questions with at least one gold entry not found in the top k."""
        return [q for q in self.questions if not all(q.found_at(self.k))]

    def latency(self) -> dict[str, float | int | None]:
        return metrics.latency_summary([q.latency for q in self.questions])

    def to_json(self, per_question: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "k": self.k,
            "max_k": self.max_k,
            "questions": len(self.questions),
            "skipped_unanswerable": self.skipped_unanswerable,
            "build_seconds": round(self.build_seconds, 3),
            "summary": self.summary(),
            "curves": self.curves(),
            "by_tag": self.by_tag(),
            "latency": self.latency(),
            "latencies": [round(q.latency, 5) for q in self.questions],
            "misses": [q.question.id for q in self.misses()],
            "notes": self.notes,
        }
        if per_question:
            out["per_question"] = [q.to_json(self.k, self.max_k) for q in self.questions]
        return out


def evaluate_system(
    system: RetrievalSystem,
    questions: Sequence[GoldQuestion],
    corpus: dict[str, CorpusDoc],
    k: int = DEFAULT_K,
    max_k: int = CURVE_MAX_K,
    progress: Callable[[str], None] | None = None,
    warmup: bool = True,
) -> SystemResult:
    """Run ``system`` on every answerable question and match its top ``max(k, max_k)``."""
    return evaluate_systems([system], questions, corpus, k, max_k, progress, warmup)[0]


def evaluate_systems(
    systems: Sequence[RetrievalSystem],
    questions: Sequence[GoldQuestion],
    corpus: dict[str, CorpusDoc],
    k: int = DEFAULT_K,
    max_k: int = CURVE_MAX_K,
    progress: Callable[[str], None] | None = None,
    warmup: bool = True,
) -> list[SystemResult]:
    """Run every system on every answerable question, matching the top ``max(k, max_k)``.

    The systems take turns on each question, so a change in machine load during the run
    affects their latencies alike.  Each system first answers one untimed warm-up query
    (model loading is not query latency).
    """
    max_k = max(k, max_k)
    answerable = [q for q in questions if q.answerable and q.gold]
    if warmup and answerable:
        for system in systems:
            system.search(answerable[0].question, max_k)
    results: list[list[QuestionResult]] = [[] for _ in systems]
    for q in answerable:
        spans = evidence_spans(q, corpus)
        for index, system in enumerate(systems):
            started = time.perf_counter()
            retrieved = system.search(q.question, max_k)[:max_k]
            elapsed = time.perf_counter() - started
            matched = [{i for i, g in enumerate(q.gold) if r.matches(g)} for r in retrieved]
            results[index].append(QuestionResult(q, retrieved, matched, elapsed, spans))
        if progress:
            progress(q.id)
    return [
        SystemResult(
            name=system.name,
            k=k,
            max_k=max_k,
            questions=rows,
            skipped_unanswerable=len(questions) - len(answerable),
        )
        for system, rows in zip(systems, results, strict=True)
    ]


# --------------------------------------------------------------------------- comparison


HEADLINE = ("item_recall@{k}", "full_recall@{k}", "mrr@{max_k}", "ndcg@{k}", "span_precision@{k}", "span_recall@{k}")


def headline_names(k: int, max_k: int) -> list[str]:
    return [name.format(k=k, max_k=max_k) for name in HEADLINE]


def compare_to_baselines(product: SystemResult, baselines: Iterable[SystemResult]) -> dict[str, Any]:
    """Product / best baseline, per headline metric (the best baseline may differ by metric)."""
    baselines = list(baselines)
    summary = product.summary()
    out: dict[str, Any] = {}
    for name in headline_names(product.k, product.max_k):
        scored = [(b.summary().get(name), b.name) for b in baselines]
        scored = [(v, n) for v, n in scored if v is not None]
        if not scored:
            continue
        best_value, best_name = max(scored)
        out[name] = {
            "product": summary.get(name),
            "best_baseline": best_name,
            "baseline": best_value,
            "ratio": metrics.ratio(summary.get(name), best_value),
        }
    return out


def stderr_progress(total: int, label: str) -> Callable[[str], None]:
    """Progress on stderr: a tqdm bar on a terminal, else a line every tenth of the way."""
    from tqdm import tqdm

    if not sys.stderr.isatty():
        every = max(1, total // 10)
        done = 0

        def log_step(_: str) -> None:
            nonlocal done
            done += 1
            if done % every == 0 or done == total:
                print(f"{label}: {done}/{total}", file=sys.stderr, flush=True)

        return log_step

    bar = tqdm(total=total, desc=label, unit="q", file=sys.stderr, leave=False)

    def step(_: str) -> None:
        bar.update(1)
        if bar.n >= total:
            bar.close()

    return step


def corpus_files_of(store: Any, fallback: Path) -> list[Path]:
    """The files the store was built from (manifest source paths), else those of ``fallback``."""
    from rag.ingestion import discover_files

    paths = [Path(e.source_path) for e in store.manifest().values() if e.source_path]
    existing = sorted(p for p in paths if p.is_file())
    if existing and len(existing) == len(paths):
        return existing
    files, _ = discover_files([fallback])
    return files
