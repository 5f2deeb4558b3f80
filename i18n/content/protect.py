"""Protection: what an engine must not translate is masked before sending and checked after.

Engines rewrite anything that looks like words: Apertium turns ``%(name)s`` into ``%(nom)*s``,
``{file}`` into ``{fitxer}`` and ``https://example.org/a_b`` into ``https://example.org/un_b``. So before
a source text is sent, :func:`mask` replaces every protected span with a numbered token: Markdown link
targets (the ``[`` and the ``](target)`` around a link's text, which stays translatable), bare URLs,
e-mail addresses, inline code, HTML tags with their attributes (and autolinks, comments, entities),
placeholders (``{name}``, ``{{ jinja }}``, ``{# jinja #}``, ``%(name)s``, ``%s``, ``%d``, ``%%``), Markdown emphasis
delimiters and backslash escapes, the glossary's do-not-translate terms and, when asked, numbers.

:func:`unmask` puts them back and rejects a draft (:class:`DraftRejected`) whose tokens come back lost,
doubled or altered, or whose restored text does not carry exactly the source's protected spans and
emphasis markers: such a draft is never stored.

Two token styles exist because engines differ in what they leave alone: ``HTML`` engines (Apertium in
``-f html`` mode) keep tags as formatting, so tokens are empty elements ``<x3/>`` and the text is
HTML-escaped; ``TEXT`` engines get ``⟦3⟧``.
"""

from __future__ import annotations

import enum
import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from i18n.core.errors import MachineTranslationError


class TokenStyle(enum.Enum):
    """How protected spans look to an engine."""

    TEXT = "text"
    HTML = "html"


class Kind(enum.Enum):
    """What a protected span is (used in rejection messages)."""

    CODE = "inline code"
    HTML = "HTML markup"
    LINK = "link target"
    URL = "URL"
    EMAIL = "e-mail address"
    PLACEHOLDER = "placeholder"
    EMPHASIS = "emphasis marker"
    ESCAPE = "Markdown escape"
    TERM = "do-not-translate term"
    NUMBER = "number"


@dataclass(frozen=True, slots=True)
class Span:
    """One protected piece of a source text."""

    kind: Kind
    text: str


@dataclass(frozen=True, slots=True)
class Masked:
    """A source text ready to send: ``text`` holds tokens where ``spans`` were (token ``n`` is span ``n``)."""

    source: str
    text: str
    spans: tuple[Span, ...]
    style: TokenStyle


class DraftRejected(MachineTranslationError):
    """A draft lost, doubled or altered something protected; the entry stays untranslated."""


# -- what is not prose -------------------------------------------------------------------------------
# The one source of these patterns: masking here and the quality checks (:mod:`i18n.content.checks`, which takes
# them out before comparing prose) must agree on what inline code, a tag or an e-mail address is.

#: Inline code: a run of backticks, the code (group ``code``), the same run (never part of a longer one).
CODE_SPAN = r"(?P<tick>`+)(?!`)(?P<code>.+?)(?<!`)(?P=tick)(?!`)"
#: An e-mail address.
EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
#: A Markdown autolink, ``<https://x.org>`` or ``<me@x.org>``; group ``autolink`` is the address.
AUTOLINK = rf"<(?P<autolink>(?:https?|ftp|mailto):[^\s<>]+|{EMAIL})>"
#: An HTML start, end or empty tag with its attributes; group ``tag`` is its name.
TAG = r"</?(?P<tag>[A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*?)?/?>"
#: Jinja expressions, statements and comments (match with ``re.DOTALL``).
JINJA = r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}"

_LINK_TARGET = r"\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)"
_ENTITY = r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});"
_PATTERNS: tuple[tuple[Kind, str], ...] = (
    (Kind.CODE, CODE_SPAN),
    (Kind.HTML, rf"<!--.*?-->|{AUTOLINK}|{TAG}|{_ENTITY}"),
    # A link's "[" only when a "](target)" closes it; the closer is its own token.
    (Kind.LINK, r"!?\[(?=(?:[^\[\]]|\[[^\[\]]*\])*\]" + _LINK_TARGET + r")|\]" + _LINK_TARGET),
    (Kind.URL, r"(?:https?://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]"),
    (Kind.EMAIL, EMAIL),
    (Kind.PLACEHOLDER, JINJA + r"|\{[A-Za-z0-9_.!:<>^\[\]-]*\}"
                       r"|%\([^()\s]+\)[-+#0 ]?\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
                       r"|%(?:\d+\$)?[-+#0]?\d*(?:\.\d+)?[sdifxXr](?![A-Za-z])|%%"),
    (Kind.ESCAPE, r"\\[\\`*_{}\[\]()#+\-.!<>\n]"),
    (Kind.EMPHASIS, r"\*{1,3}|~~|(?<![A-Za-z0-9])_{1,3}|_{1,3}(?![A-Za-z0-9])"),
)
_NUMBER = r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])"
_TEXT_TOKEN = re.compile(r"⟦\s*(\d+)\s*⟧")
_HTML_TOKEN = re.compile(r"<x(\d+)\s*/>|<x(?P<n>\d+)>\s*</x(?P=n)>")
_LEFTOVER_TAG = re.compile(r"</?[A-Za-z][^<>]*>|⟦|⟧")


