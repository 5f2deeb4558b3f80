"""Which templates and catalogs a reconciliation must look at: one scan of the locales folder, compared with
the file index's folder digests (:mod:`i18n.workflow.reconcile`).

This runs on every command, over every template and catalog (150,000 files at 50,000 articles in two
languages), so it does as little per file as it can: one ``listdir`` per folder, one ``stat`` per file
relative to the open folder (no path to build and walk), plain tuples, and one digest per folder
(:func:`i18n.core.index.names_digest`, shared with the content index). ``Seen`` values and paths are built
only for the folders that changed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from i18n.core.ids import UI_ARTICLE
from i18n.core.index import names_digest
from i18n.core.workspace import Workspace

#: ``(name, size, mtime_ns)`` of each tracked file of a folder.
Files = list[tuple[str, int, int]]


@dataclass(frozen=True, slots=True)
class Seen:
    """A file found in the workspace: its relative path, absolute path (a string: cheap) and stat."""

    rel: str
    file: str
    size: int
    mtime_ns: int

    @property
    def path(self) -> Path:
        return Path(self.file)


def scan(workspace: Workspace) -> Scan:
    """Every template and every catalog of a configured language, every folder counted as changed (the
    file index has no folder digests to compare with)."""
    folders = {folder: (path, files) for folder, path, files in _folders(workspace)}
    return Scan(folders, frozenset(folders), everything=True)


def _seen(folders: Mapping[str, tuple[str, Files]]) -> dict[str, Seen]:
    return {f"{folder}/{name}": Seen(f"{folder}/{name}", f"{path}/{name}", size, mtime)
            for folder, (path, files) in folders.items() for name, size, mtime in files}


def _folders(workspace: Workspace) -> Iterator[tuple[str, str, Files]]:
    """Each folder holding templates or catalogs: ``(relative folder, absolute folder, files)``."""
    locales = str(workspace.locales)
    prefix = workspace.relative(workspace.locales)
    folders = [("templates", ".pot")] + [(lang.gettext, ".po") for lang in workspace.settings.languages]
    for folder, suffix in folders:
        top = f"{locales}/{folder}/articles"
        for year in _listdir(top):
            if year.isdigit():
                path = f"{top}/{year}"
                files = _files(workspace, path, [n for n in _listdir(path) if n.endswith(suffix) and n[0] != "."])
                if files:
                    yield f"{prefix}/{folder}/articles/{year}", path, files
        ui = f"templates/{UI_ARTICLE}.pot" if folder == "templates" else f"{folder}/LC_MESSAGES/{UI_ARTICLE}.po"
        parent, _, name = f"{locales}/{ui}".rpartition("/")
        if files := _files(workspace, parent, [name]):
            workspace.confined(f"{prefix}/{ui}")
            yield folder_of(f"{prefix}/{ui}"), parent, files


def _files(workspace: Workspace, path: str, names: list[str]) -> Files:
    """``(name, size, mtime_ns)`` of the regular files among ``names`` in folder ``path``; a link is followed
    once it is known to stay in the workspace (a catalog linked outside is not read); a file gone is skipped."""
    if not names:
        return []
    found: Files = []
    try:
        descriptor = os.open(path, os.O_RDONLY) if os.stat in os.supports_dir_fd else None
    except OSError:
        return []
    try:
        for name in names:
            try:
                if descriptor is None:
                    info = os.lstat(f"{path}/{name}")
                else:
                    info = os.stat(name, dir_fd=descriptor, follow_symlinks=False)
                if stat.S_ISLNK(info.st_mode):
                    workspace.confined(f"{path}/{name}")
                    info = os.stat(f"{path}/{name}")
            except (FileNotFoundError, NotADirectoryError):
                continue
            if stat.S_ISREG(info.st_mode):
                found.append((name, info.st_size, info.st_mtime_ns))
    finally:
        if descriptor is not None:
            os.close(descriptor)
    return found


def folder_of(rel: str) -> str:
    """The folder a tracked file is counted in (every tracked file's parent folder)."""
    return rel.rsplit("/", 1)[0]


def folder_digest(files: Iterable[tuple[str, int, int]]) -> str:
    """A digest of a folder's tracked files as ``(relative path, size, mtime_ns)``: equal means unchanged."""
    return names_digest([(rel.rpartition("/")[2], size, mtime) for rel, size, mtime in files])


@dataclass(frozen=True, slots=True)
class Scan:
    """Every tracked file found, by folder, and the folders whose files differ from what the index recorded."""

    folders: dict[str, tuple[str, Files]]
    """Relative folder → (absolute folder, its files)."""
    changed: frozenset[str]
    """Folders to compare file by file: those whose digest differs, and those gone from the workspace."""
    everything: bool = False
    """Every folder is to be compared (the index had no digests): :meth:`compared` is :meth:`files`."""

    @property
    def checked(self) -> int:
        return sum(len(files) for _, files in self.folders.values())

    def files(self) -> dict[str, Seen]:
        """Every file found, by relative path (built only when needed: a template changed, say)."""
        return _seen(self.folders)

    def compared(self) -> dict[str, Seen]:
        """The files of the :attr:`changed` folders, by relative path (one folder's after one edit)."""
        if self.everything:
            return self.files()
        return _seen({folder: found for folder, found in self.folders.items() if folder in self.changed})


def compare_folders(workspace: Workspace, digests: Mapping[str, str]) -> Scan:
    """Scan the workspace once and compare each folder with its digest in the index.

    The index keeps, besides each file's stamp, a digest of each folder's stamps; comparing ~170 folder
    digests is cheaper than loading 55,000 stamps. A folder that differs (a file edited, added or removed,
    a racy stamp) or that is gone is compared file by file; the others are not looked at again.
    """
    folders = {folder: (path, files) for folder, path, files in _folders(workspace)}
    changed = {folder for folder, (_, files) in folders.items() if digests.get(folder) != names_digest(files)}
    return Scan(folders, frozenset(changed | (set(digests) - set(folders))))


def _listdir(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
