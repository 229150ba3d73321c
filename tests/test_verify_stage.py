"""The verify stage: which passage decides a sentence that several retrieved passages bear on."""

from __future__ import annotations

from rag.answering.draft.types import DraftSentence
from rag.answering.verify.checks import MAX_REWRITE_ADDITIONS, CheckedSentence, check_sentences
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


PREAMBLE = (
    "Determined to deny safe havens to those who engage in cybercrime by prosecuting these crimes wherever they "
    "occur,\n\n"
    "Stressing the need to enhance coordination and cooperation among States by, inter alia, providing technical "
    "assistance and capacity-building to countries, in particular developing countries, upon their request, to "
    "improve national legislation and frameworks and enhance the capacity of national authorities to deal with "
    "cybercrime, including its prevention, detection, investigation and prosecution,"
)


def first_block_quoted(text: str) -> DraftSentence:
    """The extractive quote of the first block of ``text`` (up to its first blank line), passage 0."""
    end = text.index("\n\n")
    return DraftSentence(text[:end], (0,), 0, (0, end))


RECITAL = first_block_quoted(PREAMBLE)
RECITAL_END = len(RECITAL.text)


def checked_rewrite(sentence: str, quote: DraftSentence, article: str, passage_text: str, verifier) -> CheckedSentence:
    """What the verify stage keeps of a local model's rewrite of ``quote``, the passage's only retrieved text."""
    [checked] = check_sentences(
        [DraftSentence(sentence, (0,), fallback=quote)], [scored(article, passage_text)], verifier
    )
    return checked


def test_a_rewrite_of_a_recital_is_not_grounded_by_the_rest_of_the_preamble(verifier) -> None:
    # A small model asked "which country prosecutes?" wrote this as a rewrite of the first recital;
    # the preamble as a whole grounds it word by word, the recital does not.
    sentence = "A country that prosecutes cybercrime must tell the UN where it happened and the victim's home country."
    assert verifier.verify(sentence, PREAMBLE, doc_id=UN, article="preamble").supported
    checked = checked_rewrite(sentence, RECITAL, "preamble", PREAMBLE, verifier)
    assert (checked.text, checked.verbatim) == (RECITAL.text, True)


TRAFFIC_DATA = (
    "2. Where a State Party, owing to the principles of its domestic legal system, cannot adopt the measures referred "
    "to in paragraph 1 (a) of this article, it may instead adopt such legislative and other measures as may be "
    "necessary to ensure the real-time collection or recording of traffic data associated with specified "
    "communications transmitted in its territory, through the application of technical means in that territory.\n\n"
    "3. Each State Party shall adopt such legislative and other measures as may be necessary to oblige a service "
    "provider to keep confidential the fact of the execution of any power provided for in this article."
)
TRAFFIC_QUOTE = first_block_quoted(TRAFFIC_DATA)


def test_a_rewrite_that_adds_claims_of_its_own_gives_way_to_its_quote(verifier) -> None:
    # Read generously as a paraphrase, the paragraph supports it; but "tells" turns an alternative the
    # paragraph allows into an instruction, in words the paragraph does not have.
    sentence = (
        "The convention tells States Parties to collect traffic data from communications transmitted in their "
        "territory. This is done using technical means, and the data collected is real-time."
    )
    paragraph = TRAFFIC_QUOTE.text
    assert verifier.verify(sentence, paragraph, doc_id=UN, article="29").supported
    assert len(verifier.ungrounded_words(sentence, paragraph, doc_id=UN)) > MAX_REWRITE_ADDITIONS
    checked = checked_rewrite(sentence, TRAFFIC_QUOTE, "29", TRAFFIC_DATA, verifier)
    assert (checked.text, checked.verbatim) == (TRAFFIC_QUOTE.text, True)


def test_a_rewrite_in_plain_words_of_its_own_recital_is_kept(verifier) -> None:
    sentence = "Countries mean to deny safe havens to cybercriminals by prosecuting these crimes wherever they occur."
    checked = checked_rewrite(sentence, RECITAL, "preamble", PREAMBLE, verifier)
    assert (checked.supported, checked.verbatim) == (True, False)


def test_a_rewrite_of_an_unnumbered_passage_is_held_to_the_block_that_holds_its_quote() -> None:
    assert paragraph_around(PREAMBLE, 10) == (0, RECITAL_END)
    second = PREAMBLE[slice(*paragraph_around(PREAMBLE, RECITAL_END + 5))]
    assert second.startswith("Stressing") and second.endswith("prosecution,")


def test_a_list_item_of_an_unnumbered_passage_is_read_with_the_lead_in_of_its_list() -> None:
    purposes = (
        "Article 1\n\nStatement of purpose\n\nThe purposes of this Convention are to:\n\n"
        "(a) Promote and strengthen measures to prevent and combat cybercrime;\n\n"
        "(b) Promote, facilitate and strengthen international cooperation in preventing and combating cybercrime;"
    )
    span = purposes[slice(*paragraph_around(purposes, purposes.index("(b)") + 5))]
    assert span.startswith("The purposes of this Convention are to:") and span.endswith("combating cybercrime;")
    assert purposes[slice(*paragraph_around(purposes, 2))] == "Article 1"


PREPARATION = (
    "3. Each State Party may adopt such legislative and other measures as may be necessary to establish as a "
    "criminal offence, in accordance with its domestic law, the preparation for an offence established in "
    "accordance with this Convention."
)
PREPARATION_QUOTE = DraftSentence(PREPARATION, (0,), 0, (0, len(PREPARATION)))


def test_a_rewrite_that_drops_a_condition_of_its_quote_gives_way_to_its_quote(verifier) -> None:
    # Read as any answer sentence, a permission that leaves the domestic-law proviso implicit passes; a rewrite
    # says its one quoted sentence again, and must keep every condition of it.
    sentence = "A State Party may make the preparation of an offence established under this Convention a crime."
    assert verifier.verify(sentence, PREPARATION, doc_id=UN, article="17").supported
    strict = verifier.verify(sentence, PREPARATION, doc_id=UN, article="17", strict_conditions=True)
    assert (strict.verdict.value, strict.conflicts) == ("not_found", ("condition",))
    assert strict.reason is not None and "domestic law" in strict.reason
    checked = checked_rewrite(sentence, PREPARATION_QUOTE, "17", PREPARATION, verifier)
    assert (checked.text, checked.verbatim) == (PREPARATION_QUOTE.text, True)


def test_a_rewrite_that_keeps_the_conditions_of_its_quote_is_kept(verifier) -> None:
    sentence = (
        "In accordance with its domestic law, a State Party may make the preparation of an offence established "
        "under this Convention a crime."
    )
    checked = checked_rewrite(sentence, PREPARATION_QUOTE, "17", PREPARATION, verifier)
    assert (checked.supported, checked.verbatim) == (True, False)
