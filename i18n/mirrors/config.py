"""A mirror's settings: one ``[mirrors.NAME]`` table of ``i18n.toml``, validated, and when an article is due.

A mirror is one ``[mirrors.NAME]`` table of ``i18n.toml``::

    [mirrors.catalan]
    language = "ca"
    format = "html"                  # "markdown" (YAML front matter), "html" (static site), "json"
    output = "build/mirrors/catalan" # relative to the workspace, or absolute
    timezone = "Europe/Madrid"       # an article is due from its date (+ embargo_days) in this zone
    embargo_days = 0
    on_source_change = "keep"        # or "withdraw": when an approved article's source changes
    original_url = "https://biod.example.org/{year}/{id}/"   # link back; {id} {date} {year} {month} {day}
    base_url = ""                    # the mirror's public URL, for the Atom feed (relative links if empty)
    page_size = 10                   # articles per index page (html)
    feed_size = 20                   # entries in the Atom feed (html)
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from i18n.core.config import DEFAULT_KEEP_VERSIONS, Settings, TableReader
from i18n.core.errors import ConfigError
from i18n.core.languages import Language
from i18n.mirrors.store import HIDDEN_MANIFEST_NAME, MANIFEST_NAME

__all__ = ["Mirror", "MirrorFormat", "SourceChangePolicy", "is_due", "load_mirrors", "mirror_named", "today_in"]


class MirrorFormat(enum.Enum):
    """What a mirror's output folder holds."""

    MARKDOWN = "markdown"
    HTML = "html"
    JSON = "json"


class SourceChangePolicy(enum.Enum):
    """What happens to a published article whose English source changed after approval."""

    KEEP = "keep"
    """Keep serving the last approved version until the new one is approved."""
    WITHDRAW = "withdraw"
    """Withdraw it until the new version is approved."""


@dataclass(frozen=True, slots=True)
class Mirror:
    """One ``[mirrors.NAME]`` table, validated."""

    name: str
    language: Language
    format: MirrorFormat
    output: Path
    """Absolute path of the output (a symbolic link to the current version once published)."""
    timezone: str
    embargo_days: int = 0
    on_source_change: SourceChangePolicy = SourceChangePolicy.KEEP
    original_url: str = ""
    base_url: str = ""
    page_size: int = 10
    feed_size: int = 20
    keep_versions: int = DEFAULT_KEEP_VERSIONS
    """``[publish] keep_versions``: versions of the mirror, and of each article on it, kept (for rollback)."""

    @property
    def manifest_name(self) -> str:
        """``manifest.json``; ``.manifest.json`` for a Markdown mirror (its site generator skips dot files)."""
        return HIDDEN_MANIFEST_NAME if self.format is MirrorFormat.MARKDOWN else MANIFEST_NAME

    def original_url_of(self, article_id: str, date: dt.date) -> str:
        """The English article's URL from :attr:`original_url` (empty when not configured)."""
        values = {"id": article_id, "date": date.isoformat(), "year": f"{date.year:04d}",
                  "month": f"{date.month:02d}", "day": f"{date.day:02d}"}
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], self.original_url)


_PLACEHOLDER = re.compile(r"\{(id|date|year|month|day)\}")
_MIRROR_KEYS = ("language", "format", "output", "timezone", "embargo_days", "on_source_change", "original_url",
                "base_url", "page_size", "feed_size")
_NAME = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


