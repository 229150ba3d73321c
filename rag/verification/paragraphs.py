"""Which numbered paragraph a sentence cites, against what the passage's paragraphs say.

"Under article 33(3), the protections extend to victims" is wrong when paragraph 4 of the
passage says that and paragraph 3 says something else. A sentence that cites paragraphs of the
passage's own article ("article 33(3)", "article 33, paragraph 3", "paragraph 3 of article 33",
"paragraph 3") is compared paragraph by paragraph: when another paragraph of the passage
grounds clearly more of its words than every cited one, it cited the wrong paragraph. A sentence
citing a paragraph of another article ("article 9, paragraph 3") must match what the passage
cites of that article, when the passage cites it by paragraph.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.verification.grounding import is_grounded, region_words
from rag.verification.slots import is_list_item
from rag.verification.types import Conflict
from rag.verification.words import TEXT_CACHE_SIZE, content_tokens

# Another paragraph must ground this many more of the sentence's words than the best cited one ...
MIN_LEAD_WORDS = 2
# ... and this much more of their share.
MIN_LEAD_SHARE = 0.25

# "paragraphs 8 to 31": every paragraph of the range is cited (this many at most).
_RANGE_END_RE = re.compile(r"\s*(?:to|through|-|–)\s*(\d{1,3})\b", re.IGNORECASE)
MAX_RANGE = 60
# A block of text between blank lines.
_BLOCK_RE = re.compile(r"[^\n](?:[^\n]|\n(?!\n))*")
_PARAGRAPH_LABEL_RE = re.compile(r"(?m)^[ \t]*(\d{1,3})\.\s")
_ARTICLE = r"\b(?:art(?:icle)?s?\.?)\s*(?P<article>\d{1,3})"
_CITATIONS = (
    re.compile(rf"{_ARTICLE}\s*\((?P<paragraph>\d{{1,3}})\)", re.IGNORECASE),
    re.compile(rf"{_ARTICLE}\s*,?\s*(?:para(?:graph)?s?\.?|§)\s*(?P<paragraph>\d{{1,3}})\b", re.IGNORECASE),
    re.compile(
        rf"\b(?:para(?:graph)?s?\.?)\s*(?P<paragraph>\d{{1,3}})\b[^,;.]{{0,12}}?\bof\s+(?:this\s+)?{_ARTICLE}",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:para(?:graph)?s?\.?)\s*(?P<paragraph>\d{1,3})\b", re.IGNORECASE),
)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def numbered_paragraphs(passage_text: str) -> dict[str, tuple[int, int]]:
    """Each numbered paragraph of the passage ("1. ...") and its span, when it has at least two."""
    labels = list(_PARAGRAPH_LABEL_RE.finditer(passage_text))
    if len(labels) < 2:
        return {}
    ends = [m.start() for m in labels[1:]] + [len(passage_text)]
    return {m.group(1): (m.start(), end) for m, end in zip(labels, ends, strict=True)}


def paragraph_around(passage_text: str, offset: int) -> tuple[int, int]:
    """The span of the numbered paragraph (with its list items) that holds ``offset``; when the passage has
    fewer than two numbered paragraphs or ``offset`` lies before the first, the block between blank lines
    that holds it (a recital of a preamble, a paragraph of a report), a list item read with the block that
    opens its list and the list's other items ("The purposes of this Convention are to: (a) ... (c) ...")."""
    numbered = next((span for span in numbered_paragraphs(passage_text).values() if span[0] <= offset < span[1]), None)
    return numbered or _block_around(passage_text, offset)


def _block_around(text: str, offset: int) -> tuple[int, int]:
    blocks = [(m.start(), m.end()) for m in _BLOCK_RE.finditer(text)]
    if not blocks:
        return 0, len(text)
    first = last = next((i for i, (_, end) in enumerate(blocks) if offset < end), len(blocks) - 1)
    while first > 0 and is_list_item(text, blocks[first][0]):
        first -= 1  # back to the block that opens the list
    while last + 1 < len(blocks) and is_list_item(text, blocks[last + 1][0]):
        last += 1
    return blocks[first][0], blocks[last][1]


def citations(text: str) -> list[tuple[str | None, str, tuple[int, int]]]:
    """(article or None, paragraph, span) of each paragraph ``text`` cites, the more explicit forms first."""
    found: list[tuple[str | None, str, tuple[int, int]]] = []
    for pattern in _CITATIONS:
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for _, _, (a, b) in found):
                continue
            article = match.groupdict().get("article")
            first = int(match.group("paragraph"))
            through = _RANGE_END_RE.match(text, match.end("paragraph"))
            last = int(through.group(1)) if through and int(through.group(1)) > first else first
            end = max(match.end(), through.end()) if through else match.end()
            found.extend(
                (article, str(n), (match.start(), end)) for n in range(first, min(last, first + MAX_RANGE) + 1)
            )
    return found


def compare(claim_text: str, passage_text: str, article: str | None) -> list[Conflict]:
    """A number conflict when the sentence cites a paragraph whose words another paragraph holds, or one of
    another article that the passage cites by a different paragraph."""
    cited = citations(claim_text)
    if not cited:
        return []
    conflict = _other_article(cited, passage_text, article)
    if conflict is not None:
        return [conflict]
    if not any(a is not None and a == article for a, _, _ in cited):
        return []  # a bare "paragraph 2" may name what the sentence speaks of, not where it is said
    own = [p for a, p, _ in cited if a is None or a == article]
    paragraphs = numbered_paragraphs(passage_text)
    own_cited = [p for p in own if p in paragraphs]
    if not own_cited or len(own_cited) < len(own):
        return []  # a cited paragraph outside the passage may hold what the sentence says
    spans = [span for _, _, span in cited]
    words = [t for t in content_tokens(claim_text) if not any(a <= t.start < b for a, b in spans)]
    if not words:
        return []

    def grounded(label: str) -> int:
        a, b = paragraphs[label]
        region = region_words(passage_text[a:b])
        return sum(is_grounded(t, region) for t in words)

    counts = {label: grounded(label) for label in paragraphs}
    best_cited = max(counts[p] for p in own_cited)
    rival = max((p for p in paragraphs if p not in own_cited), key=lambda p: counts[p], default=None)
    if rival is None:
        return []
    lead = counts[rival] - best_cited
    if lead >= MIN_LEAD_WORDS and lead / len(words) >= MIN_LEAD_SHARE:
        shown = ", ".join(own_cited)
        reason = f"number: the sentence cites paragraph {shown}; what it says is in paragraph {rival}"
        return [Conflict("number", reason, "paragraph")]
    return []


def _other_article(
    cited: list[tuple[str | None, str, tuple[int, int]]], passage_text: str, article: str | None
) -> Conflict | None:
    """The first paragraph of another article the sentence cites where the passage cites that article by other
    paragraphs only."""
    theirs = citations(passage_text)
    for cited_article, paragraph, _ in cited:
        if cited_article is None or cited_article == article:
            continue
        given = {p for a, p, _ in theirs if a == cited_article}
        if given and paragraph not in given:
            shown = " or ".join(sorted(given, key=int))
            reason = (
                f"number: the sentence cites article {cited_article}, paragraph {paragraph}; "
                f"the passage cites paragraph {shown}"
            )
            return Conflict("number", reason, "paragraph")
    return None
