"""Two real processes on one embedded store: ``python -m ingest`` writes while this process answers.

A temporary corpus holds the Budapest Additional Protocol and the interpretative notes. While a
child process re-ingests changed versions of the protocol (two rounds, each a new content
hash, so every passage id changes), this process keeps answering questions about it
(extractive) and checks, for every answer:
- no error, and no hang (each answer is bounded by a timeout);
- the passages of the changed document in the answer share one ``doc_hash``;
- the corpus view the answer came from holds that document whole: every passage has the
  manifest's hash and their count is the manifest's count.
The figures measured (answers, views, anomalies) are printed for the report.

Two back ends: the embedded store (two processes each with a ``PersistentClient`` on one
folder) and a Chroma server that both processes reach over HTTP. Measured on the embedded
store before ``PassageStore.reopen``: once the other process had written, every dense query
of this process failed with chromadb's ``InternalError: Error finding id`` until its client
was rebuilt. ``reopen`` closes the client, but chromadb shares one system per folder among
all clients of a process and stops it only when the last one closes, so a process that holds
a second client on the folder still reads the stale index: that case is an expected failure.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import shutil
import subprocess
import sys
import time
from collections import Counter

import pytest
from testkit import CHILD_ENV, engine_for, ingest_into

from eval.services import HOST, start_chroma, stop_process
from rag.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow

CHANGED = "budapest-convention-additional-protocol-ets189"
STEADY = "un-cybercrime-convention-2024-interpretative-notes"
ROUNDS = 2
ANSWER_TIMEOUT = 90.0
ROUND_TIMEOUT = 400.0
MAX_ERRORS = 5  # enough to tell a persistent failure from a blip; then stop early
QUESTIONS = [
    "What does the additional protocol require about racist and xenophobic material?",
    "Under the additional protocol, what is racist and xenophobic material?",
    "Does the additional protocol criminalise denial of genocide?",
    "What does the additional protocol say about insults motivated by racism?",
]


class _DenseFallbacks(logging.Handler):
    """Collects the store's warnings: a dense search that fell back to keywords only."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage()[:160])


def version(original: str, round_number: int) -> str:
    """The document with a revision line: a new content hash, hence all-new passage ids."""
    return original + f"\n\nRevision {round_number} of this text, prepared for the concurrency test.\n"


