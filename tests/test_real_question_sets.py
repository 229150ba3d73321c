"""Checks on the real-question sets: real-dev, the fresh dev set real-dev2 and the test splits real-test2 to real-test5.

Structure only: the files are read and checked against the plain-text corpus, as the gold
sets are in test_gold_dataset.py; nothing is retrieved or answered, so running these tests
measures nothing on a test split. real-test.jsonl is left to the final run.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from eval.dataset import (
    OPTIONAL_FIELDS,
    RECORD_FIELDS,
    GoldQuestion,
    default_corpus_dir,
    lexical_overlap,
    load_corpus,
    load_questions,
    validate_questions,
)

DATASETS = Path(__file__).resolve().parents[1] / "eval" / "datasets"
REAL_DEV = DATASETS / "real-dev.jsonl"
REAL_TEST2 = DATASETS / "real-test2.jsonl"
REAL_DEV2 = DATASETS / "real-dev2.jsonl"
REAL_TEST3 = DATASETS / "real-test3.jsonl"
REAL_TEST4 = DATASETS / "real-test4.jsonl"
REAL_TEST5 = DATASETS / "real-test5.jsonl"
#: Questions per kind in real-test3, as its documentation states (a question may carry two kinds).
REAL_TEST3_MIX = {"attributed": 12, "broad": 10, "false-premise": 9, "loose-name": 7, "multi": 12, "unanswerable": 8}
#: Questions per kind in real-test4, as its documentation states (a question may carry two kinds).
REAL_TEST4_MIX = {"attributed": 10, "broad": 12, "false-premise": 10, "loose-name": 6, "multi": 10, "unanswerable": 8}
#: Questions per kind in real-test5, as its documentation states (a question may carry two kinds).
REAL_TEST5_MIX = {"attributed": 10, "broad": 12, "false-premise": 10, "loose-name": 6, "multi": 6, "unanswerable": 8}
#: The splits written after real-test2, each with its id prefix and its documented mix of kinds.
LATER_SPLITS = {
    REAL_TEST3: ("t3", REAL_TEST3_MIX),
    REAL_TEST4: ("t4", REAL_TEST4_MIX),
    REAL_TEST5: ("t5", REAL_TEST5_MIX),
}
CORPUS_DIR = default_corpus_dir()
#: The kinds of question issue 15 asks for, as tagged in real-dev.
KINDS = ("attributed", "broad", "false-premise", "loose-name", "multi", "unanswerable")
#: Share of one question's content words found in another at which the two count as copies.
NEAR_COPY_OVERLAP = 0.8

pytestmark = pytest.mark.skipif(
    not (CORPUS_DIR / "un-cybercrime-convention-2024.txt").is_file(), reason=f"corpus not found at {CORPUS_DIR}"
)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(CORPUS_DIR)


@pytest.fixture(scope="module")
def dev() -> list[GoldQuestion]:
    return load_questions(REAL_DEV)


@pytest.fixture(scope="module")
def test2() -> list[GoldQuestion]:
    return load_questions(REAL_TEST2)


@pytest.fixture(scope="module")
def dev2() -> list[GoldQuestion]:
    return load_questions(REAL_DEV2)


@pytest.fixture(scope="module")
def test3() -> list[GoldQuestion]:
    return load_questions(REAL_TEST3)


@pytest.fixture(scope="module")
def test4() -> list[GoldQuestion]:
    return load_questions(REAL_TEST4)


@pytest.fixture(scope="module")
def test5() -> list[GoldQuestion]:
    return load_questions(REAL_TEST5)


@pytest.fixture(scope="module", params=[REAL_TEST2, REAL_TEST3, REAL_TEST4, REAL_TEST5], ids=lambda path: path.stem)
def held_out_split(request) -> list[GoldQuestion]:
    """Each independently written test split in turn: the checks they share."""
    return load_questions(request.param)


def test_real_test2_validates_against_the_corpus_beside_real_dev(dev, test2, corpus):
    problems = validate_questions([*dev, *test2], corpus)
    assert problems == [], "\n".join(problems)


def test_real_test2_ids_are_numbered_t2_in_file_order(test2):
    assert [q.id for q in test2] == [f"t2-{n:03d}" for n in range(1, len(test2) + 1)]


@pytest.mark.parametrize("path", [REAL_TEST2, REAL_TEST3, REAL_TEST4, REAL_TEST5], ids=lambda path: path.stem)
def test_each_test_split_records_have_the_documented_fields(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            keys = set(json.loads(line))
            assert RECORD_FIELDS <= keys <= RECORD_FIELDS | OPTIONAL_FIELDS


def test_a_premise_is_stated_exactly_for_false_premise_questions(held_out_split):
    for q in held_out_split:
        assert (q.premise is not None) == ("false-premise" in q.tags), q.id


def test_false_premise_reference_answers_open_by_contradicting_the_premise(held_out_split):
    for q in held_out_split:
        if q.premise is not None:
            assert q.reference_answer.lower().startswith("no"), q.id


def test_each_test_split_has_the_kinds_of_real_dev_and_no_other(dev, held_out_split):
    assert {t for q in held_out_split for t in q.tags} == {t for q in dev for t in q.tags}


def test_each_test_split_holds_enough_of_every_kind(held_out_split):
    counts = Counter(t for q in held_out_split for t in q.tags)
    assert len(held_out_split) >= 40
    for kind in KINDS:
        assert counts[kind] >= 6, kind
    assert 0.1 <= counts["unanswerable"] / len(held_out_split) <= 0.25


def test_broad_and_multi_questions_name_several_provisions(held_out_split):
    for q in held_out_split:
        if {"broad", "multi"} & set(q.tags):
            assert len({(g.doc, g.article, g.paragraph) for g in q.gold}) >= 2, q.id


def test_real_test2_questions_are_not_copies_of_real_dev_questions(dev, test2):
    for q in test2:
        for d in dev:
            overlap = max(lexical_overlap(q.question, d.question), lexical_overlap(d.question, q.question))
            assert overlap < NEAR_COPY_OVERLAP, (q.id, d.id)


def test_real_dev2_validates_against_the_corpus_beside_real_dev(dev, dev2, corpus):
    # Ids restart at dev-001 in real-dev2, so each file is validated on its own.
    assert validate_questions(dev, corpus) == []
    problems = validate_questions(dev2, corpus)
    assert problems == [], "\n".join(problems)


def test_real_dev2_has_the_kinds_of_real_dev_with_premises_stated(dev, dev2):
    assert {t for q in dev2 for t in q.tags} == {t for q in dev for t in q.tags}
    counts = Counter(t for q in dev2 for t in q.tags)
    assert all(counts[kind] >= 6 for kind in KINDS), counts
    for q in dev2:
        assert (q.premise is not None) == ("false-premise" in q.tags), q.id


def test_real_dev2_broad_and_multi_questions_name_several_provisions(dev2):
    for q in dev2:
        if q.answerable and {"broad", "multi"} & set(q.tags):
            assert len({(g.doc, g.article, g.paragraph) for g in q.gold}) >= 2, q.id


def test_real_dev2_questions_are_not_copies_of_real_dev_questions(dev, dev2):
    # The share of each new question's words found in an old one: a short old question ("What does the
    # treaty do for developing countries?") is wholly inside a longer new one without being copied.
    for q in dev2:
        for d in dev:
            assert lexical_overlap(q.question, d.question) < NEAR_COPY_OVERLAP, (q.id, d.id)


def test_real_test3_to_real_test5_validate_against_the_corpus_beside_real_test2(test2, test3, test4, test5, corpus):
    # Validated together so that an id shared by two test splits is reported.
    problems = validate_questions([*test2, *test3, *test4, *test5], corpus)
    assert problems == [], "\n".join(problems)


@pytest.fixture(scope="module", params=list(LATER_SPLITS), ids=lambda path: path.stem)
def later_split(request) -> tuple[Path, list[GoldQuestion]]:
    """real-test3, real-test4 and real-test5 in turn, with the path they were read from."""
    return request.param, load_questions(request.param)


def test_later_split_ids_are_numbered_with_their_prefix_in_file_order(later_split):
    path, questions = later_split
    prefix = LATER_SPLITS[path][0]
    assert [q.id for q in questions] == [f"{prefix}-{n:03d}" for n in range(1, len(questions) + 1)]


def test_later_split_holds_its_documented_mix_of_kinds(later_split):
    path, questions = later_split
    assert len(questions) == 50
    assert Counter(t for q in questions for t in q.tags) == LATER_SPLITS[path][1]
    assert all(q.tags == ["unanswerable"] for q in questions if not q.answerable)


def _questions_of_every_other_file(split: Path) -> list[str]:
    """The question of every record of every file of eval/datasets but ``split`` (gold, real, uploads, training)."""
    files = [f for f in sorted(DATASETS.glob("*.jsonl")) if f != split]
    lines = [line for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [str(json.loads(line)["question"]) for line in lines]


def test_later_split_questions_share_few_words_with_any_other_set(later_split):
    # One direction, as for real-dev2: a short question elsewhere may sit wholly inside a longer new one.
    path, questions = later_split
    others = _questions_of_every_other_file(path)
    for q in questions:
        closest = max(others, key=lambda other: lexical_overlap(q.question, other))
        assert lexical_overlap(q.question, closest) < NEAR_COPY_OVERLAP, (q.id, closest)


@pytest.mark.slow
def test_later_split_questions_are_no_embedding_near_copies_of_any_other_set(later_split):
    # The measure eval.dedup_training applies to the training files: MiniLM cosine below 0.8 to every
    # question of every other file of eval/datasets (about 2,800, so this embeds for a minute or more).
    from eval.dedup_training import THRESHOLD, near_copies

    path, questions = later_split
    others = _questions_of_every_other_file(path)
    found = near_copies([q.question for q in questions], others, THRESHOLD)
    assert found == [], [(questions[i].id, others[j], round(cosine, 3)) for i, j, cosine in found]
