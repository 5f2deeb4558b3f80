"""Reading and writing PO/POT files: strict parsing into a :class:`~i18n.catalog.Catalog`, msgcat output.

Reading is strict on purpose: polib silently accepts (and sometimes truncates) malformed input, so a broken
catalog would be "read" and later rewritten without the lost text. :func:`parse_catalog` rejects the first
problem with a :class:`~i18n.errors.CatalogSyntaxError` that says where and how to fix it.

Writing reproduces GNU ``msgcat`` (gettext 0.21) byte for byte, so that running msgcat, msgmerge or an editor
that normalises with gettext over our files changes nothing, and our own re-runs change nothing either. The
layout rules are those of ``gettext-tools/src/write-po.c``; line wrapping is :mod:`i18n.linebreak`.
:func:`write_catalog` is the only writer of PO files, and it is atomic and idempotent.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from i18n.catalog import FUZZY, Catalog, Entry
from i18n.errors import CatalogNotFound, CatalogSyntaxError, EncodingError
from i18n.linebreak import Break, column_width, possible_linebreaks, width_linebreaks

__all__ = ["format_catalog", "parse_catalog", "read_catalog", "write_catalog"]

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
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise EncodingError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", path=path, line=line,
                            hint="convert the file to UTF-8, e.g. with `msgconv --to-code=UTF-8`") from None
    return parse_catalog(text, path)


def parse_catalog(text: str, path: Path) -> Catalog:
    """Parse PO/POT ``text`` (read from ``path``, which error messages name) into a :class:`Catalog`.

    Validation is strict: an unknown keyword, an unterminated string, an invalid escape, a msgid without
    msgstr, misnumbered plural forms, text outside strings or a duplicate ``(msgctxt, msgid)`` raise
    :class:`CatalogSyntaxError` at the first problem, with its line number.
    """
    return _Parser(text, path).parse()


# String literal: a quote, then characters or backslash pairs, then a quote.
_STRING = r'"((?:[^"\\]|\\.)*)"'
_ONE_STRING_RE = re.compile(r"[ \t]*" + _STRING + r"[ \t]*\Z")
_STRINGS_RE = re.compile(r"(?:[ \t]*" + _STRING + r")+[ \t]*\Z")
_EACH_STRING_RE = re.compile(_STRING)
_KEYWORD_RE = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[([0-9]+)\])?(?=[\s\"]|\Z)")
_ESCAPE_RE = re.compile(r"\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
                   "f": "\f", "v": "\v"}


class _EscapeError(Exception):
    """An invalid escape sequence inside a string literal (turned into a CatalogSyntaxError)."""


@dataclass
class _Draft:
    """An entry being parsed: everything seen since the entry's first line."""

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

    @property
    def started(self) -> bool:
        """Whether a keyword (msgctxt/msgid/...) of this entry was seen."""
        return bool(self.fields)

    @property
    def complete(self) -> bool:
        """Whether the entry has its msgstr (or at least one plural form)."""
        return "msgstr" in self.fields or bool(self.plural_forms)


