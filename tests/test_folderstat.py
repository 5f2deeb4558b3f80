"""Folder stamps on several cores (:mod:`i18n.core.folderstat`): the answer is the one a single process
gives, whatever happens to the processes it forks, and the commands built on it answer as before."""

from __future__ import annotations

import marshal
import os
import threading
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from i18n.core import folderstat
from i18n.core.folderstat import FolderStamp, names_digest, others_digest, stamp_folders
from i18n.core.workspace import Workspace
from i18n.workflow import sync
from i18n.workflow.reconcile import reconcile

SUFFIXES = (".po", ".pot")


@pytest.fixture
def tree(tmp_path: Path) -> dict[str, tuple[str, ...]]:
    """60 folders of tracked files (one holding a link, a subfolder, a hidden and an other file)."""
    folders: dict[str, tuple[str, ...]] = {}
    for number in range(60):
        folder = tmp_path / f"{1900 + number}"
        folder.mkdir()
        for article in range(5):
            (folder / f"a{article}.po").write_text("x" * (article + number), encoding="utf-8")
        folders[str(folder)] = SUFFIXES
    odd = tmp_path / "1930"
    (odd / "linked.po").symlink_to(odd / "a0.po")
    (odd / "sub").mkdir()
    (odd / ".hidden.po").write_text("", encoding="utf-8")
    (odd / "photo.jpg").write_bytes(b"")
    return folders


def parallel(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Fork for any number of folders; record the children forked (their pids)."""
    monkeypatch.setattr(folderstat, "PARALLEL_MIN", 2)
    monkeypatch.setattr(folderstat, "cpu_count", lambda: 3)
    forked: list[int] = []
    fork = os.fork

    def spy() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", spy)
    return forked


def serial(folders: dict[str, tuple[str, ...]], expected: dict[str, str] | None = None,
           keep_matching: bool = False) -> dict[str, FolderStamp]:
    return folderstat._stamp_share(list(folders.items()), expected or {}, keep_matching)


def test_forked_processes_give_the_answer_of_one(tree: dict[str, tuple[str, ...]],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    alone = serial(tree, keep_matching=True)
    forked = parallel(monkeypatch)
    assert stamp_folders(tree, keep_matching=True) == alone
    assert len(forked) == 2  # three processes, this one included
    odd = alone[next(p for p in tree if p.endswith("1930"))]
    assert odd.irregular and odd.links and odd.subfolders == ("sub",) and odd.others == others_digest(["photo.jpg"])
    assert odd.files is not None and [name for name, _, _ in odd.files] == [f"a{i}.po" for i in range(5)]
    assert odd.digest == names_digest(list(odd.files)) and odd.count == 5


def test_the_files_of_a_folder_as_expected_are_not_kept(tree: dict[str, tuple[str, ...]],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    alone = serial(tree, keep_matching=True)
    expected = {path: stamp.digest for path, stamp in list(alone.items())[::2]}
    parallel(monkeypatch)
    found = stamp_folders(tree, expected)
    assert all((found[p].files is None) == (p in expected and not found[p].irregular) for p in tree)
    assert {p: s.digest for p, s in found.items()} == {p: s.digest for p, s in alone.items()}


def _in_children_only(action: Callable[[], Any]) -> Callable[..., Any]:
    parent = os.getpid()
    share = folderstat._stamp_share

    def stamp(*args: Any) -> Any:
        if os.getpid() != parent:
            action()
        return share(*args)

    return stamp


@pytest.mark.parametrize("failure", ["child dies", "child raises", "child sends garbage", "fork fails"])
def test_whatever_happens_to_a_child_its_share_is_stamped_here(tree: dict[str, tuple[str, ...]],
                                                              monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    alone = serial(tree, keep_matching=True)
    parallel(monkeypatch)
    if failure == "child dies":
        monkeypatch.setattr(folderstat, "_stamp_share", _in_children_only(lambda: os._exit(3)))
    elif failure == "child raises":
        monkeypatch.setattr(folderstat, "_stamp_share", _in_children_only(lambda: 1 / 0))
    elif failure == "child sends garbage":
        def unreadable(data: bytes) -> object:
            raise ValueError("bad marshal data")
        monkeypatch.setattr(folderstat, "marshal", SimpleNamespace(dumps=marshal.dumps, loads=unreadable))
    else:
        def no_fork() -> int:
            raise OSError("no more processes")
        monkeypatch.setattr(os, "fork", no_fork)
    assert stamp_folders(tree, keep_matching=True) == alone


def test_a_process_with_threads_does_not_fork(tree: dict[str, tuple[str, ...]],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    forked = parallel(monkeypatch)
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert stamp_folders(tree, keep_matching=True) == serial(tree, keep_matching=True)
    finally:
        stop.set()
        worker.join()
    assert forked == []


def test_a_folder_gone_is_left_out(tmp_path: Path) -> None:
    assert stamp_folders({str(tmp_path / "missing"): SUFFIXES}) == {}


def test_commands_answer_the_same_with_forked_stamps(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """sync, then reconcile (the tracker's scan and the source check), a catalog edited, both again: the
    same reports whether the folders are stamped here or by forked processes."""
    def age() -> None:  # every file (the indexes too) of one age: each run sees the same racy stamps
        for path in workspace_dir.rglob("*"):
            if path.is_file():
                os.utime(path, ns=(1_700_000_000_000_000_000,) * 2)

    def run() -> list[Any]:
        reports: list[Any] = []
        for _ in range(2):
            age()
            reports.append(sync.sync(Workspace.open(workspace_dir)))
            age()
            reports.append(reconcile(Workspace.open(workspace_dir), user="Anna"))
        catalog = workspace_dir / "locales/ca/articles/2026/2026-11-18-branching-out.po"
        catalog.write_text(catalog.read_text(encoding="utf-8").replace('msgstr ""\n\n', 'msgstr "Títol"\n\n', 1),
                           encoding="utf-8")
        reports.append(reconcile(Workspace.open(workspace_dir), user="Anna"))
        reports.append(sync.sync(Workspace.open(workspace_dir)))
        return reports

    original = {p: p.read_bytes() for p in workspace_dir.rglob("*") if p.is_file()}
    one = run()
    for path in [p for p in workspace_dir.rglob("*") if p.is_file() and p not in original]:
        path.unlink()
    for path, data in original.items():
        path.write_bytes(data)
    forked = parallel(monkeypatch)
    assert run() == one
    assert forked  # the forked path was taken
    assert one[-2].edits == 1 and one[-2].catalogs == 1  # the edit, recorded once
