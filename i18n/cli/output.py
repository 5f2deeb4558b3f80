"""Rendering reports for people (text) and for scripts (JSON). Nothing here decides anything.

JSON shapes are a documented interface (``workflow.md``, "JSON output"): keys are only ever added.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: each command imports just what it renders (`i18n status` stays cheap)
    from collections.abc import Sequence
    from pathlib import Path

    from i18n.catalogs.merge import MergeStats
    from i18n.content.checks import Check
    from i18n.core.errors import FileError, I18nError
    from i18n.machine.engines import EngineStatus
    from i18n.workflow.accept import AcceptReport
    from i18n.workflow.assignments import AssignReport
    from i18n.workflow.check import CheckReport
    from i18n.workflow.daily import DailyReport
    from i18n.workflow.export import ExportReport
    from i18n.workflow.history import HistoryReport
    from i18n.workflow.pretranslate import PretranslateReport
    from i18n.workflow.publish import PublishRun
    from i18n.workflow.reconcile import ReconcileReport
    from i18n.workflow.report import Dashboard
    from i18n.workflow.review import ApprovalReport, ArticleReview, RejectionReport, ReviewQueue
    from i18n.workflow.status import StatusReport
    from i18n.workflow.sync import SyncReport


def to_json(data: Any) -> str:
    """Stable, readable JSON text (UTF-8 characters kept as they are)."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def entry_stats_dict(stats: MergeStats) -> dict[str, int]:
    return {"kept": stats.kept, "typography": stats.typography, "fuzzy": stats.fuzzy, "new": stats.new,
            "obsolete": stats.obsolete}


def error_dict(error: FileError) -> dict[str, Any]:
    return {"file": error.file, "line": error.line, "message": error.message, "hint": error.hint}


def fatal_error_text(error: I18nError, root: Path | None = None) -> str:
    """``file:line: message (hint)`` of an error that stopped a command, the file relative to ``root``."""
    from i18n.core.errors import FileError

    return str(FileError.of(error, root)) if error.path is not None else str(error)


def fatal_error_dict(error: I18nError, root: Path | None = None) -> dict[str, Any]:
    """The one object ``--json`` prints when a command stops on an error: ``{"error": {...}}``.

    ``code`` names the kind of error (the class without ``Error``, in kebab case: ``config``,
    ``engine-auth``, ``source``, ``workspace-not-found``); ``path`` and ``line`` are ``null`` when the
    error is in no file.
    """
    from i18n.core.errors import relative_to

    name = type(error).__name__.removesuffix("Error") or "i18n"
    code = re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()
    path = relative_to(error.path, root) if error.path is not None else None
    return {"error": {"code": code, "message": error.message, "path": path, "line": error.line,
                      "hint": error.hint}}


def sync_dict(report: SyncReport) -> dict[str, Any]:
    """The JSON object of ``extract``, ``update`` and ``sync``."""
    extract = report.extract
    return {
        "dry_run": report.dry_run,
        "articles": None if extract is None else {
            "new": list(extract.new), "changed": list(extract.changed), "removed": list(extract.removed),
            "ignored": list(extract.ignored),
        },
        "templates": None if extract is None else {
            "written": extract.templates_written, "unchanged": extract.templates_unchanged,
            "entries_added": extract.entries_added, "entries_removed": extract.entries_removed,
            "ui_changed": extract.ui_changed,
        },
        "languages": [
            {
                "language": lang.language,
                "catalogs": {"created": list(lang.created), "updated": list(lang.updated),
                             "unchanged": lang.unchanged},
                "entries": entry_stats_dict(lang.entries),
                "converted": [{"path": path, "charset": charset} for path, charset in lang.converted],
            }
            for lang in report.languages
        ],
        "errors": [error_dict(e) for e in report.errors],
    }


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def sync_text(report: SyncReport, verbose: bool = False) -> str:
    """A short summary for people: what changed, per language."""
    lines: list[str] = []
    would = "would be " if report.dry_run else ""
    extract = report.extract
    if extract is not None:
        lines.append(
            f"Articles: {len(extract.new)} new, {len(extract.changed)} changed, {len(extract.removed)} removed"
            f" ({_plural(extract.templates_written, 'template')} {would}written, "
            f"{extract.templates_unchanged} unchanged; entries +{extract.entries_added} -{extract.entries_removed})"
        )
        if extract.ui_changed:
            lines.append(f"UI strings: messages.pot {would}updated")
        if verbose:
            lines += [f"  new      {a}" for a in extract.new]
            lines += [f"  changed  {a}" for a in extract.changed]
            lines += [f"  removed  {a}" for a in extract.removed]
    for lang in report.languages:
        e = lang.entries
        lines.append(
            f"{lang.language}: {_plural(len(lang.created), 'catalog')} {would}created, {len(lang.updated)} "
            f"{would}updated, {lang.unchanged} unchanged; entries: {e.new} new, {e.fuzzy} fuzzy (source "
            f"changed), {e.typography} typography-only, {e.obsolete} obsolete"
        )
        if verbose:
            lines += [f"  created  {p}" for p in lang.created]
            lines += [f"  updated  {p}" for p in lang.updated]
    if report.dry_run:
        lines.append("Dry run: nothing was written.")
    return "\n".join(lines)


