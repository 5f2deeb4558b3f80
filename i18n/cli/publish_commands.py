"""The publication commands: ``publish``, ``export``, the dashboard (``report``) and the morning job
(``daily``), registered on the ``i18n`` group by :mod:`i18n.cli.commands`.

Each command imports its use case and renderer in its body, for start-up time: `i18n --help` imports this
module and must not pull in the library (SQLAlchemy, Babel, Jinja2).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from i18n.cli.context import (
    DATE,
    EXIT_FAILED,
    EXIT_NOT_READY,
    EXIT_OK,
    LANGUAGE,
    Context,
    dry_run_option,
    echo_pieces,
    json_option,
    render_reconciled,
    user_option,
    verbosity_options,
)
from i18n.core.errors import UsageError

if TYPE_CHECKING:  # annotations only: imported lazily at run time, for start-up time
    from i18n.core.languages import Language


@click.command()
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
    from i18n.cli import output, output_publish  # lazy: start-up time
    from i18n.workflow.publish import publish_mirrors  # lazy: start-up time

    if (rollback is None) != (to_version is None):
        raise UsageError("--rollback ARTICLE and --to VERSION go together",
                         hint="'i18n log ARTICLE' lists the versions the mirrors keep")
    run = publish_mirrors(obj.workspace(), mirrors, as_of=as_of, dry_run=dry_run,
                          withdraw=withdraw, restore=restore,
                          rollback=(rollback, to_version) if rollback and to_version else None, user=user)
    if as_json:  # written in pieces: a cached report's blocked list is handed on as the JSON text it is
        echo_pieces(output.json_pieces(run.to_json(encoded=True)))
        click.echo()
    elif obj.verbosity >= 0:
        click.echo(output_publish.publish_text(run))
    code = render_reconciled(run.reconciled)
    if run.source_errors:
        for mirror, blocked in run.source_errors:
            click.echo(f"i18n: {mirror}: {blocked.article}: {blocked.message}", err=True)
        return EXIT_FAILED
    held = run.held
    if code == EXIT_OK and (held or run.showing == 0):
        what = (f"{held} due {'article is' if held == 1 else 'articles are'} blocked" if held
                else "no article is publishable")
        click.echo(f"i18n: not ready: {what} (the blocked lines say why)", err=True)
        return EXIT_NOT_READY
    return code


@click.command()
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
    from i18n.cli import output, output_publish  # lazy: start-up time
    from i18n.workflow.export import ExportFormat  # lazy: start-up time
    from i18n.workflow.export import export as run  # lazy: start-up time

    report = run(obj.workspace(), language.code, ExportFormat(fmt), out, min_approved=min_approved, articles=articles,
                 user=user)
    if as_json:
        click.echo(output.to_json(report.to_json()))
    elif obj.verbosity >= 0:
        click.echo(output_publish.export_text(report))
    code = render_reconciled(report.reconciled)
    if code == EXIT_OK and report.below:
        click.echo("i18n: not ready: " + "; ".join(
            f"{b.name} is {b.percent:g}% approved" for b in report.below) + f" (at least {min_approved:g}% needed)",
                   err=True)
        return EXIT_NOT_READY
    return code


# -- the dashboard and the daily run ------------------------------------------------------------------------


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Folder to write index.html into (default: build/report in the workspace).")
@json_option
@user_option
@click.pass_obj
def report(obj: Context, out: Path | None, as_json: bool, user: str | None) -> int:
    """Write the coordinator's dashboard, a static HTML page (DIR/index.html) that opens from disk."""
    from i18n.cli import output, output_publish  # lazy: start-up time
    from i18n.cli.report_html import write_report  # lazy: start-up time

    written = write_report(obj.workspace(), out, user=user)
    if as_json:
        click.echo(output.to_json(output_publish.dashboard_dict(written.dashboard, written.path)))
    elif obj.verbosity >= 0:
        click.echo(f"Wrote {written.path}: open it in a browser")
    return render_reconciled(written.dashboard.reconciled)


@click.command()
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
    from i18n.cli import output, output_publish  # lazy: start-up time
    from i18n.cli.report_html import write_dashboard  # lazy: start-up time
    from i18n.workflow.daily import DailyStatus  # lazy: start-up time
    from i18n.workflow.daily import daily as run  # lazy: start-up time

    def step(name: str) -> None:
        if not as_json and obj.verbosity > 0:
            click.echo(f"i18n daily: {name}", err=True)

    report = run(obj.workspace(), today=as_of.date() if as_of else None, user=user, render_report=write_dashboard,
                 progress=step)
    if as_json:
        click.echo(output.to_json(output_publish.daily_dict(report)))
    elif obj.verbosity >= 0:
        click.echo(output_publish.daily_text(report, verbose=obj.verbosity > 0))
    return {DailyStatus.OK: EXIT_OK, DailyStatus.NOT_READY: EXIT_NOT_READY,
            DailyStatus.FAILED: EXIT_FAILED}[report.status]
