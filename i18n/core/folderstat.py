"""Folder stamps: the ``(name, size, mtime_ns)`` of each tracked file of many folders, and one digest per
folder, read on several cores where that pays.

Every command starts by checking that nothing changed under it: the tracker's file index (templates and
catalogs, :mod:`i18n.workflow.scan`) and the content index (sources, :mod:`i18n.core.index`) each keep a
digest per folder, and a folder whose files give the same digest on disk is not looked at file by file.
Telling that still takes one ``stat`` per file: 150,000 templates and catalogs and 50,000 sources at
50,000 articles in two languages, a system call and a few microseconds of Python each, about 0.5 s on
one core. The folders are independent, so, like git's ``core.preloadIndex`` (which stats the index's
files on several threads), they are shared out among forked processes: each stats its share and sends
back each folder's digest, and the files themselves only of the folders whose digest is not the one
expected (nothing but ~170 digests on a no-op). Threads do not help in Python: the code around each
``stat`` holds the GIL (measured: slower than one thread).

Forking is used only where it is cheap and safe: on Linux, from a process with one thread (a fork from a
threaded process may inherit a lock some other thread held), with at least :data:`PARALLEL_MIN` files
to stat and more than one core. A child only lists, stats and hashes; it never writes a file, never
touches an open database connection and leaves with ``os._exit``. Whatever goes wrong with a child (it
cannot start, dies, or sends something unreadable) its share is stat'ed again in this process: the
answer is always the one a single process gives.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["PARALLEL_MIN", "Files", "FolderStamp", "names_digest", "stamp_folders"]

#: ``(name, size, mtime_ns)`` of each tracked file of a folder.
Files = list[tuple[str, int, int]]

#: Fewer files than this are stat'ed in this process: a fork costs a few milliseconds, about 1,500 ``stat``.
PARALLEL_MIN = 6000
#: At most this many processes (this one included) share the folders.
MAX_PROCESSES = 4


def names_digest(files: Files) -> str:
    """A digest of a folder's ``(name, size, mtime_ns)`` (sorted in place): equal means unchanged. The content
    index's and the tracker's file index's folder digest. Marshal format 2 writes no back-references, so
    the same values give the same bytes (a Python with another format: folders differ, are checked one by
    one)."""
    files.sort()
    return hashlib.sha1(marshal.dumps(files, 2)).hexdigest()


@dataclass(frozen=True, slots=True)
class FolderStamp:
    """What one folder's tracked files look like on disk now."""

    digest: str
    """:func:`names_digest` of its regular files."""
    count: int
    """How many regular files it holds."""
    newest: int
    """The newest modification time among them (ns; 0 when it holds none)."""
    irregular: bool
    """Some tracked name is not a regular file (a symbolic link, a folder) or vanished while being stat'ed:
    the caller looks at this folder itself (a link is followed only once it is known to stay inside)."""
    files: Files | None
    """Its files, sorted; ``None`` when the digest is the expected one and the caller said it needs no files
    of such folders."""


def stamp_folders(folders: Mapping[str, Sequence[str]], expected: Mapping[str, str] | None = None, *,
                  keep_matching: bool = False) -> dict[str, FolderStamp]:
    """The stamp of each folder (absolute path → the names in it to stat, already listed and filtered).

    ``expected``: the digest each folder is expected to have; the files of a folder that has it are not
    kept (nor sent between processes) unless ``keep_matching``. A name that is not a regular file marks its
    folder :attr:`FolderStamp.irregular`; a folder that cannot be opened any more is left out.
    """
    wanted = expected or {}
    total = sum(len(names) for names in folders.values())
    processes = _processes(total)
    if processes < 2:
        return _stamp_share(list(folders.items()), wanted, keep_matching)
    shares = _shares(folders, processes)
    children = [_fork(share, wanted, keep_matching) for share in shares[1:]]
    stamps = _stamp_share(shares[0], wanted, keep_matching)
    for share, child in zip(shares[1:], children, strict=True):
        found = _collect(child)
        stamps.update(found if found is not None else _stamp_share(share, wanted, keep_matching))
    return stamps


