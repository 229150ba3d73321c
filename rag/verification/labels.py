"""Labelled (sentence, passage) pairs: what the verifier is calibrated on and measured against.

One JSON object per line: ``{"id", "doc", "article", "passage_text", "sentence", "label":
"supported" | "contradicted" | "not_found", "kind": "faithful" | "modality" | "actor" | "negation"
| "number" | "condition" | "extra" | "instrument", "origin", "note"}``. The older format
``{"sentence", "passage_text", "supported": bool, "source"}`` is read too (kind "faithful" when
supported, else "other-passage").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rag.errors import RagError

LABELS = ("supported", "contradicted", "not_found")


class LabelsError(RagError):
    """The label file is missing or malformed."""


@dataclass(frozen=True)
class LabelledClaim:
    id: str
    sentence: str
    passage_text: str
    label: str
    kind: str
    doc: str | None = None
    article: str | None = None

    @property
    def supported(self) -> bool:
        return self.label == "supported"


def load_labels(path: Path) -> list[LabelledClaim]:
    """Read a label file; raise :class:`LabelsError` with the line and the reason when it is unusable."""
    if not path.is_file():
        raise LabelsError(
            f"label file {path} does not exist: it holds labelled (sentence, passage) pairs, one JSON object per line"
        )
    claims = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelsError(f"{path}:{lineno}: invalid JSON: {exc}") from exc
        if not isinstance(obj, dict) or not {"sentence", "passage_text"} <= set(obj):
            raise LabelsError(f"{path}:{lineno}: needs at least 'sentence' and 'passage_text'")
        if "label" in obj:
            label = str(obj["label"])
            kind = str(obj.get("kind") or ("faithful" if label == "supported" else "unknown"))
        elif isinstance(obj.get("supported"), bool):
            label = "supported" if obj["supported"] else "not_found"
            kind = "faithful" if obj["supported"] else "other-passage"
        else:
            raise LabelsError(f"{path}:{lineno}: needs 'label' ({' | '.join(LABELS)}) or 'supported' (true/false)")
        if label not in LABELS:
            raise LabelsError(f"{path}:{lineno}: label {label!r} is not one of {', '.join(LABELS)}")
        article = obj.get("article")
        claims.append(
            LabelledClaim(
                str(obj.get("id") or f"{path.stem}:{lineno}"),
                str(obj["sentence"]),
                str(obj["passage_text"]),
                label,
                kind,
                str(obj["doc"]) if obj.get("doc") else None,
                str(article) if article not in (None, "") else None,
            )
        )
    if not claims:
        raise LabelsError(f"{path} holds no labelled pairs")
    return claims
