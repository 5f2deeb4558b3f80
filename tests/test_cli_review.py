"""``i18n review``, ``approve`` and ``reject`` on the command line, and the review workflow end to end."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from i18n.catalogs.pofile import read_catalog
from i18n.catalogs.poformat import format_catalog
from i18n.core.states import MACHINE_MARKER, State
from tests.conftest import REPO, Run
from tests.fake_libretranslate import FakeServer
from tests.tracker_support import GUT, write_bytes

CLOCK = "2025-12-30-clock-work"
GUT_PO = f"locales/ca/articles/2026/{GUT}.po"
UI_PO = "locales/ca/LC_MESSAGES/messages.po"

# Every test here reviews through the tracker: each runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends("sqlite", "postgresql")


def use_sample_translation(workspace_dir: Path, article: str) -> None:
    """Put the sample's Catalan catalog of ``article`` (translated, passing every check) in place."""
    path = f"locales/ca/articles/{article[:4]}/{article}.po"
    write_bytes(workspace_dir / path, (REPO / path).read_bytes())


@pytest.fixture
def translated(run: Run, workspace_dir: Path) -> Path:
    run("sync", "-q")
    for article in (GUT, CLOCK):
        use_sample_translation(workspace_dir, article)
    return workspace_dir


def test_review_queue_json(run: Run, translated: Path) -> None:
    data = json.loads(run("review", "ca", "--json").stdout)
    assert set(data) == {"language", "today", "articles", "reconciled", "errors"}
    assert [a["article"] for a in data["articles"]] == [CLOCK, GUT]
    item = data["articles"][1]
    assert set(item) == {"article", "date", "days", "catalog", "entries", "checks", "ready", "problems", "live_since"}
    assert item["entries"]["translated"] == 10 and item["ready"]
    assert item["checks"] == {"error": 0, "warning": 0, "accepted": 0}
    text = run("review", "ca").stdout
    assert text.index(CLOCK) < text.index(GUT) and "ready" in text


def test_review_article_side_by_side_fits_the_terminal(run: Run, translated: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "72")
    out = run("review", "ca", GUT).stdout
    assert "Sensacions viscerals" in out and f"{GUT_PO}:" in out
    assert max(len(line) for line in out.splitlines()) <= 72
    data = json.loads(run("review", "ca", GUT, "--json").stdout)
    entry = data["entries"][0]
    assert set(entry) == {"entry", "line", "state", "source", "translation", "previous_source",
                          "approved_translation", "approved_by", "machine", "problems", "accepted"}
    assert (entry["entry"], entry["state"], entry["translation"]) == ("title", "translated", "Sensacions viscerals")


def test_approve_blocked_exits_3_and_lists_the_blockers(run: Run, translated: Path) -> None:
    path = translated / GUT_PO
    catalog = read_catalog(path)
    entries = tuple(replace(e.with_flag("fuzzy", True), translator_comments=(f"{MACHINE_MARKER} x 2026-11-21",))
                    if e.msgctxt == "image-alt" else e for e in catalog.entries)
    write_bytes(path, format_catalog(replace(catalog, entries=entries)).encode("utf-8"))
    result = run("approve", "ca", GUT, CLOCK, "--reviewer", "Jordi Vidal", "--json", exit_code=3)
    data = json.loads(result.stdout)
    assert data["refused"] == [GUT] and data["blocked"][0]["state"] == "machine"
    assert data["blocked"][0]["entry"] == "image-alt" and data["blocked"][0]["file"] == GUT_PO
    assert {a["article"] for a in data["approved"]} == {CLOCK}
    assert "not approved: " + GUT in result.stderr
    text = run("approve", "ca", GUT, "--reviewer", "Jordi Vidal", exit_code=3).stdout
    assert f"{GUT_PO}:" in text and "image-alt: machine:" in text


