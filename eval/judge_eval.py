"""Agreement of the offline support judge (``rag.support.SupportJudge``) with hand labels.

The label file is JSON Lines, one pair per line::

    {"sentence": "...", "passage_text": "...", "supported": true, "source": "..."}

``source`` says where the pair came from (e.g. which answer mode or which hand-built
perturbation).  The report gives accuracy, precision and recall of "supported" at the
judge's threshold, per source, and over a sweep of thresholds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval import metrics

SWEEP = tuple(round(0.30 + 0.02 * i, 2) for i in range(31))  # 0.30 .. 0.90


class LabelsError(ValueError):
    """The label file is missing or malformed."""


@dataclass(frozen=True)
class LabelledPair:
    sentence: str
    passage_text: str
    supported: bool
    source: str


def load_labels(path: Path) -> list[LabelledPair]:
    """Read the label file; raise :class:`LabelsError` with the reason when it is unusable."""
    if not path.is_file():
        raise LabelsError(
            f"label file {path} does not exist: it holds hand-labelled (sentence, passage) pairs, "
            'one JSON object per line: {"sentence", "passage_text", "supported": bool, "source"}'
        )
    pairs: list[LabelledPair] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelsError(f"{path}:{lineno}: invalid JSON: {exc}") from exc
        if not isinstance(obj, dict):
            raise LabelsError(f"{path}:{lineno}: not a JSON object")
        missing = {"sentence", "passage_text", "supported"} - set(obj)
        if missing:
            raise LabelsError(f"{path}:{lineno}: missing field(s) {sorted(missing)}")
        if not isinstance(obj["supported"], bool):
            raise LabelsError(f"{path}:{lineno}: 'supported' must be true or false")
        pairs.append(
            LabelledPair(str(obj["sentence"]), str(obj["passage_text"]), obj["supported"], str(obj.get("source", "")))
        )
    if not pairs:
        raise LabelsError(f"{path} holds no labelled pairs")
    return pairs


def _scores_json(scores: metrics.BinaryScores) -> dict[str, Any]:
    return metrics.as_dict(scores)  # type: ignore[return-value]


def evaluate_judge(
    pairs: Sequence[LabelledPair],
    score: Callable[[str, str], float],
    threshold: float,
    sweep: Sequence[float] = SWEEP,
    labels_path: str = "",
) -> dict[str, Any]:
    """Score every pair with ``score(sentence, passage_text)`` and compare with the labels."""
    values = [float(score(p.sentence, p.passage_text)) for p in pairs]
    labels = [p.supported for p in pairs]
    at = metrics.binary_scores([v >= threshold for v in values], labels)
    swept = [{"threshold": t, **_scores_json(s)} for t, s in metrics.threshold_sweep(values, labels, sweep)]
    best = max(swept, key=lambda r: (r["f1"] or 0.0, r["accuracy"] or 0.0))
    by_source: dict[str, Any] = {}
    for source in sorted({p.source for p in pairs}):
        idx = [i for i, p in enumerate(pairs) if p.source == source]
        by_source[source or "(none)"] = _scores_json(
            metrics.binary_scores([values[i] >= threshold for i in idx], [labels[i] for i in idx])
        )
    return {
        "labels": labels_path,
        "n": len(pairs),
        "positives": sum(labels),
        "threshold": threshold,
        "at_threshold": _scores_json(at),
        "best_f1": best,
        "by_source": by_source,
        "sweep": swept,
        "scores": [round(v, 4) for v in values],
    }


def run_judge_eval(labels_path: Path, settings: Any) -> dict[str, Any]:
    """Load the labels and the product's judge (with its embedding model) and evaluate."""
    pairs = load_labels(labels_path)
    from rag import embeddings as models
    from rag.support import SupportJudge

    # The judge runs on the sentence model when the product has one, else the embedding model.
    load = getattr(models, "get_sentence_embeddings", models.get_embeddings)
    judge = SupportJudge(load(settings))
    return evaluate_judge(pairs, lambda s, p: judge.score(s, p).score, judge.threshold, labels_path=str(labels_path))
