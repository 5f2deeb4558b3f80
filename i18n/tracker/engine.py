"""Opening the tracker: the engine, the schema (create, upgrade, check) and transactions.

The embedded default is a SQLite file in ``.i18n/`` (WAL, a busy timeout, and every write transaction
opened with ``BEGIN IMMEDIATE``: with Python's sqlite3 defaults a read-then-write transaction starts
deferred, and two processes can both read, then one's write silently overwrites the other's).
``postgresql+psycopg://`` selects a shared server; there concurrent writers serialise on row locks
(``SELECT … FOR UPDATE`` on the catalog or article being changed).

Every error the database raises (unreachable, busy, a value or change refused) leaves here as a
:class:`~i18n.core.errors.TrackerError` made by :func:`i18n.tracker.snapshot.database_error`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy import event

from i18n.core.errors import TrackerError
from i18n.tracker.migrations import HEAD, REVISIONS
from i18n.tracker.models import Base
from i18n.tracker.snapshot import BUSY_TIMEOUT_MS, Snapshot, database_error, is_embedded

#: The session type the functions below take (so that callers need not import SQLAlchemy to name it).
Session = so.Session


#: Execution option of connections that only read (on SQLite they begin deferred, not IMMEDIATE).
READ_ONLY = "i18n_read_only"


#: Rows per ``IN (...)`` lookup or batched insert: well under SQLite's and PostgreSQL's parameter limits.
CHUNK = 500


_T = TypeVar("_T")


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
    from alembic.config import Config  # lazy: Alembic is slow to import; only a schema upgrade needs it

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
        from alembic import command  # lazy: Alembic is slow to import; only a schema upgrade needs it

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


def chunks(items: Sequence[_T], size: int = CHUNK) -> Iterator[Sequence[_T]]:
    """``items`` in slices small enough for an ``IN (...)`` list (or one batch of rows) on every database."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def dialect_insert(session: so.Session, model: type[Base]) -> Any:
    """A dialect's INSERT that supports ``ON CONFLICT``."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert  # lazy: load only the dialect in use

        return pg_insert(model)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert  # lazy: load only the dialect in use

    return sqlite_insert(model)
