"""An article's Markdown body as safe HTML (the html pages, the feed and the json mirror's ``body_html``).

Translations are untrusted: raw HTML is limited to the source's own HTML blocks (``html_blocks``: passed
through as the English has them) and a short list of inline tags (``abbr``, ``em``, ``sub``...) rebuilt
with harmless attributes; any other raw HTML, such as a block a translator added, shows as text.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from i18n.content.assemble import TranslatedArticle, inline_tag_attributes

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = ["body_html"]


def body_html(article: TranslatedArticle) -> str:
    """The article's Markdown body as HTML, with untrusted raw HTML shown as text."""
    return str(_markdown_parser().render(article.body, {"trusted_html": frozenset(article.html_blocks)}))


@cache
def _markdown_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # lazy: markdown_it is slow to import; mirror settings load without it
    from markdown_it.common.utils import (  # lazy: markdown_it is slow to import; mirror settings load without it
        escapeHtml,
    )

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
