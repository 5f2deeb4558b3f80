"""Assembling a translated article: an English article and the texts of its entries in one language.

The translated body keeps the source's Markdown structure: each translatable block (heading, paragraph,
list item, quoted paragraph: see :mod:`i18n.content.segments`) has its text replaced in place, keeping the
heading's ``#``, the list marker and indentation, the ``>`` prefixes and the setext underline; code
blocks, raw HTML blocks, thematic breaks and link definitions stay exactly as written.

The caller supplies the text of each entry as a mapping from entry key to msgstr (the publisher feeds it
the approved texts; :func:`catalog_texts` builds one from a catalog's translated, non-fuzzy entries).
An article is translated completely or not at all: :func:`assemble` raises :class:`IncompleteTranslation`
listing every entry without a usable text, so a caller can never publish half a page in English.

Translations are untrusted input. Raw inline HTML other than a few harmless tags (``<abbr title>``,
``<em>``, ``<sub>``...) is made literal (``&lt;script>``), so it shows as typed in every renderer. A
text that would change the page's structure if pasted as it is (a paragraph starting with ``1986. ``
becomes a numbered list, one starting with ``# `` a heading) is escaped at line starts with Markdown
backslashes, which render as the characters typed; after reassembly the body is parsed again and must
have the same blocks with the same texts, or the entry is reported as :attr:`Gap.BREAKS_MARKDOWN`.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from i18n.catalogs.catalog import Catalog, entry_key
from i18n.content.articles import Article
from i18n.content.segments import join_lines, markdown_blocks
from i18n.core.errors import I18nError

__all__ = [
    "SAFE_ATTRIBUTES", "SAFE_INLINE_TAGS", "Gap", "IncompleteTranslation", "MissingEntry", "TranslatedArticle",
    "assemble", "catalog_texts", "inline_tag_attributes", "missing_entries", "neutralise_html",
]


class Gap(enum.Enum):
    """Why an entry keeps an article from being assembled."""

    UNTRANSLATED = "untranslated"
    """No text was supplied for the entry (untranslated, fuzzy, or not approved)."""
    BREAKS_MARKDOWN = "breaks-markdown"
    """The text would change the article's block structure (e.g. it contains a raw HTML block)."""


@dataclass(frozen=True, slots=True)
class MissingEntry:
    """An entry of the article that has no usable translation."""

    key: str
    msgctxt: str | None
    msgid: str
    gap: Gap


class IncompleteTranslation(I18nError):
    """An article cannot be assembled because some of its entries have no usable translation."""

    exit_code = 3

    def __init__(self, article_id: str, language: str, missing: tuple[MissingEntry, ...]) -> None:
        self.article_id = article_id
        self.language = language
        self.missing = missing
        keys = ", ".join(entry.key for entry in missing[:5]) + (" ..." if len(missing) > 5 else "")
        super().__init__(
            f"article {article_id} is not completely translated into {language}: "
            f"{len(missing)} entr{'y' if len(missing) == 1 else 'ies'} missing ({keys})",
            hint="translate and approve every entry of the article before publishing it",
        )


@dataclass(frozen=True, slots=True)
class TranslatedArticle:
    """One article completely translated into one language: what a mirror publishes."""

    id: str
    language: str
    """The language code (as in ``i18n.toml``: ``ca``, ``ca-valencia``)."""
    date: dt.date
    title: str
    author: str
    credits: tuple[str, ...]
    image_src: str | None
    image_alt: str | None
    image_caption: str | None
    tags: tuple[str, ...]
    body: str
    """The translated body in Markdown, with the source's block structure."""
    html_blocks: tuple[str, ...]
    """The raw HTML blocks of the English source, verbatim: the only raw HTML a renderer may trust."""
    original_title: str
    source: str
    """The English source file, relative to the workspace."""
    source_digest: str
    """:attr:`i18n.content.articles.Article.digest` of the source this translation was assembled from."""
    translation_digest: str
    """A hash of the entry texts used: changes when, and only when, a used translation changes."""

    @property
    def digest(self) -> str:
        """SHA-256 of everything a page shows: equal digests render equal pages."""
        return hashlib.sha256(json.dumps(self.content(), sort_keys=True).encode("utf-8")).hexdigest()

    def content(self) -> dict[str, object]:
        """The article's published fields as JSON-ready values (the json mirror's article shape)."""
        return {
            "id": self.id, "language": self.language, "date": self.date.isoformat(), "title": self.title,
            "author": self.author, "credits": list(self.credits),
            "image": {"src": self.image_src, "alt": self.image_alt, "caption": self.image_caption},
            "tags": list(self.tags), "body": self.body,
            "original": {"id": self.id, "title": self.original_title},
        }


def catalog_texts(catalog: Catalog) -> dict[str, str]:
    """Entry key → msgstr for the catalog's translated, non-fuzzy, non-obsolete singular entries.

    For tests and demos; publishing feeds :func:`assemble` the approved texts from the tracker instead.
    """
    return {entry.key: entry.msgstr for entry in catalog.translated_entries if entry.msgid_plural is None}


