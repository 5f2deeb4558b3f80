"""Rendering the review and assignment reports (``i18n review``, ``approve``, ``reject``, ``assign``) for
people (text) and for scripts (JSON). Nothing here decides anything; JSON keys are only ever added.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from i18n.cli.output import counts_dict, entry_count, error_dict, live_text, plural, reconcile_dict, stamp
from i18n.core.states import State

if TYPE_CHECKING:  # annotations only: each command imports just what it renders (start-up time)
    from i18n.workflow.assignments import AssignReport
    from i18n.workflow.review import ApprovalReport, ArticleReview, RejectionReport, ReviewQueue


# -- review, approve, reject ------------------------------------------------------------------------------


def review_queue_dict(queue: ReviewQueue) -> dict[str, Any]:
    """The JSON object of ``i18n review LANG``."""
    return {"language": queue.language, "today": queue.today.isoformat(), "articles": [{
        "article": item.article, "date": item.date.isoformat() if item.date else None, "days": item.days,
        "catalog": item.catalog,
        "entries": counts_dict(item.entries), "checks": {"error": item.errors, "warning": item.warnings,
                                                    "accepted": len(item.accepted)},
        "ready": item.ready, "problems": [p.as_dict() for p in item.problems],
        "live_since": stamp(item.live_since),
    } for item in queue.items], "reconciled": reconcile_dict(queue.reconciled),
        "errors": [error_dict(e) for e in queue.file_errors]}


def review_queue_text(queue: ReviewQueue) -> str:
    """The review queue for people: one line per article, then its problems."""
    if not queue.items:
        return f"{queue.language}: no article awaits review."
    articles = sum(1 for item in queue.items if item.date is not None)
    waiting = [plural(articles, "article")] if articles else []
    if articles < len(queue.items):
        waiting.insert(0, "the UI catalog (@ui)")
    lines = [f"{queue.language}: {' and '.join(waiting)} awaiting review, the next due first:"]
    for item in queue.items:
        to_review = item.entries[State.TRANSLATED]
        verdict = "ready" if item.ready else "blocked"
        when = item.date.isoformat() if item.date else "UI catalog"
        accepted = f", {len(item.accepted)} accepted" if item.accepted else ""
        lines.append(f"  {when}  {item.article}  {to_review}/{item.entries.total} to review  "
                     f"{plural(item.errors, 'error')}, {plural(item.warnings, 'warning')}{accepted}  {verdict}"
                     f"{live_text(item.live_since)}")
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
    lines = _wrap(f"{view.article} ({view.language}): {view.state.value}, {entry_count(len(view.entries))} "
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
        lines.append(f"{article} ({report.language}): approved {entry_count(done)} as {report.reviewer}"
                     + (f"; {before} already approved" if before else ""))
    for article in report.refused:
        blockers = [b for b in report.blocked if b.article == article]
        lines.append(f"{article} ({report.language}): not approved, {plural(len(blockers), 'problem')} block it:")
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
    lines = [f"{report.article} ({report.language}): {entry_count(len(report.rejected))} sent back as needs-work "
             f"in {report.catalog}, with the comment '# {report.comment}'"]
    lines += [f"  left alone: {s.entry} ({s.state.value}): {s.reason}" for s in report.skipped]
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
