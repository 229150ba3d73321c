"""Checks on the gold evaluation question sets (eval/datasets/gold-*.jsonl).

Fast: only the standard library and the plain-text corpus are read; no models.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.dataset import (
    GoldQuestion,
    default_corpus_dir,
    default_dataset_files,
    lexical_overlap,
    load_corpus,
    load_questions,
    validate_questions,
)

CORPUS_DIR = default_corpus_dir()
DEV, TEST = default_dataset_files()
UN = "un-cybercrime-convention-2024"

pytestmark = pytest.mark.skipif(not (CORPUS_DIR / f"{UN}.txt").is_file(), reason=f"corpus not found at {CORPUS_DIR}")


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(CORPUS_DIR)


@pytest.fixture(scope="module")
def dev() -> list[GoldQuestion]:
    return load_questions(DEV)


@pytest.fixture(scope="module")
def test_split() -> list[GoldQuestion]:
    return load_questions(TEST)


@pytest.fixture(scope="module")
def all_questions(dev, test_split) -> list[GoldQuestion]:
    return [*dev, *test_split]


# --------------------------------------------------------------------------- real files


def test_gold_files_validate_without_problems(all_questions, corpus):
    problems = validate_questions(all_questions, corpus)
    assert problems == [], "\n".join(problems)


def test_records_have_exactly_the_documented_fields():
    expected = {"id", "question", "answerable", "gold", "reference_answer", "evidence", "tags"}
    for path in (DEV, TEST):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                assert set(json.loads(line)) == expected


def test_size_and_unanswerable_count(all_questions):
    assert len(all_questions) >= 150
    assert sum(not q.answerable for q in all_questions) >= 25


def test_every_un_chapter_is_covered(all_questions):
    tags = {t for q in all_questions for t in q.tags}
    missing = [f"un-ch{i}" for i in range(1, 10) if f"un-ch{i}" not in tags]
    assert not missing


def test_required_question_kinds_are_present(all_questions):
    counts: dict[str, int] = {}
    for q in all_questions:
        if not q.answerable:
            continue
        for t in q.tags:
            counts[t] = counts.get(t, 0) + 1
    for tag in ("multi-article", "notes", "resolution", "news", "budapest", "protocol-ets189"):
        assert counts.get(tag, 0) > 0, tag
    assert counts.get("comparison", 0) >= 12
    assert counts.get("untoc", 0) + counts.get("uncac", 0) >= 10


def test_multi_article_questions_list_each_article(all_questions):
    for q in all_questions:
        if "multi-article" in q.tags:
            assert len(q.gold) >= 2, q.id


def test_splits_non_empty_disjoint_and_share_every_kind(dev, test_split):
    assert dev and test_split
    dev_ids = {q.id for q in dev}
    test_ids = {q.id for q in test_split}
    assert not dev_ids & test_ids
    assert all(i.startswith("dev-") for i in dev_ids)
    assert all(i.startswith("test-") for i in test_ids)
    dev_tags = {t for q in dev for t in q.tags}
    test_tags = {t for q in test_split for t in q.tags}
    assert dev_tags == test_tags
    assert 0.4 <= len(dev) / (len(dev) + len(test_split)) <= 0.6


def test_unqualified_un_questions_never_cite_untoc_or_uncac(all_questions):
    """A question that names no other treaty is about the UN convention."""
    other_names = ("organized crime", "organised crime", "untoc", "palermo", "corruption", "uncac")
    for q in all_questions:
        cites_other = any(g.doc in ("untoc-2000", "uncac-2003") for g in q.gold)
        if cites_other:
            assert any(n in q.question.lower() for n in other_names), q.id


# --------------------------------------------------------------------------- negative tests


def _good_record() -> GoldQuestion:
    return GoldQuestion(
        id="dev-900",
        question="Is hacking a crime under the new UN treaty?",
        answerable=True,
        gold=[],
        reference_answer="Yes, art. 7.",
        evidence=[],
        tags=["un", "un-ch2"],
    )


def _with(**changes) -> GoldQuestion:
    from eval.dataset import Evidence, GoldItem

    q = _good_record()
    q.gold = [GoldItem(UN, "7", "1")]
    q.evidence = [
        Evidence(
            UN,
            "the access to the whole or any part of an information and communications technology system without right",
        )
    ]
    for k, v in changes.items():
        setattr(q, k, v)
    return q


def test_fabricated_good_record_passes(corpus):
    assert validate_questions([_with()], corpus) == []


def test_quote_not_in_document_is_reported(corpus):
    from eval.dataset import Evidence

    fake = "Each State Party shall criminalize all unauthorised use of social media platforms."
    bad = _with(evidence=[Evidence(UN, fake)])
    problems = validate_questions([bad], corpus)
    assert any("quote not found" in p for p in problems)


def test_nonexistent_article_is_reported(corpus):
    from eval.dataset import GoldItem

    bad = _with(gold=[GoldItem(UN, "99")])
    problems = validate_questions([bad], corpus)
    assert any("article 99 does not exist" in p for p in problems)


def test_nonexistent_paragraph_is_reported(corpus):
    from eval.dataset import GoldItem

    bad = _with(gold=[GoldItem(UN, "7", "5")])
    problems = validate_questions([bad], corpus)
    assert any("paragraph 5 does not exist" in p for p in problems)


def test_id_outside_the_known_splits_is_reported(corpus):
    assert validate_questions([_with(id="t2-900")], corpus) == []
    assert validate_questions([_with(id="t3-900")], corpus) == []
    assert validate_questions([_with(id="t4-900")], corpus) == []
    assert validate_questions([_with(id="t5-900")], corpus) == []
    assert validate_questions([_with(id="up2-900")], corpus) == []
    assert validate_questions([_with(id="up3-900")], corpus) == []
    problems = validate_questions([_with(id="up4-900")], corpus)
    assert any("id must look like" in p for p in problems)
    problems = validate_questions([_with(id="holdout-900")], corpus)
    assert any("id must look like" in p for p in problems)


def test_duplicate_id_is_reported(corpus):
    problems = validate_questions([_with(), _with()], corpus)
    assert any("duplicate id" in p for p in problems)


def test_notes_headings_are_not_articles(corpus):
    from eval.dataset import Evidence, GoldItem

    notes = "un-cybercrime-convention-2024-interpretative-notes"
    quote = "States parties are not obliged to reproduce verbatim in their domestic laws"
    ok = _with(gold=[GoldItem(notes, None, "2")], evidence=[Evidence(notes, quote)])
    assert validate_questions([ok], corpus) == []
    bad = _with(gold=[GoldItem(notes, "2", "2")], evidence=[Evidence(notes, quote)])
    assert any("has no articles" in p for p in validate_questions([bad], corpus))


def test_quote_outside_gold_paragraph_is_reported(corpus):
    from eval.dataset import GoldItem

    bad = _with(gold=[GoldItem(UN, "8", "1")])
    problems = validate_questions([bad], corpus)
    assert any("no evidence quote lies inside" in p for p in problems)


def test_unanswerable_with_gold_is_reported(corpus):
    bad = _with(answerable=False, tags=["unanswerable"])
    problems = validate_questions([bad], corpus)
    assert any("must have empty gold" in p for p in problems)
    assert any("must have empty evidence" in p for p in problems)


def test_answerable_without_gold_or_evidence_is_reported(corpus):
    bad = _with(gold=[], evidence=[])
    problems = validate_questions([bad], corpus)
    assert any("has no gold" in p for p in problems)
    assert any("has no evidence" in p for p in problems)


def test_schema_problems_are_reported(tmp_path: Path, corpus):
    record = {
        "id": "dev-901",
        "question": "What is art. 7?",
        "answerable": "yes",
        "gold": [{"doc": UN, "article": 7}],
        "reference_answer": "x",
        "evidence": [],
        "tags": ["un"],
        "extra": 1,
    }
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    problems = validate_questions(load_questions(path), corpus)
    joined = "\n".join(problems)
    assert "unexpected fields ['extra']" in joined
    assert "'answerable' must be a boolean" in joined
    assert "gold[0].article must be a string" in joined


# --------------------------------------------------------------------------- overlap


def test_lexical_overlap():
    assert lexical_overlap("Is hacking a crime?", "hacking is a crime here") == 1.0
    assert lexical_overlap("Is hacking a crime?", "nothing relevant") == 0.0
    assert lexical_overlap("the and of", "anything") == 0.0
    assert lexical_overlap("Hacking, wiretapping", "wiretapping only") == 0.5
