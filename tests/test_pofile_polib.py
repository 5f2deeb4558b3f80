"""Tests for reading PO files through polib (:func:`i18n.catalogs.popolib.polib_catalog`).

``polib_catalog`` validates with our strict parser, decodes with polib and converts polib's objects to our
dataclasses. The properties check that it returns exactly what our validator alone builds
(``validated_catalog``, which :func:`i18n.catalogs.pofile.parse_catalog` returns) and what was written;
the other tests pin each polib quirk the conversion makes up
for: each first shows what polib itself does, then that we read the file right.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from i18n.catalogs.catalog import Catalog, Entry
from i18n.catalogs.pofile import parse_catalog
from i18n.catalogs.poformat import format_catalog
from i18n.catalogs.popolib import polib_catalog
from i18n.catalogs.povalidate import Parser, validated_catalog
from i18n.core.errors import CatalogSyntaxError

MAX_EXAMPLES = int(os.environ.get("PO_MAX_EXAMPLES", "150"))
PROPERTY_SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])
PATH = Path("ca.po")


def parsed(text: str) -> Catalog:
    """polib's reading of ``text``, checked against the validator's own (lines included), which
    ``parse_catalog`` returns."""
    catalog = polib_catalog(text, PATH)
    reference = parse_catalog(text, PATH)
    assert reference == validated_catalog(text, PATH)
    assert catalog == reference
    assert [e.line for e in catalog.entries] == [e.line for e in reference.entries]
    return catalog


def polib_reads(text: str) -> polib.POFile:
    """What polib alone makes of ``text``."""
    return polib.pofile(text, encoding="utf-8")


# ---------------------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------------------

# Characters polib is sensitive to: the ones str.splitlines() breaks at, escapes it does not know (\a and
# what we write as octal/hex), quotes, backslashes, "#", white space, and ordinary text.
CHARS = st.sampled_from([
    "a", "b", "z", " ", "  ", "\t", "\n", "\r", "\x0b", "\x0c", "\x07", "\x08", "\x1c", "\x1d", "\x1e", "\x1f",
    "\x85", "\u2028", "\u2029", "\xa0", "\\", '"', "#", "#~", "#|", ",", ":", "·", "é", "中", "😀", "0", "7",
    "msgid", "%s", "\ue000",
])
STRINGS = st.lists(CHARS, max_size=12).map("".join)
# Comment text: one line (no "\n"), not ending in "\r" (a line end) or "\\" (which joins the next line).
COMMENT_TEXT = STRINGS.map(lambda s: s.replace("\n", " ")).filter(lambda s: not s.endswith(("\r", "\\")))
TOKEN = st.text(st.sampled_from("abcxyz019._-/é中:"), min_size=1, max_size=8)
#: References as gettext reads them: a file name, and a line number written as a number (``d.md: :3``
#: reads as ``d.md::3`` and ``a.md:007`` as ``a.md:7``, so such spellings would not read back as written).
REFERENCES = st.lists(st.builds(lambda name, line: name if line is None else f"{name}:{line}",
                                st.text(st.sampled_from("abcxyz019._-/é中"), min_size=1, max_size=8),
                                st.one_of(st.none(), st.integers(0, 99999))), max_size=4).map(tuple)
FLAGS = st.lists(st.sampled_from(["fuzzy", "c-format", "python-format", "no-wrap", "x-é"]), max_size=3,
                 unique=True).map(tuple)
COMMENTS = st.lists(COMMENT_TEXT, max_size=3).map(tuple)


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    """A random entry, including what polib reads wrong (see the module docstring of i18n.catalogs.popolib)."""
    plural = draw(st.booleans())
    obsolete = draw(st.integers(0, 5)) == 0
    previous = draw(st.one_of(st.none(), STRINGS))
    forms = draw(st.sampled_from([2, 2, 3, 12])) if plural else 0
    msgctxt = draw(st.one_of(st.none(), STRINGS))
    msgid = draw(STRINGS)
    if msgctxt is None and not msgid:
        msgid = "x"  # msgid "" without msgctxt is the header
    return Entry(
        msgid=msgid,
        msgstr="" if plural else draw(STRINGS),
        msgctxt=msgctxt,
        msgid_plural=draw(STRINGS) if plural else None,
        msgstr_plural=tuple(draw(STRINGS) for _ in range(forms)),
        flags=draw(FLAGS),
        translator_comments=draw(COMMENTS),
        extracted_comments=draw(COMMENTS),
        references=draw(REFERENCES),
        previous_msgid=previous,
        previous_msgctxt=draw(st.one_of(st.none(), STRINGS)) if previous is not None else None,
        previous_msgid_plural=draw(st.one_of(st.none(), STRINGS)) if previous is not None else None,
        obsolete=obsolete,
    )


HEADER_NAME = st.text(st.sampled_from("ABCXabc-"), min_size=1, max_size=6)
HEADER_VALUE = STRINGS.map(lambda s: s.replace("\n", " "))


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    """A random catalog: maybe a header (repeated fields, comments, flags), then unique entries."""
    generated = draw(st.lists(entries(), max_size=6, unique_by=lambda e: (e.msgctxt, e.msgid)))
    if not draw(st.booleans()):
        return Catalog(entries=tuple(generated))
    names = draw(st.lists(HEADER_NAME, min_size=1, max_size=4))
    return Catalog(headers=tuple((name, draw(HEADER_VALUE)) for name in [*names, names[0]]),
                   header_comments=draw(COMMENTS), header_flags=draw(FLAGS), entries=tuple(generated))


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(catalogs())
def test_polib_reading_of_formatted_catalogs_matches_the_validator(catalog: Catalog) -> None:
    text = format_catalog(catalog)
    parsed(text)


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(catalogs(), st.randoms(use_true_random=False))
def test_polib_reading_of_any_spelling_matches_what_was_written(catalog: Catalog, rng: random.Random) -> None:
    """Write ``catalog`` in a random valid spelling (odd escapes, glued keywords, ...) and read it back."""
    written = OddWriter(rng).write(catalog)
    read = parsed(written.text)
    assert read == catalog, written.text
    assert [e.line for e in read.entries] == written.lines


@dataclass
class Written:
    """A PO text and the first line of each of its entries."""

    text: str
    lines: list[int]


class OddWriter:
    """Writes a catalog in any of the spellings gettext accepts, chosen at random.

    Strings use raw characters or their escapes (simple, octal or hex bytes), are cut into several literals
    on one line or on continuation lines; keywords and comment markers are sometimes glued to what follows;
    lines are sometimes cut with a backslash-newline; empty ``#~`` lines appear in obsolete entries.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.out: list[str] = []

    def chance(self, percent: int) -> bool:
        """True ``percent`` % of the time."""
        return self.rng.randrange(100) < percent

    def write(self, catalog: Catalog) -> Written:
        """The text of ``catalog``."""
        lines: list[int] = []
        if catalog.headers or catalog.header_comments or catalog.header_flags:
            msgstr = "".join(f"{name}: {value}\n" for name, value in catalog.headers)
            self.entry(Entry(msgid="", msgstr=msgstr, flags=catalog.header_flags,
                             translator_comments=catalog.header_comments))
        for entry in catalog.entries:
            lines.append(len(self.out) + 1)
            self.entry(entry)
        if self.chance(20):  # backslash-newline: gettext joins the lines
            cuttable = [n for n, line in enumerate(self.out) if len(line) > 2 and not line.startswith("#")]
            if cuttable:
                number = self.rng.choice(cuttable)
                line = self.out[number]
                cut = self.rng.randrange(1, len(line))
                self.out[number:number + 1] = [line[:cut] + "\\", line[cut:]]
                lines = [n + 1 if n > number + 1 else n for n in lines]
        return Written("\n".join(self.out) + "\n", lines)

    def entry(self, entry: Entry) -> None:
        """Append the lines of one entry (then a blank line)."""
        out = self.out
        for comment in entry.translator_comments:
            glue = not comment[:1].isspace() and comment[:1] not in ("", ".", ":", ",", "|", "~")
            out.append("#" + ("" if glue and self.chance(30) else " ") + comment)
        for comment in entry.extracted_comments:
            glue = bool(comment) and not comment[:1].isspace()
            out.append("#." + ("" if glue and self.chance(30) else " ") + comment)
        if entry.references:
            out.append("#:" + self.rng.choice(["", " ", "\t"]) + " ".join(entry.references))
        if entry.flags:
            out.append("#," + self.rng.choice(["", " ", "  "]) + self.rng.choice([",", ", ", " , "]).join(entry.flags))
        prefix = "#~" if entry.obsolete else ""
        previous_prefix = "#~|" if entry.obsolete else "#|"
        for name, value in (("msgctxt", entry.previous_msgctxt), ("msgid", entry.previous_msgid),
                            ("msgid_plural", entry.previous_msgid_plural)):
            if value is not None:
                self.field(previous_prefix + self.rng.choice([" ", "", "\t"]), name, value, continuation=False)
        keyword_prefix = prefix + (self.rng.choice([" ", "", "\t "]) if prefix else "")
        if entry.msgctxt is not None:
            self.field(keyword_prefix, "msgctxt", entry.msgctxt)
        self.field(keyword_prefix, "msgid", entry.msgid)
        if entry.obsolete and self.chance(20):
            out.append(self.rng.choice(["#~", "#~ ", "#~\t"]))  # gettext ignores it, polib stops at it
        if entry.msgid_plural is not None:
            self.field(keyword_prefix, "msgid_plural", entry.msgid_plural)
            for index, form in enumerate(entry.msgstr_plural):
                number = f"0{index}" if self.chance(10) else str(index)
                self.field(keyword_prefix, f"msgstr[{number}]", form)
        else:
            self.field(keyword_prefix, "msgstr", entry.msgstr)
        out.append("")

    def field(self, prefix: str, keyword: str, value: str, *, continuation: bool = True) -> None:
        """Append ``keyword`` and ``value`` as one or more lines starting with ``prefix``."""
        pieces = self.pieces(value)
        if continuation and len(pieces) > 1 and self.chance(50):
            separator = prefix + ("" if not prefix or prefix.endswith((" ", "\t")) else " ")
            self.out.append(f"{prefix}{keyword} {self.literals(pieces[:1])}")
            for piece in pieces[1:]:
                self.out.append(separator + self.literals([piece]))
            return
        space = "" if self.chance(20) else self.rng.choice([" ", "\t", "  "])
        self.out.append(f"{prefix}{keyword}{space}{self.literals(pieces)}")

    def pieces(self, value: str) -> list[str]:
        """``value`` cut at random places (at least one piece)."""
        if not value or self.chance(50):
            return [value]
        cuts = sorted(self.rng.sample(range(len(value) + 1), k=min(2, len(value) + 1)))
        return [value[:cuts[0]], value[cuts[0]:cuts[-1]], value[cuts[-1]:]]

    def literals(self, pieces: list[str]) -> str:
        """``pieces`` as string literals on one line."""
        return self.rng.choice([" ", "", "\t"]).join(f'"{self.escape(piece)}"' for piece in pieces)

    def escape(self, value: str) -> str:
        """``value`` with each character written raw or escaped, at random."""
        out: list[str] = []
        for position, char in enumerate(value):
            simple = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\x07": "\\a", "\x08": "\\b", "\x0c": "\\f",
                      "\x0b": "\\v", '"': '\\"', "\\": "\\\\"}.get(char)
            following = value[position + 1:position + 2]
            roll = self.rng.randrange(4)
            if char in '"\\\n' and roll == 0:
                roll = 1
            if roll == 0:
                out.append(char)
            elif roll == 1 and simple is not None:
                out.append(simple)
            elif roll == 2 or (following and following in "0123456789abcdefABCDEF"):
                out.append("".join(f"\\{byte:03o}" for byte in char.encode("utf-8")))
            else:
                out.append("".join(f"\\x{byte:02x}" for byte in char.encode("utf-8")))
        return "".join(out)


