"""The tracker build's reading side (issue 14): worker processes, first states, and what they record.

The first ``i18n status`` on a workspace with an empty tracker reads every template and catalog in forked
workers (:mod:`i18n.workflow.build_workers`), each catalog's entries reduced to their first states by
:func:`~i18n.workflow.changes.first_state` instead of :func:`~i18n.workflow.changes.entry_changes`. Here:
those states are the ones ``entry_changes`` records; the workers' tracker is the one a single process
builds, and the one the careful path (one catalog at a time) builds; a pool that cannot start or breaks
leaves the work to the parent.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import functools
import sqlite3
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n.catalogs.catalog import Catalog, Entry
from i18n.core.workspace import Workspace
from i18n.tracker.engine import open_tracker
from i18n.tracker.queries import build
from i18n.tracker.queries.drafts import save_drafts
from i18n.tracker.queries.recording import TrackedEntry
from i18n.tracker.snapshot import database_url, embedded_path
from i18n.workflow import build_workers, database
from i18n.workflow.build_workers import first_states, read_all
from i18n.workflow.changes import entry_changes
from i18n.workflow.reconcile import reconcile
from tests.tracker_support import (
    GUT,
    catalog_path,
    edit_catalog,
    postgres_schema,
    sqlite_only,
    synced,
    translate_all,
)

TEXTS = ["", "Hola", "Bon dia", "Adéu", "Hola!"]
COMMENTS = ["machine: apertium eng-cat 2026-11-21", "machine: memory 2026-11-21", "machine:", "memory: 0.92",
            "checked with Anna", "machine: deepl"]


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    """An entry in any state a PO file can show: fuzzy or not, drafted by a machine or the memory, plural."""
    plural = draw(st.booleans())
    previous = draw(st.one_of(st.none(), st.sampled_from(["Old", "Hello"])))
    return Entry(msgid=draw(st.sampled_from(["Hello", "Good day", "Bye"])),
                 msgstr="" if plural else draw(st.sampled_from(TEXTS)),
                 msgctxt=draw(st.one_of(st.none(), st.sampled_from(["title", "credit"]))),
                 msgid_plural="Hellos" if plural else None,
                 msgstr_plural=tuple(draw(st.sampled_from(TEXTS)) for _ in range(2)) if plural else (),
                 flags=("fuzzy",) if draw(st.booleans()) else (),
                 translator_comments=tuple(draw(st.lists(st.sampled_from(COMMENTS), max_size=2))),
                 previous_msgid=previous)


def reference(catalog: Catalog, drafts: dict[str, set[str]] | None) -> dict[str, tuple[Any, ...]]:
    """What entry_changes records for each entry of ``catalog`` when the tracker has nothing on record."""
    keys = [e.key for e in catalog.active_entries]
    current = {key: TrackedEntry(index, key, "", "") for index, key in enumerate(keys)}
    changes = entry_changes(language="ca", current=current, catalog=catalog, states={}, approvals={},
                            translator="Anna", at=dt.datetime(2026, 1, 1), drafts=drafts)
    return {key: (c.state.value, c.translation_hash, c.origin, c.reason.value, c.actor == "Anna", c.previous_source)
            for key, c in zip(current, changes, strict=True)}


@settings(max_examples=300, deadline=None)
@given(st.lists(entries(), max_size=6, unique_by=lambda e: (e.msgctxt, e.msgid)),
       st.dictionaries(st.sampled_from(["Hello", "Hellos", "Good day", "Bye"]),
                       st.sets(st.sampled_from(TEXTS[1:]), max_size=2), max_size=3))
def test_first_states_are_what_entry_changes_records(generated: list[Entry], drafts: dict[str, set[str]]) -> None:
    catalog = Catalog(entries=tuple(generated))
    assert first_states(catalog, drafts) == reference(catalog, drafts)
    assert first_states(catalog) == reference(catalog, None)


def test_an_entry_the_catalog_lacks_is_untranslated_as_entry_changes_records_it() -> None:
    current = {"k": TrackedEntry(1, "k", "Hello", "h")}
    (change,) = entry_changes(language="ca", current=current, catalog=Catalog(), states={}, approvals={},
                              translator="Anna", at=dt.datetime(2026, 1, 1))
    recorded = (change.state.value, change.translation_hash, change.origin, change.reason.value,
                change.actor == "Anna", change.previous_source)
    assert recorded == build.UNTRANSLATED


def _square(n: int) -> int:
    return n * n


class _Failing:
    """Stands for ProcessPoolExecutor when no process can start."""

    def __init__(self, *_: Any, **__: Any) -> None:
        raise OSError("Resource temporarily unavailable")


def test_read_all_gives_every_result_in_order_with_or_without_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    jobs = list(range(1000))
    expected = [n * n for n in jobs]
    monkeypatch.setattr(build_workers, "CHUNK", 7)
    assert list(read_all(_square, jobs, workers=2)) == expected  # forked workers
    assert list(read_all(_square, jobs, workers=1)) == expected  # this process
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", _Failing)
    assert list(read_all(_square, jobs, workers=2)) == expected  # no pool: this process


def test_a_pool_that_breaks_midway_leaves_the_rest_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def breaking(function: Any, jobs: Any, workers: int) -> Iterator[list[int]]:
        yield [function(job) for job in jobs[:3]]
        raise BrokenProcessPool("a worker died")

    monkeypatch.setattr(build_workers, "_pooled", breaking)
    assert list(read_all(_square, list(range(500)), workers=2)) == [n * n for n in range(500)]


@pytest.fixture
def workspace(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A synced workspace whose catalogs hold every state, and no tracker yet."""
    sqlite_only(monkeypatch)
    monkeypatch.setenv("I18N_USER", "coordinator")
    ws = synced(workspace_dir)
    edit_catalog(catalog_path(ws), translate_all, translator="Anna")
    for index, path in enumerate(sorted((ws.locales / "es").rglob("*.po"))):
        edit_catalog(path, functools.partial(_drafted, odd=index % 2), translator="Bea")
    return ws


