"""Mirror sites: their settings, the three output formats, and the atomic, incremental mirror write.

A mirror is one ``[mirrors.NAME]`` table of ``i18n.toml``::

    [mirrors.catalan]
    language = "ca"
    format = "html"                  # "markdown" (YAML front matter), "html" (static site), "json"
    output = "build/mirrors/catalan" # relative to the workspace, or absolute
    timezone = "Europe/Madrid"       # an article is due from its date (+ embargo_days) in this zone
    embargo_days = 0
    on_source_change = "keep"        # or "withdraw": when an approved article's source changes
    original_url = "https://biod.example.org/{year}/{id}/"   # link back; {id} {date} {year} {month} {day}
    base_url = ""                    # the mirror's public URL, for the Atom feed (relative links if empty)
    page_size = 10                   # articles per index page (html)
    feed_size = 20                   # entries in the Atom feed (html)

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

Translations are untrusted: HTML is rendered by Jinja2 with autoescaping, UI translations are escaped
before Jinja2 marks them safe, and the Markdown body is rendered with raw HTML limited to the source's own
HTML blocks and a short list of inline tags (``abbr``, ``em``, ``sub``...) with harmless attributes;
anything else shows as text. Markdown front matter is written by PyYAML's safe dumper.
"""

from __future__ import annotations

import datetime as dt
import enum
import gettext
import hashlib
import html
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from i18n import __version__
from i18n.catalogs.catalog import Catalog
from i18n.content.assemble import TranslatedArticle, inline_tag_attributes
from i18n.core.config import Settings, TableReader
from i18n.core.errors import ConfigError, MirrorError
from i18n.core.languages import Language, format_long_date, format_month
from i18n.core.scaffold import default_template
from i18n.mirrors.store import (
    MANIFEST_NAME,
    Manifest,
    ManifestArticle,
    VersionStore,
    files_in,
    safe_id,
    safe_relative,
)

if TYPE_CHECKING:
    import jinja2
    from markdown_it import MarkdownIt

__all__ = [
    "MANIFEST_NAME",
    "LiveVersion",
    "Manifest",
    "ManifestArticle",
    "Mirror",
    "MirrorChanges",
    "MirrorError",
    "MirrorFormat",
    "PublishItem",
    "ServedText",
    "Site",
    "SourceChangePolicy",
    "is_due",
    "live_versions",
    "load_mirrors",
    "mirror_named",
    "today_in",
    "write_mirror",
]

#: Bumped when the output of a renderer changes, so that every page is rendered again.
RENDERER_VERSION = "1"


class MirrorFormat(enum.Enum):
    """What a mirror's output folder holds."""

    MARKDOWN = "markdown"
    HTML = "html"
    JSON = "json"


class SourceChangePolicy(enum.Enum):
    """What happens to a published article whose English source changed after approval."""

    KEEP = "keep"
    """Keep serving the last approved version until the new one is approved."""
    WITHDRAW = "withdraw"
    """Withdraw it until the new version is approved."""


@dataclass(frozen=True, slots=True)
class Mirror:
    """One ``[mirrors.NAME]`` table, validated."""

    name: str
    language: Language
    format: MirrorFormat
    output: Path
    """Absolute path of the output (a symbolic link to the current version once published)."""
    timezone: str
    embargo_days: int = 0
    on_source_change: SourceChangePolicy = SourceChangePolicy.KEEP
    original_url: str = ""
    base_url: str = ""
    page_size: int = 10
    feed_size: int = 20

    def original_url_of(self, article_id: str, date: dt.date) -> str:
        """The English article's URL from :attr:`original_url` (empty when not configured)."""
        values = {"id": article_id, "date": date.isoformat(), "year": f"{date.year:04d}",
                  "month": f"{date.month:02d}", "day": f"{date.day:02d}"}
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], self.original_url)


_PLACEHOLDER = re.compile(r"\{(id|date|year|month|day)\}")
_MIRROR_KEYS = ("language", "format", "output", "timezone", "embargo_days", "on_source_change", "original_url",
                "base_url", "page_size", "feed_size")
_NAME = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


