"""Portability: every module imports where POSIX-only modules are missing (Windows), and the one lock helper."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from i18n.core.lock import UNKNOWN_HOLDER, exclusive, holder, holder_path

REPO = Path(__file__).resolve().parent.parent

#: Modules that are scripts run by a tool, not imported: Alembic executes its environment to run migrations.
SCRIPTS = {"i18n.tracker.migrations.env"}


@pytest.mark.slow
def test_every_module_imports_without_fcntl() -> None:
    """``sys.modules['fcntl'] = None`` makes ``import fcntl`` fail as on Windows; every module still imports."""
    script = textwrap.dedent(f"""
        import importlib, pkgutil, sys
        sys.modules["fcntl"] = None
        import i18n
        names = []
        for module in pkgutil.walk_packages(i18n.__path__, "i18n."):
            if module.name not in {sorted(SCRIPTS)!r}:
                importlib.import_module(module.name)
                names.append(module.name)
        print(len(names))
        print("fcntl" in sys.modules and sys.modules["fcntl"] is not None)
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    count, fcntl_loaded = done.stdout.split()
    assert int(count) > 40  # the walk reached the whole package, not only its top
    assert fcntl_loaded == "False"


def test_the_lock_excludes_a_second_holder_and_names_the_first(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    with exclusive(path, 0, RuntimeError):
        assert holder(path).startswith("i18n process ")
        with pytest.raises(RuntimeError, match="i18n process"), exclusive(path, 0.1, RuntimeError):
            pass
    assert not holder_path(path).exists()  # released: nobody named
    assert holder(path) == UNKNOWN_HOLDER
    with exclusive(path, 0, RuntimeError):  # free again
        pass
