"""``i18n status``, ``i18n log`` and ``i18n db`` on the command line: exit codes, streams, JSON shapes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from i18n.core.workspace import Workspace
from i18n.tracker.engine import open_tracker
from i18n.tracker.snapshot import database_url, embedded_path
from i18n.workflow.assignments import assign
from i18n.workflow.status import ArticleStatus, View, status
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


def _decorated(workspace: Workspace) -> None:
    """An assignment (a name that JSON escapes), a publication and an accepted finding on GUT in Catalan."""
    edit_catalog(catalog_path(workspace), translate_all, translator="Anna")
    assign(workspace, "ca", [GUT], translator='Marta "M" Puig\\', reviewer="Jordi Vidal", due=dt.date(2026, 11, 1))
    tracker = open_tracker(database_url(workspace))
    try:
        with tracker.engine.begin() as connection:
            at = dt.datetime(2026, 11, 20, 9, 30)
            connection.execute(sa.text("UPDATE catalogs SET published_at = :at "
                                       "WHERE article_id = :a AND language = 'ca'"), {"at": at, "a": GUT})
            entry = connection.execute(sa.text("SELECT id FROM entries WHERE article_id = :a ORDER BY id"),
                                       {"a": GUT}).first()
            assert entry is not None
            connection.execute(sa.text("INSERT INTO history (entry_id, language, actor, at, reason, after) "
                                       "VALUES (:e, 'ca', 'coordinator', :at, 'accept', 'translated')"),
                               {"e": entry[0], "at": at})
    finally:
        tracker.close()


def _row(a: ArticleStatus) -> dict[str, object]:
    """An article row as workflow.md documents it, built here apart from the renderer it checks."""
    assigned = a.assignment
    return {"article": a.article, "date": a.date.isoformat(), "language": a.language, "state": a.state.value,
            "entries": dict(zip(STATES, a.entries.values, strict=True)), "catalog": a.catalog, "days": a.days,
            "assignment": None if assigned is None else {
                "translator": assigned.translator, "reviewer": assigned.reviewer,
                "due": assigned.due.isoformat() if assigned.due else None, "overdue": assigned.overdue},
            "accepted": a.accepted,
            "published_at": None if a.published_at is None else a.published_at.strftime("%Y-%m-%dT%H:%MZ"),
            "live_is_older": a.live_is_older}


def test_status_by_article_streams_the_documented_rows(run: Run, workspace: Workspace,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """--by article (written a batch of rows at a time) and --due/--mine give every row of the report, as documented."""
    from i18n.cli import output

    _decorated(workspace)
    monkeypatch.setattr(output, "_BATCH", 2)  # several batches even on three articles
    data = json.loads(run("status", "--by", "article", "--json").stdout)
    articles = status(workspace, view=View.ARTICLES).articles
    assert data["articles"] == [_row(a) for a in articles] and len(articles) == 6
    gut = data["articles"][[a.article for a in articles].index(GUT)]
    assert gut["assignment"]["translator"] == 'Marta "M" Puig\\' and gut["assignment"]["overdue"] is True
    assert (gut["accepted"], gut["published_at"], gut["live_is_older"]) == (1, "2026-11-20T09:30Z", True)
    due = json.loads(run("status", "--due", "3650", "--json").stdout)
    report = status(workspace, view=View.DUE, due_days=3650)
    assert (due["due"], due["overdue"]) == ([_row(a) for a in report.due], [_row(a) for a in report.overdue])
    mine = json.loads(run("status", "--mine", "--user", "Jordi Vidal", "--json").stdout)
    assert mine["assignments"] == [_row(gut_row) for gut_row in articles if gut_row.assignment is not None]
    rows = list(csv.DictReader(io.StringIO(run("status", "--by", "article", "--csv").stdout)))
    assert [(r["article"], r["language"], r["state"]) for r in rows] == [(a.article, a.language, a.state.value)
                                                                         for a in articles]
    lines = run("status", "--by", "article").stdout.splitlines()
    assert [line.split()[1:3] for line in lines] == [[a.article, a.language] for a in articles]
    assert "1 accepted" in lines[[a.article for a in articles].index(GUT)]


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
