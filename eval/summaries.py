"""Summaries measured: for each article, chapter or document asked, how many sentences the summary
has, how many are verified, whether the model wrote them, and what of the source they cover.

``python -m eval.summaries [--mode local|openai|extractive] [--doc ID] [--article N ...]
[--chapter ROMAN ...] [--whole-doc ID ...] [--store DIR] [--json]``

Coverage counts the numbered paragraphs of an article (or a paragraph-only document) cited by a
verified sentence; for a chapter, the articles cited. Runs against an existing store.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from rag.documents import builtin_registry
from rag.settings import get_settings


def coverage(answer: Any, parts: set[str], by: str) -> tuple[int, int]:
    """How many of ``parts`` (paragraph or article labels) the verified sentences cite."""
    cited = {answer.citation(n) for s in answer.sentences if s.supported for n in s.citations}
    covered = {getattr(c, by) for c in cited} & parts
    return len(covered), len(parts)


def measure(engine: Any, doc: str, mode: str, article: str | None = None, chapter: str | None = None) -> dict[str, Any]:
    """One summary, timed, with its verified sentences and coverage."""
    started = time.perf_counter()
    answer = engine.summarize(doc, article=article, chapter=chapter, mode=mode)
    seconds = time.perf_counter() - started
    passages = engine.retriever.passages_of(doc, article=article, chapter=chapter)
    if chapter is not None:
        covered = coverage(answer, {p.article for p in passages if p.article and p.kind == "article"}, "article")
    else:
        covered = coverage(answer, {n for p in passages for n in p.paragraphs}, "paragraph")
    return {
        "target": answer.question,
        "sentences": len(answer.sentences),
        "verified": sum(s.supported for s in answer.sentences),
        "model_written": mode != "extractive" and answer.notice is None,
        "covered": covered[0],
        "of": covered[1],
        "seconds": round(seconds, 1),
        "notice": answer.notice,
        "text": answer.text,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.summaries", description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=("local", "openai", "extractive"), default="local")
    default_doc = builtin_registry().default_document
    parser.add_argument("--doc", default=default_doc, help="document of --article and --chapter")
    parser.add_argument("--article", action="append", default=[])
    parser.add_argument("--chapter", action="append", default=[])
    parser.add_argument("--whole-doc", action="append", default=[], help="a document summarised whole")
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from rag.engine import Engine

    settings = get_settings()
    if args.store is not None:
        settings = settings.model_copy(update={"store_path": args.store})
    engine = Engine(settings)
    rows = [measure(engine, args.doc, args.mode, article=a) for a in args.article]
    rows += [measure(engine, args.doc, args.mode, chapter=c) for c in args.chapter]
    rows += [measure(engine, doc, args.mode) for doc in args.whole_doc]
    if args.json:
        print(json.dumps({"mode": args.mode, "rows": rows, "load_average_1m": os.getloadavg()[0]}))
        return 0
    for row in rows:
        origin = "model" if row["model_written"] else "quoted"
        print(
            f"{row['target']}: {row['verified']}/{row['sentences']} sentences verified ({origin}), "
            f"covers {row['covered']}/{row['of']}, {row['seconds']} s"
            + (f" — {row['notice']}" if row["notice"] else "")
        )
        print("    " + row["text"][:600])
    written = [r for r in rows if r["model_written"]]
    print(
        f"{len(written)}/{len(rows)} summaries model-written; sentences verified "
        f"{sum(r['verified'] for r in rows)}/{sum(r['sentences'] for r in rows)} "
        f"(load average {os.getloadavg()[0]:.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
