"""The word-by-word fast path of line breaking gives exactly the breaks of the reference transcription.

:func:`i18n.catalogs.linebreak.fast_break_indexes` must agree with :func:`i18n.catalogs.linebreak.width_linebreaks` (the
transcription of libunistring that tests/test_pofile.py checks against GNU msgcat) on every string it accepts,
and PO output must be the same bytes with and without it. ``FAST_EXAMPLES`` raises the number of generated
cases (default 2,000 per property).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from i18n.catalogs import pofile
from i18n.catalogs.catalog import Catalog, Entry
from i18n.catalogs.linebreak import Break, fast_break_indexes, possible_linebreaks, width_linebreaks

EXAMPLES = int(os.environ.get("FAST_EXAMPLES", "2000"))
FAST_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces the fast path handles: printable ASCII and one-column characters of stateless classes.
SIMPLE_WORDS = [
    "a", "x", "the", "cell", "organoid", "a" * 85,
    "co-operate", "virus-like", "re-", "-", "--", "---", "a-b-c", "3-4", "-5", "x/y", "/", "//", "and/or",
    "https://example.org/research/retina-enamel", "http://example.com/a_b/c?d=e&f=1#top", "www.example.org",
    "[full story](https://example.org/a-b)", "*young resolution*", "**bold**", "`code`", "<b>x</b>", "<br/>",
    "76,997", "3.3", "1,000.5%", "$3", "#4", "50%", "10:30", "1/2", "2021.", "(1)", "[2]", "{3}", "e.g.", "i.e.",
    "U.S.A.", "!", "?", "!?", ";", ":", ",", ".", "...", "'", "''", "'q'", "\"", "\"quoted\"", "\\", "\\\\", "%",
    "%s", "%d", "%(name)s", "%%", "%-5.2f", "&", "*", "+", "=", "<", ">", "@", "_", "~", "^", "|", "(", ")",
    "[", "]", "{", "}", "$", "#", "d'habitants", "l'àvia", "Tomás", "col·lecció", "pingüí", "Niño", "naïve",
    "straße", "“quoted”", "‘single’", "it’s", "—", "–", "…", "«", "»", "¿", "¡", "€", "£", "§", "°", "±",
    "\u00a0", "a\u00a0b", "\u2010", "\u2011", "‐x", "x—y", "1–2",
]
# Pieces the fast path must turn down (the reference handles them).
OTHER_WORDS = [
    "中文", "日本語", "한국어", "。", "e\u0301", "\u200b", "\u200d", "😀", "👍🏽", "🇪🇸", "\u00ad", "א", "אב-ג",
    "\t", "\n", "\r", "\x01", "\x7f", "\u3000",
]
SEPARATORS = [" ", " ", " ", "", "  ", "   ", "-", "/", " — ", " - ", ". ", ", ", " (", ") "]


def texts(words: list[str], max_words: int = 40) -> st.SearchStrategy[str]:
    return st.lists(st.tuples(st.sampled_from(words), st.sampled_from(SEPARATORS)), max_size=max_words).map(
        lambda pairs: "".join(word + separator for word, separator in pairs))


SIMPLE_TEXTS = texts(SIMPLE_WORDS) | st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=200)
ANY_TEXTS = SIMPLE_TEXTS | texts(SIMPLE_WORDS + OTHER_WORDS) | st.text(max_size=120)


def reference(text: str, width: int, start: int, end: int, forbidden: frozenset[int]) -> list[int]:
    overrides = [Break.PROHIBITED if index in forbidden else Break.UNDEFINED for index in range(len(text))]
    kinds = width_linebreaks(text, width, start, end, overrides)
    return [index for index, kind in enumerate(kinds) if kind == Break.POSSIBLE]


@st.composite
def cases(draw: st.DrawFn, strings: st.SearchStrategy[str]) -> tuple[str, int, int, int, frozenset[int]]:
    text = draw(strings)
    width = draw(st.integers(-2, 100) | st.sampled_from([76, 77, 74, 2**31 - 3]))
    start = draw(st.integers(0, 30))
    end = draw(st.integers(0, 3))
    forbidden = draw(st.frozensets(st.integers(0, max(len(text) - 1, 0)), max_size=len(text) // 3)
                     if text else st.just(frozenset[int]()))
    return text, width, start, end, forbidden


@pytest.mark.slow
@FAST_SETTINGS
@given(cases(SIMPLE_TEXTS))
@example(("see http://example.org/a-b/c?d=e&f=1, ok", 10, 0, 0, frozenset()))
@example(("  lead  spaces and trailing  ", 5, 3, 1, frozenset()))
@example(("x" * 100 + " y", 20, 7, 0, frozenset()))
def test_fast_path_takes_simple_text_and_agrees(case: tuple[str, int, int, int, frozenset[int]]) -> None:
    text, width, start, end, forbidden = case
    fast = fast_break_indexes(text, width, start, end, forbidden)
    assert fast is not None, text
    assert fast == reference(text, width, start, end, forbidden)


@pytest.mark.slow
@FAST_SETTINGS
@given(cases(ANY_TEXTS))
def test_fast_path_agrees_or_declines(case: tuple[str, int, int, int, frozenset[int]]) -> None:
    text, width, start, end, forbidden = case
    fast = fast_break_indexes(text, width, start, end, forbidden)
    if fast is not None:
        assert fast == reference(text, width, start, end, forbidden)


def test_fast_path_declines_stateful_or_wide_characters() -> None:
    for word in OTHER_WORDS:
        assert fast_break_indexes(f"a long line {word} with it " * 5, 20) is None, repr(word)


# PO output: the same bytes through the fast path and through the reference alone.

def clear_caches() -> None:
    """Forget every memoised text: entries (``_entry_text``) as well as wrapped strings (``_wrapped``)."""
    pofile._entry_text.cache_clear()
    pofile._wrapped.cache_clear()


def both_ways(catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    clear_caches()
    fast = pofile.format_catalog(catalog)
    clear_caches()
    with monkeypatch.context() as patch:
        patch.setattr(pofile, "fast_break_indexes", lambda *args: None)
        slow = pofile.format_catalog(catalog)
    clear_caches()
    return fast, slow


PO_TEXTS = texts([*SIMPLE_WORDS, "\n", "\n\n", "\t", "%s", "%(name)s", "%5.2f", "%", '"', "\\"], 60) | ANY_TEXTS
FLAGS = st.sampled_from([(), ("python-format",), ("c-format",), ("no-wrap",), ("fuzzy", "python-format")])


@pytest.mark.slow
@settings(max_examples=max(EXAMPLES // 4, 50), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(PO_TEXTS, PO_TEXTS, FLAGS, st.booleans()), min_size=1, max_size=5,
                unique_by=lambda item: item[0]))
def test_po_output_is_the_same_with_and_without_fast_path(
        monkeypatch: pytest.MonkeyPatch, items: list[tuple[str, str, tuple[str, ...], bool]]) -> None:
    entries = tuple(Entry(msgid=msgid or "x", msgstr=msgstr, flags=flags, obsolete=obsolete and bool(msgstr),
                          previous_msgid=msgstr if flags and flags[0] == "fuzzy" else None)
                    for msgid, msgstr, flags, obsolete in items)
    catalog = Catalog(headers=(("Content-Type", "text/plain; charset=UTF-8"),), entries=entries)
    fast, slow = both_ways(catalog, monkeypatch)
    assert fast == slow


def test_both_ways_really_takes_the_slow_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above is not vacuous: with the fast path off, no memoised text is reused."""
    calls: list[str] = []
    real = possible_linebreaks

    def counting(text: str) -> list[int]:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(pofile, "possible_linebreaks", counting)
    long = "A sentence long enough to be wrapped by msgcat at its page width of seventy-nine columns. " * 2
    fast, slow = both_ways(Catalog(entries=(Entry(msgid=long, msgstr=long),)), monkeypatch)
    assert fast == slow and calls, "the reference line breaking ran for the slow output"


def test_wrap_cache_key_covers_everything_that_shapes_the_output() -> None:
    text = "A fairly long sentence with %(a long key name)s in it, and \"quotes\", that has to wrap. " * 2
    combinations = [(prefix, name, width, wrap, directives)
                    for prefix in ("", "#~ ", "#| ") for name in ("msgid", "msgstr[1]") for width in (79, 30)
                    for wrap in (True, False) for directives in (None, "python")]
    alone = {}
    for combination in combinations:
        pofile._wrapped.cache_clear()
        prefix, name, width, wrap, directives = combination
        alone[combination] = pofile._wrapped(prefix, name, text, width, wrap, directives)
    # the example is one where each of these changes the output
    assert alone[("", "msgid", 30, True, None)] != alone[("", "msgid", 30, True, "python")]
    assert alone[("", "msgid", 30, True, None)] != alone[("", "msgid", 79, True, None)]
    assert alone[("", "msgid", 79, True, None)] != alone[("", "msgid", 79, False, None)]
    pofile._wrapped.cache_clear()
    for combination in combinations + combinations[::-1]:
        prefix, name, width, wrap, directives = combination
        assert pofile._wrapped(prefix, name, text, width, wrap, directives) == alone[combination]
    pofile._wrapped.cache_clear()
