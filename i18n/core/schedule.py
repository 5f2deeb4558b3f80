"""``[schedule]`` of ``i18n.toml``: when an article's translation is due.

Its own module (not :mod:`i18n.workflow.assignments`, which records assignments in the tracker) so that
checking a changed ``i18n.toml`` at a command's start does not import the tracker and SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from i18n.core.config import Settings, TableReader

_SCHEDULE_KEYS = ("lead_days",)


@dataclass(frozen=True, slots=True)
class Schedule:
    """``[schedule]`` of ``i18n.toml``: how many days before its date an article's translation is due."""

    lead_days: int = 1

    def default_due(self, date: dt.date) -> dt.date:
        """The due date of an article dated ``date``: its date minus the lead time."""
        return date - dt.timedelta(days=self.lead_days)


def load_schedule(settings: Settings) -> Schedule:
    """``[schedule]``, validated (a :class:`~i18n.core.errors.ConfigError` names the key)."""
    reader = TableReader(settings.path)
    table = settings.section("schedule")
    lead_days = reader.take(table, "schedule.", "lead_days", int, 1,
                            lambda v: None if 0 <= v <= 365 else "must be between 0 and 365")
    reader.no_leftovers(table, "schedule.", _SCHEDULE_KEYS)
    return Schedule(lead_days)
