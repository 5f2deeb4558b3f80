"""The command line: exit codes, stdout for results, stderr for errors, the JSON shapes."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from i18n import __version__
from i18n.catalogs.catalog import Entry
from i18n.cli.commands import cli
from tests.conftest import Run
from tests.tracker_support import edit_catalog


def test_version_and_help(run_cli: Run) -> None:
    assert run_cli("--version").stdout.strip() == f"i18n, version {__version__}"
    helped = run_cli("--help").stdout
    for command in ("init", "extract", "update", "sync"):
        assert command in helped


def test_every_command_is_documented() -> None:
    workflow = (Path(__file__).resolve().parent.parent / "workflow.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert command.help, f"'i18n {name}' has no help text"
        assert f"i18n {name}" in workflow, f"'i18n {name}' is not described in workflow.md"


def test_sync_json_shape(run: Run, workspace_dir: Path) -> None:
    result = run("sync", "--json")
    data = json.loads(result.stdout)
    assert set(data) == {"dry_run", "articles", "templates", "languages", "errors"}
    assert sorted(data["articles"]["new"]) == [
        "2025-12-30-clock-work", "2026-11-14-gut-feelings", "2026-11-18-branching-out"]
    ca = data["languages"][0]
    assert ca["language"] == "ca"
    assert "locales/ca/articles/2026/2026-11-18-branching-out.po" in ca["catalogs"]["created"]
    assert set(ca["entries"]) == {"kept", "typography", "fuzzy", "new", "obsolete"}
    assert data["errors"] == [] and result.stderr == ""
    again = json.loads(run("sync", "--json").stdout)
    assert again["templates"]["written"] == 0 and again["languages"][0]["catalogs"]["created"] == []


def test_text_summary_and_dry_run(run: Run, workspace_dir: Path) -> None:
    out = run("sync", "--dry-run").stdout
    assert "Articles: 3 new" in out and "Dry run: nothing was written." in out
    assert not (workspace_dir / "locales").exists()


def test_update_one_language(run: Run, workspace_dir: Path) -> None:
    run("extract", "-q")
    data = json.loads(run("update", "es", "--json").stdout)
    assert [lang["language"] for lang in data["languages"]] == ["es"] and data["articles"] is None


def test_unknown_language_is_exit_1_with_hint(run: Run, workspace_dir: Path) -> None:
    result = run("update", "fr", exit_code=1)
    assert result.stdout == ""
    assert "language 'fr' is not configured" in result.stderr and "configured languages: ca, es" in result.stderr


def test_bad_source_is_exit_1_after_doing_the_rest(run: Run, workspace_dir: Path) -> None:
    bad = workspace_dir / "content/2026/2026-11-19-bad.md"
    bad.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    result = run("sync", "--json", exit_code=1)
    data = json.loads(result.stdout)
    assert data["errors"] == [{"file": "content/2026/2026-11-19-bad.md", "line": 1,
                               "message": "missing 'date'", "hint": "add 'date: YYYY-MM-DD' to the front matter"}]
    assert len(data["articles"]["new"]) == 3
    assert "content/2026/2026-11-19-bad.md:1: missing 'date'" in result.stderr


def test_usage_error_is_exit_2(run_cli: Run) -> None:
    assert "No such option" in run_cli("sync", "--frobnicate", exit_code=2).stderr
    assert "No such command" in run_cli("frobnicate", exit_code=2).stderr


def test_no_workspace_is_exit_1(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("-C", str(tmp_path), "sync", exit_code=1)
    assert "no i18n.toml" in result.stderr and "i18n init" in result.stderr


def test_bad_config_is_exit_1_naming_the_key(run: Run, workspace_dir: Path) -> None:
    (workspace_dir / "i18n.toml").write_text('languages = ["ca"]\nlangauges = ["es"]\n', encoding="utf-8")
    result = run("sync", exit_code=1)
    assert "i18n.toml:2: key 'langauges': unknown key" in result.stderr


def test_init_creates_a_working_workspace_and_refuses_to_overwrite(run_cli: Run, tmp_path: Path) -> None:
    run_cli("-C", str(tmp_path), "init", "--languages", "ca,ca-valencia", "--project", "Demo")
    assert (tmp_path / "content").is_dir() and (tmp_path / "locales" / "templates").is_dir()
    article = tmp_path / "content" / "2026" / "2026-11-21-first.md"
    article.parent.mkdir()
    article.write_text("---\ntitle: First\ndate: 2026-11-21\nauthor: Me\n---\n\nHello *world*.\n",
                       encoding="utf-8")
    run_cli("-C", str(tmp_path), "sync", "-q")
    assert (tmp_path / "locales/ca@valencia/articles/2026/2026-11-21-first.po").is_file()
    before = (tmp_path / "i18n.toml").read_bytes()
    result = run_cli("-C", str(tmp_path), "init", "--languages", "es", exit_code=1)
    assert "already exists" in result.stderr and (tmp_path / "i18n.toml").read_bytes() == before


FIRST_LIGHT = "2026-11-21-first-light"


@pytest.fixture
def fresh_day(run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``i18n init --languages ca,es``, one English article, and the day up to approval, with no config edit.

    Apertium is kept off the PATH: a fresh workspace must not need a machine-translation engine.
    """
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    root = tmp_path / "site-ws"
    run_cli("-C", str(root), "init", "--languages", "ca,es")
    article = root / "content" / "2026" / f"{FIRST_LIGHT}.md"
    article.parent.mkdir(parents=True)
    article.write_text("---\ntitle: First light\ndate: 2026-11-21\nauthor: Ada\n---\n\nCells glow in the *dark*.\n",
                       encoding="utf-8")
    workspace = ("-C", str(root))
    run_cli(*workspace, "sync", "-q")
    drafted = json.loads(run_cli(*workspace, "pretranslate", "ca", "--json").stdout)
    assert drafted["status"] == "ok" and any("no machine-translation engine" in n for n in drafted["notes"])
    run_cli(*workspace, "check", "ca")
    for code in ("ca", "es"):
        def translated(entry: Entry, code: str = code) -> Entry:
            return replace(entry.with_flag("fuzzy", False), msgstr=f"[{code}] {entry.msgid}")

        edit_catalog(root / "locales" / code / "articles" / "2026" / f"{FIRST_LIGHT}.po", translated,
                     translator="Marta Puig")
        run_cli(*workspace, "check", code)
        run_cli(*workspace, "approve", code, FIRST_LIGHT, "--reviewer", "Jordi Vidal")
    return root


