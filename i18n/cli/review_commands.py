"""The reviewer's and the coordinator's commands on a language's articles: ``check``, ``review``,
``approve``, ``reject`` and ``assign`` (registered on the ``i18n`` group by :mod:`i18n.cli.commands`).

Each command imports its use case and renderer in its body, for start-up time: `i18n --help` imports this
module and must not pull in the library (SQLAlchemy, Babel, Jinja2).
"""

from __future__ import annotations

import datetime as dt
import shutil
from typing import TYPE_CHECKING

import click

from i18n.cli.context import (
    DATE,
    EXIT_FAILED,
    EXIT_NOT_READY,
    EXIT_OK,
    LANGUAGE,
    Context,
    entry_option,
    json_option,
    render_reconciled,
    reviewer_option,
    user_option,
    verbosity_options,
)

if TYPE_CHECKING:  # annotations only: imported lazily at run time, for start-up time
    from i18n.core.languages import Language


@click.command()
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
    from i18n.cli import output  # lazy: start-up time

    if list_checks:
        from i18n.content.checks import CHECKS  # lazy: start-up time

        click.echo(output.to_json(output.checks_list(CHECKS)) if as_json else output.checks_list_text(CHECKS))
        return EXIT_OK
    from i18n.workflow.check import check as run_checks  # lazy: start-up time

    workspace = obj.workspace()
    if accepts:
        from i18n.workflow import accept  # lazy: start-up time

        if not language or len(articles) != 1 or reason is None:
            raise click.UsageError("--accept needs a LANGUAGE, exactly one --article and a --reason")
        accepted = accept.accept(workspace, language.code, articles[0], accepts, reason=reason,
                                 reviewer=reviewer)
        if obj.verbosity >= 0:
            click.echo(output.accept_text(accepted), err=True)
    report = run_checks(workspace, language, articles)
    if as_json:
        click.echo(output.to_json(output.check_dict(report)))
    elif obj.verbosity >= 0 or report.problems:
        click.echo(output.check_text(report))
    if report.file_errors:
        click.echo(output.errors_text(report.file_errors), err=True)
        return EXIT_FAILED
    return EXIT_NOT_READY if report.has_errors else EXIT_OK


@click.command()
@click.argument("language", type=LANGUAGE)
@click.argument("article", required=False)
@json_option
@user_option
@click.pass_obj
def review(obj: Context, language: Language, article: str | None, as_json: bool, user: str | None) -> int:
    """The review queue of LANGUAGE, or one ARTICLE's entries side by side with their problems.

    ARTICLE @ui is the UI catalog (LC_MESSAGES/messages.po).
    """

    from i18n.cli import output, output_review  # lazy: start-up time
    from i18n.workflow import review as use_case  # lazy: start-up time

    workspace = obj.workspace()
    if article is None:
        queue = use_case.review_queue(workspace, language.code, user=user)
        if as_json:
            click.echo(output.to_json(output_review.review_queue_dict(queue)))
        elif obj.verbosity >= 0:
            click.echo(output_review.review_queue_text(queue))
        reconciled, file_errors = queue.reconciled, queue.file_errors
    else:
        view = use_case.article_review(workspace, language.code, article, user=user)
        if as_json:
            click.echo(output.to_json(output_review.article_review_dict(view)))
        else:
            click.echo(output_review.article_review_text(view, shutil.get_terminal_size().columns))
        reconciled, file_errors = view.reconciled, view.file_errors
    code = render_reconciled(reconciled)
    if file_errors:
        click.echo(output.errors_text(file_errors), err=True)
        return EXIT_FAILED
    return code


@click.command()
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
    from i18n.cli import output, output_review  # lazy: start-up time
    from i18n.workflow import review as use_case  # lazy: start-up time

    report = use_case.approve(obj.workspace(), language.code, articles, entries=entries, reviewer=reviewer)
    for warning in report.warnings:
        click.echo(f"i18n: warning: {warning}", err=True)
    if as_json:
        click.echo(output.to_json(output_review.approval_dict(report)))
    elif obj.verbosity >= 0 or report.blocked:
        click.echo(output_review.approval_text(report))
    code = render_reconciled(report.reconciled)
    if report.refused:
        click.echo(f"i18n: not approved: {', '.join(report.refused)} (see the problems listed)", err=True)
        return EXIT_NOT_READY
    return code


@click.command()
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
    from i18n.cli import output, output_review  # lazy: start-up time
    from i18n.workflow import review as use_case  # lazy: start-up time

    report = use_case.reject(obj.workspace(), language.code, article, reason=reason, entries=entries, reviewer=reviewer)
    for warning in report.warnings:
        click.echo(f"i18n: warning: {warning}", err=True)
    if as_json:
        click.echo(output.to_json(output_review.rejection_dict(report)))
    elif obj.verbosity >= 0:
        click.echo(output_review.rejection_text(report))
    code = render_reconciled(report.reconciled)
    if not report.rejected:
        click.echo("i18n: nothing was rejected: the entries have no human translation to send back", err=True)
        return EXIT_NOT_READY
    return code


# -- assignments --------------------------------------------------------------------------------------------


@click.command()
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
    from i18n.cli import output, output_review  # lazy: start-up time
    from i18n.workflow.assignments import assign as run  # lazy: start-up time

    report = run(obj.workspace(), language.code, articles, translator=translator, reviewer=reviewer,
                 due=due, user=user)
    if as_json:
        click.echo(output.to_json(output_review.assign_dict(report)))
    elif obj.verbosity >= 0:
        click.echo(output_review.assign_text(report))
    return render_reconciled(report.reconciled)
