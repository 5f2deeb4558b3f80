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
from collections.abc import Mapping
from dataclasses import dataclass

from i18n.core.errors import Unreadable

__all__ = ["PARALLEL_MIN", "Files", "FolderStamp", "cpu_count", "names_digest", "others_digest", "stamp_folders"]

#: ``(name, size, mtime_ns)`` of each tracked file of a folder.
Files = list[tuple[str, int, int]]

#: Fewer folders than this are stat'ed in this process. A fork costs a few milliseconds (about 1,500
#: ``stat``); a workspace with this many year folders holds thousands of files (5,000 articles × 10
#: languages: 154 folders of 365 files; the sample workspace: 12 folders of 10).
PARALLEL_MIN = 40
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
    """:func:`names_digest` of its regular tracked files."""
    count: int
    """How many regular tracked files it holds."""
    newest: int
    """The newest modification time among them (ns; 0 when it holds none)."""
    irregular: bool
    """A tracked name is not a regular file (a symbolic link, a folder) or vanished while being stat'ed: the
    caller looks at this folder itself (a link is followed only once it is known to stay inside)."""
    links: bool
    """Some entry (tracked or not, hidden ones aside) is a symbolic link."""
    subfolders: tuple[str, ...]
    """The names of its folders (not links, hidden ones aside)."""
    others: str
    """A digest of the names of its other entries (not tracked, not folders, hidden ones aside): a file
    added or removed among them changes it."""
    files: Files | None
    """Its files, sorted; ``None`` when the digest is the expected one and the caller said it needs no files
    of such folders."""

    def encoded(self) -> tuple[object, ...]:
        return (self.digest, self.count, self.newest, self.irregular, self.links, self.subfolders, self.others,
                self.files)


def stamp_folders(folders: Mapping[str, tuple[str, ...]], expected: Mapping[str, str] | None = None, *,
                  keep_matching: bool = False) -> dict[str, FolderStamp]:
    """The stamp of each of ``folders`` (absolute path → the suffixes of the names it tracks: its files whose
    names end with one of them, hidden ones never), one ``scandir`` and one ``lstat`` per such file. A
    folder that cannot be opened is left out.

    ``expected``: the digest each folder is expected to have; the files of a folder that has it are not
    kept (nor sent between processes) unless ``keep_matching``.
    """
    wanted = expected or {}
    processes = _processes(len(folders))
    if processes < 2:
        return _stamp_share(list(folders.items()), wanted, keep_matching)
    shares = _shares(folders, processes)
    children = [_fork(share, wanted, keep_matching) for share in shares[1:]]
    stamps = _stamp_share(shares[0], wanted, keep_matching)
    for share, child in zip(shares[1:], children, strict=True):
        found = _collect(child)
        stamps.update(found if found is not None else _stamp_share(share, wanted, keep_matching))
    return stamps


def _processes(folders: int) -> int:
    """How many processes should stat ``folders``: 1 unless forking is cheap, safe and likely worth it."""
    if folders < PARALLEL_MIN or not sys.platform.startswith("linux") or threading.active_count() != 1:
        return 1
    return max(1, min(cpu_count(), MAX_PROCESSES, folders // max(1, PARALLEL_MIN // 2)))


def cpu_count() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


#: A folder to stamp: its absolute path and the suffixes of the names it tracks.
Share = list[tuple[str, tuple[str, ...]]]


def _shares(folders: Mapping[str, tuple[str, ...]], count: int) -> list[Share]:
    """``folders`` dealt out into ``count`` shares (folders of one workspace hold about as many files each)."""
    ordered = sorted(folders.items())
    return [ordered[i::count] for i in range(count)]


def _stamp_share(share: Share, expected: Mapping[str, str], keep_matching: bool) -> dict[str, FolderStamp]:
    stamps: dict[str, FolderStamp] = {}
    for path, suffixes in share:
        found = _stamp(path, suffixes, expected.get(path), keep_matching)
        if found is not None:
            stamps[path] = found
    return stamps


def _stamp(path: str, suffixes: tuple[str, ...], expected: str | None, keep_matching: bool) -> FolderStamp | None:
    """One folder's stamp (``None`` if it is gone; :class:`Unreadable` if it is there but cannot be read: never
    taken for gone, which would forget its articles). ``scandir`` tells folders and links apart for free;
    each tracked file is ``lstat``'ed relative to the open folder where the system allows it (no path to build
    and walk per file)."""
    files: Files = []
    subfolders: list[str] = []
    others: list[str] = []
    irregular = links = False
    descriptor = None
    try:
        descriptor = os.open(path, os.O_RDONLY) if os.scandir in os.supports_fd else None
        entries = os.scandir(descriptor if descriptor is not None else path)
    except (FileNotFoundError, NotADirectoryError):
        if descriptor is not None:
            os.close(descriptor)
        return None  # gone
    except OSError as error:  # there, but not to be read: never taken for gone
        if descriptor is not None:
            os.close(descriptor)
        raise Unreadable.of(path, error) from None
    try:
        with entries:
            for entry in entries:
                name = entry.name
                if name[0] == ".":
                    continue
                if entry.is_symlink():
                    links = True
                if name.endswith(suffixes):
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except (FileNotFoundError, NotADirectoryError):
                        irregular = True
                        continue
                    except OSError as error:
                        raise Unreadable.of(f"{path}/{name}", error) from None
                    if stat.S_ISREG(info.st_mode):
                        files.append((name, info.st_size, info.st_mtime_ns))
                        continue
                    irregular = True
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append(name)
                elif not name.endswith(suffixes):
                    others.append(name)
    except (FileNotFoundError, NotADirectoryError):
        return None  # gone while being listed
    except OSError as error:
        raise Unreadable.of(path, error) from None
    finally:
        if descriptor is not None:
            os.close(descriptor)
    digest = names_digest(files)
    newest = max((mtime for _, _, mtime in files), default=0)
    keep = keep_matching or irregular or digest != expected
    others.sort()
    return FolderStamp(digest, len(files), newest, irregular, links, tuple(sorted(subfolders)),
                       others_digest(others), files if keep else None)


def others_digest(names: list[str]) -> str:
    """:attr:`FolderStamp.others` of a folder whose other entries are ``names`` (sorted)."""
    return hashlib.sha1("\n".join(names).encode("utf-8", "surrogateescape")).hexdigest()


def _fork(share: Share, expected: Mapping[str, str], keep_matching: bool) -> tuple[int, int] | None:
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
            view = memoryview(marshal.dumps({path: s.encoded() for path, s in found.items()}, 2))
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
        status = _wait(pid)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    try:
        data = marshal.loads(b"".join(chunks))
        return {str(path): FolderStamp(str(d), int(c), int(n), bool(i), bool(ln), tuple(sub), str(o), f)
                for path, (d, c, n, i, ln, sub, o, f) in data.items()}
    except (EOFError, ValueError, TypeError, AttributeError):
        return None


def _wait(pid: int) -> int:
    """The exit status of child ``pid`` (as ``waitpid`` gives it; a failure when it cannot be had)."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return 1 << 8
