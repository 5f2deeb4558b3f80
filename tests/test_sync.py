"""extract / update / sync on real files: the daily rules, idempotency, bad input, the lock."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from i18n.catalogs.catalog import Catalog
from i18n.catalogs.pofile import read_catalog
from i18n.core.errors import ConfigError, LockTimeout
from i18n.core.index import INDEX_NAME
from i18n.core.states import State
from i18n.core.workspace import Workspace
from i18n.workflow import sync

ARTICLE = "content/2026/2026-11-18-branching-out.md"
CA_CATALOG = "locales/ca/articles/2026/2026-11-18-branching-out.po"
TEMPLATE = "locales/templates/articles/2026/2026-11-18-branching-out.pot"


def run_sync(root: Path, dry_run: bool = False) -> sync.SyncReport:
    return sync.sync(Workspace.open(root), dry_run=dry_run)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under locales/ with its bytes and mtime."""
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted((root / "locales").rglob("*")) if p.is_file()}


def translate_all(path: Path, prefix: str = "CA ") -> Catalog:
    """Translate every entry of a catalog (as a translator would), through our own writer."""
    from dataclasses import replace

    from i18n.catalogs.pofile import write_catalog

    catalog = read_catalog(path)
    entries = tuple(
        replace(e, msgstr=prefix + e.msgid) if e.msgid_plural is None
        else replace(e, msgstr_plural=(prefix + e.msgid, prefix + e.msgid_plural))
        for e in catalog.entries
    )
    translated = replace(catalog, entries=entries)
    write_catalog(translated, path)
    return translated


def edit_article(root: Path, old: str, new: str) -> None:
    path = root / ARTICLE
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def entries_by_id(root: Path, catalog: str = CA_CATALOG) -> dict[str, tuple[str, State, str | None]]:
    return {e.msgid: (e.msgstr, e.state, e.previous_msgid) for e in read_catalog(root / catalog).active_entries}


