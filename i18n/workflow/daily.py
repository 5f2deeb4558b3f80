"""The morning job a machine runs (``i18n daily``): sync, pre-translate within a budget, publish, report.

A team that publishes one article a day wants one command for cron, a systemd timer or a CI schedule.
:func:`daily` composes the existing use cases through their public entry points only, in the order a
coordinator would run them by hand:

1. :func:`i18n.workflow.sync.sync`: new and corrected articles into the catalogs;
2. :func:`i18n.workflow.pretranslate.pretranslate`, per language, capped by ``[daily]``'s ``max_chars`` and
   ``limit`` (a paid engine's monthly quota spread over the days);
3. :func:`i18n.workflow.publish.publish_mirrors` as of the day: what is due and approved goes live;
4. :func:`i18n.workflow.report.dashboard`: the coordinator's figures, which the caller renders (the CLI
   writes the HTML page) through ``render_report``.

A step that fails is recorded and the later steps still run (a broken engine must not stop today's
article from being published). The outcome is one :class:`DailyStatus`, a one-paragraph
:meth:`DailyReport.summary` for a mail or a chat message, and a block appended to the log file
(``.i18n/daily.log`` by default), written atomically like every other file.

Configured in ``i18n.toml``::

    [daily]
    languages = []          # default: every configured language
    pretranslate = true     # draft untranslated entries with the machine engines
    max_chars = 0           # characters sent to the engines per language and run (0: no cap)
    limit = 0               # entries drafted per language and run (0: no cap)
    log = ".i18n/daily.log" # relative to the workspace
    report = "build/report" # the dashboard's folder
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from i18n.core import clock
from i18n.core.atomic import write_atomic
from i18n.core.config import TableReader
from i18n.core.errors import I18nError
from i18n.core.workspace import Workspace
from i18n.mirrors.outputs import load_mirrors

if TYPE_CHECKING:
    from i18n.workflow.pretranslate import PretranslateReport
    from i18n.workflow.publish import PublishRun
    from i18n.workflow.report import Dashboard
    from i18n.workflow.sync import SyncReport

_KEYS = ("languages", "pretranslate", "max_chars", "limit", "log", "report")


@dataclass(frozen=True, slots=True)
class DailySettings:
    """``[daily]`` of ``i18n.toml``, checked; paths relative to the workspace."""

    languages: tuple[str, ...] = ()
    """Language codes to pre-translate and report on; empty: every configured language."""
    pretranslate: bool = True
    max_chars: int = 0
    """Characters sent to the engines per language and run; 0: no cap."""
    limit: int = 0
    """Entries drafted per language and run; 0: no cap."""
    log: Path = Path(".i18n/daily.log")
    report: Path = Path("build/report")


def daily_settings(workspace: Workspace) -> DailySettings:
    """``[daily]`` of the workspace's ``i18n.toml``, checked (naming the file and the key)."""
    settings = workspace.settings
    reader = TableReader(settings.path)
    table = settings.section("daily")
    languages = tuple(settings.language(code).code for code in reader.strings(table, "daily.", "languages", []))
    def cap(value: int) -> str | None:
        return None if value >= 0 else "must be 0 (no cap) or more"

    result = DailySettings(
        languages=languages,
        pretranslate=reader.take(table, "daily.", "pretranslate", bool, True),
        max_chars=reader.take(table, "daily.", "max_chars", int, 0, cap),
        limit=reader.take(table, "daily.", "limit", int, 0, cap),
        log=Path(reader.take(table, "daily.", "log", str, ".i18n/daily.log")),
        report=Path(reader.take(table, "daily.", "report", str, "build/report")),
    )
    reader.no_leftovers(table, "daily.", _KEYS)
    return result


class DailyStatus(enum.Enum):
    """How the run went, as the exit code a scheduler sees: ``ok`` 0, ``failed`` 1, ``not-ready`` 3."""

    OK = "ok"
    NOT_READY = "not-ready"
    """Everything ran, but an article that is due is not publishable yet (someone must act today)."""
    FAILED = "failed"
    """A step failed, or some files could not be processed (the log and the summary say which)."""


@dataclass(frozen=True, slots=True)
class StepFailure:
    """A step that raised: which one (``sync``, ``pretranslate ca``, ``publish``, ``report``) and why."""

    step: str
    message: str

    def __str__(self) -> str:
        return f"{self.step}: {self.message}"


