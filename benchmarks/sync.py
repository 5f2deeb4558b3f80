"""Time whole ``i18n sync`` processes on a BPoD-scale workspace, beside msgmerge, pot2po and Babel.

The workload (issue 2, point 12): a generated workspace of 5,000 articles in 2 languages. Timed as whole
processes (interpreter start-up and imports included):

* **cold**: ``i18n sync`` on the fresh workspace (no templates, no catalogs, no index);
* **no-op, at once**: ``i18n sync`` again straight away. Files written less than the index's racy window
  (2 s) before they were recorded are re-checked, so this run shows what that re-check costs;
* **no-op, after sleep 2.5**: again once the window has passed;
* **no-op, steady state**: once more, straight away: what a daily run on a settled workspace costs;
* **one article changed**: one paragraph of one article edited, then ``i18n sync``.

Beside them, the same merge of the 5,000 per-article templates into the catalogs the cold sync made, per
language, written to a scratch folder (the workspace is not touched):

* GNU ``msgmerge --previous``, one process per file, two at a time (``xargs -P2``), ``OMP_NUM_THREADS=1``
  (without it msgmerge's idle threads make it several times slower);
* Translate Toolkit's ``pot2po`` over the folders, in one process per language. It is looked up in
  ``--ttk-venv`` / ``$TTK_VENV`` (default ``/tmp/ttk-venv``), a separate virtualenv, never the project's:
  ``python3 -m venv /tmp/ttk-venv && /tmp/ttk-venv/bin/pip install translate-toolkit``. Skipped if absent;
* Babel's ``read_po`` + ``Catalog.update`` + ``write_po``, in one process per language.

Each ``i18n`` row is the median of ``--runs`` runs (a cold run starts each time from the English sources
alone: templates, catalogs and ``.i18n/`` removed); each anchor the median of ``--anchor-runs`` runs (at
50,000 articles one msgmerge pass takes many minutes: ``make bench-scale`` runs it once). The ratios to
the anchors come from the same run. Peak memory is the maximum resident set size of each ``i18n``
process (``wait4``'s ``ru_maxrss``). The figures are also written as JSON (``--json-out``, default
``build/bench/sync-<articles>x<languages>.json``).

Run: ``.venv/bin/python benchmarks/sync.py [--articles 5000] [--languages ca,es] [--runs 3] [--keep DIR]``.
Exit status: 0 if every target passed, 3 if one failed, 1 if a tool failed, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate

REPO = Path(__file__).resolve().parent.parent
RACY_WAIT = 2.5
"""Seconds to wait so that the index's racy-timestamp window (2 s) has passed."""

COLD_VS_POT2PO = 0.5
"""Target: cold sync takes at most this fraction of pot2po's time for the same languages."""
COLD_VS_MSGMERGE = 0.3
"""Target (issue 14): cold sync takes at most this fraction of msgmerge's time for the same languages."""
NOOP_SECONDS = 0.5
"""Target: a no-op or one-article sync, as a whole process, takes less than this (5,000 articles)."""
NOOP_SECONDS_AT_SCALE = 1.0
"""Target (issue 14): the same at 50,000 articles × 2 languages."""
PEAK_MB = 300.0
"""Target: the peak resident memory of an ``i18n`` process stays under this."""
ANCHOR_TOOLS = ("msgmerge", "pot2po", "babel")
"""The merge tools timed beside ``i18n sync`` (``--anchors`` chooses among them)."""

ISSUE_FIGURES = "issue 2 measured, per language: msgmerge 9.8 s, pot2po 8.2 s, Babel Catalog.update 9.7 s"

_BABEL_UPDATE = """
import sys
from babel.messages.pofile import read_po, write_po
pairs = sys.stdin.read().split("\\0")
for catalog_path, template_path, out_path in zip(pairs[0::3], pairs[1::3], pairs[2::3]):
    with open(catalog_path, "rb") as f:
        catalog = read_po(f)
    with open(template_path, "rb") as f:
        template = read_po(f)
    catalog.update(template)
    with open(out_path, "wb") as f:
        write_po(f, catalog)
"""