# ---------------------------------------------------------------------------------------------------------
# polib's quirks, one by one
# ---------------------------------------------------------------------------------------------------------

HEADER = 'msgid ""\nmsgstr ""\n"Language: ca\\n"\n\n'


def test_previous_fields_of_obsolete_entries() -> None:
    text = HEADER + '#~| msgctxt "old"\n#~| msgid "Older"\n#~ msgid "Gone"\n#~ msgstr "Anat"\n'
    (theirs,) = polib_reads(text).obsolete_entries()
    assert theirs.previous_msgid is None  # polib skips "#~|" lines
    (entry,) = parsed(text).entries
    assert (entry.previous_msgctxt, entry.previous_msgid, entry.obsolete) == ("old", "Older", True)
    assert entry.line == 5  # where the entry starts, not polib's linenum (the "#~ msgid" line)
    assert theirs.linenum == 7


def test_glued_obsolete_markers_and_bare_obsolete_lines() -> None:
    text = HEADER + '#~|msgid "Older"\n#~msgid "Gone"\n#~\n#~msgstr "Anat"\n'
    with pytest.raises(OSError, match="Syntax error"):
        polib_reads(text)
    (entry,) = parsed(text).entries
    assert entry == Entry(msgid="Gone", msgstr="Anat", previous_msgid="Older", obsolete=True)


