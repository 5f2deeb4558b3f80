"""The no-op sync answered from the content index's folder digests: the same report as the full run, and
anything that differs on disk (an edit, a new or removed file, a racy stamp, a link) sends it the full way."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from i18n.core import atomic
from i18n.core import index as index_module
from i18n.core.errors import OutsideWorkspace
from i18n.core.index import INDEX_NAME, ContentIndex
from i18n.core.languages import Language
from i18n.core.workspace import Workspace
from i18n.workflow import sync, sync_noop, sync_settled

ARTICLE = "content/2026/2026-11-18-branching-out.md"
CA_CATALOG = "locales/ca/articles/2026/2026-11-18-branching-out.po"
TEMPLATE = "locales/templates/articles/2026/2026-11-18-branching-out.pot"


def age_everything(root: Path) -> None:
    """Move every file out of the racy window (older than the index the next run writes or reads)."""
    old = time.time() - 60
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (old, old))


def settled(root: Path) -> None:
    """Sync, age the files, sync again (recording their stamps and the folder digests): a settled workspace."""
    assert sync.sync(Workspace.open(root)).ok
    age_everything(root)
    assert sync.sync(Workspace.open(root)).ok


def full_run(root: Path, monkeypatch: pytest.MonkeyPatch) -> sync.SyncReport:
    """The report of a sync that decides file by file (the shortcut switched off)."""
    with monkeypatch.context() as patch:
        patch.setattr(sync, "unchanged_run", lambda *args: None)
        patch.setattr(sync, "settled_run", lambda *args: None)
        return sync.sync(Workspace.open(root))


def shortcut_taken(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record, for each sync, whether the no-op answer was given (from the settled answer, or the index)."""
    taken: list[bool] = []
    unchanged, settled_run = sync._Run.unchanged, sync_settled.settled_run

    asked: list[sync._Run] = []

    def spy(run: sync._Run, languages: tuple[Language, ...]) -> object:
        answer = unchanged(run, languages)
        if not any(run is other for other in asked):  # a full run asks again at its end (to settle): once
            asked.append(run)
            taken.append(answer is not None)
        return answer

    def settled_spy(*args: object) -> object:
        answer = settled_run(*args)  # type: ignore[arg-type]
        if answer is not None:
            taken.append(True)
        return answer

    monkeypatch.setattr(sync._Run, "unchanged", spy)
    monkeypatch.setattr(sync, "settled_run", settled_spy)
    return taken


