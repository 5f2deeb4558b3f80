"""Reading and writing PO/POT files: strict parsing into a :class:`~i18n.catalogs.catalog.Catalog`, msgcat output.

Reading is strict on purpose: polib silently accepts (and sometimes truncates) malformed input, so a broken
catalog would be "read" and later rewritten without the lost text. :func:`parse_catalog` first validates every
line and rejects the first problem with a :class:`~i18n.core.errors.CatalogSyntaxError` that says where and how to
fix it; then polib decodes the text, and its objects become our dataclasses, with polib's losses made up for
(this module is the only user of polib, and turns its exceptions into ours).

Writing reproduces GNU ``msgcat`` (gettext 0.21) byte for byte, so that running msgcat, msgmerge or an editor
that normalises with gettext over our files changes nothing, and our own re-runs change nothing either. The
layout rules are those of ``gettext-tools/src/write-po.c``; line wrapping is :mod:`i18n.catalogs.linebreak`.
:func:`write_catalog` writes one file, atomically and only when its bytes change; ``i18n sync`` writes many
at once with :class:`i18n.core.atomic.AtomicBatch`, from the same :func:`format_catalog` text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import polib

from i18n.catalogs.catalog import FUZZY, Catalog, Entry
from i18n.catalogs.linebreak import Break, column_width, fast_break_indexes, possible_linebreaks, width_linebreaks
from i18n.core.atomic import unchanged, write_atomic
from i18n.core.errors import CatalogNotFound, CatalogSyntaxError, EncodingError

__all__ = ["decode_catalog", "format_catalog", "parse_catalog", "read_catalog", "write_catalog"]

#: The page width msgcat wraps to by default.
PAGE_WIDTH = 79


# ---------------------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------------------


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

    Three steps:

    1. Our strict validator (:class:`_Parser`) reads every line first, because polib silently accepts
       (and sometimes truncates) malformed input. An unknown keyword, an unterminated string, an invalid
       escape, a msgid without msgstr, misnumbered plural forms, text outside strings or a duplicate
       ``(msgctxt, msgid)`` raise :class:`CatalogSyntaxError` at the first problem, with its line number
       and a hint. Along the way it notes the lines polib would misread and writes them, for polib only,
       in an equivalent form polib reads right (see :meth:`_Parser.polib_text`).
    2. polib decodes the text (:func:`_decode_with_polib`); any exception it raises becomes a
       :class:`CatalogSyntaxError` with the line polib names.
    3. :func:`_convert` turns polib's ``POFile``/``POEntry`` objects into our frozen dataclasses,
       compensating for what polib loses; the few values polib cannot give back come from the validator.
    """
    parser = _Parser(text, path)
    parser.validate()
    if parser.header is None and not parser.drafts:
        return Catalog()  # nothing to decode (and nothing polib could mistake for a file name)
    return _convert(_decode_with_polib(parser.polib_text(), path), parser)


def _reference_catalog(text: str, path: Path) -> Catalog:
    """The catalog our validator alone builds from ``text``: the reference :func:`parse_catalog` must match."""
    parser = _Parser(text, path)
    parser.validate()
    return parser.build()


# String literal: a quote, then characters or backslash pairs, then a quote.
_STRING = r'"((?:[^"\\]|\\.)*)"'
_ONE_STRING_RE = re.compile(r"[ \t]*" + _STRING + r"[ \t]*\Z")
_STRINGS_RE = re.compile(r"(?:[ \t]*" + _STRING + r")+[ \t]*\Z")
_EACH_STRING_RE = re.compile(_STRING)
_SPACED_STRING_RE = re.compile(r"[ \t]*" + _STRING)
_KEYWORD_RE = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[([0-9]+)\])?(?=[\s\"]|\Z)")
_ESCAPE_RE = re.compile(r"\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
                   "f": "\f", "v": "\v"}

# What polib cannot read as written (see _Parser.polib_text):
# - escapes other than \\ \n \t \r \v \b \f \" (it leaves \a, octal and hex escapes undecoded); this also
#   matches the harmless "\\a" (an escaped backslash, then "a"), which only costs a rewrite;
_POLIB_UNKNOWN_ESCAPE_RE = re.compile(r'\\[^\\ntrvbf"]')
# - characters str.splitlines() breaks lines at, besides "\n" (polib splits the text with it): inside a
#   line they cut it in two. "\r" before "\n" or at the end is a line end for both readers.
_SPLITTERS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_SPLITTER_RE = re.compile(f"[{_SPLITTERS}]")
_TEXT_SPLITTER_RE = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]|\r(?!\n|\\Z)")
# polib takes its argument for a file name when a file of that name exists (os.path.isfile). A last line
# of blanks (polib skips it) longer than any file name (NAME_MAX is 255 bytes) makes the guess fail.
_NOT_A_FILE_NAME = "\n" + " " * 256
# polib's syntax errors end their first sentence with "(line N)".
_POLIB_LINE_RE = re.compile(r"\(line (\d+)\)")
# Comment kinds that are not translator comments: "#." "#:" "#," "#|" "#~".
_OTHER_COMMENT_KINDS = frozenset(".:,|~")


class _EscapeError(Exception):
    """An invalid escape sequence inside a string literal (turned into a CatalogSyntaxError)."""


@dataclass
class _Draft:
    """An entry being parsed: everything seen since the entry's first line.

    ``keep`` names the fields whose value polib cannot give back for this entry (see :func:`_convert`):
    the conversion takes them from this draft. ``polib_has_comment`` says whether polib's translator
    comment for the entry holds text yet (polib drops an empty comment line while it does not).
    """

    line: int
    translator_comments: list[str] = field(default_factory=list)
    extracted_comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    plural_forms: list[str] = field(default_factory=list)
    obsolete: bool | None = None  # None until the first keyword line decides
    msgid_line: int = 0
    has_comments: bool = False
    keep: set[str] | None = None
    polib_has_comment: bool = False

    @property
    def started(self) -> bool:
        """Whether a keyword (msgctxt/msgid/...) of this entry was seen."""
        return bool(self.fields)

    @property
    def complete(self) -> bool:
        """Whether the entry has its msgstr (or at least one plural form)."""
        return "msgstr" in self.fields or bool(self.plural_forms)

    def keep_ours(self, name: str) -> None:
        """Note that polib cannot give back field ``name`` of this entry."""
        if self.keep is None:
            self.keep = set()
        self.keep.add(name)


