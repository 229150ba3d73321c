"""llama.cpp speed: prompt and generated tokens/s of a packaged GGUF, for one or more builds in the same run.

``python -m eval.bench_llm [--build NAME=DIR ...] [--model-size 1.5b] [--prompt-tokens 600]
[--new-tokens 48] [--repeats 3] [--threads 2] [--together] [--child-timeout S] [--json]``

Each build runs in a child process of its own, one after the other (``--together``: all at
once, so that on a busy shared machine each sees the same load), on the same prompt (text of
the shipped UN convention, cut to ``--prompt-tokens`` tokens): ``venv`` is the llama_cpp installed
in this interpreter; ``NAME=DIR`` puts ``DIR`` (a ``pip install --target DIR llama-cpp-python``)
first on the child's ``PYTHONPATH``. A child that crashes (SIGILL on a CPU the build does not
fit) is reported with its exit status instead of the figures. Per build and repeat, the KV cache
is cleared, then a one-token completion times the prompt, and a ``--new-tokens`` completion
times generation: (its time - the prompt's) / (its tokens - 1). Medians over ``--repeats`` are
printed, with each build's ratio to the first one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rag.settings import DEFAULT_CORPUS, PROJECT_ROOT

PROMPT_SOURCE = DEFAULT_CORPUS / "un-cybercrime-convention-2024.txt"


def measure(model_size: str, prompt_tokens: int, new_tokens: int, repeats: int, threads: int) -> dict[str, object]:
    """In this process: load the model with the importable llama_cpp and time prompt and generation."""
    import llama_cpp

    from rag.models import ensure_gguf
    from rag.settings import Settings

    model = llama_cpp.Llama(
        model_path=str(ensure_gguf(model_size, Settings().model_cache)),
        n_ctx=prompt_tokens + new_tokens + 64,
        n_threads=threads,
        n_batch=512,
        verbose=False,
    )
    text = PROMPT_SOURCE.read_text(encoding="utf-8")
    tokens = model.tokenize(text.encode("utf-8"))[:prompt_tokens]
    prompt_rates, generation_rates = [], []
    for _ in range(repeats):
        model.reset()
        started = time.perf_counter()
        model.create_completion(tokens, max_tokens=1, temperature=0.0)
        prompt_seconds = time.perf_counter() - started
        model.reset()
        started = time.perf_counter()
        result = model.create_completion(tokens, max_tokens=new_tokens, temperature=0.0)
        total_seconds = time.perf_counter() - started
        generated = int(result["usage"]["completion_tokens"])  # type: ignore[index]
        prompt_rates.append(len(tokens) / prompt_seconds)
        if generated > 1 and total_seconds > prompt_seconds:
            generation_rates.append((generated - 1) / (total_seconds - prompt_seconds))
    return {
        "llama_cpp": str(Path(llama_cpp.__file__).parent),
        "version": llama_cpp.__version__,
        "system_info": llama_cpp.llama_print_system_info().decode(errors="replace").strip(),
        "prompt_tokens": len(tokens),
        "prompt_tokens_per_s": round(statistics.median(prompt_rates), 1),
        "generated_tokens_per_s": round(statistics.median(generation_rates), 1) if generation_rates else None,
        "repeats": repeats,
    }


def start_child(directory: Path | None, args: argparse.Namespace) -> subprocess.Popen[str] | str:
    """Start one build's measurement in a child process, or say why it cannot start."""
    env = dict(os.environ)
    if directory is not None:
        if not (directory / "llama_cpp").is_dir():
            return f"no llama_cpp package in {directory}"
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(directory), str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    command = [
        sys.executable, "-m", "eval.bench_llm", "--child", "--model-size", args.model_size,
        "--prompt-tokens", str(args.prompt_tokens), "--new-tokens", str(args.new_tokens),
        "--repeats", str(args.repeats), "--threads", str(args.threads),
    ]  # fmt: skip
    return subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def collect(name: str, child: subprocess.Popen[str] | str, timeout: float) -> dict[str, object]:
    """One build's figures from its child (a crash there does not end the benchmark)."""
    if isinstance(child, str):
        return {"build": name, "error": child}
    try:
        stdout, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        return {"build": name, "error": f"no figures within {timeout:.0f} s"}
    if child.returncode != 0:
        return {"build": name, "error": f"exit status {child.returncode}: {stderr.strip()[-400:]}"}
    return {"build": name, **json.loads(stdout.strip().splitlines()[-1])}


RATES = ("prompt_tokens_per_s", "generated_tokens_per_s")


def speedup(base: dict[str, object], other: dict[str, object], key: str) -> float | None:
    """How many times faster ``base`` is than ``other`` on ``key`` (None when either has no figure)."""
    a, b = base.get(key), other.get(key)
    if isinstance(a, int | float) and isinstance(b, int | float) and b > 0:
        return round(float(a) / float(b), 2)
    return None


def parse_build(value: str) -> tuple[str, Path | None]:
    name, _, directory = value.partition("=")
    if not name or not directory:
        raise argparse.ArgumentTypeError(f"expected NAME=DIR, got {value!r}")
    return name, Path(directory)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_llm", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--build", type=parse_build, action="append", default=[], help="NAME=DIR: another llama_cpp build"
    )
    parser.add_argument("--model-size", choices=["1.5b", "0.5b"], default="1.5b")
    parser.add_argument("--prompt-tokens", type=int, default=600)
    parser.add_argument("--new-tokens", type=int, default=48)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--together",
        action="store_true",
        help="measure the builds at the same time: on a shared, busy machine both then see the same load",
    )
    parser.add_argument("--child-timeout", type=float, default=1800, help="seconds a build may take (default 1800)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        figures = measure(args.model_size, args.prompt_tokens, args.new_tokens, args.repeats, args.threads)
        print(json.dumps(figures))
        return 0

    builds: list[tuple[str, Path | None]] = [("venv", None), *args.build]
    if args.together:
        children = [(name, start_child(directory, args)) for name, directory in builds]
        results = [collect(name, child, args.child_timeout) for name, child in children]
    else:
        results = [collect(name, start_child(directory, args), args.child_timeout) for name, directory in builds]
    for result in results[1:]:
        result["venv_speedup"] = {key: speedup(results[0], result, key) for key in RATES}
    report = {"model_size": args.model_size, "threads": args.threads, "builds": results}
    report["load_average_1m"] = round(os.getloadavg()[0], 2)
    if args.json:
        print(json.dumps(report))
        return 0
    for result in results:
        if "error" in result:
            print(f"{result['build']}: failed ({result['error']})")
            continue
        print(
            f"{result['build']} ({result['llama_cpp']}): prompt {result['prompt_tokens_per_s']} tokens/s "
            f"({result['prompt_tokens']} tokens), generation {result['generated_tokens_per_s']} tokens/s"
        )
    for result in results[1:]:
        ratios = result["venv_speedup"]
        assert isinstance(ratios, dict)
        prompt, generation = ratios["prompt_tokens_per_s"], ratios["generated_tokens_per_s"]
        print(f"venv / {result['build']}: prompt x{prompt}, generation x{generation}")
    print(f"({args.model_size}, {args.threads} threads; load average {report['load_average_1m']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
