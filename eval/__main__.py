"""``python -m eval retrieval|answers|all|judge``: the evaluation suite.

    python -m eval retrieval --dataset FILE [--k 5] [--baselines] [--store DIR] [--collection NAME]
                             [--json] [--out DIR]
    python -m eval answers   --dataset FILE [--mode local|openai|extractive] [--limit N]
                             [--judge openai|local] [--store DIR] [--collection NAME] [--json] [--out DIR]
    python -m eval all       --dataset FILE [--k 5] [--limit N] [--store DIR] [--collection NAME]
                             [--json] [--out DIR]
    python -m eval judge     [--labels FILE] [--judges verifier,old,openai,local] [--limit N]
                             [--misjudged KIND[,KIND]] [--json] [--out DIR]

``all`` evaluates the product's retrieval and the three baselines (``eval.baselines``), the
ratios of the product to the best baseline, then the answers in extractive mode.  Reports go to ``--out`` (default
``eval/reports/latest/``): ``report.json``, ``report.md``, PNG plots and, for answers,
``answers.jsonl``.  An empty store is first built from the corpus (``settings.corpus_path``).

``answers --judge`` grades faithfulness with an independent judge as well as the product's;
``judge`` prints each judge's agreement with hand-labelled pairs, per error kind, in one
report (``judge.json``, ``judge.md``); ``--limit`` takes pairs in turn from each kind;
``--misjudged actor,faithful`` lists the pairs of those kinds each judge got wrong, with its reason.

Standard output holds only the result (a summary, or one JSON object with ``--json``);
progress and notes go to standard error.  Exit status: 0 on success, 1 when the engine
fails, 2 for a usage problem (missing dataset or label file, no answer API).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eval.judges import INDEPENDENT_JUDGES, JUDGES

DEFAULT_OUT = Path(__file__).resolve().parent / "reports" / "latest"
DEFAULT_LABELS = Path(__file__).resolve().parent / "labels" / "claims-dev.jsonl"
DEFAULT_JUDGES = ("verifier", "old")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    from rag.cli_common import add_store_arguments

    parser = argparse.ArgumentParser(
        prog="python -m eval", description="Evaluate retrieval, answers and the support judge."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser, dataset: bool = True) -> None:
        if dataset:
            sub.add_argument("--dataset", type=Path, required=True, help="gold JSONL file")
        sub.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"report folder (default: {DEFAULT_OUT})")
        sub.add_argument("--json", action="store_true", help="print the report as one JSON object")
        add_store_arguments(sub)

    retrieval = commands.add_parser("retrieval", help="retrieval metrics of the product")
    common(retrieval)
    retrieval.add_argument("--k", type=int, default=5, help="cut-off for the headline metrics (default 5)")
    retrieval.add_argument("--baselines", action="store_true", help="also evaluate the three baselines")

    answers = commands.add_parser("answers", help="answer metrics through Engine.ask")
    common(answers)
    answers.add_argument("--mode", choices=("local", "openai", "extractive"), default=None)
    answers.add_argument("--limit", type=int, default=None, help="only the first N questions")
    answers.add_argument("--k", type=int, default=None, help="passages given to the answerer")
    answers.add_argument(
        "--judge",
        choices=INDEPENDENT_JUDGES,
        default=None,
        help="also grade faithfulness with this independent judge (an OpenAI-compatible endpoint, or the local model)",
    )

    everything = commands.add_parser("all", help="retrieval (product + baselines), then extractive answers")
    common(everything)
    everything.add_argument("--k", type=int, default=5)
    everything.add_argument("--limit", type=int, default=None, help="only the first N questions for answers")

    judge = commands.add_parser("judge", help="the judges' agreement with hand-labelled pairs")
    common(judge, dataset=False)
    judge.add_argument(
        "--labels", type=Path, default=DEFAULT_LABELS, help=f"hand-labelled pairs (default: {DEFAULT_LABELS})"
    )
    judge.add_argument(
        "--judges",
        type=judge_list,
        default=DEFAULT_JUDGES,
        help=f"comma-separated judges among {', '.join(JUDGES)} (default: {','.join(DEFAULT_JUDGES)})",
    )
    judge.add_argument("--limit", type=positive_int, default=None, help="at most N pairs, taken in turn from each kind")
    judge.add_argument(
        "--misjudged",
        type=lambda text: tuple(k.strip() for k in text.split(",") if k.strip()),
        default=(),
        metavar="KIND[,KIND]",
        help="also list the pairs of these kinds each judge got wrong (faithful rejected, errors accepted)",
    )
    return parser


def judge_list(text: str) -> tuple[str, ...]:
    """``--judges a,b``: known judge names, in order, each once."""
    names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in JUDGES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown judge(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(JUDGES)}"
        )
    return names


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return value


# --------------------------------------------------------------------------- helpers


class UsageProblem(Exception):
    """A problem with the command's inputs (exit status 2)."""


