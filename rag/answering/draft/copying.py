"""How much of a sentence a model copied from a passage: a rewrite mostly copied is no rewrite.

The product shows a verbatim quote instead of a near-copy of it (its exact words, highlighted in
the source), and the evaluation does not count a copy as a sentence of the model's own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_WORD_RE = re.compile(r"[^\W_]+")
# A sentence is a copy of a passage when this share of its words lies in verbatim runs (of at least
# MIN_COPIED_RUN words) of that passage.
COPY_SHARE = 0.8
MIN_COPIED_RUN = 4


def copied_words(sentence: str, passage: str) -> int:
    """How many of ``sentence``'s words lie in runs of ``MIN_COPIED_RUN`` words or more that ``passage``
    has verbatim (case and punctuation aside): a copy joined from two places of a passage counts whole."""
    words = _WORD_RE.findall(sentence.lower())
    text = _WORD_RE.findall(passage.lower())
    # run[j]: the length of the common run starting at words[i] and text[j], filled from the end.
    run = [0] * (len(text) + 1)
    covered = [False] * len(words)
    for i in range(len(words) - 1, -1, -1):
        following = run
        run = [0] * (len(text) + 1)
        for j in range(len(text) - 1, -1, -1):
            if words[i] == text[j]:
                run[j] = following[j + 1] + 1
        longest = max(run)
        if longest >= MIN_COPIED_RUN:
            covered[i : i + longest] = [True] * longest
    return sum(covered)


def copies_passage(sentence: str, texts: Sequence[str | None]) -> bool:
    """Is ``sentence`` a copy of one of ``texts``: ``COPY_SHARE`` of its words copied from there?"""
    size = len(_WORD_RE.findall(sentence))
    return any(t and copied_words(sentence, t) >= COPY_SHARE * size for t in texts)
