"""Quality checks: small functions that compare one translation with its source.

In the style of Translate Toolkit's pofilter and Babel's checkers, a check is a function of one
:class:`Unit` (a source text, its translation and what the check needs to know about them) that returns
when the translation passes and raises :class:`CheckFailed` with what is wrong when it does not. The
check's docstring says how to fix it; the user sees ``"<what is wrong>. <docstring>"``. Each check has a
stable code and a default severity (:class:`Severity`), both listed in :data:`CHECKS` and in
``workflow.md``; a workspace can disable a check or change its severity in ``[checks]`` of ``i18n.toml``
(see :func:`load_config`).

Errors are what breaks the published page or changes its meaning (markup, links, numbers, placeholders,
empty translations, Apertium's unknown-word marks, do-not-translate terms); warnings are what a reviewer
should look at (the rest).

Checks look at prose: before comparing words, numbers, brackets or punctuation they take out what is not
prose (inline code, link targets, URLs, e-mail addresses, HTML tags, placeholders), so that a number in a
URL or a bracket in a placeholder is never counted twice. Plural entries are checked form by form, each
form against ``msgid`` (form 0) or ``msgid_plural``.
"""

from __future__ import annotations

import enum
import gettext
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from i18n.catalogs.catalog import Entry, normalized_source
from i18n.content.protect import AUTOLINK, CODE_SPAN, EMAIL, JINJA, TAG
from i18n.core.config import Settings, TableReader
from i18n.core.glossary import Glossary
from i18n.core.languages import Language, number_symbols


class Severity(enum.Enum):
    """How bad a problem is: an ``error`` blocks approval and makes ``i18n check`` exit 3."""

    ERROR = "error"
    WARNING = "warning"


class CheckFailed(Exception):
    """Raised by a check function: the translation fails it; ``detail`` says what is wrong."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(detail)


@dataclass(frozen=True, slots=True)
class Options:
    """Tunable parameters of the checks (``[checks]`` in ``i18n.toml``)."""

    min_length_ratio: float = 0.5
    """``length``: a translation shorter than this times the source is reported."""
    max_length_ratio: float = 2.0
    """``length``: a translation longer than this times the source is reported."""
    length_min_chars: int = 30
    """``length``: sources shorter than this are not checked (short strings vary too much)."""
    unchanged_allowed: tuple[str, ...] = ()
    """``unchanged``: terms (names, brands) that may stay as in the source, besides the glossary's kept terms."""


@dataclass(frozen=True, slots=True)
class Unit:
    """What a check looks at: one source text and one translation of it, with their context."""

    source: str
    translation: str
    language: Language
    source_language: Language
    flags: tuple[str, ...] = ()
    """The entry's PO flags (``python-format``, ...)."""
    single_number: bool = False
    """This plural form is used for exactly one number (like ``n == 1``): it may leave a placeholder out."""
    glossary: Glossary = field(default_factory=Glossary)
    options: Options = field(default_factory=Options)


CheckFunction = Callable[[Unit], None]


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check: its stable code, default severity and function (``None``: across entries)."""

    code: str
    severity: Severity
    function: CheckFunction | None
    advice: str
    """How to fix a failure: the first paragraph of the function's docstring."""
    catches: str
    """What the check catches, for ``workflow.md`` and ``i18n check --help``."""


@dataclass(frozen=True, slots=True)
class Finding:
    """A check that failed on an entry: code, severity (after configuration), message, plural form."""

    code: str
    severity: Severity
    message: str
    form: int | None = None
    """The plural form (``msgstr[form]``) the problem is in; ``None`` for a singular entry."""


@dataclass(frozen=True, slots=True)
class Config:
    """A workspace's check configuration: disabled checks, severity overrides and options."""

    disabled: frozenset[str] = frozenset()
    severities: tuple[tuple[str, Severity], ...] = ()
    options: Options = field(default_factory=Options)

    def enabled(self, code: str) -> bool:
        """Whether check ``code`` runs in this workspace."""
        return code not in self.disabled

    def severity(self, check: Check) -> Severity:
        """The severity of ``check`` in this workspace (its default unless overridden)."""
        for code, severity in self.severities:
            if code == check.code:
                return severity
        return check.severity


_REGISTRY: list[Check] = []


