"""Time ``i18n publish`` on 5,000 approved articles: a cold publication, then a no-op (issue 6, point 8).

The workload: a generated workspace (:mod:`benchmarks.generate`) of N articles in Catalan, synced, every
catalog entry translated (a rewrite of the catalogs' text), reconciled, then every entry approved through
the tracker API (:func:`i18n.tracker.queries.review.record_approval`, one transaction), with one Markdown mirror.
Timed as whole ``i18n publish --as-of 2026-11-21 --json`` processes (interpreter start-up and imports
included):

* **cold**: gates every article from the tracker, assembles and renders it, writes the first version;
* **no-op**: nothing changed since: answered without gating or writing anything (target: under 0.5 s; under
  1 s above 5,000 articles, issue 14);
* **one-article change**: one entry of one article approved again (a new text) since the last run: only
  that article is gated again (the report's ``gated``/``cached`` counts), the others come from the
  per-article cache; the run updates that article and the listings.

Each timing is the median of ``--runs`` runs (the change is made anew before each one-article run).

Run: ``.venv/bin/python benchmarks/publish.py [--articles 5000] [--format markdown] [--runs 3] [--keep DIR]``.
Exit status: 0 if the no-op target passed, 3 if not, 1 if a step failed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate
from benchmarks.sync import BenchmarkError, checked, compile_package, timed

TARGET_NOOP = 0.5
"""Target: the no-op publish, as a whole process, takes less than this (5,000 articles)."""
TARGET_NOOP_AT_SCALE = 1.0
"""Target (issue 14): the same at 50,000 articles."""
I18N = [sys.executable, "-m", "i18n"]


def translate_everything(folder: Path, language: str, every: int = 1) -> int:
    """Give every untranslated entry of every ``every``-th article catalog a translation (text rewrite, as
    msgcat writes)."""
    changed = 0
    for path in sorted((folder / "locales" / language / "articles").rglob("*.po"))[::every]:
        blocks = path.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
        for index in range(1, len(blocks)):
            block = blocks[index]
            if block.endswith('msgstr ""') and not block.startswith("#~"):
                lines = block.split("\n")
                lines[-1] = f'msgstr "{language} {index} {path.stem[:10]}"'
                blocks[index] = "\n".join(lines)
                changed += 1
        path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return changed


def approve_everything(folder: Path, language: str, every: int = 1) -> int:
    """Approve every translated entry of every ``every``-th article through the tracker API, in one
    transaction."""
    from i18n.catalogs.pofile import read_catalog
    from i18n.core.workspace import Workspace
    from i18n.tracker.engine import open_tracker
    from i18n.tracker.queries.review import record_approval
    from i18n.tracker.snapshot import database_url
    from i18n.workflow.reconcile import reconcile

    workspace = Workspace.open(config=folder / "i18n.toml")
    reconcile(workspace, user="Benchmark Translator")
    tracker = open_tracker(database_url(workspace))
    count = 0
    try:
        with tracker.transaction() as session:
            for path in sorted((folder / "locales" / language / "articles").rglob("*.po"))[::every]:
                for entry in read_catalog(path).active_entries:
                    if entry.translated and not entry.fuzzy:
                        record_approval(session, article=path.stem, language=language, key=entry.key,
                                           source=entry.msgid, translation=entry.msgstrs,
                                           reviewer="Benchmark Reviewer")
                        count += 1
    finally:
        tracker.close()
    return count


def approve_one_anew(folder: Path, language: str, round_: int) -> str:
    """Give the first entry of the first article a new text and approve it (as a reviewer would); its id."""
    from i18n.catalogs.catalog import Entry
    from i18n.catalogs.pofile import read_catalog, write_catalog
    from i18n.core.workspace import Workspace
    from i18n.tracker.engine import open_tracker
    from i18n.tracker.queries.review import record_approval
    from i18n.tracker.snapshot import database_url
    from i18n.workflow.reconcile import reconcile

    path = sorted((folder / "locales" / language / "articles").rglob("*.po"))[0]
    catalog = read_catalog(path)
    first = catalog.active_entries[0]
    text = f"{language} revised {round_} ({time.time_ns()})"  # new on a reused workspace too (--reuse)

    def retext(entry: Entry) -> Entry:
        return replace(entry, msgstr=text) if entry.key == first.key else entry

    write_catalog(replace(catalog, entries=tuple(retext(e) for e in catalog.entries)), path)
    workspace = Workspace.open(config=folder / "i18n.toml")
    reconcile(workspace, user="Benchmark Translator")
    tracker = open_tracker(database_url(workspace))
    try:
        with tracker.transaction() as session:
            record_approval(session, article=path.stem, language=language, key=first.key, source=first.msgid,
                               translation=(text,), reviewer="Benchmark Reviewer")
    finally:
        tracker.close()
    return path.stem


def timed_json(folder: Path, *args: str) -> tuple[float, int, dict[str, Any]]:
    """Seconds, exit code and ``--json`` report of one ``i18n`` process (exit 3, "not ready", is a result)."""
    run = timed([*I18N, "-C", str(folder), *args])
    if run.returncode not in (0, 3):
        raise BenchmarkError(f"i18n {' '.join(args)} exited with {run.returncode}:\n{run.stderr[-2000:]}")
    return run.seconds, run.returncode, json.loads(run.stdout)


def prepare(folder: Path, articles: int, format_: str, every: int) -> list[tuple[str, float]]:
    """Generate, sync, translate and approve the workspace (every ``every``-th article); the steps' times."""
    steps: list[tuple[str, float]] = []
    start = time.perf_counter()
    generate(folder, articles, ["ca"], force=True)
    with (folder / "i18n.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[mirrors.bench]\nlanguage = "ca"\nformat = "{format_}"\n'
                     'output = "build/mirrors/bench"\ntimezone = "Europe/Madrid"\n')
    checked("i18n sync", timed([*I18N, "-C", str(folder), "sync", "-q"]))
    steps.append(("generate + sync", time.perf_counter() - start))
    start = time.perf_counter()
    entries = translate_everything(folder, "ca", every)
    approved = approve_everything(folder, "ca", every)
    steps.append((f"translate {entries:,} entries, reconcile, approve {approved:,} through the API"
                  + (f" (every {every}th article)" if every > 1 else ""), time.perf_counter() - start))
    return steps


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--format", choices=["markdown", "json"], default="markdown")
    parser.add_argument("--runs", type=int, default=3, help="Runs per timing (the median is reported).")
    parser.add_argument("--keep", type=Path, help="Build the workspace in DIR and leave it there.")
    parser.add_argument("--reuse", type=Path, metavar="DIR",
                        help="Time the workspace a --keep run left in DIR: no setup, no cold run (it was published).")
    parser.add_argument("--approve-every", type=int, default=1, metavar="N",
                        help="Translate and approve every N-th article only (default 1: all; the others are "
                             "blocked, not approved): approving 50,000 articles through the API takes long.")
    options = parser.parse_args(argv)
    if options.approve_every < 1:
        parser.error("--approve-every must be at least 1")
    if options.reuse is not None and not (options.reuse / ".i18n").is_dir():
        parser.error(f"{options.reuse} holds no prepared workspace; prepare one with --keep")
    folder = options.reuse or options.keep or Path(tempfile.mkdtemp(prefix="i18n-publish-bench-"))
    os.environ.setdefault("I18N_USER", "Benchmark Publisher")
    if note := compile_package():
        print(note)
    try:
        steps: list[tuple[str, float]] = []
        publish = ("publish", "--as-of", "2026-11-21", "--json")
        if options.reuse is None:
            steps += prepare(folder, options.articles, options.format, options.approve_every)
            cold, cold_code, cold_report = timed_json(folder, *publish)
        else:  # published before: settle it (a one-article change may be pending), untimed
            cold, cold_code, cold_report = timed_json(folder, *publish)
            steps.append(("settling publish on the reused workspace (not a cold run)", cold))
        noops: list[float] = []
        for _ in range(options.runs):
            noop, noop_code, noop_report = timed_json(folder, *publish)
            noops.append(noop)
            if noop_report["mirrors"][0]["files"]["written"] or noop_report["mirrors"][0]["published"]:
                raise BenchmarkError("the second publish was not a no-op: it wrote or published something")
        ones: list[float] = []
        gated: list[int] = []
        for round_ in range(options.runs):
            changed = approve_one_anew(folder, "ca", round_)
            one, one_code, one_report = timed_json(folder, *publish)
            report = one_report["mirrors"][0]
            if report["updated"] != [changed]:
                raise BenchmarkError(f"the one-article change updated {report['updated']}, not [{changed}]")
            ones.append(one)
            gated.append(report["gated"])
        first = cold_report["mirrors"][0]
        again = noop_report["mirrors"][0]
        noop = statistics.median(noops)
        target = TARGET_NOOP_AT_SCALE if options.articles > 5000 else TARGET_NOOP
        for label, seconds in steps:
            print(f"{label:<72} {seconds:8.1f} s")
        cold_label = ("i18n publish, settling run (reused workspace)" if options.reuse is not None
                      else f"i18n publish, cold ({len(first['published'])} published)")
        print(f"{cold_label:<72} {cold:8.2f} s"
              f"  exit {cold_code}")
        print(f"{'i18n publish, no-op (' + str(len(again['unchanged'])) + ' unchanged, nothing written)':<72}"
              f" {noop:8.2f} s  exit {noop_code}  target < {target} s: "
              f"{'pass' if noop < target else 'FAIL'}  (median of {len(noops)})")
        regated = max(gated)
        print(f"{'i18n publish, one-article change (' + str(report['cached']) + ' from the cache)':<72}"
              f" {statistics.median(ones):8.2f} s  exit {one_code}  (median of {len(ones)})")
        print(f"one-article change re-gated {regated} article{'s' if regated != 1 else ''}")
        if regated != 1:
            raise BenchmarkError(f"a one-article change re-gated {regated} articles, not 1")
        return 0 if noop < target else 3
    except BenchmarkError as error:
        print(f"publish.py: {error}", file=sys.stderr)
        return 1
    finally:
        if options.keep is None and options.reuse is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
