"""The tracker build: articles and catalogs the tracker has never seen, recorded many at a time.

A new clone, an archive adopted with its translations, a tracker rebuilt: reconciliation then meets
thousands of templates and catalogs that have no row yet. Recording them one transaction and eight ORM
statements each is what made the first ``i18n status`` take minutes; here a batch of them is written with
a few ``executemany`` statements, and each catalog's summary is counted from the states already in
memory instead of re-read with ``GROUP BY``.

The rows of a batch are inserted with ``ON CONFLICT DO NOTHING``: only the articles and catalogs this
transaction inserted are recorded here; one that exists already (another process got there first, or
the tracker knew it and only the file index was lost) is left to the caller, which records it the careful
way (row lock, states compared with those on record). Functions take a session and never commit.

The entries, states and history of a batch (hundreds of thousands of rows in a build) are written as
plain DB-API ``executemany`` on the session's connection, their values already in the form the column
types store (:func:`_stored`): SQLAlchemy's processing of each row's parameters cost more than the
database's work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from i18n.core.forms import text_hash
from i18n.core.states import HUMAN_CHANGES, ChangeReason, State
from i18n.tracker.engine import chunks
from i18n.tracker.models import ArticleRow, CatalogRow, EntryRow, EntryStateRow, HistoryRow, MachineDraftRow
from i18n.tracker.queries.recording import SYSTEM_ACTOR, ArticleInfo, SourceEntry, TrackedEntry
from i18n.tracker.snapshot import summary_column

#: An entry's first state in a catalog, as :func:`i18n.workflow.changes.entry_changes` records it when the
#: tracker has no state for it: ``(state, translation hash, origin, reason, credited to the catalog's
#: translator (else to i18n), previous source)``, the state and reason as their stored values.
FirstState = tuple[str, str | None, str, str, bool, str | None]
#: The first state of an entry the catalog lacks (``entry_changes`` for an entry not in the PO file).
UNTRANSLATED: FirstState = (State.UNTRANSLATED.value, None, "", ChangeReason.NEW.value, False, None)
#: Parameters per multi-row ``INSERT ... RETURNING``: under SQLite's oldest limit (999).
_PARAMETERS = 900
#: Each state's value, with its summary columns (entries, words), and how bad it is (lower: worse).
_COUNTED = {state.value: (summary_column("n", state), summary_column("w", state)) for state in State}
_RANK = {state.value: state.rank for state in State}
#: The reasons history credits people with (:data:`i18n.core.states.HUMAN_CHANGES`), as stored.
_HUMAN = frozenset(reason.value for reason in HUMAN_CHANGES)
_CATALOG_COLUMNS = ("article_id", "language", "path", "published_at", "state",
                    *(column for columns in _COUNTED.values() for column in columns))
_ARTICLE_COLUMNS = ("id", "date", "source_path", "source_hash", "removed", "entries", "words")
_STAMP_COLUMNS = ("clone", "path", "size", "mtime_ns", "digest")
#: Rows per ``executemany``: a batch's statements, not their number, cost the time.
ROWS = 5000
_STATE_COLUMNS = ("entry_id", "language", "state", "translation_hash", "source_hash", "origin", "changed_by",
                  "changed_at", "previous_source")
_UPDATED = ("state", "translation_hash", "source_hash", "origin", "changed_by", "changed_at", "previous_source")
_HISTORY_COLUMNS = ("entry_id", "language", "actor", "at", "reason", "before", "after", "translation_hash")
_ENTRY_COLUMNS = ("article_id", "key", "msgctxt", "source", "source_hash", "words", "position", "removed")


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article read from its template, with its entries in order."""

    info: ArticleInfo
    entries: tuple[SourceEntry, ...]


@dataclass(frozen=True, slots=True)
class NewCatalog:
    """A catalog read from its PO file: the first state of each of its entries, by key."""

    article: str
    language: str
    path: str
    translator: str
    """Who its translations are credited to (``Last-Translator``, else the user running i18n)."""
    states: Mapping[str, FirstState]
    """Entries of the article missing here are :data:`UNTRANSLATED`; others here are not recorded."""


