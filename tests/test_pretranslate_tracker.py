"""Pre-translation with the status tracker: the persistent draft cache, memory from approvals, the recorded
state of drafts, and post-edit data (SQLite, and PostgreSQL when ``I18N_TEST_DATABASE_URL`` is set)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from i18n.catalogs.catalog import Entry
from i18n.catalogs.pofile import read_catalog
from i18n.cli.commands import cli, main, status_command
from i18n.core.errors import MachineTranslationError
from i18n.core.states import MEMORY_MARKER, State
from i18n.core.workspace import Workspace
from i18n.tracker.engine import Tracker
from i18n.tracker.engine import open_tracker as open_tracker_at
from i18n.tracker.models import CatalogRow, MachineDraftRow
from i18n.tracker.queries.drafts import TrackerDraftCache, approved_translations, cached_drafts, machine_draft_outcomes
from i18n.tracker.queries.recording import SYSTEM_ACTOR, catalog_states, refresh_summary
from i18n.tracker.queries.review import history as tracked_history
from i18n.tracker.queries.review import record_approval
from i18n.tracker.snapshot import database_url
from i18n.workflow.pretranslate import Progress, pretranslate
from i18n.workflow.reconcile import reconcile
from tests.fake_libretranslate import FakeServer, serve
from tests.test_pretranslate import catalogs, entries, libre_config, open_synced
from tests.tracker_support import GUT, catalog_path, edit_catalog, postgres_schema, write_bytes

LABEL = "libretranslate en-ca"


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Where the tracker lives: the embedded file, or a fresh schema on the test PostgreSQL server."""
    monkeypatch.delenv("I18N_DATABASE_URL", raising=False)
    monkeypatch.setenv("I18N_USER", "coordinator")
    if request.param == "sqlite":
        yield request.param
        return
    for url in postgres_schema():
        open_tracker_at(url, upgrade=True).close()  # a server's schema is created by hand (i18n db upgrade)
        monkeypatch.setenv("I18N_DATABASE_URL", url)
        yield request.param


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    with serve() as server:
        yield server


@pytest.fixture
def opened(workspace_dir: Path) -> Iterator[list[Tracker]]:
    """Trackers a test opened, closed at the end."""
    trackers: list[Tracker] = []
    yield trackers
    for each in trackers:
        each.close()


def open_tracker(workspace: Workspace, opened: list[Tracker]) -> Tracker:
    opened.append(open_tracker_at(database_url(workspace)))
    return opened[-1]


def reset(originals: dict[Path, bytes]) -> None:
    """Put the catalogs back as they were before the drafts (moving their mtimes on, as an editor would)."""
    for path, data in originals.items():
        write_bytes(path, data)


# -- the persistent draft cache -------------------------------------------------------------------------


def test_save_drafts_upserts_and_checks_the_source(backend: str, workspace_dir: Path,
                                                   opened: list[Tracker]) -> None:
    workspace = open_synced(workspace_dir)
    tracker = open_tracker(workspace, opened)
    texts = [f"Sentence number {i}." for i in range(1200)]  # more than one IN (...) chunk
    cache = TrackerDraftCache(tracker)
    cache.put_many(LABEL, "en", "ca", {t: f"Frase {t}" for t in texts})
    cache.put_many(LABEL, "en", "ca", {texts[0]: "Frase nova"})  # a later draft replaces the earlier one
    found = cache.get_many(LABEL, "en", "ca", [*texts, "Never sent"])
    assert len(found) == 1200 and found[texts[0]] == "Frase nova" and found[texts[1]].startswith("Frase ")
    assert cache.get_many(LABEL, "en", "es", texts[:3]) == {}  # languages and engine are part of the key
    assert cache.get_many("apertium eng-cat", "en", "ca", texts[:3]) == {}
    with tracker.transaction() as session:  # a hash that matches a different text is not a hit
        session.execute(sa.update(MachineDraftRow).where(MachineDraftRow.source == texts[2])
                        .values(source="Another text"))
    assert texts[2] not in cache.get_many(LABEL, "en", "ca", texts[:3])