def _check(code: str, severity: Severity, catches: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under ``code`` with its default severity."""

    def register(function: CheckFunction) -> CheckFunction:
        advice = (function.__doc__ or "").strip().split("\n\n")[0]
        _REGISTRY.append(Check(code, severity, function, " ".join(advice.split()), catches))
        return function

    return register


# -- what is not prose ------------------------------------------------------------------------------

# Inline code, autolinks, tags, e-mail addresses and Jinja are recognised as masking recognises them
# (:mod:`i18n.content.protect` holds the patterns); link targets, URLs and printf placeholders are read here.
_CODE_SPAN = re.compile(CODE_SPAN)
_MD_LINK = re.compile(
    r"(!?)\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*<?((?:[^\s()<>\\]|\\.|\([^\s()]*\))*)>?"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_AUTOLINK = re.compile(AUTOLINK)
_TAG = re.compile(TAG)
_URL_ATTR = re.compile(r"""\b(?:href|src|cite|action)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'\[\]]+|\bwww\.[\w-]+(?:\.[\w-]+)+(?:/[^\s<>\"'\[\]]*)?")
_EMAIL = re.compile(rf"(?<![\w.+-])(?:mailto:)?{EMAIL}")
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
    text = _CODE_SPAN.sub(" ", text)
    for match in _MD_LINK.finditer(text):
        found.append(match.group(3))
    text = _MD_LINK.sub(lambda m: f" {m.group(2)} ", text)
    for match in _AUTOLINK.finditer(text):
        found.append(match.group("autolink"))
    text = _AUTOLINK.sub(" ", text)
    for match in _URL_ATTR.finditer(text):
        found.append(match.group(1) if match.group(1) is not None else match.group(2))
    text = _TAG.sub(" ", text)
    for match in _URL.finditer(text):
        found.append(_trim_url(match.group()))
    text = _URL.sub(" ", text)
    found.extend(_trim_url(match.group()) for match in _EMAIL.finditer(text))
    return found


def prose(text: str, flags: tuple[str, ...] = ()) -> str:
    """``text`` without what is not prose: inline code, link targets, URLs, e-mails, tags, placeholders.

    Markdown links keep their text; everything removed becomes a space.
    """
    text = _CODE_SPAN.sub(" ", text)
    text = _MD_LINK.sub(lambda m: f" {m.group(2)} ", text)
    text = _AUTOLINK.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _URL.sub(_keep_trailing, text)
    text = _EMAIL.sub(_keep_trailing, text)
    return _strip_placeholders(text, flags)


def _keep_trailing(match: re.Match[str]) -> str:
    """A space for a URL or e-mail address, keeping the punctuation after it (``(see https://x.org).``)."""
    return " " + match.group()[len(_trim_url(match.group())):]


def _plural(count: int, one: str, many: str | None = None) -> str:
    return one if count == 1 else (many or one + "s")


def _listing(items: Sequence[str] | Counter[str]) -> str:
    values = list(items.elements()) if isinstance(items, Counter) else list(items)
    return ", ".join(values)


def _differences(source: Counter[str], target: Counter[str], what: str) -> str | None:
    """``'missing X; unexpected Y'`` for two multisets, or ``None`` when they are equal."""
    missing, extra = source - target, target - source
    parts = []
    if missing:
        parts.append(f"{what} missing from the translation: {_listing(missing)}")
    if extra:
        parts.append(f"{what} not in the source: {_listing(extra)}")
    return "; ".join(parts) or None


# -- markup -------------------------------------------------------------------------------------------

_STRONG = re.compile(r"(\*\*|__)(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")
_EM_STAR = re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*]+?)(?<=[^\s*\\])\*(?![\w*])")
_EM_UNDERSCORE = re.compile(r"(?<![\w_\\])_(?=[^\s_])([^_]+?)(?<=[^\s_\\])_(?![\w_])")
_HARD_BREAK = re.compile(r"\\\n|  \n")
_VOID_TAGS = frozenset({"br", "img", "hr", "wbr", "input", "meta", "link", "source", "area", "col", "embed"})


#: Apertium marking an unknown word inside emphasis: ``*dendrites*`` becomes ``**dendrites*``.
_MARK_IN_EMPHASIS = re.compile(r"(?<![\w*])\*\*(?=[^\W\d_])([\w·'’\-]+)\*(?![\w*])")


