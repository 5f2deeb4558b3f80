"""Benchmark machine pre-translation: throughput against deep-translator's own loop, the cache, Apertium.

1. 2,000 entries of a generated workspace through the fake LibreTranslate server
   (:mod:`tests.fake_libretranslate`, in its own process) with 100 ms latency per request: entries per second of
   :func:`i18n.workflow.pretranslate.pretranslate` against deep-translator's ``LibreTranslator.translate_batch``
   (a sequential loop, one request per text) on the same entries. Target: at least 10×.
2. The same run again on the reset catalogs, in a new call: the drafts come from the status tracker's
   persistent draft cache (``machine_drafts``), so the requests sent must be 0.
3. Apertium words per second on the bundled sample workspace (one ``apertium`` process per batch), and on
   the generated 2,000 entries.

Command line::

    python benchmarks/pretranslate.py [--entries 2000] [--latency 0.1] [--baseline-sample N] [--concurrency N]

``--baseline-sample N`` times deep-translator's loop on the first N entries only and extrapolates (the
full loop takes entries × latency: over 200 s for 2,000 entries).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate  # noqa: E402
from i18n.catalogs.pofile import read_catalog  # noqa: E402
from i18n.core.states import State  # noqa: E402
from i18n.core.workspace import Workspace  # noqa: E402
from i18n.machine.engines import default_config  # noqa: E402
from i18n.workflow.pretranslate import MemoryDraftCache, pretranslate  # noqa: E402
from i18n.workflow.reconcile import reconcile  # noqa: E402
from i18n.workflow.sync import sync  # noqa: E402


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


def baseline(url: str, texts: Sequence[str]) -> float:
    """Seconds deep-translator's own ``translate_batch`` takes for ``texts`` (its unpatched client)."""
    import requests
    from deep_translator import libre  # type: ignore[import-untyped]

    patched = libre.requests
    libre.requests = requests  # deep-translator exactly as shipped: no session, no timeout
    try:
        translator = libre.LibreTranslator(source="en", target="es", api_key="none", custom_url=url)
        translator.target = "ca"
        started = time.perf_counter()
        translator.translate_batch(list(texts))
        return time.perf_counter() - started
    finally:
        libre.requests = patched


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


def http_benchmark(entries: int, latency: float, sample: int | None, concurrency: int | None) -> None:
    with tempfile.TemporaryDirectory() as temp, server_process(latency) as url:
        root = Path(temp) / "ws"
        generate(root, articles=max(10, entries // 6), languages=["ca"], seed=0)
        with (root / "i18n.toml").open("a", encoding="utf-8") as handle:
            handle.write(f'\n[machine]\nengines = ["libretranslate"]\n[machine.libretranslate]\nurl = "{url}"\n')
            if concurrency is not None:
                handle.write(f"concurrency = {concurrency}\n")
        workspace = Workspace.open(root)
        sync(workspace)
        texts = untranslated_sources(workspace, entries)
        catalogs = {p: p.read_bytes() for p in (workspace.locales / "ca").rglob("*.po")}
        print(f"workspace: {len(texts)} entries ({len(set(texts))} distinct texts), latency {latency * 1000:.0f} ms")

        reconcile(workspace)  # the daily `i18n status` has recorded the catalogs already
        started = time.perf_counter()
        # With the status tracker, as `i18n pretranslate` runs: reconcile, draft, cache in machine_drafts,
        # reconcile the drafts.
        report = pretranslate(workspace, "ca", limit=entries, include_ui=False)
        ours = time.perf_counter() - started
        first_requests = requests_sent(url, reset=True)
        concurrency = concurrency or default_config("libretranslate").concurrency
        print(f"i18n pretranslate:        {ours:7.2f} s  {report.drafted / ours:8.1f} entries/s  "
              f"({first_requests} requests, concurrency {concurrency}, status {report.status}, "
              f"{len(report.failures)} failures)")

        for path, data in catalogs.items():
            path.write_bytes(data)
        started = time.perf_counter()
        again = pretranslate(workspace, "ca", limit=entries, include_ui=False)  # nothing held in memory
        second = time.perf_counter() - started
        print(f"second run (tracker):     {second:7.2f} s  {requests_sent(url)} requests sent, "
              f"{again.from_cache} entries from the persistent draft cache, {again.drafted} drafted")

        sampled = texts[:sample] if sample else texts
        seconds = baseline(url, sampled) * len(texts) / len(sampled)
        label = f"(measured on {len(sampled)}, extrapolated)" if sample else ""
        print(f"deep-translator loop:     {seconds:7.2f} s  {len(texts) / seconds:8.1f} entries/s {label}")
        print(f"speed-up:                 {seconds / ours:7.1f}x  (target >= 10x)")


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
    parser.add_argument("--baseline-sample", type=int, default=None)
    parser.add_argument("--concurrency", type=int, default=None,
                        help="requests in flight (default: the libretranslate engine's default, 16)")
    args = parser.parse_args(argv)
    http_benchmark(args.entries, args.latency, args.baseline_sample, args.concurrency)
    apertium_benchmark()
    apertium_at_scale(args.entries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
