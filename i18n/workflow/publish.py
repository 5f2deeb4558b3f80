"""Publishing: put the articles a caller has cleared for a mirror onto it, atomically and incrementally.

``publish(workspace, mirror, items, as_of=..., dry_run=...)`` is the use case below ``i18n publish``. The
caller decides which articles may be published (fully approved in the mirror's language, or their last
approved version per the mirror's ``on_source_change`` policy) and passes them as :class:`PublishItem`\\ s:
the whole set the mirror should show. This function checks that each is due (its date plus the
mirror's embargo has come in the mirror's time zone), renders the mirror's format and writes it with
:func:`i18n.mirrors.outputs.write_mirror`, which stages the new state and swaps it in; it reports what was
published, updated, withdrawn, left unchanged and blocked.

:func:`publish_mirrors` is ``i18n publish`` itself: it asks the tracker's gate (:mod:`i18n.mirrors.gate`) which
approved version of each article each mirror may show, publishes those, and logs what changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from i18n.catalogs.catalog import Catalog
from i18n.content.articles import Article
from i18n.core import clock
from i18n.core.errors import CatalogNotFound, ConfigError, MirrorError, TrackerError, UsageError
from i18n.core.ids import UI_ARTICLE, resolve_article
from i18n.core.people import default_user
from i18n.core.states import State
from i18n.core.workspace import Workspace
from i18n.mirrors.gate import Blocked, BlockReason, GateInput, Kept, gate_article, keep_live, load_sources
from i18n.mirrors.outputs import (
    Mirror,
    MirrorChanges,
    MirrorFormat,
    PublishItem,
    Site,
    is_due,
    live_versions,
    load_mirrors,
    mirror_named,
    published_item,
    published_versions,
    today_in,
    write_mirror,
)
from i18n.mirrors.outputs import (
    PublicationAction as Action,
)
from i18n.mirrors.site import Alternate, alternates
from i18n.tracker.snapshot import database_url
from i18n.workflow import publish_cache as cache
from i18n.workflow.configuration import confined_output
from i18n.workflow.reconcile import ReconcileReport, reconcile

__all__ = ["BlockReason", "Blocked", "Kept", "PublishItem", "PublishReport", "PublishRun", "Requests",
           "publication_time", "publish", "publish_mirrors"]


@dataclass(frozen=True, slots=True)
class PublishReport:
    """What ``i18n publish`` did to one mirror (or, with ``dry_run``, would do)."""

    mirror: str
    language: str
    format: MirrorFormat
    output: Path
    as_of: dt.date
    dry_run: bool
    published: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    blocked: Sequence[Blocked] = ()
    """A tuple; answered from the cache, a :class:`~i18n.workflow.publish_cache.CachedBlocked` (decoded when read)."""
    files_written: tuple[str, ...] = ()
    files_removed: tuple[str, ...] = ()
    version: str | None = None
    kept: tuple[Kept, ...] = ()
    """Articles whose changed source is not approved yet: the mirror keeps their live version (``keep``)."""
    restored: tuple[str, ...] = ()
    """Articles ``--restore`` brought back (also among published, updated or unchanged)."""
    rolled_back: tuple[str, ...] = ()
    """Articles showing a version rolled back to by hand, put back in this run (also among updated...)."""
    gated: int = 0
    """How many due articles the gate decided in this run."""
    cached: int = 0
    """How many due articles were answered from the cache of the last run (their inputs had not changed)."""
    changes: MirrorChanges | None = field(default=None, compare=False, repr=False)

    @property
    def changed(self) -> bool:
        return bool(self.files_written or self.files_removed)

    def to_json(self, *, encoded: bool = False) -> dict[str, Any]:
        """The ``--json`` shape of one mirror's report (documented in workflow.md).

        ``encoded``: a blocked list answered from the cache stays the JSON text the cache holds
        (:class:`~i18n.core.jsontext.EncodedJSON`), for a renderer that writes it as it is
        (:func:`i18n.cli.output.write_json`); otherwise every value is plain JSON data.
        """
        return {
            "mirror": self.mirror, "language": self.language, "format": self.format.value,
            "output": str(self.output), "as_of": self.as_of.isoformat(), "dry_run": self.dry_run,
            "published": list(self.published), "updated": list(self.updated),
            "withdrawn": list(self.withdrawn), "unchanged": list(self.unchanged),
            "blocked": _blocked_json(self.blocked, encoded),
            "kept": [k.to_json() for k in self.kept],
            "restored": list(self.restored), "rolled_back": list(self.rolled_back),
            "files": {"written": list(self.files_written), "removed": list(self.files_removed)},
            "version": self.version, "gated": self.gated, "cached": self.cached,
        }


def publication_time() -> dt.datetime:
    """Now, in UTC (see :mod:`i18n.core.clock`)."""
    return clock.now()


def publish(workspace: Workspace, mirror: Mirror | str, items: Sequence[PublishItem], *,
            as_of: dt.date | None = None, dry_run: bool = False, now: dt.datetime | None = None,
            withdraw: Collection[str] = (), ui_catalog: Catalog | None = None) -> PublishReport:
    """Make ``mirror`` show exactly the due articles among ``items``; report what changed.

    ``items`` is the complete set of articles cleared for the mirror (an article already on it that is
    not among them is withdrawn). ``as_of`` is "today" in the mirror's time zone (default: the date at
    ``now`` there); an item that is not due yet is reported as blocked and left off (and so withdrawn if
    it was on the mirror). Articles in ``withdraw`` are left off too (``i18n publish --withdraw ID``).
    ``ui_catalog`` is the UI catalog whose texts the html pages show (default: the language's
    ``messages.po``). The caller holds the workspace lock; the mirror has its own lock as well.
    """
    if isinstance(mirror, str):
        mirror = mirror_named(workspace.settings, mirror)
    now = now if now is not None else publication_time()
    today = as_of if as_of is not None else today_in(mirror, now)
    due: list[PublishItem] = []
    blocked: list[Blocked] = []
    for item in items:
        if item.article.id in withdraw:
            continue
        date = item.article.date
        if is_due(mirror, date, today):
            due.append(item)
        else:
            blocked.append(Blocked(item.article.id, BlockReason.NOT_DUE,
                                   due=date + dt.timedelta(days=mirror.embargo_days)))
    site = Site(mirror=mirror, project=workspace.settings.project, templates=workspace.site_templates,
                ui_catalog=ui_catalog if ui_catalog is not None else _ui_catalog(workspace, mirror),
                alternates=_alternates(workspace, mirror))
    changes = write_mirror(site, due, now, dry_run=dry_run)
    return PublishReport(
        mirror=mirror.name, language=mirror.language.code, format=mirror.format, output=mirror.output,
        as_of=today, dry_run=dry_run, published=changes.published, updated=changes.updated,
        withdrawn=changes.withdrawn, unchanged=changes.unchanged,
        blocked=tuple(sorted(blocked, key=lambda b: b.article)), files_written=changes.files_written,
        files_removed=changes.files_removed, version=changes.version, changes=changes,
    )


def _alternates(workspace: Workspace, mirror: Mirror) -> tuple[Alternate, ...]:
    """The other html mirrors of the workspace, for an html mirror's language switch."""
    if mirror.format is not MirrorFormat.HTML:
        return ()

    return alternates(mirror, load_mirrors(workspace.settings))


