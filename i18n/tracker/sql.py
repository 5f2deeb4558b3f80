"""Plain SQL on either backend: the statements reconciliation runs on every edit, without SQLAlchemy.

A translator saves one catalog and runs ``i18n status``: recording that one edit must not cost the quarter
of a second that importing SQLAlchemy takes. So the statements of that path (the file index, a catalog's
states, approvals, summary and history: :mod:`i18n.tracker.queries.recording`) are written once, in SQL
that SQLite and PostgreSQL both run (``INSERT … ON CONFLICT``, ``:name`` parameters), and run through a
:class:`Sql`:

* :class:`SqliteSql` is :mod:`sqlite3` on the embedded file, inside a transaction of a :class:`PlainTracker`
  (opened like :mod:`i18n.tracker.engine` opens its engine: WAL, busy timeout, ``BEGIN IMMEDIATE``);
* :func:`as_sql` wraps an SQLAlchemy session (any backend) so the same functions run inside the session's
  transaction, where every other write goes through the ORM.

Values are bound as SQLAlchemy's column types store them (datetimes as text on SQLite, enums as their
values), so rows written either way are the same rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from i18n.core.workspace import Workspace
from i18n.tracker.migrations import HEAD
from i18n.tracker.snapshot import BUSY_TIMEOUT_MS, database_error, database_url, embedded_path

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: Values per ``IN (...)`` list: well under SQLite's and PostgreSQL's parameter limits.
CHUNK = 500
_SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"


def utcnow() -> dt.datetime:
    """Now, as the naive UTC datetime the tracker stores (SQLite has no time zones)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Sql(Protocol):
    """Portable SQL with ``:name`` parameters, inside one transaction that the caller opened."""

    dialect: str
    """``sqlite`` or ``postgresql``: where a statement differs (row locks), the caller asks."""

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Every row of a query."""

    def run(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        """One statement."""

    def many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """One statement per row of ``rows`` (the driver's ``executemany``)."""

    def datetime(self, value: Any) -> dt.datetime:
        """A datetime column's value as read (text on SQLite) as a naive UTC datetime."""


def in_list(values: Sequence[Any], name: str = "v") -> tuple[str, dict[str, Any]]:
    """``(:v0, :v1, …)`` and its parameters, for ``IN`` (at most :data:`CHUNK` values at a time)."""
    params = {f"{name}{i}": value for i, value in enumerate(values)}
    return "(" + ", ".join(f":{key}" for key in params) + ")", params


def chunked(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _bound(value: Any) -> Any:
    """A parameter as SQLAlchemy's SQLite types store it: datetimes and dates as text, enums as values."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.strftime(_SQLITE_DATETIME)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _read_datetime(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


class SqliteSql:
    """:class:`Sql` over a :mod:`sqlite3` connection (values bound as SQLAlchemy stores them)."""

    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql, {k: _bound(v) for k, v in (params or {}).items()}).fetchall()

    def run(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        self.connection.execute(sql, {k: _bound(v) for k, v in (params or {}).items()})

    def many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self.connection.executemany(sql, [{k: _bound(v) for k, v in row.items()} for row in rows])

    def datetime(self, value: Any) -> dt.datetime:
        return _read_datetime(value)


@functools.lru_cache(maxsize=256)
def _pyformat(sql: str) -> str:
    """``:name`` → ``%(name)s`` (psycopg's style); a literal ``%`` doubled."""
    return re.sub(r"(?<![:\w]):([A-Za-z_]\w*)", r"%(\1)s", sql.replace("%", "%%"))


class _SessionSql:
    """:class:`Sql` inside an SQLAlchemy session's transaction (flushed first: its pending rows are seen)."""

    def __init__(self, session: Session) -> None:
        session.flush()
        self.connection = session.connection()
        self.dialect = self.connection.dialect.name
        self._sqlite = self.dialect == "sqlite"

    def _sql(self, sql: str) -> str:
        return sql if self._sqlite else _pyformat(sql)

    def _params(self, params: Mapping[str, Any] | None) -> dict[str, Any]:
        if self._sqlite:
            return {k: _bound(v) for k, v in (params or {}).items()}
        return {k: v.value if isinstance(v, enum.Enum) else v for k, v in (params or {}).items()}

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.connection.exec_driver_sql(self._sql(sql), self._params(params))]

    def run(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        self.connection.exec_driver_sql(self._sql(sql), self._params(params))

    def many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self.connection.exec_driver_sql(self._sql(sql), [self._params(row) for row in rows])

    def datetime(self, value: Any) -> dt.datetime:
        return _read_datetime(value)


def as_sql(db: Sql | Session) -> Sql:
    """``db`` itself, or an SQLAlchemy session as a :class:`Sql` in its transaction."""
    if isinstance(db, SqliteSql | _SessionSql):
        return db
    return _SessionSql(db)  # type: ignore[arg-type]


class PlainTracker:
    """The embedded tracker opened with :mod:`sqlite3` alone, for small recordings (one edit, a pull).

    Made only by :func:`open_plain`, which checks that the file exists at schema :data:`HEAD`; anything
    else (creating, upgrading, a server) goes through :func:`i18n.tracker.engine.open_tracker`.
    """

    created = False

    def __init__(self, url: str, connection: sqlite3.Connection) -> None:
        self.url = url
        self.connection = connection

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Sql]:
        """One write transaction (``BEGIN IMMEDIATE``): committed on success, else rolled back.

        A database error is rolled back and raised as a TrackerError, as the engine's transactions are.
        """
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise database_error(self.url, exc) from None
        try:
            yield SqliteSql(self.connection)
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                self.connection.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise database_error(self.url, exc) from None
            raise
        try:
            self.connection.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self.connection.execute("ROLLBACK")
            raise database_error(self.url, exc) from None

    def close(self) -> None:
        self.connection.close()


def open_plain(workspace: Workspace) -> PlainTracker | None:
    """The embedded tracker over plain :mod:`sqlite3`, or ``None`` when it is a server, missing, or not at
    schema :data:`HEAD` (the caller then opens it with :func:`i18n.tracker.engine.open_tracker`)."""
    url = database_url(workspace)
    path = embedded_path(workspace)
    if url != f"sqlite:///{path}" or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise database_error(url, exc) from None
    try:
        for pragma in ("journal_mode=WAL", f"busy_timeout={BUSY_TIMEOUT_MS}", "synchronous=NORMAL",
                       "foreign_keys=ON"):
            connection.execute(f"PRAGMA {pragma}")
        try:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.Error:
            revision = []
    except sqlite3.Error as exc:
        connection.close()
        raise database_error(url, exc) from None
    if revision != [(HEAD,)]:
        connection.close()
        return None
    return PlainTracker(url, connection)