def sync_notices(report: SyncReport) -> list[str]:
    """Notes for stderr: files in the content folder that are not articles (one line), and per language at
    most one each: catalogs that keep their own plural rule, catalogs converted to UTF-8."""
    from i18n.core.languages import parse_language

    lines: list[str] = []
    ignored = report.extract.ignored if report.extract is not None else ()
    if ignored:
        shown = ", ".join(ignored[:5]) + (f" and {len(ignored) - 5} more" if len(ignored) > 5 else "")
        one = len(ignored) == 1
        lines.append(f"i18n: note: {_plural(len(ignored), 'file')} in the content folder "
                     f"{'is not an article and was' if one else 'are not articles and were'} ignored: {shown} "
                     "(articles are <yyyy>/<yyyy-mm-dd>-<slug>.md)")
    for lang in report.languages:
        kept = lang.entries.own_plural_rule
        if kept:
            rule = parse_language(lang.language).plural_forms
            lines.append(
                f"i18n: note: {lang.language}: {_plural(kept, 'catalog')} {'keeps' if kept == 1 else 'keep'} its own "
                f"Plural-Forms header, not the rule new {lang.language} catalogs get ({rule}); their plural "
                "entries are merged and checked against their own header (see workflow.md, 'Plural forms')")
        if lang.converted:
            listed = ", ".join(f"{path} ({charset})" for path, charset in lang.converted)
            lines.append(f"i18n: note: {lang.language}: {_plural(len(lang.converted), 'catalog')} not in UTF-8, "
                         f"read in the charset its header declares and written back in UTF-8: {listed}")
    return lines


def errors_text(errors: tuple[FileError, ...]) -> str:
    """The files that failed, one per line, for stderr."""
    verb = "was" if len(errors) == 1 else "were"
    head = f"{_plural(len(errors), 'file')} could not be processed and {verb} left untouched:"
    return "\n".join([head, *(f"  {e}" for e in errors)])


# -- status tracker: status, log, db ------------------------------------------------------------------------

def _status_types() -> Any:
    from i18n.workflow import status

    return status


def counts_dict(counts: Any) -> dict[str, int]:
    """``{"untranslated": n, "machine": n, "needs-work": n, "translated": n, "approved": n}``."""
    return {state.value: count for state, count in counts.items()}


def reconcile_dict(report: ReconcileReport) -> dict[str, Any]:
    """What reconciliation did before a report was made."""
    return {
        "checked": report.checked, "read": report.read, "catalogs": report.catalogs, "changes": report.changes,
        "edits": report.edits, "created": report.created, "rebuilt": report.rebuilt,
        "stale": [{"catalog": s.catalog, "line": s.line, "language": s.language, "article": s.article,
                   "old_source": s.old_source, "kept_as": "needs-work" if s.kept else "obsolete"}
                  for s in report.stale],
        "errors": [error_dict(e) for e in report.errors],
        "behind": list(report.behind),
    }


