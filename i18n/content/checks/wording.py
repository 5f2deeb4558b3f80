"""Checks of the words: doubled words, untranslated text, empty and too short or too long translations,
UI strings over their maximum length, acronyms and names kept.
"""

from __future__ import annotations

import re
from collections import Counter

from i18n.content.checks.base import CheckFailed, Code, Severity, Unit, register
from i18n.content.checks.numbers import roman_value
from i18n.content.checks.prose import WORD_RE, plural, prose

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


# -- maximum length -------------------------------------------------------------------------------------

_MAX_LENGTH = re.compile(r"max-length:(\d+)$")


def max_length_of(flags: tuple[str, ...]) -> int | None:
    """The maximum length a ``max-length:N`` flag (Weblate's) sets on an entry, or ``None``."""
    for flag in flags:
        if match := _MAX_LENGTH.match(flag):
            return int(match.group(1))
    return None


@register(Code.MAX_LENGTH, Severity.ERROR, "a translation longer than its entry's `max-length:N` flag allows "
                                           "(a button, a menu item)")
def max_length(unit: Unit) -> None:
    """Shorten the translation to fit: the entry's max-length flag says how many characters the page
    has room for.
    """
    limit = max_length_of(unit.flags)
    if limit is not None and len(unit.translation) > limit:
        raise CheckFailed(f"the translation has {len(unit.translation)} characters, "
                          f"more than the {limit} its max-length flag allows")


# -- acronyms and names -------------------------------------------------------------------------------

_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*\b")
#: A name written in mixed case (GitHub, iPhone, PostgreSQL, eBay): never translated.
_MIXED_CASE = re.compile(r"\b[A-Za-z0-9]*[a-z][A-Z][A-Za-z0-9]*\b")


def acronyms_of(text: str) -> list[str]:
    """The acronyms of ``text`` (two capitals or more: DNA, COVID); Roman numerals below XL are left out."""
    return [a for a in _ACRONYM.findall(text) if (roman_value(a) or 40) >= 40]


def _shouting(text: str) -> bool:
    """Whether ``text`` is written in capitals throughout (a heading): its words are no acronyms."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 5 and all(c.isupper() for c in letters)


@register(Code.ACRONYMS, Severity.WARNING, "an acronym of the source neither kept nor replaced by the language's "
                                           "acronym of the same letters (DNA may be ADN)")
def acronyms(unit: Unit) -> None:
    """Keep the acronym, or write the language's own (DNA is ADN, UN is ONU); for another one (WHO is OMS),
    add it to the glossary.
    """
    source, target = prose(unit.source, unit.flags), prose(unit.translation, unit.flags)
    if _shouting(source):
        return
    glossary = {t.source for t in unit.glossary.terms}
    # Catalan and Spanish may write an acronym that became a word in small letters (la covid).
    written = {w.casefold() for w in re.findall(r"\w+", target)}
    lost = [a for a in dict.fromkeys(acronyms_of(source)) if a not in glossary and a.casefold() not in written
            and not any(_same_letters(a, b) for b in acronyms_of(target))]
    if lost:
        raise CheckFailed(f"{plural(len(lost), 'acronym')} not in the translation: {', '.join(lost)}")


def _same_letters(acronym: str, other: str) -> bool:
    """Whether ``other`` is ``acronym`` in another language's word order (DNA, ADN; UN, ONU)."""
    return not Counter(acronym) - Counter(other) and len(other) - len(acronym) <= 1


def _reordered(name: str, word: str) -> bool:
    """Whether ``word`` is ``name``'s letters in another order (mRNA, ARNm), not the name mis-cased (Github)."""
    return name.upper() != word.upper() and _same_letters(name.upper(), word.upper())


@register(Code.NAMES, Severity.WARNING, "a name written in mixed case (GitHub, iPhone) changed or dropped")
def names(unit: Unit) -> None:
    """Write the name exactly as the source does: product and project names in mixed case are never
    translated (a scientific abbreviation may take the language's order: mRNA is ARNm).
    """
    translation = prose(unit.translation, unit.flags)
    target = set(_MIXED_CASE.findall(translation))
    words = re.findall(r"\w+", translation)
    # Short ones are abbreviations (PhD, pH); a word of the same letters is the language's own (mRNA, ARNm).
    lost = [n for n in dict.fromkeys(_MIXED_CASE.findall(prose(unit.source, unit.flags)))
            if len(n) > 3 and n not in target and not any(_reordered(n, w) for w in words)]
    if lost:
        raise CheckFailed(f"{plural(len(lost), 'name')} not in the translation: {', '.join(lost)}")
