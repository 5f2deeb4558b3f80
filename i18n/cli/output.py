"""Rendering reports for people (text) and for scripts (JSON). Nothing here decides anything.

JSON shapes are a documented interface (``workflow.md``, "JSON output"): keys are only ever added.
This module holds the common helpers and the reports of the first steps (sync, status, log, check,
pretranslate, engines); :mod:`i18n.cli.output_review` renders the review and assignment reports,
:mod:`i18n.cli.output_publish` the publication, dashboard and daily ones.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any, TypeVar

from i18n.core.errors import FileError, I18nError, relative_to
from i18n.core.jsontext import COMPACT, EncodedJSON
from i18n.core.languages import parse_language
from i18n.core.states import State

if TYPE_CHECKING:  # annotations only: each command imports just what it renders (`i18n status` stays cheap)
    from collections.abc import Sequence
    from pathlib import Path

    from i18n.catalogs.merge import MergeStats
    from i18n.content.checks import Check
    from i18n.machine.engines import EngineStatus
    from i18n.workflow.accept import AcceptReport
    from i18n.workflow.check import CheckReport
    from i18n.workflow.history import HistoryReport
    from i18n.workflow.pretranslate import PretranslateReport
    from i18n.workflow.reconcile import ReconcileReport
    from i18n.workflow.status import StatusReport
    from i18n.workflow.sync import SyncReport


def to_json(data: Any) -> str:
    """Stable, readable JSON text (UTF-8 characters kept as they are).

    Objects are indented, and a list of objects has one object per line: as readable and as easy to grep
    or diff as fully indented JSON, and written by the json module's C encoder. Fully indented output goes
    through its pure-Python encoder, which took seconds on ``status --by article`` at 50,000 rows. An
    :class:`~i18n.core.jsontext.EncodedJSON` among the values is written as its text (see :func:`json_pieces`).
    """
    return "".join(p if isinstance(p, str) else p.decode("utf-8") for p in json_pieces(data))


def json_pieces(data: Any) -> Iterator[str | bytes]:
    """The text of :func:`to_json` in pieces, for writing a large report as it is rendered: an
    :class:`Objects` value is encoded a batch of objects at a time, never held whole; an
    :class:`~i18n.core.jsontext.EncodedJSON` value (a cached report's long list) comes as its UTF-8 text,
    never decoded and encoded again. It stands where a compact value goes (in an object that is written on
    one line, as each object of a list of objects is)."""
    text: list[str] = []
    size = 0
    for piece in _json(data, ""):
        if isinstance(piece, EncodedJSON):
            if text:
                yield "".join(text)
                text, size = [], 0
            yield piece.text
            continue
        text.append(piece)
        size += len(piece)
        if size >= _PIECE:
            yield "".join(text)
            text, size = [], 0
    if text:
        yield "".join(text)


@dataclass(frozen=True, slots=True)
class Objects:
    """A JSON list of objects that :func:`json_pieces` writes one per line, each encoded by ``encode`` (compact
    JSON text of one item) as it is reached: 100,000 article rows are never a list of dicts, nor one string."""

    items: Iterable[Any]
    encode: Callable[[Any], str]


_BATCH = 2000
"""Objects, rows or lines per piece of a large report (a few hundred kilobytes of article rows)."""
_PIECE = 1 << 16
"""Characters of JSON text gathered into one piece before it is handed on (fewer, larger writes)."""
T = TypeVar("T")


def _json(value: Any, pad: str) -> Iterator[str | EncodedJSON]:
    inner = pad + "  "
    if isinstance(value, dict) and value:
        yield "{\n"
        comma = ""
        for key, item in value.items():
            yield f"{comma}{inner}{json.dumps(str(key), ensure_ascii=False)}: "
            yield from _json(item, inner)
            comma = ",\n"
        yield f"\n{pad}}}"
    elif isinstance(value, Objects):
        yield from _objects(map(value.encode, value.items), inner, pad)
    elif isinstance(value, list | tuple) and value and all(isinstance(item, dict) for item in value):
        if not any(isinstance(v, EncodedJSON) for item in value for v in item.values()):
            yield from _objects(map(_compact, value), inner, pad)
            return
        separator = "[\n"
        for item in value:  # a cached report's mirrors: each object in pieces around its encoded list
            yield separator + inner
            yield from _compact_pieces(item)
            separator = ",\n"
        yield f"\n{pad}]"
    else:
        yield from _compact_pieces(value)


def _objects(texts: Iterable[str], inner: str, pad: str) -> Iterator[str]:
    """``[`` + one encoded object a line + ``]`` (``[]`` for none), a batch of lines at a time."""
    lead, between = "[\n" + inner, ",\n" + inner
    for batch in _batches(texts):
        yield lead + between.join(batch)
        lead = between
    yield "[]" if lead.startswith("[") else f"\n{pad}]"


def _batches(items: Iterable[T]) -> Iterator[list[T]]:
    """``items`` in lists of :data:`_BATCH` (the last one shorter)."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, _BATCH)):
        yield batch


def _compact_pieces(value: Any) -> Iterator[str | EncodedJSON]:
    """``COMPACT.encode(value)``, in pieces when an object holds an :class:`EncodedJSON` (written as it is)."""
    if isinstance(value, EncodedJSON):
        yield value
    elif isinstance(value, dict) and any(isinstance(item, EncodedJSON) for item in value.values()):
        separator = "{"
        for key, item in value.items():
            yield f"{separator}{json.dumps(str(key), ensure_ascii=False)}: "
            yield from _compact_pieces(item)
            separator = ", "
        yield "}"
    else:
        yield _compact(value)


_string = encode_basestring  # a str as JSON text, as COMPACT writes it (UTF-8 characters kept)


def _compact(value: Any) -> str:
    return COMPACT.encode(value)


def entry_stats_dict(stats: MergeStats) -> dict[str, int]:
    return {"kept": stats.kept, "typography": stats.typography, "fuzzy": stats.fuzzy, "new": stats.new,
            "obsolete": stats.obsolete}


def error_dict(error: FileError) -> dict[str, Any]:
    return {"file": error.file, "line": error.line, "message": error.message, "hint": error.hint}


def fatal_error_text(error: I18nError, root: Path | None = None) -> str:
    """``file:line: message (hint)`` of an error that stopped a command, the file relative to ``root``."""
    return str(FileError.of(error, root)) if error.path is not None else str(error)


def fatal_error_dict(error: I18nError, root: Path | None = None) -> dict[str, Any]:
    """The one object ``--json`` prints when a command stops on an error: ``{"error": {...}}``.

    ``code`` names the kind of error (the class without ``Error``, in kebab case: ``config``,
    ``engine-auth``, ``source``, ``workspace-not-found``); ``path`` and ``line`` are ``null`` when the
    error is in no file.
    """
    name = type(error).__name__.removesuffix("Error") or "i18n"
    code = re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()
    path = relative_to(error.path, root) if error.path is not None else None
    return {"error": {"code": code, "message": error.message, "path": path, "line": error.line,
                      "hint": error.hint}}


def sync_dict(report: SyncReport) -> dict[str, Any]:
    """The JSON object of ``extract``, ``update`` and ``sync``."""
    extract = report.extract
    return {
        "dry_run": report.dry_run,
        "articles": None if extract is None else {
            "new": list(extract.new), "changed": list(extract.changed), "removed": list(extract.removed),
            "ignored": list(extract.ignored),
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
                "converted": [{"path": path, "charset": charset} for path, charset in lang.converted],
            }
            for lang in report.languages
        ],
        "errors": [error_dict(e) for e in report.errors],
    }