def test_comments_polib_strips_or_drops() -> None:
    text = '#\n# first\n#. \n#. extracted  \n# trailing \n#.\tindented\nmsgid "a"\nmsgstr "b"\n'
    theirs = polib_reads(text)
    assert theirs.header == "first"  # the empty first line is gone, and these are the entry's comments
    assert theirs[0].tcomment == "trailing"  # stripped
    assert theirs[0].comment == "extracted\nindented"  # stripped, "#. " skipped, tab eaten
    (entry,) = parsed(text).entries
    assert entry.translator_comments == ("", "first", "trailing ")
    assert entry.extracted_comments == ("", "extracted  ", "\tindented")


def test_comments_with_special_characters() -> None:
    text = ("# Header\n#\n# #hashtag\n#, fuzzy\n" + HEADER
            + "##double\n#tight\n#\tindented\n# a\x85b\u2028c\x0cd\re\n#. x\x1cy\nmsgid \"a\"\nmsgstr \"b\"\n")
    with pytest.raises(OSError, match="Syntax error"):
        polib_reads(text)  # "#tight", and the lines str.splitlines() cuts
    catalog = parsed(text)
    assert catalog.header_comments == ("Header", "", "#hashtag")
    (entry,) = catalog.entries
    assert entry.translator_comments == ("#double", "tight", "\tindented", "a\x85b\u2028c\x0cd\re")
    assert entry.extracted_comments == ("x\x1cy",)
    assert entry.line == 9


