"""The openai path with answers written as a capable model writes them: what the product keeps,
flags and cites.

A small OpenAI-compatible server (``eval.written_endpoint.WrittenAnswerEndpoint``) answers each question with
text written in advance: paraphrases of the passages, yes/no and short openings, and sentences
made wrong on purpose (a "may" written as "must", the wrong actor, a dropped "not", a wrong
number). A written sentence names its passage by a phrase; the server turns that into the
number the prompt gave the passage, as a model reading the prompt would. Correct sentences must
be kept and cited to the passage holding the phrase; wrong ones must be flagged (not shown).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pydantic import SecretStr
from test_openai_server import assert_well_formed
from testkit import engine_for, ingest_into

from eval.written_endpoint import WrittenAnswerEndpoint
from rag.answering.types import Answer
from rag.settings import Settings

FILES = (
    "un-cybercrime-convention-2024-interpretative-notes.txt",
    "news-us-support-un-cybercrime-convention.txt",
    "un-ga-resolution-79-243.txt",
)
_PASSAGE_LINE_RE = re.compile(r"^\[(\d+)\] \((.*?)\) (.*)$", re.MULTILINE)
_PHRASE_RE = re.compile(r"<<(.+?)>>")


@dataclass(frozen=True)
class Written:
    """One written sentence: its text, with ``<<phrase>>`` where the model puts the passage number."""

    text: str
    source: str  # a phrase of the passage it rests on
    wrong: str | None = None  # what was made wrong, for a deliberately wrong sentence

    def template(self) -> str:
        return f"{self.text} [<<{self.source}>>]."

    @property
    def plain(self) -> str:
        return self.text + "."


@dataclass(frozen=True)
class Case:
    question: str
    opening: str | None  # the direct answer the model opens with
    sentences: tuple[Written, ...]

    def template(self) -> str:
        parts = [f"{self.opening}."] if self.opening else []
        return " ".join(parts + [s.template() for s in self.sentences])


CASES = (
    Case(
        "Which day is the International Anti-Cybercrime Day?",
        "24 December",
        (
            Written(
                "The General Assembly designated 24 December as International Anti-Cybercrime Day to raise "
                "awareness of cybercrime",
                "24 December should be designated",
            ),
        ),
    ),
    Case(
        "Where will the convention be opened for signature?",
        "In Hanoi",
        (
            Written(
                "The convention opens for signature in Hanoi in 2025 and then at United Nations Headquarters in "
                "New York until 31 December 2026",
                "opens it for signature in Hanoi",
            ),
            Written(
                "The convention opens for signature at United Nations Headquarters in New York until 31 December 2027",
                "opens it for signature in Hanoi",
                wrong="number",
            ),
        ),
    ),
    Case(
        "Do states have to copy the convention's definitions word for word into their national laws?",
        "No",
        (
            Written(
                "States parties are not obliged to reproduce the terminology of article 2 verbatim in their "
                "domestic laws, as long as those laws cover the same concepts",
                "not obliged to reproduce verbatim",
            ),
            Written(
                "States parties are obliged to reproduce verbatim in their domestic laws the same terminology "
                "defined in article 2 of the convention",
                "not obliged to reproduce verbatim",
                wrong="dropped not",
            ),
        ),
    ),
    Case(
        "Does the definition of service provider cover web hosting companies?",
        "Yes",
        (
            Written(
                "A service provider includes services that provide hosting and caching as well as services that "
                "connect users to a network",
                "hosting and caching services",
            ),
            Written(
                "People who only use a web hosting company to host their own websites are not meant to be covered "
                "by the definition",
                "hosting and caching services",
            ),
        ),
    ),
    Case(
        "Who will act as the secretariat of the Conference of the States Parties?",
        "The United Nations Office on Drugs and Crime",
        (
            Written(
                "The Secretary-General is asked to designate the United Nations Office on Drugs and Crime to serve "
                "as the secretariat of the Conference of the States Parties",
                "to serve as the secretariat",
            ),
            Written(
                "The Secretary-General is asked to designate the Ad Hoc Committee to serve as the secretariat of "
                "the Conference of the States Parties",
                "to serve as the secretariat",
                wrong="actor",
            ),
        ),
    ),
    Case(
        "Can states cooperate with each other outside the convention?",
        "Yes",
        (
            Written(
                "Outside the convention, States parties may give one another other forms of international "
                "cooperation that the requested State's domestic law allows",
                "Outside the convention",
            ),
            Written(
                "Outside the convention, States parties must afford one another any other forms of international "
                "cooperation allowed by the domestic law of the requested State party",
                "Outside the convention",
                wrong="modal",
            ),
        ),
    ),
    Case(
        "How long are the sessions for negotiating a protocol to the convention?",
        None,
        (
            Written(
                "The Ad Hoc Committee is to hold two sessions of 10 days each to negotiate a draft protocol",
                "two sessions of a duration of 10 days each",
            ),
            Written(
                "The Ad Hoc Committee is to hold two sessions of 15 days each to negotiate a draft protocol",
                "two sessions of a duration of 10 days each",
                wrong="number",
            ),
        ),
    ),
)
CASE_BY_QUESTION = {case.question: case for case in CASES}


def number_passages(template: str, prompt: str) -> str:
    """Replace each ``<<phrase>>`` by the number the prompt gave the passage holding the phrase."""
    shown = {int(n): " ".join(text.split()) for n, _, text in _PASSAGE_LINE_RE.findall(prompt)}

    def number(match: re.Match[str]) -> str:
        phrase = match.group(1)
        found = [n for n, text in shown.items() if phrase.lower() in text.lower()]
        return str(found[0]) if found else "99"

    return _PHRASE_RE.sub(number, template)


# Summaries and comparisons, written for the topic the prompt ends with.
RESOLUTION_SUMMARY = (
    Written(
        "The General Assembly adopts the convention and opens it for signature in Hanoi in 2025",
        "opens it for signature in Hanoi",
    ),
    Written(
        "It names 24 December as International Anti-Cybercrime Day to raise awareness of cybercrime",
        "24 December should be designated",
    ),
    Written(
        "It asks the Secretary-General to make the Ad Hoc Committee the secretariat", "to serve as the secretariat"
    ),
)
COMPARISON = (
    Written(
        "States parties are not obliged to reproduce the terminology of article 2 verbatim in their domestic laws",
        "not obliged to reproduce verbatim",
    ),
    Written(
        "The Conference of the States Parties is asked to keep abreast of technological developments in cybercrime",
        "keep abreast of technological developments",
    ),
)
# A comparison's topic names both documents, so it is looked for first.
SUMMARY_TOPICS = {"each provide on": COMPARISON, "GA resolution 79/243": RESOLUTION_SUMMARY}


def write_answer(messages: list[dict[str, str]]) -> str:
    """The capable model: the answer written for the question (or the summary for the topic) last asked."""
    prompt = messages[-1]["content"]
    if "Summarise:" in prompt:
        topic = prompt.rsplit("Summarise:", 1)[-1]
        written = next((w for key, w in SUMMARY_TOPICS.items() if key in topic), ())
        return number_passages(" ".join(w.template() for w in written), prompt)
    question = prompt.rsplit("Question:", 1)[-1].strip()
    case = CASE_BY_QUESTION.get(question)
    return number_passages(case.template(), prompt) if case else "NOT_IN_DOCUMENTS"


@pytest.fixture(scope="module")
def written_store(tmp_path_factory, corpus_dir, embeddings, make_settings) -> Settings:
    settings = make_settings(tmp_path_factory.mktemp("written"))
    ingest_into(settings, embeddings, [corpus_dir / name for name in FILES])
    return settings


@pytest.fixture(scope="module")
def endpoint() -> Iterator[WrittenAnswerEndpoint]:
    with WrittenAnswerEndpoint(write_answer) as server:
        yield server


@pytest.fixture(scope="module")
def engine(written_store, embeddings, endpoint):  # type: ignore[no-untyped-def]
    settings = written_store.model_copy(
        update={"openai_base_url": endpoint.base_url, "openai_api_key": SecretStr("sk-test"), "openai_timeout": 30.0}
    )
    return engine_for(settings, embeddings)


@pytest.fixture(scope="module")
def answers(engine, endpoint) -> dict[str, tuple[Answer, list[list[dict[str, str]]]]]:
    """Every case asked once in openai mode: the answer and the messages the server received."""
    results = {}
    for case in CASES:
        before = len(endpoint.requests)
        answer = engine.ask(case.question, mode="openai")
        results[case.question] = (answer, endpoint.requests[before:])
    return results


def sentence_of(answer: Answer, written: Written):  # type: ignore[no-untyped-def]
    matches = [s for s in answer.sentences if s.text.rstrip(".") == written.text]
    assert matches, f"{written.text!r} not among {[s.text for s in answer.sentences]}"
    return matches[0]


def kept_and_cited(answer: Answer, written: Written) -> bool:
    """Shown, with a citation of the passage holding the phrase it rests on."""
    if not any(s.text.rstrip(".") == written.text for s in answer.sentences):
        return False  # dropped with the rest of the model's text (the answer fell back to quotes)
    sentence = sentence_of(answer, written)
    quotes = [answer.citation(n) for n in sentence.citations]
    passages = {p.passage.id: p.passage.text for p in answer.passages}
    holds = [c for c in quotes if written.source.lower() in " ".join(passages.get(c.passage_id, "").split()).lower()]
    return sentence.supported and bool(holds) and written.plain.rstrip(".") in answer.text


def flagged(answer: Answer, written: Written) -> bool:
    """Not shown as cited: kept apart as unsupported with the verifier's verdict and reason, or dropped
    with the rest of the model's text when none of it could be verified (the answer then quotes)."""
    if (
        written.text not in answer.text
        and answer.notice
        and not any(s.text.rstrip(".") == written.text for s in answer.sentences)
    ):
        return True
    sentence = sentence_of(answer, written)
    return (
        not sentence.supported and not sentence.citations and bool(sentence.reason) and written.text not in answer.text
    )


