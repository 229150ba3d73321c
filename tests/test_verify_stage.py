"""The verify stage: which passage decides a sentence that several retrieved passages bear on."""

from __future__ import annotations

from rag.answering.draft.types import DraftSentence
from rag.answering.verify.checks import check_sentences
from rag.types import Passage, ScoredPassage
from rag.verification.paragraphs import paragraph_around

UN = "un-cybercrime-convention-2024"
HUMAN_RIGHTS = (
    "1. States Parties shall ensure that the implementation of their obligations under this Convention is "
    "consistent with their obligations under international human rights law."
)
EFFECTS = (
    "1. If two or more States Parties have already concluded an agreement or treaty on the matters dealt with in "
    "this Convention or have otherwise established their relations on such matters, or should they in future do so, "
    "they shall also be entitled to apply that agreement or treaty or to regulate those relations accordingly.\n\n"
    "2. Nothing in this Convention shall affect other rights, restrictions, obligations and responsibilities of a "
    "State Party under international law."
)


def scored(article: str, text: str) -> ScoredPassage:
    passage = Passage(
        id=f"{UN}:{article}",
        doc_id=UN,
        doc_title="United Nations Convention against Cybercrime",
        text=text,
        start=0,
        end=len(text),
        context=f"Article {article}",
        kind="article",
        article=article,
    )
    return ScoredPassage(passage, 1.0)


PASSAGES = [scored("6", HUMAN_RIGHTS), scored("60", EFFECTS)]


def test_a_sentence_its_own_passage_contradicts_is_not_saved_by_a_looser_passage(verifier) -> None:
    sentence = (
        "States Parties shall endeavour to ensure that implementing the convention is consistent with human rights law."
    )
    [checked] = check_sentences([DraftSentence(sentence, (0,))], PASSAGES, verifier)
    assert (checked.supported, checked.verdict) == (False, "contradicted")
    assert checked.reason is not None and "modality" in checked.reason


def test_a_faithful_paraphrase_keeps_the_passage_it_claims(verifier) -> None:
    sentence = "Countries must make sure that carrying out the convention respects international human rights law."
    [checked] = check_sentences([DraftSentence(sentence, (0,))], PASSAGES, verifier)
    assert (checked.supported, checked.verdict) == (True, "supported")
    assert checked.support[0][0] == 0


QUOTE_START = EFFECTS.index("Nothing in")
QUOTE = DraftSentence(EFFECTS[QUOTE_START:], (1,), 1, (QUOTE_START, len(EFFECTS)))


def test_a_faithful_rewrite_is_cited_to_the_quote_it_rewrites(verifier) -> None:
    rewrite = DraftSentence(
        "The convention does not change a State Party's other rights and obligations under international law.",
        (1,),
        fallback=QUOTE,
    )
    [checked] = check_sentences([rewrite], PASSAGES, verifier)
    assert (checked.supported, checked.verbatim) == (True, False)
    assert checked.support == ((1, QUOTE_START, len(EFFECTS)),)


def test_a_rewrite_that_borrows_from_another_paragraph_gives_way_to_its_quote(verifier) -> None:
    # Paragraph 1 of the same passage grounds the borrowed words, and the whole passage would
    # support the sentence; the quote it rewrites says nothing of treaties already concluded.
    sentence = (
        "The convention does not change the rights of States Parties that have concluded agreements or treaties "
        "on these matters."
    )
    assert verifier.verify(sentence, EFFECTS, doc_id=UN, article="60").supported
    [checked] = check_sentences([DraftSentence(sentence, (1,), fallback=QUOTE)], PASSAGES, verifier)
    assert (checked.text, checked.verbatim) == (QUOTE.text, True)


def test_a_paragraph_span_holds_the_numbered_paragraph_and_its_items() -> None:
    assert EFFECTS[slice(*paragraph_around(EFFECTS, QUOTE_START + 5))] == EFFECTS[QUOTE_START - 3 :]
    first = EFFECTS[slice(*paragraph_around(EFFECTS, 10))]
    assert first.startswith("1. If two") and first.rstrip().endswith("accordingly.")
    assert paragraph_around(HUMAN_RIGHTS, 0) == (0, len(HUMAN_RIGHTS))
