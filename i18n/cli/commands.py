"""The ``i18n`` command line: parse options, call one library function, render its report.

Exit codes (the one mapping, in :func:`main`): 0 done; 1 failed (an error, or some files could not be
processed); 2 usage error; 3 ran fine but not ready (later steps: checks failed, nothing publishable).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from i18n import __version__
from i18n.core.errors import I18nError, UsageError

if TYPE_CHECKING:  # imported lazily at run time: `i18n --help` and the fast status path stay cheap
    from i18n.core.languages import Language
    from i18n.core.workspace import Workspace
    from i18n.workflow.reconcile import Progress, ReconcileReport

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:  # click >= 8.3 types ParamType by its value; older clicks cannot subscript it at run time
    _LanguageParam = click.ParamType[Language, str]
    _DateParam = click.ParamType[dt.date, str]
else:
    _LanguageParam = _DateParam = click.ParamType

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
        from i18n.workflow.configuration import open_workspace

        if self.folder is not None:
            from i18n.core.config import CONFIG_NAME

            config = self.folder / CONFIG_NAME
            if not config.is_file():
                from i18n.core.errors import WorkspaceNotFound

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="i18n")
@click.option("-C", "--workspace", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="Workspace folder (default: the nearest parent folder holding i18n.toml).")
@click.option("-v", "--verbose", count=True, help="Say more (list every file changed).")
@click.option("-q", "--quiet", count=True, help="Say less (only errors).")
@click.pass_context
def cli(ctx: click.Context, folder: Path | None, verbose: int, quiet: int) -> None:
    """Translation workflow for a content site and its mirrors.

    \b
    Setup:        i18n init --languages ca,es
    Coordinator:  i18n sync; i18n pretranslate ca; i18n assign ...; i18n status --due 2; i18n report
    Reviewer:     i18n review ca; i18n check ca; i18n approve ca ID; i18n reject ca ID --reason ...
    Publication:  i18n publish; i18n export ca --format mo --out DIR --min-approved 90
    Every morning (cron): i18n daily
    See workflow.md for the whole workflow, the file layout, states and JSON shapes.
    """
    if isinstance(ctx.obj, Context):  # made by main(), which reads its root to word a fatal error
        ctx.obj.folder, ctx.obj.verbosity = folder, verbose - quiet
    else:
        ctx.obj = Context(folder, verbose - quiet)


@cli.command()
@click.option("--languages", help="Target languages, comma-separated: ca,es (needed to create a workspace).")
@click.option("--project", default="My site", show_default=True, help="Project name for catalog headers.")
@click.option("--templates", "templates_only", is_flag=True,
              help="In an existing workspace: add the default site templates it lacks (keeps the others).")
@click.pass_obj
def init(obj: Context, languages: str | None, project: str, templates_only: bool) -> int:
    """Create a workspace (i18n.toml, folders, site templates) in the current or -C folder."""
    from i18n.core.languages import parse_language
    from i18n.core.workspace import add_default_templates, create_workspace

    if templates_only:
        if languages is not None:
            raise UsageError("--templates works on an existing workspace; it takes no --languages")
        templates = add_default_templates(obj.workspace())
    else:
        codes = tuple(code.strip() for code in (languages or "").split(",") if code.strip())
        if not codes:
            raise UsageError("--languages needs at least one language code, e.g. --languages ca,es "
                             "(or --templates to add the default site templates to an existing workspace)")
        report = create_workspace(obj.folder or Path.cwd(), tuple(parse_language(c) for c in codes), project)
        templates = report.templates
        if obj.verbosity >= 0:
            click.echo(f"Created {report.workspace.settings.path}; put articles in content/<yyyy>/ and run "
                       "'i18n sync'.")
    if obj.verbosity >= 0:
        written = ", ".join(templates.written) or "none"
        click.echo(f"Site templates in {templates.folder}: written {written}"
                   + (f"; kept {', '.join(templates.kept)}" if templates.kept else "") + ".")
    return EXIT_OK


def _languages(languages: tuple[Language, ...]) -> tuple[Language, ...] | None:
    """The languages named on the command line; ``None`` for none named: every configured language."""
    return languages or None


def _render_sync(obj: Context, report: Any, as_json: bool) -> int:
    from i18n.cli import output

    if as_json:
        click.echo(output.to_json(output.sync_dict(report)))
    elif obj.verbosity >= 0:
        click.echo(output.sync_text(report, verbose=obj.verbosity > 0))
    for line in output.sync_notices(report):
        click.echo(line, err=True)
    if report.errors:
        click.echo(output.errors_text(report.errors), err=True)
        return EXIT_FAILED
    return EXIT_OK


@cli.command()
@dry_run_option
@json_option
@verbosity_options
@click.pass_obj
def extract(obj: Context, dry_run: bool, as_json: bool) -> int:
    """Extract source articles and UI strings into templates (locales/templates)."""
    from i18n.workflow import sync

    return _render_sync(obj, sync.extract(obj.workspace(), dry_run=dry_run), as_json)


@cli.command()
@click.argument("languages", type=LANGUAGE, nargs=-1)
@dry_run_option
@json_option
@verbosity_options
@click.pass_obj
def update(obj: Context, languages: tuple[Language, ...], dry_run: bool, as_json: bool) -> int:
    """Merge templates into the catalogs of LANGUAGES (default: all), like msgmerge --previous."""
    from i18n.workflow import sync

    workspace = obj.workspace()
    report = sync.update(workspace, _languages(languages), dry_run=dry_run)
    return _render_sync(obj, report, as_json)


@cli.command(name="sync")
@click.argument("languages", type=LANGUAGE, nargs=-1)
@dry_run_option
@json_option
@verbosity_options
@click.pass_obj
def sync_command(obj: Context, languages: tuple[Language, ...], dry_run: bool, as_json: bool) -> int:
    """Extract, then update: the daily command."""
    from i18n.workflow import sync

    workspace = obj.workspace()
    report = sync.sync(workspace, _languages(languages), dry_run=dry_run)
    return _render_sync(obj, report, as_json)


# -- status tracker: status, log, db ------------------------------------------------------------------------


def format_options(func: F) -> F:
    """``--json`` / ``--csv``: one output-format setting."""
    func = click.option("--csv", "fmt", flag_value="csv", help="Print the report as CSV.")(func)
    return click.option("--json", "fmt", flag_value="json", help="Print the report as JSON (see workflow.md).")(func)


def user_option(func: F) -> F:
    return click.option("--user", help="Who to credit with PO edits whose header names no Last-Translator "
                                       "(default: I18N_USER, else git's user.name).")(func)


def _render_reconciled(reconciled: ReconcileReport | None) -> int:
    """Report on stderr what reconciling the catalogs noticed; exit 1 if a catalog could not be read."""
    from i18n.cli import output

    if reconciled is None:
        return EXIT_OK
    for line in output.reconcile_notices(reconciled):
        click.echo(line, err=True)
    if reconciled.errors:
        click.echo(output.errors_text(reconciled.errors), err=True)
        return EXIT_FAILED
    return EXIT_OK


def _terminal_progress(obj: Context, fmt: str | None) -> Callable[[Progress], None] | None:
    """A progress line on stderr while reconciliation records many files (the first run on an archive):
    only for a person at a terminal, never with --json/--csv, -q, or when stderr is not a terminal."""
    if fmt is not None or obj.verbosity < 0 or not sys.stderr.isatty():
        return None

    def show(progress: Progress) -> None:
        if progress.total >= _PROGRESS_FILES:
            done = progress.done >= progress.total
            click.echo(f"\ri18n: recording files in the tracker: {progress.done:,} of {progress.total:,}",
                       err=True, nl=done)

    return show


_PROGRESS_FILES = 1000
"""Fewer files than this are recorded in a few seconds: no progress line."""


@cli.command(name="status")
@click.argument("languages", type=LANGUAGE, nargs=-1)
@click.option("--by", "by", type=click.Choice(["language", "article", "translator"]), default="language",
              show_default=True, help="Report per language, per article (and language) or per translator.")
@click.option("--due", "due", type=click.IntRange(min=0), metavar="DAYS",
              help="Articles dated within the next DAYS days that are not approved, and overdue ones.")
@click.option("--mine", is_flag=True,
              help="Your assignments (--user, else I18N_USER): state and due date, overdue ones flagged.")
@click.option("--require", type=click.Choice(["approved"]),
              help="Exit with 3 when anything selected is not approved (for build scripts).")
@format_options
@user_option
@click.pass_obj
def status_command(obj: Context, languages: tuple[Language, ...], by: str, due: int | None, mine: bool,
                   require: str | None, fmt: str | None, user: str | None) -> int:
    """Where translations stand: entries, words and articles per state, per LANGUAGES (default: all)."""
    from i18n.cli import output
    from i18n.workflow import status as use_case

    if due is not None and by != "language":
        raise UsageError("--due lists articles by itself; do not combine it with --by")
    if mine and (due is not None or by != "language"):
        raise UsageError("--mine lists your assignments by itself; do not combine it with --by or --due")
    view = use_case.View.MINE if mine else use_case.View.DUE if due is not None else use_case.View(by)
    report = use_case.status(obj.workspace(), [lang.code for lang in languages], view=view, due_days=due,
                             user=user, progress=_terminal_progress(obj, fmt))
    if fmt == "json":
        click.echo(output.to_json(output.status_dict(report)))
    elif fmt == "csv":
        click.echo(output.status_csv(report))
    elif obj.verbosity >= 0:
        click.echo(output.status_text(report))
    code = _render_reconciled(report.reconciled)
    if code == EXIT_OK and require == "approved" and report.not_approved:
        click.echo(f"i18n: not ready: {report.not_approved} of the selected items are not approved", err=True)
        return EXIT_NOT_READY
    return code


@cli.command(name="log")
@click.argument("article")
@click.option("--lang", "language", type=LANGUAGE, help="Only this language.")
@json_option
@user_option
@click.pass_obj
def log_command(obj: Context, article: str, language: Language | None, as_json: bool, user: str | None) -> int:
    """An article's history: every state change, with who, when, before and after.

    ARTICLE @ui is the UI catalog (LC_MESSAGES/messages.po).
    """
    from i18n.cli import output
    from i18n.workflow import history

    report = history.article_history(obj.workspace(), article, language.code if language else None, user=user)
    if as_json:
        click.echo(output.to_json(output.history_dict(report)))
    else:
        click.echo(output.history_text(report))
    return _render_reconciled(report.reconciled)


@cli.group()
def db() -> None:
    """Look after the status tracker's database: upgrade, export, import."""


