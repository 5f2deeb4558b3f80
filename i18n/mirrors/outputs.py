"""Writing a mirror: the atomic, incremental write of the articles cleared for it, in its format.

The mirrors room, by module: :mod:`~i18n.mirrors.config` (a ``[mirrors.NAME]`` table, validated),
:mod:`~i18n.mirrors.items` (what a mirror shows), :mod:`~i18n.mirrors.site` (what its pages share),
one module per format (:mod:`~i18n.mirrors.html_pages`, :mod:`~i18n.mirrors.markdown_pages`,
:mod:`~i18n.mirrors.json_pages`, with :mod:`~i18n.mirrors.body` for the body as safe HTML),
:mod:`~i18n.mirrors.store` (the versioned folders) and :mod:`~i18n.mirrors.gate` (what may be published).
This module re-exports the names callers use, so ``from i18n.mirrors.outputs import Mirror`` keeps working.

**How a mirror is written.** :func:`write_mirror` renders only what changed and hands the files to
:class:`i18n.mirrors.store.VersionStore`, which builds the next complete version of the mirror beside the
current one and swaps ``output`` (a symbolic link) to it atomically: a web server serves the whole old
mirror or the whole new one, never a mix, and a copy of ``$(readlink -f output)/`` (rsync, tar) is a
consistent snapshot; a crash leaves ``output`` pointing at the previous, intact version. Per-file atomic
replacement was rejected: a reader walking the folder during a run would see a new index linking to
pages it does not have yet.

Nothing is written when nothing changed: the manifest records the content hash of every article and of
the listings, and a run whose hashes all match (and whose files are all present) stops before creating
anything. Files the tool did not create (not in the manifest) are carried into every new version, never
deleted, and never overwritten: a run that would overwrite one fails instead. Every output path is built
from a validated article id and checked to stay inside the version folder.

Translations are untrusted: each format module says how it keeps them from running in a reader's browser.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from i18n.core.errors import MirrorError
from i18n.mirrors.body import body_html
from i18n.mirrors.config import Mirror, MirrorFormat, SourceChangePolicy, is_due, load_mirrors, mirror_named, today_in
from i18n.mirrors.html_pages import HtmlRenderer
from i18n.mirrors.items import (
    LiveVersion,
    PublicationAction,
    PublishedVersion,
    PublishItem,
    ServedText,
    live_versions,
    published_item,
    published_versions,
    store_of,
)
from i18n.mirrors.json_pages import article_json, index_json
from i18n.mirrors.markdown_pages import markdown_file
from i18n.mirrors.site import Listed, Site, article_path, json_bytes
from i18n.mirrors.store import MANIFEST_NAME, MANIFEST_NAMES, Manifest, ManifestArticle, VersionStore, files_in, safe_id

__all__ = [
    "MANIFEST_NAME",
    "LiveVersion",
    "Manifest",
    "ManifestArticle",
    "Mirror",
    "MirrorChanges",
    "MirrorError",
    "MirrorFormat",
    "PublicationAction",
    "PublishItem",
    "PublishedVersion",
    "ServedText",
    "Site",
    "SourceChangePolicy",
    "article_path",
    "body_html",
    "is_due",
    "live_versions",
    "load_mirrors",
    "mirror_named",
    "published_item",
    "published_versions",
    "today_in",
    "write_mirror",
]


class _Renderer:
    """Turns articles and listings into file contents in the mirror's format."""

    def __init__(self, site: Site) -> None:
        self.mirror = site.mirror
        self._html = HtmlRenderer(site)

    def article_files(self, item: PublishItem) -> dict[str, bytes]:
        path = article_path(self.mirror, item.article)
        if self.mirror.format is MirrorFormat.MARKDOWN:
            return {path: markdown_file(self.mirror, item)}
        if self.mirror.format is MirrorFormat.JSON:
            return {path: article_json(self.mirror, item, self._html.body(item.article))}
        return self._html.article_files(item)

    def listing_files(self, listed: Sequence[Listed]) -> dict[str, bytes]:
        """Files that list articles (newest first): html index pages, archive, feed; json index."""
        ordered = sorted(listed, key=lambda x: (x.item.article.date, x.item.article.id), reverse=True)
        if self.mirror.format is MirrorFormat.MARKDOWN:
            return {}
        if self.mirror.format is MirrorFormat.JSON:
            return {"index.json": index_json(self.mirror, ordered)}
        return self._html.listing_files(ordered)


