"""Ask: a chat whose answers stream in, then show their verified sentences and source cards."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import streamlit as st

from rag.answering.types import Answer
from rag.engine import Engine
from rag.errors import ModelUnavailableError, QueryError, RagError, StoreError
from rag.retrieval import SearchFilters
from ui.answer_view import render_answer
from ui.state import Options, PendingQuestion, Turn, feedback_path, turns
from ui.text import append_feedback, escape_markdown

log = logging.getLogger(__name__)

EXAMPLES = (
    "What conditions and safeguards apply to procedural powers under the UN Cybercrime Convention?",
    "How does the Budapest Convention define a computer system?",
    "Which offences does the UN Cybercrime Convention require states to criminalize?",
)
HISTORY_QUESTIONS = 4  # earlier questions passed to a follow-up
SHOWN_QUESTION_CHARS = 600  # a longer question is shown cut


def render(engine: Engine, options: Options) -> None:
    st.title("Ask the treaties")
    history = turns()
    if not engine.documents():
        st.warning(
            "The store is empty. Ingest the corpus (`python -m ingest corpus`) or upload files on the Documents page."
        )
    prompt = st.chat_input("Ask about the treaties…", key="ask_input")
    pending: PendingQuestion | None = st.session_state.pop("pending_question", None)
    if not history and pending is None and prompt is None:
        st.markdown("Every sentence of an answer is checked against the passage it cites. Try:")
        for index, example in enumerate(EXAMPLES):
            st.button(example, key=f"example-{index}", on_click=_send, args=(example,), icon=":material/help:")
    for index, turn in enumerate(history):
        _render_turn(engine, index, turn)
    if pending is not None:
        _answer(engine, options, pending.question, pending.filters)
    elif prompt is not None:
        _answer(engine, options, prompt, None)


def _send(question: str) -> None:
    st.session_state["pending_question"] = PendingQuestion(question)


def _render_turn(engine: Engine, index: int, turn: Turn) -> None:
    with st.chat_message("user"):
        st.markdown(_shown_question(turn.question))
    with st.chat_message("assistant"):
        _render_outcome(engine, index, turn)


def _shown_question(question: str) -> str:
    if len(question) <= SHOWN_QUESTION_CHARS:
        return escape_markdown(question)
    return f"{escape_markdown(question[:SHOWN_QUESTION_CHARS])}… _\\({len(question):,} characters\\)_"


def _render_outcome(engine: Engine, index: int, turn: Turn) -> None:
    if turn.error is not None:
        (st.warning if turn.level == "warning" else st.error)(turn.error)
        return
    assert turn.answer is not None
    render_answer(turn.answer, key=turn.id)
    st.feedback(
        "thumbs",
        key=f"feedback-{turn.id}",
        on_change=_save_feedback,
        args=(engine, index),
    )


def _save_feedback(engine: Engine, index: int) -> None:
    history = turns()
    if index >= len(history) or history[index].answer is None:
        return
    turn = history[index]
    value = st.session_state.get(f"feedback-{turn.id}")
    if value is None:
        return
    turn.rating = "up" if value == 1 else "down"
    try:
        append_feedback(feedback_path(engine.settings), turn.question, turn.answer.to_json(), turn.rating)
    except OSError as error:
        st.toast(f"Feedback could not be saved: {error.strerror or error}", icon=":material/error:")
        return
    st.toast("Thank you, feedback saved.", icon=":material/thumb_up:" if value == 1 else ":material/thumb_down:")


def _answer(engine: Engine, options: Options, question: str, filters: SearchFilters | None) -> None:
    history = turns()
    earlier = [t.question for t in history if t.answer is not None][-HISTORY_QUESTIONS:]
    turn = Turn(question)
    with st.chat_message("user"):
        st.markdown(_shown_question(question))
    with st.chat_message("assistant"):
        try:
            engine.check_question(question)
        except QueryError as error:
            turn.error = f"{str(error)[0].upper()}{str(error)[1:]}."
            turn.level = "warning" if not question.strip() else "error"  # an empty box is a slip, not a fault
        else:
            scope = filters or options.filters
            turn.answer, turn.error = _stream_answer(engine, options, question, scope, earlier)
        history.append(turn)
        _render_outcome(engine, len(history) - 1, turn)


def _stream_answer(
    engine: Engine, options: Options, question: str, filters: SearchFilters | None, earlier: list[str]
) -> tuple[Answer | None, str | None]:
    """Stream the text into a placeholder, then clear it; returns the answer or an error message."""
    final: list[Answer] = []

    def pieces(events: Iterator[str | Answer]) -> Iterator[str]:
        for event in events:
            if isinstance(event, Answer):
                final.append(event)
            else:
                yield escape_markdown(event)

    area = st.empty()
    try:
        with area.container():
            spinner = "Writing with the local model…" if options.mode == "local" else "Searching the treaties…"
            with st.spinner(spinner):
                events = engine.ask_stream(question, options.mode, options.k, filters, earlier)
                st.write_stream(pieces(events))
    except QueryError as error:
        return None, f"This question cannot be asked: {error}."
    except StoreError as error:
        return None, f"The store cannot be read: {error}."
    except ModelUnavailableError as error:
        return None, f"The model is unavailable: {error}."
    except RagError as error:
        return None, f"The question could not be answered: {error}."
    except Exception as error:  # the page must survive anything the engine or a server throws
        log.exception("answering failed")
        return None, f"Something went wrong while answering ({type(error).__name__}: {error}). Try again."
    finally:
        area.empty()
    if not final:
        return None, "The engine returned no answer. Try again."
    return final[-1], None
