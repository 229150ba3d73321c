"""Terms a document defines ("“Traffic data” shall mean ..."), found in its own text.

A question that uses a defined term ("frozen assets", "virtual assets", "service provider") often
needs the definition beside the provision that uses it; retrieval reads the defined terms from
the passages themselves, so no table names them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache

from rag.types import Passage

# “Term” shall mean / "Term" means; "“Freezing” or “seizure” shall mean" defines both terms.
# A term the document uses everywhere ("information and communications technology system", in 17%
# of the UN convention's passages) says nothing about what a question needs. 0.15 was chosen on
# real-dev2 and gold-dev (docs/benchmarks.md, 2026-12-05).
MAX_TERM_SHARE = 0.15
# ... counted only beyond this many passages, so that a short document keeps all its terms.
MIN_USES_COUNTED = 10
_QUOTED = r"[“\"]([^”\"]{2,60})[”\"]"
DEFINITION_RE = re.compile(rf"{_QUOTED}((?:\s*(?:,|or|and)\s*{_QUOTED})*)[^;:.“\"]{{0,60}}?\s(?:shall mean|means)\b")
_TERM_RE = re.compile(_QUOTED)


def defined_terms(text: str) -> list[str]:
    """The terms ``text`` defines, lowercased, in order."""
    terms: list[str] = []
    for match in DEFINITION_RE.finditer(text):
        terms.append(match.group(1).lower())
        terms += [t.lower() for t in _TERM_RE.findall(match.group(2))]
    return terms


def definitions_index(passages: Iterable[Passage]) -> dict[str, list[str]]:
    """Each defined term, and the passages (ids, reading order) that define it; a term used in more
    than ``MAX_TERM_SHARE`` of its document's passages is left out (``_used_everywhere``)."""
    passages = list(passages)
    by_doc: dict[str, list[Passage]] = defaultdict(list)
    for passage in passages:
        by_doc[passage.doc_id].append(passage)
    index: dict[str, list[str]] = defaultdict(list)
    for passage in passages:
        for term in defined_terms(passage.text):
            if passage.id not in index[term] and not _used_everywhere(term, by_doc[passage.doc_id]):
                index[term].append(passage.id)
    return {term: ids for term, ids in index.items() if ids}


def _used_everywhere(term: str, passages: list[Passage]) -> bool:
    """Whether more than ``MAX_TERM_SHARE`` of ``passages`` (and over ``MIN_USES_COUNTED``) use ``term``."""
    pattern = term_pattern(term)
    uses = sum(1 for p in passages if pattern.search(p.text))
    return uses > MIN_USES_COUNTED and uses > MAX_TERM_SHARE * len(passages)


@cache
def term_pattern(term: str) -> re.Pattern[str]:
    """``term`` as a whole phrase, its last word singular or plural."""
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"\b" + r"\s+".join(words) + r"(?:s|es)?\b", re.IGNORECASE)


def defining_passages(text: str, index: dict[str, list[str]]) -> list[str]:
    """Ids of the passages that define a term ``text`` uses, most terms first."""
    counts: dict[str, int] = defaultdict(int)
    for term, ids in index.items():
        if term_pattern(term).search(text):
            for pid in ids:
                counts[pid] += 1
    return sorted(counts, key=lambda pid: -counts[pid])
