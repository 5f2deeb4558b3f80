"""Checks of the words: doubled words, untranslated text, empty and too short or too long translations.
"""

from __future__ import annotations

import re

from i18n.content.checks.base import CheckFailed, Code, Severity, Unit, register
from i18n.content.checks.prose import WORD_RE, prose

# -- doubled words ------------------------------------------------------------------------------------



def doubled_words(text: str) -> list[str]:
    """Words repeated with only white space between them (``the the``), case-insensitively."""
    found: list[str] = []
    previous: re.Match[str] | None = None
    for match in WORD_RE.finditer(text):
        if (previous is not None and previous.group().lower() == match.group().lower()
                and not text[previous.end():match.start()].strip()):
            found.append(match.group())
        previous = match
    return found


@register(Code.DOUBLED_WORD, Severity.WARNING, "a word written twice in a row (`de de`)")
def doubled_word(unit: Unit) -> None:
    """Remove the repeated word."""
    allowed = {w.lower() for w in doubled_words(prose(unit.source, unit.flags))}
    doubled = [w for w in doubled_words(prose(unit.translation, unit.flags)) if w.lower() not in allowed]
    if doubled:
        raise CheckFailed(f"doubled word: '{doubled[0]} {doubled[0]}'")


# -- unchanged ----------------------------------------------------------------------------------------

@register(Code.UNCHANGED, Severity.WARNING, "a translation with the same words as the source (names, "
                                       "do-not-translate terms, single words and numbers-only strings excepted)")
def unchanged(unit: Unit) -> None:
    """Translate the text; if it really stays the same, add its names to unchanged_allowed in [checks]
    of i18n.toml, or to the glossary with keep = true.
    """
    words = [w.casefold() for w in WORD_RE.findall(prose(unit.source, unit.flags))]
    if words != [w.casefold() for w in WORD_RE.findall(prose(unit.translation, unit.flags))]:
        return  # the same words, whatever the case, spacing and punctuation, count as unchanged
    text = prose(unit.source, unit.flags)
    for term in (*unit.glossary.kept_terms(), *unit.options.unchanged_allowed):
        text = text.replace(term, " ")
    if len(WORD_RE.findall(text)) <= 1:
        return
    raise CheckFailed("the translation is the same as the source")


# -- empty --------------------------------------------------------------------------------------------

@register(Code.EMPTY, Severity.ERROR, "an empty translation in an entry marked as translated or fuzzy, "
                                 "or an empty plural form")
def empty(unit: Unit) -> None:
    """Translate it, or, if it has no translation yet, clear the fuzzy flag so it counts as untranslated.
    """
    if not unit.translation.strip() and unit.source.strip():
        raise CheckFailed("the translation is empty")


# -- length -------------------------------------------------------------------------------------------

@register(Code.LENGTH, Severity.WARNING, "a translation much shorter or longer than the source "
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
