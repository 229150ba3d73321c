"""Ingestion (``rag.ingestion``, ``python -m ingest``) on small documents written to tmp_path,
with the real MiniLM model (its vectors memoised across tests, see ``MemoisedModel``) and a real
on-disk Chroma store.

After every run the store is checked for consistency: the keyword index file holds exactly the
committed passages, under the current manifest signature, and no passage of an uncommitted
document is left in the collection. The state machine at the end uses a hash-based embedding
stand-in for speed (documented there); the other tests here use the real model.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from langchain_core.embeddings import Embeddings

import ingest.__main__ as ingest_cli
import rag.engine as engine_module
from rag.chunking import approximate_tokens
from rag.errors import StoreError
from rag.ingestion import Ingestor, IngestReport, prepare_document
from rag.keyword_index import KeywordIndex
from rag.sentences import split_sentences
from rag.settings import PROJECT_ROOT, Settings
from rag.store import PassageStore
from rag.types import Passage

TREATY = """Convention on Testing

Article 1

Purpose

The purpose of this Convention is to promote and strengthen measures to test software.

Article 2

Use of terms

For the purposes of this Convention:

(a) "Test" means a procedure that checks a program;

(b) "Fixture" means the data a test needs.

Article 3

Cooperation

1. States Parties shall cooperate with one another in testing, including by sharing fixtures.

2. Each State Party shall designate an authority responsible for tests.
"""

MEMO = """Memo on the audit

The audit of the testing programme found that every team keeps its fixtures under version control.

It recommends that teams review their fixtures once a year.
"""

NOTES = """Notes on cooperation

1. Cooperation covers the exchange of fixtures between testing authorities.

