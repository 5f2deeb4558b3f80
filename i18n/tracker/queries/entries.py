"""Reconciliation's writes of articles: an article's row, its entries in order, its removal.

What ``i18n.workflow.reconcile`` (and ``sync``) use to make the tracker agree with the templates on disk.
Recording a catalog (states, approvals, summaries, history, the file index) is in
:mod:`i18n.tracker.queries.recording`, plain SQL that needs no SQLAlchemy; its names are importable from
here too.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlalchemy.orm as so

from i18n.core.forms import text_hash
from i18n.tracker.engine import dialect_insert
from i18n.tracker.models import ArticleRow, CatalogRow, EntryRow
from i18n.tracker.queries.recording import ArticleInfo, SourceEntry, refresh_summary


def lock_article(session: so.Session, info: ArticleInfo) -> None:
    """Create or update an article's row and hold its lock until the transaction ends."""
    statement = dialect_insert(session, ArticleRow).values(
        id=info.id, date=info.date, source_path=info.source_path, source_hash=info.source_hash, removed=False)
    session.execute(statement.on_conflict_do_nothing(index_elements=["id"]))
    session.execute(sa.select(ArticleRow.id).where(ArticleRow.id == info.id).with_for_update())
    session.execute(sa.update(ArticleRow).where(ArticleRow.id == info.id).values(
        date=info.date, source_path=info.source_path, source_hash=info.source_hash, removed=False))


def save_entries(session: so.Session, article_id: str, entries: Sequence[SourceEntry]) -> None:
    """Make the article's entries exactly ``entries`` (in order); entries no longer there are marked removed.

    Removed entries stay in the database with their states, approvals and history (nothing is deleted).
    """
    existing = {row.key: row for row in session.scalars(sa.select(EntryRow).where(EntryRow.article_id == article_id))}
    seen: set[str] = set()
    for position, entry in enumerate(entries):
        seen.add(entry.key)
        row = existing.get(entry.key)
        digest = text_hash(entry.source)
        if row is None:
            session.add(EntryRow(article_id=article_id, key=entry.key, msgctxt=entry.msgctxt, source=entry.source,
                                 source_hash=digest, words=entry.words, position=position, removed=False))
        elif (row.source_hash, row.words, row.position, row.removed, row.msgctxt) != (
                digest, entry.words, position, False, entry.msgctxt):
            row.source, row.source_hash, row.words = entry.source, digest, entry.words
            row.position, row.removed, row.msgctxt = position, False, entry.msgctxt
    for key, row in existing.items():
        if key not in seen and not row.removed:
            row.removed = True
    session.flush()


def remove_article(session: so.Session, article_id: str) -> None:
    """Mark an article whose template is gone as removed (its records stay)."""
    session.execute(sa.update(ArticleRow).where(ArticleRow.id == article_id).values(removed=True))


def refresh_article(session: so.Session, article_id: str) -> None:
    """Recount an article's entries and words, and the summaries of all its catalogs."""
    entries, words = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(EntryRow.words), 0))
        .where(EntryRow.article_id == article_id, EntryRow.removed.is_(False))).one()
    session.execute(sa.update(ArticleRow).where(ArticleRow.id == article_id).values(
        entries=int(entries), words=int(words)))
    for language in session.scalars(sa.select(CatalogRow.language).where(CatalogRow.article_id == article_id)):
        refresh_summary(session, article_id, language)


