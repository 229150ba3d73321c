"""Remove from the refusal training files every question too close to an evaluation question.

``python -m eval.dedup_training [--threshold 0.8] [--write]``

A training question whose MiniLM cosine similarity to any question of the dev or test splits
(every other question file of ``datasets/``: gold, real and uploads) reaches the threshold is a
near copy: a figure measured on those splits through a model trained on it is not clean. Without
``--write`` the command only prints, per training file, how many questions would go and the
closest pairs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from eval.dataset import load_questions
from rag.embeddings import MiniLMEmbeddings

DATASETS = Path(__file__).resolve().parent / "datasets"
THRESHOLD = 0.8
TRAINING_GLOB = "refusal-train-*.jsonl"


def evaluation_files(datasets: Path = DATASETS) -> list[Path]:
    """The dev and test splits: every question file of ``datasets`` that is not a training file."""
    training = set(datasets.glob(TRAINING_GLOB))
    return [f for f in sorted(datasets.glob("*.jsonl")) if f not in training]


def near_copies(training: list[str], evaluation: list[str], threshold: float) -> list[tuple[int, int, float]]:
    """(training index, evaluation index, cosine) of each training question whose closest
    evaluation question reaches ``threshold``; vectors are MiniLM's, normalised."""
    model = MiniLMEmbeddings()
    train_vectors = np.asarray(model.embed_documents(training))
    eval_vectors = np.asarray(model.embed_documents(evaluation))
    similarity = train_vectors @ eval_vectors.T
    closest = similarity.argmax(axis=1)
    best = similarity[np.arange(len(training)), closest]
    return [(i, int(closest[i]), float(best[i])) for i in np.flatnonzero(best >= threshold)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.dedup_training", description=__doc__.split("\n")[0])
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--write", action="store_true", help="rewrite the training files without the near copies")
    args = parser.parse_args(argv)
    evaluation = [q.question for f in evaluation_files() for q in load_questions(f)]
    files = sorted(DATASETS.glob(TRAINING_GLOB))
    lines = {f: [line for line in f.read_text(encoding="utf-8").splitlines() if line.strip()] for f in files}
    rows = [(f, n, str(json.loads(line)["question"])) for f in files for n, line in enumerate(lines[f])]
    found = near_copies([q for _, _, q in rows], evaluation, args.threshold)
    dropped: dict[Path, set[int]] = {f: set() for f in files}
    for index, closest, cosine in found:
        path, number, question = rows[index]
        dropped[path].add(number)
        print(f"{cosine:.3f}  {path.name}: {question!r}\n       ~ {evaluation[closest]!r}")
    for path in files:
        print(f"{path.name:40s} {len(dropped[path]):3d} of {len(lines[path])} within {args.threshold}")
        if args.write and dropped[path]:
            kept = [line for n, line in enumerate(lines[path]) if n not in dropped[path]]
            path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    print(
        f"total: {len(found)} of {len(rows)} training questions within {args.threshold} "
        f"of {len(evaluation)} dev/test questions"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