@dataclass(frozen=True, slots=True)
class DailyReport:
    """What one daily run did, step by step; ``None`` for a step that failed (see ``failures``) or was off."""

    today: dt.date
    started_at: dt.datetime
    settings: DailySettings
    sync: SyncReport | None = None
    pretranslated: tuple[PretranslateReport, ...] = ()
    published: PublishRun | None = None
    dashboard: Dashboard | None = None
    report_path: Path | None = None
    failures: tuple[StepFailure, ...] = ()
    log_path: Path | None = None
    notes: tuple[str, ...] = field(default=())
    """Things worth a line that are no failure (no mirror configured, pre-translation turned off)."""

    @property
    def problems(self) -> tuple[str, ...]:
        """Every failure and every file a step could not process, one line each."""
        lines = [str(f) for f in self.failures]
        if self.sync is not None:
            lines += [f"sync: {e}" for e in self.sync.errors]
        for report in self.pretranslated:
            lines += [f"pretranslate {report.language}: {e}" for e in report.errors]
            if report.status == "failed" and not report.errors:
                failed = _count(len(report.failures), "entry", "entries")
                lines.append(f"pretranslate {report.language}: {failed} failed, none drafted")
        if self.published is not None:
            lines += [f"publish: {m}: {b.article}: {b.message}" for m, b in self.published.source_errors]
            if self.published.reconciled is not None:
                lines += [f"tracker: {e}" for e in self.published.reconciled.errors]
        return tuple(dict.fromkeys(lines))

    @property
    def blocked(self) -> tuple[str, ...]:
        """Due articles kept off the mirrors, once each: ``article (languages: reason)``."""
        if self.published is None:
            return ()
        by_mirror = {r.mirror: r.language for r in self.published.mirrors}
        found: dict[tuple[str, str], dict[str, None]] = {}
        for mirror, blocked in self.published.waiting:
            found.setdefault((blocked.article, blocked.reason.value), {})[by_mirror.get(mirror, mirror)] = None
        return tuple(f"{article} ({', '.join(langs)}: {reason})" for (article, reason), langs in found.items())

    @property
    def status(self) -> DailyStatus:
        if self.problems:
            return DailyStatus.FAILED
        return DailyStatus.NOT_READY if self.blocked else DailyStatus.OK

    def summary(self) -> str:
        """One paragraph for a mail or a chat message: what happened, what needs a person, where to look."""
        parts = [f"i18n daily, {self.today.isoformat()}:"]
        if self.sync is not None and self.sync.extract is not None:
            e = self.sync.extract
            parts.append(f"sync found {_count(len(e.new), 'new article')}, {len(e.changed)} changed and "
                         f"{len(e.removed)} removed;")
        drafted = [f"{r.language} {_count(r.drafted, 'entry', 'entries')} ({r.characters} characters sent)"
                   for r in self.pretranslated]
        if drafted:
            parts.append("machine drafts: " + ", ".join(drafted) + ";")
        if self.published is not None:
            new = sorted({a for r in self.published.mirrors for a in (*r.published, *r.updated)})
            mirrors = len(self.published.mirrors)
            if new:
                parts.append(f"published {_count(len(new), 'article')} ({', '.join(new)}) to "
                             f"{_count(mirrors, 'mirror')}, {self.published.showing} article pages live in all;")
            else:
                parts.append(f"nothing new to publish ({self.published.showing} article pages live on "
                             f"{_count(mirrors, 'mirror')});")
        if self.blocked:
            parts.append(f"{_count(len(self.blocked), 'due article')} blocked: {', '.join(self.blocked)};")
        if self.problems:
            parts.append(f"{_count(len(self.problems), 'problem')}: {'; '.join(self.problems)};")
        parts += [f"{note};" for note in self.notes]
        if self.report_path is not None:
            parts.append(f"dashboard: {self.report_path}.")
        verdict = {DailyStatus.OK: "All done.", DailyStatus.NOT_READY: "Not ready: a person must act (exit 3).",
                   DailyStatus.FAILED: "Failed: see the problems above (exit 1)."}[self.status]
        text = " ".join(parts)
        return (text[:-1] + "." if text.endswith(";") else text) + " " + verdict


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


