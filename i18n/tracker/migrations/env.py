"""Alembic environment: migrates the tracker, called from i18n or from the ``alembic`` command.

From i18n (:func:`i18n.tracker.engine.upgrade_schema`), the migrations run on the connection it hands over in
``config.attributes["connection"]``, inside its transaction. From the ``alembic`` command (configured by
``[tool.alembic]`` in pyproject.toml; run it in the repository or with ``-c path/to/pyproject.toml``), the
database is the one i18n would use: ``sqlalchemy.url`` when a caller set it, else ``I18N_DATABASE_URL``,
else the current workspace's ``database_url`` or its embedded ``.i18n/tracker.sqlite3``.
``target_metadata`` is the models' metadata, so ``alembic check`` and ``alembic revision --autogenerate``
compare the models with the migrations.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from alembic import context

from i18n.core.errors import I18nError
from i18n.core.workspace import Workspace
from i18n.tracker.engine import create_engine
from i18n.tracker.models import Base
from i18n.tracker.snapshot import database_url as workspace_database_url


def configure(connection: sa.Connection) -> None:
    """Point Alembic at ``connection``; SQLite alters tables by copying them (batch mode)."""
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_server_default=True)


def database_url() -> str:
    """The URL the ``alembic`` command migrates (see the module docstring)."""
    config = context.config
    # get_section, not get_main_option: the latter fails when there is no alembic.ini (pyproject.toml only).
    url = config.get_section(config.config_ini_section, {}).get("sqlalchemy.url") or os.environ.get("I18N_DATABASE_URL")
    if url:
        return url

    try:
        return workspace_database_url(Workspace.open(Path.cwd()))
    except I18nError as exc:  # no workspace here: say so, not a traceback
        raise SystemExit(f"alembic: {exc}\nset I18N_DATABASE_URL, or run alembic in a workspace "
                         f"(with -c PATH/TO/i18n/pyproject.toml)") from None


def run() -> None:
    """Run the migrations Alembic asked for, online (offline SQL scripts are not supported)."""
    if context.is_offline_mode():
        raise SystemExit("i18n's migrations run against a database: drop --sql")
    connection = context.config.attributes.get("connection")
    if connection is not None:  # from i18n: its connection, its transaction
        configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = database_url()
    if url.startswith("sqlite:///"):  # as i18n does: the embedded file's folder is made on first use
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            configure(connection)
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
    finally:
        engine.dispose()


run()