def whole_document_problems(view, doc_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    """What is wrong with ``doc_id`` in a corpus view (empty when it is whole)."""
    entry = view.manifest.get(doc_id)
    if entry is None:
        return [f"{doc_id} is not in the manifest"]
    passages = view.by_doc.get(doc_id, [])
    problems = []
    hashes = {p.doc_hash for p in passages}
    if hashes != {entry.doc_hash}:
        problems.append(f"hashes {sorted(hashes)} != manifest {entry.doc_hash}")
    if len(passages) != entry.passages:
        problems.append(f"{len(passages)} passages, manifest says {entry.passages}")
    return problems


def reingest_while_answering(  # type: ignore[no-untyped-def]
    tmp_path, corpus_dir, embeddings, settings, rounds: int, env: dict[str, str]
) -> None:
    """The experiment: ``rounds`` child ingests, answers in this process all along; fails on any problem."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    original = (corpus_dir / f"{CHANGED}.txt").read_text(encoding="utf-8")
    (corpus / f"{CHANGED}.txt").write_text(version(original, 0), encoding="utf-8")
    shutil.copy(corpus_dir / f"{STEADY}.txt", corpus / f"{STEADY}.txt")
    ingest_into(settings, embeddings, [corpus])
    engine = engine_for(settings, embeddings)
    assert engine.ask(QUESTIONS[0], mode="extractive").citations

    stats: Counter[str] = Counter()
    problems: list[str] = []
    hashes_seen: set[str] = set()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    logs = []
    during = _DenseFallbacks()  # counted, not failed: keyword-only answers while the other process writes
    logging.getLogger("rag.store").addHandler(during)
    try:
        for round_number in range(1, rounds + 1):
            (corpus / f"{CHANGED}.txt").write_text(version(original, round_number), encoding="utf-8")
            log = tmp_path / f"ingest-{round_number}.log"
            logs.append(log)
            with log.open("wb") as out:
                child = subprocess.Popen(
                    [sys.executable, "-m", "ingest", str(corpus), "--store", str(settings.store_path),
                     "--collection", settings.collection, "--json"],
                    cwd=PROJECT_ROOT, env={**os.environ, **CHILD_ENV, **env},
                    stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                )  # fmt: skip
            deadline = time.monotonic() + ROUND_TIMEOUT
            try:
                while child.poll() is None and stats["errors"] < MAX_ERRORS:
                    assert time.monotonic() < deadline, f"ingest round {round_number} ran over {ROUND_TIMEOUT} s"
                    question = QUESTIONS[stats["answers"] % len(QUESTIONS)]
                    future = pool.submit(engine.ask, question, "extractive")
                    try:
                        answer = future.result(timeout=ANSWER_TIMEOUT)
                    except concurrent.futures.TimeoutError:
                        pytest.fail(f"an answer took over {ANSWER_TIMEOUT} s while ingest ran (a hang)")
                    except Exception as error:  # recorded: the test fails below with all of them
                        stats["errors"] += 1
                        problems.append(f"round {round_number}: {type(error).__name__}: {error}")
                        time.sleep(0.2)  # an error is quick: do not spin
                        continue
                    stats["answers"] += 1
                    answer_hashes = {p.passage.doc_hash for p in answer.passages if p.passage.doc_id == CHANGED}
                    if len(answer_hashes) > 1:
                        problems.append(f"round {round_number}: one answer mixes versions {sorted(answer_hashes)}")
                    view = engine.retriever._view
                    hashes_seen.add(view.manifest[CHANGED].doc_hash)
                    for problem in whole_document_problems(view, CHANGED):
                        problems.append(f"round {round_number}, answer view: {problem}")
                    # A fresh view straight from the store, as any new reader would build it.
                    manifest = engine.store.manifest()
                    fresh = engine.store.committed_passages(manifest)
                    changed = [p for p in fresh if p.doc_id == CHANGED]
                    entry = manifest[CHANGED]
                    stats["fresh views"] += 1
                    if len(changed) != entry.passages or {p.doc_hash for p in changed} != {entry.doc_hash}:
                        problems.append(
                            f"round {round_number}, fresh view: {len(changed)} passages of {CHANGED}, "
                            f"manifest says {entry.passages}"
                        )
            finally:
                stop_process(child)
            if stats["errors"] >= MAX_ERRORS:
                break
            assert child.returncode == 0, log.read_text(errors="replace")[-3000:]
            stats["rounds"] += 1
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        logging.getLogger("rag.store").removeHandler(during)
    stats["keyword-only answers while writing"] = len(during.messages)

    after: Counter[str] = Counter()
    fallbacks = _DenseFallbacks()
    logging.getLogger("rag.store").addHandler(fallbacks)
    try:
        for question in QUESTIONS:  # once the writer has gone: dense search must work again
            try:
                engine.ask(question, mode="extractive")
                after["answers after"] += 1
            except Exception as error:
                after[f"errors after: {type(error).__name__}: {error}"[:120]] += 1
                problems.append(f"after the writer exited: {type(error).__name__}: {error}")
    finally:
        logging.getLogger("rag.store").removeHandler(fallbacks)
    if fallbacks.messages:
        after["dense search unavailable after"] = len(fallbacks.messages)
        problems.extend(f"after the writer exited: {m}" for m in fallbacks.messages)
    print(f"\nafter the writer exited: {dict(after)}")
    final = engine.retriever.view()
    assert whole_document_problems(final, CHANGED) == []
    last_hash = final.manifest[CHANGED].doc_hash
    stats["versions seen"] = len(hashes_seen | {last_hash})
    print(f"\nconcurrency: {dict(stats)}; problems: {len(problems)}")
    for problem, count in Counter(problems).most_common(20):
        print(f"   {count} x {problem}")
    assert stats["answers"] >= rounds, f"too few answers overlapped the ingest runs: {dict(stats)}"
    assert problems == [], problems[:10]


def test_embedded_store_answers_while_another_process_reingests(
    tmp_path, corpus_dir, embeddings, make_settings
) -> None:
    settings = make_settings(tmp_path)
    reingest_while_answering(tmp_path, corpus_dir, embeddings, settings, ROUNDS, env={})


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="engine: PassageStore.reopen only closes its own client; chromadb keeps the folder's shared system "
    "(and its stale vector index) while another client of this process holds it, so dense search keeps failing "
    "with InternalError 'Error finding id' (falls back to keyword-only answers)",
)
def test_embedded_store_with_a_second_client_in_the_process_answers_while_another_process_reingests(
    tmp_path, corpus_dir, embeddings, make_settings
) -> None:
    from rag.store import PassageStore

    settings = make_settings(tmp_path)
    ingest_into(settings, embeddings, [])  # creates the store folder
    other = PassageStore(settings, embeddings)  # e.g. a second Engine, or the app's upload path
    try:
        reingest_while_answering(tmp_path, corpus_dir, embeddings, settings, rounds=1, env={})
    finally:
        other.client.close()


def test_server_store_answers_while_another_process_reingests(tmp_path, corpus_dir, embeddings, make_settings) -> None:
    chroma = start_chroma(tmp_path / "chroma-data", tmp_path / "logs")
    try:
        settings = make_settings(tmp_path, chroma_host=HOST, chroma_port=chroma.port)
        env = {"RAG_CHROMA_HOST": HOST, "RAG_CHROMA_PORT": str(chroma.port)}
        reingest_while_answering(tmp_path, corpus_dir, embeddings, settings, ROUNDS, env)
    finally:
        chroma.stop()
