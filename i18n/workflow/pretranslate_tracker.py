"""Pre-translation's part in the status tracker: reconcile before the run, record the catalogs as it writes them.

Before a run, :func:`reconciled_tracker` reconciles (human edits made since the last command are recorded as
theirs before drafts land next to them; it reads nothing when no file changed) and opens the tracker, whose
``machine_drafts`` are the run's draft cache and whose approvals feed the memory.

As a run writes catalogs, a :class:`Recorder` records them in the tracker, a group at a time (one
transaction and a few statements per group: :mod:`i18n.tracker.queries.groups`), from the catalogs the run
holds in memory, while the next drafts are still on their way: no folder is scanned and no file parsed
again (a reconciliation after the run would read back every catalog just written, each in its own
transaction, after the network wait instead of during it). It records
only a catalog the tracker had recorded exactly as the run read it (same stamp, or for a stamp recorded as
racy the same content digest) and that nobody changed since the run wrote it; the states are computed by the
same rule as reconciliation's (:func:`i18n.workflow.reconcile.entry_changes`, with the drafts on record, so a
draft is ``machine`` with origin ``machine:<engine>`` and a person's text never is), and the file's stamp is
saved with them. Any other catalog is left to a reconciliation after the run, the careful way. A crash loses
at most the group being recorded: the next command's reconciliation finds those files changed and records
them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from i18n.core.languages import Language
from i18n.core.people import default_user
from i18n.core.states import State, draft_sources
from i18n.core.workspace import Workspace
from i18n.machine.memory import MemoryMatch
from i18n.tracker.engine import Session, Tracker, chunks, open_tracker
from i18n.tracker.queries import groups as rec
from i18n.tracker.queries import recording as tr
from i18n.tracker.queries.build import current_entries, known_articles
from i18n.tracker.queries.drafts import TrackerDraftCache, approved_translations
from i18n.tracker.queries.recording import FileStamp, StateChange, drafts_on_record
from i18n.tracker.snapshot import clone_id, database_url
from i18n.tracker.sql import utcnow
from i18n.workflow.changes import entry_changes, translator_of
from i18n.workflow.pretranslate_writer import Written
from i18n.workflow.reconcile import RACY_SECONDS, ReconcileReport, reconcile
from i18n.workflow.scan import folder_digest, folder_of

if TYPE_CHECKING:
    from i18n.catalogs.catalog import Catalog
    from i18n.machine.cache import DraftCache


@dataclass(frozen=True, slots=True)
class WrittenCatalog:
    """A catalog a run wrote: what it held when read, and what was written."""

    rel: str
    """Workspace-relative path, as the tracker's file index keys it."""
    path: Path
    article: str
    catalog: Catalog
    """The catalog as written."""
    read_stamp: tuple[int, int]
    """``(mtime_ns, size)`` when the run read it."""
    read_digest: str
    """SHA-1 of the bytes the run read."""
    stamp: tuple[int, int]
    """``(mtime_ns, size)`` right after the run wrote it."""
    digest: str
    """SHA-1 of the bytes written."""


def reconciled_tracker(workspace: Workspace, user: str | None,
                       stack: contextlib.ExitStack) -> tuple[ReconcileReport, Tracker]:
    """Reconcile the tracker, then open it (closed with ``stack``); each takes the workspace lock in turn."""
    reconciled = reconcile(workspace, user=user)
    tracker = open_tracker(database_url(workspace))
    stack.callback(tracker.close)
    return reconciled, tracker


def tracker_cache(tracker: Tracker) -> DraftCache:
    """The tracker's ``machine_drafts`` as the run's draft cache."""
    return TrackerDraftCache(tracker)


def approved(tracker: Tracker, language: Language) -> dict[str, MemoryMatch]:
    """The tracker's approved translations in ``language``, as exact memory matches by source text."""
    with tracker.read_session() as session:
        found = approved_translations(session, language.code)
    return {text: MemoryMatch(text, a.translation, a.article) for text, a in found.items()}


def written_catalog(rel: str, path: Path, article: str, catalog: Catalog, read_stamp: tuple[int, int],
                    read_digest: str, written: Written) -> WrittenCatalog | None:
    """What a :class:`Recorder` needs of a catalog just written to ``path`` (``written``: the stat of the file
    written and the digest of its bytes, so that it is not read back); ``None`` if the file at ``path`` is no
    longer the one written (someone saved it since: a reconciliation records it)."""
    try:
        now = path.stat()
    except OSError:
        return None
    stat = written.stat
    if (now.st_dev, now.st_ino, now.st_mtime_ns, now.st_size) != (
            stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size):
        return None
    return WrittenCatalog(rel, path, article, catalog, read_stamp, read_digest, (now.st_mtime_ns, now.st_size),
                          written.digest)