def _article_dict(item: Any) -> dict[str, Any]:
    return {"article": item.article, "date": item.date.isoformat(), "language": item.language,
            "state": item.state.value, "entries": counts_dict(item.entries), "catalog": item.catalog,
            "days": item.days, "assignment": _assigned_dict(item.assignment), "accepted": item.accepted,
            "published_at": _stamp(item.published_at), "live_is_older": item.live_is_older}


def _stamp(at: Any) -> str | None:
    """A tracker timestamp (UTC) as ISO 8601, to the minute."""
    return at.strftime("%Y-%m-%dT%H:%MZ") if at is not None else None


def _live_text(at: Any) -> str:
    """The note that a mirror still serves an older version, published at ``at``."""
    return f"  [live: the version published {at.strftime('%Y-%m-%d')}, older]" if at is not None else ""


def _assigned_dict(assigned: Any) -> dict[str, Any] | None:
    """``{"translator", "reviewer", "due", "overdue"}`` of an article row, or ``None`` if nobody is assigned."""
    if assigned is None:
        return None
    return {"translator": assigned.translator, "reviewer": assigned.reviewer,
            "due": assigned.due.isoformat() if assigned.due else None, "overdue": assigned.overdue}


def _assigned_text(assigned: Any) -> str:
    if assigned is None:
        return ""
    people = f"translator {assigned.translator or '-'}, reviewer {assigned.reviewer or '-'}"
    due = f", due {assigned.due.isoformat()}" if assigned.due else ""
    return f"  [{people}{due}{' OVERDUE' if assigned.overdue else ''}]"


def _assigned_cells(assigned: Any) -> list[Any]:
    if assigned is None:
        return ["", "", "", ""]
    return [assigned.translator or "", assigned.reviewer or "", assigned.due.isoformat() if assigned.due else "",
            "yes" if assigned.overdue else "no"]


def status_dict(report: StatusReport) -> dict[str, Any]:
    """The JSON object of ``i18n status`` (its shape depends on ``--by`` and ``--due``; see workflow.md)."""
    View = _status_types().View
    data: dict[str, Any]
    if report.view is View.LANGUAGES:
        data = {"languages": [{
            "language": lang.language, "entries": counts_dict(lang.entries), "words": counts_dict(lang.words),
            "articles": {"total": lang.articles_total, "approved": lang.articles_approved,
                         "published": lang.articles_published},
            "percent_approved": lang.percent_approved,
        } for lang in report.languages]}
    elif report.view is View.ARTICLES:
        data = {"articles": [_article_dict(a) for a in report.articles]}
    elif report.view is View.TRANSLATORS:
        data = {"translators": [{
            "translator": t.translator,
            "translated": {"last_7_days": t.translated_7, "last_30_days": t.translated_30},
            "approved": {"last_7_days": t.approved_7, "last_30_days": t.approved_30},
        } for t in report.translators]}
    elif report.view is View.MINE:
        data = {"today": report.today.isoformat(), "person": report.person,
                "assignments": [_article_dict(a) for a in report.assignments]}
    else:
        data = {"today": report.today.isoformat(), "days": report.due_days,
                "due": [_article_dict(a) for a in report.due],
                "overdue": [_article_dict(a) for a in report.overdue]}
    data["reconciled"] = reconcile_dict(report.reconciled)
    return data


