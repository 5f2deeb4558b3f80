"""i18n.toml validation: unknown keys, wrong types, unknown languages name the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n.core.config import SECTIONS, default_config_text, find_config, key_line, load_settings
from i18n.core.errors import ConfigError, WorkspaceNotFound
from i18n.core.languages import parse_language
from tests.conftest import Run


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "i18n.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_fill_in(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, 'languages = ["ca", "es"]\n'))
    assert [lang.code for lang in settings.languages] == ["ca", "es"]
    assert settings.content == Path("content")
    assert settings.locales == Path("locales")
    assert settings.source_language.code == "en"
    assert settings.database_url == ""


def test_init_text_loads_back(tmp_path: Path) -> None:
    text = default_config_text((parse_language("ca"), parse_language("ca-valencia")), "Site")
    settings = load_settings(write(tmp_path, text))
    assert [lang.gettext for lang in settings.languages] == ["ca", "ca@valencia"]
    assert settings.project == "Site"


def test_init_text_has_every_section_set_to_the_defaults(tmp_path: Path) -> None:
    """Every section is written, every key passes its module's validation, and every value is the default
    (so the file documents the settings without changing them); the mirrors are one per language and format."""
    from i18n.content.checks import load_config
    from i18n.core.glossary import load_glossary
    from i18n.core.schedule import load_schedule
    from i18n.core.workspace import Workspace
    from i18n.machine.settings import machine_settings
    from i18n.mirrors.outputs import MirrorFormat, load_mirrors
    from i18n.workflow.review_rules import review_settings

    settings = load_settings(write(tmp_path, default_config_text((parse_language("ca"), parse_language("es")))))
    assert [name for name, _ in settings.sections] == list(SECTIONS)
    (tmp_path / "bare").mkdir()
    bare = load_settings(write(tmp_path / "bare", 'languages = ["ca", "es"]\n'))
    assert load_config(settings) == load_config(bare)
    assert review_settings(settings) == review_settings(bare)
    assert load_schedule(settings) == load_schedule(bare)
    assert load_glossary(settings) == load_glossary(bare)
    machine, default = machine_settings(Workspace(settings)), machine_settings(Workspace(bare))
    assert machine == default and not machine.order_named  # no engine order: Apertium if installed, else memory
    mirrors = load_mirrors(settings)
    assert [(m.name, m.language.code, m.format) for m in mirrors] == [
        (f"{code}-{kind}", code, MirrorFormat(kind)) for code in ("ca", "es") for kind in ("html", "markdown", "json")]
    assert all(m.output == tmp_path / "build" / "mirrors" / m.name and m.timezone == "UTC" for m in mirrors)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('languages = ["ca"]\ncolour = "red"\n', "key 'colour': unknown key"),
        ('languages = ["ca"]\n[paths]\ncontnet = "x"\n', "key 'paths.contnet': unknown key"),
        ('languages = "ca"\nproject = 3\n', "key 'project': expected a string, got an integer (3)"),
        ('languages = ["xx"]\n', "key 'languages': 'xx' is not a language Babel's CLDR data knows"),
        ('languages = []\n', "key 'languages': no target languages"),
        ('languages = ["ca", "ca"]\n', "a language is listed twice"),
        ('languages = ["en"]\n', "'en' is the source language"),
        ('languages = ["ca"]\n[paths]\ncontent = "../elsewhere"\n', "must be a path inside the workspace"),
        ('languages = ["ca"]\n[paths]\nfeeds = ["/srv/feed.jsonl"]\n', "key 'paths.feeds': '/srv/feed.jsonl' must be"),
        ('languages = ["ca"]\n[paths]\nui = ["site", "../x"]\n', "key 'paths.ui': '../x' must be a path inside"),
        ('languages = ["ca"\n', "invalid TOML"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert expected in str(caught.value)
    assert str(path) in str(caught.value)


def test_unknown_key_lists_allowed_keys(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, 'languages = ["ca"]\nlanguage = "ca"\n'))
    assert caught.value.hint is not None and "languages" in caught.value.hint


def test_find_config_walks_up(tmp_path: Path) -> None:
    write(tmp_path, 'languages = ["ca"]\n')
    nested = tmp_path / "content" / "2026"
    nested.mkdir(parents=True)
    assert find_config(nested) == tmp_path / "i18n.toml"


def test_find_config_explains_how_to_start(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceNotFound) as caught:
        find_config(tmp_path)
    assert "i18n init" in str(caught.value)


# -- every key checked when any command starts (issue 15, point 3) ---------------------------------------


@pytest.mark.parametrize(
    ("table", "line", "expected"),
    [
        ('[mirrors.ca-html]\nlanguage = "ca"\noutput = "../../outside"\n', 5,
         "key 'mirrors.ca-html.output': '../../outside' must not contain '..'"),
        ('[mirrors.ca-html]\nlanguage = "ca"\ncolour = "red"\n', 5, "key 'mirrors.ca-html.colour': unknown key"),
        ('[machine]\nretries = -1\n', 4, "key 'machine.retries': must be 0 or more"),
        ('[checks]\ndisable = ["nope"]\n', 4, "key 'checks.disable': unknown check 'nope'"),
        ('[schedule]\nlead_days = 400\n', 4, "key 'schedule.lead_days': must be between 0 and 365"),
        ('[review]\nfour_eyes = "yes"\n', 4, "key 'review.four_eyes': expected true or false"),
        ('[people]\n"J. V." = ""\n', 4, "key 'people.\"J. V.\"': expected the person's display name"),
    ],
)
def test_every_command_checks_every_key_at_its_line(run: Run, workspace_dir: Path, table: str, line: int,
                                                    expected: str) -> None:
    config = workspace_dir / "i18n.toml"
    config.write_text('languages = ["ca", "es"]\n\n' + table, encoding="utf-8")
    for command in (("sync",), ("status",), ("check", "ca"), ("pretranslate", "ca"), ("review", "ca"),
                    ("publish",), ("engines",)):
        result = run(*command, exit_code=1)
        assert result.stderr.startswith(f"i18n: error: i18n.toml:{line}: {expected}"), (command, result.stderr)
    assert not (workspace_dir / "locales").exists()  # stopped before any work


def test_a_valid_config_is_checked_once_until_it_changes(run: Run, workspace_dir: Path) -> None:
    run("status")
    stamp = workspace_dir / ".i18n" / "config-checked"
    assert stamp.is_file()
    config = workspace_dir / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[schedule]\nlead_days = -1\n', encoding="utf-8")
    assert "key 'schedule.lead_days'" in run("status", exit_code=1).stderr


def test_key_line_finds_tables_keys_and_quoted_keys(tmp_path: Path) -> None:
    path = write(tmp_path, 'languages = ["ca"]\n[review.reviewers]\nca = ["x"]\n[people]\n"Jordi V." = "Jordi Vidal"\n')
    assert key_line(path, "languages") == 1
    assert key_line(path, "review.reviewers") == 2
    assert key_line(path, "review.reviewers.ca") == 3
    assert key_line(path, 'people."Jordi V."') == 5
    assert key_line(path, "machine.timeout") is None
