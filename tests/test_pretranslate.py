"""Pre-translation end to end: Apertium for real, LibreTranslate through the fake server."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from i18n.catalogs.catalog import Catalog, Entry
from i18n.catalogs.pofile import read_catalog, write_catalog
from i18n.content.protect import Protector
from i18n.core.errors import ConfigError, EngineAuthError, MachineTranslationError, UsageError
from i18n.core.states import MACHINE_MARKER, MEMORY_MARKER, State
from i18n.core.workspace import Workspace
from i18n.machine.cache import MemoryDraftCache
from i18n.machine.memory import CatalogMemory, MemoryMatch
from i18n.machine.settings import machine_settings
from i18n.workflow.engines import engines_status
from i18n.workflow.pretranslate import Progress, pretranslate
from i18n.workflow.sync import sync
from tests.fake_libretranslate import Behaviour, FakeServer, serve
from tests.programs import require_program


def open_synced(root: Path, extra_config: str = "") -> Workspace:
    """Sync the workspace after replacing the sample's ``[machine]`` tables (if any) with ``extra_config``."""
    if extra_config:
        kept: list[str] = []
        skipping = False
        for line in (root / "i18n.toml").read_text(encoding="utf-8").splitlines():
            if line.startswith("["):
                skipping = line.startswith("[machine")
            if not skipping:
                kept.append(line)
        (root / "i18n.toml").write_text("\n".join(kept) + "\n\n" + extra_config, encoding="utf-8")
    workspace = Workspace.open(root)
    sync(workspace)
    return workspace


def catalogs(workspace: Workspace, gettext: str = "ca") -> list[Path]:
    return sorted((workspace.locales / gettext).rglob("*.po"))


def entries(workspace: Workspace, gettext: str = "ca") -> Iterator[tuple[Path, Entry]]:
    for path in catalogs(workspace, gettext):
        for entry in read_catalog(path).active_entries:
            yield path, entry


def libre_config(server: FakeServer, **engine: object) -> str:
    lines = "".join(f"{key} = {value}\n" for key, value in engine.items())
    return (f'[machine]\nengines = ["libretranslate"]\nretries = 2\n'
            f'[machine.libretranslate]\nurl = "{server.url}"\n{lines}')


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    with serve() as server:
        yield server