def _emphasis(text: str) -> Counter[str]:
    text = _MARK_IN_EMPHASIS.sub(r"*\1*", text)  # the apertium check reports the mark
    text = _CODE_SPAN.sub(" ", text)
    text = _MD_LINK.sub(lambda m: f" {m.group(2)} ", text)
    text = _URL.sub(" ", text)
    counts: Counter[str] = Counter()
    strong = _STRONG.findall(text)
    counts["**bold**"] += len(strong)
    text = _STRONG.sub(lambda m: f" {m.group(2)} ", text)
    counts["*emphasis*"] += len(_EM_STAR.findall(text)) + len(_EM_UNDERSCORE.findall(text))
    return +counts


def _tags(text: str) -> list[tuple[str, bool]]:
    text = _CODE_SPAN.sub(" ", text)
    return [(m.group("tag").lower(), m.group().startswith("</")) for m in _TAG.finditer(text)
            if not m.group().startswith("<http") and "@" not in m.group()]


def _unbalanced_tag(tags: list[tuple[str, bool]]) -> str | None:
    stack: list[str] = []
    for name, closing in tags:
        if name in _VOID_TAGS:
            continue
        if not closing:
            stack.append(name)
        elif stack and stack[-1] == name:
            stack.pop()
        else:
            return f"</{name}> closes {'<' + stack[-1] + '>' if stack else 'nothing'}"
    if stack:
        return f"<{stack[-1]}> is never closed"
    return None


@_check("markup", Severity.ERROR, "Markdown emphasis (`*`, `_`, `**`), inline code, links and HTML tags "
                                  "not as in the source; unbalanced tags")
def markup(unit: Unit) -> None:
    """Keep the source's Markdown and HTML: the same emphasis pairs, inline code, links and tags,
    balanced. Translate the text inside them, not the code.
    """
    problems: list[str] = []
    source, target = unit.source, unit.translation
    for kind, count in (_emphasis(source) - _emphasis(target)).items():
        problems.append(f"{count} {kind} {_plural(count, 'pair')} missing")
    for kind, count in (_emphasis(target) - _emphasis(source)).items():
        problems.append(f"{count} {kind} {_plural(count, 'pair')} not in the source")
    code = _differences(Counter(m.group("code") for m in _CODE_SPAN.finditer(source)),
                        Counter(m.group("code") for m in _CODE_SPAN.finditer(target)), "inline code")
    if code:
        problems.append(code)
    links = len(_MD_LINK.findall(source)), len(_MD_LINK.findall(target))
    if links[0] != links[1]:
        problems.append(f"the source has {links[0]} Markdown {_plural(links[0], 'link')}, "
                        f"the translation {links[1]}")
    source_tags, target_tags = _tags(source), _tags(target)
    tags = _differences(Counter(_tag_text(t) for t in source_tags), Counter(_tag_text(t) for t in target_tags),
                        "tags")
    if tags:
        problems.append(tags)
    elif _unbalanced_tag(source_tags) is None and (unbalanced := _unbalanced_tag(target_tags)):
        problems.append(unbalanced)
    breaks = len(_HARD_BREAK.findall(source)), len(_HARD_BREAK.findall(target))
    if breaks[0] != breaks[1]:
        problems.append(f"the source has {breaks[0]} hard line {_plural(breaks[0], 'break')}, "
                        f"the translation {breaks[1]}")
    if problems:
        raise CheckFailed("; ".join(problems))


def _tag_text(tag: tuple[str, bool]) -> str:
    return f"</{tag[0]}>" if tag[1] else f"<{tag[0]}>"


# -- links --------------------------------------------------------------------------------------------

@_check("links", Severity.ERROR, "link targets, URLs and e-mail addresses not identical to the source")
def links(unit: Unit) -> None:
    """Copy every link target, URL and e-mail address exactly as in the source; translate only the
    link text.
    """
    problem = _differences(Counter(link_targets(unit.source)), Counter(link_targets(unit.translation)),
                           "link targets")
    if problem:
        raise CheckFailed(problem)


# -- numbers ------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![^\W\d_])(?<![\d.,])\d+(?:[.,\u00a0\u202f\u2009]\d+)*")
_SPACES = "\u00a0\u202f\u2009"


def _number_value(token: str, decimal: str, group: str) -> Decimal | None:
    """The value of ``token`` written with ``decimal`` and ``group`` symbols, or ``None`` if it is not."""
    groups = {group, *_SPACES} if group not in _SPACES else set(_SPACES)
    parts = re.split(r"([.,\u00a0\u202f\u2009])", token)
    digits, separators = parts[0::2], parts[1::2]
    fraction = ""
    if separators and separators[-1] == decimal:
        fraction = digits[-1]
        digits, separators = digits[:-1], separators[:-1]
    if separators:
        if any(s not in groups for s in separators) or len(digits[0]) > 3:
            return None
        if any(len(d) != 3 for d in digits[1:]):
            return None
    try:
        return Decimal("".join(digits) + ("." + fraction if fraction else ""))
    except InvalidOperation:  # pragma: no cover - the regular expression only lets digits through
        return None


