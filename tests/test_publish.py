"""``i18n publish`` gated by the tracker: dates and time zones, partial approval, edits and source changes
after approval under both policies, withdrawals, the publication log, status counts, the CLI."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from i18n.catalogs.catalog import Entry
from i18n.catalogs.pofile import read_catalog
from i18n.cli.commands import main
from i18n.core.workspace import Workspace
from i18n.mirrors.gate import BlockReason
from i18n.tracker.engine import open_tracker
from i18n.tracker.queries.review import record_approval
from i18n.tracker.snapshot import database_url
from i18n.workflow.history import article_history
from i18n.workflow.publish import PublishRun, publish_mirrors
from i18n.workflow.reconcile import reconcile
from i18n.workflow.status import status
from i18n.workflow.sync import sync
from tests.tracker_support import GUT, GUT_SOURCE, catalog_path, edit_catalog, sqlite_only, synced, translate_all

BRANCHING = "2026-11-18-branching-out"
CLOCK = "2025-12-30-clock-work"
NOON = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)

MIRRORS = """
[mirrors.keep]
language = "ca"
format = "json"
output = "build/mirrors/keep"
timezone = "Europe/Madrid"

[mirrors.strict]
language = "ca"
format = "markdown"
output = "build/mirrors/strict"
timezone = "Europe/Madrid"
on_source_change = "withdraw"
"""


def with_mirrors(root: Path, text: str = MIRRORS) -> Workspace:
    config = root / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + text, encoding="utf-8")
    return Workspace.open(config=config)


@pytest.fixture
def ws(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    sqlite_only(monkeypatch)
    monkeypatch.setenv("I18N_USER", "coordinator")
    synced(workspace_dir)
    return with_mirrors(workspace_dir)


def translate(ws: Workspace, article: str, translator: str = "Anna Puig", text: str = "Traducció") -> None:
    edit_catalog(catalog_path(ws, article), lambda e: translate_all(e, text), translator=translator)


def approve(ws: Workspace, article: str, reviewer: str = "Rita Revisora", *, skip: tuple[str, ...] = (),
            at: dt.datetime | None = None) -> int:
    """Approve every translated entry of ``article`` in Catalan (as the review commands will)."""
    reconcile(ws)
    path = catalog_path(ws, article) if article != "messages" else ws.ui_catalog_path(ws.settings.language("ca"))
    tracker = open_tracker(database_url(ws))
    count = 0
    try:
        with tracker.transaction() as session:
            for entry in read_catalog(path).active_entries:
                if entry.translated and not entry.fuzzy and entry.key not in skip:
                    record_approval(session, article=article, language="ca", key=entry.key, source=entry.msgid,
                                       translation=entry.msgstrs, reviewer=reviewer, at=at)
                    count += 1
    finally:
        tracker.close()
    return count


def run(ws: Workspace, *names: str, **options: object) -> PublishRun:
    options.setdefault("now", NOON)
    return publish_mirrors(ws, names, **options)  # type: ignore[arg-type]


def blocked(result: PublishRun, mirror: str) -> dict[str, tuple[BlockReason, tuple[tuple[str, str], ...]]]:
    report = next(r for r in result.mirrors if r.mirror == mirror)
    return {b.article: (b.reason, tuple((e.key, e.state) for e in b.entries)) for b in report.blocked}


def report_of(result: PublishRun, mirror: str) -> object:
    return next(r for r in result.mirrors if r.mirror == mirror)


def article_json(ws: Workspace, article: str = GUT) -> dict[str, object]:
    data = json.loads((ws.root / "build/mirrors/keep" / article[:4] / f"{article}.json").read_text())
    assert isinstance(data, dict)
    return data


# -- the gate ------------------------------------------------------------------------------------------------


def test_only_fully_approved_due_articles_are_published(ws: Workspace) -> None:
    for article in (GUT, BRANCHING, CLOCK):
        translate(ws, article)
    approve(ws, GUT)
    approve(ws, CLOCK, skip=("title",))
    result = run(ws, "keep")
    keep = result.mirrors[0]
    assert keep.published == (GUT,)
    states = blocked(result, "keep")
    assert states[CLOCK] == (BlockReason.NOT_APPROVED, (("title", "translated"),))
    assert states[BRANCHING][0] is BlockReason.NOT_APPROVED
    assert result.waiting and result.showing == 1
    page = article_json(ws)
    assert page["title"] == "Traducció: Gut Feelings" and page["reviewers"] == ["Rita Revisora"]
    assert page["translators"] == ["Anna Puig"]


def test_due_dates_follow_the_mirror_time_zone_and_embargo(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    sqlite_only(monkeypatch)
    synced(workspace_dir)
    ws = with_mirrors(workspace_dir, """
