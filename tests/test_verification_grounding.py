"""The verifier grounds what a sentence names and the conditions of the part it paraphrases.

Content a passage does not hold (a profession, a place, a noun phrase) makes a sentence not
found and is named in the reason; a condition counts only for the part of a clause it
qualifies, and a list's lead-in qualifies every item; a figure or a range of articles the
passage gives for something else is the wrong one. Passages are quoted from the corpus (the
resolution's paragraphs shortened); the sentences are written for these tests; the sentence
model is the real MiniLM.
"""

from __future__ import annotations

import pytest

from rag.verification import Verdict
from rag.verification.conditions import compare as compare_conditions
from rag.verification.instruments import compare_references, own_name_spans
from rag.verification.numbers import compare as compare_numbers
from tests.testkit import verify_un

ART_21_4 = (
    "4. Each State Party shall ensure that any person prosecuted for offences established in accordance with this "
    "Convention enjoys all rights and guarantees in conformity with domestic law and consistent with the applicable "
    "international obligations of the State Party, including the right to a fair trial and the rights of the defence."
)
ART_33_1 = (
    "1. Each State Party shall take appropriate measures, in accordance with its domestic law and within its means, "
    "to provide effective protection from potential retaliation or intimidation for witnesses who give testimony "
    "or, in good faith and on reasonable grounds, provide information concerning offences established in accordance "
    "with this Convention or otherwise cooperate with investigative or judicial authorities and, as appropriate, for "
    "their relatives and other persons close to them."
)
ART_14_1 = (
    "1. Each State Party shall adopt such legislative and other measures as may be necessary to establish as "
    "criminal offences under its domestic law, when committed intentionally and without right, the following "
    "conduct:\n(a) Producing, offering, selling, distributing, transmitting, broadcasting, displaying, publishing or "
    "otherwise making available child sexual abuse or child sexual exploitation material through an information and "
    "communications technology system;\n(b) Soliciting, procuring or accessing child sexual abuse or child sexual "
    "exploitation material through an information and communications technology system;"
)
RESOLUTION_5_6 = (
    "5. Also decides that the Ad Hoc Committee shall continue its work with a view to negotiating a draft protocol "
    "supplementary to the Convention, addressing, inter alia, additional criminal offences as appropriate, and that, "
    "for that purpose, two sessions of a duration of 10 days each shall be convened;\n\n6. Further decides that the "
    "Ad Hoc Committee will complete its tasks by holding a session of a duration of up to five days in Vienna, one "
    "year after the adoption of the Convention, in order to prepare the draft text of the rules of procedure;"
)
ART_17_NOTE = "offences established in accordance with articles 7 to 16 of this Convention"


# ----- added content


def test_added_profession_is_not_found(verifier):
    sentence = "Each State Party must ensure that journalists prosecuted for convention offences get a fair trial."
    result = verify_un(verifier, sentence, ART_21_4, article="21")
    assert result.verdict is Verdict.NOT_FOUND
    assert (result.reason or "").startswith("not in the passage:") and "journalists" in (result.reason or "")


def test_added_noun_phrase_is_named_whole(verifier):
    sentence = (
        "Each State Party must ensure that any person prosecuted for convention offences gets a fair trial and "
        "a sworn interpreter."
    )
    result = verify_un(verifier, sentence, ART_21_4, article="21")
    assert result.verdict is Verdict.NOT_FOUND and "sworn interpreter" in (result.reason or "")


def test_added_place_name_is_not_found(verifier):
    sentence = "The Ad Hoc Committee will hold a session of up to five days in Geneva to prepare rules of procedure."
    result = verify_un(verifier, sentence, RESOLUTION_5_6)
    assert result.verdict is Verdict.NOT_FOUND and '"Geneva"' in (result.reason or "")


def test_naming_the_instrument_or_the_article_adds_no_content(verifier):
    sentence = (
        "Under article 21(4) of the UN Convention against Cybercrime, any person prosecuted for convention offences "
        "must get a fair trial."
    )
    assert verify_un(verifier, sentence, ART_21_4, article="21").supported


def test_acronym_the_passage_spells_out_is_not_added():
    from rag.verification import added
    from rag.verification.grounding import ground, region_words

    passage = "in cooperation with international organizations, non-governmental organizations and civil society"
    cases = (("States must work with NGOs and civil society.", []), ("States must work with NATO.", ["NATO"]))
    for sentence, expected in cases:
        found = added.compare(sentence, passage, ground(sentence, region_words(passage)))
        assert [c.reason.split('"')[1] for c in found] == expected


