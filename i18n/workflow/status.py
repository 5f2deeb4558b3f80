"""``i18n status``: where the translations stand, per language, article, translator or deadline.

The use case reconciles first (:func:`i18n.workflow.reconcile.reconcile`), then answers from the tracker with a
few GROUP BY queries in plain SQL (:mod:`i18n.tracker.snapshot`), so that the everyday call on a large site
imports neither SQLAlchemy nor the PO parser. Every entry is counted exactly once, in its state; counts
agree with ``msgfmt --statistics``: ``machine + needs-work`` is its fuzzy count, ``translated + approved``
its translated count.

Entry and word counts include the UI catalog (``messages``); article counts, ``--by article`` and
``--due`` cover articles only. An article's state in a language is its worst entry's state.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from i18n.core import clock
from i18n.core.collector import paused_gc
from i18n.core.ids import UI_ARTICLE
from i18n.core.people import default_user
from i18n.core.states import State
from i18n.core.workspace import Workspace
from i18n.tracker.snapshot import Snapshot, database_url, open_embedded, summary_column
from i18n.workflow.reconcile import Progress, ReconcileReport, reconcile


class View(enum.Enum):
    """What ``i18n status`` reports on."""

    LANGUAGES = "language"
    ARTICLES = "article"
    TRANSLATORS = "translator"
    DUE = "due"
    MINE = "mine"


_STATES = tuple(State)


@dataclass(frozen=True, slots=True)
class Counts:
    """A number per state, in the enum's order (worst first)."""

    values: tuple[int, ...] = (0,) * len(State)

    @classmethod
    def of(cls, mapping: Mapping[State, int]) -> Counts:
        return cls(tuple(mapping.get(state, 0) for state in _STATES))

    def __getitem__(self, state: State) -> int:
        return self.values[state.rank]

    def items(self) -> Iterator[tuple[State, int]]:
        return zip(_STATES, self.values, strict=True)

    @property
    def total(self) -> int:
        return sum(self.values)

    def __add__(self, other: Counts) -> Counts:
        return Counts(tuple(a + b for a, b in zip(self.values, other.values, strict=True)))


@dataclass(frozen=True, slots=True)
class LanguageStatus:
    """One language: entries and words per state, and its articles."""

    language: str
    entries: Counts
    words: Counts
    articles_total: int
    articles_approved: int
    articles_published: int

    @property
    def percent_approved(self) -> float:
        """Share of entries approved, 0–100 (100 when there is nothing to translate)."""
        total = self.entries.total
        return 100.0 if total == 0 else round(100.0 * self.entries[State.APPROVED] / total, 1)

    @property
    def approved(self) -> bool:
        return self.entries[State.APPROVED] == self.entries.total


@dataclass(frozen=True, slots=True)
class Assigned:
    """Who is assigned to an article in a language (``i18n assign``), by when, and whether that is past."""

    translator: str | None
    reviewer: str | None
    due: dt.date | None
    overdue: bool
    """The due date has passed and the article is not approved in that language."""


@dataclass(frozen=True, slots=True)
class ArticleStatus:
    """One article in one language: its worst entry's state, its entries per state, its catalog."""

    article: str
    date: dt.date
    language: str
    state: State
    entries: Counts
    catalog: str
    days: int
    """Days from today to the article's date (negative: overdue)."""
    assignment: Assigned | None = None
    accepted: int = 0
    """Entries on which a reviewer accepted a check's finding (``i18n check --accept``, from the history)."""
    published_at: dt.datetime | None = None
    """When the article was last published or updated on a mirror of this language where it still is
    (``None``: live on none)."""

    @property
    def live_is_older(self) -> bool:
        """Whether a mirror serves an older version than the article now is: it is live, but not every entry
        is approved (its source or a translation changed since; under ``on_source_change = "keep"`` the last
        approved version stays live until the new one is approved)."""
        return self.published_at is not None and self.state is not State.APPROVED


@dataclass(frozen=True, slots=True)
class TranslatorStatus:
    """What one person did lately: entries translated and approved in the last 7 and 30 days."""

    translator: str
    translated_7: int
    translated_30: int
    approved_7: int
    approved_30: int


