"""The fast reader: a catalog written in the usual layout, read with one regular expression per entry.

The strict reader (:mod:`i18n.catalogs.povalidate`) runs Python code for every line, about 2.5 MB/s on a
catalog of short entries. Nearly every real catalog is written the way msgcat, msgmerge and editors write
it: comment lines, then ``msgctxt``/``msgid``/``msgid_plural``/``msgstr``/``msgstr[N]`` each followed by
one ``"..."`` literal, continuation lines of one literal each, ``#~ `` before every line of an obsolete
entry, blank lines between entries. :func:`scanned_catalog` recognises such a text with :data:`_ENTRY_RE`
(C code), and builds each entry from the match's groups.

It reads nothing the strict reader would read differently: whatever it does not fully recognise (an odd
spelling gettext accepts, such as a glued keyword, several literals on a line, a backslash-newline, a
blank line or a comment inside an entry, an indented line, a lone carriage return, comments after the last
entry; or any error, such as a duplicate, a misnumbered plural form or an invalid escape) makes it give up
on the whole text (``None``), which the strict reader then reads, with its results, line numbers and error
messages. The tests compare both readers on random and real catalogs.
"""

from __future__ import annotations

import re
from itertools import accumulate, repeat
from operator import attrgetter, itemgetter
from pathlib import Path

from i18n.catalogs.catalog import Catalog, Entry
from i18n.catalogs.polex import EACH_STRING_RE, KEYWORD_RE, ONE_STRING_RE, gettext_references, header_fields, unescape
from i18n.core.errors import CatalogSyntaxError, EncodingError

__all__ = ["scanned_catalog"]

# The body of a string literal on one line: characters other than quote, backslash and newline, or escapes.
_BODY = r'[^"\\\n]*(?:\\.[^"\\\n]*)*'
# ``p`` is the entry's line prefix: "" for an active entry, "#~ " for an obsolete one.
_CONTINUATIONS = r'(?:(?P=p)"' + _BODY + r'"\n)*'
_IDENTITY = attrgetter("msgctxt", "msgid")
#: How Entry's slots are set (Entry has no __post_init__: a test checks it), in the order of its fields.
_ENTRY_FIELDS = ("msgid", "msgstr", "msgctxt", "msgid_plural", "msgstr_plural", "flags", "translator_comments",
                 "extracted_comments", "references", "previous_msgctxt", "previous_msgid", "previous_msgid_plural",
                 "obsolete", "line")
if Entry.__slots__ != _ENTRY_FIELDS:
    raise TypeError("Entry's fields changed: update _ENTRY_FIELDS and _scan in i18n/catalogs/poscan.py")
_ENTRY_SETTERS = tuple(Entry.__dict__[name].__set__ for name in _ENTRY_FIELDS)
_BLANK_LINES_RE = re.compile(r"(?:[ \t]*\n)*")
_ENTRY_RE = re.compile(
    r"(?P<entry>(?:"
    # The commonest entry first: no comments, msgid and msgstr of one literal each, no backslash.
    r'msgid[ ]"(?P<simple_msgid>[^"\\\n]+)"\nmsgstr[ ]"(?P<simple_msgstr>[^"\\\n]*)"\n(?!")'
    r"|"
    r"(?P<comments>(?:\#(?:[^~\n][^\n]*)?\n|\#~\|[^\n]*\n)*)"  # comment lines, previous (#| #~|) fields
    r"(?P<p>(?:\#~[ ])?)"
    r'(?:msgctxt[ ](?P<c>"' + _BODY + r'")\n(?P<cc>' + _CONTINUATIONS + r")(?P=p))?"
    r'msgid[ ]"(?P<i>' + _BODY + r')"\n(?P<ic>' + _CONTINUATIONS + r")"
    r"(?:"
    r'(?P=p)msgid_plural[ ]"(?P<pl>' + _BODY + r')"\n(?P<plc>' + _CONTINUATIONS + r")"
    r'(?P<forms>(?:(?P=p)msgstr\[[0-9]+\][ ]"' + _BODY + r'"\n' + _CONTINUATIONS + r")+)"
    r'|(?P=p)msgstr[ ]"(?P<s>' + _BODY + r')"\n(?P<sc>' + _CONTINUATIONS + r")"
    r")"
    r")"
    r"(?:[ \t]*\n)*"  # blank lines after the entry
    r")"
    r"|(?P<rest>(?s:.+))"  # anything else: the rest of the text (findall stops there)
)
# One plural form of a matched entry, and its continuation lines.
_FORM_RE = re.compile(
    r'(?P<p>(?:\#~[ ])?)msgstr\[(?P<n>[0-9]+)\][ ]"(?P<s>' + _BODY + r')"\n(?P<sc>' + _CONTINUATIONS + r")"
)
# A ``#:`` line gettext_references would return as written: file names and positive line numbers, one
# space before each.
_PLAIN_REFERENCES_RE = re.compile(r"(?: [^\s:]+(?::[1-9][0-9]*)?)+")
#: unescape() names a file in its errors; here an error only means "let the strict reader say it".
_NO_PATH = Path("")


