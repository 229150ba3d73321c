"""Checks on uploads-test2 and uploads-test3, the second and third test sets of questions on the two
user-document fixtures.

Structure only, as for the real-question sets: the file is read and checked against the corpus and
against the two uploads parsed the way ingestion parses them (sections of the Philippine act and
articles of Convention 108 become ``article`` numbers); nothing is retrieved or answered, so running
these tests measures nothing on the test set.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from eval.dataset import (
    RECORD_FIELDS,
    CorpusDoc,
    Evidence,
    GoldItem,
    GoldQuestion,
    default_corpus_dir,
    lexical_overlap,
    load_corpus,
    load_questions,
    validate_questions,
)
from rag.loaders import load_document
from rag.structure import parse_document

DATASETS = Path(__file__).resolve().parents[1] / "eval" / "datasets"
#: Each test set on the uploads, by the prefix of its ids.
UPLOAD_TEST_SETS = {"up2": DATASETS / "uploads-test2.jsonl", "up3": DATASETS / "uploads-test3.jsonl"}
USER_DOCUMENTS = Path(__file__).resolve().parent / "fixtures" / "user-documents"
PHILIPPINES = "philippines-cybercrime-prevention-act-2012"
CONVENTION_108 = "coe-convention-108-data-protection-1981"
UN = "un-cybercrime-convention-2024"
#: The tag each question carries for the upload it is about.
UPLOAD_OF_TAG = {"philippines": PHILIPPINES, "convention-108": CONVENTION_108}
CORPUS_DIR = default_corpus_dir()
#: Share of one question's content words found in another at which the two count as copies.
NEAR_COPY_OVERLAP = 0.8

pytestmark = pytest.mark.skipif(not (CORPUS_DIR / f"{UN}.txt").is_file(), reason=f"corpus not found at {CORPUS_DIR}")


def parsed_upload(path: Path) -> CorpusDoc:
    """An upload as the validator sees a corpus file: its text and the spans of its articles or
    sections, as ``rag.structure`` finds them at ingestion."""
    source = load_document(path, max_bytes=10_000_000, max_pages=1_000)
    units = parse_document(source.text).units
    articles = {u.article: (u.start, u.end) for u in units if u.kind == "article" and u.article}
    preamble = next(((u.start, u.end) for u in units if u.kind == "preamble"), None)
    return CorpusDoc(source.doc_id, source.text, articles, preamble)


@pytest.fixture(scope="module")
def corpus() -> dict[str, CorpusDoc]:
    uploads = [parsed_upload(path) for path in sorted(USER_DOCUMENTS.iterdir()) if path.suffix in {".txt", ".md"}]
    return load_corpus(CORPUS_DIR) | {doc.doc_id: doc for doc in uploads}


@pytest.fixture(scope="module", params=sorted(UPLOAD_TEST_SETS))
def split(request: pytest.FixtureRequest) -> str:
    """The id prefix of one test set on the uploads; each test taking it runs once per set."""
    return str(request.param)


@pytest.fixture(scope="module")
def questions(split: str) -> list[GoldQuestion]:
    return load_questions(UPLOAD_TEST_SETS[split])


def upload_of(question: GoldQuestion) -> str:
    """The upload a question is about, from its tag."""
    (upload,) = {UPLOAD_OF_TAG[tag] for tag in question.tags if tag in UPLOAD_OF_TAG}
    return upload


def test_the_uploads_parse_into_the_sections_and_articles_the_gold_names(corpus):
    assert sorted(corpus[PHILIPPINES].articles, key=int) == [str(n) for n in range(1, 32)]
    assert sorted(corpus[CONVENTION_108].articles, key=int) == [str(n) for n in range(1, 28)]


def test_a_quote_outside_its_gold_section_of_an_upload_is_reported(corpus):
    # A quote from section 8 (penalties) given as evidence for section 4 (offences).
    misplaced = GoldQuestion(
        "up2-900",
        "What is the fine for cybersex?",
        True,
        [GoldItem(PHILIPPINES, "4")],
        "Section 8.",
        [Evidence(PHILIPPINES, "but not exceeding One million pesos (PhPl,000,000.00) or both")],
        ["upload", "philippines"],
    )
    assert validate_questions([misplaced], corpus) == [
        f"up2-900: no evidence quote lies inside gold {PHILIPPINES} article 4"
    ]


def test_ids_are_numbered_with_the_sets_prefix_in_file_order(split, questions):
    assert [q.id for q in questions] == [f"{split}-{n:03d}" for n in range(1, len(questions) + 1)]


def test_records_have_exactly_the_documented_fields(split):
    for line in UPLOAD_TEST_SETS[split].read_text(encoding="utf-8").splitlines():
        if line.strip():
            assert set(json.loads(line)) == RECORD_FIELDS


def test_each_set_validates_against_the_corpus_and_the_parsed_uploads(questions, corpus):
    # Every gold section or article exists in the upload as parsed, and every quote is exact and inside it.
    problems = validate_questions(questions, corpus)
    assert problems == [], "\n".join(problems)


def test_each_upload_has_ten_answerable_and_two_unanswerable_questions(questions):
    counts = Counter((upload_of(q), q.answerable) for q in questions)
    assert counts == {
        (PHILIPPINES, True): 10,
        (PHILIPPINES, False): 2,
        (CONVENTION_108, True): 10,
        (CONVENTION_108, False): 2,
    }


def test_answerable_questions_rest_on_their_upload_and_only_comparisons_on_the_un_convention(questions):
    for q in questions:
        if not q.answerable:
            continue
        expected = {upload_of(q), UN} if "compare" in q.tags else {upload_of(q)}
        assert {g.doc for g in q.gold} == expected, q.id


def test_each_upload_has_comparisons_with_the_un_convention(questions):
    assert Counter(upload_of(q) for q in questions if "compare" in q.tags) == {PHILIPPINES: 2, CONVENTION_108: 2}


def _questions_of_every_other_file(own: Path) -> list[str]:
    """The question of every record of every file of eval/datasets but ``own`` (gold, real, uploads, training)."""
    files = [f for f in sorted(DATASETS.glob("*.jsonl")) if f != own]
    lines = [line for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [str(json.loads(line)["question"]) for line in lines]


def test_questions_share_few_words_with_any_other_set(split, questions):
    # One direction, as for real-test3: a short question elsewhere may sit wholly inside a longer new one.
    others = _questions_of_every_other_file(UPLOAD_TEST_SETS[split])
    for q in questions:
        closest = max(others, key=lambda other: lexical_overlap(q.question, other))
        assert lexical_overlap(q.question, closest) < NEAR_COPY_OVERLAP, (q.id, closest)


@pytest.mark.slow
def test_questions_are_no_embedding_near_copies_of_any_other_set(split, questions):
    # The measure eval.dedup_training applies to the training files: MiniLM cosine below 0.8 to every
    # question of every other file of eval/datasets (several thousand, so this embeds for a minute or more).
    from eval.dedup_training import THRESHOLD, near_copies

    others = _questions_of_every_other_file(UPLOAD_TEST_SETS[split])
    found = near_copies([q.question for q in questions], others, THRESHOLD)
    assert found == [], [(questions[i].id, others[j], round(cosine, 3)) for i, j, cosine in found]
