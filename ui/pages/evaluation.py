"""Evaluation: the latest report of ``python -m eval``, with its charts inline, or how to produce it."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from rag.engine import Engine
from ui.state import Options

COMMAND = "python -m eval all --dataset eval/datasets/gold-test.jsonl"
IMAGE_LINE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<path>[^)\s]+)\)\s*$")


def report_blocks(markdown: str, folder: Path) -> list[tuple[str, str | Path]]:
    """The report as ("markdown", text) and ("image", path) blocks.

    An image line whose file lies in ``folder`` becomes an image block (st.markdown cannot load
    local files); any other image reference stays Markdown.
    """
    blocks: list[tuple[str, str | Path]] = []
    pending: list[str] = []
    for line in markdown.splitlines():
        match = IMAGE_LINE.match(line.strip())
        image = (folder / match["path"]).resolve() if match else None
        if image is not None and image.parent == folder.resolve() and image.is_file():
            if pending:
                blocks.append(("markdown", "\n".join(pending)))
                pending = []
            blocks.append(("image", image))
        else:
            pending.append(line)
    if pending:
        blocks.append(("markdown", "\n".join(pending)))
    return blocks


def render(engine: Engine, options: Options) -> None:
    del options
    st.title("Evaluation")
    folder = engine.settings.eval_report_path
    report = folder / "report.md"
    if not report.is_file():
        st.info("No evaluation report yet. Produce one (a few minutes on CPU) with:")
        st.code(f".venv/bin/{COMMAND}\n# or: make eval", language="bash")
        st.caption(f"The report and its charts are written to {folder}/.")
        return
    st.caption(f"{report} · rebuild with `{COMMAND}`")
    shown: set[Path] = set()
    # The report is this project's own file (eval/report.py); Markdown is rendered without HTML.
    for kind, value in report_blocks(report.read_text(encoding="utf-8"), folder):
        if kind == "image":
            assert isinstance(value, Path)
            shown.add(value)
            st.image(str(value))
        else:
            st.markdown(str(value))
    others = [p for p in sorted(folder.glob("*.png")) if p.resolve() not in shown]
    if others:
        st.subheader("More charts")
        for image in others:
            st.image(str(image), caption=image.stem.replace("_", " "))
