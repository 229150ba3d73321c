"""A question not about one article gets several provisions in its top k."""

from __future__ import annotations

import pytest

from rag.retrieval import CorpusView, Retriever, _fuse_rankings, _spread_over_articles, asks_broadly, aspects_of
from rag.types import Passage

UN = "un-cybercrime-convention-2024"


def passage(article: str, paragraph: str) -> Passage:
    return Passage(
        id=f"{UN}:{article}:{paragraph}", doc_id=UN, doc_title="UN", text="text", start=0, end=4, context="",
        kind="paragraph", article=article, paragraphs=(paragraph,),
    )  # fmt: skip


# Five paragraphs of article 40 rank first, then articles 6, 24 and 37.
RANKED = [passage("40", str(p)) for p in range(1, 6)] + [passage("6", "2"), passage("24", "1"), passage("37", "15")]
VIEW = CorpusView("signature", {}, {p.id: p for p in RANKED}, keyword=None)  # type: ignore[arg-type]


def articles_in_top(per_article: int, k: int = 5) -> list[str]:
    fused = [(p.id, 1.0, "hybrid") for p in RANKED]
    return [VIEW.passages[pid].article or "" for pid, _, _ in _spread_over_articles(VIEW, fused, k, per_article)[:k]]


def test_at_most_two_passages_of_one_article_in_the_top_k() -> None:
    assert articles_in_top(per_article=2) == ["40", "40", "6", "24", "37"]


def test_a_broad_question_gets_one_passage_per_article_and_the_rest_follow() -> None:
    top = articles_in_top(per_article=1, k=4)
    assert top == ["40", "6", "24", "37"]
    fused = [(p.id, 1.0, "hybrid") for p in RANKED]
    assert len(_spread_over_articles(VIEW, fused, 4, 1)) == len(RANKED)  # nothing is lost, only moved


def test_could_it_be_used_questions_are_broad_and_a_question_about_one_term_is_not() -> None:
    assert asks_broadly("Could a government use this treaty against journalists?")
    assert asks_broadly("Could the convention be used to spy on political opponents abroad?")
    assert not asks_broadly("How does the treaty define serious crime?")


@pytest.mark.parametrize(
    "question",
    [
        "Could a teenager who sends a nude selfie be prosecuted under the treaty?",
        "Could journalists get arrested for their reporting under this convention?",
        "Could the treaty help a country recover stolen funds held abroad?",
        "What obligations would the convention put on internet service providers?",
    ],
)
def test_could_someone_be_prosecuted_or_what_obligations_it_imposes_are_broad(question: str) -> None:
    assert asks_broadly(question)


@pytest.mark.parametrize(
    "question",
    [
        "Could a request for assistance be refused on the ground of bank secrecy by the requested State?",
        "Could the data be seized as evidence?",
        "What does article 24 say about judicial review?",
        "Could the police help?",
    ],
)
def test_a_question_about_one_rule_is_not_broad(question: str) -> None:
    assert not asks_broadly(question)


@pytest.mark.slow
def test_a_broad_question_gets_three_articles_in_the_top_five_on_the_corpus(corpus_store) -> None:
    found = Retriever(corpus_store.settings, corpus_store.store).search(
        "Could a government use this treaty against journalists?", 5
    )
    articles = {(r.passage.doc_id, r.passage.article) for r in found if not r.supporting}
    assert len(articles) >= 3


def test_a_broad_question_gets_one_passage_of_a_document_without_articles() -> None:
    news = [
        Passage(id=f"news:{n}", doc_id="news", doc_title="News", text="t", start=0, end=1, context="", kind="news")
        for n in range(3)
    ]
    view = CorpusView("signature", {}, {p.id: p for p in [*news, *RANKED]}, keyword=None)  # type: ignore[arg-type]
    fused = [(p.id, 1.0, "hybrid") for p in [*news, *RANKED]]
    top = [pid for pid, _, _ in _spread_over_articles(view, fused, 3, per_article=1)[:3]]
    assert top == ["news:0", RANKED[0].id, RANKED[5].id]
    assert [pid for pid, _, _ in _spread_over_articles(view, fused, 3, per_article=2)[:3]] == [p.id for p in news]