class _Parser:
    """A strict, line-oriented PO validator (one instance per text).

    :meth:`validate` checks every line and keeps what it read as :class:`_Draft` values (``header`` and
    ``drafts``): the validator needs the decoded msgctxt and msgid for the duplicate check anyway, and
    the drafts hold the values :func:`_convert` falls back on. :meth:`build` turns them into a catalog
    without polib (the reference the tests compare polib's reading with). :meth:`polib_text` is the text
    to give polib.
    """

    def __init__(self, text: str, path: Path) -> None:
        self.path = path
        if text.startswith("\ufeff"):
            text = text[1:]
        self.text = text
        self.lines = text.split("\n")
        self.drafts: list[_Draft] = []
        self.header: _Draft | None = None
        self.seen: dict[tuple[str | None, str], int] = {}
        self.draft: _Draft | None = None
        # The field that a continuation string extends: ("fields"|"previous"|"plural", key).
        self.current: tuple[str, str] | None = None
        self.current_obsolete = False
        # What polib reads: None while it can read the text as it is, else the lines to give it instead.
        self.polib_lines: list[str] | None = None
        # Raw line-breaking characters in the text: every line is then checked for them.
        self.has_splitters = _TEXT_SPLITTER_RE.search(text) is not None
        self.line_has_splitters = False
        # Private-use characters standing for _SPLITTERS in polib's text (built when first needed).
        self.shield_table: dict[int, str] | None = None
        # polib files translator comments at the top of the file as its "header" until another line comes.
        self.polib_file_header = True
        self.plain = True  # whether the last strings() call read one string with escapes polib knows

    def error(self, line: int, detail: str, hint: str) -> CatalogSyntaxError:
        """A syntax error at ``line`` of this file."""
        return CatalogSyntaxError(detail, path=self.path, line=line, hint=hint)

    def validate(self) -> None:
        """Check all lines, keeping the header and entries as drafts."""
        logical = _logical_lines(self.lines)
        joined: list[str] | None = None
        if len(logical) != len(self.lines):
            # polib does not join a backslash-newline: give it each logical line on its first physical line.
            joined = self.polib_lines = [""] * len(self.lines)
        for number, raw in logical:
            line = raw[:-1] if raw.endswith("\r") else raw
            if joined is not None:
                joined[number - 1] = line
            stripped = line.lstrip(" \t")
            if not stripped:
                continue
            if self.has_splitters:
                self.line_has_splitters = _SPLITTER_RE.search(stripped) is not None
            first = stripped[0]
            if self.polib_file_header and (first != "#" or stripped[1:2] in _OTHER_COMMENT_KINDS):
                self.polib_file_header = False
                if self.draft is not None:
                    self.draft.polib_has_comment = False  # the entry's own comment starts empty in polib
            if first == "#":
                self.comment(number, stripped)
            elif first == '"':
                self.continuation(number, stripped, obsolete=False, prefix_ok=True)
            else:
                self.keyword(number, stripped, obsolete=False, prefix_ok=True)
        self.finish(len(self.lines))

    # -- what polib reads -------------------------------------------------------------------------------

    def polib_text(self) -> str:
        """The text to give polib: ours, with the lines polib would misread written the way it reads them.

        A rewritten line means the same to gettext, and keeps its line number (so polib's errors and
        ``linenum`` still point into the file): a string with several literals, an escape polib does not
        know or a raw line-breaking character becomes one literal escaped polib's way (with private-use
        placeholders for the line-breaking characters, which :func:`_convert` turns back); a keyword or
        comment marker glued to what follows (``msgid"x"``, ``#~msgid``, ``#.x``, ``#foo``) gets its space;
        a line polib would stop at (``#~`` alone) or that polib skips anyway (``#~|``) becomes blank; a
        backslash-newline is joined.
        """
        text = self.text if self.polib_lines is None else "\n".join(self.polib_lines)
        return text + _NOT_A_FILE_NAME

    def rewrite(self, number: int, line: str) -> None:
        """Give polib ``line`` instead of line ``number``."""
        if self.polib_lines is None:
            self.polib_lines = list(self.lines)
        self.polib_lines[number - 1] = line

    def shield(self, text: str) -> str:
        """``text`` with line-breaking characters replaced by their placeholders."""
        if _SPLITTER_RE.search(text) is None:
            return text
        if self.shield_table is None:
            present = set(self.text)
            candidates = (chr(code) for code in range(0xF0000, 0x10FFFE) if chr(code) not in present)
            self.shield_table = {ord(char): next(candidates) for char in _SPLITTERS}
        return text.translate(self.shield_table)

    def polib_string(self, value: str) -> str:
        """``value`` as one string literal that polib decodes back to ``value`` (modulo placeholders)."""
        return '"' + self.shield(polib.escape(value)) + '"'

    # -- line kinds -------------------------------------------------------------------------------------

    def comment(self, number: int, line: str) -> None:
        """A ``#`` line: a comment of the next entry, an obsolete ``#~`` line, or a previous ``#|`` field."""
        kind = line[1:2]
        if kind == "~":
            rest = line[2:]
            if rest.startswith("|"):
                self.previous_line(number, rest[1:].lstrip(" \t"), obsolete=True,
                                   prefix_ok=rest[1:2] in (" ", "\t"))
                return
            prefix_ok = rest[:1] in (" ", "\t")
            rest = rest.lstrip(" \t")
            if not rest:
                self.rewrite(number, "")  # polib stops at a bare "#~"
                return
            if rest[0] == '"':
                self.continuation(number, rest, obsolete=True, prefix_ok=prefix_ok)
            elif rest[0] == "#":
                raise self.error(number, "a comment inside an obsolete (#~) line",
                                 "put comments before the #~ lines, as `# text`")
            else:
                self.keyword(number, rest, obsolete=True, prefix_ok=prefix_ok)
            return
        if kind == "|":
            self.previous_line(number, line[2:].lstrip(" \t"), obsolete=None, prefix_ok=line[2:3] in (" ", "\t"))
            return
        draft = self.comment_draft(number)
        draft.has_comments = True
        self.current = None
        if kind == ".":
            text = line[2:]
            value = text[1:] if text.startswith(" ") else text
            draft.extracted_comments.append(value)
            if not value or value[-1].isspace():
                draft.keep_ours("extracted_comments")  # polib strips lines, and skips a bare "#."
            if (text and text[0] != " ") or self.line_has_splitters:
                self.rewrite(number, self.shield("#. " + value))
        elif kind == ":":
            references = line[2:].split()
            draft.references.extend(references)
            if (len(line) > 2 and not line[2].isspace()) or self.line_has_splitters:
                self.rewrite(number, self.shield("#: " + " ".join(references)) if references else "")
        elif kind == ",":
            flags = [f for f in (part.strip() for part in line[2:].split(",")) if f]
            draft.flags.extend(flags)
            if (len(line) > 2 and not line[2].isspace()) or self.line_has_splitters:
                self.rewrite(number, self.shield("#, " + ", ".join(flags)) if flags else "")
        else:
            text = line[1:]
            value = text[1:] if text.startswith(" ") else text
            draft.translator_comments.append(value)
            if not value:
                if not draft.polib_has_comment:
                    draft.keep_ours("translator_comments")  # polib drops an empty first comment line
            elif value[-1].isspace():
                draft.keep_ours("translator_comments")  # polib strips lines
            else:
                draft.polib_has_comment = True
            if (value and kind != " ") or self.line_has_splitters:
                self.rewrite(number, self.shield("# " + value))

    def comment_draft(self, number: int) -> _Draft:
        """The entry a comment line belongs to: the current one if it has no keyword yet, else a new one."""
        draft = self.draft
        if draft is not None and draft.started:
            if not draft.complete:
                raise self.error(number, "a comment inside an entry, before its msgstr",
                                 "move the comment above the entry's msgid, or add the missing msgstr")
            self.finish(number)
            draft = None
        if draft is None:
            draft = self.draft = _Draft(line=number)
        return draft

    def previous_line(self, number: int, rest: str, obsolete: bool | None, prefix_ok: bool) -> None:
        """A ``#|`` (or ``#~|``) line: a previous msgctxt/msgid/msgid_plural, or its continuation."""
        draft = self.comment_draft(number)
        draft.has_comments = True
        if obsolete:
            if draft.obsolete is False:
                raise self.error(number, "an entry mixes obsolete (#~) and active lines",
                                 "prefix every line of an obsolete entry with `#~ `, or none")
            draft.obsolete = True
            # polib skips "#~|" lines: the previous fields of obsolete entries are ours.
            draft.keep_ours("previous")
            if not prefix_ok or self.line_has_splitters:
                self.rewrite(number, "")
        if rest.startswith('"'):
            if self.current is None or self.current[0] != "previous":
                raise self.error(number, "a continuation string after #| with nothing to continue",
                                 "start the previous field with `#| msgid \"...\"`")
            self.current_obsolete = bool(obsolete)
            value = self.strings(number, rest)
            draft.previous[self.current[1]] += value
            if not obsolete and not (prefix_ok and self.plain and not self.line_has_splitters):
                self.rewrite(number, "#| " + self.polib_string(value))
            return
        match = _KEYWORD_RE.match(rest)
        if match is None or match.group(2) is not None or match.group(1) == "msgstr":
            word = rest.split()[0] if rest.split() else "(nothing)"
            raise self.error(number, f"unknown keyword after #|: {word[:40]!r}",
                             "#| lines hold only msgctxt, msgid or msgid_plural")
        name = match.group(1)
        if name in draft.previous:
            raise self.error(number, f"a second #| {name} in one entry", "keep one previous " + name)
        # gettext's grammar: [#| msgctxt] #| msgid [#| msgid_plural], in this order.
        if (name == "msgctxt" and draft.previous) or (name == "msgid_plural" and "msgid" not in draft.previous):
            raise self.error(number, f"#| {name} out of order",
                             "write the previous fields as #| msgctxt, #| msgid, #| msgid_plural")
        after = rest[match.end():]
        value = self.strings(number, after)
        draft.previous[name] = value
        self.current = ("previous", name)
        if not obsolete and not (prefix_ok and self.plain and after[0] != '"' and not self.line_has_splitters):
            self.rewrite(number, f"#| {name} " + self.polib_string(value))

    def keyword(self, number: int, line: str, *, obsolete: bool, prefix_ok: bool) -> None:
        """A ``msgctxt``/``msgid``/``msgid_plural``/``msgstr``/``msgstr[N]`` line."""
        match = _KEYWORD_RE.match(line)
        if match is None:
            word = line.split()[0] if line.split() else line
            raise self.error(number, f"unknown keyword or stray text: {word[:40]!r}",
                             "lines hold msgctxt, msgid, msgid_plural, msgstr, msgstr[N], "
                             "a \"string\" or a # comment")
        name, index = match.group(1), match.group(2)
        after = line[match.end():]
        value = self.strings(number, after)
        draft = self.draft
        if name in ("msgctxt", "msgid") and draft is not None and draft.started:
            if not draft.complete:
                if name == "msgctxt" or "msgid" in draft.fields:
                    raise self.error(draft.msgid_line or draft.line, "msgid without msgstr",
                                     "add `msgstr \"\"` after the msgid")
            else:
                self.finish(number)
                draft = None
        if draft is None:
            draft = self.draft = _Draft(line=number)
        if draft.obsolete is None:
            draft.obsolete = obsolete
        elif draft.obsolete != obsolete:
            raise self.error(number, "an entry mixes obsolete (#~) and active lines",
                             "prefix every line of an obsolete entry with `#~ `, or none")
        fields = draft.fields
        if name == "msgctxt":
            fields["msgctxt"] = value
            self.current = ("fields", "msgctxt")
        elif name == "msgid":
            if "msgid" in fields:
                raise self.error(number, "a second msgid in one entry", "add the missing msgstr before it")
            fields["msgid"] = value
            draft.msgid_line = number
            self.current = ("fields", "msgid")
        elif "msgid" not in fields:
            raise self.error(number, f"{name} without a msgid", "add the msgid line above it")
        elif name == "msgid_plural":
            if "msgid_plural" in fields or draft.complete:
                raise self.error(number, "misplaced msgid_plural",
                                 "put one msgid_plural right after the msgid")
            fields["msgid_plural"] = value
            self.current = ("fields", "msgid_plural")
        elif index is None:
            if "msgid_plural" in fields:
                raise self.error(number, "plain msgstr in an entry with msgid_plural",
                                 "use msgstr[0], msgstr[1], ... for plural entries")
            if "msgstr" in fields:
                raise self.error(number, "a second msgstr in one entry", "keep one msgstr")
            fields["msgstr"] = value
            self.current = ("fields", "msgstr")
        else:
            if "msgid_plural" not in fields:
                raise self.error(number, f"msgstr[{index}] in an entry without msgid_plural",
                                 "add msgid_plural, or use a plain msgstr")
            if int(index) != len(draft.plural_forms):
                expected = len(draft.plural_forms)
                raise self.error(number, f"msgstr[{index}] out of order (expected msgstr[{expected}])",
                                 "number plural forms 0, 1, 2, ... in order")
            draft.plural_forms.append(value)
            self.current = ("plural", index)
            if len(index) > 1:
                if int(index) > 9:
                    draft.keep_ours("msgstr_plural")  # polib reads one digit: msgstr[10] becomes msgstr[1]
                prefix_ok = False  # "msgstr[01]": write the index as polib reads it
        self.current_obsolete = obsolete
        if not (prefix_ok and self.plain and after[0] != '"' and not self.line_has_splitters):
            written = name if index is None else f"{name}[{int(index)}]"
            self.rewrite(number, ("#~ " if obsolete else "") + written + " " + self.polib_string(value))

    def continuation(self, number: int, line: str, *, obsolete: bool, prefix_ok: bool) -> None:
        """A ``"..."`` line that continues the current field."""
        draft = self.draft
        current = self.current
        if draft is None or current is None or current[0] == "previous":
            raise self.error(number, "a string with no keyword before it",
                             "start the field with msgid/msgstr, or join it to the previous string")
        if obsolete != self.current_obsolete:
            raise self.error(number, "an entry mixes obsolete (#~) and active lines",
                             "prefix every line of an obsolete entry with `#~ `, or none")
        value = self.strings(number, line)
        kind, key = current
        if kind == "fields":
            draft.fields[key] += value
        else:
            draft.plural_forms[-1] += value
        if not (prefix_ok and self.plain and not self.line_has_splitters):
            self.rewrite(number, ("#~ " if obsolete else "") + self.polib_string(value))

    def strings(self, number: int, rest: str) -> str:
        """The concatenated value of the string literals that make up ``rest`` (the text after a keyword).

        Sets ``plain``: whether ``rest`` was one literal whose escapes polib decodes as gettext does.
        """
        match = _ONE_STRING_RE.match(rest)
        if match is not None:
            raw = match.group(1)
            self.plain = True
        elif _STRINGS_RE.match(rest) is not None:
            self.plain = False
            bodies = [m.group(1) for m in _EACH_STRING_RE.finditer(rest)]
            if not any("\\" in body for body in bodies):
                return "".join(bodies)
            # As in gettext, each literal is decoded on its own ("\x41" "a" is "Aa", not the byte 0x41a), and
            # octal/hex escapes are bytes, so one UTF-8 character may be spelt across literals.
            try:
                return "".join(self.unescape(number, body) for body in bodies)
            except EncodingError:
                try:
                    return b"".join(_escaped_bytes(body) for body in bodies).decode("utf-8")
                except UnicodeDecodeError:
                    raise EncodingError("escape sequences spell bytes that are not UTF-8", path=self.path,
                                        line=number, hint="write the characters themselves") from None
        else:
            raise self.string_error(number, rest)
        if "\\" not in raw:
            return raw
        if self.plain and _POLIB_UNKNOWN_ESCAPE_RE.search(raw) is not None:
            self.plain = False
        return self.unescape(number, raw)

    def string_error(self, number: int, rest: str) -> CatalogSyntaxError:
        """The error for text that should be one or more string literals but is not."""
        body = rest.strip(" \t")
        if not body:
            return self.error(number, "a keyword without a string", 'add the value in quotes, e.g. msgstr ""')
        if not body.startswith('"'):
            return self.error(number, f"expected a quoted string, found {body[:20]!r}",
                              "put the value in double quotes")
        position = 0
        while position < len(body):
            match = _SPACED_STRING_RE.match(body, position)
            if match is None:
                break
            position = match.end()
        remainder = body[position:].lstrip(" \t")
        if remainder.startswith('"'):
            return self.error(number, "unterminated string", 'close the string with `"` on the same line; '
                              'write a quote inside a string as \\"')
        return self.error(number, f"unexpected text after the string: {remainder[:20]!r}",
                          'write quotes inside a string as \\" and put one string per line')

    def unescape(self, number: int, raw: str) -> str:
        """Decode the escape sequences of a string literal's body (octal/hex escapes are UTF-8 bytes)."""
        has_bytes = False

        def replace(match: re.Match[str]) -> str:
            nonlocal has_bytes
            code = match.group(1)
            simple = _SIMPLE_ESCAPES.get(code)
            if simple is not None:
                return simple
            if code[0] == "x" and len(code) > 1:
                value = int(code[1:], 16)
            elif code[0] in "01234567":
                value = int(code, 8)
            else:
                raise _EscapeError(code)
            if value > 0xFF:
                raise _EscapeError(code)
            has_bytes = has_bytes or value >= 0x80
            return chr(value)

        try:
            text = _ESCAPE_RE.sub(replace, raw)
        except _EscapeError as exc:
            raise self.error(number, f"invalid escape sequence \\{exc.args[0]}",
                             'valid escapes are \\n \\t \\" \\\\ \\r \\a \\b \\f \\v, octal \\NNN and hex '
                             '\\xHH; write a backslash as \\\\') from None
        if has_bytes:
            # Octal/hex escapes denote bytes: decode again, reassembling the UTF-8 they spell.
            try:
                text = _escaped_bytes(raw).decode("utf-8")
            except UnicodeDecodeError:
                raise EncodingError("escape sequences spell bytes that are not UTF-8", path=self.path,
                                    line=number, hint="write the characters themselves") from None
        return text

    # -- entries ----------------------------------------------------------------------------------------

    def finish(self, number: int) -> None:
        """Close the current entry: check it is complete and unique, then keep it."""
        draft = self.draft
        self.draft = None
        self.current = None
        if draft is None:
            return
        if not draft.started:
            if draft.previous:
                raise self.error(draft.line, "#| previous fields without an entry",
                                 "follow the #| lines with the entry's msgid and msgstr")
            if draft.has_comments and (self.drafts or self.header is not None):
                raise self.error(draft.line, "comments at the end of the file belong to no entry",
                                 "remove them or add the entry they describe")
            if draft.has_comments:
                raise self.error(draft.line, "comments without an entry",
                                 "add the entry they describe, or the msgid \"\"/msgstr \"\" header")
            return
        if draft.previous and "msgid" not in draft.previous:
            raise self.error(draft.line, "#| msgctxt without #| msgid", "add the previous msgid after it")
        fields = draft.fields
        if "msgid" not in fields:
            raise self.error(draft.line, "msgctxt without msgid", "add the msgid line after the msgctxt")
        if not draft.complete:
            if "msgid_plural" in fields:
                raise self.error(draft.msgid_line, "msgid_plural without msgstr[0]",
                                 'add msgstr[0] "" and msgstr[1] ""')
            raise self.error(draft.msgid_line, "msgid without msgstr", 'add `msgstr ""` after the msgid')
        msgctxt = fields.get("msgctxt")
        msgid = fields["msgid"]
        key = (msgctxt, msgid)
        if key in self.seen:
            what = "header" if msgid == "" and msgctxt is None else "entry"
            raise self.error(draft.msgid_line, f"duplicate {what}: the same msgctxt and msgid as line "
                             f"{self.seen[key]}", "merge the two entries into one")
        self.seen[key] = draft.msgid_line
        if msgid == "" and msgctxt is None and not draft.obsolete:
            self.header = draft
            return
        self.drafts.append(draft)

    def build(self) -> Catalog:
        """The catalog from the header draft and the entry drafts, without polib."""
        entries = tuple(_draft_entry(draft) for draft in self.drafts)
        header = self.header
        if header is None:
            return Catalog(entries=entries)
        return Catalog(
            headers=_header_fields(header.fields.get("msgstr", "")),
            header_comments=tuple(header.translator_comments),
            header_flags=tuple(header.flags),
            entries=entries,
        )


