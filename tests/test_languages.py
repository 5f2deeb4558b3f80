"""Language codes: the explicit mapping between user codes, gettext folders, Babel and engines."""

from __future__ import annotations

import pytest

from i18n.core.errors import LanguageError
from i18n.core.languages import parse_language


@pytest.mark.parametrize(
    ("code", "babel", "gettext", "engine", "apertium"),
    [
        ("ca", "ca", "ca", "ca", "cat"),
        ("ca-valencia", "ca_ES_VALENCIA", "ca@valencia", "ca", "cat_valencia"),
        ("es", "es", "es", "es", "spa"),
        ("eu", "eu", "eu", "eu", "eus"),
        ("gl", "gl", "gl", "gl", "glg"),
        ("pt-BR", "pt_BR", "pt_BR", "pt", "por"),
        ("sr-Latn", "sr_Latn", "sr@latin", "sr", None),
    ],
)
def test_mapping(code: str, babel: str, gettext: str, engine: str, apertium: str | None) -> None:
    language = parse_language(code)
    assert (language.babel, language.gettext, language.engine, language.apertium) == (
        babel, gettext, engine, apertium)


def test_valencian_is_not_silently_catalan() -> None:
    # Babel's Locale.parse("ca-valencia") gives plain "ca"; we must keep the variant.
    assert parse_language("ca-valencia").gettext != parse_language("ca").gettext
    assert "Valencian" in parse_language("ca-valencia").name


def test_plural_forms_come_from_cldr() -> None:
    assert parse_language("ca").plural_forms == "nplurals=2; plural=(n != 1);"
    assert parse_language("pt-BR").plural_forms == "nplurals=2; plural=(n > 1);"
    assert parse_language("sr-Latn").nplurals == 3


@pytest.mark.parametrize("code", ["xx", "CA", "ca-foo", "ca_ES", "", "../ca"])
def test_unknown_codes_are_refused(code: str) -> None:
    with pytest.raises(LanguageError):
        parse_language(code)
