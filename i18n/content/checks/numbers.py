"""The number checks: every number of the source in the translation, written the target language's way.

Numbers are compared by value, read with each language's decimal and thousands symbols (from CLDR, through
:func:`i18n.core.languages.number_symbols`): English 2,000 and 3.5 are Catalan and Spanish 2.000 and 3,5.
Centuries and ordinals may change their writing: English "19th" is Catalan "19è" or "XIX", Spanish "19.º"
or "XIX"; "the 1800s" may become "el segle XIX" (or "el segle 19"), "the 1990s" "els anys 90".
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from i18n.content.checks.base import CheckFailed, Code, Severity, Unit, register
from i18n.content.checks.prose import plural, prose
from i18n.core.languages import Language, number_symbols

_NUMBER = re.compile(r"(?<![^\W\d_])(?<![\d.,])\d+(?:[.,\u00a0\u202f\u2009]\d+)*")
_SPACES = "\u00a0\u202f\u2009"
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)\b")
_DECADE_SUFFIX = re.compile(r"['’]?s\b")
_ROMAN = re.compile(r"\b[IVXLCDM]+\b")
_ROMAN_DIGITS = (("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100), ("XC", 90), ("L", 50),
                 ("XL", 40), ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))
#: Words after which a number written the source's way is a name's version, not a decimal (``versió 2.5``).
_VERSION_WORDS = frozenset({"v", "version", "versió", "versión", "release", "llançament", "edició", "edición"})


class NumberKind(enum.StrEnum):
    """How a source number is written: plainly, as an ordinal (``19th``) or as a decade (``1800s``)."""

    PLAIN = "plain"
    ORDINAL = "ordinal"
    DECADE = "decade"


@dataclass(frozen=True, slots=True)
class Number:
    """A number found in prose: as written, its value (the token when it reads as no number), its kind."""

    token: str
    value: Decimal | str
    kind: NumberKind
    start: int


@dataclass(frozen=True, slots=True)
class Symbols:
    """A language's decimal and thousands symbols."""

    decimal: str
    group: str

    @classmethod
    def of(cls, language: Language) -> Symbols:
        """The symbols ``language`` writes numbers with (CLDR)."""
        decimal, group = number_symbols(language.babel)
        return cls(decimal, group)

    def value(self, token: str) -> Decimal | None:
        """The value of ``token`` written with these symbols, or ``None`` if it is not written so."""
        groups = {self.group, *_SPACES} if self.group not in _SPACES else set(_SPACES)
        parts = re.split(r"([.,\u00a0\u202f\u2009])", token)
        digits, separators = parts[0::2], parts[1::2]
        fraction = ""
        if separators and separators[-1] == self.decimal:
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


def roman_value(word: str) -> int | None:
    """The value of an upper-case Roman numeral (``XIX`` is 19), or ``None`` if ``word`` is not one."""
    rest, value = word, 0
    for letters, amount in _ROMAN_DIGITS:
        while rest.startswith(letters):
            rest, value = rest[len(letters):], value + amount
    if rest or not word or _roman(value) != word:
        return None
    return value


def _roman(value: int) -> str:
    letters = []
    for symbol, amount in _ROMAN_DIGITS:
        count, value = divmod(value, amount)
        letters.append(symbol * count)
    return "".join(letters)


def read_numbers(text: str, flags: tuple[str, ...], symbols: Symbols, fallback: Symbols | None = None
                 ) -> list[Number]:
    """The numbers in the prose of ``text``, read with ``symbols`` (then ``fallback``: a version "4.0")."""
    text = prose(text, flags)
    found = []
    for match in _NUMBER.finditer(text):
        token, after = match.group(), text[match.end():]
        value = symbols.value(token)
        if value is None and fallback is not None:
            value = fallback.value(token)
        kind = NumberKind.PLAIN
        if token.isdigit() and _ORDINAL_SUFFIX.match(after):
            kind = NumberKind.ORDINAL
        elif token.isdigit() and token.endswith("0") and _DECADE_SUFFIX.match(after):
            kind = NumberKind.DECADE
        found.append(Number(token, token if value is None else value, kind, match.start()))
    return found


def _other_writings(number: Number) -> tuple[set[Decimal], set[int]]:
    """Values and Roman numerals that may stand for ``number`` in a translation: ``1800s`` is ``segle XIX``
    or ``segle 19``, ``1990s`` ``anys 90``, ``19th`` ``XIX``."""
    if not isinstance(number.value, Decimal):
        return set(), set()
    value = int(number.value)
    if number.kind is NumberKind.ORDINAL:
        return set(), {value}
    if number.kind is NumberKind.DECADE and value % 100 == 0 and value >= 100:
        century = value // 100 + 1
        return {Decimal(century)}, {century}
    if number.kind is NumberKind.DECADE and value >= 100:
        return {Decimal(value % 100)}, set()
    return set(), set()