@dataclass(frozen=True, slots=True)
class MirrorChanges:
    """What a mirror write did (or, in a dry run, would do)."""

    published: tuple[str, ...] = ()
    """Articles that were not on the mirror and now are."""
    updated: tuple[str, ...] = ()
    """Articles whose pages changed (a new approved version, or new templates or UI texts)."""
    withdrawn: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    files_written: tuple[str, ...] = ()
    files_removed: tuple[str, ...] = ()
    version: str | None = None
    """The mirror's version folder after the run (``None``: nothing was ever published)."""
    manifest: Manifest | None = field(default=None, compare=False)

    @property
    def changed(self) -> bool:
        return bool(self.files_written or self.files_removed)


def write_mirror(site: Site, items: Sequence[PublishItem], now: dt.datetime, *, dry_run: bool = False
                 ) -> MirrorChanges:
    """Make ``site.mirror`` hold exactly ``items`` (and whatever else was put there by others).

    ``items`` is the whole set of articles the mirror should show: an article on the mirror that is not
    among them is withdrawn. Writes nothing when nothing changed; see the module docstring for how the
    new state is staged and swapped in atomically. ``now`` (timezone-aware) stamps publication times.
    """
    mirror = site.mirror
    ids = [item.article.id for item in items]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise MirrorError(f"article {duplicate} is listed twice for mirror {mirror.name}")
    for item in items:
        safe_id(item.article.id, Path(item.article.source))
        if item.article.language != mirror.language.code:
            raise MirrorError(f"article {item.article.id} is in '{item.article.language}', but mirror "
                              f"{mirror.name} is in '{mirror.language.code}'")
    store = store_of(mirror)
    if dry_run or (not items and store.current() is None):
        return _write(site, items, now, store, dry_run=True)
    with store.lock():
        return _write(site, items, now, store, dry_run=False)


@dataclass(slots=True)
class _ArticlePlan:
    """The articles of the next version: their manifest records, what was rendered, and what changed."""

    records: list[ManifestArticle] = field(default_factory=list)
    rendered: dict[str, bytes] = field(default_factory=dict)
    published: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _plan_articles(items: Sequence[PublishItem], before: dict[str, ManifestArticle], existing: set[str],
                   fingerprint: str, renderer: _Renderer, stamp: str) -> _ArticlePlan:
    """Render the articles whose content hash changed (or whose files are missing); keep the others' records."""
    plan = _ArticlePlan()
    for item in sorted(items, key=lambda i: i.article.id):
        article = item.article
        content_hash = _item_hash(item, fingerprint)
        previous = before.get(article.id)
        if (previous is not None and previous.hash == content_hash
                and all(name in existing for name in previous.files)):
            plan.unchanged.append(article.id)
            plan.records.append(previous)
            continue
        produced = renderer.article_files(item)
        plan.rendered.update(produced)
        (plan.updated if previous is not None else plan.published).append(article.id)
        plan.records.append(ManifestArticle(
            id=article.id, title=article.title, date=article.date, version=item.approved_version,
            hash=content_hash, source_digest=article.source_digest,
            published_at=previous.published_at if previous is not None else stamp,
            updated_at=stamp if previous is None or previous.hash != content_hash else previous.updated_at,
            files=tuple(sorted(produced)),
        ))
    return plan


@dataclass(frozen=True, slots=True)
class _ListingPlan:
    """The listing files of the next version: their hash, whether they are unchanged, and their names."""

    hash: str
    unchanged: bool
    files: dict[str, bytes]
    """The rendered listing files (empty when unchanged)."""
    old_names: set[str]
    """The listing files of the current version."""


def _plan_listings(items: Sequence[PublishItem], records: Sequence[ManifestArticle], old: Manifest | None,
                   existing: set[str], fingerprint: str, renderer: _Renderer) -> _ListingPlan:
    """Render the listings unless what they show (and the files) are as in the current version."""
    by_id = {r.id: r for r in records}
    listed = [Listed(item, by_id[item.article.id]) for item in items]
    listings_hash = hashlib.sha256(json.dumps(
        [fingerprint, *sorted([r.id, r.hash, r.published_at, r.updated_at] for r in records)]
    ).encode("utf-8")).hexdigest()
    old_files = dict(old.files) if old is not None else {}
    old_article_files = {f for a in (old.articles if old is not None else ()) for f in a.files}
    old_names = {f for f in old_files if f not in old_article_files}
    unchanged = (old is not None and old.listings == listings_hash
                 and all(name in existing for name in old_names))
    files = {} if unchanged else renderer.listing_files(listed)
    return _ListingPlan(listings_hash, unchanged, files, old_names)


