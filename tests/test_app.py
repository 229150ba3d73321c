"""The Streamlit app, page by page, with ``streamlit.testing.v1.AppTest`` against the real corpus store.

The app reads its settings from RAG_* variables, so each test points RAG_STORE_PATH and
RAG_COLLECTION at the session's ``corpus_store`` (read-only: uploads go to a fresh store).
The engine is cached per process and configuration, so it loads once for all these tests.
"""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

import pytest

from rag.settings import PROJECT_ROOT

if str(PROJECT_ROOT) not in sys.path:  # ui/ is beside app.py, not an installed package
    sys.path.insert(0, str(PROJECT_ROOT))

from rag.types import Passage
from rag.uploads import UploadNameError, safe_upload_name, upload_target
from ui.pages.library import section_of
from ui.text import HIGHLIGHT, append_feedback, escape_markdown, passage_markdown, quote_span

APP = str(PROJECT_ROOT / "app.py")
TIMEOUT = 240  # seconds for one script run: the first loads the engine (~20-40 s on 2 cores)
QUESTION = "What conditions and safeguards apply to procedural powers under the UN Cybercrime Convention?"
REFUSED = "What did Human Rights Watch say about the treaty?"
TXT = (
    "Model Data Protection Agreement\n\n"
    "Article 1\n\nScope\n\n"
    "1. This agreement applies to the transfer of personal data between the parties for the purpose of "
    "preventing and investigating offences.\n\n"
    "Article 2\n\nRetention\n\n"
    "1. Personal data received under this agreement shall be deleted after five years unless needed for "
    "ongoing proceedings.\n"
)


# ----- pure helpers (no Streamlit) -----


def test_escape_markdown_shows_markup_literally() -> None:
    escaped = escape_markdown("<script>alert(1)</script> [link](x) **b** $x$ :orange[y] :smile:\n    1. item")
    for raw in ("<script>", "[link](x)", "**b**", "$x$", ":orange[y]"):
        assert raw not in escaped
    assert "\\<script\\>" in escaped and "\\[link\\]\\(x\\)" in escaped
    assert "    1" not in escaped  # indentation would make a code block


def test_passage_markdown_highlights_only_the_quote() -> None:
    text = "Article 1\n\n<b>Scope</b> [link](x). The quoted part. After."
    start = text.index("The quoted")
    end = start + len("The quoted part.")
    markdown = passage_markdown(text, [(start, end)])
    assert markdown.count(f":{HIGHLIGHT}[") == 1
    assert f":{HIGHLIGHT}[The quoted part\\.]" in markdown
    assert f"\\<b\\>Scope\\<\\/b\\> \\[link\\]\\(x\\)\\. :{HIGHLIGHT}" in markdown
    assert "part\\.] After" in markdown  # the space after the quote is kept
    spanning = passage_markdown("a\n\nb c\nd e", [(3, 8)])
    assert spanning == f"a\n\n:{HIGHLIGHT}[b c]  \n:{HIGHLIGHT}[d] e"
    assert quote_span(100, 200, 150, 160) == (50, 60)
    assert quote_span(100, 200, 250, 260) is None
    assert quote_span(100, 200, 90, 120) == (0, 20)


def test_a_national_acts_section_is_labelled_a_section_in_the_library() -> None:
    fields = {"doc_title": "Act", "text": "t", "start": 0, "end": 1, "context": "", "kind": "article", "article": "4"}
    section = Passage(id="act:4", doc_id="act", article_title="Cybercrime Offenses", article_noun="Section", **fields)  # type: ignore[arg-type]
    article = Passage(id="un:4", doc_id="un", **fields)  # type: ignore[arg-type]
    assert section_of(section).label == "Section 4 — Cybercrime Offenses"
    assert section_of(section).noun == "Section"
    assert section_of(article).label == "Article 4"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("report.txt", "report.txt"),
        ("My Report (final).PDF", "My-Report-final.pdf"),
        ("C:\\Users\\x\\notes.md", "notes.md"),
        ("/etc/cron.d/job.html", "job.html"),
        ("ünïcode näme.docx", "n-code-n-me.docx"),
    ],
)
def test_safe_upload_name(name: str, expected: str) -> None:
    assert safe_upload_name(name) == expected


