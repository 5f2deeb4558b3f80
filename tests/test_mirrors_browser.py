"""The html mirror in a real browser (issue 16 item 3): headless Chromium loads its pages from disk with no
console errors and no request outside the mirror, the stylesheet applies, the page has its language, the
alt text of an article without an image file is shown, and it prints. Screenshots are left in ``build/``
for people (``build/mirror-*.png``), for the sample site's templates and for the defaults ``i18n init``
writes. Chromium is driven as in ``tests/test_dashboard_browser.py``."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from i18n.core.scaffold import install_templates
from i18n.core.workspace import Workspace
from i18n.mirrors.outputs import load_mirrors, mirror_named, write_mirror
from i18n.mirrors.site import alternates
from tests.conftest import REPO, SAMPLE_ARTICLES
from tests.test_dashboard_browser import chromium, console_lines
from tests.test_mirrors import NOW, catalog_items, load, make_workspace, site_for

ARTICLE = "2026/2026-11-14-gut-feelings.html"
BUILD = REPO / "build"
SPANISH = """
[mirrors.spanish]
language = "es"
format = "html"
output = "build/mirrors/spanish"
timezone = "Europe/Madrid"
"""
#: Injected into a copy of a page: any load from outside the file system is refused and logged on the
#: console, and what the page loaded and how it is styled is written into the DOM for --dump-dom.
_CSP = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src file:; script-src 'unsafe-inline'\">"
_PROBE = """<script>window.addEventListener("load", function () {
  var out = document.createElement("pre"); out.id = "i18n-probe";
  out.textContent = JSON.stringify({
    outside: performance.getEntriesByType("resource").map(function (e) { return e.name; })
      .filter(function (name) { return name.indexOf("file:") !== 0; }),
    background: getComputedStyle(document.body).backgroundColor,
    width: document.querySelector("main").getBoundingClientRect().width});
  document.body.appendChild(out);
});</script>"""
_NO_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND"


@pytest.fixture(params=["sample", "default"])
def mirror_folder(request: pytest.FixtureRequest, workspace_dir: Path) -> tuple[str, Path]:
    """The Catalan html mirror of the sample workspace (real Catalan catalogs), with the sample site's
    templates or the ones ``i18n init`` writes; a Spanish html mirror is configured (the language switch)."""
    ws = make_workspace(workspace_dir)
    config = ws.root / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + SPANISH, encoding="utf-8")
    ws = Workspace.open(ws.root)
    site = site_for(ws, "catalan")
    if request.param == "default":
        folder = ws.root / "default-templates"
        install_templates(folder)
        site = replace(site, templates=folder)
    site = replace(site, alternates=alternates(site.mirror, load_mirrors(ws.settings)))
    ready, _ = catalog_items(ws, site.mirror, [load(ws, name) for name in SAMPLE_ARTICLES])
    assert any(i.article.id == "2026-11-14-gut-feelings" for i in ready)
    ready = [replace(i, reviewers=("Jordi Vidal",)) for i in ready]
    write_mirror(site, ready, NOW)
    return request.param, mirror_named(ws.settings, "catalan").output.resolve()


class _Page(HTMLParser):
    """Start tags with their attributes, and the text inside elements of a given class."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text += data


def _parsed(dom: str) -> _Page:
    page = _Page()
    page.feed(dom)
    return page


def _probe(tmp_path: Path, folder: Path, relative: str, *, extra: str = "") -> tuple[dict[str, object], list[str]]:
    """Load a copy of the page with the CSP and the probe injected: what it reports, and the console."""
    import shutil

    copy = tmp_path / "probed"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(folder, copy)
    page = copy / relative
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("<head>", "<head>\n" + _CSP, 1).replace("</body>", _PROBE + extra + "</body>", 1),
                    encoding="utf-8")
    shown = chromium(tmp_path, page, _NO_NETWORK, "--window-size=1280,900", "--dump-dom")
    assert shown.returncode == 0, shown.stderr
    found = re.search(r'<pre id="i18n-probe">(.*?)</pre>', shown.stdout, re.DOTALL)
    assert found is not None, shown.stdout[-2000:]
    from html import unescape

    return json.loads(unescape(found.group(1))), console_lines(shown.stderr)


