"""The ``[checks]`` table of ``i18n.toml``: disabled checks, severity overrides and options."""

from __future__ import annotations

from typing import Any

from i18n.content.checks.base import Config, Options, Severity
from i18n.content.checks.registry import CODES
from i18n.core.config import Settings, TableReader

_CONFIG_KEYS = ("disable", "severity", "min_length_ratio", "max_length_ratio", "length_min_chars",
                "unchanged_allowed")


def load_config(settings: Settings) -> Config:
    """The ``[checks]`` table of ``i18n.toml``, validated (a :class:`ConfigError` names the key)::

        [checks]
        disable = ["length"]                 # codes of checks that do not run
        unchanged_allowed = ["Tumblr"]       # may stay untranslated (besides the glossary's kept terms)
        min_length_ratio = 0.5               # length: translation/source length bounds...
        max_length_ratio = 2.0
        length_min_chars = 30                # ...for sources at least this long

        [checks.severity]                    # change a check's severity: "error" or "warning"
        unchanged = "error"
    """
    table: dict[str, Any] = settings.section("checks")
    reader = TableReader(settings.path)
    known = ", ".join(CODES)
    disabled = reader.strings(table, "checks.", "disable", [])
    for code in disabled:
        if code not in CODES:
            raise reader.fail("checks.disable", f"unknown check '{code}'", hint=f"known checks: {known}")
    raw = table.pop("severity", {})
    if not isinstance(raw, dict):
        raise reader.fail("checks.severity", f"expected a table [checks.severity], got {raw!r}")
    severities: list[tuple[str, Severity]] = []
    for code, value in raw.items():
        if code not in CODES:
            raise reader.fail(f"checks.severity.{code}", "unknown check", hint=f"known checks: {known}")
        if value not in ("error", "warning"):
            raise reader.fail(f"checks.severity.{code}", f"expected \"error\" or \"warning\", got {value!r}",
                              hint=f'to turn the check off, add it to checks.disable = ["{code}"]')
        severities.append((code, Severity(value)))
    defaults = Options()
    options = Options(
        min_length_ratio=reader.take(table, "checks.", "min_length_ratio", float, defaults.min_length_ratio,
                                     _positive),
        max_length_ratio=reader.take(table, "checks.", "max_length_ratio", float, defaults.max_length_ratio,
                                     _positive),
        length_min_chars=reader.take(table, "checks.", "length_min_chars", int, defaults.length_min_chars,
                                     _not_negative),
        unchanged_allowed=tuple(reader.strings(table, "checks.", "unchanged_allowed", [])),
    )
    if options.min_length_ratio >= options.max_length_ratio:
        raise reader.fail("checks.min_length_ratio", "must be smaller than checks.max_length_ratio")
    reader.no_leftovers(table, "checks.", _CONFIG_KEYS)
    return Config(frozenset(disabled), tuple(severities), options)


def _positive(value: float) -> str | None:
    return None if value > 0 else "must be greater than 0"


def _not_negative(value: int) -> str | None:
    return None if value >= 0 else "must not be negative"
