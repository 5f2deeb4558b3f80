"""Mirrors: settings, the three formats, hostile input, incremental and atomic writes, Hugo."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from i18n.catalogs.catalog import Catalog, Entry, entry_key
from i18n.catalogs.pofile import read_catalog
from i18n.content.articles import Article, load_markdown
from i18n.content.assemble import IncompleteTranslation, TranslatedArticle, assemble, catalog_texts
from i18n.content.segments import segment
from i18n.core.config import load_settings
from i18n.core.errors import CatalogNotFound, ConfigError, I18nError, MirrorError
from i18n.core.workspace import Workspace
from i18n.mirrors.gate import Blocked, BlockedEntry
from i18n.mirrors.outputs import (
    Mirror,
    MirrorFormat,
    PublishItem,
    Site,
    SourceChangePolicy,
    is_due,
    load_mirrors,
    mirror_named,
    today_in,
    write_mirror,
)
from i18n.workflow.publish import BlockReason, publish
from tests.conftest import REPO, SAMPLE_ARTICLES, without_mirrors
from tests.programs import require_program

NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)
MIRRORS = """
[mirrors.catalan]
language = "ca"
format = "html"
output = "build/mirrors/catalan"
timezone = "Europe/Madrid"
original_url = "https://biod.example.org/{year}/{id}/"

[mirrors.catalan-md]
language = "ca"
format = "markdown"
output = "build/mirrors/catalan-md"
timezone = "Europe/Madrid"
original_url = "https://biod.example.org/{year}/{id}/"

[mirrors.catalan-json]
language = "ca"
format = "json"
output = "build/mirrors/catalan-json"
timezone = "Europe/Madrid"
embargo_days = 1
on_source_change = "withdraw"
"""


def make_workspace(root: Path) -> Workspace:
    """Add the mirrors and the Catalan catalogs to a copy of the sample workspace."""
    for name in ("LC_MESSAGES/messages.po", *(f"articles/{a[:-3]}.po" for a in SAMPLE_ARTICLES)):
        target = root / "locales" / "ca" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "locales" / "ca" / name, target)
    return make_workspace_config_only(root)


def make_workspace_config_only(root: Path) -> Workspace:
    """Replace the mirrors of ``root``'s i18n.toml by the test's own."""
    config = root / "i18n.toml"
    config.write_text(without_mirrors(config.read_text(encoding="utf-8")) + MIRRORS, encoding="utf-8")
    return Workspace.open(root)


@pytest.fixture
def ws(workspace_dir: Path) -> Workspace:
    return make_workspace(workspace_dir)


def load(ws: Workspace, name: str) -> Article:
    path = ws.root / "content" / name
    return load_markdown(path.read_bytes(), f"content/{name}")


def translate(source: Article, change: Callable[[str], str], language: str = "ca") -> TranslatedArticle:
    texts = {entry_key(seg.context, seg.text): change(seg.text) for seg in segment(source)}
    return assemble(source, language, texts)


def items(ws: Workspace, tag: str = "CA") -> list[PublishItem]:
    """Every sample article, translated by prefixing ``tag``."""
    return [PublishItem(translate(load(ws, name), lambda text: f"{tag} {text}"), translators=("Marta Puig",))
            for name in SAMPLE_ARTICLES]


def catalog_items(ws: Workspace, mirror: Mirror, articles: list[Article]) -> tuple[list[PublishItem], list[Blocked]]:
    """Items from the catalogs' finished (translated, non-fuzzy) entries, and the articles that have gaps.

    A stand-in for the tracker's gate (:mod:`i18n.mirrors.gate`): translators are the catalogs'
    ``Last-Translator`` names; there are no reviewers.
    """
    ready: list[PublishItem] = []
    blocked: list[Blocked] = []
    for article in articles:
        try:
            catalog = read_catalog(ws.catalog_path(mirror.language, article.id, article.year))
        except CatalogNotFound:
            blocked.append(Blocked(article.id, BlockReason.NOT_APPROVED))
            continue
        try:
            translation = assemble(article, mirror.language.code, catalog_texts(catalog))
        except IncompleteTranslation as exc:
            blocked.append(Blocked(article.id, BlockReason.NOT_APPROVED, entries=tuple(
                BlockedEntry(m.key, m.msgctxt, m.msgid, m.gap.value) for m in exc.missing)))
            continue
        translator = (catalog.header("Last-Translator") or "").split("<")[0].strip()
        ready.append(PublishItem(translation, translators=(translator,) if translator else ()))
    return ready, blocked


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def site_for(ws: Workspace, name: str, ui: Catalog | None = None) -> Site:
    mirror = mirror_named(ws.settings, name)
    catalog = ui if ui is not None else read_catalog(ws.ui_catalog_path(mirror.language))
    return Site(mirror, ws.settings.project, ws.root / "site" / "templates", catalog)


def html_tags(text: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag a browser would see, with its attributes."""
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collector().feed(text)
    return found


