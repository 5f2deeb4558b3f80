"""What ``i18n pretranslate`` returns (:class:`PretranslateReport`) and tells as it runs (:class:`Progress`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from i18n.core.errors import FileError
from i18n.workflow.reconcile import ReconcileReport


class RunOutcome(enum.StrEnum):
    """How a pre-translation run went (``status`` in ``i18n pretranslate --json``)."""

    OK = "ok"
    """Every entry selected got a draft (or, in a dry run, would be sent)."""
    PARTIAL = "partial"
    """Some entries failed and stay untranslated (listed); the others were drafted. Exit 0."""
    FAILED = "failed"
    """A file could not be processed, or entries failed and none was drafted. Exit 1."""


@dataclass(frozen=True, slots=True)
class EngineTotals:
    """What was (or, in a dry run, would be) sent to one engine: entries, characters, words, requests."""

    engine: str
    entries: int = 0
    characters: int = 0
    words: int = 0
    requests: int = 0


@dataclass(frozen=True, slots=True)
class DraftFailure:
    """An entry left untranslated: the engine failed, or its draft broke something protected."""

    file: str
    line: int
    msgid: str
    engine: str
    reason: str
    rejected: bool
    """True when a draft came back but failed protection (lost, doubled or altered markup)."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.engine}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a run is: source texts settled out of those to send, and characters sent so far."""

    done: int
    total: int
    characters: int


@dataclass(frozen=True, slots=True)
class PretranslateReport:
    """What a pre-translation run did (or, with ``dry_run``, would send)."""

    language: str
    dry_run: bool
    entries: int
    """Entries whose text went (or would go) to an engine, after the memory and the cache."""
    characters: int
    """Characters sent (or that would be sent): each distinct text once, as masked."""
    words: int
    engines: tuple[EngineTotals, ...]
    drafted: int = 0
    from_memory: int = 0
    from_cache: int = 0
    near_matches: int = 0
    skipped: int = 0
    """Entries left for a later run: ``max_chars`` would have been exceeded."""
    failures: tuple[DraftFailure, ...] = ()
    written: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    """Engines skipped and why (not installed, no key)."""
    errors: tuple[FileError, ...] = ()
    reconciled: ReconcileReport | None = None
    """What reconciling the status tracker before the run did (``None`` without the tracker)."""

    @property
    def status(self) -> RunOutcome:
        """``ok``; ``partial`` (some entries failed, exit 0); ``failed`` (nothing drafted or a file failed)."""
        if self.errors or (self.failures and not self.drafted and not self.dry_run):
            return RunOutcome.FAILED
        return RunOutcome.PARTIAL if self.failures else RunOutcome.OK

    @property
    def ok(self) -> bool:
        return self.status is not RunOutcome.FAILED


__all__ = ["DraftFailure", "EngineTotals", "PretranslateReport", "Progress", "RunOutcome"]
