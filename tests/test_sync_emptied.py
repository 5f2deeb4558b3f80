"""Emptied catalogs (issue 15, point 6): a catalog truncated to 0 bytes is not silently refilled when the
tracker knows translations for it; every catalog sync makes has the full standard header (``msgfmt -c``
is quiet about it).
"""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

from i18n.catalogs.pofile import read_catalog, write_catalog
from i18n.core.workspace import Workspace
from i18n.workflow import sync
from tests.conftest import Run
from tests.programs import require_program

CA_CATALOG = "locales/ca/articles/2026/2026-11-18-branching-out.po"
ES_CATALOG = "locales/es/articles/2026/2026-11-18-branching-out.po"
ARTICLE = "content/2026/2026-11-18-branching-out.md"
STANDARD_HEADER = ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date",
                   "Last-Translator", "Language-Team", "Language", "MIME-Version", "Content-Type",
                   "Content-Transfer-Encoding", "Plural-Forms")


def msgfmt_check(path: Path) -> str:
    """What ``msgfmt -c`` says about ``path`` (it must accept it)."""
    result = subprocess.run([require_program("msgfmt"), "-c", "-o", "/dev/null", str(path)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stderr


def translate_some(path: Path) -> None:
    catalog = read_catalog(path)
    entries = tuple(replace(e, msgstr="CA " + e.msgid) if e.msgid_plural is None and not e.msgstr else e
                    for e in catalog.entries)
    write_catalog(replace(catalog, entries=entries), path)


def test_an_emptied_catalog_the_tracker_knows_is_an_error_with_the_way_back(run: Run, workspace_dir: Path) -> None:
    run("sync")
    path = workspace_dir / CA_CATALOG
    translate_some(path)
    run("status")  # the tracker records the translations
    path.write_bytes(b"")
    article = workspace_dir / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    result = run("sync", exit_code=1)
    assert CA_CATALOG in result.stderr and "empty (0 bytes)" in result.stderr
    assert f"git checkout -- {CA_CATALOG}" in result.stderr and "translated entr" in result.stderr
    assert path.read_bytes() == b""  # not refilled
    assert any(e.msgid == "A new paragraph." for e in read_catalog(workspace_dir / ES_CATALOG).entries)
    path.unlink()  # the documented way to start it again untranslated
    run("sync")
    assert read_catalog(path).entries


def test_an_emptied_catalog_without_tracked_translations_gets_the_full_header(workspace_dir: Path) -> None:
    ws = Workspace.open(workspace_dir)
    assert sync.sync(ws).ok
    path = workspace_dir / CA_CATALOG
    path.write_bytes(b"")
    report = sync.sync(ws)
    assert report.ok, report.errors
    catalog = read_catalog(path)
    assert [name for name, _ in catalog.headers if name in STANDARD_HEADER] == list(STANDARD_HEADER)
    assert catalog.header("Content-Type") == "text/plain; charset=UTF-8"
    assert msgfmt_check(path) == ""


def test_every_new_catalog_passes_msgfmt_check_quietly(workspace_dir: Path) -> None:
    assert sync.sync(Workspace.open(workspace_dir)).ok
    catalogs = sorted((workspace_dir / "locales").rglob("*.po"))
    assert catalogs
    for path in catalogs:
        assert {name for name, _ in read_catalog(path).headers} >= set(STANDARD_HEADER), path
        assert msgfmt_check(path) == "", path