def _ui_catalog(workspace: Workspace, mirror: Mirror) -> Catalog | None:
    if mirror.format is not MirrorFormat.HTML:
        return None
    from i18n.catalogs.pofile import read_catalog  # lazy: the PO parser stays out of the cached no-op publish

    try:
        return read_catalog(workspace.ui_catalog_path(mirror.language))
    except CatalogNotFound:
        return None


# ---------------------------------------------------------------------------------------------------------
# ``i18n publish``: every mirror, gated by the tracker
# ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PublishRun:
    """What ``i18n publish`` did to each mirror."""

    as_of: dt.date | None
    dry_run: bool
    mirrors: tuple[PublishReport, ...]
    reconciled: ReconcileReport | None = None

    @property
    def waiting(self) -> tuple[tuple[str, Blocked], ...]:
        """Due articles kept off a mirror (not approved, source changed, check errors, unreadable source)."""
        return tuple((r.mirror, r.blocked[i]) for r in self.mirrors for i, (_, reason) in enumerate(_heads(r.blocked))
                     if reason not in (BlockReason.NOT_DUE, BlockReason.WITHDRAWN))

    @property
    def held(self) -> int:
        """How many articles :attr:`waiting` holds (a cached blocked list is not decoded to count them)."""
        return len({article for r in self.mirrors for article, reason in _heads(r.blocked)
                    if reason not in (BlockReason.NOT_DUE, BlockReason.WITHDRAWN)})

    @property
    def source_errors(self) -> tuple[tuple[str, Blocked], ...]:
        return tuple((r.mirror, r.blocked[i]) for r in self.mirrors for i, (_, reason) in enumerate(_heads(r.blocked))
                     if reason is BlockReason.SOURCE_ERROR)

    @property
    def showing(self) -> int:
        """How many articles the mirrors show after the run (or would, in a dry run)."""
        return sum(len(r.published) + len(r.updated) + len(r.unchanged) for r in self.mirrors)

    def to_json(self, *, encoded: bool = False) -> dict[str, Any]:
        """The ``--json`` shape of ``i18n publish`` (documented in workflow.md; ``encoded``: see
        :meth:`PublishReport.to_json`)."""
        return {"as_of": self.as_of.isoformat() if self.as_of else None, "dry_run": self.dry_run,
                "mirrors": [r.to_json(encoded=encoded) for r in self.mirrors]}


