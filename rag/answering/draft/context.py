"""What a generative provider is shown: retrieved passages numbered [1]..[n], within its budget.

A capable model (``openai``) reads whole passages, as stored, up to a token budget; the local
model reads each of its top passages as its best sentences, because reading the prompt
dominates a local answer on 2 cores. Either way, prompt number ``n`` maps back to one retrieved
passage through ``PromptContext.indices``, the one numbering every parser uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from rag.answering.retrieve.ranking import Candidate, overlaps
from rag.prompts import format_passages
from rag.settings import Settings
from rag.types import ScoredPassage

# The token budget is estimated from characters: English legal text runs about 4 to a token.
CHARS_PER_TOKEN = 4


@dataclass(frozen=True)
class PromptContext:
    """The passages a model sees: ``indices[n - 1]`` is the retrieved passage shown as ``[n]``."""

    indices: tuple[int, ...]
    labels: tuple[str, ...]
    texts: tuple[str, ...]

    @property
    def numbered(self) -> str:
        """The passages as the prompt shows them, one ``[n] (label) text`` line each."""
        return format_passages(list(zip(self.labels, self.texts, strict=True)), max_chars=None)

    def retrieved_index(self, number: int) -> int | None:
        """The retrieved passage shown as ``[number]``, or None for a number the prompt never showed."""
        return self.indices[number - 1] if 1 <= number <= len(self.indices) else None

    @property
    def size(self) -> int:
        return len(self.indices)


def whole_passages(passages: list[ScoredPassage], budget_tokens: int) -> PromptContext:
    """Hits, then the provisions they cite, whole and in rank order, while they fit ``budget_tokens``.

    The first hit is always shown, whatever its length.
    """
    order = [i for i, p in enumerate(passages) if not p.supporting] + [
        i for i, p in enumerate(passages) if p.supporting
    ]
    chosen: list[int] = []
    used = 0
    for index in order:
        cost = len(passages[index].passage.text) // CHARS_PER_TOKEN + 1
        if chosen and used + cost > budget_tokens:
            continue  # a shorter passage further down may still fit
        chosen.append(index)
        used += cost
    return PromptContext(
        tuple(chosen),
        tuple(passages[i].passage.label for i in chosen),
        tuple(passages[i].passage.text for i in chosen),
    )


def passage_excerpts(
    passages: list[ScoredPassage], candidates: list[Candidate], count: int, max_chars: int
) -> PromptContext:
    """The top ``count`` hits, each as its best-scored sentences within ``max_chars``."""
    chosen = [i for i, p in enumerate(passages) if not p.supporting][:count]
    return PromptContext(
        tuple(chosen),
        tuple(passages[i].passage.label for i in chosen),
        tuple(excerpt(i, passages[i], candidates, max_chars) for i in chosen),
    )


def context_for(
    mode: str, passages: list[ScoredPassage], candidates: list[Candidate], settings: Settings
) -> PromptContext:
    """What provider ``mode`` is shown of ``passages``, by its budget in ``settings``."""
    if mode == "openai":
        return whole_passages(passages, settings.openai_context_tokens)
    return passage_excerpts(passages, candidates, settings.local_prompt_passages, settings.local_excerpt_chars)


def excerpt(index: int, scored: ScoredPassage, candidates: list[Candidate], max_chars: int) -> str:
    """The best-scored sentences of retrieved passage ``index``, in reading order, within ``max_chars``.

    A passage with no scored sentence (a bare heading) is cut at the same length instead.
    """
    chosen: list[Candidate] = []
    used = 0
    for candidate in candidates:  # best first
        if candidate.passage_index != index or any(overlaps(candidate, c) for c in chosen):
            continue
        if chosen and used + len(candidate.text) > max_chars:
            break
        chosen.append(candidate)
        used += len(candidate.text)
    text = scored.passage.text
    if not chosen:
        return text[:max_chars]
    chosen.sort(key=lambda c: c.start)
    return " … ".join(text[c.start : c.end] for c in chosen)
