"""Reconciliation's reads and writes: articles, entries, states, approvals, summaries and the file index.

What ``i18n.workflow.reconcile`` (and ``sync``) use to make the tracker agree with the catalogs on disk.
Each catalog's summary (entries and words per state) is kept in the same transaction as its states; the
file index (file stamps, and a digest per folder) commits with the states it describes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from i18n.core.forms import decode_forms, forms_hash, text_hash
from i18n.core.states import ChangeReason, State
from i18n.tracker.engine import chunks, dialect_insert
from i18n.tracker.models import (
    STANDING,
    ApprovalRow,
    ArticleRow,
    CatalogRow,
    EntryRow,
    EntryStateRow,
    FileRow,
    FolderRow,
    HistoryRow,
)
from i18n.tracker.snapshot import summary_column


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """An article as its template describes it."""

    id: str
    date: dt.date | None
    source_path: str
    source_hash: str


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """A template entry: its key, context, source text and word count."""

    key: str
    msgctxt: str | None
    source: str
    words: int


@dataclass(frozen=True, slots=True)
class TrackedEntry:
    """An entry of an article, as the tracker knows it."""

    id: int
    key: str
    source: str
    source_hash: str
    words: int = 0
    """Its word count (read only by the tracker build, for summaries: 0 where not read)."""


@dataclass(frozen=True, slots=True)
class TrackedState:
    """An entry's recorded state in one language."""

    entry_id: int
    state: State
    translation_hash: str | None
    source_hash: str
    origin: str


@dataclass(frozen=True, slots=True)
class Approval:
    """A reviewer's approval of exactly this source and translation (its forms: one per plural form)."""

    entry_id: int
    language: str
    source: str
    forms: tuple[str, ...]
    approved_by: str
    approved_at: dt.datetime

    @property
    def source_hash(self) -> str:
        return text_hash(self.source)

    @property
    def translation_hash(self) -> str:
        return forms_hash(self.forms)


@dataclass(frozen=True, slots=True)
class StateChange:
    """A new state of one entry in one language, and why; recorded with a history record."""

    entry_id: int
    language: str
    state: State
    before: State | None
    translation_hash: str | None
    source_hash: str
    origin: str
    actor: str
    reason: ChangeReason
    at: dt.datetime
    previous_source: str | None = None


@dataclass(frozen=True, slots=True)
class FileStamp:
    """A file as reconciliation last saw it: size, mtime (ns) and content digest."""

    path: str
    size: int
    mtime_ns: int
    digest: str


def file_stamps(session: so.Session, clone: str, folders: Collection[str] | None = None) -> dict[str, FileStamp]:
    """The file index of ``clone`` (only of the files directly in ``folders``, if given), by relative path."""
    query = sa.select(FileRow.path, FileRow.size, FileRow.mtime_ns, FileRow.digest).where(FileRow.clone == clone)
    if folders is None:
        rows = list(session.connection().execute(query))  # Core: 55,000 rows without ORM rows
    else:
        rows = []
        sqlite = session.get_bind().dialect.name == "sqlite"
        for folder in sorted(folders):  # the folder's files and its subfolders' (left out below)
            # On SQLite (binary collation) a range of the primary key; a server's collation may not sort
            # "/" before "0", so there a LIKE of the prefix.
            inside = (sa.and_(FileRow.path > f"{folder}/", FileRow.path < f"{folder}0") if sqlite
                      else FileRow.path.startswith(f"{folder}/", autoescape=True))
            rows += session.connection().execute(query.where(inside))
    return {path: FileStamp(path, size, mtime, digest) for path, size, mtime, digest in rows
            if folders is None or path.rsplit("/", 1)[0] in folders}


def save_stamps(session: so.Session, clone: str, stamps: Iterable[FileStamp]) -> None:
    """Record files as seen (insert or replace)."""
    rows = [{"clone": clone, "path": s.path, "size": s.size, "mtime_ns": s.mtime_ns, "digest": s.digest}
            for s in stamps]
    if not rows:
        return
    statement = dialect_insert(session, FileRow)
    statement = statement.on_conflict_do_update(
        index_elements=["clone", "path"],
        set_={"size": statement.excluded.size, "mtime_ns": statement.excluded.mtime_ns,
              "digest": statement.excluded.digest},
    )
    _flushed(session).execute(statement, rows)


def save_folders(session: so.Session, clone: str, digests: Mapping[str, str],
                 scope: Collection[str] | None = None) -> None:
    """Replace the folder digests of ``clone`` (only those of the folders in ``scope``, if given)."""
    delete = sa.delete(FolderRow).where(FolderRow.clone == clone)
    if scope is None:
        session.execute(delete)
    else:
        digests = {folder: digest for folder, digest in digests.items() if folder in scope}
        for chunk in chunks(sorted(scope)):
            session.execute(delete.where(FolderRow.path.in_(chunk)))
    if digests:
        _flushed(session).execute(sa.insert(FolderRow), [{"clone": clone, "path": path, "digest": digest}
                                                         for path, digest in digests.items()])