def status_csv(report: StatusReport) -> str:
    """``i18n status --csv``: one row per language, article, translator or due article."""
    import csv
    import io

    from i18n.core.states import State

    View = _status_types().View
    states = [s.value for s in State]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if report.view is View.LANGUAGES:
        writer.writerow(["language", *states, *(f"words_{s}" for s in states), "articles_total",
                         "articles_approved", "articles_published", "percent_approved"])
        for lang in report.languages:
            writer.writerow([lang.language, *lang.entries.values, *lang.words.values, lang.articles_total,
                             lang.articles_approved, lang.articles_published, lang.percent_approved])
    elif report.view is View.TRANSLATORS:
        writer.writerow(["translator", "translated_last_7_days", "translated_last_30_days",
                         "approved_last_7_days", "approved_last_30_days"])
        for t in report.translators:
            writer.writerow([t.translator, t.translated_7, t.translated_30, t.approved_7, t.approved_30])
    else:
        due = report.view is View.DUE
        writer.writerow([*(["due"] if due else []), "article", "date", "language", "state", *states, "catalog",
                         "days", "translator", "reviewer", "assignment_due", "assignment_overdue"])
        rows = ([("due", a) for a in report.due] + [("overdue", a) for a in report.overdue] if due
                else [("", a) for a in report.assignments] if report.view is View.MINE
                else [("", a) for a in report.articles])
        for kind, a in rows:
            writer.writerow([*([kind] if due else []), a.article, a.date.isoformat(), a.language, a.state.value,
                             *a.entries.values, a.catalog, a.days, *_assigned_cells(a.assignment)])
    return buffer.getvalue().rstrip("\n")


def _counts_text(counts: Any) -> str:
    return ", ".join(f"{n} {state.value}" for state, n in counts.items() if n) or "none"


def status_text(report: StatusReport) -> str:
    """``i18n status`` for people."""
    View = _status_types().View
    lines: list[str] = []
    if report.view is View.LANGUAGES:
        for lang in report.languages:
            lines.append(f"{lang.language}: {lang.percent_approved:g}% approved; "
                         f"articles {lang.articles_approved}/{lang.articles_total} approved, "
                         f"{lang.articles_published} published")
            lines.append(f"  entries: {_counts_text(lang.entries)}")
            lines.append(f"  words:   {_counts_text(lang.words)}")
    elif report.view is View.ARTICLES:
        for a in report.articles:
            accepted = f"  {a.accepted} accepted" if a.accepted else ""
            live = _live_text(a.published_at if a.live_is_older else None)
            lines.append(f"{a.date.isoformat()}  {a.article}  {a.language}  {a.state.value:<12}  "
                         f"{_counts_text(a.entries)}{accepted}  ({a.catalog}){_assigned_text(a.assignment)}{live}")
    elif report.view is View.TRANSLATORS:
        if not report.translators:
            lines.append("Nobody translated or approved anything in the last 30 days.")
        for t in report.translators:
            lines.append(f"{t.translator}: translated {t.translated_7} (7 days), {t.translated_30} (30 days); "
                         f"approved {t.approved_7} (7 days), {t.approved_30} (30 days)")
    elif report.view is View.MINE:
        # the rows of this view are the person's assignments: each has one
        mine = [(a, a.assignment) for a in report.assignments if a.assignment is not None]
        late = sum(1 for _, assigned in mine if assigned.overdue)
        lines.append(f"Assigned to {report.person}: {_plural(len(mine), 'article translation')}; overdue: {late}")
        for a, assigned in mine:
            role = "translate" if assigned.translator == report.person else "review"
            if role == "translate" and assigned.reviewer == report.person:
                role = "translate, review"
            due = assigned.due.isoformat() if assigned.due else "no due date"
            flag = "  OVERDUE" if assigned.overdue else ""
            lines.append(f"  due {due}  {a.article}  {a.language}  {a.state.value}  ({role}){flag}")
    else:
        lines.append(f"Due within {_plural(report.due_days or 0, 'day')} of {report.today.isoformat()}: "
                     f"{_plural(len(report.due), 'article translation')}; overdue: {len(report.overdue)}")
        for label, items in (("due", report.due), ("overdue", report.overdue)):
            for a in items:
                lines.append(f"  {label:<8} {a.date.isoformat()}  {a.article}  {a.language}  {a.state.value}  "
                             f"({a.catalog}){_assigned_text(a.assignment)}")
    return "\n".join(lines)


