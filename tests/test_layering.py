"""The layers run one way: the engine (``rag``) imports no shell, eval or test code."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from eval.import_graph import forbidden_arrows, import_graph


def test_the_engine_imports_no_shell_eval_or_test_code() -> None:
    assert forbidden_arrows(import_graph()) == {}


def test_a_backward_import_is_reported(tmp_path: Path) -> None:
    (tmp_path / "rag").mkdir()
    (tmp_path / "rag" / "engine.py").write_text("def f():\n    from ingest.pipeline import Ingestor\n")
    (tmp_path / "eval").mkdir()
    (tmp_path / "eval" / "bench.py").write_text("import testkit\nfrom rag import engine\n")
    graph = import_graph(tmp_path)
    assert forbidden_arrows(graph) == {("rag", "ingest"): ["rag/engine.py"], ("eval", "tests"): ["eval/bench.py"]}
    assert ("eval", "rag") in graph


ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "module",
    sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for package in ("rag", "eval", "ingest", "ui")
        for path in (ROOT / package).rglob("*.py")
        if path.name not in ("__main__.py",)
    ),
)
def test_every_module_imports(module: str) -> None:
    """A renamed or removed name breaks the modules that import it even where no test runs them."""
    importlib.import_module(module)
