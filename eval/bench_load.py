"""Load test: concurrent users asking through one ``Engine`` against a Chroma server on loopback.

``python -m eval.bench_load [--seconds 60] [--users 8] [--proxy] [--data DIR] [--corpus DIR]``

The script starts ``chroma run`` on 127.0.0.1 (and, with ``--proxy``, the nginx token proxy in
front of it, as in production), ingests the corpus into it (skipped for documents already
there, so a kept ``--data`` folder makes reruns quick), then runs ``--users`` threads that
share one ``Engine`` (as the app's worker does) and ask dev-set questions in extractive mode
for ``--seconds``. No request starts after the deadline. It prints throughput, p50/p95/max
latency and the errors by type, then stops every server it started.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from pydantic import SecretStr

from eval.load import dev_questions, run_users
from eval.services import HOST, start_chroma, start_token_proxy
from rag.settings import DEFAULT_CORPUS, Settings

TOKEN = "bench-token-51c0ffee"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_load", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the users ask (default 60)")
    parser.add_argument("--users", type=int, default=8, help="concurrent users, one thread each (default 8)")
    parser.add_argument("--proxy", action="store_true", help="put the nginx bearer-token proxy in front")
    parser.add_argument("--data", type=Path, default=None, help="Chroma server data folder (default: a temp one)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder ingested into the server")
    parser.add_argument("--collection", default="treaties", help="collection name (default treaties)")
    parser.add_argument("--embedding-backend", default=None, help="embedding model (default: settings)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 64 or not 0 < args.seconds <= 600:
        parser.error("--users must be 1-64 and --seconds 0-600")

    from rag.engine import Engine

    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    data = args.data or work / "chroma-data"
    services = []
    try:
        chroma = start_chroma(data, work / "logs")
        services.append(chroma)
        port, token = chroma.port, None
        if args.proxy:
            proxy = start_token_proxy(chroma.port, TOKEN, work)
            services.append(proxy)
            port, token = proxy.port, SecretStr(TOKEN)
        settings = Settings(
            store_path=data.parent / f"{data.name}-client",
            collection=args.collection,
            chroma_host=HOST,
            chroma_port=port,
            chroma_token=token,
            **({"embedding_backend": args.embedding_backend} if args.embedding_backend else {}),
        )
        engine = Engine(settings)
        report = engine.ingest([args.corpus])
        print(f"store: {report.documents} documents, {report.passages} passages "
              f"({len(report.added)} ingested now, {report.seconds:.0f} s)", file=sys.stderr)  # fmt: skip
        questions = dev_questions()
        engine.ask(questions[0], mode="extractive")  # warm-up: corpus view, keyword index, models
        result = run_users(lambda q: engine.ask(q, mode="extractive"), questions, args.users, args.seconds)
        result.update(
            {
                "proxy": bool(args.proxy),
                "embedding_backend": settings.embedding_backend,
                "passages": report.passages,
                "cpus": os.cpu_count(),
                "load_average_1m": round(os.getloadavg()[0], 2),
            }
        )
    finally:
        for service in reversed(services):
            service.stop()
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['users']} users, {result['seconds']} s, {result['passages']} passages "
            f"({result['embedding_backend']} embeddings), "
            f"proxy={'on' if result['proxy'] else 'off'}: {result['answers']} answers, "
            f"{result['throughput_per_s']} answers/s, p50 {result['p50_s']} s, p95 {result['p95_s']} s, "
            f"max {result['max_s']} s, errors {result['errors']} {result['error_types'] or ''} "
            f"(load average {result['load_average_1m']} on {result['cpus']} CPUs)"
        )
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