2. A request for cooperation may be refused when the fixture is secret.
"""

JSON_KEYS = {
    "documents",
    "passages",
    "added",
    "updated",
    "unchanged",
    "removed",
    "failed",
    "seconds",
    "embedding_seconds",
}


@dataclass
class Env:
    """A folder of documents and an empty store beside it."""

    docs: Path
    settings: Settings
    store: PassageStore
    ingestor: Ingestor

    def run(self, prune: bool = False) -> IngestReport:
        report = self.ingestor.run([self.docs], prune=prune)
        assert_store_consistent(self.store)
        return report

    def expected(self) -> dict[str, list[Passage]]:
        """What chunking the files now in the folder produces, by document id."""
        return expected_passages(self.docs, self.settings, self.ingestor.embeddings)


class MemoisedModel(Embeddings):
    """The real MiniLM model with its vectors memoised by text for this module.

    The tests below ingest the same small documents again and again; the model computes each
    distinct text once and later runs get the very same vectors back. Token counts and the
    token limit are the model's own.
    """

    def __init__(self, model) -> None:
        self.model = model
        self.max_tokens = model.max_tokens
        self._vectors: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self.model.embed_documents(missing), strict=True))
        return [self._vectors[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    def count_tokens(self, text: str) -> int:
        return self.model.count_tokens(text)


@pytest.fixture(scope="module")
def model(embeddings) -> MemoisedModel:
    return MemoisedModel(embeddings)


@pytest.fixture
def env(tmp_path: Path, make_settings, model: MemoisedModel) -> Env:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "treaty.txt").write_text(TREATY, encoding="utf-8")
    (docs / "memo.md").write_text(MEMO, encoding="utf-8")
    (docs / "notes.txt").write_text(NOTES, encoding="utf-8")
    settings = make_settings(tmp_path)
    store = PassageStore(settings, model)
    return Env(docs, settings, store, Ingestor(settings, store, model, model))


def expected_passages(docs: Path, settings: Settings, embeddings) -> dict[str, list[Passage]]:
    max_tokens = min(settings.chunk_max_tokens, embeddings.max_tokens)
    result = {}
    for path in sorted(docs.iterdir()):
        doc, passages = prepare_document(path, settings, embeddings.count_tokens, max_tokens)
        result[doc.doc_id] = passages
    return result


def committed_by_doc(store: PassageStore) -> dict[str, list[Passage]]:
    result: dict[str, list[Passage]] = {}
    for passage in store.committed_passages():
        result.setdefault(passage.doc_id, []).append(passage)
    return result


def ids(passages_by_doc: dict[str, list[Passage]]) -> dict[str, list[str]]:
    return {doc_id: [p.id for p in passages] for doc_id, passages in passages_by_doc.items()}


def assert_store_consistent(store: PassageStore) -> None:
    """The keyword index file agrees with Chroma, and the collection holds only committed passages."""
    manifest = store.manifest()
    committed = store.committed_passages(manifest)
    committed_ids = [p.id for p in committed]
    assert len(committed_ids) == len(set(committed_ids)), "duplicate passages"
    index = KeywordIndex.load(store.keyword_index_path)
    assert index is not None, "no keyword index file"
    assert index.signature == store.signature(manifest)
    assert sorted(index.ids) == sorted(committed_ids)
    assert len(index.tokens) == len(index.ids)
    assert sorted(store.passage_ids()) == sorted(committed_ids), "uncommitted passages left behind"
    for entry in manifest.values():
        assert store.count_for(entry.doc_key) == entry.passages
    if hasattr(store, "sentence_collection"):
        assert_sentences_consistent(store, committed)


def assert_sentences_consistent(store: PassageStore, committed: list[Passage]) -> None:
    """The sentence records are exactly the sentences of the committed passages."""
    records = store.sentence_collection.get(include=["metadatas"])
    found: dict[str, list[tuple[int, int]]] = {}
    for meta in records["metadatas"]:
        found.setdefault(str(meta["passage_id"]), []).append((int(meta["start"]), int(meta["end"])))
    assert set(found) == {p.id for p in committed}, "sentence records of uncommitted or missing passages"
    for passage in committed:
        assert sorted(found[passage.id]) == split_sentences(passage.text), passage.id


def write_uncommitted(store: PassageStore, embeddings, passages: list[Passage]) -> None:
    """What an ingest killed before its commit leaves behind: passages (and sentences), no manifest."""
    store.add_passages(passages, embeddings.embed_documents([p.embedded_text for p in passages]))
    if hasattr(store, "add_sentences"):
        spans = [split_sentences(p.text) for p in passages]
        texts = [p.text[a:b] for p, pairs in zip(passages, spans, strict=True) for a, b in pairs]
        store.add_sentences(passages, spans, embeddings.embed_documents(texts))


# ----- runs with the real model -----


def test_first_ingest_commits_exactly_the_chunks(env: Env) -> None:
    report = env.run()
    expected = env.expected()
    assert sorted(report.added) == sorted(expected) == ["memo", "notes", "treaty"]
    assert report.updated == report.unchanged == report.removed == report.failed == []
    assert report.documents == 3
    assert report.passages == sum(len(p) for p in expected.values())
    assert report.embedding_seconds > 0 and report.seconds >= report.embedding_seconds
    assert committed_by_doc(env.store) == expected
    manifest = env.store.manifest()
    assert manifest["treaty"].title == "Convention on Testing"
    assert manifest["treaty"].source_path == str((env.docs / "treaty.txt").resolve())


def test_reingest_unchanged_adds_nothing(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    env.run()
    before = ids(committed_by_doc(env.store))
    calls: list[int] = []
    real_embed = env.ingestor.embeddings.embed_documents

    def spy(texts: list[str]) -> list[list[float]]:
        calls.append(len(texts))
        return real_embed(texts)

    monkeypatch.setattr(env.ingestor.embeddings, "embed_documents", spy)
    report = env.run()
    assert sorted(report.unchanged) == ["memo", "notes", "treaty"]
    assert report.added == report.updated == report.removed == []
    assert report.embedding_seconds == 0 and calls == []
    assert ids(committed_by_doc(env.store)) == before


def test_changed_file_replaces_its_passages_as_a_unit(env: Env) -> None:
    env.run()
    before = ids(committed_by_doc(env.store))
    new_article = "Article 3\n\nCooperation in detail\n\n1. Parties shall also meet.\n\nArticle 4\n"
    edited = TREATY.replace("Article 3\n", new_article)
    (env.docs / "treaty.txt").write_text(edited.replace("\nCooperation\n", "\n"), encoding="utf-8")
    report = env.run()
    assert report.updated == ["treaty"]
    assert sorted(report.unchanged) == ["memo", "notes"]
    after = ids(committed_by_doc(env.store))
    expected = ids(env.expected())
    assert after == expected
    assert not set(before["treaty"]) & set(env.store.passage_ids()), "old passages still stored"
    assert env.store.manifest()["treaty"].passages == len(expected["treaty"])
    assert after["memo"] == before["memo"] and after["notes"] == before["notes"]


def test_prune_removes_a_deleted_file(env: Env) -> None:
    env.run()
    memo_ids = ids(committed_by_doc(env.store))["memo"]
    (env.docs / "memo.md").unlink()
    kept = env.run()  # without --prune the document stays
    assert kept.removed == [] and "memo" in env.store.manifest()
    report = env.run(prune=True)
    assert report.removed == ["memo"]
    assert "memo" not in env.store.manifest()
    assert not set(memo_ids) & set(env.store.passage_ids())
    assert ids(committed_by_doc(env.store)) == ids(env.expected())


def test_remove_one_document(env: Env) -> None:
    env.run()
    assert env.ingestor.remove("notes") is True
    assert env.ingestor.remove("notes") is False
    assert "notes" not in committed_by_doc(env.store)
    assert_store_consistent(env.store)


def test_killed_ingest_is_invisible_and_swept(env: Env) -> None:
    """A run killed after writing passages but before its commit leaves nothing visible."""
    env.run()
    before = committed_by_doc(env.store)
    # The interrupted run had read a new version of the treaty and a brand-new document.
    (env.docs / "treaty.txt").write_text(TREATY + "\nArticle 4\n\nFinal\n\nThis is new.\n", encoding="utf-8")
    (env.docs / "extra.txt").write_text("Extra document\n\nA paragraph that was never committed.\n", encoding="utf-8")
    orphans = [p for doc_id in ("treaty", "extra") for p in env.expected()[doc_id]]
    write_uncommitted(env.store, env.ingestor.embeddings, orphans)
    (env.docs / "treaty.txt").write_text(TREATY, encoding="utf-8")
    (env.docs / "extra.txt").unlink()
    assert set(p.id for p in orphans) <= set(env.store.passage_ids())  # written...
    assert committed_by_doc(env.store) == before  # ...but not visible
    keys = [entry.doc_key for entry in env.store.manifest().values()]
    hits = env.store.dense_search("This is new.", k=50, doc_keys=keys)
    assert not {pid for pid, _ in hits} & {p.id for p in orphans}
    report = env.run()  # sweeps them; asserts no uncommitted passage is left
    assert sorted(report.unchanged) == ["memo", "notes", "treaty"]
    assert committed_by_doc(env.store) == before


def test_rechunking_with_new_budget_replaces_old_passages(env: Env, model: MemoisedModel) -> None:
    env.run()
    small = env.settings.model_copy(update={"chunk_max_tokens": 48})
    report = Ingestor(small, env.store, model, model).run([env.docs])
    assert "treaty" in report.updated
    expected = expected_passages(env.docs, small, model)
    assert ids(committed_by_doc(env.store)) == ids(expected)


# ----- the command line -----


@pytest.fixture
def cli(env: Env, monkeypatch: pytest.MonkeyPatch, model: MemoisedModel):
    """``main(argv)`` of ``python -m ingest`` with the session's MiniLM (not a second copy)."""
    monkeypatch.setattr(engine_module, "get_embeddings", lambda settings: model)
    monkeypatch.setattr(engine_module, "get_sentence_embeddings", lambda settings: model)

    def main(*args: str) -> int:
        store_args = ["--store", str(env.settings.store_path), "--collection", env.settings.collection]
        return ingest_cli.main([*args, *store_args])

    return main