[mirrors.east]
language = "ca"
format = "json"
output = "build/mirrors/east"
timezone = "Pacific/Kiritimati"

[mirrors.west]
language = "ca"
format = "json"
output = "build/mirrors/west"
timezone = "America/Los_Angeles"

[mirrors.late]
language = "ca"
format = "json"
output = "build/mirrors/late"
timezone = "UTC"
embargo_days = 3
""")
    translate(ws, GUT)
    approve(ws, GUT)
    # 2026-11-13 12:00 UTC: already the 14th at UTC+14, still the 13th in California.
    result = run(ws, now=dt.datetime(2026, 11, 13, 12, 0, tzinfo=dt.UTC))
    assert report_of(result, "east").published == (GUT,)  # type: ignore[attr-defined]
    assert blocked(result, "west")[GUT][0] is BlockReason.NOT_DUE
    late = next(b for b in report_of(result, "late").blocked if b.article == GUT)  # type: ignore[attr-defined]
    assert late.due == dt.date(2026, 11, 17)
    assert run(ws, "late", as_of=dt.date(2026, 11, 17)).mirrors[0].published == (GUT,)


def test_an_edit_after_approval_keeps_serving_the_approved_text(ws: Workspace) -> None:
    translate(ws, GUT)
    approve(ws, GUT)
    first = run(ws)
    assert first.mirrors[0].published == (GUT,) and first.mirrors[1].published == (GUT,)
    edit_catalog(catalog_path(ws, GUT), lambda e: replace(e, msgstr="Sensacions noves") if e.key == "title" else e,
                 translator="Pau Vila")
    second = run(ws)
    for report in second.mirrors:  # both policies: an edit is not a source change
        assert GUT in report.unchanged and not report.withdrawn
    assert article_json(ws)["title"] == "Traducció: Gut Feelings"
    approve(ws, GUT, reviewer="Joan Revisor")
    third = run(ws, "keep")
    assert third.mirrors[0].updated == (GUT,)
    page = article_json(ws)
    assert page["title"] == "Sensacions noves"
    assert page["reviewers"] == ["Joan Revisor"]  # the approvals served are all his now
    assert page["translators"] == ["Anna Puig", "Pau Vila"]


def test_a_rejected_text_is_not_served_even_when_fuzzy_is_cleared(ws: Workspace) -> None:
    from i18n.workflow.review import reject

    translate(ws, GUT)
    approve(ws, GUT)
    assert run(ws, "keep").mirrors[0].published == (GUT,)
    # The reviewer rejects the published title; the translator only clears fuzzy, leaving the text as it was.
    reject(ws, "ca", GUT, entries=["title"], reason="too literal", reviewer="Joan Revisor")
    edit_catalog(catalog_path(ws, GUT), lambda e: e.with_flag("fuzzy", False) if e.key == "title" else e,
                 translator="Anna Puig")
    result = run(ws, "keep")
    assert result.mirrors[0].withdrawn == (GUT,)
    assert blocked(result, "keep")[GUT] == (BlockReason.NOT_APPROVED, (("title", "translated"),))
    # Approved again later: served again (the rejected text counts once a reviewer approves it anew).
    approve(ws, GUT, reviewer="Joan Revisor")
    assert run(ws, "keep").mirrors[0].published == (GUT,)
    assert article_json(ws)["title"] == "Traducció: Gut Feelings"


def _change_source(ws: Workspace, old: str, new: str) -> None:
    path = ws.root / GUT_SOURCE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert sync(ws).ok


def test_a_source_change_keeps_or_withdraws_per_policy(ws: Workspace) -> None:
    translate(ws, GUT)
    approve(ws, GUT)
    run(ws)
    _change_source(ws, "title: Gut Feelings", "title: Gut Feelings Revisited")
    result = run(ws)
    keep, strict = result.mirrors
    assert keep.updated == (GUT,)  # the link back shows the corrected English title; the translation stays
    assert article_json(ws)["title"] == "Traducció: Gut Feelings"
    assert strict.withdrawn == (GUT,)
    assert blocked(result, "strict")[GUT] == (BlockReason.SOURCE_CHANGED, (("title", "needs-work"),))
    assert not (ws.root / "build/mirrors/strict/2026" / f"{GUT}.md").exists()
    # Approving the new title brings it back on both.
    edit_catalog(catalog_path(ws, GUT), lambda e: replace(e.with_flag("fuzzy", False), msgstr="Sensacions, de nou")
                 if e.key == "title" else e)
    approve(ws, GUT)
    again = run(ws)
    assert again.mirrors[0].updated == (GUT,) and again.mirrors[1].published == (GUT,)
    assert article_json(ws)["title"] == "Sensacions, de nou"


def test_a_changed_paragraph_serves_its_predecessors_approved_text(ws: Workspace) -> None:
    translate(ws, GUT)
    approve(ws, GUT)
    run(ws, "keep")
    body = next(e for e in read_catalog(catalog_path(ws, GUT)).active_entries if e.msgctxt is None)
    words = body.msgid.split()
    _change_source(ws, " ".join(words[:3]), " ".join(words[:2]) + " really " + words[2])
    reconcile(ws)
    changed = [e for e in read_catalog(catalog_path(ws, GUT)).active_entries if e.previous_msgid is not None]
    assert changed and changed[0].fuzzy
    result = run(ws)
    assert GUT in result.mirrors[0].unchanged
    assert blocked(result, "strict")[GUT][0] is BlockReason.SOURCE_CHANGED


def _add_paragraph(ws: Workspace, text: str = "A brand new closing paragraph.") -> None:
    path = ws.root / GUT_SOURCE
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")
    assert sync(ws).ok


def _kept(result: PublishRun, mirror: str) -> dict[str, tuple[str, tuple[tuple[str, str], ...]]]:
    report = next(r for r in result.mirrors if r.mirror == mirror)
    return {k.article: (k.reason.value, tuple((e.key, e.state) for e in k.entries)) for k in report.kept}


def test_a_new_paragraph_keeps_the_published_version_under_keep(ws: Workspace) -> None:
    translate(ws, GUT)
    approve(ws, GUT)
    run(ws)
    before = article_json(ws)
    _add_paragraph(ws)
    result = run(ws)
    keep, strict = result.mirrors
    assert GUT in keep.unchanged and not keep.withdrawn  # the live page is the one published
    assert article_json(ws) == before
    assert GUT not in {b.article for b in keep.blocked}
    reason, entries = _kept(result, "keep")[GUT]
    assert reason == "not-approved" and [state for _, state in entries] == ["untranslated"]
    assert keep.kept[0].live_since == NOON.date()
    assert "until the new source is approved" in keep.kept[0].message
    # Under withdraw, as before: the article is withdrawn until the new paragraph is approved.
    assert strict.withdrawn == (GUT,) and blocked(result, "strict")[GUT][0] is BlockReason.NOT_APPROVED
    assert not strict.kept
    # A second run keeps it too (the snapshot survives the run that kept it).
    assert GUT in run(ws, "keep").mirrors[0].unchanged
    # Once the new paragraph is approved, the new version replaces the kept one.
    translate(ws, GUT, text="Paràgraf nou")
    approve(ws, GUT)
    again = run(ws)
    assert again.mirrors[0].updated == (GUT,) and not again.mirrors[0].kept
    assert again.mirrors[1].published == (GUT,)
    assert "Paràgraf nou: A brand new closing" in str(article_json(ws)["body"])


def test_a_rewritten_paragraph_without_predecessor_keeps_the_published_version(ws: Workspace) -> None:
    translate(ws, GUT)
    approve(ws, GUT)
    run(ws, "keep")
    before = article_json(ws)
    body = next(e for e in read_catalog(catalog_path(ws, GUT)).active_entries if e.msgctxt is None)
    # Rewritten beyond recognition: sync finds no predecessor, so no approval matches the new paragraph.
    _change_source(ws, body.msgid, "Something else entirely, about sea sponges made of glass.")
    result = run(ws, "keep", dry_run=True)
    assert result.mirrors[0].unchanged == (GUT,) and not result.mirrors[0].withdrawn
    assert _kept(result, "keep")[GUT][0] == "not-approved"
    assert run(ws, "keep").mirrors[0].unchanged == (GUT,)
    assert article_json(ws) == before


def test_a_removed_paragraph_publishes_the_remaining_approved_texts(ws: Workspace) -> None:
    translate(ws, GUT)
    approve(ws, GUT)
    run(ws)
    body = [e for e in read_catalog(catalog_path(ws, GUT)).active_entries if e.msgctxt is None]
    removed = body[-1]
    _change_source(ws, removed.msgid, "")
    result = run(ws)
    for report in result.mirrors:  # every text of the new version is approved: nothing waits for a review
        assert report.updated == (GUT,) and not report.withdrawn and not report.kept
    page = str(article_json(ws)["body"])
    assert f"Traducció: {removed.msgid[:20]}" not in page
    assert f"Traducció: {body[0].msgid[:20]}" in page


def test_a_kept_version_whose_approval_is_revoked_is_withdrawn(ws: Workspace) -> None:
    from i18n.workflow.review import reject

    translate(ws, GUT)
    approve(ws, GUT)
    run(ws, "keep")
    _add_paragraph(ws)
    assert _kept(run(ws, "keep"), "keep")
    reject(ws, "ca", GUT, entries=["title"], reason="too literal", reviewer="Joan Revisor")
    result = run(ws, "keep")
    assert result.mirrors[0].withdrawn == (GUT,) and not result.mirrors[0].kept


def test_an_article_never_published_that_gains_a_paragraph_stays_blocked(ws: Workspace) -> None:
    translate(ws, GUT)
    approve(ws, GUT)
    _add_paragraph(ws)
    result = run(ws, "keep")
    assert not result.mirrors[0].published and not result.mirrors[0].kept
    assert blocked(result, "keep")[GUT][0] is BlockReason.NOT_APPROVED


def test_one_article_changed_regates_only_that_article(ws: Workspace) -> None:
    for article in (GUT, BRANCHING, CLOCK):
        translate(ws, article)
        approve(ws, article, skip=("title",) if article == CLOCK else ())
    first = run(ws, "keep")
    assert (first.mirrors[0].gated, first.mirrors[0].cached) == (3, 0)
    assert blocked(first, "keep")[CLOCK][0] is BlockReason.NOT_APPROVED
    # Nothing changed: answered from the cache without gating.
    noop = run(ws, "keep")
    assert (noop.mirrors[0].gated, noop.mirrors[0].cached) == (0, 3)
    # One approval in one article: that article alone is gated again, and published.
    approve(ws, CLOCK)
    second = run(ws, "keep")
    assert (second.mirrors[0].gated, second.mirrors[0].cached) == (1, 2)
    assert second.mirrors[0].published == (CLOCK,)
    assert set(second.mirrors[0].unchanged) == {GUT, BRANCHING}
    # A rejection revokes an approval without adding one: the cached decision must not be served.
    from i18n.workflow.review import reject

    reject(ws, "ca", GUT, entries=["title"], reason="too literal", reviewer="Joan Revisor")
    third = run(ws, "keep")
    assert (third.mirrors[0].gated, third.mirrors[0].withdrawn) == (1, (GUT,))
    # The cache is only a cache: without it, every article is gated and the result is the same.
    for path in (ws.state_dir / "publish").iterdir():
        path.unlink()
    fresh = run(ws, "keep")
    assert (fresh.mirrors[0].gated, fresh.mirrors[0].cached) == (3, 0)
    assert set(fresh.mirrors[0].unchanged) == {CLOCK, BRANCHING} and GUT in blocked(fresh, "keep")


def test_a_manual_withdrawal_and_a_new_day_are_seen_through_the_cache(ws: Workspace) -> None:
    earlier = NOON.replace(tzinfo=None) - dt.timedelta(hours=1)
    translate(ws, GUT)
    approve(ws, GUT, at=earlier)
    run(ws, "keep")
    run(ws, "keep", withdraw=(GUT,), user="Editor")
    translate(ws, BRANCHING)
    approve(ws, BRANCHING, at=earlier)  # the mirror changed: the per-article cache answers for the others
    later = run(ws, "keep")
    assert blocked(later, "keep")[GUT][0] is BlockReason.WITHDRAWN
    assert later.mirrors[0].published == (BRANCHING,) and later.mirrors[0].gated == 2
    # Due-ness is decided every run, not cached: the same tracker state on another day.
    before = run(ws, "keep", as_of=dt.date(2026, 11, 17))
    assert before.mirrors[0].withdrawn == (BRANCHING,)
    assert blocked(before, "keep")[BRANCHING][0] is BlockReason.NOT_DUE
    assert run(ws, "keep", as_of=dt.date(2026, 11, 18)).mirrors[0].published == (BRANCHING,)


# -- publication log, withdrawals, status, no-op ---------------------------------------------------------------


def test_publications_are_logged_and_counted(ws: Workspace) -> None:
    translate(ws, GUT)
    approve(ws, GUT)
    run(ws)
    assert status(ws, ("ca",)).languages[0].articles_published == 1
    history = article_history(ws, GUT, "ca")
    assert [(p.mirror, p.action, p.actor) for p in history.publications] == [
        ("keep", "published", "coordinator"), ("strict", "published", "coordinator")]
    assert len(history.publications[0].version) == 16

    withdrawn = run(ws, "keep", withdraw=(GUT,), user="Editor")
    assert withdrawn.mirrors[0].withdrawn == (GUT,)
    assert status(ws, ("ca",)).languages[0].articles_published == 1  # still on the strict mirror
    run(ws, "strict", withdraw=(GUT,), user="Editor")
    assert status(ws, ("ca",)).languages[0].articles_published == 0
    later = run(ws, "keep")
    assert blocked(later, "keep")[GUT][0] is BlockReason.WITHDRAWN
    assert GUT not in {b.article for _, b in later.waiting}
    approve(ws, GUT, at=NOON.replace(tzinfo=None) + dt.timedelta(hours=1))
    assert run(ws, "keep").mirrors[0].published == (GUT,)
    actions = [(p.mirror, p.action, p.actor) for p in article_history(ws, GUT, "ca").publications]
    assert actions[2:] == [("keep", "withdrawn", "Editor"), ("strict", "withdrawn", "Editor"),
                           ("keep", "published", "coordinator")]


def test_a_second_run_with_nothing_new_writes_nothing(ws: Workspace) -> None:
    translate(ws, GUT)
    approve(ws, GUT)
    run(ws)
    version = (ws.root / "build/mirrors/keep").resolve()
    again = run(ws)
    assert all(r.unchanged == (GUT,) and not r.changed for r in again.mirrors)
    assert (ws.root / "build/mirrors/keep").resolve() == version
    assert (ws.state_dir / "publish" / "keep.json").is_file()
    # Without the cache, the full gate agrees.
    (ws.state_dir / "publish" / "keep.json").unlink()
    assert run(ws, "keep").mirrors[0].unchanged == (GUT,)


def test_dry_run_writes_and_records_nothing(ws: Workspace) -> None:
    translate(ws, GUT)
    approve(ws, GUT)
    result = run(ws, "keep", dry_run=True)
    assert result.mirrors[0].published == (GUT,)
    assert not (ws.root / "build/mirrors/keep").exists()
    assert article_history(ws, GUT).publications == ()


# -- the command line ----------------------------------------------------------------------------------------


def cli_run(ws: Workspace, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["-C", str(ws.root), *args])
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_cli_publish_json_and_exit_codes(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli_run(ws, capsys, "publish", "--as-of", "2026-11-21", "--json")
    assert code == 3 and "not ready" in err
    data = json.loads(out)
    assert data["as_of"] == "2026-11-21" and data["dry_run"] is False
    assert [m["mirror"] for m in data["mirrors"]] == ["keep", "strict"]
    first = data["mirrors"][0]["blocked"][0]
    assert first["reason"] == "not-approved" and first["entries"][0]["state"] == "untranslated"

    for article in (GUT, BRANCHING, CLOCK):
        translate(ws, article)
        approve(ws, article)
    code, out, err = cli_run(ws, capsys, "publish", "--mirror", "keep", "--as-of", "2026-11-21", "--json")
    assert code == 0, err
    assert json.loads(out)["mirrors"][0]["published"] == [CLOCK, GUT, BRANCHING]
    code, out, _ = cli_run(ws, capsys, "publish", "--mirror", "keep", "--as-of", "2026-11-21")
    assert code == 0 and "3 unchanged" in out
    code, _, err = cli_run(ws, capsys, "publish", "--mirror", "nowhere")
    assert code == 1 and "no mirror called 'nowhere'" in err
    code, _, err = cli_run(ws, capsys, "publish", "--withdraw", "no-such-article")
    assert code == 1 and "no-such-article" in err
    code, out, _ = cli_run(ws, capsys, "log", GUT, "--json")
    assert [p["action"] for p in json.loads(out)["publications"]] == ["published"]


def test_entry_fixture_helpers_translate_every_entry(ws: Workspace) -> None:
    translate(ws, GUT)
    entries: tuple[Entry, ...] = read_catalog(catalog_path(ws, GUT)).active_entries
    assert all(e.translated and not e.fuzzy for e in entries)


@pytest.mark.backends("postgresql")
def test_publishing_on_a_postgresql_tracker(backend: str | None, workspace_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("I18N_USER", "coordinator")
    synced(workspace_dir)
    ws = with_mirrors(workspace_dir)
    translate(ws, GUT)
    approve(ws, GUT)
    first = run(ws, "keep", withdraw=())
    assert first.mirrors[0].published == (GUT,)
    assert status(ws, ("ca",)).languages[0].articles_published == 1
    assert run(ws, "keep", withdraw=(GUT,), user="Editor").mirrors[0].withdrawn == (GUT,)
    assert status(ws, ("ca",)).languages[0].articles_published == 0
    assert [p.action for p in article_history(ws, GUT, "ca").publications] == ["published", "withdrawn"]


@pytest.mark.backends("postgresql")
def test_keep_and_the_per_article_cache_on_a_postgresql_tracker(backend: str | None, workspace_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("I18N_USER", "coordinator")
    synced(workspace_dir)
    ws = with_mirrors(workspace_dir)
    for article in (GUT, BRANCHING):
        translate(ws, article)
        approve(ws, article)
    first = run(ws, "keep")
    assert first.mirrors[0].published == (GUT, BRANCHING) and first.mirrors[0].gated == 3
    before = article_json(ws)
    _add_paragraph(ws)
    second = run(ws, "keep")
    assert (second.mirrors[0].gated, second.mirrors[0].cached) == (1, 2)
    assert GUT in second.mirrors[0].unchanged and _kept(second, "keep")[GUT][0] == "not-approved"
    assert article_json(ws) == before
    translate(ws, GUT, text="Paràgraf nou")
    approve(ws, GUT)
    third = run(ws, "keep")
    assert third.mirrors[0].updated == (GUT,) and not third.mirrors[0].kept


# -- the way back: restore, rollback, the versions kept (issue 13, point 3) -------------------------------------


@pytest.fixture
def both(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch, tracker_url: str | None) -> Workspace:
    """The workspace with mirrors, on the embedded SQLite tracker and on PostgreSQL (each scenario twice; the
    backend fixture behind ``tracker_url`` sets and upgrades the tracker)."""
    monkeypatch.setenv("I18N_USER", "coordinator")
    synced(workspace_dir)
    return with_mirrors(workspace_dir)


def _publication_actions(ws: Workspace, capsys: pytest.CaptureFixture[str], mirror: str) -> list[str]:
    code, out, err = cli_run(ws, capsys, "log", GUT, "--json")
    assert code == 0, err
    return [p["action"] for p in json.loads(out)["publications"] if p["mirror"] == mirror]


def test_a_withdrawn_article_comes_back_with_restore(both: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    ws = both
    translate(ws, GUT)
    approve(ws, GUT)
    code, _, err = cli_run(ws, capsys, "publish", "--mirror", "keep")
    assert code in (0, 3), err
    assert (ws.root / "build/mirrors/keep/2026" / f"{GUT}.json").is_file()
    code, out, err = cli_run(ws, capsys, "publish", "--mirror", "keep", "--withdraw", GUT, "--json")
    assert json.loads(out)["mirrors"][0]["withdrawn"] == [GUT]
    assert not (ws.root / "build/mirrors/keep/2026" / f"{GUT}.json").exists()
    code, out, err = cli_run(ws, capsys, "publish", "--mirror", "keep", "--json")
    blocked = {b["article"]: b for b in json.loads(out)["mirrors"][0]["blocked"]}
    assert blocked[GUT]["reason"] == "withdrawn" and f"i18n publish --restore {GUT}" in blocked[GUT]["message"]
    # The way back.
    code, out, err = cli_run(ws, capsys, "publish", "--mirror", "keep", "--restore", GUT, "--dry-run")
    assert f"would restore {GUT}" in out.replace("  ", " ") and "would publish" in out, out
    assert not (ws.root / "build/mirrors/keep/2026" / f"{GUT}.json").exists()
    code, out, err = cli_run(ws, capsys, "publish", "--mirror", "keep", "--restore", GUT, "--json")
    report = json.loads(out)["mirrors"][0]
    assert report["published"] == [GUT] and report["restored"] == [GUT], report
    assert (ws.root / "build/mirrors/keep/2026" / f"{GUT}.json").is_file()
    assert _publication_actions(ws, capsys, "keep") == ["published", "withdrawn", "restored"]
    # It stays: the next runs publish it as any other article.
    code, out, err = cli_run(ws, capsys, "publish", "--mirror", "keep", "--json")
    assert GUT in json.loads(out)["mirrors"][0]["unchanged"]
    code, _, err = cli_run(ws, capsys, "publish", "--restore", "@ui")
    assert code == 2 or code == 1, err
    code, _, err = cli_run(ws, capsys, "publish", "--restore", GUT, "--withdraw", GUT)
    assert code == 2 and "more than one" in err


def test_rollback_to_an_earlier_version_stays_until_a_new_approval(both: Workspace,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    ws = both
    page = ws.root / "build/mirrors/keep/2026" / f"{GUT}.json"
    translate(ws, GUT, text="Primera")
    approve(ws, GUT)
    cli_run(ws, capsys, "publish", "--mirror", "keep")
    first = json.loads(page.read_text())["version"]
    translate(ws, GUT, text="Segona")
    approve(ws, GUT)
    cli_run(ws, capsys, "publish", "--mirror", "keep")
    second = json.loads(page.read_text())
    assert second["version"] != first and second["title"].startswith("Segona")

    code, out, err = cli_run(ws, capsys, "log", GUT, "--json")
    kept = [(v["mirror"], v["version"], v["live"]) for v in json.loads(out)["versions"]]
    assert kept == [("keep", second["version"], True), ("keep", first, False)]
    code, out, err = cli_run(ws, capsys, "log", GUT)
    assert "Versions kept on the mirrors" in out and first in out

    code, out, err = cli_run(ws, capsys, "publish", "--mirror", "keep", "--rollback", GUT, "--to", first[:8],
                             "--json")
    report = json.loads(out)["mirrors"][0]
    assert report["rolled_back"] == [GUT] and report["updated"] == [GUT], (report, err)
    assert json.loads(page.read_text())["title"].startswith("Primera")
    # Pinned: the next run does not put the approved version back.
    code, out, err = cli_run(ws, capsys, "publish", "--mirror", "keep", "--json")
    assert GUT in json.loads(out)["mirrors"][0]["unchanged"]
    assert json.loads(page.read_text())["version"] == first
    assert _publication_actions(ws, capsys, "keep") == ["published", "updated", "rolled-back"]
    # --restore lifts the rollback: the approved version is back.
    code, out, err = cli_run(ws, capsys, "publish", "--mirror", "keep", "--restore", GUT, "--json")
    assert json.loads(out)["mirrors"][0]["restored"] == [GUT]
    assert json.loads(page.read_text())["version"] == second["version"]
    # A version the mirror does not keep: exit 1, and the hint names the versions kept.
    code, _, err = cli_run(ws, capsys, "publish", "--mirror", "keep", "--rollback", GUT, "--to", "0000ffff")
    assert code == 1 and "no mirror keeps a version '0000ffff'" in err and first in err
    code, _, err = cli_run(ws, capsys, "publish", "--rollback", GUT)
    assert code == 2 and "--to" in err


def test_a_new_approval_ends_a_rollback(both: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    ws = both
    page = ws.root / "build/mirrors/keep/2026" / f"{GUT}.json"
    translate(ws, GUT, text="Primera")
    approve(ws, GUT)
    cli_run(ws, capsys, "publish", "--mirror", "keep")
    first = json.loads(page.read_text())["version"]
    translate(ws, GUT, text="Segona")
    approve(ws, GUT)
    cli_run(ws, capsys, "publish", "--mirror", "keep")
    cli_run(ws, capsys, "publish", "--mirror", "keep", "--rollback", GUT, "--to", first)
    assert json.loads(page.read_text())["version"] == first
    translate(ws, GUT, text="Tercera")
    approve(ws, GUT, at=dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=1))
    cli_run(ws, capsys, "publish", "--mirror", "keep")
    assert json.loads(page.read_text())["title"].startswith("Tercera")


def test_keep_versions_is_configurable_and_checked(both: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    ws = both
    config = ws.root / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[publish]\nkeep_versions = 2\n", encoding="utf-8")
    for text in ("Primera", "Segona", "Tercera"):
        translate(ws, GUT, text=text)
        approve(ws, GUT)
        cli_run(ws, capsys, "publish", "--mirror", "keep")
    code, out, err = cli_run(ws, capsys, "log", GUT, "--json")
    versions = json.loads(out)["versions"]
    assert [v["live"] for v in versions] == [True, False]  # the oldest of three is gone
    numbered = [p for p in (ws.root / "build/mirrors/.keep.versions").iterdir() if p.name.isdigit()]
    assert len(numbered) == 2
    config.write_text(config.read_text(encoding="utf-8").replace("keep_versions = 2", "keep_versions = 1"),
                      encoding="utf-8")
    code, _, err = cli_run(ws, capsys, "status")
    assert code == 1 and "publish.keep_versions" in err and "between 2 and 100" in err


def test_dry_run_lines_say_what_would_happen(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 16 item 7: under a dry run's header the lines say "would publish", never "published"."""
    translate(ws, GUT)
    approve(ws, GUT)
    code, out, err = cli_run(ws, capsys, "publish", "--mirror", "keep", "--dry-run")
    assert code in (0, 3), err
    assert "1 would publish, 0 would update, 0 would withdraw" in out
    assert f"  would publish {GUT}" in out and "  published" not in out
    cli_run(ws, capsys, "publish", "--mirror", "keep")
    code, out, err = cli_run(ws, capsys, "publish", "--mirror", "keep", "--withdraw", GUT, "--dry-run")
    lines = [line.split() for line in out.splitlines()[1:]]
    assert ["would", "withdraw", GUT] in lines and not any(line[0] == "withdrawn" for line in lines), out
    code, out, err = cli_run(ws, capsys, "publish", "--mirror", "keep", "--withdraw", GUT)
    assert ["withdrawn", GUT] in [line.split() for line in out.splitlines()] and "would" not in out, out


def test_an_approved_raw_html_block_is_published_as_text(ws: Workspace) -> None:
    """Issue 15 item 8: raw HTML a translator typed (and a reviewer approved) is published escaped, shown
    as typed, never run and never blocked: workflow.md says so ("Raw HTML in an approved text...")."""
    hostile = '<div onclick="alert(1)"><script>alert(2)</script></div>'

    def paragraph_as_html(entry: Entry) -> Entry:
        done = translate_all(entry)
        return replace(done, msgstr=hostile) if entry.msgid.startswith("Grown from") else done

    edit_catalog(catalog_path(ws, GUT), paragraph_as_html, translator="Anna Puig")
    approve(ws, GUT)
    result = run(ws, "keep", "strict")
    assert all(r.published == (GUT,) for r in result.mirrors), result
    body = str(article_json(ws)["body_html"])
    assert "<script" not in body and "<div" not in body
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in body
    markdown = (ws.root / "build/mirrors/strict/2026" / f"{GUT}.md").read_text(encoding="utf-8")
    assert "<script" not in markdown and "&lt;script>alert(2)&lt;/script>" in markdown
