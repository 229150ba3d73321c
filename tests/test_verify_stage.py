"""The verify stage: which passage decides a sentence that several retrieved passages bear on."""

from __future__ import annotations

from rag.answering.draft.types import DraftSentence
from rag.answering.verify.checks import check_sentences
from rag.types import Passage, ScoredPassage

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