def _draft_entry(draft: _Draft) -> Entry:
    """The entry a validated draft holds."""
    fields = draft.fields
    return Entry(
        msgid=fields["msgid"],
        msgstr=fields.get("msgstr", ""),
        msgctxt=fields.get("msgctxt"),
        msgid_plural=fields.get("msgid_plural"),
        msgstr_plural=tuple(draft.plural_forms),
        flags=tuple(draft.flags),
        translator_comments=tuple(draft.translator_comments),
        extracted_comments=tuple(draft.extracted_comments),
        references=tuple(draft.references),
        previous_msgctxt=draft.previous.get("msgctxt"),
        previous_msgid=draft.previous.get("msgid"),
        previous_msgid_plural=draft.previous.get("msgid_plural"),
        obsolete=bool(draft.obsolete),
        line=draft.line,
    )


# -- polib ------------------------------------------------------------------------------------------------


class _POFile(polib.POFile):
    """polib's ``POFile``, keeping the header entry that polib takes out of the list.

    polib parses the header's msgstr into ``metadata``, a dict: repeated fields collapse to the last value,
    values lose their surrounding white space, and the msgstr itself is dropped. Keeping the entry lets us
    read the fields, in order and as written, from its msgstr. polib's choice of the header
    (``find("")``) is not trusted either: it takes an entry with a msgctxt and an empty msgid when the file
    has no header, and prefers ``msgctxt ""`` (falsy) to the real header; the header is the active entry
    with an empty msgid and no msgctxt, and an entry polib mistook for it stays in the list.
    """

    header_entry: polib.POEntry | None = None

    def remove(self, value: polib.POEntry, /) -> None:
        """Take the header entry out of the list (polib's only use of ``remove``), keeping it."""
        for index, entry in enumerate(self):
            if entry.msgid == "" and entry.msgctxt is None and not entry.obsolete:
                self.header_entry = entry
                del self[index]  # by position: list.remove would compare entries with POEntry.__eq__
                return