# -- Apertium, for real -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_catalan_drafts_from_apertium_keep_links_urls_and_emphasis(workspace_dir: Path) -> None:
    require_program("apertium")
    msgfmt = require_program("msgfmt")
    workspace = open_synced(workspace_dir)
    first = catalogs(workspace)[0]
    catalog = read_catalog(first)
    human = replace(catalog.entries[0], msgstr="Traducció humana")
    needs_work = replace(catalog.entries[1], msgstr="Esborrany humà", flags=("fuzzy",))
    write_catalog(replace(catalog, entries=(human, needs_work, *catalog.entries[2:])), first)

    report = pretranslate(workspace, "ca")

    assert report.status == "ok" and not report.failures and report.drafted == report.entries + report.from_memory
    assert report.engines[0].engine == "apertium eng-cat" and report.engines[0].requests == 1
    protector = Protector()
    for path, entry in entries(workspace):
        if entry.msgid == human.msgid and entry.msgctxt == human.msgctxt and path == first:
            assert entry.msgstr == "Traducció humana" and entry.state is State.TRANSLATED
            continue
        if entry.msgid == needs_work.msgid:
            assert entry.msgstr == "Esborrany humà" and entry.state is State.NEEDS_WORK
            continue
        if entry.msgid == human.msgid:  # the same text elsewhere: the translation memory drafted it
            assert entry.msgstr == human.msgstr and entry.state is State.NEEDS_WORK
            assert entry.translator_comments[-1] == f"{MEMORY_MARKER} messages 2026-11-21 (not approved)"
            continue
        assert entry.state is State.MACHINE, (path, entry.msgid)
        assert entry.translator_comments[-1] == f"{MACHINE_MARKER} apertium eng-cat 2026-11-21"
        for msgstr in entry.msgstrs:
            protector.verify(entry.msgid if msgstr is entry.msgstrs[0] else entry.msgid_plural or "", msgstr)
    for path in catalogs(workspace):
        checked = subprocess.run([msgfmt, "-c", "--use-fuzzy", "-o", "/dev/null", str(path)],
                                 capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr

    again = pretranslate(workspace, "ca", dry_run=True)
    assert (again.entries, again.characters, again.words) == (0, 0, 0)


def test_dry_run_counts_and_writes_nothing(workspace_dir: Path) -> None:
    require_program("apertium")
    workspace = open_synced(workspace_dir)
    before = {p: p.read_bytes() for p in catalogs(workspace)}
    report = pretranslate(workspace, "ca", dry_run=True)
    assert report.entries > 50 and report.characters > 1000 and report.words > 100
    assert report.engines[0].engine == "apertium eng-cat"
    assert report.engines[0].characters == report.characters
    assert {p: p.read_bytes() for p in catalogs(workspace)} == before


@pytest.mark.slow
def test_valencian_uses_its_own_mode(workspace_dir: Path) -> None:
    require_program("apertium")
    text = (workspace_dir / "i18n.toml").read_text().replace('["ca", "es"]', '["ca", "ca-valencia"]')
    (workspace_dir / "i18n.toml").write_text(text)
    workspace = open_synced(workspace_dir)
    report = pretranslate(workspace, "ca-valencia", articles=["2026-11-18-branching-out"], include_ui=False)
    assert [e.engine for e in report.engines] == ["apertium eng-cat_valencia"]
    assert report.written == ("locales/ca@valencia/articles/2026/2026-11-18-branching-out.po",)


# -- through the fake LibreTranslate server ----------------------------------------------------------------


def test_libretranslate_end_to_end_dedupes_and_caches(workspace_dir: Path, fake_server: FakeServer) -> None:
    workspace = open_synced(workspace_dir, libre_config(fake_server))
    originals = {p: p.read_bytes() for p in catalogs(workspace)}
    cache = MemoryDraftCache()
    seen: list[Progress] = []
    report = pretranslate(workspace, "ca", cache=cache, progress=seen.append)
    assert report.status == "ok", report.failures
    texts = fake_server.behaviour.texts
    assert len(texts) == len(set(texts)) == fake_server.behaviour.requests  # each distinct text sent once
    assert report.engines[0].requests == len(texts)
    assert seen and seen[-1].done == seen[-1].total
    drafted = [e for _, e in entries(workspace) if e.state is State.MACHINE]
    assert drafted and all(e.msgstr.startswith("ca:") or e.msgstrs[0].startswith("ca:") for e in drafted)
    assert all(e.translator_comments[-1].startswith("machine: libretranslate en-ca ") for e in drafted)

    for path, data in originals.items():  # the catalogs are reset: the cache answers, nothing is sent
        path.write_bytes(data)
    fake_server.behaviour.requests = 0
    assert pretranslate(workspace, "ca", cache=cache, dry_run=True).characters == 0
    second = pretranslate(workspace, "ca", cache=cache)
    assert fake_server.behaviour.requests == 0
    assert second.from_cache == report.entries and second.drafted == report.drafted


def test_dropped_placeholders_leave_entries_untranslated_and_listed(workspace_dir: Path,
                                                                      fake_server: FakeServer) -> None:
    fake_server.behaviour.drop_placeholders = True
    workspace = open_synced(workspace_dir, libre_config(fake_server))
    report = pretranslate(workspace, "ca")
    assert report.status == "partial"
    assert report.failures and all(f.rejected for f in report.failures)
    assert any("link target" in f.reason or "emphasis" in f.reason for f in report.failures)
    states = {(p.name, e.msgid): e.state for p, e in entries(workspace)}
    for failure in report.failures:
        assert states[(Path(failure.file).name, failure.msgid)] is State.UNTRANSLATED


def test_rate_limits_and_server_errors_are_retried(workspace_dir: Path, fake_server: FakeServer) -> None:
    fake_server.behaviour.rate_limited = 3
    fake_server.behaviour.retry_after = "0"
    fake_server.behaviour.errors = 2
    fake_server.behaviour.garbage = 1
    # Six failures, and as many retries: each text gets through even if every failure falls on it (a retry
    # after "Retry-After: 0" goes out at once, and may meet the next failure before another text does).
    workspace = open_synced(workspace_dir, libre_config(fake_server).replace("retries = 2", "retries = 6"))
    report = pretranslate(workspace, "ca", articles=["2026-11-18-branching-out"], include_ui=False)
    assert report.status == "ok" and report.drafted > 5


def test_total_failure_is_flagged(workspace_dir: Path, fake_server: FakeServer) -> None:
    fake_server.behaviour.errors = 10_000
    workspace = open_synced(workspace_dir, libre_config(fake_server).replace("retries = 2", "retries = 0"))
    report = pretranslate(workspace, "ca", articles=["2026-11-18-branching-out"], include_ui=False)
    assert report.status == "failed" and not report.ok and report.drafted == 0
    assert all("HTTP 500" in f.reason for f in report.failures)
    assert all(e.state is State.UNTRANSLATED for _, e in entries(workspace))


def test_bad_key_stops_the_run_naming_the_variable(workspace_dir: Path, fake_server: FakeServer,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    fake_server.behaviour.api_key = "right"
    monkeypatch.setenv("MY_LIBRE_KEY", "wrong")
    workspace = open_synced(workspace_dir, libre_config(fake_server, api_key_env='"MY_LIBRE_KEY"'))
    with pytest.raises(EngineAuthError, match="MY_LIBRE_KEY"):
        pretranslate(workspace, "ca")


def test_max_chars_stops_before_the_budget(workspace_dir: Path, fake_server: FakeServer) -> None:
    workspace = open_synced(workspace_dir, libre_config(fake_server))
    full = pretranslate(workspace, "ca", dry_run=True)
    budget = full.characters // 3
    report = pretranslate(workspace, "ca", max_chars=budget)
    sent = sum(len(t) for t in fake_server.behaviour.texts)
    assert 0 < sent <= budget and report.characters == sent
    assert report.skipped > 0 and report.drafted + report.skipped == full.entries
    rest = pretranslate(workspace, "ca", dry_run=True)
    assert rest.entries == report.skipped


def test_limit_articles_and_since_select_entries(workspace_dir: Path, fake_server: FakeServer) -> None:
    import datetime as dt

    workspace = open_synced(workspace_dir, libre_config(fake_server))
    assert pretranslate(workspace, "ca", dry_run=True, limit=3).entries == 3
    recent = pretranslate(workspace, "ca", dry_run=True, since=dt.date(2026, 11, 15), include_ui=False)
    only = pretranslate(workspace, "ca", dry_run=True, articles=["2026-11-18-branching-out"], include_ui=False)
    assert recent.entries == only.entries > 0


def test_refresh_replaces_machine_drafts_only(workspace_dir: Path, fake_server: FakeServer) -> None:
    workspace = open_synced(workspace_dir, libre_config(fake_server))
    pretranslate(workspace, "ca", articles=["2026-11-18-branching-out"], include_ui=False)
    sent = fake_server.behaviour.requests
    assert pretranslate(workspace, "ca", articles=["2026-11-18-branching-out"], include_ui=False).entries == 0
    refreshed = pretranslate(workspace, "ca", articles=["2026-11-18-branching-out"], include_ui=False,
                             refresh=True)
    assert refreshed.entries > 0 and fake_server.behaviour.requests == 2 * sent
    machine_comments = [c for _, e in entries(workspace) for c in e.translator_comments if c.startswith("machine:")]
    assert len(machine_comments) == refreshed.drafted  # one marker per entry, never two


def test_translation_memory_comes_first(workspace_dir: Path, fake_server: FakeServer) -> None:
    workspace = open_synced(workspace_dir, libre_config(fake_server))
    path = next(p for p in catalogs(workspace) if "branching" in p.name)
    title = next(e for e in read_catalog(path).entries if e.msgctxt == "title")

    class Memory:
        def exact(self, texts: object) -> dict[str, object]:
            return {title.msgid: MemoryMatch(title.msgid, "Ramificacions", "2026-01-01-old")}

        def near(self, text: str, threshold: float) -> None:
            return None

    report = pretranslate(workspace, "ca", memory=Memory())  # type: ignore[arg-type]
    assert report.from_memory == 1 and title.msgid not in fake_server.behaviour.texts
    drafted = next(e for e in read_catalog(path).entries if e.msgctxt == "title")
    assert drafted.msgstr == "Ramificacions" and drafted.fuzzy
    assert drafted.translator_comments[-1] == "memory: 2026-01-01-old 2026-11-21"
    assert drafted.state is State.NEEDS_WORK  # a memory draft never passes for a machine draft


def test_catalog_memory_exact_and_near_matches() -> None:
    catalog = Catalog(entries=(
        Entry("The cell divides quickly.", "La cèl·lula es divideix ràpidament."),
        Entry("Draft only", "Esborrany", flags=("fuzzy",)),
    ))
    memory = CatalogMemory.of_catalogs([("2026-01-01-a", catalog)])
    assert set(memory.exact(["The cell divides quickly.", "Draft only"])) == {"The cell divides quickly."}
    near = memory.near("The cell divides slowly.", 0.75)
    assert near is not None and near.origin == "2026-01-01-a" and 0.75 <= near.similarity < 1
    assert memory.near("Something else entirely", 0.75) is None


def test_config_is_validated(workspace_dir: Path) -> None:
    workspace = open_synced(workspace_dir, '[machine]\nengines = ["babelfish"]\n')
    with pytest.raises(ConfigError, match=r"machine.engines.*unknown engine 'babelfish'"):
        machine_settings(workspace)
    text = (workspace_dir / "i18n.toml").read_text().replace('"babelfish"', '"apertium"')
    (workspace_dir / "i18n.toml").write_text(text + '[machine.deepl]\napi_key = "secret"\n')
    with pytest.raises(ConfigError, match=r"machine.deepl.api_key.*unknown key"):
        machine_settings(Workspace.open(workspace_dir))


def test_languages_table_orders_engines(workspace_dir: Path) -> None:
    workspace = open_synced(workspace_dir, '[machine]\nengines = ["apertium"]\n'
                                           '[machine.languages]\nes = ["libretranslate", "mymemory"]\n')
    settings = machine_settings(workspace)
    assert settings.order(workspace.settings.language("es")) == ("libretranslate", "mymemory")
    assert settings.order(workspace.settings.language("ca")) == ("apertium",)


def test_forced_engine_without_key_is_explained(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    workspace = open_synced(workspace_dir)
    with pytest.raises(EngineAuthError, match="DEEPL_AUTH_KEY"):
        pretranslate(workspace, "ca", engine="deepl")
    with pytest.raises(MachineTranslationError, match="unknown engine"):
        pretranslate(workspace, "ca", engine="babelfish")


def test_without_an_engine_order_a_missing_apertium_leaves_the_memory_alone(
        workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(workspace_dir / "no-programs"))
    workspace = open_synced(workspace_dir, "[machine]\nmemory = true\n")  # nothing configured: the default
    report = pretranslate(workspace, "ca", articles=["2026-11-18-branching-out"], include_ui=False, tracked=False)
    assert report.status == "ok" and report.drafted == 0 and not report.failures
    assert any("apertium command is not installed" in n for n in report.notes)
    assert any("only the translation memory drafted" in n for n in report.notes)
    assert all(not e.translated for _, e in entries(workspace))
    named = open_synced(workspace_dir, '[machine]\nengines = ["apertium"]\n')  # named: its absence is an error
    with pytest.raises(MachineTranslationError, match="no usable machine-translation engine for ca"):
        pretranslate(named, "ca", articles=["2026-11-18-branching-out"], include_ui=False, tracked=False)


def test_engines_status_lists_every_engine(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    workspace = open_synced(workspace_dir, '[machine]\nengines = ["apertium", "deepl"]\n')
    statuses = {s.engine: s for s in engines_status(workspace)}
    assert next(iter(statuses)) == "memory"
    assert statuses["deepl"].configured and not statuses["deepl"].usable
    assert "DEEPL_AUTH_KEY" in (statuses["deepl"].reason or "") and statuses["deepl"].env == ("DEEPL_AUTH_KEY",)
    assert not statuses["apertium-apy"].configured and "url" in (statuses["apertium-apy"].reason or "")


def test_unusable_engine_in_order_falls_through(workspace_dir: Path, fake_server: FakeServer,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    config = libre_config(fake_server).replace('engines = ["libretranslate"]', 'engines = ["deepl", "libretranslate"]')
    workspace = open_synced(workspace_dir, config)
    report = pretranslate(workspace, "ca", articles=["2026-11-18-branching-out"], include_ui=False)
    assert report.status == "ok" and report.notes and "DEEPL_AUTH_KEY" in report.notes[0]
    assert [e.engine for e in report.engines] == ["libretranslate en-ca"]


def test_a_failing_engine_falls_back_to_the_next(workspace_dir: Path) -> None:
    with serve(Behaviour(drop_placeholders=True)) as bad, serve() as good:
        config = (f'[machine]\nengines = ["libretranslate", "apertium-apy"]\nretries = 0\n'
                  f'[machine.libretranslate]\nurl = "{bad.url}"\n[machine.apertium-apy]\nurl = "{good.url}"\n')
        workspace = open_synced(workspace_dir, config)
        # apertium-apy answers in APy's shape; the fake server speaks LibreTranslate, so APy fails too:
        report = pretranslate(workspace, "ca", articles=["2026-11-18-branching-out"], include_ui=False)
    assert report.failures and report.status in {"partial", "failed"}
    assert {f.engine for f in report.failures} == {"apertium-apy"}


def test_glossary_do_not_translate_terms_are_masked(workspace_dir: Path, fake_server: FakeServer) -> None:
    (workspace_dir / "glossary.toml").write_text('[[term]]\nsource = "Purkinje"\nkeep = true\n', encoding="utf-8")
    workspace = open_synced(workspace_dir, libre_config(fake_server))
    pretranslate(workspace, "ca", articles=["2026-11-18-branching-out"], include_ui=False)
    sent = " ".join(fake_server.behaviour.texts)
    assert "PURKINJE" not in sent.upper()  # the term never reaches the engine
    drafts = [e.msgstr for _, e in entries(workspace) if "Purkinje" in e.msgid]
    assert drafts and all("Purkinje" in d for d in drafts)  # and comes back exactly as written


def test_near_matches_are_comments_never_translations(workspace_dir: Path, fake_server: FakeServer) -> None:

    workspace = open_synced(workspace_dir, libre_config(fake_server))

    class Memory:
        def exact(self, texts: object) -> dict[str, MemoryMatch]:
            return {}

        def near(self, text: str, threshold: float) -> MemoryMatch | None:
            return MemoryMatch(text + "!", "Traducció propera", "2026-01-01-old", 0.83) if "neuron" in text else None

    report = pretranslate(workspace, "ca", articles=["2026-11-18-branching-out"], include_ui=False,
                          memory=Memory())
    assert report.near_matches > 0
    near = [e for _, e in entries(workspace) if "neuron" in e.msgid]
    assert near and all(e.msgstr != "Traducció propera" and e.state is State.MACHINE for e in near)
    assert all("memory 83% (2026-01-01-old): Traducció propera" in e.translator_comments for e in near)


def test_long_texts_are_split_for_the_engine_and_rejoined(workspace_dir: Path, fake_server: FakeServer) -> None:
    workspace = open_synced(workspace_dir, libre_config(fake_server, max_chars=120))
    report = pretranslate(workspace, "ca", articles=["2026-11-18-branching-out"], include_ui=False)
    assert report.status == "ok", report.failures
    assert max(len(t) for t in fake_server.behaviour.texts) < 120
    long = [e for p, e in entries(workspace) if len(e.msgid) > 300 and "branching" in p.name]
    assert long and all(e.state is State.MACHINE and e.msgstr.startswith("ca:") for e in long)
    assert all(e.msgstr.count("ca:") > 1 for e in long)  # several pieces, joined


def test_a_catalog_saved_during_the_run_keeps_the_translators_text(workspace_dir: Path,
                                                                   fake_server: FakeServer) -> None:
    workspace = open_synced(workspace_dir, libre_config(fake_server))
    path = next(p for p in catalogs(workspace) if "branching" in p.name)
    original = read_catalog(path)
    title = next(i for i, e in enumerate(original.entries) if e.msgctxt == "title")

    def translator_saves(progress: Progress) -> None:
        catalog = read_catalog(path)
        if catalog.entries[title].msgstr == "":
            edited = replace(catalog.entries[title], msgstr="Ramificant-se")
            write_catalog(replace(catalog, entries=(*catalog.entries[:title], edited,
                                                    *catalog.entries[title + 1:])), path)

    pretranslate(workspace, "ca", articles=["2026-11-18-branching-out"], include_ui=False,
                 progress=translator_saves)
    final = read_catalog(path)
    assert final.entries[title].msgstr == "Ramificant-se" and final.entries[title].state is State.TRANSLATED
    assert sum(e.state is State.MACHINE for e in final.entries) == len(original.entries) - 1


def test_an_interrupted_run_keeps_what_arrived_and_resumes(workspace_dir: Path, fake_server: FakeServer) -> None:
    workspace = open_synced(workspace_dir, libre_config(fake_server, concurrency=2))
    cache = MemoryDraftCache()
    total = pretranslate(workspace, "ca", dry_run=True).entries
    calls = 0

    def interrupt(progress: Progress) -> None:
        nonlocal calls
        calls += 1
        if calls == 10:
            raise KeyboardInterrupt

    # Answers slower than the run's work on each one (as an engine's are): what was sent and not handed over
    # when the run stops is then what was in flight, not a backlog of answers the run had no time to read.
    fake_server.behaviour.latency = 0.05
    with pytest.raises(KeyboardInterrupt):
        pretranslate(workspace, "ca", cache=cache, progress=interrupt)
    fake_server.behaviour.latency = 0.0
    kept = sum(e.state is State.MACHINE for _, e in entries(workspace))
    assert 10 <= kept < total  # every draft that arrived is on disk, the catalogs are whole
    sent = fake_server.behaviour.requests
    assert sent <= 10 + 2  # at most the batches in flight were lost
    report = pretranslate(workspace, "ca", cache=cache)
    assert report.drafted == total - kept and report.status == "ok"
    assert sum(e.state is State.MACHINE for _, e in entries(workspace)) == total


def test_articles_select_the_ui_catalog_as_at_ui(workspace_dir: Path, fake_server: FakeServer) -> None:
    """``--article`` selects catalogs: ``@ui`` the UI catalog, an id only that article; ``messages`` is refused."""
    workspace = open_synced(workspace_dir, libre_config(fake_server))
    article = "2026-11-18-branching-out"
    ui = pretranslate(workspace, "ca", dry_run=True, articles=["@ui"])
    alone = pretranslate(workspace, "ca", dry_run=True, articles=[article])
    both = pretranslate(workspace, "ca", dry_run=True, articles=["@ui", article])
    assert ui.entries > 0 and alone.entries > 0 and ui.errors == alone.errors == ()
    assert alone.entries == pretranslate(workspace, "ca", dry_run=True, articles=[article], include_ui=False).entries
    assert both.entries == ui.entries + alone.entries
    with pytest.raises(UsageError, match="the UI catalog is named @ui"):
        pretranslate(workspace, "ca", dry_run=True, articles=["messages"])
