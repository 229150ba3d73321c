"""The labelled claim-verification set (eval/labels/claims-*.jsonl) is well formed and split cleanly."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

LABELS_DIR = Path(__file__).resolve().parents[1] / "eval" / "labels"
CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"
SPLITS = ("dev", "test")
LABEL_OF_KIND = {
    "faithful": "supported",
    "modality": "contradicted",
    "actor": "contradicted",
    "negation": "contradicted",
    "number": "contradicted",
    "condition": "not_found",
    "extra": "not_found",
    "instrument": "not_found",
}
ERROR_KINDS = [kind for kind in LABEL_OF_KIND if kind != "faithful"]
RULE_KINDS = {"modality", "actor", "negation", "number"}  # the kinds eval/perturb.py makes
FIELDS = {"id", "doc", "article", "passage_text", "sentence", "label", "kind", "origin", "note"}


def load(split: str) -> list[dict[str, object]]:
    path = LABELS_DIR / f"claims-{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def splits() -> dict[str, list[dict[str, object]]]:
    return {split: load(split) for split in SPLITS}


@pytest.fixture(scope="module")
def rows(splits: dict[str, list[dict[str, object]]]) -> list[dict[str, object]]:
    return [row for split in SPLITS for row in splits[split]]


def test_every_row_has_exactly_the_documented_fields(rows: list[dict[str, object]]) -> None:
    assert [row["id"] for row in rows if set(row) != FIELDS] == []


def test_every_passage_is_an_exact_slice_of_its_corpus_file(rows: list[dict[str, object]]) -> None:
    texts = {path.stem: path.read_text(encoding="utf-8") for path in CORPUS_DIR.glob("*.txt")}
    misplaced = [row["id"] for row in rows if str(row["passage_text"]) not in texts.get(str(row["doc"]), "")]
    assert misplaced == []


def test_passages_are_a_short_article_or_at_most_three_numbered_paragraphs(rows: list[dict[str, object]]) -> None:
    too_long = []
    for row in rows:
        text = str(row["passage_text"])
        paragraphs = len(re.findall(r"(?m)^\d+\. ", text))
        if len(text) > 1900 and paragraphs > 3:
            too_long.append(row["id"])
    assert too_long == []


def test_each_kind_carries_its_label(rows: list[dict[str, object]]) -> None:
    assert [row["id"] for row in rows if LABEL_OF_KIND.get(str(row["kind"])) != row["label"]] == []


def test_every_error_names_its_reason(rows: list[dict[str, object]]) -> None:
    silent = [row["id"] for row in rows if row["kind"] != "faithful" and len(str(row["note"]).strip()) < 10]
    assert silent == []


def test_ids_are_unique_across_both_splits(rows: list[dict[str, object]]) -> None:
    counts = Counter(row["id"] for row in rows)
    assert [row_id for row_id, n in counts.items() if n > 1] == []


def test_no_passage_group_appears_in_both_splits(splits: dict[str, list[dict[str, object]]]) -> None:
    dev_groups = {(row["doc"], row["article"]) for row in splits["dev"]}
    test_groups = {(row["doc"], row["article"]) for row in splits["test"]}
    assert dev_groups & test_groups == set()


def test_every_kind_is_represented_in_both_splits(splits: dict[str, list[dict[str, object]]]) -> None:
    for split in SPLITS:
        kinds = Counter(row["kind"] for row in splits[split])
        assert {kind: kinds[kind] for kind in LABEL_OF_KIND if kinds[kind] < 10} == {}, split


def test_dev_holds_about_two_thirds_of_the_pairs(splits: dict[str, list[dict[str, object]]]) -> None:
    share = len(splits["dev"]) / (len(splits["dev"]) + len(splits["test"]))
    assert 0.55 <= share <= 0.75


def test_enough_pairs_of_each_kind_overall(rows: list[dict[str, object]]) -> None:
    kinds = Counter(row["kind"] for row in rows)
    assert kinds["faithful"] >= 300
    assert {kind: kinds[kind] for kind in ERROR_KINDS if kinds[kind] < 50} == {}


def test_faithful_sentences_are_all_hand_written(rows: list[dict[str, object]]) -> None:
    assert [row["id"] for row in rows if row["kind"] == "faithful" and row["origin"] != "hand"] == []


def test_perturbed_rows_are_of_rule_kinds_and_at_most_half_of_each(rows: list[dict[str, object]]) -> None:
    perturbed = Counter(row["kind"] for row in rows if row["origin"] == "perturbed")
    total = Counter(row["kind"] for row in rows)
    assert set(perturbed) <= RULE_KINDS
    assert {kind: n for kind, n in perturbed.items() if n * 2 > total[kind]} == {}
    assert {row["origin"] for row in rows} <= {"hand", "perturbed"}


def test_no_sentence_is_paired_twice_with_the_same_passage(rows: list[dict[str, object]]) -> None:
    pairs = Counter((row["sentence"], row["passage_text"]) for row in rows)
    assert [sentence for (sentence, _), n in pairs.items() if n > 1] == []