def _numbers(text: str, flags: tuple[str, ...]) -> list[str]:
    return _NUMBER.findall(prose(text, flags))


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1000 <= int(token) <= 2999


@_check("numbers", Severity.ERROR, "numbers lost, added or changed (allowing the language's decimal and "
                                   "thousands separators); years written differently")
def numbers(unit: Unit) -> None:
    """Keep every number of the source, written the target language's way (English 2,000 and 3.5 are
    Catalan 2.000 and 3,5); write years as they are (2026).
    """
    source_decimal, source_group = number_symbols(unit.source_language.babel)
    decimal, group = number_symbols(unit.language.babel)
    source_tokens = _numbers(unit.source, unit.flags)
    target_tokens = _numbers(unit.translation, unit.flags)

    def source_value(token: str) -> Decimal | str:
        value = _number_value(token, source_decimal, source_group)
        return token if value is None else value

    def target_value(token: str) -> Decimal | str:
        value = _number_value(token, decimal, group)
        if value is None:  # written the source's way, e.g. a version number "4.0": accepted as it is
            value = _number_value(token, source_decimal, source_group)
        return token if value is None else value

    wanted = Counter(source_value(t) for t in source_tokens)
    found = Counter(target_value(t) for t in target_tokens)
    missing = [t for t in source_tokens if (wanted - found)[source_value(t)] > 0]
    extra = [t for t in target_tokens if (found - wanted)[target_value(t)] > 0]
    problems = []
    if missing:
        problems.append(f"missing from the translation: {', '.join(dict.fromkeys(missing))}")
    if extra:
        readings = []
        for token in dict.fromkeys(extra):
            as_source = _number_value(token, source_decimal, source_group)
            value = target_value(token)
            misread = as_source is not None and value != as_source
            shown = f"{value.normalize():f}" if isinstance(value, Decimal) else value
            readings.append(f"{token} (which reads as {shown} in {unit.language.name})" if misread else token)
        problems.append(f"not in the source: {', '.join(readings)}")
    if not problems:
        target_set = set(target_tokens)
        years = [t for t in dict.fromkeys(source_tokens) if _is_year(t) and t not in target_set]
        if years:
            problems.append(f"write the {_plural(len(years), 'year')} {', '.join(years)} "
                            "without a thousands separator")
    if problems:
        raise CheckFailed("numbers differ: " + "; ".join(problems))


# -- placeholders ------------------------------------------------------------------------------------

@_check("placeholders", Severity.ERROR, "placeholders (`%(name)s`, `%s`, `{name}`, `{{ name }}`) lost, "
                                        "added or changed")
def placeholders(unit: Unit) -> None:
    """Keep every placeholder of the source exactly as written (%(name)s, %s, {name}, {{ name }});
    only their order may change.
    """
    source = Counter(placeholders_of(unit.source, unit.flags))
    target = Counter(placeholders_of(unit.translation, unit.flags))
    missing, extra = source - target, target - source
    if unit.single_number:  # msgstr[0] used only for n == 1 may say "one" instead of "%(num)d"
        missing = Counter()
    problem = "; ".join(p for p in (
        f"missing from the translation: {_listing(missing)}" if missing else "",
        f"not in the source: {_listing(extra)}" if extra else "",
    ) if p)
    if problem:
        raise CheckFailed("placeholders differ: " + problem)


# -- white space --------------------------------------------------------------------------------------

def _show(space: str) -> str:
    return repr(space) if space else "none"


@_check("whitespace", Severity.WARNING, "leading or trailing white space, or the number of line breaks, "
                                        "not as in the source")
def whitespace(unit: Unit) -> None:
    """Start and end the translation with the same white space and newlines as the source, and keep its
    line breaks.
    """
    source, target = unit.source, unit.translation
    problems = []
    lead = source[: len(source) - len(source.lstrip())], target[: len(target) - len(target.lstrip())]
    if lead[0] != lead[1]:
        problems.append(f"leading white space is {_show(lead[1])}, the source has {_show(lead[0])}")
    trail = source[len(source.rstrip()):], target[len(target.rstrip()):]
    if trail[0] != trail[1]:
        problems.append(f"trailing white space is {_show(trail[1])}, the source has {_show(trail[0])}")
    newlines = source.strip().count("\n"), target.strip().count("\n")
    if newlines[0] != newlines[1]:
        problems.append(f"the source has {newlines[0]} line {_plural(newlines[0], 'break')} inside, "
                        f"the translation {newlines[1]}")
    if problems:
        raise CheckFailed("; ".join(problems))


