"""The registry of checks, and running them on an entry.

:data:`CHECKS` lists every check in the order of :class:`~i18n.content.checks.base.Code` (the order they
run and are listed in). Importing this module imports every family of checks, which registers them.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache

from i18n.catalogs.catalog import Entry

# The families register their checks when imported: the imports are needed for that alone.
from i18n.content.checks import conventions, markup, numbers, terms, typography, wording  # noqa: F401
from i18n.content.checks.accept import accepted_codes
from i18n.content.checks.base import REGISTRY, Check, CheckFailed, Code, Config, Finding, Options, Unit
from i18n.content.checks.consistency import CONSISTENCY
from i18n.core.glossary import Glossary
from i18n.core.languages import Language

_ORDER = list(Code)
_MAX_LENGTH_NOTE = re.compile(r"\bmax-length:\d+\b")

#: Every check, in the order they run and are listed; codes are stable (JSON, configuration).
CHECKS: tuple[Check, ...] = tuple(sorted(REGISTRY, key=lambda check: _ORDER.index(check.code)))
CODES: tuple[Code, ...] = tuple(c.code for c in CHECKS)
assert CONSISTENCY in CHECKS and set(CODES) == set(Code), "every code has exactly one registered check"


def check_by_code(code: str) -> Check:
    """The registered check ``code`` (a ``KeyError`` for an unknown code: validate codes first)."""
    for check in CHECKS:
        if check.code == code:
            return check
    raise KeyError(code)


def message(check: Check, detail: str) -> str:
    """The user-facing message: what is wrong, then how to fix it (the check's docstring)."""
    detail = detail[:1].upper() + detail[1:]
    return f"{detail}. {check.advice}"


# -- running the checks on an entry ---------------------------------------------------------------------

@cache
def _single_number_forms(plural_forms: str) -> frozenset[int]:
    """Plural form indexes used for exactly one number ``n`` (``msgstr[0]`` when ``plural=(n != 1)``)."""
    match = re.search(r"plural\s*=\s*(.+?);?\s*$", plural_forms)
    if match is None:
        return frozenset()
    try:
        choose = gettext.c2py(match.group(1).rstrip(";"))
    except (ValueError, SyntaxError):
        return frozenset()
    counts = Counter(choose(n) for n in range(1000))
    return frozenset(form for form, count in counts.items() if count == 1)


def units_of(entry: Entry, language: Language, source_language: Language, glossary: Glossary,
             options: Options) -> Iterator[tuple[int | None, Unit]]:
    """The units a (possibly plural) entry is checked as: ``(form, unit)``, form ``None`` if singular.

    A ``max-length:N`` written in an extracted comment (``{# Translators: a button, max-length:12 #}`` in a
    site template) counts as the flag, so that a template's author can set it.
    """
    flags = (*entry.flags, *(m for c in entry.extracted_comments for m in _MAX_LENGTH_NOTE.findall(c)))
    if entry.msgid_plural is None:
        yield None, Unit(entry.msgid, entry.msgstr, language, source_language, flags,
                         glossary=glossary, options=options)
        return
    single = _single_number_forms(language.plural_forms)
    forms = entry.msgstr_plural or ("",)
    for index in range(max(len(forms), language.nplurals)):
        translation = forms[index] if index < len(forms) else ""
        source = entry.msgid if index == 0 else entry.msgid_plural
        yield index, Unit(source, translation, language, source_language, flags,
                          single_number=index in single, glossary=glossary, options=options)


def check_entry(entry: Entry, language: Language, source_language: Language, config: Config | None = None,
                glossary: Glossary | None = None) -> tuple[Finding, ...]:
    """Run every enabled per-entry check on ``entry``'s translation (each plural form on its own).

    An empty form gets only the ``empty`` check. Severities follow ``config``. A check a reviewer accepted
    on this entry (an ``ignore-<code>`` comment or flag, see :mod:`i18n.content.checks.accept`) is not run.
    """
    config = config or Config()
    glossary = glossary or Glossary()
    accepted = accepted_codes(entry)
    findings: list[Finding] = []
    for form, unit in units_of(entry, language, source_language, glossary, config.options):
        for check in CHECKS:
            if check.function is None or not config.enabled(check.code) or check.code in accepted:
                continue
            if not unit.translation and check.code is not Code.EMPTY:
                continue
            try:
                check.function(unit)
            except CheckFailed as failure:
                detail = failure.detail if form is None else f"plural form {form}: {failure.detail}"
                findings.append(Finding(check.code, config.severity(check), message(check, detail), form))
    return tuple(findings)
