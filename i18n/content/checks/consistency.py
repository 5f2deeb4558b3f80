"""The ``consistency`` check: the same source translated differently across a language's catalogs.

Unlike the other checks it looks at many entries at once, so it has no per-unit function; the ``check``
use case gathers the :class:`Occurrence` list and calls :func:`inconsistencies`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from i18n.catalogs.catalog import normalized_source
from i18n.content.checks.base import REGISTRY, Check, Code, Severity

CONSISTENCY = Check(
    Code.CONSISTENCY, Severity.WARNING, None,
    "Translate the same source text the same way everywhere, or make sure the difference is wanted.",
    "the same source translated differently in one language (reported on each occurrence)",
)
REGISTRY.append(CONSISTENCY)


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
CHECKS: tuple[Check, ...] = tuple(REGISTRY)
CODES: tuple[str, ...] = tuple(c.code for c in CHECKS)
