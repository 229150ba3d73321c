"""Kinds of question, told by their wording: one asking for a figure or a count, for the date of a
past event, about the present day, an opinion, a person or national practice, or only for what a
provision it names says. The answerability features (``features``) are read from them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.answering.assess.names import inside_document_names
from rag.documents import Registry
from rag.keyword_index import tokenize
from rag.references import ARTICLE_REF_RE, CHAPTER_REF_RE, NOTE_REF_RE, SECTION_REF_RE

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
    r"countries|members?|per ?cent|percent|votes?|sessions?|times|persons|"
    r"dollars|euros?|pesos|francs|pounds|rupees|yen|million|billion)\b",
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
STATUS_RE = re.compile(
    r"\b(?:today|now|currently|current|so far|to date|yet|still|latest|recent(?:ly)?|nowadays|these days|"
    r"next year|in the future|will (?:it|the|they|russia|china)|ever been)\b",
    re.IGNORECASE,
)
OPINION_RE = re.compile(
    r"\b(?:(?<!\bI )(?<!\bI actually )sa(?:y|id)|criticis\w*|criticiz\w*|think|thought|opinion|view|praised?|"
    r"welcomed?|good|bad|effective|worked|succeed\w*|fail(?:ed)?|controversial|react\w*|respond\w*)\b",
    re.IGNORECASE,
)
PERSON_RE = re.compile(r"\bwho\b|\bwhose\b|\bnames? of\b|\bwhich (?:person|diplomat|official|judge|country)\b", re.I)
PRACTICE_RE = re.compile(
    r"\b(?:implement\w*|national law|domestic law|parliament|legislat\w+|court (?:ruled|decided)|ruling|case law|"
    r"prosecuted|convicted|in practice)\b",
    re.IGNORECASE,
)
YEAR_RE = re.compile(r"\b(?:19|20)\d{2}\b")


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


_PROVISION_REQUEST_STEMS = frozenset(
    tokenize(
        "what which does do did say says provide provides state states cover covers contain contains mean means "
        "set out deal with summarise summarize explain describe tell me about text of the in under article "
        "chapter section note paragraph interpretative convention treaty protocol un united nations against cybercrime"
    )
)


def asks_only_for_named_provision(question: str, registry: Registry | None = None) -> bool:
    """Whether the question asks what a provision it names says and nothing more ("What does
    article 65 of the UN Convention against Cybercrime say?", "What does section 4 of RA 10175
    provide?"): the provision is then the answer. ``registry`` names the documents."""
    references = (ARTICLE_REF_RE, SECTION_REF_RE, CHAPTER_REF_RE, NOTE_REF_RE)
    if not any(pattern.search(question) for pattern in references):
        return False
    rest = question
    for pattern in references:
        rest = pattern.sub(" ", rest)
    rest = rest.lower()
    covered = inside_document_names(rest, registry)
    rest = "".join(" " if inside else char for char, inside in zip(rest, covered, strict=True))
    return set(tokenize(rest)) <= _PROVISION_REQUEST_STEMS
