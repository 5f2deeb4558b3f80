"""Where the status tracker lives, and plain-SQL reads of it that do not need SQLAlchemy.

``i18n status`` on 5,000 articles must answer in well under half a second as a whole process, and
importing SQLAlchemy alone costs a quarter of a second. So the hot read path (the change check of
reconciliation and the status counts) is plain SQL run through a :class:`Snapshot`: for the embedded
SQLite file, straight through :mod:`sqlite3`; for a server, through SQLAlchemy
(:meth:`i18n.tracker.engine.Tracker.snapshot`).
Everything that writes goes through :mod:`i18n.tracker.engine` and :mod:`i18n.tracker.queries`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from i18n.core.atomic import write_atomic
from i18n.core.errors import TrackerError
from i18n.core.states import State
from i18n.core.workspace import Workspace
from i18n.tracker.migrations import HEAD

#: The embedded tracker, inside the workspace's private state folder.
TRACKER_NAME = "tracker.sqlite3"
#: How long a writer waits for another process's transaction before giving up (milliseconds).
BUSY_TIMEOUT_MS = 30_000
#: The file index of an embedded tracker belongs to its one workspace.
LOCAL_CLONE = "local"
CLONE_FILE = "clone-id"


def summary_column(prefix: str, state: State) -> str:
    """The ``catalogs`` column holding a state's entry (``n``) or word (``w``) count: ``n_needs_work``.

    Here, not in :mod:`i18n.tracker.models`, because the plain-SQL reads of ``i18n status`` name these columns too.
    """
    return f"{prefix}_{state.value.replace('-', '_')}"


class Snapshot(Protocol):
    """A read-only connection that runs portable SQL with ``:name`` parameters."""

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Sequence[Sequence[Any]]:
        """All rows of ``sql``."""


def database_url(workspace: Workspace) -> str:
    """The tracker's SQLAlchemy URL: ``I18N_DATABASE_URL``, else ``database_url``, else the embedded file."""
    url = os.environ.get("I18N_DATABASE_URL") or workspace.settings.database_url
    return url or f"sqlite:///{embedded_path(workspace)}"


def embedded_path(workspace: Workspace) -> Path:
    """``.i18n/tracker.sqlite3``."""
    return workspace.state_dir / TRACKER_NAME


def is_embedded(url: str) -> bool:
    """Whether ``url`` is a SQLite file (created and upgraded automatically)."""
    return url.startswith("sqlite")


def clone_id(workspace: Workspace, url: str) -> str:
    """Which copy of the workspace a file index belongs to.

    The workspace's own embedded file (``.i18n/tracker.sqlite3``) serves this clone alone. Any other tracker
    (a server, or a SQLite file that several clones on one machine name in ``database_url``) may serve
    every clone of the project, whose files differ, so each clone keeps its own file index under a random
    id kept in ``.i18n/clone-id``: one clone's index never makes another's older file look like an edit.
    """
    if url == f"sqlite:///{embedded_path(workspace)}":
        return LOCAL_CLONE
    path = workspace.state_dir / CLONE_FILE
    with contextlib.suppress(FileNotFoundError):
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text

    value = uuid.uuid4().hex
    workspace.state_dir.mkdir(exist_ok=True)
    write_atomic(path, (value + "\n").encode("utf-8"))
    return value


#: Hints by the class of a DB-API (PEP 249) error: every driver names its classes so.
_HINT_CHECK_URL = "check database_url in i18n.toml or I18N_DATABASE_URL, and that the server is up"
_FAILURES = {
    "IntegrityError": ("refused a change that conflicts with what it holds",
                       "nothing was changed; if this came from 'i18n db import', the backup is inconsistent: "
                       "export it again from the tracker it came from"),
    "DataError": ("refused a value", "nothing was changed; this is a bug in i18n: please report it with the "
                                     "command that failed"),
    "ProgrammingError": ("refused a query", "check that the database (and its search_path schema) exists, that its "
                                            "user may create and change tables, and run 'i18n db upgrade'"),
}


def database_error(url: str, error: BaseException) -> TrackerError:
    """The one translation of a database failure (a DB-API error of any driver) into a :class:`TrackerError`.

    ``url`` is the tracker's URL as it may be shown (without its password). The message says what failed
    and where, on one line (the driver's first line); the hint says what to do.
    """
    lines = str(error).strip().splitlines()
    detail = lines[0].strip() if lines else type(error).__name__
    kinds = [cls.__name__ for cls in type(error).__mro__]
    if "OperationalError" in kinds and "database is locked" in detail:
        return TrackerError(f"the status tracker at {url} is busy: another process held its write lock for over "
                            f"{BUSY_TIMEOUT_MS // 1000} s",
                            hint="wait for the other i18n command to finish, then run this one again")
    if "OperationalError" in kinds or "InterfaceError" in kinds:
        return TrackerError(f"cannot reach the status tracker at {url}: {detail}", hint=_HINT_CHECK_URL)
    for kind, (what, hint) in _FAILURES.items():
        if kind in kinds:
            return TrackerError(f"the status tracker at {url} {what}: {detail}", hint=hint)
    return TrackerError(f"the status tracker at {url} failed: {detail}",
                        hint=_HINT_CHECK_URL + "; restore a damaged SQLite file from a backup ('i18n db import')")


class _SqliteSnapshot:
    """A :class:`Snapshot` over :mod:`sqlite3`, with values converted as SQLAlchemy stores them."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Sequence[Sequence[Any]]:
        converted = {k: _sqlite_value(v) for k, v in (params or {}).items()}
        return self.connection.execute(sql, converted).fetchall()


def _sqlite_value(value: Any) -> Any:
    """Parameters in the text form SQLAlchemy's SQLite types store (so comparisons work)."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@contextlib.contextmanager
def open_embedded(workspace: Workspace) -> Iterator[Snapshot | None]:
    """A snapshot of the embedded tracker, or ``None`` when the fast path cannot serve.

    ``None`` when the tracker is a server, the file does not exist yet, or its schema is not exactly
    :data:`~i18n.tracker.migrations.HEAD` (then the caller goes through :mod:`i18n.tracker.engine`, which creates,
    upgrades or explains).
    """
    url = database_url(workspace)
    path = embedded_path(workspace)
    if url != f"sqlite:///{path}" or not path.is_file():
        yield None
        return
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        try:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.Error:
            revision = []
        if revision != [(HEAD,)]:
            yield None
            return
        # One read transaction: every query of a report sees the same committed state.
        connection.execute("BEGIN")
        yield _SqliteSnapshot(connection)
        connection.execute("COMMIT")
    except sqlite3.Error as exc:
        raise database_error(url, exc) from None
    finally:
        connection.close()
