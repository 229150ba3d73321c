"""Write an evaluation report: ``report.json``, ``report.md`` and PNG plots.

The report is a plain dict (see ``eval.__main__``)::

    {"dataset": str, "generated_at": str, "store": str, "k": int, "max_k": int,
     "retrieval": {system name: SystemResult.to_json()},   # "product" first
     "comparison": {metric: {"product", "best_baseline", "baseline", "ratio"}},   # optional
     "answers": AnswerRun.to_json()}                        # optional

Plots use matplotlib's object API with the Agg canvas, so no display and no global
backend change: ``recall_at_k.png`` (item and full recall for k = 1..max_k, every
system), ``by_tag.png`` (item recall@k per tag, every system) and ``latency.png``
(per-query retrieval latency histogram, every system).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

CHECK = " \u2713"  # marks a retrieved result that matches a gold entry
SYSTEM_COLOURS = {
    "product": "#1f77b4",
    "langchain-tutorial": "#ff7f0e",
    "bm25": "#2ca02c",
    "dense": "#d62728",
}


def fmt(value: Any, digits: int = 3) -> str:
    """A number for a Markdown table; an em dash for a missing value."""
    if value is None:
        return "\u2014"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _ms(value: Any) -> str:
    return "\u2014" if value is None else f"{1000 * float(value):.0f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return lines


# --------------------------------------------------------------------------- markdown


def headline_metric_names(k: int, max_k: int) -> list[str]:
    """The retrieval metrics every report and summary shows, in order."""
    return [
        f"item_recall@{k}",
        f"full_recall@{k}",
        f"mrr@{max_k}",
        f"ndcg@{k}",
        f"span_precision@{k}",
        f"span_recall@{k}",
    ]


def retrieval_table(report: dict[str, Any]) -> list[str]:
    k, max_k = report["k"], report["max_k"]
    names = headline_metric_names(k, max_k)
    header = ["system", "questions", *names, "p50 ms", "p95 ms", "build s"]
    rows = []
    for name, result in report.get("retrieval", {}).items():
        summary, latency = result["summary"], result["latency"]
        rows.append(
            [
                name,
                fmt(result["questions"]),
                *(fmt(summary.get(n)) for n in names),
                _ms(latency.get("p50")),
                _ms(latency.get("p95")),
                f"{result.get('build_seconds', 0.0):.1f}",
            ]
        )
    return _table(header, rows)


def markdown(report: dict[str, Any]) -> str:
    """The whole report as Markdown."""
    k, max_k = report["k"], report["max_k"]
    out = [
        "# Evaluation report",
        "",
        f"- dataset: `{report.get('dataset', '?')}`",
        f"- generated: {report.get('generated_at', '?')}",
        f"- store: `{report.get('store', '?')}`",
        "",
    ]
    retrieval = report.get("retrieval", {})
    if retrieval:
        first = next(iter(retrieval.values()))
        out += [
            f"## Retrieval (k = {k})",
            "",
            f"{first['questions']} answerable questions with gold locations; "
            f"{first['skipped_unanswerable']} unanswerable questions are not scored here. "
            f"Supporting passages (after the first k) do not count. MRR over the top {max_k}.",
            "",
            *retrieval_table(report),
            "",
        ]
        comparison = report.get("comparison")
        if comparison:
            out += ["### Product / best baseline", ""]
            rows = [
                [name, fmt(c["product"]), c["best_baseline"], fmt(c["baseline"]), fmt(c["ratio"], 2)]
                for name, c in comparison.items()
            ]
            out += [*_table(["metric", "product", "best baseline", "value", "ratio"], rows), ""]
        out += [f"### Recall@k, k = 1..{max_k}", "", "![recall@k](recall_at_k.png)", ""]
        header = ["system", "recall", *(str(i) for i in range(1, max_k + 1))]
        rows = []
        for name, result in retrieval.items():
            for kind in ("item_recall", "full_recall"):
                rows.append([name, kind, *(fmt(v) for v in result["curves"][kind])])
        out += [*_table(header, rows), ""]
        out += by_tag_section(report)
        out += misses_section(report)
    answers = report.get("answers")
    if answers:
        out += answers_section(answers)
    return "\n".join(out).rstrip() + "\n"


def by_tag_section(report: dict[str, Any]) -> list[str]:
    k, max_k = report["k"], report["max_k"]
    retrieval = report["retrieval"]
    product_name = next(iter(retrieval))
    product = retrieval[product_name]
    others = [n for n in retrieval if n != product_name]
    names = [f"item_recall@{k}", f"full_recall@{k}", f"mrr@{max_k}", f"ndcg@{k}"]
    header = ["tag", "n", *(f"{product_name} {n}" for n in names), "misses", *(f"{o} item_recall@{k}" for o in others)]
    rows = []
    for tag, entry in sorted(product["by_tag"].items(), key=lambda kv: (kv[1][names[0]] or 0, kv[0])):
        rows.append(
            [
                tag,
                fmt(entry["n"]),
                *(fmt(entry.get(n)) for n in names),
                fmt(entry.get("misses")),
                *(fmt(retrieval[o]["by_tag"].get(tag, {}).get(names[0])) for o in others),
            ]
        )
    return [f"### By tag ({product_name}, worst first)", "", "![by tag](by_tag.png)", "", *_table(header, rows), ""]


def misses_section(report: dict[str, Any]) -> list[str]:
    k = report["k"]
    retrieval = report["retrieval"]
    product_name = next(iter(retrieval))
    product = retrieval[product_name]
    per_question = {q["id"]: q for q in product.get("per_question", [])}
    out = [f"### Questions the {product_name} misses at k = {k}", ""]
    if not product["misses"]:
        return [*out, "None.", ""]
    out.append(f"{len(product['misses'])} question(s) with a gold entry not in the top {k}.")
    out.append("")
    for qid in product["misses"]:
        q = per_question.get(qid)
        if q is None:
            out.append(f"- **{qid}**")
            continue
        missing = ", ".join(_gold_label(g) for g in q["missing"])
        out.append(f"- **{qid}** [{', '.join(q['tags'])}] {q['question']}")
        out.append(f"  - missing: {missing}")
        got = "; ".join(
            f"{i}. {r['label']}{CHECK if r['matches'] else ''}" for i, r in enumerate(q["retrieved"][:k], start=1)
        )
        out.append(f"  - retrieved: {got or '(nothing)'}")
    return [*out, ""]


def _gold_label(gold: dict[str, str]) -> str:
    label = gold["doc"]
    if gold.get("article") == "preamble":
        label += " preamble"
    elif gold.get("article"):
        label += f" art. {gold['article']}"
    if gold.get("paragraph"):
        label += f" para. {gold['paragraph']}"
    return label


def answers_section(answers: dict[str, Any]) -> list[str]:
    s = answers["summary"]
    refusal = s["refusal"]
    rows = [
        ["questions (answerable / unanswerable)", f"{s['questions']} ({s['answerable']} / {s['unanswerable']})"],
        ["answered (not refused)", fmt(s["answered"])],
        ["refusal precision", fmt(refusal["precision"])],
        ["refusal recall", fmt(refusal["recall"])],
        ["answerable questions refused", fmt(refusal["false_refusals"])],
        ["answerable questions answered (share)", fmt(s.get("answerable_answered"))],
        ["token F1 vs reference (answerable, refusal = 0)", fmt(s["token_f1"])],
        ["ROUGE-L recall vs reference", fmt(s["rouge_l_recall"])],
        ["token F1, answered only", fmt(s["token_f1_answered"])],
        ["ALCE citation recall", fmt(s["citation_recall"])],
        ["ALCE citation precision", fmt(s["citation_precision"])],
        [
            f"faithfulness (sentences supported by context; {answers.get('faithfulness_judge', 'product')} judge)",
            fmt(s["faithfulness"]),
        ],
        *(
            [f"faithfulness by the independent {name} judge", fmt(value)]
            for name, value in s.get("judge_faithfulness", {}).items()
        ),
        ["drafted sentences the product marks supported", fmt(s["self_supported"])],
        ["drafted sentences hidden from the answer", fmt(s.get("hidden_sentences"))],
        ["answers citing a gold location", fmt(s["cites_gold"])],
        *(
            [label, fmt(s[key])]
            for key, label in (
                ("model_sentence_kept", "answered keeping a verified model sentence (any)"),
                (
                    "model_statement_kept",
                    "answered keeping a model-written verified sentence (says something, no copy of its passage)",
                ),
            )
            if s.get(key) is not None
        ),
        ["citations resolved from quote (passage missing)", fmt(s["quote_fallbacks"])],
    ]
    for stage, lat in s["latency"].items():
        rows.append([f"latency {stage} p50 / p95 (ms)", f"{_ms(lat['p50'])} / {_ms(lat['p95'])}"])
    out = ["## Answers", "", f"Mode: `{answers.get('mode')}`.", "", *_table(["metric", "value"], rows), ""]
    if answers.get("errors"):
        out += [f"{len(answers['errors'])} question(s) failed:", ""]
        out += [f"- {e['id']}: {e['error']}" for e in answers["errors"]]
        out.append("")
    return out


# --------------------------------------------------------------------------- plots


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=110)
    FigureCanvasAgg(fig)
    return fig


def plot_recall_curves(report: dict[str, Any], path: Path) -> Path:
    """Item (solid) and full (dashed) recall@k for every system."""
    fig = _figure(7, 4.5)
    ax = fig.add_subplot(1, 1, 1)
    for name, result in report["retrieval"].items():
        curves = result["curves"]
        colour = SYSTEM_COLOURS.get(name)
        ks = curves["k"]
        ax.plot(ks, [v or 0 for v in curves["item_recall"]], marker="o", color=colour, label=f"{name} item")
        ax.plot(
            ks, [v or 0 for v in curves["full_recall"]], linestyle="--", color=colour, alpha=0.7, label=f"{name} full"
        )
    ax.set_xlabel("k")
    ax.set_ylabel("recall@k")
    ax.set_ylim(0, 1.02)
    ax.set_xticks(range(1, report["max_k"] + 1))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, ncol=2, loc="lower right")
    ax.set_title("Recall@k: product vs baselines")
    fig.tight_layout()
    fig.savefig(path)
    return path


def plot_by_tag(report: dict[str, Any], path: Path) -> Path:
    """Item recall@k per tag, one bar per system."""
    k = report["k"]
    retrieval = report["retrieval"]
    product = next(iter(retrieval.values()))
    metric = f"item_recall@{k}"
    tags = sorted(product["by_tag"], key=lambda t: (product["by_tag"][t][metric] or 0, t))
    systems = list(retrieval)
    height = max(3.0, 0.28 * len(tags) * max(1, len(systems)) / 2 + 1.5)
    fig = _figure(8, height)
    ax = fig.add_subplot(1, 1, 1)
    bar = 0.8 / max(1, len(systems))
    for index, name in enumerate(systems):
        values = [retrieval[name]["by_tag"].get(t, {}).get(metric) or 0 for t in tags]
        positions = [i + index * bar for i in range(len(tags))]
        ax.barh(positions, values, height=bar, color=SYSTEM_COLOURS.get(name), label=name)
    ax.set_yticks([i + bar * (len(systems) - 1) / 2 for i in range(len(tags))])
    ax.set_yticklabels([f"{t} (n={product['by_tag'][t]['n']})" for t in tags], fontsize=7)
    ax.set_xlim(0, 1.0)
    ax.set_xlabel(metric)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title(f"{metric} by tag")
    fig.tight_layout()
    fig.savefig(path)
    return path


def plot_latency(report: dict[str, Any], path: Path) -> Path:
    """Histogram of per-query retrieval latency (ms) for every system."""
    fig = _figure(7, 4)
    ax = fig.add_subplot(1, 1, 1)
    all_ms = [1000 * v for r in report["retrieval"].values() for v in r.get("latencies", [])]
    if all_ms:
        top = max(all_ms)
        bins = [top * i / 40 for i in range(41)] if top > 0 else 10
        for name, result in report["retrieval"].items():
            values = [1000 * v for v in result.get("latencies", [])]
            if values:
                p50 = result["latency"]["p50"]
                ax.hist(
                    values,
                    bins=bins,
                    alpha=0.5,
                    color=SYSTEM_COLOURS.get(name),
                    label=f"{name} (p50 {1000 * p50:.0f} ms)",
                )
    ax.set_xlabel("retrieval latency per question (ms)")
    ax.set_ylabel("questions")
    ax.grid(alpha=0.3)
    if all_ms:
        ax.legend(fontsize=7)
    ax.set_title("Retrieval latency")
    fig.tight_layout()
    fig.savefig(path)
    return path


# --------------------------------------------------------------------------- writing


def write_report(report: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write ``report.json``, ``report.md`` and (with retrieval results) the three plots."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    json_path = out_dir / "report.json"
    json_path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(json_path)
    md_path = out_dir / "report.md"
    md_path.write_text(markdown(report), encoding="utf-8")
    written.append(md_path)
    if report.get("retrieval"):
        written.append(plot_recall_curves(report, out_dir / "recall_at_k.png"))
        written.append(plot_by_tag(report, out_dir / "by_tag.png"))
        written.append(plot_latency(report, out_dir / "latency.png"))
    return written


def judge_rows(result: dict[str, Any]) -> tuple[list[list[str]], list[list[str]]]:
    """The judge report's two tables, as cells: one row per judge, then one row per kind.

    First: accuracy (supported vs not), precision and recall of "supported", faithful
    sentences accepted, errors accepted, three-way verdict agreement, unparsed replies and
    seconds per pair. Second: for each kind, the share each judge accepts.
    """
    judges = result["judges"]
    overall = [
        [
            "judge",
            "accuracy",
            "precision",
            "recall",
            "faithful accepted",
            "errors accepted",
            "verdict agreement",
            "unparsed",
            "s/pair (mean)",
            "s/pair (p50)",
        ],
    ]
    for name, r in judges.items():
        timing = r["seconds_per_pair"]
        overall.append(
            [
                name,
                fmt(r["accuracy"]),
                fmt(r["binary"]["precision"]),
                fmt(r["binary"]["recall"]),
                fmt(r["faithful_accepted"]),
                fmt(r["errors_accepted"]),
                fmt(r["verdict_accuracy"]),
                fmt(r["unparsed"]),
                fmt(timing["mean"], 3),
                fmt(timing["p50"], 3),
            ]
        )
    per_kind = [["kind (accepted rate)", "n", *judges]]
    for kind, n in result["kinds"].items():
        per_kind.append([kind, fmt(n), *(fmt(r["by_kind"][kind]["accepted"]) for r in judges.values())])
    return overall, per_kind


def judge_markdown(result: dict[str, Any]) -> str:
    """The judges' agreement with the hand labels as Markdown."""
    overall, per_kind = judge_rows(result)
    origins = sorted({o for r in result["judges"].values() for o in r["by_origin"]})
    out = [
        "# Judges vs hand labels",
        "",
        f"- labels: `{result['labels']}` ({result['n']} pairs, {result['positives']} labelled supported)",
        '- accuracy is of "supported" against "not supported"; a faithful sentence should be accepted,',
        "  a sentence of any error kind should not; verdict agreement compares the three-way verdict",
        "- an unparsed reply (no verdict read) counts as not accepted",
        "",
        *_table(overall[0], overall[1:]),
        "",
        "## Accepted rate per kind",
        "",
        *_table(per_kind[0], per_kind[1:]),
        "",
        "## Accuracy per origin",
        "",
        *_table(
            ["origin", "n", *result["judges"]],
            [
                [
                    origin,
                    fmt(
                        next(r["by_origin"][origin]["n"] for r in result["judges"].values() if origin in r["by_origin"])
                    ),
                    *(fmt(r["by_origin"].get(origin, {}).get("accuracy")) for r in result["judges"].values()),
                ]
                for origin in origins
            ],
        ),
        "",
    ]
    return "\n".join(out)


def write_judge_report(result: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write ``judge.json`` and ``judge.md``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / "judge.json"
    json_path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path = out_dir / "judge.md"
    md_path.write_text(judge_markdown(result), encoding="utf-8")
    return [json_path, md_path]
