"""The names a question uses (proper names, acronyms, a source it quotes) and whether any document
mentions them: by a name of its own, in its text, spelled out from an acronym, or despite a typo.

A document's own names are the registry's: the built-in documents' and, given the store's registry,
each upload's title, short title and aliases ("RA 10175" names the Philippine act, though its text
says "Republic Act No. 10175")."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from rag.documents import Registry, builtin_registry
from rag.keyword_index import tokenize

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


def inside_document_names(lowered: str, registry: Registry | None = None) -> list[bool]:
    """For each character of ``lowered``, whether some document name of ``registry`` (default: the
    built-in one) covers it."""
    covered = [False] * len(lowered)
    for start, end in (registry or builtin_registry()).name_spans(lowered):
        covered[start:end] = [True] * (end - start)
    return covered


def document_name_words(question: str, registry: Registry | None = None) -> frozenset[str]:
    """The stems of the words of ``question`` that stand inside a document's name ("ra" of "RA
    10175", an upload's alias): words that point at a document rather than say what is asked."""
    lowered = question.lower()
    spans = (registry or builtin_registry()).name_spans(lowered)
    return frozenset(stem for start, end in spans for stem in tokenize(lowered[start:end]))


def is_document_alias(name: str, registry: Registry | None = None) -> bool:
    """True when every word of ``name``, less generic and small words, lies inside one of the
    documents' own names ("Budapest Convention on Cybercrime"; not "Second Additional Protocol")."""
    lowered = name.lower()
    covered = inside_document_names(lowered, registry)
    words = [w for w in re.finditer(r"[^\s]+", lowered) if w.group() not in GENERIC_NAMES | _ALIAS_FILLERS]
    return bool(words) and all(all(covered[w.start() : w.end()]) for w in words)


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


def _mentioned_despite_typos(name: str, corpus_lower: str, registry: Registry | None) -> bool:
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
    return spelled != name.lower() and (is_document_alias(spelled, registry) or _mentioned(spelled, corpus_lower))


def _named_with_its_place(name: str, corpus: str, corpus_lower: str, registry: Registry | None) -> bool:
    """Whether ``name`` is a known name of two words or more led by the adjective of a place the
    documents name: the "Philippine Cybercrime Prevention Act" is the Cybercrime Prevention Act of
    a text that names the Philippines. The place must stand in the documents in another form than
    the adjective ("Philippines"), and only capitalised: "Second Additional Protocol" is not the
    Additional Protocol of a "second" place, nor "December" a place."""
    place, _, rest = name.partition(" ")
    if len(rest.split()) < 2 or not rest[0].isupper() or len(place) < 5 or not place[0].isupper() or place.isupper():
        return False
    stem = place[: max(5, len(place) - 2)]
    forms = set(re.findall(rf"\b{re.escape(stem)}\w*", corpus))
    common = re.search(rf"\b{re.escape(stem[0].lower() + stem[1:])}", corpus) is not None
    if not forms - {place} or common:
        return False
    return is_document_alias(rest, registry) or _mentioned(rest, corpus_lower)


def _known(name: str, corpus: str, lower: str, registry: Registry | None) -> bool:
    if " and " in name:  # "UNTOC and UNCAC" is two names
        return all(_known(part, corpus, lower, registry) for part in name.split(" and "))
    return (
        is_document_alias(name, registry)
        or _mentioned(name, lower)
        or _spells_acronym(name, corpus)
        or _mentioned_despite_typos(name, lower, registry)
        or _named_with_its_place(name, corpus, lower, registry)
    )


def unknown_names(question: str, corpus: str, registry: Registry | None = None) -> list[str]:
    """Names from ``question`` that no document of ``corpus`` (all its text) mentions, even spelled
    out from an acronym or with a typo; the documents' own names in ``registry`` (default: the
    built-in one; the store's adds its uploads) count as known."""
    lower = _lowered(corpus)
    return [name for name in names_in(question) if not _known(name, corpus, lower, registry)]


_SOURCE_HEAD_RE = re.compile(r"^(.*?)(?:\s+(?:who|which|that|in|on|at|from|of|for|with|quoted|working)\b|$)")


def source_recorded(source: str, corpus: str, registry: Registry | None = None) -> bool:
    """Whether the documents mention the source a question quotes: a name of it ("Access Now",
    "Deutsche Welle") or, for a source named by a common noun ("six US senators", "a newspaper"),
    that noun."""
    lower = _lowered(corpus)
    if any(_known(name, corpus, lower, registry) for name in names_in(source)):
        return True
    head = _SOURCE_HEAD_RE.match(source.strip())
    words = head.group(1).split() if head else []
    noun = words[-1] if words else ""
    return noun.islower() and len(noun) > 3 and re.search(rf"\b{re.escape(noun)}\b", lower) is not None