CORRECT = [(case, w) for case in CASES for w in case.sentences if w.wrong is None]
WRONG = [(case, w) for case in CASES for w in case.sentences if w.wrong is not None]


CORRECT_CASES = [pytest.param(case, w, id=w.text[:40]) for case, w in CORRECT]


@pytest.mark.parametrize(("case", "written"), CORRECT_CASES)
def test_paraphrased_correct_sentence_is_kept_and_cited_to_its_passage(answers, corpus_dir, case, written) -> None:
    answer, _ = answers[case.question]
    assert not answer.refused and answer.notice is None, answer.to_json()
    assert kept_and_cited(answer, written), answer.to_json()
    assert_well_formed(answer, corpus_dir)


@pytest.mark.parametrize("case", [c for c in CASES if c.opening], ids=lambda c: c.opening)
def test_answer_opens_with_the_direct_answer_the_model_gave(answers, case) -> None:
    answer, _ = answers[case.question]
    assert answer.direct == case.opening
    assert answer.text.startswith(case.opening + ". "), answer.text


def test_an_answer_without_an_opening_has_no_direct_answer(answers) -> None:
    answer, _ = answers[next(c.question for c in CASES if c.opening is None)]
    assert answer.direct is None and not answer.refused


def test_wrong_number_is_flagged(answers) -> None:
    for case, written in WRONG:
        if written.wrong == "number":
            assert flagged(answers[case.question][0], written), written.text