def plural(count: int, noun: str) -> str:
    """``1 file``, ``2 files``: a count and its noun, in the plural unless the count is one."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def entry_count(count: int) -> str:
    """``1 entry``, ``2 entries``."""
    return f"{count} entry" if count == 1 else f"{count} entries"


def sync_text(report: SyncReport, verbose: bool = False) -> str:
    """A short summary for people: what changed, per language."""
    lines: list[str] = []
    would = "would be " if report.dry_run else ""
    extract = report.extract
    if extract is not None:
        lines.append(
            f"Articles: {len(extract.new)} new, {len(extract.changed)} changed, {len(extract.removed)} removed"
            f" ({plural(extract.templates_written, 'template')} {would}written, "
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
            f"{lang.language}: {plural(len(lang.created), 'catalog')} {would}created, {len(lang.updated)} "
            f"{would}updated, {lang.unchanged} unchanged; entries: {e.new} new, {e.fuzzy} fuzzy (source "
            f"changed), {e.typography} typography-only, {e.obsolete} obsolete"
        )
        if verbose:
            lines += [f"  created  {p}" for p in lang.created]
            lines += [f"  updated  {p}" for p in lang.updated]
    if report.dry_run:
        lines.append("Dry run: nothing was written.")
    return "\n".join(lines)


def sync_notices(report: SyncReport) -> list[str]:
    """Notes for stderr: files in the content folder that are not articles (one line), and per language at
    most one each: catalogs that keep their own plural rule, catalogs converted to UTF-8."""
    lines: list[str] = []
    ignored = report.extract.ignored if report.extract is not None else ()
    if ignored:
        shown = ", ".join(ignored[:5]) + (f" and {len(ignored) - 5} more" if len(ignored) > 5 else "")
        one = len(ignored) == 1
        lines.append(f"i18n: note: {plural(len(ignored), 'file')} in the content folder "
                     f"{'is not an article and was' if one else 'are not articles and were'} ignored: {shown} "
                     "(articles are <yyyy>/<yyyy-mm-dd>-<slug>.md)")
    for lang in report.languages:
        kept = lang.entries.own_plural_rule
        if kept:
            rule = parse_language(lang.language).plural_forms
            lines.append(
                f"i18n: note: {lang.language}: {plural(kept, 'catalog')} {'keeps' if kept == 1 else 'keep'} its own "
                f"Plural-Forms header, not the rule new {lang.language} catalogs get ({rule}); their plural "
                "entries are merged and checked against their own header (see workflow.md, 'Plural forms')")
        if lang.converted:
            listed = ", ".join(f"{path} ({charset})" for path, charset in lang.converted)
            lines.append(f"i18n: note: {lang.language}: {plural(len(lang.converted), 'catalog')} not in UTF-8, "
                         f"read in the charset its header declares and written back in UTF-8: {listed}")
    return lines


def errors_text(errors: tuple[FileError, ...]) -> str:
    """The files that failed, one per line, for stderr."""
    verb = "was" if len(errors) == 1 else "were"
    head = f"{plural(len(errors), 'file')} could not be processed and {verb} left untouched:"
    return "\n".join([head, *(f"  {e}" for e in errors)])


# -- status tracker: status, log, db ------------------------------------------------------------------------

def _status_types() -> Any:
    from i18n.workflow import status  # lazy: start-up time (only status renders need it)

    return status


_STATE_NAMES = tuple(state.value for state in State)


def counts_dict(counts: Any) -> dict[str, int]:
    """``{"untranslated": n, "machine": n, "needs-work": n, "translated": n, "approved": n}``."""
    return dict(zip(_STATE_NAMES, counts.values, strict=True))


def reconcile_dict(report: ReconcileReport) -> dict[str, Any]:
    """What reconciliation did before a report was made."""
    return {
        "checked": report.checked, "read": report.read, "catalogs": report.catalogs, "changes": report.changes,
        "edits": report.edits, "created": report.created, "rebuilt": report.rebuilt,
        "stale": [{"catalog": s.catalog, "line": s.line, "language": s.language, "article": s.article,
                   "old_source": s.old_source, "kept_as": "needs-work" if s.kept else "obsolete"}
                  for s in report.stale],
        "errors": [error_dict(e) for e in report.errors],
        "behind": list(report.behind),
    }


_ENTRIES_JSON = "{" + ", ".join(f'"{name}": %d' for name in _STATE_NAMES) + "}"


def _article_json(item: Any) -> str:
    """One article row (``--by article``, ``--due``, ``--mine``) as compact JSON text, spelled out rather than
    built as a dict for the encoder: a few times faster, which counts at 100,000 rows. Strings go through
    the encoder's string function; dates, states and numbers never need escaping."""
    published = "null" if item.published_at is None else f'"{stamp(item.published_at)}"'
    return (f'{{"article": {_string(item.article)}, "date": "{item.date.isoformat()}", '
            f'"language": {_string(item.language)}, "state": "{item.state.value}", '
            f'"entries": {_ENTRIES_JSON % item.entries.values}, "catalog": {_string(item.catalog)}, '
            f'"days": {item.days:d}, "assignment": {_assigned_json(item.assignment)}, '
            f'"accepted": {item.accepted:d}, "published_at": {published}, '
            f'"live_is_older": {"true" if item.live_is_older else "false"}}}')