def test_cli_ingests_and_prints_a_summary(cli, env: Env, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(str(env.docs)) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 documents, ") and "3 added" in out and "0 failed" in out
    assert_store_consistent(env.store)


def test_cli_failed_file_among_good_ones(cli, env: Env, capsys: pytest.CaptureFixture[str]) -> None:
    bad = env.docs / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\nnot really a pdf\n")
    assert cli(str(env.docs)) == 1
    err = capsys.readouterr().err
    lines = re.split(r"[\r\n]+", err)  # the progress bar redraws its line with \r
    failures = [line for line in lines if line.startswith("failed:")]
    assert len(failures) == 1, err
    assert failures[0].startswith(f"failed: {bad}: the PDF cannot be read (")
    assert sorted(committed_by_doc(env.store)) == ["memo", "notes", "treaty"]
    assert_store_consistent(env.store)


def test_cli_missing_path_fails(cli, env: Env, capsys: pytest.CaptureFixture[str]) -> None:
    missing = env.docs / "nowhere.txt"
    assert cli(str(env.docs / "memo.md"), str(missing)) == 1
    err = capsys.readouterr().err
    assert f"failed: {missing}: no such file or folder" in err.splitlines()
    assert sorted(committed_by_doc(env.store)) == ["memo"]


@pytest.mark.parametrize("argv", [[], ["--bogus", "x"], ["docs", "--store"], ["--json"]])
def test_cli_usage_error_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        ingest_cli.main(argv)
    assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_cli_json(cli, env: Env, capsys: pytest.CaptureFixture[str]) -> None:
    (env.docs / "empty.txt").write_bytes(b"")
    assert cli(str(env.docs), "--json") == 1
    captured = capsys.readouterr()
    summary = json.loads(captured.out)  # one JSON object and nothing else on stdout
    assert set(summary) == JSON_KEYS
    assert summary["documents"] == 3 and sorted(summary["added"]) == ["memo", "notes", "treaty"]
    assert summary["failed"] == [{"file": str(env.docs / "empty.txt"), "reason": "the file is empty"}]
    assert isinstance(summary["seconds"], float) and isinstance(summary["embedding_seconds"], float)
    assert "%|" not in captured.err  # no progress bar with --json
    (env.docs / "empty.txt").unlink()
    (env.docs / "memo.md").unlink()
    assert cli(str(env.docs), "--json", "--prune") == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary) == JSON_KEYS
    assert summary["removed"] == ["memo"] and sorted(summary["unchanged"]) == ["notes", "treaty"]
    assert_store_consistent(env.store)


