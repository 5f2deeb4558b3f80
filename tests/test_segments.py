"""Segmentation: one entry per field and body block, inline Markdown kept, wrapping ignored."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from i18n.content.articles import load_markdown
from i18n.content.segments import body_blocks, join_lines, segment

ARTICLE = """---
title: Branching Out
date: 2026-11-18
author: A. Writer
credits:
  - Image by the lab
image:
  caption: Neurons (green)
---

First paragraph with *emphasis*, a [link](https://example.org/a-b?c=1), `code` and
<abbr title="x">HTML</abbr>, hard-wrapped
over three lines.

## A heading

- item one
- item two
  continued

> A quoted paragraph.

    indented code is not translated

```
fenced code neither
```

<div>raw HTML block</div>

Last paragraph.
"""


def test_blocks_kinds_text_and_lines() -> None:
    article = load_markdown(ARTICLE.encode(), "content/2026/2026-11-18-branching-out.md")
    got = [(s.kind, s.text, s.line, s.context) for s in segment(article)]
    assert got == [
        ("title", "Branching Out", 2, "title"),
        ("image-caption", "Neurons (green)", 8, "image-caption"),
        ("paragraph", "First paragraph with *emphasis*, a [link](https://example.org/a-b?c=1), `code` and "
                      '<abbr title="x">HTML</abbr>, hard-wrapped over three lines.', 11, None),
        ("heading", "A heading", 15, None),
        ("list item", "item one", 17, None),
        ("list item", "item two continued", 18, None),
        ("quote", "A quoted paragraph.", 21, None),
        ("paragraph", "Last paragraph.", 31, None),
        ("credit", "Image by the lab", 6, "credit"),
    ]
    assert [s.label for s in segment(article)][2:5] == ["paragraph 1", "heading 1", "list item 1"]


def test_rewrapping_does_not_change_text() -> None:
    one = body_blocks("A long sentence that was wrapped\nat one place.\n")
    other = body_blocks("A long sentence that\nwas wrapped at   one\n   place.\n")
    assert [b[1] for b in one] == [b[1] for b in other] == ["A long sentence that was wrapped at one place."]


def test_hard_break_is_kept_explicitly() -> None:
    assert join_lines("line one  \nline two") == "line one\\\nline two"
    assert join_lines("line one\\\nline two") == "line one\\\nline two"


# Words start with a letter so that no wrapped line starts a list, heading or quote.
words = st.lists(st.from_regex(r"[a-j][a-j*_\[\]()]{0,7}", fullmatch=True), min_size=1, max_size=30)


@given(words, st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=30))
def test_any_wrapping_of_a_paragraph_gives_one_segment(tokens: list[str], widths: list[int]) -> None:
    """However a paragraph's words are wrapped and spaced, it is one block with the same text."""
    text = "X " + " ".join(tokens)
    lines, current = [], []
    for i, token in enumerate(text.split(" ")):
        current.append(token)
        if len(current) >= widths[i % len(widths)]:
            lines.append("  ".join(current))
            current = []
    if current:
        lines.append(" ".join(current))
    wrapped = "\n".join(line.rstrip() for line in lines) + "\n"
    flat = body_blocks(text + "\n")
    assert len(flat) == 1
    assert [b[1] for b in body_blocks(wrapped)] == [b[1] for b in flat]