def _drafted(entry: Entry, odd: int) -> Entry:
    """``entry`` translated and fuzzy, half of them machine drafts."""
    machine = (len(entry.msgid) + odd) % 2
    return replace(translate_all(entry).with_flag("fuzzy", True),
                   translator_comments=("machine: apertium eng-spa 2026-11-21",) if machine else ())


def _forget(workspace: Workspace) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{embedded_path(workspace)}{suffix}").unlink(missing_ok=True)
    (workspace.state_dir / "tracker.created").unlink(missing_ok=True)


def _contents(workspace: Workspace) -> dict[str, list[tuple[object, ...]]]:
    """Every row the build writes, without ids and times (times: only their type and length), nor what
    depends on a file's mtime (a file written within two seconds is stamped as racy)."""
    with contextlib.closing(sqlite3.connect(embedded_path(workspace))) as db:
        return {
            "articles": db.execute("SELECT * FROM articles ORDER BY id").fetchall(),
            "entries": db.execute("SELECT article_id, key, msgctxt, source, source_hash, words, position, removed "
                                  "FROM entries ORDER BY article_id, position").fetchall(),
            "catalogs": db.execute("SELECT * FROM catalogs ORDER BY article_id, language").fetchall(),
            "states": db.execute(
                "SELECT e.article_id, e.key, s.language, s.state, s.translation_hash, s.source_hash, s.origin, "
                "s.changed_by, s.previous_source, typeof(s.changed_at), length(s.changed_at) FROM entry_states s "
                "JOIN entries e ON e.id = s.entry_id ORDER BY 1, 2, 3").fetchall(),
            "history": db.execute(
                "SELECT e.article_id, e.key, h.language, h.actor, h.reason, h.\"before\", h.\"after\", "
                "h.translation_hash, typeof(h.at), length(h.at) FROM history h JOIN entries e ON e.id = h.entry_id "
                "ORDER BY 1, 2, 3").fetchall(),
            "files": db.execute("SELECT clone, path, digest FROM files ORDER BY 1, 2").fetchall(),
            "folders": db.execute("SELECT clone, path FROM folders ORDER BY 1, 2").fetchall(),  # digests: racy
        }


def _built(workspace: Workspace) -> dict[str, list[tuple[object, ...]]]:
    _forget(workspace)
    report = reconcile(workspace)
    assert report.created and not report.errors
    return _contents(workspace)


