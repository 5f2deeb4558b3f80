"""Time reading large catalogs: the PO reader must be linear in the text (issue 15, point 1).

Two 50 MB catalogs, generated in memory (nothing is written):

* **one entry**: the header and one entry whose msgid and msgstr are one 25 MB paragraph each, wrapped
  as msgcat writes them (a one-paragraph article synced into a catalog). The reader used to grow fields
  with ``+=`` line by line, so this took minutes (an 8 MB entry took 36 s); target: <= 2 s.
* **many entries** (informational, target <= 2 s): 50 MB of short entries, the common real case. The
  strict line-by-line reader took about 20 s; the fast reader (:mod:`i18n.catalogs.poscan`) reads them
  with one regular expression per entry.

Each is parsed with :func:`i18n.catalogs.pofile.parse_catalog` (the text is already decoded; reading a
file that big is refused, see ``MAX_FILE_BYTES`` in workflow.md) and the result checked. Also timed: a 1, 2,
4 and 8 MB entry, to show the time grows linearly. With ``--strict``, each 50 MB text is also read by the
strict reader alone (:func:`i18n.catalogs.povalidate.validated_catalog`), for the ratio on this machine now.

Run: ``.venv/bin/python benchmarks/parse.py [--megabytes 50] [--strict]``.
Exit status: 0 if the one-entry target passed, 3 if it failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from i18n.catalogs.catalog import Catalog
from i18n.catalogs.pofile import parse_catalog
from i18n.catalogs.povalidate import validated_catalog

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
#: A line as msgcat wraps a paragraph: 77 columns between the quotes.
LINE = '"' + "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod te " + '"\n'
TARGET_SECONDS = 2.0


def one_entry(megabytes: float) -> tuple[str, int]:
    """A catalog of about ``megabytes`` MB: one entry, msgid and msgstr each half of it; and its line count."""
    lines = int(megabytes * 2**20 / 2 / len(LINE))
    body = LINE * lines
    return HEADER + 'msgid ""\n' + body + 'msgstr ""\n' + body, lines


def many_entries(megabytes: float) -> tuple[str, int]:
    """A catalog of about ``megabytes`` MB of short entries; and their number."""
    parts = [HEADER]
    size = 0
    count = 0
    while size < megabytes * 2**20:
        entry = f'msgid "A sentence of an article, number {count}."\nmsgstr "Una frase d\'un article, {count}."\n\n'
        parts.append(entry)
        size += len(entry)
        count += 1
    return "".join(parts), count


def timed_parse(text: str, reader: Callable[[str, Path], Catalog] = parse_catalog) -> tuple[float, int]:
    """Seconds to parse ``text`` (with ``reader``), and the number of entries read."""
    start = time.perf_counter()
    catalog = reader(text, Path("bench.po"))
    return time.perf_counter() - start, len(catalog.entries)


def strict_ratio(text: str, seconds: float) -> str:
    """The strict reader's time on ``text`` and how many times ``seconds`` it is."""
    strict, _ = timed_parse(text, validated_catalog)
    return f"; strict reader alone: {strict:.2f} s ({strict / seconds:.1f}x)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=50.0)
    parser.add_argument("--strict", action="store_true", help="also time the strict reader alone")
    args = parser.parse_args(argv)
    for size in (1, 2, 4, 8):
        text, _ = one_entry(size)
        seconds, _ = timed_parse(text)
        print(f"one entry, {size:>2} MB: {seconds:6.2f} s", file=sys.stderr)
    text, lines = one_entry(args.megabytes)
    seconds, entries = timed_parse(text)
    ok = entries == 1 and seconds <= TARGET_SECONDS
    print(f"one entry, {len(text) / 2**20:.0f} MB ({2 * lines} string lines): {seconds:.2f} s "
          f"(target <= {TARGET_SECONDS} s) {'ok' if ok else 'FAILED'}"
          + (strict_ratio(text, seconds) if args.strict else ""))
    text, count = many_entries(args.megabytes)
    seconds, entries = timed_parse(text)
    assert entries == count
    print(f"many entries, {len(text) / 2**20:.0f} MB ({count} entries): {seconds:.2f} s "
          f"(informational, target <= {TARGET_SECONDS} s)" + (strict_ratio(text, seconds) if args.strict else ""))
    return 0 if ok else 3


if __name__ == "__main__":
    sys.exit(main())
