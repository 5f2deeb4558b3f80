"""``i18n assign``: who translates and who reviews which articles in a language, and by when.

An assignment is one row per article and language in the status tracker (``assignments``). Its due date
defaults to the article's date minus the schedule's lead time, ``[schedule] lead_days`` in ``i18n.toml``
(default 1: a translation is due the day before its article appears). ``i18n status --mine``, ``--due``
and ``--by article`` show assignments, and flag those past their due date and not approved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from i18n.core.errors import TrackerError, UsageError
from i18n.core.ids import resolve_article
from i18n.core.people import default_user, load_people
from i18n.core.schedule import load_schedule
from i18n.core.workspace import Workspace
from i18n.tracker.engine import open_tracker
from i18n.tracker.queries.dashboard import Assignment, article_dates, people_seen, save_assignment
from i18n.tracker.snapshot import database_url
from i18n.tracker.sql import utcnow
from i18n.workflow.reconcile import ReconcileReport, reconcile


@dataclass(frozen=True, slots=True)
class AssignReport:
    """What ``i18n assign`` recorded: one assignment per article, as it now stands in the tracker."""

    language: str
    assignments: tuple[Assignment, ...]
    reconciled: ReconcileReport


def assign(workspace: Workspace, language: str, articles: Sequence[str], *, translator: str,
           reviewer: str | None = None, due: dt.date | None = None, user: str | None = None,
           at: dt.datetime | None = None) -> AssignReport:
    """Assign ``articles`` in ``language`` to ``translator`` (and ``reviewer``), due by ``due``.

    Without ``due`` each article is due :meth:`Schedule.default_due` of its date. Reassigning replaces the
    translator and due date; a reviewer of ``None`` keeps the one already assigned. Every article must be
    known to the tracker (``i18n sync`` brings new ones); nothing is recorded unless all are.
    """
    code = workspace.settings.language(language).code
    schedule = load_schedule(workspace.settings)
    translator = translator.strip()
    reviewer = reviewer.strip() if reviewer is not None else None
    if not translator:
        raise UsageError("--translator needs a name, e.g. --translator \"Marta Puig\"")
    if reviewer == "":
        raise UsageError("--reviewer needs a name, e.g. --reviewer \"Jordi Vidal\"")
    ids = list(dict.fromkeys(resolve_article(article, refuse_ui="cannot be assigned") for article in articles))
    if not ids:
        raise UsageError("name at least one article to assign, e.g. i18n assign ca 2026-11-22-patching-up-the-heart")
    reconciled = reconcile(workspace, user=user)
    actor = default_user(user)
    at = at or utcnow()
    tracker = open_tracker(database_url(workspace))
    try:
        with tracker.transaction() as session:
            # One person, one name (i18n.core.people): as configured, else as first seen.
            known = load_people(workspace.settings).with_seen(people_seen(session))
            translator = known.display(translator)
            reviewer = known.display(reviewer) if reviewer is not None else None
            dates = article_dates(session, ids)
            unknown = [article for article in ids if article not in dates]
            if unknown:
                raise TrackerError(f"the tracker knows no article {', '.join(repr(a) for a in unknown)}",
                                   hint="'i18n status --by article' lists the articles; run 'i18n sync' for new ones")
            saved = []
            for article in ids:
                date = dates[article]
                when = due if due is not None else (schedule.default_due(date) if date is not None else None)
                saved.append(save_assignment(session, Assignment(article, code, translator, reviewer, when,
                                                                    actor, at)))
    finally:
        tracker.close()
    return AssignReport(code, tuple(saved), reconciled)
