"""Which templates and catalogs a reconciliation must look at: one scan of the locales folder, compared with
the file index's folder digests (:mod:`i18n.workflow.reconcile`).

Plain strings and ``os.scandir`` only: this runs on every command, and on 55,000 files building ``Path``
objects would cost more than the ``stat`` calls themselves.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

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


def scan(workspace: Workspace) -> dict[str, Seen]:
    """Every template and every catalog of a configured language, by workspace-relative path."""
    return {rel: Seen(rel, file, size, mtime) for _, files in _folders(workspace) for rel, file, size, mtime in files}


def _folders(workspace: Workspace) -> Iterator[tuple[str, list[tuple[str, str, int, int]]]]:
    """Each folder holding templates or catalogs, with its files: ``(relative, absolute, size, mtime_ns)``.

    Plain strings and ``os.scandir`` only: on 55,000 files, building ``Path`` objects would cost more than
    the ``stat`` calls themselves.
    """
    locales = str(workspace.locales)
    prefix = workspace.relative(workspace.locales)
    folders = [("templates", ".pot")] + [(lang.gettext, ".po") for lang in workspace.settings.languages]
    for folder, suffix in folders:
        for year in _scandir(f"{locales}/{folder}/articles"):
            if not (year.name.isdigit() and year.is_dir()):
                continue
            base = f"{prefix}/{folder}/articles/{year.name}"
            files = []
            for item in _scandir(year.path):
                name = item.name
                if name.endswith(suffix) and not name.startswith("."):
                    if item.is_symlink():  # free (from the directory entry): a catalog linked outside is not read
                        workspace.confined(item.path)
                    try:
                        stat = item.stat()
                    except FileNotFoundError:
                        continue
                    files.append((f"{base}/{name}", item.path, stat.st_size, stat.st_mtime_ns))
            if files:
                yield base, files
        ui = f"templates/{UI_ARTICLE}.pot" if folder == "templates" else f"{folder}/LC_MESSAGES/{UI_ARTICLE}.po"
        try:
            stat = os.stat(f"{locales}/{ui}")
        except (FileNotFoundError, NotADirectoryError):
            continue
        rel = f"{prefix}/{ui}"
        workspace.confined(rel)
        yield folder_of(rel), [(rel, f"{locales}/{ui}", stat.st_size, stat.st_mtime_ns)]


def folder_of(rel: str) -> str:
    """The folder a tracked file is counted in (every tracked file's parent folder)."""
    return rel.rsplit("/", 1)[0]


def folder_digest(files: Iterable[tuple[str, int, int]]) -> str:
    """A digest of a folder's tracked files as ``(relative path, size, mtime_ns)``: equal means unchanged."""
    text = "\n".join(f"{rel}\t{size}\t{mtime}" for rel, size, mtime in sorted(files))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Scan:
    """Every tracked file found, by folder, and the folders whose files differ from what the index recorded."""

    folders: dict[str, list[tuple[str, str, int, int]]]
    changed: frozenset[str]

    @property
    def checked(self) -> int:
        return sum(len(files) for files in self.folders.values())

    def files(self) -> dict[str, Seen]:
        """Every file found, by relative path (built only when something changed: the no-op path is hot)."""
        return {rel: Seen(rel, file, size, mtime) for files in self.folders.values()
                for rel, file, size, mtime in files}


def compare_folders(workspace: Workspace, digests: Mapping[str, str]) -> Scan:
    """Scan the workspace once and compare each folder with its digest in the index.

    The index keeps, besides each file's stamp, a digest of each folder's stamps; comparing ~170 folder
    digests is cheaper than loading 55,000 stamps. A folder that differs (a file edited, added or removed,
    a racy stamp) or that is gone is compared file by file; the others are not looked at again.
    """
    folders = dict(_folders(workspace))
    changed = {folder for folder, files in folders.items()
               if digests.get(folder) != folder_digest((rel, size, mtime) for rel, _, size, mtime in files)}
    return Scan(folders, frozenset(changed | (set(digests) - set(folders))))


def _scandir(folder: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except (FileNotFoundError, NotADirectoryError):
        return []
