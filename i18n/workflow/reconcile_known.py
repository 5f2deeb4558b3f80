"""Reconciliation of catalogs the tracker knows, many in one transaction, when nothing about them is special.

After a command rewrote hundreds of catalogs (a ``git checkout``, a pre-translation's drafts put back, a
merge), reconciliation records each one it knows, the careful way, in its own transaction with about ten
statements: 7 ms a catalog, seconds for a few hundred. Most of them need nothing of the careful way beyond
the comparison itself: the same reads and writes are done here for a batch at once, with the queries
pre-translation records its catalogs with (:mod:`i18n.tracker.queries.groups`): the rows of the batch's
catalogs locked (in article order), their entries, states and approvals read with ``IN`` lists, the same
rule applied to each (:func:`i18n.workflow.changes.entry_changes`), the changes and summaries written with
``executemany``, the file stamps saved in the same transaction.

A catalog is left to the careful way (returned) when it needs more than that: its article is unknown, the
catalog is edited against an older template (merged and rewritten first), it carries an approval over a
typography-only source correction, this clone has not recorded it before (it may be behind another clone),
or its article comes twice in the batch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from i18n.core.states import State, draft_sources
from i18n.tracker.engine import chunks
from i18n.tracker.queries import groups as rec
from i18n.tracker.queries.build import current_entries, known_articles
from i18n.tracker.queries.recording import StateChange, apply_changes, drafts_on_record
from i18n.tracker.sql import utcnow
from i18n.workflow.changes import carried_approvals, entry_changes, translation_hash

if TYPE_CHECKING:
    from i18n.catalogs.catalog import Catalog
    from i18n.core.languages import Language
    from i18n.tracker.engine import Tracker
    from i18n.tracker.queries.recording import Approval, Db, FileStamp, TrackedEntry, TrackedState
    from i18n.workflow.scan import Seen

#: A catalog read by reconciliation: where it was found, as parsed, the digest of its bytes.
Read = tuple["Seen", "Catalog", str]


class Reconciling(Protocol):
    """What this module needs of a reconciliation run (:class:`i18n.workflow.reconcile._Run`)."""

    recorded: dict[str, FileStamp]

    @property
    def engine(self) -> Tracker: ...

    def who(self, catalog: Catalog) -> str: ...

    def record(self, session: Db, *stamps: FileStamp) -> None: ...

    def stamp(self, seen: Seen, digest: str) -> FileStamp: ...

    def count(self, changes: Sequence[StateChange]) -> None: ...

    def _language_of(self, rel: str) -> Language: ...


def record_known(run: Reconciling, items: Sequence[Read]) -> list[Read]:
    """Record those of ``items`` that need nothing special, one transaction per language; the others,
    in order, for the careful way (see the module docstring)."""
    by_language: dict[str, list[Read]] = {}
    for item in items:
        if item[0].rel in run.recorded:  # else first seen by this clone: the careful way checks it is not behind
            by_language.setdefault(run._language_of(item[0].rel).code, []).append(item)
    done: set[str] = set()
    for language, group in by_language.items():
        done |= _record_language(run, language, group)
    return [item for item in items if item[0].rel not in done]


def _record_language(run: Reconciling, language: str, items: Sequence[Read]) -> set[str]:
    """Record the plain catalogs of ``items`` (all in ``language``); the paths recorded."""
    at = utcnow()
    with run.engine.transaction() as session:
        known = known_articles(session, {_article_of(seen.rel) for seen, _, _ in items})
        group: dict[str, Read] = {}
        for item in items:
            article = _article_of(item[0].rel)
            if article in known and article not in group:
                group[article] = item
        rec.lock_catalogs(session, language, {article: seen.rel for article, (seen, _, _) in group.items()})
        entries = current_entries(session, group)
        states = rec.states_of(session, group, language)
        approvals = rec.approvals_of(session, group, language)
        plain = {article: (seen, catalog, digest) for article, (seen, catalog, digest) in group.items()
                 if not _special(catalog, entries.get(article, {}), states.get(article, {}),
                                 approvals.get(article, {}))}
        machine = {text for _, catalog, _ in plain.values() for e in catalog.active_entries
                   if e.state is State.MACHINE for text in draft_sources(e.msgid, e.msgid_plural)}
        drafts = drafts_on_record(session, language, machine) if machine else {}
        changes: list[StateChange] = []
        summaries: dict[str, dict[str, Any]] = {}
        counted: list[list[StateChange]] = []
        for article, (_, catalog, _) in plain.items():
            current, recorded = entries.get(article, {}), states.get(article, {})
            found = entry_changes(language=language, current=current, catalog=catalog, states=recorded,
                                  approvals=approvals.get(article, {}), translator=run.who(catalog), at=at,
                                  drafts=drafts)
            after = {state.entry_id: state.state for state in recorded.values()}
            after.update((change.entry_id, change.state) for change in found)
            summaries[article] = rec.summary_of(current.values(), after)
            changes += found
            counted.append(found)
        for chunk in chunks(changes):
            apply_changes(session, chunk)
        rec.save_summaries(session, language, summaries)
        run.record(session, *(run.stamp(seen, digest) for seen, _, digest in plain.values()))
    for found in counted:
        run.count(found)
    return {seen.rel for seen, _, _ in plain.values()}


def _special(catalog: Catalog, current: Mapping[str, TrackedEntry], states: Mapping[str, TrackedState],
             approvals: Mapping[int, Sequence[Approval]]) -> bool:
    """Whether the careful way must record ``catalog``: an entry edited against an older template (a
    translation the tracker has not seen for a key the template no longer has), or an approval to carry
    over a typography-only source correction."""
    edited = any(e.key not in current and e.translated and (
        states.get(e.key) is None or states[e.key].translation_hash != translation_hash(e))
        for e in catalog.active_entries)
    return edited or bool(carried_approvals(current=current, catalog=catalog, approvals=approvals))


def _article_of(path: str) -> str:
    """The article a catalog (a ``/``-separated path) belongs to: its file name without suffix."""
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


__all__ = ["Reconciling", "record_known"]
