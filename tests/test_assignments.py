"""``i18n assign`` and assignments in ``i18n status``: due dates, reassigning, ``--mine``, overdue flags."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from i18n.cli.commands import main
from i18n.core.errors import ConfigError, TrackerError, UsageError
from i18n.core.schedule import Schedule, load_schedule
from i18n.core.workspace import Workspace
from i18n.workflow.assignments import assign
from i18n.workflow.status import View, status
from tests.tracker_support import GUT, sqlite_only, synced

BRANCHING = "2026-11-18-branching-out"


@pytest.fixture
def workspace(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    sqlite_only(monkeypatch)
    monkeypatch.setenv("I18N_USER", "coordinator")
    return synced(workspace_dir)


def _with_schedule(workspace: Workspace, table: str) -> Workspace:
    config = workspace.root / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[schedule]\n" + table + "\n", encoding="utf-8")
    return Workspace.open(config=config)


def test_default_due_is_the_article_date_minus_the_lead_time(workspace: Workspace) -> None:
    report = assign(workspace, "ca", [GUT, BRANCHING], translator="Marta Puig", reviewer="Jordi Vidal")
    dues = {a.article: a.due for a in report.assignments}
    assert dues == {GUT: dt.date(2026, 11, 13), BRANCHING: dt.date(2026, 11, 17)}
    assert {a.assigned_by for a in report.assignments} == {"coordinator"}
    longer = _with_schedule(workspace, "lead_days = 3")
    assert assign(longer, "ca", [GUT], translator="Marta Puig").assignments[0].due == dt.date(2026, 11, 11)


def test_schedule_is_validated() -> None:
    assert Schedule().default_due(dt.date(2026, 11, 22)) == dt.date(2026, 11, 21)


@pytest.mark.parametrize(("table", "key"), [("lead_days = -1", "schedule.lead_days"),
                                            ('lead_days = "1"', "schedule.lead_days"),
                                            ("lead = 1", "schedule.lead")])
def test_bad_schedule_names_the_key(workspace: Workspace, table: str, key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        load_schedule(_with_schedule(workspace, table).settings)


def test_reassigning_replaces_translator_and_keeps_the_reviewer(workspace: Workspace) -> None:
    assign(workspace, "ca", [GUT], translator="Marta Puig", reviewer="Jordi Vidal")
    again = assign(workspace, "ca", [GUT], translator="Anna Serra", due=dt.date(2026, 12, 1))
    (only,) = again.assignments
    assert (only.translator, only.reviewer, only.due) == ("Anna Serra", "Jordi Vidal", dt.date(2026, 12, 1))


def test_unknown_articles_and_the_ui_catalog_are_refused(workspace: Workspace) -> None:
    with pytest.raises(TrackerError, match="no-such-article"):
        assign(workspace, "ca", [GUT, "no-such-article"], translator="Marta Puig")
    with pytest.raises(UsageError):
        assign(workspace, "ca", ["messages"], translator="Marta Puig")
    with pytest.raises(UsageError):
        assign(workspace, "ca", [GUT], translator="  ")
    # nothing was recorded by the refused calls
    report = status(workspace, ["ca"], view=View.MINE, user="Marta Puig")
    assert report.assignments == ()


def test_mine_lists_a_persons_assignments_and_flags_overdue_ones(workspace: Workspace) -> None:
    assign(workspace, "ca", [GUT, BRANCHING], translator="Marta Puig", reviewer="Jordi Vidal")
    assign(workspace, "es", [GUT], translator="Laura Gómez", reviewer="Marta Puig")
    today = dt.date(2026, 11, 15)
    mine = status(workspace, view=View.MINE, user="Marta Puig", today=today)
    assert mine.person == "Marta Puig"
    overdue = {(a.article, a.language): a.assignment.overdue for a in mine.assignments if a.assignment}
    # GUT was due on 11-13 and is not approved (in either language); BRANCHING is due on 11-17
    assert overdue == {(GUT, "ca"): True, (BRANCHING, "ca"): False, (GUT, "es"): True}
    assert mine.not_approved == 3
    due = status(workspace, view=View.DUE, due_days=7, today=today)
    translators = {(a.article, a.language): a.assignment.translator if a.assignment else None
                   for a in due.due + due.overdue}
    assert translators[(BRANCHING, "ca")] == "Marta Puig" and translators[(BRANCHING, "es")] is None


def _run(capsys: pytest.CaptureFixture[str], workspace: Workspace, *args: str, exit_code: int = 0) -> str:
    with pytest.raises(SystemExit) as exited:
        main(["-C", str(workspace.root), *args])
    out, err = capsys.readouterr()
    assert int(exited.value.code or 0) == exit_code, (out, err)
    return out


def test_cli_assign_and_status_mine(workspace: Workspace, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.loads(_run(capsys, workspace, "assign", "ca", GUT, "--translator", "Marta Puig", "--reviewer",
                           "Jordi Vidal", "--due", "2026-11-10", "--json"))
    assert data["assignments"][0] | {"assigned_at": None} == {
        "article": GUT, "language": "ca", "translator": "Marta Puig", "reviewer": "Jordi Vidal",
        "due": "2026-11-10", "assigned_by": "coordinator", "assigned_at": None}
    monkeypatch.setenv("I18N_USER", "Jordi Vidal")
    mine = json.loads(_run(capsys, workspace, "status", "--mine", "--json"))
    assert mine["person"] == "Jordi Vidal"
    (row,) = mine["assignments"]
    assert row["article"] == GUT and row["assignment"]["overdue"] is True
    assert "OVERDUE" in _run(capsys, workspace, "status", "--mine")
    by_article = json.loads(_run(capsys, workspace, "status", "--by", "article", "--json"))
    assert {a["assignment"] is None for a in by_article["articles"]} == {True, False}
    _run(capsys, workspace, "status", "--mine", "--by", "article", exit_code=2)
    _run(capsys, workspace, "assign", "ca", "nope", "--translator", "X", exit_code=1)
    _run(capsys, workspace, "assign", "ca", GUT, exit_code=2)  # --translator is required
