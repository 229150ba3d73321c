"""The refusal-causes report separates the answerability model from the premise rule."""

from __future__ import annotations

from pathlib import Path

from eval.dataset import is_test_split
from eval.refusal_causes import Outcome, each_line, main, table


def outcome(answerable: bool, refused: bool, without_rule: bool, model: str = "current") -> Outcome:
    return Outcome("q", answerable, "real-dev.jsonl", model, refused, without_rule, None)


def test_each_model_is_counted_with_and_without_the_premise_rule() -> None:
    found = [
        outcome(False, True, True),
        outcome(False, False, True),  # the premise rule answered an unanswerable question
        outcome(True, False, True),  # ... and an answerable one
        outcome(True, False, False, model="old"),
    ]
    lines = table(found)
    assert "real-dev.jsonl | current | 1/2 / 2/2 | 1/1 / 0/1" in lines
    assert "real-dev.jsonl | old | 0/0 / 0/0 | 1/1 / 1/1" in lines


def test_a_test_split_is_refused_before_anything_is_loaded(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--dataset", str(Path("eval/datasets/real-test.jsonl"))]) == 2
    assert "test split" in capsys.readouterr().err


def test_the_uploads_test_files_are_named_exactly_and_their_dev_questions_are_not_a_test_split() -> None:
    assert not is_test_split(Path("eval/datasets/uploads-dev.jsonl"))
    assert not is_test_split(Path("eval/datasets/uploads-dev2.jsonl"))
    assert is_test_split(Path("eval/datasets/uploads-philippines.jsonl"))
    assert is_test_split(Path("eval/datasets/uploads-convention-108.jsonl"))
    assert is_test_split(Path("eval/datasets/gold-test.jsonl"))
    assert is_test_split(Path("eval/datasets/claims-holdout4.jsonl"))


def test_an_uploads_test_file_is_refused_before_anything_is_loaded(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--dataset", "eval/datasets/uploads-dev.jsonl", "eval/datasets/uploads-philippines.jsonl"]) == 2
    assert "test split" in capsys.readouterr().err


def test_each_question_names_the_model_that_decided_it_its_probability_and_reason() -> None:
    refused = Outcome(
        "Who chairs the centre?", True, "uploads-dev.jsonl", "current", True, True, None, 0.231, True, "Not said."
    )
    line = each_line(refused)
    assert line.startswith("uploads-dev.jsonl | current | answerable | refused | features only 0.231 | Not said.")
    assert line.endswith("Who chairs the centre?")
    by_rule = Outcome("Recipe?", False, "gold-dev.jsonl", "current", True, True, None)
    assert "| unanswerable | refused | trained - |" in each_line(by_rule)
