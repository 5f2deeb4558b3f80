"""Rendering reports for people (text) and for scripts (JSON). Nothing here decides anything.

JSON shapes are a documented interface (``workflow.md``, "JSON output"): keys are only ever added.
"""

from __future__ import annotations

import json
from typing import Any

from i18n.merge import MergeStats
from i18n.sync import FileError, SyncReport


def to_json(data: Any) -> str:
    """Stable, readable JSON text (UTF-8 characters kept as they are)."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def entry_stats_dict(stats: MergeStats) -> dict[str, int]:
    return {"kept": stats.kept, "typography": stats.typography, "fuzzy": stats.fuzzy, "new": stats.new,
            "obsolete": stats.obsolete}


def error_dict(error: FileError) -> dict[str, Any]:
    return {"file": error.file, "line": error.line, "message": error.message, "hint": error.hint}


def sync_dict(report: SyncReport) -> dict[str, Any]:
    """The JSON object of ``extract``, ``update`` and ``sync``."""
    extract = report.extract
    return {
        "dry_run": report.dry_run,
        "articles": None if extract is None else {
            "new": list(extract.new), "changed": list(extract.changed), "removed": list(extract.removed),
        },
        "templates": None if extract is None else {
            "written": extract.templates_written, "unchanged": extract.templates_unchanged,
            "entries_added": extract.entries_added, "entries_removed": extract.entries_removed,
            "ui_changed": extract.ui_changed,
        },
        "languages": [
            {
                "language": lang.language,
                "catalogs": {"created": list(lang.created), "updated": list(lang.updated),
                             "unchanged": lang.unchanged},
                "entries": entry_stats_dict(lang.entries),
            }
            for lang in report.languages
        ],
        "errors": [error_dict(e) for e in report.errors],
    }


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def sync_text(report: SyncReport, verbose: bool = False) -> str:
    """A short summary for people: what changed, per language."""
    lines: list[str] = []
    would = "would be " if report.dry_run else ""
    extract = report.extract
    if extract is not None:
        lines.append(
            f"Articles: {len(extract.new)} new, {len(extract.changed)} changed, {len(extract.removed)} removed"
            f" ({_plural(extract.templates_written, 'template')} {would}written, "
            f"{extract.templates_unchanged} unchanged; entries +{extract.entries_added} -{extract.entries_removed})"
        )
        if extract.ui_changed:
            lines.append(f"UI strings: messages.pot {would}updated")
        if verbose:
            lines += [f"  new      {a}" for a in extract.new]
            lines += [f"  changed  {a}" for a in extract.changed]
            lines += [f"  removed  {a}" for a in extract.removed]
    for lang in report.languages:
        e = lang.entries
        lines.append(
            f"{lang.language}: {_plural(len(lang.created), 'catalog')} {would}created, {len(lang.updated)} "
            f"{would}updated, {lang.unchanged} unchanged; entries: {e.new} new, {e.fuzzy} fuzzy (source "
            f"changed), {e.typography} typography-only, {e.obsolete} obsolete"
        )
        if verbose:
            lines += [f"  created  {p}" for p in lang.created]
            lines += [f"  updated  {p}" for p in lang.updated]
    if report.dry_run:
        lines.append("Dry run: nothing was written.")
    return "\n".join(lines)


def errors_text(errors: tuple[FileError, ...]) -> str:
    """The files that failed, one per line, for stderr."""
    verb = "was" if len(errors) == 1 else "were"
    head = f"{_plural(len(errors), 'file')} could not be processed and {verb} left untouched:"
    return "\n".join([head, *(f"  {e}" for e in errors)])