class Protector:
    """Masks and verifies texts for one run: the glossary's terms and the number rule are fixed here."""

    def __init__(self, terms: Iterable[str] = (), *, numbers: bool = False) -> None:
        kinds: list[tuple[Kind, str]] = list(_PATTERNS)
        words = sorted({t for t in terms if t.strip()}, key=len, reverse=True)
        if words:
            alternatives = "|".join(re.escape(w) for w in words)
            # Terms come before URLs and placeholders lose nothing: a term never contains them.
            kinds.insert(5, (Kind.TERM, rf"(?<!\w)(?:{alternatives})(?!\w)"))
        if numbers:
            kinds.append((Kind.NUMBER, _NUMBER))
        self._kinds = tuple(kind for kind, _ in kinds)
        self._regex = re.compile("|".join(f"(?P<k{i}>{p})" for i, (_, p) in enumerate(kinds)), re.DOTALL)

    def spans(self, text: str) -> list[tuple[int, int, Span]]:
        """Every protected span of ``text``: ``(start, end, span)``, left to right, never overlapping."""
        found: list[tuple[int, int, Span]] = []
        for match in self._regex.finditer(text):
            index = next(i for i in range(len(self._kinds)) if match.group(f"k{i}") is not None)
            found.append((match.start(), match.end(), Span(self._kinds[index], match.group())))
        return found

    def mask(self, text: str, style: TokenStyle) -> Masked:
        """``text`` with each protected span replaced by a token of ``style``, ready to send."""
        parts: list[str] = []
        spans: list[Span] = []
        position = 0
        escape = style is TokenStyle.HTML
        for start, end, span in self.spans(text):
            plain = text[position:start]
            parts.append(html.escape(plain, quote=False) if escape else plain)
            parts.append(_token(len(spans), style))
            spans.append(span)
            position = end
        tail = text[position:]
        parts.append(html.escape(tail, quote=False) if escape else tail)
        return Masked(text, "".join(parts).strip(), tuple(spans), style)

    def unmask(self, masked: Masked, output: str) -> str:
        """The draft: ``output`` with its tokens restored; :class:`DraftRejected` if anything is off."""
        pattern = _HTML_TOKEN if masked.style is TokenStyle.HTML else _TEXT_TOKEN
        seen: Counter[int] = Counter()
        pieces: list[str] = []
        position = 0
        for match in pattern.finditer(output):
            number = int(next(g for g in match.groups() if g is not None))
            seen[number] += 1
            pieces.append(self._plain(output[position:match.start()], masked.style))
            if number < len(masked.spans):
                pieces.append(masked.spans[number].text)
            position = match.end()
        pieces.append(self._plain(output[position:], masked.style))
        for number, span in enumerate(masked.spans):
            if seen[number] == 0:
                raise DraftRejected(f"the draft lost the {span.kind.value} '{span.text}'")
            if seen[number] > 1:
                raise DraftRejected(f"the draft doubled the {span.kind.value} '{span.text}'")
        if unknown := sorted(n for n in seen if n >= len(masked.spans)):
            raise DraftRejected(f"the draft has tokens the source did not ({unknown[0]}): altered markup")
        draft = "".join(pieces).strip()
        if not draft:
            raise DraftRejected("the engine returned an empty translation")
        self.verify(masked.source, draft)
        head = masked.source[: len(masked.source) - len(masked.source.lstrip())]
        tail = masked.source[len(masked.source.rstrip()):]
        return head + draft + tail

    def verify(self, source: str, draft: str) -> None:
        """:class:`DraftRejected` unless ``draft`` holds exactly the protected spans of ``source``."""
        expected = Counter(span for _, _, span in self.spans(source))
        actual = Counter(span for _, _, span in self.spans(draft))
        if expected == actual:
            return
        for span, count in (expected - actual).items():
            what = "lost" if actual[span] == 0 else "altered the count of"
            raise DraftRejected(f"the draft {what} the {span.kind.value} '{span.text}' ({count} missing)")
        span = next(iter(actual - expected))
        raise DraftRejected(f"the draft added the {span.kind.value} '{span.text}', which the source lacks")

    @staticmethod
    def _plain(piece: str, style: TokenStyle) -> str:
        if _LEFTOVER_TAG.search(piece) and (style is TokenStyle.HTML or "⟦" in piece or "⟧" in piece):
            raise DraftRejected(f"the draft holds altered markup: '{piece.strip()[:60]}'")
        return html.unescape(piece) if style is TokenStyle.HTML else piece


def _token(number: int, style: TokenStyle) -> str:
    return f"<x{number}/>" if style is TokenStyle.HTML else f"⟦{number}⟧"


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+")


def split_text(text: str, limit: int) -> list[str]:
    """``text`` cut into pieces shorter than ``limit`` characters, at sentence ends where possible.

    Engines with a request size limit (Google 5,000, MyMemory 500) get each piece separately; the drafts
    are joined again with single spaces. Pieces are cut at white space only, so no token is ever split.
    """
    if len(text) < limit:
        return [text]
    sentences: list[str] = []
    position = 0
    for match in _SENTENCE_END.finditer(text):
        sentences.append(text[position:match.start() + len(match.group().rstrip())].strip())
        position = match.end()
    sentences.append(text[position:].strip())
    pieces: list[str] = []
    current = ""
    for sentence in (s for s in sentences if s):
        for part in _cut_words(sentence, limit):
            candidate = f"{current} {part}" if current else part
            if len(candidate) < limit:
                current = candidate
            else:
                pieces.append(current)
                current = part
    if current:
        pieces.append(current)
    return pieces


def _cut_words(sentence: str, limit: int) -> list[str]:
    """A sentence too long for one request, cut at white space (a word longer than ``limit`` stays whole)."""
    if len(sentence) < limit:
        return [sentence]
    parts: list[str] = []
    current = ""
    for word in sentence.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) < limit or not current:
            current = candidate
        else:
            parts.append(current)
            current = word
    if current:
        parts.append(current)
    return parts
