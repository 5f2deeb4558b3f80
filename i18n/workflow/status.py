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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from i18n.core import clock
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
    articles: tuple[ArticleStatus, ...] = ()
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
        articles = article_statuses(snapshot, workspace, codes, today)
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
_ARTICLE_ROWS = f"""
SELECT a.id, a.date, a.entries, c.language, c.path, c.published_at, {_ENTRY_COUNTS}
FROM articles a LEFT JOIN catalogs c ON c.article_id = a.id
WHERE a.removed = :no AND a.date IS NOT NULL"""
_NO = {"no": False}
_ACCEPTED = """
SELECT e.article_id, h.language, COUNT(DISTINCT e.id)
FROM history h JOIN entries e ON e.id = h.entry_id
WHERE h.reason = 'accept' AND e.removed = :no
GROUP BY e.article_id, h.language"""


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
    """Per article and language, from the catalogs' summaries, with assignments (``--by article``)."""
    found: dict[str, tuple[dt.date, int, dict[str, tuple[int, ...]]]] = {}
    published: dict[tuple[str, str], dt.datetime] = {}
    paths: dict[tuple[str, str], str] = {}
    for article, date, size, language, path, published_at, *counts in snapshot.rows(_ARTICLE_ROWS, _NO):
        if article == UI_ARTICLE:
            continue
        _, _, languages = found.setdefault(article, (_as_date(date), int(size), {}))
        if language is not None:
            languages[language] = tuple(int(c) for c in counts)
            paths[(article, language)] = path
            if published_at is not None:
                published[(article, language)] = _as_datetime(published_at)
    settings = {code: workspace.settings.language(code) for code in codes}
    accepted = {(article, language): int(n) for article, language, n in snapshot.rows(_ACCEPTED, _NO)}
    assigned = _assignments(snapshot, today)
    untranslated = State.UNTRANSLATED.rank
    result = []
    for article, (date, size, languages) in sorted(found.items(), key=lambda item: (item[1][0], item[0])):
        for code in codes:
            values = list(languages.get(code) or (0,) * len(_STATES))
            values[untranslated] = size - (sum(values) - values[untranslated])
            # The worst state with an entry (states are in order, worst first); approved when empty.
            state = next((s for s, n in zip(_STATES, values, strict=True) if n > 0), State.APPROVED)
            # The path the tracker recorded (a string: 50,000 Path objects cost seconds), else where it goes.
            catalog = paths.get((article, code)) or workspace.relative(
                workspace.catalog_path(settings[code], article, date.year))
            result.append(ArticleStatus(article, date, code, state, Counts(tuple(values)), catalog,
                                        (date - today).days, assigned(article, code, state),
                                        accepted.get((article, code), 0), published.get((article, code))))
    return tuple(result)


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
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


_ASSIGNMENTS = "SELECT article_id, language, translator, reviewer, due FROM assignments"


def _assignments(snapshot: Snapshot, today: dt.date) -> Callable[[str, str, State], Assigned | None]:
    """The assignment of an article in a language (``i18n assign``), overdue flagged by its state."""
    found = {(article, language): (translator, reviewer, None if due is None else _as_date(due))
             for article, language, translator, reviewer, due in snapshot.rows(_ASSIGNMENTS)}

    def assigned(article: str, language: str, state: State) -> Assigned | None:
        if (known := found.get((article, language))) is None:
            return None
        translator, reviewer, due = known
        return Assigned(translator, reviewer, due, due is not None and due < today and state is not State.APPROVED)

    return assigned
