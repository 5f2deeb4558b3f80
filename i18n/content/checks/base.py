"""The vocabulary of the quality checks: codes, severities, the unit a check looks at, findings, configuration.

A check is a function of one :class:`Unit` (a source text, its translation and what the check needs to
know about them) that returns when the translation passes and raises :class:`CheckFailed` with what is
wrong when it does not, in the style of Translate Toolkit's pofilter and Babel's checkers. The check's
docstring says how to fix it; the user sees ``"<what is wrong>. <docstring>"``. :func:`register` adds a
function to the registry under its :class:`Code`; :mod:`i18n.content.checks.registry` lists them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field

from i18n.core.glossary import Glossary
from i18n.core.languages import Language


class Code(enum.StrEnum):
    """Every check's stable code (JSON, configuration, ``ignore-<code>`` flags), in the order they run.

    The names follow Weblate's and pofilter's where they have one.
    """

    MARKUP = "markup"
    LINKS = "links"
    NUMBERS = "numbers"
    NUMBER_FORMAT = "number-format"
    PLACEHOLDERS = "placeholders"
    WHITESPACE = "whitespace"
    DOUBLE_SPACE = "double-space"
    ZERO_WIDTH_SPACE = "zero-width-space"
    PUNCTUATION = "punctuation"
    BRACKETS = "brackets"
    QUOTES = "quotes"
    APOSTROPHE = "apostrophe"
    MIDDLE_DOT = "middle-dot"
    INVERTED_MARKS = "inverted-marks"
    ELLIPSIS = "ellipsis"
    START_CAPITAL = "start-capital"
    DOUBLED_WORD = "doubled-word"
    UNCHANGED = "unchanged"
    EMPTY = "empty"
    LENGTH = "length"
    MAX_LENGTH = "max-length"
    ACRONYMS = "acronyms"
    NAMES = "names"
    GLOSSARY = "glossary"
    DO_NOT_TRANSLATE = "do-not-translate"
    APERTIUM = "apertium"
    CONSISTENCY = "consistency"


class Severity(enum.StrEnum):
    """How bad a problem is: an ``error`` blocks approval and makes ``i18n check`` exit 3."""

    ERROR = "error"
    WARNING = "warning"


class CheckFailed(Exception):
    """Raised by a check function: the translation fails it; ``detail`` says what is wrong."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(detail)


@dataclass(frozen=True, slots=True)
class Options:
    """Tunable parameters of the checks (``[checks]`` in ``i18n.toml``)."""

    min_length_ratio: float = 0.5
    """``length``: a translation shorter than this times the source is reported."""
    max_length_ratio: float = 2.0
    """``length``: a translation longer than this times the source is reported."""
    length_min_chars: int = 30
    """``length``: sources shorter than this are not checked (short strings vary too much)."""
    unchanged_allowed: tuple[str, ...] = ()
    """``unchanged``: terms (names, brands) that may stay as in the source, besides the glossary's kept terms."""


@dataclass(frozen=True, slots=True)
class Unit:
    """What a check looks at: one source text and one translation of it, with their context."""

    source: str
    translation: str
    language: Language
    source_language: Language
    flags: tuple[str, ...] = ()
    """The entry's PO flags (``python-format``, ...)."""
    single_number: bool = False
    """This plural form is used for exactly one number (like ``n == 1``): it may leave a placeholder out."""
    glossary: Glossary = field(default_factory=Glossary)
    options: Options = field(default_factory=Options)


CheckFunction = Callable[[Unit], None]


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check: its stable code, default severity and function (``None``: across entries)."""

    code: Code
    severity: Severity
    function: CheckFunction | None
    advice: str
    """How to fix a failure: the first paragraph of the function's docstring."""
    catches: str
    """What the check catches, for ``workflow.md`` and ``i18n check --help``."""


@dataclass(frozen=True, slots=True)
class Finding:
    """A check that failed on an entry: code, severity (after configuration), message, plural form."""

    code: Code
    severity: Severity
    message: str
    form: int | None = None
    """The plural form (``msgstr[form]``) the problem is in; ``None`` for a singular entry."""


@dataclass(frozen=True, slots=True)
class Config:
    """A workspace's check configuration: disabled checks, severity overrides and options."""

    disabled: frozenset[str] = frozenset()
    severities: tuple[tuple[str, Severity], ...] = ()
    options: Options = field(default_factory=Options)

    def enabled(self, code: str) -> bool:
        """Whether check ``code`` runs in this workspace."""
        return code not in self.disabled

    def severity(self, check: Check) -> Severity:
        """The severity of ``check`` in this workspace (its default unless overridden)."""
        for code, severity in self.severities:
            if code == check.code:
                return severity
        return check.severity


#: The checks registered so far, in import order (:data:`~i18n.content.checks.registry.CHECKS` sorts them).
REGISTRY: list[Check] = []


def register(code: Code, severity: Severity, catches: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under ``code`` with its default severity and what it catches."""

    def add(function: CheckFunction) -> CheckFunction:
        REGISTRY.append(Check(code, severity, function, advice_of(function), catches))
        return function

    return add


def advice_of(function: CheckFunction) -> str:
    """How to fix a failure of ``function``: the first paragraph of its docstring, on one line."""
    advice = (function.__doc__ or "").strip().split("\n\n")[0]
    return " ".join(advice.split())
