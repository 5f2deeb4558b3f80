"""Rendering the publication reports (``i18n publish``, ``export``), the dashboard's JSON (``i18n report``)
and the morning job's (``i18n daily``) for people (text) and for scripts (JSON). Nothing here decides
anything; JSON keys are only ever added.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from i18n.cli.output import pretranslate_dict, pretranslate_text, reconcile_dict, sync_dict, sync_text
from i18n.mirrors.items import PublicationAction as Action

if TYPE_CHECKING:  # annotations only: each command imports just what it renders (start-up time)
    from i18n.workflow.daily import DailyReport
    from i18n.workflow.export import ExportReport
    from i18n.workflow.publish import PublishRun
    from i18n.workflow.report import Dashboard


# -- publish, export ---------------------------------------------------------------------------------------


def publish_text(run: PublishRun) -> str:
    """``i18n publish`` for people: per mirror, what changed and what is blocked, and why."""
    lines: list[str] = []
    for report in run.mirrors:
        def word(action: Action, dry_run: bool = report.dry_run) -> str:
            return action.dry_run_label if dry_run else action.value

        lines.append(f"{report.mirror} ({report.language}, {report.format.value}) as of {report.as_of}: "
                     f"{len(report.published)} {word(Action.PUBLISHED)}, {len(report.updated)} "
                     f"{word(Action.UPDATED)}, {len(report.withdrawn)} {word(Action.WITHDRAWN)}, "
                     f"{len(report.unchanged)} unchanged, {len(report.blocked)} blocked"
                     + (f", {len(report.kept)} kept" if report.kept else "") + f" -> {report.output}")
        special = set(report.restored) | set(report.rolled_back)
        for action, ids in ((Action.RESTORED, report.restored), (Action.ROLLED_BACK, report.rolled_back),
                            (Action.PUBLISHED, report.published), (Action.UPDATED, report.updated),
                            (Action.WITHDRAWN, report.withdrawn)):
            label = word(action)
            shown = ids if action in (Action.RESTORED, Action.ROLLED_BACK) else [a for a in ids if a not in special]
            lines.extend(f"  {label:<{max(10, len(label))}} {article}" for article in shown)
        for kept in report.kept:
            why = f"{kept.message} ({kept.reason.value}"
            if kept.entries:
                why += ": " + ", ".join(f"{e.key} {e.state}" for e in kept.entries[:6]) + (
                    " ..." if len(kept.entries) > 6 else "")
            lines.append(f"  {'kept':<10} {kept.article}  {why})")
        for blocked in report.blocked:
            why = blocked.reason.value
            if blocked.due is not None:
                why += f" (due {blocked.due})"
            if blocked.entries:
                why += ": " + ", ".join(f"{e.key} {e.state}" for e in blocked.entries[:6]) + (
                    " ..." if len(blocked.entries) > 6 else "")
            elif blocked.message:
                why += f": {blocked.message}"
            lines.append(f"  {'blocked':<10} {blocked.article}  {why}")
    return "\n".join(lines)


def export_text(report: ExportReport) -> str:
    """``i18n export`` for people: the files written, or the selection below the threshold."""
    if report.below:
        return "Nothing exported: " + "; ".join(f"{b.name} {b.percent:g}% approved" for b in report.below)
    lines = [f"Exported {report.language} ({report.format.value}) to {report.out}: "
             f"{report.entries} approved entries ({report.percent:g}% of the language approved)"]
    lines.extend(f"  {path}" for path in report.files)
    return "\n".join(lines)


# -- the dashboard and the daily run ------------------------------------------------------------------------


def dashboard_dict(dashboard: Dashboard, path: Any = None) -> dict[str, Any]:
    """The JSON object of ``i18n report --json``: every figure the dashboard shows (see workflow.md)."""
    from i18n.workflow.report import as_data  # lazy: workflow.report loads SQLAlchemy; only the dashboard needs it

    data = as_data(dashboard)
    data["report"] = None if path is None else str(path)
    data["reconciled"] = reconcile_dict(dashboard.reconciled)
    return data


def daily_dict(report: DailyReport) -> dict[str, Any]:
    """The JSON object of ``i18n daily`` (see workflow.md): each step's own JSON, the status and the summary."""
    return {
        "today": report.today.isoformat(),
        "status": report.status.value,
        "summary": report.summary(),
        "sync": None if report.sync is None else sync_dict(report.sync),
        "pretranslate": [pretranslate_dict(r) for r in report.pretranslated],
        "publish": None if report.published is None else report.published.to_json(),
        "blocked": list(report.blocked),
        "problems": list(report.problems),
        "notes": list(report.notes),
        "report": None if report.report_path is None else str(report.report_path),
        "log": None if report.log_path is None else str(report.log_path),
    }


def daily_text(report: DailyReport, verbose: bool = False) -> str:
    """``i18n daily`` for people: the summary paragraph, and with ``-v`` each step's own report after it."""
    lines = [report.summary()]
    if verbose:
        if report.sync is not None:
            lines += ["", sync_text(report.sync)]
        lines += ["", *(pretranslate_text(r) for r in report.pretranslated)]
        if report.published is not None:
            lines += ["", publish_text(report.published)]
    if report.log_path is not None:
        lines.append(f"(appended to {report.log_path})")
    return "\n".join(lines)