def load_mirrors(settings: Settings) -> tuple[Mirror, ...]:
    """Every mirror of ``[mirrors]`` in ``i18n.toml``, validated (a :class:`ConfigError` names the key)."""
    reader = TableReader(settings.path)
    mirrors: list[Mirror] = []
    for name, raw in settings.section("mirrors").items():
        prefix = f"mirrors.{name}."
        if not isinstance(raw, dict):
            raise reader.fail(f"mirrors.{name}", "expected a table [mirrors." + name + "]",
                              hint='for example: [mirrors.catalan] language = "ca" format = "html"')
        if not _NAME.match(name):
            raise reader.fail(f"mirrors.{name}", "a mirror name is lowercase letters, digits, '-' and '_'")
        table = dict(raw)
        code = reader.take(table, prefix, "language", str, "")
        if not code:
            raise reader.fail(prefix + "language", "missing", hint='the mirror\'s language, e.g. language = "ca"')
        language = _configured_language(settings, reader, prefix + "language", code)
        kind = reader.take(table, prefix, "format", str, "html", _format_problem)
        output = reader.take(table, prefix, "output", str, f"build/mirrors/{name}", _output_problem)
        timezone = reader.take(table, prefix, "timezone", str, "UTC", _timezone_problem)
        embargo = reader.take(table, prefix, "embargo_days", int, 0,
                              lambda v: None if 0 <= v <= 3650 else "must be between 0 and 3650")
        policy = reader.take(table, prefix, "on_source_change", str, "keep",
                             lambda v: None if v in ("keep", "withdraw") else 'must be "keep" or "withdraw"')
        original_url = reader.take(table, prefix, "original_url", str, "", _template_problem)
        base_url = reader.take(table, prefix, "base_url", str, "")
        page_size = reader.take(table, prefix, "page_size", int, 10,
                                lambda v: None if v >= 1 else "must be at least 1")
        feed_size = reader.take(table, prefix, "feed_size", int, 20,
                                lambda v: None if v >= 1 else "must be at least 1")
        reader.no_leftovers(table, prefix, _MIRROR_KEYS)
        if base_url and not base_url.endswith("/"):
            base_url += "/"
        mirrors.append(Mirror(
            name=name, language=language, format=MirrorFormat(kind), output=settings.root / output,
            timezone=timezone, embargo_days=embargo, on_source_change=SourceChangePolicy(policy),
            original_url=original_url, base_url=base_url, page_size=page_size, feed_size=feed_size,
        ))
    return tuple(mirrors)


def mirror_named(settings: Settings, name: str) -> Mirror:
    """The mirror called ``name``; a :class:`ConfigError` listing the configured ones otherwise."""
    mirrors = load_mirrors(settings)
    for mirror in mirrors:
        if mirror.name == name:
            return mirror
    known = ", ".join(m.name for m in mirrors) or "none"
    raise ConfigError(f"no mirror called '{name}'", path=settings.path,
                      hint=f"configured mirrors: {known}; add a [mirrors.{name}] table")


def _configured_language(settings: Settings, reader: TableReader, key: str, code: str) -> Language:
    language = reader.language(key, code)
    if all(language.code != lang.code for lang in settings.languages):
        configured = ", ".join(lang.code for lang in settings.languages)
        raise reader.fail(key, f"'{code}' is not one of the workspace's languages ({configured})")
    return language


def _format_problem(value: str) -> str | None:
    if value in {f.value for f in MirrorFormat}:
        return None
    return "must be one of " + ", ".join(f'"{f.value}"' for f in MirrorFormat)


def _output_problem(value: str) -> str | None:
    if not value.strip():
        return "must not be empty"
    path = PurePosixPath(value)
    if ".." in path.parts:
        return f"'{value}' must not contain '..'"
    return None


def _timezone_problem(value: str) -> str | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"'{value}' is not an IANA time zone (e.g. Europe/Madrid, UTC)"
    return None


def _template_problem(value: str) -> str | None:
    leftover = _PLACEHOLDER.sub("", value)
    if "{" in leftover or "}" in leftover:
        return "placeholders are {id}, {date}, {year}, {month} and {day}"
    return None


def today_in(mirror: Mirror, now: dt.datetime) -> dt.date:
    """The date it is at ``now`` (timezone-aware) in the mirror's time zone."""
    from zoneinfo import ZoneInfo

    return now.astimezone(ZoneInfo(mirror.timezone)).date()


def is_due(mirror: Mirror, date: dt.date, today: dt.date) -> bool:
    """Whether an article dated ``date`` may be on the mirror on ``today`` (its date plus the embargo)."""
    return date + dt.timedelta(days=mirror.embargo_days) <= today