# -- punctuation --------------------------------------------------------------------------------------

_CLOSERS = "\"'»”’)]*_`\u203a"
_CLOSING_TAG = re.compile(r"</[A-Za-z][A-Za-z0-9-]*>$")
_FINAL = {".": ".", "…": "…", "!": "!", "?": "?", ":": ":", ";": ";", "。": ".", "！": "!", "？": "?"}
_FINAL_NAMES = {".": "a full stop", "…": "an ellipsis", "!": "an exclamation mark", "?": "a question mark",
                ":": "a colon", ";": "a semicolon", "": "no punctuation"}


def final_punctuation(text: str) -> str:
    """The sentence-final punctuation of ``text`` (``.``, ``…``, ``!``, ``?``, ``:``, ``;``) or ``''``.

    Closing quotes, brackets, emphasis markers and closing tags after it are skipped (``end.”`` and
    ``end”.`` both end with a full stop); ``...`` counts as ``…``.
    """
    text = text.rstrip()
    while True:
        stripped = _CLOSING_TAG.sub("", text.rstrip(_CLOSERS).rstrip()).rstrip()
        if stripped == text:
            break
        text = stripped
    if text.endswith("..."):
        return "…"
    return _FINAL.get(text[-1:], "")


@_check("punctuation", Severity.WARNING, "sentence-final punctuation (. … ! ? : ;) not as in the source")
def punctuation(unit: Unit) -> None:
    """End the translation with the same punctuation as the source (a full stop, question mark, colon...),
    written the target language's way.
    """
    source, target = final_punctuation(unit.source), final_punctuation(unit.translation)
    if source != target:
        raise CheckFailed(f"the source ends with {_FINAL_NAMES[source]}, the translation with {_FINAL_NAMES[target]}")


# -- brackets and quotes ------------------------------------------------------------------------------

_PAIRS = {")": "(", "]": "[", "}": "{", "»": "«", "”": "“", "›": "‹"}
_OPENERS = frozenset(_PAIRS.values())


def unbalanced(text: str) -> str | None:
    """The first unbalanced bracket or quote in ``text`` (``()[]{}``, ``« »``, ``“ ”``, ``"``), or ``None``.

    German-style ``„…“`` counts as a pair; single quotes are not checked (``’`` is also the apostrophe).
    """
    stack: list[str] = []
    for char in text:
        if char == "„":
            stack.append("„")
        elif char == "“" and stack and stack[-1] == "„":
            stack.pop()
        elif char in _OPENERS:
            stack.append(char)
        elif char in _PAIRS:
            if not stack or stack[-1] != _PAIRS[char]:
                return f"'{char}' closes {repr(stack[-1]) if stack else 'nothing'}"
            stack.pop()
    if stack:
        return f"'{stack[-1]}' is never closed"
    if text.count('"') % 2:
        return "an odd number of '\"'"
    return None


@_check("brackets", Severity.WARNING, "unbalanced brackets or quotes (language-specific quotes « » “ ” allowed)")
def brackets(unit: Unit) -> None:
    """Close every bracket and quotation mark you open; any quotes of the language are fine (« », “ ”, "...").
    """
    if unbalanced(prose(unit.source, unit.flags)) is not None:
        return  # a quotation spanning two paragraphs: the source itself is unbalanced
    problem = unbalanced(prose(unit.translation, unit.flags))
    if problem:
        raise CheckFailed(f"unbalanced brackets or quotes: {problem}")


# -- doubled words ------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:[·'’\-][^\W\d_]+)*")


def doubled_words(text: str) -> list[str]:
    """Words repeated with only white space between them (``the the``), case-insensitively."""
    found: list[str] = []
    previous: re.Match[str] | None = None
    for match in _WORD.finditer(text):
        if (previous is not None and previous.group().lower() == match.group().lower()
                and not text[previous.end():match.start()].strip()):
            found.append(match.group())
        previous = match
    return found


