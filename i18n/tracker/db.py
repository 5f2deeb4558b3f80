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
the exact source and translation approved, kept after later edits; a reviewer's rejection of that text
revokes them, and they stay on record with who revoked them and when: schema 0003); an append-only history
of every state change; per catalog (article and language) a summary of its entries per state, kept in the
same transaction as the states, so that ``i18n status`` reads one row per catalog; the machine drafts
engines returned, the publication log and the assignments (schema 0002); and the file index of
reconciliation (file stamps, and a digest per folder for the cheap "nothing changed" check), stored here
so that it commits in the same transaction as the states it describes.

Translations are stored and hashed by :mod:`i18n.core.forms` (plural forms as a JSON array, never NUL-joined:
PostgreSQL cannot store NUL). Every error the database raises (unreachable, busy, a value or change
refused) leaves here as a :class:`~i18n.core.errors.TrackerError` made by :func:`i18n.tracker.snapshot.database_error`.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy import event

from i18n.core.errors import TrackerError
from i18n.core.forms import decode_forms, encode_forms, forms_hash, from_legacy
from i18n.core.forms import text_hash as text_hash  # re-exported: the tracker's hash of exact texts
from i18n.core.states import State
from i18n.tracker.migrations import HEAD, REVISIONS
from i18n.tracker.snapshot import BUSY_TIMEOUT_MS, Snapshot, database_error, is_embedded, summary_column

#: The session type the functions below take (so that callers need not import SQLAlchemy to name it).
Session = so.Session
#: The actor of changes nobody typed: a source change merged by ``i18n sync``, an entry removed.
SYSTEM_ACTOR = "i18n"
#: Execution option of connections that only read (on SQLite they begin deferred, not IMMEDIATE).
READ_ONLY = "i18n_read_only"
#: Rows per ``IN (...)`` lookup or batched insert: well under SQLite's and PostgreSQL's parameter limits.
_CHUNK = 500

_T = TypeVar("_T")


class Reason:
    """Why a state changed (the ``reason`` of a history record)."""

    NEW = "new"  # the entry appeared (untranslated)
    EDIT = "edit"  # a translator changed the translation or its fuzzy flag in the PO file
    SOURCE = "source"  # the source changed; i18n sync carried the old translation as fuzzy
    STALE = "stale"  # edited against an older template: kept as needs-work
    IMPORT = "import"  # a catalog the tracker had never seen (first run, or the tracker was rebuilt)
    APPROVE = "approve"  # a reviewer approved exactly this source and translation
    REJECT = "reject"  # a reviewer sent the entry back (it became needs-work)
    ACCEPT = "accept"  # a reviewer accepted a check's finding on the entry (state unchanged; see i18n check --accept)


#: History reasons that record a person changing a translation: who is credited with it (the four-eyes rule,
#: the publishing gate's translators, reconciliation's count of edits). ``i18n.workflow.status`` spells them in SQL.
HUMAN_CHANGES = (Reason.EDIT, Reason.STALE, Reason.IMPORT)
#: History reasons that are review decisions.
REVIEW_REASONS = (Reason.APPROVE, Reason.REJECT)


def utcnow() -> dt.datetime:
    """Now, as the naive UTC datetime the tracker stores (SQLite has no time zones)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


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
    """The approved forms as :func:`i18n.core.forms.encode_forms` stores them (a JSON array when plural:
    schema 0004)."""
    source_hash: so.Mapped[str] = so.mapped_column(sa.String(40))
    translation_hash: so.Mapped[str] = so.mapped_column(sa.String(40))
    """:func:`i18n.core.forms.forms_hash` of the forms (not of the stored text)."""
    approved_by: so.Mapped[str] = so.mapped_column(sa.String(200))
    approved_at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime)
    revoked_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime)
    """When a reviewer's rejection of this text revoked the approval (``NULL`` while it stands)."""
    revoked_by: so.Mapped[str | None] = so.mapped_column(sa.String(200))


#: The condition of an approval that stands: a reviewer's rejection of its text has not revoked it.
#: Every reader that decides what is approved (states, the publishing gate, the translation memory) uses it.
_STANDING = ApprovalRow.revoked_at.is_(None)


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

        try:
            with engine.begin() as connection:
                command.upgrade(_alembic_config(connection), "head")
        except sa.exc.DBAPIError as exc:
            raise _database_error(engine, exc) from None
    return before, HEAD


def _checked_revision(engine: sa.Engine) -> str | None:
    try:
        revision = schema_revision(engine)
    except sa.exc.DBAPIError as exc:
        raise _database_error(engine, exc) from None
    if revision is not None and revision not in REVISIONS:
        raise TrackerError(
            f"the tracker's schema (revision {revision}) is newer than this version of i18n knows "
            f"(up to {HEAD})",
            hint="upgrade i18n (pip install -U i18n-workflow); do not downgrade a shared tracker's schema",
        )
    return revision


