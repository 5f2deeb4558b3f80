"""Checks of one language's typographic conventions: quotes, apostrophes, the Catalan l·l, Spanish ¿ ¡.

Each applies to the languages whose convention it knows (``quotes`` to Catalan, Spanish, French,
Portuguese, Italian and Basque; ``middle-dot`` to Catalan; ``inverted-marks`` to Spanish) and passes for
the others. They are warnings, as in Weblate's and pofilter's typography checks.
"""

from __future__ import annotations

import re

from i18n.content.checks.base import CheckFailed, Code, Severity, Unit, register
from i18n.content.checks.prose import plural, prose
from i18n.core.languages import Language

#: Languages whose first-level quotation marks are the angle quotes « » (“ ” inside them).
_ANGLE_QUOTES = frozenset({"ca", "es", "fr", "pt", "it", "eu", "gl"})
#: A straight double quote that is an inch or second mark (``27"``), not a quotation mark.
_INCH = re.compile(r"(?<=\d)\"")
_ELISION = re.compile(r"(?<=[^\W\d_])(['’´`‘])(?=[^\W\d_])")
_APOSTROPHE_WORD = re.compile(r"[^\W\d_]+['’][^\W\d_]{2,}")
_WRONG_APOSTROPHES = {"´": "an acute accent", "`": "a backtick", "‘": "an opening quote"}
#: ``l.l``, ``l•l``, ``l∙l``, ``l⋅l``: the Catalan geminate l written without its middle dot ``·``.
_FALSE_MIDDLE_DOT = re.compile(r"[^\W\d_]+[lL][.•∙⋅‧・][lL][^\W\d_]+")
_SENTENCE_END = frozenset(".?!…\n")


def _primary(language: Language) -> str:
    return language.code.split("-")[0]


@register(Code.QUOTES, Severity.WARNING, "straight \"...\" or first-level “...” quotation marks in a language "
                                         "that quotes with « » (Catalan, Spanish, French...)")
def quotes(unit: Unit) -> None:
    """Quote with « » (and “ ” inside them), as Catalan and Spanish typography do; an inch mark (27") may
    stay.
    """
    if _primary(unit.language) not in _ANGLE_QUOTES:
        return
    text = _INCH.sub("", prose(unit.translation, unit.flags))
    problems = []
    if text.count('"') >= 2:
        problems.append('straight quotes "..."')
    if "“" in text and "«" not in text:
        problems.append("“...” outside « »")
    if problems:
        raise CheckFailed(f"write « » instead of {' and '.join(problems)}")


@register(Code.APOSTROPHE, Severity.WARNING, "an apostrophe written with an accent, backtick or opening quote "
                                             "(l´equip), or straight ' and typographic ’ mixed in one text")
def apostrophe(unit: Unit) -> None:
    """Write every apostrophe with the same character, the typographic ’ or the straight ' (l’equip or
    l'equip), never with an accent or a backtick.
    """
    source = prose(unit.source, unit.flags)
    names = _APOSTROPHE_WORD.findall(source)  # O'Brien: kept as the source writes it
    translation = prose(unit.translation, unit.flags)
    for name in names:
        translation = translation.replace(name, " ")
    marks = _ELISION.findall(translation)
    wrong = [f"{_WRONG_APOSTROPHES[m]} ({m})" for m in dict.fromkeys(marks) if m in _WRONG_APOSTROPHES]
    if wrong:
        raise CheckFailed(f"apostrophe written with {', '.join(wrong)}")
    if "'" in marks and "’" in marks:
        raise CheckFailed(f"apostrophes mixed: {marks.count(chr(39))} straight ', {marks.count('’')} typographic ’")


@register(Code.MIDDLE_DOT, Severity.WARNING, "the Catalan geminate l written l.l, l•l or l∙l instead of l·l")
def middle_dot(unit: Unit) -> None:
    """Write the geminate l with the middle dot (punt volat): col·lecció, cèl·lula, not col.lecció."""
    if _primary(unit.language) != "ca":
        return
    found = [m.group() for m in _FALSE_MIDDLE_DOT.finditer(prose(unit.translation, unit.flags))]
    if found:
        raise CheckFailed(f"l·l written {', '.join(dict.fromkeys(found))} "
                          f"({len(found)} {plural(len(found), 'time')})")


@register(Code.INVERTED_MARKS, Severity.WARNING, "a Spanish question or exclamation without its opening ¿ or ¡")
def inverted_marks(unit: Unit) -> None:
    """Open every Spanish question with ¿ and exclamation with ¡ where it starts, even mid-sentence
    (Si vienes, ¿qué traes?).
    """
    if _primary(unit.language) != "es":
        return
    missing = []
    opened = {"?": False, "!": False}
    for char in prose(unit.translation, unit.flags):
        if char in "¿¡":
            opened["?" if char == "¿" else "!"] = True
        elif char in "?!":
            if not opened[char]:
                missing.append("¿" if char == "?" else "¡")
            opened[char] = False
        if char in _SENTENCE_END and char not in "?!":
            opened = {"?": False, "!": False}
    if missing:
        raise CheckFailed("missing opening " + " and ".join(dict.fromkeys(missing)))
