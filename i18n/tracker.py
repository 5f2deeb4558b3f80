"""The status tracker: every entry's state per language, approvals and history, in a database.

The only module that imports SQLAlchemy. Functions here take a :class:`~sqlalchemy.orm.Session` and never
commit: the use case owns the transaction (``with tracker.transaction() as s: ...``).

The embedded default is a SQLite file in ``.i18n/`` (WAL, a busy timeout, and every write transaction
opened with ``BEGIN IMMEDIATE``: with Python's sqlite3 defaults a read-then-write transaction starts
deferred, and two processes can both read, then one's write silently overwrites the other's).
``postgresql+psycopg://`` selects a shared server; there concurrent writers serialise on row locks
(``SELECT … FOR UPDATE`` on the catalog or article being changed).

What it holds (see ``workflow.md``, "The status tracker"): articles; their entries (key, source text);
per entry and language the state, translation hash, origin and who changed it last; approvals (who, when,
the exact source and translation approved, kept after later edits); an append-only history of every
state change; per catalog (article and language) a summary of its entries per state, kept in the same
transaction as the states, so that ``i18n status`` reads one row per catalog; and the file index of
reconciliation (file stamps, and a digest per folder for the cheap "nothing changed" check), stored here
so that it commits in the same transaction as the states it describes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy import event

from i18n.errors import TrackerError
from i18n.migrations import HEAD, REVISIONS
from i18n.snapshot import BUSY_TIMEOUT_MS, Snapshot, is_embedded
from i18n.states import State

#: The session type the functions below take (so that callers need not import SQLAlchemy to name it).
Session = so.Session
#: The actor of changes nobody typed: a source change merged by ``i18n sync``, an entry removed.
SYSTEM_ACTOR = "i18n"
#: Execution option of connections that only read (on SQLite they begin deferred, not IMMEDIATE).
READ_ONLY = "i18n_read_only"
#: Every revision this code knows, oldest first; a database at any other revision is newer than the code.
KNOWN_REVISIONS = REVISIONS


class Reason:
    """Why a state changed (the ``reason`` of a history record)."""

    NEW = "new"  # the entry appeared (untranslated)
    EDIT = "edit"  # a translator changed the translation or its fuzzy flag in the PO file
    SOURCE = "source"  # the source changed; i18n sync carried the old translation as fuzzy
    STALE = "stale"  # edited against an older template: kept as needs-work
    IMPORT = "import"  # a catalog the tracker had never seen (first run, or the tracker was rebuilt)
    APPROVE = "approve"  # a reviewer approved exactly this source and translation


def utcnow() -> dt.datetime:
    """Now, as the naive UTC datetime the tracker stores (SQLite has no time zones)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def text_hash(text: str) -> str:
    """SHA-1 of ``text`` (hex): what binds states and approvals to exact texts."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def join_forms(msgstrs: Sequence[str]) -> str:
    """A translation's forms as one text (plural forms separated by NUL), as approvals store it."""
    return "\x00".join(msgstrs)


# -------------------------------------------------------------------------------------------------------
# Models
# -------------------------------------------------------------------------------------------------------


class Base(so.DeclarativeBase):
    """The tracker's declarative base (its metadata is what the migrations build)."""


class ArticleRow(Base):
    __tablename__ = "articles"

    id: so.Mapped[str] = so.mapped_column(sa.String(200), primary_key=True)
    date: so.Mapped[dt.date | None] = so.mapped_column(sa.Date)
    source_path: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    source_hash: so.Mapped[str] = so.mapped_column(sa.String(40), default="")
    removed: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    entries: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    """How many current (not removed) entries it has (kept by :func:`refresh_article`)."""
    words: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)


class EntryRow(Base):
    __tablename__ = "entries"
    __table_args__ = (sa.UniqueConstraint("article_id", "key", name="uq_entries_article_key"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=True)
    article_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("articles.id"), index=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(200))
    msgctxt: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    source: so.Mapped[str] = so.mapped_column(sa.Text)
    source_hash: so.Mapped[str] = so.mapped_column(sa.String(40))
    words: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    position: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    removed: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)