def stamp(at: Any) -> str | None:
    """A tracker timestamp (UTC) as ISO 8601, to the minute."""
    return at.strftime("%Y-%m-%dT%H:%MZ") if at is not None else None


def live_text(at: Any) -> str:
    """The note that a mirror still serves an older version, published at ``at``."""
    return f"  [live: the version published {at.strftime('%Y-%m-%d')}, older]" if at is not None else ""


def _assigned_json(assigned: Any) -> str:
    """``{"translator", "reviewer", "due", "overdue"}`` of an article row, or ``null`` if nobody is assigned."""
    if assigned is None:
        return "null"
    return _compact({"translator": assigned.translator, "reviewer": assigned.reviewer,
                     "due": assigned.due.isoformat() if assigned.due else None, "overdue": assigned.overdue})


def _assigned_text(assigned: Any) -> str:
    if assigned is None:
        return ""
    people = f"translator {assigned.translator or '-'}, reviewer {assigned.reviewer or '-'}"
    due = f", due {assigned.due.isoformat()}" if assigned.due else ""
    return f"  [{people}{due}{' OVERDUE' if assigned.overdue else ''}]"


def _assigned_cells(assigned: Any) -> list[Any]:
    if assigned is None:
        return ["", "", "", ""]
    return [assigned.translator or "", assigned.reviewer or "", assigned.due.isoformat() if assigned.due else "",
            "yes" if assigned.overdue else "no"]