def test_first_sync_creates_the_pinned_layout(workspace_dir: Path) -> None:
    report = run_sync(workspace_dir)
    assert report.ok
    assert report.extract is not None and len(report.extract.new) == 3
    for path in (TEMPLATE, CA_CATALOG, "locales/templates/messages.pot", "locales/ca/LC_MESSAGES/messages.po",
                 "locales/es/articles/2025/2025-12-30-clock-work.po"):
        assert (workspace_dir / path).is_file(), path
    catalog = read_catalog(workspace_dir / CA_CATALOG)
    assert catalog.header("Language") == "ca"
    assert catalog.header("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert catalog.header("Content-Type") == "text/plain; charset=UTF-8"
    assert catalog.header("POT-Creation-Date") == "2026-11-21 08:00+0000"
    title = catalog.entries[0]
    assert (title.msgctxt, title.references) == ("title", (f"{ARTICLE}:2",))
    assert title.extracted_comments == ('title of "Branching Out" (2026-11-18)',)


def test_second_run_writes_no_byte(workspace_dir: Path) -> None:
    run_sync(workspace_dir)
    before = snapshot(workspace_dir)
    report = run_sync(workspace_dir)
    assert snapshot(workspace_dir) == before
    assert report.extract is not None and report.extract.templates_written == 0
    assert all(not lang.created and not lang.updated for lang in report.languages)


def test_index_skips_unchanged_files_without_reading(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_sync(workspace_dir)
    # Age every file past the racy window, record their stamps, then forbid parsing.
    old = time.time() - 60
    for path in workspace_dir.rglob("*"):
        if path.is_file():
            os.utime(path, (old, old))
    run_sync(workspace_dir)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged file was parsed")

    monkeypatch.setattr(sync, "load_markdown", refuse)
    monkeypatch.setattr(sync, "read_catalog", refuse)
    monkeypatch.setattr(sync, "merge", refuse)
    report = run_sync(workspace_dir)
    assert report.ok and report.extract is not None and report.extract.templates_unchanged == 3


def test_dry_run_writes_nothing_and_reports_the_same(workspace_dir: Path) -> None:
    dry = run_sync(workspace_dir, dry_run=True)
    assert not (workspace_dir / "locales").exists()
    assert not (workspace_dir / ".i18n" / INDEX_NAME).exists()
    real = run_sync(workspace_dir)
    assert dry.extract is not None and real.extract is not None
    assert dry.extract.new == real.extract.new
    assert [len(lang.created) for lang in dry.languages] == [len(lang.created) for lang in real.languages]


def test_inserting_a_paragraph_keeps_other_translations(workspace_dir: Path) -> None:
    run_sync(workspace_dir)
    translate_all(workspace_dir / CA_CATALOG)
    edit_article(workspace_dir, "\nThe flatness", "\nA brand new paragraph inserted by the editors.\n\nThe flatness")
    report = run_sync(workspace_dir)
    entries = entries_by_id(workspace_dir)
    assert entries["A brand new paragraph inserted by the editors."] == ("", State.UNTRANSLATED, None)
    others = {k: v for k, v in entries.items() if k != "A brand new paragraph inserted by the editors."}
    assert all(state is State.TRANSLATED and text == "CA " + msgid for msgid, (text, state, _) in others.items())
    assert report.languages[0].entries.new == 1 and report.languages[0].entries.fuzzy == 0


def test_whitespace_and_typography_fix_does_not_fuzz(workspace_dir: Path) -> None:
    run_sync(workspace_dir)
    translate_all(workspace_dir / CA_CATALOG)
    text = (workspace_dir / ARTICLE).read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    # re-wrap every paragraph differently, double a space, curl the quotes
    rewrapped = body.replace("\n", " \n").replace(" the ", "  the ", 1).replace("'", "’")
    (workspace_dir / ARTICLE).write_text(text.replace(body, rewrapped), encoding="utf-8")
    report = run_sync(workspace_dir)
    assert all(state is State.TRANSLATED for _, state, _ in entries_by_id(workspace_dir).values())
    assert report.languages[0].entries.fuzzy == 0


def test_real_change_is_fuzzy_with_previous_msgid(workspace_dir: Path) -> None:
    run_sync(workspace_dir)
    translate_all(workspace_dir / CA_CATALOG)
    before = entries_by_id(workspace_dir)
    edit_article(workspace_dir, "the neurons made", "the nerve cells made")
    run_sync(workspace_dir)
    after = entries_by_id(workspace_dir)
    changed = [(m, v) for m, v in after.items() if m not in before]
    assert changed, "the edit should change an entry"
    for _msgid, (text, state, previous) in changed:
        assert state is State.NEEDS_WORK
        assert previous in before and text == "CA " + previous
    raw = (workspace_dir / CA_CATALOG).read_text(encoding="utf-8")
    assert "#, fuzzy" in raw and "#| msgid" in raw


def test_removed_article_keeps_translations_as_obsolete(workspace_dir: Path) -> None:
    run_sync(workspace_dir)
    translate_all(workspace_dir / CA_CATALOG)
    (workspace_dir / ARTICLE).unlink()
    report = run_sync(workspace_dir)
    assert report.extract is not None and report.extract.removed == ("2026-11-18-branching-out",)
    assert not (workspace_dir / TEMPLATE).exists()
    catalog = read_catalog(workspace_dir / CA_CATALOG)
    assert not catalog.active_entries and all(e.msgstr.startswith("CA ") for e in catalog.obsolete_entries)


def test_corrected_date_moves_the_catalog(workspace_dir: Path) -> None:
    run_sync(workspace_dir)
    translate_all(workspace_dir / CA_CATALOG)
    old = workspace_dir / ARTICLE
    new = workspace_dir / "content/2027/2027-01-02-branching-out.md"
    new.parent.mkdir()
    new.write_text(old.read_text(encoding="utf-8").replace("date: 2026-11-18", "date: 2027-01-02"),
                   encoding="utf-8")
    old.unlink()
    run_sync(workspace_dir)
    # a new id (the date is part of it): the old catalog is kept, all obsolete, the new one starts fresh
    assert (workspace_dir / "locales/ca/articles/2027/2027-01-02-branching-out.po").is_file()
    assert read_catalog(workspace_dir / CA_CATALOG).obsolete_entries


def test_corrected_year_with_a_fixed_id_moves_the_catalog(workspace_dir: Path) -> None:
    """An article with an explicit id keeps it when its date moves to another year: so does its catalog."""
    edit_article(workspace_dir, "title:", "id: branching-out\ntitle:")
    run_sync(workspace_dir)
    old_catalog = workspace_dir / "locales/ca/articles/2026/branching-out.po"
    translated = translate_all(old_catalog)
    edit_article(workspace_dir, "date: 2026-11-18", "date: 2027-01-02")
    report = run_sync(workspace_dir)
    assert report.ok
    assert not old_catalog.exists()
    assert not (workspace_dir / "locales/templates/articles/2026/branching-out.pot").exists()
    assert (workspace_dir / "locales/templates/articles/2027/branching-out.pot").is_file()
    moved = read_catalog(workspace_dir / "locales/ca/articles/2027/branching-out.po")
    assert [(e.msgid, e.msgstr) for e in moved.active_entries] == [
        (e.msgid, e.msgstr) for e in translated.active_entries]
    assert not moved.obsolete_entries


def test_malformed_source_is_reported_and_the_rest_goes_on(workspace_dir: Path) -> None:
    run_sync(workspace_dir)
    before = (workspace_dir / TEMPLATE).read_bytes()
    edit_article(workspace_dir, "title: ", "title: [unclosed ")
    new = workspace_dir / "content/2026/2026-11-19-new-one.md"
    new.write_text("---\ntitle: New\ndate: 2026-11-19\nauthor: A\n---\n\nText.\n", encoding="utf-8")
    report = run_sync(workspace_dir)
    assert not report.ok
    (error,) = report.errors
    # YAML notices the unclosed bracket where the next line starts; the error names the line that opens it
    assert error.file == ARTICLE and error.line == 2 and "malformed front matter" in error.message
    assert (workspace_dir / TEMPLATE).read_bytes() == before  # untouched, not removed
    assert report.extract is not None and report.extract.new == ("2026-11-19-new-one",)
    assert report.extract.removed == ()


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("---\ndate: 2026-11-19\nauthor: A\n---\nText\n", 1, "missing 'title'"),
        ("---\ntitle: T\nauthor: A\n---\nText\n", 1, "missing 'date'"),
        ("---\ntitle: T\ndate: 2026-02-30\nauthor: A\n---\nText\n", 3, "not a valid date"),
    ],
)
def test_each_bad_source_names_file_and_line(workspace_dir: Path, content: str, line: int, message: str) -> None:
    path = workspace_dir / "content/2026/2026-11-19-bad.md"
    path.write_text(content, encoding="utf-8")
    report = run_sync(workspace_dir)
    (error,) = report.errors
    assert (error.file, error.line) == ("content/2026/2026-11-19-bad.md", line)
    assert message in error.message


