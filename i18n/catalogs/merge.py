"""Merging a catalog with its template, the way ``msgmerge --previous`` does, without losing human work.

For each template entry, in the template's order:

1. **Unchanged**: the catalog has an entry with the same ``(msgctxt, msgid)`` (active or obsolete): its
   translation, translator comments and state are kept; comments and references come from the template.
   A ``# machine:`` or ``# memory:`` draft marker on an entry that is not fuzzy (a person accepted or
   rewrote the draft) is stale and dropped; the tracker keeps the entry's provenance.
2. **Typography only**: an entry whose source differs only in white space or typography (see
   :func:`i18n.catalogs.catalog.normalized_source`) keeps its translation and state, with the new msgid. A typo fix
   in a published article does not send its translation back to review.
3. **Changed**: the best-matching unused translated entry (same field for titles and captions; otherwise
   text similarity of at least :data:`SIMILARITY`) gives its translation as a starting point: the entry is
   fuzzy, with the old source as ``#| msgid``.
4. **New**: untranslated.

Catalog entries no template entry used become obsolete (``#~``) when they hold a translation or a
translator comment, so nothing a translator wrote is ever lost; untranslated ones are dropped.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace

from i18n.catalogs.catalog import FUZZY, SINGLETON_FIELDS, Catalog, Entry, normalized_source
from i18n.core.languages import Language
from i18n.core.states import MACHINE_MARKER, MEMORY_MARKER

#: Minimum similarity (difflib ratio, 0..1) for a changed source to inherit the old translation as fuzzy.
SIMILARITY = 0.6


@dataclass(frozen=True, slots=True)
class MergeStats:
    """What a merge did to the entries of one catalog; each template entry counted once."""

    kept: int = 0
    typography: int = 0
    fuzzy: int = 0
    new: int = 0
    obsolete: int = 0
    own_plural_rule: int = 0
    """Catalogs (0 or 1 per merge) that keep a ``Plural-Forms`` header other than the language's rule for new
    catalogs: their translators' forms stay as they are, and checks count against that header."""

    def __add__(self, other: MergeStats) -> MergeStats:
        return MergeStats(self.kept + other.kept, self.typography + other.typography,
                          self.fuzzy + other.fuzzy, self.new + other.new, self.obsolete + other.obsolete,
                          self.own_plural_rule + other.own_plural_rule)


