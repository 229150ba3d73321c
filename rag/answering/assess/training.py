"""Train the answerability model on synthetic questions and calibrate its threshold on a dev split.

``python -m rag.answering.assess.training --train FILE ... --dev FILE ... [--write] [--verbose]
[--unfamiliar-only] [--features-cache FILE]`` (``python -m eval.train_refusal`` passes the project's
question files: ``eval/datasets/``).

Every file holds one JSON object a line with at least ``question`` and ``answerable``. The
training questions were written from the corpus texts alone, half of them near misses that sound
answerable but are not; the gold splits are never trained on. Each file was written separately,
in its own style, so each is also predicted by a model fitted on the other files: how the model
does on a style it has not seen, as on the gold splits. The threshold is the lowest probability
that keeps at least ``MIN_ANSWER_RATE`` of the answerable questions answered, over the dev split
and those held-out predictions together, while refusing the most unanswerable ones (the product's
outright refusals, a name no document mentions or evidence under the floor, count as refused
whatever the model says). ``--write`` saves the model to ``rag/data/answerability.npz``. A test
split is refused here: report it with ``python -m eval all``.

The features are those the answer path computes (``AnswerService.weigh``), on the store given by
the settings or ``--store``; scikit-learn (a development dependency) fits the networks. The
features-only model for documents the full model was not trained on is fitted on the same
questions, on the features of the passages' own text (``AnswerabilityModel.reads_plain_terms``);
``--unfamiliar-only`` refits it alone, keeping the committed model and its vocabulary. Retrieving
the questions takes most of a run (20 minutes for the training files): ``--features-cache`` keeps
their features for refits with other settings.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
from sklearn.neural_network import MLPClassifier

from rag.answering.assess.decision import outright
from rag.answering.assess.features import FEATURES
from rag.answering.assess.model import MODEL_PATH, AnswerabilityModel
from rag.cli_common import add_store_arguments, settings_from_args
from rag.engine import Engine
from rag.keyword_index import Vocabulary

# The product must answer at least 90% of answerable questions; the threshold keeps a margin above
# that. The dev split alone (108 answerable) overstates the answer rate on questions of an unseen
# style (its glossary and plain terms were written against dev failures): at the threshold it chose
# for the logistic model, dev answered 0.981 and the held-out training files 0.909 (session 4).
MIN_ANSWER_RATE = 0.93
# Chosen by holding out each of the first 9 training files in turn (unanswerable refused at 90%
# answered; session 4, the loop of held_out_refusal on cached features): 16 hidden units and L2
# penalty 1.0 (0.881-0.894 for 16-64 units and penalties 0.3-3.0), three networks averaged (0.901
# against 0.893 for one), where a logistic regression over the same inputs gave 0.839.
HIDDEN_UNITS = 16
PENALTY = 1.0
MEMBERS = 3
# The 16 features are scaled up against the 768 vector dimensions so that they weigh more.
FEATURE_WEIGHT = 3.0
FOLDS_FOR_ONE_FILE = 5


@dataclass(frozen=True)
class Example:
    question: str
    answerable: bool
    values: dict[str, float]
    vector: list[float]
    refused_outright: bool
    answered_outright: bool  # it asks what a provision it names says (``decision.decide``)
    source: str  # the training file, or the gold split
    own_text_values: dict[str, float] | None = None  # ``Evidence.own_text_values``; ``values`` when None

    def read(self, plain_terms: bool) -> dict[str, float]:
        """The features a model reads, counting the passages' plain terms or not (``Evidence.values_for``)."""
        return self.values if plain_terms or self.own_text_values is None else self.own_text_values


def read_training(paths: list[Path]) -> list[tuple[str, bool, str]]:
    """(question, answerable, file name) of every record of ``paths`` (training questions or a dev split)."""
    rows = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    record = json.loads(line)
                    rows.append((str(record["question"]), bool(record["answerable"]), path.name))
                except (ValueError, KeyError) as error:
                    raise SystemExit(f"{path}:{number}: not a question record ({error})") from error
    return rows