def test_non_utf8_source(workspace_dir: Path) -> None:
    path = workspace_dir / "content/2026/2026-11-19-latin1.md"
    path.write_bytes("---\ntitle: Caf\xe9\ndate: 2026-11-19\nauthor: A\n---\n".encode("latin-1"))
    (error,) = run_sync(workspace_dir).errors
    assert (error.file, error.line) == ("content/2026/2026-11-19-latin1.md", 2)
    assert "UTF-8" in error.message


def test_duplicate_ids_are_refused(workspace_dir: Path) -> None:
    copy = workspace_dir / "content/2026/copy.md"
    copy.write_text((workspace_dir / ARTICLE).read_text(encoding="utf-8").replace(
        "title:", "id: 2026-11-18-branching-out\ntitle:"), encoding="utf-8")
    report = run_sync(workspace_dir)
    (error,) = report.errors
    assert "used by more than one article" in error.message
    assert not (workspace_dir / TEMPLATE).exists()


def test_po_syntax_error_leaves_that_file_untouched(workspace_dir: Path) -> None:
    run_sync(workspace_dir)
    broken = workspace_dir / CA_CATALOG
    text = broken.read_text(encoding="utf-8")
    bad = text.replace('msgstr ""\n\n#. image', 'msgstr "unterminated\n\n#. image', 1)
    assert bad != text
    broken.write_text(bad, encoding="utf-8")
    edit_article(workspace_dir, "the neurons made", "the nerve cells made")  # a change that must reach every catalog
    report = run_sync(workspace_dir)
    assert broken.read_text(encoding="utf-8") == bad
    (error,) = report.errors
    assert error.file.endswith(CA_CATALOG) and error.line is not None and error.line > 1
    es = read_catalog(workspace_dir / CA_CATALOG.replace("/ca/", "/es/"))
    assert any("nerve cells" in e.msgid for e in es.entries)  # the other language was updated