def test_workers_build_the_tracker_one_process_builds(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_workers, "cpu_count", lambda: 1)
    alone = _built(workspace)
    assert {row[3] for row in alone["states"]} >= {"translated", "machine", "needs-work", "untranslated"}
    assert {row[3:5] for row in alone["history"]} >= {("Anna", "import"), ("Bea", "import"), ("i18n", "import"),
                                                      ("i18n", "new")}
    forked: list[int] = []
    real = build_workers._pooled

    def pooled(*args: Any) -> Any:
        forked.append(1)
        return real(*args)

    monkeypatch.setattr(build_workers, "cpu_count", lambda: 2)
    monkeypatch.setattr(build_workers, "PARALLEL_MIN", 1)
    monkeypatch.setattr(build_workers, "CHUNK", 2)
    monkeypatch.setattr(build_workers, "_pooled", pooled)
    assert _built(workspace) == alone
    assert forked == [1, 1]  # the templates, then the catalogs
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", _Failing)
    assert _built(workspace) == alone


def test_the_build_records_what_the_careful_path_records(workspace: Workspace,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    bulk = _built(workspace)
    # Every catalog the careful way (a row lock, states compared with none on record, history appended).
    monkeypatch.setattr(build, "known_catalogs", lambda session, ids: {
        (article, language.code) for article in ids for language in workspace.settings.languages})
    assert _built(workspace) == bulk


def test_machine_drafts_on_record_decide_a_catalog_built_in_bulk(workspace: Workspace,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``# machine:`` entry whose text is not the draft on record is a person's (needs-work), in bulk too."""
    catalog = catalog_path(workspace, GUT, "es")
    edited = edit_catalog(catalog, lambda e: replace(translate_all(e, "Texto").with_flag("fuzzy", True),
                                                     translator_comments=("machine: apertium eng-spa 2026-11-21",)))
    drafts = {e.msgid: (e.msgstr if index % 2 else "Otro texto")
              for index, e in enumerate(edited.active_entries) if e.msgid_plural is None}
    results = []
    for careful in (False, True):
        _forget(workspace)
        tracker = open_tracker(database_url(workspace))
        try:
            with tracker.transaction() as session:
                save_drafts(session, "apertium eng-spa", "en", "es", drafts)
        finally:
            tracker.close()
        if careful:
            monkeypatch.setattr(build, "known_catalogs", lambda session, ids: {
                (article, language.code) for article in ids for language in workspace.settings.languages})
        reconcile(workspace)
        results.append(_contents(workspace))
    assert results[0] == results[1]
    states = {row[1]: row[3] for row in results[0]["states"] if row[0] == GUT and row[2] == "es"}
    assert set(states.values()) >= {"machine", "needs-work"}


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from postgres_schema()


def _recorded(workspace: Workspace) -> dict[str, list[tuple[object, ...]]]:
    """The states, history, summaries and file index, through whichever tracker the workspace uses."""
    tracker = open_tracker(database_url(workspace))
    try:
        with tracker.transaction() as session:
            def rows(sql: str) -> list[tuple[object, ...]]:
                return sorted(tuple(row) for row in session.execute(sa.text(sql)))
            return {
                "states": rows("SELECT e.article_id, e.key, s.language, s.state, s.translation_hash, s.origin, "
                               "s.changed_by, s.previous_source "
                               "FROM entry_states s JOIN entries e ON e.id = s.entry_id"),
                "history": rows("SELECT e.article_id, e.key, h.language, h.actor, h.reason, h.after, "
                                "h.translation_hash FROM history h JOIN entries e ON e.id = h.entry_id"),
                "catalogs": rows("SELECT * FROM catalogs"),
                "files": rows("SELECT path, digest FROM files"),
            }
    finally:
        tracker.close()


def test_workers_build_a_postgresql_tracker_as_they_build_a_sqlite_one(
        workspace: Workspace, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_workers, "PARALLEL_MIN", 1)
    monkeypatch.setattr(build_workers, "CHUNK", 2)
    monkeypatch.setattr(build_workers, "cpu_count", lambda: 2)
    _built(workspace)
    embedded = _recorded(workspace)
    monkeypatch.setenv("I18N_DATABASE_URL", postgres_url)
    database.upgrade(workspace)
    assert not reconcile(workspace).errors
    assert _recorded(workspace) == embedded
