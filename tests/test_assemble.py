"""Assembling translated articles: structure kept, nothing half-translated, hostile texts neutralised."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n.catalogs.catalog import Catalog, Entry, entry_key
from i18n.content.articles import Article, load_markdown
from i18n.content.assemble import Gap, IncompleteTranslation, assemble, catalog_texts, missing_entries
from i18n.content.segments import body_blocks, segment
from tests.conftest import REPO

FRONT = """---
title: Test Article
date: 2026-11-18
author: Ada Writer
credits:
  - Image by Someone
image:
  alt: An image
  caption: A caption
---
"""


def article(body: str, name: str = "2026-11-18-test.md") -> Article:
    return load_markdown((FRONT + body).encode("utf-8"), f"content/2026/{name}")


def texts_for(source: Article, translate: Callable[[str], str]) -> dict[str, str]:
    """A translation of every entry of ``source``."""
    return {entry_key(seg.context, seg.text): translate(seg.text) for seg in segment(source)}


def sample(name: str) -> Article:
    path = REPO / "content" / name
    return load_markdown(path.read_bytes(), f"content/{name}")


def test_structure_is_kept_and_only_text_replaced() -> None:
    body = """
# Heading one #

A paragraph that is
hard-wrapped over lines.

- item one
- item two
  continues

3. third
4. fourth

> quoted text
> more quoted

    code block stays

<div class="raw">stays</div>

Setext heading
--------------

***
"""
    source = article(body)
    result = assemble(source, "ca", texts_for(source, lambda text: "CA " + text.upper()))
    assert result.body == """
# CA HEADING ONE

CA A PARAGRAPH THAT IS HARD-WRAPPED OVER LINES.

- CA ITEM ONE
- CA ITEM TWO CONTINUES

3. CA THIRD
4. CA FOURTH

> CA QUOTED TEXT MORE QUOTED

    code block stays

<div class="raw">stays</div>

CA SETEXT HEADING
--------------