def test_approve_and_reject_exit_codes(run: Run, translated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "approved 7 entries as Jordi Vidal" in run("approve", "ca", CLOCK, "--reviewer", "Jordi Vidal").stdout
    run("approve", "ca", "nope", "--reviewer", "J", exit_code=2)
    run("approve", "ca", GUT, "--entry", "nope", "--reviewer", "J", exit_code=2)
    run("approve", "ca", GUT, CLOCK, "--entry", "title", exit_code=2)
    assert "Missing option '--reason'" in run("reject", "ca", GUT, exit_code=2).stderr
    data = json.loads(run("reject", "ca", GUT, "--entry", "title", "--reason", "too literal", "--json").stdout)
    assert data["reviewer"] == "coordinator" and [r["entry"] for r in data["rejected"]] == ["title"]
    assert data["comment"].startswith("rejected by coordinator ")
    monkeypatch.delenv("I18N_USER")
    monkeypatch.setenv("PATH", "")
    assert "--reviewer" in run("approve", "ca", GUT, exit_code=1).stderr


def test_roles_refusal_is_exit_3(run: Run, translated: Path) -> None:
    config = translated / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[review]\nreviewers = {ca = ["Jordi Vidal"]}\n',
                      encoding="utf-8")
    result = run("approve", "ca", GUT, "--reviewer", "Anna Puig", exit_code=3)
    assert "Anna Puig is not a reviewer of 'ca'" in result.stderr and result.stdout == ""
    run("reject", "ca", GUT, "--reason", "x", "--reviewer", "Anna Puig", exit_code=3)


def test_ui_catalog_from_review_to_the_html_mirror_and_the_mo_export(run: Run, translated: Path) -> None:
    write_bytes(translated / UI_PO, (REPO / UI_PO).read_bytes())
    config = translated / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[mirrors.catalan]\nlanguage = "ca"\nformat = "html"\n'
                      'output = "build/mirrors/catalan"\ntimezone = "Europe/Madrid"\n', encoding="utf-8")
    queue = json.loads(run("review", "ca", "--json").stdout)
    ui = queue["articles"][0]
    assert (ui["article"], ui["date"], ui["days"], ui["catalog"], ui["ready"]) == ("@ui", None, None, UI_PO, True)
    assert "UI catalog  @ui" in run("review", "ca").stdout
    view = json.loads(run("review", "ca", "@ui", "--json").stdout)
    assert (view["article"], view["catalog"], view["state"]) == ("@ui", UI_PO, "translated")
    # Before: English chrome, nothing to export.
    export = ("export", "ca", "--format", "mo", "--out", str(translated / "export"), "--json")
    assert json.loads(run(*export).stdout)["entries"] == 0

    data = json.loads(run("approve", "ca", "@ui", GUT, CLOCK, "--reviewer", "Jordi Vidal", "--json").stdout)
    assert {a["article"] for a in data["approved"]} == {"@ui", GUT, CLOCK} and data["refused"] == []
    assert {a["file"] for a in data["approved"] if a["article"] == "@ui"} == {UI_PO}
    published = json.loads(run("publish", "--as-of", "2026-11-21", "--json", exit_code=3).stdout)
    assert set(published["mirrors"][0]["published"]) == {GUT, CLOCK}
    index = (translated / "build/mirrors/catalan/index.html").read_text(encoding="utf-8")
    assert "Darreres imatges" in index and "Latest images" not in index
    assert json.loads(run(*export).stdout)["entries"] == len(view["entries"])

    rejected = json.loads(run("reject", "ca", "@ui", "--reason", "revisem-ho", "--reviewer", "Jordi Vidal",
                              "--json").stdout)
    assert rejected["catalog"] == UI_PO and {r["article"] for r in rejected["rejected"]} == {"@ui"}
    assert json.loads(run(*export).stdout)["entries"] == 0


# -- end to end: sync → pretranslate → Poedit → check → approve → status ----------------------------------


