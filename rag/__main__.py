"""``python -m rag search|ask|summarize|compare|serve ...``: the engine from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from textwrap import wrap

from rag.answering.types import Answer
from rag.cli_common import add_store_arguments, settings_from_args
from rag.documents import builtin_registry
from rag.engine import Engine
from rag.errors import RagError
from rag.retrieval import SearchFilters
from rag.settings import ANSWER_MODES


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

    ask = commands.add_parser("ask", help="a cited answer, or a plain refusal")
    ask.add_argument("question")
    ask.add_argument("--mode", choices=ANSWER_MODES, default=None, help="answer provider (default: settings)")
    ask.add_argument("--k", type=int, default=None)
    ask.add_argument("--doc", action="append", default=[], help="restrict to a document id (repeatable)")
    ask.add_argument("--json", action="store_true")
    add_store_arguments(ask)

    summary = commands.add_parser("summarize", help="a cited summary of an article, a chapter or a document")
    target = summary.add_mutually_exclusive_group()
    target.add_argument("--article")
    target.add_argument("--chapter")
    summary.add_argument(
        "--doc", default=builtin_registry().default_document, help="document id (default: the UN convention)"
    )
    summary.add_argument("--mode", choices=ANSWER_MODES, default="extractive")
    summary.add_argument("--json", action="store_true")
    add_store_arguments(summary)

    compare = commands.add_parser("compare", help="two documents side by side on a topic")
    compare.add_argument("--docs", nargs=2, required=True, metavar=("A", "B"))
    compare.add_argument("--topic", required=True)
    compare.add_argument("--k", type=int, default=3)
    compare.add_argument("--mode", choices=ANSWER_MODES, default="extractive")
    compare.add_argument("--json", action="store_true")
    add_store_arguments(compare)

    serve = commands.add_parser("serve", help="the HTTP API (OpenAI-compatible chat, search, documents)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes, one engine each (default 1)")
    add_store_arguments(serve)
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


def print_answer(answer: Answer) -> None:
    """The answer, its sources and, when kept, the sentences no passage supports."""
    for piece in wrap(answer.text, 100):
        print(piece)
    if answer.notice:
        print(f"\nnote: {answer.notice}")
    for sentence in answer.unsupported:
        print(f"\n[unsupported, not shown as cited] {sentence.text}")
    if answer.citations:
        print("\nSources:")
    for citation in answer.citations:
        print(f"[{citation.n}] {citation.label} (chars {citation.start}-{citation.end})")
        print("    “" + " ".join(citation.quote.split())[:400] + "”")


def run_ask(engine: Engine, args: argparse.Namespace) -> int:
    filters = SearchFilters(tuple(args.doc)) if args.doc else None
    if args.json:
        print(json.dumps(engine.ask(args.question, args.mode, args.k, filters).to_json(), ensure_ascii=False))
        return 0
    answer = None
    for event in engine.ask_stream(args.question, args.mode, args.k, filters):
        if isinstance(event, Answer):
            answer = event
        elif args.mode not in (None, "extractive"):
            print(event, end="", flush=True, file=sys.stderr)
    if answer is not None:
        print(file=sys.stderr)
        print_answer(answer)
    return 0


def run_summarize(engine: Engine, args: argparse.Namespace) -> int:
    answer = engine.summarize(args.doc, article=args.article, chapter=args.chapter, mode=args.mode)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        print(answer.question + "\n")
        print_answer(answer)
    return 0


def run_compare(engine: Engine, args: argparse.Namespace) -> int:
    comparison = engine.compare(args.docs[0], args.docs[1], args.topic, args.k, args.mode)
    if args.json:
        print(json.dumps(comparison.to_json(), ensure_ascii=False))
        return 0
    if comparison.written is not None:
        print(comparison.written.question + "\n")
        print_answer(comparison.written)
        print()
    for left, right, similarity in comparison.rows:
        left_label = left.passage.label if left else "—"
        right_label = right.passage.label if right else "—"
        print(f"{left_label:<45} | {right_label:<45} | similarity {similarity:.2f}")
    for doc, answer in ((args.docs[0], comparison.answer_a), (args.docs[1], comparison.answer_b)):
        print(f"\n== {doc}")
        print_answer(answer)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from rag.api.server import serve  # FastAPI and uvicorn load only for this command

    if not 1 <= args.workers <= 64:
        print("error: --workers must be between 1 and 64", file=sys.stderr)
        return 2
    serve(settings_from_args(args), args.host, args.port, args.workers)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return run_serve(args)
    engine = Engine(settings_from_args(args))
    handlers = {"search": run_search, "ask": run_ask, "summarize": run_summarize, "compare": run_compare}
    try:
        return handlers[args.command](engine, args)
    except RagError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
