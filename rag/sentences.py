"""Sentence splitting with character offsets, aware of legal abbreviations and list items."""

from __future__ import annotations

import re

_ABBREVIATIONS = (
    "art",
    "arts",
    "para",
    "paras",
    "no",
    "nos",
    "e.g",
    "i.e",
    "etc",
    "cf",
    "vol",
    "p",
    "pp",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "u.s",
    "u.n",
    "ets",
    "viz",
    "sect",
    "ch",
    "subpara",
)
_END_RE = re.compile(r"[.!?;](?:[”\"')\]]*)(?=\s+|$)|\n\s*\n|:\s*\n")
_CITATION_TAIL_RE = re.compile(r"^\s*(?:\[\d+\](?:\s*,?\s*)?)+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text``, whitespace trimmed.

    Breaks after ``. ! ? ;`` (legal enumerations end items with ';'), at blank lines and after a
    colon that ends a line, but not after common abbreviations ("art.", "para.", "e.g.") or a
    lone paragraph label ("1.", "(a)").
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END_RE.finditer(text):
        end = match.end()
        # Keep trailing citation markers ("... [2][3]") with their sentence.
        tail = _CITATION_TAIL_RE.match(text, end)
        if tail:
            end = tail.end()
        candidate = text[start:end]
        if match.group(0).startswith(".") and _ends_with_abbreviation(text[start : match.start() + 1]):
            continue
        if not candidate.strip() or _is_bare_label(candidate):
            continue
        spans.append(_trim(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return [s for s in spans if s[1] > s[0]]


def sentences_of(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def _ends_with_abbreviation(fragment: str) -> bool:
    words = fragment.strip().split()
    if not words:
        return False
    last = words[-1].lower().rstrip(".").lstrip("(")
    return last in _ABBREVIATIONS or bool(re.fullmatch(r"[a-z]", last))


def _is_bare_label(fragment: str) -> bool:
    return bool(re.fullmatch(r"\s*(?:\d{1,3}|\(?[a-z]{1,4}\))\.?\s*", fragment))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
