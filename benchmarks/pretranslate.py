"""Benchmark machine pre-translation against deep-translator over the same fake engine (issue 14's targets).

At ``--entries`` entries (2,000 by default) of a generated workspace, through the fake LibreTranslate server
(:mod:`tests.fake_libretranslate`, in its own process) with ``--latency`` per request (100 ms), each figure
the median of ``--runs`` runs (3), all in the same run so that they share the machine's load:

* **pretranslate**: :func:`i18n.workflow.pretranslate.pretranslate` with the status tracker, as
  ``i18n pretranslate`` runs (reconcile, draft, cache the drafts in ``machine_drafts``, record the drafts), on a
  fresh copy of a workspace whose catalogs the tracker has recorded (the daily ``i18n status`` ran);
* **re-run**: the same call again at once on that copy (the entries drafted are not selected again; the
  limit picks the workspace's next untranslated entries, if any: their requests are printed);
* **reset catalogs, drafts from the cache** (issue 14's "re-run with nothing to send"): the catalogs put back as
  they were, in a new call: every draft comes from the tracker's persistent draft cache, 0 requests;
* **without the tracker**: the reset catalogs again with ``tracked=False`` and an in-memory draft cache: the
  engine path alone (no reconcile, no ``machine_drafts``), every text sent;
* anchor **bare thread pool**: deep-translator's ``LibreTranslator.translate`` exactly as shipped, one instance
  per thread, on a pool of the same concurrency, over the same texts pretranslate sends (each distinct
  text once), nothing else done;
* anchor **sequential translate_batch**: deep-translator's own batch loop (one request per text, one after
  the other), timed on the first ``--baseline-sample`` texts (200) and extrapolated to all of them (the full
  loop takes texts × latency: over 200 s for 2,000 texts).

Targets (issue 14): pretranslate >= 0.9 × the bare pool's speed; the run with nothing to send <= 1 s;
pretranslate >= 15 × the sequential loop. The figures go to ``--json`` (``build/bench/pretranslate.json``).
Then Apertium's words per second on the sample workspace and on the generated entries, when installed.

Command line::

    python benchmarks/pretranslate.py [--entries 2000] [--latency 0.1] [--runs 3] [--baseline-sample 200]
        [--concurrency 16] [--json PATH]
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate  # noqa: E402
from i18n.catalogs.pofile import read_catalog  # noqa: E402
from i18n.core.states import State  # noqa: E402
from i18n.core.workspace import Workspace  # noqa: E402
from i18n.machine.cache import MemoryDraftCache  # noqa: E402
from i18n.machine.engines import default_config  # noqa: E402
from i18n.workflow.pretranslate import pretranslate  # noqa: E402
from i18n.workflow.reconcile import RACY_SECONDS, reconcile  # noqa: E402
from i18n.workflow.sync import sync  # noqa: E402

#: Issue 14's targets.
POOL_RATIO_TARGET = 0.9
RERUN_TARGET_SECONDS = 1.0
SEQUENTIAL_RATIO_TARGET = 15.0


def untranslated_sources(workspace: Workspace, limit: int) -> list[str]:
    """The msgids ``pretranslate(limit=limit, include_ui=False)`` fills, in the same order."""
    texts: list[str] = []
    folder = workspace.locales / "ca" / "articles"
    for path in sorted(folder.glob("*/*.po")):
        for entry in read_catalog(path).entries:
            if len(texts) == limit:
                return texts
            if not entry.obsolete and entry.msgid and entry.state is State.UNTRANSLATED:
                texts.append(entry.msgid)
    return texts


@contextmanager
def shipped_deep_translator() -> Iterator[Any]:
    """deep-translator's LibreTranslate module exactly as shipped (i18n's engine patches in a session and
    timeouts): its plain ``requests`` calls, a fresh connection each."""
    import requests
    from deep_translator import libre  # type: ignore[import-untyped]

    patched = libre.requests
    libre.requests = requests
    try:
        yield libre
    finally:
        libre.requests = patched


def _translator(libre: Any, url: str) -> Any:
    translator = libre.LibreTranslator(source="en", target="es", api_key="none", custom_url=url)
    translator.target = "ca"  # deep-translator's table lacks Catalan (see i18n.machine.engines)
    return translator


def sequential(url: str, texts: Sequence[str]) -> float:
    """Seconds deep-translator's own ``translate_batch`` (a sequential loop) takes for ``texts``."""
    with shipped_deep_translator() as libre:
        translator = _translator(libre, url)
        started = time.perf_counter()
        translator.translate_batch(list(texts))
        return time.perf_counter() - started


