"""Workspace settings: ``i18n.toml`` read, validated and turned into frozen values.

Validation is strict because a typo in a config key silently ignored is a day's work lost: an unknown key,
a wrong type or an unknown language code is a :class:`ConfigError` naming the file, the key and what is
allowed. :func:`default_config_text` is what ``i18n init`` writes.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from i18n.core.errors import ConfigError, LanguageError, WorkspaceNotFound
from i18n.core.languages import Language, parse_language

CONFIG_NAME = "i18n.toml"
#: ``[publish] keep_versions`` when absent: mirror versions, and published versions per article, kept.
DEFAULT_KEEP_VERSIONS = 5

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class UiSource:
    """A Babel extraction rule for UI strings: files matching ``pattern`` under ``root``, read by ``method``."""

    root: Path
    pattern: str
    method: str


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything ``i18n.toml`` says, with defaults filled in. Paths are relative to the workspace root."""

    path: Path
    """The ``i18n.toml`` file itself."""
    project: str
    source_language: Language
    languages: tuple[Language, ...]
    content: Path
    feeds: tuple[Path, ...]
    ui: tuple[UiSource, ...]
    locales: Path
    copyright_holder: str
    bugs_address: str
    database_url: str
    """SQLAlchemy URL of the status tracker; empty for the embedded SQLite file in ``.i18n/``.
    ``I18N_DATABASE_URL`` in the environment overrides it."""
    sections: tuple[tuple[str, Any], ...] = ()
    """The raw tables of the later workflow steps (see :data:`SECTIONS`), validated by the module that owns
    each one through :class:`TableReader`."""

    @property
    def keep_versions(self) -> int:
        """``[publish] keep_versions``: versions of each mirror, and of each article on it, kept for rollback."""
        value = self.section("publish").get("keep_versions", DEFAULT_KEEP_VERSIONS)
        return int(value)

    def section(self, name: str) -> dict[str, Any]:
        """A copy of the raw table ``[name]`` (empty if absent); ``name`` must be one of :data:`SECTIONS`."""
        assert name in SECTIONS, name
        for key, value in self.sections:
            if key == name:
                return dict(value)
        return {}

    @property
    def root(self) -> Path:
        """The workspace folder (the one holding ``i18n.toml``)."""
        return self.path.parent

    def language(self, code: str) -> Language:
        """The configured target language ``code``; a :class:`ConfigError` if it is not configured."""
        for language in self.languages:
            if language.code == code or language.gettext == code:
                return language
        configured = ", ".join(lang.code for lang in self.languages)
        raise ConfigError(
            f"language '{code}' is not configured in this workspace",
            path=self.path,
            hint=f"configured languages: {configured}; add it to 'languages' in {CONFIG_NAME}",
        )


def find_config(start: Path) -> Path:
    """The nearest ``i18n.toml`` in ``start`` or its parents; :class:`WorkspaceNotFound` if none."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    raise WorkspaceNotFound(
        f"no {CONFIG_NAME} in {start} or any parent folder",
        hint="run 'i18n init --languages ca,es' to create a workspace, or pass -C/--workspace DIR",
    )


def load_settings(path: Path) -> Settings:
    """Read and validate ``i18n.toml`` at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WorkspaceNotFound(f"{path} does not exist", hint="run 'i18n init' to create it") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not valid UTF-8 ({exc.reason})", path=path, hint="save the file as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        raise ConfigError(
            f"invalid TOML: {exc}", path=path, line=int(match.group(1)) if match else None,
            hint="see https://toml.io for the syntax",
        ) from None
    return TableReader(path).settings(data)


#: Tables of ``i18n.toml`` owned by later workflow steps: machine translation engines, quality checks and
#: the glossary, review rules, mirror sites. Each is validated by its own module with :class:`TableReader`.
SECTIONS = ("machine", "checks", "glossary", "review", "people", "mirrors", "schedule", "daily", "publish")