class EntryStateRow(Base):
    __tablename__ = "entry_states"

    entry_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("entries.id"), primary_key=True)
    language: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    state: so.Mapped[str] = so.mapped_column(sa.String(16))
    translation_hash: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    source_hash: so.Mapped[str] = so.mapped_column(sa.String(40))
    origin: so.Mapped[str] = so.mapped_column(sa.String(64), default="")
    changed_by: so.Mapped[str] = so.mapped_column(sa.String(200))
    changed_at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime)
    previous_source: so.Mapped[str | None] = so.mapped_column(sa.Text)


class ApprovalRow(Base):
    __tablename__ = "approvals"
    __table_args__ = (sa.Index("ix_approvals_entry_language", "entry_id", "language"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=True)
    entry_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("entries.id"))
    language: so.Mapped[str] = so.mapped_column(sa.String(32))
    source: so.Mapped[str] = so.mapped_column(sa.Text)
    translation: so.Mapped[str] = so.mapped_column(sa.Text)
    source_hash: so.Mapped[str] = so.mapped_column(sa.String(40))
    translation_hash: so.Mapped[str] = so.mapped_column(sa.String(40))
    approved_by: so.Mapped[str] = so.mapped_column(sa.String(200))
    approved_at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime)


class HistoryRow(Base):
    __tablename__ = "history"
    __table_args__ = (
        sa.Index("ix_history_entry_language", "entry_id", "language"),
        sa.Index("ix_history_actor_at", "actor", "at"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=True)
    entry_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("entries.id"))
    language: so.Mapped[str] = so.mapped_column(sa.String(32))
    actor: so.Mapped[str] = so.mapped_column(sa.String(200))
    at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime)
    reason: so.Mapped[str] = so.mapped_column(sa.String(16))
    before: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    after: so.Mapped[str] = so.mapped_column(sa.String(16))
    translation_hash: so.Mapped[str | None] = so.mapped_column(sa.String(40))


class CatalogRow(Base):
    """An article in one language: its catalog, and a summary of its entries' states.

    The summary (entries and words per state, and the worst state) is kept in the same transaction as the
    states it sums up, so that ``i18n status`` reads one row per catalog instead of every entry state.
    """

    __tablename__ = "catalogs"

    article_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("articles.id"), primary_key=True)
    language: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    path: so.Mapped[str] = so.mapped_column(sa.String(500))
    published_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime)
    state: so.Mapped[str] = so.mapped_column(sa.String(16), default=State.UNTRANSLATED.value)
    n_untranslated: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    n_machine: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    n_needs_work: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    n_translated: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    n_approved: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    w_untranslated: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    w_machine: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    w_needs_work: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    w_translated: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    w_approved: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)


def summary_column(prefix: str, state: State) -> str:
    """The ``catalogs`` column holding a state's entry (``n``) or word (``w``) count: ``n_needs_work``."""
    return f"{prefix}_{state.value.replace('-', '_')}"


class FileRow(Base):
    __tablename__ = "files"

    clone: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    path: so.Mapped[str] = so.mapped_column(sa.String(500), primary_key=True)
    size: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    mtime_ns: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    digest: so.Mapped[str] = so.mapped_column(sa.String(40))


class FolderRow(Base):
    """A digest of the file stamps of one folder: the cheap "nothing changed" check of reconciliation."""

    __tablename__ = "folders"

    clone: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    path: so.Mapped[str] = so.mapped_column(sa.String(500), primary_key=True)
    digest: so.Mapped[str] = so.mapped_column(sa.String(40))


class MachineDraftRow(Base):
    """A draft an engine returned for a source text: the cache that keeps re-runs from paying twice, and
    the draft that post-edit distance per engine is measured against."""

    __tablename__ = "machine_drafts"

    engine: so.Mapped[str] = so.mapped_column(sa.String(100), primary_key=True)
    source_language: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    target_language: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    source_hash: so.Mapped[str] = so.mapped_column(sa.String(40), primary_key=True)
    source: so.Mapped[str] = so.mapped_column(sa.Text)
    draft: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime)


