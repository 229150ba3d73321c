"""Answer latency: extractive p50/p95 over dev questions, and the local model's whole answer and first token.

``python -m eval.bench_answers [--store DIR] [--collection NAME] [--embedding-backend NAME] [--questions 20]
[--local-questions 5] [--model-size 1.5b] [--skip-local] [--json]``

Runs against an existing embedded store (default: the configured one; build it with
``python -m ingest``). Extractive: two warm-up questions, then ``--questions`` dev questions
timed end to end (``Engine.ask``). Local: the model is loaded first (its load time is printed
apart), then ``--local-questions`` answerable dev questions are streamed with
``Engine.ask_stream``; the time to the first streamed text piece and to the final answer are
measured. Questions the rules refuse before generation are skipped for the local figures, as
their "first token" is the refusal text and would flatter the model.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from eval.metrics import percentile
from rag.settings import PROJECT_ROOT, get_settings

DEV_SET = PROJECT_ROOT / "eval" / "datasets" / "gold-dev.jsonl"
WARM_UP = 2


def load_dev(path: Path = DEV_SET) -> list[dict]:  # type: ignore[type-arg]
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def bench_extractive(engine, questions: list[str]) -> dict[str, object]:  # type: ignore[no-untyped-def]
    for question in questions[:WARM_UP]:
        engine.ask(question, mode="extractive")
    timed = questions[WARM_UP:]
    latencies = []
    refused = 0
    for question in timed:
        started = time.perf_counter()
        answer = engine.ask(question, mode="extractive")
        latencies.append(time.perf_counter() - started)
        refused += answer.refused
    return {
        "questions": len(timed),
        "refused": refused,
        "p50_s": round(percentile(latencies, 50), 3),
        "p95_s": round(percentile(latencies, 95), 3),
        "max_s": round(max(latencies, default=float("nan")), 3),
    }


def bench_local(engine, questions: list[str], count: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from rag.answering.draft.generative import build_chat_model
    from rag.answering.types import Answer

    started = time.perf_counter()
    build_chat_model(engine.settings, "local")  # load the GGUF once, outside the timings
    load_seconds = time.perf_counter() - started
    totals, firsts, rows = [], [], []
    for question in questions:
        if len(totals) == count:
            break
        if engine.ask(question, mode="extractive").refused:
            continue
        started = time.perf_counter()
        first = None
        answer = None
        for event in engine.ask_stream(question, mode="local"):
            if first is None and isinstance(event, str) and event:
                first = time.perf_counter() - started
            if isinstance(event, Answer):
                answer = event
        total = time.perf_counter() - started
        totals.append(total)
        firsts.append(first if first is not None else total)
        rows.append(
            {
                "question": question[:70],
                "first_token_s": round(firsts[-1], 2),
                "total_s": round(total, 2),
                "refused": bool(answer and answer.refused),
                "notice": answer.notice if answer else None,
            }
        )
        print(f"  local: {rows[-1]}", file=sys.stderr)
    return {
        "model_size": engine.settings.llm_model_size,
        "threads": engine.settings.llm_threads,
        "load_s": round(load_seconds, 1),
        "questions": len(totals),
        "p50_total_s": round(percentile(totals, 50), 2),
        "p50_first_token_s": round(percentile(firsts, 50), 2),
        "max_total_s": round(max(totals, default=float("nan")), 2),
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_answers", description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=None, help="store folder (default: settings)")
    parser.add_argument("--collection", default=None, help="collection name (default: settings)")
    parser.add_argument(
        "--embedding-backend", default=None, help="the model the store was built with (default: settings)"
    )
    parser.add_argument("--questions", type=int, default=20, help="timed extractive questions (default 20)")
    parser.add_argument("--local-questions", type=int, default=5, help="timed local-model questions (default 5)")
    parser.add_argument("--model-size", choices=["1.5b", "0.5b"], default="1.5b")
    parser.add_argument("--skip-local", action="store_true", help="extractive figures only")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    from rag.engine import Engine

    overrides: dict[str, object] = {"llm_model_size": args.model_size}
    if args.store is not None:
        overrides["store_path"] = args.store
    if args.collection is not None:
        overrides["collection"] = args.collection
    if args.embedding_backend is not None:
        overrides["embedding_backend"] = args.embedding_backend
    engine = Engine(get_settings().model_copy(update=overrides))
    dev = load_dev()
    questions = [item["question"] for item in dev][: args.questions + WARM_UP]
    result: dict[str, object] = {
        "embedding_backend": engine.settings.embedding_backend,
        "cpus": os.cpu_count(),
        "extractive": bench_extractive(engine, questions),
    }
    if not args.skip_local:
        answerable = [item["question"] for item in dev if item.get("answerable")]
        result["local"] = bench_local(engine, answerable, args.local_questions)
    result["load_average_1m"] = round(os.getloadavg()[0], 2)
    if args.json:
        print(json.dumps(result))
        return 0
    ex = result["extractive"]
    print(
        f"extractive ({result['embedding_backend']} embeddings): {ex['questions']} questions, "
        f"p50 {ex['p50_s']} s, p95 {ex['p95_s']} s, max {ex['max_s']} s"
    )
    if "local" in result:
        lo = result["local"]
        print(
            f"local {lo['model_size']} ({lo['threads']} threads, load {lo['load_s']} s): {lo['questions']} questions, "
            f"p50 whole answer {lo['p50_total_s']} s, p50 first streamed token {lo['p50_first_token_s']} s, "
            f"max {lo['max_total_s']} s"
        )
    print(f"(load average {result['load_average_1m']} on {result['cpus']} CPUs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
