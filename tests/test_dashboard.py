"""The dashboard's figures: the same as ``i18n status``, the burn-up replay, reviews, machine drafts, checks."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from i18n.catalogs.catalog import Entry
from i18n.catalogs.pofile import read_catalog
from i18n.cli.output import status_dict
from i18n.cli.report_html import write_report
from i18n.core.forms import text_hash
from i18n.core.schedule import Schedule
from i18n.core.states import State
from i18n.core.workspace import Workspace
from i18n.machine.postedit import chrf, edit_distance
from i18n.tracker.engine import open_tracker
from i18n.tracker.queries.dashboard import EntryEvent
from i18n.tracker.queries.drafts import DraftOutcome, save_drafts
from i18n.tracker.queries.publishing import PublicationRecord
from i18n.tracker.queries.review import record_approval
from i18n.tracker.snapshot import database_url
from i18n.workflow.assignments import assign
from i18n.workflow.report import as_data, burnup, dashboard, machine_stats
from i18n.workflow.status import status
from tests.tracker_support import GUT, catalog_path, edit_catalog, sqlite_only, synced, translate_all

BRANCHING = "2026-11-18-branching-out"


@pytest.fixture
def workspace(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    sqlite_only(monkeypatch)
    monkeypatch.setenv("I18N_USER", "coordinator")
    return synced(workspace_dir)


def approve_article(workspace: Workspace, article: str, language: str, reviewer: str) -> None:
    """Record an approval of every entry of ``article`` as its catalog has it now."""
    catalog = read_catalog(catalog_path(workspace, article, language))
    tracker = open_tracker(database_url(workspace))
    try:
        with tracker.transaction() as session:
            for entry in catalog.active_entries:
                record_approval(session, article=article, language=language, key=entry.key, source=entry.msgid,
                                   translation=entry.msgstrs, reviewer=reviewer)
    finally:
        tracker.close()


def test_progress_is_what_status_reports(workspace: Workspace) -> None:
    edit_catalog(catalog_path(workspace, GUT), translate_all, translator="Marta Puig")
    data = dashboard(workspace)
    languages = status_dict(status(workspace))["languages"]
    assert as_data(data)["languages"] == languages


def test_a_translated_and_approved_article(workspace: Workspace) -> None:
    edit_catalog(catalog_path(workspace, GUT), translate_all, translator="Marta Puig")
    status(workspace)  # reconcile: Marta's edits are on record
    approve_article(workspace, GUT, "ca", "Jordi Vidal")
    assign(workspace, "ca", [BRANCHING], translator="Marta Puig", reviewer="Jordi Vidal")
    today = dt.date.today()
    data = as_data(dashboard(workspace, today=today))
    ca = data["burnup"][0]
    assert ca["language"] == "ca" and len(ca["points"]) == 30
    assert ca["points"][-1]["approved"] == 1 and ca["points"][-1]["published"] == 0
    people = {p["person"]: p for p in data["people"]}
    assert people["Marta Puig"]["translated"]["last_7_days"] == 10
    assert people["Jordi Vidal"]["approved"] == {"last_7_days": 10, "last_30_days": 10}
    assert people["Jordi Vidal"]["reviewed"]["last_30_days"] == 10
    (turnaround,) = data["turnaround"]
    assert turnaround["language"] == "ca" and turnaround["approvals"] == 10
    rows = {(r["article"], r["language"]): r for r in data["schedule"]}
    if (BRANCHING, "ca") in rows:
        assert rows[(BRANCHING, "ca")]["translator"] == "Marta Puig"
    json.dumps(data)  # JSON-ready


def test_burnup_replays_history_and_publications() -> None:
    day = dt.date(2026, 11, 20)
    at = dt.datetime(2026, 11, 18, 10)
    events = [EntryEvent("a", "ca", 1, at, State.TRANSLATED), EntryEvent("a", "ca", 2, at, State.APPROVED),
              EntryEvent("a", "ca", 1, at + dt.timedelta(days=1), State.APPROVED),
              EntryEvent("a", "ca", 2, at + dt.timedelta(days=2), State.NEEDS_WORK)]
    log = [PublicationRecord(at + dt.timedelta(days=1), "m1", "a", "ca", "published", "v", "x"),
           PublicationRecord(at + dt.timedelta(days=1), "m2", "a", "ca", "published", "v", "x"),
           PublicationRecord(at + dt.timedelta(days=2), "m1", "a", "ca", "withdrawn", "", "x")]
    (ca,) = burnup(["ca"], {"a": dt.date(2026, 11, 19), "b": dt.date(2026, 11, 25)}, {"a": 2, "b": 3}, events, log,
                   day, days=4)
    assert [(p.day.day, p.scope, p.approved, p.published) for p in ca.points] == [
        (17, 0, 0, 0), (18, 0, 0, 0), (19, 1, 1, 1), (20, 1, 0, 1)]


def _outcome(engine: str, state: State, draft: str, current: str | None, approved: str | None
             ) -> DraftOutcome:
    digest = text_hash(current) if current is not None else None
    return DraftOutcome(engine, "ca", "a", "k", draft, state, digest, current == draft, approved)


def test_machine_stats_per_engine() -> None:
    stats = machine_stats([
        _outcome("apertium eng-cat", State.APPROVED, "el gat", "el gat", "el gat"),
        _outcome("apertium eng-cat", State.TRANSLATED, "el gos", "un gos", None),
        _outcome("apertium eng-cat", State.MACHINE, "la casa", "la casa", None),
        _outcome("libretranslate", State.APPROVED, "la taula", "una taula", "una taula"),
    ])
    by_engine = {s.engine: s for s in stats}
    apertium = by_engine["apertium"]
    assert (apertium.drafts, apertium.settled, apertium.accepted, apertium.measured) == (3, 2, 1, 1)
    assert apertium.percent_accepted == 50.0 and apertium.mean_edit_distance == 0 and apertium.mean_chrf == 100
    libre = by_engine["libretranslate"]
    assert (libre.accepted, libre.percent_accepted, libre.mean_edit_distance) == (0, 0.0, 2)


def test_machine_drafts_from_the_tracker(workspace: Workspace) -> None:
    path = catalog_path(workspace, GUT)
    drafts: dict[str, str] = {}

    def draft(entry: Entry) -> Entry:
        text = f"esborrany {entry.msgid[:15]}"
        drafts[entry.msgid] = text
        return replace(entry.with_flag("fuzzy", True), msgstr=text,
                       translator_comments=("machine: apertium eng-cat 2026-11-21",))

    edit_catalog(path, draft)
    status(workspace)
    tracker = open_tracker(database_url(workspace))
    try:
        with tracker.transaction() as session:
            save_drafts(session, "apertium eng-cat", "en", "ca", drafts)
    finally:
        tracker.close()
    keys = [e.key for e in read_catalog(path).active_entries]
    edited = keys[0]

    def settle(entry: Entry) -> Entry:
        done = replace(entry.with_flag("fuzzy", False), translator_comments=())
        return replace(done, msgstr=done.msgstr + " (revisat)") if entry.key == edited else done

    edit_catalog(path, settle, translator="Marta Puig")
    (stat,) = dashboard(workspace).machine
    assert (stat.engine, stat.language, stat.drafts, stat.settled) == ("apertium", "ca", len(keys), len(keys))
    assert stat.accepted == len(keys) - 1 and stat.measured == len(keys) - 1


def test_failing_checks_are_counted(workspace: Workspace) -> None:
    def broken(entry: Entry) -> Entry:
        return replace(entry.with_flag("fuzzy", False), msgstr="Traducció sense res  ")

    edit_catalog(catalog_path(workspace, GUT), broken, translator="Marta Puig")
    data = dashboard(workspace)
    assert data.failed_checks > 0 and data.checks
    assert data.checks[0].count == max(c.count for c in data.checks)
    assert sum(n for c in data.checks for _, n in c.languages) == sum(c.count for c in data.checks)


def test_the_page_is_self_contained(workspace: Workspace, tmp_path: Path) -> None:
    written = write_report(workspace, tmp_path / "out")
    page = written.path.read_text(encoding="utf-8")
    assert written.path == tmp_path / "out" / "index.html"
    assert "<script" not in page and "@import" not in page and "url(" not in page
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
    for section in ("progress", "burnup", "schedule", "people", "turnaround", "machine", "checks"):
        assert f'id="{section}"' in page
    assert write_report(workspace).path == workspace.root / "build" / "report" / "index.html"


def test_default_schedule_lead() -> None:
    assert Schedule(2).default_due(dt.date(2026, 1, 2)) == dt.date(2025, 12, 31)


def test_postedit_measures() -> None:
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("", "abc") == 3
    assert chrf("el gat", "el  gat") == 100.0
    assert chrf("abc", "xyz") == 0.0
    assert 0 < chrf("el gat negre", "el gat blanc") < 100
