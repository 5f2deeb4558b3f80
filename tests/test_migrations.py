"""The tracker's migrations run by the ``alembic`` command itself, and match the models, on both backends."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from i18n.cli.commands import main
from i18n.tracker.migrations import HEAD, REVISIONS
from tests.tracker_support import postgres_schema

REPO = Path(__file__).resolve().parent.parent
ALEMBIC = Path(sys.executable).with_name("alembic")


def alembic(*args: str, url: str | None, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """``alembic ARGS`` as a user runs it (configured by the repository's pyproject.toml)."""
    env = {k: v for k, v in os.environ.items() if k != "I18N_DATABASE_URL"}
    if url is not None:
        env["I18N_DATABASE_URL"] = url
    command = [str(ALEMBIC), *(() if cwd == REPO else ("-c", str(REPO / "pyproject.toml"))), *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(params=["sqlite", "postgresql"])
def two_databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases of one backend: SQLite files, or two fresh PostgreSQL schemas."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite:///{tmp_path / 'b.sqlite3'}"
        return
    with contextlib.ExitStack() as stack:
        first = stack.enter_context(contextlib.contextmanager(postgres_schema)())
        second = stack.enter_context(contextlib.contextmanager(postgres_schema)())
        yield first, second


def schema(url: str) -> dict[str, Any]:
    """Everything about the tables that a migration could get wrong, compared across two databases."""
    engine = sa.create_engine(url)
    try:
        inspector = sa.inspect(engine)
        tables: dict[str, Any] = {}
        for table in sorted(inspector.get_table_names()):
            tables[table] = {
                "columns": [(c["name"], str(c["type"]), c["nullable"], c.get("default"))
                            for c in inspector.get_columns(table)],
                "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
                "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                                  for i in inspector.get_indexes(table)),
                "unique": sorted((u["name"], tuple(u["column_names"]))
                                 for u in inspector.get_unique_constraints(table)),
                "foreign keys": sorted((tuple(f["constrained_columns"]), f["referred_table"],
                                        tuple(f["referred_columns"]), f["options"].get("ondelete"))
                                       for f in inspector.get_foreign_keys(table)),
            }
        with engine.connect() as connection:
            tables["alembic_version"]["rows"] = connection.execute(
                sa.text("SELECT version_num FROM alembic_version")).scalars().all()
        return tables
    finally:
        engine.dispose()


def i18n_db_upgrade(workspace_dir: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("I18N_DATABASE_URL", url)
    with pytest.raises(SystemExit) as exited:
        main(["-C", str(workspace_dir), "db", "upgrade"])
    assert exited.value.code in (0, None)


@pytest.mark.slow
def test_alembic_upgrade_head_makes_i18n_db_upgrades_schema_and_autogenerate_finds_no_difference(
        two_databases: tuple[str, str], workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``alembic upgrade head`` on an empty database gives what ``i18n db upgrade`` gives; then ``alembic
    check`` (autogenerate's comparison) finds nothing in the models that the migrations did not make."""
    by_alembic, by_i18n = two_databases
    done = alembic("upgrade", "head", url=by_alembic)
    assert done.returncode == 0, done.stderr
    i18n_db_upgrade(workspace_dir, by_i18n, monkeypatch)
    made = schema(by_alembic)
    assert {"articles", "entries", "entry_states", "approvals", "history"} <= set(made)
    assert made["alembic_version"]["rows"] == [HEAD]
    assert made == schema(by_i18n)
    done = alembic("check", url=by_alembic)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No new upgrade operations detected" in done.stdout + done.stderr


@pytest.mark.slow
def test_alembic_finds_the_workspace_tracker_without_a_url(workspace_dir: Path) -> None:
    """Run in a workspace, with no I18N_DATABASE_URL: its embedded ``.i18n/tracker.sqlite3``."""
    done = alembic("upgrade", "head", url=None, cwd=workspace_dir)
    assert done.returncode == 0, done.stderr
    tracker = workspace_dir / ".i18n" / "tracker.sqlite3"
    assert schema(f"sqlite:///{tracker}")["alembic_version"]["rows"] == [HEAD]


def test_autogenerate_sees_a_model_the_migrations_lack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       workspace_dir: Path) -> None:
    """The comparison the check above relies on is live: a column the migrations never made is reported."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from i18n.tracker.models import Base

    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    i18n_db_upgrade(workspace_dir, url, monkeypatch)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert compare_metadata(context, Base.metadata) == []
            metadata = sa.MetaData()
            for table in Base.metadata.sorted_tables:
                table.to_metadata(metadata)
            sa.Table("approvals", metadata, sa.Column("extra", sa.Integer()), extend_existing=True)
            diff = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert [(d[0], d[3].name) for d in diff] == [("add_column", "extra")]


def test_the_known_revisions_are_alembics_chain() -> None:
    """REVISIONS is read from the files without Alembic (start-up time): it must be what Alembic reads."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config(toml_file=str(REPO / "pyproject.toml"))
    script = ScriptDirectory.from_config(config)
    chain = tuple(reversed([revision.revision for revision in script.walk_revisions()]))
    assert chain == REVISIONS
    assert script.get_heads() == [HEAD]