def load_dataset(path: Path) -> list[Any]:
    from eval.dataset import load_questions

    if not path.is_file():
        raise UsageProblem(f"dataset {path} does not exist")
    try:
        questions = load_questions(path)
    except ValueError as exc:
        raise UsageProblem(str(exc)) from exc
    problems = [f"{q.id or q.source}: {p}" for q in questions for p in q.parse_problems]
    if problems:
        raise UsageProblem(f"dataset {path} is malformed: " + "; ".join(problems[:5]))
    return questions


def corpus_for(engine: Any) -> dict[str, Any]:
    """The texts the span metrics place evidence quotes in: the corpus folder's documents and the
    store's uploads (rebuilt from their passages)."""
    from eval.dataset import default_corpus_dir, load_corpus, with_stored_documents

    settings = engine.settings
    folder = settings.corpus_path if Path(settings.corpus_path).is_dir() else default_corpus_dir()
    corpus = load_corpus(folder)
    if not corpus:
        raise UsageProblem(f"no corpus documents in {folder}: the span metrics need the document texts")
    return with_stored_documents(corpus, engine.store.committed_passages())


def open_engine(args: argparse.Namespace) -> Any:
    """The engine on the chosen store, ingesting the corpus first when the store is empty."""
    from rag.cli_common import settings_from_args
    from rag.engine import Engine

    engine = Engine(settings_from_args(args))
    ensure_store(engine)
    return engine


def ensure_store(engine: Any) -> None:
    """Ingest the corpus (``settings.corpus_path``) when the store has no documents."""
    if engine.store.manifest():
        return
    corpus = Path(engine.settings.corpus_path)
    if not corpus.is_dir():
        raise UsageProblem(f"the store is empty and the corpus folder {corpus} does not exist")
    log(f"the store at {engine.settings.store_path} is empty: ingesting {corpus} ...")
    report = engine.ingest([corpus])
    for failure in report.failed:
        log(f"  failed: {failure.path}: {failure.reason}")
    log(f"  {report.documents} documents, {report.passages} passages in {report.seconds:.1f} s")


def base_report(args: argparse.Namespace, engine: Any | None, k: int, max_k: int) -> dict[str, Any]:
    report: dict[str, Any] = {
        "command": args.command,
        "dataset": str(getattr(args, "dataset", "")),
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "k": k,
        "max_k": max_k,
    }
    if engine is not None:
        report["store"] = str(engine.settings.store_path)
        report["collection"] = engine.settings.collection
    return report


def retrieval_results(
    engine: Any, questions: list[Any], corpus: dict[str, Any], k: int, with_baselines: bool
) -> tuple[dict[str, Any], Any]:
    from eval.baselines import BASELINE_NAMES, build_baseline
    from eval.retrieval_eval import (
        CURVE_MAX_K,
        ProductSystem,
        compare_to_baselines,
        corpus_files_of,
        evaluate_systems,
        stderr_progress,
    )

    n = sum(1 for q in questions if q.answerable and q.gold)
    systems: list[Any] = [ProductSystem(engine)]
    build_seconds = {"product": 0.0}
    if with_baselines:
        passages = engine.store.committed_passages()
        files = corpus_files_of(engine.store, Path(engine.settings.corpus_path))
        for name in BASELINE_NAMES:
            log(f"retrieval: building baseline {name} ...")
            started = time.perf_counter()
            systems.append(build_baseline(name, engine.store, engine.embeddings, files, passages))
            build_seconds[name] = time.perf_counter() - started
    log(f"retrieval: {', '.join(s.name for s in systems)} on {n} answerable questions ...")
    try:
        results = evaluate_systems(systems, questions, corpus, k, CURVE_MAX_K, stderr_progress(n, "retrieval"))
    finally:
        for system in systems:
            close = getattr(system, "close", None)
            if close:
                close()
    for result in results:
        result.build_seconds = build_seconds.get(result.name, 0.0)
    product = results[0]
    retrieval = {r.name: r.to_json() for r in results}
    comparison = compare_to_baselines(product, results[1:]) if len(results) > 1 else None
    return {"retrieval": retrieval, "comparison": comparison}, product


