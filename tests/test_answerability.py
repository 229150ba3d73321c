"""The answerability model (rag.answering.assess: features and model): its features, the committed model, and its
decisions through the answer service on the whole corpus.

The questions here are not from the gold splits: they exercise the kinds the model was trained for.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from rag.answering.assess.features import FEATURES, features
from rag.answering.assess.model import MODEL_PATH, AnswerabilityModel, load_model
from rag.keyword_index import Vocabulary

TEXTS = [
    "Each State Party shall establish as a criminal offence the access to the whole or any part of a system.",
    "Each State Party shall adopt measures to enable its competent authorities to order the preservation of data.",
    "This Convention shall enter into force on the ninetieth day after the fortieth instrument of ratification.",
]
VOCABULARY = Vocabulary.build(TEXTS)


def test_idf_is_one_for_a_stem_no_text_has_and_lowest_for_the_commonest() -> None:
    assert VOCABULARY.idf("zebra") == 1.0
    assert VOCABULARY.idf("parti") < VOCABULARY.idf("preserv") < 1.0


def test_words_the_evidence_lacks_lower_coverage_and_unknown_ones_are_counted() -> None:
    def of(question: str) -> dict[str, float]:
        return features(question, [TEXTS[1]], [0.7], [TEXTS[1]], VOCABULARY, "", [])

    covered = of("Do authorities order preservation of data?")
    lacking = of("Do authorities order preservation of cryptocurrency wallets?")
    assert covered["coverage"] == 1.0 and covered["unseen_terms"] == 0
    assert lacking["coverage"] < covered["coverage"] and lacking["unseen_terms"] == 2


def test_word_rarity_comes_from_the_reference_vocabulary_not_the_stores_size() -> None:
    small_store = Vocabulary.build(TEXTS[1:2])
    question = "Does the access to a system need ratification?"

    def of(reference: Vocabulary, store: Vocabulary) -> dict[str, float]:
        return features(question, [TEXTS[1]], [0.7], [TEXTS[1]], reference, "", [], store)

    assert of(VOCABULARY, small_store) == of(VOCABULARY, VOCABULARY)
    shifted = of(small_store, small_store)  # what the features were when the store was the reference
    assert shifted["unseen_terms"] == 3  # access, system, ratification (and need): the cap
    assert of(VOCABULARY, small_store)["unseen_terms"] == 1  # "need": no text has it
    assert shifted["coverage"] != of(VOCABULARY, small_store)["coverage"]


def test_a_word_only_the_store_has_is_not_unknown() -> None:
    store = Vocabulary.build(["Cyber-squatting is the acquisition of a domain name in bad faith."])
    question = "Is cyber-squatting a crime?"
    assert features(question, [], [0.5], [], VOCABULARY, "", [])["unseen_terms"] == 3  # cyber, squat, crime
    assert features(question, [], [0.5], [], VOCABULARY, "", [], store)["unseen_terms"] == 1  # "crime"


def test_an_uploads_own_words_are_as_rare_as_in_the_store_not_unknown() -> None:
    act = Vocabulary.build(["Cyber-squatting is an offence.", "The court may order access.", "The court hears."])
    united = VOCABULARY.united_with(act)
    assert united.idf("parti") == VOCABULARY.idf("parti")  # the reference keeps its own counts
    assert united.idf("court") < united.idf("squat") < 1.0 == united.idf("zebra")
    # Two of three passages of the act is two thirds of the reference's passages.
    assert united.document_frequency["court"] == pytest.approx(2 / 3 * VOCABULARY.passages)


def test_a_short_name_of_an_upload_is_no_word_the_passages_miss() -> None:
    from rag.answering.assess.names import document_name_words
    from rag.documents import builtin_registry, upload_entry

    act = upload_entry("testland-act", "Cybercrime Act", "Cybercrime Act", ["ra 4242"])
    registry = builtin_registry().with_entries([act])
    question = "Is access to a system an offence under RA 4242?"
    named = document_name_words(question, registry)
    assert named == {"ra", "4242"}
    plain = features(question, [TEXTS[0]], [0.7], [TEXTS[0]], VOCABULARY, "", [])
    read = features(question, [TEXTS[0]], [0.7], [TEXTS[0]], VOCABULARY, "", [], None, named)
    assert plain["unseen_terms"] == 1 and plain["coverage"] < 1.0  # "ra": no text has it
    assert read["unseen_terms"] == 0 and read["coverage"] == 1.0
    # A word of a name that the texts use still counts: "access" is asked about, whatever names it.
    also_named = frozenset({"access"})
    lacking = features(question, [TEXTS[1]], [0.7], [TEXTS[1]], VOCABULARY, "", [], None, also_named)
    assert lacking["coverage"] < 1.0


def test_the_evidence_measures_each_set_of_features_only_when_read() -> None:
    from rag.answering.assess import Evidence

    measured: list[bool] = []

    def measure(plain_terms: bool) -> dict[str, float]:
        measured.append(plain_terms)
        return dict.fromkeys(FEATURES, 1.0 if plain_terms else 0.0)

    evidence = Evidence(measure, [0.0], [], False)
    assert evidence.values["coverage"] == 1.0 and evidence.values["coverage"] == 1.0
    assert measured == [True]
    assert evidence.own_text_values["coverage"] == 0.0 and measured == [True, False]


def test_a_figure_or_date_the_best_sentences_lack_is_flagged() -> None:
    asked = "How many countries must ratify before it enters into force?"
    given = features(asked, [TEXTS[2]], [0.7], [TEXTS[2]], VOCABULARY, "", [])
    missing = features(asked, [TEXTS[0]], [0.7], [TEXTS[0]], VOCABULARY, "", [])
    assert given["figure_missing"] == 0 and missing["figure_missing"] == 1
    dated = features("When did the committee meet?", [TEXTS[0]], [0.7], [TEXTS[0]], VOCABULARY, "", [])
    assert dated["date_missing"] == 1 and dated["asks_status"] == 0
    assert features("Is the treaty in force today?", [], [], [], VOCABULARY, "", [])["asks_status"] == 1


def test_a_date_for_someone_else_does_not_date_the_asked_actor() -> None:
    budapest = ["Done at Budapest, this 23rd day of November 2001, in English and in French."]
    adopted = ["Adopted by the General Assembly on 24 December 2024."]

    def undated(question: str, best: list[str]) -> float:
        return features(question, best, [0.7], best, VOCABULARY, "", [])["actor_undated"]

    assert undated("When did the United States sign the Budapest Convention?", budapest) == 1
    assert undated("When did the General Assembly adopt the convention?", adopted) == 0
    assert undated("When was the Budapest Convention done?", budapest) == 0


def test_the_committed_model_matches_the_features_and_the_question_models() -> None:
    model = load_model()
    members, inputs, hidden = model.hidden_weights.shape
    assert len(model.feature_means) == len(FEATURES)
    assert len(model.vector_means) == 384 + 384  # MiniLM, then e5
    assert inputs == len(FEATURES) + 768 and model.output_weights.shape == (members, hidden)
    assert 0.0 < model.threshold < 1.0


def test_the_saved_model_loads_back_and_decides_the_same(tmp_path) -> None:
    model = replace(load_model(), vocabulary=VOCABULARY)
    path = tmp_path / "model.npz"
    model.with_threshold(0.25).save(path)
    loaded = AnswerabilityModel.load(path)
    assert loaded.vocabulary == VOCABULARY
    values, vector = dict.fromkeys(FEATURES, 0.5), [0.01] * 768
    assert loaded.threshold == 0.25
    assert loaded.probability(values, vector) == pytest.approx(model.probability(values, vector), abs=1e-5)


def _network(inputs: int, seed: int, threshold: float) -> AnswerabilityModel:
    """A small random network over the features and ``inputs - len(FEATURES)`` vector dimensions."""
    rng = np.random.default_rng(seed)
    vector = inputs - len(FEATURES)
    return AnswerabilityModel(
        feature_means=np.zeros(len(FEATURES)),
        feature_scales=np.ones(len(FEATURES)),
        vector_means=np.zeros(vector),
        vector_scales=np.ones(vector),
        hidden_weights=rng.normal(size=(2, inputs, 4)),
        hidden_biases=rng.normal(size=(2, 4)),
        output_weights=rng.normal(size=(2, 4)),
        output_biases=rng.normal(size=2),
        threshold=threshold,
    )


def test_a_question_from_a_document_the_model_was_not_trained_on_is_decided_without_its_vector(tmp_path) -> None:
    unfamiliar = _network(len(FEATURES), seed=1, threshold=0.4)
    model = replace(_network(len(FEATURES) + 6, seed=2, threshold=0.3), documents=frozenset({"h-un"}))
    model = replace(model, unfamiliar=unfamiliar)
    assert model.for_document("h-un") is model
    assert model.for_document("h-upload") is unfamiliar and not unfamiliar.reads_question_vector
    values = dict.fromkeys(FEATURES, 0.3)
    # The features-only model gives one probability whatever the question vector.
    assert unfamiliar.probability(values, [1.0] * 6) == unfamiliar.probability(values, [-1.0] * 6)
    assert model.probability(values, [1.0] * 6) != model.probability(values, [-1.0] * 6)
    assert replace(model, unfamiliar=None).for_document("h-upload").reads_question_vector
    model.save(tmp_path / "model.npz")
    loaded = AnswerabilityModel.load(tmp_path / "model.npz")
    assert loaded.documents == {"h-un"} and loaded.unfamiliar is not None
    assert loaded.for_document("h-upload").threshold == pytest.approx(0.4)
    assert loaded.for_document("h-upload").probability(values, []) == pytest.approx(
        unfamiliar.probability(values, []), abs=1e-5
    )


def test_a_model_trained_on_other_features_or_vectors_is_rejected(tmp_path) -> None:
    with np.load(MODEL_PATH, allow_pickle=False) as archive:
        arrays = dict(archive)
    np.savez(tmp_path / "other.npz", **(arrays | {"features": np.array(["evidence"])}))
    with pytest.raises(ValueError, match="other features"):
        AnswerabilityModel.load(tmp_path / "other.npz")
    with pytest.raises(ValueError, match="768-d"):
        load_model().probability(dict.fromkeys(FEATURES, 0.0), [0.0] * 384)


def test_the_e5_question_vector_is_reused_only_for_the_same_text() -> None:
    """Retrieval and the answerability model embed the same question in turn; the second call is served
    from the first, and only for the same text."""
    from rag.embeddings import get_question_embeddings
    from rag.settings import Settings

    e5 = get_question_embeddings(Settings())
    first = e5.embed_query("hacking into a computer")
    other = e5.embed_query("freezing bank accounts")
    again = e5.embed_query("freezing bank accounts")
    assert again == other and other != first and len(first) == 384
    again.append(0.0)  # each caller gets its own list
    assert len(e5.embed_query("freezing bank accounts")) == 384


@pytest.fixture(scope="module")
def engine(corpus_store):
    from rag.engine import Engine

    return Engine(corpus_store.settings)


@pytest.mark.parametrize(
    ("question", "answerable"),
    [
        ("Is hacking into someone's email a crime under the UN cybercrime convention?", True),
        ("Under the Budapest convention, how long can data be preserved at most?", True),
        ("Can a country refuse to extradite someone because the request looks politically motivated?", True),
        ("Has the UN cybercrime convention already entered into force today?", False),
        ("What did Amnesty International say about the final text?", False),
        ("How many years in prison does the UN treaty set for hacking?", False),
    ],
)
def test_the_service_answers_or_refuses_with_a_reason(engine, question: str, answerable: bool) -> None:
    answer = engine.ask(question, mode="extractive")
    assert answer.refused != answerable, answer.notice
    shown = answer.to_json()["answerability"]
    if answerable:  # the model decided, and its probability cleared the threshold
        assert shown is not None and load_model().threshold <= shown <= 1
    if answer.refused:
        assert answer.notice and answer.citations == [] and answer.passages


def test_a_question_about_what_a_named_article_says_is_answered_from_that_article(engine) -> None:
    answer = engine.ask("What does article 40 of the UN cybercrime convention say?", mode="extractive").to_json()
    assert not answer["refused"]
    assert answer["citations"] and {c["article"] for c in answer["citations"]} == {"40"}


@pytest.fixture(scope="module")
def dev_examples(engine):
    from eval.dataset import load_questions
    from eval.train_refusal import DATASETS
    from rag.answering.assess.training import examples

    reference = load_model().vocabulary or engine.retriever.view().vocabulary  # as the product weighs them
    rows = [(q.question, q.answerable, "dev") for q in load_questions(DATASETS / "gold-dev.jsonl")]
    return examples(engine, rows, reference)


def test_the_committed_model_keeps_its_dev_figures(dev_examples) -> None:
    """A regression gate: the dev split, which the threshold was calibrated on, as the product decides it."""
    from rag.answering.assess.training import MIN_ANSWER_RATE, rates

    model = load_model()
    refused, answered = rates(model, model.threshold, dev_examples)
    # Measured 0.947 (18 of 19) and 0.926 (100 of 108) when the model was written; a freshly built
    # store retrieves slightly differently, so the gate leaves a margin (3 unanswerable, 6 answerable).
    assert answered >= MIN_ANSWER_RATE - 0.02, f"answerable answered {answered:.3f}"
    assert refused >= 15 / 19, f"unanswerable refused {refused:.3f}"


@pytest.mark.slow
def test_retraining_reproduces_the_committed_model(engine, dev_examples) -> None:
    """``python -m eval.train_refusal --write`` was run on the committed questions and features."""
    from eval.train_refusal import DATASETS
    from rag.answering.assess.training import calibrate, examples, fit, held_out_probabilities, read_training

    reference = engine.retriever.view().vocabulary
    train = examples(engine, read_training(sorted(DATASETS.glob("refusal-train-*.jsonl"))), reference)
    retrained = fit(train, reference)
    retrained = retrained.with_threshold(calibrate(retrained, dev_examples, train, held_out_probabilities(train)))
    committed = load_model()
    # A freshly built store can shift a feature slightly, hence agreement rather than equality.
    assert retrained.threshold == pytest.approx(committed.threshold, abs=0.05)
    agree = [
        (retrained.probability(e.values, e.vector) < retrained.threshold)
        == (committed.probability(e.values, e.vector) < committed.threshold)
        for e in dev_examples
    ]
    differing = [e.question for e, same in zip(dev_examples, agree, strict=True) if not same]
    assert len(differing) <= 0.05 * len(agree), differing


def test_one_training_file_is_held_out_in_parts_and_several_files_one_by_one() -> None:
    """``--train FILE`` with a single file must not fit a held-out model on nothing."""
    from rag.answering.assess.training import FOLDS_FOR_ONE_FILE, Example, held_out_groups

    def example(number: int, source: str) -> Example:
        return Example(str(number), number % 2 == 0, {}, [], False, False, source)

    parts = held_out_groups([example(i, "own.jsonl") for i in range(12)])
    assert len(parts) == FOLDS_FOR_ONE_FILE
    assert sorted(i for part in parts.values() for i in part) == list(range(12))
    files = held_out_groups([example(0, "a.jsonl"), example(1, "b.jsonl"), example(2, "a.jsonl")])
    assert files == {"a.jsonl": [0, 2], "b.jsonl": [1]}


def test_the_features_only_model_reads_the_passages_own_text_and_the_trained_one_their_plain_terms(tmp_path) -> None:
    from rag.answering.assess import Evidence

    with_terms, own_text = dict.fromkeys(FEATURES, 0.9), dict.fromkeys(FEATURES, 0.2)
    evidence = Evidence(lambda plain_terms: with_terms if plain_terms else own_text, [0.0] * 6, [], False)
    unfamiliar = replace(_network(len(FEATURES), seed=1, threshold=0.4), reads_plain_terms=False)
    model = replace(_network(len(FEATURES) + 6, seed=2, threshold=0.3), documents=frozenset({"h-un"}))
    model = replace(model, unfamiliar=unfamiliar)
    assert evidence.values_for(model.for_document("h-un")) is with_terms
    assert evidence.values_for(model.for_document("h-upload")) is own_text
    model.save(tmp_path / "model.npz")
    loaded = AnswerabilityModel.load(tmp_path / "model.npz")
    assert loaded.reads_plain_terms and loaded.unfamiliar is not None and not loaded.unfamiliar.reads_plain_terms


def test_a_model_saved_before_the_plain_terms_flag_reads_them(tmp_path) -> None:
    model = replace(_network(len(FEATURES), seed=3, threshold=0.4), reads_plain_terms=False)
    model.save(tmp_path / "model.npz")
    with np.load(tmp_path / "model.npz", allow_pickle=False) as archive:
        arrays = {name: value for name, value in archive.items() if name != "reads_plain_terms"}
    np.savez(tmp_path / "older.npz", **arrays)
    assert AnswerabilityModel.load(tmp_path / "older.npz").reads_plain_terms


def _examples(count: int) -> list:
    """Training examples whose features with plain terms (coverage near 1) and of the passages' own
    text (coverage near 0.3) differ, half of them answerable."""
    from rag.answering.assess.training import Example

    rng = np.random.default_rng(0)
    found = []
    for number in range(count):
        answerable = number % 2 == 0
        shift = 0.1 if answerable else 0.0
        with_terms = {name: float(rng.uniform(0.8, 1.0)) + shift for name in FEATURES}
        own_text = {name: float(rng.uniform(0.2, 0.4)) + shift for name in FEATURES}
        source = f"file-{number % 3}.jsonl"
        found.append(Example(f"q{number}", answerable, with_terms, [0.5, -0.5], False, False, source, own_text))
    return found


def test_the_features_only_model_is_fitted_on_the_passages_own_text() -> None:
    from rag.answering.assess.training import fit

    train = _examples(30)
    features_only = fit(train, with_vector=False)
    trained = fit(train)
    coverage = FEATURES.index("coverage")
    own_mean = np.mean([e.own_text_values["coverage"] for e in train])
    with_terms_mean = np.mean([e.values["coverage"] for e in train])
    assert not features_only.reads_plain_terms and trained.reads_plain_terms
    assert features_only.feature_means[coverage] == pytest.approx(own_mean)
    assert trained.feature_means[coverage] == pytest.approx(with_terms_mean)


def test_cached_features_are_read_back_only_for_the_same_questions(tmp_path) -> None:
    from rag.answering.assess.training import load_examples, save_examples

    found = _examples(4)
    questions = [(e.question, e.answerable, e.source) for e in found]
    path = tmp_path / "features.json"
    assert load_examples(path, questions) is None
    save_examples(path, questions, found)
    assert load_examples(path, questions) == found
    assert load_examples(path, questions[:3]) is None


@pytest.mark.parametrize("name", ["gold-test.jsonl", "real-test3.jsonl", "uploads-philippines.jsonl"])
def test_training_refuses_to_calibrate_on_a_file_kept_for_reporting(name: str, capsys) -> None:
    from eval.train_refusal import DATASETS, main

    assert main(["--dev", str(DATASETS / name)]) == 2
    assert "test split" in capsys.readouterr().err
