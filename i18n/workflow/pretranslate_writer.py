"""Writing the catalogs a pre-translation run completes, on a few threads, unless someone saved them meanwhile.

Each catalog is written atomically and durably (a temporary file, fsync, rename): the fsync is a wait on the
disk, hundreds of them one after the other were most of the time of a run whose drafts all come from the
cache, and in a run waiting on an engine they held back the handling of the answers. Here they overlap
(:data:`THREADS` at a time): the run hands a catalog over and goes on, and takes the outcomes back in the
order it handed them over (:meth:`CatalogWriter.finished`).

A catalog is written only if its file still has the stamp (mtime, size) it had when the run read it, checked
right before the rename (:func:`i18n.core.atomic.replace_if`); otherwise the outcome says so and the run
applies its drafts to the text saved (never over what a translator just typed). A written catalog comes
back with the stat of the file written and the digest of its bytes, so that it can be recorded in the
tracker without being read back.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from i18n.catalogs.catalog import Catalog
from i18n.catalogs.poformat import format_catalog
from i18n.core.atomic import replace_if

#: Catalogs written at the same time (their fsyncs overlap: the disk's journal commits them together).
THREADS = 4

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Written:
    """A catalog on disk as written: the stat of the file and the SHA-1 of its bytes."""

    stat: os.stat_result
    digest: str


def file_stamp(path: Path) -> tuple[int, int]:
    """``(mtime_ns, size)`` of ``path``; ``(0, 0)`` when it does not exist."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


def write_unless_saved(catalog: Catalog, path: Path, stamp: tuple[int, int]) -> Written | None:
    """Write ``catalog`` to ``path`` if the file still has ``stamp``; ``None`` (nothing written) if not."""
    data = format_catalog(catalog).encode("utf-8")
    written = replace_if(path, data, lambda: file_stamp(path) == stamp)
    return None if written is None else Written(written, hashlib.sha1(data).hexdigest())


class CatalogWriter(Generic[T]):
    """Writes catalogs on :data:`THREADS` threads; each is handed over with a key (the caller's target) and
    comes back with it, in order. :meth:`close` (or leaving the ``with`` block) waits for the writes under
    way."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="i18n-write")
        self._queue: deque[tuple[T, Catalog, Future[Written | None]]] = deque()

    def submit(self, key: T, catalog: Catalog, path: Path, stamp: tuple[int, int]) -> None:
        """Write ``catalog`` to ``path`` unless the file no longer has ``stamp`` (see the module docstring)."""
        self._queue.append((key, catalog, self._pool.submit(write_unless_saved, catalog, path, stamp)))

    def finished(self, wait: bool = False) -> Iterator[tuple[T, Catalog, Written | None]]:
        """The catalogs written (or found saved by someone else: ``None``) since the last call, in the order
        handed over; with ``wait``, all of them. A write's error is raised here."""
        while self._queue and (wait or self._queue[0][2].done()):
            key, catalog, future = self._queue.popleft()
            yield key, catalog, future.result()

    def close(self) -> None:
        """Wait for the writes under way, and stop the threads."""
        self._pool.shutdown(wait=True)

    def __enter__(self) -> CatalogWriter[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["CatalogWriter", "Written", "file_stamp", "write_unless_saved"]
