"""``python -m ingest PATH... [--store DIR] [--collection NAME] [--prune] [--reset] [--json]``.

Exit status: 0 when every file was ingested, 1 when any file failed, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tqdm import tqdm

from rag.cli_common import add_store_arguments, settings_from_args
from rag.engine import Engine
from rag.errors import RagError
from rag.ingestion import discover_files


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ingest", description="Ingest documents into the store.")
    parser.add_argument("paths", nargs="+", type=Path, help="files and folders (searched recursively)")
    add_store_arguments(parser)
    parser.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    parser.add_argument("--reset", action="store_true", help="empty the store before ingesting")
    parser.add_argument("--json", action="store_true", help="print one JSON summary object")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = settings_from_args(args)
    try:
        engine = Engine(settings)
        files, _ = discover_files(args.paths)
        bar = tqdm(total=len(files), unit="file", disable=args.json or len(files) < 2, file=sys.stderr)

        def step(name: str) -> None:
            bar.set_postfix_str(name[:40])
            bar.update(1)

        report = engine.ingest(args.paths, prune=args.prune, reset=args.reset, progress=step)
        bar.close()
    except RagError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for failure in report.failed:
        print(f"failed: {failure.path}: {failure.reason}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_json()))
    else:
        print(
            f"{report.documents} documents, {report.passages} passages: "
            f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
            f"{len(report.removed)} removed, {len(report.failed)} failed in {report.seconds:.1f} s"
        )
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
