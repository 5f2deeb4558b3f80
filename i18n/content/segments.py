"""Segmentation: an article becomes the ordered list of segments a translator translates.

One segment per translatable field (title, image alt text, caption, each credit line) and one per block
of the body: heading, paragraph, list item, quoted paragraph. A hard-wrapped paragraph is one segment with
its lines joined by single spaces (runs of white space collapse, so re-wrapping a paragraph never changes
its text); a hard line break is kept as Markdown's explicit ``\\`` + newline. Inline Markdown (emphasis,
links with their targets, inline code, inline HTML) stays inside the text, as po4a and mdpo do. Code
blocks, raw HTML blocks and thematic breaks are not translatable, nor is the author's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from i18n.content.articles import Article

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of an article to translate."""

    kind: str
    """``title``, ``image-alt``, ``image-caption``, ``credit``, ``heading``, ``paragraph``,
    ``list item`` or ``quote``."""
    text: str
    line: int
    """Line in the article's source file."""
    context: str | None
    """The msgctxt the entry gets: the field name for front-matter fields, ``None`` for body blocks."""
    number: int
    """1-based position among the segments of the same kind (paragraph 2, credit 1, ...)."""

    @property
    def label(self) -> str:
        """What the segment is, for the translator: ``title``, ``paragraph 2``, ``credit line 1``."""
        if self.kind in ("title", "image-alt", "image-caption"):
            return {"title": "title", "image-alt": "image alt text", "image-caption": "image caption"}[self.kind]
        noun = "credit line" if self.kind == "credit" else self.kind
        return f"{noun} {self.number}"


def segment(article: Article) -> tuple[Segment, ...]:
    """The article's segments in the page's reading order: title, image, body blocks, credit lines."""
    counts: dict[str, int] = {}
    segments: list[Segment] = []

    def add(kind: str, text: str, line: int, context: str | None) -> None:
        counts[kind] = counts.get(kind, 0) + 1
        segments.append(Segment(kind, text, line, context, counts[kind]))

    for field in article.fields:
        if field.name != "credit":
            add(field.name, field.text, field.line, field.name)
    single_line = article.source.endswith(".jsonl")
    for kind, text, offset in body_blocks(article.body):
        add(kind, text, article.body_line if single_line else article.body_line + offset, None)
    for field in article.fields:
        if field.name == "credit":
            add(field.name, field.text, field.line, field.name)
    return tuple(segments)


def body_blocks(markdown: str) -> list[tuple[str, str, int]]:
    """The translatable blocks of a Markdown body: ``(kind, text, 0-based line offset)``."""
    simple = simple_blocks(markdown)
    return simple if simple is not None else parsed_blocks(markdown)


#: What a line may not start with in a body :func:`simple_blocks` reads: the first characters of every
#: CommonMark block but the paragraph (headings, quotes, lists, rules, setext underlines, fences, HTML,
#: link reference definitions, indented code) and, to be safe, every digit.
_BLOCK_START = frozenset("#>-+*=_`~<[0123456789 ")
#: White space other than spaces and line feeds (tabs, carriage returns, Unicode spaces) and NUL: a body
#: with any of them goes to markdown-it, whose rules for them (tab stops, trimming) are subtler.
_UNSIMPLE = re.compile(r"[^\S \n]|\0")


def simple_blocks(markdown: str) -> list[tuple[str, str, int]] | None:
    """:func:`body_blocks` of a body of plain paragraphs without markdown-it; ``None`` if it is not one.

    A plain body is paragraphs separated by blank lines, no line starting with a character that can
    start another kind of block, and no white space but spaces and line feeds. Most articles are like that,
    and reading them this way is many times faster than parsing (and spares importing markdown-it); a test
    checks with generated bodies that the result is always the parser's.
    """
    if _UNSIMPLE.search(markdown):
        return None
    blocks: list[tuple[str, str, int]] = []
    lines = markdown.split("\n")
    start = 0
    for number, line in enumerate(lines):
        if not line.strip(" "):
            if start < number:
                text = join_lines("\n".join(lines[start:number]))
                if text:
                    blocks.append(("paragraph", text, start))
            start = number + 1
        elif line[0] in _BLOCK_START:
            return None
    if start < len(lines):
        text = join_lines("\n".join(lines[start:]))
        if text:
            blocks.append(("paragraph", text, start))
    return blocks


@dataclass(frozen=True, slots=True)
class MarkdownBlock:
    """A translatable block of a Markdown body as markdown-it's CommonMark parser reads it.

    The one classification of body blocks: segmentation (:func:`parsed_blocks`) and reassembly of a
    translated body (:mod:`i18n.content.assemble`) both use it, so a translation always lands on the block it was
    made for.
    """

    kind: str
    """``heading``, ``paragraph``, ``list item`` or ``quote``."""
    text: str
    """The block's text, its lines joined (:func:`join_lines`)."""
    raw: str
    """The block's inline source as markdown-it gives it (container prefixes removed, lines kept)."""
    start: int
    """0-based first line of the block in the body."""
    end: int
    """0-based line after the block."""
    heading: str
    """``atx`` or ``setext`` for a heading, ``""`` otherwise."""


def markdown_blocks(markdown: str) -> tuple[tuple[MarkdownBlock, ...], tuple[str, ...]]:
    """The translatable blocks of a Markdown body, and its raw HTML blocks (which are not translated)."""
    blocks: list[MarkdownBlock] = []
    html: list[str] = []
    containers: list[str] = []
    pending: tuple[str, str] | None = None
    for token in _parser().parse(markdown):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            containers.append(kind)
        elif kind in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            containers.pop()
        elif kind == "html_block":
            html.append(token.content)
        elif kind == "heading_open":
            pending = ("heading", "atx" if token.markup.startswith("#") else "setext")
        elif kind == "paragraph_open":
            inner = containers[-1] if containers else None
            pending = ("quote" if inner == "blockquote_open" else "list item" if inner else "paragraph", "")
        elif kind == "inline" and pending is not None:
            text = join_lines(token.content)
            if text and token.map is not None:
                blocks.append(MarkdownBlock(pending[0], text, token.content, token.map[0], token.map[1],
                                            pending[1]))
            pending = None
    return tuple(blocks), tuple(html)


def parsed_blocks(markdown: str) -> list[tuple[str, str, int]]:
    """:func:`body_blocks` by markdown-it's CommonMark parser, for any body."""
    return [(block.kind, block.text, block.start) for block in markdown_blocks(markdown)[0]]


_SPACES = re.compile(r"[ \t]+")


def join_lines(content: str) -> str:
    """A block's source lines as one line: soft breaks become spaces, hard breaks ``\\`` + newline."""
    lines = content.split("\n")
    parts: list[str] = []
    for index, raw in enumerate(lines):
        last = index == len(lines) - 1
        hard = not last and (raw.endswith("  ") or raw.endswith("\\"))
        line = _SPACES.sub(" ", raw.strip())
        if hard and not line.endswith("\\"):
            line += "\\"
        if not line:
            continue
        parts.append(line + ("\n" if hard else " " if not last else ""))
    return "".join(parts).strip(" ")


@cache
def _parser() -> MarkdownIt:
    """One CommonMark parser for the process (building one compiles its rules; parsing is reentrant)."""
    from markdown_it import MarkdownIt  # lazy: markdown_it is slow to import; plain bodies never need it

    return MarkdownIt("commonmark")
