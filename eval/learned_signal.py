"""Does a pair classifier over frozen MiniLM vectors, added to the verifier's decision, help a new writer?

``python -m eval.learned_signal --labels FILE... [--cache PATH]``

An experiment, not a product path. Each label file is judged by models fitted on the other files
only (leave one writer out), four ways:

- ``verifier``: the calibrated decision alone (``rag.verification.fit.fit``), as ``fit`` reports it;
- ``head``: a logistic model over the sentence's and its best window's MiniLM vectors
  (``[u, v, |u-v|, u*v]``, and the same against the whole passage), alone;
- ``stacked``: a logistic model over the decision's two log-odds (grounding against its threshold,
  and the one it decides with) and the head's log-odds; the head's log-odds on the training files
  are out-of-file too (each training file scored by a head fitted on the other training files), so the
  stacker learns how far a head trusts a writer it has not seen;
- ``veto``: the decision's acceptance, withdrawn when the head's probability is under a threshold
  chosen on the training files (the best accuracy there): it can only lower what each error kind
  passes.

Verbatim quotes and claims with nothing to check keep the verdict ``Verifier.verify`` gives them.
The evidence and vectors are cached per file (``--cache``), since they do not depend on any fit; the
cache is keyed by the label file's bytes and the verifier's code and equivalents, so a changed rule or label
is gathered again.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import pickle
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

import rag.verification
from rag.verification.claim import claim_of
from rag.verification.decision import FEATURES, Decision, Evidence
from rag.verification.fit import Found, accepted, fit
from rag.verification.labels import LabelledClaim, load_labels
from rag.verification.types import Verdict
from rag.verification.verifier import Verifier
from rag.verification.words import EQUIVALENTS_PATH

HEAD_C = 0.05  # inverse L2 strength of the head (sklearn's C); small, as 2,300 dimensions meet ~2,700 pairs
VETO_THRESHOLDS = np.linspace(0.02, 0.6, 30)
WAYS = ("verifier", "head", "stacked", "veto")


@dataclass(frozen=True)
class Table:
    """Every pair's label, file, evidence (or fixed verdict) and MiniLM vectors."""

    claims: list[LabelledClaim]
    files: np.ndarray  # the index of each pair's label file
    found: list[Found]
    sentence: np.ndarray  # unit vectors of the claims
    window: np.ndarray  # ... of the best window's text
    passage: np.ndarray  # ... of the whole passage (truncated by the model at 256 tokens)


def gather_file(path: Path, verifier: Verifier) -> Table:
    """One label file's evidence (one pass of the checks per pair) and vectors."""
    claims = load_labels(path)
    verifier.prepare([c.sentence for c in claims])
    found: list[Found] = []
    windows = []
    for c in claims:
        evidence, span = verifier.evidence(c.sentence, c.passage_text, doc_id=c.doc, article=c.article)
        fixed = Verdict.NOT_FOUND if span is None else Verdict.SUPPORTED
        found.append(fixed if evidence is None else evidence)  # as ``rag.verification.fit.collect``
        windows.append(c.passage_text[span[0] : span[1]] if span else c.passage_text)
    embeddings = verifier.vectors.embeddings
    sentence = np.array(embeddings.embed_documents([claim_of(c.sentence) or c.sentence for c in claims]))
    window = np.array(embeddings.embed_documents(windows))
    passages = list(dict.fromkeys(c.passage_text for c in claims))
    by_text = dict(zip(passages, embeddings.embed_documents(passages), strict=True))
    passage = np.array([by_text[c.passage_text] for c in claims])
    return Table(claims, np.zeros(len(claims), dtype=int), found, sentence, window, passage)


def cache_key(path: Path) -> str:
    """A digest of the label file and of what its evidence depends on: the verifier's modules and its
    plain-word equivalents."""
    code = Path(rag.verification.__file__).parent
    parts = [path, *sorted(code.glob("*.py")), EQUIVALENTS_PATH]  # the decision is not used: see ``gather``
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.read_bytes())
    return digest.hexdigest()[:16]


def gather(paths: Sequence[Path], cache: Path | None) -> Table:
    """Every file's table, each read from ``cache/<stem>-<cache_key>.pkl`` when there, else computed and
    written there."""
    from rag.embeddings import get_sentence_embeddings
    from rag.settings import Settings

    verifier: Verifier | None = None
    tables = []
    for index, path in enumerate(paths):
        cached = cache / f"{path.stem}-{cache_key(path)}.pkl" if cache else None
        if cached and cached.is_file():
            table = pickle.loads(cached.read_bytes())
        else:
            if verifier is None:
                verifier = Verifier(get_sentence_embeddings(Settings()), Decision((0.0,) * len(FEATURES), 0.0, 0.5))
            table = gather_file(path, verifier)
            if cached:
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_bytes(pickle.dumps(table))
        print(f"gathered {path.name}: {len(table.claims)} pairs", flush=True)
        tables.append(replace(table, files=np.full(len(table.claims), index)))
    return Table(
        [c for t in tables for c in t.claims],
        np.concatenate([t.files for t in tables]),
        [f for t in tables for f in t.found],
        np.vstack([t.sentence for t in tables]),
        np.vstack([t.window for t in tables]),
        np.vstack([t.passage for t in tables]),
    )


def head_inputs(table: Table) -> np.ndarray:
    u, v, p = table.sentence, table.window, table.passage
    return np.hstack([u, v, np.abs(u - v), u * v, np.abs(u - p), u * p])


def labels_of(claims: Sequence[LabelledClaim]) -> np.ndarray:
    return np.array([1.0 if c.supported else 0.0 for c in claims])


