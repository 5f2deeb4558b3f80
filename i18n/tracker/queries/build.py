"""The tracker build: articles and catalogs the tracker has never seen, recorded many at a time.

A new clone, an archive adopted with its translations, a tracker rebuilt: reconciliation then meets
thousands of templates and catalogs that have no row yet. Recording them one transaction and eight ORM
statements each is what made the first ``i18n status`` take minutes; here a batch of them is written with
a few Core ``executemany`` statements, and each catalog's summary is counted from the states already in
memory instead of re-read with ``GROUP BY``.

The rows of a batch are inserted with ``ON CONFLICT DO NOTHING``: only the articles and catalogs this
transaction inserted are recorded here; one that exists already (another process got there first, or
the tracker knew it and only the file index was lost) is left to the caller, which records it the careful
way (row lock, states compared with those on record). Functions take a session and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from i18n.core.forms import text_hash
from i18n.core.states import State
from i18n.tracker.engine import chunks, dialect_insert
from i18n.tracker.models import ArticleRow, CatalogRow, EntryRow
from i18n.tracker.queries.entries import ArticleInfo, SourceEntry
from i18n.tracker.queries.recording import StateChange, TrackedEntry, apply_changes
from i18n.tracker.snapshot import summary_column


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article read from its template, with its entries in order."""

    info: ArticleInfo
    entries: tuple[SourceEntry, ...]


@dataclass(frozen=True, slots=True)
class NewCatalog:
    """A catalog read from its PO file: the state of every current entry of its article (as changes)."""

    article: str
    language: str
    path: str
    changes: tuple[StateChange, ...]


def insert_articles(session: so.Session, articles: Sequence[NewArticle]) -> set[str]:
    """Insert those of ``articles`` the tracker does not know, with their entries; returns the ids inserted."""
    known = known_articles(session, [a.info.id for a in articles])
    rows = [{"id": a.info.id, "date": a.info.date, "source_path": a.info.source_path,
             "source_hash": a.info.source_hash, "removed": False, "entries": len(a.entries),
             "words": sum(e.words for e in a.entries)} for a in articles if a.info.id not in known]
    if not rows:
        return set()
    # Core executemany on the session's connection (the ORM's bulk path would insert row by row).
    connection = session.connection()
    statement = dialect_insert(session, ArticleRow).on_conflict_do_nothing(index_elements=["id"])
    inserted: set[str] = set()
    for chunk in chunks(rows):
        inserted.update(connection.execute(statement.returning(ArticleRow.id), list(chunk)).scalars())
    entries: list[dict[str, Any]] = [{"article_id": a.info.id, "key": e.key, "msgctxt": e.msgctxt, "source": e.source,
                "source_hash": text_hash(e.source), "words": e.words, "position": position, "removed": False}
               for a in articles if a.info.id in inserted for position, e in enumerate(a.entries)]
    for chunk in chunks(entries):
        connection.execute(sa.insert(EntryRow), list(chunk))
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
                    entries: Mapping[str, Mapping[str, TrackedEntry]]) -> set[tuple[str, str]]:
    """Insert ``catalogs`` with their summaries, states and history; returns the ``(article, language)``
    inserted (one that has a row already is left out, its states unwritten).

    ``entries`` are the current entries of each catalog's article: an entry without a change is counted
    untranslated, as :func:`i18n.tracker.queries.entries.refresh_summary` counts it.
    """
    rows = [{"article_id": c.article, "language": c.language, "path": c.path, "published_at": None,
             **summary(c.changes, entries.get(c.article, {}))} for c in catalogs]
    if not rows:
        return set()
    statement = dialect_insert(session, CatalogRow).on_conflict_do_nothing(index_elements=["article_id", "language"])
    statement = statement.returning(CatalogRow.article_id, CatalogRow.language)
    inserted: set[tuple[str, str]] = set()
    for chunk in chunks(rows):
        result = session.connection().execute(statement, list(chunk))
        inserted.update((article, language) for article, language in result)
    changes = [change for c in catalogs if (c.article, c.language) in inserted for change in c.changes]
    for batch in chunks(changes):
        apply_changes(session, batch)
    return inserted


def summary(changes: Iterable[StateChange], entries: Mapping[str, TrackedEntry]) -> dict[str, Any]:
    """A catalog's summary columns (entries and words per state, the worst state) from its entries' states."""
    words = {entry.id: entry.words for entry in entries.values()}
    counts = {state: [0, 0] for state in State}
    for change in changes:
        if change.entry_id in words:
            counts[change.state][0] += 1
            counts[change.state][1] += words.pop(change.entry_id)
    counts[State.UNTRANSLATED][0] += len(words)  # entries without a state
    counts[State.UNTRANSLATED][1] += sum(words.values())
    values: dict[str, Any] = {"state": State.worst([s for s, (n, _) in counts.items() if n > 0])}
    for state, (n, w) in counts.items():
        values[summary_column("n", state)] = n
        values[summary_column("w", state)] = w
    return values