class _Unusual(Exception):
    """Something the fast reader does not read: the strict reader reads the text instead."""


def scanned_catalog(text: str) -> Catalog | None:
    """The catalog in PO ``text`` if it is written in the usual layout, else ``None`` (read it strictly).

    The result is the one :func:`i18n.catalogs.povalidate.validated_catalog` gives, line numbers included.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\\\n" in text:
        return None  # backslash-newline joins lines
    if text and not text.endswith("\n"):
        text += "\n"
    if "\r" in text:
        # As the strict reader reads lines: one carriage return before the end of a line is part of the line
        # end (a Windows file), any other is a character of the line.
        text = text.replace("\r\n", "\n")
    try:
        return _scan(text)
    except (_Unusual, CatalogSyntaxError, EncodingError):
        return None


def _scan(text: str) -> Catalog:
    """The catalog in ``text`` (ending with a newline); :class:`_Unusual` at anything unusual."""
    position = _BLANK_LINES_RE.match(text).end()  # type: ignore[union-attr]  # (it matches "" at least)
    # Each row: an entry's groups, or (last) the rest of the text from where no entry starts. All in C.
    rows = _ENTRY_RE.findall(text, position)
    if rows and rows[-1][-1]:
        raise _Unusual  # not an entry there (or comments after the last entry)
    # The number of each entry's first line: the newlines before it.
    starts = accumulate(map(str.count, map(itemgetter(0), rows), repeat("\n")),
                        initial=1 + text.count("\n", 0, position))
    entries: list[Entry] = []
    append = entries.append
    headers = 0
    header: tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None = None
    empty: tuple[str, ...] = ()
    none = None
    new = object.__new__
    (set_msgid, set_msgstr, set_msgctxt, set_msgid_plural, set_msgstr_plural, set_flags, set_translator_comments,
     set_extracted_comments, set_references, set_previous_msgctxt, set_previous_msgid, set_previous_msgid_plural,
     set_obsolete, set_line) = _ENTRY_SETTERS
    for (_, simple_msgid, simple_msgstr, comments, p, c, cc, i, ic, pl, plc, forms, s, sc, _), line in zip(
            rows, starts, strict=False):
        if simple_msgid:
            # Entry(simple_msgid, simple_msgstr, line=line), its slots set directly: a quarter of the time
            # on short entries (the dataclass's __init__ goes through object.__setattr__ for each field).
            entry = new(Entry)
            set_msgid(entry, simple_msgid)
            set_msgstr(entry, simple_msgstr)
            set_msgctxt(entry, none)
            set_msgid_plural(entry, none)
            set_msgstr_plural(entry, empty)
            set_flags(entry, empty)
            set_translator_comments(entry, empty)
            set_extracted_comments(entry, empty)
            set_references(entry, empty)
            set_previous_msgctxt(entry, none)
            set_previous_msgid(entry, none)
            set_previous_msgid_plural(entry, none)
            set_obsolete(entry, False)
            set_line(entry, line)
            append(entry)
            continue
        msgid = i if not ic and "\\" not in i else _value(i, ic, p)
        if not forms:
            msgstr = s if not sc and "\\" not in s else _value(s, sc, p)
            msgid_plural = none
            plural_forms = empty
        else:
            msgstr = ""
            msgid_plural = pl if not plc and "\\" not in pl else _value(pl, plc, p)
            plural_forms = _forms(forms)
        msgctxt = none if not c else _value(c[1:-1], cc, p)
        obsolete = p != ""
        if comments:
            (translator, extracted, references, flags, previous_msgctxt, previous_msgid,
             previous_msgid_plural) = _comments(comments, obsolete)
        else:
            translator = extracted = references = flags = empty
            previous_msgctxt = previous_msgid = previous_msgid_plural = none
        if not msgid and msgctxt is none and not obsolete:
            header = (msgstr, translator, extracted, references, flags)
            headers += 1
        else:
            # Positional: about a third faster than keywords, in the order of Entry's fields.
            append(Entry(msgid, msgstr, msgctxt, msgid_plural, plural_forms, flags, translator, extracted,
                         references, previous_msgctxt, previous_msgid, previous_msgid_plural, obsolete, line))
    # (msgctxt, msgid) identifies an entry: a duplicate is an error the strict reader describes.
    keys = set(map(_IDENTITY, entries))
    if header is not None:
        keys.add((None, ""))
    if len(keys) != len(entries) + headers:
        raise _Unusual
    if header is None:
        return Catalog(entries=tuple(entries))
    msgstr, translator, extracted, references, flags = header
    return Catalog(headers=header_fields(msgstr), header_comments=translator, header_flags=flags,
                   entries=tuple(entries), header_extracted_comments=extracted, header_references=references)


def _value(first: str, continuations: str, prefix: str) -> str:
    """The value of a field: its first literal's body, then its continuation lines (each unescaped alone)."""
    value = _unescaped(first)
    if not continuations:
        return value
    if "\\" not in continuations or continuations.count("\\") == continuations.count("\\n"):
        # Each line is `prefix"body"`, bodies without quotes: cut the quotes and prefixes away. An escape
        # never spans two literals, so when every one is \n (a header's lines) they are decoded in one go.
        return value + continuations[len(prefix) + 1:-2].replace(f'"\n{prefix}"', "").replace("\\n", "\n")
    return value + "".join(_unescaped(found.group(1)) for found in EACH_STRING_RE.finditer(continuations))


