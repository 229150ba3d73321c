"""The refusal-causes report separates the answerability model from the premise rule."""

from __future__ import annotations

from pathlib import Path

from eval.refusal_causes import Outcome, main, table


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