***
"""
    assert result.title == "CA TEST ARTICLE"
    assert (result.image_alt, result.image_caption, result.credits) == ("CA AN IMAGE", "CA A CAPTION",
                                                                         ("CA IMAGE BY SOMEONE",))
    assert result.author == "Ada Writer"  # not translated
    assert result.html_blocks == ('<div class="raw">stays</div>\n',)
    kinds = [kind for kind, _, _ in body_blocks(result.body)]
    assert kinds == [kind for kind, _, _ in body_blocks(source.body)]


def test_hard_breaks_continue_inside_their_containers() -> None:
    source = article("> 1. first line\n>    second line\n\n- a\n\n  second paragraph of a\n")
    texts = texts_for(source, lambda text: text)
    texts[entry_key(None, "first line second line")] = "primera línia\\\nsegona línia"
    result = assemble(source, "ca", texts)
    assert result.body == "> 1. primera línia\\\n>    segona línia\n\n- a\n\n  second paragraph of a\n"
    blocks = body_blocks(result.body)
    assert blocks[0] == ("list item", "primera línia\\\nsegona línia", 0)


def test_identity_translation_gives_back_the_same_segments() -> None:
    for name in ("2026/2026-11-14-gut-feelings.md", "2026/2026-11-15-safety-in-numbers.md",
                 "2026/2026-11-17-retrained-defenders.md"):
        source = sample(name)
        result = assemble(source, "ca", texts_for(source, lambda text: text))
        assert body_blocks(result.body) == body_blocks(source.body)


def test_missing_entries_are_listed_and_nothing_is_assembled() -> None:
    source = article("First paragraph.\n\nSecond paragraph.\n")
    texts = texts_for(source, lambda text: "CA " + text)
    del texts[entry_key(None, "Second paragraph.")]
    texts["title"] = "   "
    with pytest.raises(IncompleteTranslation) as caught:
        assemble(source, "ca", texts)
    missing = caught.value.missing
    assert [(m.key, m.gap) for m in missing] == [("title", Gap.UNTRANSLATED),
                                                  (entry_key(None, "Second paragraph."), Gap.UNTRANSLATED)]
    assert caught.value.exit_code == 3
    assert missing_entries(source, texts) == missing
    assert missing_entries(source, texts_for(source, str.upper)) == ()


def test_catalog_texts_keeps_only_finished_translations() -> None:
    catalog = Catalog(entries=(
        Entry("Done", "Fet"), Entry("Draft", "Esborrany", flags=("fuzzy",)), Entry("Empty"),
        Entry("Old", "Vell", obsolete=True), Entry("Title", "Títol", msgctxt="title"),
    ))
    assert catalog_texts(catalog) == {entry_key(None, "Done"): "Fet", "title": "Títol"}


def test_sample_catalog_with_fuzzy_entries_is_incomplete() -> None:
    source = sample("2026/2026-11-18-branching-out.md")
    from i18n.catalogs.pofile import read_catalog

    catalog = read_catalog(REPO / "locales" / "ca" / "articles" / "2026" / "2026-11-18-branching-out.po")
    fuzzy = {entry.key for entry in catalog.active_entries if entry.fuzzy}
    assert fuzzy
    with pytest.raises(IncompleteTranslation) as caught:
        assemble(source, "ca", catalog_texts(catalog))
    assert {m.key for m in caught.value.missing} == fuzzy


@pytest.mark.parametrize("translation", [
    "1986. Aquell any", "# no és un títol", "- no és una llista", "> no és una cita", "+ tampoc",
    "--- ratlla", "***", "=====", "```python", "<div>bloc</div>", "<script>alert(1)</script>",
    "[ref]: https://example.org", "<!-- comentari -->",
])
def test_translations_that_look_like_markdown_blocks_stay_paragraphs(translation: str) -> None:
    source = article("One paragraph.\n\nAnother one.\n")
    texts = texts_for(source, lambda text: text)
    texts[entry_key(None, "One paragraph.")] = translation
    result = assemble(source, "ca", texts)
    assert [kind for kind, _, _ in body_blocks(result.body)] == ["paragraph", "paragraph"]


def test_a_translation_that_still_breaks_the_structure_is_refused() -> None:
    source = article("One paragraph.\n")
    texts = texts_for(source, lambda text: text)
    texts[entry_key(None, "One paragraph.")] = "<em>"  # an allowed tag alone on its line: an HTML block
    with pytest.raises(IncompleteTranslation) as caught:
        assemble(source, "ca", texts)
    assert [m.gap for m in caught.value.missing] == [Gap.BREAKS_MARKDOWN]


def test_heading_translation_ending_in_hashes_keeps_them() -> None:
    source = article("## Languages\n")
    texts = texts_for(source, lambda text: text)
    texts[entry_key(None, "Languages")] = "Llenguatges: C #"
    result = assemble(source, "ca", texts)
    assert body_blocks(result.body) == [("heading", "Llenguatges: C \\#", 0)]


def test_digest_changes_with_content_only() -> None:
    source = article("Text.\n")
    first = assemble(source, "ca", texts_for(source, str.upper))
    again = assemble(source, "ca", texts_for(source, str.upper))
    other = assemble(source, "ca", texts_for(source, str.lower))
    assert first == again and first.digest == again.digest
    assert first.digest != other.digest and first.translation_digest != other.translation_digest


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)


@settings(max_examples=150, deadline=None)
@given(st.lists(_TEXT, min_size=4, max_size=4))
def test_any_translation_keeps_the_structure_or_is_refused(translations: list[str]) -> None:
    """Whatever translators type, the page's blocks stay the source's blocks, or the article is refused."""
    source = article("# Title\n\n- item\n\n> quote\n\nParagraph.\n")
    texts = texts_for(source, lambda text: text)
    for text, translation in zip(["Title", "item", "quote", "Paragraph."], translations, strict=True):
        texts[entry_key(None, text)] = translation
    try:
        result = assemble(source, "ca", texts)
    except IncompleteTranslation as exc:
        assert all(m.gap is Gap.BREAKS_MARKDOWN for m in exc.missing)
        return
    kinds = [kind for kind, _, _ in body_blocks(result.body)]
    assert kinds == ["heading", "list item", "quote", "paragraph"]


def test_feed_articles_assemble_too(tmp_path: Path) -> None:
    from i18n.content.articles import load_feed

    line = ('{"title": "Feed: a title", "date": "2026-11-19", "author": "A", "slug": "feed", '
            '"body": "Para one.\\n\\n- item\\n"}')
    loaded = load_feed(line.encode("utf-8"), "feeds/a.jsonl")[0]
    assert isinstance(loaded, Article)
    result = assemble(loaded, "es", texts_for(loaded, lambda text: "ES " + text))
    assert result.body == "ES Para one.\n\n- ES item\n"
    assert result.title == "ES Feed: a title"


@pytest.mark.parametrize(("typed", "kept"), [
    ("<script>alert(1)</script>", "&lt;script>alert(1)&lt;/script>"),
    ('<img src=x onerror="alert(1)">', '&lt;img src=x onerror="alert(1)">'),
    ('<abbr title="receptor">CAR</abbr> T', '<abbr title="receptor">CAR</abbr> T'),
    ('<abbr title="x" onclick="y">CAR</abbr>', '&lt;abbr title="x" onclick="y">CAR</abbr>'),
    ("H<sub>2</sub>O i <em>res</em>", "H<sub>2</sub>O i <em>res</em>"),
    ("<!-- amagat --> text", "&lt;!-- amagat --> text"),
    ("`<script>` en codi", "`<script>` en codi"),
    ("``a ` <b>`` <b>x</b>", "``a ` <b>`` <b>x</b>"),
    ("\\`<script>`", "\\`&lt;script>`"),
    ("<https://example.org> i a < b > c", "<https://example.org> i a < b > c"),
])
def test_raw_html_outside_the_safe_list_is_made_literal(typed: str, kept: str) -> None:
    from i18n.content.assemble import neutralise_html

    assert neutralise_html(typed) == kept


def test_markdown_body_never_carries_a_script_tag() -> None:
    source = article("A paragraph.\n\n- an item\n")
    result = assemble(source, "ca", texts_for(source, lambda text: f"<script>x()</script> <em>{text}</em>"))
    assert "<script" not in result.body and "&lt;script>x()&lt;/script> <em>A paragraph.</em>" in result.body