def new_catalog_header(template: Catalog, language: Language, created: str
                       ) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Header fields and comments of a catalog created from ``template`` for ``language``."""
    headers: list[tuple[str, str]] = []
    for name, value in template.headers:
        if name == "PO-Revision-Date":
            value = created
        elif name == "Last-Translator":
            value = ""
        elif name == "Language-Team":
            value = language.name
            headers.append((name, value))
            headers.append(("Language", language.gettext))
            continue
        headers.append((name, value))
    if not any(name == "Language" for name, _ in headers):
        headers.append(("Language", language.gettext))
    headers.append(("Plural-Forms", language.plural_forms))
    about = template.header_comments[0] if template.header_comments else ""
    copyright_lines = tuple(c for c in template.header_comments if c.startswith("Copyright"))
    return tuple(headers), (f"{language.name} translation of {about}".strip(), *copyright_lines)


def merge(catalog: Catalog | None, template: Catalog, language: Language, created: str
          ) -> tuple[Catalog, MergeStats]:
    """``catalog`` (``None`` for a new one) brought up to date with ``template``."""
    if catalog is None:
        headers, comments = new_catalog_header(template, language, created)
        catalog = Catalog(headers=headers, header_comments=comments)
    else:
        catalog = _refresh_header(catalog, template, language)

    # The catalog's own Plural-Forms header decides how many forms its entries get (a new catalog's header
    # has the language's rule): a newer CLDR never changes an existing catalog's count.
    declared = language.for_catalog(catalog.header("Plural-Forms"))
    nplurals = declared.nplurals
    old = list(catalog.entries)
    by_identity = {e.identity: i for i, e in enumerate(old)}
    used: set[int] = set()
    result: list[Entry | None] = [None] * len(template.entries)
    kinds: list[str] = [""] * len(template.entries)

    # 1. exact identity
    for t, entry in enumerate(template.entries):
        index = by_identity.get(entry.identity)
        if index is not None and old[index].msgid_plural == entry.msgid_plural:
            used.add(index)
            result[t] = _carry(entry, old[index], nplurals, fuzzy=old[index].fuzzy, keep_previous=True)
            kinds[t] = "kept"

    # 2. typography only
    by_normal: dict[tuple[str | None, str, str | None], list[int]] = {}
    for i, e in enumerate(old):
        if i not in used:
            plural = normalized_source(e.msgid_plural) if e.msgid_plural is not None else None
            by_normal.setdefault((e.msgctxt, normalized_source(e.msgid), plural), []).append(i)
    for t, entry in enumerate(template.entries):
        if result[t] is not None:
            continue
        plural = normalized_source(entry.msgid_plural) if entry.msgid_plural is not None else None
        candidates = [i for i in by_normal.get((entry.msgctxt, normalized_source(entry.msgid), plural), [])
                      if i not in used]
        if candidates:
            index = candidates[0]
            used.add(index)
            result[t] = _carry(entry, old[index], nplurals, fuzzy=old[index].fuzzy, keep_previous=True)
            kinds[t] = "typography"

    # 3. changed: best similar translated entry, globally greedy by similarity
    pairs: list[tuple[float, int, int]] = []
    for t, entry in enumerate(template.entries):
        if result[t] is not None:
            continue
        for i, candidate in enumerate(old):
            if i in used or not _worth_carrying(candidate) or candidate.msgctxt != entry.msgctxt:
                continue
            if entry.msgctxt in SINGLETON_FIELDS:
                pairs.append((1.0 if not candidate.obsolete else 0.99, t, i))
                continue
            matcher = difflib.SequenceMatcher(None, candidate.msgid, entry.msgid, autojunk=False)
            if matcher.real_quick_ratio() < SIMILARITY or matcher.quick_ratio() < SIMILARITY:
                continue
            ratio = matcher.ratio()
            if ratio >= SIMILARITY:
                pairs.append((ratio - (0.001 if candidate.obsolete else 0.0), t, i))
    for _, t, i in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if result[t] is not None or i in used:
            continue
        used.add(i)
        previous = old[i]
        carried = _carry(template.entries[t], previous, nplurals, fuzzy=True, keep_previous=False)
        result[t] = replace(carried, previous_msgctxt=previous.msgctxt, previous_msgid=previous.msgid,
                            previous_msgid_plural=previous.msgid_plural)
        kinds[t] = "fuzzy"

    # 4. new
    for t, entry in enumerate(template.entries):
        if result[t] is None:
            result[t] = _fresh(entry, nplurals)
            kinds[t] = "new"

    entries: list[Entry] = [e for e in result if e is not None]
    obsolete_before = [e for i, e in enumerate(old) if e.obsolete and i not in used]
    newly_obsolete = [_obsolete(e) for i, e in enumerate(old)
                      if not e.obsolete and i not in used and _worth_carrying(e)]
    stats = MergeStats(
        kept=kinds.count("kept"), typography=kinds.count("typography"), fuzzy=kinds.count("fuzzy"),
        new=kinds.count("new"), obsolete=len(newly_obsolete),
        own_plural_rule=int(declared.plural_forms != language.plural_forms),
    )
    merged = replace(catalog, entries=(*entries, *obsolete_before, *newly_obsolete))
    return merged, stats


def _refresh_header(catalog: Catalog, template: Catalog, language: Language) -> Catalog:
    """The existing header with the template's creation date, and Language/Plural-Forms if missing."""
    created = template.header("POT-Creation-Date")
    if created is not None:
        catalog = catalog.with_header("POT-Creation-Date", created)
    if catalog.header("Language") is None:
        catalog = catalog.with_header("Language", language.gettext)
    if catalog.header("Plural-Forms") is None:
        catalog = catalog.with_header("Plural-Forms", language.plural_forms)
    return catalog


def _worth_carrying(entry: Entry) -> bool:
    """Whether an entry holds human (or machine) work that must not be dropped."""
    return any(entry.msgstrs) or bool(entry.translator_comments)


def _fresh(template_entry: Entry, nplurals: int) -> Entry:
    """A new untranslated entry from the template."""
    plural = ("",) * nplurals if template_entry.msgid_plural is not None else ()
    return replace(template_entry, msgstr="", msgstr_plural=plural,
                   flags=tuple(f for f in template_entry.flags if f != FUZZY), obsolete=False)


def _carry(template_entry: Entry, old: Entry, nplurals: int, fuzzy: bool, keep_previous: bool) -> Entry:
    """The template entry with ``old``'s translation and translator comments."""
    if template_entry.msgid_plural is not None:
        forms = old.msgstr_plural if old.msgid_plural is not None else (old.msgstr,)
        forms = tuple(forms[:nplurals]) + ("",) * max(0, nplurals - len(forms))
        msgstr, plural = "", forms
    else:
        msgstr = old.msgstr if old.msgid_plural is None else (old.msgstr_plural[:1] or ("",))[0]
        plural = ()
    flags = tuple(f for f in template_entry.flags if f != FUZZY)
    if fuzzy:
        flags = (FUZZY, *flags)
    keep = keep_previous and fuzzy
    comments = old.translator_comments
    if not fuzzy:
        # A draft marker on a text a person accepted (fuzzy cleared) is stale: PO editors keep the comment
        # when a translator rewrites or accepts a draft. The tracker keeps the provenance; the file stops
        # claiming machine output.
        comments = tuple(c for c in comments if not c.startswith((MACHINE_MARKER, MEMORY_MARKER)))
    return replace(
        template_entry, msgstr=msgstr, msgstr_plural=plural, flags=flags,
        translator_comments=comments, obsolete=False,
        previous_msgctxt=old.previous_msgctxt if keep else None,
        previous_msgid=old.previous_msgid if keep else None,
        previous_msgid_plural=old.previous_msgid_plural if keep else None,
    )


def _obsolete(entry: Entry) -> Entry:
    """``entry`` as an obsolete ``#~`` entry: its translation and translator comments kept."""
    return replace(entry, obsolete=True, extracted_comments=(), references=())
