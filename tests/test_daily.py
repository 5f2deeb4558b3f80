"""``i18n daily`` (i18n/workflow/daily.py): the morning job, its exit codes, summary, budget and log; and the
small things a user notices on the way (plurals, files in content/ that are not articles, the burn-up's labels)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from dataclasses import replace
from pathlib import Path

from i18n.catalogs.catalog import Entry
from i18n.cli.output import check_text, pretranslate_text
from i18n.cli.report_html import _spread, burnup_chart
from i18n.core.workspace import Workspace
from i18n.workflow.check import CheckReport
from i18n.workflow.pretranslate import EngineTotals, PretranslateReport
from i18n.workflow.report import BurnPoint, Burnup
from i18n.workflow.review import approve
from tests.conftest import Run
from tests.fake_libretranslate import FakeServer
from tests.tracker_support import catalog_path, edit_catalog

MIRROR = """
[mirrors.ca-json]
language = "ca"
format = "json"
output = "build/mirrors/ca-json"
"""
#: The workspace_dir fixture's articles dated up to its pinned today (2026-11-21): all are due.
DUE = ("2025-12-30-clock-work", "2026-11-14-gut-feelings", "2026-11-18-branching-out")


def as_catalan(entry: Entry) -> Entry:
    """A translation the checks accept: the source's markup, links and numbers kept (thousands the Catalan way)."""
    def text(source: str) -> str:
        return "CA " + re.sub(r"(\d),(\d{3})", r"\1.\2", source)

    entry = entry.with_flag("fuzzy", False)
    if entry.msgid_plural is not None:
        return replace(entry, msgstr_plural=(text(entry.msgid), text(entry.msgid_plural)))
    return replace(entry, msgstr=text(entry.msgid))


def configure(root: Path, text: str) -> None:
    config = root / "i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_fresh_day_is_not_ready_and_says_why(run: Run, workspace_dir: Path) -> None:
    configure(workspace_dir, MIRROR)
    result = run("daily", "--json", exit_code=3)
    data = json.loads(result.stdout)
    assert data["status"] == "not-ready" and data["today"] == "2026-11-21"
    assert sorted(data["sync"]["articles"]["new"]) == sorted(DUE)
    assert [r["language"] for r in data["pretranslate"]] == ["ca", "es"]
    assert [m["mirror"] for m in data["publish"]["mirrors"]] == ["ca-json"]
    assert sorted(b.split(" ")[0] for b in data["blocked"]) == sorted(DUE)
    assert data["problems"] == [] and data["report"] == "build/report/index.html"
    assert (workspace_dir / "build/report/index.html").is_file()
    summary = data["summary"]
    assert summary.startswith("i18n daily, 2026-11-21: sync found 3 new articles") and "exit 3" in summary
    log = (workspace_dir / ".i18n/daily.log").read_text(encoding="utf-8")
    assert log == f"2026-11-21T08:00:00Z not-ready\n{summary}\n\n"


def test_what_is_approved_and_due_is_published_and_the_log_grows(run: Run, workspace_dir: Path) -> None:
    configure(workspace_dir, MIRROR + '\n[daily]\nlanguages = ["ca"]\nlog = "logs/morning.log"\n')
    run("sync")
    workspace = Workspace.open(config=workspace_dir / "i18n.toml")
    for article in DUE:
        edit_catalog(catalog_path(workspace, article), as_catalan, translator="Marta Puig <m@example.org>")
    assert approve(workspace, "ca", DUE, reviewer="Jordi Vidal").refused == ()

    first = run("daily")  # exit 0: every due article is on the mirror
    assert first.stdout.startswith("i18n daily, 2026-11-21: sync found 0 new articles")
    assert "published 3 articles (" in first.stdout and "All done." in first.stdout
    published = workspace_dir / "build/mirrors/ca-json"
    assert {p.stem for p in published.rglob("2*.json")} == set(DUE)

    second = json.loads(run("daily", "--json").stdout)
    assert second["status"] == "ok" and [r["language"] for r in second["pretranslate"]] == ["ca"]
    assert "nothing new to publish (3 article pages live on 1 mirror)" in second["summary"]
    blocks = (workspace_dir / "logs/morning.log").read_text(encoding="utf-8").split("\n\n")
    assert [b.split("\n")[0] for b in blocks if b] == ["2026-11-21T08:00:00Z ok"] * 2
    assert not (workspace_dir / ".i18n/daily.log").exists()


def test_as_of_pins_the_day(run: Run, workspace_dir: Path) -> None:
    configure(workspace_dir, MIRROR)
    data = json.loads(run("daily", "--json", "--as-of", "2026-01-05", exit_code=3).stdout)
    assert data["today"] == "2026-01-05" and data["publish"]["as_of"] == "2026-01-05"
    assert [b.split(" ")[0] for b in data["blocked"]] == ["2025-12-30-clock-work"]  # the later ones are not due