def _database_error(engine: sa.Engine, exc: sa.exc.DBAPIError) -> TrackerError:
    """What the database said (the driver's own error, not SQLAlchemy's wrapping of it) as a TrackerError."""
    return database_error(engine.url.render_as_string(hide_password=True), exc.orig or exc)


class Tracker:
    """An open tracker: the engine, whether the schema was just created, and transactions."""

    def __init__(self, engine: sa.Engine, created: bool) -> None:
        self.engine = engine
        self.created = created
        self._sessions = so.sessionmaker(bind=engine, expire_on_commit=False)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[so.Session]:
        """One write transaction (``BEGIN IMMEDIATE`` on SQLite): committed on success, else rolled back.

        A database error (at any statement, or at the commit) is rolled back and raised as a TrackerError.
        """
        try:
            with self._sessions() as session, session.begin():
                yield session
        except sa.exc.DBAPIError as exc:
            raise _database_error(self.engine, exc) from None

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """A read-only :class:`~i18n.tracker.snapshot.Snapshot` (for a server tracker's status)."""
        with self._reading() as connection:
            yield _AlchemySnapshot(connection)

    @contextlib.contextmanager
    def read_session(self) -> Iterator[so.Session]:
        """A session that only reads (deferred ``BEGIN`` on SQLite: it never holds the write lock)."""
        with self._reading() as connection, so.Session(bind=connection) as session:
            yield session

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        """A connection that only reads (on SQLite it begins deferred and never holds the write lock)."""
        try:
            with self.engine.connect() as connection:
                connection.execution_options(**{READ_ONLY: True})
                yield connection
        except sa.exc.DBAPIError as exc:
            raise _database_error(self.engine, exc) from None

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


def _chunks(items: Sequence[_T], size: int = _CHUNK) -> Iterator[Sequence[_T]]:
    """``items`` in slices small enough for an ``IN (...)`` list (or one batch of rows) on every database."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


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
    """Every standing (not revoked) approval of the article's entries in ``language``, by entry id, oldest
    first."""
    rows = session.execute(
        sa.select(ApprovalRow.entry_id, ApprovalRow.source, ApprovalRow.translation, ApprovalRow.approved_by,
                  ApprovalRow.approved_at)
        .join(EntryRow, EntryRow.id == ApprovalRow.entry_id)
        .where(EntryRow.article_id == article_id, ApprovalRow.language == language, _STANDING)
        .order_by(ApprovalRow.id))
    found: dict[int, list[Approval]] = {}
    for entry_id, source, translation, by, at in rows:
        found.setdefault(entry_id, []).append(
            Approval(entry_id, language, source, decode_forms(translation), by, at))
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


def _current_entry(session: so.Session, article: str, key: str) -> EntryRow:
    """The article's current (not removed) entry ``key`` (a :class:`TrackerError` if there is none)."""
    entry = session.execute(sa.select(EntryRow).where(
        EntryRow.article_id == article, EntryRow.key == key, EntryRow.removed.is_(False))).scalar()
    if entry is None:
        raise TrackerError(f"article {article} has no entry {key}",
                           hint="run 'i18n status' to reconcile the catalogs, then check the key")
    return entry


def record_approval(session: so.Session, *, article: str, language: str, key: str, source: str,
                    translation: Sequence[str], reviewer: str, at: dt.datetime | None = None) -> State:
    """Record that ``reviewer`` approved exactly ``source`` → ``translation``; returns the entry's new state.

    The entry becomes ``approved`` when its current source and translation are exactly the approved ones
    and its PO text is ``translated``; otherwise the approval is kept on record and the state is unchanged.
    """
    at = at or utcnow()
    entry = _current_entry(session, article, key)
    digest = forms_hash(translation)
    session.add(ApprovalRow(entry_id=entry.id, language=language, source=source, translation=encode_forms(translation),
                            source_hash=text_hash(source), translation_hash=digest,
                            approved_by=reviewer, approved_at=at))
    current = session.get(EntryStateRow, (entry.id, language), with_for_update=True)
    if (current is None or current.state != State.TRANSLATED.value
            or current.translation_hash != digest or entry.source_hash != text_hash(source)):
        session.flush()
        return State(current.state) if current is not None else State.UNTRANSLATED
    apply_changes(session, [StateChange(
        entry.id, language, State.APPROVED, State.TRANSLATED, current.translation_hash, current.source_hash,
        current.origin, reviewer, Reason.APPROVE, at)])
    refresh_summary(session, article, language)
    return State.APPROVED


def record_carried_approvals(session: so.Session, carried: Sequence[Approval]) -> None:
    """Record approvals carried over a typography-only source correction (``reconcile.carried_approvals``).

    Each keeps its reviewer and time: carrying is not a new verdict, so it neither re-approves an article
    withdrawn by hand nor changes who is credited.
    """
    session.add_all(ApprovalRow(entry_id=a.entry_id, language=a.language, source=a.source,
                                translation=encode_forms(a.forms),
                                source_hash=a.source_hash, translation_hash=a.translation_hash,
                                approved_by=a.approved_by, approved_at=a.approved_at) for a in carried)
    session.flush()


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

