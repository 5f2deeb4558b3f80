"""Pre-translation's reads and writes: the persistent draft cache (``machine_drafts``: what an engine
returned for a source text, so that re-runs and crashes never pay twice, and the draft post-edits are
measured against) and the translation memory read from the approvals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from i18n.core.forms import decode_forms, text_hash
from i18n.core.states import State
from i18n.tracker.engine import Tracker, chunks, dialect_insert
from i18n.tracker.models import STANDING, ApprovalRow, EntryRow, EntryStateRow, HistoryRow, MachineDraftRow
from i18n.tracker.queries.recording import drafts_on_record
from i18n.tracker.sql import utcnow


@dataclass(frozen=True, slots=True)
class ApprovedText:
    """The latest approved translation of a source text in one language, and the entry it was approved on."""

    source: str
    translation: str
    article: str
    key: str
    approved_at: dt.datetime


@dataclass(frozen=True, slots=True)
class DraftOutcome:
    """What became of a machine draft: the data of post-edit distance per engine.

    The tracker keeps hashes, not texts, of current translations: ``unchanged`` says whether the entry's
    current translation is still exactly the draft (fuzzy or accepted); ``approved`` is the latest
    approved translation of the entry's current source (``None`` until a reviewer approves it).
    """

    engine: str
    """The engine's label, as in the draft comment: ``apertium eng-cat``."""
    language: str
    article: str
    key: str
    draft: str
    state: State
    translation_hash: str | None
    unchanged: bool
    approved: str | None


def cached_drafts(session: so.Session, engine: str, source: str, target: str,
                  texts: Iterable[str]) -> dict[str, str]:
    """The drafts on record of those of ``texts`` that have one (looked up by hash, checked by text)."""
    wanted = {text_hash(text): text for text in texts}
    found: dict[str, str] = {}
    for chunk in chunks(list(wanted)):
        rows = session.execute(sa.select(MachineDraftRow.source_hash, MachineDraftRow.source, MachineDraftRow.draft)
                               .where(MachineDraftRow.engine == engine, MachineDraftRow.source_language == source,
                                      MachineDraftRow.target_language == target,
                                      MachineDraftRow.source_hash.in_(chunk)))
        for digest, text, draft in rows:
            if wanted.get(digest) == text:
                found[text] = draft
    return found


def save_drafts(session: so.Session, engine: str, source: str, target: str, drafts: Mapping[str, str],
                at: dt.datetime | None = None) -> None:
    """Record drafts (source text → draft); a later draft for the same engine, languages and text replaces it."""
    if not drafts:
        return
    at = at or utcnow()
    rows = [{"engine": engine, "source_language": source, "target_language": target, "source_hash": text_hash(text),
             "source": text, "draft": draft, "created_at": at} for text, draft in drafts.items()]
    statement = dialect_insert(session, MachineDraftRow)
    statement = statement.on_conflict_do_update(
        index_elements=["engine", "source_language", "target_language", "source_hash"],
        set_={"source": statement.excluded.source, "draft": statement.excluded.draft,
              "created_at": statement.excluded.created_at})
    for chunk in chunks(rows):
        session.execute(statement, chunk)


class TrackerDraftCache:
    """Pre-translation's draft cache (:class:`i18n.workflow.pretranslate.DraftCache`) in ``machine_drafts``.

    Each call is its own short transaction: drafts are committed as each batch arrives, so a crash or
    Ctrl-C keeps every draft already paid for, and the next run sends none of them again.
    """

    def __init__(self, tracker: Tracker) -> None:
        self.tracker = tracker

    def get_many(self, engine: str, source: str, target: str, texts: Iterable[str]) -> dict[str, str]:
        with self.tracker.read_session() as session:
            return cached_drafts(session, engine, source, target, texts)

    def put_many(self, engine: str, source: str, target: str, drafts: Mapping[str, str]) -> None:
        if drafts:
            with self.tracker.transaction() as session:
                save_drafts(session, engine, source, target, drafts)

    def on_record(self, target: str, texts: Collection[str]) -> dict[str, set[str]]:
        if not texts:
            return {}
        with self.tracker.read_session() as session:
            return drafts_on_record(session, target, texts)


