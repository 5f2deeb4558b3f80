"""The Markdown mirror: one ``<yyyy>/<id>.md`` per article, YAML front matter then the translated body.

The mirror is safe by itself, whatever the checks said and whatever the site generator's templates do
with the front matter: every text value (title, author, credits, image alt and caption, tags, the
original's title, translators, reviewers) is HTML-escaped (``&`` ``<`` ``>`` ``"`` become ``&amp;``
``&lt;`` ``&gt;`` ``&quot;``), so a template that prints it raw (Jekyll's Liquid, Pelican) shows the text
and never runs it, and a value placed inside a double-quoted attribute cannot leave it. A template that
escapes by itself (Hugo) unescapes first: ``{{ .Title | htmlUnescape }}``. The YAML is written by
PyYAML's safe dumper, which quotes whatever needs quoting (a value is never read back as YAML syntax).
The body is the assembled Markdown, whose untrusted raw HTML :mod:`i18n.content.assemble` has already
turned into text.
"""

from __future__ import annotations

import html
from typing import Any

from i18n.mirrors.config import Mirror
from i18n.mirrors.items import PublishItem

__all__ = ["escape_text", "markdown_file"]


def escape_text(text: str) -> str:
    """``text`` with ``&``, ``<``, ``>`` and ``"`` as HTML entities (apostrophes, common in Catalan, kept)."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def markdown_file(mirror: Mirror, item: PublishItem) -> bytes:
    """The article's ``.md`` file: YAML front matter (HTML-escaped texts) and the Markdown body."""
    import yaml  # lazy: PyYAML is slow to import; only Markdown mirrors need it

    front = front_matter(mirror, item)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter is ~20x faster
    text = yaml.dump(front, Dumper=dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=10**6)
    body = item.article.body.lstrip("\n")
    return f"---\n{text}---\n\n{body}".encode()


def front_matter(mirror: Mirror, item: PublishItem) -> dict[str, Any]:
    """The front matter of an article's file, its texts HTML-escaped (see the module docstring)."""
    article = item.article
    e = escape_text
    front: dict[str, Any] = {
        "title": e(article.title),
        "date": article.date,
        "author": e(article.author),
        "language": mirror.language.code,
    }
    if article.credits:
        front["credits"] = [e(line) for line in article.credits]
    image = {k: e(v) for k, v in (("src", article.image_src), ("alt", article.image_alt),
                                  ("caption", article.image_caption)) if v}
    if image:
        front["image"] = image
    if article.tags:
        front["tags"] = [e(tag) for tag in article.tags]
    original: dict[str, str] = {"id": article.id, "title": e(article.original_title)}
    if url := mirror.original_url_of(article.id, article.date):
        original["url"] = e(url)
    front["original"] = original
    front["translators"] = [e(name) for name in item.translators]
    front["reviewers"] = [e(name) for name in item.reviewers]
    front["version"] = item.approved_version
    return front