@_check("doubled-word", Severity.WARNING, "a word written twice in a row (`de de`)")
def doubled_word(unit: Unit) -> None:
    """Remove the repeated word."""
    allowed = {w.lower() for w in doubled_words(prose(unit.source, unit.flags))}
    doubled = [w for w in doubled_words(prose(unit.translation, unit.flags)) if w.lower() not in allowed]
    if doubled:
        raise CheckFailed(f"doubled word: '{doubled[0]} {doubled[0]}'")


# -- unchanged ----------------------------------------------------------------------------------------

@_check("unchanged", Severity.WARNING, "a translation with the same words as the source (names, "
                                       "do-not-translate terms, single words and numbers-only strings excepted)")
def unchanged(unit: Unit) -> None:
    """Translate the text; if it really stays the same, add its names to unchanged_allowed in [checks]
    of i18n.toml, or to the glossary with keep = true.
    """
    words = [w.casefold() for w in _WORD.findall(prose(unit.source, unit.flags))]
    if words != [w.casefold() for w in _WORD.findall(prose(unit.translation, unit.flags))]:
        return  # the same words, whatever the case, spacing and punctuation, count as unchanged
    text = prose(unit.source, unit.flags)
    for term in (*unit.glossary.kept_terms(), *unit.options.unchanged_allowed):
        text = text.replace(term, " ")
    if len(_WORD.findall(text)) <= 1:
        return
    raise CheckFailed("the translation is the same as the source")


# -- empty --------------------------------------------------------------------------------------------

@_check("empty", Severity.ERROR, "an empty translation in an entry marked as translated or fuzzy, "
                                 "or an empty plural form")
def empty(unit: Unit) -> None:
    """Translate it, or, if it has no translation yet, clear the fuzzy flag so it counts as untranslated.
    """
    if not unit.translation.strip() and unit.source.strip():
        raise CheckFailed("the translation is empty")


# -- length -------------------------------------------------------------------------------------------

@_check("length", Severity.WARNING, "a translation much shorter or longer than the source "
                                    "(length ratio outside `min_length_ratio`..`max_length_ratio`)")
def length(unit: Unit) -> None:
    """Check that nothing was left out or added."""
    options = unit.options
    # Prose only: a long URL or tag would hide a lost sentence.
    source = len(" ".join(prose(unit.source, unit.flags).split()))
    target = len(" ".join(prose(unit.translation, unit.flags).split()))
    if source < options.length_min_chars or not target:
        return
    ratio = target / source
    if ratio < options.min_length_ratio:
        raise CheckFailed(f"the translation is {ratio:.0%} of the source's length "
                          f"(expected at least {options.min_length_ratio:.0%})")
    if ratio > options.max_length_ratio:
        raise CheckFailed(f"the translation is {ratio:.0%} of the source's length "
                          f"(expected at most {options.max_length_ratio:.0%})")


# -- glossary -----------------------------------------------------------------------------------------

@_check("glossary", Severity.WARNING, "a glossary term in the source not translated with the glossary's "
                                      "preferred term")
def glossary(unit: Unit) -> None:
    """Use the glossary's preferred translation (the workspace glossary, glossary.toml by default)."""
    missed = []
    source, translation = prose(unit.source, unit.flags), prose(unit.translation, unit.flags)
    for term in unit.glossary.terms:
        preferred = term.translations_for(unit.language)
        if preferred and term.in_source(source) and not term.translated_in(translation, unit.language):
            options = " or ".join(f"'{p}'" for p in (*preferred, *((term.source,) if term.keep else ())))
            missed.append(f"'{term.source}' should be translated as {options}")
    if missed:
        raise CheckFailed("; ".join(missed))


@_check("do-not-translate", Severity.ERROR, "a glossary term marked `keep = true` translated or dropped")
def do_not_translate(unit: Unit) -> None:
    """Keep the term exactly as in the source: it is a name the glossary says is never translated."""
    source, translation = prose(unit.source, unit.flags), prose(unit.translation, unit.flags)
    lost = [t.source for t in unit.glossary.terms
            if t.do_not_translate(unit.language) and t.kept_in(source) and not t.kept_in(translation)]
    if lost:
        raise CheckFailed(f"do-not-translate {_plural(len(lost), 'term')} not kept: "
                          + ", ".join(f"'{t}'" for t in lost))


# -- Apertium -----------------------------------------------------------------------------------------

_MARKED = re.compile(r"(?<![\w*#@])([*#@])([^\W\d_][\w·'’\-]*)")


