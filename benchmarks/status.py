"""Time whole ``i18n status`` processes on a large tracked workspace, beside pocount, polib and bare sqlite3.

The workload (issue 3, point 8): a generated workspace of 5,000 articles in 10 languages (about 285,000
entry states), synced, with states mixed (untranslated, machine, needs-work, translated, approved) by a
seeded rewrite of the catalogs. Timed as whole processes (interpreter start-up and imports included):

* **first status** (informational): reconciles every catalog into a new tracker;
* **status --json, no-op**: the everyday call: a no-op reconcile (stat every file, compare with the
  tracker's file index) and the report (a few GROUP BY queries);
* **reconcile alone, no-op**: ``python -c "reconcile(workspace)"``;
* **status --json after one catalog edit**: one PO file changed, reconciled, reported.

Beside them: a bare ``sqlite3`` GROUP BY over the tracker (the floor), Translate Toolkit's ``pocount``
over the 10 language folders (in ``--ttk-venv``, a separate virtualenv: ``python3 -m venv /tmp/ttk-venv
&& /tmp/ttk-venv/bin/pip install translate-toolkit``; skipped if absent) and polib parsing every catalog.

Approved states are set directly in the tracker for a third of the translated entries (approving through
the API would take minutes and changes nothing in what is timed).

Run: ``.venv/bin/python benchmarks/status.py [--articles 5000] [--languages ca,es,...] [--keep DIR]``;
``--reuse DIR`` times a workspace a previous ``--keep`` run left (no generation, no sync).
Exit status: 0 if every target passed, 3 if one failed, 1 if a tool failed, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate
from benchmarks.sync import BenchmarkError, Row, Run, Target, checked, i18n_command, render, timed

LANGUAGES = "ca,es,eu,gl,fr,it,pt,de,nl,pl"
STATUS_SECONDS = 0.5
"""Target: ``i18n status --json`` and a no-op reconcile, as whole processes, take less than this."""
PEAK_MB = 300.0
"""Target: the peak resident memory of an ``i18n`` process stays under this."""
RACY_WAIT = 2.5
ISSUE_FIGURES = ("issue 3 measured: bare sqlite3 GROUP BY over 350,000 rows 0.05 s, importing SQLAlchemy 0.24 s, "
                 "pocount 21.9 s and polib 18.8 s for the 10 languages")

_CLI = ("import sys; from i18n.cli.commands import cli, main, status_command; "
        "cli.commands.setdefault('status', status_command); main(sys.argv[1:])")
_RECONCILE = """
import sys
from pathlib import Path
from i18n.workflow.reconcile import reconcile
from i18n.core.workspace import Workspace
report = reconcile(Workspace.open(config=Path(sys.argv[1]) / "i18n.toml"))
assert report.read == 0 and report.changes == 0, report
"""
_SQLITE = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT s.language, s.state, COUNT(*), SUM(e.words) FROM entry_states s "
                  "JOIN entries e ON e.id = s.entry_id GROUP BY s.language, s.state").fetchall()
print(len(rows))
"""
_POLIB = """
import sys
from pathlib import Path
import polib
total = 0
for language in sys.argv[2:]:
    for path in sorted((Path(sys.argv[1]) / "locales" / language).rglob("*.po")):
        po = polib.pofile(str(path))
        total += len(po.translated_entries()) + len(po.fuzzy_entries()) + len(po.untranslated_entries())
print(total)
"""


def mix_states(folder: Path, languages: Sequence[str], seed: int = 0) -> int:
    """Rewrite every article catalog with entries in mixed states (deterministic); returns entries changed.

    Works on the text as msgcat writes it: an entry block whose translation is one empty ``msgstr ""``
    line gets a translation, maybe a ``#, fuzzy`` line and maybe the machine marker.
    """
    changed = 0
    for language in languages:
        rng = random.Random(f"{seed}-{language}")
        for path in sorted((folder / "locales" / language / "articles").rglob("*.po")):
            blocks = path.read_text(encoding="utf-8").split("\n\n")
            for index in range(1, len(blocks)):
                block = blocks[index]
                if not block.endswith('msgstr ""') or "#, " in block or block.startswith("#~"):
                    continue
                kind = rng.choices(["untranslated", "machine", "needs-work", "translated"], [2, 2, 1, 5])[0]
                if kind == "untranslated":
                    continue
                lines = block.split("\n")
                lines[-1] = f'msgstr "{language} {rng.randrange(10**9)}"'
                if kind != "translated":
                    at = next(i for i, line in enumerate(lines) if line.startswith(("msgctxt", "msgid")))
                    lines.insert(at, "#, fuzzy")
                if kind == "machine":
                    lines.insert(0, "# machine: apertium eng-x 2026-11-21")
                blocks[index] = "\n".join(lines)
                changed += 1
            path.write_text("\n\n".join(blocks), encoding="utf-8")
    return changed


