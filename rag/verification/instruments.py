"""Which instrument and article a sentence names, against the passage's document and article.

A sentence about "the Budapest Convention" is not supported by an article of the UN
convention, and one naming article 41 is not supported by article 40, unless the passage
itself mentions that instrument or article. A sentence naming the passage's own article is
never penalised for the number (the passage text rarely repeats it).
"""

from __future__ import annotations

import re

from rag.documents import short_title
from rag.references import ARTICLE_REF_RE
from rag.verification.numbers import REFERENCE_RE
from rag.verification.types import Conflict


class _Ids:
    """The built-in documents' ids (``rag/data/documents.toml``) this check names."""

    UN_CONVENTION = "un-cybercrime-convention-2024"
    UN_NOTES = "un-cybercrime-convention-2024-interpretative-notes"
    UN_RESOLUTION = "un-ga-resolution-79-243"
    UN_NEWS = "news-us-support-un-cybercrime-convention"
    BUDAPEST = "budapest-convention-ets185"
    BUDAPEST_PROTOCOL = "budapest-convention-additional-protocol-ets189"
    UNTOC = "untoc-2000"
    UNCAC = "uncac-2003"


references = _Ids

# Names a sentence uses for an instrument (stricter than the question aliases of rag.references:
# a sentence about corruption or a resolution does not name UNCAC or resolution 79/243).
NAMES: dict[str, str] = {
    references.BUDAPEST_PROTOCOL: r"additional protocol|ets\s*(?:no\.?\s*)?189",
    references.BUDAPEST: r"budapest|council of europe convention|convention on cybercrime|ets\s*(?:no\.?\s*)?185",
    references.UNTOC: r"\buntoc\b|palermo|(?:convention against )?transnational organi[sz]ed crime(?: convention)?",
    references.UNCAC: r"\buncac\b|convention against corruption|m[eé]rida convention",
    references.UN_NOTES: r"interpretative notes?|interpretive notes?",
    references.UN_RESOLUTION: r"general assembly resolution|resolution 79/243",
    references.UN_CONVENTION: r"(?:\b(?:un|united nations) )?convention against cybercrime|"
    r"\b(?:un|united nations)(?: cybercrime)? (?:convention|treaty)|cybercrime (?:convention|treaty)",
}
_COMPILED = {doc: re.compile(pattern, re.IGNORECASE) for doc, pattern in NAMES.items()}
TITLES = {
    references.BUDAPEST_PROTOCOL: "the Budapest Additional Protocol",
    references.BUDAPEST: "the Budapest Convention",
    references.UNTOC: "UNTOC",
    references.UNCAC: "UNCAC",
    references.UN_NOTES: "the interpretative notes",
    references.UN_RESOLUTION: "resolution 79/243",
    references.UN_CONVENTION: "the UN convention",
    references.UN_NEWS: "a news report",
}
# Documents read as one instrument: the UN convention, its notes and the resolution adopting it;
# the Budapest Convention and its protocol.
FAMILIES = (
    frozenset({references.UN_CONVENTION, references.UN_NOTES, references.UN_RESOLUTION, references.UN_NEWS}),
    frozenset({references.BUDAPEST, references.BUDAPEST_PROTOCOL}),
)


def named_instruments(text: str) -> list[str]:
    """Document ids that ``text`` names, in table order ("Budapest ... Additional Protocol" names the protocol)."""
    found = [doc for doc, pattern in _COMPILED.items() if pattern.search(text)]
    if references.BUDAPEST_PROTOCOL in found and references.BUDAPEST in found:
        found.remove(references.BUDAPEST)
    return found


# The body that adopted the resolution and the conventions, and chapters cited by roman numeral: like an
# instrument's name, they locate a provision and say nothing a passage must repeat.
_LOCATING_RE = re.compile(r"\b(?:the )?general assembly\b|\bchapters?\s+[ivxl]+\b", re.IGNORECASE)