@db.command(name="upgrade")
@click.pass_obj
def db_upgrade(obj: Context) -> int:
    """Migrate the tracker's schema (needed by hand for a shared server; SQLite upgrades itself)."""
    from i18n.workflow import database

    report = database.upgrade(obj.workspace())
    if obj.verbosity >= 0:
        before = report.before or "empty"
        click.echo(f"{report.url}: schema {before} -> {report.after}" if report.changed
                   else f"{report.url}: schema is up to date ({report.after})")
    return EXIT_OK


@db.command(name="export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def db_export(obj: Context, file: Path | None) -> int:
    """Write the whole tracker (states, approvals, history) as JSON to FILE, or to stdout."""
    from i18n.cli import output
    from i18n.workflow import database

    data = database.export_tracker(obj.workspace())
    if file is None:
        click.echo(output.to_json(data))
    else:
        database.save_export(data, file)
        if obj.verbosity >= 0:
            click.echo(f"Exported the tracker to {file}", err=True)
    return EXIT_OK


@db.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace a tracker that is not empty.")
@click.pass_obj
def db_import(obj: Context, file: Path, replace: bool) -> int:
    """Load a JSON export into the tracker; PO files are reconciled again on the next command."""
    from i18n.workflow import database

    report = database.import_tracker(obj.workspace(), file, replace=replace)
    if obj.verbosity >= 0:
        click.echo("Imported " + ", ".join(f"{n} {table}" for table, n in report.rows), err=True)
    return EXIT_OK


@cli.command()
@click.argument("language", type=LANGUAGE, required=False)
@click.option("--article", "articles", multiple=True, metavar="ID",
              help="Only this article (repeatable; @ui: the UI catalog).")
@click.option("--list", "list_checks", is_flag=True, help="List every check: code, severity, what it catches.")
@click.option("--accept", "accepts", multiple=True, metavar="CODE:KEY",
              help="Accept check CODE's finding on entry KEY of the one --article (repeatable; needs --reason).")
@click.option("--reason", help="Why the accepted finding is not a problem (kept in the PO file).")
@click.option("--reviewer", help="Who accepts (default: I18N_USER, else git's user.name).")
@json_option
@verbosity_options
@click.pass_obj
def check(obj: Context, language: Language | None, articles: tuple[str, ...], list_checks: bool,
          accepts: tuple[str, ...], reason: str | None, reviewer: str | None, as_json: bool) -> int:
    """Run the quality checks on every translated entry; exit 3 if any error is found."""
    from i18n.cli import output

    if list_checks:
        from i18n.content.checks import CHECKS

        click.echo(output.to_json(output.checks_list(CHECKS)) if as_json else output.checks_list_text(CHECKS))
        return EXIT_OK
    from i18n.workflow import check as quality

    workspace = obj.workspace()
    if accepts:
        from i18n.workflow import accept

        if not language or len(articles) != 1 or reason is None:
            raise click.UsageError("--accept needs a LANGUAGE, exactly one --article and a --reason")
        accepted = accept.accept(workspace, language.code, articles[0], accepts, reason=reason,
                                 reviewer=reviewer)
        if obj.verbosity >= 0:
            click.echo(output.accept_text(accepted), err=True)
    report = quality.check(workspace, language, articles)
    if as_json:
        click.echo(output.to_json(output.check_dict(report)))
    elif obj.verbosity >= 0 or report.problems:
        click.echo(output.check_text(report))
    if report.file_errors:
        click.echo(output.errors_text(report.file_errors), err=True)
        return EXIT_FAILED
    return EXIT_NOT_READY if report.has_errors else EXIT_OK


#: The engines ``--engine`` accepts (i18n.machine.engines.ENGINE_NAMES, spelled out so that ``--help`` need not
#: import the engines; a test keeps the two equal).
ENGINE_CHOICES = ("apertium", "apertium-apy", "libretranslate", "deepl", "microsoft", "google", "mymemory")


@cli.command()
@click.argument("language", type=LANGUAGE)
@click.option("--engine", type=click.Choice(ENGINE_CHOICES),
              help="Use only this engine (after the translation memory).")
@click.option("--article", "articles", multiple=True, metavar="ID",
              help="Only this article (repeatable; @ui: the UI catalog).")
@click.option("--since", type=DATE, metavar="DATE",
              help="Only articles dated on or after DATE (YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="Fill at most N entries.")
@click.option("--max-chars", type=click.IntRange(min=1), metavar="N",
              help="Send at most N characters; stop before the budget would be exceeded.")
@click.option("--refresh", is_flag=True, help="Replace existing machine drafts too (never human text).")
@dry_run_option
@json_option
@user_option
@verbosity_options
@click.pass_obj
def pretranslate(obj: Context, language: Language, engine: str | None, articles: tuple[str, ...],
                 since: dt.date | None, limit: int | None, max_chars: int | None, refresh: bool, dry_run: bool,
                 as_json: bool, user: str | None) -> int:
    """Fill untranslated entries with machine drafts (memory first, then the engines)."""
    from i18n.cli import output
    from i18n.workflow.pretranslate import pretranslate as run

    workspace = obj.workspace()
    show_progress = not as_json and obj.verbosity >= 0 and sys.stderr.isatty()
    report = run(workspace, language, engine=engine, articles=articles, since=since,
                 limit=limit, dry_run=dry_run, max_chars=max_chars, refresh=refresh, user=user,
                 progress=_progress_bar() if show_progress else None)
    if as_json:
        click.echo(output.to_json(output.pretranslate_dict(report)))
    elif obj.verbosity >= 0:
        click.echo(output.pretranslate_text(report))
    problems = [str(f) for f in report.failures] + [str(e) for e in report.errors]
    if problems:
        one = len(problems) == 1
        click.echo("\n".join([f"{len(problems)} {'entry or file' if one else 'entries or files'} failed and "
                              f"{'was left as it was' if one else 'were left as they were'}:",
                              *(f"  {p}" for p in problems)]), err=True)
    reconciled = _render_reconciled(report.reconciled)
    return EXIT_FAILED if report.status == "failed" else reconciled


def _progress_bar() -> Callable[[Any], None]:
    """A progress line on stderr: settled source texts out of the total, and characters sent."""

    def show(progress: Any) -> None:
        click.echo(f"\r{progress.done}/{progress.total} texts, {progress.characters} "
                   f"{'character' if progress.characters == 1 else 'characters'} sent",
                   err=True, nl=progress.done >= progress.total)

    return show


@cli.command()
@json_option
@click.pass_obj
def engines(obj: Context, as_json: bool) -> int:
    """List the machine-translation engines: configured, usable, and why not."""
    from i18n.cli import output
    from i18n.workflow.engines import engines_status

    statuses = engines_status(obj.workspace())
    if as_json:
        click.echo(output.to_json(output.engines_dict(statuses)))
    else:
        click.echo(output.engines_text(statuses))
    return EXIT_OK



# -- assignments and the dashboard: assign, report ----------------------------------------------------------


@cli.command()
@click.argument("language", type=LANGUAGE)
@click.argument("articles", nargs=-1, required=True)
@click.option("--translator", required=True, metavar="NAME", help="Who translates them.")
@click.option("--reviewer", metavar="NAME", help="Who reviews them (default: keep the one assigned, if any).")
@click.option("--due", type=DATE, metavar="DATE",
              help="Due date, YYYY-MM-DD (default: each article's date minus [schedule] lead_days).")
@json_option
@user_option
@click.pass_obj
def assign(obj: Context, language: Language, articles: tuple[str, ...], translator: str, reviewer: str | None,
           due: dt.date | None, as_json: bool, user: str | None) -> int:
    """Assign ARTICLES in LANGUAGE to a translator (and a reviewer), due by a date.

    The UI catalog (@ui) is not an article and cannot be assigned.
    """
    from i18n.cli import output
    from i18n.workflow.assignments import assign as run

    report = run(obj.workspace(), language.code, articles, translator=translator, reviewer=reviewer,
                 due=due, user=user)
    if as_json:
        click.echo(output.to_json(output.assign_dict(report)))
    elif obj.verbosity >= 0:
        click.echo(output.assign_text(report))
    return _render_reconciled(report.reconciled)


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Folder to write index.html into (default: build/report in the workspace).")
@json_option
@user_option
@click.pass_obj
def report(obj: Context, out: Path | None, as_json: bool, user: str | None) -> int:
    """Write the coordinator's dashboard, a static HTML page (DIR/index.html) that opens from disk."""
    from i18n.cli import output
    from i18n.cli.report_html import write_report

    written = write_report(obj.workspace(), out, user=user)
    if as_json:
        click.echo(output.to_json(output.dashboard_dict(written.dashboard, written.path)))
    elif obj.verbosity >= 0:
        click.echo(f"Wrote {written.path}: open it in a browser")
    return _render_reconciled(written.dashboard.reconciled)


# -- review, approve, reject -------------------------------------------------------------------------------


def reviewer_option(func: F) -> F:
    return click.option("--reviewer", metavar="NAME",
                        help="Who is reviewing (default: I18N_USER, else git's user.name).")(func)


def entry_option(func: F) -> F:
    return click.option("--entry", "entries", multiple=True, metavar="KEY",
                        help="Only this entry of the article (repeatable; keys: 'i18n review LANG ARTICLE').")(func)


@cli.command()
@click.argument("language", type=LANGUAGE)
@click.argument("article", required=False)
@json_option
@user_option
@click.pass_obj
def review(obj: Context, language: Language, article: str | None, as_json: bool, user: str | None) -> int:
    """The review queue of LANGUAGE, or one ARTICLE's entries side by side with their problems.

    ARTICLE @ui is the UI catalog (LC_MESSAGES/messages.po).
    """
    import shutil

    from i18n.cli import output
    from i18n.workflow import review as use_case

    workspace = obj.workspace()
    if article is None:
        queue = use_case.review_queue(workspace, language.code, user=user)
        if as_json:
            click.echo(output.to_json(output.review_queue_dict(queue)))
        elif obj.verbosity >= 0:
            click.echo(output.review_queue_text(queue))
        reconciled, file_errors = queue.reconciled, queue.file_errors
    else:
        view = use_case.article_review(workspace, language.code, article, user=user)
        if as_json:
            click.echo(output.to_json(output.article_review_dict(view)))
        else:
            click.echo(output.article_review_text(view, shutil.get_terminal_size().columns))
        reconciled, file_errors = view.reconciled, view.file_errors
    code = _render_reconciled(reconciled)
    if file_errors:
        click.echo(output.errors_text(file_errors), err=True)
        return EXIT_FAILED
    return code


@cli.command()
@click.argument("language", type=LANGUAGE)
@click.argument("articles", nargs=-1, required=True)
@entry_option
@reviewer_option
@json_option
@click.pass_obj
def approve(obj: Context, language: Language, articles: tuple[str, ...], entries: tuple[str, ...],
            reviewer: str | None, as_json: bool) -> int:
    """Approve the entries of ARTICLES; exit 3, listing what blocks, for an article that is not ready.

    ARTICLE @ui is the UI catalog (LC_MESSAGES/messages.po).
    """
    from i18n.cli import output
    from i18n.workflow import review as use_case

    report = use_case.approve(obj.workspace(), language.code, articles, entries=entries, reviewer=reviewer)
    for warning in report.warnings:
        click.echo(f"i18n: warning: {warning}", err=True)
    if as_json:
        click.echo(output.to_json(output.approval_dict(report)))
    elif obj.verbosity >= 0 or report.blocked:
        click.echo(output.approval_text(report))
    code = _render_reconciled(report.reconciled)
    if report.refused:
        click.echo(f"i18n: not approved: {', '.join(report.refused)} (see the problems listed)", err=True)
        return EXIT_NOT_READY
    return code


@cli.command()
@click.argument("language", type=LANGUAGE)
@click.argument("article")
@entry_option
@click.option("--reason", required=True, help="Why: written into the PO file as a translator comment.")
@reviewer_option
@json_option
@click.pass_obj
def reject(obj: Context, language: Language, article: str, entries: tuple[str, ...], reason: str,
           reviewer: str | None, as_json: bool) -> int:
    """Send ARTICLE's entries (default: all) back as needs-work, with the reason for the translator.

    ARTICLE @ui is the UI catalog (LC_MESSAGES/messages.po). The approvals of the texts sent back are
    revoked: clearing fuzzy without changing a text does not approve it again.
    """
    from i18n.cli import output
    from i18n.workflow import review as use_case

    report = use_case.reject(obj.workspace(), language.code, article, reason=reason, entries=entries, reviewer=reviewer)
    for warning in report.warnings:
        click.echo(f"i18n: warning: {warning}", err=True)
    if as_json:
        click.echo(output.to_json(output.rejection_dict(report)))
    elif obj.verbosity >= 0:
        click.echo(output.rejection_text(report))
    code = _render_reconciled(report.reconciled)
    if not report.rejected:
        click.echo("i18n: nothing was rejected: the entries have no human translation to send back", err=True)
        return EXIT_NOT_READY
    return code


# -- publishing: publish, export ----------------------------------------------------------------------------


@cli.command()
@click.option("--mirror", "mirrors", multiple=True, metavar="NAME", help="Only this mirror (repeatable; default: all).")
@click.option("--as-of", type=DATE, metavar="DATE",
              help="Publish as if today were DATE (YYYY-MM-DD) in every mirror's time zone.")
@click.option("--withdraw", "withdraw", multiple=True, metavar="ARTICLE",
              help="Take ARTICLE off the mirrors; it stays off until restored or approved again (repeatable).")
@click.option("--restore", "restore", multiple=True, metavar="ARTICLE",
              help="Bring back ARTICLE withdrawn or rolled back by hand: it follows its approvals again.")
@click.option("--rollback", "rollback", metavar="ARTICLE",
              help="Put back an earlier published version of ARTICLE (with --to); it stays until a new approval.")
@click.option("--to", "to_version", metavar="VERSION",
              help="The version for --rollback ('i18n log ARTICLE' lists the versions the mirrors keep).")
@dry_run_option
@json_option
@user_option
@click.pass_obj
def publish(obj: Context, mirrors: tuple[str, ...], as_of: dt.date | None, withdraw: tuple[str, ...],
            restore: tuple[str, ...], rollback: str | None, to_version: str | None, dry_run: bool, as_json: bool,
            user: str | None) -> int:
    """Publish the approved, due articles to the mirrors; exit 3 if a due article is still blocked.

    Under on_source_change = "keep", a published article whose changed source is not approved yet keeps
    its live version (listed as kept). Articles whose tracker state and source did not change since the
    last run are not gated again (.i18n/publish/ is a cache, safe to delete).
    """
    from i18n.cli import output
    from i18n.workflow.publish import publish_mirrors

    if (rollback is None) != (to_version is None):
        raise UsageError("--rollback ARTICLE and --to VERSION go together",
                         hint="'i18n log ARTICLE' lists the versions the mirrors keep")
    run = publish_mirrors(obj.workspace(), mirrors, as_of=as_of, dry_run=dry_run,
                          withdraw=withdraw, restore=restore,
                          rollback=(rollback, to_version) if rollback and to_version else None, user=user)
    if as_json:
        click.echo(output.to_json(run.to_json()))
    elif obj.verbosity >= 0:
        click.echo(output.publish_text(run))
    code = _render_reconciled(run.reconciled)
    if run.source_errors:
        for mirror, blocked in run.source_errors:
            click.echo(f"i18n: {mirror}: {blocked.article}: {blocked.message}", err=True)
        return EXIT_FAILED
    if code == EXIT_OK and (run.waiting or run.showing == 0):
        held = len({b.article for _, b in run.waiting})
        what = (f"{held} due {'article is' if held == 1 else 'articles are'} blocked" if run.waiting
                else "no article is publishable")
        click.echo(f"i18n: not ready: {what} (the blocked lines say why)", err=True)
        return EXIT_NOT_READY
    return code


@cli.command()
@click.argument("language", type=LANGUAGE)
@click.option("--format", "fmt", type=click.Choice(["mo", "po", "json"]), required=True,
              help="mo: the compiled UI catalog; po: approved-only catalogs; json: approved texts.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True, metavar="DIR",
              help="Write under DIR/<lang>/ (created if needed).")
@click.option("--min-approved", type=click.FloatRange(0, 100), metavar="PCT",
              help="Exit 3 and write nothing if the language, or a selected article, is less approved.")
@click.option("--article", "articles", multiple=True, metavar="ID",
              help="Also export this article, held to --min-approved too (repeatable; @ui: the UI catalog).")
@json_option
@user_option
@click.pass_obj
def export(obj: Context, language: Language, fmt: str, out: Path, min_approved: float | None,
           articles: tuple[str, ...], as_json: bool, user: str | None) -> int:
    """Export a language's approved translations for build scripts (MO, PO or JSON)."""
    from i18n.cli import output
    from i18n.workflow.export import ExportFormat
    from i18n.workflow.export import export as run

    report = run(obj.workspace(), language.code, ExportFormat(fmt), out, min_approved=min_approved, articles=articles,
                 user=user)
    if as_json:
        click.echo(output.to_json(report.to_json()))
    elif obj.verbosity >= 0:
        click.echo(output.export_text(report))
    code = _render_reconciled(report.reconciled)
    if code == EXIT_OK and report.below:
        click.echo("i18n: not ready: " + "; ".join(
            f"{b.name} is {b.percent:g}% approved" for b in report.below) + f" (at least {min_approved:g}% needed)",
                   err=True)
        return EXIT_NOT_READY
    return code


# -- the daily run -----------------------------------------------------------------------------------------


@cli.command()
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="DATE",
              help="Run as if today were DATE (YYYY-MM-DD): publish what is due by then, date the dashboard.")
@json_option
@user_option
@verbosity_options
@click.pass_obj
def daily(obj: Context, as_of: Any, as_json: bool, user: str | None) -> int:
    """The morning job: sync, pretranslate within [daily]'s budget, publish what is due, write the report.

    Prints a one-paragraph summary (for a mail or a chat message) and appends it to the log
    (.i18n/daily.log by default). Exit 0 done, 1 a step failed, 3 a due article is blocked.
    """
    from i18n.cli import output
    from i18n.cli.report_html import write_dashboard
    from i18n.workflow.daily import DailyStatus
    from i18n.workflow.daily import daily as run

    def step(name: str) -> None:
        if not as_json and obj.verbosity > 0:
            click.echo(f"i18n daily: {name}", err=True)

    report = run(obj.workspace(), today=as_of.date() if as_of else None, user=user, render_report=write_dashboard,
                 progress=step)
    if as_json:
        click.echo(output.to_json(output.daily_dict(report)))
    elif obj.verbosity >= 0:
        click.echo(output.daily_text(report, verbose=obj.verbosity > 0))
    return {DailyStatus.OK: EXIT_OK, DailyStatus.NOT_READY: EXIT_NOT_READY,
            DailyStatus.FAILED: EXIT_FAILED}[report.status]


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and exit with the code the outcome maps to (the one place that maps errors).

    Under ``--json`` a fatal error also prints one object on stdout, ``{"error": {...}}`` (see
    :func:`i18n.cli.output.fatal_error_dict`), so that a script always gets the JSON it was promised.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args[:args.index("--")] if "--" in args else "--json" in args
    state = Context(None, 0)
    try:
        code = cli.main(args=args, prog_name="i18n", standalone_mode=False, obj=state)
    except click.exceptions.Abort:
        click.echo("i18n: aborted", err=True)
        code = EXIT_FAILED
    except click.ClickException as exc:
        exc.show()
        code = EXIT_USAGE if isinstance(exc, click.UsageError) else EXIT_FAILED
        if as_json:
            _echo_error_json("usage" if code == EXIT_USAGE else "failed", exc.format_message())
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except I18nError as exc:
        from i18n.cli import output

        click.echo(f"i18n: error: {output.fatal_error_text(exc, state.root)}", err=True)
        code = exc.exit_code
        if as_json:
            click.echo(output.to_json(output.fatal_error_dict(exc, state.root)))
    except KeyboardInterrupt:
        click.echo("i18n: interrupted; nothing was half-written", err=True)
        code = 130
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _echo_error_json(code: str, message: str) -> None:
    """The ``--json`` error object of a click error (no file, no line)."""
    from i18n.cli import output

    click.echo(output.to_json({"error": {"code": code, "message": message, "path": None, "line": None,
                                         "hint": None}}))
