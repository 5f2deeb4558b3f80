"""The ``check --accept`` use case: a reviewer accepts one check's finding on one entry, with a reason.

``i18n check ca --article ID --accept numbers:KEY --reason "..."`` writes the acceptance into the PO file
(a ``# ignore-numbers by <name> <date>: <reason>`` comment and an ``ignore-numbers`` flag, see
:mod:`i18n.content.checks.accept`) and records it in the tracker's history (reason ``accept``, state
unchanged), in one transaction under the workspace lock: if the write fails, nothing is recorded. From
then on the check does not run on that entry; ``i18n check``, ``review`` and ``status`` count it as accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from i18n.catalogs.pofile import read_catalog, write_catalog
from i18n.content.checks import CODES, Code
from i18n.content.checks.accept import Acceptance, with_acceptance
from i18n.core import clock
from i18n.core.errors import UsageError
from i18n.core.ids import UI, UI_ARTICLE, display_id, resolve_article
from i18n.core.languages import Language
from i18n.core.states import State
from i18n.core.workspace import Workspace
from i18n.tracker.engine import open_tracker
from i18n.tracker.queries.review import record_acceptance
from i18n.tracker.snapshot import database_url
from i18n.workflow.reconcile import reconcile
from i18n.workflow.review_rules import reviewer_identity


@dataclass(frozen=True, slots=True)
class AcceptedFinding:
    """One check accepted on one entry: where, and the entry's (unchanged) state."""

    entry: str
    code: Code
    state: State
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class AcceptReport:
    """What ``check --accept`` recorded: who accepted which checks on which entries, and why."""

    language: str
    article: str
    reviewer: str
    reason: str
    accepted: tuple[AcceptedFinding, ...]


def parse_finding(text: str) -> tuple[Code, str]:
    """``CODE:KEY`` (``numbers:8399fc1331``) as a check code and an entry key; a usage error otherwise."""
    code, _, key = text.partition(":")
    if not key.strip() or code not in CODES:
        raise UsageError(f"--accept {text!r}: expected CODE:KEY with a check's code and an entry's key",
                         hint="codes: " + ", ".join(CODES) + "; the keys are in 'i18n check --json' (entry)")
    return Code(code), key.strip()


def accept(workspace: Workspace, language: str, article: str, findings: Sequence[str], *, reason: str,
           reviewer: str | None = None, today: dt.date | None = None) -> AcceptReport:
    """Accept each ``CODE:KEY`` finding of ``article`` in ``language`` with ``reason`` (see the module doc).

    A usage error, and nothing written, for an empty reason, an unknown code, or a key that names no
    translated entry of the catalog.
    """
    text = " ".join(reason.split())
    if not text:
        raise UsageError("--reason must say why the check's finding is accepted")
    wanted = [parse_finding(f) for f in findings]
    lang = workspace.settings.language(language)
    who = reviewer_identity(reviewer)
    path = _catalog_path(workspace, lang, article)
    file = workspace.relative(path)
    reconcile(workspace, user=who)
    on = today or clock.now().date()
    accepted: list[AcceptedFinding] = []
    opened = open_tracker(database_url(workspace))
    try:
        with workspace.lock(), opened.transaction() as session:
            catalog = read_catalog(path)
            entries = list(catalog.entries)
            for code, key in wanted:
                index = next((i for i, e in enumerate(entries) if e.key == key and not e.obsolete), None)
                if index is None or not entries[index].translated:
                    raise UsageError(f"{file}: no translated entry '{key}' to accept {code} on",
                                     hint=f"'i18n check {lang.code} --article {display_id(resolve_article(article))}"
                                          " --json' lists each problem's entry key")
                entries[index] = with_acceptance(entries[index], Acceptance(code, text, who, on))
                state = record_acceptance(session, article=resolve_article(article), language=lang.code,
                                             key=key, reviewer=who)
                accepted.append(AcceptedFinding(key, code, state, file, entries[index].line))
            write_catalog(replace(catalog, entries=tuple(entries)), path)
    finally:
        opened.close()
    return AcceptReport(lang.code, display_id(resolve_article(article)), who, text, tuple(accepted))


def _catalog_path(workspace: Workspace, language: Language, article: str) -> Path:
    """The article's catalog in ``language`` (its year from its template), or the UI catalog for ``@ui``."""
    if resolve_article(article) == UI_ARTICLE:
        return workspace.ui_catalog_path(language)
    years = workspace.template_years(resolve_article(article))
    if not years:
        raise UsageError(f"no article '{article}' in this workspace",
                         hint="give an article id, the source file name without .md, e.g. 2026-11-18-branching-out, "
                              f"or {UI} for the UI catalog")
    return workspace.catalog_path(language, resolve_article(article), years[0])