def approved_translations(session: so.Session, language: str) -> dict[str, ApprovedText]:
    """Per source text, its latest approved translation in ``language`` (any article; plural entries left out).

    What the translation memory of ``i18n pretranslate`` drafts from first. An approval counts although
    the entry was edited since: it is a reviewer's word on exactly that source and translation. A revoked
    approval does not count (a reviewer rejected that text since).
    """
    rows = session.execute(
        sa.select(ApprovalRow.source, ApprovalRow.translation, EntryRow.article_id, EntryRow.key,
                  ApprovalRow.approved_at)
        .join(EntryRow, EntryRow.id == ApprovalRow.entry_id)
        .where(ApprovalRow.language == language, STANDING)
        .order_by(ApprovalRow.approved_at, ApprovalRow.id))
    found: dict[str, ApprovedText] = {}
    for source, text, article, key, at in rows:
        forms = decode_forms(text)
        if source and len(forms) == 1 and forms[0]:
            found[source] = ApprovedText(source, forms[0], article, key, at)  # the latest wins
    return found


def machine_draft_outcomes(session: so.Session, language: str | None = None) -> list[DraftOutcome]:
    """Every entry that was a machine draft (its history shows state ``machine``) with the draft it got.

    The draft is found in ``machine_drafts`` by the entry's current source and the translation hash the
    history recorded for the ``machine`` state, so a draft is matched to the engine that wrote it even
    when several engines drafted the same text. Removed entries and plural entries are left out. Sorted
    by language, article and key.
    """
    drafted = (sa.select(HistoryRow.entry_id, HistoryRow.language, HistoryRow.translation_hash)
               .where(HistoryRow.after == State.MACHINE, HistoryRow.translation_hash.is_not(None)))
    if language is not None:
        drafted = drafted.where(HistoryRow.language == language)
    hashes: dict[tuple[int, str], set[str]] = {}
    for entry_id, lang, digest in session.execute(drafted):
        if digest is not None:
            hashes.setdefault((entry_id, lang), set()).add(digest)
    if not hashes:
        return []
    rows = session.execute(
        sa.select(EntryRow.id, EntryRow.article_id, EntryRow.key, EntryRow.source_hash, EntryStateRow.language,
                  EntryStateRow.state, EntryStateRow.translation_hash, MachineDraftRow.engine,
                  MachineDraftRow.draft)
        .join(EntryStateRow, EntryStateRow.entry_id == EntryRow.id)
        .join(MachineDraftRow, sa.and_(MachineDraftRow.source_hash == EntryRow.source_hash,
                                       MachineDraftRow.target_language == EntryStateRow.language))
        .where(EntryRow.removed.is_(False), *([EntryStateRow.language == language] if language else [])))
    approved: dict[tuple[int, str], str] = {}
    approval_rows = session.execute(
        sa.select(ApprovalRow.entry_id, ApprovalRow.language, ApprovalRow.source_hash, ApprovalRow.translation,
                  EntryRow.source_hash)
        .join(EntryRow, EntryRow.id == ApprovalRow.entry_id)
        .where(STANDING, *([ApprovalRow.language == language] if language else []))
        .order_by(ApprovalRow.approved_at, ApprovalRow.id))
    for entry_id, lang, approved_source, text, current_source in approval_rows:
        forms = decode_forms(text)
        if approved_source == current_source and len(forms) == 1:
            approved[(entry_id, lang)] = forms[0]  # the latest approval of the current source wins
    outcomes: list[DraftOutcome] = []
    for entry_id, article, key, _, lang, state, current, engine, draft in rows:
        digest = text_hash(draft)
        if digest not in hashes.get((entry_id, lang), ()):
            continue
        outcomes.append(DraftOutcome(engine, lang, article, key, draft, state, current, current == digest,
                                     approved.get((entry_id, lang))))
    return sorted(outcomes, key=lambda o: (o.language, o.article, o.key, o.engine))
