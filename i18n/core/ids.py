"""Article ids and the UI catalog's names: the one rule that makes an id safe as a file name, and the one
mapping between what users type (``@ui``) and what the tracker and file layout use (``messages``).

Kept in core, not in :mod:`i18n.content.articles` (which parses articles), because the workspace needs the
rule to build paths, and core imports nothing above it.
"""

from __future__ import annotations

import re

from i18n.core.errors import SourceError, UsageError

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_RULE = "lowercase ASCII letters, digits and single hyphens, e.g. 2026-11-18-trained-hunters"
#: The UI catalog's id in the status tracker and its file names (``templates/messages.pot``,
#: ``LC_MESSAGES/messages.po``). Reserved: an article of that id would share the UI catalog's tracker rows.
UI_ARTICLE = "messages"
#: How commands and their reports name the UI catalog. ``@`` is never part of an article id, so this
#: cannot name an article.
UI = "@ui"


def is_article_id(text: str) -> bool:
    """Whether ``text`` is a valid article id (so it can never be a path or reach outside a folder)."""
    return _ID.match(text) is not None


def check_id(article_id: str, path: str, line: int) -> str:
    """``article_id`` if it is a safe id (never a path separator or ``..``) and not the reserved
    :data:`UI_ARTICLE`; else a :class:`SourceError` pointing at ``path:line``."""
    if not _ID.match(article_id):
        raise SourceError(f"article id '{article_id}' is not valid", path=path, line=line,
                          hint=f"ids are {ID_RULE}")
    if article_id == UI_ARTICLE:
        raise SourceError(f"article id '{UI_ARTICLE}' is reserved: it names the UI catalog", path=path, line=line,
                          hint="rename the article: give its file another name, or set another 'id' in its fields")
    return article_id


def resolve_article(text: str, *, refuse_ui: str | None = None) -> str:
    """The tracker's id of the article a user named on the command line: :data:`UI_ARTICLE` for :data:`UI`.

    Every use case that takes article ids from a user maps them here, so that ``@ui`` means the UI catalog
    in every command and ``messages`` (its internal id, which no article may take) is refused with a
    pointer to ``@ui``. ``refuse_ui`` says what a command cannot do with the UI catalog (e.g. ``"cannot be
    assigned"``); a :class:`UsageError` says so when it is named. Whether the article exists is for the
    caller to find out.
    """
    example = "name an article, e.g. 2026-11-18-branching-out"
    if text == UI_ARTICLE:
        if refuse_ui is not None:
            raise UsageError(f"'{UI_ARTICLE}' is not an article id (the UI catalog, {UI}, {refuse_ui})", hint=example)
        raise UsageError(f"'{UI_ARTICLE}' is not an article id: the UI catalog is named {UI}",
                         hint=f"write {UI} for the UI catalog")
    if text == UI:
        if refuse_ui is not None:
            raise UsageError(f"{UI} is the UI catalog, not an article: it {refuse_ui}", hint=example)
        return UI_ARTICLE
    return text


def display_id(article_id: str) -> str:
    """How reports name a tracker id: :data:`UI` for the UI catalog, else the article id itself."""
    return UI if article_id == UI_ARTICLE else article_id
