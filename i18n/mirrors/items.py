"""What a mirror shows: the articles cleared for it (:class:`PublishItem`), the versions it shows now, and the
closed set of things a publication run does to an article (:class:`PublicationAction`)."""

from __future__ import annotations

import datetime as dt
import enum
import json
from dataclasses import dataclass
from typing import Any

from i18n.content.assemble import TranslatedArticle
from i18n.mirrors.config import Mirror
from i18n.mirrors.store import VersionStore

__all__ = ["LiveVersion", "PublicationAction", "PublishItem", "PublishedVersion", "ServedText", "live_versions",
           "published_item", "published_versions"]


def store_of(mirror: Mirror) -> VersionStore:
    """The versioned folders behind ``mirror``'s output (with its ``keep_versions`` and manifest name)."""
    return VersionStore(mirror.output, mirror.keep_versions, mirror.manifest_name)


class PublicationAction(enum.StrEnum):
    """What a publication run did, or would do, to an article on a mirror.

    The first six are the words of the publication log (the tracker's ``publications.action``), of
    ``i18n log`` and of ``i18n publish``'s report; ``unchanged``, ``kept`` and ``blocked`` only appear in
    the report.
    """

    PUBLISHED = "published"
    """It was not on the mirror and now is."""
    UPDATED = "updated"
    """Its pages changed (a new approved version, or new templates or UI texts)."""
    WITHDRAWN = "withdrawn"
    """Taken off: by hand (``--withdraw``), or because it can no longer be published."""
    RESTORED = "restored"
    """A withdrawal or rollback by hand lifted (``--restore``): the article follows its approvals again."""
    ROLLED_BACK = "rolled-back"
    """An earlier published version put back by hand (``--rollback``); it stays until a new approval."""
    UNCHANGED = "unchanged"
    KEPT = "kept"
    """Its changed source is not approved yet: the mirror keeps its live version."""
    BLOCKED = "blocked"

    @property
    def dry_run_label(self) -> str:
        """The word a dry run uses: ``would publish``, ``would withdraw``..."""
        verbs = {"published": "publish", "updated": "update", "withdrawn": "withdraw", "restored": "restore",
                 "rolled-back": "roll back"}
        verb = verbs.get(self.value)
        return f"would {verb}" if verb else self.value


@dataclass(frozen=True, slots=True)
class PublishItem:
    """One article to have on a mirror: its translation, which approved version it is, and who made it."""

    article: TranslatedArticle
    version: str = ""
    """The approved version's id (from the tracker); empty: the translation's own digest."""
    translators: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    served: tuple[ServedText, ...] = ()
    """The approvals whose texts the article shows (kept with its snapshot: see :func:`live_item`)."""

    @property
    def approved_version(self) -> str:
        return self.version or self.article.translation_digest[:16]

    def to_json(self) -> dict[str, Any]:
        """Everything needed to publish this item again, as JSON values (the snapshot and cache shape)."""
        a = self.article
        return {
            "article": {"id": a.id, "language": a.language, "date": a.date.isoformat(), "title": a.title,
                        "author": a.author, "credits": list(a.credits), "image_src": a.image_src,
                        "image_alt": a.image_alt, "image_caption": a.image_caption, "tags": list(a.tags),
                        "body": a.body, "html_blocks": list(a.html_blocks), "original_title": a.original_title,
                        "source": a.source, "source_digest": a.source_digest,
                        "translation_digest": a.translation_digest},
            "version": self.version, "translators": list(self.translators), "reviewers": list(self.reviewers),
            "served": [[s.key, s.source_hash, s.translation_hash] for s in self.served],
        }

    @classmethod
    def from_json(cls, data: Any) -> PublishItem:
        """The item :meth:`to_json` gave (a ``KeyError``, ``TypeError`` or ``ValueError`` if it is damaged)."""
        a = data["article"]

        def optional(value: Any) -> str | None:
            return None if value is None else str(value)

        article = TranslatedArticle(
            id=str(a["id"]), language=str(a["language"]), date=dt.date.fromisoformat(a["date"]),
            title=str(a["title"]), author=str(a["author"]), credits=tuple(str(c) for c in a["credits"]),
            image_src=optional(a["image_src"]), image_alt=optional(a["image_alt"]),
            image_caption=optional(a["image_caption"]), tags=tuple(str(t) for t in a["tags"]), body=str(a["body"]),
            html_blocks=tuple(str(h) for h in a["html_blocks"]), original_title=str(a["original_title"]),
            source=str(a["source"]), source_digest=str(a["source_digest"]),
            translation_digest=str(a["translation_digest"]))
        return cls(article, version=str(data["version"]), translators=tuple(str(t) for t in data["translators"]),
                   reviewers=tuple(str(r) for r in data["reviewers"]),
                   served=tuple(ServedText(str(k), str(s), str(t)) for k, s, t in data["served"]))


