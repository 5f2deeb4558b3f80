"""Reconciliation: content not bytes, attribution, source changes, stale templates, faults, concurrency."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from i18n.catalogs.catalog import Entry
from i18n.catalogs.pofile import read_catalog
from i18n.core.states import State
from i18n.core.workspace import Workspace
from i18n.tracker.engine import open_tracker
from i18n.tracker.models import CatalogRow
from i18n.tracker.queries.recording import TrackedState, catalog_states, file_stamps, refresh_summary
from i18n.tracker.queries.review import HistoryRecord, record_approval
from i18n.tracker.queries.review import history as tracked_history
from i18n.tracker.snapshot import clone_id, database_url, embedded_path
from i18n.tracker.sql import open_plain
from i18n.workflow import database, reconcile_known
from i18n.workflow import reconcile as reconcile_module
from i18n.workflow.reconcile import Progress, _Run, reconcile
from tests.programs import require_program
from tests.tracker_support import (
    GUT,
    GUT_SOURCE,
    catalog_path,
    edit_catalog,
    postgres_schema,
    sqlite_only,
    synced,
    translate_all,
    write_bytes,
)

REPO = Path(__file__).resolve().parent.parent
#: ``i18n`` with the tracker's commands (they join the group for good once workflow.md documents them).
STATUS_CLI = ("import sys; from i18n.cli.commands import cli, main, status_command; "
              "cli.commands.setdefault('status', status_command); main(sys.argv[1:])")
BRANCHING = "2026-11-18-branching-out"
CLOCK = "2025-12-30-clock-work"


@pytest.fixture
def workspace(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    sqlite_only(monkeypatch)
    monkeypatch.setenv("I18N_USER", "coordinator")
    ws = synced(workspace_dir)
    reconcile(ws)
    return ws


def states(workspace: Workspace, article: str = GUT, language: str = "ca") -> dict[str, TrackedState]:
    opened = open_tracker(database_url(workspace))
    try:
        with opened.transaction() as session:
            return catalog_states(session, article, language)
    finally:
        opened.close()


def log(workspace: Workspace, article: str = GUT, language: str = "ca") -> list[HistoryRecord]:
    opened = open_tracker(database_url(workspace))
    try:
        with opened.transaction() as session:
            return tracked_history(session, article, language)
    finally:
        opened.close()


def test_first_run_records_every_entry_untranslated(workspace: Workspace) -> None:
    recorded = states(workspace)
    entries = read_catalog(catalog_path(workspace)).active_entries
    assert set(recorded) == {e.key for e in entries}
    assert {s.state for s in recorded.values()} == {State.UNTRANSLATED}
    assert {(r.reason, r.actor) for r in log(workspace)} == {("new", "i18n")}


def test_nothing_changed_reads_nothing(workspace: Workspace) -> None:
    for path in workspace.locales.rglob("*.po*"):  # step out of the racy window
        os.utime(path, ns=(path.stat().st_mtime_ns - 10**10,) * 2)
    reconcile(workspace)
    report = reconcile(workspace)
    assert (report.read, report.catalogs, report.changes) == (0, 0, 0)
    assert report.checked == 3 * 3 + 3  # templates and ca/es catalogs of 3 articles + the UI's


def test_edit_is_credited_to_last_translator_else_to_the_user(workspace: Workspace) -> None:
    edit_catalog(catalog_path(workspace), translate_all, translator="Anna Puig <anna@example.org>")
    report = reconcile(workspace)
    assert report.catalogs == 1 and report.edits == report.changes == len(states(workspace))
    assert {(r.actor, r.reason, r.after) for r in log(workspace) if r.reason != "new"} == {
        ("Anna Puig", "edit", State.TRANSLATED)}
    assert {s.origin for s in states(workspace).values()} == {"human"}

    edit_catalog(catalog_path(workspace, BRANCHING), translate_all)  # the header names nobody
    reconcile(workspace, user="Marta")
    assert {r.actor for r in log(workspace, BRANCHING) if r.reason == "edit"} == {"Marta"}
    edit_catalog(catalog_path(workspace, CLOCK), translate_all)
    reconcile(workspace)
    assert {r.actor for r in log(workspace, CLOCK) if r.reason == "edit"} == {"coordinator"}  # I18N_USER


def test_rewrap_comment_order_and_header_are_not_edits(workspace: Workspace) -> None:
    msgcat = require_program("msgcat")
    path = catalog_path(workspace)
    edit_catalog(path, lambda e: replace(translate_all(e), translator_comments=("first note", "second note")),
                 translator="Anna")
    reconcile(workspace)
    before = states(workspace)
    # What an editor does on save: re-wrap to another width, reorder comments, touch the header.
    subprocess.run([msgcat, "--width=30", "-o", str(path), str(path)], check=True)
    edit_catalog(path, lambda e: replace(e, translator_comments=tuple(reversed(e.translator_comments)),
                                         references=tuple(reversed(e.references))),
                 translator="Somebody Else <x@example.org>")
    catalog = read_catalog(path)
    write_bytes(path, path.read_bytes().replace(b"PO-Revision-Date: ", b"PO-Revision-Date: 2027-01-01 ", 1))
    assert catalog.entries  # still a valid catalog
    report = reconcile(workspace)
    assert report.read >= 1
    assert report.changes == 0
    assert states(workspace) == before


def test_sync_after_a_source_change_is_not_credited_as_an_edit(workspace: Workspace) -> None:
    edit_catalog(catalog_path(workspace), translate_all, translator="Anna")
    reconcile(workspace)
    source = workspace.root / GUT_SOURCE
    text = source.read_text(encoding="utf-8")
    old = "Why use organoids?"
    assert old in text
    source.write_text(text.replace(old, "Why do we use organoids?"), encoding="utf-8")
    synced(workspace.root)
    report = reconcile(workspace)
    assert report.edits == 0
    changes = [r for r in log(workspace) if r.reason == "source"]
    assert [(r.actor, r.after) for r in changes] == [("i18n", State.NEEDS_WORK)]
    recorded = states(workspace)
    assert sum(1 for s in recorded.values() if s.state is State.NEEDS_WORK) == 1
    assert not [r for r in log(workspace) if r.reason == "edit" and r.actor != "Anna"]


def test_machine_draft_is_machine_with_its_engine(workspace: Workspace) -> None:
    def draft(entry: Entry) -> Entry:
        return replace(translate_all(entry).with_flag("fuzzy", True),
                       translator_comments=("machine: apertium eng-cat 2026-11-21",))

    edit_catalog(catalog_path(workspace), draft)
    reconcile(workspace)
    recorded = states(workspace)
    assert {s.state for s in recorded.values()} == {State.MACHINE}
    assert {s.origin for s in recorded.values()} == {"machine:apertium"}
    # A human fixes one draft: translated, human.
    title_text = "Sensacions viscerals"
    edit_catalog(catalog_path(workspace), lambda e: replace(e.with_flag("fuzzy", False), msgstr=title_text,
                                                            translator_comments=()) if e.msgctxt == "title" else e,
                 translator="Anna")
    reconcile(workspace)
    assert states(workspace)["title"].state is State.TRANSLATED
    assert states(workspace)["title"].origin == "human"


def test_catalog_edited_against_an_older_template_keeps_the_edits(workspace: Workspace) -> None:
    path = catalog_path(workspace)
    edit_catalog(path, translate_all, translator="Anna")
    reconcile(workspace)
    old_copy = path.read_bytes()  # the translator takes a copy home
    source = workspace.root / GUT_SOURCE
    old = "Why use organoids?"
    source.write_text(source.read_text(encoding="utf-8").replace(old, "Why do we use organoids?"), encoding="utf-8")
    synced(workspace.root)
    reconcile(workspace)
    # ... edits the old copy and puts it back over the synced catalog.
    write_bytes(path, old_copy)
    edit_catalog(path, lambda e: replace(e, msgstr="Per què fem servir organoides?") if e.msgid == old else e,
                 translator="Anna")
    report = reconcile(workspace)
    assert len(report.stale) == 1
    stale = report.stale[0]
    assert (stale.old_source, stale.kept, stale.language) == (old, True, "ca")
    assert stale.catalog.endswith(f"{GUT}.po") and stale.line > 0
    merged = {e.msgid: e for e in read_catalog(path).active_entries}
    kept = merged["Why do we use organoids?"]
    assert kept.msgstr == "Per què fem servir organoides?" and kept.fuzzy and kept.previous_msgid == old
    recorded = [r for r in log(workspace) if r.reason == "stale"]
    assert [(r.actor, r.after) for r in recorded] == [("Anna", State.NEEDS_WORK)]
    assert reconcile(workspace).changes == 0  # settled


def test_crash_mid_reconcile_leaves_a_consistent_tracker(workspace: Workspace,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    for article in (GUT, BRANCHING, CLOCK):
        edit_catalog(catalog_path(workspace, article), translate_all, translator="Anna")
    real = _Run.catalog
    calls = []

    def crashing(self: _Run, *args: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process dies between two catalogs
        real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(reconcile_known, "record_known", lambda run, items: list(items))  # one by one
    monkeypatch.setattr(_Run, "catalog", crashing)
    with pytest.raises(KeyboardInterrupt):
        reconcile(workspace)
    monkeypatch.setattr(_Run, "catalog", real)
    done = sum(1 for a in (GUT, BRANCHING, CLOCK)
               if all(s.state is State.TRANSLATED for s in states(workspace, a).values()))
    assert done == 1  # the first catalog committed with its file stamp, the rest did not
    report = reconcile(workspace)
    assert report.catalogs == 2
    for article in (GUT, BRANCHING, CLOCK):
        assert {s.state for s in states(workspace, article).values()} == {State.TRANSLATED}
    edits = [r for a in (GUT, BRANCHING, CLOCK) for r in log(workspace, a) if r.reason == "edit"]
    assert len(edits) == sum(len(states(workspace, a)) for a in (GUT, BRANCHING, CLOCK))  # none twice


def test_catalogs_recorded_together_are_recorded_as_one_by_one_and_a_crash_loses_them_together(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Known catalogs edited in bulk (the plain ones recorded in one transaction) get exactly the states,
    history and summaries the careful way records; a crash in that transaction records none of them, and the
    next run records each once."""
    for article in (GUT, BRANCHING, CLOCK):
        edit_catalog(catalog_path(workspace, article), translate_all, translator="Anna")

    def crashing(*args: object) -> None:
        raise KeyboardInterrupt  # the process dies while the batch is being written

    with monkeypatch.context() as patched:
        patched.setattr(reconcile_known, "apply_changes", crashing)
        with pytest.raises(KeyboardInterrupt):
            reconcile(workspace)
    assert not any(s.state is State.TRANSLATED for a in (GUT, BRANCHING, CLOCK) for s in states(workspace, a).values())
    report = reconcile(workspace)
    assert report.catalogs == 3 and report.edits == report.changes > 0
    for article in (GUT, BRANCHING, CLOCK):
        assert {s.state for s in states(workspace, article).values()} == {State.TRANSLATED}
    edits = [r for a in (GUT, BRANCHING, CLOCK) for r in log(workspace, a) if r.reason == "edit"]
    assert len(edits) == sum(len(states(workspace, a)) for a in (GUT, BRANCHING, CLOCK))  # none twice
    assert {r.actor for r in edits} == {"Anna"}
    tracker = open_tracker(database_url(workspace))
    try:
        with tracker.transaction() as session:
            columns = [c for c in CatalogRow.__table__.columns if c.name not in ("path", "published_at")]
            recorded = {tuple(row) for row in session.execute(sa.select(*columns))}
            for article, language in session.execute(sa.select(CatalogRow.article_id, CatalogRow.language)).all():
                refresh_summary(session, article, language)
            assert {tuple(row) for row in session.execute(sa.select(*columns))} == recorded
            session.rollback()
    finally:
        tracker.close()


