"""What every ``i18n`` command shares: the :class:`Context` (workspace folder, verbosity), the exit codes,
the parameter types ``LANGUAGE`` and ``DATE``, the options several commands take, and the stderr report of
what reconciling the catalogs noticed.

Nothing here imports the library's heavy parts at module level: `i18n --help` and the fast status path
import this module and must stay cheap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from i18n.core.errors import WorkspaceNotFound

if TYPE_CHECKING:  # imported lazily at run time: `i18n --help` and the fast status path stay cheap
    from i18n.core.languages import Language
    from i18n.core.workspace import Workspace
    from i18n.workflow.reconcile import ReconcileReport

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:  # click >= 8.3 types ParamType by its value; older clicks cannot subscript it at run time
    _LanguageParam = click.ParamType[Language, str]
    _DateParam = click.ParamType[dt.date, str]
else:
    _LanguageParam = _DateParam = click.ParamType

#: The exit codes; :func:`i18n.cli.commands.main` maps outcomes and errors to them (see its module docstring).
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NOT_READY = 0, 1, 2, 3


@dataclass
class Context:
    """What every command shares: the workspace folder and verbosity, set by the group's options."""

    folder: Path | None
    verbosity: int
    opened: Workspace | None = None
    root: Path | None = None
    """The workspace folder once a command opened it: error paths are shown relative to it."""

    def workspace(self) -> Workspace:
        """The workspace, every key of its i18n.toml checked (:func:`~i18n.workflow.configuration.open_workspace`);
        opened once per command."""
        if self.opened is None:
            self.opened = self._open()
        return self.opened

    def _open(self) -> Workspace:
        from i18n.workflow.configuration import open_workspace  # lazy: start-up time

        if self.folder is not None:
            from i18n.core.config import CONFIG_NAME  # lazy: start-up time

            config = self.folder / CONFIG_NAME
            if not config.is_file():
                raise WorkspaceNotFound(f"no {CONFIG_NAME} in {self.folder}",
                                        hint="run 'i18n init' there, or point -C at a workspace folder")
            self.root = config.parent
            workspace = open_workspace(config=config)
        else:
            workspace = open_workspace(Path.cwd())
        self.root = workspace.root
        return workspace


def _more(ctx: click.Context, param: click.Parameter, value: int) -> None:
    if value:
        ctx.find_object(Context).verbosity += value if param.name == "verbose" else -value  # type: ignore[union-attr]


def verbosity_options(func: F) -> F:
    """``-v``/``-q`` after the command name too (``i18n sync -q``), adding to the group's."""
    func = click.option("-q", "--quiet", count=True, expose_value=False, callback=_more,
                        help="Say less (only errors).")(func)
    return click.option("-v", "--verbose", count=True, expose_value=False, callback=_more,
                        help="Say more (list every file changed).")(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (see workflow.md).")(func)


def dry_run_option(func: F) -> F:
    return click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")(func)


class LanguageType(_LanguageParam):
    """A target language of the workspace, as every command names one: its code (``ca``, ``pt-BR``) or its
    gettext spelling (``pt_BR``), resolved against ``languages`` in ``i18n.toml`` to a
    :class:`~i18n.core.languages.Language` (a language that is not configured is a :class:`ConfigError`,
    exit 1, with the configured ones listed)."""

    name = "language"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Language:
        if not isinstance(value, str):
            return value  # type: ignore[no-any-return]
        obj = ctx.find_object(Context) if ctx is not None else None
        if obj is None:  # pragma: no cover - every command runs under the group, which sets it
            self.fail("no workspace to look the language up in", param, ctx)
        return obj.workspace().settings.language(value)


class DateType(_DateParam):
    """A calendar date written ``YYYY-MM-DD``, as a :class:`datetime.date` (no time, no time zone)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-21", param, ctx)


LANGUAGE = LanguageType()
DATE = DateType()


# -- options several commands take --------------------------------------------------------------------------


def format_options(func: F) -> F:
    """``--json`` / ``--csv``: one output-format setting."""
    func = click.option("--csv", "fmt", flag_value="csv", help="Print the report as CSV.")(func)
    return click.option("--json", "fmt", flag_value="json", help="Print the report as JSON (see workflow.md).")(func)


def user_option(func: F) -> F:
    return click.option("--user", help="Who to credit with PO edits whose header names no Last-Translator "
                                       "(default: I18N_USER, else git's user.name).")(func)


def reviewer_option(func: F) -> F:
    return click.option("--reviewer", metavar="NAME",
                        help="Who is reviewing (default: I18N_USER, else git's user.name).")(func)


def entry_option(func: F) -> F:
    return click.option("--entry", "entries", multiple=True, metavar="KEY",
                        help="Only this entry of the article (repeatable; keys: 'i18n review LANG ARTICLE').")(func)


def render_reconciled(reconciled: ReconcileReport | None) -> int:
    """Report on stderr what reconciling the catalogs noticed; exit 1 if a catalog could not be read."""
    from i18n.cli import output  # lazy: start-up time (`i18n --help` renders nothing)

    if reconciled is None:
        return EXIT_OK
    for line in output.reconcile_notices(reconciled):
        click.echo(line, err=True)
    if reconciled.errors:
        click.echo(output.errors_text(reconciled.errors), err=True)
        return EXIT_FAILED
    return EXIT_OK


def echo_pieces(pieces: Iterable[str | bytes]) -> None:
    """Write a report to stdout piece by piece as it is rendered (each piece as it comes, newlines included)."""
    for piece in pieces:
        click.echo(piece, nl=False)
