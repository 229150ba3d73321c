"""A sentence that cites a paragraph must cite the one that says what it says; provision ranges count whole.

The passages are written in the treaties' layout (numbered paragraphs at line starts); no model is needed.
"""

from __future__ import annotations

from rag.verification import instruments, paragraphs

PROTECTION = (
    "Article 33\n\nProtection of witnesses\n\n"
    "1. Each State Party shall take appropriate measures to provide effective protection from retaliation for "
    "witnesses who give testimony.\n"
    "2. The measures may include procedures for the physical protection of such persons, such as relocating them.\n"
    "3. States Parties shall consider entering into agreements with other States for the relocation of persons.\n"
    "4. The provisions of this article shall also apply to victims insofar as they are witnesses.\n"
)
NOTE = "The procedural powers shall be subject to Articles 14 and 15, and apply to offences under Article 16."
ATTEMPT = "2. Each Party shall criminalise an attempt to commit offences under Articles 3 through 5, 7, 8, and 9.1.a."


def test_a_cited_paragraph_whose_words_another_paragraph_holds_is_a_number_conflict():
    sentence = "Under article 33(3), the protections also extend to victims insofar as they are witnesses."
    [found] = paragraphs.compare(sentence, PROTECTION, "33")
    assert found.kind == "number" and "paragraph 3" in found.reason and "paragraph 4" in found.reason


def test_the_right_paragraph_in_any_citation_form_is_no_conflict():
    for cited in ("article 33(4)", "article 33, paragraph 4", "paragraph 4 of article 33"):
        sentence = f"Under {cited}, the protections also extend to victims insofar as they are witnesses."
        assert paragraphs.compare(sentence, PROTECTION, "33") == []


def test_a_range_of_paragraphs_cites_each_of_them():
    sentence = "Paragraphs 1 to 4 of article 33 extend the protections to victims insofar as they are witnesses."
    assert paragraphs.compare(sentence, PROTECTION, "33") == []


def test_a_bare_paragraph_named_as_a_topic_is_not_where_the_sentence_is_said():
    sentence = "Relocation under the measures in paragraph 2 may be agreed with other States, which shall consider it."
    assert paragraphs.compare(sentence, PROTECTION, "33") == []


def test_a_paragraph_of_another_article_must_be_the_one_the_passage_cites():
    passage = "A Party may reserve the right not to apply Article 9, paragraph 4."
    [found] = paragraphs.compare("Reservations may be made under article 9, paragraph 3.", passage, "42")
    assert "paragraph 3" in found.reason and "paragraph 4" in found.reason
    assert paragraphs.compare("Reservations may be made under article 9, paragraph 4.", passage, "42") == []


def test_a_cited_range_of_articles_is_known_when_the_passage_cites_its_numbers():
    sentence = "Attempt must be criminalised for the offences in articles 3 to 5, 7 and 8."
    assert instruments.compare_references(sentence, ATTEMPT, "11") == []
    wrong = "Attempt must be criminalised for the offences in articles 3 to 6."
    assert instruments.compare_references(wrong, ATTEMPT, "11")


def test_an_article_cited_with_another_that_the_passage_does_not_cite_is_a_number_conflict():
    assert instruments.compare_references("The powers are subject to articles 14 and 15.", NOTE, "17") == []
    assert instruments.compare_references("The powers are subject to articles 14 and 19.", NOTE, "17")
