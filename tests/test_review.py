"""Review: the queue, the side-by-side view, every approval rule, rejection, corrections after approval."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from i18n.catalogs.catalog import Entry
from i18n.catalogs.pofile import read_catalog
from i18n.core.errors import ConfigError, ReviewError, ReviewRefused, UsageError
from i18n.core.forms import text_hash
from i18n.core.ids import UI
from i18n.core.states import State
from i18n.core.workspace import Workspace
from i18n.tracker.engine import open_tracker
from i18n.tracker.models import MachineDraftRow
from i18n.tracker.queries.recording import approvals, article_entries
from i18n.tracker.queries.review import history
from i18n.tracker.snapshot import database_url
from i18n.tracker.sql import utcnow
from i18n.workflow.reconcile import reconcile
from i18n.workflow.review import (
    FOUR_EYES,
    DiffOp,
    approve,
    article_review,
    reject,
    review_queue,
    word_diff,
)
from i18n.workflow.review_rules import review_settings, reviewer_identity
from i18n.workflow.status import View, status
from i18n.workflow.sync import sync
from tests.conftest import REPO
from tests.tracker_support import GUT, catalog_path, edit_catalog, sqlite_only, synced, write_bytes

CLOCK = "2025-12-30-clock-work"
BRANCHING = "2026-11-18-branching-out"
#: A paragraph added to the test copy of GUT, so that a placeholder can be dropped.
PLACEHOLDER_SOURCE = "Send this image to {friend} today."
PLACEHOLDER_TRANSLATION = "Envia aquesta imatge a {friend} avui."
LINK_KEY_SOURCE = "The team now hopes"
NUMBER_SOURCE = "A single biopsy can yield more than 1,000 organoids"
TRANSLATOR = "Anna Puig"
REVIEWER = "Jordi Vidal"
UI_PO = "locales/ca/LC_MESSAGES/messages.po"


@pytest.fixture
def workspace(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    sqlite_only(monkeypatch)
    monkeypatch.setenv("I18N_USER", "coordinator")
    source = workspace_dir / "content/2026/2026-11-14-gut-feelings.md"
    source.write_text(source.read_text(encoding="utf-8") + f"\n{PLACEHOLDER_SOURCE}\n", encoding="utf-8")
    return synced(workspace_dir)


def configure(workspace: Workspace, review: str) -> Workspace:
    """The workspace with ``[review]`` set to ``review`` (TOML lines)."""
    path = workspace.settings.path
    path.write_text(path.read_text(encoding="utf-8") + f"\n[review]\n{review}\n", encoding="utf-8")
    return Workspace.open(config=path)


def translate(workspace: Workspace, article: str = GUT, *, translator: str = TRANSLATOR,
              change: Callable[[Entry], Entry] | None = None) -> None:
    """Translate ``article`` in Catalan as the sample does (a translation that passes every check)."""
    sample_path = REPO / "locales/ca/articles" / article[:4] / f"{article}.po"
    sample = {e.key: e.msgstr for e in read_catalog(sample_path).active_entries}

    def translated(entry: Entry) -> Entry:
        text = sample.get(entry.key) or (PLACEHOLDER_TRANSLATION if entry.msgid == PLACEHOLDER_SOURCE else "")
        assert text, entry.msgid
        done = replace(entry.with_flag("fuzzy", False), msgstr=text)
        return change(done) if change is not None else done

    edit_catalog(catalog_path(workspace, article), translated, translator=translator)


def translate_ui(workspace: Workspace, *, translator: str = TRANSLATOR,
                 change: Callable[[Entry], Entry] | None = None) -> None:
    """Translate the UI catalog in Catalan as the sample does (every entry, passing every check)."""
    path = workspace.root / UI_PO
    write_bytes(path, (REPO / UI_PO).read_bytes())
    edit_catalog(path, change or (lambda e: e), translator=translator)


def ui_entry(workspace: Workspace, msgid: str) -> Entry:
    return next(e for e in read_catalog(workspace.root / UI_PO).active_entries if e.msgid == msgid)


def entry_with(workspace: Workspace, start: str, article: str = GUT) -> Entry:
    return next(e for e in read_catalog(catalog_path(workspace, article)).active_entries if e.msgid.startswith(start))


def states(workspace: Workspace, article: str = GUT) -> dict[str, State]:
    return {e.key: e.state for e in article_review(workspace, "ca", article).entries}


def only(start: str, change: Callable[[Entry], Entry]) -> Callable[[Entry], Entry]:
    return lambda e: change(e) if e.msgid.startswith(start) else e


# -- the queue ----------------------------------------------------------------------------------------------


def test_queue_lists_translated_articles_oldest_first_with_their_checks(workspace: Workspace) -> None:
    translate(workspace, GUT)
    translate(workspace, CLOCK)
    edit_catalog(catalog_path(workspace, BRANCHING), lambda e: replace(e, msgstr="Branca") if e.msgctxt == "title"
                 else e, translator=TRANSLATOR)  # partly translated: not in the queue
    queue = review_queue(workspace, "ca")
    assert [item.article for item in queue.items] == [CLOCK, GUT]
    assert all(item.ready and item.errors == 0 for item in queue.items)
    assert queue.items[1].entries[State.TRANSLATED] == 11

    translate(workspace, GUT, change=only(NUMBER_SOURCE, lambda e: replace(e, msgstr="Molts organoides")))
    gut = review_queue(workspace, "ca").items[1]
    assert not gut.ready and [p.code for p in gut.problems if p.severity.value == "error"] == ["numbers"]

    approve(workspace, "ca", [CLOCK], reviewer=REVIEWER)
    assert [item.article for item in review_queue(workspace, "ca").items] == [GUT]


# -- approving ------------------------------------------------------------------------------------------------


def test_approval_binds_to_the_exact_text_and_status_shows_approved(workspace: Workspace) -> None:
    translate(workspace, GUT)
    report = approve(workspace, "ca", [GUT], reviewer=REVIEWER)
    assert not report.blocked and len(report.approved) == 11
    assert {r.state for r in report.approved} == {State.APPROVED}
    articles = {a.article: a for a in status(workspace, ["ca"], view=View.ARTICLES).articles}
    assert articles[GUT].state is State.APPROVED and articles[GUT].entries[State.APPROVED] == 11
    opened = open_tracker(database_url(workspace))
    try:
        with opened.transaction() as session:
            on_record = approvals(session, GUT, "ca")
            title = article_entries(session, GUT)["title"]
    finally:
        opened.close()
    (approval,) = on_record[title.id]
    assert (approval.source, approval.forms, approval.approved_by) == (
        "Gut Feelings", ("Sensacions viscerals",), REVIEWER)
    again = approve(workspace, "ca", [GUT], reviewer=REVIEWER)
    assert not again.approved and len(again.already_approved) == 11


@pytest.mark.parametrize(("state", "change"), [
    (State.UNTRANSLATED, lambda e: replace(e, msgstr="")),
    (State.MACHINE, lambda e: replace(e.with_flag("fuzzy", True),
                                      translator_comments=("machine: apertium eng-cat 2026-11-21",))),
    (State.NEEDS_WORK, lambda e: e.with_flag("fuzzy", True)),
])
def test_an_entry_not_translated_blocks_the_whole_article(workspace: Workspace, state: State,
                                                          change: Callable[[Entry], Entry]) -> None:
    translate(workspace, GUT, change=only(NUMBER_SOURCE, change))
    report = approve(workspace, "ca", [GUT], entries=["title"], reviewer=REVIEWER)
    assert report.approved == () and report.refused == (GUT,)
    (blocker,) = report.blocked
    assert (blocker.entry, blocker.state, blocker.code) == (entry_with(workspace, NUMBER_SOURCE).key, state, None)
    assert blocker.file == f"locales/ca/articles/2026/{GUT}.po" and blocker.line == entry_with(
        workspace, NUMBER_SOURCE).line
    assert State.APPROVED not in states(workspace).values()


@pytest.mark.parametrize(("start", "code", "change"), [
    (LINK_KEY_SOURCE, "links", lambda text: text.replace("https://example.org/research/gut-organoids",
                                                         "https://example.org/research/gut")),
    (NUMBER_SOURCE, "numbers", lambda text: text.replace("més de 1.000 organoides", "molts organoides")),
    (PLACEHOLDER_SOURCE, "placeholders", lambda text: text.replace("{friend}", "un amic")),
])
def test_a_check_error_blocks_with_a_message_naming_the_entry(workspace: Workspace, start: str, code: str,
                                                              change: Callable[[str], str]) -> None:
    translate(workspace, GUT, change=only(start, lambda e: replace(e, msgstr=change(e.msgstr))))
    entry = entry_with(workspace, start)
    report = approve(workspace, "ca", [GUT], reviewer=REVIEWER)
    assert report.approved == ()
    (blocker,) = report.blocked
    assert (blocker.entry, blocker.code, blocker.state, blocker.line) == (entry.key, code, State.TRANSLATED,
                                                                          entry.line)
    assert blocker.message


def test_four_eyes_refuses_the_translator_own_entries(workspace: Workspace) -> None:
    workspace = configure(workspace, "four_eyes = true")
    translate(workspace, GUT, translator=f"{TRANSLATOR} <anna@example.org>")
    own = approve(workspace, "ca", [GUT], reviewer="anna  puig")
    assert own.approved == () and {b.code for b in own.blocked} == {"four-eyes"} and len(own.blocked) == 11
    other = approve(workspace, "ca", [GUT], reviewer=REVIEWER)
    assert len(other.approved) == 11 and not other.blocked


def test_four_eyes_looks_at_the_last_change_by_a_person(workspace: Workspace) -> None:
    workspace = configure(workspace, "four_eyes = true")
    translate(workspace, GUT, translator=TRANSLATOR)
    reconcile(workspace)
    # The reviewer corrects one entry themselves: that entry needs another reviewer, the rest do not.
    translate(workspace, GUT, translator=REVIEWER, change=only("Gut", lambda e: replace(e, msgstr="Intuïcions")))
    report = approve(workspace, "ca", [GUT], reviewer=REVIEWER)
    assert [(b.entry, b.code) for b in report.blocked] == [("title", "four-eyes")]
    assert len(approve(workspace, "ca", [GUT], entries=["title"], reviewer=TRANSLATOR).approved) == 1
    assert len(approve(workspace, "ca", [GUT], reviewer="Núria Soler").approved) == 10


def test_roles_refuse_people_not_listed_as_reviewers(workspace: Workspace) -> None:
    translate(workspace, GUT)
    listed = configure(workspace, f'reviewers = {{ca = ["{REVIEWER}"]}}\ntranslators = {{ca = ["{TRANSLATOR}"]}}')
    with pytest.raises(ReviewRefused) as refused:
        approve(listed, "ca", [GUT], reviewer=TRANSLATOR)
    assert refused.value.exit_code == 3 and "not a reviewer of 'ca'" in str(refused.value)
    assert "reviewers.ca" in str(refused.value.hint)
    with pytest.raises(ReviewRefused):
        reject(listed, "ca", GUT, reason="no", reviewer=TRANSLATOR)
    with pytest.raises(ReviewRefused):
        approve(listed, "es", [GUT], reviewer=REVIEWER)  # listed for Catalan only
    assert len(approve(listed, "ca", [GUT], reviewer=REVIEWER.upper()).approved) == 11


def test_anyone_may_review_when_allowed_or_when_nobody_is_listed(workspace: Workspace) -> None:
    translate(workspace, GUT)
    anyone = configure(workspace, f'reviewers = {{ca = ["{REVIEWER}"]}}\nallow_anyone = true')
    assert len(approve(anyone, "ca", [GUT], entries=["title"], reviewer="Somebody").approved) == 1
    path = workspace.settings.path
    path.write_text(path.read_text(encoding="utf-8").split("\n[review]")[0], encoding="utf-8")
    assert review_settings(Workspace.open(config=path).settings).may_review("ca", "Somebody")


@pytest.mark.parametrize(("review", "message"), [
    ("four_eye = true", "key 'review.four_eye': unknown key"),
    ('four_eyes = "yes"', "key 'review.four_eyes': expected true or false"),
    ('reviewers = {fr = ["X"]}', "key 'review.reviewers.fr': not a configured language"),
    ('reviewers = {ca = "X"}', ""),
    ('reviewers = {ca = [1]}', "key 'review.reviewers.ca': expected a list of strings"),
    ('reviewers = ["X"]', "key 'review.reviewers': expected a table"),
])
def test_review_settings_are_validated_naming_file_and_key(workspace: Workspace, review: str, message: str) -> None:
    configured = configure(workspace, review)
    if not message:  # a lone name is a one-person list
        assert review_settings(configured.settings).reviewers_of("ca") == ("X",)
        return
    with pytest.raises(ConfigError) as failed:
        review_settings(configured.settings)
    assert message in str(failed.value) and "i18n.toml" in str(failed.value)


def test_reviewer_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("I18N_USER", "From Env")
    assert reviewer_identity(" Given ") == "Given" and reviewer_identity(None) == "From Env"
    monkeypatch.delenv("I18N_USER")
    monkeypatch.setenv("PATH", "")  # no git either
    with pytest.raises(ReviewError) as failed:
        reviewer_identity(None)
    assert failed.value.exit_code == 1 and "--reviewer" in str(failed.value.hint)


def test_usage_errors(workspace: Workspace) -> None:
    translate(workspace, GUT)
    with pytest.raises(UsageError, match="no article 'nope'"):
        approve(workspace, "ca", ["nope"], reviewer=REVIEWER)
    with pytest.raises(UsageError, match="has no entry 'nope'"):
        approve(workspace, "ca", [GUT], entries=["nope"], reviewer=REVIEWER)
    with pytest.raises(UsageError, match="exactly one ARTICLE"):
        approve(workspace, "ca", [GUT, CLOCK], entries=["title"], reviewer=REVIEWER)
    with pytest.raises(UsageError, match="--reason"):
        reject(workspace, "ca", GUT, reason="  ", reviewer=REVIEWER)


# -- rejecting ------------------------------------------------------------------------------------------------


def test_reject_makes_entries_needs_work_with_the_reason_for_the_translator(workspace: Workspace) -> None:
    translate(workspace, GUT)
    approve(workspace, "ca", [GUT], entries=["title"], reviewer=REVIEWER)
    path = catalog_path(workspace, GUT)
    before = read_catalog(path)
    report = reject(workspace, "ca", GUT, entries=["title"], reason="Too literal:\n  say what it means",
                    reviewer=REVIEWER, today=dt.date(2026, 11, 21))
    comment = f"rejected by {REVIEWER} 2026-11-21: Too literal: say what it means"
    assert report.comment == comment and [(r.entry, r.state) for r in report.rejected] == [
        ("title", State.NEEDS_WORK)]
    after = read_catalog(path)
    title = next(e for e in after.entries if e.key == "title")
    assert title.fuzzy and title.translator_comments[-1] == comment and title.msgstr == "Sensacions viscerals"
    assert title.state is State.NEEDS_WORK
    # Everything else of the file is as it was.
    assert after.headers == before.headers
    assert [e for e in after.entries if e.key != "title"] == [e for e in before.entries if e.key != "title"]
    assert states(workspace)["title"] is State.NEEDS_WORK
    opened = open_tracker(database_url(workspace))
    try:
        with opened.transaction() as session:
            last = history(session, GUT, "ca")[-1]
    finally:
        opened.close()
    assert (last.key, last.reason, last.actor, last.before, last.after) == (
        "title", "reject", REVIEWER, State.APPROVED, State.NEEDS_WORK)
    assert reconcile(workspace).changes == 0  # the tracker already knows the file as written
    assert approve(workspace, "ca", [GUT], reviewer=REVIEWER).blocked[0].state is State.NEEDS_WORK


def test_reject_a_whole_article_leaves_untranslated_entries_and_drafts_alone(workspace: Workspace) -> None:
    translate(workspace, GUT, change=only(NUMBER_SOURCE, lambda e: replace(e, msgstr="")))
    report = reject(workspace, "ca", GUT, reason="Please reread", reviewer=REVIEWER)
    assert len(report.rejected) == 10
    assert [(s.entry, s.state) for s in report.skipped] == [(entry_with(workspace, NUMBER_SOURCE).key,
                                                             State.UNTRANSLATED)]
    assert set(states(workspace).values()) == {State.NEEDS_WORK, State.UNTRANSLATED}


# -- corrections after approval -------------------------------------------------------------------------------


def test_editing_an_approved_translation_makes_it_translated_and_keeps_the_approved_text(
        workspace: Workspace) -> None:
    translate(workspace, GUT)
    approve(workspace, "ca", [GUT], reviewer=REVIEWER)
    translate(workspace, GUT, change=only("Gut", lambda e: replace(e, msgstr="Intuïcions")))
    view = article_review(workspace, "ca", GUT)
    title = next(e for e in view.entries if e.key == "title")
    assert title.state is State.TRANSLATED and title.translation == "Intuïcions"
    assert (title.approved_translation, title.approved_by) == ("Sensacions viscerals", REVIEWER)
    assert [item.article for item in review_queue(workspace, "ca").items] == [GUT]
    report = approve(workspace, "ca", [GUT], reviewer=REVIEWER)
    assert [r.entry for r in report.approved] == ["title"] and len(report.already_approved) == 10
    translate(workspace, GUT)  # the first approved text again: approved again, no new approval needed
    assert states(workspace)["title"] is State.APPROVED


def test_a_source_change_makes_an_approved_entry_needs_work_with_the_previous_source(workspace: Workspace) -> None:
    translate(workspace, GUT)
    approve(workspace, "ca", [GUT], reviewer=REVIEWER)
    source = workspace.root / "content/2026/2026-11-14-gut-feelings.md"
    source.write_text(source.read_text(encoding="utf-8").replace("title: Gut Feelings", "title: Gut Instincts"),
                      encoding="utf-8")
    assert sync(workspace).ok
    title = next(e for e in article_review(workspace, "ca", GUT).entries if e.key == "title")
    assert (title.state, title.source, title.previous_source) == (State.NEEDS_WORK, "Gut Instincts", "Gut Feelings")
    report = approve(workspace, "ca", [GUT], reviewer=REVIEWER)
    assert [(b.entry, b.state) for b in report.blocked] == [("title", State.NEEDS_WORK)]


# -- the side-by-side view --------------------------------------------------------------------------------


def test_article_view_shows_the_diff_against_the_machine_draft(workspace: Workspace) -> None:
    marker = "machine: libretranslate en-ca 2026-11-21"
    translate(workspace, GUT, change=only("Gut", lambda e: replace(e, msgstr="Sensacions viscerals",
                                                                  translator_comments=(marker,))))
    opened = open_tracker(database_url(workspace))
    try:
        with opened.transaction() as session:
            for engine, draft in (("apertium eng-cat", "Sentiments d'intestí"),
                                  ("libretranslate en-ca", "Sensacions de l'intestí")):
                session.add(MachineDraftRow(
                    engine=engine, source_language="en", target_language="ca",
                    source_hash=text_hash("Gut Feelings"), source="Gut Feelings", draft=draft,
                    created_at=utcnow()))
    finally:
        opened.close()
    view = article_review(workspace, "ca", GUT)
    title = next(e for e in view.entries if e.key == "title")
    assert title.draft is not None and title.draft.engine == "libretranslate en-ca"
    assert title.draft.draft == "Sensacions de l'intestí" and not title.draft.unchanged
    assert "".join(p.text for p in title.draft.diff if p.op is not DiffOp.INSERT) == "Sensacions de l'intestí"
    assert "".join(p.text for p in title.draft.diff if p.op is not DiffOp.DELETE) == "Sensacions viscerals"
    assert all(e.draft is None for e in view.entries if e.key != "title")


def test_word_diff() -> None:
    diff = word_diff("El gat negre.", "El gos negre!")
    assert [(p.op.value, p.text) for p in diff] == [
        ("equal", "El "), ("delete", "gat"), ("insert", "gos"), ("equal", " negre"), ("delete", "."),
        ("insert", "!")]
    assert word_diff("igual", "igual")[0].op is DiffOp.EQUAL


# -- the UI catalog ---------------------------------------------------------------------------------------------


def test_the_ui_catalog_is_reviewed_like_an_article_as_at_ui(workspace: Workspace) -> None:
    translate_ui(workspace)
    translate(workspace, CLOCK)
    queue = review_queue(workspace, "ca")
    assert [item.article for item in queue.items] == [UI, CLOCK]  # no date, on every page: first
    ui = queue.items[0]
    assert (ui.date, ui.days, ui.catalog, ui.ready) == (None, None, UI_PO, True)
    total = ui.entries.total
    assert total > 20 and ui.entries[State.TRANSLATED] == total
    view = article_review(workspace, "ca", UI)
    assert (view.article, view.catalog, view.state, len(view.entries)) == (UI, UI_PO, State.TRANSLATED, total)
    assert next(e for e in view.entries if e.source == "Latest images").translation == "Darreres imatges"

    report = approve(workspace, "ca", [UI, CLOCK], reviewer=REVIEWER)
    assert not report.blocked and len(report.approved) == total + 7
    assert {(r.article, r.file) for r in report.approved if r.article == UI} == {(UI, UI_PO)}
    assert {r.state for r in report.approved} == {State.APPROVED}
    assert set(states(workspace, UI).values()) == {State.APPROVED}
    assert status(workspace, ["ca"]).languages[0].entries[State.APPROVED] == total + 7
    assert review_queue(workspace, "ca").items == ()
    assert len(approve(workspace, "ca", [UI], reviewer=REVIEWER).already_approved) == total

    key = ui_entry(workspace, "Latest images").key
    rejected = reject(workspace, "ca", UI, entries=[key], reason="Massa literal", reviewer=REVIEWER)
    assert rejected.catalog == UI_PO
    assert [(r.article, r.entry, r.state) for r in rejected.rejected] == [(UI, key, State.NEEDS_WORK)]
    assert ui_entry(workspace, "Latest images").fuzzy and states(workspace, UI)[key] is State.NEEDS_WORK


def test_the_ui_catalog_follows_the_same_rules(workspace: Workspace) -> None:
    workspace = configure(workspace, f'four_eyes = true\nreviewers = {{ca = ["{REVIEWER}", "Núria Soler"]}}')

    def broken(entry: Entry) -> Entry:
        if entry.msgid == "Credits":
            return entry.with_flag("fuzzy", True)
        if entry.msgid == "Written by %(author)s":
            return replace(entry, msgstr="Escrit per l'autor")
        return entry

    translate_ui(workspace, translator=REVIEWER, change=broken)
    credits, written = ui_entry(workspace, "Credits"), ui_entry(workspace, "Written by %(author)s")
    report = approve(workspace, "ca", [UI], reviewer="Núria Soler")
    assert report.refused == (UI,) and not report.approved
    assert [(b.entry, b.state, b.code, b.location) for b in report.blocked] == [
        (credits.key, State.NEEDS_WORK, None, f"{UI_PO}:{credits.line}"),
        (written.key, State.TRANSLATED, "placeholders", f"{UI_PO}:{written.line}")]
    assert not review_queue(workspace, "ca").items  # a fuzzy entry keeps it out of the queue
    # Four eyes: the reviewer translated them.
    own = approve(workspace, "ca", [UI], reviewer=REVIEWER, entries=[ui_entry(workspace, "Archive").key])
    assert FOUR_EYES in {b.code for b in own.blocked}
    # Roles: only the listed reviewers.
    with pytest.raises(ReviewRefused):
        approve(workspace, "ca", [UI], reviewer=TRANSLATOR)
    with pytest.raises(ReviewRefused):
        reject(workspace, "ca", UI, reason="no", reviewer=TRANSLATOR)
    translate_ui(workspace, translator=TRANSLATOR)  # fixed
    assert len(approve(workspace, "ca", [UI], reviewer="Núria Soler").approved) == len(states(workspace, UI))


def test_ui_catalog_usage_errors(workspace: Workspace) -> None:
    translate_ui(workspace)
    with pytest.raises(UsageError, match="'messages' is not an article id") as failure:
        approve(workspace, "ca", ["messages"], reviewer=REVIEWER)  # the tracker's name is not an address
    assert failure.value.hint is not None and UI in failure.value.hint
    with pytest.raises(UsageError, match="the UI catalog has no entry 'nope'"):
        approve(workspace, "ca", [UI], entries=["nope"], reviewer=REVIEWER)
    (workspace.root / "locales/templates/messages.pot").unlink()
    with pytest.raises(UsageError, match="no UI strings"):
        article_review(workspace, "ca", UI)


# -- rejection revokes the approval ------------------------------------------------------------------------------


def test_a_rejected_text_is_not_approved_again_by_clearing_fuzzy(workspace: Workspace) -> None:
    translate(workspace, GUT)
    approve(workspace, "ca", [GUT], reviewer=REVIEWER)
    reject(workspace, "ca", GUT, entries=["title"], reason="Massa literal", reviewer="Núria Soler")
    # The translator only clears fuzzy: the text is the one the reviewer sent back.
    edit_catalog(catalog_path(workspace, GUT), lambda e: e.with_flag("fuzzy", False) if e.key == "title" else e,
                 translator=TRANSLATOR)
    title = next(e for e in article_review(workspace, "ca", GUT).entries if e.key == "title")
    assert (title.state, title.translation) == (State.TRANSLATED, "Sensacions viscerals")
    assert title.approved_translation is None  # a revoked approval is not "the approved text on record"
    articles = {a.article: a for a in status(workspace, ["ca"], view=View.ARTICLES).articles}
    assert articles[GUT].state is State.TRANSLATED
    assert [item.article for item in review_queue(workspace, "ca").items] == [GUT]  # back in the queue
    people = {t.translator: t for t in status(workspace, ["ca"], view=View.TRANSLATORS).translators}
    assert people[REVIEWER].approved_7 == 10  # of 11: the revoked approval does not count
    # A reviewer who approves the same text again: it counts as any approval.
    again = approve(workspace, "ca", [GUT], reviewer=REVIEWER)
    assert [(r.entry, r.state) for r in again.approved] == [("title", State.APPROVED)]
    assert states(workspace)["title"] is State.APPROVED