def forget_stamps(session: so.Session, clone: str, paths: Iterable[str]) -> None:
    """Drop files from the index (they are gone)."""
    paths = list(paths)
    if paths:
        session.execute(sa.delete(FileRow).where(FileRow.clone == clone, FileRow.path.in_(paths)))


def lock_article(session: so.Session, info: ArticleInfo) -> None:
    """Create or update an article's row and hold its lock until the transaction ends."""
    statement = dialect_insert(session, ArticleRow).values(
        id=info.id, date=info.date, source_path=info.source_path, source_hash=info.source_hash, removed=False)
    session.execute(statement.on_conflict_do_nothing(index_elements=["id"]))
    session.execute(sa.select(ArticleRow.id).where(ArticleRow.id == info.id).with_for_update())
    session.execute(sa.update(ArticleRow).where(ArticleRow.id == info.id).values(
        date=info.date, source_path=info.source_path, source_hash=info.source_hash, removed=False))


def save_entries(session: so.Session, article_id: str, entries: Sequence[SourceEntry]) -> None:
    """Make the article's entries exactly ``entries`` (in order); entries no longer there are marked removed.

    Removed entries stay in the database with their states, approvals and history (nothing is deleted).
    """
    existing = {row.key: row for row in session.scalars(sa.select(EntryRow).where(EntryRow.article_id == article_id))}
    seen: set[str] = set()
    for position, entry in enumerate(entries):
        seen.add(entry.key)
        row = existing.get(entry.key)
        digest = text_hash(entry.source)
        if row is None:
            session.add(EntryRow(article_id=article_id, key=entry.key, msgctxt=entry.msgctxt, source=entry.source,
                                 source_hash=digest, words=entry.words, position=position, removed=False))
        elif (row.source_hash, row.words, row.position, row.removed, row.msgctxt) != (
                digest, entry.words, position, False, entry.msgctxt):
            row.source, row.source_hash, row.words = entry.source, digest, entry.words
            row.position, row.removed, row.msgctxt = position, False, entry.msgctxt
    for key, row in existing.items():
        if key not in seen and not row.removed:
            row.removed = True
    session.flush()


def remove_article(session: so.Session, article_id: str) -> None:
    """Mark an article whose template is gone as removed (its records stay)."""
    session.execute(sa.update(ArticleRow).where(ArticleRow.id == article_id).values(removed=True))


def article_entries(session: so.Session, article_id: str) -> dict[str, TrackedEntry]:
    """The article's current (not removed) entries, by key."""
    rows = session.execute(sa.select(EntryRow.id, EntryRow.key, EntryRow.source, EntryRow.source_hash)
                           .where(EntryRow.article_id == article_id, EntryRow.removed.is_(False))
                           .order_by(EntryRow.position))
    return {key: TrackedEntry(entry_id, key, source, digest) for entry_id, key, source, digest in rows}


def lock_catalog(session: so.Session, article_id: str, language: str, path: str) -> None:
    """Create the catalog's row if needed and hold its lock: concurrent reconciles of it serialise."""
    statement = dialect_insert(session, CatalogRow).values(article_id=article_id, language=language, path=path)
    session.execute(statement.on_conflict_do_nothing(index_elements=["article_id", "language"]))
    session.execute(sa.select(CatalogRow.path).where(
        CatalogRow.article_id == article_id, CatalogRow.language == language).with_for_update())
    session.execute(sa.update(CatalogRow).where(
        CatalogRow.article_id == article_id, CatalogRow.language == language, CatalogRow.path != path,
    ).values(path=path))


def catalog_states(session: so.Session, article_id: str, language: str) -> dict[str, TrackedState]:
    """Recorded states of the article's entries (removed ones too) in ``language``, by entry key."""
    rows = session.execute(
        sa.select(EntryRow.key, EntryStateRow.entry_id, EntryStateRow.state, EntryStateRow.translation_hash,
                  EntryStateRow.source_hash, EntryStateRow.origin)
        .join(EntryRow, EntryRow.id == EntryStateRow.entry_id)
        .where(EntryRow.article_id == article_id, EntryStateRow.language == language))
    return {key: TrackedState(entry_id, state, translation, source, origin)
            for key, entry_id, state, translation, source, origin in rows}


