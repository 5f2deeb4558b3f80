"""Shared fixtures: a small copy of the sample workspace in ``tmp_path`` (tests never ``chdir``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
