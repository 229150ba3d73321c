"""``python -m eval.import_graph``: which top-level package imports which, and the arrows we forbid.

The layers run one way: ``rag`` (the engine) is imported by the shells (``ingest``, ``ui``,
``app.py``), by ``eval`` and by ``tests``; it imports none of them, and ``eval`` never imports
``tests``. Imports are read from the source with ``ast`` (nothing is executed), including
imports inside functions.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("rag", "ingest", "eval", "ui", "tests", "app")
FORBIDDEN = {
    ("rag", "ingest"),
    ("rag", "eval"),
    ("rag", "ui"),
    ("rag", "tests"),
    ("rag", "app"),
    ("eval", "tests"),
    ("eval", "ui"),
}
# Modules the tests import by bare name (pytest puts tests/ on the path).
TEST_HELPER_MODULES = frozenset({"testkit", "conftest"})


def _package_of(path: Path, root: Path) -> str:
    relative = path.relative_to(root)
    return "app" if relative.parts[0] == "app.py" else relative.parts[0]


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return {"tests" if name in TEST_HELPER_MODULES else name for name in names} & set(PACKAGES)


def import_graph(root: Path = PROJECT_ROOT) -> dict[tuple[str, str], list[str]]:
    """``(importer, imported) -> files`` for every arrow between two different top-level packages."""
    files = [root / "app.py", *(p for package in PACKAGES[:-1] for p in sorted((root / package).rglob("*.py")))]
    arrows: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in files:
        if not path.is_file():
            continue
        source = _package_of(path, root)
        for target in _imported_packages(path) - {source}:
            arrows[(source, target)].append(str(path.relative_to(root)))
    return dict(arrows)


def forbidden_arrows(graph: dict[tuple[str, str], list[str]]) -> dict[tuple[str, str], list[str]]:
    return {arrow: files for arrow, files in graph.items() if arrow in FORBIDDEN}


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="python -m eval.import_graph", description=__doc__).parse_args(argv)
    graph = import_graph()
    for (source, target), files in sorted(graph.items()):
        mark = "  FORBIDDEN" if (source, target) in FORBIDDEN else ""
        print(f"{source} -> {target} ({len(files)} files){mark}")
    bad = forbidden_arrows(graph)
    for (source, target), files in sorted(bad.items()):
        print(f"forbidden {source} -> {target}: {', '.join(files)}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
