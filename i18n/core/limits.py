"""The size limit on the files i18n reads: sources (articles, feeds) and catalogs.

A PO reader that is linear in its input still hands every entry to merging, line breaking, the tracker
and the mirrors; a source or catalog of hundreds of megabytes (a pasted log, a generated file) would take
the memory and minutes of every later command. Files above the limit are refused before anything is
parsed or written, with an error naming the file (``workflow.md``, "Limits").
"""

from __future__ import annotations

from pathlib import Path

from i18n.core.errors import FileTooLarge

#: The largest source or catalog file i18n reads: 20 MiB. A long article's catalog is tens of kilobytes;
#: a catalog of every article of a site (the UI catalog aside, each article has its own) stays far below.
MAX_FILE_BYTES = 20 * 2**20


def check_size(data: bytes, path: Path | str, what: str) -> None:
    """Raise :class:`FileTooLarge` if ``data``, the bytes of ``what`` at ``path``, exceed the limit."""
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLarge(
            f"{what} too large: {len(data) / 2**20:.1f} MiB, the limit is {MAX_FILE_BYTES // 2**20} MiB",
            path=path, hint="split it into smaller files (see \"Limits\" in workflow.md)")
