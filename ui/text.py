"""Pure helpers of the app (no Streamlit): safe Markdown, highlighted passages, feedback.

Everything that comes from a document (passage text, quotes, titles, labels, model output) is
shown through ``escape_markdown`` so that ``<script>``, ``[link](x)``, ``**bold**``, ``$x$`` or
``:orange[...]`` in a document appear literally and never as markup.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# Every ASCII punctuation character that CommonMark or Streamlit's Markdown extensions
# (colours, badges, icons, emoji shortcodes, LaTeX, tables) give a meaning to. A backslash
# before ASCII punctuation is always a literal in CommonMark, so over-escaping is harmless.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~&:=^\"'%@/])")
_INDENT = re.compile(r"\n[ \t]+")
HIGHLIGHT = "yellow-background"


def escape_markdown(text: str, at_line_start: bool = True) -> str:
    """``text`` as Markdown that renders literally (line breaks kept).

    ``at_line_start=False`` for a fragment that continues a line: its leading spaces are kept.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if at_line_start:
        text = text.lstrip(" \t")
    text = _INDENT.sub("\n", text)  # indentation would start a code block
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    # A single newline is a hard break; blank lines stay paragraph breaks.
    return re.sub(r"(?<!\n)\n(?!\n)", "  \n", escaped)


def _highlighted(fragment: str, colour: str, at_line_start: bool) -> str:
    """An escaped fragment wrapped in a Streamlit colour directive, one directive per line.

    Whitespace around each line stays outside the directive.
    """
    out = []
    for index, line in enumerate(fragment.replace("\r\n", "\n").split("\n")):
        core = line.strip(" \t")
        if not core:
            out.append("")
            continue
        keep_lead = index == 0 and not at_line_start
        lead = line[: len(line) - len(line.lstrip(" \t"))] if keep_lead else ""
        trail = line[len(line.rstrip(" \t")) :]
        out.append(f"{lead}:{colour}[{escape_markdown(core)}]{trail}")
    return re.sub(r"(?<!\n)\n(?!\n)", "  \n", "\n".join(out))


def passage_markdown(text: str, spans: Iterable[tuple[int, int]] = (), colour: str = HIGHLIGHT) -> str:
    """The passage as safe Markdown with the character ``spans`` (relative to the passage) highlighted.

    Spans outside the passage are clipped; overlapping spans are merged.
    """
    clipped = sorted((max(0, a), min(len(text), b)) for a, b in spans if b > 0 and a < len(text) and b > a)
    merged: list[tuple[int, int]] = []
    for a, b in clipped:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    parts: list[str] = []
    cursor = 0

    def line_start(offset: int) -> bool:
        return offset == 0 or text[offset - 1] == "\n"

    for a, b in merged:
        parts.append(escape_markdown(text[cursor:a], line_start(cursor)))
        parts.append(_highlighted(text[a:b], colour, line_start(a)))
        cursor = b
    parts.append(escape_markdown(text[cursor:], line_start(cursor)))
    return "".join(parts)


def quote_span(passage_start: int, passage_end: int, start: int, end: int) -> tuple[int, int] | None:
    """The span of a citation (document offsets) relative to its passage, or None if it lies outside."""
    if end <= passage_start or start >= passage_end or end <= start:
        return None
    return max(start, passage_start) - passage_start, min(end, passage_end) - passage_start


# ----- feedback -----

_feedback_lock = threading.Lock()


def append_feedback(path: Path, question: str, answer_json: dict[str, Any], rating: str) -> dict[str, Any]:
    """Append one rating as a JSON line; returns the record written."""
    record = {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "question": question,
        "rating": rating,
        "answer": answer_json,
    }
    line = json.dumps(record, ensure_ascii=False) + "\n"
    with _feedback_lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line)
    return record
