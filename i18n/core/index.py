"""The content index: what each file looked like when i18n last processed it.

The daily ``i18n sync`` must not reparse 5,000 articles and 10,000 catalogs to find the one that
changed. The index stores, per file, its size, modification time (ns) and a token (a content digest for
sources and templates; for a catalog, the digest of the template it was last merged with). A file whose
stat still matches is skipped without being read. A stamp whose modification time is not older than the
index file itself is not trusted (git's "racy clean" rule): the file may have been edited again within the
same timestamp tick after it was recorded, so it is read and compared instead.

The index is a cache: deleting ``.i18n/index`` only makes the next run slower. It carries a
fingerprint of everything besides the files that shapes the output (the tool's version and the settings
that go into headers); when that changes, every stamp is dropped and each file is checked again.

Besides the stamps it keeps a digest of each folder's recorded files (name, size, modification time):
a folder whose files on disk give the same digest, none of them racy, has every stamp in it still true,
so its files need no comparison one by one (:meth:`ContentIndex.trusted`). On 50,000 articles in two
languages that is 200,000 files a no-op ``sync`` no longer looks at one at a time; one ``scandir`` per
folder (with the ``lstat`` of each entry) tells the same, the folders shared out among processes on a
large workspace (:meth:`ContentIndex.preload`, :mod:`i18n.core.folderstat`).

It is stored with :mod:`marshal` (a 5,000-article index loads in a third of the time of the JSON the
tool used to write, and saves in a fifth): a magic tag and format version, a CRC-32 of the payload, then
the payload. Anything else (a truncated or foreign file, a Python whose marshal format cannot be read,
an index of another fingerprint) reads as an empty index. Like every cache it is written atomically but
not fsynced: after a crash it is the old index, the new one, or unreadable, all of which are safe, since
the files it describes are made durable before it is written.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import zlib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from i18n.core.atomic import write_atomic
from i18n.core.folderstat import FolderStamp, names_digest, stamp_folders

INDEX_NAME = "index"
VERSION = 2
_MAGIC = b"i18n-index\0"
_HEADER = len(_MAGIC) + 1 + 4
_OLD_NAME = "index.json"
"""Where versions up to 0.1 kept a JSON index: removed when the new index is saved."""
TRACKED = (".md", ".pot", ".po")
"""The files a folder digest covers: sources, templates and catalogs (hidden ones never)."""


class ContentIndex:
    """Stamps of the workspace's files, keyed by workspace-relative path; saved with marshal."""

    def __init__(self, path: Path, data: dict[str, Any] | None = None, fingerprint: str = "",
                 written_ns: int = 0) -> None:
        self.path = path
        self.written_ns = written_ns
        """The index file's own modification time: stamps at or after it are racy."""
        self.fingerprint = fingerprint
        valid = data and data.get("version") == VERSION and data.get("fingerprint") == fingerprint
        data = data if data and valid else {}
        self.stamps: dict[str, list[Any]] = dict(data.get("stamps", {}))
        self.articles: dict[str, list[list[Any]]] = dict(data.get("articles", {}))
        self.folders: dict[str, str] = dict(data.get("folders", {}))
        """The digest of each folder's recorded files, as :func:`_folder_digests` makes it when saving."""
        self._trusted: dict[str, bool] = {}
        self.looked: dict[str, FolderStamp] = {}
        """What :meth:`preload` found in each folder (of :data:`TRACKED` files), by workspace-relative folder."""
        self._mismatched = False
        self._dirty: set[str] = set()
        """The folders whose stamps changed since the index was loaded or saved (their digests are made again)."""
        """Whether a folder's files differed from its recorded digest in this run (see :meth:`save`)."""
        self.changed = False

    @classmethod
    def load(cls, path: Path, fingerprint: str = "") -> ContentIndex:
        """The index at ``path``; an empty one if it is missing, unreadable or of another fingerprint."""
        try:
            written_ns = path.stat().st_mtime_ns
            data = _decode(path.read_bytes())
        except OSError:
            data, written_ns = None, 0
        index = cls(path, data if isinstance(data, dict) else None, fingerprint, written_ns)
        # saved again when empty (a dropped index), or made before folder digests were kept
        index.changed = (not index.stamps and data is not None) or (bool(index.stamps) and not index.folders)
        return index

    def save(self) -> None:
        """Write the index atomically, if anything changed (a folder digest that no longer follows from the
        stamps, e.g. made by another Python, counts: otherwise that folder would be looked at file by file
        for good)."""
        incremental = bool(self._dirty and self.folders and not self._mismatched)
        if incremental:  # a few files recorded: their folders' digests are made again
            folders = _folder_digests(self.stamps, self._dirty, self.folders)
        else:
            folders = _folder_digests(self.stamps) if self.changed or self._mismatched else self.folders
        if not self.changed and folders == self.folders:
            return
        # What was told of a folder before (trusted or not, what it held) no longer holds once its digest is
        # made again: told anew if asked (a no-op check right after a run, say).
        for folder in self._dirty if incremental else list(self._trusted):
            self._trusted.pop(folder, None)
            self.looked.pop(folder, None)
        self.folders = folders
        data = {"version": VERSION, "fingerprint": self.fingerprint, "stamps": self.stamps,
                "articles": self.articles, "folders": self.folders}
        payload = marshal.dumps(data, 4)
        header = _MAGIC + bytes([VERSION]) + zlib.crc32(payload).to_bytes(4, "big")
        write_atomic(self.path, header + payload, durable=False)
        with contextlib.suppress(OSError):
            (self.path.parent / _OLD_NAME).unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            self.written_ns = self.path.stat().st_mtime_ns  # as a load of the file just written would say
        self.changed = self._mismatched = False
        self._dirty.clear()

    def token(self, key: str, stat: os.stat_result) -> str | None:
        """The recorded token of ``key`` if the file's stat still matches its stamp, else ``None``."""
        stamp = self.stamps.get(key)
        if stamp is None or stamp[0] != stat.st_size or stamp[1] != stat.st_mtime_ns:
            return None
        if stamp[1] >= self.written_ns:
            return None  # racy: modified in the same tick as (or after) the index was written
        token: str = stamp[2]
        return token

    def trusted(self, root: str, key: str) -> bool:
        """Whether every stamp in ``key``'s folder is known to hold without a ``stat`` of ``key``.

        True when the folder's files on disk (sources, templates, catalogs: :data:`TRACKED`, hidden ones
        aside) are exactly those recorded, with the recorded sizes and modification times, none of them
        racy and none a symbolic link. Then :meth:`recorded_token` is what :meth:`token` would say for any
        key of the folder, and a key of it with no stamp names no file. The folder is looked at once
        (one ``scandir``) per index loaded: callers ask before they write anything.
        """
        return self.trusted_folder(root, key.rpartition("/")[0])

    def trusted_folder(self, root: str, folder: str) -> bool:
        """:meth:`trusted` for every key of ``folder`` (workspace-relative)."""
        trusted = self._trusted.get(folder)
        if trusted is None:
            trusted = self._trusted[folder] = self._matches(f"{root}/{folder}", folder)
        return trusted

    def preload(self, root: str, folders: Collection[str]) -> None:
        """Tell at once, on several cores where that pays (:func:`i18n.core.folderstat.stamp_folders`), whether
        each of ``folders`` is :meth:`trusted_folder`: a no-op ``sync`` or source check asks it of every
        folder of the workspace."""
        todo = {f"{root}/{folder}": folder for folder in folders
                if folder and folder not in self._trusted and folder in self.folders}
        self._trusted.update((folder, False) for folder in folders if folder not in self._trusted)
        stamps = stamp_folders(dict.fromkeys(todo, TRACKED), {path: self.folders[f] for path, f in todo.items()})
        for path, folder in todo.items():
            self._trusted[folder] = self._judge(folder, found := stamps.get(path))
            if found is not None:
                self.looked[folder] = found

    def adopt(self, looked: Mapping[str, FolderStamp]) -> None:
        """Take what was just found in these folders (workspace-relative; their :data:`TRACKED` files) as
        :meth:`preload` would have found it: a folder is not stat'ed twice in one run."""
        for folder, stamp in looked.items():
            if folder not in self._trusted:
                self._trusted[folder] = folder in self.folders and self._judge(folder, stamp)
                self.looked[folder] = stamp

    def tree_as_recorded(self, root: str, top: str) -> bool:
        """Whether every tracked file under the folder ``top`` (workspace-relative; hidden files and folders
        aside) is exactly as recorded: each folder holding some :meth:`trusted_folder`, every folder the index
        recorded under ``top`` still there, and no symbolic link anywhere (a link is looked at one by one:
        it may lead outside the workspace). Told folder by folder, a level of the tree at a time, on several
        cores where that pays: a no-op source check of 50,000 articles lists and stats no file in Python."""
        inside = f"{top}/"
        recorded = {folder for folder in self.folders if folder == top or folder.startswith(inside)}
        level = {f"{root}/{top}": top}
        seen: set[str] = set()
        while level:
            stamps = stamp_folders(dict.fromkeys(level, TRACKED))
            following: dict[str, str] = {}
            for path, folder in level.items():
                stamp = stamps.get(path)
                if stamp is None or stamp.links or stamp.irregular:
                    return False
                if stamp.count or folder in recorded:
                    if not self._judge(folder, stamp):
                        return False
                    self._trusted[folder] = True
                seen.add(folder)
                following.update((f"{path}/{name}", f"{folder}/{name}") for name in stamp.subfolders)
            level = following
        return recorded <= seen

    def _matches(self, path: str, folder: str) -> bool:
        """Whether the folder at ``path`` holds what :attr:`folders` recorded for ``folder``, none of it racy."""
        if self.folders.get(folder) is None or not folder:
            return False
        return self._judge(folder, stamp_folders({path: TRACKED}).get(path))

    def _judge(self, folder: str, stamp: FolderStamp | None) -> bool:
        if stamp is None or stamp.irregular:
            return False  # gone; a link (checked for where it leads) or a folder: looked at one by one
        if stamp.newest >= self.written_ns:
            return False  # racy
        if stamp.digest == self.folders.get(folder):
            return True
        self._mismatched = True
        return False

    def recorded_token(self, key: str) -> str | None:
        """The token recorded for ``key`` whatever the file looks like now."""
        stamp = self.stamps.get(key)
        return stamp[2] if stamp else None

    def record(self, key: str, stat: os.stat_result | None, token: str) -> None:
        """Remember ``key``'s stamp and token (``stat=None``: the file is gone; forget it)."""
        if stat is None:
            if self.stamps.pop(key, None) is not None:
                self.changed = True
                self._dirty.add(key.rpartition("/")[0])
            return
        stamp = [stat.st_size, stat.st_mtime_ns, token]
        if self.stamps.get(key) != stamp or stat.st_mtime_ns >= self.written_ns:
            # a racy stamp is saved again, so that the newer index makes it trustworthy
            self.stamps[key] = stamp
            self.changed = True
            self._dirty.add(key.rpartition("/")[0])

    def remember(self, key: str, token: str) -> None:
        """Remember a token that belongs to no single file (e.g. the list of UI files)."""
        if self.stamps.get(key) != [0, 0, token]:
            self.stamps[key] = [0, 0, token]
            self.changed = True

    def forget(self, key: str) -> None:
        """Drop ``key`` from the index."""
        self.record(key, None, "")

    def set_articles(self, source: str, articles: list[list[Any]] | None) -> None:
        """Remember which articles (``[id, year]`` pairs) a source file produced."""
        if articles is None:
            if self.articles.pop(source, None) is not None:
                self.changed = True
        elif self.articles.get(source) != articles:
            self.articles[source] = articles
            self.changed = True


def _folder_digests(stamps: dict[str, list[Any]], within: set[str] | None = None,
                    others: dict[str, str] | None = None) -> dict[str, str]:
    """The digest of each folder's recorded sources, templates and catalogs (see :meth:`ContentIndex.trusted`);
    with ``within``, of those folders only, the digests of the ``others`` kept as they are."""
    groups: dict[str, list[tuple[str, int, int]]] = {}
    for key, stamp in stamps.items():
        if key.endswith(TRACKED) and "/" in key:
            folder, _, name = key.rpartition("/")
            if within is None or folder in within:
                groups.setdefault(folder, []).append((name, stamp[0], stamp[1]))
    digests = {f: d for f, d in (others or {}).items() if within is None or f not in within}
    digests.update((folder, names_digest(files)) for folder, files in groups.items())
    return digests


def _decode(raw: bytes) -> object:
    """The data of an index file, or ``None`` if it is not one this version wrote whole."""
    if raw[:len(_MAGIC) + 1] != _MAGIC + bytes([VERSION]) or len(raw) < _HEADER:
        return None
    payload = memoryview(raw)[_HEADER:]
    if zlib.crc32(payload) != int.from_bytes(raw[_HEADER - 4:_HEADER], "big"):
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
