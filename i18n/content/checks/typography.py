"""Typography checks: white space, final punctuation, brackets, ellipses and the first letter's case.

They are warnings: each is something a reviewer should look at, none breaks the page. The conventions of
one language (Catalan apostrophes and l·l, Spanish ¿ ¡, « » quotes) are in :mod:`.conventions`.
"""

from __future__ import annotations

import re

from i18n.content.checks.base import CheckFailed, Code, Severity, Unit, register
from i18n.content.checks.prose import plural, prose

# -- white space --------------------------------------------------------------------------------------

def _show(space: str) -> str:
    return repr(space) if space else "none"


@register(Code.WHITESPACE, Severity.WARNING, "leading or trailing white space, or the number of line breaks, "
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
        problems.append(f"the source has {newlines[0]} line {plural(newlines[0], 'break')} inside, "
                        f"the translation {newlines[1]}")
    if problems:
        raise CheckFailed("; ".join(problems))


_DOUBLE_SPACE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")
#: Invisible characters an editor or a copy from a web page leaves behind (Weblate's ``zero-width-space``).
_INVISIBLE = {"\u200b": "zero-width space U+200B", "\ufeff": "byte-order mark U+FEFF",
              "\u2060": "word joiner U+2060"}


@register(Code.DOUBLE_SPACE, Severity.WARNING, "two or more spaces between words where the source has one "
                                               "(a Markdown hard line break is not one)")
def double_space(unit: Unit) -> None:
    """Write one space between words; Markdown's hard line break (two spaces before a newline) is fine."""
    if _DOUBLE_SPACE.search(unit.source):
        return  # the source spaces so too (a table aligned with spaces)
    found = _DOUBLE_SPACE.findall(unit.translation)
    if found:
        raise CheckFailed(f"{len(found)} double {plural(len(found), 'space')} between words")


@register(Code.ZERO_WIDTH_SPACE, Severity.WARNING, "an invisible character (zero-width space, byte-order mark, "
                                                   "word joiner) not in the source")
def zero_width_space(unit: Unit) -> None:
    """Remove the invisible character (it was most likely pasted from a web page or a word processor)."""
    found = [name for char, name in _INVISIBLE.items() if char in unit.translation and char not in unit.source]
    if found:
        raise CheckFailed("invisible " + plural(len(found), "character") + ": " + ", ".join(found))


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


@register(Code.PUNCTUATION, Severity.WARNING, "sentence-final punctuation (. … ! ? : ;) not as in the source")
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


@register(Code.BRACKETS, Severity.WARNING, "unbalanced brackets or quotes (language-specific quotes « » “ ” allowed)")
def brackets(unit: Unit) -> None:
    """Close every bracket and quotation mark you open; any quotes of the language are fine (« », “ ”, "...").
    """
    if unbalanced(prose(unit.source, unit.flags)) is not None:
        return  # a quotation spanning two paragraphs: the source itself is unbalanced
    problem = unbalanced(prose(unit.translation, unit.flags))
    if problem:
        raise CheckFailed(f"unbalanced brackets or quotes: {problem}")


# -- ellipsis and the first letter -------------------------------------------------------------------

_DOTS = re.compile(r"(?<!\.)\.\.\.(?!\.)")
_OPENING = "¿¡«“‘\"'([*_#>-–— \t\n"


@register(Code.ELLIPSIS, Severity.WARNING, "three full stops (...) where the typographic ellipsis (…) belongs")
def ellipsis(unit: Unit) -> None:
    """Write the ellipsis as one character, …, as the source does."""
    if _DOTS.search(prose(unit.source, unit.flags)):
        return  # the source writes three dots too: follow it
    count = len(_DOTS.findall(prose(unit.translation, unit.flags)))
    if count:
        raise CheckFailed(f"'...' written {count} {plural(count, 'time')} instead of '…'")


def first_letter(text: str) -> str:
    """The first letter or digit of ``text``, after opening punctuation, quotes and Markdown markers."""
    stripped = text.lstrip(_OPENING)
    return stripped[:1]


@register(Code.START_CAPITAL, Severity.WARNING, "a translation starting with a small letter where the source "
                                                "starts with a capital")
def start_capital(unit: Unit) -> None:
    """Start the translation with a capital letter, as the source does (after ¿, ¡ or an opening quote)."""
    source = first_letter(prose(unit.source, unit.flags).strip())
    target = first_letter(prose(unit.translation, unit.flags).strip())
    if source.isupper() and target.islower():
        raise CheckFailed(f"the source starts with a capital, the translation with '{target}'")
