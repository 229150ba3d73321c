"""The sidebar: page choice, answer settings, and what the engine runs on (with readiness)."""

from __future__ import annotations

import importlib.util
from functools import lru_cache

import streamlit as st

from rag.engine import Engine
from rag.models import PACKAGED_MODELS, is_valid_gguf
from rag.settings import ANSWER_MODES, Settings
from rag.types import short_title
from ui.state import Options
from ui.text import escape_markdown

PAGES = ("Ask", "Library", "Compare", "Documents", "Evaluation")
PAGE_ICONS = {
    "Ask": ":material/chat:",
    "Library": ":material/menu_book:",
    "Compare": ":material/compare_arrows:",
    "Documents": ":material/description:",
    "Evaluation": ":material/analytics:",
}
MODE_LABELS = {
    "extractive": "Extractive (fast, quotes the sources)",
    "local": "Local model (Qwen 1.5B, slow on CPU)",
    "openai": "OpenAI-compatible server",
}
MAX_K_SHOWN = 20


@lru_cache(maxsize=8)
def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def local_model_status(settings: Settings) -> tuple[bool, str]:
    """Whether the local model can run: the assembled GGUF, or its part packages, and llama.cpp."""
    model = PACKAGED_MODELS.get(settings.llm_model_size)
    if model is None:
        return False, f"unknown model size {settings.llm_model_size}"
    if not _installed("llama_cpp"):
        return False, f"{model.name}: llama-cpp-python is not installed (make setup)"
    if is_valid_gguf(settings.model_cache / model.file_name, model.size):
        return True, f"{model.name}: GGUF ready"
    if _installed(f"{model.package_prefix}1"):
        return True, f"{model.name}: assembled from its packages on first use (~{model.size / 1e9:.1f} GB)"
    return False, f"{model.name}: part packages missing (install the 'local' extra)"


def openai_status(settings: Settings) -> tuple[bool, str]:
    if settings.openai_base_url:
        return True, f"{settings.openai_model} at {settings.openai_base_url}"
    if settings.openai_api_key.get_secret_value() != "not-needed":
        return True, f"{settings.openai_model} at api.openai.com"
    return False, "not configured (set RAG_OPENAI_BASE_URL)"


def store_status(engine: Engine) -> tuple[bool, str]:
    settings = engine.settings
    where = (
        f"Chroma server {settings.chroma_host}:{settings.chroma_port}"
        if settings.chroma_host
        else escape_markdown(str(settings.store_path))
    )
    documents = engine.documents()
    if not documents:
        return False, f"{where}: empty, ingest documents first"
    passages = sum(d.passages for d in documents)
    return True, f"{where}: {len(documents)} documents, {passages:,} passages"


def _line(ok: bool, name: str, detail: str) -> str:
    icon = ":green[:material/check_circle:]" if ok else ":orange[:material/error:]"
    return f"{icon} **{name}**: {detail}"


def render_sidebar(engine: Engine) -> tuple[str, Options]:
    settings = engine.settings
    with st.sidebar:
        st.title("TreatyQA")
        st.caption("Cited answers from the UN Convention against Cybercrime and related treaties, offline.")
        page = st.radio(
            "Page", PAGES, key="page", format_func=lambda p: f"{PAGE_ICONS[p]} {p}", label_visibility="collapsed"
        )
        st.divider()
        st.subheader("Answer settings")
        default_mode = settings.answer_mode if settings.answer_mode in ANSWER_MODES else "extractive"
        mode = st.radio(
            "Answer mode", ANSWER_MODES, index=ANSWER_MODES.index(default_mode), key="mode", format_func=MODE_LABELS.get
        )
        local_ok, local_detail = local_model_status(settings)
        openai_ok, openai_detail = openai_status(settings)
        if mode == "local":
            if local_ok:
                st.caption("The local model writes the answer in 15-60 s on two cores; sentences are then verified.")
            else:
                st.warning(f"Local model not ready: {escape_markdown(local_detail)}. Answers fall back to extractive.")
        if mode == "openai" and not openai_ok:
            st.warning("No OpenAI-compatible server is configured; answers fall back to extractive.")
        top = min(settings.max_k, MAX_K_SHOWN)
        k = st.slider("Passages retrieved", 1, top, min(settings.top_k, top), key="k")
        documents = engine.documents()
        titles = {d.doc_id: short_title(d.doc_id, d.title) for d in documents}
        chosen = st.multiselect(
            "Only these documents",
            list(titles),
            key="doc_filter",
            format_func=lambda d: titles.get(d, d),
            placeholder="All documents",
        )
        st.divider()
        st.subheader("Engine")
        store_ok, store_detail = store_status(engine)
        embed = f"{settings.embedding_backend} · {escape_markdown(settings.embedding_model)}"
        st.markdown(
            "\n\n".join(
                [
                    _line(store_ok, "Store", store_detail),
                    _line(True, "Embeddings", f"{embed}, loaded"),
                    _line(local_ok, "Local model", escape_markdown(local_detail)),
                    _line(openai_ok, "OpenAI", escape_markdown(openai_detail)),
                ]
            )
        )
    return page, Options(mode=mode, k=k, docs=tuple(d for d in chosen if d in titles))