def _decode_with_polib(text: str, path: Path) -> _POFile:
    """polib's reading of ``text``, any exception polib raises becoming a :class:`CatalogSyntaxError`.

    The encoding is given so that polib does not search the text for a charset (it is already decoded).
    """
    try:
        return polib.pofile(text, encoding="utf-8", klass=_POFile)
    except Exception as exc:  # polib reports syntax errors as OSError, but any failure of its parser is one
        found = _POLIB_LINE_RE.search(str(exc))
        raise CatalogSyntaxError(f"polib cannot read the catalog: {exc}", path=path,
                                 line=int(found.group(1)) if found else None,
                                 hint="fix the line (gettext's `msgcat FILE` shows the same problem), "
                                      "or report a bug in i18n if msgcat accepts it") from exc


def _convert(po: _POFile, parser: _Parser) -> Catalog:
    """Our catalog from polib's reading of ``parser``'s text, compensating for what polib loses or mangles.

    Compensated here, from polib's own objects:

    - **header fields**: polib's ``metadata`` dict loses repeated fields and surrounding white space;
      they are read, in order, from the header entry's msgstr (kept by :class:`_POFile`).
    - **file header comments**: polib files the translator comments at the top of the file in
      ``POFile.header`` instead of the first entry's ``tcomment``; they go back to the first entry (the
      one polib numbers line 0, often the header).
    - **references** are split by polib into ``(file, line)`` pairs, with ``line`` empty when there is
      none: joined back to ``file:line`` as written.
    - **flags**: polib keeps empty flags (``#, a, , b``); dropped.
    - **msgid_plural**: polib gives ``""`` when there is none; an entry is plural when it has plural forms.
    - **plural forms** come as a dict; ordered by index.
    - **line**: polib's ``linenum`` is the first line polib *acts on*: 0 for the first entry of the file,
      and past the lines it skips (``#~|``, bare ``#.``/``#:``/``#,``); the validator's first line of the
      entry, comments included, is used.
    - **line-breaking characters** (``\\r``, ``\\v``, ``\\f``, ``\\x1c``-``\\x1e``, ``\\x85``, U+2028,
      U+2029 written raw): polib splits lines with ``str.splitlines()``, which cuts a line at each of them;
      the validator gave polib placeholders, turned back here.
    - **escapes** ``\\a``, octal and hex (which polib leaves undecoded), strings made of several literals
      on one line, a keyword or marker glued to the next token, backslash-newline: the validator gave
      polib an equivalent line polib reads right (:meth:`_Parser.polib_text`).

    Not recoverable from polib, so taken from the validator (``_Draft.keep``):

    - **previous fields of obsolete entries** (``#~|``): polib skips those lines.
    - **comments with trailing white space, and empty extracted comments**: polib strips each line and
      skips a bare ``#.``.
    - **an empty translator comment line before any text** (of the entry, or of the file header): polib
      only adds a line break to a comment that already holds text, so the line vanishes.
    - **plural forms from msgstr[10] on**: polib reads the index as one digit (msgstr[10] overwrites
      msgstr[1]).
    """
    drafts = parser.drafts
    header_draft = parser.header
    header_entry = po.header_entry
    if len(po) != len(drafts) or (header_entry is None) != (header_draft is None):
        raise CatalogSyntaxError(f"polib reads {len(po)} entries, the validator {len(drafts)}", path=parser.path,
                                 hint="this is a bug in i18n: please report it with the file")
    if parser.shield_table is not None:
        _unshield(po, {ord(placeholder): chr(code) for code, placeholder in parser.shield_table.items()})
    file_comments = tuple(po.header.split("\n")) if po.header else ()
    entries = tuple(_entry(entry, draft, file_comments if entry.linenum == 0 else ())
                    for entry, draft in zip(po, drafts, strict=True))
    if header_entry is None or header_draft is None:
        return Catalog(entries=entries)
    if header_draft.keep is not None and "translator_comments" in header_draft.keep:
        header_comments = tuple(header_draft.translator_comments)
    else:
        header_comments = _comment_lines(header_entry.tcomment,
                                         file_comments if header_entry.linenum == 0 else ())
    return Catalog(
        headers=_header_fields(header_entry.msgstr),
        header_comments=header_comments,
        header_flags=tuple(flag for flag in header_entry.flags if flag),
        entries=entries,
    )


