"""The strict PO validator: every line of a PO/POT text checked, its header and entries kept as drafts.

polib silently accepts (and sometimes truncates) malformed input, so a broken catalog would be "read" and
later rewritten without the lost text. :class:`Parser` reads every line first and rejects the first
problem with a :class:`~i18n.core.errors.CatalogSyntaxError` that says where and how to fix it: an unknown
keyword, an unterminated string, an invalid escape, a msgid without msgstr, misnumbered plural forms, text
outside strings or a duplicate ``(msgctxt, msgid)``. What it read becomes a :class:`Catalog` with
:meth:`Parser.build`; along the way it notes the lines polib would misread and writes them, for polib only,
in an equivalent form polib reads right (:meth:`Parser.polib_text`, used by :mod:`i18n.catalogs.popolib`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from i18n.catalogs.catalog import Catalog, Entry
from i18n.catalogs.polex import (
    EACH_STRING_RE,
    KEYWORD_RE,
    ONE_STRING_RE,
    STRINGS_RE,
    escaped_bytes,
    gettext_references,
    header_fields,
    logical_lines,
    string_error,
    syntax_error,
    unescape,
)
from i18n.core.errors import CatalogSyntaxError, EncodingError


def validated_catalog(text: str, path: Path) -> Catalog:
    """The catalog the validator alone reads from ``text`` (raising at its first problem)."""
    parser = Parser(text, path)
    parser.validate()
    return parser.build()


# What polib cannot read as written (see Parser.polib_text):
# - escapes other than \\ \n \t \r \v \b \f \" (it leaves \a, octal and hex escapes undecoded); this also
#   matches the harmless "\\a" (an escaped backslash, then "a"), which only costs a rewrite;
_POLIB_UNKNOWN_ESCAPE_RE = re.compile(r'\\[^\\ntrvbf"]')
# - characters str.splitlines() breaks lines at, besides "\n" (polib splits the text with it): inside a
#   line they cut it in two. "\r" before "\n" or at the end is a line end for both readers.
_SPLITTERS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_SPLITTER_RE = re.compile(f"[{_SPLITTERS}]")
_TEXT_SPLITTER_RE = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]|\r(?!\n|\\Z)")
# polib.escape(): the characters polib's writer escapes (and its reader decodes), and how.
_POLIB_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\r": "\\r", "\n": "\\n", "\v": "\\v",
                                "\b": "\\b", "\f": "\\f", '"': '\\"'})
# polib takes its argument for a file name when a file of that name exists (os.path.isfile). A last line
# of blanks (polib skips it) longer than any file name (NAME_MAX is 255 bytes) makes the guess fail.
NOT_A_FILE_NAME = "\n" + " " * 256
# Comment kinds that are not translator comments: "#." "#:" "#," "#|" "#~".
_OTHER_COMMENT_KINDS = frozenset(".:,|~")


@dataclass
class Draft:
    """An entry being parsed: everything seen since the entry's first line.

    ``keep`` names the fields whose value polib cannot give back for this entry (see
    :func:`i18n.catalogs.popolib.convert`): the conversion takes them from this draft.
    ``polib_has_comment`` says whether polib's translator comment for the entry holds text yet (polib
    drops an empty comment line while it does not).
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
    flags_lines: int = 0
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