def load_mirrors(settings: Settings) -> tuple[Mirror, ...]:
    """Every mirror of ``[mirrors]`` in ``i18n.toml``, validated (a :class:`ConfigError` names the key)."""
    reader = TableReader(settings.path)
    mirrors: list[Mirror] = []
    for name, raw in settings.section("mirrors").items():
        prefix = f"mirrors.{name}."
        if not isinstance(raw, dict):
            raise reader.fail(f"mirrors.{name}", "expected a table [mirrors." + name + "]",
                              hint='for example: [mirrors.catalan] language = "ca" format = "html"')
        if not _NAME.match(name):
            raise reader.fail(f"mirrors.{name}", "a mirror name is lowercase letters, digits, '-' and '_'")
        table = dict(raw)
        code = reader.take(table, prefix, "language", str, "")
        if not code:
            raise reader.fail(prefix + "language", "missing", hint='the mirror\'s language, e.g. language = "ca"')
        language = _configured_language(settings, reader, prefix + "language", code)
        kind = reader.take(table, prefix, "format", str, "html", _format_problem)
        output = reader.take(table, prefix, "output", str, f"build/mirrors/{name}", _output_problem)
        timezone = reader.take(table, prefix, "timezone", str, "UTC", _timezone_problem)
        embargo = reader.take(table, prefix, "embargo_days", int, 0,
                              lambda v: None if 0 <= v <= 3650 else "must be between 0 and 3650")
        policy = reader.take(table, prefix, "on_source_change", str, "keep",
                             lambda v: None if v in ("keep", "withdraw") else 'must be "keep" or "withdraw"')
        original_url = reader.take(table, prefix, "original_url", str, "", _template_problem)
        base_url = reader.take(table, prefix, "base_url", str, "")
        page_size = reader.take(table, prefix, "page_size", int, 10,
                                lambda v: None if v >= 1 else "must be at least 1")
        feed_size = reader.take(table, prefix, "feed_size", int, 20,
                                lambda v: None if v >= 1 else "must be at least 1")
        reader.no_leftovers(table, prefix, _MIRROR_KEYS)
        if base_url and not base_url.endswith("/"):
            base_url += "/"
        mirrors.append(Mirror(
            name=name, language=language, format=MirrorFormat(kind), output=settings.root / output,
            timezone=timezone, embargo_days=embargo, on_source_change=SourceChangePolicy(policy),
            original_url=original_url, base_url=base_url, page_size=page_size, feed_size=feed_size,
            keep_versions=settings.keep_versions,
        ))
    return tuple(mirrors)


def mirror_named(settings: Settings, name: str) -> Mirror:
    """The mirror called ``name``; a :class:`ConfigError` listing the configured ones otherwise."""
    mirrors = load_mirrors(settings)
    for mirror in mirrors:
        if mirror.name == name:
            return mirror
    known = ", ".join(m.name for m in mirrors) or "none"
    raise ConfigError(f"no mirror called '{name}'", path=settings.path,
                      hint=f"configured mirrors: {known}; add a [mirrors.{name}] table")


def _configured_language(settings: Settings, reader: TableReader, key: str, code: str) -> Language:
    language = reader.language(key, code)
    if all(language.code != lang.code for lang in settings.languages):
        configured = ", ".join(lang.code for lang in settings.languages)
        raise reader.fail(key, f"'{code}' is not one of the workspace's languages ({configured})")
    return language


def _format_problem(value: str) -> str | None:
    if value in {f.value for f in MirrorFormat}:
        return None
    return "must be one of " + ", ".join(f'"{f.value}"' for f in MirrorFormat)


def _output_problem(value: str) -> str | None:
    if not value.strip():
        return "must not be empty"
    path = PurePosixPath(value)
    if ".." in path.parts:
        return f"'{value}' must not contain '..'"
    return None


def _timezone_problem(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"'{value}' is not an IANA time zone (e.g. Europe/Madrid, UTC)"
    return None


def _template_problem(value: str) -> str | None:
    leftover = _PLACEHOLDER.sub("", value)
    if "{" in leftover or "}" in leftover:
        return "placeholders are {id}, {date}, {year}, {month} and {day}"
    return None


def today_in(mirror: Mirror, now: dt.datetime) -> dt.date:
    """The date it is at ``now`` (timezone-aware) in the mirror's time zone."""
    return now.astimezone(ZoneInfo(mirror.timezone)).date()


def is_due(mirror: Mirror, date: dt.date, today: dt.date) -> bool:
    """Whether an article dated ``date`` may be on the mirror on ``today`` (its date plus the embargo)."""
    return date + dt.timedelta(days=mirror.embargo_days) <= today

