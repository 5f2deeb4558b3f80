"""Opening a workspace for a command: every key of ``i18n.toml`` is checked before any work starts.

:meth:`i18n.core.workspace.Workspace.open` validates what core owns (the top-level keys and ``[paths]``)
and the workspace's folders; the later sections (``[machine]``, ``[checks]``, ``[glossary]``, ``[review]``,
``[people]``, ``[mirrors.*]``, ``[schedule]``) are validated by the modules that own them, which sit above
core. :func:`open_workspace` runs them all, so that a typo in ``[mirrors.ca-html]`` stops ``i18n status``
as it stops ``i18n publish`` (exit 1, the file, the line and the key named, nothing written).

Importing every section's owner costs the start-up time the fast ``i18n status`` path must not pay (the
schedule's owner loads SQLAlchemy), so a successful check is remembered in ``.i18n/config-checked`` as a
digest of the tool's version and the file's bytes: an unchanged ``i18n.toml`` is not checked again. It is
a cache (deleting it only makes the next command check again).
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from i18n import __version__
from i18n.core.atomic import write_atomic
from i18n.core.errors import ConfigError
from i18n.core.workspace import Workspace

CHECKED_NAME = "config-checked"


def open_workspace(folder: Path | None = None, config: Path | None = None) -> Workspace:
    """The workspace (as :meth:`Workspace.open` finds it) with its whole ``i18n.toml`` checked."""
    workspace = Workspace.open(folder, config)
    check_settings(workspace)
    return workspace


def check_settings(workspace: Workspace, *, force: bool = False) -> None:
    """Validate every section of the workspace's ``i18n.toml``; a :class:`ConfigError` names the first problem.

    Skipped when the file is byte for byte the one last found valid by this version (``force``: check anyway).
    """
    settings = workspace.settings
    try:
        data = settings.path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the settings ({exc.strerror})", path=settings.path) from None
    digest = hashlib.sha1(f"{__version__}\0".encode() + data).hexdigest()
    stamp = workspace.state_dir / CHECKED_NAME
    if not force:
        try:
            if stamp.read_text(encoding="ascii").strip() == digest:
                return
        except (OSError, UnicodeDecodeError):
            pass
    _check_sections(workspace)
    with contextlib.suppress(OSError):  # a read-only checkout: the next command checks again
        workspace.state_dir.mkdir(exist_ok=True)
        write_atomic(stamp, (digest + "\n").encode("ascii"), durable=False)


def confined_output(workspace: Workspace, name: str, output: Path) -> None:
    """Check that a mirror's output folder stays in the workspace, unless the settings name a place outside.

    A relative ``output`` (``build/mirrors/ca-html``) must resolve inside the workspace: a ``build`` that is
    a link to elsewhere is an :class:`~i18n.core.errors.OutsideWorkspace`. An absolute one names its place
    explicitly and is allowed anywhere. The output itself is the mirror's own link to its current version,
    so its folder is what is checked.
    """
    explicit = not output.is_relative_to(workspace.root)
    workspace.confined(output.parent, allow_outside=explicit, what=f"the folder of mirror '{name}' output",
                       setting=f"mirrors.{name}.output")


def _check_sections(workspace: Workspace) -> None:
    """Run each section's own validation (imported here: only when the file changed, see the module doc)."""
    from i18n.content.checks import load_config  # lazy: only a changed i18n.toml is checked (the module doc)
    from i18n.core.glossary import load_glossary  # lazy: only a changed i18n.toml is checked (the module doc)
    from i18n.core.people import load_people  # lazy: only a changed i18n.toml is checked (the module doc)
    from i18n.core.schedule import load_schedule  # lazy: only a changed i18n.toml is checked (the module doc)
    from i18n.machine.settings import machine_settings  # lazy: only a changed i18n.toml is checked (the module doc)
    from i18n.mirrors.outputs import load_mirrors  # lazy: only a changed i18n.toml is checked (the module doc)
    from i18n.workflow.daily import daily_settings  # lazy: only a changed i18n.toml is checked (the module doc)
    from i18n.workflow.review_rules import review_settings  # lazy: only a changed i18n.toml is checked (the module doc)

    settings = workspace.settings
    load_config(settings)
    load_glossary(settings)
    for mirror in load_mirrors(settings):
        confined_output(workspace, mirror.name, mirror.output)
    review_settings(settings)
    load_people(settings)
    machine_settings(workspace)
    daily_settings(workspace)
    load_schedule(settings)
