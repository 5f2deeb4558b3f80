"""Files are staged as soon as their bytes exist, committed at the end, and removed on any error; progress."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from i18n.content.articles import Article
from i18n.core.index import INDEX_NAME
from i18n.core.workspace import Workspace
from i18n.workflow import sync, sync_workers
from i18n.workflow.sync import SyncProgress, SyncStep
from i18n.workflow.sync_workers import Parsed

CA_CATALOG = "locales/ca/articles/2026/2026-11-18-branching-out.po"


def on_workers(patch: pytest.MonkeyPatch) -> None:
    """Make even the three-article workspace use worker processes, one source per chunk."""
    patch.setattr(sync, "PARALLEL_MIN", 1)
    patch.setattr(sync, "CHUNK", 1)
    patch.setattr(sync, "cpu_count", lambda: 2)


def files(root: Path) -> dict[str, bytes]:
    """Every file of the workspace but the index and lock (temporary files included)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".i18n" not in p.parts}


def temporaries(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.tmp"))


@pytest.mark.parametrize("workers", [False, True])
def test_an_error_midway_renames_nothing_and_leaves_no_temporary_file(
        workspace_dir: Path, monkeypatch: pytest.MonkeyPatch, workers: bool) -> None:
    if workers:
        on_workers(monkeypatch)
    before = files(workspace_dir)
    staged: list[int] = []
    update_catalog = sync._Run._update_catalog

    def crash(self: Any, *args: Any) -> None:
        update_catalog(self, *args)
        staged.append(len(self.batch) + len(self.loose))
        if len(staged) == 2:
            raise RuntimeError("crash")

    monkeypatch.setattr(sync._Run, "_update_catalog", crash)
    with pytest.raises(RuntimeError):
        sync.sync(Workspace.open(workspace_dir))
    assert staged[-1] > 0, "files were staged before the crash"
    assert files(workspace_dir) == before
    assert temporaries(workspace_dir) == []


def test_workers_stopped_midway_leave_no_temporary_file(workspace_dir: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    on_workers(monkeypatch)
    before = files(workspace_dir)
    source_articles = sync._Run._source_articles

    def crash(self: Any, *args: Any) -> Any:
        yield from source_articles(self, *args)
        raise RuntimeError("crash")  # after the first source: the other chunks are still with the workers

    monkeypatch.setattr(sync._Run, "_source_articles", crash)
    with pytest.raises(RuntimeError):
        sync.sync(Workspace.open(workspace_dir))
    assert files(workspace_dir) == before
    assert temporaries(workspace_dir) == []


def test_a_dry_run_on_workers_writes_nothing_and_reports_the_same(workspace_dir: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    on_workers(monkeypatch)
    before = files(workspace_dir)
    dry = sync.sync(Workspace.open(workspace_dir), dry_run=True)
    assert files(workspace_dir) == before
    real = sync.sync(Workspace.open(workspace_dir))
    assert real.ok and real.languages and real.languages[0].created
    assert dry == sync.SyncReport(True, real.extract, real.languages, real.errors)


def test_a_catalog_the_workers_leave_is_merged_here_from_the_article_parsed_again(
        tmp_path: Path, workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert sync.sync(Workspace.open(workspace_dir)).ok
    (workspace_dir / CA_CATALOG).write_bytes(b"")  # emptied: a worker leaves it to this process
    (workspace_dir / ".i18n" / INDEX_NAME).unlink()  # every source read again, by workers below
    serial = tmp_path / "serial"
    shutil.copytree(workspace_dir, serial)
    assert sync.sync(Workspace.open(serial)).ok
    with monkeypatch.context() as patch:
        on_workers(patch)
        parsed: list[str] = []

        def parse_again(ws: Workspace, stub: Parsed) -> Article:
            parsed.append(stub.id)
            return sync_workers.parse_again(ws, stub)

        patch.setattr(sync, "parse_again", parse_again)
        report = sync.sync(Workspace.open(workspace_dir))
    assert report.ok, report.errors
    assert parsed == ["2026-11-18-branching-out"]
    assert (workspace_dir / CA_CATALOG).read_bytes() == (serial / CA_CATALOG).read_bytes() != b""


def test_progress_tells_each_step_to_its_end(workspace_dir: Path) -> None:
    seen: list[SyncProgress] = []
    report = sync.sync(Workspace.open(workspace_dir), progress=seen.append)
    assert report.ok and report.extract is not None
    sources = len(list((workspace_dir / "content").rglob("*.md")))
    reading = [p for p in seen if p.step is SyncStep.READING]
    assert reading[-1] == SyncProgress(SyncStep.READING, sources, sources)
    for language in report.languages:
        updating = [p for p in seen if p.step is SyncStep.UPDATING and p.language == language.language]
        assert updating[-1].done == updating[-1].total == len(language.created) + language.unchanged
    written = len([p for p in (workspace_dir / "locales").rglob("*") if p.is_file()])  # all new
    assert [p for p in seen if p.step is SyncStep.WRITING] == [SyncProgress(SyncStep.WRITING, 0, written)]
    assert [p.step for p in seen] == sorted((p.step for p in seen), key=list(SyncStep).index)

    seen.clear()
    assert sync.sync(Workspace.open(workspace_dir), progress=seen.append).ok
    assert SyncStep.WRITING not in {p.step for p in seen}, "nothing to write: no writing step"


def test_the_progress_line_is_only_for_a_person_at_a_terminal(monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from i18n.cli.commands import _sync_progress
    from i18n.cli.context import Context

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    person = Context(folder=None, verbosity=0)
    assert _sync_progress(person, "json") is None  # --json
    assert _sync_progress(Context(folder=None, verbosity=-1), None) is None  # -q
    show = _sync_progress(person, None)
    assert show is not None
    show(SyncProgress(SyncStep.READING, 3, 3))  # a short run: no line
    for done in (1000, 2000):
        show(SyncProgress(SyncStep.READING, done, 2000))
    show(SyncProgress(SyncStep.UPDATING, 2000, 2000, "ca"))
    show(SyncProgress(SyncStep.WRITING, 0, 4000))
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("\ri18n: reading sources: 1,000 of 2,000\ri18n: reading sources: 2,000 of 2,000\n"
                            "\ri18n: updating catalogs (ca): 2,000 of 2,000\n\ri18n: writing 4,000 files\n")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert _sync_progress(person, None) is None  # piped or redirected


def test_a_long_run_removes_what_a_killed_run_staged(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert sync.sync(Workspace.open(workspace_dir)).ok
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True).stdout.strip()
    folder = (workspace_dir / CA_CATALOG).parent
    left = folder / f".{Path(CA_CATALOG).name}.{dead}.tmp"
    live = folder / f".{Path(CA_CATALOG).name}.{os.getpid()}.tmp"  # a live process's: not touched
    left.write_bytes(b"half")
    live.write_bytes(b"being written")
    (workspace_dir / ".i18n" / INDEX_NAME).unlink()  # as after a kill: the index was not saved
    on_workers(monkeypatch)
    assert sync.sync(Workspace.open(workspace_dir)).ok
    assert not left.exists() and live.read_bytes() == b"being written"