#: Tables in dependency order; the file index is a cache and is not exported. Machine drafts, the publication
#: log and assignments are only in the tracker too (the drafts were paid for): a backup carries them.
_EXPORTED: tuple[type[Base], ...] = (ArticleRow, EntryRow, EntryStateRow, ApprovalRow, HistoryRow, CatalogRow,
                                     MachineDraftRow, PublicationRow, AssignmentRow)


#: The schema revision since which approved translations are stored by :func:`i18n.core.forms.encode_forms`.
_FORMS_REVISION = "0004"


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


def import_tables(session: so.Session, tables: Mapping[str, Sequence[Mapping[str, Any]]], *,
                  schema: str = HEAD) -> dict[str, int]:
    """Replace the tracker's contents with exported ``tables``; the file index is cleared (all re-checked).

    ``schema`` is the revision of the tracker the export was taken from: the approved translations of an
    export older than 0004 (plural forms joined by NUL) are converted as migration 0004 converts them.
    """
    legacy = REVISIONS.index(schema) < REVISIONS.index(_FORMS_REVISION)
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
                elif legacy and value is not None and column is ApprovalRow.__table__.c.translation:
                    value = from_legacy(value)
                row[name] = value
            rows.append(row)
        if rows:
            session.execute(sa.insert(model), rows)
        counts[model.__tablename__] = len(rows)
    if session.get_bind().dialect.name == "postgresql":
        # Rows came with their ids: move each serial past them.
        for model in (EntryRow, ApprovalRow, HistoryRow, PublicationRow):
            table = model.__tablename__
            session.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))
    return counts


# --- assignments and dashboard ---
# Who works on what and by when (``i18n assign``), and the reads behind the coordinator's dashboard
# (``i18n report``): each function here answers one question of the dashboard from the tracker's tables.


@dataclass(frozen=True, slots=True)
class Assignment:
    """Who translates and who reviews an article in one language, and by when."""

    article: str
    language: str
    translator: str | None
    reviewer: str | None
    due: dt.date | None
    assigned_by: str
    assigned_at: dt.datetime


@dataclass(frozen=True, slots=True)
class EntryEvent:
    """One history record reduced to what the burn-up needs: which entry became which state, when."""

    article: str
    language: str
    entry_id: int
    at: dt.datetime
    after: State


@dataclass(frozen=True, slots=True)
class Activity:
    """One thing a person did to an entry (``reviewed``: approved or rejected it), for the people figures."""

    person: str
    language: str
    entry_id: int
    kind: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class Turnaround:
    """One approval and when its entry last became ``translated`` before it."""

    language: str
    translated_at: dt.datetime
    approved_at: dt.datetime


def article_dates(session: so.Session, article_ids: Iterable[str]) -> dict[str, dt.date | None]:
    """The dates of those of ``article_ids`` the tracker knows (and that are not removed)."""
    ids = list(article_ids)
    rows = session.execute(sa.select(ArticleRow.id, ArticleRow.date).where(
        ArticleRow.id.in_(ids), ArticleRow.removed.is_(False)))
    return {article: date for article, date in rows}


def save_assignment(session: so.Session, assignment: Assignment) -> Assignment:
    """Record an assignment (replacing the article's in that language); returns what is on record.

    A reviewer of ``None`` keeps the reviewer already assigned, if any.
    """
    current = session.get(AssignmentRow, (assignment.article, assignment.language), with_for_update=True)
    reviewer = assignment.reviewer if assignment.reviewer is not None or current is None else current.reviewer
    values = {"translator": assignment.translator, "reviewer": reviewer, "due": assignment.due,
              "assigned_by": assignment.assigned_by, "assigned_at": assignment.assigned_at}
    if current is None:
        session.add(AssignmentRow(article_id=assignment.article, language=assignment.language, **values))
    else:
        for name, value in values.items():
            setattr(current, name, value)
    session.flush()
    return Assignment(assignment.article, assignment.language, assignment.translator, reviewer, assignment.due,
                      assignment.assigned_by, assignment.assigned_at)


def assignments(session: so.Session, languages: Sequence[str] | None = None) -> list[Assignment]:
    """Every assignment (in ``languages``, or all), by article and language."""
    query = sa.select(AssignmentRow).order_by(AssignmentRow.article_id, AssignmentRow.language)
    if languages is not None:
        query = query.where(AssignmentRow.language.in_(list(languages)))
    return [Assignment(r.article_id, r.language, r.translator, r.reviewer, r.due, r.assigned_by, r.assigned_at)
            for r in session.scalars(query)]


def entry_events(session: so.Session, languages: Sequence[str]) -> list[EntryEvent]:
    """Every state change of the current entries of dated articles in ``languages``, oldest first."""
    rows = session.execute(
        sa.select(EntryRow.article_id, HistoryRow.language, HistoryRow.entry_id, HistoryRow.at, HistoryRow.after)
        .join(EntryRow, EntryRow.id == HistoryRow.entry_id)
        .join(ArticleRow, ArticleRow.id == EntryRow.article_id)
        .where(HistoryRow.language.in_(list(languages)), EntryRow.removed.is_(False),
               ArticleRow.removed.is_(False), ArticleRow.date.is_not(None))
        .order_by(HistoryRow.at, HistoryRow.id))
    return [EntryEvent(article, language, entry_id, at, State(after))
            for article, language, entry_id, at, after in rows]


