"""Concurrent users asking in a loop for a fixed time: throughput, latency percentiles and errors.

Shared by the load benchmarks (``eval.bench_load``: one ``Engine`` against a Chroma server;
``eval.bench_api``: the HTTP API against the same load in-process).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from eval.metrics import percentile
from rag.settings import PROJECT_ROOT

DEV_SET = PROJECT_ROOT / "eval" / "datasets" / "gold-dev.jsonl"


def dev_questions(path: Path = DEV_SET) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["question"] for line in handle if line.strip()]


def run_users(ask: Callable[[str], object], questions: list[str], users: int, seconds: float) -> dict[str, object]:
    """``users`` threads calling ``ask(question)`` in a loop until ``seconds`` pass; latencies and errors.

    No request starts after the deadline; one in flight at the deadline may finish.
    """
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    counter = iter(range(10**9))
    deadline = time.monotonic() + seconds

    def user() -> None:
        while time.monotonic() < deadline:
            with lock:
                question = questions[next(counter) % len(questions)]
            started = time.perf_counter()
            try:
                ask(question)
            except Exception as error:  # counted and reported, never fatal to the run
                with lock:
                    errors[f"{type(error).__name__}: {str(error)[:80]}"] += 1
                continue
            with lock:
                latencies.append(time.perf_counter() - started)

    started = time.monotonic()
    threads = [threading.Thread(target=user, name=f"user-{i}", daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 300)
    elapsed = time.monotonic() - started
    return {
        "users": users,
        "seconds": round(elapsed, 1),
        "answers": len(latencies),
        "errors": sum(errors.values()),
        "error_types": dict(errors),
        "throughput_per_s": round(len(latencies) / elapsed, 2),
        "p50_s": round(percentile(latencies, 50), 3) if latencies else None,
        "p95_s": round(percentile(latencies, 95), 3) if latencies else None,
        "max_s": round(max(latencies, default=float("nan")), 3),
        "stuck_threads": sum(t.is_alive() for t in threads),
    }