def test_the_no_op_answer_is_the_full_runs_report(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settled(workspace_dir)
    expected = full_run(workspace_dir, monkeypatch)
    taken = shortcut_taken(monkeypatch)
    for dry_run in (False, True):
        assert sync.sync(Workspace.open(workspace_dir), dry_run=dry_run) == replace(expected, dry_run=dry_run)
    assert taken == [True, True]
    assert expected.extract is not None and expected.extract.templates_unchanged == 3
    assert all(lang.unchanged == 4 for lang in expected.languages)  # three articles and the UI catalog


def test_a_catalog_edited_in_place_is_looked_at(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settled(workspace_dir)
    catalog = workspace_dir / CA_CATALOG
    catalog.write_text(catalog.read_text(encoding="utf-8").replace('msgstr ""\n\n', 'msgstr "Títol"\n\n', 1),
                       encoding="utf-8")
    old = time.time() - 30  # out of the racy window, but not the recorded time
    os.utime(catalog, (old, old))
    taken = shortcut_taken(monkeypatch)
    report = sync.sync(Workspace.open(workspace_dir))
    assert taken == [False] and report.ok
    assert 'msgstr "Títol"' in catalog.read_text(encoding="utf-8")  # merged, the translation kept
    # kept as it was (already merged), its new stamp recorded: the next run is answered without it
    assert sync.sync(Workspace.open(workspace_dir)).ok and taken == [False, True]


def test_a_changed_article_is_extracted(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settled(workspace_dir)
    source = workspace_dir / ARTICLE
    text = source.read_text(encoding="utf-8")
    source.write_text(text + "\nOne more line.\n", encoding="utf-8")
    taken = shortcut_taken(monkeypatch)
    report = sync.sync(Workspace.open(workspace_dir))
    assert taken == [False]
    assert report.extract is not None and report.extract.changed == ("2026-11-18-branching-out",)


@pytest.mark.parametrize("change", ["new article", "removed template", "stray catalog", "new language folder"])
def test_a_file_added_or_removed_is_seen(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    settled(workspace_dir)
    added = None
    if change == "new article":
        added = workspace_dir / "content/2026/2026-11-18-another.md"
        added.write_text((workspace_dir / ARTICLE).read_text(encoding="utf-8"), encoding="utf-8")
    elif change == "removed template":
        (workspace_dir / TEMPLATE).unlink()
    elif change == "stray catalog":  # not one the index knows: the folder is looked at file by file
        added = workspace_dir / "locales/ca/articles/2026/2026-11-17-stray.po"
        added.write_bytes(b"")
    else:
        (workspace_dir / "locales/ca/articles/2026").rename(workspace_dir / "locales/ca/articles/2026-moved")
    if added is not None:  # out of the racy window: only the folder's digest tells
        os.utime(added, (time.time() - 30, time.time() - 30))
    taken = shortcut_taken(monkeypatch)
    report = sync.sync(Workspace.open(workspace_dir))
    assert taken == [False]
    if change == "new article":
        assert report.extract is not None and report.extract.new == ("2026-11-18-another",)
    elif change == "removed template":
        assert (workspace_dir / TEMPLATE).is_file()
    elif change == "new language folder":
        assert (workspace_dir / CA_CATALOG).is_file()


def test_a_racy_stamp_is_not_trusted(workspace_dir: Path) -> None:
    settled(workspace_dir)
    workspace = Workspace.open(workspace_dir)
    index_path = workspace.state_dir / INDEX_NAME
    index = ContentIndex.load(index_path, "ignored")
    assert index.folders == {}  # another fingerprint: nothing is trusted
    fingerprint = sync_noop.index_fingerprint(workspace.settings)
    index = ContentIndex.load(index_path, fingerprint)
    root = str(workspace_dir)
    assert index.trusted(root, CA_CATALOG) and index.trusted(root, TEMPLATE) and index.trusted(root, ARTICLE)
    catalog = workspace_dir / CA_CATALOG
    stat = catalog.stat()
    os.utime(catalog, ns=(stat.st_atime_ns, index.written_ns))  # as if written in the index's own tick
    index = ContentIndex.load(index_path, fingerprint)
    assert not index.trusted(root, CA_CATALOG)
    assert index.trusted(root, TEMPLATE)  # another folder


def test_a_link_in_a_folder_is_looked_at_one_by_one(workspace_dir: Path, tmp_path: Path) -> None:
    settled(workspace_dir)
    catalog = workspace_dir / CA_CATALOG
    outside = tmp_path / "outside.po"
    outside.write_bytes(catalog.read_bytes())
    catalog.unlink()
    catalog.symlink_to(outside)
    workspace = Workspace.open(workspace_dir)
    index = ContentIndex.load(workspace.state_dir / INDEX_NAME, sync_noop.index_fingerprint(workspace.settings))
    assert not index.trusted(str(workspace_dir), CA_CATALOG)


@pytest.mark.parametrize("kept", ["none", "stale"])
def test_folder_digests_missing_or_stale_are_made_again(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                        kept: str) -> None:
    """An index saved without folder digests (the version before) or with digests that no longer follow from
    its stamps (another Python's marshal) gets them at the next run, which the run after is answered by."""
    settled(workspace_dir)
    workspace = Workspace.open(workspace_dir)
    path = workspace.state_dir / INDEX_NAME
    fingerprint = sync_noop.index_fingerprint(workspace.settings)
    index = ContentIndex.load(path, fingerprint)
    digests = dict(index.folders)
    assert "locales/ca/articles/2026" in digests and "content/2026" in digests
    with monkeypatch.context() as patch:
        patch.setattr(index_module, "_folder_digests",
                      lambda stamps: {} if kept == "none" else dict.fromkeys(digests, "0" * 40))
        index.changed = True
        index.save()
    taken = shortcut_taken(monkeypatch)
    assert sync.sync(Workspace.open(workspace_dir)).ok
    assert ContentIndex.load(path, fingerprint).folders == digests
    assert sync.sync(Workspace.open(workspace_dir)).ok
    assert taken == [False, True]


# -- the settled answer (i18n.workflow.sync_settled) ----------------------------------------------------------


def settled_answer(root: Path) -> None:
    """:func:`settled`, then the no-op run that writes the settled answer."""
    settled(root)
    assert sync.sync(Workspace.open(root)).ok
    assert (root / ".i18n" / sync_settled.SETTLED_NAME).is_file()


def settled_answers(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record what :func:`sync_settled.settled_run` answers, each run (``None``: not settled)."""
    calls: list[object] = []

    def spy(*args: Any) -> object:
        calls.append(sync_settled.settled_run(*args))
        return calls[-1]

    monkeypatch.setattr(sync, "settled_run", spy)
    return calls


def index_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record each load of a content index (the settled answer loads none)."""
    loads: list[Path] = []
    load = ContentIndex.load.__func__  # type: ignore[attr-defined]

    def spy(cls: type[ContentIndex], path: Path, fingerprint: str = "") -> ContentIndex:
        loads.append(path)
        return load(cls, path, fingerprint)  # type: ignore[no-any-return]

    monkeypatch.setattr(ContentIndex, "load", classmethod(spy))
    return loads


def test_a_settled_workspace_is_answered_without_its_index(workspace_dir: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    settled_answer(workspace_dir)
    expected = full_run(workspace_dir, monkeypatch)
    loads = index_loads(monkeypatch)
    assert sync.sync(Workspace.open(workspace_dir)) == expected
    assert loads == []
    assert sync.sync(Workspace.open(workspace_dir), dry_run=True) == replace(expected, dry_run=True)


def test_a_dry_run_settles_nothing(workspace_dir: Path) -> None:
    assert sync.sync(Workspace.open(workspace_dir), dry_run=True).ok  # a first run, dry: nothing written
    assert not (workspace_dir / ".i18n" / sync_settled.SETTLED_NAME).exists()
    settled(workspace_dir)
    (workspace_dir / ".i18n" / sync_settled.SETTLED_NAME).unlink(missing_ok=True)
    assert sync.sync(Workspace.open(workspace_dir), dry_run=True).ok  # a no-op, dry
    assert not (workspace_dir / ".i18n" / sync_settled.SETTLED_NAME).exists()


def _ui_template(root: Path) -> Path:
    return next(p for p in sorted((root / "site/templates").glob("*.html")))


CHANGES = ["article edited", "article added in a new folder", "other file added", "UI template edited",
           "UI template added", "catalog edited", "index saved", "languages", "settled file damaged"]


@pytest.mark.parametrize("change", CHANGES)
def test_anything_changed_since_it_settled_is_looked_at(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                          change: str) -> None:
    """Whatever changed, the answer is the full run's (the settled answer is not given)."""
    settled_answer(workspace_dir)
    old = time.time() - 30  # out of the racy window: only the folders' digests tell
    touched: Path | None = None
    languages = None
    if change == "article edited":
        touched = workspace_dir / ARTICLE
        touched.write_text(touched.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    elif change == "article added in a new folder":
        touched = workspace_dir / "content/2026/extra/2026-11-18-another.md"
        touched.parent.mkdir()
        touched.write_text((workspace_dir / ARTICLE).read_text(encoding="utf-8"), encoding="utf-8")
    elif change == "other file added":
        touched = workspace_dir / "content/2026/photo.jpg"
        touched.write_bytes(b"\xff\xd8")
    elif change == "UI template edited":
        touched = _ui_template(workspace_dir)
        touched.write_text(touched.read_text(encoding="utf-8").replace("</body>", "<p>{{ _('Thanks') }}</p></body>"),
                           encoding="utf-8")
    elif change == "UI template added":
        touched = workspace_dir / "site/templates/extra.html"
        touched.write_text("<p>{{ _('A brand new string') }}</p>\n", encoding="utf-8")
    elif change == "catalog edited":
        touched = workspace_dir / CA_CATALOG
        touched.write_text(touched.read_text(encoding="utf-8").replace('msgstr ""\n\n', 'msgstr "Títol"\n\n', 1),
                           encoding="utf-8")
    elif change == "index saved":
        index = ContentIndex.load(workspace_dir / ".i18n" / INDEX_NAME,
                                  sync_noop.index_fingerprint(Workspace.open(workspace_dir).settings))
        index.changed = True
        index.save()
    elif change == "languages":
        languages = (Workspace.open(workspace_dir).settings.languages[0],)
    else:
        (workspace_dir / ".i18n" / sync_settled.SETTLED_NAME).write_bytes(b"\0not marshal")
    if touched is not None:
        os.utime(touched, (old, old))
    with monkeypatch.context() as patch:
        patch.setattr(sync, "unchanged_run", lambda *args: None)
        patch.setattr(sync, "settled_run", lambda *args: None)
        expected = sync.sync(Workspace.open(workspace_dir), languages, dry_run=True)
    taken = shortcut_taken(monkeypatch)
    calls = settled_answers(monkeypatch)
    assert sync.sync(Workspace.open(workspace_dir), languages, dry_run=True) == expected
    assert calls == [None]
    if change in ("other file added", "index saved", "languages", "settled file damaged"):
        assert taken == [True]  # nothing to do, told from the index (and the new file reported as ignored)
    else:
        assert taken == [False]
    if change == "other file added":
        assert expected.extract is not None and "content/2026/photo.jpg" in expected.extract.ignored


def test_a_link_anywhere_in_the_content_is_looked_at(workspace_dir: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    settled_answer(workspace_dir)
    (workspace_dir / "content/2026/elsewhere").symlink_to(tmp_path)
    calls = settled_answers(monkeypatch)
    with pytest.raises(OutsideWorkspace):  # the full check stops the command, as before it settled
        sync.sync(Workspace.open(workspace_dir))
    assert calls == [None]


def test_a_no_op_resettles_after_a_change(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settled_answer(workspace_dir)
    source = workspace_dir / ARTICLE
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert sync.sync(Workspace.open(workspace_dir)).extract.changed == ("2026-11-18-branching-out",)  # type: ignore[union-attr]
    settled_answer(workspace_dir)  # no-ops told from the index: the last one settles
    loads = index_loads(monkeypatch)
    report = sync.sync(Workspace.open(workspace_dir))
    assert loads == [] and report.ok and report.extract is not None and report.extract.changed == ()


def test_a_workspace_without_its_site_folder_settles_and_sees_one_made(workspace_dir: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.rmtree(workspace_dir / "site")
    settled_answer(workspace_dir)
    calls = settled_answers(monkeypatch)
    assert sync.sync(Workspace.open(workspace_dir)).ok and calls[-1] is not None
    page = workspace_dir / "site/templates/page.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>{{ _('A brand new string') }}</p>\n", encoding="utf-8")
    report = sync.sync(Workspace.open(workspace_dir))
    assert calls[-1] is None and report.extract is not None and report.extract.ui_changed


def test_the_digests_made_again_for_the_folders_recorded_are_those_of_every_folder(tmp_path: Path) -> None:
    """Saving after a few files were recorded makes the digests of their folders only; the result is the one
    made from every stamp (a folder emptied is dropped, a new one added)."""
    files = tmp_path / "files"
    for folder in ("a", "b", "c"):
        (files / folder).mkdir(parents=True)
        for n in range(3):
            (files / folder / f"{n}.po").write_text(f"{folder}{n}", encoding="utf-8")
    path = tmp_path / "index"
    index = ContentIndex.load(path, "fp")
    for file in sorted(files.rglob("*.po")):
        index.record(file.relative_to(files).as_posix(), file.stat(), "t")
    index.save()
    first = ContentIndex.load(path, "fp")
    assert first.folders == index_module._folder_digests(first.stamps) and set(first.folders) == {"a", "b", "c"}
    (files / "a/0.po").write_text("changed, and longer", encoding="utf-8")
    (files / "d").mkdir()
    (files / "d/0.po").write_text("new", encoding="utf-8")
    first.record("a/0.po", (files / "a/0.po").stat(), "t2")
    first.record("d/0.po", (files / "d/0.po").stat(), "t")
    for n in range(3):
        first.forget(f"c/{n}.po")
    first.forget("b/1.po")
    first.save()
    again = ContentIndex.load(path, "fp")
    assert again.folders == index_module._folder_digests(again.stamps) == first.folders
    assert set(again.folders) == {"a", "b", "d"}


def test_a_full_run_settles_so_the_next_no_op_loads_no_index(workspace_dir: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A sync that changed something asks the no-op question again once its index is saved, and settles:
    the next sync is answered from the folders alone, with the full run's answer."""
    settled_answer(workspace_dir)
    source = workspace_dir / ARTICLE
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    write = atomic.write_atomic

    def later(*args: Any, **kwargs: Any) -> None:  # the index written a tick after the files (none racy)
        time.sleep(0.05)
        write(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(index_module, "write_atomic", later)
        report = sync.sync(Workspace.open(workspace_dir))
    assert report.extract is not None and report.extract.changed == ("2026-11-18-branching-out",)
    assert (workspace_dir / ".i18n" / sync_settled.SETTLED_NAME).is_file()
    expected = full_run(workspace_dir, monkeypatch)
    calls = settled_answers(monkeypatch)
    loads = index_loads(monkeypatch)
    assert sync.sync(Workspace.open(workspace_dir)) == expected
    assert calls[-1] is not None and loads == []


def test_a_run_with_errors_or_for_some_languages_does_not_settle(workspace_dir: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a run of every language without errors settles; after another, the next sync is not answered
    from a settled answer (an older one left behind no longer matches the saved index)."""
    settled_answer(workspace_dir)
    source = workspace_dir / ARTICLE
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    first = Workspace.open(workspace_dir).settings.languages[:1]
    assert sync.sync(Workspace.open(workspace_dir), first).ok  # one language
    calls = settled_answers(monkeypatch)
    report = sync.sync(Workspace.open(workspace_dir))  # the other languages' catalogs still to update
    assert calls == [None] and report.ok and [lang.updated for lang in report.languages][1:] != [()]
    broken = workspace_dir / "content/2026/2026-11-19-broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    assert not sync.sync(Workspace.open(workspace_dir)).ok  # an error
    again = sync.sync(Workspace.open(workspace_dir))
    assert calls[-1] is None and not again.ok  # told again, not answered as settled
