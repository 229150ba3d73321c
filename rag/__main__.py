"""``python -m rag search|ask|summarize|compare ...``: the engine from the command line."""

from __future__ import annotations

import argparse
import json
import sys

from rag.cli_common import add_store_arguments, settings_from_args
from rag.engine import Engine
from rag.errors import RagError
from rag.retrieval import SearchFilters


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m rag", description="Search and question the treaties.")
    commands = parser.add_subparsers(dest="command", required=True)

    search = commands.add_parser("search", help="hybrid search over the passages")
    search.add_argument("question")
    search.add_argument("--k", type=int, default=None)
    search.add_argument("--doc", action="append", default=[], help="restrict to a document id (repeatable)")
    search.add_argument("--chapter", action="append", default=[], help="restrict to a chapter (roman numeral)")
    search.add_argument("--article", action="append", default=[], help="restrict to an article number")
    search.add_argument("--json", action="store_true")
    add_store_arguments(search)
    return parser


def run_search(engine: Engine, args: argparse.Namespace) -> int:
    filters = SearchFilters(tuple(args.doc), tuple(c.upper() for c in args.chapter), tuple(args.article))
    results = engine.search(args.question, args.k, filters)
    if args.json:
        print(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=1))
        return 0
    for rank, result in enumerate(results, 1):
        marker = "  (supporting)" if result.supporting else ""
        print(f"{rank:>2}. {result.passage.label}  score={result.score:.4f}{marker}")
        print("    " + " ".join(result.passage.text.split())[:300])
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    engine = Engine(settings_from_args(args))
    handlers = {"search": run_search}
    try:
        return handlers[args.command](engine, args)
    except RagError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
