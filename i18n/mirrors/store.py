"""A mirror's output on disk: the versioned folders behind its symbolic link, and ``manifest.json``.

``output`` is a symbolic link to a complete version of the mirror in ``.<name>.versions/<n>/`` beside it.
:meth:`VersionStore.commit` builds version ``n+1`` in a temporary folder: files that did not change are
hard links to version ``n`` (so only what changed is written), new and changed files are written, then
``manifest.json``; everything is synced to disk, the folder is renamed into place, and a new symbolic link
is renamed over ``output`` (``rename`` is atomic). A crash at any point leaves ``output`` pointing at the
previous, intact version; the next commit removes the unfinished folder. The previous version is kept for
readers still inside it, and so are the versions before it up to ``keep_versions`` in all (``[publish]
keep_versions``); older ones are removed, except files in them that are not ours. One writer at a time per
mirror (:meth:`VersionStore.lock`, an OS file lock in the versions folder).

Each article version the mirror publishes is also kept, by its approved version, in
``.<name>.versions/history/<id>.<version>.json`` (never served): the ``keep_versions`` most recently
published versions of each article, the ones ``i18n publish --rollback`` can put back.

The :class:`Manifest` records what this tool created (every other file in the folder is someone else's),
and every path read from it or written to the folder is checked to stay inside the version folder.
What goes into a version (rendering, the incremental plan) is :mod:`i18n.mirrors.outputs`'s business.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from i18n import __version__
from i18n.core.config import DEFAULT_KEEP_VERSIONS
from i18n.core.errors import I18nError, MirrorError
from i18n.core.ids import check_id
from i18n.core.lock import exclusive

__all__ = ["HIDDEN_MANIFEST_NAME", "MANIFEST_NAME", "MANIFEST_NAMES", "Manifest", "ManifestArticle", "VersionStore",
           "files_in", "safe_id", "safe_relative"]

MANIFEST_NAME = "manifest.json"
#: The manifest of a Markdown mirror, whose folder is a site generator's content: Hugo and Jekyll skip dot
#: files, so it is never published with the site (``manifest.json`` in Hugo's ``public/`` was a surprise).
HIDDEN_MANIFEST_NAME = ".manifest.json"
#: Every name a manifest had: never someone else's file (a Markdown mirror's old manifest.json is dropped).
MANIFEST_NAMES = frozenset({MANIFEST_NAME, HIDDEN_MANIFEST_NAME})
#: The folder beside the versions holding each shown article as published (``<id>.<hash>.json``).
SNAPSHOTS_NAME = "published"
#: The folder beside the versions holding each article's recently published versions (``<id>.<version>.json``).
HISTORY_NAME = "history"
#: Environment hook for the crash tests: seconds to sleep after each file staged (see tests/test_mirrors.py).
_SLOW_HOOK = "I18N_TEST_MIRROR_SLEEP"



@dataclass(frozen=True, slots=True)
class ManifestArticle:
    """One published article as the manifest records it."""

    id: str
    title: str
    date: dt.date
    version: str
    hash: str
    """Content hash of everything its files show (with the site fingerprint)."""
    source_digest: str
    published_at: str
    """When it first appeared on the mirror (UTC, ISO 8601)."""
    updated_at: str
    """When its content last changed on the mirror."""
    files: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Manifest:
    """``manifest.json``: what this tool created in a mirror's folder, for build scripts and the next run."""

    mirror: str
    language: str
    format: str
    site: str
    listings: str
    """Hash of what the listing pages (index, archive, feed, index.json) show."""
    articles: tuple[ManifestArticle, ...]
    files: tuple[tuple[str, str], ...]
    """Every file this tool created (path, SHA-256), the manifest itself excepted."""
    generated_at: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "manifest_version": 1, "generator": f"i18n {__version__}", "mirror": self.mirror,
            "language": self.language, "format": self.format, "generated_at": self.generated_at,
            "site": self.site, "listings": self.listings,
            "articles": [
                {"id": a.id, "title": a.title, "date": a.date.isoformat(), "version": a.version,
                 "hash": a.hash, "source_digest": a.source_digest, "published_at": a.published_at,
                 "updated_at": a.updated_at, "files": list(a.files)}
                for a in self.articles
            ],
            "files": dict(self.files),
        }

    @classmethod
    def from_json(cls, data: Any, path: Path) -> Manifest:
        try:
            articles = tuple(
                ManifestArticle(
                    id=safe_id(str(a["id"]), path), title=str(a["title"]), date=dt.date.fromisoformat(a["date"]),
                    version=str(a["version"]), hash=str(a["hash"]), source_digest=str(a.get("source_digest", "")),
                    published_at=str(a["published_at"]), updated_at=str(a["updated_at"]),
                    files=tuple(safe_relative(str(f), path) for f in a["files"]),
                )
                for a in data["articles"]
            )
            files = tuple((safe_relative(str(k), path), str(v)) for k, v in dict(data["files"]).items())
            return cls(mirror=str(data["mirror"]), language=str(data["language"]), format=str(data["format"]),
                       site=str(data["site"]), listings=str(data["listings"]), articles=articles, files=files,
                       generated_at=str(data.get("generated_at", "")))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise MirrorError(f"the mirror's manifest is damaged ({exc!r})", path=path,
                              hint="restore it, or move the mirror folder away and publish again") from None


