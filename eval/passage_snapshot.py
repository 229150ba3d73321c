"""Print every corpus file's parsed units and passages (ids, spans, labels) as JSON lines.

A parser or chunker change that must not alter the built-in documents is checked by diffing
this output before and after the change:

    python -m eval.passage_snapshot corpus > before.jsonl   # on main
    python -m eval.passage_snapshot corpus > after.jsonl    # on the branch
    diff before.jsonl after.jsonl && echo unchanged
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rag.chunking import chunk_document
from rag.structure import parse_document
from rag.types import SourceDocument

UNIT_FIELDS = (
    "kind", "start", "body_start", "end", "chapter", "chapter_title", "section", "article", "title", "paragraphs",
    "refers_to",
)  # fmt: skip


def snapshot(folder: Path, max_tokens: int) -> list[dict[str, object]]:
    """One record per unit and per passage of every ``.txt`` file in ``folder``, in reading order."""
    records: list[dict[str, object]] = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        parsed = parse_document(text, fallback_title=path.stem)
        records.append({"file": path.name, "title": parsed.title, "is_notes": parsed.is_notes})
        for unit in parsed.units:
            record = {name: getattr(unit, name) for name in UNIT_FIELDS}
            record["paragraphs"] = [[p.number, p.start, p.end] for p in unit.paragraphs]
            records.append({"unit": record})
        doc = SourceDocument(doc_id=path.stem, title=parsed.title, text=text)
        for passage in chunk_document(doc, parsed, max_tokens=max_tokens):
            records.append(
                {
                    "id": passage.id,
                    "span": [passage.start, passage.end],
                    "kind": passage.kind,
                    "chapter": passage.chapter,
                    "article": passage.article,
                    "title": passage.article_title,
                    "paragraphs": list(passage.paragraphs),
                    "context": passage.context,
                }
            )
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder of .txt documents (e.g. corpus)")
    parser.add_argument("--max-tokens", type=int, default=230, help="passage budget (approximate tokens)")
    args = parser.parse_args(argv)
    for record in snapshot(args.folder, args.max_tokens):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