def _entry(entry: polib.POEntry, draft: _Draft, file_comments: tuple[str, ...]) -> Entry:
    """Our entry for polib's ``entry`` (``draft`` is the validator's, for what polib cannot give back)."""
    keep = draft.keep or ()
    plural = bool(entry.msgstr_plural)
    forms = entry.msgstr_plural
    if "previous" in keep:
        previous = draft.previous
        previous_msgctxt, previous_msgid = previous.get("msgctxt"), previous.get("msgid")
        previous_msgid_plural = previous.get("msgid_plural")
    else:
        previous_msgctxt, previous_msgid = entry.previous_msgctxt, entry.previous_msgid
        previous_msgid_plural = entry.previous_msgid_plural
    return Entry(
        msgid=entry.msgid,
        msgstr=entry.msgstr,
        msgctxt=entry.msgctxt,
        msgid_plural=entry.msgid_plural if plural else None,
        msgstr_plural=(tuple(draft.plural_forms) if "msgstr_plural" in keep
                       else tuple(forms[index] for index in sorted(forms))),
        flags=tuple(flag for flag in entry.flags if flag),
        translator_comments=(tuple(draft.translator_comments) if "translator_comments" in keep
                             else _comment_lines(entry.tcomment, file_comments)),
        extracted_comments=(tuple(draft.extracted_comments) if "extracted_comments" in keep
                            else tuple(entry.comment.split("\n")) if entry.comment else ()),
        references=tuple(f"{file}:{line}" if line else file for file, line in entry.occurrences),
        previous_msgctxt=previous_msgctxt,
        previous_msgid=previous_msgid,
        previous_msgid_plural=previous_msgid_plural,
        obsolete=bool(entry.obsolete),
        line=draft.line,
    )


