"""Accepted findings: a reviewer's decision that one check's finding on one entry is not a problem.

As Weblate's ``ignore-<check>`` flags. In the PO file an acceptance is a translator comment, which every
PO editor shows and ``i18n sync`` carries with the translation, and a flag for the tools that read flags::

    # ignore-numbers by Jordi Vidal 2026-12-03: the century is written in Roman numerals
    #, ignore-numbers

The comment is what counts: a merge that drops the flag loses nothing. A comment written by hand may leave
out who and when (``# ignore-numbers: the century is in Roman numerals``); a flag alone (as Weblate writes
it) is an acceptance without a reason. The accepted check no longer runs on that entry, whatever its
translation becomes, until the comment and flag are removed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from i18n.catalogs.catalog import Entry
from i18n.content.checks.base import Code

PREFIX = "ignore-"
_COMMENT = re.compile(r"ignore-(?P<code>[a-z-]+?)(?: by (?P<by>.+?) (?P<on>\d{4}-\d{2}-\d{2}))?: (?P<reason>.*)$")


@dataclass(frozen=True, slots=True)
class Acceptance:
    """One accepted check on one entry: the check's code, why, and (when the comment says) who and when."""

    code: Code
    reason: str
    by: str | None = None
    on: dt.date | None = None


def _code(text: str) -> Code | None:
    try:
        return Code(text)
    except ValueError:  # not a check's code: an ordinary comment or flag that happens to start so
        return None


def acceptances_of(entry: Entry) -> tuple[Acceptance, ...]:
    """The checks accepted on ``entry``: from its ``# ignore-<code>`` comments, then flags without one."""
    found: dict[Code, Acceptance] = {}
    for comment in entry.translator_comments:
        match = _COMMENT.match(comment.strip())
        if match is None or (code := _code(match.group("code"))) is None:
            continue
        on = dt.date.fromisoformat(match.group("on")) if match.group("on") else None
        found[code] = Acceptance(code, match.group("reason").strip(), match.group("by"), on)
    for flag in entry.flags:
        if flag.startswith(PREFIX) and (code := _code(flag[len(PREFIX):])) is not None:
            found.setdefault(code, Acceptance(code, ""))
    return tuple(found.values())


def accepted_codes(entry: Entry) -> frozenset[Code]:
    """The codes of the checks that do not run on ``entry``."""
    return frozenset(a.code for a in acceptances_of(entry))


def comment_of(acceptance: Acceptance) -> str:
    """The translator comment that records ``acceptance`` (without the ``# `` prefix)."""
    who = f" by {acceptance.by} {acceptance.on.isoformat()}" if acceptance.by and acceptance.on else ""
    return f"{PREFIX}{acceptance.code.value}{who}: {acceptance.reason}"


def with_acceptance(entry: Entry, acceptance: Acceptance) -> Entry:
    """``entry`` with ``acceptance`` recorded: its flag, and its comment replacing an older one for the code."""
    comments = tuple(c for c in entry.translator_comments
                     if not ((m := _COMMENT.match(c.strip())) and m.group("code") == acceptance.code.value))
    accepted = entry.with_flag(PREFIX + acceptance.code.value, True)
    return replace(accepted, translator_comments=(*comments, comment_of(acceptance)))
