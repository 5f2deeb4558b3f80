"""``i18n db``: look after the tracker database: upgrade its schema, export and import it as JSON.

The embedded SQLite tracker is upgraded automatically; a shared server is upgraded on purpose with
``i18n db upgrade``. An export holds everything only the tracker knows (approvals and history, besides
states); the file index is a cache and is left out, so after an import every PO file is reconciled again.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from i18n.core.atomic import write_atomic
from i18n.core.errors import TrackerError
from i18n.core.workspace import Workspace
from i18n.tracker.engine import create_engine, open_tracker, upgrade_schema
from i18n.tracker.migrations import HEAD, REVISIONS
from i18n.tracker.queries.backup import export_tables, import_tables, is_empty
from i18n.tracker.snapshot import database_url

EXPORT_FORMAT = "i18n-tracker"
EXPORT_VERSION = 1


@dataclass(frozen=True, slots=True)
class UpgradeReport:
    """The schema revision before (``None``: an empty database) and after ``i18n db upgrade``."""

    url: str
    before: str | None
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True, slots=True)
class ImportReport:
    """Rows imported per table."""

    rows: tuple[tuple[str, int], ...]


def upgrade(workspace: Workspace) -> UpgradeReport:
    """Migrate the tracker's schema to the newest revision this code knows."""
    url = database_url(workspace)
    engine = create_engine(url)
    try:
        before, after = upgrade_schema(engine)
        return UpgradeReport(engine.url.render_as_string(hide_password=True), before, after)
    finally:
        engine.dispose()


def export_tracker(workspace: Workspace) -> dict[str, Any]:
    """Everything in the tracker (but the file index) as one JSON-ready object."""
    tracker = open_tracker(database_url(workspace))
    try:
        with tracker.read_session() as session:
            tables = export_tables(session)
    finally:
        tracker.close()
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "schema": HEAD,
            "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "tables": tables}


def save_export(data: dict[str, Any], path: Path) -> None:
    """Write an export atomically."""
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def import_tracker(workspace: Workspace, path: Path, *, replace: bool = False) -> ImportReport:
    """Load an export into the tracker, in one transaction; a non-empty tracker needs ``replace``."""
    data = _read_export(path)
    tracker = open_tracker(database_url(workspace))
    try:
        with tracker.transaction() as session:
            if not replace and not is_empty(session):
                raise TrackerError("the tracker is not empty", path=path,
                                   hint="pass --replace to replace its contents with the backup")
            counts = import_tables(session, data["tables"], schema=data["schema"])
    finally:
        tracker.close()
    return ImportReport(tuple(counts.items()))


def _read_export(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise TrackerError("no such file", path=path, hint="give the file 'i18n db export' wrote") from None
    except ValueError as exc:
        raise TrackerError(f"not valid JSON: {exc}", path=path, hint="give the file 'i18n db export' wrote") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT or not isinstance(data.get("tables"), dict):
        raise TrackerError("not an i18n tracker export", path=path, hint="give the file 'i18n db export' wrote")
    if data.get("version") != EXPORT_VERSION:
        raise TrackerError(f"export format version {data.get('version')} is not supported (expected "
                           f"{EXPORT_VERSION})", path=path, hint="import it with the i18n version that wrote it")
    if data.get("schema") not in REVISIONS:
        raise TrackerError(f"the export is of tracker schema {data.get('schema')}, which this version of i18n does "
                           f"not know (it knows up to {HEAD})", path=path,
                           hint="upgrade i18n (pip install -U i18n-workflow), or import it with the version "
                                "that wrote it")
    return data