def approve_some(database: Path) -> int:
    """Mark a third of the translated states approved, straight in the tracker (see the module docstring).

    The catalogs' summaries (what ``i18n status`` reads) are recounted the same way.
    """
    def recount(state: str, what: str) -> str:
        return (f"(SELECT {what} FROM entry_states s JOIN entries e ON e.id = s.entry_id "
                f"WHERE e.article_id = catalogs.article_id AND s.language = catalogs.language "
                f"AND s.state = '{state}' AND e.removed = 0)")

    with sqlite3.connect(database) as db:
        cursor = db.execute("UPDATE entry_states SET state = 'approved' WHERE state = 'translated' "
                            "AND entry_id % 3 = 0")
        db.execute("UPDATE catalogs SET "
                   + ", ".join(f"n_{state} = {recount(state, 'COUNT(*)')}, "
                               f"w_{state} = {recount(state, 'COALESCE(SUM(e.words), 0)')}"
                               for state in ("translated", "approved")))
        db.execute("UPDATE catalogs SET state = 'approved' WHERE state = 'translated' AND n_translated = 0")
        return cursor.rowcount


def benchmark(folder: Path, articles: int, languages: list[str], i18n: list[str], ttk_venv: Path, *,
              reuse: bool) -> tuple[list[Row], list[Target]]:
    """Prepare the workspace in ``folder`` (unless ``reuse``), run every measurement, return table and targets."""

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    rows: list[Row] = []
    env = {**os.environ, "I18N_USER": "benchmark"}
    env.pop("I18N_DATABASE_URL", None)
    python = str(Path(i18n[0]).parent / "python") if i18n[0] != sys.executable else sys.executable
    # `i18n status` through the CLI's main, whether or not the group lists the command yet.
    cli = [python, "-c", _CLI]
    status = [*cli, "-C", str(folder), "status", "--json"]
    database = folder / ".i18n" / "tracker.sqlite3"
    if not reuse:
        say(f"generating {articles} articles × {','.join(languages)} in {folder} ...")
        generate(folder, articles, languages, seed=0)
        say("i18n sync (cold; minutes at full size) ...")
        sync = checked("i18n sync", timed([*i18n, "-C", str(folder), "sync", "-q"], env=env))
        rows.append(Row(f"i18n sync, cold, {len(languages)} languages (setup)", sync.seconds,
                        f"{sync.peak_mb:.0f} MB"))
        say("mixing states in the catalogs ...")
        mixed = mix_states(folder, languages)
        rows.append(Row("catalog entries given a translation (setup)", None, str(mixed)))
        say("first i18n status: reconciling every catalog into a new tracker ...")
        first = checked("first i18n status", timed(status, env=env))
        rows.append(Row("i18n status --json, first run: builds the tracker", first.seconds,
                        f"{first.peak_mb:.0f} MB"))
        approved = approve_some(database)
        rows.append(Row("entry states set to approved (setup)", None, str(approved)))
    time.sleep(RACY_WAIT)
    checked("settling i18n status", timed(status, env=env))  # re-reads files recorded as racy, then settles

    with sqlite3.connect(database) as db:
        states = db.execute("SELECT COUNT(*) FROM entry_states").fetchone()[0]
        by_state = dict(db.execute("SELECT state, COUNT(*) FROM entry_states GROUP BY state").fetchall())
    rows.append(Row(f"entry states in the tracker: {states}", None,
                    ", ".join(f"{k} {v}" for k, v in sorted(by_state.items()))))

    def best(label: str, command: list[str], times: int = 5) -> Run:
        say(f"{label} ...")
        runs = [checked(label, timed(command, env=env)) for _ in range(times)]
        run = min(runs, key=lambda r: r.seconds)
        rows.append(Row(f"{label} (best of {times})", run.seconds, f"{run.peak_mb:.0f} MB"))
        return run

    status_run = best("i18n status --json, no-op reconcile", status, times=10)
    reconcile_run = best("reconcile alone, no-op (python -c)", [python, "-c", _RECONCILE, str(folder)], times=10)
    floor = best("bare sqlite3 GROUP BY (python -c)", [python, "-c", _SQLITE, str(database)])
    by_article = best("i18n status --by article --json", [*cli, "-C", str(folder), "status", "--by", "article",
                                                            "--json"], times=1)
    target = sorted((folder / "locales" / languages[0] / "articles").rglob("*.po"))[0]
    text = target.read_text(encoding="utf-8")
    target.write_text(re.sub(r'msgstr "[^"]+"', 'msgstr "edited by the benchmark"', text, count=1), encoding="utf-8")
    edited = checked("status after one edit", timed(status, env=env))
    rows.append(Row("i18n status --json after one catalog edit", edited.seconds, f"{edited.peak_mb:.0f} MB"))

    say("polib parsing every catalog ...")
    polib_run = checked("polib", timed([python, "-c", _POLIB, str(folder), *languages]))
    rows.append(Row(f"polib parsing every catalog, {len(languages)} languages (one process)", polib_run.seconds))
    pocount = ttk_venv / "bin" / "pocount"
    pocount_seconds: float | None = None
    if pocount.exists():
        say("pocount ...")
        pocount_seconds = 0.0
        for language in languages:
            run = timed([str(pocount), str(folder / "locales" / language)])
            if run.returncode != 0:
                raise BenchmarkError(f"pocount exited with {run.returncode}: {run.stderr[-500:]}")
            pocount_seconds += run.seconds
        rows.append(Row(f"pocount, {len(languages)} languages (one process each)", pocount_seconds))
    else:
        rows.append(Row("pocount", None, f"skipped: no {pocount} (see --ttk-venv)"))

    for name, seconds in (("pocount", pocount_seconds), ("polib", polib_run.seconds),
                          ("bare sqlite3", floor.seconds)):
        if seconds:
            rows.append(Row(f"i18n status --json = {status_run.seconds / seconds:.3f} × {name}", None))
    peak = max(r.peak_mb for r in (status_run, reconcile_run, edited, by_article))
    targets = [
        Target("i18n status --json, no-op", f"{status_run.seconds:.3f} s", f"< {STATUS_SECONDS} s",
               status_run.seconds < STATUS_SECONDS),
        Target("no-op reconcile", f"{reconcile_run.seconds:.3f} s", f"< {STATUS_SECONDS} s",
               reconcile_run.seconds < STATUS_SECONDS),
        Target("peak memory of i18n", f"{peak:.0f} MB", f"< {PEAK_MB:.0f} MB", peak < PEAK_MB),
    ]
    return rows, targets


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=5000, help="articles to generate (default 5000)")
    parser.add_argument("--languages", default=LANGUAGES, help=f"target languages (default {LANGUAGES})")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="prepare the workspace in DIR and keep it")
    parser.add_argument("--reuse", type=Path, metavar="DIR", help="time the workspace a --keep run left in DIR")
    parser.add_argument("--ttk-venv", type=Path, default=Path(os.environ.get("TTK_VENV", "/tmp/ttk-venv")),
                        help="virtualenv with translate-toolkit (default $TTK_VENV or /tmp/ttk-venv)")
    parser.add_argument("--i18n", help="the i18n executable (default: .venv/bin/i18n of this repo)")
    args = parser.parse_args(argv)
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    if args.articles < 1 or not languages:
        parser.error("need at least one article and one language")
    if args.reuse is not None and not (args.reuse / ".i18n" / "tracker.sqlite3").is_file():
        parser.error(f"{args.reuse} holds no tracked workspace; prepare one with --keep")
    if args.keep is not None and (args.keep / "i18n.toml").exists():
        parser.error(f"{args.keep} already holds a workspace; choose an empty folder (or --reuse it)")
    folder = args.reuse or args.keep or Path(tempfile.mkdtemp(prefix="i18n-bench-status-"))
    load_before = os.getloadavg()[0]
    try:
        rows, targets = benchmark(folder, args.articles, languages, i18n_command(args.i18n), args.ttk_venv,
                                  reuse=args.reuse is not None)
    except BenchmarkError as error:
        print(f"status.py: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep is None and args.reuse is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(render(rows, targets, args.articles, languages, (load_before, os.getloadavg()[0]),
                 issue_figures=ISSUE_FIGURES, digits=3))
    return 3 if any(t.passed is False for t in targets) else 0


if __name__ == "__main__":
    sys.exit(main())
