"""Shared fixtures: a small copy of the sample workspace in ``tmp_path`` (tests never ``chdir``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from i18n.cli.commands import main
from tests.fake_libretranslate import FakeServer, serve
from tests.tracker_support import postgres_schema, sqlite_only

REPO = Path(__file__).resolve().parent.parent
#: The sample articles the small workspace keeps (the rest are left out to keep tests fast).
SAMPLE_ARTICLES = (
    "2026/2026-11-14-gut-feelings.md",
    "2026/2026-11-18-branching-out.md",
    "2025/2025-12-30-clock-work.md",
)


def without_mirrors(config: str) -> str:
    """The sample's settings without its mirrors: tests that publish declare the mirrors they need."""
    return config.split("\n# Mirror sites", 1)[0].split("\n[mirrors.", 1)[0].rstrip() + "\n"


@pytest.fixture
def workspace_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh workspace: the sample's i18n.toml (less its mirrors), three articles and the site templates."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795248000")  # 2026-11-21 08:00 UTC: stable header dates
    root = tmp_path / "ws"
    (root / "content").mkdir(parents=True)
    (root / "i18n.toml").write_text(without_mirrors((REPO / "i18n.toml").read_text(encoding="utf-8")),
                                    encoding="utf-8")
    for article in SAMPLE_ARTICLES:
        target = root / "content" / article
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "content" / article, target)
    shutil.copytree(REPO / "site", root / "site", ignore=shutil.ignore_patterns("__pycache__"))
    return root


# -- the CLI harness: `i18n -C WORKSPACE ...` in-process, stdout and stderr apart -------------------------


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


Run = Callable[..., Result]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """``i18n -C WORKSPACE ARGS`` in-process through :func:`main`, checking the exit code (SQLite tracker,
    user ``coordinator``)."""
    sqlite_only(monkeypatch)
    monkeypatch.setenv("I18N_USER", "coordinator")

    def invoke(*args: str, exit_code: int = 0) -> Result:
        with pytest.raises(SystemExit) as exited:
            main(["-C", str(workspace_dir), *args])
        out, err = capsys.readouterr()
        result = Result(int(exited.value.code or 0), out, err)
        assert result.code == exit_code, result
        return result

    return invoke


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """Each test twice: on the embedded SQLite tracker (``None``) and on a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield None
    else:
        yield from postgres_schema()


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    """A fake LibreTranslate server on 127.0.0.1, driven through deep-translator's own client."""
    with serve() as server:
        yield server
