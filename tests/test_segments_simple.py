"""The fast reader of plain Markdown bodies agrees with markdown-it whenever it accepts a body."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from i18n.content.segments import body_blocks, parsed_blocks, simple_blocks

#: Characters that matter to CommonMark's block structure or to white-space handling, and plain ones.
_TRICKY = "#>-+*=_`~<[]1.)\\!|: \t\xa0\u2003\u2028\r\x0c\0é"
_WORDS = ["word", "Two words", "end.", "a *b* c", "[link](http://x)", "`code`", "x  ", "y\\", "  ", "",
          " ", "1. no", "- no", "# no", "> no", "<b>", "===", "---", "é à", "tab\there", "nbsp\xa0"]

_lines = st.one_of(st.sampled_from(_WORDS), st.text(alphabet=_TRICKY + "ab", max_size=8))
_bodies = st.lists(_lines, max_size=12).map("\n".join)
_plain = st.lists(st.sampled_from(["Some text.", "More  text ", "ends\\", "x  ", "", " ", "a *b*"]),
                  max_size=12).map("\n".join)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None)
@given(st.one_of(_bodies, _plain))
@example("Para one\nline two  \nline three\\\n\n\n  \nPara two\n")
@example("Text\n===\n")
@example("Text\n    indented\n")
@example("Text\n\xa0\n")
@example("[ref]: http://example.org\n")
def test_simple_blocks_equal_markdown_it(body: str) -> None:
    simple = simple_blocks(body)
    if simple is not None:
        assert simple == parsed_blocks(body)
    assert body_blocks(body) == parsed_blocks(body)


def test_plain_bodies_take_the_fast_path() -> None:
    body = "A first paragraph,\nwrapped  \nhard.\n\nA [link](https://example.org) and *emphasis*.\n"
    assert simple_blocks(body) == parsed_blocks(body)
    assert simple_blocks(body) is not None
    for other in ("# Heading\n", "Text\n\n- item\n", "> quote\n", "    code\n", "Tab\tinside\n", "A\r\nB\n"):
        assert simple_blocks(other) is None, other


def test_plain_bodies_do_not_import_markdown_it() -> None:
    code = ("import sys; from i18n.content.segments import body_blocks; body_blocks('Plain.\\n\\nText.\\n'); "
            "print('markdown_it' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
