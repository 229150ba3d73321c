"""Compare: two documents on one topic, aligned provisions side by side, each side's cited answer."""

from __future__ import annotations

import logging

import streamlit as st

from rag.engine import Engine
from rag.errors import QueryError, RagError
from rag.types import ScoredPassage
from ui.answer_view import render_answer
from ui.state import Options
from ui.text import escape_markdown, passage_markdown

log = logging.getLogger(__name__)

COMPARE_K = 3


def render(engine: Engine, options: Options) -> None:
    st.title("Compare")
    documents = engine.documents()
    if len(documents) < 2:
        st.info("Comparing needs at least two documents in the store.")
        return
    registry = engine.registry()
    titles = {d.doc_id: registry.short_title(d.doc_id, d.title) for d in documents}
    ids = list(titles)
    first, second = (*registry.compare_pair, "", "")[:2]
    default_a = ids.index(first) if first in titles else 0
    default_b = ids.index(second) if second in titles else (1 if default_a == 0 else 0)
    with st.form("compare_form", border=False):
        left, right = st.columns(2)
        doc_a = left.selectbox("First document", ids, index=default_a, key="cmp_a", format_func=titles.get)
        doc_b = right.selectbox("Second document", ids, index=default_b, key="cmp_b", format_func=titles.get)
        topic = st.text_input("Topic", key="cmp_topic", placeholder="e.g. preservation of stored computer data")
        submitted = st.form_submit_button("Compare", icon=":material/compare_arrows:", type="primary")
    if submitted:
        if doc_a == doc_b:
            st.warning("Choose two different documents.")
        elif not topic.strip():
            st.warning("Type a topic to compare, e.g. “search and seizure” or “extradition”.")
        else:
            with st.spinner("Finding and aligning provisions…"):
                try:
                    st.session_state["comparison"] = engine.compare(doc_a, doc_b, topic, k=COMPARE_K, mode=options.mode)
                except QueryError as error:
                    st.error(f"This topic cannot be compared: {escape_markdown(str(error))}.")
                except RagError as error:
                    st.error(f"The comparison failed: {escape_markdown(str(error))}.")
                except Exception as error:  # the page must survive a failing model or server
                    log.exception("comparison failed")
                    st.error(f"The comparison failed ({type(error).__name__}). Try again.")
    comparison = st.session_state.get("comparison")
    if comparison is None:
        return
    name_a = titles.get(comparison.doc_a, comparison.doc_a)
    name_b = titles.get(comparison.doc_b, comparison.doc_b)
    st.subheader(escape_markdown(f"“{comparison.topic}”: {name_a} and {name_b}"))
    header = st.columns(2)
    header[0].markdown(f"#### {escape_markdown(name_a)}")
    header[1].markdown(f"#### {escape_markdown(name_b)}")
    if not comparison.rows:
        st.info("Neither document has a provision on this topic.")
    for row, (a, b, similarity) in enumerate(comparison.rows):
        columns = st.columns(2)
        for column, scored in zip(columns, (a, b), strict=True):
            with column:
                _provision(scored)
        if a is not None and b is not None:
            st.caption(f"Row {row + 1}: similarity {similarity:.2f}")
    st.divider()
    answers = st.columns(2)
    for column, answer, side in zip(answers, (comparison.answer_a, comparison.answer_b), ("a", "b"), strict=True):
        with column:
            st.markdown("**Cited answer**")
            render_answer(answer, key=f"compare-{side}")


def _provision(scored: ScoredPassage | None) -> None:
    with st.container(border=True):
        if scored is None:
            st.caption("No matching provision on this side.")
            return
        st.markdown(f"**{escape_markdown(scored.passage.label)}**")
        if scored.passage.article_title:
            st.caption(escape_markdown(scored.passage.article_title))
        st.markdown(passage_markdown(scored.passage.text))
