"""What changed in a catalog, entry by entry: the comparison reconciliation records (a pure function).

Given an article's entries as the tracker knows them, a catalog as parsed, and the states and approvals
on record, :func:`entry_changes` says which states change and why (who is credited, what origin), and
:func:`carried_approvals` which approvals survive a typography-only source correction. Nothing here
reads files or the database: :mod:`i18n.workflow.reconcile` does, and records what these return.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from i18n.core.forms import forms_hash
from i18n.core.states import MEMORY_MARKER, ChangeReason, State, draft_sources, drafted_state, machine_label
from i18n.tracker.queries.recording import SYSTEM_ACTOR, StateChange

if TYPE_CHECKING:
    from i18n.catalogs.catalog import Catalog, Entry
    from i18n.tracker.queries.recording import Approval, TrackedEntry, TrackedState

_PLACEHOLDER_TRANSLATOR = "FULL NAME"


def translation_hash(entry: Entry) -> str | None:
    """The hash binding a state to this exact translation (``None`` while untranslated)."""
    return forms_hash(entry.msgstrs) if entry.translated else None


def origin_of(entry: Entry, state: State) -> str | None:
    """``machine:<engine>`` for a machine draft, ``memory`` for a translation-memory draft (fuzzy, marked
    ``memory:``), from their markers; else ``None`` (see history)."""
    if state is State.NEEDS_WORK and any(c.startswith(MEMORY_MARKER) for c in entry.translator_comments):
        return "memory"  # drafted from the translation memory by i18n pretranslate
    if state is not State.MACHINE:
        return None
    engine = (machine_label(entry.translator_comments) or "").split()[:1]
    if engine == ["memory"]:
        return "memory"  # catalogs drafted before the memory had its own marker say ``# machine: memory ...``
    return f"machine:{engine[0]}" if engine else "machine"


def translator_of(catalog: Catalog) -> str | None:
    """The ``Last-Translator`` name (without the e-mail address), unless it is empty or the placeholder."""
    value = (catalog.header("Last-Translator") or "").strip()
    name = value.split("<", 1)[0].strip()
    if not name or name.startswith(_PLACEHOLDER_TRANSLATOR):
        return None
    return name


def entry_changes(*, language: str, current: Mapping[str, TrackedEntry], catalog: Catalog,
                  states: Mapping[str, TrackedState], approvals: Mapping[int, Sequence[Approval]], translator: str,
                  at: dt.datetime, stale: Mapping[str, str] | None = None,
                  drafts: Mapping[str, Collection[str]] | None = None) -> list[StateChange]:
    """The state changes that bring ``states`` in line with ``catalog`` (a pure function).

    ``current`` are the article's entries as the template has them; ``stale`` maps the keys of entries
    that were filled from an edit against an older template to the old source; ``drafts`` are the machine
    drafts on record for the sources of the catalog's ``# machine:`` entries: an entry whose text is none
    of them is a person's (:func:`i18n.core.states.drafted_state`).
    """

    stale = stale or {}
    po = {entry.key: entry for entry in catalog.active_entries}
    first_time = not states
    changes: list[StateChange] = []
    for key, tracked in current.items():
        entry = po.get(key)
        state = (drafted_state(entry.state, entry.msgstrs, draft_sources(entry.msgid, entry.msgid_plural),
                               drafts or {}) if entry is not None else State.UNTRANSLATED)
        digest = translation_hash(entry) if entry is not None else None
        if state is State.TRANSLATED and any(
                a.source_hash == tracked.source_hash and a.translation_hash == digest
                for a in approvals.get(tracked.id, ())):
            state = State.APPROVED
        old = states.get(key)
        if (old is not None and old.state is state and old.translation_hash == digest
                and old.source_hash == tracked.source_hash):
            continue
        origin = origin_of(entry, state) if entry is not None else None
        drafted = origin is not None  # written by i18n pretranslate: nobody typed it
        if origin is None:
            if state is State.UNTRANSLATED:
                origin = ""
            elif old is not None and old.translation_hash == digest and not old.origin.startswith("machine"):
                origin = old.origin
            else:
                origin = "human"
        reason, actor = _why(key, entry, old, tracked, states, digest, state, stale, first_time, translator)
        if drafted and reason in (ChangeReason.EDIT, ChangeReason.IMPORT):
            actor = SYSTEM_ACTOR  # a draft must never pass for a person's work
        previous = stale.get(key)
        if previous is None and entry is not None and entry.previous_msgid is not None and state in (
                State.NEEDS_WORK, State.MACHINE):
            previous = entry.previous_msgid
        changes.append(StateChange(
            entry_id=tracked.id, language=language, state=state, before=old.state if old else None,
            translation_hash=digest, source_hash=tracked.source_hash, origin=origin, actor=actor, reason=reason,
            at=at, previous_source=previous))
    return changes


def first_state(entry: Entry, drafts: Mapping[str, Collection[str]] | None = None
                ) -> tuple[State, str | None, str, ChangeReason, bool, str | None]:
    """What :func:`entry_changes` records for ``entry`` when the tracker has nothing on record for it in its
    language (no state, no approval: a catalog read for the first time), without building a change: its
    state, translation hash, origin, reason, whether the catalog's translator is credited (else i18n, for a
    draft nobody typed), and previous source. The tracker build's hot path; the tests hold it to
    ``entry_changes``."""
    state = entry.state
    if state is State.UNTRANSLATED:
        return _NEW
    if drafts:
        state = drafted_state(state, entry.msgstrs, draft_sources(entry.msgid, entry.msgid_plural), drafts)
    origin = origin_of(entry, state)
    previous = entry.previous_msgid if state is State.NEEDS_WORK or state is State.MACHINE else None
    return state, forms_hash(entry.msgstrs), origin or "human", ChangeReason.IMPORT, origin is None, previous


#: :func:`first_state` of an untranslated entry (and of one the catalog lacks).
_NEW: tuple[State, str | None, str, ChangeReason, bool, str | None] = (
    State.UNTRANSLATED, None, "", ChangeReason.NEW, False, None)


def _why(key: str, entry: Entry | None, old: TrackedState | None, tracked: TrackedEntry,
         states: Mapping[str, TrackedState], digest: str | None, state: State, stale: Mapping[str, str],
         first_time: bool, translator: str) -> tuple[ChangeReason, str]:
    """Why an entry's state changed, and who is credited (the system actor when nobody typed it)."""
    if key in stale:
        return ChangeReason.STALE, translator
    if old is None:
        if state is State.UNTRANSLATED:
            return ChangeReason.NEW, SYSTEM_ACTOR
        if _carried(entry, states, digest):
            return ChangeReason.SOURCE, SYSTEM_ACTOR
        return (ChangeReason.IMPORT if first_time else ChangeReason.EDIT), translator
    if old.translation_hash == digest and old.source_hash != tracked.source_hash:
        return ChangeReason.SOURCE, SYSTEM_ACTOR
    return ChangeReason.EDIT, translator


