"""Who works on what and by when (``i18n assign``), and the reads behind the coordinator's dashboard
(``i18n report``): each function answers one question of the dashboard from the tracker's tables."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from i18n.core.states import REVIEW_REASONS, State
from i18n.tracker.models import ApprovalRow, ArticleRow, AssignmentRow, EntryRow, HistoryRow
from i18n.tracker.queries.recording import SYSTEM_ACTOR


@dataclass(frozen=True, slots=True)
class Assignment:
    """Who translates and who reviews an article in one language, and by when."""

    article: str
    language: str
    translator: str | None
    reviewer: str | None
    due: dt.date | None
    assigned_by: str
    assigned_at: dt.datetime


@dataclass(frozen=True, slots=True)
class EntryEvent:
    """One history record reduced to what the burn-up needs: which entry became which state, when."""

    article: str
    language: str
    entry_id: int
    at: dt.datetime
    after: State


@dataclass(frozen=True, slots=True)
class Activity:
    """One thing a person did to an entry (``reviewed``: approved or rejected it), for the people figures."""

    person: str
    language: str
    entry_id: int
    kind: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class Turnaround:
    """One approval and when its entry last became ``translated`` before it."""

    language: str
    translated_at: dt.datetime
    approved_at: dt.datetime


def article_dates(session: so.Session, article_ids: Iterable[str]) -> dict[str, dt.date | None]:
    """The dates of those of ``article_ids`` the tracker knows (and that are not removed)."""
    ids = list(article_ids)
    rows = session.execute(sa.select(ArticleRow.id, ArticleRow.date).where(
        ArticleRow.id.in_(ids), ArticleRow.removed.is_(False)))
    return {article: date for article, date in rows}


def save_assignment(session: so.Session, assignment: Assignment) -> Assignment:
    """Record an assignment (replacing the article's in that language); returns what is on record.

    A reviewer of ``None`` keeps the reviewer already assigned, if any.
    """
    current = session.get(AssignmentRow, (assignment.article, assignment.language), with_for_update=True)
    reviewer = assignment.reviewer if assignment.reviewer is not None or current is None else current.reviewer
    values = {"translator": assignment.translator, "reviewer": reviewer, "due": assignment.due,
              "assigned_by": assignment.assigned_by, "assigned_at": assignment.assigned_at}
    if current is None:
        session.add(AssignmentRow(article_id=assignment.article, language=assignment.language, **values))
    else:
        for name, value in values.items():
            setattr(current, name, value)
    session.flush()
    return Assignment(assignment.article, assignment.language, assignment.translator, reviewer, assignment.due,
                      assignment.assigned_by, assignment.assigned_at)


def assignments(session: so.Session, languages: Sequence[str] | None = None) -> list[Assignment]:
    """Every assignment (in ``languages``, or all), by article and language."""
    query = sa.select(AssignmentRow).order_by(AssignmentRow.article_id, AssignmentRow.language)
    if languages is not None:
        query = query.where(AssignmentRow.language.in_(list(languages)))
    return [Assignment(r.article_id, r.language, r.translator, r.reviewer, r.due, r.assigned_by, r.assigned_at)
            for r in session.scalars(query)]


def entry_events(session: so.Session, languages: Sequence[str]) -> list[EntryEvent]:
    """Every state change of the current entries of dated articles in ``languages``, oldest first."""
    rows = session.execute(
        sa.select(EntryRow.article_id, HistoryRow.language, HistoryRow.entry_id, HistoryRow.at, HistoryRow.after)
        .join(EntryRow, EntryRow.id == HistoryRow.entry_id)
        .join(ArticleRow, ArticleRow.id == EntryRow.article_id)
        .where(HistoryRow.language.in_(list(languages)), EntryRow.removed.is_(False),
               ArticleRow.removed.is_(False), ArticleRow.date.is_not(None))
        .order_by(HistoryRow.at, HistoryRow.id))
    return [EntryEvent(article, language, entry_id, at, after)
            for article, language, entry_id, at, after in rows]


def article_sizes(session: so.Session) -> dict[str, int]:
    """How many current entries each dated, current article has."""
    rows = session.execute(sa.select(ArticleRow.id, ArticleRow.entries).where(
        ArticleRow.removed.is_(False), ArticleRow.date.is_not(None)))
    return {article: int(entries) for article, entries in rows}


def reviews(session: so.Session, languages: Sequence[str], since: dt.datetime) -> list[Activity]:
    """Review decisions (approve, reject) since ``since``: each entry once per reviewer, at its latest time.

    (Entries translated and approved per person are counted by :mod:`i18n.workflow.status`, for ``--by translator``.)
    """
    rows = session.execute(
        sa.select(HistoryRow.actor, HistoryRow.language, HistoryRow.entry_id, sa.func.max(HistoryRow.at))
        .where(HistoryRow.reason.in_(REVIEW_REASONS), HistoryRow.at >= since,
               HistoryRow.language.in_(list(languages)))
        .group_by(HistoryRow.actor, HistoryRow.entry_id, HistoryRow.language))
    return [Activity(person, language, entry_id, "reviewed", at) for person, language, entry_id, at in rows]


def turnarounds(session: so.Session, languages: Sequence[str]) -> list[Turnaround]:
    """Per approval, the time its entry last became ``translated`` before it (approvals without one are left out).

    Revoked approvals count too: the turnaround measures how soon reviewers acted, not what they decided.
    """
    codes = list(languages)
    translated: dict[tuple[int, str], list[dt.datetime]] = {}
    for entry_id, language, at in session.execute(
            sa.select(HistoryRow.entry_id, HistoryRow.language, HistoryRow.at)
            .where(HistoryRow.after == State.TRANSLATED, HistoryRow.language.in_(codes))
            .order_by(HistoryRow.at)):
        translated.setdefault((entry_id, language), []).append(at)
    found: list[Turnaround] = []
    for entry_id, language, approved_at in session.execute(
            sa.select(ApprovalRow.entry_id, ApprovalRow.language, ApprovalRow.approved_at)
            .where(ApprovalRow.language.in_(codes)).order_by(ApprovalRow.approved_at)):
        times = translated.get((entry_id, language), [])
        before = bisect.bisect_right(times, approved_at)  # times are in order: those up to the approval
        if before:
            found.append(Turnaround(language, times[before - 1], approved_at))
    return found


def people_seen(session: so.Session) -> list[str]:
    """Every name the tracker holds for a person (history, approvals, assignments), the first seen first.

    :mod:`i18n.core.people` gives each person one display name from it (the first spelling seen).
    """
    firsts: dict[str, dt.datetime] = {}
    queries = [
        sa.select(HistoryRow.actor, sa.func.min(HistoryRow.at)).group_by(HistoryRow.actor),
        sa.select(ApprovalRow.approved_by, sa.func.min(ApprovalRow.approved_at)).group_by(ApprovalRow.approved_by),
        sa.select(AssignmentRow.translator, sa.func.min(AssignmentRow.assigned_at)).group_by(AssignmentRow.translator),
        sa.select(AssignmentRow.reviewer, sa.func.min(AssignmentRow.assigned_at)).group_by(AssignmentRow.reviewer),
    ]
    for query in queries:
        for name, at in session.execute(query):
            if name and name != SYSTEM_ACTOR and (name not in firsts or at < firsts[name]):
                firsts[name] = at
    return sorted(firsts, key=lambda name: (firsts[name], name))
