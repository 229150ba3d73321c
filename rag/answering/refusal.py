"""Decide, outside the model, when the documents do not answer a question.

On-topic questions the corpus cannot answer retrieve passages as similar as those of
answerable ones (measured on the dev split: the best-sentence score does not separate them).
Two things refuse outright: a name the question relies on ("Human Rights Watch", "Convention
108", "OHCHR") that no document mentions, and evidence under a floor. Everything else is the
answerability model's call (``rag.answering.answerability``), which weighs what the question
asks for against what the closest sentences give; the rules here that spot a missing figure
("how many", "how long", "how many <things>") or a missing date of a past event are its
features and name the reason shown to the user.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.references import DOCUMENT_ALIASES

EVIDENCE_FLOOR = 0.30
QUANTITY_SENTENCES = 5

_NAME_CONNECTORS = r"(?:\s+(?:of|in|on|for|the|and|de|to)\s+|\s+|-)"
_NAME_WORD = r"(?:[A-Z][\w’'-]*|\d{2,4}(?![/\d]))"
NAME_RE = re.compile(rf"\b[A-Z][\w’'-]*(?:{_NAME_CONNECTORS}{_NAME_WORD})*")
# Acronyms of three or more capitals; a plural ("NGOs", "ISPs") is a common noun, not a name.
ACRONYM_RE = re.compile(r"\b[A-Z]{3,}\b(?!s)")
_PLURAL_ACRONYM_RE = re.compile(r"[A-Z]{2,}s")
_POSSESSIVE_RE = re.compile(r"(?:’s|'s|’|')$")
_QUESTION_WORDS = frozenset(
    [
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "is",
        "are",
        "was",
        "were",
        "do",
        "does",
        "did",
        "can",
        "could",
        "may",
        "might",
        "must",
        "shall",
        "should",
        "will",
        "would",
        "has",
        "have",
        "had",
        "if",
        "under",
        "in",
        "on",
        "at",
        "for",
        "according",
        "and",
        "or",
        "but",
        "the",
        "a",
        "an",
        "does",
        "any",
        "there",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "i",
        "my",
        "me",
        "we",
        "our",
        "you",
        "your",
        "they",
        "their",
        "i'm",
        "i’m",
        "i've",
        "i’ve",
        "i'd",
        "i’d",
    ]
)
GENERIC_NAMES = frozenset(
    [
        "un",
        "u.n",
        "us",
        "u.s",
        "usa",
        "united",
        "nations",
        "state",
        "states",
        "party",
        "parties",
        "convention",
        "treaty",
        "article",
        "chapter",
        "protocol",
        "court",
        "government",
    ]
)
QUANTITY_QUESTION_RE = re.compile(
    r"\bhow (?:many|much|long|large|big|high|often|soon)\b|\bwithin how\b|\bwhat (?:percentage|number|amount|share)\b"
    r"|\bvote tally\b|\bhow many\b|\bmaximum (?:fine|penalty|sentence)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    "sixty|ninety|hundred|first|second|third|fourth|fifth|tenth|thirtieth|fortieth|fiftieth|sixtieth|ninetieth"
)
QUANTITY_RE = re.compile(
    rf"(?<!article )(?<!articles )(?<!paragraph )(?<!art\. )(?<!\()\b(?:\d+(?:[.,]\d+)?|{_NUMBER_WORDS})\b"
    r"(?:\s+\w+){0,3}?\s+(?:days?|months?|years?|hours?|weeks?|instruments?|ratifications?|states?|"
    r"countries|members?|per ?cent|percent|votes?|sessions?|times|persons|dollars|euros?)\b",
    re.IGNORECASE,
)

# "how many countries" asks for a count of countries: the evidence must count those (or their synonyms).
COUNTED_NOUN_RE = re.compile(r"\bhow many\s+(\w+)(?:\s+(\w+))?", re.IGNORECASE)
COUNTED_SYNONYMS: dict[str, tuple[str, ...]] = {
    "countr": ("countr", "state", "part", "member", "instrument"),
    "state": ("countr", "state", "part", "member", "instrument"),
    "ratification": ("ratification", "instrument", "state", "countr"),
}
PAST_DATE_QUESTION_RE = re.compile(
    r"\bwhen (?:did|was|were)\b|\b(?:on|at) what date\b|\bwhat date\b|\b(?:in )?(?:what|which) year\b", re.IGNORECASE
)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
DATE_RE = re.compile(rf"\b(?:1[89]|20)\d{{2}}\b|\b(?:{_MONTHS})\b", re.IGNORECASE)


def counts_the_asked_noun(question: str, sentences: Sequence[str]) -> bool:
    """For "how many <noun>": does a sentence give a number within three words before that noun?"""
    match = COUNTED_NOUN_RE.search(question)
    if not match:
        return True
    # The counted noun is the first plural after "how many" ("how many negotiating sessions").
    first, second = match.group(1).lower(), (match.group(2) or "").lower()
    noun = first if first.endswith("s") or not second.endswith("s") else second
    stem = re.sub(r"(?:ies|s)$", "", noun)
    nouns = COUNTED_SYNONYMS.get(stem, (stem,))
    counted = re.compile(
        rf"\b(?:\d+|{_NUMBER_WORDS})\w*\b(?:\s+[\w-]+){{0,3}}?\s+(?:{'|'.join(nouns)})\w*", re.IGNORECASE
    )
    return any(counted.search(s) for s in sentences)


@dataclass(frozen=True)
class RefusalDecision:
    refuse: bool
    reason: str = ""
    probability: float | None = None  # the model's probability that the passages answer, when it was asked


def names_in(question: str) -> list[str]:
    """Proper names and acronyms a question uses, minus question words and generic titles.

    A capitalised word that opens a sentence is not a name on its own ("Once", "Does").
    """
    names: list[str] = []
    for match in NAME_RE.finditer(question):
        words = [_POSSESSIVE_RE.sub("", w) for w in match.group(0).split()]
        while words and words[0].lower() in _QUESTION_WORDS | GENERIC_NAMES:
            words = words[1:]
        at_sentence_start = not question[: match.start()].strip() or question[: match.start()].rstrip()[-1] in ".?!"
        if len(words) == 1 and (
            (at_sentence_start and not ACRONYM_RE.fullmatch(words[0])) or _PLURAL_ACRONYM_RE.fullmatch(words[0])
        ):
            continue
        name = " ".join(words).strip(" -")
        if name and name.lower() not in GENERIC_NAMES and len(name) > 1:
            names.append(name)
    names.extend(m.group(0) for m in ACRONYM_RE.finditer(question) if m.group(0).lower() not in GENERIC_NAMES)
    return list(dict.fromkeys(names))


def is_document_alias(name: str) -> bool:
    """True when ``name``, less generic words, is one of the documents' own names."""
    core = " ".join(w for w in re.split(r"\s+", name.lower()) if w not in GENERIC_NAMES and w != "the")
    return bool(core) and any(
        re.fullmatch(pattern, core) for patterns in DOCUMENT_ALIASES.values() for pattern in patterns
    )