def answer_results(
    engine: Any,
    questions: list[Any],
    mode: str | None,
    k: int | None,
    limit: int | None,
    out: Path,
    judge: str | None = None,
) -> dict[str, Any]:
    """Ask and score the questions; faithfulness by the product's judge and, when named, an independent one."""
    from eval.answer_eval import JudgeSupports, run_answers
    from eval.judges import PRODUCT_JUDGE, build_judge
    from eval.retrieval_eval import stderr_progress

    chosen = questions[:limit] if limit else questions
    log(f"answers: {len(chosen)} questions, mode {mode or engine.settings.answer_mode} ...")
    supports = JudgeSupports(build_judge(PRODUCT_JUDGE, engine.settings))
    independent = {judge: JudgeSupports(build_judge(judge, engine.settings))} if judge else {}
    out.mkdir(parents=True, exist_ok=True)
    partial = out / "answers.partial.jsonl"
    partial.unlink(missing_ok=True)
    run = run_answers(
        engine,
        chosen,
        supports,
        mode=mode,
        k=k,
        progress=stderr_progress(len(chosen), "answers"),
        partial=partial,
        independent=independent,
    )
    run.write_jsonl(out / "answers.jsonl")
    result = run.to_json()
    result["answers_file"] = str(out / "answers.jsonl")
    result["judges"] = {PRODUCT_JUDGE: supports.stats(), **{name: j.stats() for name, j in independent.items()}}
    result["faithfulness_judge"] = PRODUCT_JUDGE
    return result