def insert_articles(session: so.Session, articles: Sequence[NewArticle]) -> set[str]:
    """Insert those of ``articles`` the tracker does not know, with their entries; returns the ids inserted."""
    known = known_articles(session, [a.info.id for a in articles])
    removed = _stored(session, EntryRow.removed, False)
    date = _processor(session, ArticleRow.date)
    rows = [(a.info.id, date(a.info.date), a.info.source_path, a.info.source_hash, removed, len(a.entries),
             sum(e.words for e in a.entries)) for a in articles if a.info.id not in known]
    inserted = {article for article, in _insert_returning(session, ArticleRow, _ARTICLE_COLUMNS, rows, ("id",))}
    _insert_many(session, EntryRow, _ENTRY_COLUMNS, [
        (a.info.id, e.key, e.msgctxt, e.source, text_hash(e.source), e.words, position, removed)
        for a in articles if a.info.id in inserted for position, e in enumerate(a.entries)])
    return inserted


def known_articles(session: so.Session, ids: Iterable[str]) -> set[str]:
    """Those of ``ids`` the tracker has a row for (removed ones too)."""
    found: set[str] = set()
    for chunk in chunks(sorted(set(ids))):
        found.update(session.scalars(sa.select(ArticleRow.id).where(ArticleRow.id.in_(chunk))))
    return found


def current_entries(session: so.Session, article_ids: Iterable[str]) -> dict[str, dict[str, TrackedEntry]]:
    """The current (not removed) entries of each of ``article_ids``, by key, in order (with their words)."""
    found: dict[str, dict[str, TrackedEntry]] = {}
    for chunk in chunks(sorted(set(article_ids))):
        rows = session.execute(
            sa.select(EntryRow.article_id, EntryRow.id, EntryRow.key, EntryRow.source, EntryRow.source_hash,
                      EntryRow.words)
            .where(EntryRow.article_id.in_(chunk), EntryRow.removed.is_(False))
            .order_by(EntryRow.article_id, EntryRow.position))
        for article, entry_id, key, source, digest, words in rows:
            found.setdefault(article, {})[key] = TrackedEntry(entry_id, key, source, digest, words)
    return found


def known_catalogs(session: so.Session, article_ids: Iterable[str]) -> set[tuple[str, str]]:
    """The ``(article, language)`` catalogs of ``article_ids`` the tracker has a row for."""
    found: set[tuple[str, str]] = set()
    for chunk in chunks(sorted(set(article_ids))):
        rows = session.execute(sa.select(CatalogRow.article_id, CatalogRow.language)
                               .where(CatalogRow.article_id.in_(chunk)))
        found.update((article, language) for article, language in rows)
    return found


def insert_catalogs(session: so.Session, catalogs: Sequence[NewCatalog],
                    entries: Mapping[str, Mapping[str, TrackedEntry]], at: dt.datetime
                    ) -> dict[tuple[str, str], tuple[int, int]]:
    """Insert ``catalogs`` with their summaries, states and history (dated ``at``); returns the
    ``(article, language)`` inserted, each with its number of changes and of those credited to a person
    (one that has a row already is left out, its states unwritten).

    ``entries`` are the current entries of each catalog's article: each gets a state (those the catalog
    lacks :data:`UNTRANSLATED`), and the summary counts them as
    :func:`i18n.tracker.queries.recording.refresh_summary` does.
    """
    when = _stored(session, HistoryRow.at, at)
    rows: list[tuple[Any, ...]] = []
    made: list[tuple[tuple[str, str], list[tuple[Any, ...]], list[tuple[Any, ...]], int]] = []
    for c in catalogs:
        language, translator, got = c.language, c.translator, c.states.get
        counts = dict.fromkeys(_COUNTED, 0)
        words = dict.fromkeys(_COUNTED, 0)
        states: list[tuple[Any, ...]] = []
        history: list[tuple[Any, ...]] = []
        edits = 0
        for key, tracked in entries.get(c.article, {}).items():
            state, digest, origin, reason, credited, previous = got(key, UNTRANSLATED)
            actor = translator if credited else SYSTEM_ACTOR
            states.append((tracked.id, language, state, digest, tracked.source_hash, origin, actor, when, previous))
            history.append((tracked.id, language, actor, when, reason, None, state, digest))
            counts[state] += 1
            words[state] += tracked.words
            edits += reason in _HUMAN
        worst = min((state for state, n in counts.items() if n), key=_RANK.__getitem__, default=State.APPROVED.value)
        rows.append((c.article, language, c.path, None, worst,
                     *(value for state in _COUNTED for value in (counts[state], words[state]))))
        made.append(((c.article, language), states, history, edits))
    inserted = {(article, language) for article, language in
                _insert_returning(session, CatalogRow, _CATALOG_COLUMNS, rows, ("article_id", "language"))}
    made = [m for m in made if m[0] in inserted]
    # As apply_changes writes them: a state replaces one on record (there is none for a catalog just inserted).
    _insert_many(session, EntryStateRow, _STATE_COLUMNS, [row for _, states, _, _ in made for row in states],
                 conflict=_replace(session, ("entry_id", "language"), _UPDATED))
    _insert_many(session, HistoryRow, _HISTORY_COLUMNS, [row for _, _, history, _ in made for row in history])
    return {pair: (len(states), edits) for pair, states, _, edits in made}


