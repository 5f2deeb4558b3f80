"""Time whole ``i18n status`` processes on a large tracked workspace, beside pocount, polib and bare sqlite3.

The workload (issues 3 and 14): a generated workspace of 5,000 articles in 10 languages (about 285,000
entry states), synced, with states mixed (untranslated, machine, needs-work, translated, approved) by a
seeded rewrite of the catalogs. Timed as whole processes (interpreter start-up and imports included),
each ``--runs`` times (the median is reported, every run listed):

* **tracker build**: the first ``i18n status --json`` on a workspace whose tracker is empty but whose
  catalogs exist (a new clone, an adopted archive): reconciles every template and catalog; timed
  ``--build-runs`` times, the tracker deleted before each;
* **status --json, no-op**: the everyday call: a no-op reconcile (stat every file, compare the folder
  digests of the tracker's file index) and the report (a few GROUP BY queries);
* **reconcile alone, no-op**: ``python -c "reconcile(workspace)"``;
* **status --json after one catalog edit**: one PO file changed (a different one each run), reconciled,
  reported;
* ``status --by article --json``.

The anchor, run in the same invocation: Translate Toolkit's ``pocount`` over the language folders (one
process per language, summed; from this project's ``.venv`` if installed there, else from ``--ttk-venv``:
``python3 -m venv /tmp/ttk-venv && /tmp/ttk-venv/bin/pip install translate-toolkit``; skipped, and said so,
if absent), timed ``--build-runs`` times; the ratio ``build / pocount`` is the issue's target (≤ 0.5).
Beside it polib parsing every catalog and a bare sqlite3 GROUP BY (the floor).

Approved states are set directly in the tracker for a third of the translated entries (approving through
the API would take minutes and changes nothing in what is timed).

Run: ``.venv/bin/python benchmarks/status.py [--articles 5000] [--languages ca,es,...] [--runs 5]
[--build-runs 3] [--json FILE] [--keep DIR]``; ``--reuse DIR`` times a workspace a previous ``--keep``
run left (no generation, no sync). ``--json FILE`` writes every figure (medians, runs, anchors, ratios,
targets, scale, load average) as JSON.
At 50,000 articles and more (``--articles 50000 --languages ca,es``: issue 14's archive scale) the targets
are those the issue sets there: ``status --json`` no-op and after one edit ≤ 1 s, the tracker build ≤ 60 s
(not a ratio), ``status --by article --json`` ≤ 2 s; peak memory ≤ 300 MB at any scale.
Exit status: 0 if every target passed, 3 if one failed, 1 if a tool failed, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate
from benchmarks.sync import BenchmarkError, Row, Run, Target, checked, compile_package, i18n_command, render, timed

LANGUAGES = "ca,es,eu,gl,fr,it,pt,de,nl,pl"
STATUS_SECONDS = 0.4
"""Target (issue 14): ``i18n status --json``, no-op and after one edit, as whole processes, take at most this."""
BUILD_RATIO = 0.5
"""Target (issue 14): the tracker build takes at most this fraction of pocount's time on the same catalogs."""
PEAK_MB = 300.0
"""Target: the peak resident memory of an ``i18n`` process stays under this."""
ARCHIVE_ARTICLES = 50_000
"""From this many articles on, the archive-scale targets of issue 14 apply instead (50,000 × 2 languages):"""
ARCHIVE_STATUS_SECONDS = 1.0
"""``status --json``, no-op and after one edit, at most this;"""
ARCHIVE_BUILD_SECONDS = 60.0
"""the tracker build from 100,000 catalogs at most this (rather than a ratio to pocount);"""
ARCHIVE_BY_ARTICLE_SECONDS = 2.0
"""``status --by article --json`` at most this."""
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


