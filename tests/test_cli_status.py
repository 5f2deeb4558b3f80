"""``i18n status``, ``i18n log`` and ``i18n db`` on the command line: exit codes, streams, JSON shapes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from i18n.cli.commands import Context, cli, db, log_command, main, status_command
from i18n.core.workspace import Workspace
from i18n.tracker.snapshot import embedded_path
from tests.tracker_support import GUT, catalog_path, edit_catalog, sqlite_only, synced, translate_all, write_bytes

STATES = ["untranslated", "machine", "needs-work", "translated", "approved"]


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


Run = Callable[..., Result]


@pytest.fixture
def workspace(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    sqlite_only(monkeypatch)
    monkeypatch.setenv("I18N_USER", "coordinator")
    return synced(workspace_dir)


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> Run:
    """``i18n -C WORKSPACE ARGS`` in-process through :func:`main`, checking the exit code.

    The tracker's commands are added to the group for the test if it does not list them yet (they join it
    for good once workflow.md documents them).
    """
    for command in (status_command, log_command, db):
        if command.name not in cli.commands:
            monkeypatch.setitem(cli.commands, str(command.name), command)

    def invoke(*args: str, exit_code: int = 0) -> Result:
        with pytest.raises(SystemExit) as exited:
            main(["-C", str(workspace.root), *args])
        out, err = capsys.readouterr()
        result = Result(int(exited.value.code or 0), out, err)
        assert result.code == exit_code, result
        return result

    return invoke


def test_status_json_shape(run: Run) -> None:
    data = json.loads(run("status", "--json").stdout)
    assert [lang["language"] for lang in data["languages"]] == ["ca", "es"]
    for lang in data["languages"]:
        assert list(lang["entries"]) == STATES and list(lang["words"]) == STATES
        assert set(lang["articles"]) == {"total", "approved", "published"}
        assert lang["articles"]["total"] == 3
        assert lang["entries"]["untranslated"] == sum(lang["entries"].values()) > 0


def test_status_by_article_json_shape(run: Run, workspace: Workspace) -> None:
    edit_catalog(catalog_path(workspace), translate_all, translator="Anna")
    data = json.loads(run("status", "ca", "--by", "article", "--json").stdout)
    rows = {row["article"]: row for row in data["articles"]}
    row = rows[GUT]
    assert {"article", "date", "language", "state", "entries", "catalog"} <= set(row)
    assert (row["date"], row["language"], row["state"]) == ("2026-11-14", "ca", "translated")
    assert row["catalog"] == f"locales/ca/articles/2026/{GUT}.po"
    assert list(row["entries"]) == STATES
    assert {r["language"] for r in data["articles"]} == {"ca"}


def test_status_csv_and_text(run: Run) -> None:
    rows = list(csv.DictReader(io.StringIO(run("status", "--csv").stdout)))
    assert [r["language"] for r in rows] == ["ca", "es"] and int(rows[0]["untranslated"]) > 0
    text = run("status").stdout
    assert "ca: 0% approved" in text
    assert run("status", "--by", "translator", "--json").stdout.strip().startswith("{")
    due = json.loads(run("status", "--due", "3650", "--json").stdout)
    assert {"today", "days", "due", "overdue"} <= set(due)


def test_require_approved_exits_3(run: Run) -> None:
    result = run("status", "--require", "approved", "--json", exit_code=3)
    assert json.loads(result.stdout)["languages"]
    assert "not ready" in result.stderr


def test_usage_errors_exit_2(run: Run) -> None:
    assert "--due" in run("status", "--due", "3", "--by", "article", exit_code=2).stderr
    run("status", "--by", "nonsense", exit_code=2)
    assert "not configured" in run("status", "fr", exit_code=1).stderr


def test_broken_catalog_is_reported_with_its_line_and_exit_1(run: Run, workspace: Workspace) -> None:
    path = catalog_path(workspace)
    write_bytes(path, path.read_bytes() + b'\nmsgid "dangling\n')
    result = run("status", "--json", exit_code=1)
    assert json.loads(result.stdout)["reconciled"]["errors"][0]["file"].endswith(f"{GUT}.po")
    assert f"{GUT}.po:" in result.stderr
    assert "Traceback" not in result.stderr


def test_rebuilt_tracker_says_what_was_lost(run: Run, workspace: Workspace) -> None:
    first = run("status")
    assert "created the status tracker" in first.stderr and "lost" not in first.stderr
    assert run("status").stderr == ""
    embedded_path(workspace).unlink()
    result = run("status", "--json")
    assert "approvals and history from before are lost" in result.stderr
    assert json.loads(result.stdout)["reconciled"]["rebuilt"] is True
    assert run("status").stderr == ""


def _invoke(command: click.Command, workspace: Workspace, *args: str) -> click.testing.Result:
    return CliRunner().invoke(command, list(args), obj=Context(workspace.root, 0), standalone_mode=False)


def test_log_json(run: Run, workspace: Workspace) -> None:
    run("status")
    edit_catalog(catalog_path(workspace), translate_all, translator="Anna")
    result = _invoke(log_command, workspace, GUT, "--lang", "ca", "--json")
    assert result.exception is None, result.exception
    data = json.loads(result.stdout)
    assert data["article"] == GUT and data["language"] == "ca"
    edits = [h for h in data["history"] if h["reason"] == "edit"]
    assert edits and {(h["actor"], h["before"], h["after"]) for h in edits} == {("Anna", "untranslated", "translated")}
    assert {"at", "entry", "actor", "reason", "before", "after", "language"} <= set(edits[0])
    missing = _invoke(log_command, workspace, "no-such-article")
    assert "knows no article" in str(missing.exception)


def test_db_export_import_upgrade(run: Run, workspace: Workspace, tmp_path: Path) -> None:
    run("status")
    backup = tmp_path / "backup.json"
    assert _invoke(db, workspace, "export", str(backup)).exception is None
    assert json.loads(backup.read_text())["format"] == "i18n-tracker"
    assert "not empty" in str(_invoke(db, workspace, "import", str(backup)).exception)
    assert _invoke(db, workspace, "import", str(backup), "--replace").exception is None
    upgraded = _invoke(db, workspace, "upgrade")
    assert upgraded.exception is None and "up to date" in upgraded.stdout