def _comment_lines(comment: str, file_comments: tuple[str, ...]) -> tuple[str, ...]:
    """The translator comment lines of polib's ``tcomment``, after those polib filed as the file header."""
    if not comment:
        return file_comments
    return (*file_comments, *comment.split("\n"))


def _unshield(po: _POFile, table: dict[int, str]) -> None:
    """Turn the placeholders :meth:`_Parser.shield` gave polib back into the characters they stand for."""
    po.header = po.header.translate(table)
    entries = [*po, po.header_entry] if po.header_entry is not None else list(po)
    for entry in entries:
        entry.msgid = entry.msgid.translate(table)
        entry.msgstr = entry.msgstr.translate(table)
        entry.msgid_plural = entry.msgid_plural.translate(table)
        entry.msgstr_plural = {index: form.translate(table) for index, form in entry.msgstr_plural.items()}
        if entry.msgctxt is not None:
            entry.msgctxt = entry.msgctxt.translate(table)
        entry.tcomment = entry.tcomment.translate(table)
        entry.comment = entry.comment.translate(table)
        entry.flags = [flag.translate(table) for flag in entry.flags]
        entry.occurrences = [(file.translate(table), line.translate(table)) for file, line in entry.occurrences]
        for name in ("previous_msgctxt", "previous_msgid", "previous_msgid_plural"):
            value = getattr(entry, name)
            if value is not None:
                setattr(entry, name, value.translate(table))


def _logical_lines(lines: list[str]) -> list[tuple[int, str]]:
    """Numbered lines, with gettext's backslash-newline joining (its lexer drops every ``\\`` + newline)."""
    numbered = list(enumerate(lines, 1))
    if not any(line.endswith("\\") for line in lines):
        return numbered
    joined: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, line in numbered:
        if pending is not None:
            number, line = pending[0], pending[1] + line
        if line.endswith("\\") and number < len(lines):
            pending = (number, line[:-1])
        else:
            pending = None
            joined.append((number, line))
    if pending is not None:
        joined.append(pending)
    return joined


def _escaped_bytes(raw: str) -> bytes:
    """The bytes a string body spells: its characters in UTF-8, octal/hex escapes as bytes."""
    out = bytearray()
    position = 0
    for match in _ESCAPE_RE.finditer(raw):
        out += raw[position:match.start()].encode("utf-8")
        code = match.group(1)
        simple = _SIMPLE_ESCAPES.get(code)
        if simple is not None:
            out += simple.encode("utf-8")
        elif code[0] == "x":
            out.append(int(code[1:], 16))
        else:
            out.append(int(code, 8))
        position = match.end()
    out += raw[position:].encode("utf-8")
    return bytes(out)


def _header_fields(text: str) -> tuple[tuple[str, str], ...]:
    """The ordered ``(name, value)`` fields of a header msgstr (duplicates and order kept)."""
    fields: list[tuple[str, str]] = []
    for line in text.split("\n"):
        if not line:
            continue
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        fields.append((name, value))
    return tuple(fields)


# ---------------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------------

# The format-string languages gettext 0.21 knows, in the order msgcat writes their flags.
_FORMAT_LANGUAGES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript", "scheme", "lisp",
    "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal", "smalltalk", "qt", "qt-plural", "kde",
    "kde-kuit", "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal", "gfc-internal", "ycp",
)
_FORMAT_RANK = {language: rank for rank, language in enumerate(_FORMAT_LANGUAGES)}

# Characters msgcat writes as escape sequences, and how.
_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
            "\\": "\\\\", '"': '\\"'}
_ESCAPE_TABLE = str.maketrans(_ESCAPES)
_NO_WRAP_WIDTH = 2**31 - 1


def format_catalog(catalog: Catalog, width: int = PAGE_WIDTH) -> str:
    """``catalog`` as PO text, byte-identical to what GNU ``msgcat`` (gettext 0.21) writes for it.

    Normalisations are msgcat's: flags are written in gettext's order (``fuzzy``, format flags, ``range``,
    ``no-wrap``), ``fuzzy`` is dropped from entries without a translation, obsolete entries come last and
    are dropped when untranslated, and a leading ``./`` is removed from references. Flags gettext does not
    know are kept (after the known ones) rather than dropped as msgcat would.
    """
    out: list[str] = []
    if catalog.headers or catalog.header_comments or catalog.header_flags:
        header_text = "".join(f"{name}: {value}\n" for name, value in catalog.headers)
        _write_comments(out, catalog.header_comments, (), (), width)
        _write_flags(out, catalog.header_flags, header_text)
        _wrap(out, "", "msgid", "", width, True, None)
        _wrap(out, "", "msgstr", header_text, width, True, None)
    for entry in catalog.entries:
        if not entry.obsolete:
            if out:
                out.append("\n")
            _write_entry(out, entry, width)
    for entry in catalog.entries:
        if entry.obsolete and entry.msgstrs and entry.msgstrs[0]:
            if out:
                out.append("\n")
            _write_entry(out, entry, width)
    return "".join(out)


def _write_entry(out: list[str], entry: Entry, width: int) -> None:
    """One entry: comments, flags, previous fields, then its keywords (``#~ `` lines if obsolete).

    Memoised on the entry (its line number aside, every field is part of its hash and equality) and the
    width: a cold sync writes each new entry, unchanged, into the template and into every language.
    """
    out.append(_entry_text(entry, width))


#: How many formatted entries :func:`_entry_text` keeps (the entries of a cold sync of 5,000 articles).
_ENTRY_CACHE_SIZE = 1 << 16