@pytest.mark.parametrize("relative", [ARTICLE, "index.html", "archive/index.html"])
def test_pages_load_cleanly_styled_and_offline(mirror_folder: tuple[str, Path], relative: str,
                                               tmp_path: Path) -> None:
    _, folder = mirror_folder
    shown = chromium(tmp_path, folder / relative, _NO_NETWORK, "--dump-dom")
    assert shown.returncode == 0, shown.stderr
    assert console_lines(shown.stderr) == []
    page = _parsed(shown.stdout)
    assert ("html", {"lang": "ca"}) in page.tags
    sheets = [a["href"] for t, a in page.tags if t == "link" and a.get("rel") == "stylesheet"]
    assert len(sheets) == 1 and (folder / relative).parent.joinpath(str(sheets[0])).resolve() == folder / "style.css"
    for tag, attributes in page.tags:  # nothing loaded from elsewhere: every src is inside the mirror
        assert "src" not in attributes or "://" not in str(attributes["src"]), (tag, attributes)
    probe, console = _probe(tmp_path, folder, relative)
    assert console == [] and probe["outside"] == [], (console, probe)
    assert probe["background"] == "rgb(251, 250, 247)"  # style.css applied


def test_the_article_page_shows_everything_and_looks_good(mirror_folder: tuple[str, Path], tmp_path: Path) -> None:
    templates, folder = mirror_folder
    shown = chromium(tmp_path, folder / ARTICLE, _NO_NETWORK, "--dump-dom")
    page = _parsed(shown.stdout)
    text = " ".join(page.text.split())
    # The article has no image file: its translated alt text is shown (and given to screen readers).
    alt = "Un grup arrodonit de cèl·lules amb diversos brots en forma de dit que s'estenen cap a fora"
    assert alt in text
    assert any(a.get("role") == "img" and a.get("aria-label") == alt for _, a in page.tags)
    assert "Sensacions viscerals" in text and "14 de novembre del 2026" in text
    assert "Priya Okonkwo-Lind" in text  # credits
    links = {str(a.get("href")): a for t, a in page.tags if t == "a"}
    assert "https://biod.example.org/2026/2026-11-14-gut-feelings/" in links  # the original
    spanish = "../../spanish/" + ARTICLE
    assert spanish in links and links[spanish].get("hreflang") == "es"  # the language switch
    assert "../archive/index.html" in links and "../archive/2026-11.html" in links  # navigation, archive

    BUILD.mkdir(exist_ok=True)
    for name, size in (("", "1280,1500"), ("-mobile", "390,1400")):
        picture = BUILD / f"mirror-article-{templates}{name}.png"
        taken = chromium(tmp_path, folder / ARTICLE, _NO_NETWORK, f"--screenshot={picture}", f"--window-size={size}",
                         "--hide-scrollbars")
        assert taken.returncode == 0, taken.stderr
        assert picture.stat().st_size > 20_000
    probe, _ = _probe(tmp_path, folder, ARTICLE)
    assert float(str(probe["width"])) <= 44 * 16 + 1  # a readable measure on a wide screen
    printed = tmp_path / "article.pdf"
    result = chromium(tmp_path, folder / ARTICLE, _NO_NETWORK, f"--print-to-pdf={printed}", "--no-pdf-header-footer")
    assert result.returncode == 0 and printed.read_bytes().startswith(b"%PDF")
    assert "@media print" in (folder / "style.css").read_text(encoding="utf-8")


def test_an_outside_request_would_be_caught(mirror_folder: tuple[str, Path], tmp_path: Path) -> None:
    """The offline check above is not vacuous: a page loading anything from the network is reported."""
    _, folder = mirror_folder
    probe, console = _probe(tmp_path, folder, "index.html", extra='<img src="https://example.org/x.png" alt="">')
    assert any("Content Security Policy" in line for line in console), console
    assert probe["outside"] == ["https://example.org/x.png"]