@pytest.mark.parametrize("name", ["../evil.txt", "a/../../b.txt", "x..txt", "", "noext", "virus.exe", "....txt", "..."])
def test_safe_upload_name_rejects(name: str) -> None:
    with pytest.raises(UploadNameError):
        safe_upload_name(name)


def test_upload_target_stays_in_folder(tmp_path: Path) -> None:
    assert upload_target(tmp_path, "/abs/path/doc.txt") == (tmp_path / "doc.txt").resolve()


def test_append_feedback_writes_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "feedback.jsonl"
    append_feedback(path, "q1", {"answer": "a"}, "up")
    append_feedback(path, "q2", {"answer": "b"}, "down")
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(r["question"], r["rating"]) for r in records] == [("q1", "up"), ("q2", "down")]


# ----- the app -----


@pytest.fixture
def corpus_env(corpus_store, monkeypatch: pytest.MonkeyPatch):
    """RAG_* variables that point the app at the shared corpus store."""
    for name in ("RAG_OPENAI_BASE_URL", "RAG_OPENAI_API_KEY", "RAG_CHROMA_HOST", "RAG_ANSWER_MODE", "RAG_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RAG_CONFIG", str(Path(corpus_store.settings.store_path) / "no-such-rag.toml"))
    monkeypatch.setenv("RAG_STORE_PATH", str(corpus_store.settings.store_path))
    monkeypatch.setenv("RAG_COLLECTION", corpus_store.settings.collection)
    return corpus_store.settings


def start(page: str = "Ask"):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    if page != "Ask":
        at.sidebar.radio(key="page").set_value(page).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def ask(at, question: str):
    at.chat_input(key="ask_input").set_value(question).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def all_markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_ask_answers_with_citations_and_source_cards(corpus_env) -> None:
    at = ask(start(), QUESTION)
    text = all_markdown(at)
    assert "\\[1\\]" in text  # the marker after a sentence
    labels = [e.label for e in at.expander]
    cards = [label for label in labels if label.startswith("\\[1\\]")]
    assert cards and "UN Cybercrime Convention, art\\. 24" in cards[0], labels
    assert f":{HIGHLIGHT}[" in text  # the quote highlighted in its passage
    assert any("support" in m.value for m in at.markdown)  # the support badge
    assert any("[1] UN Cybercrime Convention, art. 24" in c.value for c in at.code)  # copy as Markdown
    assert len(at.get("feedback")) == 1
    # The history survives reruns: the answer and its cards are drawn again.
    at.run()
    assert not at.exception
    assert [e.label for e in at.expander] == labels
    assert at.chat_message[0].markdown[0].value.startswith("What conditions")