class Parser:
    """A strict, line-oriented PO validator (one instance per text).

    :meth:`validate` checks every line and keeps what it read as :class:`Draft` values (``header`` and
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
        self.drafts: list[Draft] = []
        self.header: Draft | None = None
        self.seen: dict[tuple[str | None, str], int] = {}
        # The first line of comments after the last entry (which belong to no entry): 0 if none.
        self.trailing_comments = 0
        self.draft: Draft | None = None
        # The field that a continuation string extends: ("fields"|"previous"|"plural", key).
        self._current: tuple[str, str] | None = None
        # Continuation strings of the current field, joined into it once the field ends: growing a string
        # with += line by line would take quadratic time on a long field.
        self.parts: list[str] = []
        self.parts_draft: Draft | None = None
        self.fast = True  # whether to try reading the current field's continuation lines as one run
        self.current_obsolete = False
        # What polib reads: None while it can read the text as it is, else the lines to give it instead.
        self.polib_lines: list[str] | None = None
        # Raw line-breaking characters in the text: every line is then checked for them.
        # (a quick test first: `in` is much faster than a regular expression on a long text)
        self.has_splitters = (any(char in text for char in _SPLITTERS)
                              and _TEXT_SPLITTER_RE.search(text) is not None)
        self.line_has_splitters = False
        # Private-use characters standing for _SPLITTERS in polib's text (built when first needed).
        self.shield_table: dict[int, str] | None = None
        # polib files translator comments at the top of the file as its "header" until another line comes.
        self.polib_file_header = True
        self.plain = True  # whether the last strings() call read one string with escapes polib knows

    def error(self, line: int, detail: str, hint: str) -> CatalogSyntaxError:
        """A syntax error at ``line`` of this file."""
        return syntax_error(self.path, line, detail, hint)

    def validate(self) -> None:
        """Check all lines, keeping the header and entries as drafts."""
        if "\\\n" not in self.text:
            self.read_physical_lines()
        else:
            logical = logical_lines(self.lines)
            # polib does not join a backslash-newline: give it each logical line on its first physical line.
            joined = self.polib_lines = [""] * len(self.lines)
            for number, raw in logical:
                self.read_line(number, raw, joined)
        self.finish(len(self.lines))

    def read_physical_lines(self) -> None:
        """Read every line (no backslash-newline joins them), runs of plain continuation strings as one block.

        A long field (a one-paragraph article) is thousands of ``"..."`` lines: :meth:`plain_run` reads
        a run of those that need nothing but their quotes removed at once, with string methods.
        """
        lines = self.lines
        index, offset, count = 0, 0, len(lines)
        while index < count:
            raw = lines[index]
            if raw[:1] == '"' and self.draft is not None and self.fast and self.extends_field():
                run = self.plain_run(offset)
                if run is not None:
                    self.extend(self.draft, run[1:-2].replace('"\n"', ""))
                    index += run.count("\n")
                    offset += len(run)
                    continue
                self.fast = False  # until the next field: read this one line by line
            self.read_line(index + 1, raw, None)
            offset += len(raw) + 1
            index += 1

    def plain_run(self, offset: int) -> str | None:
        """The lines from ``offset`` up to the next keyword, comment or blank line, if each is a plain string.

        Plain: one ``"..."`` literal alone on its line, without backslash, inner quote or line-breaking
        character. ``None`` if a line of the run is not plain (it is then read line by line).
        """
        text = self.text
        if self.has_splitters:
            return None
        end = len(text)
        for marker in ("\nm", "\n#", "\n\n"):
            found = text.find(marker, offset, end)
            if found >= 0:
                end = found
        end = text.rfind("\n", offset, end + 1) + 1  # whole lines only
        if end <= offset:
            return None
        run = text[offset:end]
        lines = run.count("\n")
        if (run[0] != '"' or not run.endswith('"\n') or "\\" in run or run.count('"') != 2 * lines
                or run.count('"\n"') != lines - 1):
            return None
        return run

    def extends_field(self) -> bool:
        """Whether an active ``"..."`` line here continues a field (and not a ``#|`` previous field)."""
        current = self._current
        return current is not None and current[0] != "previous" and not self.current_obsolete

    def read_line(self, number: int, raw: str, joined: list[str] | None) -> None:
        """Read line ``number``; ``joined`` collects the logical lines for polib when lines were joined."""
        line = raw[:-1] if raw.endswith("\r") else raw
        if joined is not None:
            joined[number - 1] = line
        stripped = line.lstrip(" \t")
        if not stripped:
            return
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
        return text + NOT_A_FILE_NAME

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
        return '"' + self.shield(value.translate(_POLIB_ESCAPES)) + '"'

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
            references = gettext_references(line[2:])
            draft.references.extend(references)
            if (len(line) > 2 and not line[2].isspace()) or self.line_has_splitters:
                self.rewrite(number, self.shield("#: " + " ".join(references)) if references else "")
        elif kind == ",":
            flags = [f for f in (part.strip() for part in line[2:].split(",")) if f]
            if draft.flags_lines:
                draft.keep_ours("flags")  # polib adds the flags of every line
            draft.flags_lines += 1
            draft.flags[:] = flags  # as in gettext, each "#," line replaces the flags of the lines before
            if (len(line) > 2 and not line[2].isspace()) or self.line_has_splitters:
                self.rewrite(number, self.shield("#, " + ", ".join(flags)) if flags else "")
        else:
            self.translator_comment(number, line, draft)

    def translator_comment(self, number: int, line: str, draft: Draft) -> None:
        """A ``#`` line: a translator comment of ``draft``."""
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
        if (value and line[1:2] != " ") or self.line_has_splitters:
            self.rewrite(number, self.shield("# " + value))

    def comment_draft(self, number: int) -> Draft:
        """The entry a comment line belongs to: the current one if it has no keyword yet, else a new one."""
        draft = self.draft
        if draft is not None and draft.started:
            if not draft.complete:
                raise self.error(number, "a comment inside an entry, before its msgstr",
                                 "move the comment above the entry's msgid, or add the missing msgstr")
            self.finish(number)
            draft = None
        if draft is None:
            draft = self.draft = Draft(line=number)
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
            self.extend(draft, value)
            if not obsolete and not (prefix_ok and self.plain and not self.line_has_splitters):
                self.rewrite(number, "#| " + self.polib_string(value))
            return
        match = KEYWORD_RE.match(rest)
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
        if self.parts:
            self.flush()  # before a new field (a new plural form) is added
        match = KEYWORD_RE.match(line)
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
            draft = self.draft = Draft(line=number)
        if draft.obsolete is None:
            draft.obsolete = obsolete
        elif draft.obsolete != obsolete:
            raise self.error(number, "an entry mixes obsolete (#~) and active lines",
                             "prefix every line of an obsolete entry with `#~ `, or none")
        if self.assign(number, draft, name, index, value):
            prefix_ok = False  # "msgstr[01]": write the index as polib reads it
        self.current_obsolete = obsolete
        if not (prefix_ok and self.plain and after[0] != '"' and not self.line_has_splitters):
            written = name if index is None else f"{name}[{int(index)}]"
            self.rewrite(number, ("#~ " if obsolete else "") + written + " " + self.polib_string(value))

    def assign(self, number: int, draft: Draft, name: str, index: str | None, value: str) -> bool:
        """Set field ``name`` (``msgstr[index]`` if ``index``) of ``draft``, checking gettext's grammar.

        Returns whether polib would misread the index as written (``msgstr[01]``).
        """
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
                return True
        return False

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
        self.extend(draft, value)
        if not (prefix_ok and self.plain and not self.line_has_splitters):
            self.rewrite(number, ("#~ " if obsolete else "") + self.polib_string(value))

    @property
    def current(self) -> tuple[str, str] | None:
        """The field continuation strings extend, as ``(kind, key)``; setting it ends the previous one."""
        return self._current

    @current.setter
    def current(self, value: tuple[str, str] | None) -> None:
        if self.parts:
            self.flush()
        self._current = value
        self.fast = True

    def extend(self, draft: Draft, value: str) -> None:
        """Add a continuation string to the current field of ``draft`` (joined by :meth:`flush`)."""
        self.parts.append(value)
        self.parts_draft = draft

    def flush(self) -> None:
        """Join the continuation strings into the field they continue."""
        draft, current = self.parts_draft, self._current
        assert draft is not None and current is not None
        kind, key = current
        if kind == "fields":
            draft.fields[key] = draft.fields[key] + "".join(self.parts)
        elif kind == "previous":
            draft.previous[key] = draft.previous[key] + "".join(self.parts)
        else:
            draft.plural_forms[-1] = draft.plural_forms[-1] + "".join(self.parts)
        self.parts = []
        self.parts_draft = None

    def strings(self, number: int, rest: str) -> str:
        """The concatenated value of the string literals that make up ``rest`` (the text after a keyword).

        Sets ``plain``: whether ``rest`` was one literal whose escapes polib decodes as gettext does.
        """
        match = ONE_STRING_RE.match(rest)
        if match is not None:
            raw = match.group(1)
            self.plain = True
        elif STRINGS_RE.match(rest) is not None:
            self.plain = False
            bodies = [m.group(1) for m in EACH_STRING_RE.finditer(rest)]
            if not any("\\" in body for body in bodies):
                return "".join(bodies)
            # As in gettext, each literal is decoded on its own ("\x41" "a" is "Aa", not the byte 0x41a), and
            # octal/hex escapes are bytes, so one UTF-8 character may be spelt across literals.
            try:
                return "".join(unescape(self.path, number, body) for body in bodies)
            except EncodingError:
                try:
                    return b"".join(escaped_bytes(body) for body in bodies).decode("utf-8")
                except UnicodeDecodeError:
                    raise EncodingError("escape sequences spell bytes that are not UTF-8", path=self.path,
                                        line=number, hint="write the characters themselves") from None
        else:
            raise string_error(self.path, number, rest)
        if "\\" not in raw:
            return raw
        if self.plain and _POLIB_UNKNOWN_ESCAPE_RE.search(raw) is not None:
            self.plain = False
        return unescape(self.path, number, raw)

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
                self.trailing_comments = draft.line  # msgcat drops them too
                return
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
        entries = tuple(draft_entry(draft) for draft in self.drafts)
        header = self.header
        if header is None:
            return Catalog(entries=entries)
        return Catalog(
            headers=header_fields(header.fields.get("msgstr", "")),
            header_comments=tuple(header.translator_comments),
            header_extracted_comments=tuple(header.extracted_comments),
            header_references=tuple(header.references),
            header_flags=tuple(header.flags),
            entries=entries,
        )



def draft_entry(draft: Draft) -> Entry:
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


