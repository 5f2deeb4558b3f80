"""Alembic environment: runs on the connection :func:`i18n.tracker.db.upgrade` hands over (never an ini URL)."""

from __future__ import annotations

from alembic import context

from i18n.tracker.models import Base


def run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


run()