class _Parser:
    """A strict, line-oriented PO parser (one instance per text)."""

    def __init__(self, text: str, path: Path) -> None:
        self.path = path
        if text.startswith("\ufeff"):
            text = text[1:]
        self.lines = text.split("\n")
        self.entries: list[Entry] = []
        self.header: _Draft | None = None
        self.seen: dict[tuple[str | None, str], int] = {}
        self.draft: _Draft | None = None
        # The field that a continuation string extends: ("fields"|"previous"|"plural", key).
        self.current: tuple[str, str] | None = None
        self.current_obsolete = False

    def error(self, line: int, detail: str, hint: str) -> CatalogSyntaxError:
        """A syntax error at ``line`` of this file."""
        return CatalogSyntaxError(detail, path=self.path, line=line, hint=hint)

    def parse(self) -> Catalog:
        """Parse all lines, then build the catalog."""
        for number, raw in _logical_lines(self.lines):
            line = raw[:-1] if raw.endswith("\r") else raw
            stripped = line.lstrip(" \t")
            if not stripped:
                continue
            first = stripped[0]
            if first == "#":
                self.comment(number, stripped)
            elif first == '"':
                self.continuation(number, stripped, obsolete=False)
            else:
                self.keyword(number, stripped, obsolete=False)
        self.finish(len(self.lines))
        return self.build()

    # -- line kinds -------------------------------------------------------------------------------------

    def comment(self, number: int, line: str) -> None:
        """A ``#`` line: a comment of the next entry, an obsolete ``#~`` line, or a previous ``#|`` field."""
        kind = line[1:2]
        if kind == "~":
            rest = line[2:]
            if rest.startswith("|"):
                self.previous_line(number, rest[1:].lstrip(" \t"), obsolete=True)
                return
            rest = rest.lstrip(" \t")
            if not rest:
                return
            if rest[0] == '"':
                self.continuation(number, rest, obsolete=True)
            elif rest[0] == "#":
                raise self.error(number, "a comment inside an obsolete (#~) line",
                                 "put comments before the #~ lines, as `# text`")
            else:
                self.keyword(number, rest, obsolete=True)
            return
        if kind == "|":
            self.previous_line(number, line[2:].lstrip(" \t"), obsolete=None)
            return
        draft = self.comment_draft(number)
        draft.has_comments = True
        self.current = None
        if kind == ".":
            text = line[2:]
            draft.extracted_comments.append(text[1:] if text.startswith(" ") else text)
        elif kind == ":":
            draft.references.extend(line[2:].split())
        elif kind == ",":
            draft.flags.extend(f for f in (part.strip() for part in line[2:].split(",")) if f)
        else:
            text = line[1:]
            draft.translator_comments.append(text[1:] if text.startswith(" ") else text)

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

    def previous_line(self, number: int, rest: str, obsolete: bool | None) -> None:
        """A ``#|`` (or ``#~|``) line: a previous msgctxt/msgid/msgid_plural, or its continuation."""
        draft = self.comment_draft(number)
        draft.has_comments = True
        if obsolete:
            if draft.obsolete is False:
                raise self.error(number, "an entry mixes obsolete (#~) and active lines",
                                 "prefix every line of an obsolete entry with `#~ `, or none")
            draft.obsolete = True
        if rest.startswith('"'):
            if self.current is None or self.current[0] != "previous":
                raise self.error(number, "a continuation string after #| with nothing to continue",
                                 "start the previous field with `#| msgid \"...\"`")
            self.current_obsolete = bool(obsolete)
            draft.previous[self.current[1]] += self.strings(number, rest)
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
        draft.previous[name] = self.strings(number, rest[match.end():])
        self.current = ("previous", name)

    def keyword(self, number: int, line: str, *, obsolete: bool) -> None:
        """A ``msgctxt``/``msgid``/``msgid_plural``/``msgstr``/``msgstr[N]`` line."""
        match = _KEYWORD_RE.match(line)
        if match is None:
            word = line.split()[0] if line.split() else line
            raise self.error(number, f"unknown keyword or stray text: {word[:40]!r}",
                             "lines hold msgctxt, msgid, msgid_plural, msgstr, msgstr[N], "
                             "a \"string\" or a # comment")
        name, index = match.group(1), match.group(2)
        value = self.strings(number, line[match.end():])
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
        self.current_obsolete = obsolete

    def continuation(self, number: int, line: str, *, obsolete: bool) -> None:
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

    def strings(self, number: int, rest: str) -> str:
        """The concatenated value of the string literals that make up ``rest`` (the text after a keyword)."""
        match = _ONE_STRING_RE.match(rest)
        if match is not None:
            raw = match.group(1)
        elif _STRINGS_RE.match(rest) is not None:
            raw = "".join(m.group(1) for m in _EACH_STRING_RE.finditer(rest))
        else:
            raise self.string_error(number, rest)
        if "\\" not in raw:
            return raw
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
            match = re.compile(r'[ \t]*' + _STRING).match(body, position)
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
                text = _bytes_escapes_to_text(raw)
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
            if draft.has_comments and (self.entries or self.header is not None):
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
        self.entries.append(Entry(
            msgid=msgid,
            msgstr=fields.get("msgstr", ""),
            msgctxt=msgctxt,
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
        ))

    def build(self) -> Catalog:
        """The catalog from the header draft and the entries."""
        header = self.header
        if header is None:
            return Catalog(entries=tuple(self.entries))
        return Catalog(
            headers=_header_fields(header.fields.get("msgstr", "")),
            header_comments=tuple(header.translator_comments),
            header_flags=tuple(header.flags),
            entries=tuple(self.entries),
        )


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


def _bytes_escapes_to_text(raw: str) -> str:
    """Decode a string body whose octal/hex escapes are bytes of a UTF-8 sequence."""
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
    return out.decode("utf-8")


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
    """One entry: comments, flags, previous fields, then its keywords (``#~ `` lines if obsolete)."""
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
        return
    _wrap(out, prefix, "msgid_plural", entry.msgid_plural, width, do_wrap, directives)
    for index, form in enumerate(entry.msgstr_plural or ("", "")):
        _wrap(out, prefix, f"msgstr[{index}]", form, width, do_wrap, directives)


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
    """
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
        self.possible: list[int] | None = None
        self.overrides: list[int] | None = None

    def breaks(self, startcol: int) -> list[int] | None:
        """Where msgcat breaks the portion (indexes into the escaped text), or ``None`` for no break."""
        escaped = self.escaped
        if self.size is None:
            self.size = len(escaped) if escaped.isascii() else column_width(escaped)
        if startcol + self.size <= self.width:
            return None  # columns only grow from startcol: nothing can overflow
        if self.possible is None:
            self.possible = possible_linebreaks(escaped)
            self.overrides = _overrides(self.portion, escaped, self.protected, self.offset)
        kinds = width_linebreaks(escaped, self.width, startcol, 0, self.overrides, self.possible)
        possible = Break.POSSIBLE
        indexes = [index for index, kind in enumerate(kinds) if kind == possible]
        return indexes or None


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
    bytes, so re-runs write nothing. Otherwise the text goes to a temporary file in the same folder, which
    is flushed, fsynced and renamed over ``path``; on any error the temporary file is removed and the old
    file is left as it was. Missing parent folders are created.
    """
    data = format_catalog(catalog).encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(path, data)
    return True


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary sibling of ``path``, fsync it, then rename it over ``path``."""
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise

