"""``i18n export``: approved entries only, thresholds (exit 3), MO like msgfmt's, PO like msgattrib's."""

from __future__ import annotations

import gettext
import json
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from i18n.catalogs.pofile import parse_catalog, read_catalog
from i18n.catalogs.poformat import format_catalog
from i18n.cli.commands import main
from i18n.core.workspace import Workspace
from tests.programs import require_program
from tests.test_publish import approve, translate
from tests.tracker_support import GUT, catalog_path, edit_catalog, sqlite_only, synced, translate_all


@pytest.fixture
def ws(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    sqlite_only(monkeypatch)
    monkeypatch.setenv("I18N_USER", "coordinator")
    workspace = synced(workspace_dir)
    ui = workspace.ui_catalog_path(workspace.settings.language("ca"))
    edit_catalog(ui, translate_all, translator="Anna Puig")
    translate(workspace, GUT)
    return workspace


def export(ws: Workspace, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["-C", str(ws.root), "export", "ca", *args])
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def ui_keys(ws: Workspace) -> list[str]:
    return [e.key for e in read_catalog(ws.ui_catalog_path(ws.settings.language("ca"))).active_entries]


def test_below_the_threshold_exits_3_and_writes_nothing(ws: Workspace, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, stdout, err = export(ws, capsys, "--format", "mo", "--out", str(out), "--min-approved", "10", "--json")
    assert code == 3 and "ca is 0% approved" in err
    assert json.loads(stdout)["below"] == [{"name": "ca", "percent_approved": 0.0}]
    assert not out.exists()
    approve(ws, "messages")
    approve(ws, GUT)
    code, _, err = export(ws, capsys, "--format", "po", "--out", str(out), "--min-approved", "10",
                          "--article", GUT, "--article", "2026-11-18-branching-out")
    assert code == 3 and "2026-11-18-branching-out is 0% approved" in err and GUT not in err
    code, stdout, _ = export(ws, capsys, "--format", "po", "--out", str(out), "--min-approved", "10",
                             "--article", GUT, "--json")
    assert code == 0
    report = json.loads(stdout)
    assert report["articles"] == [{"article": GUT, "percent_approved": 100.0}]
    assert (out / "ca/articles/2026" / f"{GUT}.po").is_file()


def test_mo_holds_approved_entries_and_loads_like_msgfmts(ws: Workspace, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    msgfmt = require_program("msgfmt")
    keys = ui_keys(ws)
    approve(ws, "messages", skip=tuple(keys[:2]))
    out = tmp_path / "out"
    assert export(ws, capsys, "--format", "po", "--out", str(out))[0] == 0
    assert export(ws, capsys, "--format", "mo", "--out", str(out))[0] == 0
    ours = out / "ca/LC_MESSAGES/messages.mo"
    theirs = tmp_path / "msgfmt.mo"
    subprocess.run([msgfmt, "-o", str(theirs), str(out / "ca/LC_MESSAGES/messages.po")], check=True)
    assert ours.read_bytes() == theirs.read_bytes()
    catalog = read_catalog(ws.ui_catalog_path(ws.settings.language("ca")))
    with ours.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    for entry in catalog.active_entries:
        if entry.msgid_plural is not None or entry.msgctxt is not None:
            continue
        expected = entry.msgid if entry.key in keys[:2] else entry.msgstr
        assert translations.gettext(entry.msgid) == expected


def test_approved_only_po_is_msgattribs_output_filtered(ws: Workspace, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    msgattrib = require_program("msgattrib")
    path = catalog_path(ws, GUT)
    # Some entries fuzzy, one approved text then edited (no longer approved): none of them exported.
    edit_catalog(path, lambda e: e.with_flag("fuzzy", True) if e.key == "image-alt" else e)
    approve(ws, GUT, skip=("title",))
    edit_catalog(path, lambda e: replace(e, msgstr="Text nou") if e.key == "image-caption" else e)
    out = tmp_path / "out"
    assert export(ws, capsys, "--format", "po", "--out", str(out), "--article", GUT)[0] == 0
    exported = (out / "ca/articles/2026" / f"{GUT}.po").read_text(encoding="utf-8")
    kept = subprocess.run([msgattrib, "--translated", "--no-fuzzy", "--no-obsolete", str(path)],
                          check=True, capture_output=True, text=True).stdout
    reference = parse_catalog(kept, path)
    approved_keys = {e.key for e in parse_catalog(exported, path).entries}
    assert approved_keys and not approved_keys & {"title", "image-alt", "image-caption"}
    filtered = replace(reference, entries=tuple(e for e in reference.entries if e.key in approved_keys))
    assert exported == format_catalog(filtered)


def test_json_export(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    approve(ws, "messages")
    approve(ws, GUT)
    out = tmp_path / "out"
    assert export(ws, capsys, "--format", "json", "--out", str(out), "--article", GUT)[0] == 0
    messages = json.loads((out / "ca/messages.json").read_text(encoding="utf-8"))
    assert messages["language"] == "ca" and len(messages["messages"]) == len(ui_keys(ws))
    article = json.loads((out / "ca/articles" / f"{GUT}.json").read_text(encoding="utf-8"))
    assert article["entries"]["title"] == "Traducció: Gut Feelings"


def test_an_article_removed_from_the_sources_is_refused(ws: Workspace, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from i18n.workflow.sync import sync
    from tests.tracker_support import GUT_SOURCE

    approve(ws, GUT)
    (ws.root / GUT_SOURCE).unlink()
    sync(ws)
    out = tmp_path / "out"
    code, _, err = export(ws, capsys, "--format", "po", "--out", str(out), "--article", GUT)
    assert code == 1 and f"no article '{GUT}'" in err and "Traceback" not in err
    assert not out.exists()
