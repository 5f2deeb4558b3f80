"""What the publishing gate reads (entries, their states and approvals, who translated them) and the
publication log it writes. Reads cover many articles at once: a publish run gates every due article."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from i18n.core.forms import decode_forms
from i18n.core.states import HUMAN_CHANGES, State
from i18n.tracker.engine import chunks
from i18n.tracker.models import (
    STANDING,
    ApprovalRow,
    ArticleRow,
    CatalogRow,
    EntryRow,
    EntryStateRow,
    HistoryRow,
    PublicationRow,
)
from i18n.tracker.queries.recording import SYSTEM_ACTOR, Approval


@dataclass(frozen=True, slots=True)
class GateEntry:
    """A current entry of an article with its state in one language, as the publishing gate needs it."""

    article: str
    entry_id: int
    key: str
    msgctxt: str | None
    source: str
    source_hash: str
    state: State
    translation_hash: str | None
    previous_source: str | None


@dataclass(frozen=True, slots=True)
class PublicationRecord:
    """One line of the publication log: an article published, updated or withdrawn on a mirror."""

    at: dt.datetime
    mirror: str
    article: str
    language: str
    action: str
    version: str
    actor: str


def gate_entries(session: so.Session, language: str, articles: Iterable[str]) -> dict[str, list[GateEntry]]:
    """The current entries of ``articles`` with their state in ``language`` (untranslated when unknown)."""
    ids = sorted(set(articles))
    found: dict[str, list[GateEntry]] = {a: [] for a in ids}
    for chunk in chunks(ids):
        rows = session.execute(
            sa.select(EntryRow.article_id, EntryRow.id, EntryRow.key, EntryRow.msgctxt, EntryRow.source,
                      EntryRow.source_hash, EntryStateRow.state, EntryStateRow.translation_hash,
                      EntryStateRow.previous_source)
            .outerjoin(EntryStateRow, sa.and_(EntryStateRow.entry_id == EntryRow.id,
                                              EntryStateRow.language == language))
            .where(EntryRow.article_id.in_(chunk), EntryRow.removed.is_(False))
            .order_by(EntryRow.article_id, EntryRow.position))
        for article, entry_id, key, msgctxt, source, digest, state, translation, previous in rows:
            found[article].append(GateEntry(article, entry_id, key, msgctxt, source, digest,
                                            state or State.UNTRANSLATED, translation, previous))
    return found


def gate_approvals(session: so.Session, language: str, articles: Iterable[str]
                   ) -> dict[tuple[str, str], tuple[Approval, ...]]:
    """Every standing approval in ``language`` of the entries of ``articles`` (removed entries too), oldest
    first, by ``(article, entry key)``; revoked approvals are never served."""
    found: dict[tuple[str, str], list[Approval]] = {}
    for chunk in chunks(sorted(set(articles))):
        rows = session.execute(
            sa.select(EntryRow.article_id, EntryRow.key, ApprovalRow.entry_id, ApprovalRow.source,
                      ApprovalRow.translation, ApprovalRow.approved_by, ApprovalRow.approved_at)
            .join(EntryRow, EntryRow.id == ApprovalRow.entry_id)
            .where(EntryRow.article_id.in_(chunk), ApprovalRow.language == language, STANDING)
            .order_by(ApprovalRow.id))
        for article, key, entry_id, source, translation, by, at in rows:
            found.setdefault((article, key), []).append(
                Approval(entry_id, language, source, decode_forms(translation), by, at))
    return {k: tuple(v) for k, v in found.items()}


def gate_translators(session: so.Session, language: str, articles: Iterable[str]
                     ) -> dict[int, tuple[tuple[str, dt.datetime], ...]]:
    """Who wrote translations of each entry (by entry id), and when: the people credited with its edits,
    imports and stale edits in ``language``, oldest first (the system actor is nobody)."""
    found: dict[int, list[tuple[str, dt.datetime]]] = {}
    for chunk in chunks(sorted(set(articles))):
        rows = session.execute(
            sa.select(HistoryRow.entry_id, HistoryRow.actor, HistoryRow.at)
            .join(EntryRow, EntryRow.id == HistoryRow.entry_id)
            .where(EntryRow.article_id.in_(chunk), HistoryRow.language == language,
                   HistoryRow.reason.in_(HUMAN_CHANGES),
                   HistoryRow.after != State.UNTRANSLATED, HistoryRow.actor != SYSTEM_ACTOR)
            .order_by(HistoryRow.at, HistoryRow.id))
        for entry_id, actor, at in rows:
            found.setdefault(entry_id, []).append((actor, at))
    return {k: tuple(v) for k, v in found.items()}


def _publication_log(session: so.Session, *where: sa.ColumnElement[bool], by_time: bool = True
                     ) -> list[PublicationRecord]:
    """The publication records that match ``where``, oldest first (by time, else in the order written)."""
    order = (PublicationRow.at, PublicationRow.id) if by_time else (PublicationRow.id,)
    rows = session.execute(
        sa.select(PublicationRow.at, PublicationRow.mirror, PublicationRow.article_id, PublicationRow.language,
                  PublicationRow.action, PublicationRow.version, PublicationRow.actor)
        .where(*where).order_by(*order))
    return [PublicationRecord(*row) for row in rows]


def last_publications(session: so.Session, mirror: str) -> dict[str, PublicationRecord]:
    """The latest publication record (the last written) of every article that ever was on ``mirror``."""
    records = _publication_log(session, PublicationRow.mirror == mirror, by_time=False)
    return {record.article: record for record in records}


def last_approval_at(session: so.Session, language: str, articles: Iterable[str]) -> dict[str, dt.datetime]:
    """When an entry of each article was last approved in ``language`` (articles never approved, or whose
    approvals were all revoked: absent)."""
    found: dict[str, dt.datetime] = {}
    for chunk in chunks(sorted(set(articles))):
        rows = session.execute(
            sa.select(EntryRow.article_id, sa.func.max(ApprovalRow.approved_at))
            .join(EntryRow, EntryRow.id == ApprovalRow.entry_id)
            .where(EntryRow.article_id.in_(chunk), ApprovalRow.language == language, STANDING)
            .group_by(EntryRow.article_id))
        found.update({article: at for article, at in rows if at is not None})
    return found


def record_publications(session: so.Session, records: Sequence[PublicationRecord]) -> None:
    """Append ``records`` to the publication log and update ``catalogs.published_at`` of their articles.

    ``published_at`` is when the article was last published or updated on a mirror of its language where
    it still is; ``NULL`` once it is on none (so ``i18n status`` counts articles currently published).
    """
    if not records:
        return
    session.execute(sa.insert(PublicationRow), [{
        "mirror": r.mirror, "article_id": r.article, "language": r.language, "action": r.action,
        "version": r.version, "actor": r.actor, "at": r.at} for r in records])
    for language in sorted({r.language for r in records}):
        touched = sorted({r.article for r in records if r.language == language})
        latest: dict[str, dict[str, tuple[str, dt.datetime]]] = {a: {} for a in touched}
        for chunk in chunks(touched):
            for article, mirror, action, at in session.execute(
                    sa.select(PublicationRow.article_id, PublicationRow.mirror, PublicationRow.action,
                              PublicationRow.at)
                    .where(PublicationRow.article_id.in_(chunk), PublicationRow.language == language)
                    .order_by(PublicationRow.id)):
                latest[article][mirror] = (action, at)
        by_value: dict[dt.datetime | None, list[str]] = {}
        for article, mirrors in latest.items():
            live = [at for action, at in mirrors.values() if action != "withdrawn"]
            by_value.setdefault(max(live) if live else None, []).append(article)
        for value, ids in by_value.items():
            for chunk in chunks(ids):
                session.execute(sa.update(CatalogRow).where(
                    CatalogRow.article_id.in_(chunk), CatalogRow.language == language).values(published_at=value))


def publications(session: so.Session, article_id: str, language: str | None = None) -> list[PublicationRecord]:
    """The publication log of one article (in ``language``, or all), oldest first."""
    where = [PublicationRow.article_id == article_id]
    if language is not None:
        where.append(PublicationRow.language == language)
    return _publication_log(session, *where)


def publication_events(session: so.Session, languages: Sequence[str]) -> list[PublicationRecord]:
    """The publication log in ``languages``, oldest first."""
    return _publication_log(session, PublicationRow.language.in_(list(languages)))


@dataclass(frozen=True, slots=True)
class PublishableArticle:
    """An article the tracker knows (dated, not removed): what the publishing gate starts from."""

    id: str
    date: dt.date
    source_path: str


def publishable_articles(session: so.Session) -> list[PublishableArticle]:
    """Every current, dated article (the UI catalog has no date), by id."""
    rows = session.execute(sa.select(ArticleRow.id, ArticleRow.date, ArticleRow.source_path).where(
        ArticleRow.removed.is_(False), ArticleRow.date.is_not(None)).order_by(ArticleRow.id))
    return [PublishableArticle(article, date, source) for article, date, source in rows if date is not None]
