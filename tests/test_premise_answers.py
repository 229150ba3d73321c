"""Through the whole answer path, on a small treaty: a premise the text contradicts opens the answer with
"No" and the correcting provision, in extractive mode and when a generative mode falls back to quoting;
a premise the text bears out does not."""

from __future__ import annotations

import pytest

from rag.answering.assess.premise import PREMISE_CORRECTION
from rag.engine import Engine
from tests.testkit import engine_for

TREATY = """Model Convention against Cybercrime

Article 1

Extradition

1. This article shall apply to the criminal offences established in accordance with this Convention where the
person who is the subject of the request for extradition is present in the territory of the requested State Party,
provided that the offence for which extradition is sought is punishable under the domestic law of both the
requesting State Party and the requested State Party.

2. Extradition shall be subject to the conditions provided for by the domestic law of the requested State Party.

Article 2

Use of information

1. The requesting State Party shall not transmit or use information or evidence furnished by the requested State
Party for investigations, prosecutions or judicial proceedings other than those stated in the request without
the prior consent of the requested State Party.

Article 3

Preservation

1. Each State Party shall adopt such measures as may be necessary to enable its competent authorities to order
the expeditious preservation of specified electronic data.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, make_settings, embeddings) -> Engine:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("premise-store")
    docs = folder / "docs"
    docs.mkdir()
    (docs / "model-convention.txt").write_text(TREATY, encoding="utf-8")
    engine = engine_for(make_settings(folder, embedding_backend="minilm"), embeddings)
    report = engine.ingest([docs])
    assert not report.failed
    return engine


FALSE_PREMISE = (
    "Since the convention obliges countries to extradite even if the offence is not a crime in the "
    "requested country, what procedure applies?"
)


def test_a_premise_the_text_contradicts_opens_with_no_and_the_correcting_provision(engine: Engine) -> None:
    answer = engine.ask(FALSE_PREMISE, mode="extractive")
    assert not answer.refused
    first = answer.sentences[0]
    assert first.text.startswith(PREMISE_CORRECTION) and "art. 1(1)" in first.text
    assert "punishable under the domestic law of both" in " ".join(first.text.split()) and first.supported


def test_a_generative_mode_that_falls_back_to_quoting_still_corrects_the_premise(engine: Engine) -> None:
    answer = engine.ask(FALSE_PREMISE, mode="openai")  # no endpoint configured: the answer quotes
    assert answer.notice and not answer.refused
    assert answer.text.startswith(PREMISE_CORRECTION)


def test_a_claim_the_text_bears_out_is_not_answered_with_no(engine: Engine) -> None:
    answer = engine.ask(
        "A blogger says the requesting State may not use evidence it receives for other proceedings without the "
        "prior consent of the requested State. Is that right?",
        mode="extractive",
    )
    assert not answer.refused and not answer.text.startswith("No")
