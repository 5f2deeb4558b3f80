"""Catalog values: a PO/POT file's header and entries as frozen dataclasses.

These are the only shapes that cross module boundaries for gettext data. :mod:`i18n.catalogs.pofile` reads and
writes them (byte-compatible with GNU ``msgcat``), :mod:`i18n.catalogs.merge` merges a catalog with a template,
:mod:`i18n.content.extract` builds templates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from i18n.core.states import State, state_of

FUZZY = "fuzzy"


@dataclass(frozen=True, slots=True)
class Entry:
    """One gettext message.

    ``msgstr`` holds the singular translation; ``msgstr_plural`` the plural forms (then ``msgstr`` is
    unused). Comment fields hold lines without their ``#``-prefix: ``translator_comments`` are ``# ``
    lines, ``extracted_comments`` ``#. `` lines, ``references`` the items of ``#: `` lines (``path:line``).
    ``previous_*`` are the ``#|`` fields msgmerge writes for fuzzy entries. ``line`` is where the entry
    starts in the file it was read from (0 for entries that were never in a file).
    """

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    translator_comments: tuple[str, ...] = ()
    extracted_comments: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    line: int = field(default=0, compare=False)

    @property
    def fuzzy(self) -> bool:
        """Whether the entry carries the ``fuzzy`` flag."""
        return FUZZY in self.flags

    @property
    def msgstrs(self) -> tuple[str, ...]:
        """All translations: the plural forms for a plural entry, else ``(msgstr,)``."""
        return self.msgstr_plural if self.msgid_plural is not None else (self.msgstr,)

    @property
    def translated(self) -> bool:
        """Whether the entry has a translation (its first msgstr is not empty), fuzzy or not."""
        return bool(self.msgstrs and self.msgstrs[0])

    @property
    def source_text(self) -> str:
        """The source for people to read: the msgid, or ``singular | plural`` for a plural entry."""
        return self.msgid if self.msgid_plural is None else f"{self.msgid} | {self.msgid_plural}"

    @property
    def translation_text(self) -> str:
        """The translation for people to read: the msgstr, or the plural forms joined by `` | ``."""
        return " | ".join(self.msgstrs)

    @property
    def state(self) -> State:
        """The state this entry's PO text shows (see :func:`i18n.core.states.state_of`)."""
        return state_of(self.msgstrs, self.fuzzy, self.translator_comments)

    @property
    def identity(self) -> tuple[str | None, str]:
        """What gettext identifies a message by: ``(msgctxt, msgid)``."""
        return (self.msgctxt, self.msgid)

    @property
    def key(self) -> str:
        """The entry's stable key within its catalog (see :func:`entry_key`)."""
        return entry_key(self.msgctxt, self.msgid)

    def with_flag(self, flag: str, present: bool) -> Entry:
        """A copy with ``flag`` added or removed (flags keep their order)."""
        flags = tuple(f for f in self.flags if f != flag)
        if present:
            flags = (flag, *flags) if flag == FUZZY else (*flags, flag)
        return replace(self, flags=flags)


@dataclass(frozen=True, slots=True)
class Catalog:
    """A PO or POT file: header comments, header fields (in order), header flags and entries.

    The header entry keeps its ``#.`` comments and ``#:`` references too, as msgcat does (rare: a hand-made
    file); they come after ``entries`` so that positional construction stays as it was.

    ``headers`` is an ordered tuple of ``(name, value)`` pairs: the PO header is an ordered, repeatable
    list of fields, not a mapping. Use :meth:`header` to look one up.
    """

    headers: tuple[tuple[str, str], ...] = ()
    header_comments: tuple[str, ...] = ()
    header_flags: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = ()
    header_extracted_comments: tuple[str, ...] = ()
    header_references: tuple[str, ...] = ()
    charset: str = field(default="UTF-8", compare=False)
    """The charset the file was read in (its header's); the catalog is always written in UTF-8."""

    def header(self, name: str) -> str | None:
        """The value of header field ``name`` (case-insensitive), or ``None``."""
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None

    def with_header(self, name: str, value: str) -> Catalog:
        """A copy with header field ``name`` set (replaced in place, or appended)."""
        lowered = name.lower()
        if any(k.lower() == lowered for k, _ in self.headers):
            headers = tuple((k, value) if k.lower() == lowered else (k, v) for k, v in self.headers)
        else:
            headers = (*self.headers, (name, value))
        return replace(self, headers=headers)

    @property
    def active_entries(self) -> tuple[Entry, ...]:
        """Entries that are not obsolete: what gets counted, translated and published."""
        return tuple(e for e in self.entries if not e.obsolete)

    @property
    def translated_entries(self) -> tuple[Entry, ...]:
        """Active entries with a translation that is not fuzzy: what ``msgfmt`` compiles and what
        ``msgattrib --translated --no-fuzzy --no-obsolete`` keeps (polib's ``translated_entries()``)."""
        return tuple(e for e in self.entries if not e.obsolete and not e.fuzzy and e.translated)

    def restricted_to(self, keys: Collection[str]) -> Catalog:
        """A copy holding only the translated entries whose key is in ``keys`` (e.g. the approved ones)."""
        return replace(self, entries=tuple(e for e in self.translated_entries if e.key in keys))

    @property
    def obsolete_entries(self) -> tuple[Entry, ...]:
        """Entries kept as ``#~`` because their source is gone."""
        return tuple(e for e in self.entries if e.obsolete)


def normalized_source(text: str) -> str:
    """``text`` with typography folded, for deciding whether a source change is only cosmetic.

    Two source texts equal under this function are the same message for translation purposes (see
    ``workflow.md``, "Source corrections"): white space runs (including line wrapping and non-breaking
    spaces) become one space and are trimmed; curly quotes, primes and guillemet-free quote variants
    become straight quotes; dashes and hyphen variants become ``-``; the ellipsis character becomes
    ``...``.
    """
    return " ".join(text.translate(_TYPOGRAPHY).split())


_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u2026": "...", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
})


def entry_key(msgctxt: str | None, msgid: str) -> str:
    """The stable key of an entry within its catalog.

    Field entries carry their field as ``msgctxt`` (``title``, ``image-alt``, ``image-caption``) and use
    it as key, so the title keeps its key when reworded. Entries that can repeat (body blocks, credit
    lines, UI strings) are keyed by a hash of their typography-normalised text, prefixed by their
    msgctxt if they have one (``credit-…``): inserting or removing a paragraph never changes another
    paragraph's key, and a typo-level correction keeps the key.
    """
    if msgctxt in SINGLETON_FIELDS:
        return msgctxt
    digest = hashlib.sha1(normalized_source(msgid).encode("utf-8")).hexdigest()[:10]
    return f"{msgctxt}-{digest}" if msgctxt else digest


#: Article fields that occur at most once per article; their msgctxt is also their key.
SINGLETON_FIELDS = frozenset({"title", "image-alt", "image-caption"})