# ---------------------------------------------------------------------------------------------------------
# What gets published
# ---------------------------------------------------------------------------------------------------------


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
    store = VersionStore(mirror.output)
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
class Site:
    """What every page of one mirror shares: the mirror, the project's name, the UI translations, templates."""

    mirror: Mirror
    project: str
    templates: Path
    """The workspace's ``site/templates`` (html mirrors)."""
    ui_catalog: Catalog | None = None
    """The language's ``messages`` catalog (html mirrors); compiled with :mod:`i18n.catalogs.mofile`."""

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
                mirror.original_url, mirror.base_url, str(mirror.page_size), str(mirror.feed_size)]
    digest.update(json.dumps(settings).encode("utf-8"))
    if mirror.format is MirrorFormat.HTML:
        for name, data in _fingerprint_parts(site.templates):
            digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
        if site.ui_catalog is not None:
            from i18n.catalogs.mofile import format_mo

            digest.update(hashlib.sha256(format_mo(site.ui_catalog, hash_table=False)).digest())
    return digest.hexdigest()



# ---------------------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Listed:
    """An article as listing pages need it."""

    item: PublishItem
    record: ManifestArticle


def article_path(mirror: Mirror, article: TranslatedArticle) -> str:
    """Where an article's main file goes in the mirror: ``<yyyy>/<id>.md|.html|.json``."""
    suffix = {MirrorFormat.MARKDOWN: "md", MirrorFormat.HTML: "html", MirrorFormat.JSON: "json"}[mirror.format]
    return safe_relative(f"{article.date.year:04d}/{safe_id(article.id, Path(article.source))}.{suffix}")


