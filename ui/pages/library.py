"""Library: read a document article by article, with its notes, cross-references and a summary."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from rag.engine import Engine
from rag.errors import RagError
from rag.retrieval import SearchFilters
from rag.types import Passage
from ui.answer_view import render_answer
from ui.state import Options, PendingQuestion
from ui.text import escape_markdown, passage_markdown

ALL_CHAPTERS = ""
REF_COLUMNS = 3


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    chapter: str | None
    article: str | None  # set for real articles (or a national act's sections) only
    noun: str = "Article"  # what the document calls its provisions (``Passage.article_noun``)


def section_of(passage: Passage) -> Section:
    if passage.article == "preamble":
        return Section("preamble", "Preamble", passage.chapter, None)
    if passage.article:
        title = f" — {passage.article_title}" if passage.article_title else ""
        noun = passage.article_noun
        return Section(passage.article, f"{noun} {passage.article}{title}", passage.chapter, passage.article, noun)
    if passage.kind == "note" and passage.paragraphs:
        return Section(f"note-{passage.paragraphs[0]}", f"Note {passage.paragraphs[0]}", passage.chapter, None)
    if passage.kind == "final":
        return Section("final", "Final clauses", passage.chapter, None)
    if passage.kind == "paragraph":
        return Section("paragraphs", "Paragraphs", passage.chapter, None)
    return Section(passage.kind, passage.kind.capitalize(), passage.chapter, None)


def sections_of(passages: list[Passage]) -> dict[str, tuple[Section, list[Passage]]]:
    """Sections in reading order with their passages."""
    out: dict[str, tuple[Section, list[Passage]]] = {}
    for passage in passages:
        section = section_of(passage)
        if section.key not in out:
            out[section.key] = (section, [])
        out[section.key][1].append(passage)
    return out


def go_to(doc_id: str, section: str, chapter: str = ALL_CHAPTERS) -> None:
    """Callback: open ``section`` of ``doc_id`` (the widgets read these keys on the next run)."""
    st.session_state["lib_doc"] = doc_id
    st.session_state["lib_chapter"] = chapter
    st.session_state["lib_section"] = section


def ask_about(question: str, doc_id: str, article: str) -> None:
    """Callback: send a question scoped to one article to the Ask page."""
    filters = SearchFilters(docs=(doc_id,), articles=(article,))
    st.session_state["pending_question"] = PendingQuestion(question, filters)
    st.session_state["page"] = "Ask"


def render(engine: Engine, options: Options) -> None:
    st.title("Library")
    documents = engine.documents()
    if not documents:
        st.info("No documents yet: ingest the corpus or upload files on the Documents page.")
        return
    titles = {d.doc_id: d.title for d in documents}
    if st.session_state.get("lib_doc") not in titles:
        default = engine.registry().default_document
        st.session_state["lib_doc"] = default if default in titles else documents[0].doc_id
    left, middle, right = st.columns([3, 2, 3])
    with left:
        doc_id = st.selectbox("Document", list(titles), key="lib_doc", format_func=lambda d: titles[d])
    passages = engine.passages_of(doc_id)
    chapters: dict[str, str] = {}
    for passage in passages:
        if passage.chapter and passage.chapter not in chapters:
            chapters[passage.chapter] = passage.chapter_title or ""
    chapter_options = [ALL_CHAPTERS, *chapters]
    if st.session_state.get("lib_chapter") not in chapter_options:
        st.session_state["lib_chapter"] = ALL_CHAPTERS
    with middle:
        chapter = st.selectbox(
            "Chapter",
            chapter_options,
            key="lib_chapter",
            format_func=lambda c: "All chapters" if c == ALL_CHAPTERS else f"{c}. {chapters[c]}".strip(),
            disabled=not chapters,
        )
    shown = [p for p in passages if chapter == ALL_CHAPTERS or p.chapter == chapter]
    sections = sections_of(shown)
    if not sections:
        st.info("This chapter has no passages.")
        return
    if st.session_state.get("lib_section") not in sections:
        st.session_state["lib_section"] = next(iter(sections))
    with right:
        key = st.selectbox(
            "Article or section", list(sections), key="lib_section", format_func=lambda s: sections[s][0].label
        )
    section, section_passages = sections[key]
    _render_section(engine, options, doc_id, titles[doc_id], section, section_passages)


def _render_section(
    engine: Engine, options: Options, doc_id: str, title: str, section: Section, passages: list[Passage]
) -> None:
    short = engine.registry().short_title(doc_id, title)
    st.subheader(escape_markdown(f"{short}: {section.label}"))
    if section.chapter and passages[0].chapter_title:
        st.caption(escape_markdown(f"Chapter {section.chapter}: {passages[0].chapter_title}"))
    text_column, side_column = st.columns([3, 2], gap="medium")
    with text_column, st.container(border=True):
        for passage in passages:
            st.markdown(passage_markdown(passage.text))
        st.caption(escape_markdown(" · ".join(dict.fromkeys(p.label for p in passages))))
    with side_column:
        if section.article:
            _render_actions(engine, options, doc_id, short, section, passages)
        if section.article:
            for note in engine.notes_on(doc_id, section.article):
                with st.container(border=True):
                    st.markdown(
                        f":blue-badge[:material/sticky_note_2: Interpretative note] **{escape_markdown(note.label)}**"
                    )
                    st.markdown(passage_markdown(note.text))
        _render_references(engine, doc_id, section, passages)
        if section.article:
            _render_summary(doc_id, section, options)


def _summary_key(doc_id: str, article: str, mode: str) -> str:
    return f"summary|{doc_id}|{article}|{mode}"


def _render_actions(
    engine: Engine, options: Options, doc_id: str, short: str, section: Section, passages: list[Passage]
) -> None:
    assert section.article is not None
    noun = section.noun.lower()
    if st.button(f"Summarize this {noun}", icon=":material/summarize:", key="lib_summarize", width="stretch"):
        with st.spinner(f"Summarizing {noun} {section.article}…"):
            key = _summary_key(doc_id, section.article, options.mode)
            try:
                st.session_state[key] = engine.summarize(doc_id, article=section.article, mode=options.mode)
            except RagError as error:
                st.session_state[key] = str(error)
    st.button(
        f"Ask about this {noun}",
        icon=":material/chat:",
        key="lib_ask",
        on_click=ask_about,
        args=(_question_about(short, section, passages), doc_id, section.article),
        width="stretch",
    )


def _render_summary(doc_id: str, section: Section, options: Options) -> None:
    assert section.article is not None
    article, noun = section.article, section.noun.lower()
    summary = st.session_state.get(_summary_key(doc_id, article, options.mode))
    if isinstance(summary, str):
        st.error(f"The {noun} could not be summarised: {escape_markdown(summary)}")
    elif summary is not None:
        st.markdown(f"**Summary of {noun} {escape_markdown(article)}**")
        render_answer(summary, key=f"summary-{doc_id}-{article}")


def _question_about(short: str, section: Section, passages: list[Passage]) -> str:
    title = passages[0].article_title
    provision = f"{section.noun.lower()} {section.article}"
    named = f"{provision} ({title})" if title else provision
    return f"What does {named} of the {short} provide?"


def _render_references(engine: Engine, doc_id: str, section: Section, passages: list[Passage]) -> None:
    """Buttons to the articles this section cites (the convention's, for the interpretative notes)."""
    entry = engine.registry().get(doc_id)
    commented = entry.annotates if entry is not None and entry.kind == "notes" else None
    target_doc = commented or doc_id
    target = engine.passages_of(target_doc)
    nouns = {p.article: p.article_noun for p in target if p.article}
    refs: list[str] = []
    for passage in passages:
        for ref in passage.refers_to:
            article = ref.partition(".")[0]
            if article in nouns and article != section.article and article not in refs:
                refs.append(article)
    if not refs:
        return
    st.markdown("**On the convention's articles**" if commented else "**Cites**")
    columns = st.columns(min(len(refs), REF_COLUMNS))
    for index, article in enumerate(refs):
        columns[index % len(columns)].button(
            f"{nouns[article]} {article}",
            key=f"ref-{target_doc}-{article}",
            on_click=go_to,
            args=(target_doc, article, ALL_CHAPTERS),
            icon=":material/arrow_forward:",
        )
