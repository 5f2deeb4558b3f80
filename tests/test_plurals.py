"""Plural forms: a catalog's count is its own ``Plural-Forms`` header, whatever CLDR version Babel carries.

Babel 2.18 gave Catalan CLDR's two categories (``nplurals=2; plural=(n != 1);``); Babel 2.19 gives three
(one, many, other: ``n != 0 && n % 1000000 == 0`` is "many"). The tests construct both rules, so they
need no particular Babel release and no network.
"""

from __future__ import annotations

import gettext
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages import plurals as babel_plurals

from i18n.catalogs.catalog import Catalog, Entry
from i18n.catalogs.merge import merge
from i18n.catalogs.pofile import read_catalog
from i18n.content.checks import check_entry
from i18n.core import languages
from i18n.core.languages import clear_language_caches, new_catalog_plural_forms, parse_language, plural_count
from tests.conftest import REPO, Run
from tests.test_cli_review import UI_PO
from tests.tracker_support import write_bytes

#: Catalan's rule in Babel 2.18's table (CLDR 46) and in Babel 2.19's (CLDR 47: a "many" category).
BABEL_2_18_CA = (2, "(n != 1)")
BABEL_2_19_CA = (3, "(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2)")
TWO_FORMS = "nplurals=2; plural=(n != 1);"
THREE_FORMS = "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);"


@pytest.fixture
def cldr_rule(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[int, str]]:
    """Babel's Catalan rule replaced by ``request.param``, and gettext's table left without Catalan, so that the
    constructed CLDR rule is what a new Catalan catalog would get."""
    rule: tuple[int, str] = request.param
    monkeypatch.setitem(babel_plurals.PLURALS, "ca", rule)
    monkeypatch.delitem(languages.GETTEXT_PLURAL_FORMS, "ca")
    clear_language_caches()
    yield rule
    clear_language_caches()