def article_sizes(session: so.Session) -> dict[str, int]:
    """How many current entries each dated, current article has."""
    rows = session.execute(sa.select(ArticleRow.id, ArticleRow.entries).where(
        ArticleRow.removed.is_(False), ArticleRow.date.is_not(None)))
    return {article: int(entries) for article, entries in rows}


def reviews(session: so.Session, languages: Sequence[str], since: dt.datetime) -> list[Activity]:
    """Review decisions (approve, reject) since ``since``: each entry once per reviewer, at its latest time.

    (Entries translated and approved per person are counted by :mod:`i18n.workflow.status`, for ``--by translator``.)
    """
    rows = session.execute(
        sa.select(HistoryRow.actor, HistoryRow.language, HistoryRow.entry_id, sa.func.max(HistoryRow.at))
        .where(HistoryRow.reason.in_(REVIEW_REASONS), HistoryRow.at >= since,
               HistoryRow.language.in_(list(languages)))
        .group_by(HistoryRow.actor, HistoryRow.entry_id, HistoryRow.language))
    return [Activity(person, language, entry_id, "reviewed", at) for person, language, entry_id, at in rows]


def turnarounds(session: so.Session, languages: Sequence[str]) -> list[Turnaround]:
    """Per approval, the time its entry last became ``translated`` before it (approvals without one are left out).

    Revoked approvals count too: the turnaround measures how soon reviewers acted, not what they decided.
    """
    codes = list(languages)
    translated: dict[tuple[int, str], list[dt.datetime]] = {}
    for entry_id, language, at in session.execute(
            sa.select(HistoryRow.entry_id, HistoryRow.language, HistoryRow.at)
            .where(HistoryRow.after == State.TRANSLATED.value, HistoryRow.language.in_(codes))
            .order_by(HistoryRow.at)):
        translated.setdefault((entry_id, language), []).append(at)
    found: list[Turnaround] = []
    for entry_id, language, approved_at in session.execute(
            sa.select(ApprovalRow.entry_id, ApprovalRow.language, ApprovalRow.approved_at)
            .where(ApprovalRow.language.in_(codes)).order_by(ApprovalRow.approved_at)):
        times = translated.get((entry_id, language), [])
        before = bisect.bisect_right(times, approved_at)  # times are in order: those up to the approval
        if before:
            found.append(Turnaround(language, times[before - 1], approved_at))
    return found



# --- publishing ---
# What the publishing gate reads (entries, their states and approvals, who translated them) and the
# publication log it writes. Reads cover many articles at once: a publish run gates every due article.


@dataclass(frozen=True, slots=True)
class GateEntry:
    """A current entry of an article with its state in one language, as the publishing gate needs it."""

    article: str
    entry_id: int
    key: str
    msgctxt: str | None
    source: str
    source_hash: str
    state: State
    translation_hash: str | None
    previous_source: str | None


@dataclass(frozen=True, slots=True)
class PublicationRecord:
    """One line of the publication log: an article published, updated or withdrawn on a mirror."""

    at: dt.datetime
    mirror: str
    article: str
    language: str
    action: str
    version: str
    actor: str


def gate_entries(session: so.Session, language: str, articles: Iterable[str]) -> dict[str, list[GateEntry]]:
    """The current entries of ``articles`` with their state in ``language`` (untranslated when unknown)."""
    ids = sorted(set(articles))
    found: dict[str, list[GateEntry]] = {a: [] for a in ids}
    for chunk in _chunks(ids):
        rows = session.execute(
            sa.select(EntryRow.article_id, EntryRow.id, EntryRow.key, EntryRow.msgctxt, EntryRow.source,
                      EntryRow.source_hash, EntryStateRow.state, EntryStateRow.translation_hash,
                      EntryStateRow.previous_source)
            .outerjoin(EntryStateRow, sa.and_(EntryStateRow.entry_id == EntryRow.id,
                                              EntryStateRow.language == language))
            .where(EntryRow.article_id.in_(chunk), EntryRow.removed.is_(False))
            .order_by(EntryRow.article_id, EntryRow.position))
        for article, entry_id, key, msgctxt, source, digest, state, translation, previous in rows:
            found[article].append(GateEntry(article, entry_id, key, msgctxt, source, digest,
                                            State(state) if state else State.UNTRANSLATED, translation, previous))
    return found


