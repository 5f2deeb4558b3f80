"""Outside programs the tests need (GNU gettext, Apertium, Hugo, Chromium, PostgreSQL).

A missing program skips the test with a clear reason on a user's machine; under CI (``CI=true``) it fails
instead, because ``.ci/run`` installs every one of them and a skip there would hide a broken install.
"""

from __future__ import annotations

import os
import shutil

import pytest

_INSTALL_HINTS = {
    "msgcat": "apt-get install gettext",
    "msgfmt": "apt-get install gettext",
    "msgmerge": "apt-get install gettext",
    "msgattrib": "apt-get install gettext",
    "apertium": "apt-get install apertium apertium-eng-cat",
    "hugo": "apt-get install hugo",
    "chromium": "apt-get install chromium",
}


def in_ci() -> bool:
    """Whether we run under CI, where every outside program must be present."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing(reason: str) -> None:
    """Skip (on a user's machine) or fail (under CI) because something outside Python is missing."""
    if in_ci():
        pytest.fail(f"{reason}; .ci/run must install it", pytrace=False)
    pytest.skip(reason)


def require_program(name: str) -> str:
    """The path of program ``name``; skips or fails (under CI) with an install hint when it is missing."""
    path = shutil.which(name)
    if path is None:
        hint = _INSTALL_HINTS.get(name, f"install {name}")
        missing(f"{name} is not installed ({hint})")
        raise AssertionError("unreachable")
    return path