def test_cli_reset(cli, env: Env, model: MemoisedModel, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(str(env.docs / "memo.md")) == 0
    assert cli(str(env.docs / "notes.txt"), "--reset", "--json") == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["added"] == ["notes"]
    store = PassageStore(env.settings, model)  # --reset replaced the collections env.store had open
    assert sorted(committed_by_doc(store)) == ["notes"]
    assert_store_consistent(store)


# ----- a state machine over add / edit / delete / ingest -----


class HashEmbeddings(Embeddings):
    """SPEED STAND-IN for the state machine only: deterministic 16-dimensional vectors from a
    hash of the text, and ``approximate_tokens`` as the token counter. The real MiniLM model is
    exercised by every other test in this file."""

    max_tokens = 256

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.embed_query(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        digest = hashlib.sha256(text.encode()).digest()
        vector = [b - 127.5 for b in digest[:16]]
        norm = math.sqrt(sum(v * v for v in vector))
        return [v / norm for v in vector]

    def count_tokens(self, text: str) -> int:
        return approximate_tokens(text)


SENTENCES = [
    "States Parties shall cooperate in testing.",
    "Each Party shall adopt the measures that may be necessary.",
    "A request may be refused when the fixture is secret.",
    "The authority shall reply without delay; it may ask for more information.",
    "Nothing in this article shall prejudice the rights of third parties.",
]
NAMES = ["alpha.txt", "beta.md", "gamma.txt"]


@st.composite
def document_texts(draw: st.DrawFn) -> str:
    """A small treaty: one to four articles of one to three paragraphs, sometimes long enough
    to need several passages."""
    parts = [draw(st.sampled_from(["Convention on Testing", "Protocol on Fixtures"]))]
    for article in range(1, draw(st.integers(min_value=1, max_value=4)) + 1):
        parts += [f"Article {article}", draw(st.sampled_from(["Scope", "Cooperation", "Use of terms"]))]
        for number in range(1, draw(st.integers(min_value=1, max_value=3)) + 1):
            repeat = draw(st.sampled_from([1, 1, 2, 12]))
            sentences = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3))
            parts.append(f"{number}. " + " ".join(sentences * repeat))
    return "\n\n".join(parts) + "\n"