def _blocked_json(blocked: Sequence[Blocked], encoded: bool) -> Any:
    """A report's blocked list in its ``--json`` shape (see :meth:`PublishReport.to_json`)."""
    if isinstance(blocked, cache.CachedBlocked):
        return blocked.encoded() if encoded else blocked.to_json()
    return [b.to_json() for b in blocked]


def _heads(blocked: Sequence[Blocked]) -> Sequence[tuple[str, BlockReason]]:
    """Each blocked article's id and reason (a cached list answers without decoding its items)."""
    return blocked.heads if isinstance(blocked, cache.CachedBlocked) else [(b.article, b.reason) for b in blocked]


@dataclass(frozen=True, slots=True)
class Requests:
    """What the person running ``i18n publish`` asked for beyond the approvals (article ids as tracked)."""

    withdraw: frozenset[str] = frozenset()
    """Take these off the mirrors; they stay off until approved again or restored."""
    restore: frozenset[str] = frozenset()
    """Lift a withdrawal or a rollback by hand: these follow their approvals again."""
    rollback: tuple[str, str] | None = None
    """(article, version): put this earlier published version back; it stays until a new approval."""
    actor: str = ""

    @property
    def named(self) -> frozenset[str]:
        """Every article a request names (gated afresh, never answered from the cache)."""
        return self.withdraw | self.restore | ({self.rollback[0]} if self.rollback else frozenset())


