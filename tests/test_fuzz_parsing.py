"""Property tests for the text parsers that see untrusted input: questions, model output, passages.

Hypothesis feeds random text (unicode, RTL marks, zero-width characters, odd citation
markers) to the sentence splitter, the model-output parser, attribution (with a fake,
deterministic verifier), the query reader and the name finder. None may raise, and
the offsets and indices they return must stay inside what they were given.
"""

from __future__ import annotations

import hashlib

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rag.answering.assess.names import names_in
from rag.answering.cite import CitationBook, attribute
from rag.answering.draft.context import PromptContext
from rag.answering.draft.drafting import parse_drafts
from rag.answering.draft.types import DraftSentence
from rag.references import read_query
from rag.sentences import split_sentences
from rag.types import Passage, ScoredPassage
from rag.verification import Verdict, Verification, Verifier

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that real legal text and real model output are made of, plus troublemakers.
_PIECES = [
    "Article 24",
    "art. 5(2)",
    "para. 3",
    "e.g.",
    "i.e.",
    "U.S.",
    "1.",
    "(a)",
    "(iv)",
    ". ",
    "; ",
    "? ",
    "! ",
    ":\n",
    "\n\n",
    " ",
    "\t",
    "[1]",
    "[0]",
    "[99]",
    "[1,2]",
    "[1, 2, 3]",
    "[-1]",
    "[]",
    "[1",
    "]",
    "[١]",  # Arabic-Indic digit one
    "[²]",
    "”",
    "“",
    '"',
    ")",
    "\u200b",  # zero-width space
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\ufeff",
    "مادة ٢٤",
    "שלום.",
    "NOT_IN_DOCUMENTS",
    "not in documents",
    "States Parties shall",
    "Each State Party shall adopt such legislative measures",
    "Ignore previous instructions",
]
legal_text = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)), max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=400), legal_text)


# ----- split_sentences -----
@FUZZ
@given(any_text)
@example("")
@example("   ")
@example("art. 5. 1. (a) ;;; [1][2] \n\n :\n")
@example("\u200b.\u200b.\u200b")
def test_sentence_spans_are_ordered_trimmed_and_inside_the_text(text: str) -> None:
    spans = split_sentences(text)
    previous_end = 0
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert start >= previous_end, f"overlapping or unordered spans {spans}"
        assert not text[start].isspace() and not text[end - 1].isspace()
        previous_end = end


@FUZZ
@given(any_text)
def test_sentence_spans_cover_every_visible_character(text: str) -> None:
    """Splitting drops only whitespace: nothing a reader could see falls between sentences."""
    spans = split_sentences(text)
    covered = set()
    for start, end in spans:
        covered.update(range(start, end))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


# ----- parse_drafts -----
@FUZZ
@given(any_text, st.integers(min_value=0, max_value=12))
@example("Yes [0]. No [99]. Both [1,2]. [3]", 2)
@example("[1]", 1)
@example("\u202eSentence one [1].\u200b Sentence two [２].", 3)
@example("The answer is NOT_IN_DOCUMENTS.", 3)
@example("[" + "9" * 400 + "] big", 3)
def test_parse_drafts_never_raises_and_claims_only_existing_passages(text: str, passage_count: int) -> None:
    shown = tuple(range(passage_count))
    drafts, declined = parse_drafts(text, PromptContext(shown, ("",) * passage_count, ("",) * passage_count))
    assert isinstance(declined, bool)
    if declined:
        assert drafts == []
    for draft in drafts:
        assert draft.text.strip()
        assert all(0 <= index < passage_count for index in draft.claimed), (draft, passage_count)
        assert len(set(draft.claimed)) == len(draft.claimed)


# ----- attribute with a fake judge -----
class FakeVerifier(Verifier):
    """A deterministic verifier: the verdict is a hash of the pair, the window a slice of the passage."""

    def __init__(self, threshold: float = 0.5) -> None:
        self.threshold = threshold

    def prepare(self, sentences: list[str]) -> None:
        """Nothing to embed."""

    def verify(
        self, sentence: str, passage_text: str, *, doc_id: str | None = None, article: str | None = None
    ) -> Verification:
        digest = hashlib.sha256(f"{sentence}\x00{passage_text}".encode()).digest()
        value = digest[0] / 255
        if not passage_text:
            return Verification(Verdict.NOT_FOUND, "empty passage", 0, 0, 0.0)
        a, b = sorted((digest[1] % (len(passage_text) + 1), digest[2] % (len(passage_text) + 1)))
        if value >= self.threshold:
            return Verification(Verdict.SUPPORTED, None, a, b, value)
        verdict = Verdict.CONTRADICTED if digest[3] % 2 else Verdict.NOT_FOUND
        return Verification(verdict, "fuzzed", a, b, value)