def test_a_broad_questions_top_k_holds_articles_before_passages_outside_any() -> None:
    outside = [
        Passage(id="news:0", doc_id="news", doc_title="News", text="t", start=0, end=1, context="", kind="news"),
        Passage(id=f"{UN}:preamble", doc_id=UN, doc_title="UN", text="t", start=0, end=1, context="", kind="preamble"),
    ]
    view = CorpusView("signature", {}, {p.id: p for p in [*outside, *RANKED]}, keyword=None)  # type: ignore[arg-type]
    fused = [(p.id, 1.0, "hybrid") for p in [*outside, *RANKED]]
    spread = [pid for pid, _, _ in _spread_over_articles(view, fused, 3, per_article=1, articles_first=True)]
    assert spread[:5] == [RANKED[0].id, RANKED[5].id, RANKED[6].id, "news:0", f"{UN}:preamble"]
    assert sorted(spread) == sorted(fused_id for fused_id, _, _ in fused)  # nothing is lost, only moved


@pytest.mark.parametrize(
    ("question", "wording"),
    [
        ("Could the convention be used to make internet companies take content down?", "render inaccessible"),
        ("Could a government use this treaty against journalists?", "conditions and safeguards"),
        ("Can my country get evidence for a crime that isn't cybercrime, like drug trafficking?", "serious crime"),
        ("Could officials use the convention against bloggers who criticise them?", "respect for human rights"),
        ("Could the treaty help a victim recover stolen bitcoin?", "virtual assets"),
        ("Could a security researcher be jailed for a pentest of a bank?", "authorized testing"),
    ],
)
def test_a_broad_questions_plain_words_bring_the_treaty_wording_of_its_aspects(question: str, wording: str) -> None:
    assert any(wording in aspect for aspect in aspects_of(question))


def test_each_plain_term_of_a_broad_question_is_an_aspect_searched_on_its_own() -> None:
    aspects = aspects_of("Could a government use this treaty against journalists and to surveil them?")
    assert any("political opinions" in aspect for aspect in aspects)  # the grounds for refusing assistance
    assert any("safeguards" in aspect for aspect in aspects)  # surveillance: the conditions and safeguards
    assert aspects_of("Could the treaty be used against us?") == []


def test_an_aspects_ranking_lifts_a_passage_the_question_alone_ranks_low() -> None:
    question = [(p.id, 1.0, "hybrid") for p in RANKED]  # article 37 last
    aspect = [(RANKED[-1].id, 1.0, "hybrid"), (RANKED[0].id, 1.0, "hybrid")]
    fused = [pid for pid, _, _ in _fuse_rankings([(question, 1.0), (aspect, 0.5)])]
    assert fused[0] == RANKED[0].id  # first for the question and second for the aspect
    assert fused.index(RANKED[-1].id) < len(RANKED) - 1
    assert sorted(fused) == sorted(p.id for p in RANKED)


@pytest.mark.parametrize(
    "question",
    [
        "Would the convention help a city council whose payroll was hit by ransomware?",
        "Does this treaty do anything for shop owners whose card data was stolen?",
        "What does the UN convention offer to victims of online stalking?",
        "What does the treaty expect from app stores and banks?",
        "What limits does the convention set on collecting location data?",
        "Is there any role for universities under the treaty?",
        "What in the treaty stops police from keeping seized data forever?",
        "Give me the full list of what a country must notify to the Secretary-General.",
        "Could prosecutors rely on the convention to get bank records in a bribery case?",
        "What can a court make an internet café do under the treaty?",
    ],
)
def test_what_the_treaty_could_do_for_someone_or_what_limits_a_power_is_broad(question: str) -> None:
    assert asks_broadly(question)


@pytest.mark.parametrize(
    "question",
    [
        "Does the convention require a State to keep preserved data for ninety days?",
        "Does the UN treaty let countries set up joint investigation teams?",
        "On what grounds may a State refuse a request for mutual legal assistance?",
        "What does the convention say about the statute of limitations?",
    ],
)
def test_a_yes_or_no_question_about_one_rule_is_not_broad(question: str) -> None:
    assert not asks_broadly(question)