def publish_mirrors(workspace: Workspace, names: Sequence[str] = (), *, as_of: dt.date | None = None,
                    dry_run: bool = False, withdraw: Collection[str] = (), restore: Collection[str] = (),
                    rollback: tuple[str, str] | None = None, user: str | None = None,
                    now: dt.datetime | None = None) -> PublishRun:
    """Reconcile, then publish what the tracker clears (see :mod:`i18n.mirrors.gate`) to each mirror (default: all).

    Holds the workspace lock. Articles in ``withdraw`` (ids as the user wrote them: ``@ui`` is refused, see
    :func:`i18n.core.ids.resolve_article`) are taken off and stay off until approved again or restored;
    articles in ``restore`` follow their approvals again (a withdrawal or rollback by hand lifted);
    ``rollback`` (article, version) puts an earlier published version back on the mirrors that keep it
    (``[publish] keep_versions``), where it stays until an entry of the article is approved again.
    Caching: see :mod:`i18n.workflow.publish_cache`. Under ``keep``, a live article whose changed source
    cannot be published yet keeps its published version (:func:`i18n.mirrors.gate.keep_live`; ``kept``).
    """
    requests = _requests(withdraw, restore, rollback)
    mirrors = [mirror_named(workspace.settings, n) for n in names] if names else list(load_mirrors(workspace.settings))
    if not mirrors:
        raise ConfigError("no mirrors are configured", path=workspace.settings.path,
                          hint='add a [mirrors.NAME] table (language = "ca", format = "html") to i18n.toml')

    for mirror in mirrors:
        confined_output(workspace, mirror.name, mirror.output)  # before anything is written
    reconciled = reconcile(workspace, user=user)
    now = now if now is not None else publication_time()
    reports: list[PublishReport] = []
    with workspace.lock(), cache.sources_checked(reconciled.sources):
        pending: list[tuple[Mirror, dt.date]] = []
        for mirror in mirrors:
            today = as_of if as_of is not None else today_in(mirror, now)
            cached = None if (requests.named or dry_run) else _cached(workspace, mirror, today)
            if cached is not None:
                reports.append(cached)
            else:
                pending.append((mirror, today))
        if pending:
            requests = replace(requests, actor=default_user(user))
            reports.extend(_publish_gated(workspace, pending, dry_run=dry_run, requests=requests, now=now))
    order = {m.name: i for i, m in enumerate(mirrors)}
    return PublishRun(as_of, dry_run, tuple(sorted(reports, key=lambda r: order[r.mirror])), reconciled)


def _requests(withdraw: Collection[str], restore: Collection[str], rollback: tuple[str, str] | None) -> Requests:
    """The user's requests, their ids resolved (``@ui`` refused); one article named twice is a usage error."""
    off = frozenset(resolve_article(a, refuse_ui="cannot be withdrawn") for a in withdraw)
    back = frozenset(resolve_article(a, refuse_ui="cannot be restored") for a in restore)
    pinned = None
    if rollback is not None:
        pinned = (resolve_article(rollback[0], refuse_ui="cannot be rolled back"), rollback[1].strip().lower())
        if not pinned[1]:
            raise UsageError("--rollback needs --to VERSION", hint="'i18n log ARTICLE' lists the versions kept")
    named = [*off, *back, *([pinned[0]] if pinned else [])]
    twice = sorted({a for a in named if named.count(a) > 1})
    if twice:
        raise UsageError(f"article {twice[0]} is named by more than one of --withdraw, --restore and --rollback",
                         hint="ask for one thing per article")
    return Requests(off, back, pinned)


def _publish_gated(workspace: Workspace, pending: Sequence[tuple[Mirror, dt.date]], *, dry_run: bool,
                   requests: Requests, now: dt.datetime) -> list[PublishReport]:
    from i18n.tracker.engine import open_tracker  # lazy: SQLAlchemy stays out of the cached no-op publish
    from i18n.tracker.queries.publishing import (  # lazy: SQLAlchemy stays out of the cached no-op publish
        publishable_articles,
    )

    tracker = open_tracker(database_url(workspace))
    try:
        with tracker.read_session() as session:
            articles = publishable_articles(session)
        unknown = sorted(requests.named - {a.id for a in articles})
        if unknown:
            raise TrackerError(f"the tracker knows no article '{unknown[0]}'",
                               hint="'i18n status --by article' lists the articles")
        rollbacks = _rollback_items(pending, requests)
        return [_publish_one(workspace, tracker, mirror, today, articles, dry_run=dry_run, requests=requests,
                             rollback=rollbacks.get(mirror.name), now=now)
                for mirror, today in pending]
    finally:
        tracker.close()