def _write(site: Site, items: Sequence[PublishItem], now: dt.datetime, store: VersionStore, *, dry_run: bool
           ) -> MirrorChanges:
    mirror = site.mirror
    current = store.current()
    old = store.manifest(current) if current is not None else None
    existing = files_in(current) if current is not None else set()
    stamp = now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    fingerprint = site.fingerprint
    renderer = _Renderer(site)

    before = {a.id: a for a in old.articles} if old is not None and old.format == mirror.format.value else {}
    plan = _plan_articles(items, before, existing, fingerprint, renderer, stamp)
    wanted = {item.article.id for item in items}
    withdrawn = tuple(sorted(a for a in before if a not in wanted))
    listings = _plan_listings(items, plan.records, old, existing, fingerprint, renderer)
    rendered = {**plan.rendered, **listings.files}

    old_files = dict(old.files) if old is not None else {}
    hashes = {name: _sha256(data) for name, data in rendered.items()}
    new_files = {name: hashes.get(name, old_files.get(name, ""))
                 for name in [*(f for r in plan.records for f in r.files),
                              *(listings.old_names if listings.unchanged else listings.files)]}
    removed = tuple(sorted(f for f in old_files if f not in new_files))
    written = tuple(sorted(name for name, digest in hashes.items()
                           if old_files.get(name) != digest or name not in existing))

    nothing_to_do = (current is not None and old is not None and not written and not removed
                     and not plan.published and not plan.updated and not withdrawn and old.site == fingerprint
                     and old.listings == listings.hash)
    manifest = Manifest(
        mirror=mirror.name, language=mirror.language.code, format=mirror.format.value, site=fingerprint,
        listings=listings.hash, articles=tuple(plan.records), files=tuple(sorted(new_files.items())),
        generated_at=old.generated_at if nothing_to_do and old is not None else stamp,
    )
    changes = MirrorChanges(
        published=tuple(plan.published), updated=tuple(plan.updated), withdrawn=withdrawn,
        unchanged=tuple(plan.unchanged), files_written=written, files_removed=removed,
        version=current.name if current is not None else None, manifest=manifest,
    )
    if nothing_to_do or dry_run or (current is None and not items):
        return changes
    fresh = set(plan.published) | set(plan.updated)
    return replace(changes, version=_commit(store, current, existing, old_files, rendered, new_files, written,
                                            manifest, items, fresh))


def _commit(store: VersionStore, current: Path | None, existing: set[str], old_files: dict[str, str],
            rendered: dict[str, bytes], new_files: dict[str, str], written: Sequence[str], manifest: Manifest,
            items: Sequence[PublishItem], fresh: set[str]) -> str:
    """Hand the new version to the store (refusing to overwrite a file i18n did not create); its name."""
    foreign = {name for name in existing if name not in old_files and name not in MANIFEST_NAMES}
    clash = sorted(set(rendered) & foreign)
    if clash:
        raise MirrorError(
            f"refusing to overwrite {clash[0]}: the file was not created by i18n", path=store.output / clash[0],
            hint="move it away, or choose another output folder for the mirror")
    changed = set(written)
    keep = sorted(name for name in new_files if name not in changed) + sorted(foreign)
    by_item = {item.article.id: item for item in items}
    snapshots = {(r.id, r.hash): _snapshot_writer(by_item[r.id]) for r in manifest.articles}
    # The versions just published are kept by version, for a rollback (the store keeps the newest few).
    history = {(a, by_item[a].approved_version): _snapshot_writer(by_item[a]) for a in sorted(fresh)}
    return store.commit(current, keep, {name: rendered[name] for name in sorted(changed)},
                        json_bytes(manifest.to_json()), snapshots=snapshots, history=history)


def _snapshot_writer(item: PublishItem) -> Callable[[], bytes]:
    return lambda: json.dumps(item.to_json(), ensure_ascii=False).encode("utf-8")


def _item_hash(item: PublishItem, fingerprint: str) -> str:
    """A hash of everything an article's files show (fields joined with their lengths: unambiguous)."""
    article = item.article
    fields = [
        fingerprint, item.approved_version, article.id, article.language, article.date.isoformat(),
        article.title, article.author, article.image_src or "", article.image_alt or "",
        article.image_caption or "", article.original_title, article.body,
    ]
    for group in (article.credits, article.tags, article.html_blocks, item.translators, item.reviewers):
        fields.append(str(len(group)))
        fields.extend(group)
    digest = hashlib.sha256()
    for text in fields:
        data = text.encode("utf-8")
        digest.update(b"%d:" % len(data))
        digest.update(data)
    return digest.hexdigest()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
