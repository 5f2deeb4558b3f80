"""The machine-draft cache, the publication log and assignments.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "machine_drafts",
        sa.Column("engine", sa.String(100), primary_key=True),
        sa.Column("source_language", sa.String(32), primary_key=True),
        sa.Column("target_language", sa.String(32), primary_key=True),
        sa.Column("source_hash", sa.String(40), primary_key=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("draft", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "publications",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("mirror", sa.String(100), nullable=False),
        sa.Column("article_id", sa.String(200), nullable=False),
        sa.Column("language", sa.String(32), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_publications_mirror_article", "publications", ["mirror", "article_id"])
    op.create_table(
        "assignments",
        sa.Column("article_id", sa.String(200), primary_key=True),
        sa.Column("language", sa.String(32), primary_key=True),
        sa.Column("translator", sa.String(200), nullable=True),
        sa.Column("reviewer", sa.String(200), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("assigned_by", sa.String(200), nullable=False),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("assignments")
    op.drop_index("ix_publications_mirror_article", table_name="publications")
    op.drop_table("publications")
    op.drop_table("machine_drafts")
