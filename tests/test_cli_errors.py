"""Errors on the command line: every command reports broken sources, ``--json`` always prints one object,
and one error is worded one way by every command (issue 15, points 7 and 9)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Run
from tests.fake_libretranslate import Behaviour, serve
from tests.tracker_support import GUT

BROKEN = "content/2026/2026-11-20-broken.md"
GUT_PO = f"locales/ca/articles/2026/{GUT}.po"


def add_mirror(workspace_dir: Path) -> None:
    config = workspace_dir / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[mirrors.ca-json]\nlanguage = "ca"\nformat = "json"\n',
                      encoding="utf-8")


def test_a_broken_new_article_is_reported_by_every_command_that_reads_sources(run: Run, workspace_dir: Path
                                                                            ) -> None:
    add_mirror(workspace_dir)
    run("sync", "-q")
    (workspace_dir / BROKEN).write_text('---\ntitle: "Broken\ndate: 2026-11-20\nauthor: A\n---\nBody.\n',
                                        encoding="utf-8")
    expected = f"{BROKEN}:2: malformed front matter: the quote opened on this line is never closed"
    for command in (("sync",), ("status",), ("check", "ca"), ("publish",), ("review", "ca"),
                    ("log", GUT), ("pretranslate", "ca", "--dry-run")):
        result = run(*command, exit_code=1)
        assert result.stderr.count(expected) == 1, (command, result.stderr)
    data = json.loads(run("status", "--json", exit_code=1).stdout)
    assert data["reconciled"]["errors"][0]["file"] == BROKEN and data["reconciled"]["errors"][0]["line"] == 2
    (workspace_dir / BROKEN).write_text('---\ntitle: "Fixed"\ndate: 2026-11-20\nauthor: A\n---\nBody.\n',
                                        encoding="utf-8")
    run("status")
    run("sync", "-q")
    run("check", "ca")


def test_one_broken_catalog_is_worded_one_way_by_every_command(run: Run, workspace_dir: Path) -> None:
    add_mirror(workspace_dir)
    run("sync", "-q")
    with (workspace_dir / GUT_PO).open("a", encoding="utf-8") as po:
        po.write('\nmsgid "unterminated\n')
    lines = set()
    for command in (("sync",), ("status",), ("check", "ca"), ("publish",)):
        result = run(*command, exit_code=1)
        lines |= {line.strip() for line in result.stderr.splitlines() if "unterminated string" in line}
    assert len(lines) == 1 and next(iter(lines)).startswith(f"{GUT_PO}:"), lines  # relative, one wording


def test_json_prints_an_error_object_on_a_fatal_error(run: Run, workspace_dir: Path) -> None:
    config = workspace_dir / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[schedule]\nlead_dayz = 2\n', encoding="utf-8")
    result = run("status", "--json", exit_code=1)
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "config" and error["path"] == "i18n.toml" and isinstance(error["line"], int)
    assert error["message"] == "key 'schedule.lead_dayz': unknown key" and "lead_days" in error["hint"]
    assert "i18n: error: i18n.toml:" in result.stderr
    usage = json.loads(run("status", "--json", "--no-such-option", exit_code=2).stdout)["error"]
    assert usage["code"] == "usage" and usage["path"] is None


def test_json_prints_an_error_object_when_an_engine_refuses_the_key(run: Run, workspace_dir: Path) -> None:
    with serve(Behaviour(api_key="right")) as server:
        config = workspace_dir / "i18n.toml"
        engine = f'\n[machine]\nengines = ["libretranslate"]\n[machine.libretranslate]\nurl = "{server.url}"\n'
        config.write_text(config.read_text(encoding="utf-8") + engine, encoding="utf-8")
        run("sync", "-q")
        result = run("pretranslate", "ca", "--json", exit_code=1)
    assert result.stdout.strip(), "--json promised one object"
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "engine-auth" and "libretranslate" in error["message"].lower()
    assert error["path"] is None and error["line"] is None


def test_every_error_code_is_documented() -> None:
    from i18n.cli.output import fatal_error_dict
    from i18n.core import errors

    documented = (Path(__file__).resolve().parent.parent / "workflow.md").read_text(encoding="utf-8")
    kinds = [k for k in vars(errors).values()
             if isinstance(k, type) and issubclass(k, errors.I18nError) and k is not errors.I18nError]
    assert len(kinds) >= 17
    for kind in kinds:
        code = fatal_error_dict(kind("x"))["error"]["code"]
        assert f"`{code}`" in documented, kind
