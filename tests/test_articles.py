"""Source articles: front matter fields with their lines, and every kind of bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from i18n.content.articles import load_feed, load_markdown
from i18n.core.errors import EncodingError, SourceError, UsageError
from i18n.core.ids import UI_ARTICLE, display_id, resolve_article

GOOD = """---
title: Trained Hunters
date: 2026-11-18
author: Kat Ellison
credits:
  - Image from work by Jane Doe
  - Published under CC BY 4.0
image:
  alt: A T cell on beads
  caption: An engineered T cell (orange)
tags: [immunology]
---

Body paragraph.
"""
PATH = "content/2026/2026-11-18-trained-hunters.md"


def test_fields_keep_their_lines() -> None:
    article = load_markdown(GOOD.encode(), PATH)
    assert article.id == "2026-11-18-trained-hunters"
    assert article.date == dt.date(2026, 11, 18)
    assert [(f.name, f.line) for f in article.fields] == [
        ("title", 2), ("image-alt", 9), ("image-caption", 10), ("credit", 6), ("credit", 7)]
    assert article.body_line == 13
    assert article.author == "Kat Ellison"


def test_explicit_id_is_used() -> None:
    text = GOOD.replace("tags:", "id: custom-id\ntags:")
    assert load_markdown(text.encode(), PATH).id == "custom-id"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (GOOD.replace("title: Trained Hunters\n", ""), 1, "missing 'title'"),
        (GOOD.replace("date: 2026-11-18\n", ""), 1, "missing 'date'"),
        (GOOD.replace("date: 2026-11-18", "date: 2026-13-45"), 3, "'date' is not a valid date"),
        (GOOD.replace("date: 2026-11-18", "date: 2026-11-19"), 3, "the file name says 2026-11-18"),
        (GOOD.replace("author: Kat Ellison", "author: ''"), 4, "missing 'author'"),
        (GOOD.replace("title: Trained Hunters", "title: Trained: Hunters: x"), 2, "malformed front matter"),
        (GOOD.replace("tags: [immunology]", "id: ../../etc/passwd"), 11, "article id '../../etc/passwd'"),
        (GOOD.replace("tags: [immunology]", "id: Upper_Case"), 11, "is not valid"),
        (GOOD.replace("credits:\n  - Image from work by Jane Doe\n  - Published under CC BY 4.0\n",
                      "credits: {a: 1}\n"), 5, "'credits' must be a list of lines"),
        ("no front matter\n", 1, "no front matter"),
        ("---\ntitle: x\n", 1, "front matter is not closed"),
    ],
)
def test_bad_markdown_names_line(text: str, line: int, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        load_markdown(text.encode(), PATH)
    assert message in caught.value.message
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{PATH}:{line}: ")


def test_non_utf8_names_the_line() -> None:
    data = GOOD.encode().replace(b"Body paragraph.", b"Body \xff paragraph.")
    with pytest.raises(EncodingError) as caught:
        load_markdown(data, PATH)
    assert caught.value.line == 14


def test_feed_articles_and_errors_per_line() -> None:
    good = {"title": "Roots", "date": "2026-11-24", "author": "A. B.", "credits": ["c"], "body": "Text *x*.",
            "slug": "roots"}
    lines = [json.dumps(good), "", "{not json", json.dumps({**good, "date": "soon"}),
             json.dumps({**good, "slug": None, "title": "Café & Co"})]
    results = load_feed("\n".join(lines).encode(), "feed.jsonl")
    assert len(results) == 4
    first, broken, bad_date, derived = results
    assert not isinstance(first, SourceError) and first.id == "2026-11-24-roots" and first.line == 1
    assert isinstance(broken, SourceError) and broken.line == 3
    assert isinstance(bad_date, SourceError) and bad_date.line == 4
    assert not isinstance(derived, SourceError) and derived.id == "2026-11-24-cafe-co"


@pytest.mark.parametrize(("path", "extra", "line"), [
    ("content/2026/messages.md", "", 1),
    (PATH, "id: messages\n", 11),
])
def test_messages_is_reserved_for_the_ui_catalog(path: str, extra: str, line: int) -> None:
    with pytest.raises(SourceError, match="'messages' is reserved") as raised:
        load_markdown(GOOD.replace("tags:", f"{extra}tags:").encode(), path)
    assert (raised.value.path, raised.value.line) == (Path(path), line)
    assert raised.value.hint is not None and "rename the article" in raised.value.hint


def test_resolve_article_maps_at_ui_and_refuses_messages() -> None:
    assert resolve_article("@ui") == UI_ARTICLE == "messages"
    assert resolve_article("2026-11-18-trained-hunters") == "2026-11-18-trained-hunters"
    assert display_id(UI_ARTICLE) == "@ui" and display_id("2026-11-18-trained-hunters") == "2026-11-18-trained-hunters"
    with pytest.raises(UsageError, match="the UI catalog is named @ui"):
        resolve_article("messages")
    with pytest.raises(UsageError, match="not an article: it cannot be assigned"):
        resolve_article("@ui", refuse_ui="cannot be assigned")


@pytest.mark.parametrize(
    ("front", "line", "what"),
    [
        ('title: "Trained Hunters\ndate: 2026-11-18\nauthor: Kat Ellison\n', 2, "quote"),
        ("title: Trained Hunters\ndate: 2026-11-18\nauthor: 'Kat Ellison\ntags: [x]\n", 4, "quote"),
        ("title: Trained Hunters\ntags: [immunology, cells\ndate: 2026-11-18\nauthor: Kat\n", 3, "bracket"),
    ],
)
def test_an_unclosed_quote_is_reported_where_it_opens_not_at_the_closing_dashes(front: str, line: int,
                                                                                what: str) -> None:
    with pytest.raises(SourceError) as caught:
        load_markdown(f"---\n{front}---\nBody.\n".encode(), PATH)
    assert caught.value.line == line
    assert f"the {what} opened on this line is never closed" in caught.value.message
    assert caught.value.hint is not None and f"close the {what}" in caught.value.hint



def test_check_sources_parses_only_new_changed_and_broken_sources(workspace_dir: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from i18n.content import articles
    from i18n.core.workspace import Workspace

    workspace = Workspace.open(workspace_dir)
    parsed: list[str] = []
    real = articles.load_markdown

    def counting(data: bytes, path: str) -> articles.Article:
        parsed.append(path)
        return real(data, path)

    monkeypatch.setattr(articles, "load_markdown", counting)
    assert articles.check_sources(workspace) == () and len(parsed) == 3
    for path in (workspace_dir / "content").rglob("*.md"):  # stamps older than the cache: not racy
        os.utime(path, ns=(path.stat().st_mtime_ns - 10**10,) * 2)
    articles.check_sources(workspace)
    parsed.clear()
    assert articles.check_sources(workspace) == () and parsed == []
    broken = workspace_dir / "content" / "2026" / "2026-11-20-broken.md"
    broken.write_text("---\ntitle: 'Open\ndate: 2026-11-20\nauthor: A\n---\n", encoding="utf-8")
    (error,) = articles.check_sources(workspace)
    assert (error.file, error.line) == ("content/2026/2026-11-20-broken.md", 2) and parsed == [error.file]
    assert len(articles.check_sources(workspace)) == 1  # still broken: still reported


def test_sources_in_an_unchanged_folder_are_not_looked_at_one_by_one(workspace_dir: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the sources' folders are as the cache recorded them, no source is stat'ed one by one; a broken
    file slipped into such a folder (with an old timestamp) still changes the folder, and is reported."""
    import os

    from i18n.content import articles
    from i18n.core.workspace import Workspace

    workspace = Workspace.open(workspace_dir)
    old = (workspace_dir / "content").stat().st_mtime_ns - 10**10
    for path in (workspace_dir / "content").rglob("*.md"):
        os.utime(path, ns=(old, old))
    assert articles.check_sources(workspace) == ()
    stats: list[str] = []
    real_stat = os.stat

    def counting(path: object, *args: object, **kwargs: object) -> os.stat_result:
        stats.append(str(path))
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(os, "stat", counting)
        assert articles.check_sources(workspace) == ()
    assert stats and not [s for s in stats if s.startswith(str(workspace_dir / "content"))]  # folder scans only
    broken = workspace_dir / "content" / "2026" / "2026-11-20-broken.md"
    broken.write_text("---\ntitle: 'Open\ndate: 2026-11-20\nauthor: A\n---\n", encoding="utf-8")
    os.utime(broken, ns=(old, old))
    (error,) = articles.check_sources(workspace)
    assert error.file == "content/2026/2026-11-20-broken.md"