def examples(engine: Engine, questions: list[tuple[str, bool, str]], reference: Vocabulary) -> list[Example]:
    """The features the answer service computes for each question, as it would at answer time with
    a model whose vocabulary is ``reference``."""
    found = []
    for question, answerable, source in questions:
        evidence = engine.answers.weigh(question, reference)
        refused = outright(evidence.values, evidence.missing_names) is not None
        found.append(
            Example(
                question,
                answerable,
                evidence.values,
                evidence.question_vector,
                refused,
                evidence.asks_for_named_provision,
                source,
                evidence.own_text_values,
            )
        )
    return found


def _standardisation(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    means, scales = matrix.mean(axis=0), matrix.std(axis=0)
    scales[scales == 0] = 1.0
    return means, scales


def fit(train: list[Example], vocabulary: Vocabulary | None = None, with_vector: bool = True) -> AnswerabilityModel:
    """``MEMBERS`` networks differing in their random start, on the standardised features (scaled up
    by ``FEATURE_WEIGHT``) and question vectors, keeping the reference ``vocabulary`` the features
    were computed with; the threshold is left at 0.5 for ``calibrate``. With ``with_vector=False``,
    the model for unfamiliar documents: no question vector, and the features of the passages' own
    text, without their plain terms (``AnswerabilityModel.reads_plain_terms``)."""
    values = np.array([[e.read(plain_terms=with_vector)[name] for name in FEATURES] for e in train])
    vectors = np.array([e.vector for e in train]) if with_vector else np.zeros((len(train), 0))
    means, scales = _standardisation(values)
    scales /= FEATURE_WEIGHT
    vector_means, vector_scales = _standardisation(vectors)
    inputs = np.hstack([(values - means) / scales, (vectors - vector_means) / vector_scales])
    labels = np.array([e.answerable for e in train])
    networks = [
        MLPClassifier(hidden_layer_sizes=(HIDDEN_UNITS,), alpha=PENALTY, max_iter=800, random_state=seed).fit(
            inputs, labels
        )
        for seed in range(MEMBERS)
    ]
    return AnswerabilityModel(
        feature_means=means,
        feature_scales=scales,
        vector_means=vector_means,
        vector_scales=vector_scales,
        hidden_weights=np.stack([n.coefs_[0] for n in networks]),
        hidden_biases=np.stack([n.intercepts_[0] for n in networks]),
        output_weights=np.stack([n.coefs_[1][:, 0] for n in networks]),
        output_biases=np.array([n.intercepts_[1][0] for n in networks]),
        threshold=0.5,
        vocabulary=vocabulary,
        reads_plain_terms=with_vector,
    )


def probabilities(model: AnswerabilityModel, rows: list[Example]) -> np.ndarray:
    return model.probabilities([e.read(model.reads_plain_terms) for e in rows], np.array([e.vector for e in rows]))


def held_out_groups(train: list[Example]) -> dict[str, list[int]]:
    """The training questions each held-out model predicts: one group per file, or, when a single
    file is given (``--train FILE``), ``FOLDS_FOR_ONE_FILE`` interleaved parts of it."""
    sources = sorted({e.source for e in train})
    if len(sources) > 1:
        return {source: [i for i, e in enumerate(train) if e.source == source] for source in sources}
    return {
        f"{sources[0]} part {k + 1}": list(range(k, len(train), FOLDS_FOR_ONE_FILE)) for k in range(FOLDS_FOR_ONE_FILE)
    }


def held_out_probabilities(train: list[Example], with_vector: bool = True) -> np.ndarray:
    """Each training question's probability from a model fitted without its group (``held_out_groups``)."""
    found = np.zeros(len(train))
    for held_out in held_out_groups(train).values():
        excluded = set(held_out)
        model = fit([e for i, e in enumerate(train) if i not in excluded], with_vector=with_vector)
        found[held_out] = probabilities(model, [train[i] for i in held_out])
    return found


def _refused_at(threshold: float, probability: np.ndarray, rows: list[Example]) -> np.ndarray:
    """Which of ``rows`` the product refuses, given their probabilities, as ``decision.decide`` does."""
    outright = np.array([e.refused_outright for e in rows])
    named = np.array([e.answered_outright for e in rows])
    return outright | (~named & (probability < threshold))


def rates_at(threshold: float, probability: np.ndarray, rows: list[Example]) -> tuple[float, float]:
    """(share of unanswerable refused, share of answerable answered) at ``threshold``."""
    refused = _refused_at(threshold, probability, rows)
    answerable = np.array([e.answerable for e in rows])
    refused_share = refused[~answerable].mean() if (~answerable).any() else 0.0
    answered_share = (~refused[answerable]).mean() if answerable.any() else 0.0
    return float(refused_share), float(answered_share)


def rates(model: AnswerabilityModel, threshold: float, rows: list[Example]) -> tuple[float, float]:
    """(share of unanswerable refused, share of answerable answered) by ``model`` at ``threshold``."""
    return rates_at(threshold, probabilities(model, rows), rows)


def held_out_refusal(train: list[Example], held_out: np.ndarray, answer_rate: float = 0.90) -> dict[str, float]:
    """For each held-out group, the share of its unanswerable questions refused by the model fitted
    without it, at the threshold that keeps ``answer_rate`` of its answerable ones answered."""
    shares = {}
    for name, index in held_out_groups(train).items():
        rows, probability = [train[i] for i in index], held_out[index]
        admissible = [t for t in set(probability.round(4)) if rates_at(t, probability, rows)[1] >= answer_rate]
        shares[name] = max((rates_at(t, probability, rows)[0] for t in admissible), default=0.0)
    return shares


def calibrate(model: AnswerabilityModel, dev: list[Example], train: list[Example], held_out: np.ndarray) -> float:
    """The threshold refusing the most unanswerable questions with ``MIN_ANSWER_RATE`` of the answerable
    ones answered, over the dev split (scored by ``model``) and the held-out training predictions
    together; the lowest such threshold, to refuse no more answerable ones than needed."""
    rows = dev + train
    probability = np.concatenate([probabilities(model, dev), held_out])
    candidates = sorted(set(probability.round(4)) | {0.5})
    scored = [(t, *rates_at(t, probability, rows)) for t in candidates]
    admissible = [(t, refused) for t, refused, answered in scored if answered >= MIN_ANSWER_RATE]
    return max(admissible, key=lambda pair: (pair[1], -pair[0]))[0] if admissible else 0.0


def cached_examples(
    cache: Path | None, engine: Engine, questions: list[tuple[str, bool, str]], reference: Vocabulary
) -> list[Example]:
    """``examples`` of ``questions``, read from ``cache`` when it holds exactly these questions (a
    refit with other settings then takes seconds, not the half hour of retrieval), else computed
    and written to it. The cache does not know the code or the store: delete it when either changed."""
    saved = load_examples(cache, questions) if cache is not None else None
    if saved is not None:
        return saved
    found = examples(engine, questions, reference)
    if cache is not None:
        save_examples(cache, questions, found)
    return found


def save_examples(path: Path, questions: list[tuple[str, bool, str]], found: list[Example]) -> None:
    """Write ``found``, the examples of ``questions``, as JSON."""
    rows = [asdict(e) for e in found]
    path.write_text(json.dumps({"questions": questions, "examples": rows}), encoding="utf-8")


def load_examples(path: Path, questions: list[tuple[str, bool, str]]) -> list[Example] | None:
    """The examples ``save_examples`` wrote to ``path``, or None when it is missing or holds other questions."""
    if not path.exists():
        return None
    saved = json.loads(path.read_text(encoding="utf-8"))
    if [tuple(row) for row in saved["questions"]] != questions:
        return None
    return [Example(**row) for row in saved["examples"]]


def fit_unfamiliar(train: list[Example], dev: list[Example], reference: Vocabulary) -> AnswerabilityModel:
    """The features-only model for documents the full model was not trained on, its threshold
    calibrated as the full model's is (``calibrate``), and a report of its figures."""
    unfamiliar = fit(train, reference, with_vector=False)
    held_out = held_out_probabilities(train, with_vector=False)
    unfamiliar = unfamiliar.with_threshold(calibrate(unfamiliar, dev, train, held_out))
    dev_refused, dev_answered = rates(unfamiliar, unfamiliar.threshold, dev)
    train_refused, train_answered = rates_at(unfamiliar.threshold, held_out, train)
    print(f"features only (for other documents), threshold {unfamiliar.threshold:.4f}:")
    print(f"  dev:                  unanswerable refused {dev_refused:.3f}, answerable answered {dev_answered:.3f}")
    print(f"  train, file held out: unanswerable refused {train_refused:.3f}, answerable answered {train_answered:.3f}")
    return unfamiliar


def main(
    argv: list[str] | None = None, kept_for_reporting: Callable[[Path], bool] = lambda path: "test" in path.name
) -> int:
    """Train (and with ``--write`` save) the model; ``kept_for_reporting`` says which question files are kept for
    reporting and must never calibrate it (the project's data knows their names: ``eval.dataset.is_test_split``)."""
    parser = argparse.ArgumentParser(
        prog="python -m rag.answering.assess.training",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--train", type=Path, nargs="+", required=True, help="training question files (JSONL)")
    parser.add_argument("--dev", type=Path, nargs="+", required=True, help="dev splits to calibrate on (JSONL)")
    parser.add_argument("--write", action="store_true", help="save the model to rag/data/answerability.npz")
    parser.add_argument("--verbose", action="store_true", help="print the dev questions decided wrongly")
    parser.add_argument(
        "--unfamiliar-only",
        action="store_true",
        help="refit only the features-only model for other documents, keeping the committed model and its vocabulary",
    )
    parser.add_argument(
        "--features-cache",
        type=Path,
        help="JSON file of the questions' features: read when it holds the same questions, else written",
    )
    add_store_arguments(parser)
    args = parser.parse_args(argv)
    if any(kept_for_reporting(path) for path in args.dev):
        print("refusing to calibrate on a test split", file=sys.stderr)
        return 2
    engine = Engine(settings_from_args(args))
    view = engine.retriever.view()
    committed = AnswerabilityModel.load(MODEL_PATH) if args.unfamiliar_only else None
    # Word rarity comes from the training store's vocabulary, kept with the model for every store it serves.
    reference = committed.vocabulary if committed is not None and committed.vocabulary else view.vocabulary
    training_questions = read_training(args.train)
    found = cached_examples(args.features_cache, engine, training_questions + read_training(args.dev), reference)
    train, dev = found[: len(training_questions)], found[len(training_questions) :]
    unfamiliar = fit_unfamiliar(train, dev, reference)
    if committed is not None:
        model = replace(committed, unfamiliar=unfamiliar)
    else:
        held_out = held_out_probabilities(train)
        model = fit(train, reference)
        threshold = calibrate(model, dev, train, held_out)
        documents = frozenset(entry.doc_hash for entry in view.manifest.values())
        model = replace(model, threshold=threshold, documents=documents, unfamiliar=unfamiliar)
        report(model, train, dev, held_out, args.dev, args.verbose)
    if args.write:
        model.save(MODEL_PATH)
        print(f"wrote {MODEL_PATH}")
    return 0


def report(
    model: AnswerabilityModel,
    train: list[Example],
    dev: list[Example],
    held_out: np.ndarray,
    dev_files: list[Path],
    verbose: bool,
) -> None:
    """Print the full model's figures: dev (each file), held-out training files, and with ``verbose``
    the dev questions it decides wrongly."""
    threshold = model.threshold
    train_refused, train_answered = rates_at(threshold, held_out, train)
    dev_refused, dev_answered = rates(model, threshold, dev)
    print(f"trained on {len(train)} questions; threshold {threshold:.4f} (>= {MIN_ANSWER_RATE:.0%} answered)")
    print(f"dev:                 unanswerable refused {dev_refused:.3f}, answerable answered {dev_answered:.3f}")
    if len(dev_files) > 1:
        for path in dev_files:
            rows = [e for e in dev if e.source == path.name]
            refused_share, answered_share = rates(model, threshold, rows)
            print(
                f"  {path.name:30s} unanswerable refused {refused_share:.3f}, answerable answered {answered_share:.3f}"
            )
    print(f"train, file held out: unanswerable refused {train_refused:.3f}, answerable answered {train_answered:.3f}")
    shares = held_out_refusal(train, held_out)
    print(f"train, file held out, at 90% answered in each file: {np.mean(list(shares.values())):.3f} refused")
    for source, share in shares.items():
        print(f"  {source:36s} {share:.3f}")
    if verbose:
        dev_probability = probabilities(model, dev)
        refused = _refused_at(threshold, dev_probability, dev)
        for e, said_no, probability in zip(dev, refused, dev_probability, strict=True):
            if said_no == e.answerable:
                outcome = "WRONGLY REFUSED" if e.answerable else "NOT REFUSED"
                print(f"{outcome} ({probability:.3f}): {e.question}")


if __name__ == "__main__":
    sys.exit(main())