@dataclass(frozen=True, slots=True)
class ServedText:
    """One approval an article shows: the entry key and the hashes of the approved source and translation."""

    key: str
    source_hash: str
    translation_hash: str


@dataclass(frozen=True, slots=True)
class LiveVersion:
    """The version of an article a mirror shows now, as it was published (its snapshot)."""

    item: PublishItem
    updated_at: str
    """When this content went live (UTC, ISO 8601: the manifest's ``updated_at``)."""


def live_versions(mirror: Mirror) -> dict[str, LiveVersion]:
    """The articles ``mirror`` shows now, as published (articles without a stored snapshot are left out).

    A snapshot is stored with every version of an article the mirror publishes (beside the version
    folders, never served); it is what ``on_source_change = "keep"`` keeps live while a changed source is
    not approved yet.
    """
    store = store_of(mirror)
    current = store.current()
    if current is None:
        return {}
    manifest = store.manifest(current)
    if manifest.format != mirror.format.value:
        return {}
    found: dict[str, LiveVersion] = {}
    for record in manifest.articles:
        data = store.read_snapshot(record.id, record.hash)
        if data is None:
            continue
        try:
            item = PublishItem.from_json(json.loads(data))
        except (KeyError, TypeError, ValueError):
            continue  # a damaged snapshot is a missing one: the article is gated as if it had none
        if item.article.id == record.id:
            found[record.id] = LiveVersion(item, record.updated_at)
    return found



@dataclass(frozen=True, slots=True)
class PublishedVersion:
    """An earlier (or the current) published version of an article, kept on a mirror for a rollback."""

    mirror: str
    version: str
    published_at: dt.datetime
    """When the mirror last published it (UTC)."""
    live: bool
    """Whether the mirror shows it now."""

    def to_json(self) -> dict[str, Any]:
        return {"mirror": self.mirror, "version": self.version,
                "published_at": self.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"), "live": self.live}


def published_versions(mirror: Mirror, article_id: str) -> tuple[PublishedVersion, ...]:
    """The versions of an article kept on ``mirror`` (``[publish] keep_versions`` of them), newest first."""
    store = store_of(mirror)
    kept = store.published_versions(article_id)
    if not kept:
        return ()
    current = store.current()
    manifest = store.manifest(current) if current is not None else None
    shown = next((a.version for a in manifest.articles if a.id == article_id), None) if manifest else None
    return tuple(PublishedVersion(mirror.name, version, at, version == shown) for version, at in kept)


def published_item(mirror: Mirror, article_id: str, version: str) -> PublishItem | None:
    """The kept published version of an article whose id starts with ``version`` (``None``: none or several)."""
    store = store_of(mirror)
    matches = [v for v, _ in store.published_versions(article_id) if v.startswith(version.lower())]
    if len(matches) != 1:
        return None
    data = store.read_published(article_id, matches[0])
    if data is None:
        return None
    try:
        item = PublishItem.from_json(json.loads(data))
    except (KeyError, TypeError, ValueError):
        return None  # a damaged copy is a missing one
    return item if item.article.id == article_id else None