@functools.lru_cache(maxsize=_ENTRY_CACHE_SIZE)
def _entry_text(entry: Entry, width: int) -> str:
    """The text :func:`_write_entry` writes."""
    out: list[str] = []
    first_msgstr = entry.msgstrs[0] if entry.msgstrs else ""
    _write_comments(out, entry.translator_comments, entry.extracted_comments, entry.references, width)
    do_wrap, directives = _write_flags(out, entry.flags, first_msgstr)
    previous_prefix = "#~| " if entry.obsolete else "#| "
    # gettext accepts a previous msgctxt or msgid_plural only along with a previous msgid.
    if entry.previous_msgid is not None:
        if entry.previous_msgctxt is not None:
            _wrap(out, previous_prefix, "msgctxt", entry.previous_msgctxt, width, do_wrap, directives)
        _wrap(out, previous_prefix, "msgid", entry.previous_msgid, width, do_wrap, directives)
        if entry.previous_msgid_plural is not None:
            _wrap(out, previous_prefix, "msgid_plural", entry.previous_msgid_plural, width, do_wrap,
                  directives)
    prefix = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        _wrap(out, prefix, "msgctxt", entry.msgctxt, width, do_wrap, directives)
    _wrap(out, prefix, "msgid", entry.msgid, width, do_wrap, directives)
    if entry.msgid_plural is None:
        _wrap(out, prefix, "msgstr", entry.msgstr, width, do_wrap, directives)
        return "".join(out)
    _wrap(out, prefix, "msgid_plural", entry.msgid_plural, width, do_wrap, directives)
    for index, form in enumerate(entry.msgstr_plural or ("", "")):
        _wrap(out, prefix, f"msgstr[{index}]", form, width, do_wrap, directives)
    return "".join(out)


def _write_comments(out: list[str], translator: tuple[str, ...], extracted: tuple[str, ...],
                    references: tuple[str, ...], width: int) -> None:
    """Translator comments, extracted comments and references, laid out as msgcat does."""
    for comment in translator:
        for line in comment.split("\n"):
            out.append(f"# {_safe_comment(line)}\n" if line else "#\n")
    for comment in extracted:
        for line in comment.split("\n"):  # msgcat would write a newline raw and break the file
            out.append(f"#. {_safe_comment(line)}\n" if line else "#.\n")
    if references:
        # write-po.c: references fill "#:" lines up to the page width, counted in bytes.
        parts = ["#:"]
        column = 2
        seen: set[str] = set()
        for reference in references:
            # gettext stores "file:line" with the line as a number ("a.md:007" is "a.md:7"), keeps each
            # (file, line) once, and writes file names without a leading "./".
            file, colon, line = reference.rpartition(":")
            if colon and file and line.isascii() and line.isdigit():
                reference = f"{file}:{int(line)}"
            if reference in seen:
                continue
            seen.add(reference)
            while reference.startswith("./"):
                reference = reference[2:]
            size = len(reference.encode("utf-8")) + 1
            if column > 2 and column + size > width:
                parts.append("\n#:")
                column = 2
            parts.append(" ")
            parts.append(reference)
            column += size
        parts.append("\n")
        out.append("".join(parts))


def _safe_comment(text: str) -> str:
    """``text`` made safe to end a comment line: gettext joins a line ending in ``\\`` with the next one.

    msgcat writes such a comment as it is, and the next line (maybe the msgid) silently becomes part of the
    comment when the file is read again; a space after the backslash keeps the file intact.
    """
    return text + " " if text.endswith("\\") else text


def _write_flags(out: list[str], flags: tuple[str, ...], first_msgstr: str) -> tuple[bool, str | None]:
    """The ``#,`` line in msgcat's order; returns whether to wrap and the format language that applies."""
    fuzzy = False
    formats: dict[str, str] = {}
    range_flag: str | None = None
    do_wrap = True
    unknown: list[str] = []
    for flag in flags:
        if flag == FUZZY:
            fuzzy = True
        elif flag == "wrap":
            do_wrap = True
        elif flag == "no-wrap":
            do_wrap = False
        elif flag.startswith("range:"):
            range_flag = "range: " + flag[len("range:"):].strip()
        elif flag.endswith("-format"):
            language, state = _format_flag(flag[: -len("-format")])
            if language is None:
                unknown.append(flag)
            else:
                formats[language] = state
        elif flag not in unknown:
            unknown.append(flag)
    written: list[str] = []
    if fuzzy and first_msgstr:
        written.append(FUZZY)
    directives: str | None = None
    for language in sorted(formats, key=_FORMAT_RANK.__getitem__):
        state = formats[language]
        if state == "impossible":
            continue
        written.append(f"no-{language}-format" if state == "no" else f"{language}-format")
        if directives is None and state != "no":
            directives = language
    if range_flag is not None:
        written.append(range_flag)
    if not do_wrap:
        written.append("no-wrap")
    written.extend(unknown)
    if written:
        out.append("#, " + ", ".join(written) + "\n")
    return do_wrap, directives


def _format_flag(stem: str) -> tuple[str | None, str]:
    """The language and state (yes, no, possible, impossible) of a format flag without ``-format``."""
    for state in ("no", "possible", "impossible"):
        prefix = state + "-"
        if stem.startswith(prefix) and stem[len(prefix):] in _FORMAT_RANK:
            return stem[len(prefix):], state
    if stem in _FORMAT_RANK:
        return stem, "yes"
    return None, ""


# Format directives inside which msgcat never breaks a line. gettext parses the string with the language's
# format parser and protects the directives it accepted before the first error; these patterns (measured
# against msgcat 0.21) reproduce the two common languages.
_DIRECTIVE_RES: dict[str, re.Pattern[str]] = {
    "c": re.compile(r"%(?:([0-9]+)\$)?[-+ #0']*(?:[0-9]+|\*(?:([0-9]+)\$)?)?(?:\.(?:[0-9]+|\*(?:([0-9]+)\$)?)?)?"
                    r"(?:hh|h|ll|l|L|q|j|z|Z|t)?(?:<[A-Za-z0-9_]+>|[diouxXeEfFgGaAcCsSpnm%])"),
    "python": re.compile(r"%(\((?:[^()]|\([^()]*\))*\))?[-+ #0]*(?:[0-9]+|\*)?(?:\.(?:[0-9]+|\*)?)?[hlL]?"
                         r"[diouxXeEfgGcrs%]"),
}


def _wrap(out: list[str], prefix: str, name: str, value: str, page_width: int, do_wrap: bool,
          directives: str | None) -> None:
    """Write ``name "value"`` wrapped like gettext's ``wrap()`` in write-po.c.

    The value is cut after each embedded newline; each piece is escaped and broken with the Unicode line
    breaking algorithm to fit ``page_width`` (the closing quote included). When a value does not fit on the
    keyword's line, or has more than one piece, it starts with an empty string: ``msgid ""``.

    The text is memoised on all the arguments it depends on: a sync writes each msgid into the template and
    into every language's catalog, and wraps it once.
    """
    out.append(_wrapped(prefix, name, value, page_width, do_wrap, directives))