def missing_entries(article: Article, texts: Mapping[str, str]) -> tuple[MissingEntry, ...]:
    """Every entry of ``article`` without a usable text in ``texts`` (empty when it can be assembled)."""
    try:
        _build(article, "", texts)
    except IncompleteTranslation as exc:
        return exc.missing
    return ()


def assemble(article: Article, language: str, texts: Mapping[str, str]) -> TranslatedArticle:
    """``article`` translated into ``language`` with ``texts`` (entry key → translation).

    Raises :class:`IncompleteTranslation` listing every entry that has no text, or whose text would
    break the body's Markdown structure.
    """
    return _build(article, language, texts)


# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Block:
    """A translatable body block: its kind, text, entry key, and the lines of the body it occupies."""

    kind: str
    text: str
    key: str
    first: int
    end: int
    heading: str
    """``atx``, ``setext`` or ``""`` for blocks that are not headings."""
    head: str
    """The block's first source line as markdown-it reads it, without the prefix: the line's tail."""


def _build(article: Article, language: str, texts: Mapping[str, str]) -> TranslatedArticle:
    missing: list[MissingEntry] = []
    used: dict[str, str] = {}

    def text_of(key: str, msgctxt: str | None, msgid: str) -> str:
        value = texts.get(key, "")
        if not value.strip():
            if all(m.key != key for m in missing):
                missing.append(MissingEntry(key, msgctxt, msgid, Gap.UNTRANSLATED))
            return msgid
        used[key] = value
        return value

    title = _one_line(text_of("title", "title", article.title))
    alt = _one_line(text_of("image-alt", "image-alt", article.image_alt)) if article.image_alt else None
    caption = (_one_line(text_of("image-caption", "image-caption", article.image_caption))
               if article.image_caption else None)
    credits = tuple(_one_line(text_of(entry_key("credit", line), "credit", line)) for line in article.credits)

    lines = _normalise_newlines(article.body).split("\n")
    blocks, html_blocks = _blocks(lines)
    expected: list[tuple[str, str]] = []
    replacements: list[tuple[_Block, list[str]]] = []
    for block in blocks:
        translated = text_of(block.key, None, block.text)
        if block.key in used:
            translated_lines = _escaped_lines(translated, heading=bool(block.heading))
            replacements.append((block, translated_lines))
            expected.append((block.kind, join_lines("\n".join(translated_lines))))
        else:
            expected.append((block.kind, block.text))
    if missing:
        raise IncompleteTranslation(article.id, language, tuple(missing))

    for block, translated_lines in reversed(replacements):
        lines[block.first:block.end] = _with_prefixes(lines[block.first], block, translated_lines)
    body = "\n".join(lines)
    if body and not body.endswith("\n"):
        body += "\n"

    found = [(b.kind, b.text) for b in _blocks(body.split("\n"))[0]]
    if found != expected:
        broken = next((i for i, pair in enumerate(expected) if i >= len(found) or found[i] != pair),
                      len(expected) - 1)
        block = blocks[max(min(broken, len(blocks) - 1), 0)]
        raise IncompleteTranslation(article.id, language, (
            MissingEntry(block.key, None, block.text, Gap.BREAKS_MARKDOWN),))

    digest = hashlib.sha256(json.dumps(sorted(used.items())).encode("utf-8")).hexdigest()
    return TranslatedArticle(
        id=article.id, language=language, date=article.date, title=title, author=article.author,
        credits=credits, image_src=article.image_src, image_alt=alt, image_caption=caption, tags=article.tags,
        body=body, html_blocks=html_blocks, original_title=article.title, source=article.source,
        source_digest=article.digest, translation_digest=digest,
    )


