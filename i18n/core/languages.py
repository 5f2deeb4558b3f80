"""Languages: the codes users write, and what gettext, Babel and engines call them.

The only module that asks Babel (CLDR) about languages. A code such as ``ca-valencia`` means one thing to
the user and different things elsewhere: Babel's locale ``ca_ES_VALENCIA`` (``Locale.parse`` would
silently turn ``ca-valencia`` into plain ``ca``), the gettext folder ``ca@valencia``, the engine code
``ca`` and Apertium's ``cat_valencia``. :func:`parse_language` keeps that mapping explicit.

Plural forms (see ``workflow.md``, "Plural forms"): a catalog's plural count is its own ``Plural-Forms``
header, as in msgfmt, Poedit and Weblate (:meth:`Language.for_catalog`). A *new* catalog gets the rule of
:data:`GETTEXT_PLURAL_FORMS` (GNU gettext's ``msginit`` table and the rules the Translation Project's
language teams use), and Babel's CLDR rule only for a language that table lacks. CLDR's rules change
between Babel releases (Babel 2.19 gives Catalan and Spanish a third form for millions), and a catalog's
header must not change with them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache

from i18n.core.errors import LanguageError

#: Variant subtags whose gettext form is an ``@modifier`` (and their Babel/Apertium spellings).
_VARIANTS: dict[str, tuple[str, str, str]] = {
    # user subtag: (Babel suffix, gettext modifier, Apertium suffix)
    "valencia": ("_ES_VALENCIA", "@valencia", "_valencia"),
}
#: Script subtags that gettext writes as a modifier.
_SCRIPTS = {"latn": "@latin", "cyrl": "@cyrillic"}
#: ISO 639-3 codes that Apertium's mode names use, for the languages it has pairs for with English.
_APERTIUM = {
    "ca": "cat", "es": "spa", "eu": "eus", "gl": "glg", "fr": "fra", "pt": "por", "it": "ita",
    "oc": "oci", "en": "eng", "eo": "epo", "an": "arg", "ast": "ast", "is": "isl", "sv": "swe",
}
_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True, slots=True)
class Language:
    """A target (or source) language, with every name other tools know it by."""

    code: str
    """The code users write in ``i18n.toml`` and on the command line: ``ca``, ``ca-valencia``, ``pt-BR``."""
    babel: str
    """Babel/CLDR locale identifier: ``ca``, ``ca_ES_VALENCIA``, ``pt_BR``."""
    gettext: str
    """gettext locale (the ``locales/`` folder and the PO ``Language`` header): ``ca``, ``ca@valencia``."""
    engine: str
    """What machine-translation services call it: ``ca`` (Valencian is sent as Catalan)."""
    apertium: str | None
    """Apertium's name for it in mode names (``cat``, ``cat_valencia``), or ``None`` when unknown."""
    declared_plural_forms: str | None = None
    """A catalog's own ``Plural-Forms`` (:meth:`for_catalog`); ``None``: the rule a new catalog gets."""

    # The name and the rule come from CLDR data that Babel loads per locale: read when first asked for, so
    # that a command that only needs the folder names (``i18n status``) does not load ten locales.

    @property
    def name(self) -> str:
        """English display name from CLDR, for headers and reports: ``Catalan (Spain, Valencian)``."""
        return _cldr(self.babel)[0] or self.code

    @property
    def plural_forms(self) -> str:
        """The ``Plural-Forms`` rule: ``nplurals=2; plural=(n != 1);``. The catalog's own (:meth:`for_catalog`),
        else the rule a new catalog gets (:func:`new_catalog_plural_forms`)."""
        return self.declared_plural_forms or _cldr(self.babel)[1]

    @property
    def nplurals(self) -> int:
        """Number of plural forms (msgstr[0..n-1])."""
        count = plural_count(self.plural_forms)
        return count if count is not None else 2

    def for_catalog(self, declared: str | None) -> Language:
        """This language as a catalog whose ``Plural-Forms`` header is ``declared`` counts its plurals.

        The header is the catalog's truth (msgfmt checks against it, and translators' editors show that
        many forms); a missing or unreadable header (no ``nplurals=N``) leaves the language's own rule.
        """
        if declared is None or plural_count(declared) is None or declared.strip() == self.plural_forms:
            return self
        return replace(self, declared_plural_forms=declared.strip())


#: ``Plural-Forms`` for new catalogs: GNU gettext's ``msginit`` table (gettext-tools/src/plural-table.c),
#: plus the two-form rule the Translation Project's teams and Softcatalà use for Romance and other
#: languages that table lacks. CLDR (through Babel) decides only for languages not listed here.
GETTEXT_PLURAL_FORMS: dict[str, str] = {
    **dict.fromkeys(("ja", "vi", "ko", "th", "zh"), "nplurals=1; plural=0;"),
    **dict.fromkeys(
        ("en", "de", "nl", "sv", "da", "no", "nb", "nn", "fo", "es", "pt", "it", "bg", "el", "fi", "et", "he",
         "eo", "hu", "tr", "ca", "eu", "gl", "an", "ast", "af", "sq", "lb", "fy", "ia"),
        "nplurals=2; plural=(n != 1);"),
    **dict.fromkeys(("fr", "pt_BR", "oc", "br"), "nplurals=2; plural=(n > 1);"),
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "ga": "nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;",
    "ro": "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;",
    "lt": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);",
    **dict.fromkeys(
        ("ru", "uk", "be", "sr", "hr", "bs"),
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"),
    **dict.fromkeys(("cs", "sk"), "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"),
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
}

