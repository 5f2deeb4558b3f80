"""The JSON mirror: one ``<yyyy>/<id>.json`` per article (its content, ``body_html``, credits) and ``index.json``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from i18n.core.languages import format_long_date
from i18n.mirrors.body import body_html
from i18n.mirrors.config import Mirror
from i18n.mirrors.items import PublishItem
from i18n.mirrors.site import Listed, article_path, json_bytes

__all__ = ["article_json", "index_json"]


def article_json(mirror: Mirror, item: PublishItem, body: str | None = None) -> bytes:
    """An article's ``.json`` file (``body``: its :func:`body_html`, when already rendered)."""
    article = item.article
    data: dict[str, Any] = article.content()
    data["original"] = {"id": article.id, "title": article.original_title,
                        "url": mirror.original_url_of(article.id, article.date)}
    data.update({
        "date_formatted": format_long_date(article.date, mirror.language),
        "body_html": body if body is not None else body_html(article), "version": item.approved_version,
        "translators": list(item.translators), "reviewers": list(item.reviewers),
    })
    return json_bytes(data)


def index_json(mirror: Mirror, ordered: Sequence[Listed]) -> bytes:
    """``index.json``: every article the mirror shows (``ordered``: newest first), with its path and times."""
    index = {
        "mirror": mirror.name, "language": mirror.language.code,
        "articles": [
            {"id": x.item.article.id, "title": x.item.article.title, "date": x.item.article.date.isoformat(),
             "path": article_path(mirror, x.item.article), "version": x.record.version,
             "hash": x.record.hash, "published_at": x.record.published_at,
             "updated_at": x.record.updated_at}
            for x in ordered
        ],
    }
    return json_bytes(index)