def poedit_save(path: Path, sample: Path) -> None:
    """What a translator does in Poedit: post-edit every draft (the sample's translation), accept one as it
    is, clear fuzzy; Poedit sets its headers on save; the file is then re-wrapped (msgcat -w 60)."""
    catalog = read_catalog(path)
    reference = {e.key: e.msgstr for e in read_catalog(sample).active_entries}
    entries = []
    for entry in catalog.entries:
        if entry.obsolete:
            entries.append(entry)
            continue
        assert entry.state is State.MACHINE, entry
        text = entry.msgstr if entry.msgid == "Why use organoids?" else reference[entry.key]
        entries.append(replace(entry.with_flag("fuzzy", False), msgstr=text))
    catalog = replace(catalog, entries=tuple(entries))
    for name, value in (("Last-Translator", "Anna Puig <anna@example.org>"),
                        ("Language-Team", "Catalan <ca@example.org>"),
                        ("PO-Revision-Date", "2026-11-21 10:15+0100"), ("X-Generator", "Poedit 3.4.2")):
        catalog = catalog.with_header(name, value)
    write_bytes(path, format_catalog(catalog).encode("utf-8"))
    msgcat = shutil.which("msgcat")
    if msgcat is not None:
        subprocess.run([msgcat, "-w", "60", "-o", str(path), str(path)], check=True)
        write_bytes(path, path.read_bytes())  # move the mtime on


def test_end_to_end_from_draft_to_approved(run: Run, workspace_dir: Path, fake_server: FakeServer) -> None:
    config = workspace_dir / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + (
        f'\n[machine]\nengines = ["libretranslate"]\nretries = 1\n'
        f'[machine.libretranslate]\nurl = "{fake_server.url}"\n'
        '\n[review]\nfour_eyes = true\nreviewers = {ca = ["Jordi Vidal"]}\ntranslators = {ca = ["Anna Puig"]}\n'),
        encoding="utf-8")
    run("sync", "-q")
    drafted = json.loads(run("pretranslate", "ca", "--article", GUT, "--json").stdout)
    assert drafted["drafted"] >= 10
    assert json.loads(run("status", "ca", "--by", "article", "--json").stdout)["articles"][1]["state"] == "machine"
    blocked = json.loads(run("approve", "ca", GUT, "--reviewer", "Jordi Vidal", "--json", exit_code=3).stdout)
    assert {b["state"] for b in blocked["blocked"] if b["code"] is None} == {"machine"}

    path = workspace_dir / GUT_PO
    poedit_save(path, REPO / GUT_PO)
    if shutil.which("msgcat"):
        strings = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith(('"', "msg"))]
        assert max(len(line) for line in strings) <= 60  # re-wrapped (comments are never wrapped)
    assert json.loads(run("check", "ca", "--article", GUT, "--json").stdout)["counts"]["error"] == 0
    queue = json.loads(run("review", "ca", "--json").stdout)
    assert [a["article"] for a in queue["articles"]] == [GUT] and queue["articles"][0]["ready"]

    # The translator may not approve their own work; the reviewer may.
    run("approve", "ca", GUT, "--reviewer", "Anna Puig", exit_code=3)
    approved = json.loads(run("approve", "ca", GUT, "--reviewer", "Jordi Vidal", "--json").stdout)
    assert len(approved["approved"]) == 10 and {a["state"] for a in approved["approved"]} == {"approved"}

    rows = json.loads(run("status", "ca", "--by", "article", "--json").stdout)["articles"]
    gut = next(row for row in rows if row["article"] == GUT)
    assert gut["state"] == "approved" and gut["entries"]["approved"] == 10
    languages = json.loads(run("status", "ca", "--json").stdout)["languages"]
    assert languages[0]["entries"]["approved"] == 10 and languages[0]["articles"]["approved"] == 1
    log = json.loads(run("log", GUT, "--lang", "ca", "--json").stdout)["history"]
    assert {(r["actor"], r["after"]) for r in log if r["reason"] == "approve"} == {("Jordi Vidal", "approved")}