def _mentioned(name: str, corpus_lower: str) -> bool:
    """The name's words in order, allowing up to two small words between them ("Conference of the States")."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", name.lower()) if w]
    pattern = r"\b" + r"\W+(?:\w+\W+){0,2}?".join(words) + r"\b"
    return re.search(pattern, corpus_lower) is not None


def unknown_names(question: str, corpus_lower: str) -> list[str]:
    """Names from ``question`` that no document mentions (documents' own names count as known)."""
    return [name for name in names_in(question) if not is_document_alias(name) and not _mentioned(name, corpus_lower)]


def outright(values: dict[str, float], missing_names: Sequence[str]) -> RefusalDecision | None:
    """The refusal that no model probability overrides, if any: evidence under the floor, or names
    the question relies on (``unknown_names``) that no document mentions."""
    if values["evidence"] < EVIDENCE_FLOOR:
        return RefusalDecision(True, "No passage comes close to answering the question.")
    if missing_names:
        quoted = ", ".join(f"“{name}”" for name in missing_names)
        return RefusalDecision(True, f"The documents never mention {quoted}.")
    return None


def decide(
    values: dict[str, float], missing_names: Sequence[str], probability: float, threshold: float
) -> RefusalDecision:
    """Whether to refuse, and the reason shown to the user.

    ``values`` are ``rag.answering.answerability.features`` of the question and its evidence, and
    ``probability`` the answerability model's estimate that the passages answer it. After the
    ``outright`` refusals the probability decides against ``threshold``, and the reason names what
    the closest provisions lack.
    """
    early = outright(values, missing_names)
    if early is not None:
        return early
    if probability >= threshold:
        return RefusalDecision(False, probability=probability)
    if values["figure_missing"] or values["count_missing"]:
        reason = "The question asks for a figure that the closest provisions do not give."
    elif values["date_missing"]:
        reason = "The question asks for a date that the closest provisions do not give."
    else:
        reason = "The closest provisions do not say what the question asks."
    return RefusalDecision(True, reason, probability)
