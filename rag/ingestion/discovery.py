"""Which files an ingestion takes: files named directly, and supported files inside folders."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rag.errors import DocumentError
from rag.loaders import SUPPORTED_SUFFIXES

# Files that describe a folder rather than belong to it; skipped when a folder is walked.
FOLDER_METADATA_STEMS = frozenset({"manifest", "readme", "license", "changelog"})


def _is_document_in_folder(path: Path, folder: Path) -> bool:
    return (
        path.is_file()
        and path.suffix.lower() in SUPPORTED_SUFFIXES
        and path.stem.lower() not in FOLDER_METADATA_STEMS
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def discover_files(paths: Iterable[Path]) -> tuple[list[Path], list[DocumentError]]:
    """Files named directly, plus supported files found recursively in folders.

    Inside folders, hidden files and folder metadata (MANIFEST, README, LICENSE) are skipped;
    a file named directly is always taken.
    """
    files: list[Path] = []
    errors: list[DocumentError] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if _is_document_in_folder(p, path)))
        elif path.exists():
            files.append(path)
        else:
            errors.append(DocumentError(str(path), "no such file or folder"))
    return list(dict.fromkeys(files)), errors
