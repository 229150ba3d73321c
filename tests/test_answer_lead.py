"""The extractive answer opens with a lead built from the best provision, "No" when the premise is wrong,
then one sentence from each other provision that bears on the question."""

from __future__ import annotations

from rag.answering.assess.premise import PREMISE_CORRECTION
from rag.answering.cite import CitationBook, attribute
from rag.answering.draft.extractive import extractive_drafts
from rag.answering.retrieve.ranking import Candidate
from rag.types import Passage, ScoredPassage

UN = "un-cybercrime-convention-2024"
ARTICLE_2 = (
    "(h) “Serious crime” shall mean conduct punishable by a maximum deprivation of liberty of at least four years;"
)
ARTICLE_6 = "2. Nothing in this Convention shall be interpreted as permitting suppression of human rights."
ARTICLE_24 = (
    "1. Powers shall be subject to conditions and safeguards provided for under domestic law. "
    "2. Safeguards shall include judicial or other independent review and an effective remedy."
)


def scored(article: str, text: str, paragraphs: tuple[str, ...] = ()) -> ScoredPassage:
    passage = Passage(
        id=f"{UN}:{article}", doc_id=UN, doc_title="United Nations Convention against Cybercrime", text=text,
        start=0, end=len(text), context="", kind="article", article=article, paragraphs=paragraphs,
    )  # fmt: skip
    return ScoredPassage(passage, 1.0)


PASSAGES = [scored("2", ARTICLE_2), scored("6", ARTICLE_6, ("2",)), scored("24", ARTICLE_24, ("1", "2"))]


def candidate(index: int, sentence: str, score: float) -> Candidate:
    text = PASSAGES[index].passage.text
    start = text.index(sentence)
    return Candidate(index, start, start + len(sentence), sentence, score)


def test_a_false_premise_lead_starts_with_no_and_quotes_the_text_verbatim() -> None:
    best = candidate(0, ARTICLE_2, 0.9)
    drafts = extractive_drafts([best], PASSAGES, contradiction=0)
    lead = drafts[0]
    assert lead.text.startswith("No")
    assert lead.framing.startswith(PREMISE_CORRECTION) and "art. 2" in lead.framing
    assert lead.span is not None and lead.quoted == ARTICLE_2[slice(*lead.span)]


def test_the_lead_is_labelled_by_its_provision_and_stays_cited() -> None:
    drafts = extractive_drafts(
        [
            candidate(
                1, "Nothing in this Convention shall be interpreted as permitting suppression of human rights.", 0.8
            )
        ],
        PASSAGES,
    )
    assert drafts[0].text.startswith("UN Cybercrime Convention, art. 6(2): Nothing in this Convention")
    sentences, citations = attribute(drafts, PASSAGES, verifier=None, book=CitationBook())  # type: ignore[arg-type]
    assert sentences[0].supported and citations[0].quote == drafts[0].quoted


def test_one_sentence_per_other_provision_that_scores_close_to_the_best() -> None:
    candidates = [
        candidate(
            1, "Nothing in this Convention shall be interpreted as permitting suppression of human rights.", 0.80
        ),
        candidate(2, "Powers shall be subject to conditions and safeguards provided for under domestic law.", 0.75),
        candidate(2, "Safeguards shall include judicial or other independent review and an effective remedy.", 0.74),
        candidate(0, ARTICLE_2, 0.30),
    ]
    drafts = extractive_drafts(candidates, PASSAGES)
    cited = [d.verbatim_of for d in drafts]
    assert cited == [1, 2]  # article 24 once; article 2 scores too far below the best


def test_a_paragraph_number_opening_the_quoted_sentence_is_left_to_the_label() -> None:
    sentence = "2. Safeguards shall include judicial or other independent review and an effective remedy."
    drafts = extractive_drafts([candidate(2, sentence, 0.9)], PASSAGES)
    assert drafts[0].quoted == sentence.removeprefix("2. ")
