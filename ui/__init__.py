"""The Streamlit front end: ``main()`` draws the sidebar and the chosen page (see app.py)."""

from __future__ import annotations

import streamlit as st

from ui.sidebar import render_sidebar
from ui.state import get_engine


def main() -> None:
    try:
        engine = get_engine()
    except Exception as error:  # a bad setting or an unreachable Chroma server: say so and stop
        st.error(f"The engine could not start: {type(error).__name__}: {error}")
        st.info(
            "Check the RAG_* settings (RAG_STORE_PATH, RAG_CHROMA_HOST, ...) and that the store exists: "
            "`python -m ingest corpus` builds it. Reload the page to retry."
        )
        st.stop()
    page, options = render_sidebar(engine)
    from ui.pages import ask, compare, documents, evaluation, library

    pages = {
        "Ask": ask.render,
        "Library": library.render,
        "Compare": compare.render,
        "Documents": documents.render,
        "Evaluation": evaluation.render,
    }
    pages[page](engine, options)