@dataclass(frozen=True, slots=True)
class StatusReport:
    """The report of ``i18n status``; which parts are filled depends on ``view``."""

    view: View
    today: dt.date
    languages: tuple[LanguageStatus, ...] = ()
    articles: Sequence[ArticleStatus] = ()
    """``--by article``: an :class:`ArticleRows`, each row made as it is read."""
    translators: tuple[TranslatorStatus, ...] = ()
    due: tuple[ArticleStatus, ...] = ()
    overdue: tuple[ArticleStatus, ...] = ()
    due_days: int | None = None
    person: str | None = None
    """Whose assignments ``--mine`` lists (``assignments`` holds that person's articles)."""
    assignments: tuple[ArticleStatus, ...] = ()
    reconciled: ReconcileReport = field(default_factory=ReconcileReport)

    @property
    def not_approved(self) -> int:
        """How many selected things (languages, articles, or due articles) are not approved yet."""
        if self.view is View.LANGUAGES:
            return sum(1 for lang in self.languages if not lang.approved)
        if self.view is View.ARTICLES:
            return sum(1 for a in self.articles if a.state is not State.APPROVED)
        if self.view is View.DUE:
            return len(self.due) + len(self.overdue)
        if self.view is View.MINE:
            return sum(1 for a in self.assignments if a.state is not State.APPROVED)
        return 0


def status(workspace: Workspace, languages: Sequence[str] = (), *, view: View = View.LANGUAGES,
           due_days: int | None = None, today: dt.date | None = None, user: str | None = None,
           progress: Callable[[Progress], None] | None = None) -> StatusReport:
    """Reconcile, then report on ``languages`` (codes; default every configured language).

    ``progress`` is told how far reconciliation is when it reads files (see :func:`reconcile`).
    """
    codes = tuple(workspace.settings.language(code).code for code in languages) or tuple(
        lang.code for lang in workspace.settings.languages)
    today = today or clock.now().date()  # SOURCE_DATE_EPOCH pins it (the demo, tests)
    reconciled = reconcile(workspace, user=user, progress=progress)
    with reading(workspace) as snapshot:
        if view is View.LANGUAGES:
            return StatusReport(view, today, languages=language_statuses(snapshot, codes), reconciled=reconciled)
        if view is View.TRANSLATORS:
            return StatusReport(view, today, translators=translator_statuses(snapshot, codes), reconciled=reconciled)
        articles = article_rows(snapshot, workspace, codes, today)
        if view is View.MINE:
            person = default_user(user)
            mine = tuple(a for a in articles if a.assignment is not None
                         and person in (a.assignment.translator, a.assignment.reviewer))
            return StatusReport(view, today, person=person, assignments=mine, reconciled=reconciled)
        if view is View.ARTICLES:
            return StatusReport(view, today, articles=articles, reconciled=reconciled)
        horizon = due_days if due_days is not None else 7
        pending = [a for a in articles if a.state is not State.APPROVED]
        return StatusReport(
            view, today, due=tuple(a for a in pending if 0 <= a.days <= horizon),
            overdue=tuple(a for a in pending if a.days < 0), due_days=horizon, reconciled=reconciled)


@contextlib.contextmanager
def reading(workspace: Workspace) -> Iterator[Snapshot]:
    """A read-only view of the tracker: plain sqlite3 when possible, else through SQLAlchemy."""
    with open_embedded(workspace) as snapshot:
        if snapshot is not None:
            yield snapshot
            return
    from i18n.tracker.engine import open_tracker  # lazy: SQLAlchemy stays off the fast status path

    tracker = open_tracker(database_url(workspace))
    try:
        with tracker.snapshot() as fallback:
            yield fallback
    finally:
        tracker.close()


_COUNTS = ", ".join(f"SUM(c.{summary_column(prefix, state)})" for prefix in ("n", "w") for state in State)
_ENTRY_COUNTS = ", ".join(f"c.{summary_column('n', state)}" for state in State)
_LANGUAGE_SUMS = f"""
SELECT c.language, {_COUNTS},
       SUM(CASE WHEN c.state = 'approved' AND a.date IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN c.published_at IS NOT NULL AND a.date IS NOT NULL THEN 1 ELSE 0 END)
FROM catalogs c JOIN articles a ON a.id = c.article_id
WHERE a.removed = :no
GROUP BY c.language"""
_TOTALS = """
SELECT COUNT(*), SUM(CASE WHEN a.date IS NOT NULL THEN 1 ELSE 0 END), COALESCE(SUM(a.entries), 0),
       COALESCE(SUM(a.words), 0)
FROM articles a WHERE a.removed = :no"""
_NO = {"no": False}
_ACCEPTED = """
SELECT e.article_id, h.language, COUNT(DISTINCT e.id) AS accepted
FROM history h JOIN entries e ON e.id = h.entry_id
WHERE h.reason = 'accept' AND e.removed = :no
GROUP BY e.article_id, h.language"""
# One row per article and selected language ({languages}: a table of (pos, code)), in this column order.
_N = len(State)
_ID, _DATE, _ENTRIES = 0, 1, slice(2, 2 + _N)
_POS, _PATH, _PUBLISHED, _ASSIGNED, _TRANSLATOR, _REVIEWER, _DUE, _ACCEPTS = range(2 + _N, 10 + _N)
_DONE = " + ".join(f"c.{summary_column('n', state)}" for state in State if state is not State.UNTRANSLATED)
_ARTICLE_COUNTS = ", ".join(
    f"a.entries - COALESCE({_DONE}, 0)" if state is State.UNTRANSLATED  # entries with no catalog row are untranslated
    else f"COALESCE(c.{summary_column('n', state)}, 0)" for state in State)