def status_dict(report: StatusReport) -> dict[str, Any]:
    """The JSON object of ``i18n status`` (its shape depends on ``--by`` and ``--due``; see workflow.md).

    Article rows are :class:`Objects`, encoded as :func:`to_json` or :func:`json_pieces` writes them."""
    View = _status_types().View
    data: dict[str, Any]
    if report.view is View.LANGUAGES:
        data = {"languages": [{
            "language": lang.language, "entries": counts_dict(lang.entries), "words": counts_dict(lang.words),
            "articles": {"total": lang.articles_total, "approved": lang.articles_approved,
                         "published": lang.articles_published},
            "percent_approved": lang.percent_approved,
        } for lang in report.languages]}
    elif report.view is View.ARTICLES:
        data = {"articles": Objects(report.articles, _article_json)}
    elif report.view is View.TRANSLATORS:
        data = {"translators": [{
            "translator": t.translator,
            "translated": {"last_7_days": t.translated_7, "last_30_days": t.translated_30},
            "approved": {"last_7_days": t.approved_7, "last_30_days": t.approved_30},
        } for t in report.translators]}
    elif report.view is View.MINE:
        data = {"today": report.today.isoformat(), "person": report.person,
                "assignments": Objects(report.assignments, _article_json)}
    else:
        data = {"today": report.today.isoformat(), "days": report.due_days,
                "due": Objects(report.due, _article_json), "overdue": Objects(report.overdue, _article_json)}
    data["reconciled"] = reconcile_dict(report.reconciled)
    return data


