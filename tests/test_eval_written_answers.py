"""``eval.written_answers``: the written model cites the shown passage that holds the labelled one."""

from __future__ import annotations

from eval.written_answers import comparable, holding_passage, shown_passages

PROMPT = (
    "Passages:\n"
    "[1] (UN Cybercrime Convention, art. 60) Article 60\n\nEffects of the Convention\n\n"
    "1. If two or more States Parties have already concluded an agreement or treaty on the matters dealt with.\n"
    "[2] (UN Cybercrime Convention, art. 6) 1. States Parties shall ensure that the implementation of their "
    "obligations under this Convention is consistent with their obligations under international human rights law.\n\n"
    "2. Nothing in this Convention shall be interpreted as permitting suppression of human rights.\n\n"
    "Question: Must the convention respect human rights?"
)


def test_a_shown_passage_keeps_all_its_lines_and_stops_before_the_question() -> None:
    shown = shown_passages(PROMPT)
    assert sorted(shown) == [1, 2]
    assert "Effects of the Convention" in shown[1] and "dealt with." in shown[1]
    assert shown[2].rstrip().endswith("suppression of human rights.")


def test_the_labelled_passage_is_found_by_its_words_even_when_stored_longer() -> None:
    labelled = "2. Nothing in this Convention shall be interpreted as permitting suppression of human rights."
    assert holding_passage(labelled, shown_passages(PROMPT)) == 2


def test_a_passage_the_model_was_not_shown_is_held_by_none() -> None:
    labelled = "Each State Party shall adopt such legislative measures as may be necessary to establish jurisdiction."
    assert holding_passage(labelled, shown_passages(PROMPT)) is None


def test_a_yes_opening_shown_as_the_direct_answer_still_matches_its_sentence() -> None:
    assert comparable("Yes: a State may refuse such a request.") == comparable("A State may refuse such a request")
