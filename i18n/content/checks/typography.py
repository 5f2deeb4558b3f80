"""Typography checks: white space, final punctuation, brackets and quotes, written the target language's way.

They are warnings: each is something a reviewer should look at, none breaks the page.
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
