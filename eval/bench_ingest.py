"""Benchmark ingestion: ``python -m eval.bench_ingest [--corpus DIR] [--json]``.

Ingests the corpus into a fresh temporary store with the configured embedding model and
reports:

- the first ingest: seconds, documents, passages, seconds inside the embedding model, and the
  share of time spent outside it (target: under 20%);
- a second ingest of the unchanged corpus: seconds and its ratio to the first (target: under 10%);
- the largest passage, in the model's tokens (context line included), against the model limit.

Model loading is timed separately and is not part of either ingest. The machine's load average
is printed too: on a shared machine other processes can slow the embedding model a lot.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

OUTSIDE_MODEL_TARGET = 0.20
REINGEST_RATIO_TARGET = 0.10


def default_corpus() -> Path:
    from eval.dataset import default_corpus_dir

    return default_corpus_dir()


def run_benchmark(corpus: Path) -> dict[str, object]:
    from rag.engine import Engine
    from rag.settings import Settings

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        # The product's own wiring: the passage model and the sentence model, as `python -m ingest` runs.
        engine = Engine(Settings(store_path=Path(tmp) / "store", collection="bench"))
        started = time.perf_counter()
        embeddings = engine.embeddings
        embeddings.embed_documents(["warm-up"])
        engine.sentence_embeddings.embed_documents(["warm-up"])
        model_load_seconds = time.perf_counter() - started

        first = engine.ingest([corpus])
        second = engine.ingest([corpus])

        passages = engine.store.committed_passages()
        sizes = [(embeddings.count_tokens(p.embedded_text), p.id) for p in passages]
        largest_tokens, largest_id = max(sizes) if sizes else (0, "")

    outside = first.seconds - first.embedding_seconds
    outside_share = outside / first.seconds if first.seconds else 0.0
    ratio = second.seconds / first.seconds if first.seconds else 0.0
    return {
        "corpus": str(corpus),
        "cpu_count": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "model_load_seconds": round(model_load_seconds, 3),
        "documents": first.documents,
        "passages": first.passages,
        "failed": [{"file": e.path, "reason": e.reason} for e in first.failed],
        "first_ingest_seconds": round(first.seconds, 3),
        "embedding_seconds": round(first.embedding_seconds, 3),
        "outside_model_seconds": round(outside, 3),
        "outside_model_share": round(outside_share, 4),
        "outside_model_target": OUTSIDE_MODEL_TARGET,
        "reingest_seconds": round(second.seconds, 3),
        "reingest_unchanged": len(second.unchanged),
        "reingest_embedding_seconds": round(second.embedding_seconds, 3),
        "reingest_ratio": round(ratio, 4),
        "reingest_ratio_target": REINGEST_RATIO_TARGET,
        "largest_passage_tokens": largest_tokens,
        "largest_passage_id": largest_id,
        "chunk_max_tokens": engine.ingestor.max_tokens,
        "model_max_tokens": embeddings.max_tokens,
        "targets_met": {
            "outside_model_share": outside_share < OUTSIDE_MODEL_TARGET,
            "reingest_ratio": ratio < REINGEST_RATIO_TARGET,
            "largest_passage": largest_tokens <= embeddings.max_tokens,
        },
    }


def _mark(ok: object) -> str:
    return "ok" if ok else "MISSED"


def format_result(r: dict[str, object]) -> str:
    met = r["targets_met"]
    assert isinstance(met, dict)
    lines = [
        f"corpus:              {r['corpus']}",
        f"machine:             {r['cpu_count']} CPUs, load average {r['load_average']}",
        f"model load:          {r['model_load_seconds']:.1f} s (not counted below)",
        f"first ingest:        {r['first_ingest_seconds']:.1f} s, {r['documents']} documents, "
        f"{r['passages']} passages, {len(r['failed'])} failed",  # type: ignore[arg-type]
        f"  in the model:      {r['embedding_seconds']:.1f} s",
        f"  outside the model: {r['outside_model_seconds']:.1f} s = {r['outside_model_share']:.1%} "
        f"(target < {OUTSIDE_MODEL_TARGET:.0%}: {_mark(met['outside_model_share'])})",
        f"re-ingest unchanged: {r['reingest_seconds']:.2f} s, {r['reingest_unchanged']} unchanged = "
        f"{r['reingest_ratio']:.1%} of the first (target < {REINGEST_RATIO_TARGET:.0%}: "
        f"{_mark(met['reingest_ratio'])})",
        f"largest passage:     {r['largest_passage_tokens']} tokens ({r['largest_passage_id']}); "
        f"chunk budget {r['chunk_max_tokens']}, model limit {r['model_max_tokens']} "
        f"({_mark(met['largest_passage'])})",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_ingest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=None, help="folder to ingest (default: the shared corpus)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    corpus = args.corpus or default_corpus()
    if not corpus.is_dir():
        print(f"error: no corpus folder at {corpus}", file=sys.stderr)
        return 2
    result = run_benchmark(corpus)
    print(json.dumps(result, indent=2) if args.json else format_result(result))
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
