"""Evaluation: the latest report of ``python -m eval``, or how to produce it."""

from __future__ import annotations

import streamlit as st

from rag.engine import Engine
from rag.settings import PROJECT_ROOT
from ui.state import Options

REPORT_DIR = PROJECT_ROOT / "eval" / "reports" / "latest"
COMMAND = "python -m eval all --dataset eval/datasets/gold-test.jsonl"


def render(engine: Engine, options: Options) -> None:
    del engine, options
    st.title("Evaluation")
    report = REPORT_DIR / "report.md"
    if not report.is_file():
        st.info("No evaluation report yet. Produce one (a few minutes on CPU) with:")
        st.code(f".venv/bin/{COMMAND}\n# or: make eval", language="bash")
        st.caption(f"The report and its charts are written to {REPORT_DIR.relative_to(PROJECT_ROOT)}/.")
        return
    st.caption(f"{report.relative_to(PROJECT_ROOT)} · rebuild with `{COMMAND}`")
    # The report is our own file, written by eval/report.py; Markdown is rendered without HTML.
    st.markdown(report.read_text(encoding="utf-8"))
    images = sorted(REPORT_DIR.glob("*.png"))
    if images:
        st.subheader("Charts")
        for image in images:
            st.image(str(image), caption=image.stem.replace("_", " ").replace("-", " "))
