"""A person's text is never labelled machine, nor overwritten by ``pretranslate --refresh`` (issue 13, point 1).

Provenance is the tracker's: an entry is a machine draft only while its text is a draft an engine produced
(``machine_drafts``); PO editors keep the ``# machine:`` comment when a translator rewrites the text.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from i18n.catalogs.catalog import Entry
from i18n.catalogs.pofile import read_catalog
from i18n.core.states import MACHINE_MARKER, State, drafted_state
from tests.conftest import Run
from tests.fake_libretranslate import FakeServer
from tests.test_cli_review import GUT_PO
from tests.tracker_support import GUT, edit_catalog

HUMAN = "Les venes del vol, per una traductora"


def test_a_machine_entry_is_machine_only_while_its_text_is_a_draft_on_record() -> None:
    sources = ("Fly wings",)
    drafts = {"Fly wings": {"Ales de mosca"}}
    assert drafted_state(State.MACHINE, ("Ales de mosca",), sources, drafts) is State.MACHINE
    assert drafted_state(State.MACHINE, ("Les ales de la mosca",), sources, drafts) is State.NEEDS_WORK
    # No draft on record for this source (drafted in another clone): the marker is trusted.
    assert drafted_state(State.MACHINE, ("Les ales",), sources, {}) is State.MACHINE
    assert drafted_state(State.TRANSLATED, ("x",), sources, drafts) is State.TRANSLATED
    plural = ("%d wing", "%d wings")
    both = {"%d wing": {"%d ala"}, "%d wings": {"%d ales"}}
    assert drafted_state(State.MACHINE, ("%d ala", "%d ales"), plural, both) is State.MACHINE
    assert drafted_state(State.MACHINE, ("%d ala", "%d ales de mosca"), plural, both) is State.NEEDS_WORK


def rewrite_keeping_the_marker(entry: Entry, *, clear_fuzzy: bool) -> Entry:
    """What a PO editor saves when a translator rewrites a machine draft: the ``# machine:`` comment stays."""
    if entry.msgid != "Gut Feelings":
        return entry
    assert any(c.startswith(MACHINE_MARKER) for c in entry.translator_comments)
    rewritten = replace(entry, msgstr=HUMAN)
    return rewritten.with_flag("fuzzy", False) if clear_fuzzy else rewritten


@pytest.mark.parametrize("clear_fuzzy", [True, False], ids=["fuzzy-cleared", "still-fuzzy"])
def test_a_rewritten_draft_is_a_persons_and_refresh_leaves_it(
        run: Run, workspace_dir: Path, tracker_url: str | None, fake_server: FakeServer,
        monkeypatch: pytest.MonkeyPatch, clear_fuzzy: bool) -> None:
    config = workspace_dir / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + (
        f'\n[machine]\nengines = ["libretranslate"]\nretries = 1\n'
        f'[machine.libretranslate]\nurl = "{fake_server.url}"\n'), encoding="utf-8")
    run("sync", "-q")  # on the tracker of tracker_url (set and upgraded by the backend fixture)
    run("pretranslate", "ca", "--article", GUT, "--json")
    title = next(e for e in read_catalog(workspace_dir / GUT_PO).active_entries if e.msgid == "Gut Feelings")
    edit_catalog(workspace_dir / GUT_PO, lambda e: rewrite_keeping_the_marker(e, clear_fuzzy=clear_fuzzy),
                 translator="Anna Puig <anna@example.org>")

    log = json.loads(run("log", GUT, "--lang", "ca", "--json").stdout)["history"]
    last = [r for r in log if r["entry"] == title.key][-1]
    assert (last["actor"], last["reason"], last["after"]) == (
        "Anna Puig", "edit", "translated" if clear_fuzzy else "needs-work"), log

    refreshed = json.loads(run("pretranslate", "ca", "--refresh", "--article", GUT, "--json").stdout)
    assert refreshed["drafted"] >= 1  # the untouched drafts were refreshed ...
    after = next(e for e in read_catalog(workspace_dir / GUT_PO).active_entries if e.key == title.key)
    assert after.msgstr == HUMAN  # ... and the translator's text was not


def test_a_stale_draft_marker_is_dropped_at_the_next_merge() -> None:
    from i18n.catalogs.catalog import Catalog
    from i18n.catalogs.merge import merge
    from i18n.core.languages import parse_language

    template = Catalog(entries=(Entry(msgid="Gut Feelings", msgctxt="title"), Entry(msgid="Fly wings")))
    marker = f"{MACHINE_MARKER} apertium eng-cat 2026-12-02"
    accepted = replace(template.entries[0], msgstr=HUMAN, translator_comments=(marker, "checked by Anna"))
    drafted = replace(template.entries[1], msgstr="Ales de mosca", translator_comments=(marker,)).with_flag(
        "fuzzy", True)
    old = Catalog(entries=(accepted, drafted))
    merged, _ = merge(old, template, parse_language("ca"), "2026-12-03 09:00+0000")
    title, wings = merged.entries
    # Fuzzy cleared: a person's text; the marker goes, their own comment stays. Still fuzzy: a draft.
    assert (title.msgstr, title.translator_comments) == (HUMAN, ("checked by Anna",))
    assert wings.translator_comments == (marker,) and wings.fuzzy
    assert title.state is State.TRANSLATED and wings.state is State.MACHINE
