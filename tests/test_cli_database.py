"""``i18n db`` and the tracker on a server through the command line: plural translations, backups moved
from the embedded SQLite file to PostgreSQL, and database failures as one-line errors (never a traceback)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from i18n.catalogs.pofile import read_catalog
from tests.conftest import REPO, Result, Run
from tests.tracker_support import postgres_schema, write_bytes

UI_PO = "locales/ca/LC_MESSAGES/messages.po"
REVIEWER = "Jordi Vidal"


@pytest.fixture
def server() -> Iterator[str]:
    """A fresh, empty schema on the test PostgreSQL server (skips when there is none)."""
    yield from postgres_schema()


def use_ui_catalog(run: Run, workspace_dir: Path) -> set[str]:
    """The sample's Catalan UI catalog in place (it has plural entries); the keys of its plural entries."""
    run("sync", "-q")
    path = workspace_dir / UI_PO
    write_bytes(path, (REPO / UI_PO).read_bytes())
    plural = {e.key for e in read_catalog(path).active_entries if e.msgid_plural is not None}
    assert plural, "the UI catalog needs a plural entry"
    return plural


def approve_ui(run: Run, plural: set[str]) -> None:
    """``i18n approve ca @ui``: every entry approved, the plural ones too."""
    data = json.loads(run("approve", "ca", "@ui", "--reviewer", REVIEWER, "--json").stdout)
    assert data["refused"] == [] and {a["article"] for a in data["approved"]} == {"@ui"}
    assert {a["entry"] for a in data["approved"] if a["state"] == "approved"} >= plural


@pytest.mark.slow
def test_approve_ui_catalog_with_plurals_on_postgresql(run: Run, workspace_dir: Path, server: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("I18N_DATABASE_URL", server)
    run("db", "upgrade")
    approve_ui(run, use_ui_catalog(run, workspace_dir))
    view = json.loads(run("review", "ca", "@ui", "--json").stdout)
    assert view["state"] == "approved" and {e["state"] for e in view["entries"]} == {"approved"}
    # On a second look the approvals stand: the plural translations on file are still the ones approved.
    again = json.loads(run("approve", "ca", "@ui", "--reviewer", REVIEWER, "--json").stdout)
    assert again["approved"] == [] and len(again["already_approved"]) == len(view["entries"])


def test_backup_moves_from_sqlite_to_postgresql_unchanged(run: Run, workspace_dir: Path, server: str,
                                                          monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    approve_ui(run, use_ui_catalog(run, workspace_dir))
    backup = tmp_path / "backup.json"
    run("db", "export", str(backup))
    before = json.loads(backup.read_text(encoding="utf-8"))
    assert any(len(json.loads(row["translation"])) >= 2 for row in before["tables"]["approvals"]
               if row["translation"].startswith("["))

    monkeypatch.setenv("I18N_DATABASE_URL", server)
    run("db", "upgrade")
    run("db", "import", str(backup), "--replace")
    after = json.loads(run("db", "export").stdout)
    assert after["tables"] == before["tables"]
    assert after["schema"] == before["schema"]


def test_an_old_backup_with_nul_joined_plurals_imports(run: Run, workspace_dir: Path, server: str,
                                                       monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A backup written before schema 0004 joined plural forms with NUL: the import converts them."""
    approve_ui(run, use_ui_catalog(run, workspace_dir))
    current = json.loads(run("db", "export").stdout)
    old = json.loads(json.dumps(current))
    old["schema"] = "0003"
    for row in old["tables"]["approvals"]:
        if row["translation"].startswith("["):
            row["translation"] = "\x00".join(json.loads(row["translation"]))
    assert any("\x00" in row["translation"] for row in old["tables"]["approvals"])
    backup = tmp_path / "old.json"
    backup.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")

    monkeypatch.setenv("I18N_DATABASE_URL", server)
    run("db", "upgrade")
    run("db", "import", str(backup), "--replace")
    assert json.loads(run("db", "export").stdout)["tables"] == current["tables"]
    # The imported approvals still match the catalog on file: nothing is left to approve.
    assert json.loads(run("approve", "ca", "@ui", "--reviewer", REVIEWER, "--json").stdout)["approved"] == []


def one_line_error(result: Result) -> str:
    """The error line of a failed command: one line, no traceback, nothing on stdout."""
    assert result.code == 1 and result.stdout == "" and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("i18n: error: ")
    return line


@pytest.mark.parametrize("args", [("status", "ca"), ("review", "ca"), ("db", "upgrade"), ("db", "export")])
def test_an_unreachable_database_is_one_line_not_a_traceback(run: Run, monkeypatch: pytest.MonkeyPatch,
                                                             args: tuple[str, ...]) -> None:
    monkeypatch.setenv("I18N_DATABASE_URL", "postgresql+psycopg://postgres:secret@127.0.0.1:1/test?connect_timeout=2")
    line = one_line_error(run(*args, exit_code=1))
    assert "cannot reach the status tracker at postgresql+psycopg://postgres:***@127.0.0.1:1/test" in line
    assert "secret" not in line and "I18N_DATABASE_URL" in line


def test_a_missing_server_schema_is_one_line_not_a_traceback(run: Run, server: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A search_path naming no schema: PostgreSQL refuses to create the tables (a ProgrammingError)."""
    monkeypatch.setenv("I18N_DATABASE_URL", server.replace("search_path%3D", "search_path%3Dnone_such_"))
    line = one_line_error(run("db", "upgrade", exit_code=1))
    assert "the status tracker at postgresql+psycopg://" in line and "refused a query" in line
    assert "search_path" in line and "i18n db upgrade" in line


def test_a_damaged_sqlite_file_is_one_line_not_a_traceback(run: Run, workspace_dir: Path) -> None:
    run("sync", "-q")
    state = workspace_dir / ".i18n"
    state.mkdir(exist_ok=True)
    (state / "tracker.sqlite3").write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    line = one_line_error(run("status", "ca", exit_code=1))
    assert "tracker.sqlite3" in line and "file is not a database" in line and "i18n db import" in line


def test_a_backup_the_database_refuses_is_one_line_not_a_traceback(
        run: Run, server: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A backup whose entries belong to articles it does not hold: the server refuses it (IntegrityError)."""
    monkeypatch.setenv("I18N_DATABASE_URL", server)
    run("db", "upgrade")
    run("sync", "-q")
    run("status", "ca")
    data = json.loads(run("db", "export").stdout)
    assert data["tables"]["articles"] and data["tables"]["entries"]
    data["tables"]["articles"] = []
    backup = tmp_path / "broken.json"
    backup.write_text(json.dumps(data), encoding="utf-8")
    line = one_line_error(run("db", "import", str(backup), "--replace", exit_code=1))
    assert "refused a change" in line and "backup is inconsistent" in line
    # Nothing was half-imported: the tracker holds what it held.
    assert json.loads(run("db", "export").stdout)["tables"]["articles"] != []
