"""Labelled (sentence, passage) pairs: what the verifier is calibrated on and the judges are measured against.

The label file is JSON Lines, one pair per line::

    {"id", "doc", "article", "passage_text", "sentence",
     "label": "supported" | "contradicted" | "not_found",
     "kind": "faithful" | "modality" | "actor" | "negation" | "number" | "condition" | "extra" | "instrument",
     "origin", "note"}

The earlier form ``{"sentence", "passage_text", "supported": bool, "source"}`` is read too: its
pairs are ``supported`` (kind ``faithful``) or ``not_found`` (kind ``unsupported``), with the
source as origin.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.errors import RagError

LABELS = ("supported", "contradicted", "not_found")
FAITHFUL = "faithful"


class LabelsError(RagError):
    """The label file is missing or malformed."""


@dataclass(frozen=True)
class LabelledClaim:
    """A sentence, the passage it is judged against, and the label a person gave the pair."""

    id: str
    sentence: str
    passage_text: str
    label: str  # one of LABELS
    kind: str  # "faithful", or the kind of error the sentence carries
    origin: str = ""
    doc: str | None = None
    article: str | None = None
    note: str = ""  # for an error, the reason a reader gives

    @property
    def supported(self) -> bool:
        return self.label == "supported"


def _pair(obj: dict[str, Any], where: str, lineno: int) -> LabelledClaim:
    missing = {"sentence", "passage_text"} - set(obj)
    if "label" not in obj and "supported" not in obj:
        missing.add("label")
    if missing:
        raise LabelsError(f"{where}: missing field(s) {sorted(missing)}")
    if "label" in obj:
        label = obj["label"]
        if label not in LABELS:
            raise LabelsError(f"{where}: 'label' must be one of {', '.join(LABELS)}, not {label!r}")
        kind = str(obj.get("kind") or (FAITHFUL if label == "supported" else "unsupported"))
        origin = str(obj.get("origin", ""))
    else:
        if not isinstance(obj["supported"], bool):
            raise LabelsError(f"{where}: 'supported' must be true or false")
        label = "supported" if obj["supported"] else "not_found"
        kind = FAITHFUL if obj["supported"] else "unsupported"
        origin = str(obj.get("source", ""))
    article = obj.get("article")
    return LabelledClaim(
        id=str(obj.get("id") or f"line-{lineno}"),
        sentence=str(obj["sentence"]),
        passage_text=str(obj["passage_text"]),
        label=label,
        kind=kind,
        origin=origin,
        doc=str(obj["doc"]) if obj.get("doc") else None,
        article=str(article) if article not in (None, "") else None,
        note=str(obj.get("note") or ""),
    )


def load_labels(path: Path) -> list[LabelledClaim]:
    """Read the label file; raise :class:`LabelsError` with the reason when it is unusable."""
    if not path.is_file():
        raise LabelsError(
            f"label file {path} does not exist: it holds hand-labelled (sentence, passage) pairs, one JSON "
            'object per line: {"sentence", "passage_text", "label": supported|contradicted|not_found, "kind"}'
        )
    pairs: list[LabelledClaim] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelsError(f"{path}:{lineno}: invalid JSON: {exc}") from exc
        if not isinstance(obj, dict):
            raise LabelsError(f"{path}:{lineno}: not a JSON object")
        pairs.append(_pair(obj, f"{path}:{lineno}", lineno))
    if not pairs:
        raise LabelsError(f"{path} holds no labelled pairs")
    return pairs
