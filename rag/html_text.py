"""The text of an HTML page as blank-line separated blocks, one per block element, in reading order.

Every piece of text belongs to its nearest block element (a paragraph, a list item, a table
cell, a heading), so text inside nested blocks (a ``<p>`` in a ``<td>`` in a ``<blockquote>``)
comes out once, and text standing directly in a container is not lost. ``<br>`` keeps its line
break ("CHAPTER I<br>PRELIMINARY PROVISIONS" stays two lines).
"""

from __future__ import annotations

from bs4 import BeautifulSoup, NavigableString, Tag

BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "dir", "div", "dl"),
        *("dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li"),
        *("main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"),
    }
)
HIDDEN_TAGS = ("script", "style", "noscript", "template", "head", "title")


def decode_html(raw: bytes) -> str | bytes:
    """Valid UTF-8 is taken as UTF-8 even when the page declares another charset (a saved copy
    often keeps a stale ``windows-1252`` meta tag); other bytes are left to BeautifulSoup's detection."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


def html_blocks(raw: bytes) -> list[str]:
    """The page's text blocks, whitespace collapsed within each line; empty blocks dropped."""
    soup = BeautifulSoup(decode_html(raw), "html.parser")
    for tag in soup(HIDDEN_TAGS):
        tag.decompose()
    blocks: list[list[str]] = []
    owner: Tag | None = None
    for node in soup.descendants:
        if isinstance(node, Tag):
            if node.name == "br" and blocks:
                blocks[-1].append("\n")
            continue
        if type(node) is not NavigableString:  # comments, doctype and CDATA are subclasses
            continue
        block_owner = _block_of(node)
        if block_owner is not owner or not blocks:
            if not node.strip():
                continue  # layout whitespace between blocks
            blocks.append([])
            owner = block_owner
        blocks[-1].append(str(node))
    texts = ["\n".join(" ".join(line.split()) for line in "".join(parts).split("\n")) for parts in blocks]
    return [t.strip("\n") for t in (_drop_empty_lines(t) for t in texts) if t.strip()]


def _block_of(node: NavigableString) -> Tag | None:
    parent = node.parent
    while parent is not None and parent.name not in BLOCK_TAGS:
        parent = parent.parent
    return parent


def _drop_empty_lines(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if line.strip())
