"""The tracker's tables: one declarative model per table (what the migrations in ``migrations/`` build).

Closed sets are mapped as their enums (:class:`StateColumn`, :class:`ReasonColumn`) over the same
``String(16)`` columns the migrations create, so reads give :class:`~i18n.core.states.State` values and
no query converts by hand; the stored text is the enum's value, unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from i18n.core.states import ChangeReason, State


class StateColumn(sa.TypeDecorator[State]):
    """A :class:`~i18n.core.states.State` stored as its value in ``String(16)`` (no schema change).

    Binds accept a State or its value (a value outside the vocabulary is refused before it is stored).
    """

    impl = sa.String(16)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> str | None:
        return None if value is None else State(value).value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> State | None:
        return None if value is None else State(value)


class ReasonColumn(sa.TypeDecorator[ChangeReason]):
    """A history :class:`~i18n.core.states.ChangeReason` stored as its value in ``String(16)``."""

    impl = sa.String(16)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> str | None:
        return None if value is None else ChangeReason(value).value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> ChangeReason | None:
        return None if value is None else ChangeReason(value)


class Base(so.DeclarativeBase):
    """The tracker's declarative base (its metadata is what the migrations build)."""


class ArticleRow(Base):
    __tablename__ = "articles"

    id: so.Mapped[str] = so.mapped_column(sa.String(200), primary_key=True)
    date: so.Mapped[dt.date | None] = so.mapped_column(sa.Date)
    source_path: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    source_hash: so.Mapped[str] = so.mapped_column(sa.String(40), default="")
    removed: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    entries: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    """How many current (not removed) entries it has (kept by :func:`i18n.tracker.queries.entries.refresh_article`)."""
    words: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)


class EntryRow(Base):
    __tablename__ = "entries"
    __table_args__ = (sa.UniqueConstraint("article_id", "key", name="uq_entries_article_key"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=True)
    article_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("articles.id"), index=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(200))
    msgctxt: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    source: so.Mapped[str] = so.mapped_column(sa.Text)
    source_hash: so.Mapped[str] = so.mapped_column(sa.String(40))
    words: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    position: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    removed: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)


class EntryStateRow(Base):
    __tablename__ = "entry_states"

    entry_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("entries.id"), primary_key=True)
    language: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    state: so.Mapped[State] = so.mapped_column(StateColumn())
    translation_hash: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    source_hash: so.Mapped[str] = so.mapped_column(sa.String(40))
    origin: so.Mapped[str] = so.mapped_column(sa.String(64), default="")
    changed_by: so.Mapped[str] = so.mapped_column(sa.String(200))
    changed_at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime)
    previous_source: so.Mapped[str | None] = so.mapped_column(sa.Text)


class ApprovalRow(Base):
    __tablename__ = "approvals"
    __table_args__ = (sa.Index("ix_approvals_entry_language", "entry_id", "language"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=True)
    entry_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("entries.id"))
    language: so.Mapped[str] = so.mapped_column(sa.String(32))
    source: so.Mapped[str] = so.mapped_column(sa.Text)
    translation: so.Mapped[str] = so.mapped_column(sa.Text)
    """The approved forms as :func:`i18n.core.forms.encode_forms` stores them (a JSON array when plural:
    schema 0004)."""
    source_hash: so.Mapped[str] = so.mapped_column(sa.String(40))
    translation_hash: so.Mapped[str] = so.mapped_column(sa.String(40))
    """:func:`i18n.core.forms.forms_hash` of the forms (not of the stored text)."""
    approved_by: so.Mapped[str] = so.mapped_column(sa.String(200))
    approved_at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime)
    revoked_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime)
    """When a reviewer's rejection of this text revoked the approval (``NULL`` while it stands)."""
    revoked_by: so.Mapped[str | None] = so.mapped_column(sa.String(200))


#: The condition of an approval that stands: a reviewer's rejection of its text has not revoked it.
#: Every reader that decides what is approved (states, the publishing gate, the translation memory) uses it.
STANDING = ApprovalRow.revoked_at.is_(None)