def gate_approvals(session: so.Session, language: str, articles: Iterable[str]
                   ) -> dict[tuple[str, str], tuple[Approval, ...]]:
    """Every standing approval in ``language`` of the entries of ``articles`` (removed entries too), oldest
    first, by ``(article, entry key)``; revoked approvals are never served."""
    found: dict[tuple[str, str], list[Approval]] = {}
    for chunk in _chunks(sorted(set(articles))):
        rows = session.execute(
            sa.select(EntryRow.article_id, EntryRow.key, ApprovalRow.entry_id, ApprovalRow.source,
                      ApprovalRow.translation, ApprovalRow.approved_by, ApprovalRow.approved_at)
            .join(EntryRow, EntryRow.id == ApprovalRow.entry_id)
            .where(EntryRow.article_id.in_(chunk), ApprovalRow.language == language, _STANDING)
            .order_by(ApprovalRow.id))
        for article, key, entry_id, source, translation, by, at in rows:
            found.setdefault((article, key), []).append(
                Approval(entry_id, language, source, decode_forms(translation), by, at))
    return {k: tuple(v) for k, v in found.items()}


def gate_translators(session: so.Session, language: str, articles: Iterable[str]
                     ) -> dict[int, tuple[tuple[str, dt.datetime], ...]]:
    """Who wrote translations of each entry (by entry id), and when: the people credited with its edits,
    imports and stale edits in ``language``, oldest first (the system actor is nobody)."""
    found: dict[int, list[tuple[str, dt.datetime]]] = {}
    for chunk in _chunks(sorted(set(articles))):
        rows = session.execute(
            sa.select(HistoryRow.entry_id, HistoryRow.actor, HistoryRow.at)
            .join(EntryRow, EntryRow.id == HistoryRow.entry_id)
            .where(EntryRow.article_id.in_(chunk), HistoryRow.language == language,
                   HistoryRow.reason.in_(HUMAN_CHANGES),
                   HistoryRow.after != State.UNTRANSLATED.value, HistoryRow.actor != SYSTEM_ACTOR)
            .order_by(HistoryRow.at, HistoryRow.id))
        for entry_id, actor, at in rows:
            found.setdefault(entry_id, []).append((actor, at))
    return {k: tuple(v) for k, v in found.items()}


def _publication_log(session: so.Session, *where: sa.ColumnElement[bool], by_time: bool = True
                     ) -> list[PublicationRecord]:
    """The publication records that match ``where``, oldest first (by time, else in the order written)."""
    order = (PublicationRow.at, PublicationRow.id) if by_time else (PublicationRow.id,)
    rows = session.execute(
        sa.select(PublicationRow.at, PublicationRow.mirror, PublicationRow.article_id, PublicationRow.language,
                  PublicationRow.action, PublicationRow.version, PublicationRow.actor)
        .where(*where).order_by(*order))
    return [PublicationRecord(*row) for row in rows]


def last_publications(session: so.Session, mirror: str) -> dict[str, PublicationRecord]:
    """The latest publication record (the last written) of every article that ever was on ``mirror``."""
    records = _publication_log(session, PublicationRow.mirror == mirror, by_time=False)
    return {record.article: record for record in records}


def last_approval_at(session: so.Session, language: str, articles: Iterable[str]) -> dict[str, dt.datetime]:
    """When an entry of each article was last approved in ``language`` (articles never approved, or whose
    approvals were all revoked: absent)."""
    found: dict[str, dt.datetime] = {}
    for chunk in _chunks(sorted(set(articles))):
        rows = session.execute(
            sa.select(EntryRow.article_id, sa.func.max(ApprovalRow.approved_at))
            .join(EntryRow, EntryRow.id == ApprovalRow.entry_id)
            .where(EntryRow.article_id.in_(chunk), ApprovalRow.language == language, _STANDING)
            .group_by(EntryRow.article_id))
        found.update({article: at for article, at in rows if at is not None})
    return found


def record_publications(session: so.Session, records: Sequence[PublicationRecord]) -> None:
    """Append ``records`` to the publication log and update ``catalogs.published_at`` of their articles.

    ``published_at`` is when the article was last published or updated on a mirror of its language where
    it still is; ``NULL`` once it is on none (so ``i18n status`` counts articles currently published).
    """
    if not records:
        return
    session.execute(sa.insert(PublicationRow), [{
        "mirror": r.mirror, "article_id": r.article, "language": r.language, "action": r.action,
        "version": r.version, "actor": r.actor, "at": r.at} for r in records])
    for language in sorted({r.language for r in records}):
        touched = sorted({r.article for r in records if r.language == language})
        latest: dict[str, dict[str, tuple[str, dt.datetime]]] = {a: {} for a in touched}
        for chunk in _chunks(touched):
            for article, mirror, action, at in session.execute(
                    sa.select(PublicationRow.article_id, PublicationRow.mirror, PublicationRow.action,
                              PublicationRow.at)
                    .where(PublicationRow.article_id.in_(chunk), PublicationRow.language == language)
                    .order_by(PublicationRow.id)):
                latest[article][mirror] = (action, at)
        by_value: dict[dt.datetime | None, list[str]] = {}
        for article, mirrors in latest.items():
            live = [at for action, at in mirrors.values() if action != "withdrawn"]
            by_value.setdefault(max(live) if live else None, []).append(article)
        for value, ids in by_value.items():
            for chunk in _chunks(ids):
                session.execute(sa.update(CatalogRow).where(
                    CatalogRow.article_id.in_(chunk), CatalogRow.language == language).values(published_at=value))


