"""Recording groups of catalogs of one language in one transaction: what a pre-translation run wrote.

Reconciliation records a catalog it knows with about ten statements of its own (its row lock, its entries,
states and approvals read, its states written, its summary counted again with ``GROUP BY``). A run of
``i18n pretranslate`` writes hundreds of catalogs and records them as it goes, while the next drafts are on
their way: here the same reads and writes are done for a group of catalogs at once, a few statements per
group (Core ``executemany`` and ``IN`` lists, as :mod:`i18n.tracker.queries.build` does), and each
summary is counted from the states in memory. The rows locked are those of the group's catalogs, in
article order (two processes recording overlapping groups wait for each other, never deadlock).

Functions take a session and never commit.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from i18n.core.forms import decode_forms
from i18n.core.states import State
from i18n.tracker.engine import chunks, dialect_insert
from i18n.tracker.models import STANDING, ApprovalRow, CatalogRow, EntryRow, EntryStateRow
from i18n.tracker.queries.recording import Approval, TrackedEntry, TrackedState, summary_values


def lock_catalogs(session: so.Session, language: str, paths: Mapping[str, str]) -> None:
    """Create the rows of the catalogs ``paths`` names (article id → workspace-relative path) if needed, hold
    their locks until the transaction ends (in article order), and save a path that changed."""
    articles = sorted(paths)
    if not articles:
        return
    connection = session.connection()
    insert = dialect_insert(session, CatalogRow).on_conflict_do_nothing(index_elements=["article_id", "language"])
    for chunk in chunks(articles):
        connection.execute(insert, [{"article_id": a, "language": language, "path": paths[a]} for a in chunk])
    moved: list[dict[str, str]] = []
    for chunk in chunks(articles):
        rows = connection.execute(sa.select(CatalogRow.article_id, CatalogRow.path)
                                  .where(CatalogRow.language == language, CatalogRow.article_id.in_(chunk))
                                  .order_by(CatalogRow.article_id).with_for_update())
        moved += [{"a": article, "p": paths[article]} for article, path in rows if path != paths[article]]
    if moved:
        connection.execute(sa.update(CatalogRow).where(CatalogRow.article_id == sa.bindparam("a"),
                                                       CatalogRow.language == language)
                           .values(path=sa.bindparam("p")), moved)


def states_of(session: so.Session, article_ids: Collection[str],
              language: str) -> dict[str, dict[str, TrackedState]]:
    """Recorded states in ``language`` of the entries (removed ones too) of each of ``article_ids``, by entry
    key (what :func:`i18n.tracker.queries.recording.catalog_states` reads for one article)."""
    found: dict[str, dict[str, TrackedState]] = {}
    for chunk in chunks(sorted(article_ids)):
        rows = session.connection().execute(
            sa.select(EntryRow.article_id, EntryRow.key, EntryStateRow.entry_id, EntryStateRow.state,
                      EntryStateRow.translation_hash, EntryStateRow.source_hash, EntryStateRow.origin)
            .join(EntryRow, EntryRow.id == EntryStateRow.entry_id)
            .where(EntryRow.article_id.in_(chunk), EntryStateRow.language == language))
        for article, key, entry_id, state, translation, source, origin in rows:
            found.setdefault(article, {})[key] = TrackedState(entry_id, state, translation, source, origin)
    return found


def approvals_of(session: so.Session, article_ids: Collection[str],
                 language: str) -> dict[str, dict[int, tuple[Approval, ...]]]:
    """Every standing approval in ``language`` of the entries of each of ``article_ids``, by entry id, oldest
    first (what :func:`i18n.tracker.queries.recording.approvals` reads for one article)."""
    found: dict[str, dict[int, list[Approval]]] = {}
    for chunk in chunks(sorted(article_ids)):
        rows = session.connection().execute(
            sa.select(EntryRow.article_id, ApprovalRow.entry_id, ApprovalRow.source, ApprovalRow.translation,
                      ApprovalRow.approved_by, ApprovalRow.approved_at)
            .join(EntryRow, EntryRow.id == ApprovalRow.entry_id)
            .where(EntryRow.article_id.in_(chunk), ApprovalRow.language == language, STANDING)
            .order_by(ApprovalRow.id))
        for article, entry_id, source, translation, by, at in rows:
            found.setdefault(article, {}).setdefault(entry_id, []).append(
                Approval(entry_id, language, source, decode_forms(translation), by, at))
    return {article: {entry_id: tuple(items) for entry_id, items in by_entry.items()}
            for article, by_entry in found.items()}


def summary_of(entries: Iterable[TrackedEntry], states: Mapping[int, State]) -> dict[str, Any]:
    """A catalog's summary columns from the states of its article's current ``entries`` (by entry id; an entry
    without one is untranslated), as :func:`i18n.tracker.queries.recording.refresh_summary` counts them."""
    counts = {state: [0, 0] for state in State}
    for entry in entries:
        count = counts[states.get(entry.id, State.UNTRANSLATED)]
        count[0] += 1
        count[1] += entry.words
    return summary_values(counts)


def save_summaries(session: so.Session, language: str, summaries: Mapping[str, Mapping[str, Any]]) -> None:
    """Write the summary columns of the catalogs in ``language`` of these articles (article id → columns)."""
    if not summaries:
        return
    columns = sorted(next(iter(summaries.values())))
    statement = (sa.update(CatalogRow)
                 .where(CatalogRow.article_id == sa.bindparam("article"), CatalogRow.language == language)
                 .values({name: sa.bindparam(f"v_{name}") for name in columns}))
    rows = [{"article": article, **{f"v_{name}": values[name] for name in columns}}
            for article, values in sorted(summaries.items())]
    session.connection().execute(statement, rows)


__all__ = ["approvals_of", "lock_catalogs", "save_summaries", "states_of", "summary_of"]
