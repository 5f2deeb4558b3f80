"""``i18n report``: the coordinator's dashboard: what is due, who is on it, what is stuck, and does the
machine translation help.

Every figure is computed once, here (:func:`dashboard`), from the status tracker, and rendered twice: as a
static HTML page (:mod:`i18n.cli.report_html`, ``i18n report``) and as JSON (:func:`as_data`,
``i18n report --json``). Progress per language, the schedule's article states and the per-person counts
come from the same code as ``i18n status`` (:mod:`i18n.workflow.status`), so the page's totals are exactly those
of ``i18n status --json``; the burn-up, reviews, turnaround and machine-translation figures come from
the tracker's history, approvals, publication log and machine drafts; the failing checks from
:func:`i18n.workflow.check.check` over the catalogs.
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from i18n.core import clock
from i18n.core.schedule import Schedule, load_schedule
from i18n.core.states import State
from i18n.core.workspace import Workspace
from i18n.machine.postedit import chrf, edit_distance
from i18n.tracker.engine import open_tracker
from i18n.tracker.queries.dashboard import Activity, EntryEvent, Turnaround, article_sizes, entry_events
from i18n.tracker.queries.dashboard import reviews as tracked_reviews
from i18n.tracker.queries.dashboard import turnarounds as tracked_turnarounds
from i18n.tracker.queries.drafts import DraftOutcome, machine_draft_outcomes
from i18n.tracker.queries.publishing import PublicationRecord, publication_events
from i18n.tracker.snapshot import database_url
from i18n.tracker.sql import utcnow
from i18n.workflow.check import Problem, check
from i18n.workflow.reconcile import ReconcileReport, reconcile
from i18n.workflow.status import (
    ArticleStatus,
    Counts,
    LanguageStatus,
    TranslatorStatus,
    article_statuses,
    language_statuses,
    reading,
    translator_statuses,
)

#: How many days the burn-up covers (ending today).
BURNUP_DAYS = 30
#: The schedule lists articles dated this many days before and after today (and every late assignment).
SCHEDULE_DAYS_BEFORE = 14
SCHEDULE_DAYS_AFTER = 14
#: How many of the most frequent failing checks are shown.
TOP_CHECKS = 10


@dataclass(frozen=True, slots=True)
class BurnPoint:
    """One day of the burn-up: articles dated up to that day, and how many were approved and published."""

    day: dt.date
    scope: int
    approved: int
    published: int


@dataclass(frozen=True, slots=True)
class Burnup:
    """A language's burn-up, one point per day, oldest first."""

    language: str
    points: tuple[BurnPoint, ...]


@dataclass(frozen=True, slots=True)
class ScheduleItem:
    """An article in one language on the schedule: its status (and assignment), due date and lateness."""

    status: ArticleStatus
    due: dt.date
    """The assignment's due date, else the article's date minus ``[schedule] lead_days``."""
    late: bool
    """Not approved, and the due date has passed."""

    @property
    def percent_translated(self) -> float:
        """Share of entries translated or approved (what is left is review), 0–100."""
        total = self.status.entries.total
        done = self.status.entries[State.TRANSLATED] + self.status.entries[State.APPROVED]
        return 100.0 if total == 0 else round(100.0 * done / total, 1)

    @property
    def percent_approved(self) -> float:
        total = self.status.entries.total
        return 100.0 if total == 0 else round(100.0 * self.status.entries[State.APPROVED] / total, 1)


@dataclass(frozen=True, slots=True)
class Person:
    """What one person did lately: entries translated, reviewed (approved or rejected) and approved."""

    name: str
    translated_7: int
    translated_30: int
    reviewed_7: int
    reviewed_30: int
    approved_7: int
    approved_30: int


@dataclass(frozen=True, slots=True)
class TurnaroundStat:
    """Review turnaround in one language: time from an entry's becoming ``translated`` to its approval."""

    language: str
    approvals: int
    median_hours: float
    mean_hours: float