# -- settings and dates ---------------------------------------------------------------------------------------


def test_mirrors_are_read_from_i18n_toml(ws: Workspace) -> None:
    mirrors = {m.name: m for m in load_mirrors(ws.settings)}
    assert set(mirrors) == {"catalan", "catalan-md", "catalan-json"}
    catalan = mirrors["catalan"]
    assert (catalan.language.code, catalan.format, catalan.timezone) == ("ca", MirrorFormat.HTML, "Europe/Madrid")
    assert catalan.output == ws.root / "build" / "mirrors" / "catalan"
    assert catalan.on_source_change is SourceChangePolicy.KEEP
    assert mirrors["catalan-json"].on_source_change is SourceChangePolicy.WITHDRAW
    assert catalan.original_url_of("2026-11-18-x", dt.date(2026, 11, 18)) == "https://biod.example.org/2026/2026-11-18-x/"


@pytest.mark.parametrize(("table", "message"), [
    ('language = "ca"\nformat = "pdf"', "mirrors.bad.format"),
    ('language = "ca"\ntimezone = "Mars/Olympus"', "mirrors.bad.timezone"),
    ('language = "fr"', "mirrors.bad.language"),
    ('language = "ca"\ncolour = "red"', "mirrors.bad.colour"),
    ('language = "ca"\nembargo_days = -1', "mirrors.bad.embargo_days"),
    ('language = "ca"\non_source_change = "delete"', "mirrors.bad.on_source_change"),
    ('language = "ca"\noriginal_url = "https://x/{title}"', "mirrors.bad.original_url"),
    ('language = "ca"\noutput = "../outside"', "mirrors.bad.output"),
])
def test_bad_mirror_settings_name_the_key(workspace_dir: Path, table: str, message: str) -> None:
    with (workspace_dir / "i18n.toml").open("a", encoding="utf-8") as handle:
        handle.write(f"\n[mirrors.bad]\n{table}\n")
    with pytest.raises(ConfigError) as caught:
        load_mirrors(load_settings(workspace_dir / "i18n.toml"))
    assert message in str(caught.value) and "i18n.toml" in str(caught.value)


def test_an_unknown_mirror_lists_the_known_ones(ws: Workspace) -> None:
    with pytest.raises(ConfigError, match="catalan, catalan-md, catalan-json"):
        mirror_named(ws.settings, "basque")


def test_due_dates_follow_the_mirrors_time_zone_and_embargo(ws: Workspace) -> None:
    catalan = mirror_named(ws.settings, "catalan")
    late_evening_utc = dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC)  # already the 21st in Madrid
    assert today_in(catalan, late_evening_utc) == dt.date(2026, 11, 21)
    assert is_due(catalan, dt.date(2026, 11, 21), today_in(catalan, late_evening_utc))
    assert not is_due(catalan, dt.date(2026, 11, 22), dt.date(2026, 11, 21))
    embargoed = mirror_named(ws.settings, "catalan-json")
    assert not is_due(embargoed, dt.date(2026, 11, 21), dt.date(2026, 11, 21))
    assert is_due(embargoed, dt.date(2026, 11, 20), dt.date(2026, 11, 21))


def test_publish_blocks_articles_that_are_not_due(ws: Workspace) -> None:
    report = publish(ws, "catalan", items(ws), as_of=dt.date(2026, 11, 15), now=NOW)
    assert report.published == ("2025-12-30-clock-work", "2026-11-14-gut-feelings")
    assert [(b.article, b.reason, b.due) for b in report.blocked] == [
        ("2026-11-18-branching-out", BlockReason.NOT_DUE, dt.date(2026, 11, 18))]
    assert report.to_json()["blocked"][0] == {"article": "2026-11-18-branching-out", "reason": "not-due",
                                              "due": "2026-11-18", "entries": [], "message": ""}


# -- formats ------------------------------------------------------------------------------------------------