#: How many wrapped strings :func:`_wrapped` keeps: more than the strings of a 5,000-article cold sync
#: (about 31,000 distinct ones), a few tens of MB at most.
_WRAP_CACHE_SIZE = 1 << 16


@functools.lru_cache(maxsize=_WRAP_CACHE_SIZE)
def _wrapped(prefix: str, name: str, value: str, page_width: int, do_wrap: bool, directives: str | None) -> str:
    """The lines :func:`_wrap` writes, as one string."""
    out: list[str] = []
    startcol_after_break = len(prefix) + 1
    width = (page_width if do_wrap else _NO_WRAP_WIDTH) - 1 - startcol_after_break
    protected = _directive_interiors(value, directives) if directives and value else None
    parts = value.split("\n")
    portions = [part + "\n" for part in parts[:-1]]
    if parts[-1] or not portions:
        portions.append(parts[-1])
    first_line = True
    offset = 0  # where the current portion starts in value
    last = len(portions) - 1
    for number, portion in enumerate(portions):
        escaped = portion.translate(_ESCAPE_TABLE)
        startcol = len(prefix) + len(name) + 2 - startcol_after_break if first_line else 0
        layout = _Layout(portion, escaped, width, protected, offset)
        breaks = layout.breaks(startcol)
        if first_line and escaped and (number < last or startcol > width or breaks is not None):
            # write-po.c: a value that wraps, or has several lines, starts with an empty string.
            out.append(f'{prefix}{name} ""\n')
            first_line = False
            breaks = layout.breaks(0)
        head = f'{prefix}{name} "' if first_line else f'{prefix}"'
        first_line = False
        if breaks is None:
            out.append(f'{head}{escaped}"\n')
        else:
            pieces: list[str] = []
            start = 0
            for index in breaks:
                pieces.append(escaped[start:index])
                start = index
            pieces.append(escaped[start:])
            out.append(head + f'"\n{prefix}"'.join(pieces) + '"\n')
        offset += len(portion)
    return "".join(out)


class _Layout:
    """Line breaking of one escaped portion of a string, for one or two starting columns."""

    def __init__(self, portion: str, escaped: str, width: int, protected: frozenset[int] | None,
                 offset: int) -> None:
        self.portion = portion
        self.escaped = escaped
        self.width = width
        self.protected = protected
        self.offset = offset
        self.size: int | None = None
        self.fast = True  # until the fast path turns the text down
        self.forbidden: frozenset[int] | None = None
        self.possible: list[int] | None = None
        self.overrides: list[int] | None = None

    def breaks(self, startcol: int) -> list[int] | None:
        """Where msgcat breaks the portion (indexes into the escaped text), or ``None`` for no break."""
        escaped = self.escaped
        if self.size is None:
            self.size = len(escaped) if escaped.isascii() else column_width(escaped)
        if startcol + self.size <= self.width:
            return None  # columns only grow from startcol: nothing can overflow
        if self.fast:
            if self.forbidden is None:
                self.forbidden = _forbidden(self.portion, escaped, self.protected, self.offset)
            indexes = fast_break_indexes(escaped, self.width, startcol, 0, self.forbidden)
            if indexes is not None:
                return indexes or None
            self.fast = False
        if self.possible is None:
            self.possible = possible_linebreaks(escaped)
            self.overrides = _overrides(self.portion, escaped, self.protected, self.offset)
        kinds = width_linebreaks(escaped, self.width, startcol, 0, self.overrides, self.possible)
        possible = Break.POSSIBLE
        indexes = [index for index, kind in enumerate(kinds) if kind == possible]
        return indexes or None


_ESCAPE_PAIR = re.compile(r"\\.", re.DOTALL)
_NOTHING: frozenset[int] = frozenset()


def _forbidden(portion: str, escaped: str, protected: frozenset[int] | None, offset: int) -> frozenset[int]:
    """The indexes of the escaped text where :func:`_overrides` forbids a break, as a set."""
    if protected is not None:
        overrides = _overrides(portion, escaped, protected, offset) or []
        prohibited = int(Break.PROHIBITED)
        return frozenset(index for index, kind in enumerate(overrides) if kind == prohibited)
    if escaped == portion:
        return _NOTHING
    # Every backslash of the escaped text starts an escape: never break between it and the next character,
    # nor before the escape of a final newline.
    forbidden = {match.start() + 1 for match in _ESCAPE_PAIR.finditer(escaped)}
    if portion.endswith("\n"):
        forbidden.add(len(escaped) - 2)
    return frozenset(forbidden)


def _overrides(portion: str, escaped: str, protected: frozenset[int] | None, offset: int) -> list[int] | None:
    """Per escaped character, the break msgcat forces: none inside escapes, none before a final ``\\n``."""
    if escaped == portion and protected is None:
        return None
    undefined, prohibited = int(Break.UNDEFINED), int(Break.PROHIBITED)
    overrides: list[int] = []
    for index, ch in enumerate(portion):
        brk = prohibited if protected is not None and offset + index in protected else undefined
        if ch in _ESCAPES:
            overrides.append(brk)
            overrides.append(prohibited)
        else:
            overrides.append(brk)
    if portion.endswith("\n"):
        overrides[-2] = prohibited
    return overrides


def _directive_interiors(value: str, language: str) -> frozenset[int] | None:
    """Indexes of ``value`` inside a format directive (after its ``%``) that gettext accepted.

    Like gettext's parsers, the scan stops at the first invalid directive, and at the first directive that
    mixes named with unnamed (Python) or numbered with unnumbered (C) arguments: nothing after it is
    protected.
    """
    pattern = _DIRECTIVE_RES.get(language)
    if pattern is None or "%" not in value:
        return None
    inside: set[int] = set()
    kinds: set[bool] = set()  # True for named/numbered arguments, False for unnamed/unnumbered ones
    position = value.find("%")
    while position >= 0:
        match = pattern.match(value, position)
        if match is None:
            break
        text = match.group(0)
        if not text.endswith("%"):  # %% takes no argument
            if language == "python":
                kinds.add(match.group(1) is not None)
                if "*" in text:
                    kinds.add(False)
            else:
                kinds.add(match.group(1) is not None)
                if "*" in text:
                    kinds.update(group is not None for group in match.groups()[1:])
            if len(kinds) > 1:
                break
        inside.update(range(match.start() + 1, match.end()))
        position = value.find("%", match.end())
    return frozenset(inside) if inside else None


# ---------------------------------------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------------------------------------


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