def test_vanished_catalog_is_recreated(workspace_dir: Path) -> None:
    run_sync(workspace_dir)
    (workspace_dir / CA_CATALOG).unlink()
    (workspace_dir / TEMPLATE).unlink()
    report = run_sync(workspace_dir)
    assert report.ok and (workspace_dir / CA_CATALOG).is_file() and (workspace_dir / TEMPLATE).is_file()


def test_update_alone_follows_templates_on_disk(workspace_dir: Path) -> None:
    ws = Workspace.open(workspace_dir)
    sync.extract(ws)
    assert not (workspace_dir / CA_CATALOG).exists()
    report = sync.update(ws, (ws.settings.language("ca"),))
    assert (workspace_dir / CA_CATALOG).is_file()
    assert not (workspace_dir / "locales/es").exists()
    assert [lang.language for lang in report.languages] == ["ca"]


def test_a_second_process_waits_then_fails_clearly(workspace_dir: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from i18n.core.workspace import Workspace\n"
         "ws = Workspace.open(Path(sys.argv[1]))\n"
         "with ws.lock():\n    print('locked', flush=True); time.sleep(30)\n", str(workspace_dir)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(LockTimeout) as caught, Workspace.open(workspace_dir).lock(timeout=0.5):
            pass
        assert 0.4 < time.monotonic() - started < 5
        assert f"i18n process {holder.pid}" in str(caught.value)
        assert "I18N_LOCK_TIMEOUT" in str(caught.value)
    finally:
        holder.kill()
        holder.wait()
    with Workspace.open(workspace_dir).lock(timeout=0.5):  # released when the holder died
        pass


@pytest.mark.parametrize("value", ["soon", "-1", "nan"])
def test_a_bad_lock_timeout_is_a_clear_error(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                             value: str) -> None:
    monkeypatch.setenv("I18N_LOCK_TIMEOUT", value)
    with pytest.raises(ConfigError, match="I18N_LOCK_TIMEOUT") as caught:
        run_sync(workspace_dir)
    assert caught.value.hint is not None and "number" in caught.value.hint
    assert not (workspace_dir / "locales").exists()


def test_changed_settings_reach_every_template(workspace_dir: Path) -> None:
    run_sync(workspace_dir)
    old = time.time() - 60
    for path in workspace_dir.rglob("*"):
        if path.is_file():
            os.utime(path, (old, old))
    run_sync(workspace_dir)  # stamps now trusted
    config = workspace_dir / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'project = "Biomedical Image of the Day"', 'project = "BIoD"'), encoding="utf-8")
    report = run_sync(workspace_dir)
    assert report.extract is not None and report.extract.new == () and len(report.extract.changed) == 3
    assert read_catalog(workspace_dir / TEMPLATE).header("Project-Id-Version") == "BIoD"
