"""The perturbation rules of eval/perturb.py change the legal cue they name, and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.perturb import main, perturb_actor, perturb_modality, perturb_negation, perturb_number, perturb_rows


def test_modal_may_written_as_must() -> None:
    result = perturb_modality("A State Party may require an intent to cause harm.")
    assert result is not None
    assert result.sentence == "A State Party must require an intent to cause harm."
    assert result.note.startswith("modality:")


def test_modal_shall_endeavour_written_as_shall() -> None:
    result = perturb_modality("States Parties shall endeavour to provide such assistance.")
    assert result is not None
    assert result.sentence == "States Parties shall provide such assistance."


def test_modal_keeps_the_boilerplate_as_may_be_necessary() -> None:
    result = perturb_modality("Each State Party shall adopt such measures as may be necessary.")
    assert result is not None
    assert result.sentence == "Each State Party may adopt such measures as may be necessary."


def test_modal_sentence_initial_capital_is_kept() -> None:
    result = perturb_modality("Must a request be in writing? Yes.")
    assert result is not None
    assert result.sentence.startswith("May a request")


def test_modal_without_a_cue_gives_nothing() -> None:
    assert perturb_modality("The Convention was adopted in 2024.") is None


def test_actor_requested_and_requesting_state_are_swapped_everywhere() -> None:
    result = perturb_actor("The requested State must consult the requesting State before refusing.")
    assert result is not None
    assert result.sentence == "The requesting State must consult the requested State before refusing."
    assert result.note.startswith("actor:")


def test_actor_secretary_general_becomes_the_conference() -> None:
    result = perturb_actor("The Secretary-General keeps a register of contact points.")
    assert result is not None
    assert result.sentence == "The Conference of the States Parties keeps a register of contact points."


def test_actor_without_a_named_actor_gives_nothing() -> None:
    assert perturb_actor("Confiscation is permanent.") is None


def test_negation_shall_not_loses_its_not() -> None:
    result = perturb_negation("States Parties shall not decline assistance on the ground of bank secrecy.")
    assert result is not None
    assert result.sentence == "States Parties shall decline assistance on the ground of bank secrecy."
    assert "dropped" in result.note


def test_negation_does_not_becomes_the_inflected_verb() -> None:
    result = perturb_negation("This Convention does not exclude any criminal jurisdiction.")
    assert result is not None
    assert result.sentence == "This Convention excludes any criminal jurisdiction."


def test_negation_does_not_skips_a_reflexive_adverb() -> None:
    result = perturb_negation("Article 4 does not itself create new offences.")
    assert result is not None
    assert result.sentence == "Article 4 creates new offences."


def test_negation_is_added_when_there_is_none() -> None:
    result = perturb_negation("Each State Party must designate a point of contact.")
    assert result is not None
    assert result.sentence == "Each State Party must not designate a point of contact."
    assert "added" in result.note


def test_number_digits_become_another_treaty_figure() -> None:
    result = perturb_number("Preservation lasts up to a maximum of 90 days.")
    assert result is not None
    assert result.sentence == "Preservation lasts up to a maximum of 60 days."


def test_number_word_before_a_unit_changes_and_keeps_the_plural() -> None:
    result = perturb_number("The Conference is convened within one year of entry into force.")
    assert result is not None
    assert result.sentence == "The Conference is convened within two years of entry into force."


def test_number_ordinal_changes() -> None:
    result = perturb_number("It enters into force on the ninetieth day after the fortieth instrument.")
    assert result is not None
    assert result.sentence == "It enters into force on the sixtieth day after the fortieth instrument."


def test_number_leaves_citations_years_and_calendar_days_alone() -> None:
    assert perturb_number("Under article 40(22) of resolution 79/243, adopted on 24 December 2024.") is None


def test_number_one_without_a_unit_is_not_a_number() -> None:
    assert perturb_number("States Parties shall consult one another.") is None


def labelled_row(row_id: str, sentence: str, kind: str = "faithful") -> dict[str, object]:
    """A claims row in the format of eval/labels/claims-*.jsonl, with a one-letter passage."""
    label = "supported" if kind == "faithful" else "contradicted"
    return {
        "id": row_id,
        "doc": "d",
        "article": "7",
        "passage_text": "P",
        "sentence": sentence,
        "label": label,
        "kind": kind,
        "origin": "hand",
        "note": "" if kind == "faithful" else kind,
    }


def test_rows_are_made_only_from_faithful_sentences_and_keep_the_passage() -> None:
    rows = [labelled_row("x-1", "A State may refuse."), labelled_row("x-2", "A State must refuse.", "modality")]
    out = perturb_rows(rows, ["modality"])
    assert [(row["id"], row["sentence"], row["label"], row["origin"]) for row in out] == [
        ("x-1-mod", "A State must refuse.", "contradicted", "perturbed")
    ]
    assert out[0]["passage_text"] == "P"
    assert "from x-1" in str(out[0]["note"])


def test_cli_writes_candidates_and_rejects_an_unknown_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(labelled_row("x-1", "The requested State shall not refuse within 90 days.")) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["--in", str(source), "--out", str(out)]) == 0
    kinds = [json.loads(line)["kind"] for line in out.read_text().splitlines()]
    assert kinds == ["modality", "actor", "negation", "number"]
    assert main(["--in", str(source), "--out", str(out), "--kinds", "tense"]) == 2
    assert "unknown kind" in capsys.readouterr().err


def test_modal_shall_not_written_as_can() -> None:
    result = perturb_modality("States Parties shall not decline assistance on the ground of bank secrecy.")
    assert result is not None
    assert result.sentence == "States Parties can decline assistance on the ground of bank secrecy."


def test_number_frequency_annually_becomes_every_two_years() -> None:
    result = perturb_number("The list of contact points is circulated annually.")
    assert result is not None
    assert result.sentence == "The list of contact points is circulated every two years."