def test_header_comments_keep_their_tab() -> None:
    text = "#\tfirst\n" + HEADER
    assert polib_reads(text).header == "first"
    assert parsed(text).header_comments == ("\tfirst",)


def test_raw_carriage_returns_and_line_separators_in_strings() -> None:
    text = HEADER + 'msgid "a\rb\u2028c"\nmsgstr "x\x85y\x1ez"\n'
    with pytest.raises(OSError, match="Syntax error"):
        polib_reads(text)
    (entry,) = parsed(text).entries
    assert (entry.msgid, entry.msgstr) == ("a\rb\u2028c", "x\x85y\x1ez")


def test_crlf_line_ends() -> None:
    text = (HEADER + '# note\nmsgid "a\\r"\nmsgstr "b"\n').replace("\n", "\r\n")
    (entry,) = parsed(text).entries
    assert (entry.msgid, entry.translator_comments) == ("a\r", ("note",))


def test_escapes_polib_does_not_decode() -> None:
    text = HEADER + 'msgid "\\a\\b\\f\\v\\t\\r\\n"\nmsgstr "caf\\303\\251 \\x41\\101 \\\\a"\n'
    (theirs,) = polib_reads(text)
    assert theirs.msgid == "\\a\b\f\v\t\r\n"  # \a left as it is
    assert theirs.msgstr == "caf\\303\\251 \\x41\\101 \\a"
    (entry,) = parsed(text).entries
    assert entry.msgid == "\a\b\f\v\t\r\n"
    assert entry.msgstr == "café AA \\a"