def carried_approvals(*, current: Mapping[str, TrackedEntry], catalog: Catalog,
                      approvals: Mapping[int, Sequence[Approval]]) -> list[Approval]:
    """Approvals that a typography-only source correction carries over to the corrected source (pure).

    An approval binds an exact source and translation. When the source changed only in typography (see
    :func:`i18n.catalogs.catalog.normalized_source`: a curly apostrophe, a double space, a re-wrap), sync keeps the
    translation and its fuzzy flag, and the reviewer's verdict still holds: each entry whose translation
    was approved for the uncorrected source gets that approval (same reviewer, same time) for the corrected
    one, so the entry stays ``approved`` and nothing returns to the review queue.
    """
    from i18n.catalogs.catalog import (  # lazy: catalogs.catalog stays off the fast status path (via reconcile)
        normalized_source,
    )

    po = {entry.key: entry for entry in catalog.active_entries}
    carried: list[Approval] = []
    for key, tracked in current.items():
        entry = po.get(key)
        if entry is None or entry.state is not State.TRANSLATED:
            continue
        digest = translation_hash(entry)
        own = approvals.get(tracked.id, ())
        if any(a.source_hash == tracked.source_hash and a.translation_hash == digest for a in own):
            continue
        normal = normalized_source(tracked.source)
        for approval in reversed(own):  # the latest approval of this translation
            if approval.translation_hash == digest and normalized_source(approval.source) == normal:
                carried.append(replace(approval, source=tracked.source))
                break
    return carried


def _carried(entry: Entry | None, states: Mapping[str, TrackedState], digest: str | None) -> bool:
    """Whether ``entry`` is fuzzy with the translation the tracker knew for its previous source."""
    if entry is None or not entry.fuzzy or entry.previous_msgid is None:
        return False
    from i18n.catalogs.catalog import entry_key  # lazy: catalogs.catalog stays off the fast status path (via reconcile)

    before = states.get(entry_key(entry.previous_msgctxt, entry.previous_msgid))
    return before is not None and before.translation_hash == digest


def without_older_copies(changes: Sequence[StateChange], states: Mapping[str, TrackedState],
                         earlier: Callable[[Collection[int]], Mapping[int, Collection[str]]]) -> list[StateChange]:
    """``changes`` less those that would put back a translation an entry had before (``earlier(entry_ids)``:
    the translation hashes each entry's history records) over the newer one the tracker holds.

    For a catalog a clone reads for the first time: a clone made (or pulled) from an older copy holds the
    texts another clone has since replaced, and recording them would turn the newer work back. A text the
    entry never had is an edit and is kept.
    """
    current = {s.entry_id: s.translation_hash for s in states.values()}
    reverting = [c for c in changes if c.translation_hash is not None
                 and current.get(c.entry_id) not in (None, c.translation_hash)]
    if not reverting:
        return list(changes)
    had = earlier({c.entry_id for c in reverting})
    older = {id(c) for c in reverting if c.translation_hash in had.get(c.entry_id, ())}
    return [c for c in changes if id(c) not in older]