def publications(session: so.Session, article_id: str, language: str | None = None) -> list[PublicationRecord]:
    """The publication log of one article (in ``language``, or all), oldest first."""
    where = [PublicationRow.article_id == article_id]
    if language is not None:
        where.append(PublicationRow.language == language)
    return _publication_log(session, *where)


def publication_events(session: so.Session, languages: Sequence[str]) -> list[PublicationRecord]:
    """The publication log in ``languages``, oldest first."""
    return _publication_log(session, PublicationRow.language.in_(list(languages)))


# --- review (approve, reject) ---


@dataclass(frozen=True, slots=True)
class StoredDraft:
    """A machine draft on record for a source text: the engine's label and the draft it returned."""

    engine: str
    source: str
    draft: str


def last_human_changes(session: so.Session, article_id: str, language: str) -> dict[str, str]:
    """Who last changed each entry's translation in ``language`` (edit, stale edit, import), by entry key."""
    rows = session.execute(
        sa.select(EntryRow.key, HistoryRow.actor)
        .join(EntryRow, EntryRow.id == HistoryRow.entry_id)
        .where(EntryRow.article_id == article_id, HistoryRow.language == language,
               HistoryRow.reason.in_(HUMAN_CHANGES), HistoryRow.actor != SYSTEM_ACTOR)
        .order_by(HistoryRow.at, HistoryRow.id))
    return {key: actor for key, actor in rows}


def drafts_for_review(session: so.Session, source_language: str, target_language: str,
                      sources: Iterable[str]) -> list[StoredDraft]:
    """Every engine's stored draft (``machine_drafts``) of ``sources`` into ``target_language``."""
    wanted = set(sources)
    found: list[StoredDraft] = []
    for chunk in _chunks(sorted({text_hash(source) for source in wanted})):
        rows = session.execute(
            sa.select(MachineDraftRow.engine, MachineDraftRow.source, MachineDraftRow.draft)
            .where(MachineDraftRow.source_language == source_language,
                   MachineDraftRow.target_language == target_language,
                   MachineDraftRow.source_hash.in_(chunk)))
        found.extend(StoredDraft(engine, source, draft) for engine, source, draft in rows if source in wanted)
    return sorted(found, key=lambda d: d.engine)


def record_rejection(session: so.Session, *, article: str, language: str, key: str, translation: Sequence[str],
                     reviewer: str, at: dt.datetime | None = None) -> State:
    """Record that ``reviewer`` sent an entry back: it is ``needs-work`` (history reason ``reject``).

    ``translation`` is the entry's translation as written to the PO file (fuzzy). The standing approvals of
    exactly this source and translation are revoked (kept on record, with who revoked them and when), so
    that clearing fuzzy without changing the text does not make it ``approved`` again; approvals of other
    texts of the entry stay (the publishing gate may still serve an earlier approved text). Approving the
    rejected text again later records a new approval, which counts as any other.
    """
    at = at or utcnow()
    entry = _current_entry(session, article, key)
    current = session.get(EntryStateRow, (entry.id, language), with_for_update=True)
    before = State(current.state) if current is not None else None
    origin = current.origin if current is not None and current.origin else "human"
    digest = forms_hash(translation)
    session.execute(sa.update(ApprovalRow).where(
        ApprovalRow.entry_id == entry.id, ApprovalRow.language == language, _STANDING,
        ApprovalRow.source_hash == entry.source_hash, ApprovalRow.translation_hash == digest,
    ).values(revoked_at=at, revoked_by=reviewer))
    apply_changes(session, [StateChange(
        entry.id, language, State.NEEDS_WORK, before, digest, entry.source_hash,
        origin, reviewer, Reason.REJECT, at, current.previous_source if current is not None else None)])
    refresh_summary(session, article, language)
    return State.NEEDS_WORK


# --- machine drafts (pretranslate) ---
# The persistent draft cache of ``i18n pretranslate`` (``machine_drafts``: what an engine returned for a
# source text, so that re-runs and crashes never pay twice, and the draft post-edits are measured
# against), and the translation memory read from the approvals.

@dataclass(frozen=True, slots=True)
class ApprovedText:
    """The latest approved translation of a source text in one language, and the entry it was approved on."""

    source: str
    translation: str
    article: str
    key: str
    approved_at: dt.datetime


@dataclass(frozen=True, slots=True)
class DraftOutcome:
    """What became of a machine draft: the data of post-edit distance per engine.

    The tracker keeps hashes, not texts, of current translations: ``unchanged`` says whether the entry's
    current translation is still exactly the draft (fuzzy or accepted); ``approved`` is the latest
    approved translation of the entry's current source (``None`` until a reviewer approves it).
    """

    engine: str
    """The engine's label, as in the draft comment: ``apertium eng-cat``."""
    language: str
    article: str
    key: str
    draft: str
    state: State
    translation_hash: str | None
    unchanged: bool
    approved: str | None


