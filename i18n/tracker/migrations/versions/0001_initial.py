"""The initial tracker schema: articles, entries, states, approvals, history, catalogs, file index.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("source_path", sa.String(500), nullable=False),
        sa.Column("source_hash", sa.String(40), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
    )
    op.create_table(
        "entries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(200), sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("msgctxt", sa.String(200), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_hash", sa.String(40), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("article_id", "key", name="uq_entries_article_key"),
    )
    op.create_index("ix_entries_article_id", "entries", ["article_id"])
    op.create_table(
        "entry_states",
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("entries.id"), primary_key=True),
        sa.Column("language", sa.String(32), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("translation_hash", sa.String(40), nullable=True),
        sa.Column("source_hash", sa.String(40), nullable=False),
        sa.Column("origin", sa.String(64), nullable=False),
        sa.Column("changed_by", sa.String(200), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("previous_source", sa.Text(), nullable=True),
    )
    op.create_table(
        "approvals",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("entries.id"), nullable=False),
        sa.Column("language", sa.String(32), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("translation", sa.Text(), nullable=False),
        sa.Column("source_hash", sa.String(40), nullable=False),
        sa.Column("translation_hash", sa.String(40), nullable=False),
        sa.Column("approved_by", sa.String(200), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_approvals_entry_language", "approvals", ["entry_id", "language"])
    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("entries.id"), nullable=False),
        sa.Column("language", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("before", sa.String(16), nullable=True),
        sa.Column("after", sa.String(16), nullable=False),
        sa.Column("translation_hash", sa.String(40), nullable=True),
    )
    op.create_index("ix_history_entry_language", "history", ["entry_id", "language"])
    op.create_index("ix_history_actor_at", "history", ["actor", "at"])
    op.create_table(
        "catalogs",
        sa.Column("article_id", sa.String(200), sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("language", sa.String(32), primary_key=True),
        sa.Column("path", sa.String(500), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        *(sa.Column(f"{prefix}_{state}", sa.Integer(), nullable=False)
          for prefix in ("n", "w") for state in ("untranslated", "machine", "needs_work", "translated", "approved")),
    )
    op.create_table(
        "files",
        sa.Column("clone", sa.String(64), primary_key=True),
        sa.Column("path", sa.String(500), primary_key=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("digest", sa.String(40), nullable=False),
    )
    op.create_table(
        "folders",
        sa.Column("clone", sa.String(64), primary_key=True),
        sa.Column("path", sa.String(500), primary_key=True),
        sa.Column("digest", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    for table in ("folders", "files", "catalogs", "history", "approvals", "entry_states", "entries", "articles"):
        op.drop_table(table)
