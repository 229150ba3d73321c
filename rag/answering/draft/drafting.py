"""Read what a model drafted into sentences that claim passages: free text with ``[n]`` markers, or
a JSON object filled against a schema (the drafting small models get right).

Both readers map the prompt's numbers to retrieved passages through the same ``PromptContext``,
and both separate the direct answer ("Yes", "No", "90 days") from the claims that explain it.
A schema claim names the few words of its passage it rests on; a claim whose words are in no
shown passage is rejected before verification, with the reason. A claim that says nothing of its
own (``says_nothing``: "Yes", the direct answer again, its quote copied back) is dropped: a small
model fills the schema that way when it has no sentence to write.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Sequence
from dataclasses import replace
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import BaseMessage

from rag.answering.draft.context import PromptContext
from rag.answering.draft.generative import stream_text
from rag.answering.draft.types import Draft, DraftSentence
from rag.prompts import CANNOT_ANSWER_PHRASE, MAX_CLAIMS
from rag.sentences import split_sentences
from rag.settings import Settings
from rag.types import ScoredPassage
from rag.verification.claim import claim_of
from rag.verification.words import content_tokens

_MARKER_RE = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
# "Yes." / "No, ..." at the start of a free-text answer.
YES_NO_OPENING_RE = re.compile(r"^(yes|no)\b[\s,.;:!—–-]*", re.IGNORECASE)
# A first sentence of at most this many words, with no citation marker, is the direct answer.
MAX_DIRECT_WORDS = 8
# A claim says something when it has at least this many content words (``rag.verification.words``:
# not stop words, modal verbs or generic words such as "state", "treaty", "yes").
MIN_CLAIM_CONTENT_WORDS = 3
_WORD_RE = re.compile(r"[^\W_]+")
# A question opening with one of these words, after at most two words ("On which day", "Up to what
# amount"), asks for something other than yes or no.
_OPEN_QUESTION_RE = re.compile(
    r"\W*(?:[^\W_]+\s+){0,2}(?:what|which|who|whom|whose|when|where|why|how)\b", re.IGNORECASE
)
_ELLIPSIS_RE = re.compile(r"\s*(?:…|\.\.\.)\s*")
_QUOTE_MARKS = "\"'“”‘’"


def declines(text: str) -> bool:
    return CANNOT_ANSWER_PHRASE in text or CANNOT_ANSWER_PHRASE.replace("_", " ") in text.upper()


def parse_drafts(text: str, context: PromptContext) -> tuple[list[DraftSentence], bool]:
    """Sentences with the retrieved passages they claim by ``[n]``, and whether the model declined."""
    if declines(text):
        return [], True
    body = text.strip()
    drafts = []
    for start, end in split_sentences(body):
        sentence = body[start:end]
        claimed: list[int] = []
        for group in _MARKER_RE.findall(sentence):
            for number in group.split(","):
                index = context.retrieved_index(int(number)) if len(number.strip()) < 4 else None
                if index is not None:
                    claimed.append(index)
        if _MARKER_RE.sub("", sentence).strip(" .;,"):
            drafts.append(DraftSentence(sentence, tuple(dict.fromkeys(claimed))))
    return drafts, False


def parse_free_text(text: str, context: PromptContext) -> Draft:
    """A free-text answer: an opening "Yes."/"No."/short phrase is the direct answer, the rest claims.

    A sentence that is a question (the model asking the question back, or asking one of its own)
    claims nothing and is dropped, as a schema claim that is a question is (``says_nothing``)."""
    sentences, declined = parse_drafts(text, context)
    sentences = [s for s in sentences if not is_question(s.text)]
    if declined or not sentences:
        return Draft(None, [], declined)
    first = sentences[0]
    opening = YES_NO_OPENING_RE.match(first.text)
    if opening:
        rest = first.text[opening.end() :].strip()
        direct = opening.group(1).capitalize()
        if rest and _MARKER_RE.sub("", rest).strip(" .;,"):
            return Draft(direct, [DraftSentence(rest[0].upper() + rest[1:], first.claimed), *sentences[1:]])
        return Draft(direct, sentences[1:])
    words = _MARKER_RE.sub("", first.text).split()
    if len(sentences) > 1 and not first.claimed and len(words) <= MAX_DIRECT_WORDS:
        return Draft(" ".join(words).rstrip("."), sentences[1:])
    return Draft(None, sentences)


def is_question(sentence: str) -> bool:
    """Does ``sentence`` (its citation markers aside) end with a question mark?"""
    return _MARKER_RE.sub("", sentence).rstrip(" .;,").endswith("?")


def says_something(sentence: str) -> bool:
    """Has ``sentence`` (its citation markers and a "Yes," opener aside) ``MIN_CLAIM_CONTENT_WORDS`` content words?"""
    return len(content_tokens(claim_of(sentence))) >= MIN_CLAIM_CONTENT_WORDS


def says_nothing(claim: str, direct: str | None, quote: str) -> bool:
    """Is ``claim`` no claim: a question, too few content words, only the direct answer's words, or its quote
    copied back?"""
    if is_question(claim) or not says_something(claim):
        return True
    stems = {t.stem for t in content_tokens(claim_of(claim))}
    if direct and stems <= {t.stem for t in content_tokens(direct)}:
        return True
    return _is_run_of(_words(claim), _words(quote))


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def _is_run_of(words: list[str], within: list[str]) -> bool:
    """Are ``words`` (at least one) a contiguous run of ``within``?"""
    size = len(words)
    return size > 0 and any(within[i : i + size] == words for i in range(len(within) - size + 1))


def answer_schema(passage_count: int, direct: bool = True) -> dict[str, Any]:
    """The JSON schema a small model fills: the direct answer (when ``direct``) and the claims.

    Strings carry no ``maxLength``: llama.cpp turns one into as many nested grammar rules, which
    slows sampling; the prompt asks for short strings and ``llm_max_tokens`` bounds them.
    """
    claim = {
        "type": "object",
        "properties": {
            "passage": {"type": "integer", "enum": list(range(1, max(1, passage_count) + 1))},
            "claim": {"type": "string"},  # before its quote: written in the model's words, streamed first
            "quote": {"type": "string"},
        },
        "required": ["passage", "claim", "quote"],
        "additionalProperties": False,
    }
    properties: dict[str, Any] = {
        "claims": {"type": "array", "items": claim, "minItems": 1, "maxItems": MAX_CLAIMS if direct else MAX_CLAIMS + 2}
    }
    if direct:  # after the claims: the model answers from what it has just stated
        properties["answer"] = {"type": "string"}
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def schema_for(mode: str, settings: Settings, passage_count: int, direct: bool = True) -> dict[str, Any] | None:
    """The schema provider ``mode`` fills, or None when it writes free text: only the local model
    drafts by schema when ``local_drafting`` says "schema"."""
    if mode == "local" and settings.local_drafting == "schema":
        return answer_schema(passage_count, direct)
    return None


def parse_schema(text: str, context: PromptContext, passages: Sequence[ScoredPassage]) -> Draft:
    """A filled answer schema: each claim's words are looked for in its passage, then in the others shown.

    A claim whose words are in no shown passage is kept as a rejected draft (never cited); one whose
    words are in another shown passage claims that one instead. A claim that ``says_nothing`` is dropped.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        # Cut at the token limit: keep the whole claims written before the cut.
        data = complete_prefix(text)
    if not isinstance(data, dict):
        return Draft(None, [], False)
    answer = str(data.get("answer") or "").strip().rstrip(".")
    direct = answer[:1].upper() + answer[1:] or None  # it opens the answer shown
    if direct and declines(direct):
        return Draft(None, [], True)
    drafts: list[DraftSentence] = []
    seen: set[str] = set()
    for item in data.get("claims") or []:
        if not isinstance(item, dict):
            continue
        claim = " ".join(str(item.get("claim") or "").split())
        quote = str(item.get("quote") or "")
        if not claim or claim.lower() in seen or declines(claim) or says_nothing(claim, direct, quote):
            continue
        seen.add(claim.lower())
        number = item.get("passage")
        claimed = context.retrieved_index(number) if isinstance(number, int) else None
        drafts.append(_anchored_claim(claim, quote, claimed, number, context, passages))
    return Draft(direct, drafts, False)


