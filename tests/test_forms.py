"""How the tracker stores a translation's forms: one encoding, read back one way, hashed as before."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from i18n.core.forms import decode_forms, encode_forms, forms_hash, from_legacy, text_hash, to_legacy

forms_lists = st.lists(st.text(), min_size=1, max_size=6).map(tuple)


@pytest.mark.slow
@given(forms_lists)
def test_decode_reads_back_what_encode_stored(forms: tuple[str, ...]) -> None:
    stored = encode_forms(forms)
    assert decode_forms(stored) == forms
    assert "\x00" not in stored  # legal in a PostgreSQL text column


def test_a_singular_text_is_stored_as_it_is() -> None:
    assert encode_forms(("Sensacions viscerals",)) == "Sensacions viscerals"
    assert encode_forms(("",)) == ""
    assert encode_forms(("[sic] text",)) == '["[sic] text"]'
    assert encode_forms(("%(n)d imatge", "%(n)d imatges")) == '["%(n)d imatge", "%(n)d imatges"]'


@given(forms_lists)
def test_the_hash_is_the_one_schema_0003_recorded(forms: tuple[str, ...]) -> None:
    old = "\x00".join(forms)
    assert forms_hash(forms) == text_hash(old) == hashlib.sha1(old.encode("utf-8")).hexdigest()


@given(st.lists(st.text(alphabet=st.characters(exclude_characters="\x00")), min_size=1, max_size=6).map(tuple))
def test_legacy_texts_convert_both_ways(forms: tuple[str, ...]) -> None:
    old = "\x00".join(forms)
    assert from_legacy(old) == encode_forms(forms)
    assert to_legacy(from_legacy(old)) == old
