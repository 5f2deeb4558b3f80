"""Portable plural translations: approved plural forms stored as a JSON array, not joined by NUL.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

Schema 0003 and older stored an approved plural translation as its forms joined by NUL, which PostgreSQL's
``text`` cannot hold. From 0004 ``approvals.translation`` holds what
:func:`i18n.core.forms.encode_forms` writes: the text of a singular translation as before, a JSON array of the
forms otherwise (and of a singular text that starts with ``[``, so that each stored text reads one way).
The hashes (``translation_hash`` here, in ``entry_states`` and in ``history``) are of the forms, not of
the stored text, and do not change. No column changes.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

from i18n.core.forms import from_legacy, to_legacy

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_approvals = sa.table("approvals", sa.column("id", sa.Integer()), sa.column("translation", sa.Text()))


def _rewrite(convert: Callable[[str], str]) -> None:
    """Store each approval's translation as ``convert`` returns it (only the rows that change)."""
    connection = op.get_bind()
    changed = []
    for row_id, text in connection.execute(sa.select(_approvals.c.id, _approvals.c.translation)):
        new = convert(text)
        if new != text:
            changed.append({"row_id": row_id, "text": new})
    if changed:
        connection.execute(sa.update(_approvals).where(_approvals.c.id == sa.bindparam("row_id"))
                           .values(translation=sa.bindparam("text")), changed)


def upgrade() -> None:
    _rewrite(from_legacy)


def downgrade() -> None:
    # Back to NUL-joined forms: only SQLite can hold them (that was the bug this revision fixes).
    _rewrite(to_legacy)