def test_follow_up_passes_earlier_questions(corpus_env, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.state import get_engine

    engine = get_engine()
    seen: list[tuple[str, tuple[str, ...]]] = []
    original = engine.ask_stream

    def recording(question, mode=None, k=None, filters=None, history=()):
        seen.append((question, tuple(history)))
        return original(question, mode, k, filters, history)

    monkeypatch.setattr(engine, "ask_stream", recording)
    at = ask(start(), QUESTION)
    ask(at, "What about judicial review?")
    assert seen == [(QUESTION, ()), ("What about judicial review?", (QUESTION,))]
    assert len(at.get("feedback")) == 2


def test_feedback_is_saved(corpus_env) -> None:
    path = Path(corpus_env.store_path) / "feedback.jsonl"
    path.unlink(missing_ok=True)
    try:
        at = ask(start(), QUESTION)
        at.get("feedback")[0].set_value(1).run()
        assert not at.exception
        records = [json.loads(line) for line in path.read_text().splitlines()]
        assert records[-1]["rating"] == "up"
        assert records[-1]["question"] == QUESTION
        assert records[-1]["answer"]["citations"]
    finally:
        path.unlink(missing_ok=True)


def test_refusal_shows_reason_and_nearest_provisions(corpus_env) -> None:
    at = ask(start(), REFUSED)
    warnings = [w.value for w in at.warning]
    assert any("do not answer" in w for w in warnings), warnings
    text = all_markdown(at) + "\n".join(c.value for c in at.caption)
    assert "Human Rights Watch" in text  # the notice says why
    assert "Nearest provisions" in text
    assert at.expander  # the nearest provisions can be opened


def test_over_long_and_empty_questions_give_messages_and_the_app_keeps_working(corpus_env) -> None:
    at = ask(start(), "x" * (corpus_env.max_question_chars + 1))
    assert any("limit is 4,000" in e.value for e in at.error), [e.value for e in at.error]
    ask(at, "   ")
    assert any("empty" in w.value for w in at.warning)
    ask(at, QUESTION)
    assert any(label.startswith("\\[1\\]") for label in (e.label for e in at.expander))


def test_engine_failure_is_an_error_not_a_crash(corpus_env, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.state import get_engine

    engine = get_engine()

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")
        yield  # pragma: no cover

    monkeypatch.setattr(engine, "ask_stream", broken)
    at = ask(start(), QUESTION)
    assert any("disk on fire" in e.value for e in at.error)
    monkeypatch.undo()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_settings_mode_and_unreachable_openai_fall_back_with_notice(corpus_env, monkeypatch) -> None:
    monkeypatch.setenv("RAG_OPENAI_BASE_URL", f"http://127.0.0.1:{_closed_port()}/v1")
    monkeypatch.setenv("RAG_OPENAI_TIMEOUT", "5")
    at = start()
    sidebar = "\n".join(m.value for m in at.sidebar.markdown)
    assert "Store" in sidebar and "8 documents" in sidebar and "Local model" in sidebar
    at.sidebar.radio(key="mode").set_value("openai").run()
    at.sidebar.slider(key="k").set_value(3).run()
    ask(at, QUESTION)
    warnings = " ".join(w.value for w in at.warning)
    assert "openai model failed" in warnings or "openai model is unavailable" in warnings, warnings
    assert any(label.startswith("\\[1\\]") for label in (e.label for e in at.expander))  # the extractive fallback
    assert any("extractive" in c.value or "openai" in c.value for c in at.caption)


def test_document_filter_limits_the_sources(corpus_env) -> None:
    at = start()
    at.sidebar.multiselect(key="doc_filter").set_value(["budapest-convention-ets185"]).run()
    ask(at, "What conditions and safeguards apply to procedural powers?")
    cards = [e.label for e in at.expander if e.label.startswith("\\[")]
    assert cards and all("Budapest Convention" in label for label in cards), cards


def test_library_reads_article_24_and_follows_references(corpus_env) -> None:
    at = start("Library")
    assert at.selectbox(key="lib_doc").value == "un-cybercrime-convention-2024"
    at.selectbox(key="lib_section").set_value("24").run()
    text = all_markdown(at)
    assert "Conditions and safeguards" in text
    assert "judicial or other independent review" in text  # paragraph 2: the whole article is shown
    # Article 17 has an interpretative note; article 23 cites articles 29 and 30.
    at.selectbox(key="lib_section").set_value("17").run()
    assert "Interpretative note" in all_markdown(at)
    at.selectbox(key="lib_section").set_value("23").run()
    at.button(key="ref-un-cybercrime-convention-2024-29").click().run()
    assert not at.exception
    assert at.selectbox(key="lib_section").value == "29"
    # Summarize this article.
    at.button(key="lib_summarize").click().run()
    assert not at.exception
    assert "Summary of article 29" in all_markdown(at)
    # Ask about this article: the Ask page opens with the answer.
    at.button(key="lib_ask").click().run()
    assert not at.exception
    assert at.sidebar.radio(key="page").value == "Ask"
    assert "article 29" in at.chat_message[0].markdown[0].value
    assert any("art\\. 29" in e.label for e in at.expander)


def test_library_chapter_filter(corpus_env) -> None:
    at = start("Library")
    at.selectbox(key="lib_chapter").set_value("II").run()
    sections = at.selectbox(key="lib_section").options
    assert "Article 7 — Illegal access" in sections[0]
    at.selectbox(key="lib_doc").set_value("news-us-support-un-cybercrime-convention").run()
    assert not at.exception
    assert at.selectbox(key="lib_section").value == "paragraphs"


def test_compare_shows_two_columns_and_two_answers(corpus_env) -> None:
    at = start("Compare")
    at.text_input(key="cmp_topic").set_value("preservation of stored computer data")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.columns) >= 4
    text = all_markdown(at)
    assert text.count("**Cited answer**") == 2
    assert "Budapest Convention" in text and "UN Cybercrime Convention" in text
    labels = [e.label for e in at.expander]
    assert any("Budapest Convention" in label for label in labels)
    assert any("UN Cybercrime Convention" in label for label in labels)


@pytest.fixture
def empty_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """RAG_* variables that point the app at a new, empty store in ``tmp_path``."""
    for name in ("RAG_OPENAI_BASE_URL", "RAG_OPENAI_API_KEY", "RAG_CHROMA_HOST", "RAG_ANSWER_MODE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RAG_STORE_PATH", str(tmp_path / "store"))
    monkeypatch.setenv("RAG_COLLECTION", "apptest-empty")
    monkeypatch.setenv("RAG_CONFIG", str(tmp_path / "no-such-rag.toml"))
    return tmp_path / "store"


def test_evaluation_page_without_a_report_says_how_to_make_one(
    empty_env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAG_EVAL_REPORT_PATH", str(tmp_path / "no-report-yet"))
    at = start("Evaluation")
    assert any("python -m eval all" in c.value for c in at.code)
    assert "Evaluation report" not in all_markdown(at)


def test_evaluation_page_shows_the_report_with_its_charts_as_images(
    empty_env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(2, 1))
    figure.savefig(tmp_path / "recall_at_k.png")
    plt.close(figure)
    (tmp_path / "report.md").write_text("# Evaluation report\n\n![recall](recall_at_k.png)\n", encoding="utf-8")
    monkeypatch.setenv("RAG_EVAL_REPORT_PATH", str(tmp_path))
    at = start("Evaluation")
    assert "Evaluation report" in all_markdown(at)
    assert not any("](" in m.value and ".png" in m.value for m in at.markdown)  # the chart is an image block
    assert len(at.get("image")) == 1


def test_report_blocks_inline_local_charts_only(tmp_path: Path) -> None:
    from ui.pages.evaluation import report_blocks

    (tmp_path / "chart.png").write_bytes(b"png")
    markdown = "# R\n\n![c](chart.png)\n\ntext\n![x](../secret.png)\n![m](missing.png)"
    blocks = report_blocks(markdown, tmp_path)
    assert [kind for kind, _ in blocks] == ["markdown", "image", "markdown"]
    assert blocks[1][1] == (tmp_path / "chart.png").resolve()
    assert "../secret.png" in str(blocks[2][1]) and "missing.png" in str(blocks[2][1])


def test_uploads_ingest_a_text_and_report_a_broken_pdf(empty_env: Path) -> None:
    store = empty_env
    at = start("Documents")
    assert any("store is empty" in i.value for i in at.info)
    assert any("Size limit: 20 MB" in c.value for c in at.caption)
    at.file_uploader[0].set_value(
        [
            ("Data protection (model).txt", TXT.encode(), "text/plain"),
            ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "application/pdf"),
            ("../escape.txt", b"Article 1\n\nnothing", "text/plain"),
        ]
    ).run()
    at.button(key="ingest").click().run()
    assert not at.exception, [e.value for e in at.exception]
    successes = [s.value for s in at.success]
    errors = [e.value for e in at.error]
    assert any("Data\\-protection\\-model\\.txt" in s or "added" in s for s in successes), successes
    assert any("broken\\.pdf" in e for e in errors), errors
    assert any("\\.\\." in e for e in errors), errors  # the traversal attempt is refused with its reason
    uploads = list((store / "uploads").rglob("*"))
    assert {p.name for p in uploads if p.is_file()} == {"Data-protection-model.txt"}
    table = at.dataframe[0].value
    assert list(table["Id"]) == ["Data-protection-model"]
    assert int(table["Passages"][0]) >= 1
    # The upload's names are shown and can be edited; the table shows the saved names.
    at.text_input(key="names_short").set_value("Model Data Act")
    at.text_area(key="names_aliases").set_value("the model act\nMDA")
    at.button(key="names_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Saved" in s.value for s in at.success)
    at.run()
    table = at.dataframe[0].value
    assert list(table["Short title"]) == ["Model Data Act"] and list(table["Also called"]) == ["the model act, mda"]