@pytest.mark.backends("sqlite", "postgresql")  # it goes through the tracker
def test_a_day_after_init_publishes_html_markdown_and_json_mirrors(run_cli: Run, fresh_day: Path) -> None:
    result = run_cli("-C", str(fresh_day), "publish", "--as-of", "2026-11-30", "--json")
    mirrors = {m["mirror"]: m for m in json.loads(result.stdout)["mirrors"]}
    assert sorted(mirrors) == sorted(f"{c}-{k}" for c in ("ca", "es") for k in ("html", "markdown", "json"))
    assert all(m["published"] == [FIRST_LIGHT] and m["blocked"] == [] for m in mirrors.values())
    out = fresh_day / "build" / "mirrors"
    page = (out / "ca-html" / "2026" / f"{FIRST_LIGHT}.html").read_text(encoding="utf-8")
    assert '<html lang="ca">' in page and "<h1>[ca] First light</h1>" in page and "<em>dark</em>" in page
    assert "Translated by Marta Puig" in page and "Reviewed by Jordi Vidal" in page
    for name in ("index.html", "archive/index.html", "archive/2026-11.html", "atom.xml"):
        assert FIRST_LIGHT in (out / "es-html" / name).read_text(encoding="utf-8"), name
    markdown = (out / "ca-markdown" / "2026" / f"{FIRST_LIGHT}.md").read_text(encoding="utf-8")
    assert "title: '[ca] First light'" in markdown and "[ca] Cells glow in the *dark*." in markdown
    article = json.loads((out / "es-json" / "2026" / f"{FIRST_LIGHT}.json").read_text(encoding="utf-8"))
    assert article["title"] == "[es] First light" and article["reviewers"] == ["Jordi Vidal"]
    assert json.loads((out / "es-json" / "index.json").read_text(encoding="utf-8"))["articles"][0]["id"] == FIRST_LIGHT