def _rollback_items(pending: Sequence[tuple[Mirror, dt.date]], requests: Requests) -> dict[str, PublishItem]:
    """The version ``--rollback`` asks for, by mirror (the mirrors keeping it); an error when none keeps it."""
    if requests.rollback is None:
        return {}

    article, version = requests.rollback
    found = {m.name: item for m, _ in pending if (item := published_item(m, article, version)) is not None}
    if not found:
        kept = sorted({v.version for m, _ in pending for v in published_versions(m, article)})
        raise MirrorError(f"no mirror keeps a version '{version}' of {article}",
                          hint=("versions kept: " + ", ".join(kept) if kept else "no published version is kept")
                          + f"; 'i18n log {article}' lists them")
    return found


@dataclass(slots=True)
class _Gated:
    """One mirror's gate decisions in a run, and which articles are served by hand (kept, pinned)."""

    decided: dict[str, PublishItem | Blocked] = field(default_factory=dict)
    kept: list[Kept] = field(default_factory=list)
    pinned: set[str] = field(default_factory=set)
    """Articles showing a version rolled back by hand (this run's ``--rollback``, or an earlier one)."""
    last: dict[str, Any] = field(default_factory=dict)
    """The latest publication record of each article gated (``tracker.queries.publishing.PublicationRecord``)."""


def _publish_one(workspace: Workspace, tracker: Any, mirror: Mirror, today: dt.date, articles: Sequence[Any], *,
                 dry_run: bool, requests: Requests, rollback: PublishItem | None, now: dt.datetime
                 ) -> PublishReport:
    """Gate (or answer from the cache) the due articles of one mirror, publish them, log what changed."""
    due = [a for a in articles if is_due(mirror, a.date, today)]
    blocked = [Blocked(a.id, BlockReason.NOT_DUE, due=a.date + dt.timedelta(days=mirror.embargo_days))
               for a in articles if not is_due(mirror, a.date, today)]
    inputs = cache.article_inputs(workspace, mirror, [a.id for a in due])
    marks = cache.publication_marks(workspace, mirror)
    remembered = cache.cached_decisions(workspace, mirror)
    gated = _Gated()
    for article in due:
        known = remembered.get(article.id)
        if (known is not None and article.id not in requests.named
                and known.inputs == f"{inputs[article.id]}:{marks.get(article.id)}"):
            gated.decided[article.id] = known.decision
    ids = [a.id for a in due if a.id not in gated.decided]
    ui_approved = _gate(workspace, tracker, mirror, due, ids, gated, requests, rollback)
    items = [d for d in (gated.decided[a.id] for a in due) if isinstance(d, PublishItem)]
    blocked += [d for d in (gated.decided[a.id] for a in due) if isinstance(d, Blocked)]
    report = publish(workspace, mirror, items, as_of=today, dry_run=dry_run, now=now, withdraw=requests.withdraw,
                     ui_catalog=_approved_ui_catalog(workspace, mirror, ui_approved))
    held = {b.article for b in blocked}
    blocked += [Blocked(a, BlockReason.WITHDRAWN, message=f"withdrawn by {requests.actor}; "
                                                          f"'i18n publish --restore {a}' brings it back")
                for a in sorted(requests.withdraw) if a not in held]
    on_mirror = set(report.published) | set(report.updated) | set(report.unchanged)
    report = replace(report, blocked=tuple(sorted((*report.blocked, *blocked),
                                                  key=lambda b: (b.article, b.reason.value))),
                     kept=tuple(k for k in gated.kept if k.article not in requests.withdraw),
                     restored=tuple(sorted(a for a in requests.restore if a in on_mirror
                                           and _lifted(gated.last.get(a)))),
                     rolled_back=tuple(sorted(a for a in gated.pinned if a in on_mirror and (
                         a in report.published or a in report.updated
                         or (requests.rollback is not None and a == requests.rollback[0])))),
                     gated=len(ids), cached=len(due) - len(ids))
    if not dry_run:
        _log(workspace, tracker, mirror, report, items, gated, requests, marks, inputs, due, today, now)
    return report