def status_json(report: StatusReport) -> Iterator[str | bytes]:
    """``i18n status --json`` in pieces of text (:func:`json_pieces`), ending in a newline."""
    yield from json_pieces(status_dict(report))
    yield "\n"


def status_csv(report: StatusReport) -> Iterator[str]:
    """``i18n status --csv``: one row per language, article, translator or due article, in pieces of text (each
    row ends in a newline), a batch of rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for batch in _batches(_status_rows(report)):
        writer.writerows(batch)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _status_rows(report: StatusReport) -> Iterator[list[Any]]:
    """The rows of :func:`status_csv`, its header first."""
    View = _status_types().View
    states = [s.value for s in State]
    if report.view is View.LANGUAGES:
        yield ["language", *states, *(f"words_{s}" for s in states), "articles_total", "articles_approved",
               "articles_published", "percent_approved"]
        for lang in report.languages:
            yield [lang.language, *lang.entries.values, *lang.words.values, lang.articles_total,
                   lang.articles_approved, lang.articles_published, lang.percent_approved]
    elif report.view is View.TRANSLATORS:
        yield ["translator", "translated_last_7_days", "translated_last_30_days", "approved_last_7_days",
               "approved_last_30_days"]
        for t in report.translators:
            yield [t.translator, t.translated_7, t.translated_30, t.approved_7, t.approved_30]
    else:
        due = report.view is View.DUE
        yield [*(["due"] if due else []), "article", "date", "language", "state", *states, "catalog", "days",
               "translator", "reviewer", "assignment_due", "assignment_overdue"]
        rows = (itertools.chain((("due", a) for a in report.due), (("overdue", a) for a in report.overdue)) if due
                else (("", a) for a in report.assignments) if report.view is View.MINE
                else (("", a) for a in report.articles))
        for kind, a in rows:
            yield [*([kind] if due else []), a.article, a.date.isoformat(), a.language, a.state.value,
                   *a.entries.values, a.catalog, a.days, *_assigned_cells(a.assignment)]


def _counts_text(counts: Any) -> str:
    return ", ".join(f"{n} {state.value}" for state, n in counts.items() if n) or "none"


def status_text(report: StatusReport) -> Iterator[str]:
    """``i18n status`` for people, in pieces of text ending in a newline (a batch of lines at a time)."""
    written = False
    for batch in _batches(_status_lines(report)):
        yield "\n".join(batch) + "\n"
        written = True
    if not written:
        yield "\n"


def _status_lines(report: StatusReport) -> Iterator[str]:
    """The lines of :func:`status_text`."""
    View = _status_types().View
    if report.view is View.LANGUAGES:
        for lang in report.languages:
            yield (f"{lang.language}: {lang.percent_approved:g}% approved; "
                   f"articles {lang.articles_approved}/{lang.articles_total} approved, "
                   f"{lang.articles_published} published")
            yield f"  entries: {_counts_text(lang.entries)}"
            yield f"  words:   {_counts_text(lang.words)}"
    elif report.view is View.ARTICLES:
        for a in report.articles:
            accepted = f"  {a.accepted} accepted" if a.accepted else ""
            live = live_text(a.published_at if a.live_is_older else None)
            yield (f"{a.date.isoformat()}  {a.article}  {a.language}  {a.state.value:<12}  "
                   f"{_counts_text(a.entries)}{accepted}  ({a.catalog}){_assigned_text(a.assignment)}{live}")
    elif report.view is View.TRANSLATORS:
        if not report.translators:
            yield "Nobody translated or approved anything in the last 30 days."
        for t in report.translators:
            yield (f"{t.translator}: translated {t.translated_7} (7 days), {t.translated_30} (30 days); "
                   f"approved {t.approved_7} (7 days), {t.approved_30} (30 days)")
    elif report.view is View.MINE:
        # the rows of this view are the person's assignments: each has one
        mine = [(a, a.assignment) for a in report.assignments if a.assignment is not None]
        late = sum(1 for _, assigned in mine if assigned.overdue)
        yield f"Assigned to {report.person}: {plural(len(mine), 'article translation')}; overdue: {late}"
        for a, assigned in mine:
            role = "translate" if assigned.translator == report.person else "review"
            if role == "translate" and assigned.reviewer == report.person:
                role = "translate, review"
            due = assigned.due.isoformat() if assigned.due else "no due date"
            flag = "  OVERDUE" if assigned.overdue else ""
            yield f"  due {due}  {a.article}  {a.language}  {a.state.value}  ({role}){flag}"
    else:
        yield (f"Due within {plural(report.due_days or 0, 'day')} of {report.today.isoformat()}: "
               f"{plural(len(report.due), 'article translation')}; overdue: {len(report.overdue)}")
        for label, items in (("due", report.due), ("overdue", report.overdue)):
            for a in items:
                yield (f"  {label:<8} {a.date.isoformat()}  {a.article}  {a.language}  {a.state.value}  "
                       f"({a.catalog}){_assigned_text(a.assignment)}")


def reconcile_notices(report: ReconcileReport) -> list[str]:
    """Warnings about reconciliation, for stderr: a rebuilt tracker, edits against an older template."""
    lines: list[str] = []
    if report.rebuilt:
        lines.append("i18n: warning: the status tracker (.i18n/tracker.sqlite3) was missing and has been rebuilt "
                     "from the PO files: states are back, but approvals and history from before are lost "
                     "(restore a backup with 'i18n db import FILE --replace')")
    elif report.created:
        lines.append("i18n: created the status tracker .i18n/tracker.sqlite3 from the PO files")
    for s in report.stale:
        kept = "kept as needs-work with the old source shown" if s.kept else "kept as an obsolete (#~) entry"
        lines.append(f"i18n: {s.catalog}:{s.line}: translated against an older template (source: "
                     f"{s.old_source[:60]!r}); {kept}: review it")
    for catalog in report.behind:
        lines.append(f"i18n: warning: {catalog}: holds older translations than the tracker (another clone "
                     "recorded newer ones); they were not recorded back: pull (git pull) to get the newer ones")
    return lines


def history_dict(report: HistoryReport) -> dict[str, Any]:
    """The JSON object of ``i18n log``."""
    return {"article": report.article, "language": report.language, "history": [{
        "at": r.at.isoformat(timespec="seconds") + "Z", "language": r.language, "entry": r.key, "actor": r.actor,
        "reason": r.reason, "before": r.before.value if r.before else None, "after": r.after.value,
    } for r in report.records], "publications": [{
        "at": p.at.isoformat(timespec="seconds") + "Z", "mirror": p.mirror, "language": p.language,
        "action": p.action, "version": p.version, "actor": p.actor,
    } for p in report.publications], "versions": [v.to_json() for v in report.versions]}


def history_text(report: HistoryReport) -> str:
    """``i18n log`` for people."""
    lines = [
        f"{r.at.strftime('%Y-%m-%d %H:%M')}  {r.language}  {r.key:<16} "
        f"{(r.before.value if r.before else '-'):>12} -> {r.after.value:<12} {r.reason:<7} {r.actor}"
        for r in report.records] or [f"No state changes recorded for {report.article}."]
    if report.publications:
        lines.append("Publications:")
        lines.extend(f"{p.at.strftime('%Y-%m-%d %H:%M')}  {p.language}  {p.mirror:<16} {p.action:<9} "
                     f"{p.version or '-':<16} {p.actor}" for p in report.publications)
    if report.versions:
        lines.append("Versions kept on the mirrors (i18n publish --rollback ARTICLE --to VERSION):")
        lines.extend(f"{v.published_at.strftime('%Y-%m-%d %H:%M')}  {v.mirror:<16} {v.version:<16}"
                     + ("  live" if v.live else "") for v in report.versions)
    return "\n".join(lines)


# -- check -------------------------------------------------------------------------------------------------


def check_dict(report: CheckReport) -> dict[str, Any]:
    """The JSON object of ``i18n check``."""
    return {
        "languages": list(report.languages), "catalogs": report.catalogs, "entries": report.entries,
        "counts": {"error": len(report.errors), "warning": len(report.warnings), "accepted": len(report.accepted)},
        "problems": [p.as_dict() for p in report.problems],
        "accepted": [a.as_dict() for a in report.accepted],
        "errors": [error_dict(e) for e in report.file_errors],
    }


def check_text(report: CheckReport) -> str:
    """Every problem as ``file:line: severity [code] entry: message``, then a summary line."""
    lines = [f"{p.location}: {p.severity.value} [{p.code}] {p.entry}: {p.message}" for p in report.problems]
    accepted = f", {len(report.accepted)} accepted" if report.accepted else ""
    lines.append(f"Checked {entry_count(report.entries)} in {plural(report.catalogs, 'catalog')}: "
                 f"{plural(len(report.errors), 'error')}, {plural(len(report.warnings), 'warning')}{accepted}.")
    return "\n".join(lines)


def checks_list(checks: Sequence[Check]) -> list[dict[str, str]]:
    """The JSON array of ``i18n check --list --json``: each check's code, default severity and description."""
    return [{"code": c.code.value, "severity": c.severity.value, "description": c.catches} for c in checks]


