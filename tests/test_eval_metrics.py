"""Unit tests of the evaluation suite: metrics on hand-computed cases, gold matching, the
baseline chunk mapping, answer scoring on a hand-made Answer JSON, the judge report and
report writing.  No models and no store: everything here is fast."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from eval import metrics
from eval.answer_eval import (
    cited_texts,
    run_answers,
    score_answer,
    strip_markers,
    summarise,
)
from eval.baselines import PassageIndex, map_chunk
from eval.dataset import Evidence, GoldItem, GoldQuestion, load_corpus, with_stored_documents
from eval.fast_subset import check_thresholds, load_thresholds, select_fast_subset
from eval.report import markdown, write_report
from eval.retrieval_eval import (
    Anchor,
    Retrieved,
    compare_to_baselines,
    evaluate_system,
    evidence_spans,
    retrieved_from_passage,
)
from rag.answering.draft.copying import copied_words, copies_passage
from rag.types import Passage
from rag.verification.labels import LabelsError, load_labels

# --------------------------------------------------------------------------- helpers


def words_support(sentence: str, texts: list[str]) -> bool:
    """A toy judge: every word of the sentence occurs in the joined texts."""
    joined = set(" ".join(texts).split())
    return all(w in joined for w in sentence.split())


def passage(
    doc: str, start: int, end: int, article: str | None = None, paragraphs: tuple[str, ...] = (), pid: str = ""
) -> Passage:
    return Passage(
        id=pid or f"{doc}:{start}",
        doc_id=doc,
        doc_title=doc,
        text="x" * (end - start),
        start=start,
        end=end,
        context=doc,
        kind="article" if article else "paragraph",
        article=article,
        paragraphs=paragraphs,
    )


def question(
    qid: str, gold: list[GoldItem], tags: list[str] | None = None, answerable: bool = True, evidence=None, reference=""
) -> GoldQuestion:
    return GoldQuestion(
        id=qid,
        question=f"question {qid}",
        answerable=answerable,
        gold=gold,
        reference_answer=reference or "reference",
        evidence=evidence or [],
        tags=tags or ["un"],
    )


# --------------------------------------------------------------------------- gold matching


@pytest.mark.parametrize(
    ("passage_args", "gold", "expected"),
    [
        (("un", "24", ("2",)), ("un", "24", "2"), True),
        (("un", "24", ("1", "2")), ("un", "24", "3"), False),
        (("un", "24", ("1",)), ("un", None, None), True),  # document-only gold
        (("news", None, ()), ("news", None, None), True),
        (("un", "24", ("2",)), ("budapest", "24", "2"), False),  # other document
        (("un", "25", ("2",)), ("un", "24", "2"), False),  # other article
        (("un", "24", ("2",)), ("un", "24", None), True),  # article-level gold
        (("un", "13", ()), ("un", "13", "1"), True),  # passage without numbers covers the article
        (("un", "12", ()), ("un", "13", "1"), False),
        (("notes", None, ("2",)), ("notes", None, "2"), True),  # document-level paragraph
        (("notes", None, ("1",)), ("notes", None, "2"), False),
        (("res", None, ()), ("res", None, "4"), False),  # no article to cover
        (("un", "preamble", ()), ("un", "preamble", None), True),
    ],
)
def test_passage_matches_gold(passage_args, gold, expected):
    assert metrics.passage_matches_gold(*passage_args, *gold) is expected


# --------------------------------------------------------------------------- retrieval metrics


MATCHED = [set(), {0}, {0}, {1}]


def test_item_and_full_recall():
    assert metrics.item_recall_at_k(MATCHED, 3, 1) == 0.0
    assert metrics.item_recall_at_k(MATCHED, 3, 2) == pytest.approx(1 / 3)
    assert metrics.item_recall_at_k(MATCHED, 3, 4) == pytest.approx(2 / 3)
    assert metrics.full_recall_at_k(MATCHED, 3, 4) == 0.0
    assert metrics.full_recall_at_k(MATCHED, 2, 3) == 0.0
    assert metrics.full_recall_at_k(MATCHED, 2, 4) == 1.0
    with pytest.raises(ValueError):
        metrics.item_recall_at_k(MATCHED, 0, 5)


def test_reciprocal_rank():
    assert metrics.reciprocal_rank([set(), set(), {0}]) == pytest.approx(1 / 3)
    assert metrics.reciprocal_rank([set(), set(), {0}], k=2) == 0.0
    assert metrics.reciprocal_rank([]) == 0.0
    assert metrics.reciprocal_rank([{1}, {0}]) == 1.0


def test_ndcg_binary():
    # DCG = 1/log2(3) + 1/log2(5); IDCG for 2 gold entries = 1 + 1/log2(3).
    expected = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert metrics.ndcg_at_k(MATCHED, 2, 4) == pytest.approx(expected)
    assert metrics.ndcg_at_k(MATCHED, 2, 4) == pytest.approx(0.650921, abs=1e-6)
    assert metrics.ndcg_at_k([{0}, {1}], 2, 5) == pytest.approx(1.0)
    # A second passage of an already found gold entry earns nothing.
    assert metrics.ndcg_at_k([{0}, {0}], 2, 2) == pytest.approx(1 / (1 + 1 / math.log2(3)))
    assert metrics.ndcg_at_k([{0}, {0}], 1, 2) == pytest.approx(1.0)
    assert metrics.ndcg_at_k([set(), set()], 1, 2) == 0.0


def test_span_precision_recall():
    retrieved = [("a", 0, 10), ("a", 5, 15)]  # union 15 characters
    gold = [("a", 8, 20)]  # 12 characters, 7 of them retrieved
    precision, recall = metrics.span_precision_recall(retrieved, gold)
    assert precision == pytest.approx(7 / 15)
    assert recall == pytest.approx(7 / 12)
    assert metrics.span_precision_recall([("b", 8, 20)], gold) == (0.0, 0.0)
    assert metrics.span_precision_recall([], gold) == (0.0, 0.0)
    assert metrics.merge_spans([("a", 5, 9), ("a", 0, 5), ("b", 1, 2)]) == [("a", 0, 9), ("b", 1, 2)]


# --------------------------------------------------------------------------- answer metrics


def test_alce_citation_recall_and_precision():
    sentences = [
        ("alpha beta", ["alpha", "beta"]),  # jointly supported, both needed: 2 precise
        ("alpha", ["alpha", "gamma"]),  # supported; gamma neither supports nor is needed
        ("delta", ["gamma"]),  # unsupported: its citation is imprecise
        ("alpha", []),  # cites nothing: recall 0
    ]
    scores = metrics.alce_citation_scores(sentences, words_support)
    assert scores.recall == pytest.approx(2 / 4)
    assert scores.citations == 5
    assert scores.precision == pytest.approx(3 / 5)


def test_alce_redundant_but_each_sufficient_citations_are_precise():
    scores = metrics.alce_citation_scores([("alpha", ["alpha x", "alpha y"])], words_support)
    assert (scores.recall, scores.precision) == (1.0, 1.0)


def test_alce_invalid_citation_makes_sentence_unsupported():
    scores = metrics.alce_citation_scores([("alpha", ["alpha", None])], words_support)
    assert (scores.recall, scores.precision) == (0.0, 0.0)
    assert metrics.alce_citation_scores([], words_support).recall == 0.0


def test_faithfulness():
    assert metrics.faithfulness(["alpha", "delta"], ["alpha beta"], words_support) == 0.5
    assert metrics.faithfulness(["alpha"], [], words_support) == 0.0
    assert metrics.faithfulness([], ["alpha"], words_support) == 0.0


def test_refusal_scores():
    refused = [True, True, False, False, True]
    answerable = [False, True, True, False, False]
    scores = metrics.refusal_scores(refused, answerable)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.false_refusals == 1
    none = metrics.refusal_scores([False, False], [True, True])
    assert none.precision is None and none.recall is None


def test_token_f1_and_rouge_l():
    # Normalised: [cat, sat, on, mat] vs [cat, on, mat]: P = 3/4, R = 1.
    assert metrics.token_f1("The cat sat on the mat.", "a cat on a mat") == pytest.approx(6 / 7)
    assert metrics.token_f1("", "") == 1.0
    assert metrics.token_f1("dog", "cat") == 0.0
    assert metrics.lcs_length(["b", "a", "c", "d"], ["a", "b", "c", "d"]) == 3
    assert metrics.rouge_l_recall("y x z w", "x y z w") == pytest.approx(3 / 4)
    assert metrics.rouge_l_recall("x", "") == 0.0


def test_percentile_and_latency():
    assert metrics.percentile([4, 1, 3, 2], 50) == pytest.approx(2.5)
    assert metrics.percentile([1, 2, 3, 4], 95) == pytest.approx(3.85)
    assert metrics.percentile([7], 95) == 7
    with pytest.raises(ValueError):
        metrics.percentile([], 50)
    summary = metrics.latency_summary([0.1, 0.2, 0.3])
    assert summary["p50"] == pytest.approx(0.2) and summary["n"] == 3
    assert metrics.latency_summary([])["p95"] is None


def test_binary_scores_and_sweep():
    scores = metrics.binary_scores([True, True, False, False], [True, False, True, False])
    assert (scores.accuracy, scores.precision, scores.recall) == (0.5, 0.5, 0.5)
    sweep = dict(metrics.threshold_sweep([0.9, 0.6, 0.4, 0.1], [True, True, False, False], [0.5, 0.95]))
    assert sweep[0.5].accuracy == 1.0 and sweep[0.5].f1 == 1.0
    assert sweep[0.95].precision is None and sweep[0.95].recall == 0.0


# --------------------------------------------------------------------------- answer scoring


def fake_answer(refused: bool = False) -> dict:
    """A hand-made ``Answer.to_json()`` following the contract."""
    return {
        "answer": "alpha beta. [1] gamma. [2]",
        "refused": refused,
        "sentences": [
            {"text": "alpha beta.", "citations": [1], "supported": True, "score": 0.9},
            {"text": "gamma.", "citations": [2], "supported": True, "score": 0.7},
            {"text": "omega.", "citations": [1], "supported": False, "score": 0.2},  # hidden
        ],
        "citations": [
            {
                "n": 1,
                "doc": "un",
                "doc_title": "UN",
                "article": "7",
                "paragraph": "1",
                "start": 0,
                "end": 10,
                "quote": "alpha",
                "passage_id": "p1",
            },
            {
                "n": 2,
                "doc": "un",
                "doc_title": "UN",
                "article": "9",
                "paragraph": None,
                "start": 20,
                "end": 30,
                "quote": "gamma",
                "passage_id": "missing",
            },
        ],
        "timings": {"retrieval": 0.01, "generation": 0.02, "verification": 0.01, "total": 0.05},
        "passages": [
            {
                "id": "p1",
                "doc": "un",
                "article": "7",
                "paragraphs": ["1", "2"],
                "start": 0,
                "end": 10,
                "score": 1.0,
                "text": "alpha beta.",
                "label": "x",
                "supporting": False,
            },
            {
                "id": "p2",
                "doc": "un",
                "article": "8",
                "paragraphs": [],
                "start": 10,
                "end": 20,
                "score": 0.5,
                "text": "delta",
                "label": "y",
                "supporting": False,
            },
        ],
    }


def test_strip_markers_and_cited_texts():
    assert strip_markers("alpha beta [1, 2].") == "alpha beta."
    texts, fallbacks = cited_texts(fake_answer(), [1, 2, 3])
    assert texts == ["alpha beta.", "gamma", None]  # passage text, quote fallback, invalid
    assert fallbacks == 1


def test_score_answer_on_fake_answer():
    q = question("dev-001", [GoldItem("un", "7", "2")], reference="alpha beta gamma delta")
    record = score_answer(fake_answer(), q, words_support)
    assert record["sentences"] == 2  # the unsupported "omega." is not shown
    assert record["hidden_sentences"] == 1
    assert record["citations"] == 2
    assert record["self_supported"] == pytest.approx(2 / 3)
    assert record["cites_gold"] is True  # p1 holds paragraphs 1 and 2 of article 7
    assert record["quote_fallbacks"] == 1
    # [alpha, beta, gamma] vs [alpha, beta, gamma, delta]: P = 1, R = 3/4.
    assert record["token_f1"] == pytest.approx(6 / 7)
    assert record["rouge_l_recall"] == pytest.approx(3 / 4)
    refused = score_answer(fake_answer(refused=True), q, words_support)
    assert refused["token_f1"] == 0.0 and refused["citation_recall"] is None


def test_score_answer_citation_scores():
    def support(sentence, texts):
        return words_support(sentence.rstrip("."), [t.rstrip(".") for t in texts])

    q = question("dev-001", [GoldItem("un", "9")])
    record = score_answer(fake_answer(), q, support)
    assert record["citation_recall"] == 1.0  # "alpha beta" by p1, "gamma" by the quote
    assert record["citation_precision"] == 1.0
    assert record["faithfulness"] == 0.5  # "gamma" is not in the passages given
    assert record["cites_gold"] is True  # the citation of art. 9 (passage missing)


def test_run_answers_contract(tmp_path):
    class FakeAnswer:
        def __init__(self, data):
            self.data = data

        def to_json(self):
            return self.data

    class FakeEngine:
        def __init__(self):
            self.calls = []

        def ask(self, q, mode=None, k=None):
            self.calls.append((q, mode, k))
            if "boom" in q:
                raise RuntimeError("model failed")
            return FakeAnswer(fake_answer(refused="unanswerable" in q))

    questions = [
        question("dev-001", [GoldItem("un", "7")]),
        GoldQuestion("dev-002", "unanswerable thing", False, [], "no", [], ["unanswerable"]),
        GoldQuestion("dev-003", "boom", True, [GoldItem("un", "7")], "x", [], ["un"]),
    ]
    engine = FakeEngine()
    run = run_answers(engine, questions, words_support, mode="extractive")
    assert engine.calls[0] == ("question dev-001", "extractive", None)
    assert [e["id"] for e in run.errors] == ["dev-003"]
    run.write_jsonl(tmp_path / "answers.jsonl")
    lines = [json.loads(x) for x in (tmp_path / "answers.jsonl").read_text().splitlines()]
    assert [x["id"] for x in lines] == ["dev-001", "dev-002", "dev-003"]
    assert lines[0]["answer"]["sentences"][0]["citations"] == [1]
    assert lines[2]["answer"] is None and "model failed" in lines[2]["error"]
    summary = summarise(run.records)
    assert summary["refusal"]["precision"] == 1.0 and summary["refusal"]["recall"] == 1.0
    assert summary["latency"]["total"]["p50"] == pytest.approx(0.05)


def test_generative_answer_keeps_a_model_sentence_unless_it_fell_back_to_quotes():
    q = question("dev-001", [GoldItem("un", "7")])
    written = {**fake_answer(), "mode": "local", "notice": None}
    quoted = {**written, "notice": "The model's sentences could not be verified; the answer quotes them instead."}
    assert score_answer(written, q, words_support)["model_sentence_kept"] is True
    assert score_answer(quoted, q, words_support)["model_sentence_kept"] is False
    assert score_answer({**fake_answer(), "mode": "extractive"}, q, words_support)["model_sentence_kept"] is None
    records = [score_answer(a, q, words_support) for a in (written, quoted, {**written, "refused": True})]
    assert summarise(records)["model_sentence_kept"] == 0.5  # of the answered


def test_each_answer_is_appended_to_the_partial_file_as_it_comes(tmp_path):
    class Engine:
        def ask(self, q, mode=None, k=None):
            if "boom" in q:
                raise RuntimeError("stopped")
            return type("A", (), {"to_json": lambda self: fake_answer()})()

    questions = [question("dev-001", [GoldItem("un", "7")]), GoldQuestion("dev-002", "boom", True, [], "x", [], [])]
    partial = tmp_path / "answers.partial.jsonl"
    run_answers(Engine(), questions, words_support, partial=partial)
    lines = [json.loads(x) for x in partial.read_text().splitlines()]
    assert [x["id"] for x in lines] == ["dev-001"]
    assert lines[0]["record"] == run_answers(Engine(), questions[:1], words_support).records[0]


# --------------------------------------------------------------------------- baselines


def test_chunk_mapping_to_passages():
    index = PassageIndex(
        [
            passage("un", 0, 100, "1", ()),
            passage("un", 102, 300, "2", ("1",)),
            passage("un", 302, 500, "2", ("2", "3")),
            passage("other", 0, 900, "2", ("1",)),
        ]
    )
    chunk = map_chunk(index, "un", 250, 400)
    assert chunk.anchors == (Anchor("un", "2", ("1",)), Anchor("un", "2", ("2", "3")))
    assert chunk.matches(GoldItem("un", "2", "3"))
    assert chunk.matches(GoldItem("un", "2", "1"))
    assert not chunk.matches(GoldItem("un", "1"))
    assert not chunk.matches(GoldItem("other", "2", "1"))
    # Touching ends do not overlap: [100, 102) lies between two passages.
    assert map_chunk(index, "un", 100, 102).anchors == ()
    assert map_chunk(index, "un", 99, 103).anchors == (Anchor("un", "1"), Anchor("un", "2", ("1",)))
    assert map_chunk(index, "missing", 0, 10).anchors == ()


# --------------------------------------------------------------------------- evaluation + report


@pytest.fixture()
def tiny_corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "un.txt").write_text(
        "Title\n\nArticle 1\n\nPurpose\n\n1. The purpose is alpha beta gamma delta epsilon zeta.\n\n"
        "2. Another paragraph about eta theta.\n\nArticle 2\n\nScope\n\nThis applies to iota kappa.\n",
        encoding="utf-8",
    )
    return load_corpus(folder)


class FakeSystem:
    def __init__(self, name, ranking):
        self.name = name
        self.ranking = ranking

    def search(self, q, k):
        return self.ranking.get(q, [])[:k]


def test_evaluate_system_and_write_report(tmp_path, tiny_corpus):
    text = tiny_corpus["un"].text
    art1 = text.index("Article 1")
    art2 = text.index("Article 2")
    p1 = passage("un", art1, art2 - 2, "1", ("1", "2"), pid="un:1")
    p2 = passage("un", art2, len(text), "2", (), pid="un:2")
    quote = "The purpose is alpha beta gamma delta epsilon zeta."
    questions = [
        question("dev-001", [GoldItem("un", "1", "1")], tags=["un", "scope"], evidence=[Evidence("un", quote)]),
        question("dev-002", [GoldItem("un", "2"), GoldItem("un", "1")], tags=["un"]),
        GoldQuestion("dev-003", "no", False, [], "no", [], ["unanswerable"]),
    ]
    spans = evidence_spans(questions[0], tiny_corpus)
    assert spans == [("un", text.index(quote), text.index(quote) + len(quote))]
    product = FakeSystem(
        "product",
        {
            "question dev-001": [retrieved_from_passage(p2, 1.0), retrieved_from_passage(p1, 0.5)],
            "question dev-002": [retrieved_from_passage(p2, 1.0)],
        },
    )
    baseline = FakeSystem("bm25", {"question dev-001": [retrieved_from_passage(p1, 1.0)]})
    res = evaluate_system(product, questions, tiny_corpus, k=1, max_k=3)
    assert res.skipped_unanswerable == 1
    summary = res.summary()
    assert summary["item_recall@1"] == pytest.approx((0 + 0.5) / 2)
    assert summary["full_recall@1"] == 0.0
    assert summary["mrr@3"] == pytest.approx((0.5 + 1.0) / 2)
    assert summary["document_recall@1"] == 1.0
    assert res.curves()["item_recall"][:2] == [pytest.approx(0.25), pytest.approx(0.75)]
    assert [q.question.id for q in res.misses()] == ["dev-001", "dev-002"]
    assert res.by_tag()["scope"]["n"] == 1
    base = evaluate_system(baseline, questions, tiny_corpus, k=1, max_k=3)
    comparison = compare_to_baselines(res, [base])
    assert comparison["item_recall@1"]["ratio"] == pytest.approx(0.25 / 0.5)
    assert comparison["item_recall@1"]["best_baseline"] == "bm25"

    report = {
        "dataset": "tiny.jsonl",
        "generated_at": "now",
        "store": "mem",
        "k": 1,
        "max_k": 3,
        "retrieval": {"product": res.to_json(), "bm25": base.to_json()},
        "comparison": comparison,
    }
    written = write_report(report, tmp_path / "out")
    names = sorted(p.name for p in written)
    assert names == ["by_tag.png", "latency.png", "recall_at_k.png", "report.json", "report.md"]
    for png in ("by_tag.png", "latency.png", "recall_at_k.png"):
        assert (tmp_path / "out" / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (tmp_path / "out" / "report.md").read_text()
    assert "| product | 2 | 0.250 |" in md
    assert "**dev-001**" in md and "missing: un art. 1 para. 1" in md
    assert json.loads((tmp_path / "out" / "report.json").read_text())["retrieval"]["product"]["misses"] == [
        "dev-001",
        "dev-002",
    ]
    assert markdown(report) == md


def _local_answer(sentence: str, passage_text: str, notice: str | None = None) -> dict:
    """A local-mode answer of one supported ``sentence`` citing a passage of ``passage_text``."""
    answer = fake_answer()
    answer["passages"][0]["text"] = passage_text
    answer["sentences"] = [{"text": sentence + " [1]", "citations": [1], "supported": True, "score": 0.9}]
    return {**answer, "mode": "local", "notice": notice, "answer": sentence + " [1]"}


PRESERVATION = "Such preservation may last for a period of up to ninety days, and the order may be renewed."


@pytest.mark.parametrize(
    ("sentence", "notice", "statement"),
    [
        ("Data can be kept for as long as ninety days and the order renewed.", None, True),
        ("Yes.", None, False),  # verified, and says nothing
        ("Such preservation may last for a period of up to ninety days.", None, False),  # the passage copied
        ("Data can be kept for as long as ninety days and the order renewed.", "could not be verified", False),
    ],
)
def test_model_statement_is_a_verified_sentence_of_its_own_that_says_something(
    sentence: str, notice: str | None, statement: bool
) -> None:
    q = question("dev-001", [GoldItem("un", "7")])
    record = score_answer(_local_answer(sentence, PRESERVATION, notice), q, words_support)
    assert record["model_statement_kept"] is statement
    assert record["model_sentence_kept"] is (notice is None)


def test_copied_words_are_those_in_verbatim_runs_of_the_passage() -> None:
    assert copied_words("The order may be RENEWED, it says.", PRESERVATION) == 5
    assert copied_words("The order may go on.", PRESERVATION) == 0  # "the order may": a run too short
    assert copies_passage("the order may be renewed", [None, PRESERVATION])
    assert not copies_passage("the order may be renewed once a year by the court", [PRESERVATION])
    # Two places of the passage joined, as the prompt's "…" invites: still a copy.
    assert copies_passage("Such preservation may last … and the order may be renewed.", [PRESERVATION])


def test_answers_section_in_markdown():
    records = [score_answer(fake_answer(), question("dev-001", [GoldItem("un", "7")]), words_support)]
    report = {"k": 5, "max_k": 10, "answers": {"mode": "extractive", "summary": summarise(records), "errors": []}}
    md = markdown(report)
    assert "ALCE citation recall" in md and "Mode: `extractive`" in md


# --------------------------------------------------------------------------- judge eval


def test_judge_labels_missing_file_fails_clearly(tmp_path, capsys):
    from eval.__main__ import main

    missing = tmp_path / "support_pairs.jsonl"
    with pytest.raises(LabelsError, match="does not exist"):
        load_labels(missing)
    assert main(["judge", "--labels", str(missing), "--out", str(tmp_path / "out")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_judge_labels_malformed(tmp_path):
    path = tmp_path / "labels.jsonl"
    path.write_text('{"sentence": "a", "passage_text": "b", "supported": "yes"}\n')
    with pytest.raises(LabelsError, match="true or false"):
        load_labels(path)


# --------------------------------------------------------------------------- fast subset


def test_fast_subset_is_deterministic_and_proportional():
    from eval.fast_subset import dev_questions

    questions = dev_questions()
    first = select_fast_subset(questions)
    assert [q.id for q in first] == [q.id for q in select_fast_subset(list(reversed(questions)))]
    assert len(first) == 30
    assert all(q.answerable and q.gold for q in first)
    families = {q.tags[0] for q in questions if q.answerable}
    assert {q.tags[0] for q in first} == families  # every family is represented
    un = sum(1 for q in first if q.tags[0] == "un")
    assert 15 <= un <= 21  # about 62% of the answerable dev questions are "un"


def test_thresholds_file_and_check():
    thresholds = load_thresholds()
    assert {"item_recall@5", "full_recall@5", "mrr@10", "ndcg@5"} <= set(thresholds)
    assert all(0 < v <= 1 for v in thresholds.values())
    assert check_thresholds({"item_recall@5": 0.5}, {"item_recall@5": 0.6}) == [
        "item_recall@5: 0.500 < threshold 0.600"
    ]
    assert check_thresholds({"item_recall@5": 0.7}, {"item_recall@5": 0.6}) == []
    assert "not measured" in check_thresholds({}, {"ndcg@5": 0.1})[0]


def test_retrieved_to_json_roundtrip():
    r = Retrieved("id", "un", 0, 5, 0.5, "label", (Anchor("un", "1", ("2",)),))
    assert r.to_json()["anchors"] == ["art. 1(2)"]


def test_dataset_paths_exist():
    from eval.dataset import default_dataset_files

    assert all(Path(p).is_file() for p in default_dataset_files())


def test_an_uploads_evidence_is_placed_in_its_text_rebuilt_from_the_stored_passages(tiny_corpus):
    act = "ACT\n\nSection 13. Preservation. Data shall be preserved for six (6) months.\n\nSection 14. Disclosure."
    cut = act.index("Section 14")
    stored = [
        Passage("act:0", "act", "Act", act[: cut - 2], 0, cut - 2, "Act", "article", article="13"),
        Passage("act:1", "act", "Act", act[cut:], cut, len(act), "Act", "article", article="14"),
        Passage("un:0", "un", "UN", "x" * 5, 0, 5, "UN", "article", article="1"),
    ]
    quote = "shall be preserved for six (6) months"
    asked = question("dev-941", [GoldItem("act", "13")], evidence=[Evidence("act", quote)])
    assert evidence_spans(asked, tiny_corpus) == []
    corpus = with_stored_documents(tiny_corpus, stored)
    assert evidence_spans(asked, corpus) == [("act", act.index(quote), act.index(quote) + len(quote))]
    assert corpus["un"] is tiny_corpus["un"]  # a corpus document keeps its file's text


def test_evaluate_systems_interleaves_per_question(tiny_corpus):
    from eval.retrieval_eval import evaluate_systems

    calls = []

    class Recording(FakeSystem):
        def search(self, q, k):
            calls.append((self.name, q))
            return super().search(q, k)

    p1 = passage("un", 0, 10, "1", (), pid="un:1")
    questions = [question("dev-001", [GoldItem("un", "1")]), question("dev-002", [GoldItem("un", "2")])]
    systems = [Recording("a", {"question dev-001": [retrieved_from_passage(p1, 1.0)]}), Recording("b", {})]
    results = evaluate_systems(systems, questions, tiny_corpus, k=1, max_k=2, warmup=False)
    assert calls == [
        ("a", "question dev-001"),
        ("b", "question dev-001"),
        ("a", "question dev-002"),
        ("b", "question dev-002"),
    ]
    assert [r.name for r in results] == ["a", "b"]
    assert results[0].summary()["item_recall@1"] == 0.5 and results[1].summary()["item_recall@1"] == 0.0


def _opening_with(text: str) -> dict:
    answer = fake_answer()
    answer["answer"] = answer["answer"].replace("alpha beta.", text)
    answer["sentences"][0]["text"] = text
    return answer


def test_a_false_premise_is_corrected_from_gold_when_the_no_sentence_cites_a_gold_provision():
    on_gold = replace(question("dev-001", [GoldItem("un", "7", None)]), premise="a wrong claim")
    elsewhere = replace(question("dev-002", [GoldItem("un", "9", None)]), premise="a wrong claim")
    no = _opening_with("No, alpha beta.")
    assert score_answer(no, on_gold, words_support)["premise_corrected_from_gold"] is True
    # Article 9 is cited by the second sentence only: the correction quoted another provision.
    record = score_answer(no, elsewhere, words_support)
    assert record["premise_corrected"] is True and record["premise_corrected_from_gold"] is False


def test_a_no_opening_an_answer_to_a_question_without_a_false_premise_is_counted():
    q = question("dev-003", [GoldItem("un", "7", None)])
    records = [
        score_answer(_opening_with("No, alpha beta."), q, words_support),
        score_answer(fake_answer(), q, words_support),
    ]
    assert [r["no_without_premise"] for r in records] == [True, False]
    assert summarise(records)["no_without_premise"] == 1


def test_a_first_sentence_that_only_begins_with_the_letters_no_is_no_no():
    q = question("dev-003", [GoldItem("un", "7", None)])
    records = [
        score_answer(_opening_with(f"{start} alpha beta."), q, words_support) for start in ("Nothing in", "None of")
    ]
    assert [r["no_without_premise"] for r in records] == [False, False]
