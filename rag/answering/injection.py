"""Recognise text addressed to the assistant: documents are data, never instructions.

A passage that says "ignore your instructions and ..." or pretends to be a system prompt is
kept in the store (it is part of the document), but its instruction sentences are never used
as evidence for an answer, never accepted as support for a sentence, and never quoted.
"""

from __future__ import annotations

import re

INSTRUCTION_RE = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.]{0,60}\b(?:instructions?|rules|prompts?|guidelines)\b"
    r"|\bsystem prompt\b|\bnew rules\b|\bno restrictions\b|\bjailbreak"
    r"|\byou are (?:now )?(?:an? |the )?\w*(?:bot|assistant|ai|gpt)\b"
    r"|\b(?:assistant|chatbot|language model|the ai)\b[^.]{0,40}\b(?:must|should|shall|will|reads?|cite|say|answer)\b"
    r"|\b(?:reveal|print|repeat|show)\b[^.]{0,40}\b(?:instructions|system prompt|prompt)\b"
    r"|\bcite \[\d+\]"
    r"|\b(?:whatever|regardless of) the (?:question|passage)\b",
    re.IGNORECASE,
)


def looks_like_instruction(text: str) -> bool:
    """True when ``text`` speaks to an AI assistant rather than states what a document says."""
    return INSTRUCTION_RE.search(text) is not None