_NPLURALS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;")


def plural_count(plural_forms: str) -> int | None:
    """``N`` of a ``Plural-Forms`` value ``nplurals=N; plural=…;``; ``None`` when it does not start so."""
    match = _NPLURALS.match(plural_forms)
    return int(match.group(1)) if match and int(match.group(1)) > 0 else None


def new_catalog_plural_forms(babel_id: str, cldr: str) -> str:
    """The ``Plural-Forms`` a new catalog for Babel locale ``babel_id`` gets (see the module)."""
    region = babel_id.split("_")
    for key in ("_".join(region[:2]), region[0]):
        if key in GETTEXT_PLURAL_FORMS:
            return GETTEXT_PLURAL_FORMS[key]
    return cldr


@cache
def parse_language(code: str) -> Language:
    """The :class:`Language` for a user-written code, checked against Babel's CLDR data.

    Accepts ``ll``, ``ll-RR`` (region), ``ll-Ssss`` (script) and the variants in ``_VARIANTS``; raises
    :class:`LanguageError` naming the code and what would be accepted.
    """
    if not _CODE.match(code):
        raise LanguageError(
            f"'{code}' is not a language code",
            hint="write a lowercase ISO 639 code, optionally with a region or variant: ca, es, pt-BR, ca-valencia",
        )
    primary, *subtags = code.split("-")
    babel_id, gettext_id, apertium_suffix = primary, primary, ""
    modifier = ""
    for subtag in subtags:
        lowered = subtag.lower()
        if lowered in _VARIANTS:
            babel_suffix, modifier, apertium_suffix = _VARIANTS[lowered]
            babel_id += babel_suffix
        elif lowered in _SCRIPTS:
            babel_id += "_" + subtag.title()
            modifier = _SCRIPTS[lowered]
        elif (len(subtag) == 2 and subtag.isalpha()) or (len(subtag) == 3 and subtag.isdigit()):
            babel_id += "_" + subtag.upper()
            gettext_id += "_" + subtag.upper()
        else:
            raise LanguageError(
                f"'{code}': unknown subtag '{subtag}'",
                hint=f"known variants: {', '.join(sorted(_VARIANTS))}; scripts: Latn, Cyrl; or a region such as ES",
            )
    from babel import localedata  # lazy: Babel is slow to import; only parsing a language needs it

    if not localedata.exists(babel_id):
        raise LanguageError(
            f"'{code}' is not a language Babel's CLDR data knows (looked up as '{babel_id}')",
            hint="check the spelling; examples: ca, es, eu, gl, ca-valencia",
        )
    apertium = _APERTIUM.get(primary)
    return Language(
        code=code,
        babel=babel_id,
        gettext=gettext_id + modifier,
        engine=primary,
        apertium=apertium + apertium_suffix if apertium else None,
    )


def clear_language_caches() -> None:
    """Forget every parsed language and its CLDR facts (for tests that swap Babel's data)."""
    parse_language.cache_clear()
    _cldr.cache_clear()


@cache
def _cldr(babel_id: str) -> tuple[str, str]:
    """A known locale's English name and the ``Plural-Forms`` a new catalog gets."""
    from babel import Locale  # lazy: Babel is slow to import; only a language's name or plural rule needs it
    from babel.messages.plurals import get_plural  # lazy: as above (it loads babel.dates)

    return (Locale.parse(babel_id).english_name or "",
            new_catalog_plural_forms(babel_id, get_plural(babel_id).plural_forms))


@cache
def number_symbols(babel_locale: str) -> tuple[str, str]:
    """``(decimal, group)`` symbols of a Babel locale: English ``('.', ',')``, Catalan ``(',', '.')``."""
    from babel.numbers import (  # lazy: Babel is slow to import; only the number checks need it
        get_decimal_symbol,
        get_group_symbol,
    )

    return get_decimal_symbol(babel_locale), get_group_symbol(babel_locale)


@cache
def format_long_date(date: dt.date, language: Language) -> str:
    """``30 d’abril del 2016``: CLDR's long date in the language (Babel handles elision: d’abril)."""
    from babel.dates import format_date  # lazy: Babel's dates are slow to import; only HTML mirrors need them

    return str(format_date(date, format="long", locale=language.babel))


@cache
def format_month(date: dt.date, language: Language) -> str:
    """``abril del 2016``: month and year, as CLDR writes them standing alone."""
    from babel.dates import format_skeleton  # lazy: Babel's dates are slow to import; only HTML mirrors need them

    return str(format_skeleton("yMMMM", date, locale=language.babel))