def test_modal_may_written_as_must_is_flagged(answers) -> None:
    case, written = next((c, w) for c, w in WRONG if w.wrong == "modal")
    assert flagged(answers[case.question][0], written)


def test_dropped_not_is_flagged(answers) -> None:
    case, written = next((c, w) for c, w in WRONG if w.wrong == "dropped not")
    assert flagged(answers[case.question][0], written)


def test_wrong_actor_is_flagged(answers) -> None:
    """ "The Ad Hoc Committee" as secretariat is contradicted by the paragraph that designates UNODC;
    another paragraph of the resolution, which names both, grounds it less well and does not save it."""
    case, written = next((c, w) for c, w in WRONG if w.wrong == "actor")
    assert flagged(answers[case.question][0], written)


def test_capable_model_reads_whole_passages_not_excerpts(answers) -> None:
    """The notes' paragraph on service providers reaches the model whole (over 360 characters)."""
    _, requests = answers[CASES[3].question]
    prompt = requests[0][-1]["content"]
    assert "a service provider includes both services that provide hosting and caching services" in prompt
    assert "are not intended to be covered by this definition." in prompt


def test_shares_of_kept_and_flagged_sentences(answers) -> None:
    """The issue's figures: at least 90% of correct sentences kept and cited (wrong ones: below)."""
    kept = sum(kept_and_cited(answers[c.question][0], w) for c, w in CORRECT)
    caught = sum(flagged(answers[c.question][0], w) for c, w in WRONG)
    print(f"\ncorrect kept and cited: {kept}/{len(CORRECT)}; wrong flagged: {caught}/{len(WRONG)}")
    assert kept / len(CORRECT) >= 0.9


