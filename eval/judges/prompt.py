"""The LLM judges' prompt, the JSON schema of their reply, and how a reply is read.

The prompt is short on purpose: the local 1.5B model reads about 60 prompt tokens a second on
two cores, so one pair per call and a window of the passage (``eval.judges.window``), not the
whole article. The fixed system prompt comes first, so llama.cpp reuses it from its cache.
"""

from __future__ import annotations

import json
import re
from typing import Any

from eval.judges.base import UNPARSED, VERDICTS, Judgement

JUDGE_SYSTEM_PROMPT = """You check one claim against one passage of a treaty.
Reply with JSON only: {"verdict": "...", "reason": "..."}
verdict:
- "supported": the passage says what the claim says (plain wording or a summary is fine).
- "contradicted": the passage says otherwise: "may" or "shall endeavour" turned into "must" or "shall", another actor (State Party, requesting or requested State, service provider), a "not" added or dropped, another number, a condition left out, another treaty or article.
- "not_found": the claim adds something the passage does not say.
reason: at most 12 words naming the difference, e.g. "modality: passage says may, claim says must"."""

JUDGE_USER_TEMPLATE = "Passage ({source}):\n{passage}\n\nClaim: {claim}"

# The reply the judges ask for; llama.cpp turns it into a grammar, so the local model's reply always fits.
VERDICT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "verdict": {"type": "string", "enum": list(VERDICTS)},
        "reason": {"type": "string", "maxLength": 100},
    },
    "required": ["verdict", "reason"],
    "additionalProperties": False,
}

_OBJECT_RE = re.compile(r"\{.*\}", re.DOTALL)
_UNPARSED_EXCERPT = 120


def source_label(doc: str | None, article: str | None) -> str:
    """Where the passage comes from, as the prompt names it."""
    parts = [doc or "treaty text"]
    if article:
        parts.append(f"article {article}")
    return ", ".join(parts)


def judge_messages(
    claim: str, passage: str, doc: str | None = None, article: str | None = None
) -> list[dict[str, str]]:
    """The chat messages for one pair (``passage`` already cut to its window)."""
    user = JUDGE_USER_TEMPLATE.format(source=source_label(doc, article), passage=passage, claim=claim)
    return [{"role": "system", "content": JUDGE_SYSTEM_PROMPT}, {"role": "user", "content": user}]


def parse_reply(reply: str) -> Judgement:
    """The verdict in a model's reply; ``UNPARSED`` (with the reply's start as reason) when there is none.

    Accepts the JSON object alone, inside a code fence or after some words, and "not found"
    spelt with a space or a hyphen.
    """
    match = _OBJECT_RE.search(reply)
    try:
        obj = json.loads(match.group(0)) if match else None
    except json.JSONDecodeError:
        obj = None
    if not isinstance(obj, dict):
        return unparsed(f"not a JSON object: {reply[:_UNPARSED_EXCERPT]!r}")
    verdict = str(obj.get("verdict", "")).strip().lower().replace(" ", "_").replace("-", "_")
    if verdict not in VERDICTS:
        return unparsed(f"no verdict among {', '.join(VERDICTS)}: {reply[:_UNPARSED_EXCERPT]!r}")
    reason = " ".join(str(obj.get("reason", "")).split())
    return Judgement(verdict, reason)


def unparsed(reason: str) -> Judgement:
    """A judgement without a verdict; counted apart, and never taken as support."""
    return Judgement(UNPARSED, reason)