def aligned(rows: list[list[str]]) -> list[str]:
    """Rows of cells as lines of left-aligned columns."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def summary_lines(report: dict[str, Any]) -> list[str]:
    """A short plain-text summary for standard output."""
    from eval.report import fmt, headline_metric_names

    lines: list[str] = []
    k, max_k = report["k"], report["max_k"]
    retrieval = report.get("retrieval") or {}
    if retrieval:
        first = next(iter(retrieval.values()))
        lines.append(
            f"dataset {report['dataset']}: {first['questions']} answerable questions scored, "
            f"{first['skipped_unanswerable']} unanswerable not scored for retrieval"
        )
        names = headline_metric_names(k, max_k)
        header = ["system", *names, "p50_ms", "p95_ms"]
        rows = [header]
        for name, result in retrieval.items():
            lat = result["latency"]
            rows.append(
                [
                    name,
                    *(fmt(result["summary"].get(n)) for n in names),
                    "-" if lat["p50"] is None else f"{1000 * lat['p50']:.0f}",
                    "-" if lat["p95"] is None else f"{1000 * lat['p95']:.0f}",
                ]
            )
        lines += aligned(rows)
        comparison = report.get("comparison")
        if comparison:
            lines.append("product / best baseline:")
            for name, c in comparison.items():
                best = f"{fmt(c['baseline'])} ({c['best_baseline']})"
                lines.append(f"  {name}: {fmt(c['product'])} / {best} = {fmt(c['ratio'], 2)}")
        product = next(iter(retrieval))
        misses = retrieval[product]["misses"]
        lines.append(f"{product} misses at k={k} ({len(misses)}): {' '.join(misses) if misses else 'none'}")
    answers = report.get("answers")
    if answers:
        s = answers["summary"]
        r = s["refusal"]
        lines.append(
            f"answers ({answers['mode'] or 'default'} mode, {s['questions']} questions): "
            f"token F1 {fmt(s['token_f1'])}, ROUGE-L recall {fmt(s['rouge_l_recall'])}, "
            f"citation recall {fmt(s['citation_recall'])}, precision {fmt(s['citation_precision'])}, "
            f"faithfulness {fmt(s['faithfulness'])}, refusal precision {fmt(r['precision'])}, "
            f"recall {fmt(r['recall'])}, answerable answered {fmt(s['answerable_answered'])}"
            + (
                f", answered keeping a verified model sentence {fmt(s['model_sentence_kept'])}"
                f", answered keeping a model-written verified sentence {fmt(s['model_statement_kept'])}"
                if s.get("model_sentence_kept") is not None
                else ""
            )
            + (
                f", false premise corrected {fmt(s['premise_corrected'])}"
                f" (first sentence citing a gold provision {fmt(s['premise_corrected_from_gold'])})"
                if s.get("premise_corrected") is not None
                else ""
            )
            + f", 'No' opening other answers {s.get('no_without_premise', 0)}"
        )
        for name, value in s.get("judge_faithfulness", {}).items():
            stats = answers.get("judges", {}).get(name, {})
            lines.append(
                f"faithfulness by the {name} judge: {fmt(value)} "
                f"({stats.get('calls', 0)} sentences judged, {stats.get('unparsed', 0)} unparsed, "
                f"{fmt(stats.get('seconds_per_call'), 2)} s each); by the product's "
                f"{answers.get('faithfulness_judge')}: {fmt(s['faithfulness'])}"
            )
        if answers.get("errors"):
            lines.append(f"answers: {len(answers['errors'])} question(s) failed (see report)")
    return lines


def finish(report: dict[str, Any], args: argparse.Namespace) -> int:
    from eval.report import write_report

    written = write_report(report, args.out)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        for line in summary_lines(report):
            print(line)
        print(f"report: {written[1]}")
    return 0


# --------------------------------------------------------------------------- commands


def cmd_retrieval(args: argparse.Namespace) -> int:
    from eval.retrieval_eval import CURVE_MAX_K

    if args.k < 1:
        raise UsageProblem("--k must be at least 1")
    questions = load_dataset(args.dataset)
    engine = open_engine(args)
    report = base_report(args, engine, args.k, max(args.k, CURVE_MAX_K))
    results, _ = retrieval_results(engine, questions, corpus_for(engine), args.k, args.baselines)
    report.update(results)
    return finish(report, args)


def cmd_answers(args: argparse.Namespace) -> int:

    questions = load_dataset(args.dataset)
    engine = open_engine(args)
    report = base_report(args, engine, 5, 10)
    report["answers"] = answer_results(engine, questions, args.mode, args.k, args.limit, args.out, args.judge)
    return finish(report, args)


def cmd_all(args: argparse.Namespace) -> int:
    from eval.retrieval_eval import CURVE_MAX_K

    if args.k < 1:
        raise UsageProblem("--k must be at least 1")
    questions = load_dataset(args.dataset)
    engine = open_engine(args)
    report = base_report(args, engine, args.k, max(args.k, CURVE_MAX_K))
    results, _ = retrieval_results(engine, questions, corpus_for(engine), args.k, True)
    report.update(results)
    report["answers"] = answer_results(engine, questions, "extractive", None, args.limit, args.out)
    return finish(report, args)


def cmd_judge(args: argparse.Namespace) -> int:
    from eval.judge_eval import misjudged, run_judge_eval
    from eval.report import judge_rows, write_judge_report
    from rag.cli_common import settings_from_args
    from rag.verification.labels import LabelsError

    def progress(judge: str, pair_id: str) -> None:
        log(f"  {judge}: {pair_id}")

    log(f"judges {', '.join(args.judges)} on {args.labels} ...")
    try:
        result = run_judge_eval(args.labels, settings_from_args(args), args.judges, args.limit, progress)
    except LabelsError as exc:
        raise UsageProblem(str(exc)) from exc
    written = write_judge_report(result, args.out)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(f"labels {result['labels']}: {result['n']} pairs, {result['positives']} labelled supported")
    overall, per_kind = judge_rows(result)
    for line in [*aligned(overall), "", *aligned(per_kind)]:
        print(line)
    for line in misjudged(result, args.misjudged):
        print(line)
    print(f"report: {written[1]}")
    return 0


def main(argv: list[str] | None = None) -> int:
    warnings.filterwarnings("ignore", message=r".*langchain-community.*")
    args = build_parser().parse_args(argv)
    from rag.errors import RagError

    handlers = {"retrieval": cmd_retrieval, "answers": cmd_answers, "all": cmd_all, "judge": cmd_judge}
    try:
        return handlers[args.command](args)
    except UsageProblem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
