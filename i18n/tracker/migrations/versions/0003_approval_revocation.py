"""Approval revocation: a reviewer's rejection revokes the approvals of the text it sends back.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21

``approvals.revoked_at`` and ``approvals.revoked_by`` are ``NULL`` while an approval stands. A revoked
approval stays on record (who approved what, and who revoked it, when) but no longer makes its text
``approved``, is not served by the publishing gate and is not used by the translation memory.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("approvals", sa.Column("revoked_at", sa.DateTime(), nullable=True))
    op.add_column("approvals", sa.Column("revoked_by", sa.String(200), nullable=True))


def downgrade() -> None:
    # SQLite drops columns by copying the table (batch mode).
    with op.batch_alter_table("approvals") as batch:
        batch.drop_column("revoked_by")
        batch.drop_column("revoked_at")
