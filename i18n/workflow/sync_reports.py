"""What ``extract``, ``update``, ``sync`` return (:class:`SyncReport`) and tell as they run (:class:`SyncProgress`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from i18n.catalogs.merge import MergeStats
from i18n.core.errors import FileError


@dataclass(frozen=True, slots=True)
class ExtractReport:
    """What extraction changed: articles by id, and template entries added or removed."""

    new: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    entries_added: int = 0
    entries_removed: int = 0
    templates_written: int = 0
    templates_unchanged: int = 0
    ui_changed: bool = False
    ignored: tuple[str, ...] = ()
    """Files in the content folder that are not articles (not ``*.md``; hidden files aside), left alone."""


@dataclass(frozen=True, slots=True)
class LanguageReport:
    """What updating one language's catalogs changed."""

    language: str
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: int = 0
    entries: MergeStats = field(default_factory=MergeStats)
    converted: tuple[tuple[str, str], ...] = ()
    """Catalogs read in another charset than UTF-8, as ``(path, charset)``: they are written back in UTF-8."""


@dataclass(frozen=True, slots=True)
class SyncReport:
    """The report of ``extract``, ``update`` or ``sync``; ``extract`` is ``None`` for ``update``."""

    dry_run: bool
    extract: ExtractReport | None
    languages: tuple[LanguageReport, ...]
    errors: tuple[FileError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


class SyncStep(enum.Enum):
    """The steps of a run that :class:`SyncProgress` reports on."""

    READING = "reading sources"
    UPDATING = "updating catalogs"
    WRITING = "writing files"


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Where a run is, for a progress line: ``done`` of ``total`` items of ``step`` (of ``language``)."""

    step: SyncStep
    done: int
    total: int
    language: str | None = None