def _lifted(last: Any) -> bool:
    """Whether ``--restore`` lifts something: the latest record is a withdrawal or rollback by hand."""
    from i18n.tracker.queries.recording import SYSTEM_ACTOR  # lazy: SQLAlchemy stays out of the cached no-op publish

    return (last is not None and last.actor != SYSTEM_ACTOR
            and last.action in (Action.WITHDRAWN, Action.ROLLED_BACK))


def _gate(workspace: Workspace, tracker: Any, mirror: Mirror, due: Sequence[Any], ids: Sequence[str],
          gated: _Gated, requests: Requests, rollback: PublishItem | None) -> set[str]:
    """Decide ``ids`` on ``mirror`` into ``gated``; the UI entries approved in the mirror's language."""
    from i18n.tracker.queries.publishing import (  # lazy: SQLAlchemy stays out of the cached no-op publish
        gate_approvals,
        gate_entries,
        gate_translators,
        last_approval_at,
        last_publications,
    )
    from i18n.tracker.queries.recording import Approval  # lazy: SQLAlchemy stays out of the cached no-op publish

    language = mirror.language.code
    with tracker.read_session() as session:
        entries = gate_entries(session, language, ids)
        approvals = gate_approvals(session, language, ids)
        translators = gate_translators(session, language, ids)
        last = last_publications(session, mirror.name)
        approved_at = last_approval_at(session, language, ids)
        ui_states = gate_entries(session, language, [UI_ARTICLE]).get(UI_ARTICLE, [])
    sources = load_sources(workspace, {a.id: a.source_path for a in due if a.id in set(ids)})
    by_article: dict[str, dict[str, list[Approval]]] = {}
    for (owner, key), found in approvals.items():
        by_article.setdefault(owner, {})[key] = list(found)
    live = live_versions(mirror) if ids else {}
    gated.last.update(last)
    for article_id in ids:
        source = sources[article_id]
        if not isinstance(source, Article):
            gated.decided[article_id] = Blocked(article_id, BlockReason.SOURCE_ERROR, message=str(source))
            continue
        record = None if article_id in requests.restore else last.get(article_id)
        served = _by_hand(mirror, article_id, record, approved_at.get(article_id), rollback, requests)
        if served is not None:
            gated.decided[article_id] = served
            gated.pinned.add(article_id)
            continue
        decision = gate_article(mirror, GateInput(
            source, entries.get(article_id, []), by_article.get(article_id, {}), translators, record,
            approved_at.get(article_id)))
        if isinstance(decision, Blocked):
            keeping = keep_live(mirror, source, decision, live.get(article_id), by_article.get(article_id, {}))
            if keeping is not None:
                decision = keeping[0]
                gated.kept.append(keeping[1])
        gated.decided[article_id] = decision
    return {e.key for e in ui_states if e.state is State.APPROVED}


def _by_hand(mirror: Mirror, article_id: str, last: Any, approved_at: dt.datetime | None,
             rollback: PublishItem | None, requests: Requests) -> PublishItem | None:
    """The version rolled back to by hand that the mirror shows instead of gating, if any.

    This run's ``--rollback``; or an earlier one (the article's latest record is ``rolled-back``, by a
    person) that no approval has followed, while the mirror still keeps that version.
    """
    from i18n.tracker.queries.recording import SYSTEM_ACTOR  # lazy: SQLAlchemy stays out of the cached no-op publish

    if requests.rollback is not None and requests.rollback[0] == article_id:
        return rollback
    if (last is None or last.action != Action.ROLLED_BACK or last.actor == SYSTEM_ACTOR
            or (approved_at is not None and approved_at > last.at)):
        return None
    return published_item(mirror, article_id, last.version)