def reconcile_notices(report: ReconcileReport) -> list[str]:
    """Warnings about reconciliation, for stderr: a rebuilt tracker, edits against an older template."""
    lines: list[str] = []
    if report.rebuilt:
        lines.append("i18n: warning: the status tracker (.i18n/tracker.sqlite3) was missing and has been rebuilt "
                     "from the PO files: states are back, but approvals and history from before are lost "
                     "(restore a backup with 'i18n db import FILE --replace')")
    elif report.created:
        lines.append("i18n: created the status tracker .i18n/tracker.sqlite3 from the PO files")
    for s in report.stale:
        kept = "kept as needs-work with the old source shown" if s.kept else "kept as an obsolete (#~) entry"
        lines.append(f"i18n: {s.catalog}:{s.line}: translated against an older template (source: "
                     f"{s.old_source[:60]!r}); {kept}: review it")
    for catalog in report.behind:
        lines.append(f"i18n: warning: {catalog}: holds older translations than the tracker (another clone "
                     "recorded newer ones); they were not recorded back: pull (git pull) to get the newer ones")
    return lines


def history_dict(report: HistoryReport) -> dict[str, Any]:
    """The JSON object of ``i18n log``."""
    return {"article": report.article, "language": report.language, "history": [{
        "at": r.at.isoformat(timespec="seconds") + "Z", "language": r.language, "entry": r.key, "actor": r.actor,
        "reason": r.reason, "before": r.before.value if r.before else None, "after": r.after.value,
    } for r in report.records], "publications": [{
        "at": p.at.isoformat(timespec="seconds") + "Z", "mirror": p.mirror, "language": p.language,
        "action": p.action, "version": p.version, "actor": p.actor,
    } for p in report.publications], "versions": [v.to_json() for v in report.versions]}


def history_text(report: HistoryReport) -> str:
    """``i18n log`` for people."""
    lines = [
        f"{r.at.strftime('%Y-%m-%d %H:%M')}  {r.language}  {r.key:<16} "
        f"{(r.before.value if r.before else '-'):>12} -> {r.after.value:<12} {r.reason:<7} {r.actor}"
        for r in report.records] or [f"No state changes recorded for {report.article}."]
    if report.publications:
        lines.append("Publications:")
        lines.extend(f"{p.at.strftime('%Y-%m-%d %H:%M')}  {p.language}  {p.mirror:<16} {p.action:<9} "
                     f"{p.version or '-':<16} {p.actor}" for p in report.publications)
    if report.versions:
        lines.append("Versions kept on the mirrors (i18n publish --rollback ARTICLE --to VERSION):")
        lines.extend(f"{v.published_at.strftime('%Y-%m-%d %H:%M')}  {v.mirror:<16} {v.version:<16}"
                     + ("  live" if v.live else "") for v in report.versions)
    return "\n".join(lines)


# -- check -------------------------------------------------------------------------------------------------


def check_dict(report: CheckReport) -> dict[str, Any]:
    """The JSON object of ``i18n check``."""
    return {
        "languages": list(report.languages), "catalogs": report.catalogs, "entries": report.entries,
        "counts": {"error": len(report.errors), "warning": len(report.warnings), "accepted": len(report.accepted)},
        "problems": [p.as_dict() for p in report.problems],
        "accepted": [a.as_dict() for a in report.accepted],
        "errors": [error_dict(e) for e in report.file_errors],
    }


def check_text(report: CheckReport) -> str:
    """Every problem as ``file:line: severity [code] entry: message``, then a summary line."""
    lines = [f"{p.location}: {p.severity.value} [{p.code}] {p.entry}: {p.message}" for p in report.problems]
    accepted = f", {len(report.accepted)} accepted" if report.accepted else ""
    lines.append(f"Checked {_entries(report.entries)} in {_plural(report.catalogs, 'catalog')}: "
                 f"{_plural(len(report.errors), 'error')}, {_plural(len(report.warnings), 'warning')}{accepted}.")
    return "\n".join(lines)


def checks_list(checks: Sequence[Check]) -> list[dict[str, str]]:
    """The JSON array of ``i18n check --list --json``: each check's code, default severity and description."""
    return [{"code": c.code.value, "severity": c.severity.value, "description": c.catches} for c in checks]


def checks_list_text(checks: Sequence[Check]) -> str:
    """One line per check: code, default severity, what it catches."""
    width = max(len(c.code) for c in checks)
    return "\n".join(f"{c.code:<{width}}  {c.severity.value:<7}  {c.catches}" for c in checks)


