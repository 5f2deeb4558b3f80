"""The translation memory: person-made translations of a language, looked up by source text.

:class:`CatalogMemory` is what ``i18n pretranslate`` drafts from before any engine: exact matches
(an approved translation of the identical source text, else a person's translation of it in another
catalog) become drafts; near matches (similar source texts) are offered in a translator comment.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from i18n.catalogs.catalog import Catalog
from i18n.core.states import State


@dataclass(frozen=True, slots=True)
class MemoryMatch:
    """A translation of a source text from the memory: the exact one, or a near one with its similarity."""

    source: str
    translation: str
    origin: str
    """Where it comes from: the article id (or ``messages``) of the entry it was approved or translated on."""
    similarity: float = 1.0
    approved: bool = True
    """A reviewer approved it (the tracker's approvals); else a person's translation not yet approved."""


class TranslationMemory(Protocol):
    """Where approved translations are looked up (:class:`CatalogMemory`: the tracker's approvals, then
    the catalogs)."""

    def exact(self, texts: Collection[str]) -> Mapping[str, MemoryMatch]:
        """The approved translation of each of ``texts`` that has one."""
        ...

    def near(self, text: str, threshold: float) -> MemoryMatch | None:
        """The most similar approved source text at or above ``threshold`` (0..1), with its translation."""
        ...


class CatalogMemory:
    """A translation memory of one language: the tracker's approvals first, then the catalogs.

    For each source text: its latest approved translation (any article) when a reviewer approved one;
    else a ``translated`` (non-fuzzy) entry of any catalog of the language, i.e. a person's translation
    not yet approved. The fallback keeps the memory useful before reviews are recorded (a workspace
    without approvals would otherwise pay an engine for text a person already translated); it is safe
    because a memory draft is fuzzy (``needs-work``) and its comment says where it comes from.
    """

    def __init__(self, matches: Mapping[str, MemoryMatch]) -> None:
        self._pairs = dict(matches)
        self._index: dict[str, list[str]] = {}
        for source in self._pairs:
            for word in _words(source):
                self._index.setdefault(word, []).append(source)

    @classmethod
    def of_catalogs(cls, catalogs: Sequence[tuple[str, Catalog]],
                    approved: Mapping[str, MemoryMatch] | None = None) -> CatalogMemory:
        """The ``approved`` translations (source text → match), then translated entries of ``catalogs``."""
        pairs: dict[str, MemoryMatch] = dict(approved or {})
        for origin, catalog in catalogs:
            for entry in catalog.active_entries:
                if (entry.msgid and entry.msgid_plural is None and entry.state is State.TRANSLATED
                        and entry.msgid not in pairs):
                    pairs[entry.msgid] = MemoryMatch(entry.msgid, entry.msgstr, origin, approved=False)
        return cls(pairs)

    def exact(self, texts: Collection[str]) -> Mapping[str, MemoryMatch]:
        return {text: self._pairs[text] for text in texts if text in self._pairs}

    def near(self, text: str, threshold: float) -> MemoryMatch | None:
        if threshold <= 0 or not self._pairs:
            return None
        # Candidates share words with the text (an inverted index, so a large memory stays fast); only
        # the best-sharing few are compared character by character.
        shared: Counter[str] = Counter()
        for word in _words(text):
            shared.update(self._index.get(word, ()))
        best: MemoryMatch | None = None
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(text)
        for candidate, _ in shared.most_common(_NEAR_CANDIDATES):
            if candidate == text:
                continue
            matcher.set_seq1(candidate)
            floor = best.similarity if best else threshold
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            ratio = matcher.ratio()
            if ratio >= floor:
                best = replace(self._pairs[candidate], similarity=ratio)
        return best


#: How many memory entries sharing the most words with a text are compared with it for near matches.
_NEAR_CANDIDATES = 25


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 2}


__all__ = ["CatalogMemory", "MemoryMatch", "TranslationMemory"]
