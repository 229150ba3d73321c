"""Documents: what is in the store, and uploads that are saved safely and ingested one by one."""

from __future__ import annotations

import inspect
import math
from pathlib import Path

import streamlit as st

from rag.engine import Engine
from rag.errors import RagError
from rag.store import ManifestEntry
from rag.uploads import UPLOAD_SUFFIXES, UploadResult, add_upload, format_bytes
from ui.state import Options, upload_folder
from ui.text import escape_markdown

_HAS_MAX_UPLOAD_SIZE = "max_upload_size" in inspect.signature(st.file_uploader).parameters  # Streamlit >= 1.5x


def render(engine: Engine, options: Options) -> None:
    del options
    st.title("Documents")
    documents = engine.documents()
    if documents:
        total = sum(d.passages for d in documents)
        st.caption(f"{len(documents)} documents, {total:,} passages")
        registry = engine.registry()
        st.dataframe(
            [
                {
                    "Document": d.title,
                    "Short title": registry.short_title(d.doc_id, d.title),
                    "Also called": ", ".join(entry.aliases) if (entry := registry.get(d.doc_id)) else "",
                    "Id": d.doc_id,
                    "Passages": d.passages,
                    "File": Path(d.source_path).name if d.source_path else "",
                }
                for d in documents
            ],
            hide_index=True,
            width="stretch",
        )
        _render_names_form(engine, [d for d in documents if (e := registry.get(d.doc_id)) and not e.builtin])
    else:
        st.info("The store is empty. Upload files below, or run `python -m ingest corpus`.")

    st.subheader("Add documents")
    limit = engine.settings.max_file_bytes
    suffixes = [s.lstrip(".") for s in UPLOAD_SUFFIXES]
    generation = st.session_state.setdefault("uploader_generation", 0)
    # The browser-side limit follows the engine's (server.maxUploadSize would say 200 MB).
    extra = {"max_upload_size": max(1, math.ceil(limit / 1_000_000))} if _HAS_MAX_UPLOAD_SIZE else {}
    files = st.file_uploader(
        "PDF, Word, text, HTML or Markdown files",
        type=suffixes,
        accept_multiple_files=True,
        key=f"uploader-{generation}",
        help=f"Up to {format_bytes(limit)} per file. Uploading a file again replaces your earlier upload.",
        **extra,
    )
    st.caption(f"Size limit: {format_bytes(limit)} per file. Accepted: {', '.join(suffixes)}.")
    if files and st.button(f"Ingest {len(files)} file(s)", type="primary", icon=":material/upload:", key="ingest"):
        st.session_state["upload_results"] = _ingest(engine, files)
        st.session_state["uploader_generation"] = generation + 1
        st.rerun()
    for result in st.session_state.get("upload_results", []):
        if result.ok:
            st.success(f"**{escape_markdown(result.name)}**: {escape_markdown(result.message)}")
        else:
            st.error(f"**{escape_markdown(result.name)}** was not added: {escape_markdown(result.message)}")


def _render_names_form(engine: Engine, uploads: list[ManifestEntry]) -> None:
    """Edit the short title and aliases of an uploaded document (the names a question may use)."""
    if not uploads:
        return
    with st.expander("Names of an uploaded document", icon=":material/edit:"):
        titles = {d.doc_id: d.title for d in uploads}
        doc_id = st.selectbox("Document", list(titles), format_func=titles.get, key="names_doc")
        entry = engine.registry().get(doc_id)
        if entry is None:
            return
        with st.form(f"names-{doc_id}", border=False):
            short = st.text_input("Short title (used in citations)", value=entry.short_title, key="names_short")
            aliases = st.text_area(
                "Also called (one name a line; a question naming one of them searches this document)",
                value="\n".join(entry.aliases),
                key="names_aliases",
            )
            if st.form_submit_button("Save names", icon=":material/save:", key="names_save"):
                try:
                    engine.update_document_names(doc_id, short, aliases.splitlines())
                except RagError as error:
                    st.error(escape_markdown(str(error)))
                else:
                    st.success("Saved.")


def _ingest(engine: Engine, files: list) -> list[UploadResult]:  # type: ignore[type-arg]
    """Save each file under the session's upload folder and ingest it; one failure loses nothing else."""
    folder = upload_folder(engine.settings)
    results: list[UploadResult] = []
    progress = st.progress(0.0, text="Starting…")
    for index, upload in enumerate(files):
        progress.progress(index / len(files), text=f"Ingesting {upload.name} ({index + 1}/{len(files)})")
        results.append(add_upload(engine, folder, upload.name, upload.getvalue()))
    progress.progress(1.0, text="Done")
    return results
