"""i18n.toml validation: unknown keys, wrong types, unknown languages name the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n.config import default_config_text, find_config, load_settings
from i18n.errors import ConfigError, WorkspaceNotFound
from i18n.languages import parse_language


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
