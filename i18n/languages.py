"""Languages: the codes users write, and what gettext, Babel and engines call them.

The only module that asks Babel (CLDR) about languages. A code such as ``ca-valencia`` means one thing to
the user and different things elsewhere: Babel's locale ``ca_ES_VALENCIA`` (``Locale.parse`` would
silently turn ``ca-valencia`` into plain ``ca``), the gettext folder ``ca@valencia``, the engine code
``ca`` and Apertium's ``cat_valencia``. :func:`parse_language` keeps that mapping explicit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from i18n.errors import LanguageError

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
    name: str
    """English display name from CLDR, for headers and reports: ``Catalan (Spain, Valencian)``."""
    plural_forms: str
    """The ``Plural-Forms`` header value from CLDR: ``nplurals=2; plural=(n != 1);``."""

    @property
    def nplurals(self) -> int:
        """Number of plural forms (msgstr[0..n-1])."""
        match = re.search(r"nplurals\s*=\s*(\d+)", self.plural_forms)
        return int(match.group(1)) if match else 2


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
    from babel import Locale, localedata
    from babel.messages.plurals import get_plural

    if not localedata.exists(babel_id):
        raise LanguageError(
            f"'{code}' is not a language Babel's CLDR data knows (looked up as '{babel_id}')",
            hint="check the spelling; examples: ca, es, eu, gl, ca-valencia",
        )
    locale = Locale.parse(babel_id)
    apertium = _APERTIUM.get(primary)
    return Language(
        code=code,
        babel=babel_id,
        gettext=gettext_id + modifier,
        engine=primary,
        apertium=apertium + apertium_suffix if apertium else None,
        name=locale.english_name or code,
        plural_forms=get_plural(babel_id).plural_forms,
    )


@cache
def number_symbols(babel_locale: str) -> tuple[str, str]:
    """``(decimal, group)`` symbols of a Babel locale: English ``('.', ',')``, Catalan ``(',', '.')``."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(babel_locale), get_group_symbol(babel_locale)


@cache
def format_long_date(date: dt.date, language: Language) -> str:
    """``30 d’abril del 2016``: CLDR's long date in the language (Babel handles elision: d’abril)."""
    from babel.dates import format_date

    return str(format_date(date, format="long", locale=language.babel))


@cache
def format_month(date: dt.date, language: Language) -> str:
    """``abril del 2016``: month and year, as CLDR writes them standing alone."""
    from babel.dates import format_skeleton

    return str(format_skeleton("yMMMM", date, locale=language.babel))