def test_citation_label_framing_a_quote_adds_no_content(verifier):
    passage = (
        "According to the officials, the US intends to rigorously enforce the treaty’s human rights and other "
        "protections, and the Department of Justice will carefully consider requests and decline to offer any help "
        "that violates the accord."
    )
    sentence = "CIO News report: the Department of Justice will carefully consider requests and decline some."
    news = "news-us-support-un-cybercrime-convention"
    assert verifier.verify(sentence, passage, doc_id=news).supported
    other_source = verifier.verify(sentence.replace("CIO News", "BBC"), passage, doc_id=news)
    assert other_source.verdict is Verdict.NOT_FOUND and '"BBC' in (other_source.reason or "")


def test_naming_the_passages_own_document_by_the_words_of_its_id_adds_no_content(verifier):
    philippine_act = "philippines-cybercrime-prevention-act-2012"
    passage = (
        "SEC. 16. Exclusionary Rule. — Any evidence procured without a valid warrant or beyond the authority of the "
        "same shall be inadmissible for any proceeding before any court or tribunal."
    )
    sentence = "Under the Philippine act, evidence procured without a valid warrant is inadmissible in any court."
    assert verifier.verify(sentence, passage, doc_id=philippine_act).supported
    # The same words name nothing of another document, and "the Act" alone names no document.
    assert "Philippine" in (verifier.verify(sentence, passage, doc_id="uncac-2003").reason or "")
    assert [sentence[a:b] for a, b in own_name_spans(sentence, philippine_act)] == ["Philippine act"]
    assert own_name_spans("Under the Act, such evidence is inadmissible.", philippine_act) == ()


def test_a_number_in_the_passages_own_document_name_is_no_figure(verifier):
    passage = (
        "Article 7 – Data security\n\nAppropriate security measures shall be taken for the protection of personal "
        "data stored in automated data files against accidental or unauthorised destruction or accidental loss as "
        "well as against unauthorised access, alteration or dissemination."
    )
    sentence = (
        "Convention 108 requires appropriate security measures against unauthorised access to stored personal data."
    )
    assert verifier.verify(sentence, passage, doc_id="coe-convention-108-data-protection-1981", article="7").supported


# ----- conditions


def test_condition_of_another_clause_is_not_required(verifier):
    sentence = (
        "Each State Party must take appropriate measures, in line with its domestic law and within its means, to "
        "protect witnesses who give testimony from retaliation or intimidation."
    )
    assert compare_conditions(sentence, ART_33_1, []) == []
    assert verify_un(verifier, sentence, ART_33_1, article="33").supported


def test_condition_set_off_before_the_paraphrased_part_is_required():
    sentence = (
        "Each State Party must, in line with its domestic law and within its means, protect the relatives of "
        "witnesses and other persons close to them from retaliation."
    )
    assert [c.reason for c in compare_conditions(sentence, ART_33_1, [])] == ['condition dropped: "as appropriate"']


def test_appropriate_attached_to_a_noun_phrase_is_not_required():
    assert compare_conditions("The draft protocol will address additional criminal offences.", RESOLUTION_5_6, []) == []


def test_condition_of_a_list_lead_in_is_required_for_each_item():
    """The rule finds the dropped lead-in condition; whether it decides is the calibration's choice."""
    sentence = "Each State Party must make it a crime to access child sexual abuse material through an ICT system."
    reasons = [c.reason for c in compare_conditions(sentence, ART_14_1, [])]
    assert any("intentionally" in r or "without right" in r for r in reasons), reasons


def test_item_that_keeps_the_lead_in_condition_is_supported(verifier):
    sentence = (
        "Each State Party must make it a crime to intentionally and without right access child sexual abuse "
        "material through an ICT system."
    )
    assert verify_un(verifier, sentence, ART_14_1, article="14").supported


def test_any_crime_where_the_passage_names_some_is_a_dropped_condition():
    found = compare_conditions("Each State Party shall criminalize any conduct involving children.", ART_14_1, [])
    assert found[0].rule == "universal" and '"any conduct"' in found[0].reason


def test_a_frequency_or_a_quantifier_restricted_by_the_sentence_is_no_universal_claim():
    assert compare_conditions("The Conference meets every year.", ART_21_4, []) == []
    sentence = "Each State Party must ensure that any person who is prosecuted for convention offences is tried fairly."
    assert [c for c in compare_conditions(sentence, ART_21_4, []) if c.rule == "universal"] == []