def test_html_mirror_is_a_complete_translated_site(ws: Workspace) -> None:
    report = publish(ws, "catalan", items(ws), as_of=dt.date(2026, 11, 21), now=NOW)
    out = ws.root / "build" / "mirrors" / "catalan"
    files = snapshot(out)
    assert set(files) == {
        "2025/2025-12-30-clock-work.html", "2026/2026-11-14-gut-feelings.html",
        "2026/2026-11-18-branching-out.html", "index.html", "archive/index.html", "archive/2025-12.html",
        "archive/2026-11.html", "atom.xml", "manifest.json", "style.css",
    }
    assert report.published == tuple(sorted(a[5:-3] for a in SAMPLE_ARTICLES))
    page = files["2026/2026-11-18-branching-out.html"].decode()
    assert '<html lang="ca">' in page
    assert "<h1>CA Branching Out</h1>" in page
    assert "18 de novembre del 2026" in page  # Babel's CLDR long date in Catalan
    assert "Escrit per Ellen Sayward" in page  # UI strings through the compiled messages catalog
    assert "Crèdits" in page and 'href="../archive/index.html"' in page
    assert 'href="https://biod.example.org/2026/2026-11-18-branching-out/" hreflang="en"' in page
    assert "<em>dendrites</em>" in page
    index = files["index.html"].decode()
    assert index.index("CA Branching Out") < index.index("CA Gut Feelings") < index.index("CA Clock Work")
    assert "3 imatges" in index
    archive = files["archive/index.html"].decode()
    assert "novembre del 2026" in archive and "desembre del 2025" in archive
    assert '<a href="../archive/2026-11.html">Articles: novembre del 2026</a>' in archive
    month = files["archive/2026-11.html"].decode()
    assert "CA Gut Feelings" in month and "CA Clock Work" not in month
    feed = files["atom.xml"].decode()
    assert feed.count("<entry>") == 3 and "<published>2026-11-21T08:00:00Z</published>" in feed
    import xml.etree.ElementTree as ET

    ET.fromstring(files["atom.xml"])  # well-formed XML
    manifest = json.loads(files["manifest.json"])
    assert [a["id"] for a in manifest["articles"]] == sorted(a[5:-3] for a in SAMPLE_ARTICLES)
    assert manifest["articles"][0]["published_at"] == "2026-11-21T08:00:00Z"
    assert manifest["files"]["index.html"] and "manifest.json" not in manifest["files"]


def test_dates_elide_before_vowels_in_catalan(ws: Workspace) -> None:
    source = load(ws, SAMPLE_ARTICLES[0])
    article = translate(source, lambda text: text)
    april = TranslatedArticle(**{**{f: getattr(article, f) for f in article.__dataclass_fields__},
                                 "date": dt.date(2016, 4, 30), "id": "2016-04-30-trained-killers"})
    write_mirror(site_for(ws, "catalan"), [PublishItem(april)], NOW)
    page = (ws.root / "build/mirrors/catalan/2016/2016-04-30-trained-killers.html").read_text()
    assert "30 d’abril del 2016" in page


def test_markdown_mirror_has_yaml_front_matter(ws: Workspace) -> None:
    publish(ws, "catalan-md", items(ws), as_of=dt.date(2026, 11, 21), now=NOW)
    text = (ws.root / "build/mirrors/catalan-md/2026/2026-11-14-gut-feelings.md").read_text()
    _, front, body = text.split("---\n", 2)
    data = yaml.safe_load(front)
    assert data["title"] == "CA Gut Feelings" and data["date"] == dt.date(2026, 11, 14)
    assert data["language"] == "ca" and data["translators"] == ["Marta Puig"] and data["reviewers"] == []
    assert data["original"] == {"id": "2026-11-14-gut-feelings", "title": "Gut Feelings",
                                "url": "https://biod.example.org/2026/2026-11-14-gut-feelings/"}
    assert "\n## CA Why use organoids?\n" in body and "\n- CA A single biopsy" in body


def test_json_mirror_has_articles_and_an_index(ws: Workspace) -> None:
    publish(ws, "catalan-json", items(ws), as_of=dt.date(2026, 11, 21), now=NOW)
    out = ws.root / "build/mirrors/catalan-json"
    index = json.loads((out / "index.json").read_text())
    assert [a["id"] for a in index["articles"]] == [
        "2026-11-18-branching-out", "2026-11-14-gut-feelings", "2025-12-30-clock-work"]
    article = json.loads((out / index["articles"][0]["path"]).read_text())
    assert article["title"] == "CA Branching Out" and article["language"] == "ca"
    assert article["body_html"].startswith("<p>CA A single neuron")
    assert article["date_formatted"] == "18 de novembre del 2026"