def draft_languages(session: so.Session, languages: Iterable[str]) -> set[str]:
    """Those of ``languages`` the tracker holds machine drafts in (the others need no draft looked up)."""
    return {language for language in sorted(set(languages)) if session.execute(
        sa.select(sa.literal(1)).where(MachineDraftRow.target_language == language).limit(1)).first() is not None}


def _insert_many(session: so.Session, model: type[Any], columns: Sequence[str], rows: Sequence[tuple[Any, ...]],
                 conflict: str = "") -> None:
    """``INSERT`` ``rows`` (values as stored, in the order of ``columns``) with the driver's ``executemany``."""
    if not rows:
        return
    session.flush()
    connection = session.connection()
    sql = _insert_sql(session, model, columns, 1) + conflict
    for chunk in chunks(rows, ROWS):
        connection.exec_driver_sql(sql, list(chunk))


def _insert_returning(session: so.Session, model: type[Any], columns: Sequence[str], rows: Sequence[tuple[Any, ...]],
                      returning: Sequence[str]) -> list[tuple[Any, ...]]:
    """``INSERT`` ``rows`` (values as stored) unless their primary key exists (``ON CONFLICT DO NOTHING``),
    many rows per statement; the ``returning`` columns of the rows inserted."""
    if not rows:
        return []
    session.flush()
    connection = session.connection()
    found: list[tuple[Any, ...]] = []
    for chunk in chunks(rows, max(1, _PARAMETERS // len(columns))):
        sql = (_insert_sql(session, model, columns, len(chunk))
               + f" ON CONFLICT DO NOTHING RETURNING {', '.join(_quoted(session, c) for c in returning)}")
        found += [tuple(row) for row in connection.exec_driver_sql(sql, tuple(v for row in chunk for v in row))]
    return found


def _insert_sql(session: so.Session, model: type[Any], columns: Sequence[str], rows: int) -> str:
    """``INSERT INTO table (columns) VALUES`` with the driver's placeholders for ``rows`` rows."""
    marker = "?" if session.get_bind().dialect.paramstyle == "qmark" else "%s"
    one = f"({', '.join([marker] * len(columns))})"
    return (f"INSERT INTO {_quoted(session, model.__tablename__)} ({', '.join(_quoted(session, c) for c in columns)}) "
            f"VALUES {', '.join([one] * rows)}")


def _replace(session: so.Session, key: Sequence[str], updated: Sequence[str]) -> str:
    """The clause that makes an ``INSERT`` replace the row with the same ``key``: its ``updated`` columns."""
    return (f" ON CONFLICT ({', '.join(_quoted(session, c) for c in key)}) DO UPDATE SET "
            + ", ".join(f"{_quoted(session, c)} = excluded.{_quoted(session, c)}" for c in updated))


def _quoted(session: so.Session, name: str) -> str:
    return str(session.get_bind().dialect.identifier_preparer.quote(name))


def _stored(session: so.Session, column: Any, value: Any) -> Any:
    """``value`` as ``column``'s type binds it on this database (a datetime is text on SQLite)."""
    return _processor(session, column)(value)


def _processor(session: so.Session, column: Any) -> Callable[[Any], Any]:
    """What ``column``'s type makes of a value it binds on this database."""
    dialect = session.get_bind().dialect
    process = dialect.type_descriptor(column.type).bind_processor(dialect)
    return process if process is not None else _same


def _same(value: Any) -> Any:
    return value
