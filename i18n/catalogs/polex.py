"""The lexical level of PO files: string literals, their escapes, backslash-newline joining, header fields.

gettext's lexer (``gettext-tools/src/po-lex.c``) in the small: what a ``"..."`` literal is, how its escapes
decode (octal and hex escapes are bytes, so they may spell UTF-8 across literals), how a ``\\``-newline
joins two lines, and how a header msgstr splits into fields. :mod:`i18n.catalogs.povalidate` reads lines
with these.
"""

from __future__ import annotations

import re
from pathlib import Path

from i18n.core.errors import CatalogSyntaxError, EncodingError

# String literal: a quote, then characters or backslash pairs, then a quote.
STRING = r'"([^"\\]*(?:\\.[^"\\]*)*)"'
ONE_STRING_RE = re.compile(r"[ \t]*" + STRING + r"[ \t]*\Z")
STRINGS_RE = re.compile(r"(?:[ \t]*" + STRING + r")+[ \t]*\Z")
EACH_STRING_RE = re.compile(STRING)
SPACED_STRING_RE = re.compile(r"[ \t]*" + STRING)
KEYWORD_RE = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[([0-9]+)\])?(?=[\s\"]|\Z)")
ESCAPE_RE = re.compile(r"\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)", re.DOTALL)
SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
                   "f": "\f", "v": "\v"}



def syntax_error(path: Path, line: int, detail: str, hint: str) -> CatalogSyntaxError:
    """A syntax error at ``line`` of the file at ``path``."""
    return CatalogSyntaxError(detail, path=path, line=line, hint=hint)


class _EscapeError(Exception):
    """An invalid escape sequence inside a string literal (turned into a CatalogSyntaxError)."""


def string_error(path: Path, number: int, rest: str) -> CatalogSyntaxError:
    """The error for text that should be one or more string literals but is not."""
    body = rest.strip(" \t")
    if not body:
        return syntax_error(path, number, "a keyword without a string", 'add the value in quotes, e.g. msgstr ""')
    if not body.startswith('"'):
        return syntax_error(path, number, f"expected a quoted string, found {body[:20]!r}",
                          "put the value in double quotes")
    position = 0
    while position < len(body):
        match = SPACED_STRING_RE.match(body, position)
        if match is None:
            break
        position = match.end()
    remainder = body[position:].lstrip(" \t")
    if remainder.startswith('"'):
        return syntax_error(path, number, "unterminated string", 'close the string with `"` on the same line; '
                          'write a quote inside a string as \\"')
    return syntax_error(path, number, f"unexpected text after the string: {remainder[:20]!r}",
                      'write quotes inside a string as \\" and put one string per line')


def unescape(path: Path, number: int, raw: str) -> str:
    """Decode the escape sequences of a string literal's body (octal/hex escapes are UTF-8 bytes)."""
    has_bytes = False

    def replace(match: re.Match[str]) -> str:
        nonlocal has_bytes
        code = match.group(1)
        simple = SIMPLE_ESCAPES.get(code)
        if simple is not None:
            return simple
        if code[0] == "x" and len(code) > 1:
            value = int(code[1:], 16)
        elif code[0] in "01234567":
            value = int(code, 8)
        else:
            raise _EscapeError(code)
        if value > 0xFF:
            raise _EscapeError(code)
        has_bytes = has_bytes or value >= 0x80
        return chr(value)

    try:
        text = ESCAPE_RE.sub(replace, raw)
    except _EscapeError as exc:
        raise syntax_error(path, number, f"invalid escape sequence \\{exc.args[0]}",
                         'valid escapes are \\n \\t \\" \\\\ \\r \\a \\b \\f \\v, octal \\NNN and hex '
                         '\\xHH; write a backslash as \\\\') from None
    if has_bytes:
        # Octal/hex escapes denote bytes: decode again, reassembling the UTF-8 they spell.
        try:
            text = escaped_bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            raise EncodingError("escape sequences spell bytes that are not UTF-8", path=path,
                                line=number, hint="write the characters themselves") from None
    return text


def logical_lines(lines: list[str]) -> list[tuple[int, str]]:
    """Numbered lines, with gettext's backslash-newline joining (its lexer drops every ``\\`` + newline)."""
    numbered = list(enumerate(lines, 1))
    if not any(line.endswith("\\") for line in lines):
        return numbered
    joined: list[tuple[int, str]] = []
    start = 0  # the first physical line of the logical line being joined
    pieces: list[str] = []  # joined once at the end: += would be quadratic on a long chain
    for number, line in numbered:
        if not pieces:
            start = number
        if line.endswith("\\") and number < len(lines):
            pieces.append(line[:-1])
        else:
            pieces.append(line)
            joined.append((start, "".join(pieces)))
            pieces = []
    if pieces:
        joined.append((start, "".join(pieces)))
    return joined


def escaped_bytes(raw: str) -> bytes:
    """The bytes a string body spells: its characters in UTF-8, octal/hex escapes as bytes."""
    out = bytearray()
    position = 0
    for match in ESCAPE_RE.finditer(raw):
        out += raw[position:match.start()].encode("utf-8")
        code = match.group(1)
        simple = SIMPLE_ESCAPES.get(code)
        if simple is not None:
            out += simple.encode("utf-8")
        elif code[0] == "x":
            out.append(int(code[1:], 16))
        else:
            out.append(int(code, 8))
        position = match.end()
    out += raw[position:].encode("utf-8")
    return bytes(out)


def header_fields(text: str) -> tuple[tuple[str, str], ...]:
    """The ordered ``(name, value)`` fields of a header msgstr (duplicates and order kept)."""
    fields: list[tuple[str, str]] = []
    for line in text.split("\n"):
        if not line:
            continue
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        fields.append((name, value))
    return tuple(fields)


_SPACES = " \t\n"
_LINE_NUMBER_RE = re.compile(r":([0-9]+)\Z")


def gettext_references(text: str) -> list[str]:
    """The references of a ``#:`` line as gettext reads them (``read-catalog-abstract.c``), as ``file:line``.

    Tokens are separated by spaces and tabs; a line number may follow its file name after a colon with
    spaces around it (``a.md :7``, ``a.md: 7``), or end the token (``a.md:7``). Anything else is a file name
    without a line. So ``d.md: :3`` is the file ``d.md:`` at line 3, written ``d.md::3`` by msgcat.
    """
    references: list[str] = []
    size = len(text)
    index = 0
    while index < size:
        while index < size and text[index] in _SPACES:
            index += 1
        if index == size:
            break
        start = index
        while index < size and text[index] not in _SPACES:
            index += 1
        token = text[start:index]
        after = _skip_spaces(text, index)
        if after < size and text[after] == ":":
            found = _line_number(text, _skip_spaces(text, after + 1))
            if found is not None:
                references.append(f"{token}:{found[0]}")
                index = found[1]
                continue
        if token.endswith(":"):
            found = _line_number(text, after)
            if found is not None:
                references.append(f"{token[:-1]}:{found[0]}")
                index = found[1]
                continue
        match = _LINE_NUMBER_RE.search(token)
        references.append(f"{token[:match.start()]}:{int(match.group(1))}" if match else token)
    return references


def _skip_spaces(text: str, index: int) -> int:
    while index < len(text) and text[index] in _SPACES:
        index += 1
    return index


def _line_number(text: str, index: int) -> tuple[int, int] | None:
    """The ASCII number at ``index`` that ends its token, and where it ends; ``None`` if there is none."""
    end = index
    while end < len(text) and "0" <= text[end] <= "9":
        end += 1
    if end == index or (end < len(text) and text[end] not in _SPACES):
        return None
    return int(text[index:end]), end