_ARTICLE_ROWS = f"""
SELECT a.id, a.date, {_ARTICLE_COUNTS}, l.pos, c.path, c.published_at,
       CASE WHEN s.article_id IS NULL THEN 0 ELSE 1 END, s.translator, s.reviewer, s.due, COALESCE(x.accepted, 0)
FROM articles a CROSS JOIN ({{languages}}) l
LEFT JOIN catalogs c ON c.article_id = a.id AND c.language = l.code
LEFT JOIN assignments s ON s.article_id = a.id AND s.language = l.code
LEFT JOIN ({_ACCEPTED}) x ON x.article_id = a.id AND x.language = l.code
WHERE a.removed = :no AND a.date IS NOT NULL AND a.id <> :ui"""


# The reads below serve ``i18n status`` and the dashboard (:mod:`i18n.workflow.report`): the same numbers from the
# same code.


def language_statuses(snapshot: Snapshot, codes: Sequence[str]) -> tuple[LanguageStatus, ...]:
    """Per language, from the catalogs' summaries (one row per catalog, not per entry state)."""
    ((_, dated, total_entries, total_words),) = snapshot.rows(_TOTALS, _NO)
    sums = {row[0]: row[1:] for row in snapshot.rows(_LANGUAGE_SUMS, _NO)}
    n = len(State)
    result = []
    for code in codes:
        row = sums.get(code)
        numbers = [int(v or 0) for v in row] if row is not None else [0] * (2 * n + 2)
        entries = dict(zip(State, numbers[:n], strict=True))
        words = dict(zip(State, numbers[n:2 * n], strict=True))
        # Entries of articles that have no catalog in this language yet are untranslated too.
        entries[State.UNTRANSLATED] = int(total_entries) - _done(entries)
        words[State.UNTRANSLATED] = int(total_words) - _done(words)
        result.append(LanguageStatus(code, Counts.of(entries), Counts.of(words), int(dated or 0),
                                     numbers[2 * n], numbers[2 * n + 1]))
    return tuple(result)


def article_statuses(snapshot: Snapshot, workspace: Workspace, codes: Sequence[str], today: dt.date
                     ) -> tuple[ArticleStatus, ...]:
    """Per article and language, with assignments, every row built (the dashboard; see :func:`article_rows`)."""
    return tuple(article_rows(snapshot, workspace, codes, today))


def article_rows(snapshot: Snapshot, workspace: Workspace, codes: Sequence[str], today: dt.date) -> ArticleRows:
    """Per article and language (``--by article``): by date, then id, each language in ``codes`` order.

    One query joins the catalogs' summaries, assignments and accepted findings to every article in every
    language; Python sorts the rows (by code point: a server's collation may order ids otherwise) and names the
    catalog of an article that has none yet where it goes. The rows stay as the database returned them until
    they are read (:class:`ArticleRows`).
    """
    if not codes:
        return ArticleRows((), (), today)
    languages = " UNION ALL ".join(f"SELECT {i} AS pos, CAST(:code{i} AS VARCHAR(32)) AS code"
                                   for i in range(len(codes)))
    params: dict[str, object] = {f"code{i}": code for i, code in enumerate(codes)}
    with paused_gc():  # 100,000 rows that stay alive and form no cycle
        rows = sorted(snapshot.rows(_ARTICLE_ROWS.format(languages=languages), {**params, "ui": UI_ARTICLE, **_NO}),
                      key=operator.itemgetter(_DATE, _ID, _POS))
    settings = [workspace.settings.language(code) for code in codes]
    for i, row in enumerate(rows):
        if row[_PATH] is None:  # no catalog in this language yet: where it goes
            where = workspace.catalog_path(settings[row[_POS]], row[_ID], _as_date(row[_DATE]).year)
            rows[i] = (*row[:_PATH], workspace.relative(where), *row[_PATH + 1:])
    return ArticleRows(tuple(rows), tuple(codes), today)


_UI_ROW = f"""
SELECT a.entries, {_ENTRY_COUNTS}
FROM articles a LEFT JOIN catalogs c ON c.article_id = a.id AND c.language = :language
WHERE a.id = :article AND a.removed = :no"""


def ui_counts(workspace: Workspace, language: str) -> Counts | None:
    """The UI catalog's entries per state in ``language`` as last reconciled (``None``: no UI strings).

    Callers reconcile first (:func:`status` does).
    """
    with reading(workspace) as snapshot:
        rows = snapshot.rows(_UI_ROW, {"language": language, "article": UI_ARTICLE, **_NO})
    if not rows:
        return None
    size, *counts = rows[0]
    per_state = dict(zip(State, (int(c or 0) for c in counts), strict=True))
    per_state[State.UNTRANSLATED] = int(size) - _done(per_state)
    return Counts.of(per_state)


