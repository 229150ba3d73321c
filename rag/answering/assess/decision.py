"""Decide, outside the model, when the documents do not answer a question, and say why.

On-topic questions the corpus cannot answer retrieve passages as similar as those of
answerable ones (measured on the dev split: the best-sentence score does not separate them).
Two things refuse outright: a name the question relies on ("Human Rights Watch", "Convention
108", "OHCHR") that no document mentions (``rag.answering.assess.names``), and evidence under a
floor. A question asking only what a provision it names says is answered by that provision, and
one whose premise the passages' wording contradicts by the correction.
Everything else is the answerability model's call (``rag.answering.assess.model``), which weighs
what the question asks for against what the closest sentences give; the features that spot a
missing figure ("how many", "how long", "how many <things>") or a missing date of a past event
name the reason shown to the user.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Six off-topic questions ("a recipe for banana bread", "fix a flat tyre") scored 0.07-0.16 and no
# on-topic training question scores under 0.25; between that and 0.30 the model decides better than
# a floor (held out one training file at a time, as rag.answering.assess.training does, 8 files, logistic model:
# 0.836 of unanswerable refused with a 0.30 floor, 0.856 with this one).
EVIDENCE_FLOOR = 0.20


@dataclass(frozen=True)
class RefusalDecision:
    refuse: bool
    reason: str = ""
    probability: float | None = None  # the model's probability that the passages answer, when it was asked


def outright(values: dict[str, float], missing_names: Sequence[str]) -> RefusalDecision | None:
    """The refusal that no model probability overrides, if any: evidence under the floor, or names
    the question relies on (``unknown_names``) that no document mentions."""
    if values["evidence"] < EVIDENCE_FLOOR:
        return RefusalDecision(True, "No passage comes close to answering the question.")
    if missing_names:
        quoted = ", ".join(f"“{name}”" for name in missing_names)
        return RefusalDecision(True, f"The documents never mention {quoted}.")
    return None


def decide(
    values: dict[str, float],
    missing_names: Sequence[str],
    probability: float,
    threshold: float,
    asks_for_named_provision: bool = False,
    corrects_premise: bool = False,
) -> RefusalDecision:
    """Whether to refuse, and the reason shown to the user.

    ``values`` are ``rag.answering.assess.features.features`` of the question and its evidence, and
    ``probability`` the answerability model's estimate that the passages answer it. After the
    ``outright`` refusals, a question asking what a provision it names says is answered by that
    provision (``asks_only_for_named_provision``, and retrieval found it), and a question whose premise
    the passages contradict (``corrects_premise``: "Since the treaty sets a minimum of four years ...")
    by that correction; otherwise the probability decides against ``threshold``, and the reason names
    what the closest provisions lack.
    """
    early = outright(values, missing_names)
    if early is not None:
        return early
    if asks_for_named_provision or corrects_premise or probability >= threshold:
        return RefusalDecision(False, probability=probability)
    if values["figure_missing"] or values["count_missing"]:
        reason = "The question asks for a figure that the closest provisions do not give."
    elif values["date_missing"]:
        reason = "The question asks for a date that the closest provisions do not give."
    else:
        reason = "The closest provisions do not say what the question asks."
    return RefusalDecision(True, reason, probability)