def test_escaped_line_separators() -> None:
    text = HEADER + 'msgid "a\\302\\205b\\342\\200\\250c"\nmsgstr ""\n'
    (entry,) = parsed(text).entries
    assert entry.msgid == "a\x85b\u2028c"


def test_header_with_repeated_fields() -> None:
    text = ('msgid ""\nmsgstr ""\n"Project-Id-Version: site\\n"\n"X-Twice: 1\\n"\n"X-Twice:  2 \\n"\n'
            '"Language: ca\\n"\n')
    assert polib_reads(text).metadata == {"Project-Id-Version": "site", "X-Twice": "2", "Language": "ca"}
    assert parsed(text).headers == (("Project-Id-Version", "site"), ("X-Twice", "1"), ("X-Twice", " 2 "),
                                    ("Language", "ca"))


def test_several_literals_on_one_line() -> None:
    text = HEADER + '#| msgid "old" " text"\nmsgid "a" "b"\nmsgstr "c"\n'
    with pytest.raises(OSError, match="unescaped double quote"):
        polib_reads(text)
    assert polib_reads(HEADER + '#| msgid "old" " text"\nmsgid "ab"\nmsgstr "c"\n')[0].previous_msgid == \
        'old" " text'  # silently garbled
    (entry,) = parsed(text).entries
    assert (entry.previous_msgid, entry.msgid) == ("old text", "ab")


def test_each_literal_is_decoded_on_its_own_as_msgcat_does() -> None:
    # msgcat reads msgid "\x41" "a" "\303" "\251" as "Aaé": a hex escape ends with its literal, and
    # octal/hex escapes are bytes, which may spell one UTF-8 character across literals.
    text = HEADER + 'msgid "\\x41" "a" "\\303" "\\251"\nmsgstr ""\n'
    (entry,) = parsed(text).entries
    assert entry.msgid == "Aaé"


def test_keywords_glued_to_their_string() -> None:
    text = HEADER + '#|msgid"old"\nmsgid"a"\nmsgstr\t"b"\n'
    with pytest.raises(OSError, match="Syntax error"):
        polib_reads(text)
    (entry,) = parsed(text).entries
    assert (entry.previous_msgid, entry.msgid, entry.msgstr) == ("old", "a", "b")


def test_backslash_newline() -> None:
    text = HEADER + 'msgid "ab\\\ncd"\nmsgstr "x"\n\nmsgid "e"\nmsgstr "f"\n'
    with pytest.raises(OSError, match="Syntax error"):
        polib_reads(text)
    first, second = parsed(text).entries
    assert (first.msgid, first.line, second.line) == ("abcd", 5, 9)


def test_plural_forms_from_ten_on() -> None:
    forms = "".join(f'msgstr[{n}] "form {n}"\n' for n in range(12))
    text = HEADER + 'msgid "one"\nmsgid_plural "many"\n' + forms
    (theirs,) = polib_reads(text)
    assert theirs.msgstr_plural[1] == "form 11"  # msgstr[10] and msgstr[11] were read as msgstr[1]
    (entry,) = parsed(text).entries
    assert entry.msgstr_plural == tuple(f"form {n}" for n in range(12))


def test_plural_forms_in_order_and_empty_msgid_plural() -> None:
    text = HEADER + 'msgid "one"\nmsgid_plural ""\nmsgstr[0] "u"\nmsgstr[01] "dos"\n\nmsgid "x"\nmsgstr ""\n'
    plural, single = parsed(text).entries
    assert (plural.msgid_plural, plural.msgstr_plural) == ("", ("u", "dos"))
    assert polib_reads(text)[1].msgid_plural == ""  # no msgid_plural, but polib says ""
    assert single.msgid_plural is None and single.msgstr_plural == ()


