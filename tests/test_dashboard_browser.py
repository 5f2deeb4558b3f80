"""The dashboard in a real browser: headless Chromium loads it from disk with no console errors, and the
totals it shows are those of ``i18n status --json``. A screenshot is left in ``build/`` for people."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from i18n.cli.commands import main
from i18n.core.workspace import Workspace
from tests.conftest import REPO
from tests.programs import require_program
from tests.test_dashboard import approve_article
from tests.tracker_support import GUT, catalog_path, edit_catalog, sqlite_only, synced, translate_all

SCREENSHOT = REPO / "build" / "report-screenshot.png"


@pytest.fixture
def workspace(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    sqlite_only(monkeypatch)
    monkeypatch.setenv("I18N_USER", "coordinator")
    return synced(workspace_dir)


def chromium(tmp_path: Path, page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium on ``page`` with a fresh profile and no network services."""
    program = require_program("chromium")
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    profile.mkdir()
    return subprocess.run(
        [program, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
         "--enable-logging=stderr", "--v=0", *extra, page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)


def console_lines(stderr: str) -> list[str]:
    """The page's console messages that Chromium logged (errors, failed loads, anything a script printed)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


class _Figures(HTMLParser):
    """The text of every element carrying ``data-figure`` and ``data-language``."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[tuple[str, str], str] = {}
        self._open: list[tuple[str, str] | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        figure, language = values.get("data-figure"), values.get("data-language")
        self._open.append((figure, language) if figure and language else None)
        if figure and language:
            self.figures[(figure, language)] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for key in self._open:
            if key is not None:
                self.figures[key] += data


def _run(capsys: pytest.CaptureFixture[str], workspace: Workspace, *args: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main(["-C", str(workspace.root), *args])
    out, err = capsys.readouterr()
    assert int(exited.value.code or 0) == 0, (out, err)
    return out


@pytest.mark.slow
def test_report_loads_cleanly_and_shows_the_status_totals(workspace: Workspace, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    edit_catalog(catalog_path(workspace, GUT), translate_all, translator="Marta Puig")
    _run(capsys, workspace, "status")
    approve_article(workspace, GUT, "ca", "Jordi Vidal")
    _run(capsys, workspace, "assign", "ca", "2026-11-18-branching-out", "--translator", "Marta Puig",
         "--reviewer", "Jordi Vidal")
    out = tmp_path / "report"
    reported = json.loads(_run(capsys, workspace, "report", "--out", str(out), "--json"))
    page = Path(reported["report"])
    assert page == out / "index.html"
    status = json.loads(_run(capsys, workspace, "status", "--json"))

    shown = chromium(tmp_path, page, "--dump-dom")
    assert shown.returncode == 0, shown.stderr
    assert console_lines(shown.stderr) == []
    parser = _Figures()
    parser.feed(shown.stdout)
    figures = parser.figures
    for lang in status["languages"]:
        code = lang["language"]
        for unit in ("entries", "words"):
            for state, n in lang[unit].items():
                assert int(figures[(f"{unit}.{state}", code)]) == n, (unit, state, code)
            assert int(figures[(f"{unit}.total", code)]) == sum(lang[unit].values())
        for key, n in lang["articles"].items():
            assert int(figures[(f"articles.{key}", code)]) == n
        assert float(figures[("percent_approved", code)]) == lang["percent_approved"]
    assert reported["languages"] == status["languages"]
    assert "Marta Puig" in shown.stdout

    # Taken in tmp_path, then moved into build/ whole: a parallel run never sees (or leaves) half a picture.
    picture = tmp_path / SCREENSHOT.name
    pictured = chromium(tmp_path, page, f"--screenshot={picture}", "--window-size=1280,2000",
                        "--hide-scrollbars")
    assert pictured.returncode == 0, pictured.stderr
    assert picture.stat().st_size > 10_000
    SCREENSHOT.parent.mkdir(exist_ok=True)
    staged = SCREENSHOT.with_name(f".{SCREENSHOT.name}.{os.getpid()}.tmp")
    shutil.copyfile(picture, staged)
    os.replace(staged, SCREENSHOT)


def test_console_errors_would_be_caught(tmp_path: Path) -> None:
    """The check above is not vacuous: a page that logs an error shows up in what Chromium logs."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><p>x</p><script>console.error("dashboard-broke")</script>', encoding="utf-8")
    shown = chromium(tmp_path, page, "--dump-dom")
    assert any("dashboard-broke" in line for line in console_lines(shown.stderr)), shown.stderr