def test_pretranslation_keeps_to_the_daily_budget(run: Run, workspace_dir: Path, fake_server: FakeServer) -> None:
    configure(workspace_dir, MIRROR + f'\n[machine]\nengines = ["libretranslate"]\nretries = 0\n'
              f'[machine.libretranslate]\nurl = "{fake_server.url}"\n'
              '[daily]\nlanguages = ["ca"]\nmax_chars = 300\n')
    data = json.loads(run("daily", "--json", exit_code=3).stdout)
    (report,) = data["pretranslate"]
    assert 0 < report["characters"] <= 300 and report["skipped"] > 0
    assert sum(len(t) for t in fake_server.behaviour.texts) <= 300
    assert re.search(r"machine drafts: ca \d+ entr(y|ies) \(\d+ characters sent\)", data["summary"])


def test_a_failing_step_is_reported_and_the_later_steps_still_run(run: Run, workspace_dir: Path) -> None:
    configure(workspace_dir, MIRROR + '\n[machine]\nengines = ["deepl"]\n')  # named, but no key here
    result = run("daily", exit_code=1)
    assert "pretranslate ca: " in result.stdout and "Failed" in result.stdout
    assert "ca-json" in json.loads(run("daily", "--json", exit_code=1).stdout)["publish"]["mirrors"][0]["mirror"]
    assert "failed" in (workspace_dir / ".i18n/daily.log").read_text(encoding="utf-8")


def test_without_mirrors_it_says_so_and_publishes_nothing(run: Run, workspace_dir: Path) -> None:
    data = json.loads(run("daily", "--json").stdout)
    assert data["publish"] is None and data["notes"] == ["no mirror is configured, nothing published"]
    assert data["status"] == "ok"


def test_a_wrong_daily_key_names_the_file_and_runs_nothing(run: Run, workspace_dir: Path) -> None:
    configure(workspace_dir, "\n[daily]\nmax_char = 10\n")
    result = run("daily", exit_code=1)
    assert "daily.max_char" in result.stderr and "max_chars" in result.stderr
    assert not (workspace_dir / "locales").exists() and not (workspace_dir / ".i18n/daily.log").exists()


def test_init_writes_the_daily_defaults(tmp_path: Path) -> None:
    from i18n.core.config import default_config_text, load_settings
    from i18n.core.languages import parse_language
    from i18n.workflow.daily import DailySettings, daily_settings

    (tmp_path / "i18n.toml").write_text(default_config_text((parse_language("ca"),)), encoding="utf-8")
    settings = load_settings(tmp_path / "i18n.toml")
    assert "daily" in dict(settings.sections)
    assert daily_settings(Workspace(settings)) == DailySettings()


# -- small things: plurals, unknown files in content/, the burn-up's end labels ---------------------------


def test_counts_of_one_are_singular() -> None:
    report = PretranslateReport(language="ca", dry_run=False, entries=1, characters=1, words=1,
                                engines=(EngineTotals("libretranslate en-ca", 1, 1, 1, 1),), drafted=1)
    text = pretranslate_text(report)
    assert "1 entry (1 character, 1 word)" in text and "1 entry, 1 character, 1 word, 1 request" in text
    assert "Drafted 1 entry (" in text and "1 catalog written" not in text  # none written: "0 catalogs"
    assert not re.search(r"\b1 (entries|characters|words|requests|catalogs)\b", text)
    checked = check_text(CheckReport(languages=("ca",), catalogs=1, entries=1, problems=()))
    assert checked == "Checked 1 entry in 1 catalog: 0 errors, 0 warnings."


def test_files_in_content_that_are_not_articles_are_named_once(run: Run, workspace_dir: Path) -> None:
    (workspace_dir / "content/2026/notes.bad").write_text("not an article", encoding="utf-8")
    (workspace_dir / "content/2026/.DS_Store").write_bytes(b"\0")
    result = run("sync")
    notes = [line for line in result.stderr.splitlines() if "not an article" in line]
    assert notes == ["i18n: note: 1 file in the content folder is not an article and was ignored: "
                     "content/2026/notes.bad (articles are <yyyy>/<yyyy-mm-dd>-<slug>.md)"]
    assert json.loads(run("sync", "--json").stdout)["articles"]["ignored"] == ["content/2026/notes.bad"]


def test_burnup_end_labels_stay_inside_the_chart() -> None:
    day = dt.date(2026, 11, 21)
    points = tuple(BurnPoint(day - dt.timedelta(days=n), 4, 4, 4 if n == 0 else 3) for n in range(10, -1, -1))
    svg = str(burnup_chart(Burnup("ca", points)))
    labels = {m.group(2): float(m.group(1)) for m in re.finditer(r'<text x="[\d.]+" y="([\d.]+)" fill="#\w+" '
                                                                   r'class="end">(\d+ \w+)</text>', svg)}
    assert set(labels) == {"4 dated", "4 approved", "4 published"}
    ys = sorted(labels.values())
    assert ys[0] >= 24 and all(b - a >= 14 for a, b in itertools.pairwise(ys))  # top is 14, text 12px
    assert _spread([200.0, 200.0, 200.0], 14, 24, 214) == [186.0, 200.0, 214.0]
