"""Refusal decision (rag.answering.assess.decision): outright refusals, the model's threshold, the reason shown."""

from __future__ import annotations

from rag.answering.assess.decision import EVIDENCE_FLOOR, decide
from rag.answering.assess.features import FEATURES
from rag.answering.assess.kinds import asks_only_for_named_provision, counts_the_asked_noun
from rag.answering.assess.names import unknown_names
from rag.documents import builtin_registry, upload_entry

# What "does any document mention X" is checked against (lowercased committed text).
CORPUS = (
    "this convention shall enter into force on the ninetieth day after the date of deposit of the fortieth "
    "instrument of ratification. the conference of the states parties. budapest convention."
)
ENTRY_INTO_FORCE = [
    "1. This Convention shall enter into force on the ninetieth day after the date of deposit of the fortieth "
    "instrument of ratification, acceptance, approval or accession."
]


def values(**overrides: float) -> dict[str, float]:
    """Features of a question with strong evidence and nothing missing, with ``overrides``."""
    base = dict.fromkeys(FEATURES, 0.0) | {"evidence": 0.8, "evidence_top3": 0.7, "coverage": 1.0}
    return base | overrides


def test_weak_evidence_is_refused_whatever_the_model_says() -> None:
    decision = decide(values(evidence=EVIDENCE_FLOOR - 0.01), [], 0.99, 0.3)
    assert decision.refuse and "close" in decision.reason


def test_a_name_no_document_mentions_is_refused_and_named_whatever_the_model_says() -> None:
    missing = unknown_names("What did Human Rights Watch say about the treaty?", CORPUS)
    decision = decide(values(), missing, 0.99, 0.3)
    assert decision.refuse and "Human Rights Watch" in decision.reason


def test_the_documents_own_names_are_known() -> None:
    assert unknown_names("Does the Budapest Convention cover fraud?", CORPUS) == []
    assert unknown_names("What does the Malabo Convention say?", CORPUS) == ["Malabo Convention"]


def test_the_model_probability_decides_against_the_threshold() -> None:
    answered = decide(values(), [], 0.31, 0.3)
    refused = decide(values(), [], 0.29, 0.3)
    assert not answered.refuse and answered.probability == 0.31
    assert refused.refuse and refused.reason == "The closest provisions do not say what the question asks."


def test_the_reason_names_a_missing_figure_or_date() -> None:
    figure = decide(values(count_missing=1.0), [], 0.1, 0.3)
    date = decide(values(date_missing=1.0), [], 0.1, 0.3)
    assert "figure" in figure.reason and "date" in date.reason


def test_a_count_of_countries_is_answered_by_a_count_of_instruments() -> None:
    assert counts_the_asked_noun("How many countries have to ratify the treaty first?", ENTRY_INTO_FORCE)
    assert not counts_the_asked_noun("How many negotiating sessions did the committee hold?", ENTRY_INTO_FORCE)


def test_an_article_of_a_named_treaty_is_not_an_unknown_name() -> None:
    assert unknown_names("Under Article 18 of UNTOC, how long does safe conduct last?", CORPUS) == []
    assert unknown_names("Unlike UNTOC and UNCAC, does the UN convention need parties?", CORPUS) == []
    assert unknown_names("Like the Budapest Convention, does the UN treaty cover devices?", CORPUS) == []


def test_an_acronym_the_corpus_spells_out_is_known_and_one_it_does_not_is_not() -> None:
    corpus = "Recalling the role of the United Nations Office on Drugs and Crime. under the conference."
    assert unknown_names("Does UNODC serve as secretariat?", corpus) == []
    # Capitalised initials only: "under the conference" does not spell "UTC".
    assert unknown_names("Does the UTC apply?", corpus) == ["UTC"]


def test_a_misspelt_document_or_name_is_known_but_a_new_one_is_not() -> None:
    assert unknown_names("Is hacking a crime under the Budapest Convetion?", CORPUS) == []
    assert unknown_names("Does the Conference of the Stats Parties meet?", CORPUS) == []
    assert unknown_names("What does the Tallinn Manual say?", CORPUS) == ["Tallinn Manual"]