def accept_text(report: AcceptReport) -> str:
    """What ``check --accept`` recorded, one line per accepted finding."""
    return "\n".join(f"{a.file}:{a.line}: accepted [{a.code}] {a.entry} ({report.reviewer}: {report.reason})"
                     for a in report.accepted)


# -- pretranslate and engines ------------------------------------------------------------------------------


def pretranslate_dict(report: PretranslateReport) -> dict[str, Any]:
    """The JSON object of ``i18n pretranslate`` (see workflow.md)."""
    import dataclasses

    data = dataclasses.asdict(report)
    data["status"] = report.status
    return data


def pretranslate_text(report: PretranslateReport) -> str:
    """A summary: what was (or would be) sent, per engine, and what was drafted."""
    verb = "Would send" if report.dry_run else "Sent"
    lines = [f"{report.language}: {verb} {_entries(report.entries)} ({_plural(report.characters, 'character')}, "
             f"{_plural(report.words, 'word')}) to the engines"]
    for engine in report.engines:
        lines.append(f"  {engine.engine}: {_entries(engine.entries)}, {_plural(engine.characters, 'character')}, "
                     f"{_plural(engine.words, 'word')}, {_plural(engine.requests, 'request')}")
    if not report.dry_run:
        lines.append(f"Drafted {_entries(report.drafted)} ({report.from_memory} from the translation memory, "
                     f"{report.from_cache} from the draft cache); {report.near_matches} near "
                     f"{'match' if report.near_matches == 1 else 'matches'} offered; "
                     f"{report.skipped} left for a later run; "
                     f"{_plural(len(report.written), 'catalog')} written")
    lines += [f"Note: {note}" for note in report.notes]
    return "\n".join(lines)


def engines_dict(statuses: Sequence[EngineStatus]) -> list[dict[str, Any]]:
    """The JSON list of ``i18n engines``."""
    import dataclasses

    return [dataclasses.asdict(s) for s in statuses]


def engines_text(statuses: Sequence[EngineStatus]) -> str:
    """One line per engine: usable or not, and why."""
    lines = []
    for s in statuses:
        mark = "usable" if s.usable else "not usable"
        where = f" for {', '.join(s.languages)}" if s.languages else ""
        configured = "configured" + where if s.configured else "not configured"
        lines.append(f"{s.engine:15} {mark:11} {configured}" + (f" ({s.reason})" if s.reason else ""))
    return "\n".join(lines)


# -- assign and report -------------------------------------------------------------------------------------


def assignment_dict(a: Any) -> dict[str, Any]:
    """One assignment as JSON."""
    return {"article": a.article, "language": a.language, "translator": a.translator, "reviewer": a.reviewer,
            "due": a.due.isoformat() if a.due else None, "assigned_by": a.assigned_by,
            "assigned_at": a.assigned_at.isoformat(timespec="seconds") + "Z"}


def assign_dict(report: AssignReport) -> dict[str, Any]:
    """The JSON object of ``i18n assign``."""
    return {"language": report.language, "assignments": [assignment_dict(a) for a in report.assignments],
            "reconciled": reconcile_dict(report.reconciled)}


def assign_text(report: AssignReport) -> str:
    """One line per assignment."""
    return "\n".join(
        f"{a.article} ({a.language}): translator {a.translator}, reviewer {a.reviewer or '-'}, "
        f"due {a.due.isoformat() if a.due else '-'}" for a in report.assignments)


def dashboard_dict(dashboard: Dashboard, path: Any = None) -> dict[str, Any]:
    """The JSON object of ``i18n report --json``: every figure the dashboard shows (see workflow.md)."""
    from i18n.workflow.report import as_data

    data = as_data(dashboard)
    data["report"] = None if path is None else str(path)
    data["reconciled"] = reconcile_dict(dashboard.reconciled)
    return data


# -- review, approve, reject ------------------------------------------------------------------------------