# -- @ui wherever an article id goes; 'messages' is no article -------------------------------------------------


def break_a_ui_placeholder(workspace_dir: Path) -> str:
    """Translate one Catalan UI entry dropping its placeholder (a check error); return its key."""
    from i18n.catalogs.pofile import write_catalog

    catalog = read_catalog(workspace_dir / UI_PO)
    (entry,) = [e for e in catalog.entries if e.msgid == "Written by %(author)s"]
    write_catalog(replace(catalog, entries=tuple(replace(e, msgstr="Escrit per l'autor") if e is entry else e
                                                 for e in catalog.entries)), workspace_dir / UI_PO)
    return entry.key


def test_check_log_and_export_take_at_ui_for_the_ui_catalog(run: Run, translated: Path) -> None:
    key = break_a_ui_placeholder(translated)
    result = run("check", "ca", "--article", "@ui", "--json", exit_code=3)
    data = json.loads(result.stdout)
    assert data["catalogs"] == 1 and result.stderr == ""
    assert {(p["article"], p["file"]) for p in data["problems"]} == {("@ui", UI_PO)}
    assert ("@ui", key, "placeholders") in {(p["article"], p["entry"], p["code"]) for p in data["problems"]}
    assert f"{UI_PO}:" in run("check", "ca", "--article", "@ui", exit_code=3).stdout

    history = json.loads(run("log", "@ui", "--lang", "ca", "--json").stdout)
    assert history["article"] == "@ui" and history["language"] == "ca"
    assert [h["after"] for h in history["history"] if h["entry"] == key] == ["translated"]

    out = translated / "export"
    refused = run("export", "ca", "--format", "json", "--out", str(out), "--article", "@ui", "--min-approved", "50",
                  "--json", exit_code=3)
    exported = json.loads(refused.stdout)
    assert exported["articles"] == [{"article": "@ui", "percent_approved": 0.0}] and exported["files"] == []
    assert {b["name"] for b in exported["below"]} == {"ca", "@ui"}
    assert "@ui is 0% approved" in refused.stderr and not out.exists()
    written = json.loads(run("export", "ca", "--format", "json", "--out", str(out), "--article", "@ui",
                             "--json").stdout)
    assert written["files"] == [str(out / "ca" / "messages.json")]


@pytest.mark.parametrize("args", [
    ("check", "ca", "--article", "messages"),
    ("log", "messages"),
    ("export", "ca", "--format", "po", "--out", "build/x", "--article", "messages"),
    ("pretranslate", "ca", "--article", "messages", "--dry-run"),
    ("review", "ca", "messages"),
    ("approve", "ca", "messages"),
    ("reject", "ca", "messages", "--reason", "too literal"),
    ("assign", "ca", "messages", "--translator", "Marta Puig"),
    ("publish", "--withdraw", "messages"),
], ids=lambda args: args[0])
def test_messages_as_an_article_is_a_usage_error_pointing_at_at_ui(run: Run, translated: Path,
                                                                  args: tuple[str, ...]) -> None:
    result = run(*args, exit_code=2)
    assert result.stdout == ""
    assert "'messages' is not an article id" in result.stderr and "@ui" in result.stderr


@pytest.mark.parametrize(("args", "why"), [
    (("assign", "ca", "@ui", "--translator", "Marta Puig"), "cannot be assigned"),
    (("publish", "--withdraw", "@ui"), "cannot be withdrawn"),
], ids=["assign", "publish"])
def test_assign_and_withdraw_refuse_the_ui_catalog(run: Run, translated: Path, args: tuple[str, ...],
                                                   why: str) -> None:
    result = run(*args, exit_code=2)
    assert result.stdout == "" and f"@ui is the UI catalog, not an article: it {why}" in result.stderr
