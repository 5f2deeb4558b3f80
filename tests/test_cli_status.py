"""``i18n status``, ``i18n log`` and ``i18n db`` on the command line: exit codes, streams, JSON shapes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from i18n.core.workspace import Workspace
from i18n.tracker.snapshot import embedded_path
from tests.conftest import Run
from tests.tracker_support import GUT, catalog_path, edit_catalog, synced, translate_all, write_bytes

STATES = ["untranslated", "machine", "needs-work", "translated", "approved"]


# Every command here reads or writes the tracker: each test runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture(autouse=True)
def workspace(workspace_dir: Path, run: Run) -> Workspace:
    """Every test's workspace, after ``i18n sync`` (``run`` first: it chooses the tracker)."""
    return synced(workspace_dir)


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


@pytest.mark.backends("sqlite")  # the embedded file, deleted
def test_rebuilt_tracker_says_what_was_lost(run: Run, workspace: Workspace) -> None:
    first = run("status")
    assert "created the status tracker" in first.stderr and "lost" not in first.stderr
    assert run("status").stderr == ""
    embedded_path(workspace).unlink()
    result = run("status", "--json")
    assert "approvals and history from before are lost" in result.stderr
    assert json.loads(result.stdout)["reconciled"]["rebuilt"] is True
    assert run("status").stderr == ""


def test_log_json(run: Run, workspace: Workspace) -> None:
    run("status")
    edit_catalog(catalog_path(workspace), translate_all, translator="Anna")
    data = json.loads(run("log", GUT, "--lang", "ca", "--json").stdout)
    assert data["article"] == GUT and data["language"] == "ca"
    edits = [h for h in data["history"] if h["reason"] == "edit"]
    assert edits and {(h["actor"], h["before"], h["after"]) for h in edits} == {("Anna", "untranslated", "translated")}
    assert {"at", "entry", "actor", "reason", "before", "after", "language"} <= set(edits[0])
    missing = run("log", "no-such-article", exit_code=1)
    assert "knows no article" in missing.stderr


def test_db_export_import_upgrade(run: Run, workspace: Workspace, tmp_path: Path) -> None:
    run("status")
    backup = tmp_path / "backup.json"
    run("db", "export", str(backup))
    assert json.loads(backup.read_text())["format"] == "i18n-tracker"
    assert "not empty" in run("db", "import", str(backup), exit_code=1).stderr
    run("db", "import", str(backup), "--replace")
    upgraded = run("db", "upgrade")
    assert "up to date" in upgraded.stdout
