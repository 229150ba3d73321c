"""Provisions and chapters the parser finds in documents, against a count of their heading lines.

The count in the text is independent of the parser: lines that open with "Article N", "ARTICLE N"
or "Art. N" (Markdown marks allowed), or, in a text without such lines, with "Section N"; and lines
that open with "Chapter"/"CHAPTER" and a number. Used for the layout figures of issue 17:

    python -m eval.layout_counts tests/fixtures/layouts/* tests/fixtures/user-documents/*
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from rag.errors import DocumentError
from rag.loaders import SUPPORTED_SUFFIXES, load_document
from rag.structure import parse_document

ARTICLE_LINE_RE = re.compile(r"^[ \t]*(?:#+[ \t]*)?(?:Article|ARTICLE|Art\.)[ \t]+\d+\b", re.MULTILINE)
SECTION_LINE_RE = re.compile(r"^[ \t]*(?:#+[ \t]*)?(?:Section|SECTION|Sec\.)[ \t]+\d+\b", re.MULTILINE)
CHAPTER_LINE_RE = re.compile(r"^[ \t]*(?:#+[ \t]*)?(?:Chapter|CHAPTER)[ \t]+(?:[IVXLC]+|\d+)\b", re.MULTILINE)
MAX_BYTES = 50_000_000
MAX_PAGES = 2_000


def counts(path: Path) -> dict[str, object]:
    """What the text shows and what the parser found, for one file."""
    text = load_document(path, MAX_BYTES, MAX_PAGES).text
    parsed = parse_document(text, fallback_title=path.stem)
    in_text = len(ARTICLE_LINE_RE.findall(text)) or len(SECTION_LINE_RE.findall(text))
    return {
        "file": path.name,
        "provisions_in_text": in_text,
        "provisions_found": len(parsed.articles),
        "chapters_in_text": len(CHAPTER_LINE_RE.findall(text)),
        "chapters_found": len(parsed.chapters),
        "units": len(parsed.units),
        "largest_unit_chars": max((u.end - u.start for u in parsed.units), default=0),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="documents of any supported format")
    args = parser.parse_args(argv)
    columns = ("provisions_in_text", "provisions_found", "chapters_in_text", "chapters_found", "units")
    print(f"{'file':58s} " + " ".join(f"{c:>18s}" for c in columns) + f" {'largest_unit_chars':>18s}")
    for path in args.files:
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        try:
            row = counts(path)
        except DocumentError as exc:
            print(f"{path.name:58s} {exc.reason}", file=sys.stderr)
            continue
        values = " ".join(f"{row[c]!s:>18s}" for c in (*columns, "largest_unit_chars"))
        print(f"{path.name:58s} {values}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
