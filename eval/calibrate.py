"""Calibrate the refusal threshold on a question set (the dev split, never the test split).

``python -m eval.calibrate --dataset eval/datasets/gold-dev.jsonl [--store DIR]`` computes, for
every question, the evidence score the answer service uses (the best sentence score of the
retrieved passages), then prints, for a sweep of thresholds, the share of unanswerable
questions refused and of answerable ones answered, and the threshold that maximises the
balanced accuracy of the two.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eval.dataset import load_questions
from rag.answering import refusal
from rag.answering.extractive import rank_sentences
from rag.cli_common import add_store_arguments, settings_from_args
from rag.engine import Engine


def evidence_scores(engine: Engine, questions: list, verbose: bool = False) -> list[tuple[bool, float]]:  # type: ignore[type-arg]
    """(answerable, evidence) for each question; prints the rule-based refusals when verbose."""
    service = engine.answers
    corpus_lower = engine.retriever.view().corpus_lower
    rows = []
    for question in questions:
        passages = engine.search(question.question)
        service._preload_sentences(passages)
        candidates = rank_sentences(question.question, passages, service.judge, service.embeddings)
        evidence = candidates[0].score if candidates else 0.0
        decision = refusal.decide(question.question, [c.text for c in candidates], evidence, corpus_lower)
        if verbose and decision.refuse == question.answerable:
            outcome = "WRONGLY REFUSED" if question.answerable else "NOT REFUSED"
            print(f"{outcome}: {question.question} ({decision.reason})", file=sys.stderr)
        rows.append((question.answerable, 0.0 if decision.refuse else evidence))
    return rows


def sweep(rows: list[tuple[bool, float]], thresholds: list[float]) -> list[dict[str, float]]:
    answerable = [score for ok, score in rows if ok]
    unanswerable = [score for ok, score in rows if not ok]
    table = []
    for threshold in thresholds:
        refused = sum(score < threshold for score in unanswerable) / max(1, len(unanswerable))
        answered = sum(score >= threshold for score in answerable) / max(1, len(answerable))
        table.append(
            {
                "threshold": threshold,
                "refusal_recall": refused,
                "answer_rate": answered,
                "balanced": (refused + answered) / 2,
            }
        )
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.calibrate", description=__doc__)
    parser.add_argument("--dataset", type=Path, default=Path("eval/datasets/gold-dev.jsonl"))
    parser.add_argument("--json", action="store_true")
    add_store_arguments(parser)
    args = parser.parse_args(argv)
    if "test" in args.dataset.name:
        print("refusing to calibrate on the test split", file=sys.stderr)
        return 2
    engine = Engine(settings_from_args(args))
    rows = evidence_scores(engine, load_questions(args.dataset), verbose=not args.json)
    table = sweep(rows, [round(0.30 + 0.01 * i, 2) for i in range(50)])
    best = max(table, key=lambda r: (r["balanced"], r["answer_rate"]))
    if args.json:
        print(json.dumps({"rows": rows, "sweep": table, "best": best}))
        return 0
    for row in table:
        print(f"{row['threshold']:.2f}  refused {row['refusal_recall']:.2f}  answered {row['answer_rate']:.2f}")
    print(f"best balanced: {best}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