@pytest.mark.backends("sqlite", "postgresql")  # it goes through the tracker
def test_a_missing_template_is_reported_as_missing_and_init_restores_it(run_cli: Run, fresh_day: Path) -> None:
    templates = fresh_day / "site" / "templates"
    (templates / "article.html").unlink()
    own_index = (templates / "index.html").read_text(encoding="utf-8").replace("<h1>", "<h1 class=ours>")
    (templates / "index.html").write_text(own_index, encoding="utf-8")
    workspace = ("-C", str(fresh_day))
    result = run_cli(*workspace, "publish", "--as-of", "2026-11-30", "--mirror", "ca-html", exit_code=1)
    assert result.stderr.startswith("i18n: error: site/templates/article.html: template not found "
                                    f"(searched {templates}/)")
    assert "i18n init --templates" in result.stderr and "cannot be rendered" not in result.stderr
    assert not (fresh_day / "build" / "mirrors" / "ca-html").exists()

    (templates / "base.html").unlink()  # a template that the pages extend: named, with who needs it
    assert "article.html" in run_cli(*workspace, "init", "--templates").stdout
    (templates / "base.html").unlink()
    result = run_cli(*workspace, "publish", "--as-of", "2026-11-30", "--mirror", "ca-html", exit_code=1)
    assert f"site/templates/base.html: template not found (searched {templates}/; " in result.stderr

    restored = run_cli(*workspace, "init", "--templates").stdout
    assert "written base.html" in restored and "kept" in restored and "index.html" in restored
    assert (templates / "index.html").read_text(encoding="utf-8") == own_index  # never overwritten
    run_cli(*workspace, "publish", "--as-of", "2026-11-30", "--mirror", "ca-html")
    assert "<h1 class=ours>" in (fresh_day / "build/mirrors/ca-html/index.html").read_text(encoding="utf-8")


def test_init_templates_needs_a_workspace_and_no_languages(run_cli: Run, tmp_path: Path) -> None:
    assert "no i18n.toml" in run_cli("-C", str(tmp_path), "init", "--templates", exit_code=1).stderr
    assert "--languages" in run_cli("-C", str(tmp_path), "init", exit_code=2).stderr
    run_cli("-C", str(tmp_path), "init", "--languages", "ca")
    assert "takes no --languages" in run_cli("-C", str(tmp_path), "init", "--templates", "--languages", "es",
                                         exit_code=2).stderr


def test_init_refuses_unknown_language(run_cli: Run, tmp_path: Path) -> None:
    assert "'xx' is not a language" in run_cli("-C", str(tmp_path), "init", "--languages", "xx", exit_code=1).stderr
    assert not (tmp_path / "i18n.toml").exists()