def test_a_second_run_after_resetting_the_catalogs_sends_nothing(backend: str, workspace_dir: Path,
                                                                  fake_server: FakeServer) -> None:
    workspace = open_synced(workspace_dir, libre_config(fake_server))
    originals = {p: p.read_bytes() for p in catalogs(workspace)}
    first = pretranslate(workspace, "ca")
    assert first.status == "ok" and first.engines[0].requests == fake_server.behaviour.requests > 0
    reset(originals)
    fake_server.behaviour.requests = 0
    dry = pretranslate(workspace, "ca", dry_run=True)
    assert (dry.entries, dry.characters, dry.words) == (0, 0, 0)
    second = pretranslate(workspace, "ca")  # a new run: only the tracker remembers the drafts
    assert fake_server.behaviour.requests == 0
    assert second.from_cache == first.entries and second.drafted == first.drafted
    drafts = [e.msgstrs[0] for _, e in entries(workspace) if e.state is State.MACHINE]
    assert len(drafts) == first.drafted and all(d.startswith("ca:") for d in drafts)


def test_a_crash_keeps_the_drafts_already_paid_for(backend: str, workspace_dir: Path, fake_server: FakeServer,
                                                    opened: list[Tracker]) -> None:
    workspace = open_synced(workspace_dir, libre_config(fake_server, concurrency=2))
    originals = {p: p.read_bytes() for p in catalogs(workspace)}
    planned = pretranslate(workspace, "ca", dry_run=True).engines[0].requests  # one request per text
    calls = 0

    def crash(progress: Progress) -> None:
        nonlocal calls
        calls += 1
        if calls == 10:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pretranslate(workspace, "ca", progress=crash)
    reset(originals)  # as if the process died before writing a single catalog
    texts = {e.msgid for _, e in entries(workspace) if e.state is State.UNTRANSLATED}
    with open_tracker(workspace, opened).transaction() as session:
        kept = cached_drafts(session, LABEL, "en", "ca", texts)
    assert len(kept) >= 10  # every batch that arrived before the crash was committed
    fake_server.behaviour.requests = 0
    report = pretranslate(workspace, "ca")
    assert report.status == "ok" and fake_server.behaviour.requests == planned - len(kept)
    assert all(e.state is State.MACHINE for _, e in entries(workspace) if e.msgid)


# -- the tracker records the drafts -----------------------------------------------------------------------


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, workspace: Workspace,
            *args: str) -> Result:
    if "status" not in cli.commands:
        monkeypatch.setitem(cli.commands, "status", status_command)
    with pytest.raises(SystemExit) as exited:
        main(["-C", str(workspace.root), *args])
    out, err = capsys.readouterr()
    return Result(int(exited.value.code or 0), out, err)