class Recorder:
    """Records the catalogs a run writes, in groups, while the run goes on (see the module docstring).

    The run hands it each catalog it wrote (:meth:`add`) and calls :meth:`record` as drafts come back; a group
    is recorded every :data:`GROUP` catalogs or :data:`GROUP_SECONDS`, in one transaction, so the recording
    overlaps the wait for the engine instead of following it. The caller saves the drafts of a group to
    ``machine_drafts`` before recording it (a draft's state is decided against the drafts on record). The
    last call (``final``) records the rest and the folder digests of the file index.
    """

    def __init__(self, workspace: Workspace, tracker: Tracker, language: Language, user: str | None) -> None:
        self.workspace = workspace
        self.tracker = tracker
        self.language = language
        self.user = user
        self.pending: list[WrittenCatalog] = []
        self.left: list[str] = []
        """Catalogs left to a reconciliation: not as the tracker had them, or changed since written."""
        self.recorded: dict[str, FileStamp] | None = None
        self.recorded_at = time.monotonic()
        self._who: str | None = None

    def add(self, item: WrittenCatalog) -> None:
        self.pending.append(item)

    def due(self) -> bool:
        """Whether a group is waiting to be recorded."""
        waited = time.monotonic() - self.recorded_at
        return bool(self.pending) and (len(self.pending) >= GROUP or waited >= GROUP_SECONDS)

    def record(self, final: bool = False) -> None:
        """Record the catalogs waiting (``final``: and the folder digests), in one transaction."""
        if not self.pending and not (final and self.recorded is not None):
            return

        clone = clone_id(self.workspace, database_url(self.workspace))
        pending, self.pending = self.pending, []
        with self.tracker.transaction() as session:
            if self.recorded is None:
                # The index as it stands, kept up to date as groups are recorded (the workspace lock keeps
                # other processes from changing this clone's index meanwhile), as reconciliation does.
                self.recorded = dict(tr.file_stamps(session, clone))
            known = known_articles(session, {item.article for item in pending})
            group: dict[str, WrittenCatalog] = {}
            for item in pending:
                if item.article in group or item.article not in known or \
                        not _recordable(item, self.recorded.get(item.rel)):
                    self.left.append(item.rel)
                else:
                    group[item.article] = item
            if group:
                if self._who is None:
                    self._who = default_user(self.user)
                _record(session, group, self.language, utcnow(), self._who)
                stamps = [_file_stamp(item) for item in group.values()]
                tr.save_stamps(session, clone, stamps)
                self.recorded.update((stamp.path, stamp) for stamp in stamps)
            if final:
                _save_folders(session, clone, self.recorded)
        self.recorded_at = time.monotonic()


#: A group of written catalogs is recorded every this many catalogs, or after this long (see :class:`Recorder`).
GROUP = 50
GROUP_SECONDS = 0.5


def _save_folders(session: Session, clone: str, recorded: Mapping[str, FileStamp]) -> None:
    """The file index's folder digests from the stamps recorded (what lets the next command read nothing)."""
    folders: dict[str, list[tuple[str, int, int]]] = {}
    for stamp in recorded.values():
        folders.setdefault(folder_of(stamp.path), []).append((stamp.path, stamp.size, stamp.mtime_ns))
    tr.save_folders(session, clone, {folder: folder_digest(files) for folder, files in folders.items()})


def _recordable(item: WrittenCatalog, recorded: FileStamp | None) -> bool:
    """Whether the tracker holds the catalog as the run read it, and the file is still as the run wrote it."""
    if recorded is None or recorded.mtime_ns != item.read_stamp[0]:
        return False
    if recorded.size != item.read_stamp[1] and not (recorded.size < 0 and recorded.digest == item.read_digest):
        return False  # a racy stamp (size -1) is trusted only when the content is the one recorded
    try:
        stat = item.path.stat()
    except OSError:
        return False
    return (stat.st_mtime_ns, stat.st_size) == item.stamp


def _record(session: Session, group: Mapping[str, WrittenCatalog], language: Language, at: dt.datetime,
            who: str) -> None:
    """Record the states of written catalogs (by article), as reconciliation would record each (without its
    stale-edit merge: the tracker had recorded each catalog as read, so any such merge was done before the
    run), with a few statements for the whole group (:mod:`i18n.tracker.queries.groups`)."""
    code = language.code
    rec.lock_catalogs(session, code, {article: item.rel for article, item in group.items()})
    entries = current_entries(session, group)
    states = rec.states_of(session, group, code)
    approvals = rec.approvals_of(session, group, code)
    machine = {text for item in group.values() for e in item.catalog.active_entries if e.state is State.MACHINE
               for text in draft_sources(e.msgid, e.msgid_plural)}
    drafts: Mapping[str, set[str]] = drafts_on_record(session, code, machine) if machine else {}
    changes: list[StateChange] = []
    summaries: dict[str, dict[str, Any]] = {}
    for article, item in group.items():
        current, recorded = entries.get(article, {}), states.get(article, {})
        found = entry_changes(language=code, current=current, catalog=item.catalog, states=recorded,
                              approvals=approvals.get(article, {}), translator=translator_of(item.catalog) or who,
                              at=at, drafts=drafts)
        after = {state.entry_id: state.state for state in recorded.values()}
        after.update((change.entry_id, change.state) for change in found)
        summaries[article] = rec.summary_of(current.values(), after)
        changes += found
    for chunk in chunks(changes):
        tr.apply_changes(session, chunk)
    rec.save_summaries(session, code, summaries)


def _file_stamp(item: WrittenCatalog) -> FileStamp:
    """The file's stamp as reconciliation saves it: size -1 while racy, so that the next command reads it
    again (an edit within the same mtime tick would otherwise go unseen; same digest: it is not parsed)."""
    mtime_ns, size = item.stamp
    if mtime_ns >= (time.time() - RACY_SECONDS) * 1e9:
        size = -1
    return FileStamp(item.rel, size, mtime_ns, item.digest)


__all__ = ["Recorder", "WrittenCatalog", "approved", "reconciled_tracker", "tracker_cache", "written_catalog"]
