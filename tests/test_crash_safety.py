"""Crash safety: ``python -m ingest`` killed with SIGKILL at random moments, then run to completion.

Each kill comes at a seeded random point: once the child's progress bar shows that it began a
random one of the 4 files (the bar counts a file as it begins it), plus a random 0-4 s, so
kills land while it embeds, while it writes and between documents; between two kills one file
changes, so that a killed run may leave a half-written new version beside a committed old
one. After a last, complete run the store must equal what the files produce, as a fresh
ingest into another folder shows:
- the same committed passage ids, and no other passage or sentence record (no duplicates,
  no orphans of a killed run);
- the same manifest (content hash and passage count of every document);
- a keyword index file whose ids are the committed passage ids and whose signature matches;
- an ``Engine`` that opens the store and answers from it.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
from testkit import CHILD_ENV, engine_for, ingest_into

from eval.services import stop_process
from rag.keyword_index import KeywordIndex
from rag.settings import PROJECT_ROOT
from rag.store import PassageStore

pytestmark = pytest.mark.slow

SEED = 20241128
KILLS = 5
FILES = (
    "budapest-convention-additional-protocol-ets189.txt",
    "un-cybercrime-convention-2024-interpretative-notes.txt",
    "news-us-support-un-cybercrime-convention.txt",
    "un-ga-resolution-79-243.txt",
)
CHANGED_AFTER_KILL = 3  # the news report gains a paragraph after this many kills


def run_ingest(corpus, settings, log):  # type: ignore[no-untyped-def]
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "ingest", str(corpus), "--store", str(settings.store_path),
             "--collection", settings.collection],
            cwd=PROJECT_ROOT, env={**os.environ, **CHILD_ENV},
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip


_PROGRESS_RE = re.compile(rb"(\d+)/\d+ \[")


def wait_for_progress(child, log, offset: int, file_number: int, timeout: float = 300.0) -> int:  # type: ignore[no-untyped-def]
    """Until the child's progress bar (tqdm) shows it began file ``file_number``; returns the count last shown."""
    deadline = time.monotonic() + timeout
    shown = -1
    while time.monotonic() < deadline and child.poll() is None:
        with log.open("rb") as handle:
            handle.seek(offset)
            counts = [int(n) for n in _PROGRESS_RE.findall(handle.read())]
        shown = max(counts, default=-1)
        if shown >= file_number:
            return shown
        time.sleep(0.1)
    return shown


def test_store_equals_a_fresh_ingest_after_random_kills(tmp_path, corpus_dir, embeddings, make_settings) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in FILES:
        shutil.copy(corpus_dir / name, corpus / name)
    settings = make_settings(tmp_path / "killed")
    log = tmp_path / "ingest.log"
    rng = random.Random(SEED)
    outcomes = []
    for attempt in range(1, KILLS + 1):
        if attempt == CHANGED_AFTER_KILL + 1:
            news = corpus / FILES[2]
            news.write_text(news.read_text(encoding="utf-8") + "\nA later paragraph added by the test.\n")
        file_number, delay = rng.randint(1, len(FILES)), rng.uniform(0.0, 4.0)
        offset = log.stat().st_size if log.exists() else 0
        child = run_ingest(corpus, settings, log)
        try:
            wait_for_progress(child, log, offset, file_number)
            child.wait(timeout=delay)
            outcomes.append(f"file {file_number} + {delay:.1f}s: finished ({child.returncode})")
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            outcomes.append(f"file {file_number} + {delay:.1f}s: killed")
        finally:
            stop_process(child)
    print("\nkills:", "; ".join(outcomes))

    started = time.monotonic()
    final = run_ingest(corpus, settings, log)
    try:
        assert final.wait(timeout=600) == 0, log.read_text(errors="replace")[-3000:]
    finally:
        stop_process(final)
    print(f"final ingest: {time.monotonic() - started:.1f} s")

    fresh_settings = make_settings(tmp_path / "fresh")
    ingest_into(fresh_settings, embeddings, [corpus])
    killed, fresh = PassageStore(settings, embeddings), PassageStore(fresh_settings, embeddings)

    killed_manifest, fresh_manifest = killed.manifest(), fresh.manifest()
    assert {k: (e.doc_hash, e.passages) for k, e in killed_manifest.items()} == {
        k: (e.doc_hash, e.passages) for k, e in fresh_manifest.items()
    }
    committed = [p.id for p in killed.committed_passages()]
    assert committed == [p.id for p in fresh.committed_passages()]
    assert len(committed) == len(set(committed))
    all_ids = killed.passage_ids()
    assert sorted(all_ids) == sorted(committed), "passages of no committed document were left behind"
    assert killed.collection.count() == fresh.collection.count() == len(committed)
    assert killed.sentence_collection.count() == fresh.sentence_collection.count()

    index = KeywordIndex.load(killed.keyword_index_path)
    assert index is not None, "no keyword index file after the complete run"
    assert sorted(index.ids) == sorted(committed)
    assert index.signature == killed.signature()

    engine = engine_for(settings, embeddings)
    answer = engine.ask("What does the additional protocol require about racist and xenophobic material?")
    assert not answer.refused and answer.citations
    assert {c.doc for c in answer.citations} <= set(killed_manifest)