def test_drafts_are_recorded_as_machine_with_their_engine(backend: str, workspace_dir: Path,
                                                           fake_server: FakeServer, opened: list[Tracker],
                                                           capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = open_synced(workspace_dir, libre_config(fake_server))
    result = run_cli(capsys, monkeypatch, workspace, "pretranslate", "ca", "--json")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["drafted"] > 0 and report["reconciled"]["errors"] == []
    status = json.loads(run_cli(capsys, monkeypatch, workspace, "status", "ca", "--json").stdout)
    assert status["languages"][0]["entries"]["machine"] == report["drafted"]
    assert status["reconciled"]["changes"] == 0  # pretranslate already recorded its drafts
    with open_tracker(workspace, opened).transaction() as session:
        states = catalog_states(session, GUT, "ca")
        history = tracked_history(session, GUT, "ca")
    assert {s.origin for s in states.values() if s.state is State.MACHINE} == {"machine:libretranslate"}
    assert {h.actor for h in history if h.after is State.MACHINE} == {SYSTEM_ACTOR}  # nobody's own work
    again = run_cli(capsys, monkeypatch, workspace, "pretranslate", "ca", "--dry-run", "--json")
    assert json.loads(again.stdout)["characters"] == 0


def test_written_catalogs_are_recorded_in_one_go_as_a_reconciliation_would(
        backend: str, workspace_dir: Path, fake_server: FakeServer, monkeypatch: pytest.MonkeyPatch,
        opened: list[Tracker]) -> None:
    """The run records the catalogs it wrote itself (no second reconciliation reading them back), and exactly
    what reconciling would record: the next reconciliation parses no catalog and changes nothing."""
    from i18n.workflow import pretranslate as pretranslate_module
    from i18n.workflow import pretranslate_tracker as tracking
    from i18n.workflow import reconcile as reconciliation

    workspace = open_synced(workspace_dir, libre_config(fake_server))
    calls: list[int] = []
    real = reconciliation.reconcile

    def counted(*args: object, **kwargs: object) -> reconciliation.ReconcileReport:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    for module in (tracking, pretranslate_module):  # where a run reconciles: before it, and after it if needed
        monkeypatch.setattr(module, "reconcile", counted)
    report = pretranslate(workspace, "ca")
    assert report.drafted > 0 and len(report.written) > 1 and not report.errors
    assert len(calls) == 1  # the reconciliation before the run only
    after = real(workspace)
    assert (after.catalogs, after.changes) == (0, 0)  # read back (just written: racy), not parsed, same states
    with open_tracker(workspace, opened).read_session() as session:
        states = catalog_states(session, GUT, "ca")
        history = tracked_history(session, GUT, "ca")
    assert {s.origin for s in states.values() if s.state is State.MACHINE} == {"machine:libretranslate"}
    assert {h.actor for h in history if h.after is State.MACHINE} == {SYSTEM_ACTOR}


def test_recorded_summaries_and_states_are_those_a_recount_gives(
        backend: str, workspace_dir: Path, fake_server: FakeServer, opened: list[Tracker]) -> None:
    """The catalogs a run records together (a person's translation, an approval and drafts side by side in
    several catalogs) get the summaries ``refresh_summary`` counts and the states a reconciliation records."""
    workspace = open_synced(workspace_dir, libre_config(fake_server))
    path = catalog_path(workspace)
    person = next(e for e in read_catalog(path).active_entries if e.msgid and not e.translated)
    edit_catalog(path, lambda e: replace(e, msgstr="Traducció d'una persona") if e.key == person.key else e,
                 translator="Marta Puig")
    pretranslate(workspace, "ca", dry_run=True)  # reconciles: the tracker now knows the person's text
    tracker = open_tracker(workspace, opened)
    with tracker.transaction() as session:
        assert record_approval(session, article=GUT, language="ca", key=person.key, source=person.msgid,
                               translation=("Traducció d'una persona",), reviewer="Berta") is State.APPROVED

    report = pretranslate(workspace, "ca")

    assert len(report.written) > 2 and not report.errors
    columns = [c for c in CatalogRow.__table__.columns if c.name not in ("path", "published_at")]
    with tracker.transaction() as session:
        recorded = {tuple(row) for row in session.execute(sa.select(*columns))}
        assert catalog_states(session, GUT, "ca")[person.key].state is State.APPROVED
        for article, language in session.execute(sa.select(CatalogRow.article_id, CatalogRow.language)).all():
            refresh_summary(session, article, language)
        recounted = {tuple(row) for row in session.execute(sa.select(*columns))}
        session.rollback()
    assert recorded == recounted
    assert any(row[columns.index(CatalogRow.__table__.c.n_machine)] > 0 for row in recorded)
    again = reconcile(workspace)
    assert (again.catalogs, again.changes) == (0, 0)


def test_a_catalog_saved_during_the_run_is_reconciled_with_the_translator_credited(
        backend: str, workspace_dir: Path, fake_server: FakeServer, monkeypatch: pytest.MonkeyPatch,
        opened: list[Tracker]) -> None:
    """A translator saves a catalog while the drafts are on their way: the run applies the drafts to the saved
    text, and that catalog is recorded by a reconciliation, which credits the translator's edit to them."""
    from i18n.machine import engines

    workspace = open_synced(workspace_dir, libre_config(fake_server, concurrency=1))
    path = catalog_path(workspace)
    edited: list[str] = []
    translate = engines.Engine.translate

    def with_an_edit(self: engines.Engine, texts: Sequence[str]) -> list[str | MachineTranslationError]:
        if not edited:
            target = next(e for e in read_catalog(path).active_entries if e.msgid and not e.translated)
            edited.append(target.msgid)
            edit_catalog(path, lambda e: replace(e, msgstr="Traducció d'una persona") if e.msgid == target.msgid
                         else e, translator="Marta Puig")
        return translate(self, texts)

    monkeypatch.setattr(engines.Engine, "translate", with_an_edit)
    report = pretranslate(workspace, "ca")
    assert edited and report.drafted > 0 and not report.errors
    entry = next(e for e in read_catalog(path).active_entries if e.msgid == edited[0])
    assert entry.msgstr == "Traducció d'una persona" and not entry.fuzzy  # never drafted over
    with open_tracker(workspace, opened).read_session() as session:
        history = tracked_history(session, GUT, "ca")
        states = catalog_states(session, GUT, "ca")
    assert any(h.actor == "Marta Puig" and h.after is State.TRANSLATED for h in history)
    assert any(s.state is State.MACHINE for s in states.values())  # its drafts are recorded too
    again = reconcile(workspace)
    assert (again.catalogs, again.changes) == (0, 0)


def test_kill_9_while_catalogs_are_written_and_recorded_converges(backend: str, workspace_dir: Path,
                                                                    fake_server: FakeServer,
                                                                    opened: list[Tracker]) -> None:
    """``kill -9`` in the middle of a run (catalogs written, some recorded, drafts on their way): the next run
    drafts the rest, and the tracker ends up with exactly the states of the files."""
    workspace = open_synced(workspace_dir, libre_config(fake_server, concurrency=1))
    fake_server.behaviour.latency = 0.05
    script = ("import sys; from pathlib import Path; from i18n.core.workspace import Workspace; "
              "from i18n.workflow.pretranslate import pretranslate; "
              "pretranslate(Workspace.open(Path(sys.argv[1])), 'ca')")
    child = subprocess.Popen([sys.executable, "-c", script, str(workspace.root)], cwd=Path(__file__).parent.parent)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(
                e.state is State.MACHINE for _, e in entries(workspace)):
            time.sleep(0.02)
        time.sleep(0.3)  # a group or two recorded, more on the way
        assert child.poll() is None, "the run ended before it could be killed"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    fake_server.behaviour.latency = 0.0
    report = pretranslate(workspace, "ca")
    assert report.status == "ok" and not report.errors
    assert all(e.state is State.MACHINE for _, e in entries(workspace) if e.msgid)
    assert (after := reconcile(workspace)).changes == 0 and after.catalogs == 0  # the tracker has the files' states
    with open_tracker(workspace, opened).read_session() as session:
        recorded = catalog_states(session, GUT, "ca")
    in_file = {e.key: e.state for e in read_catalog(catalog_path(workspace)).active_entries if e.msgid}
    assert {key: recorded[key].state for key in in_file} == in_file


# -- translation memory from the approvals ----------------------------------------------------------------


def test_memory_drafts_come_from_approvals_and_need_work(backend: str, workspace_dir: Path,
                                                          fake_server: FakeServer, opened: list[Tracker]) -> None:
    workspace = open_synced(workspace_dir, libre_config(fake_server))
    ui = workspace.ui_catalog_path(workspace.settings.language("ca"))
    twins = [e for e in read_catalog(ui).active_entries if e.msgid == "Archive"]
    assert len(twins) == 2, "the sample's UI has 'Archive' twice (two contexts)"
    first, second = twins

    def translated(text: str) -> Callable[[Entry], Entry]:
        return lambda e: replace(e, msgstr=text) if e.key == first.key else e

    edit_catalog(ui, translated("Arxiu"), translator="Anna")
    pretranslate(workspace, "ca", dry_run=True)  # reconciles: the tracker now knows "Arxiu"
    tracker = open_tracker(workspace, opened)
    with tracker.transaction() as session:
        assert record_approval(session, article="messages", language="ca", key=first.key, source="Archive",
                                  translation=("Arxiu",), reviewer="Berta") is State.APPROVED
    # Edited since: the catalogs say "Arxiu (menú)", the approval "Arxiu": the approval wins.
    edit_catalog(ui, translated("Arxiu (menú)"), translator="Anna")

    report = pretranslate(workspace, "ca")

    assert report.from_memory == 1 and "Archive" not in fake_server.behaviour.texts
    drafted = next(e for e in read_catalog(ui).active_entries if e.key == second.key)
    assert (drafted.msgstr, drafted.fuzzy, drafted.state) == ("Arxiu", True, State.NEEDS_WORK)
    assert drafted.translator_comments[-1] == f"{MEMORY_MARKER} messages 2026-11-21"
    with tracker.transaction() as session:
        recorded = catalog_states(session, "messages", "ca")[second.key]
        approved = approved_translations(session, "ca")
    assert (recorded.state, recorded.origin) == (State.NEEDS_WORK, "memory")
    assert approved["Archive"].translation == "Arxiu" and approved["Archive"].article == "messages"


# -- post-edit data -----------------------------------------------------------------------------------------


def test_draft_outcomes_say_what_became_of_each_draft(backend: str, workspace_dir: Path, fake_server: FakeServer,
                                                       opened: list[Tracker]) -> None:
    workspace = open_synced(workspace_dir, libre_config(fake_server))
    pretranslate(workspace, "ca")
    path = catalog_path(workspace)
    keys = [e.key for e in read_catalog(path).active_entries if e.msgid_plural is None][:3]
    accepted, post_edited, untouched = keys

    def review(entry: Entry) -> Entry:
        if entry.key == accepted:
            return entry.with_flag("fuzzy", False)  # accepted as it is
        if entry.key == post_edited:
            return replace(entry.with_flag("fuzzy", False), msgstr="Traducció revisada")
        return entry

    edit_catalog(path, review, translator="Anna")
    pretranslate(workspace, "ca", dry_run=True)  # reconciles the edits
    tracker = open_tracker(workspace, opened)
    with tracker.transaction() as session:
        record_approval(session, article=GUT, language="ca", key=post_edited,
                           source=next(e.msgid for e in read_catalog(path).active_entries if e.key == post_edited),
                           translation=("Traducció revisada",), reviewer="Berta")
        outcomes = {o.key: o for o in machine_draft_outcomes(session, "ca") if o.article == GUT}
        everywhere = machine_draft_outcomes(session)
    assert {o.engine for o in everywhere} == {LABEL} and {o.language for o in everywhere} == {"ca"}
    assert outcomes[accepted].unchanged and outcomes[accepted].state is State.TRANSLATED
    assert outcomes[accepted].draft.startswith("ca:") and outcomes[accepted].approved is None
    edited = outcomes[post_edited]
    assert not edited.unchanged and edited.state is State.APPROVED and edited.approved == "Traducció revisada"
    assert outcomes[untouched].unchanged and outcomes[untouched].state is State.MACHINE
    drafted = sum(1 for e in read_catalog(path).active_entries if e.msgid_plural is None and e.msgstr)
    assert len(outcomes) == drafted