def reference_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where ``text`` names an instrument ("the UN Convention against Cybercrime") or cites a provision: words
    this check reads, which a passage need not repeat."""
    names = [(m.start(), m.end()) for pattern in (*_COMPILED.values(), _LOCATING_RE) for m in pattern.finditer(text)]
    return (*names, *((m.start(), m.end()) for m in REFERENCE_RE.finditer(text)))


def source_label_span(text: str, doc_id: str | None) -> tuple[tuple[int, int], ...]:
    """The citation label of the passage's own document framing a quote in ``text`` ("CIO News report: ...",
    "No, the text says otherwise. UN Cybercrime Convention, art. 24(2): ..."), as extractive answers do."""
    if not doc_id:
        return ()
    title = re.escape(short_title(doc_id, doc_id))
    label = re.search(rf"\b{title}(?:,[^:;]{{1,30}}?)?:(?=\s)", text, re.IGNORECASE)
    return ((label.start(), label.end()),) if label else ()


# Words that say what kind of instrument a text is. With the words of the passage's document id they
# make a name of that document ("the Philippine act", "Convention 108").
_INSTRUMENT_WORDS = frozenset({"act", "law", "convention", "treaty", "protocol", "code", "decree", "statute"})
_TOKEN_RE = re.compile(r"[A-Za-z]+|\d+")


def _stem(word: str) -> str:
    word = word.lower()
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def own_name_spans(text: str, doc_id: str | None) -> tuple[tuple[int, int], ...]:
    """Where ``text`` names the passage's own document by the words of its id and an instrument word:
    "the Philippine act" for ``philippines-cybercrime-prevention-act-2012``, "Convention 108" for
    ``coe-convention-108-data-protection-1981``. An upload's names are not in ``NAMES``; like them,
    these words locate the sentence and are nothing the passage must repeat. A run needs an
    instrument word and a word of the id that is not one ("the Act" alone names nothing)."""
    if not doc_id:
        return ()
    id_words = {_stem(w) for w in re.split(r"[^a-z0-9]+", doc_id.lower()) if w}
    vocabulary = id_words | _INSTRUMENT_WORDS
    runs: list[list[re.Match[str]]] = []  # words of the vocabulary with only spaces between them
    for token in _TOKEN_RE.finditer(text):
        if _stem(token.group()) not in vocabulary:
            continue
        if runs and text[runs[-1][-1].end() : token.start()].isspace():
            runs[-1].append(token)
        else:
            runs.append([token])
    return tuple((run[0].start(), run[-1].end()) for run in runs if _names_a_document(run, id_words))


def _names_a_document(run: list[re.Match[str]], id_words: set[str]) -> bool:
    stems = {_stem(token.group()) for token in run}
    return bool(stems & _INSTRUMENT_WORDS) and bool(stems & id_words - _INSTRUMENT_WORDS)


def _family(doc_id: str) -> frozenset[str]:
    return next((f for f in FAMILIES if doc_id in f), frozenset({doc_id}))


def compare(claim_text: str, passage_text: str, doc_id: str | None, article: str | None) -> list[Conflict]:
    """Conflicts for an instrument or article the sentence names that the passage is not and does not mention."""
    conflicts = []
    if doc_id:
        named = named_instruments(claim_text)
        mentioned = set(named_instruments(passage_text))
        if named and not any(doc in _family(doc_id) or doc in mentioned for doc in named):
            named_title, passage_title = TITLES.get(named[0], named[0]), TITLES.get(doc_id, doc_id)
            reason = f"instrument: the sentence names {named_title}, the passage is from {passage_title}"
            conflicts.append(Conflict("instrument", reason))
    if article and article.isdigit():
        passage_lower = passage_text.lower()
        for match in ARTICLE_REF_RE.finditer(claim_text):
            number = match.group(1)
            if number == article or re.search(rf"\barticles?\s+(?:\d+\s*(?:,|and)\s*)*{number}\b", passage_lower):
                continue
            conflicts.append(
                Conflict(
                    "instrument",
                    f"article: the sentence names article {number}, the passage is article {article}",
                    "article",
                )
            )
            break
    return conflicts


_RANGE_RE = re.compile(r"(\d+)\s*(?:to|through|-|–)\s*(\d+)", re.IGNORECASE)
MAX_RANGE = 60


def numbers_cited(reference: str) -> set[str]:
    """The provision numbers a reference cites, every number of a range included ("articles 3 to 5": 3, 4, 5)."""
    numbers = set(re.findall(r"\d+", reference))
    for first, last in _RANGE_RE.findall(reference):
        if int(first) < int(last) <= int(first) + MAX_RANGE:
            numbers.update(str(n) for n in range(int(first), int(last) + 1))
    return numbers


def reference_numbers(text: str) -> set[str]:
    return {n for m in REFERENCE_RE.finditer(text) for n in numbers_cited(m.group(0))}


def compare_references(claim_text: str, passage_text: str, article: str | None) -> list[Conflict]:
    """A number conflict for a provision number the sentence cites that the passage neither is nor cites, or
    for a range of provisions that one end of a range the passage cites ("articles 7 to 11" for "7 to 10")."""
    known = reference_numbers(passage_text) | set(re.findall(r"\d+", article or ""))
    ranges = [r.groups() for m in REFERENCE_RE.finditer(passage_text) for r in _RANGE_RE.finditer(m.group(0))]
    for match in REFERENCE_RE.finditer(claim_text):
        quote = " ".join(match.group(0).split())
        for cited in _RANGE_RE.finditer(match.group(0)):
            first, last = cited.groups()
            rival = next(((a, b) for a, b in ranges if (a == first) != (b == last)), None)
            if rival is not None and (first, last) not in ranges:
                reason = f'number: the passage cites "{rival[0]} to {rival[1]}", the sentence "{quote}"'
                return [Conflict("number", reason, "reference")]
        cited_numbers = numbers_cited(match.group(0))
        if cited_numbers - known and not re.fullmatch(
            r"(?:art(?:icle)?s?\.?)\s*\d+", match.group(0).strip(), re.IGNORECASE
        ):
            return [Conflict("number", f'number: the sentence cites "{quote}", the passage does not', "reference")]
    return []