class PublicationRow(Base):
    """The publication log: which approved version of which article went to (or left) which mirror, when."""

    __tablename__ = "publications"
    __table_args__ = (sa.Index("ix_publications_mirror_article", "mirror", "article_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=True)
    mirror: so.Mapped[str] = so.mapped_column(sa.String(100))
    article_id: so.Mapped[str] = so.mapped_column(sa.String(200))
    language: so.Mapped[str] = so.mapped_column(sa.String(32))
    action: so.Mapped[str] = so.mapped_column(sa.String(16))
    """``published``, ``updated`` or ``withdrawn``."""
    version: so.Mapped[str] = so.mapped_column(sa.String(64))
    """The content hash of the approved version that was published (empty for a withdrawal)."""
    actor: so.Mapped[str] = so.mapped_column(sa.String(200))
    at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime)


class AssignmentRow(Base):
    """Who translates and who reviews an article in a language, and by when."""

    __tablename__ = "assignments"

    article_id: so.Mapped[str] = so.mapped_column(sa.String(200), primary_key=True)
    language: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    translator: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    reviewer: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    due: so.Mapped[dt.date | None] = so.mapped_column(sa.Date)
    assigned_by: so.Mapped[str] = so.mapped_column(sa.String(200))
    assigned_at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime)


# -------------------------------------------------------------------------------------------------------
# Values crossing the module boundary
# -------------------------------------------------------------------------------------------------------


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
    """A reviewer's approval of exactly this source and translation."""

    entry_id: int
    language: str
    source: str
    translation: str
    approved_by: str
    approved_at: dt.datetime

    @property
    def source_hash(self) -> str:
        return text_hash(self.source)

    @property
    def translation_hash(self) -> str:
        return text_hash(self.translation)


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
    reason: str
    at: dt.datetime
    previous_source: str | None = None


@dataclass(frozen=True, slots=True)
class FileStamp:
    """A file as reconciliation last saw it: size, mtime (ns) and content digest."""

    path: str
    size: int
    mtime_ns: int
    digest: str


@dataclass(frozen=True, slots=True)
class HistoryRecord:
    """One state change of an article's entry, as ``i18n log`` shows it."""

    at: dt.datetime
    article: str
    language: str
    key: str
    actor: str
    reason: str
    before: State | None
    after: State


# -------------------------------------------------------------------------------------------------------
# Engine, schema and transactions
# -------------------------------------------------------------------------------------------------------


def create_engine(url: str) -> sa.Engine:
    """An engine for ``url``; for SQLite with WAL, a busy timeout and ``BEGIN IMMEDIATE`` transactions."""
    if not is_embedded(url):
        try:
            return sa.create_engine(url)
        except (sa.exc.ArgumentError, ImportError) as exc:
            raise TrackerError(f"cannot use the database URL {url!r}: {exc}",
                               hint="use sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB") from None
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy (below) open transactions instead of pysqlite's deferred BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        # Take the write lock up front: a deferred transaction that reads, then writes, can lose updates.
        # Read-only connections (snapshots, schema checks) begin deferred and never block writers.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def _alembic_config(connection: sa.Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["connection"] = connection
    return config


def schema_revision(engine: sa.Engine) -> str | None:
    """The database's schema revision (``None`` for an empty database)."""
    with engine.connect() as connection:
        connection.execution_options(**{READ_ONLY: True})
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_schema(engine: sa.Engine) -> tuple[str | None, str]:
    """Migrate the database to :data:`HEAD`; returns the revisions before and after."""
    before = _checked_revision(engine)
    if before != HEAD:
        from alembic import command

        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "head")
    return before, HEAD


def _checked_revision(engine: sa.Engine) -> str | None:
    try:
        revision = schema_revision(engine)
    except sa.exc.OperationalError as exc:
        raise _unreachable(engine, exc) from None
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise TrackerError(
            f"the tracker's schema (revision {revision}) is newer than this version of i18n knows "
            f"(up to {HEAD})",
            hint="upgrade i18n (pip install -U i18n-workflow); do not downgrade a shared tracker's schema",
        )
    return revision


def _unreachable(engine: sa.Engine, exc: Exception) -> TrackerError:
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    url = engine.url.render_as_string(hide_password=True)
    if "database is locked" in detail:
        return TrackerError(f"the status tracker at {url} is busy: another process held its write lock for over "
                            f"{BUSY_TIMEOUT_MS // 1000} s", hint="wait for the other i18n command to finish, then run "
                                                                "this one again")
    return TrackerError(f"cannot reach the status tracker at {url}: {detail}",
                        hint="check database_url in i18n.toml or I18N_DATABASE_URL, and that the server is up")