def fit_head(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=HEAD_C, max_iter=2000).fit(x, y)


def head_logits(model: LogisticRegression, x: np.ndarray) -> np.ndarray:
    return np.asarray(model.decision_function(x))


def out_of_file_head(x: np.ndarray, y: np.ndarray, files: np.ndarray) -> np.ndarray:
    """Each pair's head log-odds from a head fitted on the other files only."""
    logits = np.zeros(len(y))
    for f in np.unique(files):
        inside = files == f
        logits[inside] = head_logits(fit_head(x[~inside], y[~inside]), x[inside])
    return logits


def decision_inputs(decision: Decision, found: Sequence[Found]) -> np.ndarray:
    """Per pair: grounding log-odds past the threshold, and the log-odds the decision decides with (0, 0 if fixed)."""
    offset = math.log(decision.threshold / (1 - decision.threshold))
    rows = []
    for f in found:
        if isinstance(f, Evidence):
            z = decision.conflict_logit(f) if f.conflicts else decision.grounding_logit(f)
            rows.append([decision.grounding_logit(f) - offset, z])
        else:
            rows.append([0.0, 0.0])
    return np.array(rows)


def judged(table: Table, x: np.ndarray, held: int) -> dict[str, np.ndarray]:
    """Each way's acceptance of the pairs of file ``held``, every model fitted on the other files."""
    train, test = table.files != held, table.files == held
    train_claims = [c for c, t in zip(table.claims, train, strict=True) if t]
    train_found = [f for f, t in zip(table.found, train, strict=True) if t]
    test_found = [f for f, t in zip(table.found, test, strict=True) if t]
    y = labels_of(table.claims)
    decision = fit(train_claims, train_found)
    fixed_train = np.array([not isinstance(f, Evidence) for f in train_found])
    fixed_test = np.array([not isinstance(f, Evidence) for f in test_found])
    base_train = np.array([accepted(decision, f) for f in train_found])
    base_test = np.array([accepted(decision, f) for f in test_found])

    head = fit_head(x[train], y[train])
    head_test = head_logits(head, x[test])
    head_train = out_of_file_head(x[train], y[train], table.files[train])

    d_train, d_test = decision_inputs(decision, train_found), decision_inputs(decision, test_found)
    s_train = np.hstack([d_train, np.minimum(d_train, 0.0), head_train[:, None]])
    s_test = np.hstack([d_test, np.minimum(d_test, 0.0), head_test[:, None]])
    stacker = LogisticRegression(C=1.0, max_iter=2000).fit(s_train[~fixed_train], y[train][~fixed_train])
    stacked = np.where(fixed_test, base_test, stacker.decision_function(s_test) >= 0)

    p_train = 1 / (1 + np.exp(-head_train))
    y_train = y[train].astype(bool)

    def veto_accuracy(t: float) -> float:
        return float(np.mean((base_train & (fixed_train | (p_train >= t))) == y_train))

    t = max(VETO_THRESHOLDS, key=lambda t: (veto_accuracy(t), -t))
    veto = base_test & (fixed_test | (1 / (1 + np.exp(-head_test)) >= t))
    print(f"  file {held}: decision threshold {decision.threshold:.2f}, veto threshold {t:.2f}", flush=True)
    return {
        "verifier": base_test,
        "head": np.where(fixed_test, base_test, head_test >= 0),
        "stacked": stacked,
        "veto": veto,
    }


def summary(claims: Sequence[LabelledClaim], verdicts: np.ndarray) -> dict[str, float]:
    y = labels_of(claims).astype(bool)
    out = {"accuracy": float(np.mean(verdicts == y))}
    for kind in sorted({c.kind for c in claims}):
        chosen = np.array([c.kind == kind for c in claims])
        out[kind] = float(np.mean(verdicts[chosen]))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.learned_signal", description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, nargs="+", required=True, help="label files, one per writer")
    parser.add_argument("--cache", type=Path, help="folder of gathered evidence and vectors, one file each")
    args = parser.parse_args(argv)
    if len(args.labels) < 3:
        # A held-out file's stacker learns from heads that never saw each training file: two others at least.
        parser.error("give three label files or more: each is judged by models fitted on the others")
    table = gather(args.labels, args.cache)
    x = head_inputs(table)
    names = [p.stem for p in args.labels]
    rows: dict[str, dict[str, dict[str, float]]] = {}
    everything = {way: np.zeros(len(table.claims), dtype=bool) for way in WAYS}
    for held, name in enumerate(names):
        ways = judged(table, x, held)
        chosen = table.files == held
        held_claims = [c for c, t in zip(table.claims, chosen, strict=True) if t]
        rows[name] = {way: summary(held_claims, verdicts) for way, verdicts in ways.items()}
        for way, verdicts in ways.items():
            everything[way][chosen] = verdicts
    kinds = sorted({c.kind for c in table.claims})
    columns = ["accuracy", *kinds]
    print(f"{'file':<16} {'way':<9} " + " ".join(f"{c[:9]:>9}" for c in columns))
    for name, by_way in rows.items():
        for way, figures in by_way.items():
            print(f"{name:<16} {way:<9} " + " ".join(f"{figures.get(c, float('nan')):>9.3f}" for c in columns))
    for way in WAYS:
        mean = np.mean([rows[n][way]["accuracy"] for n in names])
        pooled = summary(table.claims, everything[way])
        print(
            f"{'all files':<16} {way:<9} "
            + " ".join(f"{pooled[c]:>9.3f}" for c in columns)
            + f"  (mean of files {mean:.3f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