def safe_id(article_id: str, path: Path) -> str:
    """``article_id`` if it is a valid article id (safe as a file name); a :class:`MirrorError` if not."""
    try:
        return check_id(article_id, str(path), 0)
    except I18nError as exc:
        raise MirrorError(exc.message, path=path, hint=exc.hint) from None


_VERSION = re.compile(r"[0-9a-f]{8,64}")
_SEGMENT = r"(?!\.\.?(?:/|\Z))[^/\\\x00]+"
_RELATIVE = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})*\Z")


def safe_relative(relative: str, where: Path | None = None) -> str:
    """``relative`` if it is a plain relative POSIX path inside its folder; a :class:`MirrorError` if not.

    Plain: non-empty segments separated by ``/``, none of them ``.`` or ``..``, no backslash or NUL.
    """
    if not _RELATIVE.match(relative):
        raise MirrorError(f"refusing to write '{relative}': not a path inside the mirror's folder", path=where,
                          hint="article ids are lowercase letters, digits and hyphens")
    return relative


def files_in(folder: Path) -> set[str]:
    """Every file (and symbolic link) under ``folder``, relative, with ``/``: one directory walk."""
    found: set[str] = set()
    for directory, subdirs, files in os.walk(folder):
        prefix = os.path.relpath(directory, folder).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        found.update(prefix + name for name in files)
        found.update(prefix + name for name in subdirs if os.path.islink(os.path.join(directory, name)))
    return found


