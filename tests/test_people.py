"""One person, one name (issue 13, point 6): :mod:`i18n.core.people` and the review commands that use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from i18n.core.config import load_settings
from i18n.core.errors import ConfigError
from i18n.core.people import People, load_people, person_key, same_person, split_identity
from tests.conftest import Run
from tests.test_cli_review import CLOCK, use_sample_translation
from tests.tracker_support import GUT


def test_the_key_ignores_case_spacing_and_unicode_form() -> None:
    assert person_key("jordi  vidal") == person_key("Jordi Vidal") == person_key(" JORDI\tVidal ")
    assert person_key("Jos\u00e9") == person_key("Jose\u0301")  # NFC: é precomposed or combined
    assert person_key("Jordi Vidal <Jordi@Example.org>") == person_key("J. V. <jordi@example.org>")
    assert person_key("Jordi Vidal") != person_key("Jordi Vidals")
    assert split_identity("Jordi  Vidal <jordi@example.org>") == ("Jordi Vidal", "jordi@example.org")
    assert same_person("jordi vidal", "Jordi Vidal <jordi@example.org>")
    assert not same_person("Jordi Vidal <a@example.org>", "Jordi Vidal <b@example.org>")


def test_the_first_spelling_seen_is_the_display_name() -> None:
    people = People().with_seen(["jordi  vidal", "Jordi Vidal", "Anna Puig <anna@example.org>", "anna@example.org"])
    assert people.display("JORDI VIDAL") == "jordi vidal"
    assert people.display("A. Puig <anna@example.org>") == "Anna Puig"
    assert people.knows("Anna Puig") and not people.knows("Marta Puig")


def test_config_aliases_and_listed_names_win(tmp_path: Path) -> None:
    config = tmp_path / "i18n.toml"
    config.write_text('languages = ["ca"]\n[people]\n"Jordi V." = "Jordi Vidal"\n"jv@example.org" = "Jordi Vidal"\n',
                      encoding="utf-8")
    people = load_people(load_settings(config), ["Anna Puig"]).with_seen(["jordi vidal", "anna  puig"])
    assert people.display("jordi V.") == people.display("jordi  vidal") == "Jordi Vidal"
    assert people.display("Someone <JV@example.org>") == "Jordi Vidal"
    assert people.display("ANNA PUIG") == "Anna Puig"
    config.write_text('languages = ["ca"]\n[people]\n"J. V." = "Jordi Vidal"\n"j. v." = "Joan Vila"\n',
                      encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_people(load_settings(config))
    assert "names two people" in caught.value.message and caught.value.line == 4


@pytest.mark.backends("sqlite", "postgresql")  # through the tracker
def test_two_spellings_are_one_reviewer_in_the_tracker_and_the_credits(run: Run, workspace_dir: Path) -> None:
    config = workspace_dir / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8")
                      + '\n[mirrors.ca-json]\nlanguage = "ca"\nformat = "json"\n', encoding="utf-8")
    run("sync", "-q")
    for article in (GUT, CLOCK):
        use_sample_translation(workspace_dir, article)
    first = run("approve", "ca", CLOCK, "--reviewer", "jordi  vidal")
    second = run("approve", "ca", GUT, "--entry", "title", "--reviewer", "Jordi Vidal", "--json")
    run("approve", "ca", GUT, "--reviewer", "JORDI VIDAL")
    exported = json.loads(run("db", "export").stdout)
    assert {row["approved_by"] for row in exported["tables"]["approvals"]} == {"jordi vidal"}
    assert json.loads(second.stdout)["reviewer"] == "jordi vidal" and "warning" not in second.stderr
    assert "new name in this workspace" in first.stderr  # never seen, nobody configured: a warning, not a failure
    run("publish", "--as-of", "2026-12-31", exit_code=3)  # the third sample article is not translated
    for article, year in ((GUT, "2026"), (CLOCK, "2025")):
        page = json.loads((workspace_dir / "build" / "mirrors" / "ca-json" / year / f"{article}.json").read_text(
            encoding="utf-8"))
        assert page["reviewers"] == ["jordi vidal"], article


@pytest.mark.backends("sqlite", "postgresql")  # through the tracker
def test_an_alias_in_the_config_is_credited_under_the_configured_name(run: Run, workspace_dir: Path) -> None:
    config = workspace_dir / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[people]\n"Jordi V." = "Jordi Vidal"\n', encoding="utf-8")
    run("sync", "-q")
    use_sample_translation(workspace_dir, CLOCK)
    result = run("approve", "ca", CLOCK, "--reviewer", "jordi v.", "--json")
    assert json.loads(result.stdout)["reviewer"] == "Jordi Vidal" and "warning" not in result.stderr


@pytest.mark.backends("sqlite", "postgresql")  # through the tracker
def test_assign_names_people_as_first_seen(run: Run, workspace_dir: Path) -> None:
    run("sync", "-q")
    run("assign", "ca", GUT, "--translator", "Marta Puig", "--reviewer", "Jordi Vidal")
    data = json.loads(run("assign", "ca", CLOCK, "--translator", "marta  PUIG", "--reviewer", "jordi vidal",
                          "--json").stdout)
    assert [(a["translator"], a["reviewer"]) for a in data["assignments"]] == [("Marta Puig", "Jordi Vidal")]


@pytest.mark.backends("sqlite", "postgresql")  # through the tracker
def test_a_translator_is_credited_by_the_e_mail_the_config_maps(run: Run, workspace_dir: Path) -> None:
    from tests.tracker_support import edit_catalog, translate_all

    config = workspace_dir / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[people]\n"marta@example.org" = "Marta Puig"\n',
                      encoding="utf-8")
    run("sync", "-q")
    run("status")
    edit_catalog(workspace_dir / "locales" / "ca" / "articles" / "2026" / f"{GUT}.po", translate_all,
                 translator="M.  Puig <Marta@Example.org>")
    run("status")
    actors = {row["actor"] for row in json.loads(run("db", "export").stdout)["tables"]["history"]}
    assert "Marta Puig" in actors and not any("Puig <" in a or a.startswith("M.") for a in actors)
