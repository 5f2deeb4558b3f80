"""What is not prose, taken out before a check compares words, numbers, brackets or punctuation.

Inline code, link targets, URLs, e-mail addresses, HTML tags and placeholders are removed (each becomes a
space), so that a number in a URL or a bracket in a placeholder is never counted twice. Also the small
helpers the checks' messages share.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from i18n.content.protect import AUTOLINK, CODE_SPAN, EMAIL, JINJA, TAG

#: A word: letters, with inner apostrophes, hyphens and the Catalan middle dot (``l’equip``, ``cèl·lula``).
WORD_RE = re.compile(r"[^\W\d_]+(?:[·'’\-][^\W\d_]+)*")

# Inline code, autolinks, tags, e-mail addresses and Jinja are recognised as masking recognises them
# (:mod:`i18n.content.protect` holds the patterns); link targets, URLs and printf placeholders are read here.
CODE_SPAN_RE = re.compile(CODE_SPAN)
MD_LINK_RE = re.compile(
    r"(!?)\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*<?((?:[^\s()<>\\]|\\.|\([^\s()]*\))*)>?"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
AUTOLINK_RE = re.compile(AUTOLINK)
TAG_RE = re.compile(TAG)
_URL_ATTR = re.compile(r"""\b(?:href|src|cite|action)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
URL_RE = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'\[\]]+|\bwww\.[\w-]+(?:\.[\w-]+)+(?:/[^\s<>\"'\[\]]*)?")
EMAIL_RE = re.compile(rf"(?<![\w.+-])(?:mailto:)?{EMAIL}")
_URL_TRAILING = ".,;:!?)'\u2019\u201d»"
#: printf-style (``%s``, ``%(name)s``, ``%5.2f``), brace (``{name}``, ``{0}``, ``{}``) and Jinja placeholders.
_PRINTF = re.compile(r"%(?:\([\w.]+\))?[-+0# ]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlLqjzt]*[sdiufFeEgGxXocrab%]")
_PRINTF_PLAIN = re.compile(r"(?<![\d%])%(?:\([\w.]+\))[-+0#]*\d*(?:\.\d+)?[sdiufFeEgGxXocrab]"
                           r"|(?<![\w%])%[-+0#]*\d*(?:\.\d+)?[sdifr](?![\w])")
_BRACE = re.compile(r"(?<!\{)\{(?:[\w.\[\]]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")
_JINJA = re.compile(JINJA, re.DOTALL)


def placeholders_of(text: str, flags: tuple[str, ...] = ()) -> list[str]:
    """The placeholders in ``text``, in order: Jinja, printf-style and brace-style.

    Without a ``*-format`` flag, only unambiguous printf forms count (``%(name)s``; ``%s``, ``%d`` alone),
    so that ``40% de`` is a percentage, not a placeholder with a space flag.
    """
    found: list[str] = []
    rest = text
    for match in _JINJA.finditer(rest):
        tag = match.group()  # "{{user.name}}" and "{{ user.name }}" are the same placeholder
        found.append(f"{tag[:2]} {' '.join(tag[2:-2].split())} {tag[-2:]}")
    rest = _JINJA.sub(" ", rest)
    printf = _PRINTF if any(f in flags for f in ("python-format", "c-format")) else _PRINTF_PLAIN
    for match in printf.finditer(rest):
        if match.group() != "%%":
            found.append(match.group())
    rest = printf.sub(" ", rest)
    found.extend(match.group() for match in _BRACE.finditer(rest))
    return found


def _strip_placeholders(text: str, flags: tuple[str, ...]) -> str:
    text = _JINJA.sub(" ", text)
    printf = _PRINTF if any(f in flags for f in ("python-format", "c-format")) else _PRINTF_PLAIN
    text = printf.sub(lambda m: "%" if m.group() == "%%" else " ", text)
    return _BRACE.sub(" ", text)


def _trim_url(url: str) -> str:
    while url and url[-1] in _URL_TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def link_targets(text: str) -> list[str]:
    """Link targets, URLs and e-mail addresses in ``text``: Markdown links, HTML attributes, bare ones."""
    found: list[str] = []
    text = CODE_SPAN_RE.sub(" ", text)
    for match in MD_LINK_RE.finditer(text):
        found.append(match.group(3))
    text = MD_LINK_RE.sub(lambda m: f" {m.group(2)} ", text)
    for match in AUTOLINK_RE.finditer(text):
        found.append(match.group("autolink"))
    text = AUTOLINK_RE.sub(" ", text)
    for match in _URL_ATTR.finditer(text):
        found.append(match.group(1) if match.group(1) is not None else match.group(2))
    text = TAG_RE.sub(" ", text)
    for match in URL_RE.finditer(text):
        found.append(_trim_url(match.group()))
    text = URL_RE.sub(" ", text)
    found.extend(_trim_url(match.group()) for match in EMAIL_RE.finditer(text))
    return found


@lru_cache(maxsize=4096)
def prose(text: str, flags: tuple[str, ...] = ()) -> str:
    """``text`` without what is not prose: inline code, link targets, URLs, e-mails, tags, placeholders.

    Markdown links keep their text; everything removed becomes a space. Cached: every check of a unit
    asks for the prose of the same two texts.
    """
    text = CODE_SPAN_RE.sub(" ", text)
    text = MD_LINK_RE.sub(lambda m: f" {m.group(2)} ", text)
    text = AUTOLINK_RE.sub(" ", text)
    text = TAG_RE.sub(" ", text)
    text = URL_RE.sub(_keep_trailing, text)
    text = EMAIL_RE.sub(_keep_trailing, text)
    return _strip_placeholders(text, flags)


def _keep_trailing(match: re.Match[str]) -> str:
    """A space for a URL or e-mail address, keeping the punctuation after it (``(see https://x.org).``)."""
    return " " + match.group()[len(_trim_url(match.group())):]


def plural(count: int, one: str, many: str | None = None) -> str:
    """``one`` or its plural, as ``count`` needs."""
    return one if count == 1 else (many or one + "s")


def listing(items: Sequence[str] | Counter[str]) -> str:
    """The items (each as many times as counted), comma-separated."""
    values = list(items.elements()) if isinstance(items, Counter) else list(items)
    return ", ".join(values)


def differences(source: Counter[str], target: Counter[str], what: str) -> str | None:
    """``'missing X; unexpected Y'`` for two multisets, or ``None`` when they are equal."""
    missing, extra = source - target, target - source
    parts = []
    if missing:
        parts.append(f"{what} missing from the translation: {listing(missing)}")
    if extra:
        parts.append(f"{what} not in the source: {listing(extra)}")
    return "; ".join(parts) or None