def _anchored_claim(
    claim: str,
    quote: str,
    claimed: int | None,
    number: object,
    context: PromptContext,
    passages: Sequence[ScoredPassage],
) -> DraftSentence:
    """The claim with the passage its quoted words are in: the claimed one first, then the others shown."""
    order = ([claimed] if claimed is not None else []) + [i for i in context.indices if i != claimed]
    for index in order:
        if locate_quote(quote, passages[index].passage.text) is not None:
            return DraftSentence(claim, (index,))
    shown = " ".join(quote.split())[:60]
    return DraftSentence(claim, (), rejection=f"the words it rests on (“{shown}”) are not in passage {number}")


def locate_quote(quote: str, text: str) -> tuple[int, int] | None:
    """Where ``quote`` occurs in ``text``, ignoring case and differences of whitespace; None if absent.

    Quotation marks and end punctuation around the quote are not required to match. A quote of
    fewer than two words is too weak to anchor a claim and is never found. A quote copied across
    the "…" that joins a passage's excerpts (``rag.answering.context``) is found when each of its
    parts of two words or more is; its span is its longest part's.
    """
    parts = [p.strip(_QUOTE_MARKS).strip(" .,;:").split() for p in _ELLIPSIS_RE.split(quote.strip())]
    parts = sorted((p for p in parts if len(p) >= 2), key=len, reverse=True)
    spans = [_locate_words(p, text) for p in parts]
    if not spans or any(span is None for span in spans):
        return None
    return spans[0]


