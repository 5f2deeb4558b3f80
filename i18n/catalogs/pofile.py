"""Reading and writing PO/POT files: the file-level entry points of the catalogs room.

Reading is strict (:mod:`i18n.catalogs.povalidate` checks every line and says where and how to fix the first
problem); :func:`parse_catalog` returns what the validator read, which polib's reading
(:mod:`i18n.catalogs.popolib`) matches. Writing is :func:`i18n.catalogs.poformat.format_catalog`, byte for
byte what GNU ``msgcat`` writes; :func:`write_catalog` writes one file, atomically and only when its bytes
change; ``i18n sync`` writes many at once with :class:`i18n.core.atomic.AtomicBatch`, from the same text.
"""

from __future__ import annotations

from pathlib import Path

from i18n.catalogs.catalog import Catalog
from i18n.catalogs.poformat import format_catalog
from i18n.catalogs.popolib import polib_catalog
from i18n.core.atomic import unchanged, write_atomic
from i18n.core.errors import CatalogNotFound, EncodingError

__all__ = ["decode_catalog", "parse_catalog", "read_catalog", "write_catalog"]


def read_catalog(path: Path) -> Catalog:
    """Read the PO/POT file at ``path``.

    Raises :class:`CatalogNotFound` if it does not exist, :class:`EncodingError` (with the line) if it is
    not UTF-8, :class:`CatalogSyntaxError` (with the line) if it is not valid gettext syntax.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogNotFound(f"no such catalog: {path}", path=path,
                              hint="run `i18n sync` to create it, or check the path") from None
    except IsADirectoryError:
        raise CatalogNotFound(f"not a file: {path}", path=path,
                              hint="give the path of a .po/.pot file") from None
    return decode_catalog(data, path)


def decode_catalog(data: bytes, path: Path) -> Catalog:
    """The catalog in ``data``, the bytes of the file at ``path`` (see :func:`read_catalog` for the errors)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise EncodingError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", path=path, line=line,
                            hint="convert the file to UTF-8, e.g. with `msgconv --to-code=UTF-8`") from None
    return parse_catalog(text, path)


def parse_catalog(text: str, path: Path) -> Catalog:
    """Parse PO/POT ``text`` (read from ``path``, which error messages name) into a :class:`Catalog`.

    The validator (:class:`i18n.catalogs.povalidate.Parser`) reads every line first and raises
    :class:`~i18n.core.errors.CatalogSyntaxError` at the first problem, with its line and a hint; then
    polib decodes the text and its objects become our dataclasses (:mod:`i18n.catalogs.popolib`).
    """
    return polib_catalog(text, path)


def write_catalog(catalog: Catalog, path: Path) -> bool:
    """Write ``catalog`` to ``path`` atomically, formatted as msgcat would; return whether bytes changed.

    Returns ``False`` without touching the file (not even its mtime) when it already holds exactly these
    bytes, so re-runs write nothing. Otherwise :func:`i18n.core.atomic.write_atomic` writes a temporary file in
    the same folder (creating missing folders), fsyncs it and renames it over ``path``; on any error the
    temporary file is removed and the old file is left as it was.
    """
    data = format_catalog(catalog).encode("utf-8")
    if unchanged(path, data):
        return False
    write_atomic(path, data)
    return True
