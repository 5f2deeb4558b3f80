"""The html mirror: article pages, index pages, the archive and the Atom feed, rendered by Jinja2.

Pages are the workspace's own templates (``site/templates/``, see :mod:`i18n.core.scaffold`), rendered
with autoescaping; UI translations are escaped before Jinja2 marks them safe (they are untrusted input),
and a translation whose ``%(name)`` placeholder the English lacks falls back to the English.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from i18n.catalogs.catalog import Catalog
from i18n.catalogs.mofile import format_mo
from i18n.content.assemble import TranslatedArticle
from i18n.core.errors import MirrorError
from i18n.core.languages import format_long_date, format_month
from i18n.core.scaffold import default_template
from i18n.mirrors.body import body_html
from i18n.mirrors.items import PublishItem
from i18n.mirrors.site import STYLESHEET, Listed, Site, article_path

if TYPE_CHECKING:
    import jinja2

__all__ = ["HtmlRenderer"]


class HtmlRenderer:
    """Turns articles and listings into the html mirror's pages (one instance per mirror write)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.mirror = site.mirror
        self._jinja: jinja2.Environment | None = None
        self._bodies: dict[str, str] = {}
        """:func:`body_html` by article id: an article's page and its feed entry show the same body."""

    def article_files(self, item: PublishItem) -> dict[str, bytes]:
        """The article's page, ``<yyyy>/<id>.html``."""
        path = article_path(self.mirror, item.article)
        root = "../" * path.count("/")
        original = self.mirror.original_url_of(item.article.id, item.article.date)
        page = self._render("article.html", root, article=self._page_article(item, path, root),
                            page=(path, original))
        return {path: page}

    def body(self, article: TranslatedArticle) -> str:
        """The article's body as safe HTML (rendered once per article)."""
        if article.id not in self._bodies:
            self._bodies[article.id] = body_html(article)
        return self._bodies[article.id]

    def listing_files(self, ordered: Sequence[Listed]) -> dict[str, bytes]:
        """Index pages, the archive (all, and by month) and the feed; ``ordered``: newest first."""
        files: dict[str, bytes] = {}
        size = self.mirror.page_size
        pages = [ordered[i:i + size] for i in range(0, len(ordered), size)] or [[]]
        names = ["index.html" if n == 0 else f"page-{n + 1}.html" for n in range(len(pages))]
        for number, chunk in enumerate(pages):
            files[names[number]] = self._render(
                "index.html", "", page=(names[number], ""), articles=[self._listed_article(x, "") for x in chunk],
                previous_url=names[number - 1] if number > 0 else None,
                next_url=names[number + 1] if number + 1 < len(pages) else None,
            )
        files["archive/index.html"] = self._render(
            "archive.html", "../", page=("archive/index.html", ""),
            articles=[self._listed_article(x, "../") for x in ordered])
        months: dict[str, list[Listed]] = {}
        for listed in ordered:
            months.setdefault(listed.item.article.date.strftime("%Y-%m"), []).append(listed)
        for month, members in months.items():
            files[f"archive/{month}.html"] = self._render(
                "archive.html", "../", page=(f"archive/{month}.html", ""),
                articles=[self._listed_article(x, "../") for x in members])
        files["atom.xml"] = self._feed(ordered[: self.mirror.feed_size])
        files[STYLESHEET] = self._stylesheet()
        return files

    def _stylesheet(self) -> bytes:
        """``style.css`` from the site's templates, as it is (the default one when the site has none)."""
        own = self.site.templates / STYLESHEET
        if own.is_file():
            return own.read_bytes()
        return default_template(STYLESHEET).encode("utf-8")

    def _feed(self, recent: Sequence[Listed]) -> bytes:
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
                "body_html": self.body(listed.item.article),
            })
        updated = max((e["updated"] for e in entries), default="1970-01-01T00:00:00Z")
        feed = {"id": base + "atom.xml" if base else f"urn:i18n:{self.mirror.name}", "updated": updated,
                "url": base + "atom.xml", "home": base + "index.html"}

        return self._render("atom.xml", "", entries=entries, feed=feed)

    def _page_article(self, item: PublishItem, path: str, root: str) -> dict[str, Any]:
        article = item.article
        image = None
        if article.image_alt or article.image_caption or article.image_src:
            image = {"src": article.image_src or "", "alt": article.image_alt or "",
                     "caption": article.image_caption or ""}
        return {
            "month_url": f"{root}archive/{article.date:%Y-%m}.html",
            "id": article.id, "title": article.title, "author": article.author, "credits": list(article.credits),
            "date": article.date.isoformat(), "date_formatted": format_long_date(article.date, self.mirror.language),
            "month_formatted": format_month(article.date, self.mirror.language),
            "image": image, "body_html": self.body(article), "url": root + path,
            "original_url": self.mirror.original_url_of(article.id, article.date),
            "translators": list(item.translators), "reviewers": list(item.reviewers),
        }

    def _listed_article(self, listed: Listed, root: str) -> dict[str, Any]:
        article = listed.item.article
        return {
            "id": article.id, "title": article.title, "date": article.date.isoformat(),
            "date_formatted": format_long_date(article.date, self.mirror.language),
            "month_formatted": format_month(article.date, self.mirror.language),
            "month_url": f"{root}archive/{article.date:%Y-%m}.html",
            "url": root + article_path(self.mirror, article),
        }

    def _render(self, template: str, root: str, page: tuple[str, str] = ("", ""), **context: Any) -> bytes:
        """Render ``template`` for the page at ``page[0]`` (``root``: the way up to the mirror's root; ``page[1]``:
        the English original's URL, or empty)."""
        import jinja2  # lazy: Jinja2 is slow to import; only rendering an HTML page needs it

        environment = self._environment()
        path, original = page
        site = {"language": self.mirror.language.code, "name": self.site.project, "root": root,
                "feed_url": root + "atom.xml", "home_url": root + "index.html",
                "archive_url": root + "archive/index.html", "stylesheet_url": root + STYLESHEET,
                "original_url": original,
                "alternates": [{"code": a.code, "name": a.name,
                                "url": (a.base if "://" in a.base else root + a.base) + path}
                               for a in self.site.alternates]}
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

    def _environment(self) -> jinja2.Environment:
        if self._jinja is None:
            self._jinja = _jinja_environment(self.site)
        return self._jinja


def _jinja_environment(site: Site) -> jinja2.Environment:
    import jinja2  # lazy: Jinja2 is slow to import; only rendering an HTML page needs it
    from markupsafe import Markup, escape  # lazy: MarkupSafe comes with Jinja2; only rendering an HTML page needs it

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

    return gettext.GNUTranslations(io.BytesIO(format_mo(catalog)))
