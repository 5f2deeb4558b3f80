"""``status``: counts agree with msgfmt, article states, views, and the fast read path."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from i18n.catalogs.catalog import Entry
from i18n.catalogs.pofile import read_catalog
from i18n.core.states import State
from i18n.core.workspace import Workspace
from i18n.tracker.engine import open_tracker
from i18n.tracker.queries.recording import FileStamp, save_stamps
from i18n.tracker.queries.review import record_approval
from i18n.tracker.snapshot import database_url
from i18n.workflow.reconcile import reconcile
from i18n.workflow.status import View, status
from tests.programs import require_program
from tests.tracker_support import (
    GUT,
    catalog_path,
    edit_catalog,
    msgfmt_counts,
    sqlite_only,
    synced,
    translate_all,
)

BRANCHING = "2026-11-18-branching-out"
CLOCK = "2025-12-30-clock-work"


@pytest.fixture
def workspace(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    sqlite_only(monkeypatch)
    monkeypatch.setenv("I18N_USER", "coordinator")
    return synced(workspace_dir)


def _mixed(rng: random.Random) -> object:
    """An editor that leaves each entry in a random state, including the corner cases msgfmt counts."""
    def change(entry: Entry) -> Entry:
        kind = rng.choice(["untranslated", "translated", "fuzzy", "machine", "fuzzy-empty", "partial-plural"])
        if kind == "untranslated":
            return entry
        done = translate_all(entry)
        if kind == "translated":
            return done
        if kind == "machine":
            return replace(done.with_flag("fuzzy", True), translator_comments=("machine: apertium eng-cat",))
        if kind == "fuzzy":
            return done.with_flag("fuzzy", True)
        if kind == "fuzzy-empty":
            return entry.with_flag("fuzzy", True)
        if entry.msgid_plural is None:
            return done
        return replace(entry, msgstr_plural=("", "només el plural"))  # msgfmt: untranslated
    return change


def _catalogs(workspace: Workspace, language: str) -> list[Path]:
    lang = workspace.settings.language(language)
    return sorted((workspace.locales / lang.gettext).rglob("*.po"))


def _approve_some(workspace: Workspace, rng: random.Random) -> int:
    approved = 0
    opened = open_tracker(database_url(workspace))
    try:
        for path in _catalogs(workspace, "ca"):
            for entry in read_catalog(path).active_entries:
                if entry.state is State.TRANSLATED and rng.random() < 0.5:
                    with opened.transaction() as session:
                        result = record_approval(
                            session, article=path.stem, language="ca", key=entry.key, source=entry.msgid,
                            translation=entry.msgstrs, reviewer="Berta")
                    approved += result is State.APPROVED
    finally:
        opened.close()
    return approved


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counts_agree_with_msgfmt(workspace: Workspace, seed: int) -> None:
    msgfmt = require_program("msgfmt")
    rng = random.Random(seed)
    for language in ("ca", "es"):
        for path in _catalogs(workspace, language):
            edit_catalog(path, _mixed(rng), translator="Anna")  # type: ignore[arg-type]
    reconcile(workspace)
    approved = _approve_some(workspace, rng)
    assert approved > 0
    report = status(workspace)
    articles = {(a.article, a.language): a for a in status(workspace, view=View.ARTICLES).articles}
    for lang in report.languages:
        totals = [0, 0, 0]
        for path in _catalogs(workspace, lang.language):
            result = subprocess.run([msgfmt, "--statistics", "-o", "/dev/null", str(path)],
                                    capture_output=True, text=True, check=True)
            translated, fuzzy, untranslated = msgfmt_counts(result.stderr)
            totals = [totals[0] + translated, totals[1] + fuzzy, totals[2] + untranslated]
            if path.stem != "messages":
                counts = articles[(path.stem, lang.language)].entries
                assert counts[State.TRANSLATED] + counts[State.APPROVED] == translated, path
                assert counts[State.MACHINE] + counts[State.NEEDS_WORK] == fuzzy, path
                assert counts[State.UNTRANSLATED] == untranslated, path
        e = lang.entries
        assert (e[State.TRANSLATED] + e[State.APPROVED], e[State.MACHINE] + e[State.NEEDS_WORK],
                e[State.UNTRANSLATED]) == tuple(totals)
        assert e.total == sum(totals)  # each entry counted exactly once
    assert next(lang for lang in report.languages if lang.language == "ca").entries[State.APPROVED] == approved


def test_article_state_is_its_worst_entry(workspace: Workspace) -> None:
    edit_catalog(catalog_path(workspace), translate_all, translator="Anna")
    edit_catalog(catalog_path(workspace, BRANCHING),
                 lambda e: translate_all(e).with_flag("fuzzy", e.msgctxt == "title"), translator="Anna")
    report = status(workspace, ["ca"], view=View.ARTICLES)
    by_article = {a.article: a for a in report.articles}
    assert by_article[GUT].state is State.TRANSLATED
    assert by_article[BRANCHING].state is State.NEEDS_WORK
    assert by_article[BRANCHING].entries[State.NEEDS_WORK] == 1
    assert by_article[CLOCK].state is State.UNTRANSLATED
    assert by_article[GUT].catalog == f"locales/ca/articles/2026/{GUT}.po"
    assert {a.language for a in report.articles} == {"ca"}
    assert report.not_approved == 3


def test_article_rows_are_by_date_then_id_in_the_languages_asked(workspace: Workspace) -> None:
    """Each article in each language in the order asked, oldest first; rows made on reading agree however read."""
    edit_catalog(catalog_path(workspace), translate_all, translator="Anna")
    catalog_path(workspace, CLOCK, "es").unlink()  # no catalog yet: the row names where it goes
    rows = status(workspace, ["es", "ca"], view=View.ARTICLES).articles
    assert [(a.article, a.language) for a in rows] == [
        (article, language) for article in (CLOCK, GUT, BRANCHING) for language in ("es", "ca")]
    assert len(rows) == 6 and rows[3] == tuple(rows)[3] and tuple(rows[1:3]) == tuple(rows)[1:3]
    clock_es = rows[0]
    assert clock_es.catalog == f"locales/es/articles/2025/{CLOCK}.po"
    assert clock_es.state is State.UNTRANSLATED and clock_es.entries.total == rows[1].entries.total > 0
    assert rows[3].state is State.TRANSLATED and rows[3].days == (rows[3].date - dt.date(2026, 11, 21)).days


def test_languages_view_counts_words_articles_and_approvals(workspace: Workspace) -> None:
    edit_catalog(catalog_path(workspace), translate_all, translator="Anna")
    reconcile(workspace)
    opened = open_tracker(database_url(workspace))
    for entry in read_catalog(catalog_path(workspace)).active_entries:
        with opened.transaction() as session:
            record_approval(session, article=GUT, language="ca", key=entry.key, source=entry.msgid,
                                    translation=entry.msgstrs, reviewer="Berta")
    opened.close()
    report = status(workspace)
    ca, es = report.languages
    gut_entries = len(read_catalog(catalog_path(workspace)).active_entries)
    assert (ca.language, es.language) == ("ca", "es")
    assert ca.entries[State.APPROVED] == gut_entries
    assert ca.articles_total == es.articles_total == 3
    assert (ca.articles_approved, es.articles_approved) == (1, 0)
    assert ca.words.total == es.words.total > ca.words[State.APPROVED] > 0
    assert 0 < ca.percent_approved < 100
    assert report.not_approved == 2


def test_translators_view(workspace: Workspace) -> None:
    edit_catalog(catalog_path(workspace), translate_all, translator="Anna")
    reconcile(workspace)
    edit_catalog(catalog_path(workspace, BRANCHING), translate_all, translator="Bernat")
    reconcile(workspace)
    opened = open_tracker(database_url(workspace))
    entry = read_catalog(catalog_path(workspace)).active_entries[0]
    with opened.transaction() as session:
        record_approval(session, article=GUT, language="ca", key=entry.key, source=entry.msgid,
                                translation=entry.msgstrs, reviewer="Berta")
    opened.close()
    people = {t.translator: t for t in status(workspace, view=View.TRANSLATORS).translators}
    gut = len(read_catalog(catalog_path(workspace)).active_entries)
    branching = len(read_catalog(catalog_path(workspace, BRANCHING)).active_entries)
    # Anna's first translations of a catalog the tracker had already seen are edits; so are Bernat's.
    assert (people["Anna"].translated_7, people["Anna"].translated_30) == (gut, gut)
    assert people["Bernat"].translated_30 == branching
    assert (people["Berta"].approved_7, people["Berta"].translated_30) == (1, 0)
    assert "i18n" not in people


def test_due_view(workspace: Workspace) -> None:
    edit_catalog(catalog_path(workspace, BRANCHING), translate_all, translator="Anna")
    today = dt.date(2026, 11, 16)
    report = status(workspace, ["ca"], view=View.DUE, due_days=5, today=today)
    assert [(a.article, a.days) for a in report.due] == [(BRANCHING, 2)]  # translated, not approved yet
    assert [(a.article, a.days) for a in report.overdue] == [(CLOCK, -321), (GUT, -2)]
    nothing = status(workspace, ["ca"], view=View.DUE, due_days=1, today=today)
    assert nothing.due == ()


def test_removed_entries_are_not_counted(workspace: Workspace) -> None:
    source = workspace.root / "content/2026/2026-11-14-gut-feelings.md"
    before = status(workspace).languages[0].entries.total
    text = source.read_text(encoding="utf-8")
    paragraph = "Why use organoids?"
    source.write_text(text.replace(f"## {paragraph}\n", ""), encoding="utf-8")
    synced(workspace.root)
    assert status(workspace).languages[0].entries.total == before - 1


def test_status_through_sqlalchemy_equals_the_fast_path(workspace: Workspace) -> None:
    """The server path (SQLAlchemy) and the sqlite3 path run the same SQL and agree."""
    from i18n.workflow import status as use_case

    edit_catalog(catalog_path(workspace), _mixed(random.Random(5)), translator="Anna")  # type: ignore[arg-type]
    fast = status(workspace)
    articles = status(workspace, view=View.ARTICLES, today=fast.today).articles
    translators = status(workspace, view=View.TRANSLATORS).translators
    assert translators  # Anna's edits: the comparison below is not between two empty tuples
    opened = open_tracker(database_url(workspace))
    with opened.snapshot() as snapshot:
        codes = [lang.code for lang in workspace.settings.languages]
        assert use_case.language_statuses(snapshot, codes) == fast.languages
        assert use_case.article_statuses(snapshot, workspace, codes, fast.today) == articles
        assert use_case.article_rows(snapshot, workspace, codes, fast.today) == articles  # rows of either backend
        assert use_case.translator_statuses(snapshot, codes) == translators
        # A snapshot does not hold the write lock: a writer can commit meanwhile.
        with opened.transaction() as session:
            save_stamps(session, "other", [FileStamp("x", 1, 1, "d")])
    opened.close()


def test_progress_line_only_for_a_person_at_a_terminal(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from i18n.cli.commands import _terminal_progress
    from i18n.cli.context import Context
    from i18n.workflow.reconcile import Progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    person = Context(folder=None, verbosity=0)
    assert _terminal_progress(person, "json") is None and _terminal_progress(person, "csv") is None
    assert _terminal_progress(Context(folder=None, verbosity=-1), None) is None  # -q
    show = _terminal_progress(person, None)
    assert show is not None
    show(Progress(100, 200))  # a short run: no line
    for done in (500, 1000, 1500):
        show(Progress(done, 1500))
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("\ri18n: recording files in the tracker: 500 of 1,500"
                            "\ri18n: recording files in the tracker: 1,000 of 1,500"
                            "\ri18n: recording files in the tracker: 1,500 of 1,500\n")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert _terminal_progress(person, None) is None  # piped or redirected