class _Renderer:
    """Turns articles and listings into file contents for one mirror."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.mirror = site.mirror
        self._jinja: jinja2.Environment | None = None
        self._bodies: dict[str, str] = {}
        """:func:`body_html` by article id: an article's page and its feed entry show the same body."""

    # -- articles ------------------------------------------------------------------------------------------

    def article_files(self, item: PublishItem) -> dict[str, bytes]:
        path = article_path(self.mirror, item.article)
        if self.mirror.format is MirrorFormat.MARKDOWN:
            return {path: self._markdown(item)}
        if self.mirror.format is MirrorFormat.JSON:
            return {path: _json_bytes(self._article_json(item))}
        root = "../" * path.count("/")
        page = self._render("article.html", root, article=self._page_article(item, path, root))
        return {path: page}

    def _markdown(self, item: PublishItem) -> bytes:
        import yaml

        article = item.article
        front: dict[str, Any] = {
            "title": article.title,
            "date": article.date,
            "author": article.author,
            "language": self.mirror.language.code,
        }
        if article.credits:
            front["credits"] = list(article.credits)
        image = {k: v for k, v in (("src", article.image_src), ("alt", article.image_alt),
                                   ("caption", article.image_caption)) if v}
        if image:
            front["image"] = image
        if article.tags:
            front["tags"] = list(article.tags)
        original: dict[str, str] = {"id": article.id, "title": article.original_title}
        if url := self.mirror.original_url_of(article.id, article.date):
            original["url"] = url
        front["original"] = original
        front["translators"] = list(item.translators)
        front["reviewers"] = list(item.reviewers)
        front["version"] = item.approved_version
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter is ~20x faster
        text = yaml.dump(front, Dumper=dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                         width=10**6)
        body = article.body.lstrip("\n")
        return f"---\n{text}---\n\n{body}".encode()

    def _article_json(self, item: PublishItem) -> dict[str, Any]:
        article = item.article
        data = article.content()
        data["original"] = {"id": article.id, "title": article.original_title,
                            "url": self.mirror.original_url_of(article.id, article.date)}
        data.update({
            "date_formatted": format_long_date(article.date, self.mirror.language),
            "body_html": self._body_html(article), "version": item.approved_version,
            "translators": list(item.translators), "reviewers": list(item.reviewers),
        })
        return data

    # -- listings ------------------------------------------------------------------------------------------

    def listing_files(self, listed: Sequence[_Listed]) -> dict[str, bytes]:
        """Files that list articles (newest first): html index pages, archive, feed; json index."""
        ordered = sorted(listed, key=lambda x: (x.item.article.date, x.item.article.id), reverse=True)
        if self.mirror.format is MirrorFormat.MARKDOWN:
            return {}
        if self.mirror.format is MirrorFormat.JSON:
            index = {
                "mirror": self.mirror.name, "language": self.mirror.language.code,
                "articles": [
                    {"id": x.item.article.id, "title": x.item.article.title, "date": x.item.article.date.isoformat(),
                     "path": article_path(self.mirror, x.item.article), "version": x.record.version,
                     "hash": x.record.hash, "published_at": x.record.published_at,
                     "updated_at": x.record.updated_at}
                    for x in ordered
                ],
            }
            return {"index.json": _json_bytes(index)}
        return self._html_listings(ordered)

    def _html_listings(self, ordered: Sequence[_Listed]) -> dict[str, bytes]:
        files: dict[str, bytes] = {}
        size = self.mirror.page_size
        pages = [ordered[i:i + size] for i in range(0, len(ordered), size)] or [[]]
        names = ["index.html" if n == 0 else f"page-{n + 1}.html" for n in range(len(pages))]
        for number, chunk in enumerate(pages):
            files[names[number]] = self._render(
                "index.html", "", articles=[self._listed_article(x, "") for x in chunk],
                previous_url=names[number - 1] if number > 0 else None,
                next_url=names[number + 1] if number + 1 < len(pages) else None,
            )
        files["archive/index.html"] = self._render(
            "archive.html", "../", articles=[self._listed_article(x, "../") for x in ordered])
        months: dict[str, list[_Listed]] = {}
        for listed in ordered:
            months.setdefault(listed.item.article.date.strftime("%Y-%m"), []).append(listed)
        for month, members in months.items():
            files[f"archive/{month}.html"] = self._render(
                "archive.html", "../", articles=[self._listed_article(x, "../") for x in members])
        files["atom.xml"] = self._feed(ordered[: self.mirror.feed_size])
        return files

    def _feed(self, recent: Sequence[_Listed]) -> bytes:
        base = self.mirror.base_url
        entries = []
        for listed in recent:
            path = article_path(self.mirror, listed.item.article)
            entries.append({
                "title": listed.item.article.title,
                "url": base + path,
                "id": base + path if base else f"urn:i18n:{self.mirror.name}:{listed.item.article.id}",
                "published": listed.record.published_at,
                "updated": listed.record.updated_at,
                "author": listed.item.article.author,
                "summary": listed.item.article.image_caption or "",
                "body_html": self._body_html(listed.item.article),
            })
        updated = max((e["updated"] for e in entries), default="1970-01-01T00:00:00Z")
        feed = {"id": base + "atom.xml" if base else f"urn:i18n:{self.mirror.name}", "updated": updated,
                "url": base + "atom.xml", "home": base + "index.html"}
        return self._render("atom.xml", "", entries=entries, feed=feed)

    # -- html helpers --------------------------------------------------------------------------------------

    def _page_article(self, item: PublishItem, path: str, root: str) -> dict[str, Any]:
        article = item.article
        image = None
        if article.image_alt or article.image_caption or article.image_src:
            image = {"src": article.image_src or "", "alt": article.image_alt or "",
                     "caption": article.image_caption or ""}
        return {
            "id": article.id, "title": article.title, "author": article.author, "credits": list(article.credits),
            "date": article.date.isoformat(), "date_formatted": format_long_date(article.date, self.mirror.language),
            "month_formatted": format_month(article.date, self.mirror.language),
            "image": image, "body_html": self._body_html(article), "url": root + path,
            "original_url": self.mirror.original_url_of(article.id, article.date),
            "translators": list(item.translators), "reviewers": list(item.reviewers),
        }

    def _listed_article(self, listed: _Listed, root: str) -> dict[str, Any]:
        article = listed.item.article
        return {
            "id": article.id, "title": article.title, "date": article.date.isoformat(),
            "date_formatted": format_long_date(article.date, self.mirror.language),
            "month_formatted": format_month(article.date, self.mirror.language),
            "month_url": f"{root}archive/{article.date:%Y-%m}.html",
            "url": root + article_path(self.mirror, article),
        }

    def _render(self, template: str, root: str, **context: Any) -> bytes:
        import jinja2

        environment = self._environment()
        site = {"language": self.mirror.language.code, "name": self.site.project, "root": root,
                "feed_url": root + "atom.xml", "home_url": root + "index.html",
                "archive_url": root + "archive/index.html"}
        try:
            text = environment.get_template(template).render(site=site, root=root, **context)
        except jinja2.TemplateNotFound as exc:
            # Missing (the page itself, or a template it extends or includes) is not broken: say where we looked.
            missing = exc.name if isinstance(exc.name, str) else template
            needed = "" if missing == template else f"; {template} needs it"
            raise MirrorError(
                f"template not found (searched {self.site.templates}/{needed})",
                path=self.site.templates / missing,
                hint="run 'i18n init --templates' to add the default templates, or copy your own there",
            ) from None
        except jinja2.TemplateError as exc:
            raise MirrorError(f"template {template} cannot be rendered: {exc}",
                              path=self.site.templates / template,
                              line=getattr(exc, "lineno", None), hint="fix the template") from None
        except (TypeError, KeyError, ValueError) as exc:
            raise MirrorError(
                f"template {template} cannot be rendered in {self.mirror.language.code}: {exc!r}",
                path=self.site.templates / template,
                hint="a UI translation probably has a broken placeholder: run the checks on messages.po",
            ) from None
        return text.encode("utf-8")

    def _body_html(self, article: TranslatedArticle) -> str:
        if article.id not in self._bodies:
            self._bodies[article.id] = body_html(article)
        return self._bodies[article.id]

    def _environment(self) -> jinja2.Environment:
        if self._jinja is None:
            self._jinja = _jinja_environment(self.site)
        return self._jinja