@dataclass(frozen=True, slots=True)
class _Matching:
    missing: list[Number]
    extra: list[Number]
    rewritten: list[Number]
    """Source numbers the translation writes another way (a century in Roman numerals)."""


def _match(source: Sequence[Number], target: Sequence[Number], romans: Counter[int]) -> _Matching:
    left = Counter(n.value for n in target)
    unmatched = []
    for number in source:
        if left[number.value] > 0:
            left[number.value] -= 1
        else:
            unmatched.append(number)
    missing, rewritten = [], []
    for number in unmatched:
        values, numerals = _other_writings(number)
        value = next((v for v in values if left[v] > 0), None)
        numeral = next((r for r in numerals if romans[r] > 0), None)
        if value is not None:
            left[value] -= 1
        elif numeral is not None:
            romans[numeral] -= 1
        else:
            missing.append(number)
            continue
        rewritten.append(number)
    extra = []
    for number in target:
        if left[number.value] > 0:
            left[number.value] -= 1
            extra.append(number)
    return _Matching(missing, extra, rewritten)


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1000 <= int(token) <= 2999


@register(Code.NUMBERS, Severity.ERROR, "numbers lost, added or changed (allowing the language's decimal and "
                                        "thousands separators, centuries and ordinals); years written differently")
def numbers(unit: Unit) -> None:
    """Keep every number of the source, written the target language's way (English 2,000 and 3.5 are
    Catalan 2.000 and 3,5; 19th is 19è or XIX); write years as they are (2026).
    """
    source_symbols, symbols = Symbols.of(unit.source_language), Symbols.of(unit.language)
    source = read_numbers(unit.source, unit.flags, source_symbols)
    target = read_numbers(unit.translation, unit.flags, symbols, source_symbols)
    romans = Counter(v for m in _ROMAN.finditer(prose(unit.translation, unit.flags))
                     if (v := roman_value(m.group())) is not None)
    matching = _match(source, target, romans)
    problems = []
    if matching.missing:
        problems.append(f"missing from the translation: {', '.join(dict.fromkeys(n.token for n in matching.missing))}")
    if matching.extra:
        readings = [_reading(n, source_symbols, unit.language) for n in matching.extra]
        problems.append(f"not in the source: {', '.join(dict.fromkeys(readings))}")
    if not problems:
        written = {n.token for n in target}
        years = [n.token for n in source if _is_year(n.token) and n.token not in written
                 and n not in matching.rewritten]
        if years:
            years = list(dict.fromkeys(years))
            problems.append(f"write the {plural(len(years), 'year')} {', '.join(years)} "
                            "without a thousands separator")
    if problems:
        raise CheckFailed("numbers differ: " + "; ".join(problems))


def _reading(number: Number, source_symbols: Symbols, language: Language) -> str:
    """``2,400 (which reads as 2.4 in Catalan)`` when the source's way reads otherwise, else the token."""
    as_source = source_symbols.value(number.token)
    if as_source is None or number.value == as_source:
        return number.token
    shown = f"{number.value.normalize():f}" if isinstance(number.value, Decimal) else number.value
    return f"{number.token} (which reads as {shown} in {language.name})"


@register(Code.NUMBER_FORMAT, Severity.WARNING, "a number left written the source's way that the target "
                                                "language writes otherwise (2.5 in Catalan text is 2,5)")
def number_format(unit: Unit) -> None:
    """Write decimals and thousands the target language's way (Catalan and Spanish 2,5 and 2.000); a
    version number after a name or the word for version (Python 3.12, versió 2.5) may stay.
    """
    source_symbols, symbols = Symbols.of(unit.source_language), Symbols.of(unit.language)
    if source_symbols == symbols:
        return
    text = prose(unit.translation, unit.flags)
    swap = {source_symbols.decimal: symbols.decimal, source_symbols.group: symbols.group}
    wrong = []
    for number in read_numbers(unit.translation, unit.flags, symbols):
        if (isinstance(number.value, Decimal) or source_symbols.value(number.token) is None
                or _after_name(text[:number.start])):
            continue
        wrong.append(f"{number.token} (write {''.join(swap.get(c, c) for c in number.token)})")
    if wrong:
        raise CheckFailed(f"{plural(len(wrong), 'number')} written the {unit.source_language.name} way: "
                          + ", ".join(dict.fromkeys(wrong)))


def _after_name(before: str) -> bool:
    """Whether the text before a number ends with a name (Python, CC BY) or a word for version."""
    match = re.search(r"([^\W\d_][\w-]*)\s*$", before)
    return match is not None and (match.group(1)[0].isupper() or match.group(1).lower() in _VERSION_WORDS)
