"""Templates: UI strings through Babel's extractors, feeds, and a source vanishing mid-run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from i18n.catalogs.pofile import read_catalog
from i18n.core.workspace import Workspace
from i18n.workflow import sync


def test_ui_template_has_plurals_contexts_and_flags(workspace_dir: Path) -> None:
    assert sync.sync(Workspace.open(workspace_dir)).ok
    template = read_catalog(workspace_dir / "locales/templates/messages.pot")
    by_id = {(e.msgctxt, e.msgid): e for e in template.entries}
    assert (None, "Search The Archive") in by_id
    assert ("navigation", "Archive") in by_id and (None, "Archive") in by_id
    plural = next(e for e in template.entries if e.msgid_plural is not None)
    assert plural.msgstr_plural == ("", "")
    assert "python-format" in by_id[(None, "Written by %(author)s")].flags
    repeated = by_id[(None, "Biomedical Image of the Day")]
    assert len(repeated.references) > 1 and all(r.startswith("site/") for r in repeated.references)
    catalog = read_catalog(workspace_dir / "locales/ca/LC_MESSAGES/messages.po")
    assert len(catalog.entries) == len(template.entries)


def test_broken_ui_template_is_reported_with_its_line(workspace_dir: Path) -> None:
    broken = workspace_dir / "site/templates/broken.html"
    broken.write_text("<p>{{ _('fine') }}</p>\n{% trans %}unclosed\n", encoding="utf-8")
    report = sync.sync(Workspace.open(workspace_dir))
    (error,) = report.errors
    assert (error.file, error.line) == ("site/templates/broken.html", 2)
    assert "unclosed translation block" in error.message


def test_broken_ui_python_file_is_reported_with_its_line(workspace_dir: Path) -> None:
    broken = workspace_dir / "site/broken.py"
    broken.write_text('TITLE = _("fine")\nHELP = """never closed\n', encoding="utf-8")
    report = sync.sync(Workspace.open(workspace_dir))
    (error,) = report.errors
    assert (error.file, error.line) == ("site/broken.py", 2)
    assert error.message == "cannot extract UI strings: EOF in multi-line string"


def test_feed_articles_become_templates(workspace_dir: Path) -> None:
    feed = workspace_dir / "export.jsonl"
    rows = [
        {"id": "2026-10-01-from-the-cms", "title": "From the CMS", "date": "2026-10-01", "author": "A",
         "credits": ["Image: a lab"], "body": "First *paragraph*.\n\nSecond [one](https://example.org)."},
        {"title": "Second", "date": "2026-10-02", "author": "B", "body": "Text."},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    config = workspace_dir / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("feeds = []", 'feeds = ["export.jsonl"]'),
                      encoding="utf-8")
    report = sync.sync(Workspace.open(workspace_dir))
    assert report.ok
    template = read_catalog(workspace_dir / "locales/templates/articles/2026/2026-10-01-from-the-cms.pot")
    assert [e.msgid for e in template.entries] == [
        "From the CMS", "First *paragraph*.", "Second [one](https://example.org).", "Image: a lab"]
    assert all(e.references == ("export.jsonl:1",) for e in template.entries)
    assert (workspace_dir / "locales/ca/articles/2026/2026-10-02-second.po").is_file()


def test_source_vanishing_mid_run_is_reported(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    victim = workspace_dir / "content/2026/2026-11-14-gut-feelings.md"
    real = Path.read_bytes

    def vanish(self: Path) -> bytes:
        if self == victim:
            raise FileNotFoundError(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", vanish)
    report = sync.sync(Workspace.open(workspace_dir))
    (error,) = report.errors
    assert error.file == "content/2026/2026-11-14-gut-feelings.md" and "vanished" in error.message
    assert report.extract is not None and len(report.extract.new) == 2
