"""Masking, restoring and verifying what engines must not translate."""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from i18n.content.protect import DraftRejected, Kind, Protector, TokenStyle, split_text
from tests.programs import require_program

SOURCE = ('A *single* neuron (see [the **docs**](https://example.org/a_(b) "t") or https://x.org/a_b.) '
          'mail me@x.org, `code` <abbr title="chimeric">CAR</abbr> %(name)s %s %d {file} {{ user }} 50% '
          "of BIoD &amp; snake_case \\*")


@pytest.mark.parametrize("style", list(TokenStyle))
def test_round_trip_restores_every_span(style: TokenStyle) -> None:
    protector = Protector(["BIoD"])
    masked = protector.mask(SOURCE, style)
    for span in ("https://", "me@x.org", "`code`", "abbr", "%(name)s", "{file}", "BIoD", "&amp;"):
        assert span not in masked.text
    assert "snake_case" in masked.text and "neuron" in masked.text
    assert protector.unmask(masked, masked.text) == SOURCE
    kinds = {span.kind for span in masked.spans}
    assert kinds >= {Kind.CODE, Kind.HTML, Kind.LINK, Kind.URL, Kind.EMAIL, Kind.PLACEHOLDER, Kind.EMPHASIS,
                     Kind.ESCAPE, Kind.TERM}


def test_link_text_stays_translatable_and_targets_are_masked() -> None:
    masked = Protector().mask("Read [the paper](https://doi.org/10.1/x) now.", TokenStyle.TEXT)
    assert masked.text == "Read ⟦0⟧the paper⟦1⟧ now."
    assert [s.text for s in masked.spans] == ["[", "](https://doi.org/10.1/x)"]


def test_masking_recognises_code_tags_autolinks_and_jinja_as_the_checks_do() -> None:
    from i18n.content.checks import link_targets, placeholders_of

    text = "Run `a``b` in <abbr>x</abbr>, see <https://x.org/a> {# note #}"
    masked = Protector().mask(text, TokenStyle.TEXT)
    assert [(s.kind, s.text) for s in masked.spans] == [
        (Kind.CODE, "`a``b`"), (Kind.HTML, "<abbr>"), (Kind.HTML, "</abbr>"), (Kind.HTML, "<https://x.org/a>"),
        (Kind.PLACEHOLDER, "{# note #}")]
    assert link_targets(text) == ["https://x.org/a"] and placeholders_of(text) == ["{# note #}"]


def test_plain_percent_and_underscores_in_words_are_text() -> None:
    masked = Protector().mask("50% of snake_case files", TokenStyle.TEXT)
    assert masked.spans == ()


@pytest.mark.parametrize(("output", "problem"), [
    ("Hola ⟦0⟧", "lost"),
    ("Hola ⟦0⟧ ⟦1⟧ ⟦1⟧", "doubled"),
    ("Hola ⟦0⟧ ⟦1⟧ ⟦7⟧", "tokens the source did not"),
    ("Hola ⟦0⟧ ⟦1⟧ %(nom)s", "added the placeholder"),
    ("Hola ⟦0⟧ ⟦1⟧ ⟦", "altered markup"),
    ("   ", "lost"),
])
def test_broken_drafts_are_rejected(output: str, problem: str) -> None:
    protector = Protector()
    masked = protector.mask("Hello %(name)s, see {file}", TokenStyle.TEXT)
    with pytest.raises(DraftRejected, match=problem):
        protector.unmask(masked, output)


def test_html_style_escapes_text_and_rejects_invented_tags() -> None:
    protector = Protector()
    masked = protector.mask("Fish & chips < 5 %s", TokenStyle.HTML)
    assert masked.text == "Fish &amp; chips &lt; 5 <x0/>"
    assert protector.unmask(masked, "Peix &amp; patates &lt; 5 <x0></x0>") == "Peix & patates < 5 %s"
    with pytest.raises(DraftRejected, match="altered markup"):
        protector.unmask(masked, "Peix <b>i</b> patates <x0/>")


def test_emphasis_marker_lost_by_an_engine_is_rejected() -> None:
    protector = Protector()
    masked = protector.mask("a *word* here", TokenStyle.TEXT)
    with pytest.raises(DraftRejected, match="emphasis marker"):
        protector.unmask(masked, "una paraula ⟦1⟧ aquí")


def test_surrounding_white_space_is_kept() -> None:
    protector = Protector()
    masked = protector.mask("  Hello\n", TokenStyle.TEXT)
    assert protector.unmask(masked, "Hola") == "  Hola\n"


def test_numbers_are_protected_on_request() -> None:
    masked = Protector(numbers=True).mask("Up to 10,000 partners in 2026", TokenStyle.TEXT)
    assert [s.text for s in masked.spans] == ["10,000", "2026"]


def test_split_text_cuts_at_sentence_ends_under_the_limit() -> None:
    text = "First sentence here. Second one is longer than that! Third? " + "word " * 30
    pieces = split_text(text.strip(), 60)
    assert all(len(p) < 60 for p in pieces)
    assert pieces[0] == "First sentence here. Second one is longer than that! Third?"  # sentences packed
    assert " ".join(pieces) == " ".join(text.split())


@given(st.lists(st.text(alphabet="abcdef .!?⟦⟧0123", min_size=1, max_size=40), min_size=1, max_size=30),
       st.integers(min_value=5, max_value=120))
def test_split_text_loses_no_word(words: list[str], limit: int) -> None:
    text = " ".join(words)
    pieces = split_text(text, limit)
    assert " ".join(pieces).split() == text.split() or len(text) < limit
    for piece in pieces:
        assert len(piece) < limit or " " not in piece


def test_apertium_rewrites_what_we_mask_and_masking_keeps_it() -> None:
    program = require_program("apertium")
    raw = "Hello %(name)s, your {file} is at https://example.org/a_b"
    plain = subprocess.run([program, "-u", "eng-cat"], input=raw, capture_output=True, text=True).stdout
    assert "%(name)s" not in plain or "{file}" not in plain  # the reason masking exists
    protector = Protector()
    masked = protector.mask(raw, TokenStyle.HTML)
    out = subprocess.run([program, "-u", "-f", "html", "eng-cat"], input=masked.text, capture_output=True,
                         text=True).stdout
    draft = protector.unmask(masked, out)
    assert "%(name)s" in draft and "{file}" in draft and "https://example.org/a_b" in draft