class TableReader:
    """Validates parsed TOML tables against a schema, naming the file and the offending key.

    Modules that own a section of ``i18n.toml`` use it too: ``reader.take(table, "machine.", "timeout",
    float, 30.0)`` pops a key, checks its type and returns the default when absent;
    ``reader.no_leftovers(table, "machine.", allowed)`` rejects unknown keys.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str, hint: str | None = None) -> ConfigError:
        """The error for ``key`` (dotted, e.g. ``mirrors.ca-html.output``), at its line in the file if found."""
        return ConfigError(f"key '{key}': {problem}", path=self.path, line=key_line(self.path, key), hint=hint)

    def take(self, table: dict[str, Any], prefix: str, key: str, kind: type[T], default: T,
             check: Callable[[T], str | None] | None = None) -> T:
        """Pop ``key`` from ``table``, checking its type (and ``check``'s complaint, if any)."""
        name = f"{prefix}{key}"
        if key not in table:
            return default
        value = table.pop(key)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(name, f"expected {_TYPE_NAMES.get(kind, kind.__name__)}, got {_describe(value)}")
        if check is not None and (problem := check(value)) is not None:
            raise self.fail(name, problem)
        return value

    def strings(self, table: dict[str, Any], prefix: str, key: str, default: list[str],
                check: Callable[[str], str | None] | None = None) -> list[str]:
        """Pop a list of strings (a lone string is accepted as a one-item list), each passing ``check``."""
        value: Any = table.pop(key, default)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{prefix}{key}", f"expected a list of strings, got {_describe(value)}")
        for item in value:
            if check is not None and (problem := check(item)) is not None:
                raise self.fail(f"{prefix}{key}", problem)
        return list(value)

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.pop(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a table [{key}], got {_describe(value)}")
        return dict(value)

    def no_leftovers(self, table: dict[str, Any], prefix: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            raise self.fail(f"{prefix}{key}", "unknown key", hint=f"allowed here: {', '.join(allowed)}")

    def language(self, key: str, code: str) -> Language:
        try:
            return parse_language(code)
        except LanguageError as exc:
            raise self.fail(key, exc.message, hint=exc.hint) from None

    def _check_publish(self, table: dict[str, Any]) -> None:
        """``[publish]``: ``keep_versions``, an integer from 2 to 100 (the current version and earlier ones)."""
        self.take(table, "publish.", "keep_versions", int, DEFAULT_KEEP_VERSIONS,
                  lambda v: None if 2 <= v <= 100 else "must be between 2 and 100")
        self.no_leftovers(table, "publish.", ("keep_versions",))

    def settings(self, data: dict[str, Any]) -> Settings:
        data = dict(data)
        paths = self.table(data, "paths")
        project = self.take(data, "", "project", str, "Untitled site", non_empty)
        source = self.language("source_language", self.take(data, "", "source_language", str, "en"))
        codes = self.strings(data, "", "languages", [])
        if not codes:
            raise self.fail("languages", "no target languages", hint='for example: languages = ["ca", "es"]')
        if len(set(codes)) != len(codes):
            raise self.fail("languages", "a language is listed twice")
        languages = tuple(self.language("languages", code) for code in codes)
        if source.code in codes:
            raise self.fail("languages", f"'{source.code}' is the source language, not a target")
        copyright_holder = self.take(data, "", "copyright_holder", str, "")
        bugs_address = self.take(data, "", "bugs_address", str, "")
        database_url = self.take(data, "", "database_url", str, "")
        sections = tuple((name, self.table(data, name)) for name in SECTIONS if name in data)
        self._check_publish(dict(dict(sections).get("publish", {})))
        self.no_leftovers(data, "", _TOP_KEYS)

        content = self.take(paths, "paths.", "content", str, "content", relative_path)
        feeds = self.strings(paths, "paths.", "feeds", [], relative_path)
        locales = self.take(paths, "paths.", "locales", str, "locales", relative_path)
        ui_roots = self.strings(paths, "paths.", "ui", ["site"], relative_path)
        self.no_leftovers(paths, "paths.", _PATH_KEYS)
        ui = tuple(
            UiSource(Path(root), pattern, method) for root in ui_roots for pattern, method in _UI_METHODS
        )
        return Settings(
            path=self.path, project=project, source_language=source, languages=languages,
            content=Path(content), feeds=tuple(Path(f) for f in feeds), ui=ui, locales=Path(locales),
            copyright_holder=copyright_holder, bugs_address=bugs_address, database_url=database_url,
            sections=sections,
        )


_TOP_KEYS = ("project", "source_language", "languages", "copyright_holder", "bugs_address", "database_url",
             "[paths]", *(f"[{name}]" for name in SECTIONS))
_PATH_KEYS = ("content", "feeds", "ui", "locales")
#: How Babel extracts UI strings under each ``paths.ui`` root: Jinja2 templates and Python files.
_UI_METHODS = (("templates/**.html", "jinja2"), ("**.py", "python"))
_TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", list: "a list", dict: "a table"}


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_ASSIGNMENT = re.compile(r"^\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_.-]+)\s*=")


def key_line(path: Path, key: str) -> int | None:
    """The line of ``i18n.toml`` where the dotted ``key`` is set (or its table starts); ``None`` if not found.

    Best effort, for error messages only: it reads table headers and ``name =`` lines, which is how
    ``i18n init`` writes the file and how people edit it.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    parts = _split_key(key)
    table: list[str] = []
    found: int | None = None
    for number, text in enumerate(lines, start=1):
        header = _HEADER.match(text)
        if header:
            table = _split_key(header.group(1))
            if table == parts and found is None:
                found = number
            continue
        assignment = _ASSIGNMENT.match(text)
        if assignment and table + _split_key(assignment.group(1)) == parts:
            return number
    return found


def _split_key(key: str) -> list[str]:
    return [part.strip().strip("\"'") for part in re.findall(r"\"[^\"]*\"|'[^']*'|[^.]+", key)]


def _describe(value: object) -> str:
    return f"{_TYPE_NAMES.get(type(value), type(value).__name__)} ({value!r})"


def non_empty(value: str) -> str | None:
    """A :meth:`TableReader.take` check: the text must not be blank."""
    return None if value.strip() else "must not be empty"


def relative_path(value: str) -> str | None:
    """A :meth:`TableReader.take` check: paths in the config stay inside the workspace."""
    path = Path(value)
    if path.is_absolute() or ".." in path.parts:
        return f"'{value}' must be a path inside the workspace (relative, without '..')"
    return None


def default_config_text(languages: tuple[Language, ...], project: str = "My site") -> str:
    """The ``i18n.toml`` that ``i18n init`` writes: every section and key, with safe defaults, commented.

    Every value written is the default its module applies when the key is absent (a test holds them to it),
    so the file documents the settings without changing them; the mirrors are the exception: one html, one
    markdown and one json mirror per language, so that ``i18n publish`` works on a fresh workspace.
    """
    codes = ", ".join(f'"{lang.code}"' for lang in languages)
    mirrors = "".join(_mirror_text(lang.code, kind) for lang in languages for kind in ("html", "markdown", "json"))
    return f'''# i18n workspace settings. See workflow.md for every key; every key is checked when a command starts.
project = "{project}"            # Project-Id-Version of every catalog, and the mirror sites' name
source_language = "en"
languages = [{codes}]        # target languages: ca, es, eu, gl, ca-valencia, ...
copyright_holder = ""
bugs_address = ""               # Report-Msgid-Bugs-To
database_url = ""               # status tracker; empty: embedded SQLite in .i18n/ (or set I18N_DATABASE_URL)

[paths]
content = "content"             # Markdown articles: content/<yyyy>/<yyyy-mm-dd>-<slug>.md
feeds = []                      # JSON Lines feeds, one article per line
ui = ["site"]                   # UI strings: <root>/templates/**.html (Jinja2) and <root>/**.py
locales = "locales"             # templates and catalogs

# Machine pre-translation (i18n pretranslate). Drafts come from the translation memory first, then the
# engines. Without an 'engines' key, Apertium (offline, free) is used when installed, and the memory alone
# when it is not. Online engines need a URL or a key in an environment variable: see 'i18n engines'.
[machine]
# engines = ["apertium"]        # engine order for every language: apertium, apertium-apy, libretranslate,
                                # deepl, microsoft, google, mymemory (naming them makes a missing one an error)
memory = true                   # use the translation memory (approved translations of the same text)
memory_threshold = 0.75         # near matches offered as translator comments (0: none)
protect_numbers = false         # also freeze numbers (engines may reformat 10,000 as 10.000)
retries = 4                     # retries of 429, 5xx, timeouts and unreadable answers
# timeout = 30                  # seconds per request (default: each engine's own)

# [machine.languages]           # per-language engine order
# ca = ["apertium", "libretranslate"]

# [machine.libretranslate]      # each engine's own table: url, api_key_env, region, email_env,
# url = "http://127.0.0.1:5000/"  # concurrency, batch_size, batch_chars, max_chars, timeout
# api_key_env = "LIBRETRANSLATE_API_KEY"

# Quality checks (i18n check). Codes: markup, links, numbers, placeholders, whitespace, punctuation,
# brackets, doubled-word, unchanged, empty, length, glossary, do-not-translate, apertium, consistency.
[checks]
disable = []                    # check codes that do not run
unchanged_allowed = []          # names and brands that may stay as in the source
min_length_ratio = 0.5          # length: a translation shorter than this times the source is reported
max_length_ratio = 2.0          # length: ...or longer than this times the source
length_min_chars = 30           # length: sources shorter than this are not checked

[checks.severity]               # a check's severity: "error" or "warning"
# unchanged = "error"

[glossary]
file = ""                       # empty: glossary.toml when it exists (terms, do-not-translate terms)

# Review (i18n approve / i18n reject). With nobody listed, anyone may review.
[review]
four_eyes = false               # true: nobody approves an entry whose last change was their own
allow_anyone = false            # true: anyone may review, even when reviewers are listed

[review.reviewers]              # who may approve and reject, per language
# ca = ["Jordi Vidal"]

[review.translators]            # the translators, per language (informative)
# ca = ["Marta Puig"]

# One person, one name: other spellings of a name (or an e-mail address) = the name to show. Names are
# matched ignoring case and spacing; a reviewer never seen before gets a warning.
[people]
# "Jordi V." = "Jordi Vidal"

[schedule]
lead_days = 1                   # days before an article's date its translation is due (0-365)

# The morning job (i18n daily): sync, machine drafts within this budget, publish what is due, dashboard.
[daily]
languages = []                  # languages to pre-translate; empty: every configured language
pretranslate = true             # false: no machine drafts in the daily run
max_chars = 0                   # characters sent to the engines per language and run (0: no cap)
limit = 0                       # entries drafted per language and run (0: no cap)
log = ".i18n/daily.log"         # each run's summary is appended here
report = "build/report"         # the dashboard's folder

# Publishing (i18n publish). Each mirror keeps its last keep_versions versions (folders beside its output),
# and each article's last keep_versions published versions: 'i18n log ARTICLE' lists them, and
# 'i18n publish --rollback ARTICLE --to VERSION' puts one back (2-100).
[publish]
keep_versions = 5

# Mirror sites (i18n publish): approved, due articles in each language, in each output format. html
# renders site/templates/ (written by 'i18n init'; 'i18n init --templates' restores missing ones).
# Every mirror also takes: embargo_days, on_source_change ("keep" or "withdraw"), base_url, page_size,
# feed_size. Remove the mirrors you do not need.
{mirrors}'''


def _mirror_text(code: str, kind: str) -> str:
    """One ``[mirrors.NAME]`` table of :func:`default_config_text`."""
    name = f"{code.lower()}-{kind}"
    what = {"html": "a static site", "markdown": "Markdown with YAML front matter (Hugo, Jekyll, Pelican)",
            "json": "one JSON file per article, and index.json"}[kind]
    return f'''
# {code}, {what}
[mirrors.{name}]
language = "{code}"
format = "{kind}"
output = "build/mirrors/{name}"
timezone = "UTC"                # an article is due from its date in this time zone (e.g. Europe/Madrid)
original_url = ""               # link back to the English article: https://example.org/{{year}}/{{id}}/
'''