def apertium_marks(text: str) -> list[str]:
    """Words Apertium marked as unknown (``*word``), or failed to generate (``#word``) or transfer
    (``@word``). Emphasis pairs (``*word*``) are not marks.
    """
    text = prose(text)
    inside = ["*" + m.group(1) for m in _MARK_IN_EMPHASIS.finditer(text)]
    text = _strip_emphasis(_MARK_IN_EMPHASIS.sub(" ", text))
    return inside + [m.group() for m in _MARKED.finditer(text)]


def _strip_emphasis(text: str) -> str:
    text = _STRONG.sub(lambda m: f" {m.group(2)} ", text)
    return _EM_STAR.sub(lambda m: f" {m.group(1)} ", text)


@_check("apertium", Severity.ERROR, "Apertium's unknown-word marks left in a machine draft "
                                    "(`*word`, `#word`, `@word`)")
def apertium(unit: Unit) -> None:
    """Translate the marked words and remove the marks (* an unknown word, # and @ a word Apertium could
    not inflect or transfer).
    """
    allowed = set(apertium_marks(unit.source))
    marks = [m for m in apertium_marks(unit.translation) if m not in allowed]
    if _emphasis(unit.source) != _emphasis(unit.translation):  # a broken *emphasis*: markup reports it
        marks = [m for m in marks if not m.startswith("*")]
    if marks:
        raise CheckFailed(f"Apertium {_plural(len(marks), 'mark')} left: {', '.join(dict.fromkeys(marks))}")


# -- consistency (across entries) -------------------------------------------------------------------

