"""Writing PO/POT text byte for byte as GNU ``msgcat`` (gettext 0.21) does.

Running msgcat, msgmerge or an editor that normalises with gettext over our files changes nothing, and our
own re-runs change nothing either. The layout rules are those of ``gettext-tools/src/write-po.c``; line
wrapping is :mod:`i18n.catalogs.linebreak`.
"""

from __future__ import annotations

import functools
import re

from i18n.catalogs.catalog import FUZZY, Catalog, Entry
from i18n.catalogs.linebreak import Break, column_width, fast_break_indexes, possible_linebreaks, width_linebreaks

__all__ = ["PAGE_WIDTH", "format_catalog"]

#: The page width msgcat wraps to by default.
PAGE_WIDTH = 79

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
    if (catalog.headers or catalog.header_comments or catalog.header_flags or catalog.header_extracted_comments
            or catalog.header_references):
        header_text = "".join(f"{name}: {value}\n" for name, value in catalog.headers)
        _write_comments(out, catalog.header_comments, catalog.header_extracted_comments,
                        catalog.header_references, width)
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


#: How many formatted entries :func:`_entry_text` keeps. An entry is written again soon after or never: into
#: its template, then into each language's catalog of the same article (a few hundred entries later at most).
#: A larger cache only grows: at 65,536 entries it held over 100 MB in each worker of a 50,000-article sync.
_ENTRY_CACHE_SIZE = 1 << 12


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


#: How many wrapped strings :func:`_wrapped` keeps: as for :data:`_ENTRY_CACHE_SIZE`, a string is wrapped
#: again within the same article (its template, then each language) or never, so a few thousand suffice.
_WRAP_CACHE_SIZE = 1 << 12


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
