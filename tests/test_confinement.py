"""Confinement: no command reads or writes outside the workspace through a symbolic link (issue 15, point 2)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from i18n.core.errors import OutsideWorkspace
from i18n.core.workspace import Workspace
from tests.conftest import Run

ARTICLE = "---\ntitle: Secret\ndate: 2026-11-20\nauthor: Eve\n---\n\nNot for the site.\n"


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_a_source_linked_to_a_file_outside_is_refused(run: Run, workspace_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(ARTICLE, encoding="utf-8")
    link = workspace_dir / "content" / "2026" / "2026-11-20-secret.md"
    link.symlink_to(outside / "secret.md")
    result = run("sync", "--json", exit_code=1)
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "outside-workspace" and error["path"] == "content/2026/2026-11-20-secret.md"
    assert str(outside / "secret.md") in error["message"] and "symbolic link" in error["hint"]
    assert not (workspace_dir / "locales").exists()  # nothing written, not even the other articles' templates
    assert "content/2026/2026-11-20-secret.md" in run("status", exit_code=1).stderr


def test_a_locale_folder_linked_outside_gets_no_catalog(run: Run, workspace_dir: Path, tmp_path: Path) -> None:
    run("sync", "-q")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    es = workspace_dir / "locales" / "es"
    for path in sorted(es.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    es.rmdir()
    es.symlink_to(outside, target_is_directory=True)
    for command in (("sync",), ("status",), ("check", "es"), ("pretranslate", "es")):
        result = run(*command, exit_code=1)
        assert "locales/es: leads outside the workspace" in result.stderr, command
        assert "replace the symbolic link" in result.stderr
    assert files_under(outside) == []


def test_a_link_inside_the_workspace_is_fine(run: Run, workspace_dir: Path) -> None:
    shared = workspace_dir / "shared"
    shared.mkdir()
    source = workspace_dir / "content" / "2026" / "2026-11-14-gut-feelings.md"
    source.rename(shared / "gut.md")
    source.symlink_to(shared / "gut.md")
    run("sync", "-q")
    assert (workspace_dir / "locales" / "ca" / "articles" / "2026" / "2026-11-14-gut-feelings.po").is_file()


def test_a_mirror_output_through_a_link_outside_is_refused_unless_named(run: Run, workspace_dir: Path,
                                                                         tmp_path: Path) -> None:
    outside = tmp_path / "public"
    outside.mkdir()
    (workspace_dir / "build").symlink_to(outside, target_is_directory=True)
    config = workspace_dir / "i18n.toml"
    base = config.read_text(encoding="utf-8")
    config.write_text(base + '\n[mirrors.ca-html]\nlanguage = "ca"\noutput = "build/ca"\n', encoding="utf-8")
    for command in (("status",), ("publish",)):
        result = run(*command, exit_code=1)
        assert "build: the folder of mirror 'ca-html' output leads outside the workspace" in result.stderr
        assert "set 'mirrors.ca-html.output' to an absolute path" in result.stderr
    assert files_under(outside) == []
    # Named explicitly (an absolute path), the place outside is the config's choice.
    config.write_text(base + f'\n[mirrors.ca-html]\nlanguage = "ca"\noutput = "{outside / "ca"}"\n', encoding="utf-8")
    run("status")


def test_confined_resolves_links_and_names_the_way_out(workspace_dir: Path, tmp_path: Path) -> None:
    workspace = Workspace.open(workspace_dir)
    (tmp_path / "x").mkdir()
    (workspace_dir / "out").symlink_to(tmp_path / "x", target_is_directory=True)
    assert workspace.confined("content/2026/new.md") == workspace_dir / "content/2026/new.md"
    with pytest.raises(OutsideWorkspace) as caught:
        workspace.confined("out/file.po")  # the file need not exist: its folder leads out
    assert caught.value.path == Path("out/file.po") and os.fspath(tmp_path / "x") in caught.value.message
    assert workspace.confined(tmp_path / "x", allow_outside=True) == tmp_path / "x"
    with pytest.raises(OutsideWorkspace):
        workspace.confined("../escape.po")


def test_a_catalog_linked_to_a_file_outside_is_neither_read_nor_replaced(run: Run, workspace_dir: Path,
                                                                         tmp_path: Path) -> None:
    run("sync", "-q")
    catalog = workspace_dir / "locales" / "ca" / "articles" / "2026" / "2026-11-14-gut-feelings.po"
    outside = tmp_path / "theirs.po"
    outside.write_bytes(catalog.read_bytes())
    catalog.unlink()
    catalog.symlink_to(outside)
    before = outside.read_bytes()
    for command in (("status",), ("sync",), ("review", "ca"), ("check", "ca")):
        result = run(*command, exit_code=1)
        assert "locales/ca/articles/2026/2026-11-14-gut-feelings.po: leads outside the workspace" in result.stderr
    assert outside.read_bytes() == before and catalog.is_symlink()