def review_queue_dict(queue: ReviewQueue) -> dict[str, Any]:
    """The JSON object of ``i18n review LANG``."""
    return {"language": queue.language, "today": queue.today.isoformat(), "articles": [{
        "article": item.article, "date": item.date.isoformat() if item.date else None, "days": item.days,
        "catalog": item.catalog,
        "entries": counts_dict(item.entries), "checks": {"error": item.errors, "warning": item.warnings,
                                                    "accepted": len(item.accepted)},
        "ready": item.ready, "problems": [p.as_dict() for p in item.problems],
        "live_since": _stamp(item.live_since),
    } for item in queue.items], "reconciled": reconcile_dict(queue.reconciled),
        "errors": [error_dict(e) for e in queue.file_errors]}


def review_queue_text(queue: ReviewQueue) -> str:
    """The review queue for people: one line per article, then its problems."""
    from i18n.core.states import State

    if not queue.items:
        return f"{queue.language}: no article awaits review."
    articles = sum(1 for item in queue.items if item.date is not None)
    waiting = [_plural(articles, "article")] if articles else []
    if articles < len(queue.items):
        waiting.insert(0, "the UI catalog (@ui)")
    lines = [f"{queue.language}: {' and '.join(waiting)} awaiting review, the next due first:"]
    for item in queue.items:
        to_review = item.entries[State.TRANSLATED]
        verdict = "ready" if item.ready else "blocked"
        when = item.date.isoformat() if item.date else "UI catalog"
        accepted = f", {len(item.accepted)} accepted" if item.accepted else ""
        lines.append(f"  {when}  {item.article}  {to_review}/{item.entries.total} to review  "
                     f"{_plural(item.errors, 'error')}, {_plural(item.warnings, 'warning')}{accepted}  {verdict}"
                     f"{_live_text(item.live_since)}")
        lines += [f"    {p.location}: {p.severity.value} [{p.code}] {p.entry}: {p.message}" for p in item.problems]
    return "\n".join(lines)


def _diff_dict(draft: Any) -> dict[str, Any] | None:
    if draft is None:
        return None
    return {"engine": draft.engine, "draft": draft.draft, "unchanged": draft.unchanged,
            "diff": [{"op": piece.op.value, "text": piece.text} for piece in draft.diff]}


def article_review_dict(view: ArticleReview) -> dict[str, Any]:
    """The JSON object of ``i18n review LANG ARTICLE``."""
    return {"article": view.article, "language": view.language, "catalog": view.catalog,
            "state": view.state.value, "entries": [{
                "entry": e.key, "line": e.line, "state": e.state.value, "source": e.source,
                "translation": e.translation, "previous_source": e.previous_source,
                "approved_translation": e.approved_translation, "approved_by": e.approved_by,
                "machine": _diff_dict(e.draft), "problems": [p.as_dict() for p in e.problems],
                "accepted": [{"code": a.code.value, "reason": a.reason, "by": a.by} for a in e.accepted],
            } for e in view.entries], "reconciled": reconcile_dict(view.reconciled),
            "errors": [error_dict(e) for e in view.file_errors]}


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += textwrap.wrap(paragraph, width, break_long_words=True, break_on_hyphens=False,
                               drop_whitespace=True) or [""]
    return lines