class VersionStore:
    """The versioned folders behind a mirror's ``output`` symbolic link, and the atomic swap between them."""

    def __init__(self, output: Path, keep_versions: int = DEFAULT_KEEP_VERSIONS,
                 manifest_name: str = MANIFEST_NAME) -> None:
        self.output = output
        self.manifest_name = manifest_name
        """``manifest.json``, or ``.manifest.json`` for a Markdown mirror (:data:`HIDDEN_MANIFEST_NAME`)."""
        self.keep_versions = max(2, keep_versions)
        """Version folders kept (the current one included; never fewer than 2: readers inside the previous)."""
        self.versions = output.parent / f".{output.name}.versions"
        self._checked: set[Path] = set()

    def current(self) -> Path | None:
        """The version folder ``output`` points at; ``None`` before the first publication."""
        output = self.output
        if output.is_symlink():
            target = output.resolve()
            if target.parent == self.versions.resolve() and not target.is_dir():
                raise MirrorError(f"{output} points at {os.readlink(output)}, which is gone", path=output,
                                  hint="remove the link (and the .versions folder beside it) and publish again")
            if target.parent != self.versions.resolve():
                raise MirrorError(
                    f"{output} is a symbolic link that i18n did not make (it points at {os.readlink(output)})",
                    path=output, hint="remove the link or choose another output folder for the mirror")
            return target
        if output.exists():
            if output.is_dir() and not any(output.iterdir()):
                return None
            raise MirrorError(
                f"{output} exists and is not a mirror made by i18n",
                path=output, hint="i18n makes the output a link to versioned folders: move the existing "
                                  "files away (or choose another output) and publish again")
        return None

    def manifest(self, folder: Path) -> Manifest:
        path = folder / self.manifest_name
        if not path.exists() and (folder / MANIFEST_NAME).exists():
            path = folder / MANIFEST_NAME  # written before Markdown mirrors hid their manifest
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise MirrorError("the mirror has no manifest.json", path=path,
                              hint="restore it, or move the mirror folder away and publish again") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise MirrorError(f"the mirror's manifest is not valid JSON ({exc})", path=path,
                              hint="restore it, or move the mirror folder away and publish again") from None
        return Manifest.from_json(data, path)

    def commit(self, current: Path | None, keep: Sequence[str], files: Mapping[str, bytes], manifest: bytes,
               *, snapshots: Mapping[tuple[str, str], Callable[[], bytes]] | None = None,
               history: Mapping[tuple[str, str], Callable[[], bytes]] | None = None) -> str:
        """Build the next version (hard links for ``keep``, ``files`` written) and swap ``output`` to it.

        ``snapshots`` are the articles of the new version as published, by ``(article id, content hash)``
        (made only when not stored yet): written beside the versions (never served) before the swap, synced
        with the version; afterwards the snapshots of articles the new version no longer shows are removed.
        """
        self.versions.mkdir(parents=True, exist_ok=True)
        self._remove_unfinished()
        wanted = {self._snapshot_name(a, h): make for (a, h), make in (snapshots or {}).items()}
        self._store_snapshots(wanted)
        number = max((int(p.name) for p in self.versions.iterdir() if p.name.isdigit()), default=0) + 1
        name = f"{number:06d}"
        staging = self.versions / f"{name}.tmp"
        staging.mkdir()
        self._fill(staging, current, keep, files, manifest)
        final = self.versions / name
        os.rename(staging, final)
        link = self.output.parent / f".{self.output.name}.link.tmp"
        with contextlib.suppress(FileNotFoundError):
            link.unlink()
        if history:
            self._keep_history(history)
        os.symlink(os.path.relpath(final, self.output.parent), link)
        if self.output.is_dir() and not self.output.is_symlink():
            self.output.rmdir()  # the empty folder left for us: the first publication replaces it
        os.replace(link, self.output)
        _fsync_directory(self.output.parent)
        self._remove_old(final)
        if snapshots is not None:
            self._remove_snapshots(set(wanted))
        return name

    def _store_snapshots(self, wanted: Mapping[str, Callable[[], bytes]]) -> None:
        """Write the snapshots not stored yet (content-addressed: an existing one holds the same article)."""
        if not wanted:
            return
        folder = self.versions / SNAPSHOTS_NAME
        folder.mkdir(exist_ok=True)
        stored = set(os.listdir(folder))
        for name, make in wanted.items():
            if name not in stored:
                staged = folder / f".{name}.tmp"
                staged.write_bytes(make())
                os.replace(staged, folder / name)

    def _fill(self, staging: Path, current: Path | None, keep: Sequence[str], files: Mapping[str, bytes],
              manifest: bytes) -> None:
        """The new version's files in ``staging``: hard links to the unchanged ones, the new ones written,
        the manifest; then synced to disk."""
        delay = float(os.environ.get(_SLOW_HOOK, "0") or 0)
        for relative in keep:
            assert current is not None
            target = self._target(staging, relative)
            source = current / relative
            try:
                os.link(source, target, follow_symlinks=False)
            except OSError:  # a file system without hard links: copy
                if source.is_symlink():
                    os.symlink(os.readlink(source), target)
                else:
                    shutil.copy2(source, target)
        for relative, data in files.items():
            with open(self._target(staging, relative), "xb") as handle:
                handle.write(data)
            if delay:
                time.sleep(delay)
        with open(staging / self.manifest_name, "xb") as handle:
            handle.write(manifest)
        os.sync()

    def read_snapshot(self, article_id: str, content_hash: str) -> bytes | None:
        """The stored snapshot of an article version (see :meth:`commit`); ``None`` when there is none."""
        try:
            return (self.versions / SNAPSHOTS_NAME / self._snapshot_name(article_id, content_hash)).read_bytes()
        except OSError:
            return None

    def published_versions(self, article_id: str) -> list[tuple[str, dt.datetime]]:
        """The versions of an article kept for rollback, newest first: (version, when last published, UTC)."""
        prefix = safe_id(article_id, Path(article_id)) + "."
        found: list[tuple[str, dt.datetime]] = []
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.versions / HISTORY_NAME):
                version = entry.name[len(prefix):-len(".json")]
                if entry.name.startswith(prefix) and entry.name.endswith(".json") and _VERSION.fullmatch(version):
                    at = dt.datetime.fromtimestamp(entry.stat().st_mtime, dt.UTC)
                    found.append((version, at))
        return sorted(found, key=lambda v: (v[1], v[0]), reverse=True)

    def read_published(self, article_id: str, version: str) -> bytes | None:
        """The kept published version ``version`` of an article (see :meth:`published_versions`), or ``None``."""
        if not _VERSION.fullmatch(version):
            return None
        try:
            return (self.versions / HISTORY_NAME / f"{safe_id(article_id, Path(article_id))}.{version}.json"
                    ).read_bytes()
        except OSError:
            return None

    def _keep_history(self, history: Mapping[tuple[str, str], Callable[[], bytes]]) -> None:
        """Store the articles just published by version (newest mtime: last published), keeping
        ``keep_versions`` per article; synced with the version that shows them."""
        folder = self.versions / HISTORY_NAME
        folder.mkdir(exist_ok=True)
        stored = set(os.listdir(folder))
        for (article_id, version), make in history.items():
            if not _VERSION.fullmatch(version):
                continue
            name = f"{safe_id(article_id, Path(article_id))}.{version}.json"
            if name in stored:
                os.utime(folder / name)  # published again: the newest
            else:
                staged = folder / f".{name}.tmp"
                staged.write_bytes(make())
                os.replace(staged, folder / name)
        for article_id in {a for a, _ in history}:
            for version, _at in self.published_versions(article_id)[self.keep_versions:]:
                with contextlib.suppress(OSError):
                    (folder / f"{article_id}.{version}.json").unlink()

    @staticmethod
    def _snapshot_name(article_id: str, content_hash: str) -> str:
        if not re.fullmatch(r"[0-9a-f]{16,64}", content_hash):
            raise MirrorError(f"the manifest's hash of {article_id} is damaged", path=None,
                              hint="move the mirror folder away and publish again")
        return f"{safe_id(article_id, Path(article_id))}.{content_hash[:32]}.json"

    def _remove_snapshots(self, wanted: set[str]) -> None:
        folder = self.versions / SNAPSHOTS_NAME
        with contextlib.suppress(OSError):
            for name in os.listdir(folder):
                if name not in wanted:
                    with contextlib.suppress(OSError):
                        (folder / name).unlink()

    def _target(self, folder: Path, relative: str) -> Path:
        """``folder / relative`` with its parent folders made, refusing a path that leads outside ``folder``."""
        target = folder / safe_relative(relative, self.output)
        parent = target.parent
        if parent not in self._checked:  # a carried-over symbolic link could lead elsewhere
            parent.mkdir(parents=True, exist_ok=True)
            resolved, root = parent.resolve(), folder.resolve()
            if resolved != root and root not in resolved.parents:
                raise MirrorError(f"refusing to write '{relative}': it leads outside the mirror's folder",
                                  path=self.output)
            self._checked.add(parent)
        return target

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the mirror's lock: one writer at a time (a crashed writer's lock is released by the OS)."""
        self.versions.mkdir(parents=True, exist_ok=True)

        def busy(_holder: str) -> MirrorError:
            return MirrorError(f"another process is publishing to {self.output}", path=self.output,
                               hint="wait for it to finish and publish again")

        with exclusive(self.versions / "lock", 0, busy):
            yield

    def _remove_unfinished(self) -> None:
        """Remove version folders a crashed run left half-built (they hold our files and hard links only)."""
        for path in self.versions.iterdir():
            if path.name.endswith(".tmp") and path.name[:-4].isdigit() and path.is_dir():
                shutil.rmtree(path)

    def _remove_old(self, current: Path) -> None:
        """Remove versions beyond the newest ``keep_versions``; keep any folder holding a file that is not ours."""
        numbered = sorted(p for p in self.versions.iterdir() if p.name.isdigit() and p.is_dir())
        for path in numbered[:-self.keep_versions]:
            if path == current:
                continue
            try:
                ours = {name for name, _ in self.manifest(path).files} | MANIFEST_NAMES
            except MirrorError:
                continue
            leftover = False
            for directory, _subdirs, files in os.walk(path, topdown=False):
                base = Path(directory)
                for name in files:
                    relative = (base / name).relative_to(path).as_posix()
                    if relative in ours or _same_file(base / name, current / relative):
                        (base / name).unlink()
                    else:
                        leftover = True
                with contextlib.suppress(OSError):
                    if base != path:
                        base.rmdir()
            if not leftover:
                with contextlib.suppress(OSError):
                    path.rmdir()


def _same_file(first: Path, second: Path) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def _fsync_directory(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