def checks_list_text(checks: Sequence[Check]) -> str:
    """One line per check: code, default severity, what it catches."""
    width = max(len(c.code) for c in checks)
    return "\n".join(f"{c.code:<{width}}  {c.severity.value:<7}  {c.catches}" for c in checks)


def accept_text(report: AcceptReport) -> str:
    """What ``check --accept`` recorded, one line per accepted finding."""
    return "\n".join(f"{a.file}:{a.line}: accepted [{a.code}] {a.entry} ({report.reviewer}: {report.reason})"
                     for a in report.accepted)


# -- pretranslate and engines ------------------------------------------------------------------------------


def pretranslate_dict(report: PretranslateReport) -> dict[str, Any]:
    """The JSON object of ``i18n pretranslate`` (see workflow.md)."""
    data = dataclasses.asdict(report)
    data["status"] = report.status
    return data


def pretranslate_text(report: PretranslateReport) -> str:
    """A summary: what was (or would be) sent, per engine, and what was drafted."""
    verb = "Would send" if report.dry_run else "Sent"
    lines = [f"{report.language}: {verb} {entry_count(report.entries)} ({plural(report.characters, 'character')}, "
             f"{plural(report.words, 'word')}) to the engines"]
    for engine in report.engines:
        lines.append(f"  {engine.engine}: {entry_count(engine.entries)}, {plural(engine.characters, 'character')}, "
                     f"{plural(engine.words, 'word')}, {plural(engine.requests, 'request')}")
    if not report.dry_run:
        lines.append(f"Drafted {entry_count(report.drafted)} ({report.from_memory} from the translation memory, "
                     f"{report.from_cache} from the draft cache); {report.near_matches} near "
                     f"{'match' if report.near_matches == 1 else 'matches'} offered; "
                     f"{report.skipped} left for a later run; "
                     f"{plural(len(report.written), 'catalog')} written")
    lines += [f"Note: {note}" for note in report.notes]
    return "\n".join(lines)


def engines_dict(statuses: Sequence[EngineStatus]) -> list[dict[str, Any]]:
    """The JSON list of ``i18n engines``."""
    return [dataclasses.asdict(s) for s in statuses]


def engines_text(statuses: Sequence[EngineStatus]) -> str:
    """One line per engine: usable or not, and why."""
    lines = []
    for s in statuses:
        mark = "usable" if s.usable else "not usable"
        where = f" for {', '.join(s.languages)}" if s.languages else ""
        configured = "configured" + where if s.configured else "not configured"
        lines.append(f"{s.engine:15} {mark:11} {configured}" + (f" ({s.reason})" if s.reason else ""))
    return "\n".join(lines)