def test_catalog_items_publish_only_finished_articles(ws: Workspace) -> None:
    mirror = mirror_named(ws.settings, "catalan")
    ready, blocked = catalog_items(ws, mirror, [load(ws, name) for name in SAMPLE_ARTICLES])
    assert [i.article.id for i in ready] == ["2026-11-14-gut-feelings", "2025-12-30-clock-work"]
    assert [(b.article, b.reason) for b in blocked] == [("2026-11-18-branching-out", BlockReason.NOT_APPROVED)]
    assert {e.state for e in blocked[0].entries} == {"untranslated"}
    assert ready[0].translators == ("Marta Puig",)


# -- hostile input ------------------------------------------------------------------------------------------


def test_script_in_a_translation_shows_as_text(ws: Workspace) -> None:
    source = load(ws, SAMPLE_ARTICLES[1])
    evil = "<script>alert(1)</script>"
    article = translate(source, lambda text: f'{evil} <img src=x onerror=alert(2)> <abbr title="x" onclick="y">'
                                             f'A</abbr> [link](javascript:alert(3)) {text}')
    ui = Catalog(headers=(("Content-Type", "text/plain; charset=UTF-8"),), entries=(
        Entry("Credits", "<script>alert(4)</script>"),
        Entry("Written by %(author)s", "<b>%(author)s</b> %(nope)s"),
    ))
    write_mirror(site_for(ws, "catalan", ui), [PublishItem(article)], NOW)
    out = ws.root / "build/mirrors/catalan"
    pages = {name: data for name, data in snapshot(out).items() if name.endswith((".html", ".xml"))}
    assert len(pages) == 5  # article, index, archive, its month, feed
    for name, data in pages.items():
        tags = html_tags(data.decode())
        assert "script" not in {tag for tag, _ in tags}, name
        assert all(dict(attrs).get("src") == "" for tag, attrs in tags if tag == "img"), name  # the template's
        assert not [a for _, attrs in tags for a, v in attrs
                    if a.startswith("on") or (a in ("href", "src") and "javascript:" in (v or ""))], name
    page = (out / "2026/2026-11-18-branching-out.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<h2>&lt;script&gt;alert(4)&lt;/script&gt;</h2>" in page
    assert "Written by Ellen Sayward" in page  # a translation with an unknown placeholder falls back


def test_allowed_inline_html_survives(ws: Workspace) -> None:
    source = load(ws, SAMPLE_ARTICLES[1])
    article = translate(source, lambda text: f'<abbr title="a &amp; b">CAR</abbr> <em>{text}</em>')
    write_mirror(site_for(ws, "catalan"), [PublishItem(article)], NOW)
    page = (ws.root / "build/mirrors/catalan/2026/2026-11-18-branching-out.html").read_text()
    assert '<abbr title="a &amp; b">CAR</abbr>' in page


@pytest.mark.parametrize("title", [
    'Títol: amb dos punts', '"Cometes" i més', "'simple'", "- guió", "# coixinet", "yes", "2026-11-18",
    "null", "@ arrova", "a\nb", "&anchor *alias", "{flux: mapping}", "[llista]", "%percent", "!tag",
])
def test_yaml_breaking_titles_stay_strings(ws: Workspace, title: str) -> None:
    source = load(ws, SAMPLE_ARTICLES[1])
    article = translate(source, lambda text: title if text == source.title else text)
    write_mirror(site_for(ws, "catalan-md"), [PublishItem(article)], NOW)
    text = (ws.root / "build/mirrors/catalan-md/2026/2026-11-18-branching-out.md").read_text()
    front = yaml.safe_load(text.split("---\n", 2)[1])
    assert html.unescape(front["title"]) == " ".join(title.split())  # a string, HTML-escaped (below)


def test_markdown_front_matter_is_safe_whatever_the_checks_said(ws: Workspace) -> None:
    """Issue 15 item 8: the texts of the front matter are HTML-escaped, so a template that prints them raw
    (Liquid, Pelican) shows them, and one that puts them in a double-quoted attribute cannot be escaped."""
    source = load(ws, SAMPLE_ARTICLES[0])
    hostile = {source.title: "<script>alert(1)</script> Títol", source.image_alt: 'alt" onerror="alert(1)',
               source.image_caption: "<img src=x onerror=alert(2)> peu", source.credits[0]: "</p><script>x</script>"}
    article = translate(source, lambda text: hostile.get(text, text))
    write_mirror(site_for(ws, "catalan-md"), [PublishItem(article, translators=('<b onclick="x">Marta</b>',))], NOW)
    text = (ws.root / "build/mirrors/catalan-md/2026/2026-11-14-gut-feelings.md").read_text()
    front_text = text.split("---\n", 2)[1]
    for raw in ("<script", "<img", "<b ", 'alt"', "</p>"):
        assert raw not in front_text, raw
    front = yaml.safe_load(front_text)
    assert front["title"] == "&lt;script&gt;alert(1)&lt;/script&gt; Títol"
    assert front["image"]["alt"] == "alt&quot; onerror=&quot;alert(1)"
    assert front["image"]["caption"] == "&lt;img src=x onerror=alert(2)&gt; peu"
    assert front["credits"] == ["&lt;/p&gt;&lt;script&gt;x&lt;/script&gt;"]
    assert front["translators"] == ['&lt;b onclick=&quot;x&quot;&gt;Marta&lt;/b&gt;']
    assert html.unescape(front["title"]) == hostile[source.title]  # nothing lost: unescaping gives the text
    # A template pasting the alt text into an attribute, as Jekyll's would, keeps one attribute.
    tags = html_tags(f'<img src="a.jpg" alt="{front["image"]["alt"]}">')
    assert tags == [("img", [("src", "a.jpg"), ("alt", 'alt" onerror="alert(1)')])]


@pytest.mark.parametrize("bad_id", ["../escape", "2026/../../x", "/etc/passwd", "a/b", "..", "x\0y"])
def test_ids_that_are_paths_are_refused(ws: Workspace, bad_id: str) -> None:
    source = load(ws, SAMPLE_ARTICLES[1])
    article = translate(source, lambda text: text)
    hostile = TranslatedArticle(**{**{f: getattr(article, f) for f in article.__dataclass_fields__}, "id": bad_id})
    with pytest.raises(I18nError):
        write_mirror(site_for(ws, "catalan-md"), [PublishItem(hostile)], NOW)
    assert not (ws.root / "build").exists()
    assert not (ws.root.parent / "escape.md").exists()


def test_a_manifest_with_paths_outside_is_refused(ws: Workspace) -> None:
    write_mirror(site_for(ws, "catalan-json"), items(ws), NOW)
    out = ws.root / "build/mirrors/catalan-json"
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["files"]["../../../victim"] = "0"
    (out / "manifest.json").write_text(json.dumps(manifest))
    (ws.root / "victim").write_text("keep me")
    with pytest.raises(MirrorError, match="refusing"):
        write_mirror(site_for(ws, "catalan-json"), items(ws, "ES"), NOW)
    assert (ws.root / "victim").read_text() == "keep me"


# -- incremental and atomic ----------------------------------------------------------------------------------


def test_second_run_writes_nothing(ws: Workspace) -> None:
    site = site_for(ws, "catalan")
    first = write_mirror(site, items(ws), NOW)
    out = ws.root / "build/mirrors/catalan"
    stamps = {p: p.stat().st_mtime_ns for p in out.resolve().rglob("*")}
    versions = sorted(p.name for p in (ws.root / "build/mirrors/.catalan.versions").iterdir())
    second = write_mirror(site, items(ws), NOW + dt.timedelta(days=1))
    assert not second.changed and second.files_written == () and second.version == first.version
    assert second.unchanged == first.published and second.published == ()
    assert {p: p.stat().st_mtime_ns for p in out.resolve().rglob("*")} == stamps
    assert sorted(p.name for p in (ws.root / "build/mirrors/.catalan.versions").iterdir()) == versions
    dry = publish(ws, "catalan", items(ws, "NEW"), as_of=dt.date(2026, 11, 21), now=NOW, dry_run=True)
    assert dry.updated and dry.files_written and dry.version == first.version
    assert {p: p.stat().st_mtime_ns for p in out.resolve().rglob("*")} == stamps


def test_only_what_changed_is_written(ws: Workspace) -> None:
    site = site_for(ws, "catalan")
    write_mirror(site, items(ws), NOW)
    out = ws.root / "build/mirrors/catalan"
    before = {p.relative_to(out.resolve()).as_posix(): p.stat().st_ino for p in out.resolve().rglob("*.html")}
    changed = items(ws)
    changed[0] = PublishItem(translate(load(ws, SAMPLE_ARTICLES[0]), lambda text: f"NOU {text}"))
    later = NOW + dt.timedelta(hours=5)
    report = write_mirror(site, changed, later)
    assert report.updated == ("2026-11-14-gut-feelings",) and report.version == "000002"
    assert "2026/2026-11-14-gut-feelings.html" in report.files_written
    after = {p.relative_to(out.resolve()).as_posix(): p.stat().st_ino for p in out.resolve().rglob("*.html")}
    # unchanged pages are the same files (hard links), not rewritten copies
    assert after["2026/2026-11-18-branching-out.html"] == before["2026/2026-11-18-branching-out.html"]
    assert after["2026/2026-11-14-gut-feelings.html"] != before["2026/2026-11-14-gut-feelings.html"]
    manifest = json.loads((out / "manifest.json").read_text())
    record = next(a for a in manifest["articles"] if a["id"] == "2026-11-14-gut-feelings")
    assert (record["published_at"], record["updated_at"]) == ("2026-11-21T08:00:00Z", "2026-11-21T13:00:00Z")


def test_withdrawing_removes_only_our_files(ws: Workspace) -> None:
    site = site_for(ws, "catalan-md")
    write_mirror(site, items(ws), NOW)
    out = ws.root / "build/mirrors/catalan-md"
    (out / "README.txt").write_text("put here by the site's admin")
    (out / "2026" / "notes.md").write_text("the admin's notes")
    report = write_mirror(site, items(ws)[1:], NOW)
    assert report.withdrawn == ("2026-11-14-gut-feelings",)
    assert not (out / "2026/2026-11-14-gut-feelings.md").exists()
    assert (out / "README.txt").read_text() == "put here by the site's admin"
    assert (out / "2026" / "notes.md").read_text() == "the admin's notes"
    site = replace(site, mirror=replace(site.mirror, keep_versions=3))  # [publish] keep_versions = 3
    for _ in range(3):  # old versions are cleaned up, the admin's files live on
        report = write_mirror(site, items(ws, f"V{_}")[1:], NOW)
    assert (out / "README.txt").read_text() == "put here by the site's admin"
    versions = sorted(p.name for p in (ws.root / "build/mirrors/.catalan-md.versions").iterdir()
                      if p.name not in ("lock", "published", "history"))
    assert versions == ["000003", "000004", "000005"]


def test_a_file_we_did_not_create_is_never_overwritten(ws: Workspace) -> None:
    site = site_for(ws, "catalan-md")
    write_mirror(site, items(ws)[1:], NOW)
    out = ws.root / "build/mirrors/catalan-md"
    (out / "2026" / "2026-11-14-gut-feelings.md").write_text("hand-written")
    with pytest.raises(MirrorError, match="not created by i18n"):
        write_mirror(site, items(ws), NOW)
    assert (out / "2026" / "2026-11-14-gut-feelings.md").read_text() == "hand-written"


def test_a_foreign_symbolic_link_does_not_lead_writes_outside(ws: Workspace) -> None:
    site = site_for(ws, "catalan-md")
    write_mirror(site, items(ws)[:2], NOW)  # the 2026 articles
    out = ws.root / "build/mirrors/catalan-md"
    outside = ws.root / "outside"
    outside.mkdir()
    (out / "2025").symlink_to(outside, target_is_directory=True)  # put there by someone else
    with pytest.raises(MirrorError, match="leads outside the mirror's folder"):
        write_mirror(site, items(ws), NOW)  # the 2025 article would go through the link
    assert list(outside.iterdir()) == []
    assert os.readlink(out) == ".catalan-md.versions/000001"


def test_an_existing_folder_is_not_taken_over(ws: Workspace) -> None:
    out = ws.root / "build/mirrors/catalan"
    out.mkdir(parents=True)
    (out / "index.html").write_text("someone else's site")
    with pytest.raises(MirrorError, match="not a mirror made by i18n"):
        write_mirror(site_for(ws, "catalan"), items(ws), NOW)
    assert (out / "index.html").read_text() == "someone else's site"
    (out / "index.html").unlink()  # an empty folder is fine
    assert write_mirror(site_for(ws, "catalan"), items(ws), NOW).version == "000001"
    assert out.is_symlink()


def test_one_writer_at_a_time(ws: Workspace) -> None:
    from i18n.mirrors.store import VersionStore

    site = site_for(ws, "catalan-json")
    write_mirror(site, items(ws), NOW)
    with VersionStore(site.mirror.output).lock(), pytest.raises(MirrorError, match="another process"):
        write_mirror(site, items(ws, "ES"), NOW)
    assert write_mirror(site, items(ws, "ES"), NOW).version == "000002"


def publish_in_subprocess(root: str, tag: str) -> None:
    """What the crash test's child process runs."""
    ws = Workspace.open(Path(root))
    write_mirror(site_for(ws, "catalan"), items(ws, tag), NOW)


@pytest.mark.slow
def test_a_crash_mid_run_leaves_the_old_mirror_and_the_next_run_completes(ws: Workspace) -> None:
    site = site_for(ws, "catalan")
    write_mirror(site, items(ws), NOW)
    out = ws.root / "build/mirrors/catalan"
    before = snapshot(out)
    staging = ws.root / "build/mirrors/.catalan.versions/000002.tmp"
    env = {**os.environ, "PYTHONPATH": str(REPO), "I18N_TEST_MIRROR_SLEEP": "0.5"}
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; from tests.test_mirrors import publish_in_subprocess as p; "
                               "p(sys.argv[1], 'NOU')", str(ws.root)], env=env)
    try:
        deadline = time.monotonic() + 60
        while not (staging / "2026" / "2026-11-14-gut-feelings.html").exists():
            assert child.poll() is None, "the publishing process ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert staging.is_dir()  # the half-built version is there, but nobody sees it
    assert os.readlink(out) == ".catalan.versions/000001"
    assert snapshot(out) == before
    report = write_mirror(site, items(ws, "NOU"), NOW)
    assert report.version == "000002" and not staging.exists()
    assert "<h1>NOU Gut Feelings</h1>" in (out / "2026/2026-11-14-gut-feelings.html").read_text()
    assert set(snapshot(out)) == set(before)