def test_python_dash_m_works(workspace_dir: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "i18n", "-C", str(workspace_dir), "sync", "--json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["errors"] == []


def test_engine_choices_match_the_engines() -> None:
    from i18n.cli.commands import ENGINE_CHOICES
    from i18n.machine.engines import ENGINE_NAMES

    assert ENGINE_CHOICES == ENGINE_NAMES


def break_a_link(workspace_dir: Path) -> Path:
    """Translate one Catalan entry with a link target altered, as a careless translator might."""
    from dataclasses import replace

    from i18n.catalogs.pofile import read_catalog, write_catalog

    path = workspace_dir / "locales/ca/articles/2026/2026-11-18-branching-out.po"
    catalog = read_catalog(path)
    entries = tuple(
        replace(e, msgstr=e.msgid.replace("https://example.org/research/dendrites", "https://example.org/recerca"))
        if "](https://" in e.msgid else e
        for e in catalog.entries
    )
    write_catalog(replace(catalog, entries=entries), path)
    return path


@pytest.mark.backends("sqlite", "postgresql")  # it goes through the tracker
def test_check_exits_3_on_an_error_and_names_the_entry(run: Run, workspace_dir: Path) -> None:
    run("sync", "-q")
    assert run("check", "ca").code == 0  # nothing translated yet: nothing to check
    break_a_link(workspace_dir)
    result = run("check", "ca", "--json", exit_code=3)
    data = json.loads(result.stdout)
    (problem,) = [p for p in data["problems"] if p["code"] == "links"]
    assert problem["severity"] == "error" and problem["article"] == "2026-11-18-branching-out"
    assert problem["file"] == "locales/ca/articles/2026/2026-11-18-branching-out.po" and problem["line"] > 1
    assert set(problem) >= {"article", "language", "entry", "code", "severity", "message", "source",
                            "translation", "file", "line"}
    text = run("check", "ca", "--article", "2026-11-18-branching-out", exit_code=3)
    assert "error [links]" in text.stdout


def test_engines_lists_every_engine(run: Run, workspace_dir: Path) -> None:
    data = json.loads(run("engines", "--json").stdout)
    assert [row["engine"] for row in data][:2] == ["memory", "apertium"]
    deepl = next(row for row in data if row["engine"] == "deepl")
    assert deepl["usable"] is False and "DEEPL_AUTH_KEY" in deepl["reason"]


@pytest.mark.backends("sqlite", "postgresql")  # it goes through the tracker
def test_pretranslate_with_apertium_then_nothing_left(run: Run, workspace_dir: Path) -> None:
    from tests.programs import require_program

    require_program("apertium")
    run("sync", "-q")
    dry = json.loads(run("pretranslate", "ca", "--engine", "apertium", "--dry-run",
                         "--json").stdout)
    assert dry["characters"] > 0 and dry["engines"][0]["engine"] == "apertium eng-cat"
    done = json.loads(run("pretranslate", "ca", "--engine", "apertium", "--json").stdout)
    assert done["status"] == "ok" and done["drafted"] == dry["entries"] and done["failures"] == []
    again = json.loads(run("pretranslate", "ca", "--dry-run", "--json").stdout)
    assert again["characters"] == 0
    po = (workspace_dir / "locales/ca/articles/2026/2026-11-18-branching-out.po").read_text(encoding="utf-8")
    assert "#, fuzzy" in po and "# machine: apertium eng-cat" in po


def test_pretranslate_unknown_engine_is_a_usage_error(run: Run, workspace_dir: Path) -> None:
    assert "Invalid value for '--engine'" in run("pretranslate", "ca", "--engine",
                                                 "babelfish", exit_code=2).stderr


def test_every_option_is_documented() -> None:
    """workflow.md names every long option of every command, so the documentation cannot drift from --help."""
    import click

    workflow = (Path(__file__).resolve().parent.parent / "workflow.md").read_text(encoding="utf-8")
    missing = []
    groups: list[tuple[str, click.Group]] = [("i18n", cli)]
    while groups:
        prefix, group = groups.pop()
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                groups.append((f"{prefix} {name}", command))
                continue
            for param in command.params:
                long_names = [o for o in getattr(param, "opts", ()) if o.startswith("--")]
                if isinstance(param, click.Option) and long_names and not any(n in workflow for n in long_names):
                    missing.append(f"{prefix} {name} {long_names[0]}")
    assert missing == []


def test_an_article_named_messages_is_refused_naming_the_file_and_line(run: Run, workspace_dir: Path) -> None:
    """'messages' is the UI catalog's id: an article by that id (file name or 'id') is not extracted."""
    body = "---\ntitle: {title}\ndate: 2026-11-19\nauthor: Kat Ellison\n{extra}---\nBody.\n"
    (workspace_dir / "content/2026/messages.md").write_text(body.format(title="Messages", extra=""),
                                                            encoding="utf-8")
    (workspace_dir / "content/2026/2026-11-19-news.md").write_text(
        body.format(title="News", extra="id: messages\n"), encoding="utf-8")
    result = run("sync", "--json", exit_code=1)
    data = json.loads(result.stdout)
    assert [(e["file"], e["line"]) for e in data["errors"]] == [
        ("content/2026/2026-11-19-news.md", 5), ("content/2026/messages.md", 1)]
    assert all("reserved" in e["message"] and "rename the article" in e["hint"] for e in data["errors"])
    assert "content/2026/messages.md:1: article id 'messages' is reserved" in result.stderr
    assert len(data["articles"]["new"]) == 3 and "messages" not in data["articles"]["new"]
    assert list(workspace_dir.glob("locales/**/articles/*/messages.po*")) == []
