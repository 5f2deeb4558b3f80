"""Merging catalogs with templates: human work is never lost, typography never fuzzes."""

from __future__ import annotations

from dataclasses import replace

from i18n.catalogs.catalog import Catalog, Entry, normalized_source
from i18n.catalogs.merge import merge
from i18n.core.languages import parse_language
from i18n.core.states import State

CA = parse_language("ca")
NOW = "2026-11-21 06:00+0000"
P1 = "Immune cells were engineered to recognise tumour cells."
P2 = "The image was taken with a scanning electron microscope."
P3 = "Results so far have been promising in clinical trials."


def template(*entries: Entry) -> Catalog:
    headers = (("Project-Id-Version", "Site"), ("POT-Creation-Date", NOW),
               ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"), ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
               ("Language-Team", "LANGUAGE <LL@li.org>"), ("Content-Type", "text/plain; charset=UTF-8"))
    return Catalog(headers=headers, entries=entries)


def translated(catalog: Catalog) -> dict[str, str]:
    return {e.msgid: e.msgstr for e in catalog.active_entries}


def first_catalog(*pairs: tuple[str, str]) -> Catalog:
    created, _ = merge(None, template(*(Entry(msgid=m) for m, _ in pairs)), CA, NOW)
    return replace(created, entries=tuple(replace(e, msgstr=t) for e, (_, t) in zip(created.entries, pairs,
                                                                                     strict=True)))


def test_new_catalog_has_complete_header_and_untranslated_entries() -> None:
    catalog, stats = merge(None, template(Entry(msgid=P1)), CA, NOW)
    assert catalog.header("Language") == "ca"
    assert catalog.header("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert catalog.header("PO-Revision-Date") == NOW
    assert catalog.header("Last-Translator") == ""
    assert catalog.header("Language-Team") == "Catalan"
    assert [name for name, _ in catalog.headers][-3:] == ["Language", "Content-Type", "Plural-Forms"]
    assert [e.state for e in catalog.entries] == [State.UNTRANSLATED]
    assert stats.new == 1


def test_inserting_a_paragraph_keeps_the_others() -> None:
    catalog = first_catalog((P1, "U1"), (P3, "U3"))
    merged, stats = merge(catalog, template(Entry(msgid=P1), Entry(msgid=P2), Entry(msgid=P3)), CA, NOW)
    assert translated(merged) == {P1: "U1", P2: "", P3: "U3"}
    assert [e.fuzzy for e in merged.entries] == [False, False, False]
    assert (stats.kept, stats.new, stats.fuzzy, stats.obsolete) == (2, 1, 0, 0)


def test_removing_a_paragraph_keeps_the_others_and_obsoletes_it() -> None:
    catalog = first_catalog((P1, "U1"), (P2, "U2"), (P3, "U3"))
    merged, stats = merge(catalog, template(Entry(msgid=P1), Entry(msgid=P3)), CA, NOW)
    assert translated(merged) == {P1: "U1", P3: "U3"}
    assert [(e.msgid, e.msgstr) for e in merged.obsolete_entries] == [(P2, "U2")]
    assert stats.obsolete == 1
    # and bringing it back revives the translation, not fuzzy
    again, _ = merge(merged, template(Entry(msgid=P1), Entry(msgid=P2), Entry(msgid=P3)), CA, NOW)
    assert translated(again) == {P1: "U1", P2: "U2", P3: "U3"}
    assert not again.obsolete_entries and not any(e.fuzzy for e in again.entries)


def test_whitespace_and_typography_fixes_do_not_fuzz() -> None:
    source = "It's a \"detailed\" picture - just a few thousandths of a millimetre..."
    fixed = "It’s a “detailed” picture — just a  few thousandths of a millimetre…"
    assert normalized_source(source) == normalized_source(fixed)
    catalog = first_catalog((source, "Traducció"))
    merged, stats = merge(catalog, template(Entry(msgid=fixed)), CA, NOW)
    (entry,) = merged.active_entries
    assert (entry.msgid, entry.msgstr, entry.fuzzy, entry.previous_msgid) == (fixed, "Traducció", False, None)
    assert stats.typography == 1 and not merged.obsolete_entries


def test_real_change_is_fuzzy_with_previous_and_old_translation() -> None:
    catalog = first_catalog((P1, "U1"))
    changed = "Immune cells were engineered to recognise and destroy tumour cells."
    merged, stats = merge(catalog, template(Entry(msgid=changed)), CA, NOW)
    (entry,) = merged.active_entries
    assert entry.fuzzy and entry.msgstr == "U1" and entry.previous_msgid == P1
    assert entry.state is State.NEEDS_WORK
    assert stats.fuzzy == 1 and not merged.obsolete_entries


def test_retitled_article_keeps_the_title_translation_as_fuzzy() -> None:
    created, _ = merge(None, template(Entry(msgid="Trained Killers", msgctxt="title")), CA, NOW)
    catalog = replace(created, entries=(replace(created.entries[0], msgstr="Assassins entrenats"),))
    merged, _ = merge(catalog, template(Entry(msgid="Hunters in the blood", msgctxt="title")), CA, NOW)
    (entry,) = merged.active_entries
    assert entry.fuzzy and entry.msgstr == "Assassins entrenats"
    assert (entry.previous_msgctxt, entry.previous_msgid) == ("title", "Trained Killers")


def test_translator_comments_survive_every_path() -> None:
    catalog = first_catalog((P1, "U1"), (P2, "U2"))
    entries = tuple(replace(e, translator_comments=("checked with the author",)) for e in catalog.entries)
    catalog = replace(catalog, entries=entries)
    merged, _ = merge(catalog, template(Entry(msgid=P1 + " Indeed.")), CA, NOW)
    assert all(e.translator_comments == ("checked with the author",) for e in merged.entries)
    assert len(merged.entries) == 2  # one fuzzy, one obsolete: nothing dropped


def test_untranslated_removed_entries_are_dropped() -> None:
    catalog = first_catalog((P1, ""), (P2, "U2"))
    merged, _ = merge(catalog, template(Entry(msgid=P2)), CA, NOW)
    assert [e.msgid for e in merged.entries] == [P2]


def test_comments_and_references_follow_the_template() -> None:
    catalog = first_catalog((P1, "U1"))
    new = Entry(msgid=P1, extracted_comments=("paragraph 2 of x",), references=("content/x.md:14",))
    merged, _ = merge(catalog, template(new), CA, NOW)
    assert merged.entries[0].references == ("content/x.md:14",)
    assert merged.entries[0].extracted_comments == ("paragraph 2 of x",)


def test_merge_is_idempotent() -> None:
    catalog = first_catalog((P1, "U1"), (P3, "U3"))
    tpl = template(Entry(msgid=P1), Entry(msgid=P2 + " x"), Entry(msgid=P3))
    once, _ = merge(catalog, tpl, CA, NOW)
    twice, stats = merge(once, tpl, CA, NOW)
    assert once == twice
    assert stats.new == stats.fuzzy == stats.obsolete == 0


def test_plural_entries_get_the_languages_number_of_forms() -> None:
    sr = parse_language("sr-Latn")
    catalog, _ = merge(None, template(Entry(msgid="%(n)d image", msgid_plural="%(n)d images",
                                            flags=("python-format",))), sr, NOW)
    assert catalog.entries[0].msgstr_plural == ("", "", "")
