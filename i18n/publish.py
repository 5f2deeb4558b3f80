"""Publishing: put the articles a caller has cleared for a mirror onto it, atomically and incrementally.

``publish(workspace, mirror, items, as_of=..., dry_run=...)`` is the use case below ``i18n publish``. The
caller decides which articles may be published (fully approved in the mirror's language, or their last
approved version per the mirror's ``on_source_change`` policy) and passes them as :class:`PublishItem`\\ s:
the whole set the mirror should show. This function checks that each is due (its date plus the
mirror's embargo has come in the mirror's time zone), renders the mirror's format and writes it with
:func:`i18n.mirrors.write_mirror`, which stages the new state and swaps it in; it reports what was
published, updated, withdrawn, left unchanged and blocked.

:func:`catalog_items` builds items straight from the catalogs' translated, non-fuzzy entries, for tests
and demos; publishing for real feeds :func:`i18n.assemble.assemble` the approved texts from the tracker.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from i18n.articles import Article
from i18n.assemble import IncompleteTranslation, MissingEntry, assemble, catalog_texts
from i18n.catalog import Catalog
from i18n.errors import CatalogNotFound
from i18n.mirrors import (
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
from i18n.pofile import read_catalog
from i18n.workspace import Workspace

__all__ = ["BlockReason", "Blocked", "PublishItem", "PublishReport", "catalog_items", "publication_time", "publish"]


class BlockReason(enum.Enum):
    """Why an article is not on a mirror."""

    NOT_DUE = "not-due"
    """Its date (plus the mirror's embargo) has not come yet in the mirror's time zone."""
    NOT_APPROVED = "not-approved"
    """Some entries have no approved (or, for :func:`catalog_items`, no finished) translation."""


@dataclass(frozen=True, slots=True)
class Blocked:
    """An article kept off the mirror, and why."""

    article: str
    reason: BlockReason
    due: dt.date | None = None
    missing: tuple[MissingEntry, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "article": self.article, "reason": self.reason.value,
            "due": self.due.isoformat() if self.due else None,
            "entries": [{"key": m.key, "msgctxt": m.msgctxt, "msgid": m.msgid, "state": m.gap.value}
                        for m in self.missing],
        }


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
            "files": {"written": list(self.files_written), "removed": list(self.files_removed)},
            "version": self.version,
        }


def publication_time() -> dt.datetime:
    """Now, in UTC; ``SOURCE_DATE_EPOCH`` pins it (reproducible demos and tests)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(float(epoch) if epoch else time.time(), dt.UTC)


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
    site = Site(mirror=mirror, project=workspace.settings.project, templates=_templates(workspace),
                ui_catalog=ui_catalog if ui_catalog is not None else _ui_catalog(workspace, mirror))
    changes = write_mirror(site, due, now, dry_run=dry_run)
    return PublishReport(
        mirror=mirror.name, language=mirror.language.code, format=mirror.format, output=mirror.output,
        as_of=today, dry_run=dry_run, published=changes.published, updated=changes.updated,
        withdrawn=changes.withdrawn, unchanged=changes.unchanged,
        blocked=tuple(sorted(blocked, key=lambda b: b.article)), files_written=changes.files_written,
        files_removed=changes.files_removed, version=changes.version, changes=changes,
    )


def catalog_items(workspace: Workspace, mirror: Mirror, articles: Sequence[Article]
                  ) -> tuple[list[PublishItem], list[Blocked]]:
    """Items from the catalogs' finished (translated, non-fuzzy) entries, and the articles that have gaps.

    For tests and the demo until the tracker gates publication: translators are the catalogs'
    ``Last-Translator`` names; there are no reviewers.
    """
    items: list[PublishItem] = []
    blocked: list[Blocked] = []
    for article in articles:
        path = workspace.catalog_path(mirror.language, article.id, article.year)
        try:
            catalog = read_catalog(path)
        except CatalogNotFound:
            blocked.append(Blocked(article.id, BlockReason.NOT_APPROVED))
            continue
        try:
            translation = assemble(article, mirror.language.code, catalog_texts(catalog))
        except IncompleteTranslation as exc:
            blocked.append(Blocked(article.id, BlockReason.NOT_APPROVED, missing=exc.missing))
            continue
        translator = (catalog.header("Last-Translator") or "").split("<")[0].strip()
        items.append(PublishItem(translation, translators=(translator,) if translator else ()))
    return items, blocked


def _templates(workspace: Workspace) -> Path:
    """The site's Jinja2 templates: ``<ui root>/templates`` of the first UI root (``site/templates``)."""
    roots = [rule.root for rule in workspace.settings.ui]
    return workspace.root / (roots[0] if roots else Path("site")) / "templates"


def _ui_catalog(workspace: Workspace, mirror: Mirror) -> Catalog | None:
    if mirror.format is not MirrorFormat.HTML:
        return None
    try:
        return read_catalog(workspace.ui_catalog_path(mirror.language))
    except CatalogNotFound:
        return None