def test_at_least_nine_in_ten_wrong_sentences_are_flagged(answers) -> None:
    caught = sum(flagged(answers[c.question][0], w) for c, w in WRONG)
    assert caught / len(WRONG) >= 0.9


def test_document_without_articles_is_summarised_by_its_paragraphs(engine) -> None:
    summary = engine.summarize("un-ga-resolution-79-243", mode="extractive")
    assert not summary.refused and summary.citations
    assert all(c.doc == "un-ga-resolution-79-243" for c in summary.citations)
    # Its operative paragraphs 1 to 12, not its preamble.
    assert {c.paragraph for c in summary.citations} == {str(n) for n in range(1, 13)}


def test_written_summary_keeps_its_verified_plain_sentences_and_cites_them(engine, corpus_dir) -> None:
    summary = engine.summarize("un-ga-resolution-79-243", mode="openai")
    assert summary.notice is None, summary.notice
    correct, wrong_actor = RESOLUTION_SUMMARY[:2], RESOLUTION_SUMMARY[2]
    for written in correct:
        assert kept_and_cited(summary, written), summary.to_json()
    assert_well_formed(summary, corpus_dir)
    assert sentence_of(summary, wrong_actor)  # written by the model, judged like any sentence


# Measured with the verifier: against the paragraph that designates UNODC this sentence is "not
# found" (not contradicted), and other paragraphs of the resolution that name the Secretary-General,
# the Ad Hoc Committee or the secretariat are found to support it.
def test_written_summary_flags_its_wrong_actor(engine) -> None:
    """The paragraph designating UNODC contradicts "the Ad Hoc Committee" as secretariat, and other paragraphs of
    the resolution, which name both, ground the sentence less well."""
    summary = engine.summarize("un-ga-resolution-79-243", mode="openai")
    assert flagged(summary, RESOLUTION_SUMMARY[2])


def test_written_comparison_opens_each_sentence_with_its_document_first_document_first(engine, corpus_dir) -> None:
    comparison = engine.compare(
        "un-ga-resolution-79-243",
        "un-cybercrime-convention-2024-interpretative-notes",
        "technological developments and terminology",
        mode="openai",
    )
    written = comparison.written
    assert written is not None
    # The model wrote the notes' sentence first; the resolution's comes first, each named by the system.
    assert [s.text for s in written.sentences] == [
        f"GA resolution 79/243: {COMPARISON[1].plain}",
        f"Interpretative notes (UN Cybercrime Convention): {COMPARISON[0].plain}",
    ]
    docs = [written.citation(s.citations[0]).doc for s in written.sentences]
    assert docs == ["un-ga-resolution-79-243", "un-cybercrime-convention-2024-interpretative-notes"]
    assert_well_formed(written, corpus_dir)


def test_summary_the_model_gets_wrong_everywhere_falls_back_to_quotes(written_store, embeddings) -> None:
    with WrittenAnswerEndpoint(lambda messages: "Cybercrime is best fought with firewalls and antivirus [1].") as bad:
        settings = written_store.model_copy(
            update={"openai_base_url": bad.base_url, "openai_api_key": SecretStr("sk-test"), "openai_timeout": 30.0}
        )
        summary = engine_for(settings, embeddings).summarize("un-ga-resolution-79-243", mode="openai")
    assert summary.notice and "quotes them instead" in summary.notice
    assert summary.citations and all(s.supported for s in summary.sentences)
