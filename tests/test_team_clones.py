"""A team is several clones of one workspace on one tracker: the whole day through the CLI.

Each scenario runs on both ways a team shares a tracker: one SQLite file that every clone names (a team on
one machine) and a PostgreSQL schema (a team with a server). "Pushing" and "pulling" a catalog is copying
the file between clones, as git would; the tracker is what the clones share.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from i18n.catalogs.pofile import read_catalog
from i18n.catalogs.poformat import format_catalog
from i18n.cli.commands import main
from tests.conftest import REPO, Result
from tests.tracker_support import GUT, postgres_schema, sqlite_only, write_bytes

GUT_PO = f"locales/ca/articles/2026/{GUT}.po"
MIRROR = """
[mirrors.catala]
language = "ca"
format = "json"
output = "build/mirrors/catala"
timezone = "Europe/Madrid"
"""

Clone = Callable[..., Result]


@pytest.fixture(params=["sqlite-file", "postgresql"])
def shared_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The tracker every clone names: a SQLite file outside the clones, or a fresh PostgreSQL schema."""
    if request.param == "sqlite-file":
        (tmp_path / "team").mkdir()
        yield f"sqlite:///{tmp_path / 'team' / 'tracker.sqlite3'}"
    else:
        yield from postgres_schema()


@pytest.fixture
def clone_at(capsys: pytest.CaptureFixture[str]) -> Callable[[Path], Clone]:
    """``clone_at(folder)("status", ...)``: ``i18n -C folder ...`` in-process, checking the exit code."""
    def make(root: Path) -> Clone:
        def invoke(*args: str, exit_code: int = 0) -> Result:
            with pytest.raises(SystemExit) as exited:
                main(["-C", str(root), *args])
            out, err = capsys.readouterr()
            result = Result(int(exited.value.code or 0), out, err)
            assert result.code == exit_code, result
            return result
        invoke.root = root  # type: ignore[attr-defined]
        return invoke
    return make


@pytest.fixture
def team(workspace_dir: Path, tmp_path: Path, shared_url: str, clone_at: Callable[[Path], Clone],
         monkeypatch: pytest.MonkeyPatch) -> dict[str, Clone]:
    """Three clones (translator, reviewer, coordinator) of a synced workspace with a Catalan JSON mirror."""
    sqlite_only(monkeypatch)
    monkeypatch.setenv("I18N_DATABASE_URL", shared_url)
    monkeypatch.setenv("I18N_USER", "coordinator")
    config = workspace_dir / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + MIRROR, encoding="utf-8")
    origin = clone_at(workspace_dir)
    origin("db", "upgrade")
    origin("sync", "-q")
    clones = {}
    for name in ("translator", "reviewer", "coordinator"):
        shutil.copytree(workspace_dir, tmp_path / name, ignore=shutil.ignore_patterns(".i18n"))
        clones[name] = clone_at(tmp_path / name)
    return clones


def root(clone: Clone) -> Path:
    return clone.root  # type: ignore[attr-defined,no-any-return]


def push(source: Clone, *targets: Clone, path: str = GUT_PO) -> None:
    """Copy one catalog from ``source`` to ``targets`` (a commit, a push and a pull)."""
    for target in targets:
        write_bytes(root(target) / path, (root(source) / path).read_bytes())


def translate_gut(translator: Clone) -> None:
    """The translator's morning: the sample's finished Catalan translation of the article, then `status`."""
    write_bytes(root(translator) / GUT_PO, (REPO / GUT_PO).read_bytes())
    translator("status", "--json")


def edit_title(clone: Clone, text: str) -> None:
    path = root(clone) / GUT_PO
    catalog = read_catalog(path)
    entries = tuple(replace(e, msgstr=text) if e.msgctxt == "title" else e for e in catalog.entries)
    write_bytes(path, format_catalog(replace(catalog, entries=entries)).encode("utf-8"))


