"""Atomic writes: temporary files beside the target, renamed into place, never left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from i18n.core.atomic import AtomicBatch, replace_if, write_atomic


def usual_mode() -> int:
    """The mode ``open(path, "w")`` gives a new file: 0666 less the umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_batch_writes_every_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "old.po").write_bytes(b"old")
    with AtomicBatch() as batch:
        batch.add(tmp_path / "a" / "old.po", b"new")
        batch.add(tmp_path / "b" / "c" / "fresh.po", b"fresh")  # missing folders are created
        batch.add(tmp_path / "a" / "big.po", b"x" * 3_000_000)
        assert len(batch) == 3
        assert (tmp_path / "a" / "old.po").read_bytes() == b"old"  # nothing renamed before the end
        assert not (tmp_path / "b" / "c" / "fresh.po").exists()
    assert (tmp_path / "a" / "old.po").read_bytes() == b"new"
    assert (tmp_path / "b" / "c" / "fresh.po").read_bytes() == b"fresh"
    assert (tmp_path / "a" / "big.po").read_bytes() == b"x" * 3_000_000
    assert listing(tmp_path) == ["a", "a/big.po", "a/old.po", "b", "b/c", "b/c/fresh.po"]


def test_an_error_in_the_batch_touches_no_target(tmp_path: Path) -> None:
    (tmp_path / "old.po").write_bytes(b"old")
    with pytest.raises(RuntimeError), AtomicBatch() as batch:
        batch.add(tmp_path / "old.po", b"new")
        batch.add(tmp_path / "new.po", b"new")
        raise RuntimeError("boom")
    assert listing(tmp_path) == ["old.po"]
    assert (tmp_path / "old.po").read_bytes() == b"old"


def test_taken_temporary_name_falls_back_to_a_random_one(tmp_path: Path) -> None:
    target = tmp_path / "x.po"
    leftover = tmp_path / f".x.po.{os.getpid()}.tmp"
    leftover.write_bytes(b"leftover of a crashed run")
    with AtomicBatch() as batch:
        batch.add(target, b"first")
        batch.add(target, b"second")  # the same file twice: two distinct temporary files
    assert target.read_bytes() == b"second"
    assert listing(tmp_path) == [leftover.name, "x.po"]
    assert leftover.read_bytes() == b"leftover of a crashed run"
    assert stat.S_IMODE(target.stat().st_mode) == usual_mode()  # mkstemp's 0600 is not kept


def test_a_failed_write_removes_its_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    (tmp_path / "x.po").write_bytes(b"old")
    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError, match="No space"):
        write_atomic(tmp_path / "x.po", b"new")
    with pytest.raises(OSError, match="No space"), AtomicBatch() as batch:
        batch.add(tmp_path / "x.po", b"new")
    assert listing(tmp_path) == ["x.po"]
    assert (tmp_path / "x.po").read_bytes() == b"old"


def test_a_failed_rename_leaves_the_rest_consistent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_replace = os.replace
    calls = []

    def flaky(source: str, target: Path) -> None:
        calls.append(target)
        if len(calls) == 2:
            raise OSError(5, "I/O error")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(OSError, match="I/O error"), AtomicBatch() as batch:
        for name in ("a.po", "b.po", "c.po"):
            batch.add(tmp_path / name, name.encode())
    # the first file was renamed, the failing and the later ones were not; no temporary file is left
    assert listing(tmp_path) == ["a.po"]


def test_written_files_get_the_usual_mode_not_a_private_one(tmp_path: Path) -> None:
    """A catalog written atomically is as readable as one written with open(): 0666 less the umask."""
    expected = usual_mode()
    write_atomic(tmp_path / "one.po", b"x")
    with AtomicBatch() as batch:
        batch.add(tmp_path / "two.po", b"y")
    for name in ("one.po", "two.po"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == expected


def test_replace_if_writes_only_while_the_check_holds(tmp_path: Path) -> None:
    """The check runs with the new bytes staged, right before the rename: when it fails the target keeps
    the bytes someone else saved; when it holds, the stat returned is the file now at the path."""
    target = tmp_path / "ca.po"
    target.write_bytes(b"saved by a translator\n")
    assert replace_if(target, b"drafts\n", lambda: False) is None
    assert target.read_bytes() == b"saved by a translator\n" and listing(tmp_path) == ["ca.po"]
    written = replace_if(target, b"drafts\n", lambda: True)
    now = target.stat()
    assert written is not None and target.read_bytes() == b"drafts\n" and listing(tmp_path) == ["ca.po"]
    assert (written.st_ino, written.st_mtime_ns, written.st_size) == (now.st_ino, now.st_mtime_ns, now.st_size)


def test_replace_if_removes_its_temporary_file_when_the_check_fails_badly(tmp_path: Path) -> None:
    target = tmp_path / "ca.po"
    target.write_bytes(b"old\n")

    def broken() -> bool:
        raise OSError("stat failed")

    with pytest.raises(OSError):
        replace_if(target, b"new\n", broken)
    assert target.read_bytes() == b"old\n" and listing(tmp_path) == ["ca.po"]
