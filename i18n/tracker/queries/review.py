"""Review's reads and writes: approvals, rejections, who changed an entry, the drafts to compare, history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from i18n.core.errors import TrackerError
from i18n.core.forms import encode_forms, forms_hash, text_hash
from i18n.core.states import HUMAN_CHANGES, ChangeReason, State
from i18n.tracker.engine import chunks
from i18n.tracker.models import STANDING, ApprovalRow, EntryRow, EntryStateRow, HistoryRow, MachineDraftRow
from i18n.tracker.queries.recording import SYSTEM_ACTOR, StateChange, apply_changes, refresh_summary
from i18n.tracker.sql import utcnow


@dataclass(frozen=True, slots=True)
class HistoryRecord:
    """One state change of an article's entry, as ``i18n log`` shows it."""

    at: dt.datetime
    article: str
    language: str
    key: str
    actor: str
    reason: ChangeReason
    before: State | None
    after: State


def _current_entry(session: so.Session, article: str, key: str) -> EntryRow:
    """The article's current (not removed) entry ``key`` (a :class:`TrackerError` if there is none)."""
    entry = session.execute(sa.select(EntryRow).where(
        EntryRow.article_id == article, EntryRow.key == key, EntryRow.removed.is_(False))).scalar()
    if entry is None:
        raise TrackerError(f"article {article} has no entry {key}",
                           hint="run 'i18n status' to reconcile the catalogs, then check the key")
    return entry


def record_approval(session: so.Session, *, article: str, language: str, key: str, source: str,
                    translation: Sequence[str], reviewer: str, at: dt.datetime | None = None) -> State:
    """Record that ``reviewer`` approved exactly ``source`` → ``translation``; returns the entry's new state.

    The entry becomes ``approved`` when its current source and translation are exactly the approved ones
    and its PO text is ``translated``; otherwise the approval is kept on record and the state is unchanged.
    """
    at = at or utcnow()
    entry = _current_entry(session, article, key)
    digest = forms_hash(translation)
    session.add(ApprovalRow(entry_id=entry.id, language=language, source=source, translation=encode_forms(translation),
                            source_hash=text_hash(source), translation_hash=digest,
                            approved_by=reviewer, approved_at=at))
    current = session.get(EntryStateRow, (entry.id, language), with_for_update=True)
    if (current is None or current.state is not State.TRANSLATED
            or current.translation_hash != digest or entry.source_hash != text_hash(source)):
        session.flush()
        return current.state if current is not None else State.UNTRANSLATED
    apply_changes(session, [StateChange(
        entry.id, language, State.APPROVED, State.TRANSLATED, current.translation_hash, current.source_hash,
        current.origin, reviewer, ChangeReason.APPROVE, at)])
    refresh_summary(session, article, language)
    return State.APPROVED


def history(session: so.Session, article_id: str, language: str | None = None) -> list[HistoryRecord]:
    """Every state change of the article's entries (in ``language``, or all), oldest first."""
    query = (sa.select(HistoryRow.at, HistoryRow.language, EntryRow.key, HistoryRow.actor, HistoryRow.reason,
                       HistoryRow.before, HistoryRow.after)
             .join(EntryRow, EntryRow.id == HistoryRow.entry_id)
             .where(EntryRow.article_id == article_id)
             .order_by(HistoryRow.at, HistoryRow.id))
    if language is not None:
        query = query.where(HistoryRow.language == language)
    return [HistoryRecord(at, article_id, lang, key, actor, reason, before, after)
            for at, lang, key, actor, reason, before, after in session.execute(query)]


@dataclass(frozen=True, slots=True)
class StoredDraft:
    """A machine draft on record for a source text: the engine's label and the draft it returned."""

    engine: str
    source: str
    draft: str


def last_human_changes(session: so.Session, article_id: str, language: str) -> dict[str, str]:
    """Who last changed each entry's translation in ``language`` (edit, stale edit, import), by entry key."""
    rows = session.execute(
        sa.select(EntryRow.key, HistoryRow.actor)
        .join(EntryRow, EntryRow.id == HistoryRow.entry_id)
        .where(EntryRow.article_id == article_id, HistoryRow.language == language,
               HistoryRow.reason.in_(HUMAN_CHANGES), HistoryRow.actor != SYSTEM_ACTOR)
        .order_by(HistoryRow.at, HistoryRow.id))
    return {key: actor for key, actor in rows}


def drafts_for_review(session: so.Session, source_language: str, target_language: str,
                      sources: Iterable[str]) -> list[StoredDraft]:
    """Every engine's stored draft (``machine_drafts``) of ``sources`` into ``target_language``."""
    wanted = set(sources)
    found: list[StoredDraft] = []
    for chunk in chunks(sorted({text_hash(source) for source in wanted})):
        rows = session.execute(
            sa.select(MachineDraftRow.engine, MachineDraftRow.source, MachineDraftRow.draft)
            .where(MachineDraftRow.source_language == source_language,
                   MachineDraftRow.target_language == target_language,
                   MachineDraftRow.source_hash.in_(chunk)))
        found.extend(StoredDraft(engine, source, draft) for engine, source, draft in rows if source in wanted)
    return sorted(found, key=lambda d: d.engine)


def record_rejection(session: so.Session, *, article: str, language: str, key: str, translation: Sequence[str],
                     reviewer: str, at: dt.datetime | None = None) -> State:
    """Record that ``reviewer`` sent an entry back: it is ``needs-work`` (history reason ``reject``).

    ``translation`` is the entry's translation as written to the PO file (fuzzy). The standing approvals of
    exactly this source and translation are revoked (kept on record, with who revoked them and when), so
    that clearing fuzzy without changing the text does not make it ``approved`` again; approvals of other
    texts of the entry stay (the publishing gate may still serve an earlier approved text). Approving the
    rejected text again later records a new approval, which counts as any other.
    """
    at = at or utcnow()
    entry = _current_entry(session, article, key)
    current = session.get(EntryStateRow, (entry.id, language), with_for_update=True)
    before = current.state if current is not None else None
    origin = current.origin if current is not None and current.origin else "human"
    digest = forms_hash(translation)
    session.execute(sa.update(ApprovalRow).where(
        ApprovalRow.entry_id == entry.id, ApprovalRow.language == language, STANDING,
        ApprovalRow.source_hash == entry.source_hash, ApprovalRow.translation_hash == digest,
    ).values(revoked_at=at, revoked_by=reviewer))
    apply_changes(session, [StateChange(
        entry.id, language, State.NEEDS_WORK, before, digest, entry.source_hash,
        origin, reviewer, ChangeReason.REJECT, at, current.previous_source if current is not None else None)])
    refresh_summary(session, article, language)
    return State.NEEDS_WORK


def record_acceptance(session: so.Session, *, article: str, language: str, key: str, reviewer: str,
                      at: dt.datetime | None = None) -> State:
    """Record in the history that ``reviewer`` accepted a check's finding on an entry; returns its state.

    The state does not change (the history record's before and after are the same); which check and why
    are in the PO file's ``# ignore-<code>`` comment (:mod:`i18n.content.checks.accept`).
    """
    entry = _current_entry(session, article, key)
    current = session.get(EntryStateRow, (entry.id, language))
    state = current.state if current is not None else State.UNTRANSLATED
    session.add(HistoryRow(entry_id=entry.id, language=language, actor=reviewer, at=at or utcnow(),
                           reason=ChangeReason.ACCEPT, before=state, after=state,
                           translation_hash=current.translation_hash if current is not None else None))
    session.flush()
    return state
