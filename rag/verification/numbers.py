"""Numbers, durations and ordinals, in words or digits: "ninetieth day" = "90th day" = "90 days".

Article, paragraph and resolution numbers are references, not figures: the instrument check
reads them. A figure of the sentence that the passage does not give is a conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rag.verification.grounding import is_grounded, region_words
from rag.verification.types import Conflict
from rag.verification.words import TEXT_CACHE_SIZE, Token, content_tokens

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
# Figures in words: compared here, so other checks do not read them as content that places an actor.
NUMBER_WORDS = frozenset([*_UNITS, *_TENS])
_ORDINAL_UNITS = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_ORDINAL_TENS = {
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
}

WORD_VALUES: dict[str, int] = {w: i for i, w in enumerate(_UNITS)} | _TENS
WORD_VALUES |= {w: i for i, w in enumerate(_ORDINAL_UNITS)} | _ORDINAL_TENS
WORD_VALUES |= {"hundred": 100, "hundredth": 100, "thousand": 1000, "dozen": 12}
for _tens_word, _tens in _TENS.items():
    for _i in range(1, 10):
        WORD_VALUES[f"{_tens_word}-{_UNITS[_i]}"] = _tens + _i
        WORD_VALUES[f"{_tens_word}-{_ORDINAL_UNITS[_i]}"] = _tens + _i

# Words so common in prose that they count as figures only before a unit ("one year", "first day").
_WEAK_WORDS = frozenset({"one", "first", "second", "zero", "zeroth", "dozen", "hundred", "thousand"})
_TIME_UNITS = frozenset({"day", "week", "month", "year", "hour", "minute"})
_UNIT_RE = (
    r"(?:days?|weeks?|months?|years?|hours?|minutes?|instruments?|ratifications?|sessions?|meetings?|"
    r"states?|parties|countries|per\s*cent|percent|%)"
)
_NUMBER_RE = re.compile(
    rf"\b(?P<digits>\d+(?:[.,]\d+)*)(?:st|nd|rd|th)?\b|"
    rf"\b(?P<word>{'|'.join(sorted(WORD_VALUES, key=len, reverse=True))})\b",
    re.IGNORECASE,
)
_AFTER_UNIT_RE = re.compile(rf"\s*(?:\(\d+\)\s*)?{_UNIT_RE}\b", re.IGNORECASE)
_REFERENCE_BEFORE_RE = re.compile(
    r"(?:\b(?:chapters?|notes?|resolutions?|rules?|annex|no|nos|ets|section)\.?\s*|§\s*|/)$", re.IGNORECASE
)
# Provision references ("articles 7 to 11", "article 40, paragraphs 21 and 22", "art. 14(1)(b)"): the
# instrument check compares their numbers; a paragraph label opening a line ("2. ") is no figure.
REFERENCE_RE = re.compile(
    r"\b(?:art(?:icle)?s?\.?|paragraphs?|paras?\.?|subparagraphs?)\s*\d+(?:\s*\(\w+\))*"
    r"(?:\s*(?:,|and|to|through|or|-|–)\s*(?:(?:art(?:icle)?s?\.?|paragraphs?|paras?\.?)\s*)?\d+(?:\s*\(\w+\))*)*"
    r"|(?m:^\s*\d+\.\s)|\(\d+\)",
    re.IGNORECASE,
)


CALENDAR_YEAR = "calendar year"  # the unit of a bare year ("until 31 December 2026")
_CALENDAR_YEAR_RE = re.compile(r"(?:19|20|21)\d\d")


@dataclass(frozen=True)
class Figure:
    value: float
    surface: str  # the figure with its unit, as written ("four years")
    unit: str | None
    start: int = 0
    end: int = 0
    bound: str | None = None  # "at least" (MINIMUM) or "up to" (MAXIMUM), when the text bounds the figure


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def figures(text: str) -> tuple[Figure, ...]:
    """The figures of ``text``, references excluded."""
    found = []
    references = [(m.start(), m.end()) for m in REFERENCE_RE.finditer(text)]
    for match in _NUMBER_RE.finditer(text):
        if any(a <= match.start() < b for a, b in references):
            continue
        before = text[max(0, match.start() - 40) : match.start()]
        if _REFERENCE_BEFORE_RE.search(before) or text[match.end() : match.end() + 1] in {"/", "("}:
            continue
        if text[match.end() : match.end() + 1] == "/" or before.endswith("/"):
            continue
        unit_match = _AFTER_UNIT_RE.match(text, match.end())
        unit = unit_match.group(0).strip().lower().rstrip("s") if unit_match else None
        if unit is None and _CALENDAR_YEAR_RE.fullmatch(match.group(0)):
            unit = CALENDAR_YEAR
        if match.group("word"):
            word = match.group("word").lower()
            if word in _WEAK_WORDS and (unit is None or (word == "one" and unit not in _TIME_UNITS)):
                continue  # "one State Party may ask another": a pronoun, not a count
            value = float(WORD_VALUES[word])
        else:
            value = float(match.group("digits").replace(",", ""))
        end = unit_match.end() if unit_match else match.end()
        bound = _bound(text, match.start(), end)
        found.append(Figure(value, text[match.start() : end], unit, match.start(), end, bound))
    return tuple(found)


MINIMUM, MAXIMUM = "minimum", "maximum"
_BOUND_BEFORE_RE = re.compile(
    r"\b(?:(?P<min>at least|not less than|no less than|(?:a )?minimum (?:period )?of|no fewer than|not fewer than)|"
    r"(?P<max>up to(?: a maximum of)?|at most|no more than|not more than|(?:a )?maximum period of|not exceeding|"
    r"within|no later than|not later than))\s*$",
    re.IGNORECASE,
)
_BOUND_AFTER_RE = re.compile(r"^\W{0,2}\s*(?:(?P<min>or more|or longer|at least)|(?P<max>or less|or fewer|at most))\b")


def _bound(text: str, start: int, end: int) -> str | None:
    """Whether the words right around the figure make it a minimum or a maximum ("a maximum of four years or
    more" is a minimum: the words after the figure decide first)."""
    for found in (_BOUND_AFTER_RE.match(text[end:]), _BOUND_BEFORE_RE.search(text[max(0, start - 40) : start])):
        if found:
            return MINIMUM if found.group("min") else MAXIMUM
    return None


def compare(claim_text: str, passage_text: str) -> list[Conflict]:
    """A conflict for the first figure of the sentence that the passage does not give, or gives for something else.

    A figure the passage gives may still be the wrong one: "a session of up to ten days in Vienna"
    when the passage holds "two sessions of 10 days each" and "a session of up to five days in
    Vienna". The figure whose neighbouring words the sentence's neighbouring words match best is
    the one the sentence speaks of.
    """
    given = figures(passage_text)
    values = {f.value for f in given}
    if "24/7" in passage_text or "twenty-four hours" in passage_text.lower():
        values |= {24.0, 7.0}
    for figure in figures(claim_text):
        # "one month" is not given by "the first day" when the passage counts its months in threes.
        if figure.value in values and not _other_unit_only(figure, given):
            rival = _rival(claim_text, figure, passage_text, given)
            if rival is not None:
                return [_conflict(rival, figure)]
            bounded_otherwise = _other_bound(figure, given)
            if bounded_otherwise is not None:
                return [_conflict(bounded_otherwise, figure, bounds=True)]
            continue
        same_unit = [f for f in given if f.unit and f.unit == figure.unit]
        if same_unit:
            return [_conflict(same_unit[0], figure)]
        return [Conflict("number", f'number: the sentence says "{figure.surface}", the passage gives no such figure')]
    return []


def _other_unit_only(figure: Figure, given: tuple[Figure, ...]) -> bool:
    """Does the passage give the figure's value only in another unit, while it counts the figure's unit otherwise?"""
    if figure.unit is None or not any(f.unit == figure.unit for f in given):
        return False
    return not any(f.value == figure.value and f.unit in (figure.unit, None) for f in given)


def _conflict(given: Figure, said: Figure, bounds: bool = False) -> Conflict:
    """A number conflict; ``bounds`` shows each figure's bound (the figures are the same, the bounds differ)."""
    return Conflict(
        "number", f'number: the passage says "{_shown(given, bounds)}", the sentence "{_shown(said, bounds)}"'
    )


def _shown(figure: Figure, bounds: bool) -> str:
    if not bounds or figure.bound is None:
        return figure.surface
    return f"{'at least' if figure.bound == MINIMUM else 'at most'} {figure.surface}"


def _other_bound(figure: Figure, given: tuple[Figure, ...]) -> Figure | None:
    """The passage's figure of the same value bounded the other way ("at least 60 days" for "up to 60 days")."""
    same = [f for f in given if f.value == figure.value and f.unit == figure.unit]
    if figure.bound is None or not same or any(f.bound in (None, figure.bound) for f in same):
        return None
    return same[0]


# Neighbouring content words compared on each side of a figure.
CONTEXT_WORDS = 3
# A rival figure must share this many more neighbouring words with the sentence's figure than the same figure does.
MIN_RIVAL_LEAD = 1
MIN_RIVAL_CONTEXT = 2


def _context(text: str, start: int, end: int) -> tuple[Token, ...]:
    words = content_tokens(text)
    before = [t for t in words if t.end <= start][-CONTEXT_WORDS:]
    after = [t for t in words if t.start >= end][:CONTEXT_WORDS]
    return (*before, *after)


def _rival(claim_text: str, figure: Figure, passage_text: str, given: tuple[Figure, ...]) -> Figure | None:
    """A passage figure of the same unit and another value that sits among the sentence figure's neighbours."""
    context = _context(claim_text, figure.start, figure.end)
    if not context:
        return None

    def shared(candidate: Figure) -> int:
        region = region_words(" ".join(t.surface for t in _context(passage_text, candidate.start, candidate.end)))
        return sum(is_grounded(t, region) for t in context)

    same = max((shared(f) for f in given if f.value == figure.value), default=0)
    if figure.unit is None:  # a bare number could be anything: only a figure with a unit has rivals
        return None
    rivals = [(shared(f), f) for f in given if f.value != figure.value and f.unit == figure.unit]
    if not rivals:
        return None
    score, rival = max(rivals, key=lambda item: item[0])
    return rival if score >= MIN_RIVAL_CONTEXT and score >= same + MIN_RIVAL_LEAD else None
