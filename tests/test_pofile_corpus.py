"""Real catalogs round-trip through our reader and writer as through ``msgcat`` (issue 15, point 5).

The corpus is ``tests/corpus`` (Django, Sphinx, polib's test files, some in other charsets, and one file
per msgcat-parity case; see its README). :func:`tools.corpus.check` reads and writes each and compares with
``msgcat --to-code=UTF-8``; ``.ci/run`` prints the same counts with ``tools/corpus.py check tests/corpus``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from i18n.catalogs.pofile import read_catalog
from i18n.catalogs.poformat import format_catalog
from tests.programs import require_program
from tools.corpus import check

CORPUS = Path(__file__).parent / "corpus"
PARITY = CORPUS / "parity"


def msgcat(path: Path) -> bytes:
    result = subprocess.run([require_program("msgcat"), "--force-po", "--to-code=UTF-8", str(path)],
                            capture_output=True, check=True)
    return result.stdout


def test_every_corpus_catalog_round_trips_as_msgcat_writes_it() -> None:
    report = check([CORPUS], require_program("msgcat"))
    print(report.summary())
    assert report.ok, report.summary()
    assert len(report.read) >= 45
    assert len(report.identical) == len(report.read) - len(report.known)
    assert set(report.known.values()) <= {"the header is written first", "flags gettext does not know are kept"}
    assert {p.name for p in report.refused} == {"test_syntax_error1.po", "test_ufeff.po"}  # msgcat refuses both too


def test_catalogs_in_other_charsets_are_read() -> None:
    charsets = {read_catalog(path).charset for path in (CORPUS / "charsets").glob("*.po")}
    assert charsets == {"EUC-JP", "EUC-KR", "KOI8-R", "ISO-8859-1", "ISO-8859-2", "ISO-8859-15"}


def test_polib_trailing_comment_file_is_accepted() -> None:
    path = CORPUS / "polib" / "test_trailing_comment.po"
    assert [e.msgid for e in read_catalog(path).entries] == ["foo"]
    assert format_catalog(read_catalog(path)).encode() == msgcat(path)


def test_msgcat_parity_cases() -> None:
    for name in ("malformed-references", "empty-flag-line", "header-reference", "header-only-fuzzy",
                 "trailing-comments", "several-flag-lines", "header-extracted-comment"):
        path = PARITY / f"{name}.po"
        assert format_catalog(read_catalog(path)).encode() == msgcat(path), name
    (entry,) = read_catalog(PARITY / "malformed-references.po").entries
    assert entry.references == ("a.md:1", "b", "c.md:x", "d.md::3", "e.md:2,f.md:3")
    assert read_catalog(PARITY / "empty-flag-line.po").entries[0].flags == ()
    assert read_catalog(PARITY / "header-reference.po").header_references == ("x.md:1",)


def test_a_header_that_is_not_first_is_written_first_a_documented_difference() -> None:
    path = PARITY / "header-not-first.po"
    ours = format_catalog(read_catalog(path)).encode()
    theirs = msgcat(path)
    assert ours.startswith(b'msgid ""\nmsgstr') and not theirs.startswith(b'msgid ""\nmsgstr')
    assert sorted(ours.rstrip(b"\n").split(b"\n\n")) == sorted(theirs.rstrip(b"\n").split(b"\n\n"))
