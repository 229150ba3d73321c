"""Uploaded files: safe names, the size limit, the id check, saving and ingesting one file.

The app's Documents page and the HTTP API both add files through ``add_upload``, so an upload
meets the same limits and gets the same messages wherever it comes from.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rag.errors import RagError
from rag.loaders import document_id
from rag.settings import Settings

if TYPE_CHECKING:
    from rag.engine import Engine

log = logging.getLogger(__name__)

UPLOAD_SUFFIXES = (".pdf", ".docx", ".txt", ".html", ".htm", ".md")
MAX_NAME_CHARS = 100
# Uploaded files are kept under the store, one folder per source: an app session, or the HTTP API.
UPLOADS_FOLDER = "uploads"

# Why an upload was not added: "name" (the file name cannot be saved as is), "too_large",
# "duplicate_id" (another document already has its id), "unreadable" (ingestion failed on it),
# "not_saved" (the disk refused it).
UploadProblem = Literal["name", "too_large", "duplicate_id", "unreadable", "not_saved"]


class UploadNameError(ValueError):
    """An uploaded file name that cannot be saved as is."""


@dataclass(frozen=True)
class UploadResult:
    """What became of one uploaded file; ``message`` is shown to the user as is."""

    name: str
    ok: bool
    message: str
    doc_id: str | None = None
    problem: UploadProblem | None = None
    status: Literal["added", "updated", "unchanged"] | None = None
    passages: int = 0


def format_bytes(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.0f} MB" if size % 1_000_000 == 0 else f"{size / 1_000_000:.1f} MB"
    if size >= 1_000:
        return f"{size / 1_000:.0f} kB"
    return f"{size} bytes"


def safe_upload_name(name: str, suffixes: Iterable[str] = UPLOAD_SUFFIXES) -> str:
    """A file name safe to join to the upload folder: no directories, no '..', a small alphabet.

    Raises ``UploadNameError`` with a reason a user can act on.
    """
    if not name or not name.strip():
        raise UploadNameError("the file has no name")
    if "\x00" in name:
        raise UploadNameError("the file name contains a NUL character")
    normalized = unicodedata.normalize("NFKC", name).replace("\\", "/")
    if any(part == ".." for part in normalized.split("/")) or ".." in normalized:
        raise UploadNameError("the file name contains '..'")
    base = normalized.rsplit("/", 1)[-1].strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        raise UploadNameError(f"the file has no extension; accepted: {', '.join(suffixes)}")
    suffix = "." + suffix.lower()
    if suffix not in tuple(suffixes):
        raise UploadNameError(f"unsupported extension '{suffix}'; accepted: {', '.join(suffixes)}")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_")[: MAX_NAME_CHARS - len(suffix)]
    if not stem:
        raise UploadNameError("the file name has no letters or digits")
    return stem + suffix


def upload_target(folder: Path, name: str) -> Path:
    """``folder / safe_upload_name(name)``, checked to stay inside ``folder``."""
    target = (folder / safe_upload_name(name)).resolve()
    if target.parent != folder.resolve():
        raise UploadNameError("the file name points outside the upload folder")
    return target


def uploads_root(settings: Settings) -> Path:
    """The folder holding every upload folder of a store."""
    return Path(settings.store_path) / UPLOADS_FOLDER


def discard_saved_upload(settings: Settings, source_path: str) -> bool:
    """Delete the file of a removed document when it is an upload (under ``uploads_root``); True if deleted.

    Files from anywhere else (the corpus) are never touched.
    """
    path = Path(source_path).resolve()
    if not source_path or not path.is_relative_to(uploads_root(settings).resolve()):
        return False
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        log.warning("could not delete %s: %s", path, error.strerror or error)
        return False
    return True


def _size_problem(size: int, limit: int) -> str | None:
    """The message for a file over ``limit`` bytes, or None when it fits."""
    return f"{format_bytes(size)}, over the limit of {format_bytes(limit)}" if size > limit else None


def add_upload(engine: Engine, folder: Path, name: str, content: bytes) -> UploadResult:
    """Save ``content`` as ``name`` under ``folder`` and ingest it; a failure leaves the store as it was.

    A file whose id belongs to a document from elsewhere (the corpus, another upload folder) is
    refused rather than replacing it; uploading a file again to the same folder replaces it.
    """
    try:
        target = upload_target(folder, name)
    except UploadNameError as error:
        return UploadResult(name, False, str(error), problem="name")
    too_large = _size_problem(len(content), engine.settings.max_file_bytes)
    if too_large:
        return UploadResult(name, False, too_large, problem="too_large")
    doc_id = document_id(target)
    existing = {d.doc_id: d.source_path for d in engine.documents()}.get(doc_id)
    if existing and Path(existing).resolve().parent != folder.resolve():
        message = f"a document with the id '{doc_id}' is already in the library; rename the file"
        return UploadResult(name, False, message, doc_id, "duplicate_id")
    earlier = target.read_bytes() if target.is_file() else None  # the upload this one replaces
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        report = engine.ingest([target])
    except RagError as error:
        _restore(target, earlier)
        return UploadResult(name, False, str(error), doc_id, "unreadable")
    except OSError as error:
        _restore(target, earlier)
        return UploadResult(name, False, f"could not be saved ({error.strerror or error})", doc_id, "not_saved")
    except Exception as error:  # a loader bug must not take the caller down
        log.exception("ingesting %s failed", target)
        _restore(target, earlier)
        return UploadResult(name, False, f"{type(error).__name__}: {error}", doc_id, "unreadable")
    if report.failed:
        _restore(target, earlier)
        return UploadResult(name, False, "; ".join(e.reason for e in report.failed), doc_id, "unreadable")
    if report.unchanged:
        message = "already in the library, unchanged"
        return UploadResult(name, True, message, doc_id, status="unchanged", passages=report.passages)
    status: Literal["added", "updated"] = "updated" if report.updated else "added"
    message = f"{status}: {report.passages} passages in {report.seconds:.1f} s"
    return UploadResult(name, True, message, doc_id, status=status, passages=report.passages)


def _restore(target: Path, earlier: bytes | None) -> None:
    """Put back the file a failed upload overwrote (the store still holds its document), or remove the new one."""
    try:
        if earlier is None:
            target.unlink(missing_ok=True)
        else:
            target.write_bytes(earlier)
    except OSError as error:
        log.warning("could not restore %s: %s", target, error.strerror or error)
