"""Atomic file replacement: a reader sees the old file or the new one, never half of either.

Each file is written to a temporary file in the same folder, flushed to disk, then renamed over the
target (``os.replace`` is atomic on POSIX). :class:`AtomicBatch` does the same for many files at once
with a single ``os.sync()`` before the renames instead of one ``fsync`` per file: a cold sync writes
thousands of catalogs, and per-file fsyncs would dominate its time. A small batch (up to
:data:`FSYNC_EACH` files) fsyncs each file instead.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

#: Up to this many files, a batch fsyncs each one: ``os.sync()`` flushes every dirty page of the whole
#: system, which on a busy machine costs more than a few fsyncs (the daily one-article sync writes 3 files).
FSYNC_EACH = 8
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)


def _umask_mode() -> int:
    """0666 less the process's umask: the mode ``open()`` gives a new file. Read once, at import, because
    reading the umask means setting it, which is not thread-safe."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_DEFAULT_MODE = _umask_mode()


def _stage(path: str | Path, data: bytes, fsync: bool) -> str:
    """Write ``data`` to a new temporary file beside ``path`` and return the temporary path.

    The temporary file is ``.<name>.<pid>.tmp``, created exclusively (a cold sync stages thousands of files:
    no random names, and no ``mkdir`` unless the folder is missing); if that name is taken (a leftover of a
    crashed process with the same id, or the same file staged twice), a random one from ``mkstemp``. The
    file gets the mode a plain ``open(path, "w")`` would give it (0666 less the umask, usually 0644), so
    that catalogs in a shared checkout stay readable by the team, not private to whoever ran the sync.
    """
    target = os.fspath(path)
    folder, name = os.path.split(target)
    temp = f"{folder or '.'}/.{name}.{os.getpid()}.tmp"
    try:
        try:
            fd = os.open(temp, _FLAGS, 0o666)
        except FileNotFoundError:
            os.makedirs(folder or ".", exist_ok=True)
            fd = os.open(temp, _FLAGS, 0o666)
    except FileExistsError:
        fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder or None)
        os.fchmod(fd, _DEFAULT_MODE)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if fsync:
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return temp


def _commit(temp: str, path: str | Path) -> None:
    try:
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically and durably (temp file, fsync, rename).

    ``durable=False`` skips the fsync, for caches: after a crash the file may then be empty or partly
    written (the rename can reach the disk before the data), and the reader must treat that as missing.
    """
    _commit(_stage(path, data, fsync=durable), path)


def replace_if(path: Path, data: bytes, still: Callable[[], bool]) -> os.stat_result | None:
    """Replace ``path`` with ``data`` atomically and durably if ``still()`` holds right before the rename;
    the stat of the file written (now at ``path``), or ``None`` (``still()`` failed: nothing changed).

    ``still`` checks that nobody changed the file since the caller read it: asked after the data is on
    disk, it leaves the smallest window in which a save by someone else could be replaced unseen. The stat
    lets the caller tell later whether the file at ``path`` is still the one written (same inode, mtime
    and size) without reading it back.
    """
    temp = _stage(path, data, fsync=True)
    try:
        written = os.stat(temp)
        if not still():
            discard(temp)
            return None
    except BaseException:
        discard(temp)
        raise
    _commit(temp, path)
    return written


def stage(path: str | Path, data: bytes) -> str:
    """Write ``data`` to a temporary file beside ``path``, not yet synced, and return its path.

    For :meth:`AtomicBatch.adopt`: another process (a worker of a cold sync) stages a file as soon as
    its bytes exist, so that they need not stay in memory until the batch commits. Whoever stages a file
    removes it (:func:`discard`) unless a batch adopts it.
    """
    return _stage(path, data, fsync=False)


def discard(temp: str) -> None:
    """Remove a staged temporary file that no batch will commit (it may already be gone)."""
    with contextlib.suppress(OSError):
        os.unlink(temp)


_STAGED = re.compile(r"^\..+\.(\d+)\.tmp$")
"""The name :func:`_stage` gives a temporary file: ``.<name>.<pid>.tmp``."""


def sweep(folder: str | Path) -> int:
    """Remove the temporary files under ``folder`` that a killed process left (how many were removed).

    A process killed while it staged files (``kill -9``, a power cut) leaves them beside their targets,
    which it never touched. A file is removed only when the process its name gives no longer exists (a
    process id in use again keeps it: a leftover is harmless, removing a live process's file is not).
    """
    removed = 0
    for root, _, names in os.walk(folder):
        for name in names:
            match = _STAGED.match(name)
            if match and not _alive(int(match.group(1))):
                discard(os.path.join(root, name))
                removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def unchanged(path: str | Path, data: bytes) -> bool:
    """Whether ``path`` already holds exactly ``data`` (so writing it would change no byte)."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except FileNotFoundError:
        return False


class AtomicBatch:
    """Many atomic writes, made durable with one ``os.sync()``; used as a context manager.

    Files are staged as temporary files when added (so their bytes need not stay in memory); on a clean
    exit of the ``with`` block (or :meth:`commit`) the data is synced and every file renamed into place,
    in the order added; on an exception (or :meth:`discard`) every staged file is removed and no target
    is touched. A crash between two renames leaves each file whole (old or new), never half-written.
    """

    def __init__(self) -> None:
        self._staged: list[tuple[str, str | Path]] = []

    def __enter__(self) -> AtomicBatch:
        return self

    def add(self, path: str | Path, data: bytes) -> None:
        """Stage ``data`` for ``path``."""
        self._staged.append((_stage(path, data, fsync=False), path))

    def adopt(self, temp: str, path: str | Path) -> None:
        """Take over ``temp``, a file already staged for ``path`` by :func:`stage`: it is renamed or removed
        with the others."""
        self._staged.append((temp, path))

    def __len__(self) -> int:
        return len(self._staged)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if kind is not None:
            self.discard()
            return
        self.commit()

    def commit(self) -> None:
        """Make every staged file durable, then rename each into place (removing the rest on a failure)."""
        if not self._staged:
            return
        if len(self._staged) <= FSYNC_EACH:
            for temp, _ in self._staged:
                with open(temp, "rb+") as handle:
                    os.fsync(handle.fileno())
        else:
            os.sync()
        done = 0
        try:
            for temp, path in self._staged:
                _commit(temp, path)
                done += 1
        finally:
            del self._staged[:done]
            self.discard()

    def discard(self) -> None:
        """Remove every staged temporary file without touching the targets."""
        for temp, _ in self._staged:
            discard(temp)
        self._staged.clear()