def _unescaped(body: str) -> str:
    """A literal's value (:func:`i18n.catalogs.polex.unescape`; its errors make the strict reader read)."""
    if "\\" not in body:
        return body
    if body.count("\\") == body.count("\\n"):
        return body.replace("\\n", "\n")  # each backslash starts a \n (a header's lines): nothing else to decode
    return unescape(_NO_PATH, 0, body)


def _forms(forms: str) -> tuple[str, ...]:
    """The plural forms of a matched entry, numbered 0, 1, 2, ... in order."""
    values: list[str] = []
    for number, found in enumerate(_FORM_RE.finditer(forms)):
        if int(found.group("n")) != number:
            raise _Unusual  # misnumbered: the strict reader says what it expected
        values.append(_value(found.group("s"), found.group("sc"), found.group("p")))
    return tuple(values)


_Comments = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], str | None, str | None,
                  str | None]


_NO_PREVIOUS = (None, None, None)


def _comments(block: str, obsolete: bool) -> _Comments:
    """The comment lines of an entry, read as the strict reader reads them (see ``Parser.comment``)."""
    translator: list[str] = []
    extracted: list[str] = []
    references: list[str] = []
    flags: list[str] = []
    previous: dict[str, list[str]] = {}
    current: list[str] | None = None  # the previous field a `#| "..."` line continues
    for line in block[:-1].split("\n"):
        kind = line[1:2]
        if kind == "|" or kind == "~":
            if kind == "~" and not obsolete:
                raise _Unusual  # "#~|" in an active entry: an error
            current = _previous(line[2:] if kind == "|" else line[3:], previous, current)
            continue
        current = None
        if kind == ".":
            extracted.append(line[3:] if line[2:3] == " " else line[2:])
        elif kind == ":":
            text = line[2:]
            references.extend(text[1:].split(" ") if _PLAIN_REFERENCES_RE.fullmatch(text)
                              else gettext_references(text))
        elif kind == ",":
            flags = [flag for part in line[2:].split(",") if (flag := part.strip())]  # the last line's
        else:
            translator.append(line[2:] if kind == " " else line[1:])
    if not previous:
        return (tuple(translator), tuple(extracted), tuple(references), tuple(flags), *_NO_PREVIOUS)
    if "msgid" not in previous:
        raise _Unusual  # "#| msgctxt without #| msgid"
    joined = {name: "".join(parts) for name, parts in previous.items()}
    return (tuple(translator), tuple(extracted), tuple(references), tuple(flags), joined.get("msgctxt"),
            joined.get("msgid"), joined.get("msgid_plural"))


def _previous(rest: str, previous: dict[str, list[str]], current: list[str] | None) -> list[str]:
    """Read a ``#|`` line (``rest`` follows the marker) into ``previous``; the field it leaves current."""
    rest = rest.lstrip(" \t")
    if rest[:1] == '"':
        if current is None:
            raise _Unusual  # a continuation with nothing to continue
        current.append(_one_literal(rest))
        return current
    match = KEYWORD_RE.match(rest)
    if match is None or match.group(2) is not None:
        raise _Unusual
    name = match.group(1)
    if (name == "msgstr" or name in previous or (name == "msgctxt" and previous)
            or (name == "msgid_plural" and "msgid" not in previous)):
        raise _Unusual  # gettext's grammar: [#| msgctxt] #| msgid [#| msgid_plural], each once
    parts = previous[name] = [_one_literal(rest[match.end():])]
    return parts


def _one_literal(rest: str) -> str:
    """The value of ``rest`` if it is one string literal (blanks around it allowed)."""
    match = ONE_STRING_RE.match(rest)
    if match is None:
        raise _Unusual  # several literals, or an error
    return _unescaped(match.group(1))