def cached_drafts(session: so.Session, engine: str, source: str, target: str,
                  texts: Iterable[str]) -> dict[str, str]:
    """The drafts on record of those of ``texts`` that have one (looked up by hash, checked by text)."""
    wanted = {text_hash(text): text for text in texts}
    found: dict[str, str] = {}
    for chunk in _chunks(list(wanted)):
        rows = session.execute(sa.select(MachineDraftRow.source_hash, MachineDraftRow.source, MachineDraftRow.draft)
                               .where(MachineDraftRow.engine == engine, MachineDraftRow.source_language == source,
                                      MachineDraftRow.target_language == target,
                                      MachineDraftRow.source_hash.in_(chunk)))
        for digest, text, draft in rows:
            if wanted.get(digest) == text:
                found[text] = draft
    return found


def drafts_on_record(session: so.Session, target: str, texts: Iterable[str]) -> dict[str, set[str]]:
    """Every draft on record (any engine) of those of ``texts`` that have one, in language ``target``: what
    decides whether a ``# machine:`` entry's text is still an engine's (:func:`i18n.core.states.drafted_state`)."""
    wanted = {text_hash(text): text for text in texts}
    found: dict[str, set[str]] = {}
    for chunk in _chunks(list(wanted)):
        rows = session.execute(sa.select(MachineDraftRow.source_hash, MachineDraftRow.source, MachineDraftRow.draft)
                               .where(MachineDraftRow.target_language == target,
                                      MachineDraftRow.source_hash.in_(chunk)))
        for digest, text, draft in rows:
            if wanted.get(digest) == text:
                found.setdefault(text, set()).add(draft)
    return found


def save_drafts(session: so.Session, engine: str, source: str, target: str, drafts: Mapping[str, str],
                at: dt.datetime | None = None) -> None:
    """Record drafts (source text → draft); a later draft for the same engine, languages and text replaces it."""
    if not drafts:
        return
    at = at or utcnow()
    rows = [{"engine": engine, "source_language": source, "target_language": target, "source_hash": text_hash(text),
             "source": text, "draft": draft, "created_at": at} for text, draft in drafts.items()]
    statement = _insert(session, MachineDraftRow)
    statement = statement.on_conflict_do_update(
        index_elements=["engine", "source_language", "target_language", "source_hash"],
        set_={"source": statement.excluded.source, "draft": statement.excluded.draft,
              "created_at": statement.excluded.created_at})
    for chunk in _chunks(rows):
        session.execute(statement, chunk)


class TrackerDraftCache:
    """Pre-translation's draft cache (:class:`i18n.workflow.pretranslate.DraftCache`) in ``machine_drafts``.

    Each call is its own short transaction: drafts are committed as each batch arrives, so a crash or
    Ctrl-C keeps every draft already paid for, and the next run sends none of them again.
    """

    def __init__(self, tracker: Tracker) -> None:
        self.tracker = tracker

    def get_many(self, engine: str, source: str, target: str, texts: Iterable[str]) -> dict[str, str]:
        with self.tracker.read_session() as session:
            return cached_drafts(session, engine, source, target, texts)

    def put_many(self, engine: str, source: str, target: str, drafts: Mapping[str, str]) -> None:
        if drafts:
            with self.tracker.transaction() as session:
                save_drafts(session, engine, source, target, drafts)

    def on_record(self, target: str, texts: Collection[str]) -> dict[str, set[str]]:
        if not texts:
            return {}
        with self.tracker.read_session() as session:
            return drafts_on_record(session, target, texts)


def approved_translations(session: so.Session, language: str) -> dict[str, ApprovedText]:
    """Per source text, its latest approved translation in ``language`` (any article; plural entries left out).

    What the translation memory of ``i18n pretranslate`` drafts from first. An approval counts although
    the entry was edited since: it is a reviewer's word on exactly that source and translation. A revoked
    approval does not count (a reviewer rejected that text since).
    """
    rows = session.execute(
        sa.select(ApprovalRow.source, ApprovalRow.translation, EntryRow.article_id, EntryRow.key,
                  ApprovalRow.approved_at)
        .join(EntryRow, EntryRow.id == ApprovalRow.entry_id)
        .where(ApprovalRow.language == language, _STANDING)
        .order_by(ApprovalRow.approved_at, ApprovalRow.id))
    found: dict[str, ApprovedText] = {}
    for source, text, article, key, at in rows:
        forms = decode_forms(text)
        if source and len(forms) == 1 and forms[0]:
            found[source] = ApprovedText(source, forms[0], article, key, at)  # the latest wins
    return found


