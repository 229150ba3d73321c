"""Cross-references in a provision's text: "article 6", "articles 7 to 11", "paragraph 21 of article 40"."""

from __future__ import annotations

import re

CROSS_REF_RE = re.compile(
    r"\barticles\s+(?P<low>\d+)\s+(?P<joint>to|through|and)\s+(?P<high>\d+)"
    r"|\bparagraphs?\s+(?P<para_first>\d+)(?:\s*\([a-z]\))?\s+of\s+article\s+(?P<art_after>\d+)"
    r"|\barticles?\s+(?P<art>\d+)(?:\s*,\s*paragraphs?\s+(?P<para>\d+))?",
    re.IGNORECASE,
)


def cross_references(text: str, own_article: str | None) -> tuple[str, ...]:
    """Articles (``"40"``) or article paragraphs (``"40.21"``) that ``text`` refers to.

    References to "this Convention" are same-document; references to other instruments
    ("article 6 of this Convention" vs "article 4 of the Convention against Corruption")
    cannot be told apart reliably, so all are kept and resolved against the same document.
    """
    refs: list[str] = []
    for m in CROSS_REF_RE.finditer(text):
        if m.group("low"):
            low, high = int(m.group("low")), int(m.group("high"))
            if m.group("joint").lower() != "and" and 0 < high - low <= 20:
                refs.extend(str(n) for n in range(low, high + 1))
            else:
                refs.extend([str(low), str(high)])
        elif m.group("art_after"):
            refs.append(f"{m.group('art_after')}.{m.group('para_first')}")
        else:
            refs.append(f"{m.group('art')}.{m.group('para')}" if m.group("para") else m.group("art"))
    own = own_article or ""
    return tuple(r for r in dict.fromkeys(refs) if r.split(".")[0] != own)