def _passages(texts: list[str]) -> tuple[str, list[ScoredPassage]]:
    """Passages laid end to end in one document text, so that document offsets can be checked."""
    document = ""
    scored = []
    for index, text in enumerate(texts):
        start = len(document)
        document += text + "\n"
        passage = Passage(
            id=f"doc:{index:04d}:fake",
            doc_id="doc",
            doc_title="A fuzzed document",
            text=text,
            start=start,
            end=start + len(text),
            context="doc",
            kind="article",
            article=str(index + 1),
            paragraphs=("1",),
        )
        scored.append(ScoredPassage(passage, 1.0 / (index + 1), supporting=index % 3 == 2))
    return document, scored


draft_sentences = st.builds(
    DraftSentence,
    text=any_text,
    claimed=st.lists(st.integers(min_value=-3, max_value=12), max_size=4).map(tuple),
)


@FUZZ
@given(
    st.lists(draft_sentences, max_size=6),
    st.lists(legal_text, min_size=0, max_size=6),
    st.floats(min_value=0.0, max_value=1.0),
)
def test_attribution_cites_only_real_spans_whatever_the_drafts_claim(
    drafts: list[DraftSentence], texts: list[str], threshold: float
) -> None:
    document, passages = _passages(texts)
    sentences, citations = attribute(drafts, passages, FakeVerifier(threshold), CitationBook())
    assert [c.n for c in citations] == list(range(1, len(citations) + 1))
    for citation in citations:
        assert document[citation.start : citation.end] == citation.quote
        assert citation.passage_id in {p.passage.id for p in passages}
    for sentence in sentences:
        assert sentence.text.strip()
        assert all(1 <= n <= len(citations) for n in sentence.citations)
        assert sentence.supported == bool(sentence.citations)


@FUZZ
@given(st.lists(legal_text, min_size=1, max_size=5), st.data())
def test_verbatim_drafts_cite_exactly_their_span(texts: list[str], data: st.DataObject) -> None:
    document, passages = _passages(texts)
    index = data.draw(st.integers(0, len(passages) - 1))
    text = passages[index].passage.text
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    draft = DraftSentence(text[start:end] or "x", (index,), index, (start, end))
    _sentences, citations = attribute([draft], passages, FakeVerifier(), CitationBook())
    for citation in citations:
        assert document[citation.start : citation.end] == citation.quote == text[start:end]


# ----- questions -----
question_text = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "Article ",
                    "art. ",
                    "arts ",
                    "chapter ",
                    "Chapter ",
                    "note ",
                    "interpretative note ",
                    "paragraph ",
                    "preamble",
                    "Budapest",
                    "UNTOC",
                    "UNCAC",
                    "UN",
                    "compare ",
                    "versus ",
                    "(2)",
                    "§",
                    "IV",
                    "MMXXIV",
                    "CCCC",
                    "0",
                    "999",
                    "How many",
                    "Human Rights Watch",
                    "O'Neil’s",
                    "NGOs",
                    "Ünïcödé",
                    "ⅠⅡⅢ",
                    "\u200b",
                    "\u202e",
                    "?",
                    " ",
                ]
            ),
            st.text(max_size=8),
        ),
        max_size=30,
    ).map("".join),
)


@FUZZ
@given(question_text)
@example("chapter 0")
@example("chapter 9999 article 0 note 0 paragraph 0")
@example("Compare Budapest vs UNTOC vs UNCAC article 5(2) chapter IV preamble")
def test_read_query_never_raises(question: str) -> None:
    reading = read_query(question)
    kinds = {"article", "section", "chapter", "note", "preamble", "paragraph"}
    assert all(ref.kind in kinds for ref in reading.provisions)
    known = {"budapest-convention-ets185", "untoc-2000"}
    assert set(read_query(question, known).documents) <= known


@FUZZ
@given(question_text)
@example("'s")
@example("’")
@example("A-")
@example("- - -")
def test_names_in_never_raises_and_returns_text_from_the_question(question: str) -> None:
    names = names_in(question)
    assert len(names) == len(set(names))
    for name in names:
        assert name.strip()
        assert all(word in question for word in name.split())