def _side_by_side(left: str, right: str, width: int) -> list[str]:
    column = max(20, (width - 3) // 2)
    a, b = _wrap(left, column), _wrap(right, column)
    a += [""] * (len(b) - len(a))
    b += [""] * (len(a) - len(b))
    return [f"{x:<{column}} │ {y}".rstrip() for x, y in zip(a, b, strict=True)]


def _diff_text(draft: Any) -> str:
    """A word diff as ``[-removed-]{+added+}`` (wdiff's notation)."""
    marks = {"equal": ("", ""), "delete": ("[-", "-]"), "insert": ("{+", "+}")}
    return "".join(f"{marks[p.op.value][0]}{p.text}{marks[p.op.value][1]}" for p in draft.diff)


def article_review_text(view: ArticleReview, width: int = 100) -> str:
    """Each entry's source and translation side by side, wrapped to ``width`` columns, with its state,
    check problems, previous source, approved text on record and the diff against its machine draft."""
    width = max(width, 43)
    rule = "─" * width
    lines = _wrap(f"{view.article} ({view.language}): {view.state.value}, {_entries(len(view.entries))} "
                  f"({view.catalog})", width)
    lines += _side_by_side("source", "translation", width)
    for e in view.entries:
        where = f"{view.catalog}:{e.line}" if e.line else view.catalog
        lines += [rule, *_wrap(f"{e.key}  {e.state.value}  {where}", width)]
        lines += _side_by_side(e.source, e.translation or "(untranslated)", width)
        if e.previous_source is not None:
            lines += _wrap(f"previous source: {e.previous_source}", width)
        if e.approved_translation is not None:
            lines += _wrap(f"approved before (by {e.approved_by}): {e.approved_translation}", width)
        if e.draft is not None:
            change = "accepted as drafted" if e.draft.unchanged else _diff_text(e.draft)
            lines += _wrap(f"vs machine draft ({e.draft.engine}): {change}", width)
        for p in e.problems:
            lines += _wrap(f"{p.severity.value} [{p.code}]: {p.message}", width)
        for a in e.accepted:
            lines += _wrap(f"accepted [{a.code}]" + (f" by {a.by}" if a.by else "") + f": {a.reason}", width)
    return "\n".join(lines)


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


def _blocker_dict(b: Any) -> dict[str, Any]:
    return {"article": b.article, "entry": b.entry, "state": b.state.value, "code": b.code, "message": b.message,
            "file": b.file, "line": b.line}


def _reviewed_dict(r: Any) -> dict[str, Any]:
    return {"article": r.article, "entry": r.entry, "state": r.state.value, "file": r.file, "line": r.line}


def approval_dict(report: ApprovalReport) -> dict[str, Any]:
    """The JSON object of ``i18n approve``."""
    return {"language": report.language, "reviewer": report.reviewer,
            "approved": [_reviewed_dict(r) for r in report.approved],
            "already_approved": [_reviewed_dict(r) for r in report.already_approved],
            "refused": list(report.refused), "blocked": [_blocker_dict(b) for b in report.blocked],
            "reconciled": reconcile_dict(report.reconciled)}


def approval_text(report: ApprovalReport) -> str:
    """What was approved, per article, and what blocks the refused articles."""
    lines: list[str] = []
    articles = dict.fromkeys([r.article for r in (*report.approved, *report.already_approved)])
    for article in articles:
        done = sum(1 for r in report.approved if r.article == article)
        before = sum(1 for r in report.already_approved if r.article == article)
        lines.append(f"{article} ({report.language}): approved {_entries(done)} as {report.reviewer}"
                     + (f"; {before} already approved" if before else ""))
    for article in report.refused:
        blockers = [b for b in report.blocked if b.article == article]
        lines.append(f"{article} ({report.language}): not approved, {_plural(len(blockers), 'problem')} block it:")
        lines += [f"  {b.location}: {b.entry}: {b.code or b.state.value}: {b.message}" for b in blockers]
    if not lines:
        lines.append("Nothing to approve.")
    return "\n".join(lines)


def rejection_dict(report: RejectionReport) -> dict[str, Any]:
    """The JSON object of ``i18n reject``."""
    return {"language": report.language, "article": report.article, "reviewer": report.reviewer,
            "comment": report.comment, "catalog": report.catalog,
            "rejected": [_reviewed_dict(r) for r in report.rejected],
            "skipped": [{"entry": s.entry, "state": s.state.value, "reason": s.reason} for s in report.skipped],
            "reconciled": reconcile_dict(report.reconciled)}


def rejection_text(report: RejectionReport) -> str:
    """The entries sent back, and those left alone."""
    lines = [f"{report.article} ({report.language}): {_entries(len(report.rejected))} sent back as needs-work "
             f"in {report.catalog}, with the comment '# {report.comment}'"]
    lines += [f"  left alone: {s.entry} ({s.state.value}): {s.reason}" for s in report.skipped]
    return "\n".join(lines)


# -- publish, export ---------------------------------------------------------------------------------------


def publish_text(run: PublishRun) -> str:
    """``i18n publish`` for people: per mirror, what changed and what is blocked, and why."""
    from i18n.mirrors.items import PublicationAction as Action

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


# -- the daily run -----------------------------------------------------------------------------------------


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
