"""A settled workspace: the answer of a no-op ``sync`` kept beside the content index, so that the next
no-op is told from the folders alone.

The no-op check of :mod:`i18n.workflow.sync_noop` loads the content index (200,000 stamps at 50,000
articles in two languages), lists every source and looks up each article's template and catalogs: about
a second before a single file is compared. When it finds nothing to do, this module writes
``.i18n/index.settled``: that answer, the content index file's own stamp, and what each folder looked
like (the digest of its tracked files, the names of the others) and each UI file and feed's stamp, every
one of them checked again against the index as it is written. The next ``sync`` reads this small file
and stats the folders (:func:`i18n.core.folderstat.stamp_folders`, on several cores); when the index
file, every folder and every UI file are exactly as settled (none racy), the answer is the same, with no
index loaded and no article looked at. Anything else (a file edited, added or removed anywhere in the
content, locales or site folders, a new subfolder, a link, another tool version, settings or languages,
a saved index) falls back to the full check, which settles again. Like the index it is a cache, safe to
delete, written atomically but not fsynced.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from i18n.core.atomic import write_atomic
from i18n.core.folderstat import FolderStamp, others_digest, stamp_folders
from i18n.core.index import INDEX_NAME, TRACKED, ContentIndex
from i18n.core.languages import Language
from i18n.core.workspace import Workspace
from i18n.workflow.sync_reports import ExtractReport, LanguageReport

__all__ = ["SETTLED_NAME", "settle", "settled_run"]

SETTLED_NAME = "index.settled"
_VERSION = 1
Reports = tuple[ExtractReport, tuple[LanguageReport, ...]]


def settled_run(ws: Workspace, fingerprint: str, languages: Sequence[Language],
                looked: dict[str, FolderStamp] | None = None) -> Reports | None:
    """The reports of a no-op ``sync``, if the workspace is exactly as when it was settled; else ``None``.

    ``looked`` gets what was found in each content and locales folder (workspace-relative) when they were
    stamped: when the answer is ``None`` (an article edited, say), the full check goes on from there
    (:meth:`ContentIndex.adopt`) rather than stat every file again."""
    data = _load(ws.state_dir / SETTLED_NAME)
    try:
        if data is None or data["key"] != [fingerprint, [lang.code for lang in languages]]:
            return None
        index = os.stat(ws.state_dir / INDEX_NAME)
        if [index.st_size, index.st_mtime_ns] != data["index"]:
            return None  # the index was saved since: it may say something else now
        written = index.st_mtime_ns
        root = str(ws.root)
        if not all(_same_file(f"{root}/{key}", size, mtime, written) for key, (size, mtime) in data["files"].items()):
            return None
        content, locales, site = data["content"], data["locales"], data["site"]
        folders = {**{f"{root}/{f}": TRACKED for f in [*content, *locales]}, **{f"{root}/{f}": () for f in site}}
        stamps = stamp_folders(folders, {f"{root}/{f}": d for f, d in {**locales, **{
            f: d for f, (d, _) in content.items()}}.items()})
        if looked is not None:
            looked.update((f, found) for f in [*content, *locales] if (found := stamps.get(f"{root}/{f}")))
        for folder, (digest, others) in content.items():
            found = stamps.get(f"{root}/{folder}")
            if found is None or found.links or not _holds(found, digest, written) or found.others != others:
                return None
            if any(f"{folder}/{name}" not in content for name in found.subfolders):
                return None  # a new folder: sources may be in it
        if not all((found := stamps.get(f"{root}/{f}")) is not None and _holds(found, d, written)
                   for f, d in locales.items()):
            return None
        if any(os.path.lexists(f"{root}/{top}") for top in data["absent"]):
            return None  # a site folder made since
        for folder, names in site.items():
            found = stamps.get(f"{root}/{folder}")
            if found is None or found.others != names or any(f"{folder}/{n}" not in site for n in found.subfolders):
                return None  # a site file or folder added or removed: the UI files may be others now
        count, ignored, unchanged = data["report"]
        return (ExtractReport(templates_unchanged=int(count), ignored=tuple(str(i) for i in ignored)),
                tuple(LanguageReport(str(code), unchanged=int(n)) for code, n in unchanged))
    except (KeyError, TypeError, ValueError, OSError):
        return None


def settle(ws: Workspace, index: ContentIndex, fingerprint: str, languages: Sequence[Language], reports: Reports,
           ui_files: Sequence[str], ui_keys: Callable[[], list[str]]) -> None:
    """Write ``.i18n/index.settled`` after a no-op ``sync`` answered ``reports`` from ``index`` (loaded, not
    saved since). ``ui_files``: the UI files that answer relied on; ``ui_keys``: lists them again (the
    same list, or nothing is written: a file came or went meanwhile).

    Every folder is looked at again and checked against the index as it is written, so that what is kept
    is what the answer was based on; anything that differs (changed meanwhile, racy) writes nothing.
    """
    path = ws.state_dir / SETTLED_NAME
    with contextlib.suppress(OSError):
        path.unlink()  # whatever happens below, no older settled answer survives
    try:
        stamp = os.stat(ws.state_dir / INDEX_NAME)
    except OSError:
        return
    if stamp.st_mtime_ns != index.written_ns or not index.folders:
        return  # saved since it was loaded (or never): settled the next time
    root, written = str(ws.root), index.written_ns
    kept: dict[str, list[int]] = {}
    files = [*ui_files, *([ws.ui_template_key] if ui_files else []), *(f.as_posix() for f in ws.settings.feeds)]
    for key in files:
        recorded = index.stamps.get(key)
        if recorded is None or not _same_file(f"{root}/{key}", recorded[0], recorded[1], written):
            return
        kept[key] = [recorded[0], recorded[1]]
    content = _content(ws, index, reports[0].ignored)
    locales_prefix = ws.relative(ws.locales) + "/"
    locales = {f: d for f, d in index.folders.items() if f.startswith(locales_prefix)}
    # most were looked at by the no-op check (ContentIndex.preload); the others (the UI template's) now
    more = stamp_folders({f"{root}/{f}": TRACKED for f in locales if f not in index.looked})
    if content is None or not all((found := index.looked.get(f) or more.get(f"{root}/{f}")) is not None
                                  and _holds(found, d, written) for f, d in locales.items()):
        return
    tops = [r.root.as_posix() for r in ws.settings.ui]
    absent = [top for top in tops if not os.path.lexists(f"{root}/{top}")]
    site = _walk(root, [top for top in tops if top not in absent], (), {})
    if site is None or ui_keys() != list(ui_files):
        return
    extract, per_language = reports
    data = {"version": _VERSION, "key": [fingerprint, [lang.code for lang in languages]],
            "index": [stamp.st_size, stamp.st_mtime_ns], "files": kept, "content": content, "locales": locales,
            "site": {f: s.others for f, s in site.items()}, "absent": absent,
            "report": [extract.templates_unchanged, list(extract.ignored), [[r.language, r.unchanged]
                                                                            for r in per_language]]}
    with contextlib.suppress(OSError):
        write_atomic(path, marshal.dumps(data, 4), durable=False)


def _content(ws: Workspace, index: ContentIndex, ignored: Sequence[str]) -> dict[str, list[str]] | None:
    """Each folder of the content tree: its tracked files' digest as the index holds it and the digest of
    the names of its other files, as the report lists them (``None`` if any of it is not so on disk)."""
    top = ws.settings.content.as_posix()
    found = _walk(str(ws.root), [top], TRACKED, index.looked)
    if found is None:
        return None
    others: dict[str, list[str]] = {}
    for key in ignored:
        folder, _, name = key.rpartition("/")
        others.setdefault(folder, []).append(name)
    content: dict[str, list[str]] = {}
    for folder, stamp in found.items():
        digest = index.folders.get(folder, stamp.digest if not stamp.count else None)
        if digest is None or stamp.links or not _holds(stamp, digest, index.written_ns):
            return None
        if stamp.others != others_digest(sorted(others.pop(folder, []))):
            return None  # a file came or went since the report listed them
        content[folder] = [digest, stamp.others]
    inside = f"{top}/"
    if others or any(f not in content for f in index.folders if f == top or f.startswith(inside)):
        return None  # a folder of sources or other files went since
    return content


def _walk(root: str, tops: Sequence[str], suffixes: tuple[str, ...],
          looked: Mapping[str, FolderStamp]) -> dict[str, FolderStamp] | None:
    """Every folder under ``tops`` (workspace-relative; hidden ones aside), stamped a level at a time (those
    already ``looked`` at, by the no-op check, are not looked at again)."""
    found: dict[str, FolderStamp] = {}
    level = {f"{root}/{top}": top for top in tops}
    while level:
        stamps = stamp_folders({path: suffixes for path, folder in level.items() if folder not in looked})
        following: dict[str, str] = {}
        for path, folder in level.items():
            stamp = looked.get(folder) or stamps.get(path)
            if stamp is None:
                return None
            found[folder] = stamp
            following.update((f"{path}/{n}", f"{folder}/{n}") for n in stamp.subfolders)
        level = following
    return found


def _holds(stamp: FolderStamp, digest: str, written: int) -> bool:
    """Whether a folder's tracked files are those of ``digest``, none of them racy or irregular."""
    return not stamp.irregular and stamp.digest == digest and stamp.newest < written


def _same_file(path: str, size: int, mtime: int, written: int) -> bool:
    """Whether the file at ``path`` (not a link) has this size and modification time, older than ``written``."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size == size and info.st_mtime_ns == mtime < written


def _load(path: Path) -> Mapping[str, Any] | None:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) and data.get("version") == _VERSION else None