_EDITS = """
SELECT h.actor, h.language, MAX(h.at) FROM history h
WHERE h.reason IN ('edit', 'stale', 'import') AND h.after = 'translated' AND h.at >= :since
GROUP BY h.actor, h.entry_id, h.language"""
_APPROVALS = """
SELECT p.approved_by, p.language, MAX(p.approved_at) FROM approvals p
WHERE p.approved_at >= :since AND p.revoked_at IS NULL GROUP BY p.approved_by, p.entry_id, p.language"""


def translator_statuses(snapshot: Snapshot, codes: Sequence[str]) -> tuple[TranslatorStatus, ...]:
    """Per person, entries translated and approved lately (``--by translator``)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    week, month = now - dt.timedelta(days=7), now - dt.timedelta(days=30)
    people: dict[str, list[int]] = {}

    def tally(rows: Iterable[Sequence[object]], offset: int) -> None:
        for person, language, at in rows:
            if language not in codes:
                continue
            when = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at))
            slots = people.setdefault(str(person), [0, 0, 0, 0])
            slots[offset + 1] += 1
            if when >= week:
                slots[offset] += 1

    tally(snapshot.rows(_EDITS, {"since": month}), 0)
    tally(snapshot.rows(_APPROVALS, {"since": month}), 2)
    return tuple(TranslatorStatus(name, *slots) for name, slots in sorted(people.items()))


def _done(counts: Mapping[State, int]) -> int:
    """The sum of every count but ``untranslated``."""
    return sum(n for state, n in counts.items() if state is not State.UNTRANSLATED)


def _as_datetime(value: object) -> dt.datetime:
    """A timestamp as the snapshot returns it: a datetime (PostgreSQL) or SQLAlchemy's text (SQLite)."""
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def _as_date(value: object) -> dt.date:
    """A date as the snapshot returns it: a date (PostgreSQL) or SQLAlchemy's text (SQLite)."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@dataclass(frozen=True, slots=True, eq=False)
class ArticleRows(Sequence[ArticleStatus]):
    """Every selected article in every selected language, as the tracker returned them (:func:`article_rows`).

    A sequence of :class:`ArticleStatus`, each made when it is read: 50,000 articles in two languages are
    100,000 rows, and a report that renders them one by one (``status --by article``) never holds them all
    as objects. Equal to any sequence of the same statuses (a tuple, or rows read from another backend,
    whose raw values differ).
    """

    rows: tuple[Sequence[Any], ...]
    codes: tuple[str, ...]
    today: dt.date

    def __len__(self) -> int:
        return len(self.rows)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # equal to tuples, so not hashable like them

    @overload
    def __getitem__(self, index: int) -> ArticleStatus: ...

    @overload
    def __getitem__(self, index: slice) -> ArticleRows: ...

    def __getitem__(self, index: int | slice) -> ArticleStatus | ArticleRows:
        if isinstance(index, slice):
            return ArticleRows(self.rows[index], self.codes, self.today)
        row = self.rows[index]
        date = _as_date(row[_DATE])
        return self._status(row, date, (date - self.today).days)

    def __iter__(self) -> Iterator[ArticleStatus]:
        status_of, today = self._status, self.today
        raw: object = None  # no row's date (every selected article has one)
        date, days = today, 0
        for row in self.rows:
            if row[_DATE] != raw:  # rows are by date: an article's languages share one
                raw = row[_DATE]
                date = _as_date(raw)
                days = (date - today).days
            yield status_of(row, date, days)

    def _status(self, row: Sequence[Any], date: dt.date, days: int) -> ArticleStatus:
        """One row as an :class:`ArticleStatus`, dated ``date``, ``days`` from today."""
        counts = tuple(row[_ENTRIES])
        state = _worst(counts)
        assigned = None
        if row[_ASSIGNED]:
            due = None if row[_DUE] is None else _as_date(row[_DUE])
            assigned = Assigned(row[_TRANSLATOR], row[_REVIEWER], due,
                                due is not None and due < self.today and state is not State.APPROVED)
        published = row[_PUBLISHED]
        return ArticleStatus(row[_ID], date, self.codes[row[_POS]], state, Counts(counts), row[_PATH], days,
                             assigned, row[_ACCEPTS], None if published is None else _as_datetime(published))


def _worst(counts: Sequence[int]) -> State:
    """The worst state with an entry (counts are in the states' order, worst first); approved when empty."""
    for state, n in zip(_STATES, counts, strict=True):
        if n > 0:
            return state
    return State.APPROVED