@dataclass(frozen=True, slots=True)
class Run:
    """One timed process: wall-clock seconds, peak resident memory (MB), exit code, CPU seconds, output."""

    seconds: float
    peak_mb: float
    returncode: int
    cpu: float
    stdout: str
    stderr: str


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the results table."""

    label: str
    seconds: float | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Target:
    """A target of the issue and whether it was met (``passed`` is ``None`` when it could not be judged)."""

    label: str
    measured: str
    goal: str
    passed: bool | None


class BenchmarkError(Exception):
    """A tool the benchmark runs failed."""


BYTECODE_VARIABLE = "PYTHONDONTWRITEBYTECODE"


def user_environment(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """``env`` (default: this process's) without ``PYTHONDONTWRITEBYTECODE``: the children run as a user's do.

    With the variable set, Python neither writes nor keeps ``.pyc`` files for an editable install, so every
    timed ``i18n`` process would compile its own modules again (a user's install has them compiled).
    """
    result = dict(env if env is not None else os.environ)
    result.pop(BYTECODE_VARIABLE, None)
    return result


def compile_package() -> str | None:
    """Compile ``i18n``'s modules once (``python -m compileall -q i18n``) when bytecode writing is off here.

    Returns the note the benchmark prints, or ``None`` when the variable was not set (nothing done).
    """
    if not os.environ.get(BYTECODE_VARIABLE):
        return None
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "i18n")], check=True,
                   env=user_environment())
    return (f"note: {BYTECODE_VARIABLE} was set here; i18n's modules were compiled once (python -m compileall "
            f"-q i18n) and the timed processes run without the variable, as a user's install does")


def timed(command: Sequence[str], *, env: Mapping[str, str] | None = None, stdin: bytes | None = None,
          cwd: Path | None = None) -> Run:
    """Run ``command`` to completion; its wall-clock time and peak RSS (``wait4`` of that very process).

    The child runs without ``PYTHONDONTWRITEBYTECODE`` (:func:`user_environment`).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as inp:
        if stdin is not None:
            inp.write(stdin)
            inp.seek(0)
        start = time.perf_counter()
        process = subprocess.Popen(command, stdin=inp, stdout=out, stderr=err, cwd=cwd,
                                   env=user_environment(env))
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(seconds, usage.ru_maxrss / 1024, process.returncode, usage.ru_utime + usage.ru_stime,
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def checked(name: str, run: Run) -> Run:
    """``run`` if it exited 0; otherwise a :class:`BenchmarkError` with its stderr."""
    if run.returncode != 0:
        raise BenchmarkError(f"{name} exited with {run.returncode}:\n{run.stderr[-2000:]}")
    return run


def i18n_command(explicit: str | None) -> list[str]:
    """How to start ``i18n``: ``--i18n``, the repo's ``.venv``, ``i18n`` on PATH, or this Python's ``-m i18n``."""
    if explicit:
        return [explicit]
    venv = REPO / ".venv" / "bin" / "i18n"
    if venv.exists():
        return [str(venv)]
    found = shutil.which("i18n")
    return [found] if found else [sys.executable, "-m", "i18n"]


def babel_python(i18n: list[str]) -> str:
    """A Python that has Babel: the one beside the ``i18n`` script, else this one."""
    candidate = Path(i18n[0]).parent / "python"
    return str(candidate) if i18n[0] != sys.executable and candidate.exists() else sys.executable


def edit_one_article(path: Path) -> None:
    """Change one paragraph of one article: a sentence appended to the body's first paragraph."""
    lines = path.read_text(encoding="utf-8").split("\n")
    fences = [i for i, line in enumerate(lines) if line == "---"]
    first = next(i for i in range(fences[1] + 1, len(lines)) if lines[i].strip())
    lines[first] += " The benchmark added this sentence to change one paragraph."
    path.write_text("\n".join(lines), encoding="utf-8")


def merge_jobs(workspace: Path, language: str, out: Path) -> list[tuple[Path, Path, Path]]:
    """``(catalog, template, output)`` for every article template of the workspace, in one language."""
    templates = workspace / "locales" / "templates" / "articles"
    catalogs = workspace / "locales" / language.replace("-", "_") / "articles"
    if not catalogs.is_dir():
        catalogs = workspace / "locales" / language / "articles"
    jobs: list[tuple[Path, Path, Path]] = []
    for template in sorted(templates.glob("*/*.pot")):
        relative = template.relative_to(templates).with_suffix(".po")
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        jobs.append((catalogs / relative, template, target))
    if not jobs:
        raise BenchmarkError(f"no templates under {templates}")
    return jobs


def nul_joined(parts: Sequence[Path]) -> bytes:
    return b"\0".join(str(p).encode() for p in parts) + b"\0"


def time_msgmerge(jobs: list[tuple[Path, Path, Path]]) -> float:
    """msgmerge --previous on every job, two processes at a time, OMP_NUM_THREADS=1."""
    listing = nul_joined([p for catalog, template, out in jobs for p in (out, catalog, template)])
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    command = ["xargs", "-0", "-P2", "-n3", "msgmerge", "--quiet", "--previous", "-o"]
    return checked("msgmerge", timed(command, env=env, stdin=listing)).seconds


def time_pot2po(pot2po: Path, workspace: Path, language: str, out: Path) -> float:
    """pot2po over the template folder, with the existing catalogs as its templates, in one process."""
    catalogs = workspace / "locales" / language.replace("-", "_") / "articles"
    out.mkdir(parents=True, exist_ok=True)
    command = [str(pot2po), "--progress=none", "-t", str(catalogs),
               "-i", str(workspace / "locales" / "templates" / "articles"), "-o", str(out)]
    return checked("pot2po", timed(command)).seconds


def time_babel(python: str, jobs: list[tuple[Path, Path, Path]]) -> float:
    """Babel's read_po + Catalog.update + write_po over every job, in one process."""
    listing = nul_joined([p for job in jobs for p in job])
    return checked("Babel Catalog.update", timed([python, "-c", _BABEL_UPDATE], stdin=listing)).seconds


def summary(run: Run) -> str:
    """The first line of ``i18n sync``'s text report (what it did), shortened."""
    first = run.stdout.strip().split("\n")[0] if run.stdout.strip() else ""
    return first.split(" (")[0]


def median_run(runs: Sequence[Run]) -> Run:
    """The run with the median wall-clock time (the lower middle one for an even count)."""
    ordered = sorted(runs, key=lambda r: r.seconds)
    return ordered[(len(ordered) - 1) // 2]


def fresh(folder: Path) -> None:
    """Back to the English sources alone: templates, catalogs and the state folder removed."""
    shutil.rmtree(folder / "locales", ignore_errors=True)
    shutil.rmtree(folder / ".i18n", ignore_errors=True)
    os.sync()
    time.sleep(RACY_WAIT)


def benchmark(folder: Path, articles: int, languages: list[str], i18n: list[str], ttk_venv: Path,
              log: bool = True, runs: int = 3, anchor_runs: int = 3, *, reuse: bool = False, cold_runs: int = 0,
              anchor_tools: Sequence[str] = ANCHOR_TOOLS, anchor_languages: Sequence[str] | None = None
              ) -> tuple[list[Row], list[Target]]:
    """Generate the workspace in ``folder`` (or ``reuse`` the one there), run every measurement, and return
    the table and the targets. ``anchor_tools`` and ``anchor_languages`` narrow the anchors (at 50,000
    articles one msgmerge language takes many minutes): the ratios then compare per language."""

    def say(message: str) -> None:
        if log:
            print(message, file=sys.stderr, flush=True)

    if reuse:
        say(f"reusing the workspace in {folder} ...")
        made_articles = tuple(sorted((folder / "content").rglob("*.md")))
    else:
        say(f"generating {articles} articles × {','.join(languages)} in {folder} ...")
        made_articles = generate(folder, articles, languages, seed=0).articles
    sync = [*i18n, "-C", str(folder), "sync"]
    rows: list[Row] = []
    peaks: list[float] = []
    n = len(languages)

    def i18n_run(label: str, before: Callable[[], None] | None = None, times: int = runs) -> Run:
        measured: list[Run] = []
        for attempt in range(times):
            if before is not None:
                before()
            say(f"i18n sync: {label} ({attempt + 1}/{times}) ...")
            measured.append(checked(f"i18n sync ({label})", timed(sync)))
        run = median_run(measured)
        peaks.append(max(r.peak_mb for r in measured))
        rows.append(Row(f"i18n sync, {label}", run.seconds,
                        f"median of {times}; {run.peak_mb:.0f} MB, {run.cpu:.2f} s CPU; {summary(run)}"))
        return run

    # Let the kernel write back the generated archive first: creating 15,000 files right after 5,000
    # others were written measures the page cache's write-back, not i18n. Every cold run starts fresh.
    cold = i18n_run(f"cold, {n} languages", lambda: fresh(folder), cold_runs or runs)
    noop_now = i18n_run("no-op, at once")
    time.sleep(RACY_WAIT)
    noop = i18n_run(f"no-op, after sleep {RACY_WAIT}")
    steady = i18n_run("no-op, once more (steady state)")
    changed = i18n_run("one article changed", lambda: edit_one_article(made_articles[len(made_articles) // 2]))
    anchored = list(anchor_languages or languages)
    totals = anchors(folder, anchored, i18n, ttk_venv, rows, say, anchor_runs, anchor_tools)
    if len(anchored) != n:  # the anchors' figure for the same languages: their mean per language × n
        totals = {tool: None if total is None else total / len(anchored) * n for tool, total in totals.items()}
        rows.append(Row(f"anchors timed on {','.join(anchored)} only; ratios per language "
                        f"(cold sync / {n} against the mean of the timed languages)", None))
    for tool, total in totals.items():
        if total:
            rows.append(Row(f"cold sync {n} languages = {cold.seconds / total:.2f} × {tool}", None))
    return rows, targets(cold, noop_now, noop, steady, changed, totals, max(peaks), articles)


def anchors(folder: Path, languages: list[str], i18n: list[str], ttk_venv: Path, rows: list[Row],
            say: Callable[[str], None], runs: int, tools: Sequence[str] = ANCHOR_TOOLS
            ) -> dict[str, float | None]:
    """The same merges by msgmerge, pot2po and Babel (those in ``tools``), per language (medians of
    ``runs``); their totals (``None`` for a tool not run)."""
    scratch = Path(tempfile.mkdtemp(prefix="i18n-bench-merge-"))
    n = len(languages)
    try:
        pot2po = ttk_venv / "bin" / "pot2po"
        totals: dict[str, float | None] = {
            "msgmerge": 0.0 if "msgmerge" in tools else None,
            "pot2po": 0.0 if pot2po.exists() and "pot2po" in tools else None,
            "Babel": 0.0 if "babel" in tools else None}
        python = babel_python(i18n)

        def median_of(tool: str, language: str, measure: Callable[[Path, str], float]) -> float:
            say(f"{tool} ({language}) ...")
            times = []
            for attempt in range(runs):
                out = scratch / tool / f"{language}-{attempt}"
                times.append(measure(out, language))
                shutil.rmtree(out, ignore_errors=True)
            return statistics.median(times)

        for language in languages:
            if totals["msgmerge"] is not None:
                seconds = median_of("msgmerge", language,
                                    lambda out, lang: time_msgmerge(merge_jobs(folder, lang, out)))
                rows.append(Row(f"msgmerge --previous, {language} (xargs -P2, OMP_NUM_THREADS=1)", seconds,
                                f"median of {runs}"))
                totals["msgmerge"] += seconds
            if totals["pot2po"] is not None:
                seconds = median_of("pot2po", language,
                                    lambda out, lang: time_pot2po(pot2po, folder, lang, out))
                rows.append(Row(f"pot2po, {language} (one process)", seconds, f"median of {runs}"))
                totals["pot2po"] = (totals["pot2po"] or 0.0) + seconds
            if totals["Babel"] is not None:
                seconds = median_of("babel", language,
                                    lambda out, lang: time_babel(python, merge_jobs(folder, lang, out)))
                rows.append(Row(f"Babel read_po+update+write_po, {language} (one process)", seconds,
                                f"median of {runs}"))
                totals["Babel"] += seconds
        for tool, total in totals.items():
            missing = tool == "pot2po" and "pot2po" in tools and not pot2po.exists()
            rows.append(Row(f"{tool}, {n} languages", total,
                            "" if total is not None else
                            f"skipped: no {pot2po} (see --ttk-venv)" if missing else "skipped (--anchors)"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return totals


def targets(cold: Run, noop_now: Run, noop: Run, steady: Run, changed: Run, totals: Mapping[str, float | None],
            peak: float, articles: int) -> list[Target]:
    """The issues' targets, judged on this run's medians."""
    result: list[Target] = []
    for tool, limit in (("msgmerge", COLD_VS_MSGMERGE), ("pot2po", COLD_VS_POT2PO)):
        reference = totals.get(tool)
        if reference:
            result.append(Target(f"cold sync vs {tool}", f"{cold.seconds:.2f} s = {cold.seconds / reference:.2f} ×",
                                 f"≤ {limit} × {tool} ({limit * reference:.2f} s)",
                                 cold.seconds <= limit * reference))
        else:
            result.append(Target(f"cold sync vs {tool}", f"{cold.seconds:.2f} s", f"≤ {limit} × {tool}", None))
    limit = NOOP_SECONDS_AT_SCALE if articles > 5000 else NOOP_SECONDS
    for label, run in (("no-op sync, at once", noop_now), (f"no-op sync, after {RACY_WAIT} s", noop),
                       ("no-op sync, steady state", steady), ("one-article sync", changed)):
        result.append(Target(label, f"{run.seconds:.2f} s", f"< {limit} s", run.seconds < limit))
    result.append(Target("peak memory of i18n", f"{peak:.0f} MB", f"< {PEAK_MB:.0f} MB", peak < PEAK_MB))
    return result


def write_figures(path: Path, rows: list[Row], targets: list[Target], articles: int, languages: list[str],
                  load: tuple[float, float]) -> None:
    """The run's figures as JSON, for comparing runs and machines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "benchmark": "sync", "articles": articles, "languages": languages, "cpus": os.cpu_count(),
        "load_average": {"before": load[0], "after": load[1]},
        "rows": [{"label": r.label, "seconds": r.seconds, "note": r.note} for r in rows],
        "targets": [{"label": t.label, "measured": t.measured, "goal": t.goal, "passed": t.passed}
                    for t in targets],
    }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def render(rows: list[Row], targets: list[Target], articles: int, languages: list[str],
           load: tuple[float, float], *, issue_figures: str = ISSUE_FIGURES, digits: int = 2) -> str:
    """The results as a plain-text table; ``load`` is the 1-minute load average before and after.

    Shared by the benchmarks that time whole processes (:mod:`benchmarks.status` too): ``issue_figures``
    are the issue's own measurements, ``digits`` the decimals of the seconds.
    """
    width = max(len(r.label) for r in rows)
    lines = [f"Workload: {articles} articles × {len(languages)} languages ({','.join(languages)}); "
             f"{os.cpu_count()} CPUs; load average {load[0]:.1f} before, {load[1]:.1f} after"]
    if load[0] > 1.0 or load[1] > (os.cpu_count() or 1) + 0.5:  # the benchmark itself runs up to 2
        lines.append("WARNING: other processes competed for the CPUs; these figures are inflated")
    lines.append("")
    for row in rows:
        figure = f"{row.seconds:8.{digits}f} s" if row.seconds is not None else " " * 10
        lines.append(f"{row.label:<{width}}  {figure}  {row.note}".rstrip())
    lines += ["", f"({issue_figures})", ""]
    t_width = max(len(t.label) for t in targets)
    m_width = max(len(t.measured) for t in targets)
    g_width = max(len(t.goal) for t in targets)
    for target in targets:
        verdict = {True: "PASS", False: "FAIL", None: "SKIP"}[target.passed]
        lines.append(f"{target.label:<{t_width}}  {target.measured:>{m_width}}  "
                     f"target {target.goal:<{g_width}}  {verdict}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=5000, help="articles to generate (default 5000)")
    parser.add_argument("--languages", default="ca,es", help="target languages (default ca,es)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="generate the workspace in DIR (must not hold an i18n.toml) and keep it")
    parser.add_argument("--reuse", type=Path, metavar="DIR",
                        help="time the workspace generate.py (or a --keep run) left in DIR (same --articles "
                             "and --languages); every cold run starts again from its English sources")
    parser.add_argument("--anchors", default=",".join(ANCHOR_TOOLS),
                        help="merge tools timed beside i18n (default msgmerge,pot2po,babel; '' for none)")
    parser.add_argument("--anchor-languages", metavar="LANGS",
                        help="time the anchors on these languages only; the ratios then compare per language")
    parser.add_argument("--ttk-venv", type=Path, default=Path(os.environ.get("TTK_VENV", "/tmp/ttk-venv")),
                        help="virtualenv with translate-toolkit (default $TTK_VENV or /tmp/ttk-venv)")
    parser.add_argument("--i18n", help="the i18n executable (default: .venv/bin/i18n of this repo)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each i18n timing (the median is shown)")
    parser.add_argument("--anchor-runs", type=int, help="runs of each anchor tool (default: --runs)")
    parser.add_argument("--cold-runs", type=int, help="runs of the cold sync (default: --runs)")
    parser.add_argument("--json-out", type=Path, metavar="FILE",
                        help="write the figures here (default build/bench/sync-<articles>x<languages>.json)")
    args = parser.parse_args(argv)
    if args.runs < 1 or (args.anchor_runs is not None and args.anchor_runs < 1):
        parser.error("--runs and --anchor-runs must be at least 1")
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    if args.articles < 1 or not languages:
        parser.error("need at least one article and one language")
    if shutil.which("msgmerge") is None or shutil.which("xargs") is None:
        print("sync.py: msgmerge and xargs are needed (Debian packages gettext, findutils)", file=sys.stderr)
        return 2
    if args.keep is not None and (args.keep / "i18n.toml").exists():
        parser.error(f"{args.keep} already holds a workspace; choose an empty folder (or --reuse it)")
    if args.reuse is not None and not (args.reuse / "i18n.toml").exists():
        parser.error(f"{args.reuse} holds no workspace; generate one (benchmarks/generate.py or --keep)")
    tools = [tool.strip().lower() for tool in args.anchors.split(",") if tool.strip()]
    if unknown := set(tools) - set(ANCHOR_TOOLS):
        parser.error(f"unknown anchors {sorted(unknown)}; choose among {','.join(ANCHOR_TOOLS)}")
    anchor_languages = [code.strip() for code in (args.anchor_languages or "").split(",") if code.strip()]
    if not set(anchor_languages) <= set(languages):
        parser.error("--anchor-languages must be among --languages")
    folder = args.reuse or args.keep or Path(tempfile.mkdtemp(prefix="i18n-bench-"))
    note = compile_package()
    load_before = os.getloadavg()[0]
    try:
        rows, judged = benchmark(folder, args.articles, languages, i18n_command(args.i18n), args.ttk_venv,
                                 runs=args.runs, anchor_runs=args.anchor_runs or args.runs,
                                 reuse=args.reuse is not None, anchor_tools=tools, cold_runs=args.cold_runs or 0,
                                 anchor_languages=anchor_languages or None)
    except BenchmarkError as error:
        print(f"sync.py: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep is None and args.reuse is None:
            shutil.rmtree(folder, ignore_errors=True)
    load = (load_before, os.getloadavg()[0])
    if note:
        print(note)
    print(render(rows, judged, args.articles, languages, load))
    out = args.json_out or REPO / "build" / "bench" / f"sync-{args.articles}x{len(languages)}.json"
    write_figures(out, rows, judged, args.articles, languages, load)
    print(f"figures written to {out}")
    return 3 if any(t.passed is False for t in judged) else 0


if __name__ == "__main__":
    sys.exit(main())
