"""What every page of one mirror shares (:class:`Site`, its fingerprint), and where an article's file goes."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from i18n import __version__
from i18n.catalogs.catalog import Catalog
from i18n.catalogs.mofile import format_mo
from i18n.content.assemble import TranslatedArticle
from i18n.mirrors.config import Mirror, MirrorFormat
from i18n.mirrors.items import PublishItem
from i18n.mirrors.store import ManifestArticle, safe_id, safe_relative

__all__ = ["RENDERER_VERSION", "STYLESHEET", "Alternate", "Listed", "Site", "alternates", "article_path",
           "json_bytes"]

#: Bumped when the output of a renderer changes, so that every page is rendered again.
RENDERER_VERSION = "2"
#: The html mirror's stylesheet: ``site/templates/style.css`` (the default one when missing), copied as is.
STYLESHEET = "style.css"


@dataclass(frozen=True, slots=True)
class Alternate:
    """Another html mirror, for the language switch: its language and where its root is from this one's."""

    code: str
    name: str
    """The language's English name (a tooltip: the switch itself shows the code)."""
    base: str
    """The other mirror's root: its ``base_url`` when both mirrors have one, else a path relative to this
    mirror's root (``../catalan/``: mirrors published side by side)."""


@dataclass(frozen=True, slots=True)
class Site:
    """What every page of one mirror shares: the mirror, the project's name, the UI translations, templates."""

    mirror: Mirror
    project: str
    templates: Path
    """The workspace's ``site/templates`` (html mirrors)."""
    ui_catalog: Catalog | None = None
    """The language's ``messages`` catalog (html mirrors); compiled with :mod:`i18n.catalogs.mofile`."""
    alternates: tuple[Alternate, ...] = ()
    """The other html mirrors (the language switch; html mirrors)."""

    @property
    def fingerprint(self) -> str:
        """Changes whenever something every page depends on changes: templates, UI texts, settings."""
        return _site_fingerprint(self)


def _fingerprint_parts(templates: Path) -> tuple[tuple[str, bytes], ...]:
    if not templates.is_dir():
        return ()
    return tuple(
        (path.relative_to(templates).as_posix(), path.read_bytes())
        for path in sorted(templates.rglob("*")) if path.is_file()
    )


def _site_fingerprint(site: Site) -> str:
    digest = hashlib.sha256()
    mirror = site.mirror
    settings = [RENDERER_VERSION, __version__, site.project, mirror.format.value, mirror.language.code,
                mirror.original_url, mirror.base_url, str(mirror.page_size), str(mirror.feed_size),
                [[a.code, a.name, a.base] for a in site.alternates]]
    digest.update(json.dumps(settings).encode("utf-8"))
    if mirror.format is MirrorFormat.HTML:
        for name, data in _fingerprint_parts(site.templates):
            digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
        if site.ui_catalog is not None:
            digest.update(hashlib.sha256(format_mo(site.ui_catalog, hash_table=False)).digest())
    return digest.hexdigest()



@dataclass(frozen=True, slots=True)
class Listed:
    """An article as listing pages need it: what it shows, and its manifest record (publication times)."""

    item: PublishItem
    record: ManifestArticle


def article_path(mirror: Mirror, article: TranslatedArticle) -> str:
    """Where an article's main file goes in the mirror: ``<yyyy>/<id>.md|.html|.json``."""
    suffix = {MirrorFormat.MARKDOWN: "md", MirrorFormat.HTML: "html", MirrorFormat.JSON: "json"}[mirror.format]
    return safe_relative(f"{article.date.year:04d}/{safe_id(article.id, Path(article.source))}.{suffix}")


def json_bytes(data: Any) -> bytes:
    """``data`` as the mirrors write JSON: UTF-8, indented, in the given key order, with a final newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def alternates(mirror: Mirror, mirrors: Sequence[Mirror]) -> tuple[Alternate, ...]:
    """The html mirrors of ``mirrors`` in other languages than ``mirror``'s, one per language (the first)."""
    found: dict[str, Alternate] = {}
    for other in mirrors:
        code = other.language.code
        if other.format is not MirrorFormat.HTML or code == mirror.language.code or code in found:
            continue
        if mirror.base_url and other.base_url:
            base = other.base_url
        else:
            base = Path(os.path.relpath(other.output, mirror.output)).as_posix().rstrip("/") + "/"
        found[code] = Alternate(code, other.language.name, base)
    return tuple(found.values())
