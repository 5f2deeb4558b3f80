"""A typography-only correction of an approved article keeps its approval (issue 13, point 5).

``workflow.md`` ("Source corrections") promises that a curly apostrophe, a double space or a re-wrap in the
English source leaves the translations and their states unchanged: sync does not fuzz them, and the tracker
carries each approval over to the corrected source, recording the change in the history.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.test_cli_review import translated  # noqa: F401  (a fixture: the sample translations in place)
from tests.tracker_support import GUT, GUT_SOURCE, write_bytes

TYPOGRAPHY_FIXES = (
    ("a patient's own cells", "a patient’s own cells"),  # a curly apostrophe, in the list
    ("these mini-guts", "these mini\u2011guts"),  # a non-breaking hyphen, in a paragraph
    ("stem-cell-rich buds", "stem\u2011cell\u2011rich buds"),  # in the image caption
    ("in a drop of gel", "in a  drop of\ngel"),  # a double space and a re-wrap: the same msgid
)


def correct_typography(workspace: Path) -> None:
    path = workspace / GUT_SOURCE
    text = path.read_text(encoding="utf-8")
    for old, new in TYPOGRAPHY_FIXES:
        assert old in text
        text = text.replace(old, new)
    write_bytes(path, text.encode("utf-8"))


def article_state(run: Run, article: str) -> str:
    rows = json.loads(run("status", "ca", "--by", "article", "--json").stdout)["articles"]
    return str(next(r for r in rows if r["article"] == article)["state"])


@pytest.mark.backends("sqlite", "postgresql")  # through the tracker
def test_a_typography_fix_keeps_the_approval_and_is_in_the_history(run: Run, translated: Path) -> None:  # noqa: F811
    run("approve", "ca", GUT, "--reviewer", "Jordi Vidal")
    assert article_state(run, GUT) == "approved"
    correct_typography(translated)
    synced = run("sync", "--json")
    assert json.loads(synced.stdout)["languages"][0]["entries"]["fuzzy"] == 0
    assert article_state(run, GUT) == "approved"
    queue = json.loads(run("review", "ca", "--json").stdout)
    assert GUT not in [a["article"] for a in queue["articles"]]
    log = json.loads(run("log", GUT, "--lang", "ca", "--json").stdout)
    corrections = [r for r in log["history"] if r["reason"] == "source"]
    assert len(corrections) == 3, corrections
    assert all((r["before"], r["after"], r["actor"]) == ("approved", "approved", "i18n") for r in corrections)
    # Still the reviewer's verdict: published as approved, crediting Jordi Vidal.
    config = translated / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[mirrors.catalan]\nlanguage = "ca"\nformat = "json"\n'
                      'output = "build/mirrors/catalan"\non_source_change = "withdraw"\n', encoding="utf-8")
    published = json.loads(run("publish", "--as-of", "2026-11-21", "--json", exit_code=3).stdout)
    assert GUT in published["mirrors"][0]["published"]


@pytest.mark.parametrize("fix", [("a patient's own cells", "a sick person's own cells")])
@pytest.mark.backends("sqlite", "postgresql")  # through the tracker
def test_a_real_change_still_needs_review(run: Run, translated: Path, fix: tuple[str, str]) -> None:  # noqa: F811
    run("approve", "ca", GUT, "--reviewer", "Jordi Vidal")
    path = translated / GUT_SOURCE
    write_bytes(path, path.read_text(encoding="utf-8").replace(*fix).encode("utf-8"))
    run("sync", "-q")
    assert article_state(run, GUT) != "approved"