class Tracker:
    """An open tracker: the engine, whether the schema was just created, and transactions."""

    def __init__(self, engine: sa.Engine, created: bool) -> None:
        self.engine = engine
        self.created = created
        self._sessions = so.sessionmaker(bind=engine, expire_on_commit=False)

    @property
    def embedded(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextlib.contextmanager
    def transaction(self) -> Iterator[so.Session]:
        """One write transaction (``BEGIN IMMEDIATE`` on SQLite): committed on success, else rolled back."""
        try:
            with self._sessions() as session, session.begin():
                yield session
        except sa.exc.OperationalError as exc:
            raise _unreachable(self.engine, exc) from None

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """A read-only :class:`~i18n.snapshot.Snapshot` (for a server tracker's status)."""
        try:
            with self.engine.connect() as connection:
                connection.execution_options(**{READ_ONLY: True})
                yield _AlchemySnapshot(connection)
        except sa.exc.OperationalError as exc:
            raise _unreachable(self.engine, exc) from None

    def close(self) -> None:
        self.engine.dispose()


class _AlchemySnapshot:
    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Sequence[Sequence[Any]]:
        return [tuple(row) for row in self.connection.execute(sa.text(sql), dict(params or {}))]


def open_tracker(url: str, *, upgrade: bool | None = None) -> Tracker:
    """Open the tracker at ``url``, creating or upgrading the schema when allowed.

    ``upgrade`` defaults to "only the embedded SQLite file": a shared server is migrated on purpose, with
    ``i18n db upgrade``. A schema newer than this code is a :class:`TrackerError`.
    """
    embedded = is_embedded(url)
    if embedded:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    allowed = embedded if upgrade is None else upgrade
    try:
        revision = _checked_revision(engine)
    except TrackerError:
        engine.dispose()
        raise
    created = revision is None
    if revision != HEAD:
        if not allowed:
            engine.dispose()
            where = engine.url.render_as_string(hide_password=True)
            if revision is None:
                raise TrackerError(f"the tracker database {where} has no schema yet",
                                   hint="run 'i18n db upgrade' once to create it")
            raise TrackerError(f"the tracker database {where} is at schema revision {revision}; this version of "
                               f"i18n needs {HEAD}", hint="back it up (pg_dump), then run 'i18n db upgrade'")
        upgrade_schema(engine)
    return Tracker(engine, created and embedded)


# -------------------------------------------------------------------------------------------------------
# Reads and writes (take a session, never commit)
# -------------------------------------------------------------------------------------------------------


def _insert(session: so.Session, model: type[Base]) -> Any:
    """A dialect's INSERT that supports ``ON CONFLICT``."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(model)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(model)


def file_stamps(session: so.Session, clone: str) -> dict[str, FileStamp]:
    """The file index of ``clone``, by workspace-relative path."""
    rows = session.execute(sa.select(FileRow.path, FileRow.size, FileRow.mtime_ns, FileRow.digest)
                           .where(FileRow.clone == clone))
    return {path: FileStamp(path, size, mtime, digest) for path, size, mtime, digest in rows}


def save_stamps(session: so.Session, clone: str, stamps: Iterable[FileStamp]) -> None:
    """Record files as seen (insert or replace)."""
    rows = [{"clone": clone, "path": s.path, "size": s.size, "mtime_ns": s.mtime_ns, "digest": s.digest}
            for s in stamps]
    if not rows:
        return
    statement = _insert(session, FileRow)
    statement = statement.on_conflict_do_update(
        index_elements=["clone", "path"],
        set_={"size": statement.excluded.size, "mtime_ns": statement.excluded.mtime_ns,
              "digest": statement.excluded.digest},
    )
    session.execute(statement, rows)


def save_folders(session: so.Session, clone: str, digests: Mapping[str, str]) -> None:
    """Replace the folder digests of ``clone``."""
    session.execute(sa.delete(FolderRow).where(FolderRow.clone == clone))
    if digests:
        session.execute(sa.insert(FolderRow), [{"clone": clone, "path": path, "digest": digest}
                                               for path, digest in digests.items()])


def forget_stamps(session: so.Session, clone: str, paths: Iterable[str]) -> None:
    """Drop files from the index (they are gone)."""
    paths = list(paths)
    if paths:
        session.execute(sa.delete(FileRow).where(FileRow.clone == clone, FileRow.path.in_(paths)))


def lock_article(session: so.Session, info: ArticleInfo) -> None:
    """Create or update an article's row and hold its lock until the transaction ends."""
    statement = _insert(session, ArticleRow).values(
        id=info.id, date=info.date, source_path=info.source_path, source_hash=info.source_hash, removed=False)
    session.execute(statement.on_conflict_do_nothing(index_elements=["id"]))
    session.execute(sa.select(ArticleRow.id).where(ArticleRow.id == info.id).with_for_update())
    session.execute(sa.update(ArticleRow).where(ArticleRow.id == info.id).values(
        date=info.date, source_path=info.source_path, source_hash=info.source_hash, removed=False))


def article_source_hash(session: so.Session, article_id: str) -> str | None:
    """The source hash recorded for an article (``None`` if unknown or removed)."""
    return session.execute(sa.select(ArticleRow.source_hash).where(
        ArticleRow.id == article_id, ArticleRow.removed.is_(False))).scalar()


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
    statement = _insert(session, CatalogRow).values(article_id=article_id, language=language, path=path)
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
    return {key: TrackedState(entry_id, State(state), translation, source, origin)
            for key, entry_id, state, translation, source, origin in rows}


def approvals(session: so.Session, article_id: str, language: str) -> dict[int, tuple[Approval, ...]]:
    """Every approval on record of the article's entries in ``language``, by entry id, oldest first."""
    rows = session.execute(
        sa.select(ApprovalRow.entry_id, ApprovalRow.source, ApprovalRow.translation, ApprovalRow.approved_by,
                  ApprovalRow.approved_at)
        .join(EntryRow, EntryRow.id == ApprovalRow.entry_id)
        .where(EntryRow.article_id == article_id, ApprovalRow.language == language)
        .order_by(ApprovalRow.id))
    found: dict[int, list[Approval]] = {}
    for entry_id, source, translation, by, at in rows:
        found.setdefault(entry_id, []).append(Approval(entry_id, language, source, translation, by, at))
    return {entry_id: tuple(items) for entry_id, items in found.items()}


def apply_changes(session: so.Session, changes: Sequence[StateChange]) -> None:
    """Record new states (insert or replace) and append one history record per change."""
    if not changes:
        return
    states = [{
        "entry_id": c.entry_id, "language": c.language, "state": c.state.value,
        "translation_hash": c.translation_hash, "source_hash": c.source_hash, "origin": c.origin,
        "changed_by": c.actor, "changed_at": c.at, "previous_source": c.previous_source,
    } for c in changes]
    statement = _insert(session, EntryStateRow)
    updated = ("state", "translation_hash", "source_hash", "origin", "changed_by", "changed_at", "previous_source")
    statement = statement.on_conflict_do_update(
        index_elements=["entry_id", "language"], set_={name: statement.excluded[name] for name in updated})
    session.execute(statement, states)
    session.execute(sa.insert(HistoryRow), [{
        "entry_id": c.entry_id, "language": c.language, "actor": c.actor, "at": c.at, "reason": c.reason,
        "before": c.before.value if c.before is not None else None, "after": c.state.value,
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
        if name != State.UNTRANSLATED.value:
            counts[State(name)] = [int(count), int(word_count)]
    counts[State.UNTRANSLATED] = [entries - sum(c[0] for c in counts.values()),
                                  words - sum(c[1] for c in counts.values())]
    worst = State.worst([state for state, (n, _) in counts.items() if n > 0])
    values: dict[str, Any] = {"state": worst.value}
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


def record_approval(session: so.Session, *, article: str, language: str, key: str, source: str,
                    translation: Sequence[str], reviewer: str, at: dt.datetime | None = None) -> State:
    """Record that ``reviewer`` approved exactly ``source`` → ``translation``; returns the entry's new state.

    The entry becomes ``approved`` when its current source and translation are exactly the approved ones
    and its PO text is ``translated``; otherwise the approval is kept on record and the state is unchanged.
    """
    at = at or utcnow()
    entry = session.execute(sa.select(EntryRow).where(
        EntryRow.article_id == article, EntryRow.key == key, EntryRow.removed.is_(False))).scalar()
    if entry is None:
        raise TrackerError(f"article {article} has no entry {key}",
                           hint="run 'i18n status' to reconcile the catalogs, then check the key")
    text = join_forms(translation)
    session.add(ApprovalRow(entry_id=entry.id, language=language, source=source, translation=text,
                            source_hash=text_hash(source), translation_hash=text_hash(text),
                            approved_by=reviewer, approved_at=at))
    current = session.get(EntryStateRow, (entry.id, language), with_for_update=True)
    if (current is None or current.state != State.TRANSLATED.value
            or current.translation_hash != text_hash(text) or entry.source_hash != text_hash(source)):
        session.flush()
        return State(current.state) if current is not None else State.UNTRANSLATED
    apply_changes(session, [StateChange(
        entry.id, language, State.APPROVED, State.TRANSLATED, current.translation_hash, current.source_hash,
        current.origin, reviewer, Reason.APPROVE, at)])
    refresh_summary(session, article, language)
    return State.APPROVED


def history(session: so.Session, article_id: str, language: str | None = None) -> list[HistoryRecord]:
    """Every state change of the article's entries (in ``language``, or all), oldest first."""
    query = (sa.select(HistoryRow.at, HistoryRow.language, EntryRow.key, HistoryRow.actor, HistoryRow.reason,
                       HistoryRow.before, HistoryRow.after)
             .join(EntryRow, EntryRow.id == HistoryRow.entry_id)
             .where(EntryRow.article_id == article_id)
             .order_by(HistoryRow.at, HistoryRow.id))
    if language is not None:
        query = query.where(HistoryRow.language == language)
    return [HistoryRecord(at, article_id, lang, key, actor, reason, State(before) if before else None, State(after))
            for at, lang, key, actor, reason, before, after in session.execute(query)]


def article_exists(session: so.Session, article_id: str) -> bool:
    return session.get(ArticleRow, article_id) is not None


# -------------------------------------------------------------------------------------------------------
# Export and import (backups)
# -------------------------------------------------------------------------------------------------------

#: Tables in dependency order; the file index is a cache and is not exported.
_EXPORTED: tuple[type[Base], ...] = (ArticleRow, EntryRow, EntryStateRow, ApprovalRow, HistoryRow, CatalogRow)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def export_tables(session: so.Session) -> dict[str, list[dict[str, Any]]]:
    """Every table except the file index, as lists of JSON-ready rows."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for model in _EXPORTED:
        columns = list(model.__table__.columns)
        order = [c for c in columns if c.primary_key]
        rows = session.execute(sa.select(*columns).order_by(*order))
        tables[model.__tablename__] = [
            {c.name: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]
    return tables


def is_empty(session: so.Session) -> bool:
    """Whether the tracker holds no articles."""
    return session.execute(sa.select(sa.func.count()).select_from(ArticleRow)).scalar_one() == 0


def import_tables(session: so.Session, tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, int]:
    """Replace the tracker's contents with exported ``tables``; the file index is cleared (all re-checked)."""
    session.execute(sa.delete(FileRow))
    session.execute(sa.delete(FolderRow))
    for model in reversed(_EXPORTED):
        session.execute(sa.delete(model))
    counts: dict[str, int] = {}
    for model in _EXPORTED:
        columns = {c.name: c for c in model.__table__.columns}
        rows = []
        for raw in tables.get(model.__tablename__, ()):
            row: dict[str, Any] = {}
            for name, column in columns.items():
                value = raw.get(name)
                if value is not None and isinstance(column.type, sa.DateTime):
                    value = dt.datetime.fromisoformat(value)
                elif value is not None and isinstance(column.type, sa.Date):
                    value = dt.date.fromisoformat(value)
                row[name] = value
            rows.append(row)
        if rows:
            session.execute(sa.insert(model), rows)
        counts[model.__tablename__] = len(rows)
    if session.get_bind().dialect.name == "postgresql":
        # Rows came with their ids: move each serial past them.
        for model in (EntryRow, ApprovalRow, HistoryRow):
            table = model.__tablename__
            session.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))
    return counts