def _log(workspace: Workspace, tracker: Any, mirror: Mirror, report: PublishReport, items: Sequence[PublishItem],
         gated: _Gated, requests: Requests, marks: dict[str, str], inputs: dict[str, str], due: Sequence[Any],
         today: dt.date, now: dt.datetime) -> None:
    """Append the run's publication records, then store the caches (see :mod:`i18n.workflow.publish_cache`)."""
    from i18n.tracker.queries.publishing import (  # lazy: SQLAlchemy stays out of the cached no-op publish
        record_publications,
    )

    records = _records(mirror, report, items, gated, requests, now)
    with tracker.transaction() as session:
        record_publications(session, records)
    # A kept or pinned article is gated again every run (what it shows depends on the mirror's output), and
    # so is one withdrawn by hand now (it was gated before this run's withdrawal was logged).
    keep_out = {k.article for k in report.kept} | gated.pinned | set(requests.withdraw) | set(requests.restore)
    cache.remember_decisions(workspace, mirror, marks, {r.article for r in records}, {
        a.id: (inputs[a.id], gated.decided[a.id]) for a in due if a.id not in keep_out})
    # Stamped after the write: the output link and the publication log are part of the stamp.
    cache.remember_report(workspace, mirror, cache.stamp(workspace, mirror, today), report.to_json())


def _records(mirror: Mirror, report: PublishReport, items: Sequence[PublishItem], gated: _Gated,
             requests: Requests, now: dt.datetime) -> list[Any]:
    """The publication records of one mirror's run (the tracker's log, read by the gate next time)."""
    from i18n.tracker.queries.publishing import (  # lazy: SQLAlchemy stays out of the cached no-op publish
        PublicationRecord,
    )
    from i18n.tracker.queries.recording import SYSTEM_ACTOR  # lazy: SQLAlchemy stays out of the cached no-op publish

    at = now.astimezone(dt.UTC).replace(tzinfo=None)
    language = mirror.language.code
    versions = {item.article.id: item.approved_version for item in items}
    last = gated.last
    actor = requests.actor

    def record(article: str, action: Action, version: str = "", who: str = actor) -> Any:
        return PublicationRecord(at, mirror.name, article, language, action, version, who)

    special = set(report.restored) | set(report.rolled_back)
    records = [record(a, Action.RESTORED, versions[a]) for a in report.restored]
    records += [record(a, Action.ROLLED_BACK, versions[a]) for a in report.rolled_back]
    records += [record(a, Action.PUBLISHED, versions[a]) for a in report.published if a not in special]
    records += [record(a, Action.UPDATED, versions[a]) for a in report.updated if a not in special]
    records += [record(a, Action.WITHDRAWN, who=actor if a in requests.withdraw else SYSTEM_ACTOR)
                for a in report.withdrawn]
    # A withdrawal by hand is recorded even when the article was not on the mirror: it keeps it off.
    records += [record(a, Action.WITHDRAWN) for a in sorted(set(requests.withdraw) - set(report.withdrawn))
                if not (a in last and last[a].action == Action.WITHDRAWN and last[a].actor == actor)]
    return records


def _cached(workspace: Workspace, mirror: Mirror, today: dt.date) -> PublishReport | None:
    """The mirror's last report, if nothing it depends on changed since (as "unchanged")."""
    found = cache.cached_report(workspace, mirror, cache.stamp(workspace, mirror, today))
    if found is None:
        return None
    report = found.report
    try:
        return PublishReport(
            mirror=mirror.name, language=mirror.language.code, format=mirror.format, output=mirror.output,
            as_of=dt.date.fromisoformat(report["as_of"]), dry_run=False,
            unchanged=tuple(sorted(report["published"] + report["updated"] + report["unchanged"])),
            blocked=found.blocked, version=report["version"],
            kept=tuple(Kept.from_json(k) for k in report["kept"]), gated=0,
            cached=int(report["gated"]) + int(report["cached"]))
    except (ValueError, KeyError, TypeError):
        return None


def _approved_ui_catalog(workspace: Workspace, mirror: Mirror, approved: Collection[str]) -> Catalog | None:
    """The language's UI catalog with only its approved entries (html mirrors show reviewed text only)."""
    if mirror.format is not MirrorFormat.HTML:
        return None
    catalog = _ui_catalog(workspace, mirror)
    if catalog is None:
        return None
    return catalog.restricted_to(approved)
