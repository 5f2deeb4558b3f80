"""The tracker: schema and migrations on both databases, BEGIN IMMEDIATE, approvals, export and import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from i18n.catalogs.catalog import Entry
from i18n.core.errors import TrackerError
from i18n.core.forms import text_hash
from i18n.core.states import State
from i18n.core.workspace import Workspace
from i18n.tracker.engine import Session, _alembic_config, create_engine, open_tracker, schema_revision, upgrade_schema
from i18n.tracker.migrations import HEAD
from i18n.tracker.models import ApprovalRow, Base
from i18n.tracker.queries.dashboard import Assignment, save_assignment
from i18n.tracker.queries.drafts import approved_translations, save_drafts
from i18n.tracker.queries.publishing import PublicationRecord, gate_approvals, publications, record_publications
from i18n.tracker.queries.recording import approvals as tracked_approvals
from i18n.tracker.queries.recording import article_entries, catalog_states, file_stamps
from i18n.tracker.queries.review import history, record_approval, record_rejection
from i18n.workflow import database
from i18n.workflow.reconcile import reconcile
from tests.tracker_support import GUT, catalog_path, edit_catalog, postgres_schema, sqlite_only, synced


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A tracker URL: an embedded SQLite file, or a fresh schema on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
    else:
        yield from postgres_schema()


def test_migrations_build_exactly_the_models(url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    opened = open_tracker(url, upgrade=True)
    try:
        assert schema_revision(opened.engine) == HEAD
        with opened.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    finally:
        opened.close()


def test_embedded_tracker_is_created_a_server_must_be_upgraded(url: str) -> None:
    if url.startswith("sqlite"):
        opened = open_tracker(url)
        assert opened.created
        opened.close()
        assert not open_tracker(url).created
        return
    with pytest.raises(TrackerError, match="has no schema yet") as failure:
        open_tracker(url)
    assert failure.value.hint is not None and "i18n db upgrade" in failure.value.hint
    engine = create_engine(url)
    assert upgrade_schema(engine) == (None, HEAD)
    assert upgrade_schema(engine) == (HEAD, HEAD)
    engine.dispose()
    open_tracker(url).close()


def test_schema_newer_than_the_code_is_a_clear_error(url: str) -> None:
    open_tracker(url, upgrade=True).close()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(TrackerError, match="newer than this version of i18n") as failure:
        open_tracker(url)
    assert failure.value.hint is not None and "upgrade i18n" in failure.value.hint


def test_unreachable_server_is_an_error_not_a_traceback() -> None:
    with pytest.raises(TrackerError, match="cannot reach the status tracker") as failure:
        open_tracker("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert failure.value.hint is not None and "I18N_DATABASE_URL" in failure.value.hint


def test_sqlite_write_transactions_begin_immediate(tmp_path: Path) -> None:
    opened = open_tracker(f"sqlite:///{tmp_path / 't.sqlite3'}")
    statements: list[str] = []
    sa.event.listen(opened.engine, "before_cursor_execute",
                    lambda conn, cursor, statement, *rest: statements.append(statement))
    with opened.transaction() as session:
        file_stamps(session, "local")
    assert statements[0] == "BEGIN IMMEDIATE"
    with opened.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    opened.close()


def test_sqlite_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    """With BEGIN IMMEDIATE a second writer cannot even start while the first holds the write lock."""
    import sqlite3

    url = f"sqlite:///{tmp_path / 't.sqlite3'}"
    opened = open_tracker(url)
    with opened.transaction() as session:
        file_stamps(session, "local")
        other = sqlite3.connect(tmp_path / "t.sqlite3", timeout=0.1, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    opened.close()


def _workspace(workspace_dir: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    sqlite_only(monkeypatch)
    if not url.startswith("sqlite"):
        monkeypatch.setenv("I18N_DATABASE_URL", url)
    workspace = synced(workspace_dir)
    if not url.startswith("sqlite"):
        database.upgrade(workspace)
    return workspace


def test_approval_binds_to_exact_text_and_stays_on_record(
        workspace_dir: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = _workspace(workspace_dir, url, monkeypatch)
    path = catalog_path(workspace)
    edit_catalog(path, lambda e: _retitle(e, "Sensacions viscerals"), translator="Anna Puig <anna@example.org>")
    reconcile(workspace)
    opened = open_tracker(_url(workspace))
    try:
        with opened.transaction() as session:
            state = record_approval(session, article=GUT, language="ca", key="title",
                                            source="Gut Feelings", translation=("Sensacions viscerals",),
                                            reviewer="Berta")
        assert state is State.APPROVED
        with opened.transaction() as session:
            wrong = record_approval(session, article=GUT, language="ca", key="title",
                                            source="Gut Feelings", translation=("Something else",),
                                            reviewer="Berta")
        assert wrong is State.APPROVED  # an approval of other text changes nothing
    finally:
        opened.close()

    edit_catalog(path, lambda e: _retitle(e, "Intuïcions"), translator="Carles")
    reconcile(workspace)
    opened = open_tracker(_url(workspace))
    try:
        with opened.transaction() as session:
            states = catalog_states(session, GUT, "ca")
            assert states["title"].state is State.TRANSLATED
            approvals = session.execute(sa.select(ApprovalRow.translation)).scalars().all()
            assert "Sensacions viscerals" in approvals  # the approved text stays on record
            log = history(session, GUT, "ca")
            title = [(r.before, r.after, r.reason, r.actor) for r in log if r.key == "title"]
            assert title[-2:] == [(State.TRANSLATED, State.APPROVED, "approve", "Berta"),
                                  (State.APPROVED, State.TRANSLATED, "edit", "Carles")]
    finally:
        opened.close()

    # Back to the approved text: approved again (the approval binds to the text, not to a moment).
    edit_catalog(path, lambda e: _retitle(e, "Sensacions viscerals"), translator="Carles")
    reconcile(workspace)
    opened = open_tracker(_url(workspace))
    try:
        with opened.transaction() as session:
            assert catalog_states(session, GUT, "ca")["title"].state is State.APPROVED
    finally:
        opened.close()


def _url(workspace: Workspace) -> str:
    from i18n.tracker.snapshot import database_url

    return database_url(workspace)


def _retitle(entry: Entry, text: str) -> Entry:
    return replace(entry, msgstr=text) if entry.msgctxt == "title" else entry


def test_export_import_round_trip(workspace_dir: Path, url: str, monkeypatch: pytest.MonkeyPatch,
                                  tmp_path: Path) -> None:
    workspace = _workspace(workspace_dir, url, monkeypatch)
    edit_catalog(catalog_path(workspace), lambda e: _retitle(e, "Sensacions"), translator="Anna")
    reconcile(workspace)
    opened = open_tracker(_url(workspace))
    with opened.transaction() as session:
        record_approval(session, article=GUT, language="ca", key="title", source="Gut Feelings",
                                translation=("Sensacions",), reviewer="Berta")
    opened.close()
    backup = tmp_path / "backup.json"
    exported = database.export_tracker(workspace)
    database.save_export(exported, backup)
    with pytest.raises(TrackerError, match="not empty"):
        database.import_tracker(workspace, backup)
    report = database.import_tracker(workspace, backup, replace=True)
    assert dict(report.rows)["approvals"] == 1
    again = database.export_tracker(workspace)
    assert again["tables"] == exported["tables"]
    # Imported ids do not collide with new rows.
    opened = open_tracker(_url(workspace))
    with opened.transaction() as session:
        record_approval(session, article=GUT, language="ca", key="title", source="Gut Feelings",
                                translation=("Sensacions",), reviewer="Dana")
    opened.close()


def test_export_import_carries_drafts_publications_and_assignments(
        workspace_dir: Path, url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """What only the tracker knows besides states (schema 0002) survives a backup and a restore."""
    workspace = _workspace(workspace_dir, url, monkeypatch)
    at = dt.datetime(2026, 11, 21, 8, 0)
    opened = open_tracker(_url(workspace))
    with opened.transaction() as session:
        save_drafts(session, "apertium eng-cat", "en", "ca", {"Gut Feelings": "Sentiments intestinals"}, at)
        record_publications(session, [PublicationRecord(at, "site", GUT, "ca", "published", "v1",
                                                                        "Berta")])
        save_assignment(session, Assignment(GUT, "ca", "Anna", "Berta", None, "Carles", at))
    opened.close()
    backup = tmp_path / "backup.json"
    exported = database.export_tracker(workspace)
    assert [len(exported["tables"][name]) for name in ("machine_drafts", "publications", "assignments")] == [1, 1, 1]
    database.save_export(exported, backup)
    database.import_tracker(workspace, backup, replace=True)
    assert database.export_tracker(workspace)["tables"] == exported["tables"]
    opened = open_tracker(_url(workspace))
    try:
        with opened.transaction() as session:
            # An imported publication id does not collide with the next one.
            record_publications(session, [PublicationRecord(at, "site", GUT, "ca", "withdrawn", "",
                                                                            "Berta")])
            assert [p.action for p in publications(session, GUT)] == ["published", "withdrawn"]
    finally:
        opened.close()


def test_import_rejects_what_is_not_an_export(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    sqlite_only(monkeypatch)
    workspace = synced(workspace_dir)
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}')
    with pytest.raises(TrackerError, match="not an i18n tracker export"):
        database.import_tracker(workspace, bad)
    with pytest.raises(TrackerError, match="no such file"):
        database.import_tracker(workspace, tmp_path / "missing.json")


def _approve_title(session: Session, text: str, reviewer: str = "Berta") -> State:
    return record_approval(session, article=GUT, language="ca", key="title", source="Gut Feelings",
                                   translation=(text,), reviewer=reviewer)


def test_a_rejection_revokes_the_approvals_of_the_text_it_sends_back(
        workspace_dir: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = _workspace(workspace_dir, url, monkeypatch)
    path = catalog_path(workspace)
    edit_catalog(path, lambda e: _retitle(e, "Sensacions"), translator="Anna")
    reconcile(workspace)
    opened = open_tracker(_url(workspace))
    try:
        with opened.transaction() as session:
            _approve_title(session, "Sensacions")
        edit_catalog(path, lambda e: _retitle(e, "Sensacions viscerals"), translator="Anna")
        reconcile(workspace)
        with opened.transaction() as session:
            assert _approve_title(session, "Sensacions viscerals") is State.APPROVED
            title = article_entries(session, GUT)["title"]
            assert record_rejection(session, article=GUT, language="ca", key="title",
                                            translation=("Sensacions viscerals",), reviewer="Dana") is State.NEEDS_WORK
        with opened.transaction() as session:
            found = session.scalars(sa.select(ApprovalRow))
            rows = {r.translation: (r.revoked_by, r.revoked_at) for r in found}
            standing = [a.forms for a in tracked_approvals(session, GUT, "ca")[title.id]]
            served = [a.forms for a in gate_approvals(session, "ca", [GUT])[(GUT, "title")]]
            memory = approved_translations(session, "ca")["Gut Feelings"].translation
    finally:
        opened.close()
    # Only the approval of the text sent back is revoked, and it stays on record with who and when.
    assert rows["Sensacions"] == (None, None)
    assert rows["Sensacions viscerals"][0] == "Dana" and rows["Sensacions viscerals"][1] is not None
    assert standing == served == [("Sensacions",)] and memory == "Sensacions"

    # As ``i18n reject`` leaves it (fuzzy), then the translator clears fuzzy without changing the text.
    edit_catalog(path, lambda e: e.with_flag("fuzzy", True) if e.msgctxt == "title" else e, translator="Anna")
    reconcile(workspace)
    edit_catalog(path, lambda e: e.with_flag("fuzzy", False) if e.msgctxt == "title" else e, translator="Anna")
    reconcile(workspace)
    opened = open_tracker(_url(workspace))
    try:
        with opened.transaction() as session:
            assert catalog_states(session, GUT, "ca")["title"].state is State.TRANSLATED
            # Approved again later, the same text counts as any approval.
            assert _approve_title(session, "Sensacions viscerals") is State.APPROVED
            assert approved_translations(session, "ca")["Gut Feelings"].translation == "Sensacions viscerals"
    finally:
        opened.close()


def test_export_import_carries_revocations(workspace_dir: Path, url: str, monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    workspace = _workspace(workspace_dir, url, monkeypatch)
    edit_catalog(catalog_path(workspace), lambda e: _retitle(e, "Sensacions"), translator="Anna")
    reconcile(workspace)
    opened = open_tracker(_url(workspace))
    with opened.transaction() as session:
        _approve_title(session, "Sensacions")
        record_rejection(session, article=GUT, language="ca", key="title", translation=("Sensacions",),
                                 reviewer="Dana")
    opened.close()
    backup = tmp_path / "backup.json"
    exported = database.export_tracker(workspace)
    (row,) = exported["tables"]["approvals"]
    assert row["revoked_by"] == "Dana" and row["revoked_at"] is not None
    database.save_export(exported, backup)
    database.import_tracker(workspace, backup, replace=True)
    assert database.export_tracker(workspace)["tables"]["approvals"] == [row]
    opened = open_tracker(_url(workspace))
    try:
        with opened.transaction() as session:
            assert tracked_approvals(session, GUT, "ca") == {}
    finally:
        opened.close()


def _insert_one_entry(connection: sa.Connection) -> None:
    """Article ``a`` with entry 1 (``title``, source ``Hi``), written with plain SQL at an older schema."""
    connection.execute(sa.text("INSERT INTO articles (id, source_path, source_hash, removed, entries, words) "
                               "VALUES ('a', '', '', :no, 1, 1)"), {"no": False})
    connection.execute(sa.text("INSERT INTO entries (id, article_id, key, source, source_hash, words, "
                               "position, removed) VALUES (1, 'a', 'title', 'Hi', 'h', 1, 0, :no)"), {"no": False})


def test_upgrading_to_0003_keeps_every_approval_standing(url: str) -> None:
    """A tracker at schema 0002 with approvals upgrades in place: the approvals stay, none is revoked."""
    from alembic import command

    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "0002")
        with engine.begin() as connection:
            _insert_one_entry(connection)
            connection.execute(sa.text(
                "INSERT INTO approvals (entry_id, language, source, translation, source_hash, translation_hash, "
                "approved_by, approved_at) VALUES (1, 'ca', 'Hi', 'Hola', 'h', 't', 'Berta', :at)"),
                {"at": dt.datetime(2026, 11, 21, 8, 0)})
        assert upgrade_schema(engine) == ("0002", HEAD)
        with engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT translation, approved_by, revoked_at, revoked_by FROM approvals")).all()
        assert [tuple(r) for r in rows] == [("Hola", "Berta", None, None)]
    finally:
        engine.dispose()


def test_upgrading_to_0004_stores_plural_forms_portably(url: str) -> None:
    """Approvals of schema 0003 (plural forms joined by NUL, on SQLite) are rewritten; their hashes still hold."""
    from alembic import command

    from i18n.core.forms import forms_hash

    plural = ("%(num)d imatge", "%(num)d imatges")
    rows = {1: "Hola", 2: "[sic] Hola"}  # a singular text that looks like a JSON array is stored as one
    if url.startswith("sqlite"):
        rows[3] = "\x00".join(plural)  # PostgreSQL never held these: that was the bug
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "0003")
        with engine.begin() as connection:
            _insert_one_entry(connection)
            for row_id, text in rows.items():
                connection.execute(sa.text(
                    "INSERT INTO approvals (id, entry_id, language, source, translation, source_hash, "
                    "translation_hash, approved_by, approved_at) "
                    "VALUES (:id, 1, 'ca', 'Hi', :text, 'h', :digest, 'Berta', :at)"),
                    {"id": row_id, "text": text, "digest": text_hash(text),
                     "at": dt.datetime(2026, 11, 21, 8, 0)})
        assert upgrade_schema(engine) == ("0003", HEAD)
        with engine.connect() as connection:
            stored = {i: t for i, t in connection.execute(sa.text("SELECT id, translation FROM approvals"))}
            digests = {i: d for i, d in connection.execute(sa.text("SELECT id, translation_hash FROM approvals"))}
        expected = {1: "Hola", 2: '["[sic] Hola"]'}
        if url.startswith("sqlite"):
            expected[3] = '["%(num)d imatge", "%(num)d imatges"]'
        assert stored == expected
        with sa.orm.Session(engine) as session:
            found = tracked_approvals(session, "a", "ca")[1]
        wanted = [("Hola",), ("[sic] Hola",), plural][:len(rows)]
        assert [a.forms for a in found] == wanted
        # The hashes on record (and so the states and history bound to them) still match the forms.
        assert [a.translation_hash for a in found] == [digests[i] for i in sorted(rows)]
        assert forms_hash(plural) == text_hash("\x00".join(plural))
        if url.startswith("sqlite"):
            with engine.begin() as connection:
                command.downgrade(_alembic_config(connection), "0003")
                back = {i: t for i, t in connection.execute(sa.text("SELECT id, translation FROM approvals"))}
            assert back == rows
    finally:
        engine.dispose()

