"""``python -m eval.train_refusal [--write] [--verbose] [--train FILE ...] [--dev FILE ...]``: train the
answerability model on the project's question files.

The training lives next to the model (``rag.answering.assess.training``); this feeds it the data
kept here: the synthetic training questions (``datasets/refusal-train-*.jsonl``) and the dev split
to calibrate on (``datasets/gold-dev.jsonl``), unless ``--train`` or ``--dev`` name others.
"""

from __future__ import annotations

import sys
from pathlib import Path

from eval.dataset import is_test_split
from rag.answering.assess import training

DATASETS = Path(__file__).resolve().parent / "datasets"
TRAINING_FILES = sorted(DATASETS.glob("refusal-train-*.jsonl"))
DEV_FILES = [DATASETS / "gold-dev.jsonl"]


def main(argv: list[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    defaults = [] if "--train" in given else ["--train", *map(str, TRAINING_FILES)]
    defaults += [] if "--dev" in given else ["--dev", *map(str, DEV_FILES)]
    return training.main([*defaults, *given], kept_for_reporting=is_test_split)


if __name__ == "__main__":
    sys.exit(main())