def bare_pool(url: str, texts: Sequence[str], concurrency: int) -> float:
    """Seconds a bare pool of ``concurrency`` threads takes to send ``texts`` through deep-translator (one
    ``translate`` per text, one translator per thread, since it keeps request state on the instance)."""
    local = threading.local()
    with shipped_deep_translator() as libre:
        def one(text: str) -> str:
            if not hasattr(local, "translator"):
                local.translator = _translator(libre, url)
            return str(local.translator.translate(text))

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            results = list(pool.map(one, texts))
        seconds = time.perf_counter() - started
    assert len(results) == len(texts)
    return seconds


@contextmanager
def server_process(latency: float) -> Iterator[str]:
    """The fake server in its own process (as a real one would be: it does not share our GIL)."""
    process = subprocess.Popen([sys.executable, "-m", "tests.fake_libretranslate", "--latency", str(latency)],
                               cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def requests_sent(url: str, reset: bool = False) -> int:
    import requests

    count = int(requests.get(url + "_stats", timeout=5).json()["requests"])
    if reset:
        requests.get(url + "_reset", timeout=5)
    return count


def prepared_workspace(root: Path, entries: int, url: str, concurrency: int) -> list[str]:
    """A generated workspace at ``root``, synced and recorded by the tracker: the texts pretranslate sends."""
    generate(root, articles=max(10, entries // 6), languages=["ca"], seed=0)
    with (root / "i18n.toml").open("a", encoding="utf-8") as handle:
        handle.write(f'\n[machine]\nengines = ["libretranslate"]\n[machine.libretranslate]\nurl = "{url}"\n'
                     f"concurrency = {concurrency}\n")
    workspace = Workspace.open(root)
    sync(workspace)
    # The daily `i18n status` has recorded the catalogs already, not within the same clock tick as sync wrote
    # them (a file recorded within RACY_SECONDS of its change is read again by the next command).
    time.sleep(RACY_SECONDS + 0.1)
    reconcile(workspace)
    return untranslated_sources(workspace, entries)


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def http_benchmark(entries: int, latency: float, runs: int, sample: int, concurrency: int) -> dict[str, Any]:
    """Every figure of the HTTP benchmark, medians of ``runs`` runs; printed as it goes."""
    times: dict[str, list[float]] = {"pretranslate": [], "rerun": [], "from_cache": [], "untracked": [],
                                     "bare_pool": [], "sequential": []}
    facts: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as temp, server_process(latency) as url:
        template = Path(temp) / "template"
        texts = prepared_workspace(template, entries, url, concurrency)
        distinct = list(dict.fromkeys(texts))
        catalogs = {p.relative_to(template): p.read_bytes() for p in (template / "locales" / "ca").rglob("*.po")}
        print(f"workspace: {len(texts)} entries ({len(distinct)} distinct texts), latency {latency * 1000:.0f} ms, "
              f"concurrency {concurrency}, {runs} runs", flush=True)
        requests_sent(url, reset=True)
        for run in range(runs):
            root = Path(temp) / f"run{run}"
            shutil.copytree(template, root)  # copy2: the same mtimes, so the tracker's file index still matches
            run_once = functools.partial(pretranslate, Workspace.open(root), "ca", limit=entries, include_ui=False)
            seconds, report = timed(run_once)
            times["pretranslate"].append(seconds)
            facts.update(requests=requests_sent(url, reset=True), drafted=report.drafted, status=str(report.status),
                         failures=len(report.failures))
            seconds, again = timed(run_once)
            times["rerun"].append(seconds)
            facts.update(rerun_requests=requests_sent(url, reset=True), rerun_drafted=again.drafted)
            for rel, data in catalogs.items():
                (root / rel).write_bytes(data)
            seconds, cached = timed(run_once)
            times["from_cache"].append(seconds)
            facts.update(cache_requests=requests_sent(url, reset=True), from_cache=cached.from_cache,
                         cache_drafted=cached.drafted)
            for rel, data in catalogs.items():
                (root / rel).write_bytes(data)
            untracked = functools.partial(pretranslate, Workspace.open(root), "ca", limit=entries, include_ui=False,
                                          cache=MemoryDraftCache(), tracked=False)
            times["untracked"].append(timed(untracked)[0])
            requests_sent(url, reset=True)
            times["bare_pool"].append(bare_pool(url, distinct, concurrency))
            requests_sent(url, reset=True)
            sampled = distinct[:sample]
            times["sequential"].append(sequential(url, sampled) * len(distinct) / len(sampled))
            requests_sent(url, reset=True)
            shutil.rmtree(root)
            print(f"  run {run + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()), flush=True)
    medians = {name: statistics.median(values) for name, values in times.items()}
    ratios = {"pool_speed_ratio": medians["bare_pool"] / medians["pretranslate"],
              "sequential_speedup": medians["sequential"] / medians["pretranslate"]}
    ok = {"pool_speed_ratio": ratios["pool_speed_ratio"] >= POOL_RATIO_TARGET,
          "nothing_to_send_seconds": medians["from_cache"] <= RERUN_TARGET_SECONDS,
          "sequential_speedup": ratios["sequential_speedup"] >= SEQUENTIAL_RATIO_TARGET}
    mark = {True: "ok", False: "MISSED"}
    print(f"i18n pretranslate:                     {medians['pretranslate']:7.2f} s  "
          f"{facts['drafted'] / medians['pretranslate']:7.1f} entries/s  ({facts['requests']} requests, "
          f"status {facts['status']}, {facts['failures']} failures)")
    print(f"re-run (same command):                 {medians['rerun']:7.2f} s  ({facts['rerun_requests']} requests "
          f"for the next {facts['rerun_drafted']} entries)")
    print(f"nothing to send (reset catalogs, drafts from the cache): {medians['from_cache']:7.2f} s  "
          f"({facts['cache_requests']} requests, {facts['from_cache']} entries from the cache)  "
          f"target <= {RERUN_TARGET_SECONDS:.1f} s: {mark[ok['nothing_to_send_seconds']]}")
    print(f"without the tracker (engine path only): {medians['untracked']:7.2f} s  "
          f"({medians['bare_pool'] / medians['untracked']:.2f} x the bare pool's speed)")
    print(f"anchor: bare {concurrency}-thread pool, deep-translator: {medians['bare_pool']:7.2f} s")
    print(f"anchor: sequential translate_batch:    {medians['sequential']:7.2f} s  (measured on "
          f"{min(sample, len(distinct))} texts, extrapolated to {len(distinct)})")
    print(f"speed / bare pool's:                   {ratios['pool_speed_ratio']:7.2f}   target >= "
          f"{POOL_RATIO_TARGET}: {mark[ok['pool_speed_ratio']]}")
    print(f"speed-up over translate_batch:         {ratios['sequential_speedup']:7.1f}x  target >= "
          f"{SEQUENTIAL_RATIO_TARGET:.0f}x: {mark[ok['sequential_speedup']]}")
    return {"entries": len(texts), "distinct_texts": len(distinct), "latency": latency, "concurrency": concurrency,
            "runs": runs, "seconds": times, "medians": medians, "ratios": ratios, "targets_met": ok, **facts}


def apertium_benchmark() -> None:
    if shutil.which("apertium") is None:
        print("apertium: not installed (apt-get install apertium apertium-eng-cat); skipped")
        return
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "ws"
        root.mkdir()
        shutil.copy(REPO / "i18n.toml", root / "i18n.toml")
        shutil.copytree(REPO / "content", root / "content")
        shutil.copytree(REPO / "site", root / "site", ignore=shutil.ignore_patterns("__pycache__"))
        workspace = Workspace.open(root)
        sync(workspace)
        started = time.perf_counter()
        report = pretranslate(workspace, "ca", cache=MemoryDraftCache(), tracked=False)  # the engine alone
        seconds = time.perf_counter() - started
        engine = report.engines[0] if report.engines else None
        print(f"apertium (sample workspace): {report.words} words, {report.drafted} entries, "
              f"{engine.requests if engine else 0} process(es), {seconds:.2f} s: {report.words / seconds:.0f} words/s "
              f"({report.characters / seconds:.0f} characters/s), status {report.status}")


def apertium_at_scale(entries: int) -> None:
    """Apertium on a generated workspace of about ``entries`` entries: words per second at scale."""
    if shutil.which("apertium") is None:
        return
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "ws"
        generate(root, articles=max(10, entries // 6), languages=["ca"], seed=0)
        workspace = Workspace.open(root)
        sync(workspace)
        started = time.perf_counter()
        report = pretranslate(workspace, "ca", limit=entries, include_ui=False, cache=MemoryDraftCache(),
                              tracked=False)
        seconds = time.perf_counter() - started
        engine = report.engines[0] if report.engines else None
        print(f"apertium ({report.drafted} generated entries): {report.words} words, "
              f"{engine.requests if engine else 0} process(es), {seconds:.2f} s: {report.words / seconds:.0f} words/s, "
              f"status {report.status}, {len(report.failures)} failures")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=3, help="runs of each figure (the median is reported)")
    parser.add_argument("--baseline-sample", type=int, default=200,
                        help="texts the sequential translate_batch anchor is timed on (then extrapolated)")
    parser.add_argument("--concurrency", type=int, default=default_config("libretranslate").concurrency,
                        help="requests in flight, for pretranslate and the bare pool (default: the engine's, 16)")
    parser.add_argument("--json", type=Path, default=REPO / "build" / "bench" / "pretranslate.json",
                        help="where to write the figures")
    parser.add_argument("--no-apertium", action="store_true", help="skip the Apertium figures")
    args = parser.parse_args(argv)
    figures = http_benchmark(args.entries, args.latency, args.runs, args.baseline_sample, args.concurrency)
    if not args.no_apertium:
        apertium_benchmark()
        apertium_at_scale(args.entries)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"figures: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
