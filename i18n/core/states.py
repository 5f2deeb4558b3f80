"""The review states of an entry, and the one mapping between states and PO flags and comments.

The vocabulary is closed and shared by code, JSON output and ``workflow.md``:

``untranslated`` → ``machine`` → ``needs-work`` → ``translated`` → ``approved``.

A PO file alone can tell four of them apart (see :func:`state_of`); ``approved`` is known only to the
status tracker, which records what a reviewer approved.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Mapping, Sequence

#: The translator-comment prefix that marks a machine draft, e.g. ``# machine: apertium eng-cat 2026-11-21``.
MACHINE_MARKER = "machine:"
#: The translator-comment prefix of a draft taken from the translation memory, e.g.
#: ``# memory: 2026-11-14-gut-feelings 2026-11-21``: fuzzy without the machine marker, so ``needs-work``
#: (a person's translation of the same text, to be checked in this context), never ``machine``.
MEMORY_MARKER = "memory:"


class State(enum.Enum):
    """An entry's state in one language, from worst to best (the order is the enum's order)."""

    UNTRANSLATED = "untranslated"
    MACHINE = "machine"
    NEEDS_WORK = "needs-work"
    TRANSLATED = "translated"
    APPROVED = "approved"

    @property
    def rank(self) -> int:
        """Position from worst (0) to best; an article's state is its worst entry's state."""
        return _RANK[self]

    @classmethod
    def worst(cls, states: list[State] | tuple[State, ...]) -> State:
        """The worst of ``states`` (``approved`` for none: an empty article has nothing left to do)."""
        return min(states, key=lambda s: s.rank, default=cls.APPROVED)


_ORDER = list(State)
_RANK = {state: rank for rank, state in enumerate(_ORDER)}


def state_of(msgstrs: tuple[str, ...], fuzzy: bool, translator_comments: tuple[str, ...]) -> State:
    """The state a PO entry's own text shows (never ``approved``: only the tracker knows that).

    Counting follows GNU msgfmt, so that ``machine + needs-work`` equals msgfmt's fuzzy count,
    ``translated`` (+ ``approved``) its translated count and ``untranslated`` its untranslated count.
    Like msgfmt, only the first msgstr decides emptiness: an entry whose first msgstr is empty is
    untranslated even when flagged fuzzy. A fuzzy one is a machine draft when a translator comment
    carries the machine marker, else it needs work (a draft from the translation memory, marked with
    :data:`MEMORY_MARKER`, too).
    """
    if not msgstrs or not msgstrs[0]:
        return State.UNTRANSLATED
    if fuzzy:
        if any(c.startswith(MACHINE_MARKER) for c in translator_comments):
            return State.MACHINE
        return State.NEEDS_WORK
    return State.TRANSLATED


def drafted_state(state: State, forms: Sequence[str], sources: Sequence[str],
                  drafts: Mapping[str, Collection[str]]) -> State:
    """``state`` with the tracker's provenance applied: a person's text is never a machine draft.

    The ``# machine:`` marker only says an engine once drafted the entry; PO editors keep it when a
    translator rewrites the text. So a ``machine`` entry stays ``machine`` only while each form is a draft an
    engine produced for its source (``drafts``: source text → every draft on record, from the tracker's
    ``machine_drafts``); any other text is a person's and ``needs-work`` (fuzzy). When the tracker has no
    draft on record for the sources at all (another clone with its own tracker drafted it), the marker is
    trusted.
    """
    if state is not State.MACHINE or not any(drafts.get(s) for s in sources):
        return state
    for index, form in enumerate(forms):
        source = sources[0] if index == 0 else sources[-1]
        if form not in drafts.get(source, ()):
            return State.NEEDS_WORK
    return state


def draft_sources(msgid: str, msgid_plural: str | None) -> tuple[str, ...]:
    """The source texts an entry's drafts translate: ``msgid`` (and ``msgid_plural`` for the other forms)."""
    return (msgid,) if msgid_plural is None else (msgid, msgid_plural)


def machine_label(translator_comments: tuple[str, ...]) -> str | None:
    """The engine a machine draft names in its marker, without the date: ``apertium eng-cat`` for
    ``# machine: apertium eng-cat 2026-11-21`` (``""`` for a bare marker; ``None`` when there is none)."""
    for comment in translator_comments:
        if comment.startswith(MACHINE_MARKER):
            words = comment[len(MACHINE_MARKER):].split()
            return " ".join(w for w in words if not _DATE.fullmatch(w))
    return None


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ChangeReason(enum.StrEnum):
    """Why an entry's state changed: the ``reason`` of a tracker history record (the values are stored)."""

    NEW = "new"
    """The entry appeared (untranslated)."""
    EDIT = "edit"
    """A translator changed the translation or its fuzzy flag in the PO file."""
    SOURCE = "source"
    """The source changed; ``i18n sync`` carried the old translation as fuzzy."""
    STALE = "stale"
    """Edited against an older template: kept as needs-work."""
    IMPORT = "import"
    """A catalog the tracker had never seen (first run, or the tracker was rebuilt)."""
    APPROVE = "approve"
    """A reviewer approved exactly this source and translation."""
    REJECT = "reject"
    """A reviewer sent the entry back (it became needs-work)."""
    ACCEPT = "accept"
    """A reviewer accepted a check's finding on the entry (state unchanged; see ``i18n check --accept``)."""


#: Reasons that record a person changing a translation: who is credited with it (the four-eyes rule, the
#: publishing gate's translators, reconciliation's count of edits). ``i18n.workflow.status`` spells them in SQL.
HUMAN_CHANGES = (ChangeReason.EDIT, ChangeReason.STALE, ChangeReason.IMPORT)
#: Reasons that are review decisions.
REVIEW_REASONS = (ChangeReason.APPROVE, ChangeReason.REJECT)