def machine_draft_outcomes(session: so.Session, language: str | None = None) -> list[DraftOutcome]:
    """Every entry that was a machine draft (its history shows state ``machine``) with the draft it got.

    The draft is found in ``machine_drafts`` by the entry's current source and the translation hash the
    history recorded for the ``machine`` state, so a draft is matched to the engine that wrote it even
    when several engines drafted the same text. Removed entries and plural entries are left out. Sorted
    by language, article and key.
    """
    drafted = (sa.select(HistoryRow.entry_id, HistoryRow.language, HistoryRow.translation_hash)
               .where(HistoryRow.after == State.MACHINE.value, HistoryRow.translation_hash.is_not(None)))
    if language is not None:
        drafted = drafted.where(HistoryRow.language == language)
    hashes: dict[tuple[int, str], set[str]] = {}
    for entry_id, lang, digest in session.execute(drafted):
        if digest is not None:
            hashes.setdefault((entry_id, lang), set()).add(digest)
    if not hashes:
        return []
    rows = session.execute(
        sa.select(EntryRow.id, EntryRow.article_id, EntryRow.key, EntryRow.source_hash, EntryStateRow.language,
                  EntryStateRow.state, EntryStateRow.translation_hash, MachineDraftRow.engine,
                  MachineDraftRow.draft)
        .join(EntryStateRow, EntryStateRow.entry_id == EntryRow.id)
        .join(MachineDraftRow, sa.and_(MachineDraftRow.source_hash == EntryRow.source_hash,
                                       MachineDraftRow.target_language == EntryStateRow.language))
        .where(EntryRow.removed.is_(False), *([EntryStateRow.language == language] if language else [])))
    approved: dict[tuple[int, str], str] = {}
    approval_rows = session.execute(
        sa.select(ApprovalRow.entry_id, ApprovalRow.language, ApprovalRow.source_hash, ApprovalRow.translation,
                  EntryRow.source_hash)
        .join(EntryRow, EntryRow.id == ApprovalRow.entry_id)
        .where(_STANDING, *([ApprovalRow.language == language] if language else []))
        .order_by(ApprovalRow.approved_at, ApprovalRow.id))
    for entry_id, lang, approved_source, text, current_source in approval_rows:
        forms = decode_forms(text)
        if approved_source == current_source and len(forms) == 1:
            approved[(entry_id, lang)] = forms[0]  # the latest approval of the current source wins
    outcomes: list[DraftOutcome] = []
    for entry_id, article, key, _, lang, state, current, engine, draft in rows:
        digest = text_hash(draft)
        if digest not in hashes.get((entry_id, lang), ()):
            continue
        outcomes.append(DraftOutcome(engine, lang, article, key, draft, State(state), current, current == digest,
                                     approved.get((entry_id, lang))))
    return sorted(outcomes, key=lambda o: (o.language, o.article, o.key, o.engine))


@dataclass(frozen=True, slots=True)
class PublishableArticle:
    """An article the tracker knows (dated, not removed): what the publishing gate starts from."""

    id: str
    date: dt.date
    source_path: str


def publishable_articles(session: so.Session) -> list[PublishableArticle]:
    """Every current, dated article (the UI catalog has no date), by id."""
    rows = session.execute(sa.select(ArticleRow.id, ArticleRow.date, ArticleRow.source_path).where(
        ArticleRow.removed.is_(False), ArticleRow.date.is_not(None)).order_by(ArticleRow.id))
    return [PublishableArticle(article, date, source) for article, date, source in rows if date is not None]


def record_acceptance(session: so.Session, *, article: str, language: str, key: str, reviewer: str,
                      at: dt.datetime | None = None) -> State:
    """Record in the history that ``reviewer`` accepted a check's finding on an entry; returns its state.

    The state does not change (the history record's before and after are the same); which check and why
    are in the PO file's ``# ignore-<code>`` comment (:mod:`i18n.content.checks.accept`).
    """
    entry = _current_entry(session, article, key)
    current = session.get(EntryStateRow, (entry.id, language))
    state = State(current.state) if current is not None else State.UNTRANSLATED
    session.add(HistoryRow(entry_id=entry.id, language=language, actor=reviewer, at=at or utcnow(),
                           reason=Reason.ACCEPT, before=state.value, after=state.value,
                           translation_hash=current.translation_hash if current is not None else None))
    session.flush()
    return state


def people_seen(session: so.Session) -> list[str]:
    """Every name the tracker holds for a person (history, approvals, assignments), the first seen first.

    :mod:`i18n.core.people` gives each person one display name from it (the first spelling seen).
    """
    firsts: dict[str, dt.datetime] = {}
    queries = [
        sa.select(HistoryRow.actor, sa.func.min(HistoryRow.at)).group_by(HistoryRow.actor),
        sa.select(ApprovalRow.approved_by, sa.func.min(ApprovalRow.approved_at)).group_by(ApprovalRow.approved_by),
        sa.select(AssignmentRow.translator, sa.func.min(AssignmentRow.assigned_at)).group_by(AssignmentRow.translator),
        sa.select(AssignmentRow.reviewer, sa.func.min(AssignmentRow.assigned_at)).group_by(AssignmentRow.reviewer),
    ]
    for query in queries:
        for name, at in session.execute(query):
            if name and name != SYSTEM_ACTOR and (name not in firsts or at < firsts[name]):
                firsts[name] = at
    return sorted(firsts, key=lambda name: (firsts[name], name))

