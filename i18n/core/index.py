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
from pathlib import Path
from typing import Any

from i18n.core.atomic import write_atomic

INDEX_NAME = "index"
VERSION = 2
_MAGIC = b"i18n-index\0"
_HEADER = len(_MAGIC) + 1 + 4
_OLD_NAME = "index.json"
"""Where versions up to 0.1 kept a JSON index: removed when the new index is saved."""


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
        index.changed = not index.stamps and data is not None
        return index

    def save(self) -> None:
        """Write the index atomically, if anything changed."""
        if not self.changed:
            return
        data = {"version": VERSION, "fingerprint": self.fingerprint, "stamps": self.stamps,
                "articles": self.articles}
        payload = marshal.dumps(data, 4)
        header = _MAGIC + bytes([VERSION]) + zlib.crc32(payload).to_bytes(4, "big")
        write_atomic(self.path, header + payload, durable=False)
        with contextlib.suppress(OSError):
            (self.path.parent / _OLD_NAME).unlink(missing_ok=True)
        self.changed = False

    def token(self, key: str, stat: os.stat_result) -> str | None:
        """The recorded token of ``key`` if the file's stat still matches its stamp, else ``None``."""
        stamp = self.stamps.get(key)
        if stamp is None or stamp[0] != stat.st_size or stamp[1] != stat.st_mtime_ns:
            return None
        if stamp[1] >= self.written_ns:
            return None  # racy: modified in the same tick as (or after) the index was written
        token: str = stamp[2]
        return token

    def recorded_token(self, key: str) -> str | None:
        """The token recorded for ``key`` whatever the file looks like now."""
        stamp = self.stamps.get(key)
        return stamp[2] if stamp else None

    def record(self, key: str, stat: os.stat_result | None, token: str) -> None:
        """Remember ``key``'s stamp and token (``stat=None``: the file is gone; forget it)."""
        if stat is None:
            if self.stamps.pop(key, None) is not None:
                self.changed = True
            return
        stamp = [stat.st_size, stat.st_mtime_ns, token]
        if self.stamps.get(key) != stamp or stat.st_mtime_ns >= self.written_ns:
            # a racy stamp is saved again, so that the newer index makes it trustworthy
            self.stamps[key] = stamp
            self.changed = True

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
