"""The part of a passage an LLM judge reads: the sentences that share most words with the claim.

A whole article can run to thousands of characters; the local model reads about 60 prompt
tokens a second, so the judge sees the best-matching sentence and its neighbours, up to a size.
"""

from __future__ import annotations

from rag.keyword_index import tokenize
from rag.sentences import split_sentences

WINDOW_CHARS = 900


def passage_window(passage: str, claim: str, max_chars: int = WINDOW_CHARS) -> str:
    """``passage`` itself when short; else the run of its sentences around the one closest to ``claim``.

    The run grows from the sentence sharing most stemmed words with the claim, taking the
    neighbour (before or after) that shares more, while it fits in ``max_chars``. A single
    sentence longer than ``max_chars`` is kept whole: cutting it could cut off its condition.
    """
    text = passage.strip()
    if len(text) <= max_chars:
        return text
    spans = split_sentences(text) or [(0, len(text))]
    claim_terms = set(tokenize(claim))
    overlap = [len(claim_terms & set(tokenize(text[a:b]))) for a, b in spans]
    best = max(range(len(spans)), key=lambda i: (overlap[i], -i))
    first = last = best
    while True:
        candidates = []
        if first > 0 and spans[last][1] - spans[first - 1][0] <= max_chars:
            candidates.append((overlap[first - 1], 1, first - 1))
        if last + 1 < len(spans) and spans[last + 1][1] - spans[first][0] <= max_chars:
            candidates.append((overlap[last + 1], 0, last + 1))
        if not candidates:
            break
        _, _, index = max(candidates)
        first, last = min(first, index), max(last, index)
    return text[spans[first][0] : spans[last][1]]
