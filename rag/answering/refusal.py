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

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rag.documents import builtin_registry
from rag.keyword_index import tokenize
from rag.references import ARTICLE_REF_RE, CHAPTER_REF_RE, NOTE_REF_RE

# Six off-topic questions ("a recipe for banana bread", "fix a flat tyre") scored 0.07-0.16 and no
# on-topic training question scores under 0.25; between that and 0.30 the model decides better than
# a floor (held out one training file at a time, as eval.train_refusal does, 8 files, logistic model:
# 0.836 of unanswerable refused with a 0.30 floor, 0.856 with this one).
EVIDENCE_FLOOR = 0.20
QUANTITY_SENTENCES = 5

_NAME_CONNECTORS = r"(?:\s+(?:of|in|on|for|the|and|de|to)\s+|\s+|-)"
_NAME_WORD = r"(?:[A-Z][\w-]*|\d{2,4}(?![/\d]))"
# A possessive ends a name: "the Ad Hoc Committee's Vienna session" names the committee, then Vienna.
NAME_RE = re.compile(rf"\b[A-Z][\w-]*(?:{_NAME_CONNECTORS}{_NAME_WORD})*(?:[’']s?)?")
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
        # Words that open a sentence before a name ("Like UNCAC, does ...", "Unlike the Budapest ...").
        "like",
        "unlike",
        "besides",
        "beyond",
        "apart",
        "compared",
        "regarding",
        "concerning",
        "given",
        "since",
        "assuming",
        "suppose",
        "as",
        "with",
        "without",
        "from",
        "by",
        "about",
        "after",
        "before",
        "also",
        "so",
        "please",
        "tell",
        "explain",
        "describe",
        "summarize",
        "summarise",
        "compare",
    ]
)
# What may stand between a stripped title and the name ("Article 18 of UNTOC" leaves "UNTOC").
_LEADING_FILLERS = frozenset(["of", "in", "on", "for", "the", "and", "de", "to"])
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
# Technical abbreviations people use as common nouns ("my ISP", "a DDoS attack"), not names of anything.
COMMON_ABBREVIATIONS = frozenset(
    ["ai", "app", "csam", "ddos", "dns", "ict", "id", "ip", "isp", "it", "ngo", "pc", "pdf", "sms", "url", "usb", "vpn"]
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
        while words and (words[0].lower() in _QUESTION_WORDS | GENERIC_NAMES | _LEADING_FILLERS or words[0].isdigit()):
            if words[0].lower() in ("convention", "protocol") and len(words) > 1 and words[1].isdigit():
                break  # "Convention 108" is an instrument's name; "Article 18 of UNTOC" is not
            words = words[1:]
        at_sentence_start = not question[: match.start()].strip() or question[: match.start()].rstrip()[-1] in ".?!"
        if len(words) == 1 and (
            (at_sentence_start and not ACRONYM_RE.fullmatch(words[0])) or _PLURAL_ACRONYM_RE.fullmatch(words[0])
        ):
            continue
        name = " ".join(words).strip(" -")
        if name and name.lower() not in GENERIC_NAMES | COMMON_ABBREVIATIONS and len(name) > 1:
            names.append(name)
    names.extend(
        m.group(0)
        for m in ACRONYM_RE.finditer(question)
        if m.group(0).lower() not in GENERIC_NAMES | COMMON_ABBREVIATIONS
    )
    return list(dict.fromkeys(names))


_ALIAS_FILLERS = frozenset(["the", "of", "on", "against", "to", "for", "and", "new"])


def _inside_document_names(lowered: str) -> list[bool]:
    """For each character of ``lowered``, whether some document name pattern covers it."""
    covered = [False] * len(lowered)
    for start, end in builtin_registry().name_spans(lowered):
        covered[start:end] = [True] * (end - start)
    return covered


def is_document_alias(name: str) -> bool:
    """True when every word of ``name``, less generic and small words, lies inside one of the
    documents' own names ("Budapest Convention on Cybercrime"; not "Second Additional Protocol")."""
    lowered = name.lower()
    covered = _inside_document_names(lowered)
    words = [w for w in re.finditer(r"[^\s]+", lowered) if w.group() not in GENERIC_NAMES | _ALIAS_FILLERS]
    return bool(words) and all(all(covered[w.start() : w.end()]) for w in words)


_PROVISION_REQUEST_STEMS = frozenset(
    tokenize(
        "what which does do did say says provide provides state states cover covers contain contains mean means "
        "set out deal with summarise summarize explain describe tell me about text of the in under article "
        "chapter note paragraph interpretative convention treaty protocol un united nations against cybercrime"
    )
)


def asks_only_for_named_provision(question: str) -> bool:
    """Whether the question asks what a provision it names says and nothing more ("What does
    article 65 of the UN Convention against Cybercrime say?"): the provision is then the answer."""
    references = (ARTICLE_REF_RE, CHAPTER_REF_RE, NOTE_REF_RE)
    if not any(pattern.search(question) for pattern in references):
        return False
    rest = question
    for pattern in references:
        rest = pattern.sub(" ", rest)
    rest = rest.lower()
    covered = _inside_document_names(rest)
    rest = "".join(" " if inside else char for char, inside in zip(rest, covered, strict=True))
    return set(tokenize(rest)) <= _PROVISION_REQUEST_STEMS


def _mentioned(name: str, corpus_lower: str) -> bool:
    """The name's words in order, allowing up to two small words between them ("Conference of the States")."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", name.lower()) if w]
    pattern = r"\b" + r"\W+(?:\w+\W+){0,2}?".join(words) + r"\b"
    return re.search(pattern, corpus_lower) is not None


def _spells_acronym(acronym: str, corpus: str) -> bool:
    """Whether the corpus writes ``acronym`` out in capitalised words: "UNODC" as "United Nations
    Office on Drugs and Crime", "ICJ" as "International Court of Justice"."""
    if not re.fullmatch(r"[A-Z]{2,}", acronym):
        return False
    small = r"(?:(?:of|and|on|the|for|in|to|de)\s+)*"
    pattern = r"\b" + (r"\s+" + small).join(rf"{c}[a-z][\w’'-]+" for c in acronym) + r"\b"
    return re.search(pattern, corpus) is not None


@lru_cache(maxsize=4)
def _lowered(corpus: str) -> str:
    return corpus.lower()


@lru_cache(maxsize=4)
def _words_of(corpus_lower: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z][a-z’'-]{4,}", corpus_lower))


def _mentioned_despite_typos(name: str, corpus_lower: str) -> bool:
    """Whether ``name`` is mentioned once each long word the corpus lacks is replaced by the corpus's
    closest word ("Budapest Convetion" is the Budapest Convention)."""
    words = _words_of(corpus_lower)
    corrected = []
    for word in re.split(r"[\s-]+", name.lower()):
        if len(word) >= 5 and word not in words:
            close = difflib.get_close_matches(word, words, n=1, cutoff=0.85)
            if not close:
                return False
            word = close[0]
        corrected.append(word)
    spelled = " ".join(corrected)
    return spelled != name.lower() and (is_document_alias(spelled) or _mentioned(spelled, corpus_lower))


def _known(name: str, corpus: str, lower: str) -> bool:
    if " and " in name:  # "UNTOC and UNCAC" is two names
        return all(_known(part, corpus, lower) for part in name.split(" and "))
    return (
        is_document_alias(name)
        or _mentioned(name, lower)
        or _spells_acronym(name, corpus)
        or _mentioned_despite_typos(name, lower)
    )


def unknown_names(question: str, corpus: str) -> list[str]:
    """Names from ``question`` that no document of ``corpus`` (all its text) mentions, even spelled
    out from an acronym or with a typo; the documents' own names count as known."""
    lower = _lowered(corpus)
    return [name for name in names_in(question) if not _known(name, corpus, lower)]


_SOURCE_HEAD_RE = re.compile(r"^(.*?)(?:\s+(?:who|which|that|in|on|at|from|of|for|with|quoted|working)\b|$)")


def source_recorded(source: str, corpus: str) -> bool:
    """Whether the documents mention the source a question quotes: a name of it ("Access Now",
    "Deutsche Welle") or, for a source named by a common noun ("six US senators", "a newspaper"),
    that noun."""
    lower = _lowered(corpus)
    if any(_known(name, corpus, lower) for name in names_in(source)):
        return True
    head = _SOURCE_HEAD_RE.match(source.strip())
    words = head.group(1).split() if head else []
    noun = words[-1] if words else ""
    return noun.islower() and len(noun) > 3 and re.search(rf"\b{re.escape(noun)}\b", lower) is not None


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
    values: dict[str, float],
    missing_names: Sequence[str],
    probability: float,
    threshold: float,
    asks_for_named_provision: bool = False,
) -> RefusalDecision:
    """Whether to refuse, and the reason shown to the user.

    ``values`` are ``rag.answering.answerability.features`` of the question and its evidence, and
    ``probability`` the answerability model's estimate that the passages answer it. After the
    ``outright`` refusals, a question asking what a provision it names says is answered by that
    provision (``asks_only_for_named_provision``, and retrieval found it); otherwise the probability
    decides against ``threshold``, and the reason names what the closest provisions lack.
    """
    early = outright(values, missing_names)
    if early is not None:
        return early
    if asks_for_named_provision or probability >= threshold:
        return RefusalDecision(False, probability=probability)
    if values["figure_missing"] or values["count_missing"]:
        reason = "The question asks for a figure that the closest provisions do not give."
    elif values["date_missing"]:
        reason = "The question asks for a date that the closest provisions do not give."
    else:
        reason = "The closest provisions do not say what the question asks."
    return RefusalDecision(True, reason, probability)
