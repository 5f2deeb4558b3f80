"""``i18n engines``: which machine-translation engines are configured, and which can run here and why not."""

from __future__ import annotations

from collections.abc import Callable

from i18n.core.languages import Language
from i18n.core.workspace import Workspace
from i18n.machine.engines import ENGINE_NAMES, Engine, EngineConfig, EngineStatus, make_engine
from i18n.machine.settings import machine_settings

#: The translation memory's name in ``i18n engines`` (it drafts before every engine).
MEMORY = "memory"


def engines_status(workspace: Workspace, *,
                   engine_factory: Callable[[EngineConfig, Language, Language], Engine] = make_engine,
                   ) -> tuple[EngineStatus, ...]:
    """Every engine: whether ``[machine]`` names it, whether it can run here for its languages, and why not.

    Nothing is sent: usability means installed (Apertium and its mode), a URL where one is needed, and
    the API key variable set. The translation memory comes first, as ``memory``.
    """
    machine = machine_settings(workspace)
    source = workspace.settings.source_language
    statuses = [EngineStatus(MEMORY, machine.memory, machine.memory, tuple(
        lang.code for lang in workspace.settings.languages) if machine.memory else (),
        None if machine.memory else "turned off: memory = false in [machine]")]
    for name in ENGINE_NAMES:
        config = machine.config(name)
        languages = tuple(lang for lang in workspace.settings.languages if name in machine.order(lang))
        checked = languages or workspace.settings.languages
        problems: list[str] = []
        for lang in checked:
            problem = engine_factory(config, source, lang).problem()
            if problem is not None and problem not in problems:
                problems.append(problem if len(checked) == 1 else f"{lang.code}: {problem}")
        usable = len(problems) < len(checked)
        env = tuple(v for v in (config.api_key_env, config.email_env) if v)
        statuses.append(EngineStatus(name, name in machine.configured, usable, tuple(lang.code for lang in languages),
                                     "; ".join(problems) or None, env))
    return tuple(statuses)


__all__ = ["MEMORY", "engines_status"]