DISPUTES = (
    "If, six months after the date of the request for arbitration, those States Parties are unable to agree on the "
    "organization of the arbitration, any one of those States Parties may refer the dispute to the International "
    "Court of Justice."
)


def test_a_quantifier_the_passage_puts_on_the_same_word_is_no_universal_claim():
    sentence = "Any one of the States concerned can take the dispute to the International Court of Justice."
    assert [c for c in compare_conditions(sentence, DISPUTES, []) if c.rule == "universal"] == []
    wider = "Any person can take the dispute to the International Court of Justice."
    assert [c.rule for c in compare_conditions(wider, DISPUTES, [])] == ["universal"]


def test_all_floated_after_the_words_it_quantifies_is_no_universal_claim():
    sentence = "Producing, offering and distributing such material must all be criminal offences."
    assert [c for c in compare_conditions(sentence, ART_14_1, []) if c.rule == "universal"] == []


def test_a_sentence_naming_the_article_as_its_subject_need_not_repeat_its_conditions():
    assert compare_conditions("Article 14 concerns child sexual abuse material.", ART_14_1, []) == []
    found = compare_conditions("Article 14 covers any material involving children.", ART_14_1, [])
    assert [c.rule for c in found] == ["universal"]


# ----- figures and references


def test_figure_the_passage_gives_for_another_session_is_the_wrong_one():
    sentence = "The Ad Hoc Committee will hold a session of up to 10 days in Vienna to prepare the rules of procedure."
    assert [c.reason for c in compare_numbers(sentence, RESOLUTION_5_6)] == [
        'number: the passage says "five days", the sentence "10 days"'
    ]
    assert compare_numbers("The Ad Hoc Committee will hold two sessions of ten days each.", RESOLUTION_5_6) == []


def test_range_of_articles_with_another_end_is_a_number_conflict():
    found = compare_references("It covers the offences in articles 7 to 11.", ART_17_NOTE, "11")
    assert [c.kind for c in found] == ["number"] and '"7 to 16"' in found[0].reason
    assert compare_references("It covers the offences in articles 7 to 16.", ART_17_NOTE, "11") == []


# ----- calibration


def test_cross_validation_folds_never_split_a_document_article_group():
    from rag.verification.fit import fold_of
    from rag.verification.labels import LabelledClaim

    claims = [
        LabelledClaim(f"c{i}", "s", "p", "supported", "faithful", doc=doc, article=article)
        for i, (doc, article) in enumerate([("un", "2"), ("un", "7"), ("un", "2"), ("bc", "2"), ("un", None)] * 3)
    ]
    folds = fold_of(claims, folds=3)
    by_group: dict[tuple[str | None, str | None], set[int]] = {}
    for claim, fold in zip(claims, folds, strict=True):
        by_group.setdefault((claim.doc, claim.article), set()).add(fold)
    assert all(len(f) == 1 for f in by_group.values())
    assert set(folds) == {0, 1, 2}


def test_minimum_written_as_maximum_is_a_number_conflict():
    passage = "3. Any preservation effected in response to a request shall be for a period of not less than 60 days."
    found = compare_numbers("Preservation on request lasts at most 60 days.", passage)
    assert [c.reason for c in found] == ['number: the passage says "at least 60 days", the sentence "at most 60 days"']
    assert compare_numbers("Preservation on request lasts at least 60 days.", passage) == []


def test_added_proviso_is_not_found(verifier):
    sentence = (
        "Each State Party must ensure that any person prosecuted for convention offences gets a fair trial, provided "
        "the prosecution concerns organized criminal groups."
    )
    result = verify_un(verifier, sentence, ART_21_4, article="21")
    assert result.verdict is Verdict.NOT_FOUND
    assert (result.reason or "").startswith('not in the passage: "provided the prosecution concerns')


REQUEST_CONTENTS = (
    "A request for mutual legal assistance shall contain:\n"
    "(a) The identity of the authority making the request;\n"
    "(b) Where possible and appropriate, the identity, location and nationality of any person concerned."
)
JURISDICTION = (
    "When more than one Party claims jurisdiction over an alleged offence, the Parties involved shall, where "
    "appropriate, consult with a view to determining the most appropriate jurisdiction for prosecution."
)


