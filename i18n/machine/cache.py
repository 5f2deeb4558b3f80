"""The draft cache: drafts an engine already returned, so that no text is paid for twice.

:class:`DraftCache` is the interface ``i18n pretranslate`` uses; the status tracker implements it in the
workspace database (``i18n.tracker.queries.drafts.TrackerDraftCache``, which satisfies this protocol without importing
it: the tracker sits below this room). :class:`MemoryDraftCache` keeps drafts in a dictionary, for tests,
benchmarks and runs without a tracker.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping
from typing import Protocol


class DraftCache(Protocol):
    """Drafts already paid for: (engine, source language, target language, source text) → draft.

    ``engine`` is the engine's label (``apertium eng-cat``); the languages are codes (``en``, ``ca``).
    The status tracker implements it in the workspace database; :class:`MemoryDraftCache` is for tests.
    """

    def get_many(self, engine: str, source: str, target: str, texts: Collection[str]) -> Mapping[str, str]:
        """The cached drafts of those of ``texts`` that have one."""
        ...

    def put_many(self, engine: str, source: str, target: str, drafts: Mapping[str, str]) -> None:
        """Store drafts (source text → draft); a later put for the same key replaces the draft."""
        ...

    def on_record(self, target: str, texts: Collection[str]) -> Mapping[str, Collection[str]]:
        """Every draft on record (any engine) of those of ``texts`` that have one, in language ``target``."""
        ...


class MemoryDraftCache:
    """A :class:`DraftCache` in a dictionary (tests, benchmarks, and runs without a tracker)."""

    def __init__(self) -> None:
        self.drafts: dict[tuple[str, str, str, str], str] = {}
        self._lock = threading.Lock()

    def get_many(self, engine: str, source: str, target: str, texts: Collection[str]) -> Mapping[str, str]:
        with self._lock:
            return {t: self.drafts[(engine, source, target, t)] for t in texts
                    if (engine, source, target, t) in self.drafts}

    def put_many(self, engine: str, source: str, target: str, drafts: Mapping[str, str]) -> None:
        with self._lock:
            for text, draft in drafts.items():
                self.drafts[(engine, source, target, text)] = draft

    def on_record(self, target: str, texts: Collection[str]) -> Mapping[str, Collection[str]]:
        wanted = set(texts)
        found: dict[str, set[str]] = {}
        with self._lock:
            for (_, _, language, text), draft in self.drafts.items():
                if language == target and text in wanted:
                    found.setdefault(text, set()).add(draft)
        return found


__all__ = ["DraftCache", "MemoryDraftCache"]
