"""The number checks: every number of the source in the translation, written the target language's way.

Numbers are compared by value, read with each language's decimal and thousands symbols (from CLDR, through
:func:`i18n.core.languages.number_symbols`): English 2,000 and 3.5 are Catalan and Spanish 2.000 and 3,5.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

from i18n.content.checks.base import CheckFailed, Code, Severity, Unit, register
from i18n.content.checks.prose import plural, prose
from i18n.core.languages import number_symbols

# -- values -------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![^\W\d_])(?<![\d.,])\d+(?:[.,\u00a0\u202f\u2009]\d+)*")
_SPACES = "\u00a0\u202f\u2009"


def _number_value(token: str, decimal: str, group: str) -> Decimal | None:
    """The value of ``token`` written with ``decimal`` and ``group`` symbols, or ``None`` if it is not."""
    groups = {group, *_SPACES} if group not in _SPACES else set(_SPACES)
    parts = re.split(r"([.,\u00a0\u202f\u2009])", token)
    digits, separators = parts[0::2], parts[1::2]
    fraction = ""
    if separators and separators[-1] == decimal:
        fraction = digits[-1]
        digits, separators = digits[:-1], separators[:-1]
    if separators:
        if any(s not in groups for s in separators) or len(digits[0]) > 3:
            return None
        if any(len(d) != 3 for d in digits[1:]):
            return None
    try:
        return Decimal("".join(digits) + ("." + fraction if fraction else ""))
    except InvalidOperation:  # pragma: no cover - the regular expression only lets digits through
        return None


def _numbers(text: str, flags: tuple[str, ...]) -> list[str]:
    return _NUMBER.findall(prose(text, flags))


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1000 <= int(token) <= 2999


@register(Code.NUMBERS, Severity.ERROR, "numbers lost, added or changed (allowing the language's decimal and "
                                   "thousands separators); years written differently")
def numbers(unit: Unit) -> None:
    """Keep every number of the source, written the target language's way (English 2,000 and 3.5 are
    Catalan 2.000 and 3,5); write years as they are (2026).
    """
    source_decimal, source_group = number_symbols(unit.source_language.babel)
    decimal, group = number_symbols(unit.language.babel)
    source_tokens = _numbers(unit.source, unit.flags)
    target_tokens = _numbers(unit.translation, unit.flags)

    def source_value(token: str) -> Decimal | str:
        value = _number_value(token, source_decimal, source_group)
        return token if value is None else value

    def target_value(token: str) -> Decimal | str:
        value = _number_value(token, decimal, group)
        if value is None:  # written the source's way, e.g. a version number "4.0": accepted as it is
            value = _number_value(token, source_decimal, source_group)
        return token if value is None else value

    wanted = Counter(source_value(t) for t in source_tokens)
    found = Counter(target_value(t) for t in target_tokens)
    missing = [t for t in source_tokens if (wanted - found)[source_value(t)] > 0]
    extra = [t for t in target_tokens if (found - wanted)[target_value(t)] > 0]
    problems = []
    if missing:
        problems.append(f"missing from the translation: {', '.join(dict.fromkeys(missing))}")
    if extra:
        readings = []
        for token in dict.fromkeys(extra):
            as_source = _number_value(token, source_decimal, source_group)
            value = target_value(token)
            misread = as_source is not None and value != as_source
            shown = f"{value.normalize():f}" if isinstance(value, Decimal) else value
            readings.append(f"{token} (which reads as {shown} in {unit.language.name})" if misread else token)
        problems.append(f"not in the source: {', '.join(readings)}")
    if not problems:
        target_set = set(target_tokens)
        years = [t for t in dict.fromkeys(source_tokens) if _is_year(t) and t not in target_set]
        if years:
            problems.append(f"write the {plural(len(years), 'year')} {', '.join(years)} "
                            "without a thousands separator")
    if problems:
        raise CheckFailed("numbers differ: " + "; ".join(problems))