@dataclass(frozen=True, slots=True)
class Measure:
    """Several timed runs of one thing: their median is the figure reported."""

    label: str
    runs: tuple[Run, ...]

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)

    @property
    def cpu(self) -> float:
        """The median CPU seconds (user + system) of the runs: steadier than wall time on a shared machine."""
        return statistics.median(r.cpu for r in self.runs)

    def row(self) -> Row:
        spread = ", ".join(f"{r.seconds:.3f}" for r in self.runs)
        return Row(f"{self.label} (median of {len(self.runs)}: {spread})", self.seconds,
                   f"{self.peak_mb:.0f} MB, CPU {self.cpu:.3f} s")

    def figures(self) -> dict[str, object]:
        return {"median_s": round(self.seconds, 4), "runs_s": [round(r.seconds, 4) for r in self.runs],
                "cpu_median_s": round(self.cpu, 4), "peak_mb": round(self.peak_mb, 1)}


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(label: str, command: list[str], env: Mapping[str, str], runs: int,
            before: Callable[[int], None] | None = None) -> Measure:
    """Run ``command`` ``runs`` times (``before(i)`` first, untimed) and keep every run."""
    say(f"{label} × {runs} ...")
    done = []
    for index in range(runs):
        if before is not None:
            before(index)
        done.append(checked(label, timed(command, env=env)))
    return Measure(label, tuple(done))


def prepare(folder: Path, articles: int, languages: list[str], i18n: list[str], env: Mapping[str, str]
            ) -> list[Row]:
    """Generate the workspace, sync it cold and mix the catalogs' states (untimed setup, but reported)."""
    say(f"generating {articles} articles × {','.join(languages)} in {folder} ...")
    generate(folder, articles, languages, seed=0)
    say("i18n sync (cold; minutes at full size) ...")
    sync = checked("i18n sync", timed([*i18n, "-C", str(folder), "sync", "-q"], env=env))
    say("mixing states in the catalogs ...")
    mixed = mix_states(folder, languages)
    return [Row(f"i18n sync, cold, {len(languages)} languages (setup)", sync.seconds, f"{sync.peak_mb:.0f} MB"),
            Row("catalog entries given a translation (setup)", None, str(mixed))]


def forget_tracker(folder: Path) -> None:
    """Delete the embedded tracker (and its marker): the next status builds it from the catalogs."""
    for name in ("tracker.sqlite3", "tracker.sqlite3-wal", "tracker.sqlite3-shm", "tracker.created"):
        (folder / ".i18n" / name).unlink(missing_ok=True)


def pocount_runs(pocount: Path, folder: Path, languages: list[str], runs: int) -> list[float]:
    """Seconds of ``pocount`` over every language folder (one process per language, summed), ``runs`` times."""
    say(f"pocount × {runs} ...")
    totals = []
    for _ in range(runs):
        total = 0.0
        for language in languages:
            run = timed([str(pocount), str(folder / "locales" / language)])
            if run.returncode != 0:
                raise BenchmarkError(f"pocount exited with {run.returncode}: {run.stderr[-500:]}")
            total += run.seconds
        totals.append(total)
    return totals


def find_pocount(ttk_venv: Path, python: str) -> Path | None:
    """pocount from translate-toolkit: in this project's virtualenv, else in ``ttk_venv``."""
    for candidate in (Path(python).parent / "pocount", ttk_venv / "bin" / "pocount"):
        if candidate.exists():
            return candidate
    return None


