"""Exclusive locks between processes, on every platform: the one wrapper of :mod:`filelock`.

The workspace (one writing i18n process at a time) and each mirror's version store (one publisher at a
time) lock through :func:`exclusive`. The lock is the operating system's (``flock`` on POSIX, a byte-range
lock on Windows), so the OS releases it when its holder dies: a crashed command never leaves a stale lock.

Who holds a lock is written beside it, in ``<lock>.holder`` (not in the lock file: on Windows a locked
file cannot be read by the process that waits for it), so a waiter that gives up can say who is in the way.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

#: What the holder file says when it cannot be read (the holder has not written it yet, or it is gone).
UNKNOWN_HOLDER = "another i18n process"
#: How often a waiter tries the lock again.
POLL_SECONDS = 0.05


def holder_path(path: Path) -> Path:
    """The file beside the lock at ``path`` that names its holder."""
    return path.with_name(path.name + ".holder")


def holder(path: Path) -> str:
    """Who holds the lock at ``path``, as its holder described itself (or :data:`UNKNOWN_HOLDER`)."""
    try:
        text = holder_path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return UNKNOWN_HOLDER
    return text or UNKNOWN_HOLDER


@contextlib.contextmanager
def exclusive(path: Path, timeout: float, busy: Callable[[str], Exception]) -> Iterator[None]:
    """Hold the exclusive lock at ``path`` (created if missing) for the ``with`` block.

    Waits up to ``timeout`` seconds (0: one try) while another process holds it, then raises
    ``busy(holder)``, where ``holder`` says who holds it (see :func:`holder`). Two locks on one path in
    one process exclude each other too.
    """
    import filelock  # lazy: filelock costs ~20 ms of start-up, and commands that only read never lock

    lock = filelock.FileLock(path, timeout=timeout, poll_interval=POLL_SECONDS)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise busy(holder(path)) from None
    try:
        note = holder_path(path)
        note.write_text(f"i18n process {os.getpid()} (started {time.strftime('%Y-%m-%d %H:%M:%S')})\n",
                        encoding="utf-8")
        try:
            yield
        finally:
            note.unlink(missing_ok=True)
    finally:
        lock.release()