def _normalise_newlines(text: str) -> str:
    """Newlines as markdown-it counts lines (it folds ``\\r\\n`` and ``\\r`` into ``\\n``)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _blocks(lines: list[str]) -> tuple[list[_Block], tuple[str, ...]]:
    """The translatable blocks of a body given as lines (as :func:`i18n.content.segments.body_blocks` sees them),
    and its raw HTML blocks."""
    found, html = markdown_blocks("\n".join(lines))
    blocks = [_Block(b.kind, b.text, entry_key(None, b.text), b.start, b.end, b.heading,
                     b.raw.split("\n", 1)[0].strip(" \t")) for b in found]
    return blocks, html


# Line starts that Markdown would read as the start of another block, and how to neutralise them.
_BLOCK_STARTS = re.compile(
    r"""^(?:
        (?P<hash>\#{1,6})(?=[ \t]|$)                               # ATX heading
      | (?P<quote>>)                                              # block quote
      | (?P<rule>(?:[-*_][ \t]*){3,}$)                             # thematic break
      | (?P<bullet>[-+*])(?=[ \t]|$)                               # bullet list
      | (?P<number>\d{1,9})(?P<delimiter>[.)])(?=[ \t]|$)          # ordered list
      | (?P<underline>=+[ \t]*$|-+[ \t]*$)                         # setext underline
      | (?P<fence>```|~~~)                                         # code fence
      | (?P<definition>\[[^\]]+\]:)                                # link reference definition
      | (?P<html><(?:script|pre|style|textarea|!--|\?|![A-Za-z]|!\[CDATA\[)
          |</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details
          |dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr
          |html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search
          |section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?=[ \t/>]|$))
    )""",
    re.VERBOSE | re.IGNORECASE,
)
_CLOSING_HASHES = re.compile(r"([ \t])(#+[ \t]*)$")
_LIST_MARKER = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)")


def _escaped_lines(text: str, heading: bool) -> list[str]:
    """A translation as Markdown lines whose starts cannot open another block.

    Only a hard break (``\\`` + newline, as :func:`i18n.content.segments.join_lines` writes it) starts a new line;
    any other newline is white space. Headings are one line.
    """
    parts = re.split(r"\\\n", text.replace("\r\n", "\n"))
    if heading:
        parts = [" ".join(parts)]
    lines = [_one_line(part) for part in parts]
    lines = [line for line in lines if line]
    escaped = [_escape_start(neutralise_html(line)) for line in lines]
    if heading and escaped:
        escaped[-1] = _CLOSING_HASHES.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped[-1])
    return [line + "\\" for line in escaped[:-1]] + escaped[-1:]


#: Inline HTML a translation may use (with :data:`SAFE_ATTRIBUTES` only); any other tag shows as text.
SAFE_INLINE_TAGS = frozenset({
    "abbr", "b", "bdi", "br", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q", "s", "samp",
    "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
})
SAFE_ATTRIBUTES = frozenset({"title", "lang", "dir", "datetime"})
_TAG = re.compile(r"^<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)"
                  r"\s*(/?)>$")
_ATTRIBUTE = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
# What CommonMark reads as raw inline HTML: tags, comments, processing instructions, declarations, CDATA.
_RAW_HTML = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?>|!--.*?-->|\?.*?\?>|![A-Za-z][^>]*>"
                       r"|!\[CDATA\[.*?\]\]>)", re.DOTALL)
# A code span: a backtick run (not escaped) and the next run of the same length.
_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)


def inline_tag_attributes(tag: str) -> tuple[str, bool, list[tuple[str, str]]] | None:
    """``(name, closing, attributes)`` of an allowed inline tag (attribute values raw), else ``None``."""
    match = _TAG.match(tag)
    if match is None or match.group(2).lower() not in SAFE_INLINE_TAGS:
        return None
    closing, name, rest = bool(match.group(1)), match.group(2).lower(), match.group(3)
    if closing and rest.strip():
        return None
    attributes: list[tuple[str, str]] = []
    for attribute in _ATTRIBUTE.finditer(rest):
        key = attribute.group(1).lower()
        if key not in SAFE_ATTRIBUTES:
            return None
        value = attribute.group(2) or ""
        attributes.append((key, value[1:-1] if value[:1] in ("'", '"') else value))
    return name, closing, attributes


def neutralise_html(text: str) -> str:
    """``text`` with raw inline HTML outside :data:`SAFE_INLINE_TAGS` made literal (``<`` → ``&lt;``).

    Every Markdown renderer then shows the tag as typed instead of passing it to the browser, whether or
    not it filters raw HTML itself (Hugo does; Jekyll and Pelican do not). Code spans are left alone:
    their text is literal already.
    """
    def neutralise(part: str) -> str:
        return _RAW_HTML.sub(lambda m: m.group(0) if inline_tag_attributes(m.group(0)) else "&lt;" + m.group(0)[1:],
                             part)

    out: list[str] = []
    position = 0
    for span in _CODE_SPAN.finditer(text):
        out.append(neutralise(text[position:span.start()]))
        out.append(span.group(0))
        position = span.end()
    out.append(neutralise(text[position:]))
    return "".join(out)


def _escape_start(line: str) -> str:
    match = _BLOCK_STARTS.match(line)
    if match is None:
        return line
    if match.group("number") is not None:
        end = match.end("number")
        return line[:end] + "\\" + line[end:]
    return "\\" + line


def _with_prefixes(first_line: str, block: _Block, translated: list[str]) -> list[str]:
    """The translated lines with the block's container prefix (``> ``, list marker, indentation)."""
    prefix = _prefix(first_line, block)
    continuation = _LIST_MARKER.sub(lambda m: " " * len(m.group(0)), prefix)
    if block.heading == "atx":
        continuation = prefix
    return [(prefix if index == 0 else continuation) + line for index, line in enumerate(translated)]


_ATX_CLOSING = re.compile(r"[ \t]+#+$")


def _prefix(line: str, block: _Block) -> str:
    """What precedes the block's text on its first line: container markers, a list marker, ``## ``.

    markdown-it gives a block's lines but not their columns; the first line's text is the tail of the
    source line (before trailing white space and an ATX heading's closing ``#``s), so the prefix is the rest.
    """
    tail = line.rstrip(" \t")
    if block.heading == "atx":
        tail = _ATX_CLOSING.sub("", tail)
    if block.head and tail.endswith(block.head):
        return tail[: len(tail) - len(block.head)]
    return line[: len(line) - len(line.lstrip(" \t"))]