CONSISTENCY = Check(
    "consistency", Severity.WARNING, None,
    "Translate the same source text the same way everywhere, or make sure the difference is wanted.",
    "the same source translated differently in one language (reported on each occurrence)",
)
_REGISTRY.append(CONSISTENCY)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One translated entry, as the consistency check sees it: its source, translation and location."""

    source: str
    translation: str
    where: str
    """Where it is, for messages: ``locales/ca/articles/2026/x.po:12``."""
    context: str | None = None
    """What must also match for two entries to count as the same source (the UI catalog's msgctxt)."""


def inconsistencies(occurrences: Sequence[Occurrence]) -> Iterator[tuple[int, str]]:
    """``(index, detail)`` for each occurrence whose source is translated differently elsewhere.

    Sources and translations are compared after typography folding (curly quotes, spacing), so only
    real differences count.
    """
    groups: dict[tuple[str | None, str], list[int]] = {}
    for index, occurrence in enumerate(occurrences):
        key = (occurrence.context, normalized_source(occurrence.source))
        groups.setdefault(key, []).append(index)
    for indexes in groups.values():
        variants = {normalized_source(occurrences[i].translation) for i in indexes}
        if len(variants) < 2:
            continue
        for index in indexes:
            mine = normalized_source(occurrences[index].translation)
            others = [occurrences[i] for i in indexes if normalized_source(occurrences[i].translation) != mine]
            shown = "; ".join(f"'{o.translation}' ({o.where})" for o in others[:3])
            more = f" and {len(others) - 3} more" if len(others) > 3 else ""
            yield index, f"the same source is translated differently elsewhere: {shown}{more}"


#: Every check, in the order they run and are listed; codes are stable (JSON, configuration).
CHECKS: tuple[Check, ...] = tuple(_REGISTRY)
CODES: tuple[str, ...] = tuple(c.code for c in CHECKS)


def check_by_code(code: str) -> Check:
    """The registered check ``code`` (a ``KeyError`` for an unknown code: validate codes first)."""
    for check in CHECKS:
        if check.code == code:
            return check
    raise KeyError(code)


def message(check: Check, detail: str) -> str:
    """The user-facing message: what is wrong, then how to fix it (the check's docstring)."""
    detail = detail[:1].upper() + detail[1:]
    return f"{detail}. {check.advice}"


# -- running the checks on an entry ---------------------------------------------------------------------

@cache
def _single_number_forms(plural_forms: str) -> frozenset[int]:
    """Plural form indexes used for exactly one number ``n`` (``msgstr[0]`` when ``plural=(n != 1)``)."""
    match = re.search(r"plural\s*=\s*(.+?);?\s*$", plural_forms)
    if match is None:
        return frozenset()
    try:
        choose = gettext.c2py(match.group(1).rstrip(";"))
    except (ValueError, SyntaxError):
        return frozenset()
    counts = Counter(choose(n) for n in range(1000))
    return frozenset(form for form, count in counts.items() if count == 1)


def units_of(entry: Entry, language: Language, source_language: Language, glossary: Glossary,
             options: Options) -> Iterator[tuple[int | None, Unit]]:
    """The units a (possibly plural) entry is checked as: ``(form, unit)``, form ``None`` if singular."""
    if entry.msgid_plural is None:
        yield None, Unit(entry.msgid, entry.msgstr, language, source_language, entry.flags,
                         glossary=glossary, options=options)
        return
    single = _single_number_forms(language.plural_forms)
    forms = entry.msgstr_plural or ("",)
    for index in range(max(len(forms), language.nplurals)):
        translation = forms[index] if index < len(forms) else ""
        source = entry.msgid if index == 0 else entry.msgid_plural
        yield index, Unit(source, translation, language, source_language, entry.flags,
                          single_number=index in single, glossary=glossary, options=options)


def check_entry(entry: Entry, language: Language, source_language: Language, config: Config | None = None,
                glossary: Glossary | None = None) -> tuple[Finding, ...]:
    """Run every enabled per-entry check on ``entry``'s translation (each plural form on its own).

    An empty form gets only the ``empty`` check. Severities follow ``config``.
    """
    config = config or Config()
    glossary = glossary or Glossary()
    findings: list[Finding] = []
    for form, unit in units_of(entry, language, source_language, glossary, config.options):
        for check in CHECKS:
            if check.function is None or not config.enabled(check.code):
                continue
            if not unit.translation and check.code != "empty":
                continue
            try:
                check.function(unit)
            except CheckFailed as failure:
                detail = failure.detail if form is None else f"plural form {form}: {failure.detail}"
                findings.append(Finding(check.code, config.severity(check), message(check, detail), form))
    return tuple(findings)


# -- configuration ------------------------------------------------------------------------------------

_CONFIG_KEYS = ("disable", "severity", "min_length_ratio", "max_length_ratio", "length_min_chars",
                "unchanged_allowed")


def load_config(settings: Settings) -> Config:
    """The ``[checks]`` table of ``i18n.toml``, validated (a :class:`ConfigError` names the key)::

        [checks]
        disable = ["length"]                 # codes of checks that do not run
        unchanged_allowed = ["Tumblr"]       # may stay untranslated (besides the glossary's kept terms)
        min_length_ratio = 0.5               # length: translation/source length bounds...
        max_length_ratio = 2.0
        length_min_chars = 30                # ...for sources at least this long

        [checks.severity]                    # change a check's severity: "error" or "warning"
        unchanged = "error"
    """
    table: dict[str, Any] = settings.section("checks")
    reader = TableReader(settings.path)
    known = ", ".join(CODES)
    disabled = reader.strings(table, "checks.", "disable", [])
    for code in disabled:
        if code not in CODES:
            raise reader.fail("checks.disable", f"unknown check '{code}'", hint=f"known checks: {known}")
    raw = table.pop("severity", {})
    if not isinstance(raw, dict):
        raise reader.fail("checks.severity", f"expected a table [checks.severity], got {raw!r}")
    severities: list[tuple[str, Severity]] = []
    for code, value in raw.items():
        if code not in CODES:
            raise reader.fail(f"checks.severity.{code}", "unknown check", hint=f"known checks: {known}")
        if value not in ("error", "warning"):
            raise reader.fail(f"checks.severity.{code}", f"expected \"error\" or \"warning\", got {value!r}",
                              hint=f'to turn the check off, add it to checks.disable = ["{code}"]')
        severities.append((code, Severity(value)))
    defaults = Options()
    options = Options(
        min_length_ratio=reader.take(table, "checks.", "min_length_ratio", float, defaults.min_length_ratio,
                                     _positive),
        max_length_ratio=reader.take(table, "checks.", "max_length_ratio", float, defaults.max_length_ratio,
                                     _positive),
        length_min_chars=reader.take(table, "checks.", "length_min_chars", int, defaults.length_min_chars,
                                     _not_negative),
        unchanged_allowed=tuple(reader.strings(table, "checks.", "unchanged_allowed", [])),
    )
    if options.min_length_ratio >= options.max_length_ratio:
        raise reader.fail("checks.min_length_ratio", "must be smaller than checks.max_length_ratio")
    reader.no_leftovers(table, "checks.", _CONFIG_KEYS)
    return Config(frozenset(disabled), tuple(severities), options)


def _positive(value: float) -> str | None:
    return None if value > 0 else "must be greater than 0"


def _not_negative(value: int) -> str | None:
    return None if value >= 0 else "must not be negative"