@dataclass(frozen=True, slots=True)
class EngineStat:
    """What became of one engine's drafts in one language.

    ``settled``: drafts a person has since made ``translated`` or ``approved``; ``accepted``: of those, the
    ones left exactly as drafted. The distances compare each draft with its approved translation (or the
    draft itself when it was accepted), over the ``measured`` drafts that have one.
    """

    engine: str
    language: str
    drafts: int
    settled: int
    accepted: int
    measured: int
    mean_edit_distance: float | None
    mean_chrf: float | None

    @property
    def percent_accepted(self) -> float | None:
        """Share of settled drafts accepted unchanged, 0–100 (``None`` while none is settled)."""
        return None if self.settled == 0 else round(100.0 * self.accepted / self.settled, 1)


@dataclass(frozen=True, slots=True)
class CheckStat:
    """A check that fails, how often, and in which languages."""

    code: str
    severity: str
    count: int
    languages: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything ``i18n report`` shows."""

    project: str
    today: dt.date
    generated_at: dt.datetime
    lead_days: int
    languages: tuple[LanguageStatus, ...]
    burnup: tuple[Burnup, ...]
    schedule: tuple[ScheduleItem, ...]
    people: tuple[Person, ...]
    turnaround: tuple[TurnaroundStat, ...]
    machine: tuple[EngineStat, ...]
    checks: tuple[CheckStat, ...]
    checked_entries: int
    failed_checks: int
    """All failing checks (every code, not only the most frequent)."""
    reconciled: ReconcileReport = field(default_factory=ReconcileReport)


def dashboard(workspace: Workspace, *, today: dt.date | None = None, now: dt.datetime | None = None,
              user: str | None = None) -> Dashboard:
    """Reconcile, then gather every figure of the dashboard for every configured language."""
    schedule = load_schedule(workspace.settings)
    codes = tuple(lang.code for lang in workspace.settings.languages)
    now = now or utcnow()
    today = today or clock.now().date()  # SOURCE_DATE_EPOCH pins it (the demo, tests)
    reconciled = reconcile(workspace, user=user)
    with reading(workspace) as snapshot:
        languages = language_statuses(snapshot, codes)
        articles = article_statuses(snapshot, workspace, codes, today)
        translators = translator_statuses(snapshot, codes)
    tracker = open_tracker(database_url(workspace))
    try:
        with tracker.read_session() as session:
            events = entry_events(session, codes)
            sizes = article_sizes(session)
            publications = publication_events(session, codes)
            reviews = tracked_reviews(session, codes, now - dt.timedelta(days=30))
            turnarounds = tracked_turnarounds(session, codes)
            outcomes = [o for o in machine_draft_outcomes(session) if o.language in codes]
    finally:
        tracker.close()
    checked = check(workspace)
    dates = {a.article: a.date for a in articles}
    return Dashboard(
        project=workspace.settings.project, today=today, generated_at=now, lead_days=schedule.lead_days,
        languages=languages,
        burnup=burnup(codes, dates, sizes, events, publications, today),
        schedule=schedule_items(articles, schedule, today),
        people=people(translators, reviews, now),
        turnaround=turnaround(codes, turnarounds),
        machine=machine_stats(outcomes),
        checks=check_stats_of(checked.problems),
        checked_entries=checked.entries, failed_checks=len(checked.problems), reconciled=reconciled)


# -- the figures (pure functions of tracker rows) ----------------------------------------------------------


def burnup(codes: Sequence[str], dates: Mapping[str, dt.date], sizes: Mapping[str, int],
           events: Iterable[EntryEvent], publications: Iterable[PublicationRecord], today: dt.date,
           days: int = BURNUP_DAYS) -> tuple[Burnup, ...]:
    """Per language and day: articles dated up to then, approved (every entry) and published (on a mirror).

    Replays the history: an article is approved in a language while every one of its current entries is
    ``approved``, and published while it is on at least one mirror of that language (published or updated,
    not withdrawn since).
    """
    changes: Counter[tuple[str, dt.date, str]] = Counter()  # (language, day, "approved"|"published") -> delta
    entry_states: dict[tuple[str, str], dict[int, State]] = {}
    approved_entries: Counter[tuple[str, str]] = Counter()
    for event in events:
        key = (event.article, event.language)
        size = sizes.get(event.article, 0)
        if size == 0 or event.article not in dates:
            continue
        states = entry_states.setdefault(key, {})
        before = approved_entries[key] == size
        if states.get(event.entry_id) is State.APPROVED:
            approved_entries[key] -= 1
        states[event.entry_id] = event.after
        if event.after is State.APPROVED:
            approved_entries[key] += 1
        after = approved_entries[key] == size
        if before != after:
            changes[(event.language, event.at.date(), "approved")] += 1 if after else -1
    live: dict[tuple[str, str], set[str]] = {}
    for record in publications:
        if record.article not in dates:
            continue
        mirrors = live.setdefault((record.article, record.language), set())
        before = bool(mirrors)
        if record.action == "withdrawn":
            mirrors.discard(record.mirror)
        else:
            mirrors.add(record.mirror)
        if before != bool(mirrors):
            changes[(record.language, record.at.date(), "published")] += 1 if mirrors else -1
    first = today - dt.timedelta(days=days - 1)
    article_days = sorted(dates.values())
    result = []
    for code in codes:
        approved = sum(n for (lang, day, kind), n in changes.items() if lang == code and kind == "approved"
                       and day < first)
        published = sum(n for (lang, day, kind), n in changes.items() if lang == code and kind == "published"
                        and day < first)
        points = []
        for offset in range(days):
            day = first + dt.timedelta(days=offset)
            approved += changes.get((code, day, "approved"), 0)
            published += changes.get((code, day, "published"), 0)
            scope = bisect.bisect_right(article_days, day)
            points.append(BurnPoint(day, scope, approved, published))
        result.append(Burnup(code, tuple(points)))
    return tuple(result)


def schedule_items(articles: Iterable[ArticleStatus], schedule: Schedule, today: dt.date
                   ) -> tuple[ScheduleItem, ...]:
    """Articles dated around today (and any late assignment), by date: due dates and lateness."""
    first = today - dt.timedelta(days=SCHEDULE_DAYS_BEFORE)
    last = today + dt.timedelta(days=SCHEDULE_DAYS_AFTER)
    items = []
    for a in articles:
        assigned = a.assignment
        due = assigned.due if assigned is not None and assigned.due is not None else schedule.default_due(a.date)
        late = a.state is not State.APPROVED and due < today
        if first <= a.date <= last or (assigned is not None and assigned.overdue):
            items.append(ScheduleItem(a, due, late))
    return tuple(sorted(items, key=lambda i: (i.status.date, i.status.article, i.status.language)))


def people(translators: Iterable[TranslatorStatus], reviews: Iterable[Activity], now: dt.datetime
           ) -> tuple[Person, ...]:
    """Per person: translated and approved as ``i18n status --by translator`` counts them, plus reviews."""
    week = now - dt.timedelta(days=7)
    reviewed: dict[str, list[int]] = {}
    for r in reviews:
        slots = reviewed.setdefault(r.person, [0, 0])
        slots[1] += 1
        if r.at >= week:
            slots[0] += 1
    counts = {t.translator: t for t in translators}
    result = []
    for name in sorted(set(counts) | set(reviewed)):
        t = counts.get(name)
        r7, r30 = reviewed.get(name, [0, 0])
        result.append(Person(name, t.translated_7 if t else 0, t.translated_30 if t else 0, r7, r30,
                             t.approved_7 if t else 0, t.approved_30 if t else 0))
    return tuple(result)


def turnaround(codes: Sequence[str], turnarounds: Iterable[Turnaround]) -> tuple[TurnaroundStat, ...]:
    """Per language: approvals, and the median and mean hours from ``translated`` to approved."""
    hours: dict[str, list[float]] = {}
    for t in turnarounds:
        hours.setdefault(t.language, []).append((t.approved_at - t.translated_at).total_seconds() / 3600)
    return tuple(TurnaroundStat(code, len(hours[code]), round(statistics.median(hours[code]), 1),
                                round(statistics.fmean(hours[code]), 1)) for code in codes if hours.get(code))


def machine_stats(outcomes: Iterable[DraftOutcome]) -> tuple[EngineStat, ...]:
    """Per engine (the first word of its label: ``apertium``) and language: drafts, accepted, distances."""
    groups: dict[tuple[str, str], list[DraftOutcome]] = {}
    for o in outcomes:
        engine = o.engine.split(maxsplit=1)[0] if o.engine.strip() else o.engine
        groups.setdefault((engine, o.language), []).append(o)
    result = []
    for (engine, language), items in sorted(groups.items()):
        settled = [o for o in items if o.state in (State.TRANSLATED, State.APPROVED)]
        accepted = [o for o in settled if o.unchanged]
        # Measured: drafts with an approved translation, and accepted ones (measured against themselves).
        finals = [(o.draft, o.approved if o.approved is not None else o.draft) for o in items
                  if o.approved is not None or (o.unchanged and o.state in (State.TRANSLATED, State.APPROVED))]
        distance = round(statistics.fmean(edit_distance(d, f) for d, f in finals), 1) if finals else None
        score = round(statistics.fmean(chrf(d, f) for d, f in finals), 1) if finals else None
        result.append(EngineStat(engine, language, len(items), len(settled), len(accepted), len(finals), distance,
                                 score))
    return tuple(result)


def check_stats_of(problems: Iterable[Problem]) -> tuple[CheckStat, ...]:
    """The most frequent failing checks, with their count per language."""
    total: Counter[tuple[str, str]] = Counter()
    per_language: dict[tuple[str, str], Counter[str]] = {}
    for p in problems:
        key = (p.code, p.severity.value)
        total[key] += 1
        per_language.setdefault(key, Counter())[p.language] += 1
    ranked = sorted(total.items(), key=lambda item: (-item[1], item[0]))[:TOP_CHECKS]
    return tuple(CheckStat(code, severity, count, tuple(sorted(per_language[(code, severity)].items())))
                 for (code, severity), count in ranked)


# -- JSON --------------------------------------------------------------------------------------------------


def _counts(counts: Counts) -> dict[str, int]:
    return {state.value: n for state, n in counts.items()}


def as_data(d: Dashboard) -> dict[str, Any]:
    """The dashboard as JSON-ready data: the shape of ``i18n report --json`` (see workflow.md)."""
    return {
        "project": d.project,
        "today": d.today.isoformat(),
        "generated_at": d.generated_at.isoformat(timespec="seconds") + "Z",
        "lead_days": d.lead_days,
        "languages": [{
            "language": lang.language, "entries": _counts(lang.entries), "words": _counts(lang.words),
            "articles": {"total": lang.articles_total, "approved": lang.articles_approved,
                         "published": lang.articles_published},
            "percent_approved": lang.percent_approved,
        } for lang in d.languages],
        "burnup": [{"language": b.language, "points": [
            {"day": p.day.isoformat(), "scope": p.scope, "approved": p.approved, "published": p.published}
            for p in b.points]} for b in d.burnup],
        "schedule": [{
            "article": i.status.article, "date": i.status.date.isoformat(), "language": i.status.language,
            "state": i.status.state.value, "entries": _counts(i.status.entries),
            "percent_translated": i.percent_translated, "percent_approved": i.percent_approved,
            "translator": i.status.assignment.translator if i.status.assignment else None,
            "reviewer": i.status.assignment.reviewer if i.status.assignment else None,
            "assigned": i.status.assignment is not None, "due": i.due.isoformat(), "late": i.late,
        } for i in d.schedule],
        "people": [{
            "person": p.name,
            "translated": {"last_7_days": p.translated_7, "last_30_days": p.translated_30},
            "reviewed": {"last_7_days": p.reviewed_7, "last_30_days": p.reviewed_30},
            "approved": {"last_7_days": p.approved_7, "last_30_days": p.approved_30},
        } for p in d.people],
        "turnaround": [{"language": t.language, "approvals": t.approvals, "median_hours": t.median_hours,
                        "mean_hours": t.mean_hours} for t in d.turnaround],
        "machine": [{
            "engine": m.engine, "language": m.language, "drafts": m.drafts, "settled": m.settled,
            "accepted": m.accepted, "percent_accepted": m.percent_accepted, "measured": m.measured,
            "mean_edit_distance": m.mean_edit_distance, "mean_chrf": m.mean_chrf,
        } for m in d.machine],
        "checks": {"entries": d.checked_entries, "failed": d.failed_checks, "most_frequent": [
            {"code": c.code, "severity": c.severity, "count": c.count, "languages": dict(c.languages)}
            for c in d.checks]},
    }