def _locate_words(words: list[str], text: str) -> tuple[int, int] | None:
    pattern = r"\s+".join(re.escape(word) for word in words)
    match = re.search(pattern, text, re.IGNORECASE)
    return (match.start(), match.end()) if match else None


def complete_prefix(text: str) -> object:
    """The JSON object of ``text`` up to its last complete claim (a generation cut at its token limit)."""
    for cut in range(len(text) - 1, 0, -1):
        if text[cut] != "}":
            continue
        candidate = text[: cut + 1] + "]}"
        try:
            return json.loads(candidate)
        except json.JSONDecodeError:
            continue
    return None


class FieldStream:
    """The readable text of a JSON answer while it is generated: its ``field`` strings, one after the other.

    ``feed`` takes the next piece of raw model output and returns the new readable text, so a
    user sees words, not JSON, stream in. The direct answer comes last in the JSON; the final
    answer puts it first.
    """

    def __init__(self, field: str = "claim") -> None:
        self._field_re = re.compile(rf'"{field}"\s*:\s*"((?:[^"\\]|\\.)*)')
        self._raw = ""
        self._emitted: list[int] = []  # characters already shown, per field

    def feed(self, piece: str) -> str:
        self._raw += piece
        out = []
        for position, match in enumerate(self._field_re.finditer(self._raw)):
            value = _unescape(match.group(1))
            if position == len(self._emitted):
                self._emitted.append(0)
                if position > 0:
                    out.append(" ")
            done = self._emitted[position]
            if len(value) > done:
                out.append(value[done:])
                self._emitted[position] = len(value)
        return "".join(out)


def _unescape(raw: str) -> str:
    raw = raw[:-1] if raw.endswith("\\") and not raw.endswith("\\\\") else raw
    try:
        return str(json.loads(f'"{raw}"'))
    except json.JSONDecodeError:
        return raw.replace('\\"', '"')


def stream_draft(
    model: BaseChatModel,
    messages: list[BaseMessage],
    context: PromptContext,
    passages: Sequence[ScoredPassage],
    schema: dict[str, Any] | None,
) -> Generator[str, None, Draft]:
    """Stream the model's readable text as it is generated; return what it drafted.

    With ``schema`` the model fills it (a JSON object) and the readable text is its fields'.
    """
    pieces: list[str] = []
    readable = FieldStream() if schema is not None else None
    for piece in stream_text(model, messages, schema):
        pieces.append(piece)
        shown = readable.feed(piece) if readable is not None else piece
        if shown:
            yield shown
    text = "".join(pieces)
    return parse_schema(text, context, passages) if schema is not None else parse_free_text(text, context)


def for_question(drafted: Draft, question: str) -> Draft:
    """``drafted`` without a "Yes" or "No" direct answer to a question that asks for something else
    ("What is the treaty meant to achieve?" opens with "what"): small models answer "Yes" by habit."""
    if drafted.direct and drafted.direct.lower() in ("yes", "no") and _OPEN_QUESTION_RE.match(question):
        return replace(drafted, direct=None)
    return drafted


def finish(drafting: Generator[str, None, Draft]) -> Draft:
    """Run a streaming draft to its end, when nobody reads the text as it comes."""
    while True:
        try:
            next(drafting)
        except StopIteration as done:
            return done.value