class HistoryRow(Base):
    __tablename__ = "history"
    __table_args__ = (
        sa.Index("ix_history_entry_language", "entry_id", "language"),
        sa.Index("ix_history_actor_at", "actor", "at"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=True)
    entry_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("entries.id"))
    language: so.Mapped[str] = so.mapped_column(sa.String(32))
    actor: so.Mapped[str] = so.mapped_column(sa.String(200))
    at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime)
    reason: so.Mapped[ChangeReason] = so.mapped_column(ReasonColumn())
    before: so.Mapped[State | None] = so.mapped_column(StateColumn())
    after: so.Mapped[State] = so.mapped_column(StateColumn())
    translation_hash: so.Mapped[str | None] = so.mapped_column(sa.String(40))


class CatalogRow(Base):
    """An article in one language: its catalog, and a summary of its entries' states.

    The summary (entries and words per state, and the worst state) is kept in the same transaction as the
    states it sums up, so that ``i18n status`` reads one row per catalog instead of every entry state.
    """

    __tablename__ = "catalogs"

    article_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("articles.id"), primary_key=True)
    language: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    path: so.Mapped[str] = so.mapped_column(sa.String(500))
    published_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime)
    state: so.Mapped[State] = so.mapped_column(StateColumn(), default=State.UNTRANSLATED)
    n_untranslated: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    n_machine: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    n_needs_work: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    n_translated: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    n_approved: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    w_untranslated: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    w_machine: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    w_needs_work: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    w_translated: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    w_approved: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)


class FileRow(Base):
    __tablename__ = "files"

    clone: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    path: so.Mapped[str] = so.mapped_column(sa.String(500), primary_key=True)
    size: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    mtime_ns: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    digest: so.Mapped[str] = so.mapped_column(sa.String(40))


class FolderRow(Base):
    """A digest of the file stamps of one folder: the cheap "nothing changed" check of reconciliation."""

    __tablename__ = "folders"

    clone: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    path: so.Mapped[str] = so.mapped_column(sa.String(500), primary_key=True)
    digest: so.Mapped[str] = so.mapped_column(sa.String(40))


class MachineDraftRow(Base):
    """A draft an engine returned for a source text: the cache that keeps re-runs from paying twice, and
    the draft that post-edit distance per engine is measured against."""

    __tablename__ = "machine_drafts"

    engine: so.Mapped[str] = so.mapped_column(sa.String(100), primary_key=True)
    source_language: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    target_language: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    source_hash: so.Mapped[str] = so.mapped_column(sa.String(40), primary_key=True)
    source: so.Mapped[str] = so.mapped_column(sa.Text)
    draft: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime)


class PublicationRow(Base):
    """The publication log: which approved version of which article went to (or left) which mirror, when."""

    __tablename__ = "publications"
    __table_args__ = (sa.Index("ix_publications_mirror_article", "mirror", "article_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=True)
    mirror: so.Mapped[str] = so.mapped_column(sa.String(100))
    article_id: so.Mapped[str] = so.mapped_column(sa.String(200))
    language: so.Mapped[str] = so.mapped_column(sa.String(32))
    action: so.Mapped[str] = so.mapped_column(sa.String(16))
    """``published``, ``updated`` or ``withdrawn``."""
    version: so.Mapped[str] = so.mapped_column(sa.String(64))
    """The content hash of the approved version that was published (empty for a withdrawal)."""
    actor: so.Mapped[str] = so.mapped_column(sa.String(200))
    at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime)


class AssignmentRow(Base):
    """Who translates and who reviews an article in a language, and by when."""

    __tablename__ = "assignments"

    article_id: so.Mapped[str] = so.mapped_column(sa.String(200), primary_key=True)
    language: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    translator: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    reviewer: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    due: so.Mapped[dt.date | None] = so.mapped_column(sa.Date)
    assigned_by: so.Mapped[str] = so.mapped_column(sa.String(200))
    assigned_at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime)
