"""The time every step stamps its work with: now, in UTC, or ``SOURCE_DATE_EPOCH`` when it is set.

Header dates, machine-draft and rejection comments, and publication times all read it, so that one
variable pins them all, as in reproducible builds (tests and the demo use it).
"""

from __future__ import annotations

import datetime as dt
import os
import time


def now() -> dt.datetime:
    """The current time in UTC, or ``SOURCE_DATE_EPOCH`` (seconds since 1970) when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(float(epoch) if epoch else time.time(), dt.UTC)
