"""A folder that cannot be read (permissions, an I/O error) is not a folder that is gone: the command stops
with an error that names it and says how to fix it (exit 1), and forgets nothing: its articles stay in the
tracker and on the mirrors, its templates' strings in the catalogs (found by trying to break the no-op
shortcuts: an unreadable templates folder made ``status`` drop its articles and ``publish`` withdraw them).
Root reads any folder whatever its mode, so the refusal is simulated where the folder is opened."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest

from i18n.core import folderstat
from tests.conftest import Run
from tests.test_publish import with_mirrors


def _refuse(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Opening, listing or looking into ``folder`` fails as it does for a user who may not (``chmod 000``)."""
    blocked = str(folder)

    def guard(real: Any, itself: bool) -> Any:
        def call(path: Any, *args: Any, **kwargs: Any) -> Any:
            name = os.fspath(path).rstrip("/") if isinstance(path, (str, Path)) else ""
            if name.startswith(blocked + "/") or (itself and name == blocked):
                raise PermissionError(errno.EACCES, "Permission denied", name)
            return real(path, *args, **kwargs)
        return call

    for name in ("open", "scandir", "listdir"):  # the folder itself cannot be opened or listed
        monkeypatch.setattr(os, name, guard(getattr(os, name), True))
    for name in ("lstat", "stat"):  # nor anything in it looked at (the folder itself can: its parent lists it)
        monkeypatch.setattr(os, name, guard(getattr(os, name), False))


FOLDERS = {
    "templates": "locales/templates/articles/2026",
    "catalogs": "locales/ca/articles/2026",
    "sources": "content/2026",
    "site": "site/templates",
}


#: What each command reads: ``status`` and ``publish`` do not extract the UI strings from the site folder.
CASES = [(folder, command) for folder in sorted(FOLDERS) for command in ("status", "sync", "publish")
         if folder != "site" or command == "sync"]


@pytest.mark.parametrize("forked", [False, True], ids=["one process", "forked"])
@pytest.mark.parametrize(("folder", "command"), CASES)
def test_an_unreadable_folder_stops_the_command_and_nothing_is_forgotten(
        run: Run, workspace_dir: Path, monkeypatch: pytest.MonkeyPatch, folder: str, command: str,
        forked: bool) -> None:
    with_mirrors(workspace_dir)
    run("sync")
    before = json.loads(run("status", "--by", "article", "--json").stdout)["articles"]
    catalogs = {p: p.read_bytes() for p in (workspace_dir / "locales").rglob("*.po*")}
    if forked:
        monkeypatch.setattr(folderstat, "PARALLEL_MIN", 2)
    with monkeypatch.context() as patch:
        _refuse(patch, workspace_dir / FOLDERS[folder])
        result = run(command, exit_code=1)
    assert "cannot be read: Permission denied" in result.stderr and FOLDERS[folder] in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in (workspace_dir / "locales").rglob("*.po*")} == catalogs
    assert json.loads(run("status", "--by", "article", "--json").stdout)["articles"] == before