def benchmark(folder: Path, articles: int, languages: list[str], i18n: list[str], ttk_venv: Path, *,
              reuse: bool, runs: int, build_runs: int) -> tuple[list[Row], list[Target], dict[str, object]]:
    """Prepare the workspace in ``folder`` (unless ``reuse``), run every measurement; table, targets, figures."""
    env = {**os.environ, "I18N_USER": "benchmark"}
    env.pop("I18N_DATABASE_URL", None)
    python = str(Path(i18n[0]).parent / "python") if i18n[0] != sys.executable else sys.executable
    # `i18n status` through the CLI's main, whether or not the group lists the command yet.
    cli = [python, "-c", _CLI]
    status = [*cli, "-C", str(folder), "status", "--json"]
    database = folder / ".i18n" / "tracker.sqlite3"
    rows = [] if reuse else prepare(folder, articles, languages, i18n, env)
    measures: dict[str, Measure] = {}
    if build_runs:
        measures["build"] = measure("i18n status --json, first run: builds the tracker", status, env, build_runs,
                                    before=lambda _: forget_tracker(folder))
    approved = approve_some(database)
    rows.append(Row("entry states set to approved (setup)", None, str(approved)))
    time.sleep(RACY_WAIT)
    checked("settling i18n status", timed(status, env=env))  # re-reads files recorded as racy, then settles
    with sqlite3.connect(database) as db:
        states = db.execute("SELECT COUNT(*) FROM entry_states").fetchone()[0]
        by_state = dict(db.execute("SELECT state, COUNT(*) FROM entry_states GROUP BY state").fetchall())
    rows.append(Row(f"entry states in the tracker: {states}", None,
                    ", ".join(f"{k} {v}" for k, v in sorted(by_state.items()))))
    measures["noop"] = measure("i18n status --json, no-op reconcile", status, env, runs)
    measures["reconcile_noop"] = measure("reconcile alone, no-op (python -c)", [python, "-c", _RECONCILE,
                                                                                 str(folder)], env, runs)
    measures["sqlite_floor"] = measure("bare sqlite3 GROUP BY (python -c)", [python, "-c", _SQLITE, str(database)],
                                       env, runs)
    measures["by_article"] = measure("i18n status --by article --json",
                                     [*cli, "-C", str(folder), "status", "--by", "article", "--json"], env, runs)
    catalogs = sorted((folder / "locales" / languages[0] / "articles").rglob("*.po"))

    def edit(index: int) -> None:  # a different catalog each run, one translation changed
        target = catalogs[index % len(catalogs)]
        text = target.read_text(encoding="utf-8")
        target.write_text(re.sub(r'msgstr "[^"]+"', f'msgstr "edited by the benchmark {index}"', text, count=1),
                          encoding="utf-8")

    measures["one_edit"] = measure("i18n status --json after one catalog edit", status, env, runs, before=edit)
    measures["polib"] = measure(f"polib parsing every catalog, {len(languages)} languages (one process)",
                                [python, "-c", _POLIB, str(folder), *languages], {**env}, max(1, runs // 3))
    rows += [m.row() for m in measures.values()]
    pocount = find_pocount(ttk_venv, python)
    pocount_s = pocount_runs(pocount, folder, languages, max(1, build_runs)) if pocount else []
    if pocount is None:
        rows.append(Row("pocount", None, f"skipped: translate-toolkit not installed (no {ttk_venv}/bin/pocount)"))
    else:
        spread = ", ".join(f"{s:.3f}" for s in pocount_s)
        rows.append(Row(f"pocount, {len(languages)} languages (median of {len(pocount_s)}: {spread})",
                        statistics.median(pocount_s)))
    return finish(rows, measures, pocount_s, articles, languages)


def finish(rows: list[Row], measures: Mapping[str, Measure], pocount_s: Sequence[float], articles: int,
           languages: Sequence[str]) -> tuple[list[Row], list[Target], dict[str, object]]:
    """The ratios to the anchors, the targets, and the figures for the JSON file."""
    pocount = statistics.median(pocount_s) if pocount_s else None
    ratios: dict[str, float] = {}
    if pocount and "build" in measures:
        ratios["build / pocount"] = measures["build"].seconds / pocount
    for name, anchor in (("polib", measures["polib"].seconds), ("bare sqlite3", measures["sqlite_floor"].seconds)):
        ratios[f"status no-op / {name}"] = measures["noop"].seconds / anchor
    rows += [Row(f"ratio {name} = {value:.3f}", None) for name, value in ratios.items()]
    peak = max(measures[k].peak_mb for k in ("noop", "reconcile_noop", "one_edit", "by_article", "build")
               if k in measures)
    archive = articles >= ARCHIVE_ARTICLES
    limit = ARCHIVE_STATUS_SECONDS if archive else STATUS_SECONDS
    targets = [
        Target("i18n status --json, no-op", f"{measures['noop'].seconds:.3f} s", f"≤ {limit} s",
               measures["noop"].seconds <= limit),
        Target("i18n status --json after one edit", f"{measures['one_edit'].seconds:.3f} s",
               f"≤ {limit} s", measures["one_edit"].seconds <= limit),
    ]
    if archive:
        targets += [
            Target("tracker build", f"{measures['build'].seconds:.1f} s" if "build" in measures else "-",
                   f"≤ {ARCHIVE_BUILD_SECONDS:.0f} s",
                   measures["build"].seconds <= ARCHIVE_BUILD_SECONDS if "build" in measures else None),
            Target("i18n status --by article --json", f"{measures['by_article'].seconds:.3f} s",
                   f"≤ {ARCHIVE_BY_ARTICLE_SECONDS} s", measures["by_article"].seconds <= ARCHIVE_BY_ARTICLE_SECONDS),
        ]
    else:
        targets.append(Target(
            "tracker build / pocount", f"{ratios['build / pocount']:.3f}" if "build / pocount" in ratios else "-",
            f"≤ {BUILD_RATIO}", ratios["build / pocount"] <= BUILD_RATIO if "build / pocount" in ratios else None))
    targets.append(Target("peak memory of i18n", f"{peak:.0f} MB", f"≤ {PEAK_MB:.0f} MB", peak <= PEAK_MB))
    figures: dict[str, object] = {
        "benchmark": "status", "articles": articles, "languages": list(languages), "cpus": os.cpu_count(),
        "measures": {name: m.figures() for name, m in measures.items()},
        "anchors": {"pocount_s": {"median_s": round(pocount, 4), "runs_s": [round(s, 4) for s in pocount_s]}
                    if pocount else None},
        "ratios": {name: round(value, 4) for name, value in ratios.items()},
        "targets": [{"label": t.label, "measured": t.measured, "goal": t.goal, "passed": t.passed} for t in targets],
    }
    return rows, targets, figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=5000, help="articles to generate (default 5000)")
    parser.add_argument("--languages", default=LANGUAGES, help=f"target languages (default {LANGUAGES})")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="prepare the workspace in DIR and keep it")
    parser.add_argument("--reuse", type=Path, metavar="DIR", help="time the workspace a --keep run left in DIR")
    parser.add_argument("--ttk-venv", type=Path, default=Path(os.environ.get("TTK_VENV", "/tmp/ttk-venv")),
                        help="virtualenv with translate-toolkit (default $TTK_VENV or /tmp/ttk-venv)")
    parser.add_argument("--i18n", help="the i18n executable (default: .venv/bin/i18n of this repo)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measure; the median is reported")
    parser.add_argument("--build-runs", type=int, default=3,
                        help="tracker builds timed (each deletes the tracker first; 0: none); also pocount's runs")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures to FILE as JSON")
    args = parser.parse_args(argv)
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    if args.articles < 1 or not languages:
        parser.error("need at least one article and one language")
    if args.reuse is not None and not (args.reuse / "locales" / "templates").is_dir():
        parser.error(f"{args.reuse} holds no synced workspace; prepare one with --keep")
    if args.reuse is not None and not args.build_runs and not (args.reuse / ".i18n" / "tracker.sqlite3").is_file():
        parser.error(f"{args.reuse} has no tracker yet: time at least one build (--build-runs 1)")
    if args.keep is not None and (args.keep / "i18n.toml").exists():
        parser.error(f"{args.keep} already holds a workspace; choose an empty folder (or --reuse it)")
    folder = args.reuse or args.keep or Path(tempfile.mkdtemp(prefix="i18n-bench-status-"))
    note = compile_package()
    load_before = os.getloadavg()[0]
    try:
        rows, targets, figures = benchmark(folder, args.articles, languages, i18n_command(args.i18n),
                                           args.ttk_venv, reuse=args.reuse is not None, runs=max(1, args.runs),
                                           build_runs=max(0, args.build_runs))
    except BenchmarkError as error:
        print(f"status.py: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep is None and args.reuse is None:
            shutil.rmtree(folder, ignore_errors=True)
    load = (load_before, os.getloadavg()[0])
    if note:
        print(note)
    print(render(rows, targets, args.articles, languages, load, issue_figures=ISSUE_FIGURES, digits=3))
    if args.json is not None:
        figures["load_average"] = [round(value, 2) for value in load]
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 3 if any(t.passed is False for t in targets) else 0


if __name__ == "__main__":
    sys.exit(main())
