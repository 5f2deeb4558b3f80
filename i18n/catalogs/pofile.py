"""Reading and writing PO/POT files: the file-level entry points of the catalogs room.

Reading is strict (:mod:`i18n.catalogs.povalidate` checks every line and says where and how to fix the first
problem); :func:`parse_catalog` returns what the validator read, which polib's reading
(:mod:`i18n.catalogs.popolib`) matches. Writing is :func:`i18n.catalogs.poformat.format_catalog`, byte for
byte what GNU ``msgcat`` writes; :func:`write_catalog` writes one file, atomically and only when its bytes
change; ``i18n sync`` writes many at once with :class:`i18n.core.atomic.AtomicBatch`, from the same text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace
from pathlib import Path

from i18n.catalogs.catalog import Catalog
from i18n.catalogs.poformat import format_catalog
from i18n.catalogs.poscan import scanned_catalog
from i18n.catalogs.povalidate import validated_catalog
from i18n.core.atomic import unchanged, write_atomic
from i18n.core.collector import paused_gc
from i18n.core.errors import CatalogNotFound, EncodingError
from i18n.core.limits import check_size

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
    """The catalog in ``data``, the bytes of the file at ``path`` (see :func:`read_catalog` for the errors).

    The text is decoded in the charset the header declares, as msgfmt and msgconv do (ISO-8859-1, EUC-KR,
    KOI8-R, ...); a catalog read in another charset than UTF-8 comes back with ``charset`` naming it and its
    ``Content-Type`` saying UTF-8, which is what writing it produces. A file larger than
    :data:`i18n.core.limits.MAX_FILE_BYTES` is refused (:class:`FileTooLarge`).
    """
    check_size(data, path, "catalog")
    declared = declared_charset(data)
    codec = _codec(declared) if declared is not None else None
    if codec is None or codec == "utf-8":
        return parse_catalog(_decoded(data, path, "utf-8", "UTF-8"), path)
    assert declared is not None
    catalog = parse_catalog(_decoded(data, path, codec, declared), path)
    content_type = catalog.header("Content-Type") or ""
    content_type = _CHARSET_VALUE_RE.sub("charset=UTF-8", content_type, count=1)
    return replace(catalog.with_header("Content-Type", content_type), charset=declared)


#: The header's charset, as gettext reads it: ``charset=`` in the Content-Type field.
_CHARSET_RE = re.compile(rb'^"Content-Type:[^"\n]*?charset=([A-Za-z0-9._:+-]+)', re.MULTILINE | re.IGNORECASE)
_CHARSET_VALUE_RE = re.compile(r"charset=[A-Za-z0-9._:+-]+", re.IGNORECASE)
#: Where to look for the header: it is the first entry, after the file's comments.
_HEADER_SPAN = 1 << 16


def declared_charset(data: bytes) -> str | None:
    """The charset a PO file's header declares (``None`` if it declares none)."""
    found = _CHARSET_RE.search(data, 0, _HEADER_SPAN)
    return found.group(1).decode("ascii") if found is not None else None


def _codec(charset: str) -> str | None:
    """Python's codec for a declared charset; ``None`` for gettext's placeholder ``CHARSET`` or an unknown one.

    gettext only accepts charsets that keep ASCII as ASCII (its lexer reads the quotes and keywords as
    bytes): UTF-16 and UTF-32 are not PO charsets.
    """
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")) or "a\"" .encode(name, "replace") != b"a\"":
        return None
    return name


def _decoded(data: bytes, path: Path, codec: str, charset: str) -> str:
    """``data`` decoded with ``codec``; :class:`EncodingError` naming the line of the first bad byte."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        hint = ("convert the file to UTF-8, e.g. with `msgconv --to-code=UTF-8`" if codec == "utf-8" else
                f"fix the bytes, or the charset in the header if the file is not {charset}")
        raise EncodingError(f"not valid {charset} (byte 0x{data[exc.start]:02x})", path=path, line=line,
                            hint=hint) from None


def parse_catalog(text: str, path: Path) -> Catalog:
    """Parse PO/POT ``text`` (read from ``path``, which error messages name) into a :class:`Catalog`.

    A text in the usual layout (what msgcat, msgmerge and editors write) is read by the fast reader
    (:func:`i18n.catalogs.poscan.scanned_catalog`, a regular expression per entry, about 10 times faster);
    anything else, and every error, by the strict validator (:class:`i18n.catalogs.povalidate.Parser`),
    which reads every line and raises :class:`~i18n.core.errors.CatalogSyntaxError` at the first problem,
    with its line and a hint. Both give the same catalog, line numbers included, in time linear in the
    text. polib's reading (:func:`i18n.catalogs.popolib.polib_catalog`) gives the same catalog too (the
    tests check all three on random and real catalogs) but is not on this path: polib grows each field with
    ``+=`` line by line, quadratic on a long entry (an 8 MB entry took 36 s).
    """
    with paused_gc():
        catalog = scanned_catalog(text)
        return catalog if catalog is not None else validated_catalog(text, path)


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