def test_deleting_the_sqlite_file_rebuilds_states_from_po_files(workspace: Workspace) -> None:
    edit_catalog(catalog_path(workspace), translate_all, translator="Anna")
    reconcile(workspace)
    before = {k: (s.state, s.translation_hash) for k, s in states(workspace).items()}
    for suffix in ("", "-wal", "-shm"):
        Path(f"{embedded_path(workspace)}{suffix}").unlink(missing_ok=True)
    report = reconcile(workspace)
    assert report.created and report.rebuilt
    assert {k: (s.state, s.translation_hash) for k, s in states(workspace).items()} == before
    assert {r.reason for r in log(workspace)} <= {"import", "new"}
    assert not reconcile(workspace).created


def test_no_op_reconcile_does_not_import_sqlalchemy(workspace: Workspace) -> None:
    for path in workspace.locales.rglob("*.po*"):
        os.utime(path, ns=(path.stat().st_mtime_ns - 10**10,) * 2)
    reconcile(workspace)
    code = ("import sys; from pathlib import Path; from i18n.core.workspace import Workspace; "
            "from i18n.workflow.status import status; "
            f"r = status(Workspace.open(config=Path({str(workspace.settings.path)!r}))); "
            "assert r.reconciled.read == 0, r.reconciled; "
            "print(sorted(m for m in ('sqlalchemy', 'alembic', 'i18n.catalogs.pofile') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "I18N_USER": "x"})
    assert result.stdout.strip() == "[]"


def _run_workers(commands: list[list[str]], env: dict[str, str]) -> None:
    processes = [subprocess.Popen([sys.executable, "-m", "tests.tracker_worker", *c], cwd=REPO, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err


def _keys(workspace: Workspace, article: str) -> list[str]:
    return [e.key for e in read_catalog(catalog_path(workspace, article)).active_entries]


@pytest.mark.slow
def test_two_processes_on_one_sqlite_workspace_lose_no_update(workspace: Workspace) -> None:
    # Pre-translate the entries the reviewer will approve, in the catalogs the editor also edits.
    for article in (GUT, BRANCHING):
        edit_catalog(catalog_path(workspace, article), lambda e: translate_all(e) if e.msgctxt != "title" else e,
                     translator="Anna")
    reconcile(workspace)
    approve = {a: [k for k in _keys(workspace, a) if k != "title"] for a in (GUT, BRANCHING)}
    env = {**os.environ, "I18N_USER": "x"}
    env.pop("I18N_DATABASE_URL", None)
    root = str(workspace.root)
    _run_workers([
        ["edit", root, "ca", GUT, "title"], ["approve", root, "ca", GUT, *approve[GUT]],
        ["edit", root, "ca", BRANCHING, "title"], ["approve", root, "ca", BRANCHING, *approve[BRANCHING]],
    ], env)
    reconcile(workspace)
    for article in (GUT, BRANCHING):
        recorded = states(workspace, article)
        assert recorded["title"].state is State.TRANSLATED
        assert all(recorded[k].state is State.APPROVED for k in approve[article])
        history = log(workspace, article)
        assert len([r for r in history if r.reason == "approve"]) == len(approve[article])
        assert len([r for r in history if r.actor == "worker-ca"]) == 1


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from postgres_schema()


@pytest.mark.slow
def test_two_clones_sharing_one_postgresql_tracker_lose_no_update(
        workspace_dir: Path, tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    sqlite_only(monkeypatch)
    monkeypatch.setenv("I18N_DATABASE_URL", postgres_url)
    first = synced(workspace_dir)
    database.upgrade(first)
    clone = tmp_path / "clone"
    shutil.copytree(workspace_dir, clone, ignore=shutil.ignore_patterns(".i18n"))
    second = Workspace.open(config=clone / "i18n.toml")
    for ws in (first, second):
        edit_catalog(catalog_path(ws, GUT), lambda e: translate_all(e) if e.msgctxt != "title" else e,
                     translator="Anna")
        reconcile(ws)
    assert reconcile(second).changes == 0
    keys = [k for k in _keys(first, GUT) if k != "title"]
    env = {**os.environ, "I18N_USER": "x", "I18N_DATABASE_URL": postgres_url}
    _run_workers([
        ["edit", str(first.root), "ca", GUT, "title"], ["approve", str(first.root), "ca", GUT, *keys[::2]],
        ["edit", str(second.root), "es", BRANCHING, "title"], ["approve", str(second.root), "ca", GUT, *keys[1::2]],
    ], env)
    recorded = states(first, GUT)
    assert all(recorded[k].state is State.APPROVED for k in keys)
    assert recorded["title"].state is State.TRANSLATED
    assert states(first, BRANCHING, "es")["title"].state is State.TRANSLATED
    assert len([r for r in log(first, GUT) if r.reason == "approve"]) == len(keys)


def test_article_whose_date_moves_keeps_its_states(workspace: Workspace) -> None:
    edit_catalog(catalog_path(workspace), translate_all, translator="Anna")
    reconcile(workspace)
    source = workspace.root / GUT_SOURCE
    text = source.read_text(encoding="utf-8").replace("date: 2026-11-14", f"date: 2027-01-02\nid: {GUT}", 1)
    moved = workspace.root / "content/2027/2027-01-02-gut-feelings.md"
    moved.parent.mkdir()
    moved.write_text(text, encoding="utf-8")
    source.unlink()
    synced(workspace.root)
    assert (workspace.locales / "ca" / "articles" / "2027" / f"{GUT}.po").is_file()
    report = reconcile(workspace)
    assert report.edits == 0
    from i18n.workflow.status import View, status

    rows = {(a.article, a.language): a for a in status(workspace, view=View.ARTICLES).articles}
    assert rows[(GUT, "ca")].state is State.TRANSLATED
    assert rows[(GUT, "ca")].date.year == 2027
    assert rows[(GUT, "ca")].catalog == f"locales/ca/articles/2027/{GUT}.po"


@pytest.mark.slow
def test_two_status_processes_at_once_record_each_edit_once(workspace: Workspace) -> None:
    edit_catalog(catalog_path(workspace), translate_all, translator="Anna")
    edit_catalog(catalog_path(workspace, BRANCHING, "es"), translate_all, translator="Bea")
    env = {**os.environ, "I18N_USER": "x"}
    env.pop("I18N_DATABASE_URL", None)
    command = [sys.executable, "-c", STATUS_CLI, "-C", str(workspace.root), "status", "--json"]
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(3)]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    gut = states(workspace)
    assert {s.state for s in gut.values()} == {State.TRANSLATED}
    assert len([r for r in log(workspace) if r.reason == "edit"]) == len(gut)
    branching = states(workspace, BRANCHING, "es")
    assert len([r for r in log(workspace, BRANCHING, "es") if r.reason == "edit"]) == len(branching)


def _settle(workspace: Workspace) -> None:
    """Move every file out of the racy window, then reconcile, so that the next no-op takes the fast path."""
    for path in workspace.locales.rglob("*.po*"):
        os.utime(path, ns=(path.stat().st_mtime_ns - 10**10,) * 2)
    reconcile(workspace)


def test_fast_path_sees_same_size_edits_new_and_deleted_files(workspace: Workspace) -> None:
    _fast_path_sees_same_size_edits_new_and_deleted_files(workspace)


def test_fast_path_on_postgresql_sees_same_size_edits_new_and_deleted_files(
        workspace_dir: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server's tracker keeps the folder digests too: a no-op compares them, and reads nothing."""
    sqlite_only(monkeypatch)
    monkeypatch.setenv("I18N_DATABASE_URL", postgres_url)
    monkeypatch.setenv("I18N_USER", "coordinator")
    ws = synced(workspace_dir)
    database.upgrade(ws)
    reconcile(ws)
    _fast_path_sees_same_size_edits_new_and_deleted_files(ws)
    loaded: list[object] = []
    stamps = file_stamps

    def spy(*args: Any) -> Any:
        loaded.append(args)
        return stamps(*args)

    monkeypatch.setattr(reconcile_module, "file_stamps", spy)
    assert reconcile(ws).read == 0 and loaded == []  # told by the folder digests: no file stamp loaded


def _fast_path_sees_same_size_edits_new_and_deleted_files(workspace: Workspace) -> None:
    edit_catalog(catalog_path(workspace), lambda e: replace(e, msgstr="AAAA") if e.msgctxt == "title" else e)
    _settle(workspace)
    assert reconcile(workspace).read == 0  # the fast path: nothing read
    path = catalog_path(workspace)
    write_bytes(path, path.read_bytes().replace(b'msgstr "AAAA"', b'msgstr "BBBB"'))  # same size
    report = reconcile(workspace)
    assert report.changes == 1 and states(workspace)["title"].translation_hash is not None
    _settle(workspace)
    copy = path.with_name("2026-11-30-extra.po")
    copy.write_bytes(path.read_bytes())
    assert reconcile(workspace).read == 1  # a new file in a known folder
    _settle(workspace)
    copy.unlink()
    assert reconcile(workspace).read == 0  # gone: noticed (forgotten below), nothing to read
    opened = open_tracker(database_url(workspace))
    with opened.transaction() as session:
        assert not [p for p in file_stamps(session, clone_id(workspace, database_url(workspace)))
                    if p.endswith("extra.po")]
    opened.close()
    _settle(workspace)
    assert reconcile(workspace).read == 0


def test_status_on_postgresql(workspace_dir: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from i18n.workflow.status import View, status

    sqlite_only(monkeypatch)
    monkeypatch.setenv("I18N_DATABASE_URL", postgres_url)
    ws = synced(workspace_dir)
    database.upgrade(ws)
    edit_catalog(catalog_path(ws), translate_all, translator="Anna")
    reconcile(ws)
    opened = open_tracker(database_url(ws))
    title = next(e for e in read_catalog(catalog_path(ws)).active_entries if e.msgctxt == "title")
    with opened.transaction() as session:
        record_approval(session, article=GUT, language="ca", key="title", source=title.msgid,
                                translation=title.msgstrs, reviewer="Berta")
    opened.close()
    ca = status(ws).languages[0]
    gut = len(read_catalog(catalog_path(ws)).active_entries)
    assert (ca.entries[State.APPROVED], ca.entries[State.TRANSLATED]) == (1, gut - 1)
    assert ca.articles_total == 3
    rows = {(a.article, a.language): a for a in status(ws, view=View.ARTICLES).articles}
    assert rows[(GUT, "ca")].state is State.TRANSLATED
    people = {t.translator: t for t in status(ws, view=View.TRANSLATORS).translators}
    assert people["Berta"].approved_7 == 1 and people["Anna"].translated_7 == gut
    assert status(ws, ["ca"], view=View.DUE, due_days=3650).overdue


def test_memory_draft_has_memory_origin(workspace: Workspace) -> None:
    def draft(entry: Entry) -> Entry:
        return replace(translate_all(entry).with_flag("fuzzy", True),
                       translator_comments=("memory: 2026-11-14-gut-feelings 2026-11-21",))

    edit_catalog(catalog_path(workspace), draft, translator="Anna")
    reconcile(workspace)
    # needs-work (never machine), origin memory, and credited to i18n, not to the catalog's translator
    assert {(s.state, s.origin) for s in states(workspace).values()} == {(State.NEEDS_WORK, "memory")}
    assert {r.actor for r in log(workspace) if r.after is State.NEEDS_WORK} == {"i18n"}


def test_origin_of_reads_the_draft_markers() -> None:
    """Machine drafts name their engine; memory drafts carry ``memory:`` (or, drafted by older versions,
    ``machine: memory``); anything else is nobody's draft."""
    from i18n.workflow.changes import origin_of

    def fuzzy(comment: str) -> Entry:
        return Entry("Hello", "Hola", flags=("fuzzy",), translator_comments=(comment,))

    apertium = fuzzy("machine: apertium eng-cat 2026-11-21")
    assert (apertium.state, origin_of(apertium, apertium.state)) == (State.MACHINE, "machine:apertium")
    memory = fuzzy("memory: 2026-11-14-gut-feelings 2026-11-21")
    assert (memory.state, origin_of(memory, memory.state)) == (State.NEEDS_WORK, "memory")
    legacy = fuzzy("machine: memory 2026-11-21")
    assert (legacy.state, origin_of(legacy, legacy.state)) == (State.MACHINE, "memory")
    person = fuzzy("checked with Anna")
    assert (person.state, origin_of(person, person.state)) == (State.NEEDS_WORK, None)


def _tracker_rows(workspace: Workspace) -> dict[str, list[tuple[object, ...]]]:
    """The catalogs' summaries and every entry state (without times), straight from the SQLite file."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(embedded_path(workspace))) as db:
        return {
            "catalogs": db.execute("SELECT * FROM catalogs ORDER BY article_id, language").fetchall(),
            "states": db.execute("SELECT e.article_id, e.key, s.language, s.state, s.translation_hash, s.origin, "
                                 "s.changed_by, s.previous_source FROM entry_states s JOIN entries e "
                                 "ON e.id = s.entry_id ORDER BY 1, 2, 3").fetchall(),
            "articles": db.execute("SELECT id, entries, words, removed FROM articles ORDER BY id").fetchall(),
        }


def _mixed_states(workspace: Workspace) -> None:
    """Catalogs in every PO state: translated (ca), machine drafts and needs-work (es), untranslated."""
    edit_catalog(catalog_path(workspace), translate_all, translator="Anna")
    edit_catalog(catalog_path(workspace, BRANCHING, "es"),
                 lambda e: replace(translate_all(e).with_flag("fuzzy", True), translator_comments=(
                     ("machine: apertium eng-spa 2026-11-21",) if len(e.msgid) % 2 else ())),
                 translator="Bea")


def test_tracker_build_in_batches_records_what_the_careful_path_records(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    _mixed_states(workspace)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{embedded_path(workspace)}{suffix}").unlink(missing_ok=True)
    monkeypatch.setattr(reconcile_module, "BATCH", 2)  # several batches, an article's catalogs split over two
    seen: list[Progress] = []
    report = reconcile(workspace, progress=seen.append)
    assert report.created and report.articles == 4 and report.catalogs == 8 and not report.errors
    assert [p.total for p in seen] == [12] * 6 and [p.done for p in seen] == [2, 4, 6, 8, 10, 12]
    built = _tracker_rows(workspace)
    assert {row[3] for row in built["states"]} >= {"translated", "machine", "needs-work", "untranslated"}
    # Forget the file index only: every file is read again and compared the careful way (row locks,
    # states on record, summaries recounted with GROUP BY): it finds nothing to change.
    import sqlite3

    with contextlib.closing(sqlite3.connect(embedded_path(workspace))) as db, db:
        db.execute("DELETE FROM files")
        db.execute("DELETE FROM folders")
    again = reconcile(workspace, progress=seen.append)
    assert (again.catalogs, again.changes) == (8, 0)
    assert _tracker_rows(workspace) == built
    assert {(r.reason, r.actor) for r in log(workspace)} == {("import", "Anna")}


def test_crash_mid_build_converges_without_recording_twice(workspace: Workspace,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _mixed_states(workspace)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{embedded_path(workspace)}{suffix}").unlink(missing_ok=True)
    monkeypatch.setattr(reconcile_module, "BATCH", 2)
    from i18n.tracker.queries import build

    real = build.insert_catalogs
    calls = []

    def crashing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the process dies inside the third batch of catalogs
        return real(*args, **kwargs)

    monkeypatch.setattr(build, "insert_catalogs", crashing)
    with pytest.raises(KeyboardInterrupt):
        reconcile(workspace)
    monkeypatch.setattr(build, "insert_catalogs", real)
    report = reconcile(workspace)
    assert report.catalogs == 4  # the two batches committed are not recorded again
    for article, language in ((GUT, "ca"), (BRANCHING, "es"), (CLOCK, "es")):
        recorded = states(workspace, article, language)
        assert sorted(r.entry_key for r in _log_keys(workspace, article, language)) == sorted(recorded)
    assert {s.state for s in states(workspace).values()} == {State.TRANSLATED}


def test_two_clones_building_one_postgresql_tracker_at_once_record_each_entry_once(
        workspace_dir: Path, tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    sqlite_only(monkeypatch)
    monkeypatch.setenv("I18N_DATABASE_URL", postgres_url)
    first = synced(workspace_dir)
    database.upgrade(first)
    _mixed_states(first)
    clone = tmp_path / "clone"
    shutil.copytree(workspace_dir, clone, ignore=shutil.ignore_patterns(".i18n"))
    env = {**os.environ, "I18N_USER": "x", "I18N_DATABASE_URL": postgres_url}
    processes = [subprocess.Popen([sys.executable, "-c", STATUS_CLI, "-C", str(root), "status", "--json"],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for root in (workspace_dir, clone, workspace_dir, clone)]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    for article, language in ((GUT, "ca"), (BRANCHING, "es"), (CLOCK, "ca")):
        recorded = states(first, article, language)
        assert recorded and sorted(r.entry_key for r in _log_keys(first, article, language)) == sorted(recorded)
    assert {s.state for s in states(first).values()} == {State.TRANSLATED}


@dataclass(frozen=True)
class _Logged:
    entry_key: str
    reason: str


def _log_keys(workspace: Workspace, article: str, language: str) -> list[_Logged]:
    """One record per history row of the catalog, with the entry's key."""
    return [_Logged(r.key, r.reason) for r in log(workspace, article, language)]


def _index_is_consistent(workspace: Workspace) -> bool:
    """Whether every folder digest in the index is the digest of that folder's file stamps (and only those)."""
    import sqlite3

    from i18n.workflow.scan import folder_digest, folder_of

    with contextlib.closing(sqlite3.connect(embedded_path(workspace))) as db:
        stamps = db.execute("SELECT path, size, mtime_ns FROM files WHERE clone = 'local'").fetchall()
        folders = dict(db.execute("SELECT path, digest FROM folders WHERE clone = 'local'").fetchall())
    grouped: dict[str, list[tuple[str, int, int]]] = {}
    for path, size, mtime in stamps:
        grouped.setdefault(folder_of(path), []).append((path, size, mtime))
    return folders == {folder: folder_digest(files) for folder, files in grouped.items()}


def test_after_one_edit_only_the_changed_folders_are_compared(workspace: Workspace,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _settle(workspace)
    real = file_stamps
    asked: list[object] = []

    def spy(session: Any, clone: str, folders: Any = None) -> Any:
        asked.append(None if folders is None else set(folders))
        return real(session, clone, folders)

    monkeypatch.setattr(reconcile_module, "file_stamps", spy)
    edit_catalog(catalog_path(workspace), translate_all, translator="Anna")
    report = reconcile(workspace)
    assert (report.read, report.catalogs) == (1, 1) and report.checked == 12
    assert asked == [{workspace.relative(catalog_path(workspace).parent)}]  # one folder's stamps, not all
    assert _index_is_consistent(workspace)
    # A template changed alone: its article's catalogs, in folders that did not change, are compared again
    # (their folders come into scope, and their digests stay true).
    asked.clear()
    template = workspace.template_path(GUT, int(GUT[:4]))
    write_bytes(template, template.read_bytes().replace(b'msgctxt "title"\nmsgid "', b'msgctxt "title"\nmsgid "New: '))
    report = reconcile(workspace)
    assert report.articles == 1 and report.catalogs == 2 and len(asked) == 2
    assert _index_is_consistent(workspace)
    _settle(workspace)
    assert reconcile(workspace).read == 0 and _index_is_consistent(workspace)


def _history_rows(workspace: Workspace) -> list[tuple[object, ...]]:
    import sqlite3

    with contextlib.closing(sqlite3.connect(embedded_path(workspace))) as db:
        return db.execute('SELECT e.article_id, e.key, h.language, h.actor, h.reason, h."before", h."after", '
                          "h.translation_hash FROM history h JOIN entries e ON e.id = h.entry_id "
                          "ORDER BY h.id").fetchall()


def _file_rows(workspace: Workspace) -> list[tuple[object, ...]]:
    import sqlite3

    with contextlib.closing(sqlite3.connect(embedded_path(workspace))) as db:
        return db.execute("SELECT path, digest FROM files ORDER BY path").fetchall()


def test_one_edit_is_recorded_through_plain_sqlite3_without_importing_sqlalchemy(workspace: Workspace) -> None:
    _settle(workspace)
    edit_catalog(catalog_path(workspace), translate_all, translator="Anna")
    code = ("import sys; from pathlib import Path; from i18n.core.workspace import Workspace; "
            "from i18n.workflow.status import status; "
            f"r = status(Workspace.open(config=Path({str(workspace.settings.path)!r}))); "
            "print(r.reconciled.catalogs, r.reconciled.edits, 'sqlalchemy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "I18N_USER": "x"})
    entries = len(states(workspace))
    assert result.stdout.split() == ["1", str(entries), "False"]
    assert {s.state for s in states(workspace).values()} == {State.TRANSLATED}
    assert [(r.actor, r.reason) for r in log(workspace) if r.reason == "edit"] == [("Anna", "edit")] * entries


@pytest.fixture
def plain_runs(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each reconciliation that tried the plain sqlite3 path recorded through it (else the engine)."""
    runs: list[bool] = []
    real = reconcile_module._plain_run

    def counted(*args: Any) -> Any:
        result = real(*args)
        runs.append(result is not None)
        return result

    monkeypatch.setattr(reconcile_module, "_plain_run", counted)
    return runs


def test_plain_path_records_what_the_engine_records(workspace: Workspace, tmp_path: Path, plain_runs: list[bool],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The same edits, recorded once through plain sqlite3 and once through SQLAlchemy: the same rows."""
    _settle(workspace)
    plain_runs.clear()  # counted from here
    twin_root = tmp_path / "twin"
    shutil.copytree(workspace.root, twin_root)
    twin = Workspace.open(config=twin_root / "i18n.toml")
    for ws, plain in ((workspace, open_plain), (twin, lambda _: None)):  # the twin: the engine only
        monkeypatch.setattr(reconcile_module, "open_plain", plain)
        _mixed_states(ws)
        reconcile(ws)
        edit_catalog(catalog_path(ws), lambda e: replace(e, msgstr="") if e.msgctxt == "title" else e,
                     translator="Bea")
        edit_catalog(catalog_path(ws, CLOCK, "es"), translate_all)  # no Last-Translator: the user
        reconcile(ws, user="Carla")
    assert plain_runs == [True, True, False, False]
    assert _tracker_rows(workspace) == _tracker_rows(twin)
    assert _history_rows(workspace) == _history_rows(twin)
    assert _file_rows(workspace) == _file_rows(twin)
    assert {row[3] for row in _history_rows(workspace)} == {"i18n", "Anna", "Bea", "Carla"}  # i18n: the new entries


def test_kill_9_while_edits_are_recorded_through_plain_sqlite3_converges(workspace: Workspace, tmp_path: Path) -> None:
    """``kill -9`` between two catalogs of a plain run (each catalog its own transaction): the next run
    records the rest, each edit once, and the file index agrees with the tracker."""
    import signal
    import time

    _settle(workspace)
    catalogs = [(article, language) for article in (GUT, BRANCHING, CLOCK) for language in ("ca", "es")]
    for article, language in catalogs:
        edit_catalog(catalog_path(workspace, article, language), translate_all, translator="Anna")
    marker = tmp_path / "recorded"
    # Each recorded catalog is reported (and whether SQLAlchemy was loaded: the plain path does not; the
    # marker renamed into place, so that it is never seen empty), then the process waits to be killed.
    script = ("import sys, time; from pathlib import Path; from i18n.core.workspace import Workspace; "
              "from i18n.workflow import reconcile as r; real = r._Run.catalog\n"
              "def slow(self, *args):\n"
              "    real(self, *args); done = Path(sys.argv[2] + '.tmp')\n"
              "    done.write_text(str('sqlalchemy' in sys.modules)); done.replace(sys.argv[2]); time.sleep(60)\n"
              "r._Run.catalog = slow; r.reconcile(Workspace.open(config=Path(sys.argv[1])))")
    child = subprocess.Popen([sys.executable, "-c", script, str(workspace.settings.path), str(marker)],
                             cwd=REPO, env={**os.environ, "I18N_USER": "x"})
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not marker.exists():
            time.sleep(0.02)
        assert child.poll() is None and marker.exists(), "the run ended, or never recorded a catalog"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert marker.read_text() == "False"  # recorded through plain sqlite3
    done = [c for c in catalogs if {s.state for s in states(workspace, *c).values()} == {State.TRANSLATED}]
    assert len(done) == 1  # the first catalog committed, with its file stamp; the others did not
    report = reconcile(workspace)
    assert report.catalogs == len(catalogs) - 1 and not report.errors
    for article, language in catalogs:
        recorded = states(workspace, article, language)
        assert {s.state for s in recorded.values()} == {State.TRANSLATED}
        edits = [r for r in log(workspace, article, language) if r.reason == "edit"]
        assert sorted(r.key for r in edits) == sorted(recorded)  # each entry's edit once, credited to Anna
        assert {r.actor for r in edits} == {"Anna"}
    assert _index_is_consistent(workspace)
    _settle(workspace)
    assert reconcile(workspace).read == 0


def test_many_catalogs_new_to_the_index_go_to_the_bulk_path(workspace: Workspace, plain_runs: list[bool],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Known catalogs are recorded through plain sqlite3 however many changed; catalogs the file index does
    not know, beyond PLAIN_LIMIT, go to the engine (the tracker build's bulk path), nothing written twice."""
    _settle(workspace)
    plain_runs.clear()  # counted from here
    monkeypatch.setattr(reconcile_module, "PLAIN_LIMIT", 1)
    for article in (GUT, BRANCHING, CLOCK):
        edit_catalog(catalog_path(workspace, article), translate_all, translator="Anna")
    assert reconcile(workspace).catalogs == 3 and plain_runs == [True]
    _settle(workspace)
    import sqlite3

    with contextlib.closing(sqlite3.connect(embedded_path(workspace))) as db, db:
        db.execute("DELETE FROM files WHERE path LIKE 'locales/es/%'")  # as a new clone would find them
        db.execute("DELETE FROM folders WHERE path LIKE 'locales/es/%'")
    plain_runs.clear()
    report = reconcile(workspace)
    assert plain_runs == [False] and report.catalogs >= 2 and report.changes == 0
    assert _index_is_consistent(workspace)
