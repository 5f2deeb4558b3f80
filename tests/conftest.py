"""Shared fixtures: a small copy of the sample workspace in ``tmp_path`` (tests never ``chdir``)."""

from __future__ import annotations

import contextlib
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


# -- the tracker's backend: SQLite, or a fresh PostgreSQL schema ---------------------------------------------

#: The tracker's backends a test can run on (the ``backends`` marker's arguments).
BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run a test that uses :func:`backend` on each backend its closest ``backends`` marker names.

    ``pytestmark = pytest.mark.backends("sqlite", "postgresql")`` (or the marker on one test) runs it on both;
    unmarked, it runs on SQLite only, except that :func:`tracker_url` asks for both.
    """
    if "backend" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("backends")
    if marker is not None:
        names = tuple(marker.args)
    elif "tracker_url" in metafunc.fixturenames:
        names = BACKENDS
    else:
        return  # SQLite, without a parameter in the test's id
    unknown = set(names) - set(BACKENDS)
    assert names and not unknown, f"backends({', '.join(names)}): the backends are {', '.join(BACKENDS)}"
    metafunc.parametrize("backend", names, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str],
            monkeypatch: pytest.MonkeyPatch) -> Iterator[str | None]:
    """The tracker the CLI uses in this test: the workspace's embedded SQLite file (``None``), or a fresh
    PostgreSQL schema on ``I18N_TEST_DATABASE_URL`` (its URL, set as ``I18N_DATABASE_URL``, schema upgraded
    with ``i18n db upgrade`` as a team does once; the schema is dropped afterwards). See
    :func:`pytest_generate_tests` for choosing the backends."""
    sqlite_only(monkeypatch)
    if getattr(request, "param", "sqlite") == "sqlite":
        yield None
        return
    with contextlib.contextmanager(postgres_schema)() as url:
        monkeypatch.setenv("I18N_DATABASE_URL", url)
        workspace_dir = request.getfixturevalue("workspace_dir")  # any workspace: the URL is the environment's
        with pytest.raises(SystemExit) as exited:
            main(["-C", str(workspace_dir), "db", "upgrade"])
        assert exited.value.code in (0, None), capsys.readouterr()
        capsys.readouterr()
        yield url


@pytest.fixture
def tracker_url(backend: str | None) -> str | None:
    """Each test twice: on the embedded SQLite tracker (``None``) and on a fresh PostgreSQL schema (its URL,
    already in ``I18N_DATABASE_URL`` and upgraded: see :func:`backend`)."""
    return backend


# -- the CLI harness: `i18n ...` in-process, stdout and stderr apart ------------------------------------------


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


Run = Callable[..., Result]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], backend: str | None, monkeypatch: pytest.MonkeyPatch) -> Run:
    """``i18n ARGS`` in-process through :func:`main`, checking the exit code (the tracker of :func:`backend`,
    user ``coordinator``). For commands that name their workspace themselves (``-C``), or none."""
    monkeypatch.setenv("I18N_USER", "coordinator")

    def invoke(*args: str, exit_code: int = 0) -> Result:
        with pytest.raises(SystemExit) as exited:
            main(list(args))
        out, err = capsys.readouterr()
        result = Result(int(exited.value.code or 0), out, err)
        assert result.code == exit_code, result
        return result

    return invoke


@pytest.fixture
def run(run_cli: Run, workspace_dir: Path) -> Run:
    """``i18n -C WORKSPACE ARGS`` in-process (see :func:`run_cli`), in the test's workspace."""

    def invoke(*args: str, exit_code: int = 0) -> Result:
        return run_cli("-C", str(workspace_dir), *args, exit_code=exit_code)

    return invoke


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    """A fake LibreTranslate server on 127.0.0.1, driven through deep-translator's own client."""
    with serve() as server:
        yield server
