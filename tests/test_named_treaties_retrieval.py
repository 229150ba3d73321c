"""A question naming two treaties gets a passage of each near the top, whether or not it compares them."""

from __future__ import annotations

from rag.documents import builtin_registry
from rag.references import read_query
from rag.retrieval import CorpusView, _each_document_near_the_top, _sources_named
from rag.types import Passage

UN = "un-cybercrime-convention-2024"
BUDAPEST = "budapest-convention-ets185"
RESOLUTION = "un-ga-resolution-79-243"
NEWS = "news-us-support-un-cybercrime-convention"


def passage(doc: str, article: str) -> Passage:
    return Passage(
        id=f"{doc}:{article}", doc_id=doc, doc_title=doc, text="text", start=0, end=4, context="",
        kind="paragraph", article=article,
    )  # fmt: skip


# Budapest's passages rank first; the UN convention's best passage is sixth.
RANKED = [passage(BUDAPEST, str(n)) for n in (24, 25, 26, 27, 13)] + [passage(UN, "37"), passage(UN, "40")]
VIEW = CorpusView("signature", {}, {p.id: p for p in RANKED}, keyword=None)  # type: ignore[arg-type]


def near_the_top(ranked: list[Passage], docs: list[str], k: int = 5) -> list[str]:
    fused = [(p.id, 1.0, "hybrid") for p in ranked]
    return [pid for pid, _, _ in _each_document_near_the_top(VIEW, fused, docs, k)]


def test_the_best_passage_of_a_named_treaty_missing_from_the_first_places_is_lifted_into_them() -> None:
    order = near_the_top(RANKED, [BUDAPEST, UN])
    assert order[:3] == [f"{BUDAPEST}:24", f"{BUDAPEST}:25", f"{UN}:37"]
    assert order[3:5] == [f"{BUDAPEST}:26", f"{BUDAPEST}:27"]  # the displaced passage follows
    assert sorted(order) == sorted(p.id for p in RANKED)  # nothing is lost, only moved


def test_a_ranking_that_already_holds_each_named_treaty_near_the_top_is_kept() -> None:
    ranked = [RANKED[0], RANKED[5], *RANKED[1:5], RANKED[6]]
    assert near_the_top(ranked, [BUDAPEST, UN]) == [p.id for p in ranked]


def test_a_small_k_still_holds_each_named_treaty() -> None:
    assert near_the_top(RANKED, [BUDAPEST, UN], k=2) == [
        f"{BUDAPEST}:24",
        f"{UN}:37",
        *[p.id for p in RANKED[1:5]],
        f"{UN}:40",
    ]


def test_two_sources_named_without_comparison_words_count_and_a_resolution_does_not() -> None:
    registry = builtin_registry()
    known = set(registry.entries)
    scope = {UN, BUDAPEST, RESOLUTION}
    both = read_query(
        "Budapest requires one year for extradition. What threshold does the UN treaty use?", known, registry
    )
    assert not both.is_comparison
    assert sorted(_sources_named(VIEW, both, scope)) == sorted([BUDAPEST, UN])
    adopted = read_query("When does the convention adopted by resolution 79/243 enter into force?", known, registry)
    assert _sources_named(VIEW, adopted, scope) == []
    one = read_query("What threshold does the UN treaty use for extradition?", known, registry)
    assert _sources_named(VIEW, one, scope) == []


def test_a_news_report_named_beside_a_treaty_counts_as_a_source_asked_about() -> None:
    registry = builtin_registry()
    reading = read_query(
        "Is the US expected to ratify the UN cybercrime treaty, according to the news report?", set(registry.entries)
    )
    assert sorted(_sources_named(VIEW, reading, {UN, NEWS, RESOLUTION})) == sorted([UN, NEWS])
