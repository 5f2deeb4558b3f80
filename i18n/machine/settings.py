"""The ``[machine]`` table of ``i18n.toml``: which engines draft which language, and how; which of them can run.

:func:`machine_settings` reads and checks it (every error names the file and the key, and says how to fix
it); :class:`MachineSettings` is the validated value ``i18n pretranslate`` and ``i18n engines`` work from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from i18n.core.config import TableReader
from i18n.core.errors import EngineAuthError, MachineTranslationError
from i18n.core.languages import Language
from i18n.core.workspace import Workspace
from i18n.machine.engines import ENGINE_NAMES, Engine, EngineConfig, RetryPolicy, default_config


@dataclass(frozen=True, slots=True)
class MachineSettings:
    """The ``[machine]`` table, validated; ``order`` gives each language's engines."""

    engines: tuple[str, ...] = ("apertium",)
    languages: tuple[tuple[str, tuple[str, ...]], ...] = ()
    configs: tuple[EngineConfig, ...] = ()
    memory: bool = True
    memory_threshold: float = 0.75
    protect_numbers: bool = False
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    configured: tuple[str, ...] = ()
    """Engines named anywhere in ``[machine]`` (an order or their own table)."""
    order_named: bool = False
    """Whether ``[machine]`` sets an engine order (``engines`` or ``[machine.languages]``). Without one, the
    default order (Apertium) is tried only if it can run: a run without it drafts from the memory alone."""

    def order(self, language: Language) -> tuple[str, ...]:
        """The engines to try for ``language``, best first (the translation memory comes before them)."""
        for code, names in self.languages:
            if code in (language.code, language.gettext):
                return names
        return self.engines

    def config(self, name: str) -> EngineConfig:
        for config in self.configs:
            if config.name == name:
                return config
        return default_config(name)


_MACHINE_KEYS = ("engines", "languages", "memory", "memory_threshold", "protect_numbers", "timeout", "retries",
                 *(f"[{name}]" for name in ENGINE_NAMES))
_ENGINE_KEYS = ("url", "api_key_env", "region", "email_env", "concurrency", "batch_size", "batch_chars",
                "max_chars", "timeout")


def machine_settings(workspace: Workspace) -> MachineSettings:
    """``[machine]`` of the workspace's ``i18n.toml``, checked (naming the file and the key)."""
    settings = workspace.settings
    reader = TableReader(settings.path)
    table = settings.section("machine")

    def engine_list(value: list[str], key: str) -> tuple[str, ...]:
        for name in value:
            if name not in ENGINE_NAMES:
                raise reader.fail(key, f"unknown engine '{name}'", hint=f"engines: {', '.join(ENGINE_NAMES)}")
        return tuple(value)

    order_named = "engines" in table or "languages" in table
    engines = engine_list(reader.strings(table, "machine.", "engines", ["apertium"]), "machine.engines")
    languages_table = reader.table(table, "languages")
    languages: list[tuple[str, tuple[str, ...]]] = []
    for code in list(languages_table):
        key = f"machine.languages.{code}"
        language = reader.language(key, code)
        if language not in settings.languages:
            raise reader.fail(key, f"'{code}' is not one of the workspace's languages")
        languages.append((language.code, engine_list(reader.strings(languages_table, "", code, []), key)))
    memory = reader.take(table, "machine.", "memory", bool, True)
    threshold = reader.take(table, "machine.", "memory_threshold", float, 0.75,
                            lambda v: None if 0.0 <= v <= 1.0 else "must be between 0 and 1")
    numbers = reader.take(table, "machine.", "protect_numbers", bool, False)
    timeout = reader.take(table, "machine.", "timeout", float, 0.0, _positive)
    retries = reader.take(table, "machine.", "retries", int, 4, lambda v: None if v >= 0 else "must be 0 or more")
    configs: list[EngineConfig] = []
    tables: list[str] = []
    for name in ENGINE_NAMES:
        base = default_config(name)
        if timeout:
            base = replace(base, timeout=max(base.timeout, timeout) if name == "apertium" else timeout)
        if name not in table:
            configs.append(base)
            continue
        tables.append(name)
        configs.append(_engine_config(reader, reader.table(table, name), base))
    reader.no_leftovers(table, "machine.", _MACHINE_KEYS)
    named = {*engines, *(n for _, names in languages for n in names), *tables}
    return MachineSettings(
        engines=engines, languages=tuple(languages), configs=tuple(configs), memory=memory,
        memory_threshold=threshold, protect_numbers=numbers, retry=RetryPolicy(attempts=retries + 1),
        configured=tuple(n for n in ENGINE_NAMES if n in named), order_named=order_named,
    )


