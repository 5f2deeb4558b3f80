"""Export and import of the whole tracker (``i18n db export`` / ``import``): the backups."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from i18n.core.forms import from_legacy
from i18n.tracker.migrations import HEAD, REVISIONS
from i18n.tracker.models import (
    ApprovalRow,
    ArticleRow,
    AssignmentRow,
    Base,
    CatalogRow,
    EntryRow,
    EntryStateRow,
    FileRow,
    FolderRow,
    HistoryRow,
    MachineDraftRow,
    PublicationRow,
)

#: Tables in dependency order; the file index is a cache and is not exported. Machine drafts, the publication
#: log and assignments are only in the tracker too (the drafts were paid for): a backup carries them.
_EXPORTED: tuple[type[Base], ...] = (ArticleRow, EntryRow, EntryStateRow, ApprovalRow, HistoryRow, CatalogRow,
                                     MachineDraftRow, PublicationRow, AssignmentRow)


#: The schema revision since which approved translations are stored by :func:`i18n.core.forms.encode_forms`.
_FORMS_REVISION = "0004"


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):  # states and reasons: their stored value
        return value.value
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
