"""The no-op sync answered from the content index's folder digests: the same report as the full run, and
anything that differs on disk (an edit, a new or removed file, a racy stamp, a link) sends it the full way."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from i18n.core import index as index_module
from i18n.core.index import INDEX_NAME, ContentIndex
from i18n.core.languages import Language
from i18n.core.workspace import Workspace
from i18n.workflow import sync

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
        return sync.sync(Workspace.open(root))


def shortcut_taken(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record, for each sync, whether the no-op answer was given."""
    taken: list[bool] = []
    unchanged = sync._Run.unchanged

    def spy(run: sync._Run, languages: tuple[Language, ...]) -> object:
        answer = unchanged(run, languages)
        taken.append(answer is not None)
        return answer

    monkeypatch.setattr(sync._Run, "unchanged", spy)
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
    fingerprint = sync._fingerprint(workspace.settings)
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
    index = ContentIndex.load(workspace.state_dir / INDEX_NAME, sync._fingerprint(workspace.settings))
    assert not index.trusted(str(workspace_dir), CA_CATALOG)


@pytest.mark.parametrize("kept", ["none", "stale"])
def test_folder_digests_missing_or_stale_are_made_again(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                        kept: str) -> None:
    """An index saved without folder digests (the version before) or with digests that no longer follow from
    its stamps (another Python's marshal) gets them at the next run, which the run after is answered by."""
    settled(workspace_dir)
    workspace = Workspace.open(workspace_dir)
    path = workspace.state_dir / INDEX_NAME
    fingerprint = sync._fingerprint(workspace.settings)
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