def test_a_condition_of_the_list_item_a_sentence_paraphrases_counts_beside_its_lead_in():
    from rag.verification import frames

    sentence = "A request shall contain the identity, location and nationality of any person concerned."
    matched = frames.compare(sentence, REQUEST_CONTENTS).clauses
    found = compare_conditions(sentence, REQUEST_CONTENTS, matched)
    assert [c.rule for c in found] == ["possible"]


def test_a_condition_word_used_for_something_else_does_not_keep_the_condition():
    sentence = "When more than one Party claims jurisdiction, the Parties must consult on the most appropriate one."
    assert [c.rule for c in compare_conditions(sentence, JURISDICTION, [])] == ["appropriate"]
    kept = "When more than one Party claims jurisdiction, the Parties must, where appropriate, consult on it."
    assert compare_conditions(kept, JURISDICTION, []) == []


def test_one_before_a_state_is_a_pronoun_not_a_figure():
    passage = "A State Party may request another State Party to search electronic data."
    assert compare_numbers("One State Party may ask another to search electronic data.", passage) == []
    assert compare_numbers("Two States Parties may ask another to search electronic data.", passage)


JOINT_INVESTIGATIONS = (
    "In the absence of such agreements or arrangements, joint investigations may be undertaken by agreement on a "
    "case-by-case basis."
)


def test_a_hyphenated_condition_written_without_hyphens_is_kept():
    kept = "Without such agreements, joint investigations can be undertaken by agreement case by case."
    assert compare_conditions(kept, JOINT_INVESTIGATIONS, []) == []
    dropped = "Without such agreements, joint investigations can be undertaken by agreement."
    assert [c.rule for c in compare_conditions(dropped, JOINT_INVESTIGATIONS, [])] == ["request"]


@pytest.mark.parametrize(
    ("passage", "dropped", "kept", "rule"),
    [
        (
            "Each State Party shall consider providing for the possibility, in appropriate cases, of mitigating "
            "punishment of an accused person who provides substantial cooperation.",
            "Each State Party shall consider mitigating punishment of an accused person who provides cooperation.",
            "In appropriate cases, each State Party shall consider mitigating punishment of a cooperating accused.",
            "cases",
        ),
        (
            "The point of contact shall, if permitted by its domestic law and practice, carry out the preservation "
            "of data.",
            "The point of contact shall carry out the preservation of data.",
            "The point of contact shall carry out the preservation of data if its domestic law permits it.",
            "domestic_law",
        ),
        (
            "States Parties shall promote the transfer of technology to developing countries on mutually agreed terms.",
            "States Parties shall promote the transfer of technology to developing countries.",
            "States Parties shall promote the transfer of technology to developing countries on terms both agree.",
            "agreed",
        ),
        (
            "Each State Party shall establish the powers and procedures provided for in this chapter for the "
            "purpose of specific criminal investigations or proceedings.",
            "Each State Party shall establish the powers and procedures provided for in this chapter.",
            "Each State Party shall establish the powers of this chapter for specific criminal investigations.",
            "purpose",
        ),
    ],
)
def test_a_legal_qualifier_dropped_is_a_condition_and_kept_in_other_words_is_not(passage, dropped, kept, rule):
    assert [c.rule for c in compare_conditions(dropped, passage, [])] == [rule]
    assert compare_conditions(kept, passage, []) == []


ENTRY_INTO_FORCE = (
    "The Protocol shall enter into force on the first day of the month following the expiration of a period of three "
    "months after the date of deposit."
)


def test_a_figure_the_passage_gives_only_in_another_unit_is_a_wrong_number():
    from rag.verification import numbers

    wrong = "The Protocol enters into force on the first day of the month following one month after deposit."
    assert [c.kind for c in numbers.compare(wrong, ENTRY_INTO_FORCE)] == ["number"]
    right = "The Protocol enters into force on the first day of the month following three months after deposit."
    assert numbers.compare(right, ENTRY_INTO_FORCE) == []


def test_verbs_ending_in_sist_or_xist_are_not_added_people_but_nouns_for_people_are():
    from rag.verification import added
    from rag.verification.grounding import ground, region_words

    passage = "Joint investigations may be undertaken by agreement on a case-by-case basis."
    cases = (
        ("Where no agreement exists, joint investigations may be undertaken case by case.", []),
        ("A State may insist on joint investigations by agreement.", []),
        ("Joint investigations by journalists may be undertaken by agreement.", ["journalists"]),
    )
    for sentence, expected in cases:
        found = added.compare(sentence, passage, ground(sentence, region_words(passage)))
        assert [c.reason.split('"')[1] for c in found if c.rule == "person"] == expected
