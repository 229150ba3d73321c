"""The judges of the eval suite: reading labels and replies, the agreement arithmetic, the OpenAI judge
against a real HTTP server that answers written verdicts, the old judge on the real MiniLM model,
and the local model as a judge (slow: the 0.5B GGUF through llama.cpp).
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from eval.answer_eval import JudgeSupports, score_answer, summarise
from eval.dataset import GoldItem, GoldQuestion
from eval.judge_eval import agreement, evaluate_judges, misjudged, spread_over_kinds
from eval.judges import build_judge
from eval.judges.base import UNPARSED, VERDICTS, Judgement
from eval.judges.openai_judge import OpenAIJudge
from eval.judges.prompt import JUDGE_SYSTEM_PROMPT, parse_reply
from eval.judges.window import passage_window
from eval.report import write_judge_report
from rag.errors import ModelUnavailableError
from rag.settings import Settings
from rag.verification.labels import LabelledClaim, LabelsError, load_labels

PASSAGE = (
    "1. Each State Party may adopt such legislative and other measures as may be necessary to establish "
    "jurisdiction over the offences established in accordance with this Convention. "
    "2. A State Party shall not be obliged to extradite its own nationals."
)
FAITHFUL = "A State Party may set up jurisdiction over the Convention's offences."
MODALITY = "Each State Party must establish jurisdiction over the offences."
GARBLED = "States may extradite their nationals."
FAILING = "The server fails on this claim."
EMPTY = "The server sends no message text for this claim."

# What the test server answers to each claim (the claim is the last line of the prompt).
WRITTEN_REPLIES = {
    FAITHFUL: '{"verdict": "supported", "reason": "paraphrase of paragraph 1"}',
    MODALITY: '```json\n{"verdict": "contradicted", "reason": "modality: passage says may, claim says must"}\n```',
    GARBLED: "I think the claim is mostly supported by the passage.",
}


# --------------------------------------------------------------------------- an OpenAI-compatible server


class VerdictServer:
    """A real HTTP server on 127.0.0.1 speaking the chat-completions API with written verdicts.

    It records every request body; a claim without a written reply gets HTTP 500, and
    ``EMPTY`` gets a completion whose message has no content.
    """

    def __init__(self, api_key: str = "sk-judge-test") -> None:
        self.api_key = api_key
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                server.requests.append(body)
                if self.headers.get("Authorization") != f"Bearer {server.api_key}":
                    self._send(401, {"error": {"message": "bad key", "type": "invalid_request_error"}})
                    return
                claim = body["messages"][-1]["content"].rsplit("Claim: ", 1)[-1]
                if claim == EMPTY:
                    self._send(200, completion(None, body["model"]))
                elif claim in WRITTEN_REPLIES:
                    self._send(200, completion(WRITTEN_REPLIES[claim], body["model"]))
                else:
                    self._send(500, {"error": {"message": "internal error", "type": "server_error"}})

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._http.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(timeout=10)


def completion(content: str | None, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
    }


@pytest.fixture
def verdict_server() -> Iterator[VerdictServer]:
    server = VerdictServer()
    yield server
    server.close()


def judge_settings(server: VerdictServer, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "openai_base_url": server.base_url,
        "openai_api_key": SecretStr(server.api_key),
        "openai_model": "judge-model",
        "openai_timeout": 10.0,
    }
    values.update(extra)
    return Settings(**values)


def pair(sentence: str, label: str, kind: str, origin: str = "hand", pid: str = "") -> LabelledClaim:
    return LabelledClaim(pid or sentence[:20], sentence, PASSAGE, label, kind, origin, "un-cybercrime-convention", "22")


def write_labels(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the OpenAI judge


def test_openai_judge_reads_the_verdict_and_reason_a_real_server_writes(verdict_server):
    judge = OpenAIJudge(judge_settings(verdict_server))
    assert judge.judge(FAITHFUL, PASSAGE) == Judgement("supported", "paraphrase of paragraph 1")
    fenced = judge.judge(MODALITY, PASSAGE, "un-cybercrime-convention", "22")
    assert fenced.verdict == "contradicted"
    assert fenced.reason == "modality: passage says may, claim says must"


def test_openai_judge_asks_with_the_judge_prompt_at_temperature_zero_in_json_mode(verdict_server):
    OpenAIJudge(judge_settings(verdict_server)).judge(FAITHFUL, PASSAGE, "un-cybercrime-convention", "22")
    (request,) = verdict_server.requests
    assert request["model"] == "judge-model"
    assert request["temperature"] == 0
    assert request["response_format"] == {"type": "json_object"}
    system, user = request["messages"]
    assert system == {"role": "system", "content": JUDGE_SYSTEM_PROMPT}
    assert "(un-cybercrime-convention, article 22)" in user["content"]
    assert PASSAGE in user["content"] and user["content"].endswith(f"Claim: {FAITHFUL}")


def test_a_malformed_reply_a_server_error_and_an_empty_message_are_unparsed_not_a_crash(verdict_server):
    judge = OpenAIJudge(judge_settings(verdict_server))
    garbled = judge.judge(GARBLED, PASSAGE)
    assert garbled.verdict == UNPARSED and "not a JSON object" in garbled.reason
    failed = judge.judge(FAILING, PASSAGE)
    assert failed.verdict == UNPARSED and "HTTP 500" in failed.reason
    empty = judge.judge(EMPTY, PASSAGE)
    assert empty.verdict == UNPARSED and not empty.supported


def test_the_judge_report_counts_unparsed_replies_as_not_accepted(verdict_server):
    pairs = [
        pair(FAITHFUL, "supported", "faithful"),
        pair(MODALITY, "contradicted", "modality"),
        pair(GARBLED, "contradicted", "negation"),
    ]
    result = evaluate_judges(pairs, [OpenAIJudge(judge_settings(verdict_server))])
    openai = result["judges"]["openai"]
    assert openai["unparsed"] == 1
    assert openai["accuracy"] == 1.0  # the unparsed reply on an error pair is a rejection
    assert openai["verdict_accuracy"] == pytest.approx(2 / 3)
    assert result["pairs"][2]["judges"]["openai"]["verdict"] == UNPARSED


def test_a_wrong_api_key_stops_the_openai_judge_with_the_settings_to_fix(verdict_server):
    judge = OpenAIJudge(judge_settings(verdict_server, openai_api_key=SecretStr("sk-wrong")))
    with pytest.raises(ModelUnavailableError, match="RAG_OPENAI_API_KEY") as caught:
        judge.judge(FAITHFUL, PASSAGE)
    assert "sk-wrong" not in str(caught.value)


def test_an_unreachable_endpoint_stops_the_openai_judge_with_a_clear_error(verdict_server):
    url = verdict_server.base_url
    verdict_server.close()
    judge = OpenAIJudge(Settings(openai_base_url=url, openai_timeout=2.0))
    with pytest.raises(ModelUnavailableError, match="RAG_OPENAI_BASE_URL"):
        judge.judge(FAITHFUL, PASSAGE)


def test_the_openai_judge_needs_an_endpoint_or_a_key():
    with pytest.raises(ModelUnavailableError, match="RAG_OPENAI_BASE_URL"):
        build_judge("openai", Settings())


def test_python_m_eval_judge_prints_each_judges_agreement_per_kind(verdict_server, monkeypatch, tmp_path, capsys):
    from eval.__main__ import main
    from rag.settings import get_settings

    labels = write_labels(
        tmp_path / "claims.jsonl",
        [
            {"id": "c1", "doc": "un", "article": "22", "passage_text": PASSAGE, "sentence": FAITHFUL,
             "label": "supported", "kind": "faithful", "origin": "hand"},
            {"id": "c2", "doc": "un", "article": "22", "passage_text": PASSAGE, "sentence": MODALITY,
             "label": "contradicted", "kind": "modality", "origin": "perturbed"},
        ],
    )  # fmt: skip
    monkeypatch.setenv("RAG_OPENAI_BASE_URL", verdict_server.base_url)
    monkeypatch.setenv("RAG_OPENAI_API_KEY", verdict_server.api_key)
    get_settings.cache_clear()
    try:
        status = main(["judge", "--judges", "openai", "--labels", str(labels), "--out", str(tmp_path / "out")])
    finally:
        get_settings.cache_clear()
    out = capsys.readouterr().out
    assert status == 0, out
    overall = next(line for line in out.splitlines() if line.startswith("openai"))
    assert overall.split()[1:3] == ["1.000", "1.000"]  # accuracy, precision
    assert next(line for line in out.splitlines() if line.startswith("modality")).split()[1:] == ["1", "0.000"]
    report = json.loads((tmp_path / "out" / "judge.json").read_text())
    assert report["judges"]["openai"]["by_kind"]["faithful"]["accepted"] == 1.0
    assert "Accepted rate per kind" in (tmp_path / "out" / "judge.md").read_text()


@pytest.mark.parametrize(
    ("argument", "message"), [("--judges=gpt", "unknown judge(s) gpt"), ("--limit=0", "at least 1")]
)
def test_python_m_eval_judge_refuses_bad_arguments(argument, message, capsys):
    from eval.__main__ import main

    with pytest.raises(SystemExit) as exited:
        main(["judge", argument])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_answer_faithfulness_by_an_independent_judge_sits_beside_the_products(verdict_server):
    answer = {
        "answer": f"{FAITHFUL} {MODALITY}",
        "refused": False,
        "sentences": [
            {"text": FAITHFUL, "citations": [1], "supported": True},
            {"text": MODALITY, "citations": [1], "supported": True},
        ],
        "citations": [{"n": 1, "doc": "un", "article": "22", "passage_id": "p1", "quote": PASSAGE}],
        "passages": [{"id": "p1", "doc": "un", "article": "22", "text": PASSAGE}],
    }
    question = GoldQuestion("dev-9", "Jurisdiction?", True, [GoldItem("un", "22")], FAITHFUL, [], ["un"])
    judge = JudgeSupports(OpenAIJudge(judge_settings(verdict_server)))
    record = score_answer(answer, question, lambda sentence, texts: True, {"openai": judge})
    assert record["faithfulness"] == 1.0  # the product's (here: accepting) judge
    assert record["judge_faithfulness"] == {"openai": 0.5}  # the independent judge rejects "must"
    assert judge.stats()["calls"] == 2 and judge.stats()["unparsed"] == 0
    assert summarise([record])["judge_faithfulness"] == {"openai": 0.5}


# --------------------------------------------------------------------------- replies, windows, labels


@pytest.mark.parametrize(
    ("reply", "verdict"),
    [
        ('{"verdict": "supported", "reason": "ok"}', "supported"),
        ('Here it is: {"verdict": "Not found", "reason": "adds journalists"}', "not_found"),
        ('{"verdict": "not-found", "reason": "x"}', "not_found"),
        ('{"verdict": "maybe", "reason": "x"}', UNPARSED),
        ('{"verdict": "supported", "reason": ', UNPARSED),
        ("[1, 2]", UNPARSED),
        ("", UNPARSED),
    ],
)
def test_parse_reply_finds_the_verdict_or_says_unparsed(reply, verdict):
    assert parse_reply(reply).verdict == verdict


def test_parse_reply_keeps_the_reason_on_one_line():
    assert (
        parse_reply('{"verdict": "contradicted", "reason": "actor:\\n  the provider"}').reason == "actor: the provider"
    )


def test_a_short_passage_is_given_whole_and_a_long_one_around_the_closest_sentence():
    assert passage_window(PASSAGE, FAITHFUL) == PASSAGE
    filler = " ".join(f"Paragraph {i} concerns the Conference of the States Parties." for i in range(40))
    long_passage = f"{filler} Each State Party shall not be obliged to extradite its own nationals. {filler}"
    window = passage_window(long_passage, "States need not extradite their own nationals.", max_chars=300)
    assert "shall not be obliged to extradite its own nationals" in window
    assert len(window) <= 300
    assert window.startswith("Paragraph") and window.endswith(".")  # whole sentences only


def test_labels_are_read_in_the_claims_form_and_the_earlier_form(tmp_path):
    claims = write_labels(
        tmp_path / "claims.jsonl",
        [{"id": "x1", "doc": "un", "article": "7", "passage_text": "p", "sentence": "s", "label": "not_found",
          "kind": "extra", "origin": "hand"}],
    )  # fmt: skip
    (first,) = load_labels(claims)
    assert (first.label, first.kind, first.origin, first.doc, first.article, first.supported) == (
        "not_found", "extra", "hand", "un", "7", False
    )  # fmt: skip
    earlier = write_labels(
        tmp_path / "pairs.jsonl",
        [{"sentence": "s", "passage_text": "p", "supported": True, "source": "extractive"},
         {"sentence": "t", "passage_text": "p", "supported": False, "source": "other-passage"}],
    )  # fmt: skip
    kinds = [(p.label, p.kind, p.origin) for p in load_labels(earlier)]
    assert kinds == [("supported", "faithful", "extractive"), ("not_found", "unsupported", "other-passage")]


def test_a_label_outside_the_three_verdicts_is_refused_with_the_line(tmp_path):
    path = write_labels(tmp_path / "bad.jsonl", [{"sentence": "s", "passage_text": "p", "label": "true"}])
    with pytest.raises(LabelsError, match=r"bad.jsonl:1: 'label' must be one of supported, contradicted, not_found"):
        load_labels(path)


def test_limit_takes_pairs_in_turn_from_each_kind_in_file_order():
    pairs = [pair(f"f{i}", "supported", "faithful") for i in range(5)] + [
        pair("m0", "contradicted", "modality"),
        pair("n0", "contradicted", "negation"),
        pair("n1", "contradicted", "negation"),
    ]
    chosen = spread_over_kinds(pairs, 5)
    assert [p.sentence for p in chosen] == ["f0", "f1", "m0", "n0", "n1"]
    assert spread_over_kinds(pairs, None) == pairs


# --------------------------------------------------------------------------- agreement arithmetic


def test_agreement_gives_accuracy_faithful_accepted_and_accepted_rate_per_kind():
    pairs = [
        pair("a", "supported", "faithful"),
        pair("b", "supported", "faithful"),
        pair("c", "supported", "faithful", origin="generated"),
        pair("d", "supported", "faithful", origin="generated"),
        pair("e", "contradicted", "modality"),
        pair("f", "contradicted", "modality"),
        pair("g", "not_found", "extra", origin="generated"),
        pair("h", "contradicted", "number"),
    ]
    verdicts = ["supported", "supported", "supported", "not_found", "supported", "contradicted", UNPARSED, "not_found"]
    result = agreement(pairs, [Judgement(v) for v in verdicts], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
    assert result["accuracy"] == pytest.approx(6 / 8)  # d rejected, e accepted
    assert result["binary"]["precision"] == pytest.approx(3 / 4)
    assert result["faithful_accepted"] == pytest.approx(3 / 4)
    assert result["errors_accepted"] == pytest.approx(1 / 4)
    assert result["by_kind"]["modality"]["accepted"] == 0.5
    assert result["by_kind"]["extra"] == {"n": 1, "accepted": 0.0, "verdicts": {UNPARSED: 1}}
    assert result["by_kind"]["number"]["accepted"] == 0.0
    assert list(result["by_kind"]) == ["faithful", "extra", "modality", "number"]
    # Three-way: a, b, c, f agree; h says not_found for a contradiction.
    assert result["verdict_accuracy"] == pytest.approx(4 / 8)
    assert result["unparsed"] == 1
    assert result["by_origin"]["generated"] == {"n": 3, "accuracy": pytest.approx(2 / 3)}
    assert result["seconds_per_pair"]["mean"] == pytest.approx(4.5)


class ScriptedJudge:
    """A judge whose verdicts are written per sentence, recording the order it is asked in."""

    def __init__(self, name: str, verdicts: dict[str, str]) -> None:
        self.name = name
        self.verdicts = verdicts
        self.asked: list[str] = []

    def judge(self, sentence: str, passage_text: str, doc: str | None = None, article: str | None = None) -> Judgement:
        self.asked.append(sentence)
        return Judgement(self.verdicts[sentence], f"written for {doc} art. {article}")


def test_every_judge_is_reported_side_by_side_and_a_shared_passage_is_judged_in_one_run(tmp_path):
    other = LabelledClaim("o", "other", "Another passage.", "not_found", "extra", "hand")
    pairs = [pair("a", "supported", "faithful"), other, pair("b", "contradicted", "actor")]
    lenient = ScriptedJudge("lenient", {"a": "supported", "other": "supported", "b": "supported"})
    strict = ScriptedJudge("strict", {"a": "supported", "other": "not_found", "b": "contradicted"})
    result = evaluate_judges(pairs, [lenient, strict], labels_path="claims.jsonl")
    assert lenient.asked == ["a", "b", "other"]  # pairs on PASSAGE first, in file order
    assert result["judges"]["lenient"]["accuracy"] == pytest.approx(1 / 3)
    assert result["judges"]["strict"]["accuracy"] == 1.0
    assert result["kinds"] == {"faithful": 1, "actor": 1, "extra": 1}
    assert [p["id"] for p in result["pairs"]] == ["a", "o", "b"]
    assert result["pairs"][2]["judges"]["strict"] == {
        "verdict": "contradicted",
        "reason": "written for un-cybercrime-convention art. 22",
    }
    markdown = write_judge_report(result, tmp_path)[1].read_text()
    assert "| actor | 1 | 1.000 | 0.000 |" in markdown


def test_misjudged_lists_the_errors_a_judge_accepted_and_the_faithful_sentences_it_rejected():
    pairs = [pair("a", "supported", "faithful"), pair("b", "contradicted", "actor"), pair("c", "contradicted", "actor")]
    judge = ScriptedJudge("lenient", {"a": "not_found", "b": "supported", "c": "contradicted"})
    result = evaluate_judges(pairs, [judge])
    assert misjudged(result, ["actor"]) == [
        "lenient b actor: supported (written for un-cybercrime-convention art. 22)\n    b"
    ]
    assert [line.split()[1] for line in misjudged(result, ["faithful", "actor"])] == ["a", "b"]


# --------------------------------------------------------------------------- the product's judges


def test_the_old_judge_accepts_a_verbatim_sentence_and_rejects_an_unrelated_one(embeddings):
    from eval.judges.old_judge import OldJudge

    judge = OldJudge(embeddings)
    verbatim = judge.judge("A State Party shall not be obliged to extradite its own nationals.", PASSAGE)
    assert verbatim.verdict == "supported" and verbatim.score is not None
    unrelated = judge.judge("The Secretary-General convenes the Conference within one year.", PASSAGE)
    assert unrelated.verdict == "not_found" and "<" in unrelated.reason


def test_the_verifier_judge_reports_what_the_verifier_says_given_the_document_and_article(embeddings):
    pytest.importorskip("rag.verification", reason="the product verifier (rag.verification) is not in this checkout")
    from eval.judges.verifier import VerifierJudge
    from rag.verification import Verifier

    judge, verifier = VerifierJudge(embeddings), Verifier(embeddings)
    for sentence, doc, article in [
        ("A State Party shall not be obliged to extradite its own nationals.", "un-cybercrime-convention-2024", "22"),
        (MODALITY, "un-cybercrime-convention-2024", "22"),
        ("Under the Budapest Convention, States may establish jurisdiction.", "un-cybercrime-convention-2024", "22"),
    ]:
        expected = verifier.verify(sentence, PASSAGE, doc_id=doc, article=article)
        judgement = judge.judge(sentence, PASSAGE, doc, article)
        assert judgement == Judgement(expected.verdict.value, expected.reason or "", expected.score)
        assert judgement.verdict in VERDICTS


# --------------------------------------------------------------------------- the local model


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_local_model_judge_always_answers_a_verdict_in_the_schema(working_llama_cpp):
    judge = build_judge("local", Settings(llm_model_size="0.5b"))
    judgements = [
        judge.judge("A State Party does not have to extradite its own nationals.", PASSAGE, "un", "22"),
        judge.judge("The Convention enters into force on the ninetieth day.", PASSAGE, "un", "22"),
        judge.judge(MODALITY, PASSAGE, "un", "22"),
    ]
    for judgement in judgements:
        assert judgement.verdict in VERDICTS, judgement
        assert judgement.reason and "\n" not in judgement.reason
    print("\n0.5b judge:", judgements)