def article_state(clone: Clone, article: str = GUT) -> dict[str, object]:
    rows = json.loads(clone("status", "ca", "--by", "article", "--json").stdout)["articles"]
    return next(row for row in rows if row["article"] == article)


def test_an_approval_in_the_reviewers_clone_is_published_from_the_coordinators(team: dict[str, Clone]) -> None:
    translator, reviewer, coordinator = team["translator"], team["reviewer"], team["coordinator"]
    translate_gut(translator)
    push(translator, reviewer, coordinator)
    approved = json.loads(reviewer("approve", "ca", GUT, "--reviewer", "Jordi Vidal", "--json").stdout)
    assert approved["approved"] and {a["state"] for a in approved["approved"]} == {"approved"}

    assert article_state(coordinator)["state"] == "approved"
    published = json.loads(coordinator("publish", "--as-of", "2026-11-21", "--json", exit_code=3).stdout)
    assert GUT in published["mirrors"][0]["published"]
    page = json.loads((root(coordinator) / "build/mirrors/catala/2026" / f"{GUT}.json").read_text(encoding="utf-8"))
    title = next(e for e in read_catalog(REPO / GUT_PO).active_entries if e.msgctxt == "title").msgstr
    assert page["title"] == title
    # The reviewer's own clone sees the publication the coordinator made.
    history = json.loads(reviewer("log", GUT, "--lang", "ca", "--json").stdout)
    assert [p["action"] for p in history["publications"]] == ["published"]


def test_a_reject_that_crosses_an_unpulled_edit_loses_neither(team: dict[str, Clone]) -> None:
    translator, reviewer = team["translator"], team["reviewer"]
    translate_gut(translator)
    push(translator, reviewer)
    reviewer("review", "ca")  # the reviewer pulled and read the queue
    # The translator improves the title and records it; the reviewer has not pulled it yet and rejects
    # the article as it is in their clone.
    edit_title(translator, "Les sensacions de l'intestí")
    translator("status", "--json")
    rejected = json.loads(reviewer("reject", "ca", GUT, "--reason", "Massa literal", "--json").stdout)
    title_key = "title"
    assert title_key not in {r["entry"] for r in rejected["rejected"]}
    assert any(s["entry"] == title_key and "another clone" in s["reason"] for s in rejected["skipped"])
    # The reviewer's file keeps the title unflagged, so the translator's edit merges cleanly on pull.
    reviewer_title = next(e for e in read_catalog(root(reviewer) / GUT_PO).active_entries if e.msgctxt == "title")
    assert not reviewer_title.fuzzy
    # The pull: git merges the translator's title line into the reviewer's flagged file; both share it.
    edit_title(reviewer, "Les sensacions de l'intestí")
    push(reviewer, translator)
    states = {e["entry"]: e["after"] for e in json.loads(
        reviewer("log", GUT, "--lang", "ca", "--json").stdout)["history"]}
    assert states[title_key] == "translated"
    # Both clones tell the same truth: the title awaits review, the rest was sent back.
    for clone in (translator, reviewer):
        row = article_state(clone)
        assert row["state"] == "needs-work"
        assert row["entries"]["translated"] == 1  # type: ignore[index]


def test_a_clone_made_today_sees_the_same_status(team: dict[str, Clone], tmp_path: Path,
                                                 clone_at: Callable[[Path], Clone]) -> None:
    translator, reviewer = team["translator"], team["reviewer"]
    translate_gut(translator)
    push(translator, reviewer)
    reviewer("approve", "ca", GUT, "--reviewer", "Jordi Vidal")
    edit_title(translator, "Les sensacions de l'intestí")  # pushed below: the newcomer clones after it
    push(translator, reviewer)
    before = {name: json.loads(clone("status", "--json").stdout) for name, clone in team.items()}
    shutil.copytree(root(reviewer), tmp_path / "newcomer", ignore=shutil.ignore_patterns(".i18n", "build"))
    newcomer = clone_at(tmp_path / "newcomer")
    after = json.loads(newcomer("status", "--json").stdout)
    for report in (*before.values(), after):
        report.pop("reconciled", None)
    assert after["languages"] == before["reviewer"]["languages"] == before["translator"]["languages"]
    ca = next(lang for lang in after["languages"] if lang["language"] == "ca")
    assert ca["entries"]["approved"] > 0 and ca["entries"]["translated"] == 1
    assert article_state(newcomer) == article_state(reviewer)