def _jinja_environment(site: Site) -> jinja2.Environment:
    import jinja2
    from markupsafe import Markup, escape

    # A workspace without its own atom.xml gets the default feed, titled with the project's name.
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(str(site.templates)),
        jinja2.DictLoader({"atom.xml": default_template("atom.xml")}),
    ])
    environment = jinja2.Environment(loader=loader, autoescape=True, extensions=["jinja2.ext.i18n"],
                                     undefined=jinja2.ChainableUndefined, keep_trailing_newline=True)
    translations = _ui_translations(site.ui_catalog)

    # Jinja2 trusts translations (it marks them safe); ours are untrusted input, so escape them first.
    def _gettext(message: str) -> Markup:
        return escape(_checked(message, translations.gettext(message)))

    def _ngettext(singular: str, plural: str, n: int) -> Markup:
        return escape(_checked(singular + plural, translations.ngettext(singular, plural, n)))

    def _pgettext(context: str, message: str) -> Markup:
        return escape(_checked(message, translations.pgettext(context, message)))

    def _npgettext(context: str, singular: str, plural: str, n: int) -> Markup:
        return escape(_checked(singular + plural, translations.npgettext(context, singular, plural, n)))

    environment.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=False, pgettext=_pgettext, npgettext=_npgettext)
    return environment


_FORMAT_SPEC = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _checked(source: str, translation: str) -> str:
    """``translation``, or the English when it uses a ``%(name)`` placeholder the source does not have.

    A placeholder the source lacks would stop the page from rendering; one the translation leaves out
    (``La darrera imatge`` for one image) is fine.
    """
    known = {m.group(1) for m in _FORMAT_SPEC.finditer(source)}
    used = {m.group(1) for m in _FORMAT_SPEC.finditer(translation)}
    return translation if used <= known else source


def _ui_translations(catalog: Catalog | None) -> gettext.NullTranslations:
    if catalog is None:
        return gettext.NullTranslations()
    from i18n.catalogs.mofile import format_mo

    return gettext.GNUTranslations(io.BytesIO(format_mo(catalog)))


# -- the Markdown body as safe HTML ---------------------------------------------------------------------------


def body_html(article: TranslatedArticle) -> str:
    """The article's Markdown body as HTML, with untrusted raw HTML shown as text."""
    return str(_markdown_parser().render(article.body, {"trusted_html": frozenset(article.html_blocks)}))