def approvals(session: so.Session, article_id: str, language: str) -> dict[int, tuple[Approval, ...]]:
    """Every standing (not revoked) approval of the article's entries in ``language``, by entry id, oldest
    first."""
    rows = session.execute(
        sa.select(ApprovalRow.entry_id, ApprovalRow.source, ApprovalRow.translation, ApprovalRow.approved_by,
                  ApprovalRow.approved_at)
        .join(EntryRow, EntryRow.id == ApprovalRow.entry_id)
        .where(EntryRow.article_id == article_id, ApprovalRow.language == language, STANDING)
        .order_by(ApprovalRow.id))
    found: dict[int, list[Approval]] = {}
    for entry_id, source, translation, by, at in rows:
        found.setdefault(entry_id, []).append(
            Approval(entry_id, language, source, decode_forms(translation), by, at))
    return {entry_id: tuple(items) for entry_id, items in found.items()}


def _flushed(session: so.Session) -> sa.Connection:
    """The session's connection, after flushing what the session holds (Core statements do not autoflush)."""
    session.flush()
    return session.connection()


def apply_changes(session: so.Session, changes: Sequence[StateChange]) -> None:
    """Record new states (insert or replace) and append one history record per change."""
    if not changes:
        return
    states = [{
        "entry_id": c.entry_id, "language": c.language, "state": c.state,
        "translation_hash": c.translation_hash, "source_hash": c.source_hash, "origin": c.origin,
        "changed_by": c.actor, "changed_at": c.at, "previous_source": c.previous_source,
    } for c in changes]
    statement = dialect_insert(session, EntryStateRow)
    updated = ("state", "translation_hash", "source_hash", "origin", "changed_by", "changed_at", "previous_source")
    statement = statement.on_conflict_do_update(
        index_elements=["entry_id", "language"], set_={name: statement.excluded[name] for name in updated})
    # Core executemany on the session's connection: the ORM's bulk path would insert history row by row.
    connection = _flushed(session)
    connection.execute(statement, states)
    connection.execute(sa.insert(HistoryRow), [{
        "entry_id": c.entry_id, "language": c.language, "actor": c.actor, "at": c.at, "reason": c.reason,
        "before": c.before, "after": c.state,
        "translation_hash": c.translation_hash,
    } for c in changes])


def refresh_summary(session: so.Session, article_id: str, language: str) -> None:
    """Recount a catalog's summary from its entry states (entries without a state are untranslated)."""
    entries, words = session.execute(sa.select(ArticleRow.entries, ArticleRow.words).where(
        ArticleRow.id == article_id)).one()
    counts = {state: [0, 0] for state in State}
    rows = session.execute(
        sa.select(EntryStateRow.state, sa.func.count(), sa.func.coalesce(sa.func.sum(EntryRow.words), 0))
        .join(EntryRow, EntryRow.id == EntryStateRow.entry_id)
        .where(EntryRow.article_id == article_id, EntryRow.removed.is_(False), EntryStateRow.language == language)
        .group_by(EntryStateRow.state))
    for name, count, word_count in rows:
        if name is not State.UNTRANSLATED:
            counts[name] = [int(count), int(word_count)]
    counts[State.UNTRANSLATED] = [entries - sum(c[0] for c in counts.values()),
                                  words - sum(c[1] for c in counts.values())]
    worst = State.worst([state for state, (n, _) in counts.items() if n > 0])
    values: dict[str, Any] = {"state": worst}
    for state, (n, w) in counts.items():
        values[summary_column("n", state)] = n
        values[summary_column("w", state)] = w
    session.execute(sa.update(CatalogRow).where(
        CatalogRow.article_id == article_id, CatalogRow.language == language).values(**values))


def refresh_article(session: so.Session, article_id: str) -> None:
    """Recount an article's entries and words, and the summaries of all its catalogs."""
    entries, words = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(EntryRow.words), 0))
        .where(EntryRow.article_id == article_id, EntryRow.removed.is_(False))).one()
    session.execute(sa.update(ArticleRow).where(ArticleRow.id == article_id).values(
        entries=int(entries), words=int(words)))
    for language in session.scalars(sa.select(CatalogRow.language).where(CatalogRow.article_id == article_id)):
        refresh_summary(session, article_id, language)


def article_exists(session: so.Session, article_id: str) -> bool:
    return session.get(ArticleRow, article_id) is not None


def earlier_translations(session: so.Session, entry_ids: Collection[int], language: str) -> dict[int, set[str]]:
    """Every translation hash the history records for these entries in ``language``, by entry id: the texts
    each entry has had (to tell an older copy of a catalog from an edit)."""
    found: dict[int, set[str]] = {}
    for chunk in chunks(sorted(entry_ids)):
        for entry_id, digest in session.execute(
                sa.select(HistoryRow.entry_id, HistoryRow.translation_hash).distinct()
                .where(HistoryRow.entry_id.in_(chunk), HistoryRow.language == language,
                       HistoryRow.translation_hash.is_not(None))):
            if digest is not None:
                found.setdefault(entry_id, set()).add(digest)
    return found
