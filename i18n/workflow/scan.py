"""Which templates and catalogs a reconciliation must look at: one scan of the locales folder, compared with
the file index's folder digests (:mod:`i18n.workflow.reconcile`).

This runs on every command, over every template and catalog (150,000 files at 50,000 articles in two
languages), so it does as little per file as it can: one ``scandir`` per folder, one ``lstat`` per file
relative to the open folder (no path to build and walk), plain tuples, and one digest per folder
(:func:`i18n.core.folderstat.names_digest`, shared with the content index), the folders shared out among
processes on a large workspace (:func:`i18n.core.folderstat.stamp_folders`). The files of a folder that
matched its digest are not kept; ``Seen`` values and paths are built only for the folders that changed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from i18n.core.errors import Unreadable
from i18n.core.folderstat import Files, names_digest, stamp_folders
from i18n.core.ids import UI_ARTICLE
from i18n.core.workspace import Workspace


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
    found = _stamped(workspace, {}, keep_matching=True)
    return Scan(found, frozenset(found), everything=True)


def _seen(folders: Mapping[str, tuple[str, Files]]) -> dict[str, Seen]:
    return {f"{folder}/{name}": Seen(f"{folder}/{name}", f"{path}/{name}", size, mtime)
            for folder, (path, files) in folders.items() for name, size, mtime in files}


def _listed(workspace: Workspace) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """The folders that may hold templates or catalogs, relative folder → (absolute folder, the suffix of
    the names to look at in it); and the UI catalogs, relative folder → (absolute folder, file name)."""
    locales = str(workspace.locales)
    prefix = workspace.relative(workspace.locales)
    years: dict[str, tuple[str, str]] = {}
    ui_files: dict[str, tuple[str, str]] = {}
    for folder, suffix in [("templates", ".pot")] + [(lang.gettext, ".po") for lang in workspace.settings.languages]:
        top = f"{locales}/{folder}/articles"
        for year in _listdir(top):
            if year.isdigit():
                years[f"{prefix}/{folder}/articles/{year}"] = (f"{top}/{year}", suffix)
        ui = f"templates/{UI_ARTICLE}.pot" if folder == "templates" else f"{folder}/LC_MESSAGES/{UI_ARTICLE}.po"
        parent, _, name = f"{locales}/{ui}".rpartition("/")
        ui_files[folder_of(f"{prefix}/{ui}")] = (parent, name)
    return years, ui_files


def _stamped(workspace: Workspace, digests: Mapping[str, str], *, keep_matching: bool) -> dict[str, Folder]:
    """Each folder holding templates or catalogs, stat'ed (on several cores where that pays:
    :func:`i18n.core.folderstat.stamp_folders`); a folder with a link among its files (followed once it is
    known to stay inside the workspace) is looked at here, file by file, as are the UI catalogs."""
    years, ui_files = _listed(workspace)
    expected = {path: digests[folder] for folder, (path, _) in years.items() if folder in digests}
    stamps = stamp_folders({path: (suffix,) for path, suffix in years.values()}, expected,
                           keep_matching=keep_matching)
    found: dict[str, Folder] = {}
    for folder, (path, suffix) in years.items():
        stamp = stamps.get(path)
        if stamp is None or (not stamp.count and not stamp.irregular):
            continue  # gone, or nothing tracked in it
        if stamp.irregular:
            if files := _files(workspace, path, _names(path, suffix)):
                found[folder] = Folder(path, suffix, names_digest(files), files, len(files))
        else:
            found[folder] = Folder(path, suffix, stamp.digest, stamp.files, stamp.count)
    for folder, (path, name) in ui_files.items():
        if files := _files(workspace, path, [name]):
            workspace.confined(f"{folder}/{name}")
            found[folder] = Folder(path, name, names_digest(files), files, len(files))
    return found


def _names(path: str, suffix: str) -> list[str]:
    """The names in folder ``path`` that end with ``suffix`` (hidden ones never)."""
    return [n for n in _listdir(path) if n.endswith(suffix) and n[0] != "."]


@dataclass(frozen=True, slots=True)
class Folder:
    """A folder holding templates or catalogs, as scanned."""

    path: str
    """Absolute."""
    suffix: str
    """The suffix of the names looked at in it (the UI catalog's folder: the catalog's name)."""
    digest: str
    """:func:`i18n.core.folderstat.names_digest` of its files."""
    files: Files | None
    """Its files (``None``: it matched the index's digest, its files were not kept: :meth:`Scan.files`)."""
    count: int
    """How many files it holds."""


def _files(workspace: Workspace, path: str, names: list[str]) -> Files:
    """``(name, size, mtime_ns)`` of the regular files among ``names`` in folder ``path``; a link is followed
    once it is known to stay in the workspace (a catalog linked outside is not read); a file gone is skipped."""
    if not names:
        return []
    found: Files = []
    try:
        descriptor = os.open(path, os.O_RDONLY) if os.stat in os.supports_dir_fd else None
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as error:
        raise Unreadable.of(path, error) from None
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
            except OSError as error:
                raise Unreadable.of(f"{path}/{name}", error) from None
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

    folders: dict[str, Folder]
    """Relative folder → what was found in it."""
    changed: frozenset[str]
    """Folders to compare file by file: those whose digest differs, and those gone from the workspace."""
    everything: bool = False
    """Every folder is to be compared (the index had no digests): :meth:`compared` is :meth:`files`."""
    workspace: Workspace | None = None
    """Where the folders are (to stat again the files of folders that matched: :meth:`files`)."""

    @property
    def checked(self) -> int:
        return sum(folder.count for folder in self.folders.values())

    def files(self) -> dict[str, Seen]:
        """Every file found, by relative path (built only when needed: a template changed, say). The files of
        folders that matched their digest were not kept: they are stat'ed again."""
        return _seen({name: (folder.path, folder.files if folder.files is not None else self._again(folder))
                      for name, folder in self.folders.items()})

    def compared(self) -> dict[str, Seen]:
        """The files of the :attr:`changed` folders, by relative path (one folder's after one edit)."""
        if self.everything:
            return self.files()
        return _seen({name: (folder.path, folder.files) for name, folder in self.folders.items()
                      if name in self.changed and folder.files is not None})

    def _again(self, folder: Folder) -> Files:
        assert self.workspace is not None, "a scan that dropped files knows its workspace"
        return _files(self.workspace, folder.path, _names(folder.path, folder.suffix))


def compare_folders(workspace: Workspace, digests: Mapping[str, str]) -> Scan:
    """Scan the workspace once and compare each folder with its digest in the index.

    The index keeps, besides each file's stamp, a digest of each folder's stamps; comparing ~170 folder
    digests is cheaper than loading 55,000 stamps. A folder that differs (a file edited, added or removed,
    a racy stamp) or that is gone is compared file by file; the others are not looked at again, and their
    files are not kept.
    """
    found = _stamped(workspace, digests, keep_matching=False)
    changed = {name for name, folder in found.items() if digests.get(name) != folder.digest}
    return Scan(found, frozenset(changed | (set(digests) - set(found))), workspace=workspace)


def _listdir(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as error:  # there, but not to be read: never taken for gone
        raise Unreadable.of(folder, error) from None
