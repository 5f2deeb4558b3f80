"""The glossary checks: preferred translations used, do-not-translate terms kept (see :mod:`i18n.core.glossary`).
"""

from __future__ import annotations

from i18n.content.checks.base import CheckFailed, Code, Severity, Unit, register
from i18n.content.checks.prose import plural, prose

# -- glossary -----------------------------------------------------------------------------------------

@register(Code.GLOSSARY, Severity.WARNING, "a glossary term in the source not translated with the glossary's "
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


@register(Code.DO_NOT_TRANSLATE, Severity.ERROR, "a glossary term marked `keep = true` translated or dropped")
def do_not_translate(unit: Unit) -> None:
    """Keep the term exactly as in the source: it is a name the glossary says is never translated."""
    source, translation = prose(unit.source, unit.flags), prose(unit.translation, unit.flags)
    lost = [t.source for t in unit.glossary.terms
            if t.do_not_translate(unit.language) and t.kept_in(source) and not t.kept_in(translation)]
    if lost:
        raise CheckFailed(f"do-not-translate {plural(len(lost), 'term')} not kept: "
                          + ", ".join(f"'{t}'" for t in lost))
