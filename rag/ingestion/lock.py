"""One writer per store: an exclusive file lock held while an ingestion changes the store.

Two ingestions writing the same embedded Chroma store at once contend for its SQLite file and
can interleave their manifest commits and keyword-index writes. The second one is refused at
once with a message naming the lock, rather than left to block on SQLite for minutes. The lock
is an ``flock`` on a file beside the store, so it is released by the kernel when the holder
dies, even by SIGKILL: a killed ingestion never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rag.errors import StoreError
from rag.settings import Settings


def lock_path(settings: Settings) -> Path:
    """The lock file of the store these settings point at (a server store gets its own name)."""
    where = f"{settings.chroma_host}_{settings.chroma_port}_" if settings.chroma_host else ""
    return Path(settings.store_path) / f".writer-{where}{settings.collection}.lock"


@contextmanager
def writer_lock(settings: Settings) -> Iterator[None]:
    """Hold the store's writer lock, or raise ``StoreError`` when another process holds it."""
    path = lock_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise StoreError(
                f"another ingestion ({holder}) is writing this store; wait for it to finish and run again "
                f"(lock: {path})"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