def daily(workspace: Workspace, *, today: dt.date | None = None, user: str | None = None,
          render_report: Callable[[Dashboard, Path], Path] | None = None,
          progress: Callable[[str], None] | None = None) -> DailyReport:
    """Run the morning job once (see the module docstring) and append its summary to the log.

    ``today`` (default: the clock's date, :mod:`i18n.core.clock`, and for publishing the clock's date in
    each mirror's time zone) is the day articles are published as of and the dashboard's today.
    ``render_report(dashboard, folder)`` writes the dashboard and returns the file written; without it no
    page is written (the figures are still in the report). ``progress`` is told each step's name as it starts.
    Configuration errors in ``[daily]`` raise before anything runs; errors of a step are recorded in the
    report's ``failures`` and the next steps still run.
    """
    from i18n.workflow.sync import sync  # lazy: the config check imports this module, not the steps

    started = clock.now()
    day = today or started.date()
    config = daily_settings(workspace)
    tell = progress or (lambda step: None)
    failures: list[StepFailure] = []
    notes: list[str] = []

    tell("sync")
    synced = _step("sync", failures, lambda: sync(workspace))
    if synced is not None and synced.extract is not None and synced.extract.ignored:
        notes.append(f"{_count(len(synced.extract.ignored), 'file')} in the content folder ignored (not articles): "
                     + ", ".join(synced.extract.ignored[:5]))
    drafts = _pretranslate_all(workspace, config, user, tell, failures, notes)
    tell("publish")
    published = _step("publish", failures, lambda: _publish_due(workspace, today, user, notes))
    tell("report")
    outcome = _step("report", failures, lambda: _dashboard(workspace, config, day, user, render_report),
                    also=(OSError,))
    figures, written = outcome if outcome is not None else (None, None)
    report = DailyReport(today=day, started_at=started, settings=config, sync=synced,
                         pretranslated=drafts, published=published, dashboard=figures,
                         report_path=_relative(written, workspace.root), failures=tuple(failures),
                         notes=tuple(notes))
    log = workspace.root / config.log
    append_log(log, report)
    return replace(report, log_path=_relative(log, workspace.root))


_T = TypeVar("_T")


def _step(name: str, failures: list[StepFailure], run: Callable[[], _T],
          also: tuple[type[Exception], ...] = ()) -> _T | None:
    """``run()``'s result; ``None`` with the failure recorded when it raises an :class:`I18nError` (or one of
    ``also``), so that the next steps still run."""
    caught: tuple[type[Exception], ...] = (I18nError, *also)
    try:
        return run()
    except caught as exc:
        failures.append(StepFailure(name, str(exc)))
        return None


def _pretranslate_all(workspace: Workspace, config: DailySettings, user: str | None,
                      tell: Callable[[str], None], failures: list[StepFailure],
                      notes: list[str]) -> tuple[PretranslateReport, ...]:
    """Machine drafts for each of ``[daily]``'s languages, within its budget (none when it is off)."""
    from i18n.workflow.pretranslate import pretranslate  # lazy: the config check imports this module, not the steps

    if not config.pretranslate:
        notes.append("machine drafts are off (pretranslate = false in [daily])")
        return ()
    drafts: list[PretranslateReport] = []
    for code in config.languages or tuple(lang.code for lang in workspace.settings.languages):
        tell(f"pretranslate {code}")
        drafted = _step(f"pretranslate {code}", failures, partial(
            pretranslate, workspace, code, user=user, limit=config.limit or None, max_chars=config.max_chars or None))
        if drafted is not None:
            drafts.append(drafted)
    return tuple(drafts)


def _publish_due(workspace: Workspace, today: dt.date | None, user: str | None,
                 notes: list[str]) -> PublishRun | None:
    """What is due and approved, to every mirror (``today`` ``None``: each mirror's own today)."""
    from i18n.workflow.publish import publish_mirrors  # lazy: the config check imports this module, not the steps

    if not load_mirrors(workspace.settings):
        notes.append("no mirror is configured, nothing published")
        return None
    return publish_mirrors(workspace, as_of=today, user=user)


def _dashboard(workspace: Workspace, config: DailySettings, day: dt.date, user: str | None,
               render_report: Callable[[Dashboard, Path], Path] | None) -> tuple[Dashboard, Path | None]:
    """The dashboard's figures, and the page written when there is a renderer."""
    from i18n.workflow.report import dashboard  # lazy: the config check imports this module, not the steps

    figures = dashboard(workspace, today=day, user=user)
    written = render_report(figures, workspace.root / config.report) if render_report is not None else None
    return figures, written


def append_log(path: Path, report: DailyReport) -> None:
    """Append the run's block (start time, status, summary) to the log, atomically: the old log plus one block."""
    stamp = report.started_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    block = f"{stamp} {report.status.value}\n{report.summary()}\n\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    old = path.read_bytes() if path.exists() else b""
    write_atomic(path, old + block.encode("utf-8"))


def _relative(path: Path | None, root: Path) -> Path | None:
    if path is None:
        return None
    try:
        return path.resolve().relative_to(root.resolve())
    except ValueError:
        return path


__all__ = ["DailyReport", "DailySettings", "DailyStatus", "StepFailure", "append_log", "daily", "daily_settings"]
