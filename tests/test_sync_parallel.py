"""The parallel bulk path of ``sync`` gives exactly what the serial one gives: same files, same report.

Worker processes (forked) read, parse and render the sources and make the new catalogs; the parent
writes. Two copies of one workspace are synced, one serially and one in parallel, through a cold run and
a run with edits, a removal, new articles and a catalog missing in one language; every file under
``locales/`` and the JSON report must be identical.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate
from i18n.cli import output
from i18n.core.index import INDEX_NAME, ContentIndex
from i18n.core.workspace import Workspace
from i18n.workflow import sync, sync_noop
from tests.conftest import REPO, without_mirrors

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")

FEED = "feeds/extra.jsonl"
FEED_TEXT = "\n".join([
    json.dumps({"title": "From the Feed", "date": "2024-03-02", "author": "A. Writer", "slug": "from-the-feed",
                "body": "First paragraph.\n\nSecond one, with *emphasis*.\n\n- a list item\n"}),
    "{not json",
    json.dumps({"title": "Another Feed Item", "date": "2024-03-03", "author": "B. Writer",
                "slug": "another-feed-item", "credits": ["Image by C"], "body": "# Heading\n\nText.\n"}),
]) + "\n"


def build(root: Path, tmp: Path) -> None:
    """A workspace: the sample's settings, UI and articles, 40 generated articles, a feed, bad sources."""
    root.mkdir(parents=True)
    config = without_mirrors((REPO / "i18n.toml").read_text(encoding="utf-8"))
    (root / "i18n.toml").write_text(config.replace("feeds = []", f'feeds = ["{FEED}"]'), encoding="utf-8")
    shutil.copytree(REPO / "site", root / "site", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "content", root / "content")
    made = generate(tmp / "generated", 40, ["ca", "es"], seed=3)
    for article in made.articles:
        target = root / "content" / article.relative_to(made.folder / "content")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(article, target)
    (root / "feeds").mkdir()
    (root / "content" / "2024").mkdir()
    (root / FEED).write_text(FEED_TEXT, encoding="utf-8")
    (root / "content" / "2024" / "2024-01-01-no-front-matter.md").write_text("Just text.\n", encoding="utf-8")
    (root / "content" / "2024" / "2024-01-02-twin.md").write_text(
        "---\ntitle: Twin\ndate: 2024-01-02\nauthor: X\nid: twin-id\n---\nOne.\n", encoding="utf-8")
    (root / "content" / "2024" / "2024-01-03-twin.md").write_text(
        "---\ntitle: Twin too\ndate: 2024-01-03\nauthor: X\nid: twin-id\n---\nTwo.\n", encoding="utf-8")
    (root / "content" / "2024" / "2024-01-04-bad-date.md").write_text(
        "---\ntitle: Bad\ndate: 2024-13-45\nauthor: X\n---\nText.\n", encoding="utf-8")


def edit(root: Path) -> None:
    """Edits between two runs: one article changed, one removed, one touched, new ones, a catalog deleted."""
    articles = sorted((root / "content").rglob("*.md"))
    changed = articles[5]
    changed.write_text(changed.read_text(encoding="utf-8").rstrip("\n") + "\n\nA new closing paragraph.\n",
                       encoding="utf-8")
    catalog = root / "locales" / "ca" / "articles" / changed.parent.name / f"{changed.stem}.po"
    catalog.write_text('msgid "broken\n', encoding="utf-8")  # its error is reported in its place
    articles[6].unlink()
    articles[7].write_bytes(articles[7].read_bytes())  # touched: same content
    for number in range(1, 4):
        (root / "content" / "2023" / f"2023-05-0{number}-new-{number}.md").parent.mkdir(exist_ok=True)
        (root / "content" / "2023" / f"2023-05-0{number}-new-{number}.md").write_text(
            f"---\ntitle: New {number}\ndate: 2023-05-0{number}\nauthor: N\n---\nBody {number}.\n\n> quoted\n",
            encoding="utf-8")
    es = sorted((root / "locales" / "es" / "articles").rglob("*.po"))
    es[0].unlink()


def run(root: Path, parallel: bool, monkeypatch: pytest.MonkeyPatch, calls: list[int]) -> str:
    """Sync ``root`` serially or on worker processes; the JSON report (``<root>`` for the folder)."""
    with monkeypatch.context() as patch:
        if parallel:
            patch.setattr(sync, "PARALLEL_MIN", 1)
            patch.setattr(sync, "CHUNK", 3)
            patch.setattr(sync, "cpu_count", lambda: 2)
        else:
            patch.setattr(sync, "PARALLEL_MIN", 10**9)
        prepare = sync._Run._prepare_sources

        def spy(self: Any, *args: Any) -> Any:
            """Count the sources worker processes prepared (``None``: done in this process)."""
            calls.append(0)
            for prepared in prepare(self, *args):
                calls[-1] += prepared is not None
                yield prepared

        patch.setattr(sync._Run, "_prepare_sources", spy)
        report = sync.sync(Workspace.open(root))
    return output.to_json(output.sync_dict(report)).replace(str(root), "<root>")


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / "locales").rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_parallel_sync_is_byte_identical_to_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795248000")
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build(serial, tmp_path)
    shutil.copytree(serial, parallel)
    serial_calls: list[int] = []
    parallel_calls: list[int] = []

    first = run(serial, False, monkeypatch, serial_calls)
    assert run(parallel, True, monkeypatch, parallel_calls) == first
    assert files(parallel) == files(serial)
    assert json.loads(first)["errors"], "the bad sources are reported"
    assert serial_calls == [0] and parallel_calls[0] > 40, "the parallel run used workers"

    edit(serial)
    edit(parallel)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795334400")  # a day later
    second = run(serial, False, monkeypatch, serial_calls)
    assert run(parallel, True, monkeypatch, parallel_calls) == second
    assert files(parallel) == files(serial)
    assert parallel_calls[1] > 0
    assert any(".po" in json.dumps(e) for e in json.loads(second)["errors"]), "the broken catalog is reported"

    for root in (serial, parallel):  # the index lost: every source and catalog is checked again
        (root / ".i18n" / INDEX_NAME).unlink()
    third = run(serial, False, monkeypatch, serial_calls)
    assert run(parallel, True, monkeypatch, parallel_calls) == third
    assert files(parallel) == files(serial)
    assert parallel_calls[2] > 40
    fingerprint = sync_noop.index_fingerprint(Workspace.open(serial).settings)
    indexes = [ContentIndex.load(root / ".i18n" / INDEX_NAME, fingerprint) for root in (serial, parallel)]
    assert indexes[0].articles == indexes[1].articles
    assert {k: s[2] for k, s in indexes[0].stamps.items()} == {k: s[2] for k, s in indexes[1].stamps.items()}


def test_small_batches_stay_in_one_process(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    run(workspace_dir, False, monkeypatch, calls)
    with monkeypatch.context() as patch:
        patch.setattr(sync, "cpu_count", lambda: 2)
        report = sync.sync(Workspace.open(workspace_dir))
    assert report.ok and calls == [0]