def test_references_and_flags() -> None:
    text = (HEADER + '#: a.md:1 b.md no-line.md: c:d:4\n#:x.md:2\n#, fuzzy, , c-format\n#,no-wrap\n'
            'msgid "a"\nmsgstr "b"\n')
    (entry,) = parsed(text).entries
    assert entry.references == ("a.md:1", "b.md", "no-line.md:", "c:d:4", "x.md:2")
    assert entry.flags == ("no-wrap",)  # as in gettext, the last "#," line replaces the ones before
    (one_line,) = parsed(text.replace("#,no-wrap\n", "")).entries
    assert one_line.flags == ("fuzzy", "c-format")
    assert polib_reads(text.replace("#:x.md:2\n", "").replace("#,no-wrap\n", ""))[0].flags == \
        ["fuzzy", "", "c-format"]


def test_header_comments_go_to_the_first_entry_without_a_header() -> None:
    text = '# about a\n#. extracted\n# more\nmsgid "a"\nmsgstr "b"\n\n# about c\nmsgid "c"\nmsgstr "d"\n'
    theirs = polib_reads(text)
    assert (theirs.header, theirs[0].tcomment, theirs[0].linenum) == ("about a", "more", 0)
    first, second = parsed(text).entries
    assert first.translator_comments == ("about a", "more") and first.line == 1
    assert second.translator_comments == ("about c",) and second.line == 7


def test_an_empty_msgid_with_context_is_not_the_header() -> None:
    text = 'msgctxt "field"\nmsgid ""\nmsgstr "x"\n'
    assert len(polib_reads(text)) == 0  # taken for the header
    catalog = parsed(text)
    assert catalog.headers == () and catalog.entries == (Entry(msgid="", msgstr="x", msgctxt="field"),)


def test_a_catalog_text_is_never_taken_for_a_file_name(tmp_path: Path) -> None:
    text = 'msgid "a"\nmsgstr "b"\n'
    (tmp_path / text).write_text('msgid "other"\nmsgstr ""\n', encoding="utf-8")
    assert os.path.isfile(tmp_path / text)  # polib would read this file instead of the text
    assert not os.path.isfile(tmp_path / Parser(text, PATH).polib_text())
    assert parsed(text).entries == (Entry(msgid="a", msgstr="b"),)


def test_empty_texts_skip_polib() -> None:
    assert polib_catalog("", PATH) == Catalog()
    assert polib_catalog("\n\n  \n", PATH) == Catalog()


def test_polib_exceptions_become_catalog_syntax_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(text: str, **kwargs: object) -> polib.POFile:
        raise OSError("Syntax error in po file (line 2): unescaped double quote found")

    monkeypatch.setattr(polib, "pofile", failing)
    with pytest.raises(CatalogSyntaxError) as caught:
        polib_catalog('msgid "a"\nmsgstr "b"\n', Path("x.po"))
    assert caught.value.line == 2 and caught.value.path == Path("x.po") and caught.value.hint
    assert "unescaped double quote" in caught.value.message

    def broken(text: str, **kwargs: object) -> polib.POFile:
        raise KeyError("x")

    monkeypatch.setattr(polib, "pofile", broken)
    with pytest.raises(CatalogSyntaxError) as caught:
        polib_catalog('msgid "a"\nmsgstr "b"\n', Path("x.po"))
    assert caught.value.line is None


def test_the_validator_still_rejects_what_polib_would_truncate() -> None:
    text = 'msgid "a"\nmsgstr "b\n'  # polib reads msgstr "b" and carries on
    assert polib_reads(text)[0].msgstr == ""
    with pytest.raises(CatalogSyntaxError) as caught:
        parse_catalog(text, PATH)
    assert caught.value.line == 2
