"""The ``i18n`` command line: parse options, call one library function, render its report.

This module holds the group (``cli``), the commands of the first steps (``init``, ``extract``, ``update``,
``sync``, ``pretranslate``, ``engines``) and of the status tracker (``status``, ``log``, ``db``), and
:func:`main`; the review commands are in :mod:`i18n.cli.review_commands`, the publication ones in
:mod:`i18n.cli.publish_commands`, and what they all share in :mod:`i18n.cli.context`. Each command imports
its use case and renderer in its body, for start-up time: `i18n --help` and the fast status path must not
import SQLAlchemy, Babel or Jinja2.

Exit codes (the one mapping, in :func:`main`): 0 done; 1 failed (an error, or some files could not be
processed); 2 usage error; 3 ran fine but not ready (later steps: checks failed, nothing publishable).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from i18n import __version__
from i18n.cli.context import (
    DATE,
    EXIT_FAILED,
    EXIT_NOT_READY,
    EXIT_OK,
    EXIT_USAGE,
    LANGUAGE,
    Context,
    dry_run_option,
    echo_pieces,
    format_options,
    json_option,
    render_reconciled,
    user_option,
    verbosity_options,
)
from i18n.cli.publish_commands import daily, export, publish, report
from i18n.cli.review_commands import approve, assign, check, reject, review
from i18n.core.errors import I18nError, UsageError

if TYPE_CHECKING:  # annotations only: imported lazily at run time, for start-up time
    from i18n.core.languages import Language
    from i18n.workflow.reconcile import Progress


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
    from i18n.core.languages import parse_language  # lazy: start-up time
    from i18n.core.workspace import add_default_templates, create_workspace  # lazy: start-up time

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
    from i18n.cli import output  # lazy: start-up time

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
    from i18n.workflow import sync  # lazy: start-up time

    return _render_sync(obj, sync.extract(obj.workspace(), dry_run=dry_run), as_json)


@cli.command()
@click.argument("languages", type=LANGUAGE, nargs=-1)
@dry_run_option
@json_option
@verbosity_options
@click.pass_obj
def update(obj: Context, languages: tuple[Language, ...], dry_run: bool, as_json: bool) -> int:
    """Merge templates into the catalogs of LANGUAGES (default: all), like msgmerge --previous."""
    from i18n.workflow import sync  # lazy: start-up time

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
    from i18n.workflow import sync  # lazy: start-up time

    workspace = obj.workspace()
    progress = _sync_progress(obj, "json" if as_json else None)
    report = sync.sync(workspace, _languages(languages), dry_run=dry_run, progress=progress)
    return _render_sync(obj, report, as_json)


def _sync_progress(obj: Context, fmt: str | None) -> Callable[[Any], None] | None:
    """A progress line per step on stderr while a sync reads, merges or writes many files (a first run on
    an archive): as :func:`_terminal_progress`, only for a person at a terminal, and not for a short run."""
    if fmt is not None or obj.verbosity < 0 or not sys.stderr.isatty():
        return None

    def show(progress: Any) -> None:
        if progress.total < _PROGRESS_FILES:
            return
        if progress.step.name == "WRITING":
            click.echo(f"\ri18n: writing {progress.total:,} files", err=True)
            return
        where = f" ({progress.language})" if progress.language else ""
        click.echo(f"\ri18n: {progress.step.value}{where}: {progress.done:,} of {progress.total:,}", err=True,
                   nl=progress.done >= progress.total)

    return show


# -- status tracker: status, log, db ------------------------------------------------------------------------


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
    from i18n.cli import output  # lazy: start-up time
    from i18n.workflow import status as use_case  # lazy: start-up time

    if due is not None and by != "language":
        raise UsageError("--due lists articles by itself; do not combine it with --by")
    if mine and (due is not None or by != "language"):
        raise UsageError("--mine lists your assignments by itself; do not combine it with --by or --due")
    view = use_case.View.MINE if mine else use_case.View.DUE if due is not None else use_case.View(by)
    report = use_case.status(obj.workspace(), [lang.code for lang in languages], view=view, due_days=due,
                             user=user, progress=_terminal_progress(obj, fmt))
    # Written as rendered, a batch of rows at a time: --by article on 50,000 articles is 100,000 rows.
    if fmt == "json":
        echo_pieces(output.status_json(report))
    elif fmt == "csv":
        echo_pieces(output.status_csv(report))
    elif obj.verbosity >= 0:
        echo_pieces(output.status_text(report))
    code = render_reconciled(report.reconciled)
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
    from i18n.cli import output  # lazy: start-up time
    from i18n.workflow import history  # lazy: start-up time

    report = history.article_history(obj.workspace(), article, language.code if language else None, user=user)
    if as_json:
        click.echo(output.to_json(output.history_dict(report)))
    else:
        click.echo(output.history_text(report))
    return render_reconciled(report.reconciled)


@cli.group()
def db() -> None:
    """Look after the status tracker's database: upgrade, export, import."""


@db.command(name="upgrade")
@click.pass_obj
def db_upgrade(obj: Context) -> int:
    """Migrate the tracker's schema (needed by hand for a shared server; SQLite upgrades itself)."""
    from i18n.workflow import database  # lazy: start-up time

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
    from i18n.cli import output  # lazy: start-up time
    from i18n.workflow import database  # lazy: start-up time

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
    from i18n.workflow import database  # lazy: start-up time

    report = database.import_tracker(obj.workspace(), file, replace=replace)
    if obj.verbosity >= 0:
        click.echo("Imported " + ", ".join(f"{n} {table}" for table, n in report.rows), err=True)
    return EXIT_OK


# -- machine drafts: pretranslate, engines ------------------------------------------------------------------


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
    from i18n.cli import output  # lazy: start-up time
    from i18n.workflow.pretranslate import pretranslate as run  # lazy: start-up time

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
    reconciled = render_reconciled(report.reconciled)
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
    from i18n.cli import output  # lazy: start-up time
    from i18n.workflow.engines import engines_status  # lazy: start-up time

    statuses = engines_status(obj.workspace())
    if as_json:
        click.echo(output.to_json(output.engines_dict(statuses)))
    else:
        click.echo(output.engines_text(statuses))
    return EXIT_OK


# The later steps' commands, defined in their own modules by workflow step.
for _command in (check, review, approve, reject, assign, publish, export, report, daily):
    cli.add_command(_command)


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
        from i18n.cli import output  # lazy: start-up time

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
    from i18n.cli import output  # lazy: start-up time

    click.echo(output.to_json({"error": {"code": code, "message": message, "path": None, "line": None,
                                         "hint": None}}))
