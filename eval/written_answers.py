"""``python -m eval.written_answers``: what the openai path keeps, flags and cites when a capable
model writes the labelled claims.

    python -m eval.written_answers [--labels eval/labels/claims-dev.jsonl] [--limit N] [--store DIR] [--json]

Each labelled pair of ``eval/labels`` becomes one question: the sentence itself, asked of the
labelled document only. A small OpenAI-compatible server on 127.0.0.1
(``eval.written_endpoint``) answers it with the labelled sentence, cited to the shown passage that
holds most of the labelled passage's words, as a capable model reading the prompt would cite it.
The product then drafts, verifies and cites as it does for any model. A faithful sentence should
be kept and cited to that passage; a wrong one should not be shown as cited. A pair counts only
when its passage was shown to the model: otherwise no model would have written the sentence.

The labels judge a sentence against one passage; here it is checked against every passage shown,
so a sentence wrong for its own passage may be rightly supported by another (counted as not
flagged: the figure is a lower bound on flagging).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

from eval.judge_eval import spread_over_kinds
from eval.written_endpoint import WrittenAnswerEndpoint
from rag.answering.draft.drafting import YES_NO_OPENING_RE
from rag.answering.types import Answer
from rag.retrieval import SearchFilters
from rag.settings import PROJECT_ROOT, get_settings
from rag.verification.labels import LabelledClaim, load_labels

DEFAULT_LABELS = PROJECT_ROOT / "eval" / "labels" / "claims-dev.jsonl"
# A prompt shows each passage as "[n] (label) text", the text possibly over several lines.
_SHOWN_RE = re.compile(r"^\[(\d+)\] \((.*?)\) ", re.MULTILINE)
_WORD_RE = re.compile(r"[^\W_]+")
# The shown passage must hold at least this share of the labelled passage's word trigrams.
MIN_SHOWN_SHARE = 0.5


@dataclass(frozen=True)
class Outcome:
    """What the product did with one labelled sentence written by the model."""

    kind: str
    shown: bool  # the labelled passage was among those the model was shown
    kept: bool  # shown in the answer as a supported sentence with a citation
    cited_right: bool  # ... and one of its citations is the labelled passage


def trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD_RE.findall(text.lower())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def shown_passages(prompt: str) -> dict[int, str]:
    """The numbered passages of the last prompt: number → text."""
    body = prompt.rsplit("Passages:", 1)[-1].rsplit("\n\nQuestion:", 1)[0]
    marks = list(_SHOWN_RE.finditer(body))
    return {
        int(mark.group(1)): body[mark.end() : marks[i + 1].start() if i + 1 < len(marks) else len(body)]
        for i, mark in enumerate(marks)
    }


def holding_passage(passage_text: str, shown: dict[int, str]) -> int | None:
    """The number of the shown passage holding most of ``passage_text``, if one holds enough of it."""
    wanted = trigrams(passage_text)
    if not wanted:
        return None
    share = {number: len(wanted & trigrams(text)) / len(wanted) for number, text in shown.items()}
    best = max(share, key=lambda n: share[n], default=None)
    return best if best is not None and share[best] >= MIN_SHOWN_SHARE else None


class CapableWriter:
    """The model: for the question asked, the labelled sentence cited to the passage holding its passage."""

    def __init__(self, claims: Iterable[LabelledClaim]) -> None:
        self.by_question = {question_of(claim): claim for claim in claims}
        self.cited: dict[str, int | None] = {}  # claim id → the number it cited

    def __call__(self, messages: list[dict[str, str]]) -> str:
        prompt = messages[-1]["content"]
        claim = self.by_question.get(prompt.rsplit("Question:", 1)[-1].strip())
        if claim is None:
            return "NOT_IN_DOCUMENTS"
        number = holding_passage(claim.passage_text, shown_passages(prompt))
        self.cited[claim.id] = number
        return f"{claim.sentence.rstrip('.')} [{number or 1}]."


def question_of(claim: LabelledClaim) -> str:
    return claim.sentence.strip()


def outcome(claim: LabelledClaim, answer: Answer, cited: int | None) -> Outcome:
    if answer.refused or cited is None:
        return Outcome(claim.kind, False, False, False)
    written = comparable(claim.sentence)
    sentence = next((s for s in answer.sentences if comparable(s.text) == written), None)
    if sentence is None:  # dropped with the rest of the model's text: the answer quotes instead
        return Outcome(claim.kind, True, False, False)
    kept = sentence.supported and bool(sentence.citations)
    texts = {scored.passage.id: scored.passage.text for scored in answer.passages}
    cited_passages = {n: texts.get(answer.citation(n).passage_id, "") for n in sentence.citations}
    right = holding_passage(claim.passage_text, cited_passages) is not None
    return Outcome(claim.kind, True, kept, kept and right)


def comparable(sentence: str) -> str:
    """A sentence as the answer shows it: a "Yes:"/"No," opening becomes the direct answer, apart."""
    return YES_NO_OPENING_RE.sub("", sentence.strip()).rstrip(".").strip().lower()


def summarise(outcomes: list[Outcome]) -> dict[str, object]:
    shown = [o for o in outcomes if o.shown]
    faithful = [o for o in shown if o.kind == "faithful"]
    wrong = [o for o in shown if o.kind != "faithful"]
    per_kind = Counter(o.kind for o in wrong)
    passed = Counter(o.kind for o in wrong if o.kept)
    return {
        "pairs": len(outcomes),
        "passage_shown": len(shown),
        "faithful": len(faithful),
        "correct_kept_and_cited": share(sum(o.cited_right for o in faithful), len(faithful)),
        "correct_kept_any_citation": share(sum(o.kept for o in faithful), len(faithful)),
        "wrong": len(wrong),
        "wrong_flagged_or_dropped": share(sum(not o.kept for o in wrong), len(wrong)),
        "wrong_shown_as_cited_by_kind": {kind: share(passed[kind], n) for kind, n in sorted(per_kind.items())},
    }


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.written_answers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--limit", type=int, default=None, help="at most N pairs, taken in turn from each kind")
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from rag.engine import Engine

    claims = spread_over_kinds(load_labels(args.labels), args.limit)
    writer = CapableWriter(claims)
    outcomes = []
    with WrittenAnswerEndpoint(writer) as endpoint:
        update: dict[str, object] = {
            "openai_base_url": endpoint.base_url,
            "openai_api_key": SecretStr("sk-written"),
            "openai_timeout": 30.0,
        }
        if args.store is not None:
            update["store_path"] = args.store
        engine = Engine(get_settings().model_copy(update=update))
        for number, claim in enumerate(claims, start=1):
            filters = SearchFilters(docs=(claim.doc,)) if claim.doc else None
            answer = engine.ask(question_of(claim), mode="openai", filters=filters)
            outcomes.append(outcome(claim, answer, writer.cited.get(claim.id)))
            if number % 50 == 0:
                print(f"{number}/{len(claims)}", file=sys.stderr)
    result = summarise(outcomes) | {"labels": str(args.labels), "load_average_1m": round(os.getloadavg()[0], 2)}
    if args.json:
        print(json.dumps(result))
        return 0
    for key, value in result.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