class IngestMachine(RuleBasedStateMachine):
    """Random edits of a folder with ingests in between; the store must always show exactly the
    chunks of the files as they were at the last ingest, and the keyword index must agree."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="ingest-machine-"))
        self.docs = self.root / "docs"
        self.docs.mkdir()
        self.settings = Settings(store_path=self.root / "store", collection="machine")
        self.embeddings = HashEmbeddings()
        self.store = PassageStore(self.settings, self.embeddings)
        self.ingestor = Ingestor(self.settings, self.store, self.embeddings, self.embeddings)
        self.files: dict[str, str] = {}  # name -> text now on disk
        self.ingested: dict[str, str] = {}  # name -> text at the last ingest
        self.expected: dict[str, list[str]] = {}  # doc id -> passage ids at the last ingest

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def _write(self, name: str, text: str) -> None:
        (self.docs / name).write_text(text, encoding="utf-8")
        self.files[name] = text

    @initialize(text=document_texts())
    def start_with_one_file(self, text: str) -> None:
        self._write(NAMES[0], text)

    @precondition(lambda self: len(self.files) < len(NAMES))
    @rule(data=st.data(), text=document_texts())
    def add_file(self, data: st.DataObject, text: str) -> None:
        name = data.draw(st.sampled_from([n for n in NAMES if n not in self.files]))
        self._write(name, text)

    @precondition(lambda self: self.files)
    @rule(data=st.data(), text=document_texts())
    def edit_file(self, data: st.DataObject, text: str) -> None:
        self._write(data.draw(st.sampled_from(sorted(self.files))), text)

    @precondition(lambda self: self.files)
    @rule(data=st.data())
    def delete_file(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(self.files)))
        (self.docs / name).unlink()
        del self.files[name]

    @precondition(lambda self: self.files)
    @rule(data=st.data(), text=document_texts())
    def killed_ingest(self, data: st.DataObject, text: str) -> None:
        """Passages of a new version written, then the run dies before its commit."""
        name = data.draw(st.sampled_from(sorted(self.files)))
        scratch = self.root / "scratch"
        scratch.mkdir(exist_ok=True)
        (scratch / name).write_text(text, encoding="utf-8")
        max_tokens = self.ingestor.max_tokens
        _, passages = prepare_document(scratch / name, self.settings, self.embeddings.count_tokens, max_tokens)
        write_uncommitted(self.store, self.embeddings, passages)

    @rule()
    def ingest(self) -> None:
        report = self.ingestor.run([self.docs], prune=True)
        before, now = self.ingested, self.files

        def stems(names: object) -> list[str]:  # document ids are the file stems
            return sorted(Path(name).stem for name in names)  # type: ignore[attr-defined]

        assert report.failed == []
        assert sorted(report.added) == stems(n for n in now if n not in before)
        assert sorted(report.updated) == stems(n for n in now if n in before and before[n] != now[n])
        assert sorted(report.unchanged) == stems(n for n in now if before.get(n) == now[n])
        assert sorted(report.removed) == stems(n for n in before if n not in now)
        self.ingested = dict(self.files)
        self.expected = ids(expected_passages(self.docs, self.settings, self.embeddings))
        assert_store_consistent(self.store)

    @invariant()
    def committed_passages_are_the_chunks_of_the_last_ingest(self) -> None:
        committed = self.store.committed_passages()
        assert len(committed) == len({p.id for p in committed})
        assert ids(committed_by_doc(self.store)) == self.expected
        index = KeywordIndex.load(self.store.keyword_index_path)
        if self.ingested or index is not None:
            assert index is not None and sorted(index.ids) == sorted(p.id for p in committed)


IngestMachine.TestCase.settings = settings(
    max_examples=10,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestIngestMachine = IngestMachine.TestCase


# --------------------------------------------------------------------------- one writer at a time

HOLD_LOCK = """
import sys, time
from rag.ingestion.lock import writer_lock
from rag.settings import Settings
with writer_lock(Settings(store_path=sys.argv[1], collection=sys.argv[2])):
    print("held", flush=True)
    time.sleep(120)
"""


def _hold_writer_lock(settings: Settings) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(settings.store_path), settings.collection],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_second_writer_is_refused_while_another_process_ingests(env: Env) -> None:
    holder = _hold_writer_lock(env.settings)
    try:
        with pytest.raises(StoreError, match=rf"another ingestion \(pid {holder.pid}\) is writing this store"):
            env.ingestor.run([env.docs])
        with pytest.raises(StoreError, match="another ingestion"):
            env.ingestor.remove("treaty")
        assert env.store.manifest() == {}  # the refused run wrote nothing
    finally:
        holder.kill()
        holder.wait()
    # SIGKILL released the lock (the kernel drops an flock with its holder): the next run proceeds.
    report = env.ingestor.run([env.docs])
    assert sorted(report.added) == ["memo", "notes", "treaty"]
