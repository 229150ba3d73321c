"""Which question files the refusal training data is deduplicated against."""

from __future__ import annotations

from pathlib import Path

from eval.dedup_training import DATASETS, evaluation_files


def test_every_question_file_but_the_training_files_is_an_evaluation_split(tmp_path: Path) -> None:
    for name in ("refusal-train-plain.jsonl", "gold-dev.jsonl", "uploads-new-act.jsonl", "notes.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [f.name for f in evaluation_files(tmp_path)] == ["gold-dev.jsonl", "uploads-new-act.jsonl"]


def test_the_uploads_questions_are_deduplicated_against() -> None:
    names = {f.name for f in evaluation_files(DATASETS)}
    assert {"uploads-dev.jsonl", "gold-dev.jsonl", "real-dev.jsonl"} <= names
    assert not any(name.startswith("refusal-train-") for name in names)
