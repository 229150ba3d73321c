"""How an ``Answer`` is drawn: sentences with their [n] markers, source cards, notices, copy."""

from __future__ import annotations

import streamlit as st

from rag.answering.types import REFUSAL_TEXT, Answer, Citation
from rag.types import Passage, ScoredPassage, short_title
from ui.text import escape_markdown, passage_markdown, quote_span

NEAREST_SHOWN = 5
SNIPPET_CHARS = 70


def markers(numbers: tuple[int, ...]) -> str:
    return " ".join(f":blue[**\\[{n}\\]**]" for n in numbers)


VERDICT_BADGES = {
    "contradicted": ":red-badge[:material/error: contradicted by the sources]",
    "not_found": ":orange-badge[:material/help: not found in the sources]",
}


def sentences_markdown(answer: Answer) -> str:
    """The direct answer in bold, then each sentence on its own line with its markers.

    A sentence the sources do not support stays in place, struck through, after a badge with the
    verifier's verdict and reason: the reader sees what was claimed and why it was not verified,
    and cannot mistake it for a cited statement. Copied and exported answers leave it out.
    """
    lines = [f"**{escape_markdown(answer.direct)}**"] if answer.direct else []
    for sentence in answer.sentences:
        text = escape_markdown(sentence.text.strip())
        if sentence.supported:
            lines.append(f"{text} {markers(sentence.citations)}".strip())
            continue
        badge = VERDICT_BADGES.get(sentence.verdict, VERDICT_BADGES["not_found"])
        reason = f" :gray[({escape_markdown(sentence.reason, at_line_start=False)})]" if sentence.reason else ""
        lines.append(f"{badge}{reason} :gray[~~{text}~~]")
    return "\n\n".join(lines)


def support_of(answer: Answer, n: int) -> tuple[float, bool]:
    """The best support score of the sentences citing [n], and whether one of them is supported."""
    scores = [(s.score, s.supported) for s in answer.sentences if n in s.citations]
    if not scores:
        return 0.0, False
    return max(score for score, _ in scores), any(ok for _, ok in scores)


def passage_by_id(answer: Answer) -> dict[str, Passage]:
    return {sp.passage.id: sp.passage for sp in answer.passages}


def passage_caption(passage: Passage) -> str:
    where = [escape_markdown(passage.doc_title)]
    if passage.chapter:
        where.append(f"chapter {escape_markdown(passage.chapter)}")
    if passage.article_title:
        where.append(escape_markdown(passage.article_title))
    if passage.page:
        where.append(f"page {passage.page}")
    return " · ".join(where)


def source_card(citation: Citation, passage: Passage | None, support: tuple[float, bool]) -> None:
    """An expander: the label and title, a support badge, the whole passage with the quote highlighted."""
    title = short_title(citation.doc, citation.doc_title)
    heading = f"\\[{citation.n}\\] {escape_markdown(citation.label)}"
    if title != citation.doc_title:
        heading += f" — {escape_markdown(citation.doc_title)}"
    with st.expander(heading):
        score, supported = support
        if supported:
            st.badge(f"support {score:.2f}", icon=":material/check:", color="green")
        else:
            st.badge(f"weak support {score:.2f}", icon=":material/warning:", color="orange")
        if passage is None:  # should not happen: citations point into the answer's passages
            st.markdown(passage_markdown(citation.quote, [(0, len(citation.quote))]))
            return
        span = quote_span(passage.start, passage.end, citation.start, citation.end)
        st.markdown(passage_markdown(passage.text, [span] if span else []))
        st.caption(f"{passage_caption(passage)} · characters {citation.start:,}–{citation.end:,}")


def passage_card(scored: ScoredPassage, *, expanded: bool = False) -> None:
    """A retrieved passage without a quote (nearest provisions, related context)."""
    passage = scored.passage
    heading = escape_markdown(passage.label)
    if scored.reasons and scored.supporting:
        heading += f" · {escape_markdown(scored.reasons[0])}"
    elif passage.article_title:
        heading += f" · {escape_markdown(passage.article_title)}"
    else:
        opening = " ".join(passage.text.split())
        heading += f" · “{escape_markdown(opening[:SNIPPET_CHARS])}{'…' if len(opening) > SNIPPET_CHARS else ''}”"
    with st.expander(heading, expanded=expanded):
        st.markdown(passage_markdown(passage.text))
        st.caption(passage_caption(passage))


def render_answer(answer: Answer, key: str) -> None:
    """The whole answer: text, notice, sources, related context and a copy box."""
    if answer.refused:
        st.warning(f"**{REFUSAL_TEXT}**", icon=":material/block:")
        if answer.notice:
            st.caption(f"Why: {escape_markdown(answer.notice)}")
        nearest = [p for p in answer.passages if not p.supporting][:NEAREST_SHOWN]
        if nearest:
            st.markdown("**Nearest provisions**")
            for scored in nearest:
                passage_card(scored)
    else:
        st.markdown(sentences_markdown(answer))
        if answer.notice:
            st.warning(escape_markdown(answer.notice), icon=":material/info:")
        by_id = passage_by_id(answer)
        if answer.citations:
            st.markdown("**Sources**")
            for citation in answer.citations:
                source_card(citation, by_id.get(citation.passage_id), support_of(answer, citation.n))
        related = [p for p in answer.passages if p.supporting]
        if related:
            with st.expander(f"Related context: cross-references and interpretative notes ({len(related)})"):
                for scored in related:
                    reason = f" · {escape_markdown(scored.reasons[0])}" if scored.reasons else ""
                    st.markdown(f"**{escape_markdown(scored.passage.label)}**{reason}")
                    st.markdown(passage_markdown(scored.passage.text))
    total = answer.timings.get("total")
    timing = f" · {total:.1f} s" if total is not None else ""
    st.caption(f"{answer.mode} answer{timing} · {len(answer.citations)} citation(s)")
    with st.expander("Copy as Markdown"):
        st.code(answer.to_markdown(), language="markdown", wrap_lines=True)
        st.download_button(
            "Download .md",
            answer.to_markdown(),
            file_name="answer.md",
            mime="text/markdown",
            key=f"download-{key}",
            on_click="ignore",
        )
