"""``python -m eval.refusal_causes --dataset FILE ... [--model NAME=PATH ...] [--verbose] [--each]``: what refuses
and what answers, by answerability model, with and without a contradicted premise answered by its
correction instead of refused.

It separates the two causes of a change in refusal: a retrained model (``--model`` names each to
compare; the committed one is ``current``) and the premise rule (``decision.decide``'s
``corrects_premise``). Each question is retrieved once and decided four ways (or two per model
given), by the assess stage's own ``decide_refusal``. Files are question records with ``question``
and ``answerable`` (the gold splits, the real questions, the refusal training files, the uploads'
dev questions); test splits are refused (``eval.dataset.is_test_split``). ``--each`` lists every
question with the model that decided it (the trained one, or the features-only one for a question
whose best passage is from a document it was not trained on), its probability and its reason. On
a training file the models' figures are in-sample for the model trained on it.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from eval.dataset import is_test_split
from rag.answering.assess import decide_refusal, lead_document_hash, premise_of_retrieved
from rag.answering.assess.model import MODEL_PATH, AnswerabilityModel
from rag.answering.assess.training import read_training
from rag.answering.retrieve import Question, retrieve
from rag.cli_common import add_store_arguments, settings_from_args
from rag.engine import Engine


@dataclass(frozen=True)
class Outcome:
    """One question decided by one model: refused with the premise rule, and without it."""

    question: str
    answerable: bool
    source: str
    model: str
    refused: bool
    refused_without_premise_rule: bool
    premise_reason: str | None
    probability: float | None = None  # the deciding model's, that the passages answer
    features_only: bool = False  # decided by the features-only model (the lead passage's document is untrained)
    reason: str = ""  # why it was refused (with the premise rule), as the user is told


def model_argument(text: str) -> tuple[str, Path]:
    name, _, path = text.partition("=")
    if not name or not path:
        raise argparse.ArgumentTypeError(f"expected NAME=PATH, got {text!r}")
    return name, Path(path)


def outcomes(engine: Engine, rows: list[tuple[str, bool, str]], models: dict[str, AnswerabilityModel]) -> list[Outcome]:
    """Each question of ``rows`` retrieved once, then decided by each of ``models`` as the assess stage
    decides (``rag.answering.assess.assess``), with and without the premise rule."""
    service = engine.answers
    view = service.retriever.view()
    found = []
    for question, answerable, source in rows:
        retrieved = retrieve(
            Question(question), service.settings, service.retriever, service.embeddings, service.verifier
        )
        premise = premise_of_retrieved(retrieved, view, service.verifier)
        reason = premise.contradiction.reason if premise.by_the_text and premise.contradiction else None
        lead = lead_document_hash(retrieved, view)
        for name, model in models.items():
            decided = decide_refusal(retrieved, view, service.question_embeddings, model, premise.settles_refusal)[2]
            # Without the premise rule: the same decision, unless the rule had a say.
            unsettled = decided
            if premise.settles_refusal:
                unsettled = decide_refusal(retrieved, view, service.question_embeddings, model, False)[2]
            decisions = [decided, unsettled]
            found.append(
                Outcome(
                    question,
                    answerable,
                    source,
                    name,
                    decisions[0].refuse,
                    decisions[1].refuse,
                    reason,
                    decisions[1].probability,
                    model.for_document(lead) is not model,
                    decisions[0].reason,
                )
            )
    return found


def table(found: list[Outcome]) -> list[str]:
    """Per file and model: unanswerable refused and answerable answered, with and without the premise rule."""
    groups: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for outcome in found:
        groups[(outcome.source, outcome.model)].append(outcome)
    lines = ["file | model | unanswerable refused (rule / no rule) | answerable answered (rule / no rule)"]
    for (source, model), group in groups.items():
        unanswerable = [o for o in group if not o.answerable]
        answerable = [o for o in group if o.answerable]

        def count(rows: list[Outcome], refused: bool, rule: bool) -> int:
            return sum(1 for o in rows if (o.refused if rule else o.refused_without_premise_rule) == refused)

        n_u, n_a = len(unanswerable), len(answerable)
        lines.append(
            f"{source} | {model} | {count(unanswerable, True, True)}/{n_u} / {count(unanswerable, True, False)}/{n_u}"
            f" | {count(answerable, False, True)}/{n_a} / {count(answerable, False, False)}/{n_a}"
        )
    return lines


def each_line(outcome: Outcome) -> str:
    """One question's decision by one model: what it is, what was decided, by which model, with what
    probability and reason (a probability is absent when a rule decided before the model)."""
    kind = "answerable" if outcome.answerable else "unanswerable"
    decided = "refused" if outcome.refused else "answered"
    by = "features only" if outcome.features_only else "trained"
    probability = "-" if outcome.probability is None else f"{outcome.probability:.3f}"
    return (
        f"{outcome.source} | {outcome.model} | {kind} | {decided} | {by} {probability} | {outcome.reason} | "
        f"{outcome.question}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eval.refusal_causes", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", type=Path, nargs="+", required=True, help="question files (JSONL)")
    parser.add_argument(
        "--model",
        type=model_argument,
        action="append",
        default=[],
        help="NAME=PATH of an answerability model to compare (the committed one is always 'current')",
    )
    parser.add_argument("--verbose", action="store_true", help="list the questions the premise rule answers")
    parser.add_argument(
        "--each", action="store_true", help="list every question's decision, deciding model, probability and reason"
    )
    add_store_arguments(parser)
    args = parser.parse_args(argv)
    if any(is_test_split(path) for path in args.dataset):
        print("refusing to run on a test split", file=sys.stderr)
        return 2
    models = {"current": AnswerabilityModel.load(MODEL_PATH)}
    models.update({name: AnswerabilityModel.load(path) for name, path in args.model})
    engine = Engine(settings_from_args(args))
    found = outcomes(engine, read_training(args.dataset), models)
    print("\n".join(table(found)))
    if args.each:
        print("\n".join(each_line(o) for o in found))
    if args.verbose:
        for o in found:
            if o.refused != o.refused_without_premise_rule:
                kind = "unanswerable" if not o.answerable else "answerable"
                print(f"premise rule answers ({o.model}, {kind}, {o.premise_reason}): {o.question}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