def test_everyday_abbreviations_are_not_names() -> None:
    assert unknown_names("Is a DDoS attack on my ISP a crime under the Budapest Convention?", CORPUS) == []


def test_a_document_named_by_its_full_title_is_known_but_a_sibling_instrument_is_not() -> None:
    assert unknown_names("When was the Budapest Convention on Cybercrime done?", CORPUS) == []
    assert unknown_names("What does the Second Additional Protocol say?", CORPUS) == ["Second Additional Protocol"]


def test_a_question_asking_what_a_named_provision_says_is_answered_by_it() -> None:
    assert asks_only_for_named_provision("What does article 65 of the UN Convention against Cybercrime say?")
    assert asks_only_for_named_provision("What does interpretative note 3 say?")
    assert not asks_only_for_named_provision("What percentage of proceeds does article 30 of UNTOC set?")
    assert not asks_only_for_named_provision("Does the UN treaty say anything about spyware?")
    answered = decide(values(), [], 0.01, 0.3, asks_for_named_provision=True)
    assert not answered.refuse
    # A name no document mentions still refuses: the provision cannot answer about it.
    assert decide(values(), ["Tallinn Manual"], 0.99, 0.3, asks_for_named_provision=True).refuse
    assert not asks_only_for_named_provision("What does the Budapest Convention say?")  # no provision named


def test_a_premise_the_passages_contradict_is_answered_by_the_correction() -> None:
    unsure = values(evidence=0.6)
    assert decide(unsure, [], 0.1, 0.3).refuse
    assert not decide(unsure, [], 0.1, 0.3, corrects_premise=True).refuse
    # A name no document mentions still refuses outright.
    assert decide(unsure, ["Geneva Accord"], 0.1, 0.3, corrects_premise=True).refuse


def test_an_uploads_own_names_count_as_known() -> None:
    text = "Convention for the Protection of Individuals with regard to Automatic Processing of Personal Data."
    entry = upload_entry("coe-108", "Convention for the Protection of Individuals", "C108", ["convention 108"])
    registry = builtin_registry().with_entries([entry])
    question = "Does Convention 108 cover biometric data?"
    assert unknown_names(question, text) == ["Convention 108"]
    assert unknown_names(question, text, registry) == []
    assert asks_only_for_named_provision("What does section 4 of Convention 108 provide?", registry)
    assert not asks_only_for_named_provision("What does section 4 of Convention 108 say about biometrics?", registry)


def test_a_name_led_by_the_adjective_of_a_place_the_documents_name_is_known() -> None:
    act = (
        "Republic Act No. 10175. Be it enacted by the Congress of the Philippines. This Act shall be known as the "
        "Cybercrime Prevention Act of 2012. The Cybercrime Investigation and Coordinating Center. Second Regular "
        "Session. The second paragraph."
    )
    assert unknown_names("Who heads the Philippine Cybercrime Investigation and Coordinating Center?", act) == []
    assert unknown_names("What does the Philippine Cybercrime Prevention Act punish?", act) == []
    # A place the documents do not name, or a common word in front of a known name, is still unknown.
    assert unknown_names("What does the Russian Cybercrime Prevention Act punish?", act) == [
        "Russian Cybercrime Prevention Act"
    ]
    assert unknown_names("What does the Second Cybercrime Prevention Act punish?", act) == [
        "Second Cybercrime Prevention Act"
    ]


def test_a_sum_of_money_gives_the_figure_a_question_asks_for() -> None:
    from rag.answering.assess.kinds import QUANTITY_RE

    assert QUANTITY_RE.search("The amount of Fifty million pesos (PhP50,000,000.00) shall be appropriated annually.")
    assert QUANTITY_RE.search("a fine of at least two hundred thousand pesos")
    assert not QUANTITY_RE.search("The juridical person shall be held liable for a fine.")
