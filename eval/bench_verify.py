"""Verification latency: a four-sentence answer checked against its four passages, verifier vs old judge.

``python -m eval.bench_verify [--labels FILE] [--answers 60] [--json]``

Answers are made of four consecutive labelled pairs (``eval/labels/claims-dev.jsonl``): the four
sentences, each claiming its own pair's passage, go through the product's attribution
(``rag.answering.cite.attribute``), which verifies a sentence against every passage when
its claimed one does not support it. The old judge (``eval.old_support_judge``) scores the same
sentences the same way, timed in the same run, as the baseline. Passage sentence vectors are
computed before timing, as the store's ingestion-time vectors are in the product; every answer's
sentences are new to both judges' caches.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from eval.bench_answers import percentile
from eval.old_support_judge import OldSupportJudge
from rag.answering.cite import CitationBook, attribute
from rag.answering.draft.types import DraftSentence
from rag.settings import PROJECT_ROOT, Settings
from rag.types import Passage, ScoredPassage
from rag.verification import Verifier, strip_citations
from rag.verification.labels import LabelledClaim, load_labels

DEFAULT_LABELS = PROJECT_ROOT / "eval" / "labels" / "claims-dev.jsonl"
SENTENCES_PER_ANSWER = 4
WARM_UP = 2


def answers_of(claims: list[LabelledClaim], count: int) -> list[list[LabelledClaim]]:
    """Groups of four pairs with four different passages."""
    groups: list[list[LabelledClaim]] = []
    current: list[LabelledClaim] = []
    for claim in claims:
        if any(c.passage_text == claim.passage_text or c.sentence == claim.sentence for c in current):
            continue
        current.append(claim)
        if len(current) == SENTENCES_PER_ANSWER:
            groups.append(current)
            current = []
            if len(groups) == count + WARM_UP:
                break
    return groups


def scored_passages(group: list[LabelledClaim]) -> list[ScoredPassage]:
    passages = []
    for index, claim in enumerate(group):
        passage = Passage(
            id=f"bench-{claim.id}-{index}",
            doc_id=claim.doc or "unknown",
            doc_title=claim.doc or "unknown",
            text=claim.passage_text,
            start=0,
            end=len(claim.passage_text),
            context="",
            kind="article",
            article=claim.article,
        )
        passages.append(ScoredPassage(passage, 1.0))
    return passages


def old_attribution(judge: OldSupportJudge, group: list[LabelledClaim], passages: list[ScoredPassage]) -> int:
    """The old judge's share of the work: claimed passage first, all passages when it fails."""
    supported = 0
    judge.vectors.embed_claims([strip_citations(c.sentence) for c in group])
    for index, claim in enumerate(group):
        scores = {index: judge.score(claim.sentence, passages[index].passage.text)}
        if scores[index] < judge.threshold:
            scores |= {i: judge.score(claim.sentence, p.passage.text) for i, p in enumerate(passages) if i != index}
        supported += max(scores.values()) >= judge.threshold
    return supported


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_verify", description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--answers", type=int, default=60, help="answers timed (after two warm-up ones)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from rag.embeddings import get_sentence_embeddings

    embeddings = get_sentence_embeddings(Settings())
    verifier = Verifier(embeddings)
    old = OldSupportJudge(embeddings)
    groups = answers_of(load_labels(args.labels), args.answers)
    for group in groups:  # the store's ingestion-time sentence vectors, for both judges
        for claim in group:
            verifier.vectors.of_passage(claim.passage_text)
            old.vectors.of_passage(claim.passage_text)
    new_times, old_times = [], []
    for number, group in enumerate(groups):
        passages = scored_passages(group)
        drafts = [DraftSentence(c.sentence, (i,)) for i, c in enumerate(group)]
        started = time.perf_counter()
        attribute(drafts, passages, verifier, CitationBook())
        new_elapsed = time.perf_counter() - started
        started = time.perf_counter()
        old_attribution(old, group, passages)
        old_elapsed = time.perf_counter() - started
        if number >= WARM_UP:
            new_times.append(new_elapsed)
            old_times.append(old_elapsed)
    result = {
        "answers": len(new_times),
        "sentences_per_answer": SENTENCES_PER_ANSWER,
        "verifier_p50_ms": round(1000 * percentile(new_times, 0.5), 1),
        "verifier_p95_ms": round(1000 * percentile(new_times, 0.95), 1),
        "old_judge_p50_ms": round(1000 * percentile(old_times, 0.5), 1),
        "old_judge_p95_ms": round(1000 * percentile(old_times, 0.95), 1),
        "load_average": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }
    result["p50_ratio_verifier_to_old"] = round(result["verifier_p50_ms"] / max(result["old_judge_p50_ms"], 1e-9), 2)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