@cache
def _markdown_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from markdown_it.common.utils import escapeHtml

    parser = MarkdownIt("commonmark")

    def html_block(self: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
        content = str(tokens[index].content)
        if content in env.get("trusted_html", ()):
            return content
        return "<p>" + escapeHtml(content.rstrip("\n")) + "</p>\n"

    def html_inline(self: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
        return _safe_inline_tag(str(tokens[index].content), escapeHtml)

    parser.add_render_rule("html_block", html_block)
    parser.add_render_rule("html_inline", html_inline)
    return parser


def _safe_inline_tag(tag: str, escape: Callable[[str], str]) -> str:
    """An allowed inline tag rebuilt with only harmless attributes; anything else as visible text.

    :func:`i18n.content.assemble.neutralise_html` has already made other tags literal; this is the second line.
    """
    parsed = inline_tag_attributes(tag)
    if parsed is None:
        return escape(tag)
    name, closing, attributes = parsed
    if closing:
        return f"</{name}>"
    rebuilt = "".join(f' {key}="{escape(html.unescape(value))}"' for key, value in attributes)
    return f"<{name}{rebuilt}>"


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------------------------------
# Writing a mirror
# ---------------------------------------------------------------------------------------------------------


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
    store = VersionStore(mirror.output)
    if dry_run or (not items and store.current() is None):
        return _write(site, items, now, store, dry_run=True)
    with store.lock():
        return _write(site, items, now, store, dry_run=False)


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
    records: list[ManifestArticle] = []
    rendered: dict[str, bytes] = {}
    published: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    for item in sorted(items, key=lambda i: i.article.id):
        article = item.article
        content_hash = _item_hash(item, fingerprint)
        previous = before.get(article.id)
        files: tuple[str, ...]
        if (previous is not None and previous.hash == content_hash
                and all(name in existing for name in previous.files)):
            unchanged.append(article.id)
            files = previous.files
            record = previous
        else:
            produced = renderer.article_files(item)
            rendered.update(produced)
            files = tuple(sorted(produced))
            (updated if previous is not None else published).append(article.id)
            record = ManifestArticle(
                id=article.id, title=article.title, date=article.date, version=item.approved_version,
                hash=content_hash, source_digest=article.source_digest,
                published_at=previous.published_at if previous is not None else stamp,
                updated_at=stamp if previous is None or previous.hash != content_hash else previous.updated_at,
                files=files,
            )
        records.append(record)
    wanted = {item.article.id for item in items}
    withdrawn = tuple(sorted(a for a in before if a not in wanted))

    by_id = {r.id: r for r in records}
    listed = [_Listed(item, by_id[item.article.id]) for item in items]
    listings_hash = hashlib.sha256(json.dumps(
        [fingerprint, *sorted([r.id, r.hash, r.published_at, r.updated_at] for r in records)]
    ).encode("utf-8")).hexdigest()
    old_files = dict(old.files) if old is not None else {}
    old_article_files = {f for a in (old.articles if old is not None else ()) for f in a.files}
    old_listing_files = {f for f in old_files if f not in old_article_files}
    listings_unchanged = (old is not None and old.listings == listings_hash
                          and all(name in existing for name in old_listing_files))
    listing_files = {} if listings_unchanged else renderer.listing_files(listed)
    rendered.update(listing_files)

    hashes = {name: _sha256(data) for name, data in rendered.items()}
    new_files = {name: hashes.get(name, old_files.get(name, ""))
                 for name in [*(f for r in records for f in r.files),
                              *(old_listing_files if listings_unchanged else listing_files)]}
    removed = tuple(sorted(f for f in old_files if f not in new_files))
    written = tuple(sorted(name for name, digest in hashes.items()
                           if old_files.get(name) != digest or name not in existing))

    nothing_to_do = (current is not None and old is not None and not written and not removed
                     and not published and not updated and not withdrawn and old.site == fingerprint
                     and old.listings == listings_hash)
    manifest = Manifest(
        mirror=mirror.name, language=mirror.language.code, format=mirror.format.value, site=fingerprint,
        listings=listings_hash, articles=tuple(records), files=tuple(sorted(new_files.items())),
        generated_at=old.generated_at if nothing_to_do and old is not None else stamp,
    )
    changes = MirrorChanges(
        published=tuple(published), updated=tuple(updated), withdrawn=withdrawn, unchanged=tuple(unchanged),
        files_written=written, files_removed=removed,
        version=current.name if current is not None else None, manifest=manifest,
    )
    if nothing_to_do or dry_run:
        return changes
    if current is None and not items:
        return changes
    foreign = {name for name in existing if name not in old_files and name != MANIFEST_NAME}
    clash = sorted(set(rendered) & foreign)
    if clash:
        raise MirrorError(
            f"refusing to overwrite {clash[0]}: the file was not created by i18n", path=mirror.output / clash[0],
            hint="move it away, or choose another output folder for the mirror")
    changed = set(written)
    keep = sorted(name for name in new_files if name not in changed) + sorted(foreign)
    by_item = {item.article.id: item for item in items}
    snapshots = {(r.id, r.hash): _snapshot_writer(by_item[r.id]) for r in records}
    version = store.commit(current, keep, {name: rendered[name] for name in sorted(changed)},
                           _json_bytes(manifest.to_json()), snapshots=snapshots)
    return replace(changes, version=version)


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