def _engine_config(reader: TableReader, sub: dict[str, Any], base: EngineConfig) -> EngineConfig:
    """``[machine.<name>]``, checked, over the engine's defaults ``base``."""
    prefix = f"machine.{base.name}."
    config = EngineConfig(
        name=base.name,
        url=reader.take(sub, prefix, "url", str, base.url, _url),
        api_key_env=reader.take(sub, prefix, "api_key_env", str, base.api_key_env, _env_name),
        region=reader.take(sub, prefix, "region", str, base.region),
        email_env=reader.take(sub, prefix, "email_env", str, base.email_env, _env_name),
        concurrency=reader.take(sub, prefix, "concurrency", int, base.concurrency, _at_least_one),
        batch_size=reader.take(sub, prefix, "batch_size", int, base.batch_size, _at_least_one),
        batch_chars=reader.take(sub, prefix, "batch_chars", int, base.batch_chars, _at_least_one),
        max_chars=reader.take(sub, prefix, "max_chars", int, base.max_chars,
                              lambda v: None if v >= 0 else "must be 0 (no limit) or more"),
        timeout=reader.take(sub, prefix, "timeout", float, base.timeout, _positive),
    )
    reader.no_leftovers(sub, prefix, _ENGINE_KEYS)
    return config


def usable_engines(machine: MachineSettings, order: Sequence[str],
                   factory: Callable[[EngineConfig, Language, Language], Engine], source: Language,
                   language: Language, *, forced: bool, needed: bool, dry_run: bool) -> tuple[list[Engine], list[str]]:
    """The engines of ``order`` that can run here for ``source`` → ``language``, and notes on the others.

    When none can and one is ``needed`` (texts are left to send) or ``forced`` (named on the command line),
    raises :class:`MachineTranslationError` (:class:`EngineAuthError` when a named engine lacks its key),
    except in a dry run of the configured order, and except when ``[machine]`` names no engine order: then
    the default (offline) engine is simply not installed, and a note says only the memory drafted.
    """
    usable: list[Engine] = []
    problems: list[str] = []
    notes: list[str] = []
    keyless = False
    for name in order:
        engine = factory(machine.config(name), source, language)
        problem = engine.problem()
        if problem is None:
            usable.append(engine)
        else:
            keyless = keyless or engine.missing_key
            problems.append(f"{name}: {problem}")
            notes.append(f"{name} skipped: {problem}")
    if usable or not (forced or needed):
        return usable, notes
    hint = "; ".join(problems) or "name engines in [machine] of i18n.toml"
    if not forced and not machine.order_named:
        # Nothing configured and the default (offline) engine is not installed: a fresh workspace's day still
        # runs; the memory's drafts are kept and the rest waits for an engine.
        notes.append(f"no machine-translation engine can run for {language.code}: only the translation memory "
                     "drafted; install Apertium or name engines in [machine]")
        return usable, notes
    error = MachineTranslationError(f"no usable machine-translation engine for {language.code}", hint=hint)
    if forced and keyless:
        error = EngineAuthError(error.message, hint=hint)
    if not dry_run or forced:
        raise error
    return usable, notes


def _positive(value: float) -> str | None:
    return None if value > 0 else "must be more than 0"


def _at_least_one(value: int) -> str | None:
    return None if value >= 1 else "must be 1 or more"


def _url(value: str) -> str | None:
    return None if not value or re.match(r"https?://", value) else "must start with http:// or https://"


def _env_name(value: str) -> str | None:
    if value and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
        return "must be the NAME of an environment variable (the key itself never goes in i18n.toml)"
    return None


__all__ = ["MachineSettings", "machine_settings", "usable_engines"]
