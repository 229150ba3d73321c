"""Answer evaluation: refusals, correctness, ALCE citation quality and faithfulness.

Written against the answer contract ``Engine.ask(question, mode=None, k=None) -> Answer``
whose ``to_json()`` is::

    {"answer": str, "refused": bool,
     "sentences": [{"text", "citations": [n, ...], "supported": bool, "score": float}],
     "citations": [{"n", "doc", "doc_title", "article", "paragraph", "start", "end",
                    "quote", "passage_id"}],
     "timings": {"retrieval": s, "generation": s, "verification": s, "total": s},
     "passages": [ScoredPassage.to_json(), ...]}

A sentence's citation ``n`` names the entry of ``citations`` whose ``"n"`` is ``n``; the
text of a cited passage is the ``text`` of the entry of ``passages`` whose ``id`` is the
citation's ``passage_id`` (the citation's ``quote`` stands in, and is counted, when that
passage is missing).  Support is decided by an injected ``supports(sentence, texts)``
callable; the command line uses the product's own judge (``eval.judges``) on the
concatenated texts, so citation scores and ``faithfulness`` measure consistency with the
product's verification, not agreement with a human.  An independent judge (an LLM behind an
OpenAI-compatible endpoint, or the local model) can grade faithfulness too
(``--judge openai|local``): its figure is ``judge_faithfulness[name]``, beside the product's.
``python -m eval judge`` gives every judge's agreement with hand labels.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval import metrics
from eval.dataset import GoldQuestion
from eval.judges.base import UNPARSED, Judge
from rag.answering.draft.copying import copies_passage
from rag.answering.draft.drafting import YES_NO_OPENING_RE, says_something

_MARKER_RE = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")


def strip_markers(text: str) -> str:
    """Remove ``[1]``/``[1, 2]`` citation markers from answer text."""
    return _MARKER_RE.sub("", text).strip()


def cited_texts(answer: dict[str, Any], citation_numbers: Sequence[int]) -> tuple[list[str | None], int]:
    """Texts of the passages behind citation numbers, and how many fell back to the quote.

    ``None`` stands for a number that names no citation (an invalid citation).
    """
    by_n = {c.get("n"): c for c in answer.get("citations", [])}
    passage_text = {p.get("id"): p.get("text", "") for p in answer.get("passages", [])}
    texts: list[str | None] = []
    fallbacks = 0
    for n in citation_numbers:
        citation = by_n.get(n)
        if citation is None:
            texts.append(None)
            continue
        text = passage_text.get(citation.get("passage_id"))
        if text is None:
            fallbacks += 1
            text = citation.get("quote") or None
        texts.append(text)
    return texts, fallbacks


def cites_gold(answer: dict[str, Any], question: GoldQuestion, numbers: Sequence[int] | None = None) -> bool:
    """Does any citation (of ``numbers`` only, when given) point at a gold location (by its passage's structure)?"""
    passages = {p.get("id"): p for p in answer.get("passages", [])}
    for citation in answer.get("citations", []):
        if numbers is not None and citation.get("n") not in numbers:
            continue
        passage = passages.get(citation.get("passage_id"))
        doc = str(citation.get("doc") or (passage or {}).get("doc") or "")
        article = citation.get("article") if passage is None else passage.get("article")
        if passage is not None:
            paragraphs = list(passage.get("paragraphs") or [])
        else:
            paragraphs = [citation["paragraph"]] if citation.get("paragraph") else []
        for g in question.gold:
            if metrics.passage_matches_gold(doc, article, paragraphs, g.doc, g.article, g.paragraph):
                return True
    return False


def model_statement(answer: dict[str, Any], sentence: dict[str, Any]) -> bool:
    """Is ``sentence`` of a generative answer a statement of the model's own that the product kept: verified,
    saying something (``rag.answering.draft.drafting.says_something``), and no copy of a passage it cites?"""
    text = strip_markers(str(sentence.get("text", "")))
    if not sentence.get("supported") or not says_something(text):
        return False
    texts, _ = cited_texts(answer, [int(n) for n in sentence.get("citations", [])])
    return not copies_passage(text, texts)


def shown_sentences(answer: dict[str, Any], drafted: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sentences the user sees: those whose text is in the answer text.

    The product drops sentences its verification rejects from ``answer`` but keeps them in
    ``sentences`` (``supported: false``); citation metrics judge what is shown.  When the
    answer text repeats none of its sentences verbatim, every sentence counts.
    """
    text = str(answer.get("answer", ""))
    shown = [s for s in drafted if str(s.get("text", "")).strip() in text]
    return shown or list(drafted)


def score_answer(
    answer: dict[str, Any],
    question: GoldQuestion,
    supports: metrics.SupportsFn,
    independent: Mapping[str, metrics.SupportsFn] | None = None,
) -> dict[str, Any]:
    """Every per-answer metric of one ``Answer.to_json()`` object.

    Correctness (token F1, ROUGE-L recall) is scored for answerable questions only, and a
    refusal scores 0.  Citation recall/precision, faithfulness and gold citation are scored
    on the shown sentences (:func:`shown_sentences`) of answers that were not refused;
    otherwise they are ``None``.  ``self_supported`` is the share of all drafted sentences
    that the product's own verification marked supported.  ``judge_faithfulness`` holds the
    faithfulness each ``independent`` judge gives (by name).
    """
    refused = bool(answer.get("refused"))
    drafted = [s for s in answer.get("sentences", []) if strip_markers(str(s.get("text", "")))]
    sentences = shown_sentences(answer, drafted)
    record: dict[str, Any] = {
        "id": question.id,
        "answerable": question.answerable,
        "refused": refused,
        "tags": list(question.tags),
        "sentences": len(sentences),
        "hidden_sentences": len(drafted) - len(sentences),
        "token_f1": None,
        "rouge_l_recall": None,
        "citation_recall": None,
        "citation_precision": None,
        "citations": None,
        "faithfulness": None,
        "self_supported": None,
        "cites_gold": None,
        "quote_fallbacks": 0,
        "judge_faithfulness": {name: None for name in independent or {}},
        # For a false-premise question: whether the answer's first sentence opens with "No" ...
        "premise_corrected": None,
        # ... and cites a gold provision (the one the question's gold says corrects the premise).
        "premise_corrected_from_gold": None,
        # For any other question answered: whether its first sentence opens with "No" (a false alarm, unless
        # the question, not marked false-premise, does assert a claim the text denies).
        "no_without_premise": None,
        "timings": dict(answer.get("timings") or {}),
        # A generative answer that keeps at least one sentence its model wrote (no fallback to quotes).
        "model_sentence_kept": None,
        # ... and one of those sentences says something of the model's own (``model_statement``).
        "model_statement_kept": None,
    }
    if answer.get("mode") not in (None, "extractive") and not refused:
        written = not answer.get("notice")
        record["model_sentence_kept"] = written and any(s.get("supported") for s in drafted)
        record["model_statement_kept"] = written and any(model_statement(answer, s) for s in drafted)
    first = str(sentences[0].get("text", "")) if sentences and not refused else ""
    opening = YES_NO_OPENING_RE.match(first.lstrip())  # "No, ..." but not "Nothing in this Convention ..."
    opens_with_no = opening is not None and opening.group(1).lower() == "no"
    if question.premise is not None:
        record["premise_corrected"] = opens_with_no
        first_cited = [int(n) for n in sentences[0].get("citations", [])] if first else []
        record["premise_corrected_from_gold"] = opens_with_no and cites_gold(answer, question, first_cited)
    elif not refused:
        record["no_without_premise"] = opens_with_no
    if question.answerable:
        text = "" if refused else strip_markers(str(answer.get("answer", "")))
        record["token_f1"] = metrics.token_f1(text, question.reference_answer) if text else 0.0
        record["rouge_l_recall"] = metrics.rouge_l_recall(text, question.reference_answer) if text else 0.0
    if refused or not sentences:
        return record

    judged: list[tuple[str, Sequence[str | None]]] = []
    fallbacks = 0
    for sentence in sentences:
        numbers = [int(n) for n in sentence.get("citations", [])]
        texts, used = cited_texts(answer, numbers)
        fallbacks += used
        judged.append((strip_markers(str(sentence["text"])), texts))
    scores = metrics.alce_citation_scores(judged, supports)
    context = [str(p.get("text", "")) for p in answer.get("passages", [])]
    record.update(
        citation_recall=scores.recall,
        citation_precision=scores.precision if scores.citations else None,
        citations=scores.citations,
        faithfulness=metrics.faithfulness([s for s, _ in judged], context, supports),
        self_supported=sum(1 for s in drafted if s.get("supported")) / len(drafted),
        cites_gold=cites_gold(answer, question) if question.answerable else None,
        quote_fallbacks=fallbacks,
        judge_faithfulness={
            name: metrics.faithfulness([s for s, _ in judged], context, judge)
            for name, judge in (independent or {}).items()
        },
    )
    return record


def _mean_of(records: Sequence[dict[str, Any]], key: str) -> float | None:
    values = [float(r[key]) for r in records if r.get(key) is not None]
    return metrics.mean(values)


def summarise(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Aggregate answer metrics over per-answer records from :func:`score_answer`."""
    answerable = [r for r in records if r["answerable"]]
    answered = [r for r in records if not r["refused"]]
    refusals = metrics.refusal_scores([r["refused"] for r in records], [r["answerable"] for r in records])
    timing_names = sorted({name for r in records for name in r["timings"]})
    latency = {
        name: metrics.latency_summary(
            [float(r["timings"][name]) for r in records if r["timings"].get(name) is not None]
        )
        for name in timing_names
    }
    by_tag: dict[str, dict[str, Any]] = {}
    for tag in sorted({t for r in records for t in r["tags"]}):
        group = [r for r in records if tag in r["tags"]]
        by_tag[tag] = {
            "n": len(group),
            "refused": sum(1 for r in group if r["refused"]),
            "token_f1": _mean_of(group, "token_f1"),
            "rouge_l_recall": _mean_of(group, "rouge_l_recall"),
            "citation_recall": _mean_of(group, "citation_recall"),
            "faithfulness": _mean_of(group, "faithfulness"),
        }
    return {
        "questions": len(records),
        "answerable": len(answerable),
        "unanswerable": len(records) - len(answerable),
        "answered": len(answered),
        # The second refusal figure: the share of answerable questions that get an answer.
        "answerable_answered": (len(answerable) - refusals.false_refusals) / len(answerable) if answerable else None,
        "refusal": metrics.as_dict(refusals),
        "token_f1": _mean_of(answerable, "token_f1"),
        "rouge_l_recall": _mean_of(answerable, "rouge_l_recall"),
        "token_f1_answered": _mean_of([r for r in answerable if not r["refused"]], "token_f1"),
        "citation_recall": _mean_of(records, "citation_recall"),
        "citation_precision": _mean_of(records, "citation_precision"),
        "faithfulness": _mean_of(records, "faithfulness"),
        "judge_faithfulness": {
            name: metrics.mean(
                float(r["judge_faithfulness"][name]) for r in records if r["judge_faithfulness"][name] is not None
            )
            for name in sorted({n for r in records for n in r.get("judge_faithfulness", {})})
        },
        "self_supported": _mean_of(records, "self_supported"),
        "model_sentence_kept": _mean_of(records, "model_sentence_kept"),
        "model_statement_kept": _mean_of(records, "model_statement_kept"),
        "cites_gold": _mean_of(records, "cites_gold"),
        "quote_fallbacks": sum(r["quote_fallbacks"] for r in records),
        "premise_corrected": _mean_of(records, "premise_corrected"),
        "premise_corrected_from_gold": _mean_of(records, "premise_corrected_from_gold"),
        "no_without_premise": sum(1 for r in records if r.get("no_without_premise")),
        "hidden_sentences": sum(r["hidden_sentences"] for r in records),
        "latency": latency,
        "by_tag": by_tag,
    }


@dataclass
class AnswerRun:
    """Answers of one run: the raw JSON per question and the per-answer metrics."""

    mode: str | None
    answers: list[tuple[str, dict[str, Any] | None]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def write_jsonl(self, path: Path) -> None:
        """``answers.jsonl``: one line per question, ``{"id", "answer"}`` (plus ``error``)."""
        errors = {e["id"]: e["error"] for e in self.errors}
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as fh:
            for qid, answer in self.answers:
                line: dict[str, Any] = {"id": qid, "answer": answer}
                if qid in errors:
                    line["error"] = errors[qid]
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")

    def to_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "summary": summarise(self.records),
            "errors": self.errors,
            "per_question": self.records,
        }


def run_answers(
    engine: Any,
    questions: Sequence[GoldQuestion],
    supports: metrics.SupportsFn,
    mode: str | None = None,
    k: int | None = None,
    progress: Callable[[str], None] | None = None,
    partial: Path | None = None,
    independent: Mapping[str, metrics.SupportsFn] | None = None,
) -> AnswerRun:
    """Ask every question through ``engine.ask`` and score each answer (``independent``: see :func:`score_answer`).

    A question whose ``ask`` raises is recorded in ``errors`` and left out of the metrics.  With ``partial``,
    each answer and its metrics are appended to that JSONL file as soon as they are known
    (``python -m eval.answer_eval FILE`` summarises such a file).
    """
    run = AnswerRun(mode=mode)
    for q in questions:
        started = time.perf_counter()
        try:
            answer = engine.ask(q.question, mode=mode, k=k).to_json()
        except Exception as exc:  # one failing question must not lose the others
            run.errors.append({"id": q.id, "error": f"{type(exc).__name__}: {exc}"})
            run.answers.append((q.id, None))
            if progress:
                progress(q.id)
            continue
        answer.setdefault("timings", {})
        answer["timings"].setdefault("total", time.perf_counter() - started)
        run.answers.append((q.id, answer))
        run.records.append(score_answer(answer, q, supports, independent))
        if partial is not None:  # a long run (the local model) leaves what it measured if stopped
            line = {"id": q.id, "answer": answer, "record": run.records[-1]}
            with partial.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        if progress:
            progress(q.id)
    return run


@dataclass
class JudgeSupports:
    """``supports`` from a judge (``eval.judges``): the joined texts judged as one passage.

    Counts the calls, the replies without a verdict (taken as not supported) and the time spent,
    so a report can say how far to trust, and how much it cost, each judge's figure.
    """

    judge: Judge
    calls: int = 0
    unparsed: int = 0
    seconds: float = 0.0

    def __call__(self, sentence: str, texts: list[str]) -> bool:
        if not texts:
            return False
        started = time.perf_counter()
        judgement = self.judge.judge(sentence, "\n\n".join(texts))
        self.seconds += time.perf_counter() - started
        self.calls += 1
        self.unparsed += judgement.verdict == UNPARSED
        return judgement.supported

    def stats(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "unparsed": self.unparsed,
            "seconds_per_call": self.seconds / self.calls if self.calls else None,
        }


def main(argv: list[str] | None = None) -> int:
    """``python -m eval.answer_eval FILE``: the summary of a run's ``answers.partial.jsonl``."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m eval.answer_eval", description=main.__doc__)
    parser.add_argument("partial", type=Path)
    args = parser.parse_args(argv)
    with args.partial.open(encoding="utf-8") as fh:
        records = [json.loads(line)["record"] for line in fh if line.strip()]
    json.dump(summarise(records), sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