# -- Hugo ---------------------------------------------------------------------------------------------------


def test_hugo_builds_the_markdown_mirror(ws: Workspace, tmp_path: Path) -> None:
    hugo = require_program("hugo")
    hostile = items(ws)
    source = load(ws, SAMPLE_ARTICLES[2])
    hostile[2] = PublishItem(translate(source, lambda text: f'Títol: "amb" \'cometes\' # i més {text}'))
    write_mirror(site_for(ws, "catalan-md"), hostile, NOW)
    content = (ws.root / "build/mirrors/catalan-md").resolve()
    project = tmp_path / "hugo"
    (project / "layouts" / "_default").mkdir(parents=True)
    (project / "hugo.toml").write_text(
        f'baseURL = "https://ca.example.org/"\nlanguageCode = "ca"\ntitle = "BIoD"\n'
        f'contentDir = "{content}"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n', encoding="utf-8")
    (project / "layouts" / "_default" / "single.html").write_text(
        "<h1>{{ .Title | htmlUnescape }}</h1><time>{{ .Date.Format \"2006-01-02\" }}</time>"
        "<p>{{ .Params.author | htmlUnescape }}</p>{{ .Content }}", encoding="utf-8")
    (project / "layouts" / "_default" / "list.html").write_text(
        "{{ range .RegularPages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}", encoding="utf-8")
    result = subprocess.run([hugo, "--source", str(project), "--destination", str(project / "public")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr + result.stdout
    page = next((project / "public").rglob("2026-11-14-gut-feelings/index.html")).read_text()
    assert "<h1>CA Gut Feelings</h1>" in page and "<time>2026-11-14</time>" in page
    assert "<h2 id=" in page and "CA Why use organoids?" in page and "<li>CA A single biopsy" in page
    hostile_page = next((project / "public").rglob("2025-12-30-clock-work/index.html")).read_text()
    title = "Títol: &#34;amb&#34; &#39;cometes&#39; # i més Clock Work: How an Embryo Keeps Time"
    assert f"<h1>{title}</h1>" in hostile_page
    # The manifest is not content: Hugo does not publish it (a dot file), and the mirror still reads it.
    assert (content / ".manifest.json").is_file() and not (content / "manifest.json").exists()
    assert not list((project / "public").rglob("*manifest*"))


def test_publish_report_json_shape_and_withdraw(ws: Workspace) -> None:
    first = publish(ws, "catalan-json", items(ws), as_of=dt.date(2026, 11, 21), now=NOW)
    assert first.to_json() == {
        "mirror": "catalan-json", "language": "ca", "format": "json",
        "output": str(ws.root / "build/mirrors/catalan-json"), "as_of": "2026-11-21", "dry_run": False,
        "published": ["2025-12-30-clock-work", "2026-11-14-gut-feelings", "2026-11-18-branching-out"],
        "updated": [], "withdrawn": [], "unchanged": [], "blocked": [],
        "files": {"written": ["2025/2025-12-30-clock-work.json", "2026/2026-11-14-gut-feelings.json",
                              "2026/2026-11-18-branching-out.json", "index.json"], "removed": []},
        "version": "000001", "kept": [], "restored": [], "rolled_back": [], "gated": 0, "cached": 0,
    }
    second = publish(ws, "catalan-json", items(ws), as_of=dt.date(2026, 11, 21), now=NOW,
                     withdraw={"2026-11-14-gut-feelings"})
    assert second.withdrawn == ("2026-11-14-gut-feelings",)
    assert second.files_removed == ("2026/2026-11-14-gut-feelings.json",)
    assert second.files_written == ("index.json",) and second.version == "000002"


@pytest.mark.parametrize("name", ["catalan", "catalan-md", "catalan-json"])
def test_sample_workspace_mirror_holds_exactly_the_finished_due_articles(tmp_path: Path, name: str) -> None:
    root = tmp_path / "sample"
    root.mkdir()
    for part in ("i18n.toml", "content", "site", "locales"):
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, root / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, root / part)
    ws = make_workspace_config_only(root)
    mirror = mirror_named(ws.settings, name)
    articles = [load_markdown(p.read_bytes(), p.relative_to(root).as_posix())
                for p in sorted((root / "content").rglob("*.md"))]
    ready, _ = catalog_items(ws, mirror, articles)
    report = publish(ws, mirror, ready, as_of=dt.date(2026, 11, 21), now=NOW)
    expected = sorted(i.article.id for i in ready if is_due(mirror, i.article.date, dt.date(2026, 11, 21)))
    assert expected and list(report.published) == expected
    manifest = json.loads((mirror.output / mirror.manifest_name).read_text())
    assert [a["id"] for a in manifest["articles"]] == expected


def test_a_dry_run_on_a_new_mirror_writes_nothing(ws: Workspace) -> None:
    report = publish(ws, "catalan", items(ws), as_of=dt.date(2026, 11, 21), now=NOW, dry_run=True)
    assert report.dry_run and len(report.published) == 3 and "index.html" in report.files_written
    assert report.version is None and not (ws.root / "build").exists()


def test_the_feed_uses_the_public_url_when_configured(workspace_dir: Path) -> None:
    make_workspace(workspace_dir)
    with (workspace_dir / "i18n.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[mirrors.public]\nlanguage = "ca"\nformat = "html"\nbase_url = "https://ca.example.org"\n')
    ws = Workspace.open(workspace_dir)
    write_mirror(site_for(ws, "public"), items(ws), NOW)
    import xml.etree.ElementTree as ET

    feed = ET.fromstring((ws.root / "build/mirrors/public/atom.xml").read_bytes())
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.findtext(f"{atom}id") == "https://ca.example.org/atom.xml"
    ids = [entry.findtext(f"{atom}id") for entry in feed.iter(f"{atom}entry")]
    assert ids[0] == "https://ca.example.org/2026/2026-11-18-branching-out.html"
    assert feed.findtext(f"{atom}title") == "Imatge Biomèdica del Dia: darreres imatges"


def test_a_markdown_mirror_written_before_its_manifest_was_hidden_moves_on(ws: Workspace) -> None:
    """A Markdown mirror published by an older i18n has manifest.json: it is read, then replaced by
    .manifest.json (never kept as someone else's file)."""
    site = site_for(ws, "catalan-md")
    write_mirror(site, items(ws), NOW)
    out = ws.root / "build/mirrors/catalan-md"
    folder = out.resolve()
    os.rename(folder / ".manifest.json", folder / "manifest.json")  # the old layout
    report = write_mirror(site, items(ws, "V2"), NOW)
    assert len(report.updated) == 3 and not report.published
    assert (out / ".manifest.json").is_file() and not (out / "manifest.json").exists()


def test_the_sample_site_and_init_share_one_stylesheet() -> None:
    # The sample workspace's site is what `i18n init` scaffolds, with the sample's own pages: its stylesheet
    # is the same file, so a fix to one is made to both (this test says which to copy).
    repo = Path(__file__).resolve().parent.parent
    assert (repo / "site/templates/style.css").read_bytes() == (
        repo / "i18n/default_templates/style.css").read_bytes(), "copy i18n/default_templates/style.css over it"