def test_status_and_review_say_when_the_live_page_is_older_than_the_source(team: dict[str, Clone]) -> None:
    translator, reviewer, coordinator = team["translator"], team["reviewer"], team["coordinator"]
    translate_gut(translator)
    push(translator, reviewer, coordinator)
    reviewer("approve", "ca", GUT, "--reviewer", "Jordi Vidal")
    coordinator("publish", "--as-of", "2026-11-21", exit_code=3)
    row = article_state(coordinator)
    assert row["published_at"] is not None and row["live_is_older"] is False
    # The English title is corrected: under the default keep policy the approved page stays live, older.
    source = root(coordinator) / "content/2026" / f"{GUT}.md"
    source.write_text(source.read_text(encoding="utf-8").replace("title: Gut Feelings", "title: Gut Instincts", 1),
                      encoding="utf-8")
    coordinator("sync", "-q")
    row = article_state(coordinator)
    assert row["state"] == "needs-work" and row["live_is_older"] is True
    assert "[live: the version published" in coordinator("status", "ca", "--by", "article").stdout
    # The translator fixes the title; the article awaits review while the older version is still live.
    path = root(coordinator) / GUT_PO
    catalog = read_catalog(path)
    fixed = tuple(replace(e.with_flag("fuzzy", False), msgstr="Instints viscerals") if e.msgctxt == "title" else e
                  for e in catalog.entries)
    write_bytes(path, format_catalog(replace(catalog, entries=fixed)).encode("utf-8"))
    queue = json.loads(coordinator("review", "ca", "--json").stdout)
    item = next(a for a in queue["articles"] if a["article"] == GUT)
    assert item["live_since"] == row["published_at"]
    assert "[live: the version published" in coordinator("review", "ca").stdout
    coordinator("approve", "ca", GUT, "--reviewer", "Jordi Vidal")
    coordinator("publish", "--as-of", "2026-11-21", exit_code=3)
    assert article_state(coordinator)["live_is_older"] is False


def test_a_new_clone_of_an_older_copy_does_not_turn_back_newer_translations(
        team: dict[str, Clone], tmp_path: Path, clone_at: Callable[[Path], Clone]) -> None:
    translator, reviewer = team["translator"], team["reviewer"]
    translate_gut(translator)
    push(translator, reviewer)  # the reviewer's clone has the first version
    edit_title(translator, "Les sensacions de l'intestí")
    translator("status", "--json")  # the tracker holds the new title
    # A newcomer clones from a copy that does not have the new title yet (the reviewer's).
    shutil.copytree(root(reviewer), tmp_path / "newcomer", ignore=shutil.ignore_patterns(".i18n", "build"))
    newcomer = clone_at(tmp_path / "newcomer")
    result = newcomer("status", "--json")
    assert json.loads(result.stdout)["reconciled"]["behind"] == [GUT_PO]
    assert f"{GUT_PO}: holds older translations than the tracker" in result.stderr
    history = json.loads(newcomer("log", GUT, "--lang", "ca", "--json").stdout)["history"]
    titles = [h for h in history if h["entry"] == "title"]
    assert [h["reason"] for h in titles] == ["import", "edit"]  # no edit back to the older title
    assert article_state(newcomer) == article_state(translator)
    # An edit to a new text in a fresh clone is recorded as any edit.
    edit_title(newcomer, "Sensacions de l'intestí, revisades")
    newcomer("status", "--json")
    history = json.loads(translator("log", GUT, "--lang", "ca", "--json").stdout)["history"]
    assert [h["reason"] for h in history if h["entry"] == "title"] == ["import", "edit", "edit"]