def _processes(total: int) -> int:
    """How many processes should stat ``total`` files: 1 unless forking is cheap, safe and worth it."""
    if total < PARALLEL_MIN or not sys.platform.startswith("linux") or threading.active_count() != 1:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_PROCESSES, total // (PARALLEL_MIN // 2)))


def _shares(folders: Mapping[str, Sequence[str]], count: int) -> list[list[tuple[str, Sequence[str]]]]:
    """``folders`` split into ``count`` shares of about as many files each (largest folders first)."""
    shares: list[list[tuple[str, Sequence[str]]]] = [[] for _ in range(count)]
    sizes = [0] * count
    for path, names in sorted(folders.items(), key=lambda item: -len(item[1])):
        smallest = sizes.index(min(sizes))
        shares[smallest].append((path, names))
        sizes[smallest] += len(names)
    return shares


def _stamp_share(share: Sequence[tuple[str, Sequence[str]]], expected: Mapping[str, str],
                 keep_matching: bool) -> dict[str, FolderStamp]:
    stamps: dict[str, FolderStamp] = {}
    for path, names in share:
        found = _stamp(path, names, expected.get(path), keep_matching)
        if found is not None:
            stamps[path] = found
    return stamps


def _stamp(path: str, names: Sequence[str], expected: str | None, keep_matching: bool) -> FolderStamp | None:
    """One folder's stamp (``None`` if the folder cannot be opened): each name ``lstat``'ed relative to the open
    folder where the system allows it (no path to build and walk per file), else by path (Windows)."""
    files: Files = []
    irregular = False
    try:
        descriptor = os.open(path, os.O_RDONLY) if os.stat in os.supports_dir_fd else None
    except OSError:
        return None
    try:
        for name in names:
            try:
                if descriptor is None:
                    info = os.lstat(f"{path}/{name}")
                else:
                    info = os.stat(name, dir_fd=descriptor, follow_symlinks=False)
            except (FileNotFoundError, NotADirectoryError):
                irregular = True
                continue
            if stat.S_ISREG(info.st_mode):
                files.append((name, info.st_size, info.st_mtime_ns))
            else:
                irregular = True
    finally:
        if descriptor is not None:
            os.close(descriptor)
    digest = names_digest(files)
    newest = max((mtime for _, _, mtime in files), default=0)
    keep = keep_matching or irregular or digest != expected
    return FolderStamp(digest, len(files), newest, irregular, files if keep else None)


def _fork(share: Sequence[tuple[str, Sequence[str]]], expected: Mapping[str, str],
          keep_matching: bool) -> tuple[int, int] | None:
    """A child process stamping ``share`` and writing the result to a pipe: ``(pid, read end)``, or ``None``
    when it cannot start (the share is then stat'ed here)."""
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: stat, send, leave without running any of the parent's clean-up
        code = 1
        try:
            os.close(read)
            found = _stamp_share(share, expected, keep_matching)
            payload = marshal.dumps({path: (s.digest, s.count, s.newest, s.irregular, s.files)
                                     for path, s in found.items()}, 2)
            view = memoryview(payload)
            while view:
                view = view[os.write(write, view):]
            code = 0
        except BaseException:  # anything: the parent stats this share itself
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _collect(child: tuple[int, int] | None) -> dict[str, FolderStamp] | None:
    """What a child sent, once it has exited; ``None`` if it did not start, failed or sent something unreadable."""
    if child is None:
        return None
    pid, read = child
    chunks: list[bytes] = []
    try:
        with contextlib.suppress(OSError):
            while chunk := os.read(read, 1 << 20):
                chunks.append(chunk)
    finally:
        os.close(read)
        _, status = _wait(pid)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    try:
        data = marshal.loads(b"".join(chunks))
        return {str(path): FolderStamp(str(d), int(c), int(n), bool(i), f) for path, (d, c, n, i, f) in data.items()}
    except (EOFError, ValueError, TypeError, AttributeError):
        return None


def _wait(pid: int) -> tuple[int, int]:
    while True:
        try:
            return os.waitpid(pid, 0)
        except InterruptedError:  # pragma: no cover - retried by Python itself since 3.5
            continue
        except ChildProcessError:
            return pid, 1 << 8
