"""polib's reading of a PO text, made up for what polib loses: a second, independent reader of catalogs.

This module is the only user of polib. :func:`polib_catalog` gives the validator's text to polib (with the
lines polib would misread written the way it reads them, see
:meth:`i18n.catalogs.povalidate.Parser.polib_text`), turns any exception polib raises into a
:class:`~i18n.core.errors.CatalogSyntaxError` and converts polib's objects into our dataclasses, taking
from the validator the few values polib cannot give back.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib

from i18n.catalogs.catalog import Catalog, Entry
from i18n.catalogs.polex import gettext_references, header_fields
from i18n.catalogs.povalidate import Draft, Parser
from i18n.core.errors import CatalogSyntaxError

# polib's syntax errors end their first sentence with "(line N)".
_POLIB_LINE_RE = re.compile(r"\(line (\d+)\)")


def polib_catalog(text: str, path: Path) -> Catalog:
    """``text`` read by the validator, then by polib: the catalog polib's reading gives."""
    parser = Parser(text, path)
    parser.validate()
    if parser.header is None and not parser.drafts:
        return Catalog()  # nothing to decode (and nothing polib could mistake for a file name)
    return convert(decode_with_polib(parser.polib_text(), path), parser)



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


def decode_with_polib(text: str, path: Path) -> _POFile:
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


def convert(po: _POFile, parser: Parser) -> Catalog:
    """Our catalog from polib's reading of ``parser``'s text, compensating for what polib loses or mangles.

    Compensated here, from polib's own objects:

    - **header fields**: polib's ``metadata`` dict loses repeated fields and surrounding white space;
      they are read, in order, from the header entry's msgstr (kept by :class:`_POFile`).
    - **file header comments**: polib files the translator comments at the top of the file in
      ``POFile.header`` instead of the first entry's ``tcomment``; they go back to the first entry (the
      one polib numbers line 0, often the header).
    - **references** are split by polib into ``(file, line)`` pairs, with ``line`` empty when there is
      none: joined back to ``file:line`` as written.
    - **flags**: polib keeps empty flags (``#, a, , b``); dropped. polib adds up the flags of several
      ``#,`` lines where gettext keeps the last line's: then the validator's.
    - **references** are read again as gettext reads them (``d.md: :3`` is ``d.md:`` at line 3).
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
      polib an equivalent line polib reads right (:meth:`Parser.polib_text`).

    Not recoverable from polib, so taken from the validator (``Draft.keep``):

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
    return _with_header(entries, header_entry, header_draft, file_comments)


def _with_header(entries: tuple[Entry, ...], header_entry: polib.POEntry, header_draft: Draft,
                 file_comments: tuple[str, ...]) -> Catalog:
    """The catalog of ``entries`` with polib's header entry (``header_draft`` is the validator's)."""
    if header_draft.keep is not None and "translator_comments" in header_draft.keep:
        header_comments = tuple(header_draft.translator_comments)
    else:
        header_comments = _comment_lines(header_entry.tcomment,
                                         file_comments if header_entry.linenum == 0 else ())
    return Catalog(
        headers=header_fields(header_entry.msgstr),
        header_comments=header_comments,
        header_extracted_comments=_extracted(header_entry, header_draft),
        header_references=_references(header_entry),
        header_flags=_flags(header_entry, header_draft),
        entries=entries,
    )


def _entry(entry: polib.POEntry, draft: Draft, file_comments: tuple[str, ...]) -> Entry:
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
        flags=_flags(entry, draft),
        translator_comments=(tuple(draft.translator_comments) if "translator_comments" in keep
                             else _comment_lines(entry.tcomment, file_comments)),
        extracted_comments=_extracted(entry, draft),
        references=_references(entry),
        previous_msgctxt=previous_msgctxt,
        previous_msgid=previous_msgid,
        previous_msgid_plural=previous_msgid_plural,
        obsolete=bool(entry.obsolete),
        line=draft.line,
    )


def _flags(entry: polib.POEntry, draft: Draft) -> tuple[str, ...]:
    """The flags: polib's, less the empty ones, or the validator's when polib added up several ``#,`` lines."""
    if draft.keep is not None and "flags" in draft.keep:
        return tuple(draft.flags)
    return tuple(flag for flag in entry.flags if flag)


def _extracted(entry: polib.POEntry, draft: Draft) -> tuple[str, ...]:
    """The extracted comments (polib strips them and skips a bare ``#.``: then the validator's)."""
    if draft.keep is not None and "extracted_comments" in draft.keep:
        return tuple(draft.extracted_comments)
    return tuple(entry.comment.split("\n")) if entry.comment else ()


def _references(entry: polib.POEntry) -> tuple[str, ...]:
    """polib's ``(file, line)`` pairs, joined back and read as gettext reads a ``#:`` line."""
    return tuple(gettext_references(" ".join(f"{file}:{line}" if line else file
                                              for file, line in entry.occurrences)))


def _comment_lines(comment: str, file_comments: tuple[str, ...]) -> tuple[str, ...]:
    """The translator comment lines of polib's ``tcomment``, after those polib filed as the file header."""
    if not comment:
        return file_comments
    return (*file_comments, *comment.split("\n"))


def _unshield(po: _POFile, table: dict[int, str]) -> None:
    """Turn the placeholders :meth:`Parser.shield` gave polib back into the characters they stand for."""
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

