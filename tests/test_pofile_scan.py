"""Tests for the fast reader (:func:`i18n.catalogs.poscan.scanned_catalog`), which ``parse_catalog`` tries first.

It must read exactly what the strict reader (``validated_catalog``) reads, line numbers included, and hand
every text it does not fully recognise (odd spellings gettext accepts, and every error) to the strict
reader, so that results and error messages stay the same (issue 15, point 1).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from i18n.catalogs.catalog import Catalog, Entry
from i18n.catalogs.pofile import parse_catalog
from i18n.catalogs.poformat import format_catalog
from i18n.catalogs.poscan import scanned_catalog
from i18n.catalogs.povalidate import validated_catalog
from i18n.core.errors import CatalogSyntaxError, EncodingError
from tests.test_pofile_polib import OddWriter, catalogs

PATH = Path("ca.po")
MAX_EXAMPLES = int(os.environ.get("PO_MAX_EXAMPLES", "150"))

USUAL = (
    '# Catalan translation.\n'
    'msgid ""\n'
    'msgstr ""\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
    '\n'
    '# a translator\'s note\n'
    '#. title of the article\n'
    '#: content/a.md:2 content/b.md\n'
    '#, fuzzy, c-format\n'
    '#| msgctxt "old"\n'
    '#| msgid "Old"\n'
    '#| "title"\n'
    'msgctxt "title"\n'
    'msgid ""\n'
    '"A \\"quoted\\" title, "\n'
    '"on two lines"\n'
    'msgstr "Un t\\303\\255tol\\n"\n'
    '\n'
    'msgid "one file"\n'
    'msgid_plural "%d files"\n'
    'msgstr[0] "un fitxer"\n'
    'msgstr[1] ""\n'
    '"%d fitxers"\n'
    '\n'
    'msgid "plain"\n'
    'msgstr "simple"\n'
    '\n'
    '#~| msgid "older"\n'
    '#~ msgid "gone"\n'
    '#~ msgstr ""\n'
    '#~ "desaparegut"\n'
)

USUAL_ENTRIES = (
    Entry(msgid='A "quoted" title, on two lines', msgstr="Un títol\n", msgctxt="title", flags=("fuzzy", "c-format"),
          translator_comments=("a translator's note",), extracted_comments=("title of the article",),
          references=("content/a.md:2", "content/b.md"), previous_msgctxt="old", previous_msgid="Oldtitle"),
    Entry(msgid="one file", msgid_plural="%d files", msgstr_plural=("un fitxer", "%d fitxers")),
    Entry(msgid="plain", msgstr="simple"),
    Entry(msgid="gone", msgstr="desaparegut", previous_msgid="older", obsolete=True),
)


def same_as_strict(text: str) -> Catalog:
    """``parse_catalog(text)``, checked to be what the strict reader reads (lines included)."""
    catalog = parse_catalog(text, PATH)
    reference = validated_catalog(text, PATH)
    assert catalog == reference
    assert [e.line for e in catalog.entries] == [e.line for e in reference.entries]
    return catalog


def test_the_usual_layout_is_read_by_the_fast_reader() -> None:
    scanned = scanned_catalog(USUAL)
    assert scanned is not None
    assert scanned.entries == USUAL_ENTRIES
    assert [e.line for e in scanned.entries] == [7, 20, 26, 29]
    assert scanned.header_comments == ("Catalan translation.",)
    assert scanned.headers == (("Content-Type", "text/plain; charset=UTF-8"),
                               ("Plural-Forms", "nplurals=2; plural=(n != 1);"))
    assert same_as_strict(USUAL) == scanned


def test_windows_line_ends_and_a_missing_last_newline_are_read_by_the_fast_reader() -> None:
    text = USUAL.replace("\n", "\r\n").removesuffix("\r\n")
    scanned = scanned_catalog(text)
    assert scanned is not None and scanned.entries == USUAL_ENTRIES
    assert [e.line for e in scanned.entries] == [7, 20, 26, 29]
    assert same_as_strict(text) == scanned
    assert scanned_catalog("\ufeff" + USUAL) == scanned  # a byte order mark is skipped, as the strict reader does


def test_a_short_entry_built_slot_by_slot_is_the_entry_the_constructor_builds() -> None:
    """The fast reader sets a short entry's slots itself: right only while Entry's __init__ does nothing more."""
    assert not hasattr(Entry, "__post_init__")
    (entry,) = scanned_catalog('\n\nmsgid "a"\nmsgstr "b"\n').entries  # type: ignore[union-attr]
    assert entry == Entry(msgid="a", msgstr="b") and entry.line == 3
    assert repr(entry) == repr(Entry(msgid="a", msgstr="b", line=3)) and hash(entry) == hash(Entry("a", "b"))


# Each: a valid spelling the fast reader does not read, and the entry gettext (and the strict reader) reads.
ODD_SPELLINGS = {
    "glued keyword": ('msgid"a"\nmsgstr "b"\n', Entry(msgid="a", msgstr="b")),
    "two spaces after a keyword": ('msgid  "a"\nmsgstr "b"\n', Entry(msgid="a", msgstr="b")),
    "tab after a keyword": ('msgid\t"a"\nmsgstr "b"\n', Entry(msgid="a", msgstr="b")),
    "two literals on a line": ('msgid "a" "c"\nmsgstr "b"\n', Entry(msgid="ac", msgstr="b")),
    "blank after the literal": ('msgid "a" \nmsgstr "b"\n', Entry(msgid="a", msgstr="b")),
    "indented keyword": ('  msgid "a"\nmsgstr "b"\n', Entry(msgid="a", msgstr="b")),
    "indented continuation": ('msgid "a"\nmsgstr "b"\n  "c"\n', Entry(msgid="a", msgstr="bc")),
    "backslash-newline": ('msgid "a"\nmsg\\\nstr "b"\n', Entry(msgid="a", msgstr="b")),
    "blank line inside an entry": ('msgid "a"\n\nmsgstr "b"\n', Entry(msgid="a", msgstr="b")),
    "carriage return alone on a line": ('msgid "a"\n\r\r\nmsgstr "b"\n', None),
    "glued obsolete marker": ('#~msgid "a"\n#~msgstr "b"\n', Entry(msgid="a", msgstr="b", obsolete=True)),
    "empty #~ line in an obsolete entry": ('#~ msgid "a"\n#~\n#~ msgstr "b"\n',
                                           Entry(msgid="a", msgstr="b", obsolete=True)),
    "comments after the last entry": ('msgid "a"\nmsgstr "b"\n\n# the end\n', Entry(msgid="a", msgstr="b")),
    "two literals after #|": ('#| msgid "x" "y"\nmsgid "a"\nmsgstr "b"\n',
                              Entry(msgid="a", msgstr="b", previous_msgid="xy")),
    "UTF-8 spelt across two literals": ('msgid "\\303" "\\251"\nmsgstr "b"\n', Entry(msgid="é", msgstr="b")),
}


@pytest.mark.parametrize("name", ODD_SPELLINGS)
def test_an_odd_spelling_is_handed_to_the_strict_reader(name: str) -> None:
    text, entry = ODD_SPELLINGS[name]
    assert scanned_catalog(text) is None
    if entry is None:  # a line holding a lone carriage return is stray text for gettext
        with pytest.raises(CatalogSyntaxError):
            parse_catalog(text, PATH)
        return
    assert same_as_strict(text).entries == (entry,)


def test_a_plural_form_numbered_with_a_leading_zero_is_read_by_both_readers_alike() -> None:
    text = 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[01] "bs"\n'
    assert scanned_catalog(text) is not None
    assert same_as_strict(text).entries == (Entry(msgid="a", msgid_plural="as", msgstr_plural=("b", "bs")),)


# Each: an invalid text (its first lines read well by the fast reader), with the line the error names.
ERRORS = {
    "comment inside an entry": ('msgid "z"\nmsgstr "y"\n\nmsgid "a"\n# note\nmsgstr "b"\n', 5),
    "duplicate": ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 4),
    "duplicate header": ('msgid ""\nmsgstr ""\n\nmsgid ""\nmsgstr ""\n', 4),
    "obsolete entry duplicating the header": ('msgid ""\nmsgstr ""\n\n#~ msgid ""\n#~ msgstr ""\n', 4),
    "misnumbered plural form": ('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[2] "bs"\n', 4),
    "invalid escape": ('msgid "z"\nmsgstr "y"\n\nmsgid "a\\q"\nmsgstr "b"\n', 4),
    "escapes that are not UTF-8": ('msgid "z"\nmsgstr "y"\n\nmsgid "a"\nmsgstr "\\377"\n', 5),
    "unterminated string": ('msgid "z"\nmsgstr "y"\n\nmsgid "a\nmsgstr "b"\n', 4),
    "msgid without msgstr": ('msgid "z"\nmsgstr "y"\n\nmsgid "a"\n\nmsgid "c"\nmsgstr "d"\n', 4),
    "obsolete and active lines mixed": ('#~ msgid "a"\nmsgstr "b"\n', 2),
    "#~| in an active entry": ('#~| msgid "x"\nmsgid "a"\nmsgstr "b"\n', 2),
    "#| msgctxt without #| msgid": ('#| msgctxt "x"\nmsgid "a"\nmsgstr "b"\n', 1),
    "stray text between entries": ('msgid "a"\nmsgstr "b"\nstray\n', 3),
}


@pytest.mark.parametrize("name", ERRORS)
def test_an_error_is_reported_by_the_strict_reader(name: str) -> None:
    text, line = ERRORS[name]
    assert scanned_catalog(text) is None
    with pytest.raises((CatalogSyntaxError, EncodingError)) as caught:
        parse_catalog(text, PATH)
    with pytest.raises(type(caught.value)) as strict:
        validated_catalog(text, PATH)
    assert caught.value.line == strict.value.line == line
    assert caught.value.message == strict.value.message and caught.value.hint == strict.value.hint


@pytest.mark.slow
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_the_fast_reader_reads_what_msgcat_writes_as_the_strict_reader_does(catalog: Catalog) -> None:
    text = format_catalog(catalog)
    scanned = scanned_catalog(text)
    if "\r" not in text:  # a raw carriage return inside a comment line is left to the strict reader
        assert scanned is not None
    if scanned is not None:
        assert scanned == validated_catalog(text, PATH)
        assert [e.line for e in scanned.entries] == [e.line for e in validated_catalog(text, PATH).entries]


@pytest.mark.slow
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs(), st.randoms(use_true_random=False))
def test_whatever_the_spelling_parse_catalog_reads_what_the_strict_reader_reads(catalog: Catalog,
                                                                                 rng: random.Random) -> None:
    same_as_strict(OddWriter(rng).write(catalog).text)