@pytest.mark.parametrize("rule", [BABEL_2_18_CA, BABEL_2_19_CA])
def test_a_new_catalan_catalog_gets_gettexts_two_forms_whatever_babel_says(
        rule: tuple[int, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(babel_plurals.PLURALS, "ca", rule)
    clear_language_caches()
    try:
        assert parse_language("ca").plural_forms == TWO_FORMS
        assert parse_language("ca-valencia").plural_forms == TWO_FORMS
        assert parse_language("es").plural_forms == TWO_FORMS
    finally:
        clear_language_caches()


def test_cldr_decides_only_for_languages_gettexts_table_lacks() -> None:
    assert new_catalog_plural_forms("ca", "nplurals=3; plural=x;") == TWO_FORMS
    assert new_catalog_plural_forms("pt_BR", "nplurals=3; plural=x;") == "nplurals=2; plural=(n > 1);"
    assert new_catalog_plural_forms("pt", "nplurals=3; plural=x;") == TWO_FORMS
    assert new_catalog_plural_forms("sr_Latn", "x").startswith("nplurals=3;")
    assert new_catalog_plural_forms("cy", "nplurals=6; plural=y;") == "nplurals=6; plural=y;"


def test_the_catalogs_header_decides_the_count() -> None:
    ca = parse_language("ca")
    assert ca.for_catalog(THREE_FORMS).nplurals == 3
    assert ca.for_catalog(" nplurals=1; plural=0;").nplurals == 1
    # No header, or one without a count: the language's own rule.
    assert ca.for_catalog(None) is ca and ca.for_catalog("plural=(n != 1);") is ca
    assert ca.for_catalog("nplurals=0; plural=0;") is ca
    assert [plural_count(s) for s in (TWO_FORMS, THREE_FORMS, "", "nplurals=x")] == [2, 3, None, None]


def test_checks_count_the_forms_the_catalog_declares() -> None:
    entry = Entry("%(num)d image", msgid_plural="%(num)d images", msgstr_plural=("%(num)d imatge", "%(num)d imatges"),
                  flags=("python-format",))
    en = parse_language("en")
    assert check_entry(entry, parse_language("ca").for_catalog(TWO_FORMS), en) == ()
    # Under a three-form header the third form is missing, and only then.
    three = check_entry(entry, parse_language("ca").for_catalog(THREE_FORMS), en)
    assert [(f.code, f.form) for f in three] == [("empty", 2)]


@pytest.mark.parametrize("declared, forms", [(TWO_FORMS, 2), (THREE_FORMS, 3)])
def test_merge_keeps_the_catalogs_own_count(declared: str, forms: int) -> None:
    template = Catalog(entries=(Entry("%d image", msgid_plural="%d images", msgstr_plural=("", "")),
                                Entry("%d article", msgid_plural="%d articles", msgstr_plural=("", ""))))
    old = Catalog(headers=(("Plural-Forms", declared),),
                  entries=(Entry("%d image", msgid_plural="%d images", msgstr_plural=("a", "b", "c")[:forms]),))
    merged, stats = merge(old, template, parse_language("ca"), "2026-12-03 10:00+0000")
    assert merged.header("Plural-Forms") == declared
    assert [len(e.msgstr_plural) for e in merged.entries] == [forms, forms]
    assert merged.entries[0].msgstr_plural == ("a", "b", "c")[:forms]
    assert stats.own_plural_rule == (0 if declared == TWO_FORMS else 1)


@pytest.mark.parametrize("cldr_rule", [BABEL_2_18_CA, BABEL_2_19_CA], indirect=True)
def test_a_two_form_catalan_catalog_is_checked_approved_and_exported_under_either_cldr_rule(
        cldr_rule: tuple[int, str], run: Run, workspace_dir: Path) -> None:
    three = cldr_rule == BABEL_2_19_CA
    assert parse_language("ca").plural_forms == (THREE_FORMS if three else TWO_FORMS)
    run("sync", "-q")
    # The sample's Catalan UI catalog: a header with two forms, every plural entry translated in both.
    write_bytes(workspace_dir / UI_PO, (REPO / UI_PO).read_bytes())
    synced = run("sync")
    ui = read_catalog(workspace_dir / UI_PO)
    assert ui.header("Plural-Forms") == TWO_FORMS
    assert all(len(e.msgstr_plural) == 2 for e in ui.active_entries if e.msgid_plural is not None)
    # Said once, and only when the header differs from the rule a new catalog would get.
    notes = [line for line in synced.stderr.splitlines() if "Plural-Forms" in line]
    assert len(notes) == (1 if three else 0), synced.stderr
    # A new catalog gets the language's rule for new catalogs.
    article = read_catalog(workspace_dir / "locales/ca/articles/2026/2026-11-14-gut-feelings.po")
    assert article.header("Plural-Forms") == (THREE_FORMS if three else TWO_FORMS)

    checked = json.loads(run("check", "ca", "--json").stdout)
    assert not [p for p in checked["problems"] if p["file"] == UI_PO], checked["problems"]
    approved = json.loads(run("approve", "ca", "@ui", "--reviewer", "Jordi Vidal", "--json").stdout)
    assert {a["article"] for a in approved["approved"]} == {"@ui"} and approved["refused"] == []
    assert len(approved["approved"]) == len([e for e in ui.active_entries if e.translated])
    out = workspace_dir / "export"
    exported = json.loads(run("export", "ca", "--format", "mo", "--out", str(out), "--json").stdout)
    assert exported["entries"] > 0
    with (out / "ca/LC_MESSAGES/messages.mo").open("rb") as mo:
        translations = gettext.GNUTranslations(mo)
    assert translations.info()["plural-forms"] == TWO_FORMS
    plural = next(e for e in ui.active_entries if e.msgid_plural is not None and e.msgstr_plural[0])
    assert plural.msgid_plural is not None
    assert translations.ngettext(plural.msgid, plural.msgid_plural, 1) == plural.msgstr_plural[0]
    # A million is "many" under CLDR 47, but this catalog has two forms: msgstr[1], as msgfmt compiled it.
    assert translations.ngettext(plural.msgid, plural.msgid_plural, 1_000_000) == plural.msgstr_plural[1]

