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
import hashlib
import json
import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from i18n.catalogs.catalog import Catalog
from i18n.content.articles import Article
from i18n.core import clock
from i18n.core.errors import CatalogNotFound
from i18n.core.ids import UI_ARTICLE, resolve_article
from i18n.core.states import State
from i18n.core.workspace import Workspace
from i18n.mirrors.gate import Blocked, BlockReason, Kept
from i18n.mirrors.outputs import (
    Mirror,
    MirrorChanges,
    MirrorFormat,
    PublishItem,
    Site,
    is_due,
    mirror_named,
    today_in,
    write_mirror,
)
from i18n.workflow.reconcile import ReconcileReport

__all__ = ["BlockReason", "Blocked", "Kept", "PublishItem", "PublishReport", "PublishRun",
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
    blocked: tuple[Blocked, ...] = ()
    files_written: tuple[str, ...] = ()
    files_removed: tuple[str, ...] = ()
    version: str | None = None
    kept: tuple[Kept, ...] = ()
    """Articles whose changed source is not approved yet: the mirror keeps their live version (``keep``)."""
    gated: int = 0
    """How many due articles the gate decided in this run."""
    cached: int = 0
    """How many due articles were answered from the cache of the last run (their inputs had not changed)."""
    changes: MirrorChanges | None = field(default=None, compare=False, repr=False)

    @property
    def changed(self) -> bool:
        return bool(self.files_written or self.files_removed)

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` shape of one mirror's report (documented in workflow.md)."""
        return {
            "mirror": self.mirror, "language": self.language, "format": self.format.value,
            "output": str(self.output), "as_of": self.as_of.isoformat(), "dry_run": self.dry_run,
            "published": list(self.published), "updated": list(self.updated),
            "withdrawn": list(self.withdrawn), "unchanged": list(self.unchanged),
            "blocked": [b.to_json() for b in self.blocked],
            "kept": [k.to_json() for k in self.kept],
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
                ui_catalog=ui_catalog if ui_catalog is not None else _ui_catalog(workspace, mirror))
    changes = write_mirror(site, due, now, dry_run=dry_run)
    return PublishReport(
        mirror=mirror.name, language=mirror.language.code, format=mirror.format, output=mirror.output,
        as_of=today, dry_run=dry_run, published=changes.published, updated=changes.updated,
        withdrawn=changes.withdrawn, unchanged=changes.unchanged,
        blocked=tuple(sorted(blocked, key=lambda b: b.article)), files_written=changes.files_written,
        files_removed=changes.files_removed, version=changes.version, changes=changes,
    )


def _ui_catalog(workspace: Workspace, mirror: Mirror) -> Catalog | None:
    if mirror.format is not MirrorFormat.HTML:
        return None
    from i18n.catalogs.pofile import read_catalog

    try:
        return read_catalog(workspace.ui_catalog_path(mirror.language))
    except CatalogNotFound:
        return None


# ---------------------------------------------------------------------------------------------------------
# ``i18n publish``: every mirror, gated by the tracker
# ---------------------------------------------------------------------------------------------------------

#: Where a mirror's last run is remembered (``.i18n/publish/<mirror>.json``): a cache, safe to delete.
CACHE_DIR = "publish"


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
        return tuple((r.mirror, b) for r in self.mirrors for b in r.blocked
                     if b.reason not in (BlockReason.NOT_DUE, BlockReason.WITHDRAWN))

    @property
    def source_errors(self) -> tuple[tuple[str, Blocked], ...]:
        return tuple((m, b) for m, b in self.waiting if b.reason is BlockReason.SOURCE_ERROR)

    @property
    def showing(self) -> int:
        """How many articles the mirrors show after the run (or would, in a dry run)."""
        return sum(len(r.published) + len(r.updated) + len(r.unchanged) for r in self.mirrors)

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` shape of ``i18n publish`` (documented in workflow.md)."""
        return {"as_of": self.as_of.isoformat() if self.as_of else None, "dry_run": self.dry_run,
                "mirrors": [r.to_json() for r in self.mirrors]}


def publish_mirrors(workspace: Workspace, names: Sequence[str] = (), *, as_of: dt.date | None = None,
                    dry_run: bool = False, withdraw: Collection[str] = (), user: str | None = None,
                    now: dt.datetime | None = None) -> PublishRun:
    """Reconcile, then publish what the tracker clears (see :mod:`i18n.mirrors.gate`) to each mirror (default: all).

    Holds the workspace lock. Articles in ``withdraw`` (ids as the user wrote them: ``@ui`` is refused, see
    :func:`i18n.core.ids.resolve_article`) are taken off and stay off until approved again.
    A mirror whose inputs (tracker, sources, templates, UI catalog, settings, output) are as they were
    after its last run is answered from ``.i18n/publish/<mirror>.json`` without gating anything; otherwise
    only the articles whose own inputs changed are gated (``<mirror>.articles.json``, see
    :func:`_article_inputs`). Under ``keep``, a live article whose changed source cannot be published yet
    keeps its published version (:func:`i18n.mirrors.gate.keep_live`; reported as ``kept``).
    """
    from i18n.mirrors.outputs import load_mirrors
    from i18n.workflow.reconcile import default_user, reconcile

    withdraw = [resolve_article(article, refuse_ui="cannot be withdrawn")
                for article in withdraw]
    mirrors = [mirror_named(workspace.settings, n) for n in names] if names else list(load_mirrors(workspace.settings))
    if not mirrors:
        from i18n.core.errors import ConfigError

        raise ConfigError("no mirrors are configured", path=workspace.settings.path,
                          hint='add a [mirrors.NAME] table (language = "ca", format = "html") to i18n.toml')
    reconciled = reconcile(workspace, user=user)
    now = now if now is not None else publication_time()
    reports: list[PublishReport] = []
    with workspace.lock():
        pending: list[tuple[Mirror, dt.date]] = []
        for mirror in mirrors:
            today = as_of if as_of is not None else today_in(mirror, now)
            cached = None if (withdraw or dry_run) else _cached(workspace, mirror, _stamp(workspace, mirror, today))
            if cached is not None:
                reports.append(cached)
            else:
                pending.append((mirror, today))
        if pending:
            actor = default_user(user)
            reports.extend(_publish_gated(workspace, pending, dry_run=dry_run, withdraw=withdraw, actor=actor,
                                          now=now))
    order = {m.name: i for i, m in enumerate(mirrors)}
    return PublishRun(as_of, dry_run, tuple(sorted(reports, key=lambda r: order[r.mirror])), reconciled)


def _publish_gated(workspace: Workspace, pending: Sequence[tuple[Mirror, dt.date]], *, dry_run: bool,
                   withdraw: Collection[str], actor: str, now: dt.datetime) -> list[PublishReport]:
    from i18n.core.errors import TrackerError
    from i18n.mirrors.gate import GateInput, gate_article, keep_live, load_sources
    from i18n.mirrors.outputs import live_versions
    from i18n.tracker.engine import open_tracker
    from i18n.tracker.models import SYSTEM_ACTOR
    from i18n.tracker.queries.entries import Approval
    from i18n.tracker.queries.publishing import (
        PublicationRecord,
        gate_approvals,
        gate_entries,
        gate_translators,
        last_approval_at,
        last_publications,
        publishable_articles,
        record_publications,
    )
    from i18n.tracker.snapshot import database_url

    tracker = open_tracker(database_url(workspace))
    reports: list[PublishReport] = []
    try:
        with tracker.read_session() as session:
            articles = publishable_articles(session)
            known = {a.id for a in articles}
            unknown = sorted(set(withdraw) - known)
            if unknown:
                raise TrackerError(f"the tracker knows no article '{unknown[0]}'",
                                   hint="'i18n status --by article' lists the articles")
        for mirror, today in pending:
            due = [a for a in articles if is_due(mirror, a.date, today)]
            blocked = [Blocked(a.id, BlockReason.NOT_DUE, due=a.date + dt.timedelta(days=mirror.embargo_days))
                       for a in articles if not is_due(mirror, a.date, today)]
            language = mirror.language.code
            # Per-article cache: an article whose gate inputs are as they were is not gated again.
            inputs = _article_inputs(workspace, mirror, [a.id for a in due])
            marks = _publication_marks(workspace, mirror)
            remembered = _cached_decisions(workspace, mirror)
            decided: dict[str, PublishItem | Blocked] = {}
            for article in due:
                known_decision = remembered.get(article.id)
                if (known_decision is not None
                        and known_decision.inputs == f"{inputs[article.id]}:{marks.get(article.id)}"):
                    decided[article.id] = known_decision.decision
            ids = [a.id for a in due if a.id not in decided]
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
            kept: list[Kept] = []
            for article_id in ids:
                source = sources[article_id]
                if not isinstance(source, Article):
                    decided[article_id] = Blocked(article_id, BlockReason.SOURCE_ERROR, message=str(source))
                    continue
                decision = gate_article(mirror, GateInput(
                    source, entries.get(article_id, []), by_article.get(article_id, {}), translators,
                    last.get(article_id), approved_at.get(article_id)))
                if isinstance(decision, Blocked):
                    keeping = keep_live(mirror, source, decision, live.get(article_id),
                                        by_article.get(article_id, {}))
                    if keeping is not None:
                        decision = keeping[0]
                        kept.append(keeping[1])
                decided[article_id] = decision
            items = [d for d in (decided[a.id] for a in due) if isinstance(d, PublishItem)]
            blocked += [d for d in (decided[a.id] for a in due) if isinstance(d, Blocked)]
            ui_catalog = _approved_ui_catalog(workspace, mirror,
                                              {e.key for e in ui_states if e.state is State.APPROVED})
            report = publish(workspace, mirror, items, as_of=today, dry_run=dry_run, now=now, withdraw=withdraw,
                             ui_catalog=ui_catalog)
            held = {b.article for b in blocked}
            blocked += [Blocked(a, BlockReason.WITHDRAWN, message=f"withdrawn by {actor}; approve it again to "
                                                                      "publish it")
                        for a in sorted(withdraw) if a not in held]
            report = replace(report, blocked=tuple(sorted(report.blocked + tuple(blocked),
                                                          key=lambda b: (b.article, b.reason.value))),
                             kept=tuple(k for k in kept if k.article not in withdraw),
                             gated=len(ids), cached=len(due) - len(ids))
            if not dry_run:
                at = now.astimezone(dt.UTC).replace(tzinfo=None)
                versions = {item.article.id: item.approved_version for item in items}
                records = [PublicationRecord(at, mirror.name, a, language, "published", versions[a], actor)
                           for a in report.published]
                records += [PublicationRecord(at, mirror.name, a, language, "updated", versions[a], actor)
                            for a in report.updated]
                records += [PublicationRecord(at, mirror.name, a, language, "withdrawn", "",
                                                 actor if a in withdraw else SYSTEM_ACTOR)
                            for a in report.withdrawn]
                # A withdrawal by hand is recorded even when the article was not on the mirror: it keeps it off.
                records += [PublicationRecord(at, mirror.name, a, language, "withdrawn", "", actor)
                            for a in sorted(set(withdraw) - set(report.withdrawn))
                            if not (a in last and last[a].action == "withdrawn" and last[a].actor == actor)]
                with tracker.transaction() as session:
                    record_publications(session, records)
                # A kept article is gated again every run (what it shows depends on the mirror's output), and
                # so is one withdrawn by hand now (it was gated before this run's withdrawal was logged).
                keep_out = {k.article for k in report.kept} | set(withdraw)
                _remember_decisions(workspace, mirror, marks, {r.article for r in records}, {
                    a.id: (inputs[a.id], decided[a.id]) for a in due if a.id not in keep_out})
                # Stamped after the write: the output link and the publication log are part of the stamp.
                _remember(workspace, mirror, _stamp(workspace, mirror, today), report)
            reports.append(report)
    finally:
        tracker.close()
    return reports


def _approved_ui_catalog(workspace: Workspace, mirror: Mirror, approved: Collection[str]) -> Catalog | None:
    """The language's UI catalog with only its approved entries (html mirrors show reviewed text only)."""
    if mirror.format is not MirrorFormat.HTML:
        return None
    catalog = _ui_catalog(workspace, mirror)
    if catalog is None:
        return None
    return catalog.restricted_to(approved)


# -- the no-op check ---------------------------------------------------------------------------------------


def _stamp(workspace: Workspace, mirror: Mirror, today: dt.date) -> str:
    """A digest of everything a mirror's publication depends on; equal stamps give equal mirrors.

    Read with plain sqlite3 where possible (no SQLAlchemy, no PO parsing): the tracker's latest history,
    approval and publication ids for the mirror (and how many approvals were revoked), its articles, the
    source files' and site files' stats, the mirror's settings and what its output points at.
    """
    from i18n import __version__
    from i18n.workflow.status import reading

    language = mirror.language.code
    parts: list[Any] = [__version__, repr(mirror), today.isoformat()]
    with reading(workspace) as snapshot:
        parts.append([list(r) for r in snapshot.rows(
            "SELECT MAX(id) FROM history WHERE language = :l", {"l": language})])
        parts.append([list(r) for r in snapshot.rows(
            "SELECT MAX(id), COUNT(revoked_at) FROM approvals WHERE language = :l", {"l": language})])
        parts.append([list(r) for r in snapshot.rows(
            "SELECT MAX(id) FROM publications WHERE mirror = :m", {"m": mirror.name})])
        articles = snapshot.rows("SELECT id, date, source_path, source_hash FROM articles "
                                 "WHERE removed = :no ORDER BY id", {"no": False})
    digest = hashlib.sha256()
    files: set[str] = set()
    for article_id, date, source, source_hash in articles:
        digest.update(f"{article_id}\t{date}\t{source}\t{source_hash}\n".encode())
        files.add(str(source))
    parts.append(digest.hexdigest())
    root = str(workspace.root)
    stats = []
    for name in sorted(files):
        try:
            stat = os.stat(f"{root}/{name}")
            stats.append((name, stat.st_size, stat.st_mtime_ns))
        except OSError:
            stats.append((name, -1, -1))
    ui = workspace.ui_catalog_path(mirror.language)
    for path in [ui, *(sorted(workspace.site_templates.rglob("*")) if mirror.format is MirrorFormat.HTML else ())]:
        try:
            stat = path.stat()
            stats.append((str(path), stat.st_size, stat.st_mtime_ns))
        except OSError:
            stats.append((str(path), -1, -1))
    parts.append(hashlib.sha256(json.dumps(stats).encode()).hexdigest())
    output = mirror.output
    try:
        target = os.readlink(output)
        manifest = os.stat(output / "manifest.json")
        parts.append([target, manifest.st_size, manifest.st_mtime_ns])
    except OSError:
        parts.append(None)
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _cache_path(workspace: Workspace, mirror: Mirror) -> Path:
    return workspace.state_dir / CACHE_DIR / f"{mirror.name}.json"


def _cached(workspace: Workspace, mirror: Mirror, stamp: str) -> PublishReport | None:
    """The mirror's last report, if nothing it depends on changed since (as "unchanged")."""
    try:
        data = json.loads(_cache_path(workspace, mirror).read_text(encoding="utf-8"))
        if data.get("stamp") != stamp:
            return None
        report = data["report"]
        return PublishReport(
            mirror=mirror.name, language=mirror.language.code, format=mirror.format, output=mirror.output,
            as_of=dt.date.fromisoformat(report["as_of"]), dry_run=False,
            unchanged=tuple(sorted(report["published"] + report["updated"] + report["unchanged"])),
            blocked=tuple(Blocked.from_json(b) for b in report["blocked"]), version=report["version"],
            kept=tuple(Kept.from_json(k) for k in report["kept"]), gated=0,
            cached=int(report["gated"]) + int(report["cached"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remember(workspace: Workspace, mirror: Mirror, stamp: str, report: PublishReport) -> None:
    from i18n.core.atomic import write_atomic

    path = _cache_path(workspace, mirror)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps({"stamp": stamp, "report": report.to_json()}).encode("utf-8"))


# -- the per-article cache ---------------------------------------------------------------------------------

#: Per-article gate decisions of a mirror's last run (``.i18n/publish/<mirror>.articles.json``): a cache.
_DECISIONS_VERSION = 1


@dataclass(frozen=True, slots=True)
class _Decision:
    """What the gate decided for one article, and a digest of everything that decision depends on."""

    inputs: str
    decision: PublishItem | Blocked


def _article_inputs(workspace: Workspace, mirror: Mirror, ids: Sequence[str]) -> dict[str, str]:
    """A digest per article of everything the gate reads for it on ``mirror`` (equal digests, equal decisions).

    The mirror's settings and the tool's version; the article's tracker row (date, source file, source
    hash); its current entries (how many, the newest id); in the mirror's language its entry states (how
    many, the latest change), history (the newest record: every state change, edit and import writes one),
    approvals (the newest, and how many were revoked: a rejection revokes without adding one); and its
    source file's size and modification time. Read with grouped queries, one per table, so that a change
    to one article changes only its digest. The publication log (a withdrawal by hand) is
    :func:`_publication_marks`.
    """
    from i18n import __version__
    from i18n.workflow.status import reading

    language = {"l": mirror.language.code}
    by_article: dict[str, list[Any]] = {a: [] for a in ids}

    def collect(sql: str, params: dict[str, Any]) -> None:
        found = {str(row[0]): [str(v) for v in row[1:]] for row in snapshot.rows(sql, params)}
        for article, parts in by_article.items():
            parts.append(found.get(article))

    with reading(workspace) as snapshot:
        collect("SELECT id, date, source_path, source_hash FROM articles WHERE removed = :no", {"no": False})
        collect("SELECT article_id, COUNT(*), MAX(id) FROM entries WHERE removed = :no GROUP BY article_id",
                {"no": False})
        collect("SELECT e.article_id, COUNT(*), MAX(s.changed_at) FROM entry_states s "
                "JOIN entries e ON e.id = s.entry_id WHERE s.language = :l GROUP BY e.article_id", language)
        collect("SELECT e.article_id, MAX(h.id) FROM history h JOIN entries e ON e.id = h.entry_id "
                "WHERE h.language = :l GROUP BY e.article_id", language)
        collect("SELECT e.article_id, MAX(a.id), COUNT(a.revoked_at) FROM approvals a "
                "JOIN entries e ON e.id = a.entry_id WHERE a.language = :l GROUP BY e.article_id", language)
    root = str(workspace.root)
    stats: dict[str, tuple[int, int]] = {}
    common = json.dumps([_DECISIONS_VERSION, __version__, repr(mirror)])
    digests: dict[str, str] = {}
    for article, parts in by_article.items():
        source = parts[0][1] if parts[0] else ""
        if source not in stats:
            try:
                stat = os.stat(f"{root}/{source}")
                stats[source] = (stat.st_size, stat.st_mtime_ns)
            except OSError:
                stats[source] = (-1, -1)
        parts.append(stats[source])
        digests[article] = hashlib.sha256(f"{common}\t{article}\t{json.dumps(parts)}".encode()).hexdigest()
    return digests


def _decisions_path(workspace: Workspace, mirror: Mirror) -> Path:
    return workspace.state_dir / CACHE_DIR / f"{mirror.name}.articles.json"


def _cached_decisions(workspace: Workspace, mirror: Mirror) -> dict[str, _Decision]:
    """The gate decisions of the mirror's last run (none when the cache is missing or damaged)."""
    try:
        data = json.loads(_decisions_path(workspace, mirror).read_text(encoding="utf-8"))
        if data.get("version") != _DECISIONS_VERSION:
            return {}
        found: dict[str, _Decision] = {}
        for article, entry in data["articles"].items():
            decision: PublishItem | Blocked = (PublishItem.from_json(entry["item"]) if "item" in entry
                                               else Blocked.from_json(entry["blocked"]))
            owner = decision.article.id if isinstance(decision, PublishItem) else decision.article
            if owner != article:
                continue
            found[article] = _Decision(str(entry["inputs"]), decision)
        return found
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _publication_marks(workspace: Workspace, mirror: Mirror) -> dict[str, str]:
    """The newest publication record of each article on ``mirror`` (a withdrawal by hand changes a decision)."""
    from i18n.workflow.status import reading

    with reading(workspace) as snapshot:
        rows = snapshot.rows("SELECT article_id, MAX(id) FROM publications WHERE mirror = :m GROUP BY article_id",
                             {"m": mirror.name})
    return {str(article): str(mark) for article, mark in rows}


def _remember_decisions(workspace: Workspace, mirror: Mirror, marks: dict[str, str], written: Collection[str],
                        decisions: dict[str, tuple[str, PublishItem | Blocked]]) -> None:
    """Store this run's gate decisions, keyed by the inputs they were gated on and the publication log after
    this run's records (``written``: the articles this run logged; any other change to the log since
    ``marks`` was read drops the decision)."""
    from i18n.core.atomic import write_atomic

    after = _publication_marks(workspace, mirror)
    articles: dict[str, Any] = {}
    for article, (inputs, decision) in decisions.items():
        if article not in written and after.get(article) != marks.get(article):
            continue
        articles[article] = {"inputs": f"{inputs}:{after.get(article)}", **(
            {"item": decision.to_json()} if isinstance(decision, PublishItem) else {"blocked": decision.to_json()})}
    path = _decisions_path(workspace, mirror)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps({"version": _DECISIONS_VERSION, "articles": articles},
                                  ensure_ascii=False).encode("utf-8"), durable=False)
