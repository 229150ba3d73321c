"""HTTP API benchmark: concurrent users through ``python -m rag serve`` against the same load in-process.

``python -m eval.bench_api [--seconds 60] [--users 8] [--store DIR] [--collection NAME]
[--stream-questions 8] [--local-questions 3] [--skip-local] [--json]``

Over an existing store (default: the configured one), the script starts ``python -m rag serve``
on a free loopback port as a child process (one worker, one ``Engine``), then, in turn:

1. in-process: ``--users`` threads sharing one ``Engine`` in this process ask dev questions in
   extractive mode for ``--seconds`` (the load ``eval.bench_load`` puts on an engine);
2. API: the same number of threads, each with its own HTTP connection, send the same questions
   to ``POST /v1/chat/completions`` (model ``treatyqa-extractive``) for the same time;
3. streaming: ``--stream-questions`` dev questions one at a time with ``stream: true``, timing the
   first byte of the response, the first piece of the local model's draft, the verified content
   and the end; extractive, then local (the model is loaded by a first, untimed question).

It prints answers/s, p50/p95/max and errors for both loads and their ratio, then the streaming
times, and stops the server by its process id.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from eval.load import dev_questions, run_users
from eval.metrics import percentile
from eval.services import running, start_api_server
from rag.settings import get_settings

TOKEN = "bench-api-token-0c1d"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


def chat_body(question: str, mode: str, stream: bool = False) -> dict[str, object]:
    return {"model": f"treatyqa-{mode}", "messages": [{"role": "user", "content": question}], "stream": stream}


def api_asker(url: str) -> tuple[Callable[[str], None], list[httpx.Client]]:
    """``ask(question)`` over HTTP, one keep-alive connection per calling thread; and the clients to close."""
    local = threading.local()
    clients: list[httpx.Client] = []

    def ask(question: str) -> None:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=url, headers=HEADERS, timeout=120)
            clients.append(local.client)
        response = local.client.post("/v1/chat/completions", json=chat_body(question, "extractive"))
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:80]}")
        if not response.json()["choices"][0]["message"]["content"]:
            raise RuntimeError("empty content")

    return ask, clients


def time_stream(url: str, question: str, mode: str) -> dict[str, Any]:
    """Seconds to the first byte, the first draft piece, the verified content and the end of one streamed answer."""
    marks: dict[str, float] = {}
    refused = None
    started = time.perf_counter()
    with httpx.stream(
        "POST", f"{url}/v1/chat/completions", json=chat_body(question, mode, True), headers=HEADERS, timeout=600
    ) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            now = time.perf_counter() - started
            marks.setdefault("first_byte_s", now)
            if not line.startswith("data: {"):
                continue
            chunk = json.loads(line.removeprefix("data: "))
            if "error" in chunk:
                raise RuntimeError(chunk["error"]["message"])
            delta = chunk["choices"][0]["delta"]
            if delta.get("draft"):
                marks.setdefault("first_draft_s", now)
            if delta.get("content"):
                marks.setdefault("content_s", now)
            if "refused" in chunk:
                refused = chunk["refused"]
    marks["total_s"] = time.perf_counter() - started
    return {"question": question[:60], "refused": refused, **{k: round(v, 3) for k, v in marks.items()}}


def stream_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    summary: dict[str, Any] = {"questions": len(rows)}
    for key in ("first_byte_s", "first_draft_s", "content_s", "total_s"):
        values = [float(r[key]) for r in rows if isinstance(r.get(key), float)]
        if values:
            summary[f"p50_{key}"] = round(percentile(values, 50), 3)
            summary[f"max_{key}"] = round(max(values), 3)
    summary["rows"] = rows
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_api", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long each load runs (default 60)")
    parser.add_argument("--users", type=int, default=8, help="concurrent users, one thread each (default 8)")
    parser.add_argument("--store", type=Path, default=None, help="store folder (default: settings)")
    parser.add_argument("--collection", default=None, help="collection name (default: settings)")
    parser.add_argument("--stream-questions", type=int, default=8, help="streamed extractive questions (default 8)")
    parser.add_argument("--local-questions", type=int, default=3, help="streamed local-model questions (default 3)")
    parser.add_argument("--skip-local", action="store_true", help="no local-model streaming")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 64 or not 0 < args.seconds <= 600:
        parser.error("--users must be 1-64 and --seconds 0-600")

    from rag.engine import Engine

    overrides: dict[str, object] = {}
    if args.store is not None:
        overrides["store_path"] = args.store
    if args.collection is not None:
        overrides["collection"] = args.collection
    settings = get_settings().model_copy(update=overrides)
    questions = dev_questions()
    work = Path(tempfile.mkdtemp(prefix="bench-api-"))
    result: dict[str, Any] = {"users": args.users, "cpus": os.cpu_count()}
    server_args = ["--store", str(settings.store_path), "--collection", settings.collection]
    with running(start_api_server(work, server_args, {"RAG_API_TOKEN": TOKEN})) as server:
        url = server.url
        engine = Engine(settings)
        engine.ask(questions[0], mode="extractive")  # warm-up: corpus view, keyword index, models
        result["in_process"] = run_users(
            lambda q: engine.ask(q, mode="extractive"), questions, args.users, args.seconds
        )
        ask, clients = api_asker(url)
        ask(questions[0])  # the server's own warm-up question
        result["api"] = run_users(ask, questions, args.users, args.seconds)
        for client in clients:
            client.close()
        rows = [time_stream(url, q, "extractive") for q in questions[1 : 1 + args.stream_questions]]
        result["stream_extractive"] = stream_summary(rows)
        if not args.skip_local:
            print("local: loading the model with a first, untimed question", file=sys.stderr)
            time_stream(url, questions[0], "local")
            local_rows = []
            for question in questions[1 : 1 + args.local_questions]:
                local_rows.append(time_stream(url, question, "local"))
                print(f"  local: {local_rows[-1]}", file=sys.stderr)
            result["stream_local"] = stream_summary(local_rows)
    result["load_average_1m"] = round(os.getloadavg()[0], 2)
    if args.json:
        print(json.dumps(result))
        return 0
    print_report(result)
    api, in_process = result["api"], result["in_process"]
    return 1 if api["errors"] or in_process["errors"] else 0


def print_report(result: dict[str, Any]) -> None:
    for name in ("in_process", "api"):
        r = result[name]
        print(
            f"{name:>10}: {r['users']} users, {r['seconds']} s: {r['answers']} answers, "
            f"{r['throughput_per_s']} answers/s, p50 {r['p50_s']} s, p95 {r['p95_s']} s, "
            f"max {r['max_s']} s, errors {r['errors']} {r['error_types'] or ''}"
        )
    api, in_process = result["api"], result["in_process"]
    ratio = api["throughput_per_s"] / max(in_process["throughput_per_s"], 1e-9)
    print(f"API / in-process throughput: {ratio:.2f}")
    for name in ("stream_extractive", "stream_local"):
        if name in result:
            s = result[name]
            print(
                f"{name}: {s['questions']} questions, p50 first byte {s.get('p50_first_byte_s')} s, "
                f"first draft {s.get('p50_first_draft_s', '-')} s, "
                f"verified content {s.get('p50_content_s')} s, end {s.get('p50_total_s')} s"
            )
    print(f"(load average {result['load_average_1m']} on {result['cpus']} CPUs)")


if __name__ == "__main__":
    sys.exit(main())
