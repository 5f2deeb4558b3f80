"""Review: the queue of articles awaiting review, an article side by side, approval and rejection.

One function per command, each reconciling first (:func:`i18n.workflow.reconcile.reconcile`) and returning a frozen
report; the CLI renders it. The rules (``workflow.md``, "Review and approval"):

* **The queue** (:func:`review_queue`) lists the articles of a language whose entries are all
  ``translated`` or ``approved``, not all approved, oldest first (the next due first), with the problems
  the quality checks find in them.
* **Approval** (:func:`approve`) is per article: every entry (or the ``--entry`` ones) is approved only if
  no entry of the article is ``untranslated``, ``machine`` or ``needs-work``, no check reports an error on
  it, and (with ``four_eyes``) the reviewer is not the last person who changed it; otherwise nothing of
  that article is approved and the report lists what blocks. An approval binds to the exact source and
  translation (:func:`i18n.tracker.queries.review.record_approval`).
* **Rejection** (:func:`reject`) makes entries ``needs-work``: fuzzy in the PO file, with the translator
  comment ``rejected by <name> <date>: <reason>``, recorded in the history as ``reject``.
* **Roles** (``[review]`` in ``i18n.toml``): when reviewers are listed, only they may approve or reject a
  language's entries, unless ``allow_anyone = true``.
* **The UI catalog** (``locales/<lang>/LC_MESSAGES/messages.po``) is reviewed like an article, under the
  same rules, and named :data:`UI` (``@ui``) wherever the commands take or report an article id.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from i18n.catalogs.catalog import Entry
from i18n.catalogs.pofile import read_catalog, write_catalog
from i18n.content.checks import Severity
from i18n.core import clock
from i18n.core.errors import FileError, ReviewError, UsageError
from i18n.core.ids import UI, UI_ARTICLE, resolve_article
from i18n.core.languages import Language
from i18n.core.states import State, machine_label
from i18n.core.workspace import Workspace
from i18n.tracker.engine import open_tracker
from i18n.tracker.queries.recording import approvals as tracked_approvals
from i18n.tracker.queries.recording import article_entries, catalog_states
from i18n.tracker.queries.review import drafts_for_review, last_human_changes, record_approval, record_rejection
from i18n.tracker.snapshot import database_url
from i18n.workflow.changes import translation_hash
from i18n.workflow.check import Accepted, CheckReport, Problem, check
from i18n.workflow.reconcile import ReconcileReport, reconcile
from i18n.workflow.review_rules import (
    ReviewSettings,
    _require_role,
    identify,
    review_settings,
    reviewer_identity,
    same_person,
)
from i18n.workflow.status import ArticleStatus, Counts, View, status, ui_counts

#: Why an entry in each state cannot be approved, and how to fix it.
_NOT_READY = {
    State.UNTRANSLATED: "not translated yet: translate it",
    State.MACHINE: "a machine draft nobody has checked: post-edit it and clear fuzzy",
    State.NEEDS_WORK: "marked fuzzy (needs work): fix it and clear fuzzy",
}
#: Why a rejection leaves an entry alone whose translation in this clone is not the one the tracker holds.
NEWER_ELSEWHERE = ("a newer translation was recorded from another clone: pull it (git pull), then review "
                   "that text")
FOUR_EYES = "four-eyes"
OUTDATED = "outdated"


# -------------------------------------------------------------------------------------------------------
# The review queue
# -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueueItem:
    """An article awaiting review in one language, with what the checks found in it."""

    article: str
    """The article id, or :data:`UI` for the UI catalog."""
    date: dt.date | None
    """The article's date (``None`` for the UI catalog)."""
    days: int | None
    """The article's date minus today (negative: in the past; ``None`` for the UI catalog)."""
    catalog: str
    entries: Counts
    problems: tuple[Problem, ...]
    accepted: tuple[Accepted, ...] = ()
    """Check findings a reviewer accepted in it (``i18n check --accept``): not problems, shown as a count."""
    live_since: dt.datetime | None = None
    """When the version live on the mirrors was published, if one is: an older version than the one awaiting
    review (it stays live until this one is approved and published)."""

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)

    @property
    def ready(self) -> bool:
        """Whether no check error blocks its approval."""
        return self.errors == 0


@dataclass(frozen=True, slots=True)
class ReviewQueue:
    """What ``i18n review LANG`` lists: articles awaiting review, the next due first."""

    language: str
    today: dt.date
    items: tuple[QueueItem, ...]
    reconciled: ReconcileReport = field(default_factory=ReconcileReport)
    file_errors: tuple[FileError, ...] = ()


def review_queue(workspace: Workspace, language: str, *, today: dt.date | None = None,
                 user: str | None = None) -> ReviewQueue:
    """Reconcile, then list the articles of ``language`` whose entries are all translated or approved and
    not all approved, by date (the oldest, i.e. next due, first), each with its check results.

    The UI catalog, when it is in that state too, comes first (as :data:`UI`): it has no date, and every
    page of a mirror shows it.
    """
    lang = workspace.settings.language(language)
    report = status(workspace, (lang.code,), view=View.ARTICLES, today=today, user=user)
    waiting: list[ArticleStatus] = [a for a in report.articles if a.state is State.TRANSLATED]
    ui = ui_counts(workspace, lang.code)
    ui_waiting = ui is not None and State.worst([s for s, n in ui.items() if n > 0]) is State.TRANSLATED
    selected = ((UI,) if ui_waiting else ()) + tuple(a.article for a in waiting)
    checked = check(workspace, lang, selected) if selected else None
    items = tuple(QueueItem(a.article, a.date, a.days, a.catalog, a.entries,
                            checked.of_article(lang.code, a.article) if checked else (),
                            checked.accepted_of(lang.code, a.article) if checked else (),
                            a.published_at if a.live_is_older else None) for a in waiting)
    if ui is not None and ui_waiting:
        items = (QueueItem(UI, None, None, workspace.relative(workspace.ui_catalog_path(lang)), ui,
                           checked.of_article(lang.code, UI) if checked else (),
                           checked.accepted_of(lang.code, UI) if checked else ()), *items)
    return ReviewQueue(lang.code, report.today, items, report.reconciled,
                       checked.file_errors if checked else ())


# -------------------------------------------------------------------------------------------------------
# One article, side by side
# -------------------------------------------------------------------------------------------------------


class DiffOp(enum.Enum):
    """A piece of a word diff: kept, only in the draft, or only in the translation."""

    EQUAL = "equal"
    DELETE = "delete"
    INSERT = "insert"


@dataclass(frozen=True, slots=True)
class DiffPiece:
    op: DiffOp
    text: str


@dataclass(frozen=True, slots=True)
class MachineDraft:
    """The engine's draft of an entry, and how the translation differs from it (word by word)."""

    engine: str
    draft: str
    diff: tuple[DiffPiece, ...]

    @property
    def unchanged(self) -> bool:
        """Whether the translation is the draft as it was."""
        return all(piece.op is DiffOp.EQUAL for piece in self.diff)


@dataclass(frozen=True, slots=True)
class EntryReview:
    """One entry as a reviewer sees it."""

    key: str
    line: int | None
    """Where it is in the catalog (``None``: missing from the catalog, which is behind its template)."""
    state: State
    source: str
    translation: str
    """The translation (plural forms joined by `` | ``)."""
    previous_source: str | None
    """The source the translation was made for, when the source has changed since (``#| msgid``)."""
    approved_translation: str | None
    """The last approved translation, when it is not the current one (a correction awaiting review)."""
    approved_by: str | None
    draft: MachineDraft | None
    problems: tuple[Problem, ...]
    accepted: tuple[Accepted, ...] = ()
    """Check findings a reviewer accepted on this entry (``i18n check --accept``), with their reasons."""


@dataclass(frozen=True, slots=True)
class ArticleReview:
    """What ``i18n review LANG ARTICLE`` shows: every entry of one article, source beside translation."""

    article: str
    language: str
    catalog: str
    state: State
    entries: tuple[EntryReview, ...]
    reconciled: ReconcileReport = field(default_factory=ReconcileReport)
    file_errors: tuple[FileError, ...] = ()

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(p for e in self.entries for p in e.problems)


def article_review(workspace: Workspace, language: str, article: str, *, user: str | None = None) -> ArticleReview:
    """Reconcile, then show each entry of ``article`` (or of the UI catalog, :data:`UI`) with its state,
    check problems and machine draft."""
    lang = workspace.settings.language(language)
    path = _catalog_path(workspace, lang, article)
    reconciled = reconcile(workspace, user=user)
    checked = check(workspace, lang, (article,))
    catalog = read_catalog(path)
    opened = open_tracker(database_url(workspace))
    try:
        with opened.read_session() as session:
            current = _tracked_entries(session, article)
            states = catalog_states(session, resolve_article(article), lang.code)
            approvals = tracked_approvals(session, resolve_article(article), lang.code)
            po = {e.key: e for e in catalog.active_entries}
            stored = drafts_for_review(session, workspace.settings.source_language.code, lang.code,
                                          [e.msgid for e in po.values() if e.translated])
    finally:
        opened.close()
    drafts: dict[str, list[tuple[str, str]]] = {}
    for item in stored:
        drafts.setdefault(item.source, []).append((item.engine, item.draft))
    problems: dict[str, list[Problem]] = {}
    for problem in checked.of_article(lang.code, article):
        problems.setdefault(problem.entry, []).append(problem)
    reviews: list[EntryReview] = []
    for key, tracked in current.items():
        entry = po.get(key)
        state = _state(entry, states.get(key))
        on_record = approvals.get(tracked.id, ())
        last = on_record[-1] if on_record else None
        text = entry.translation_text if entry is not None else ""
        approved = None
        if last is not None and state is not State.APPROVED:
            on_file = " | ".join(last.forms)  # as Entry.translation_text shows the forms
            approved = on_file if on_file != text else None
        reviews.append(EntryReview(
            key=key, line=entry.line if entry is not None else None, state=state,
            source=entry.source_text if entry is not None else tracked.source, translation=text,
            previous_source=entry.previous_msgid if entry is not None else None,
            approved_translation=approved, approved_by=last.approved_by if approved is not None and last else None,
            draft=_draft(entry, states.get(key), drafts) if entry is not None else None,
            problems=tuple(problems.get(key, ())),
            accepted=tuple(a for a in checked.accepted_of(lang.code, article) if a.entry == key)))
    worst = State.worst([r.state for r in reviews])
    return ArticleReview(article, lang.code, workspace.relative(path), worst, tuple(reviews), reconciled,
                         checked.file_errors)


def _draft(entry: Entry, tracked: Any, drafts: Mapping[str, list[tuple[str, str]]]) -> MachineDraft | None:
    """The stored draft this entry came from: the engine its ``# machine:`` comment (or origin) names."""
    candidates = drafts.get(entry.msgid)
    if not candidates or not entry.translated:
        return None
    label = machine_label(entry.translator_comments)
    if label is None and tracked is not None and tracked.origin.startswith("machine:"):
        label = tracked.origin.removeprefix("machine:")
    if not label or label.split()[0] == "memory":
        return None
    for engine, draft in candidates:
        if engine == label or (len(label.split()) == 1 and engine.split()[0] == label):
            return MachineDraft(engine, draft, word_diff(draft, entry.msgstr if entry.msgid_plural is None
                                                         else entry.msgstrs[0]))
    return None


_WORDS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def word_diff(before: str, after: str) -> tuple[DiffPiece, ...]:
    """How ``after`` differs from ``before``, word by word (white space and punctuation are words too)."""
    a, b = _WORDS.findall(before), _WORDS.findall(after)
    pieces: list[DiffPiece] = []

    def add(op: DiffOp, text: str) -> None:
        if not text:
            return
        if pieces and pieces[-1].op is op:
            pieces[-1] = DiffPiece(op, pieces[-1].text + text)
        else:
            pieces.append(DiffPiece(op, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add(DiffOp.EQUAL, "".join(a[i1:i2]))
        else:
            add(DiffOp.DELETE, "".join(a[i1:i2]))
            add(DiffOp.INSERT, "".join(b[j1:j2]))
    return tuple(pieces)


# -------------------------------------------------------------------------------------------------------
# Approve
# -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Blocker:
    """Why an article cannot be approved: an entry's state, a check error, the four-eyes rule."""

    article: str
    entry: str
    state: State
    code: str | None
    """The check's code, ``four-eyes``, ``outdated``, or ``None`` when the entry's state blocks."""
    message: str
    file: str
    line: int | None

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True, slots=True)
class ReviewedEntry:
    """An entry a reviewer approved or rejected, and its state now."""

    article: str
    entry: str
    state: State
    file: str
    line: int | None


@dataclass(frozen=True, slots=True)
class ApprovalReport:
    """What ``i18n approve`` did: entries approved, entries already approved, and what blocked."""

    language: str
    reviewer: str
    approved: tuple[ReviewedEntry, ...]
    already_approved: tuple[ReviewedEntry, ...]
    blocked: tuple[Blocker, ...]
    reconciled: ReconcileReport = field(default_factory=ReconcileReport)
    warnings: tuple[str, ...] = ()
    """E.g. a reviewer name never seen before (see :func:`identify`)."""

    @property
    def refused(self) -> tuple[str, ...]:
        """The articles that were not approved (each has blockers)."""
        return tuple(dict.fromkeys(b.article for b in self.blocked))


def approve(workspace: Workspace, language: str, articles: Sequence[str], *, entries: Sequence[str] = (),
            reviewer: str | None = None, at: dt.datetime | None = None) -> ApprovalReport:
    """Approve each article's entries (or ``entries`` of the one article) if nothing blocks it.

    :data:`UI` among ``articles`` stands for the UI catalog, approved under the same rules. Articles are
    decided one by one: a blocked article is left as it was and its blockers are reported; the others are
    approved, in one transaction.
    """
    lang = workspace.settings.language(language)
    rules = review_settings(workspace.settings)
    who = reviewer_identity(reviewer)
    _require_role(rules, workspace.settings, lang, who, "approve")
    if entries and len(articles) != 1:
        raise UsageError("--entry selects entries of one article; give exactly one ARTICLE with it")
    paths = {article: _catalog_path(workspace, lang, article) for article in dict.fromkeys(articles)}
    reconciled = reconcile(workspace, user=who)
    who, warnings = identify(workspace, rules, who)
    approved: list[ReviewedEntry] = []
    already: list[ReviewedEntry] = []
    blocked: list[Blocker] = []
    opened = open_tracker(database_url(workspace))
    try:
        with workspace.lock(), opened.transaction() as session:
            checked = check(workspace, lang, tuple(paths))
            for article, path in paths.items():
                result = _approve_article(session, workspace, lang, article, path, checked, entries, who, rules, at)
                approved += result[0]
                already += result[1]
                blocked += result[2]
    finally:
        opened.close()
    return ApprovalReport(lang.code, who, tuple(approved), tuple(already), tuple(blocked), reconciled, warnings)


def _approve_article(session: Any, workspace: Workspace, lang: Language, article: str, path: Path,
                     checked: CheckReport, keys: Sequence[str], who: str, rules: ReviewSettings,
                     at: dt.datetime | None) -> tuple[list[ReviewedEntry], list[ReviewedEntry], list[Blocker]]:
    for error in checked.file_errors:
        if error.file == workspace.relative(path):
            raise ReviewError(error.message, path=error.file, line=error.line, hint=error.hint)
    catalog = read_catalog(path)
    file = workspace.relative(path)
    current = _tracked_entries(session, article)
    selected = _select(current, keys, article)
    states = catalog_states(session, resolve_article(article), lang.code)
    po = {e.key: e for e in catalog.active_entries}
    blockers: list[Blocker] = []
    state_of: dict[str, State] = {}
    for key, tracked in current.items():
        entry = po.get(key)
        state = state_of[key] = _state(entry, states.get(key))
        line = entry.line if entry is not None else None
        if state in _NOT_READY:
            blockers.append(Blocker(article, key, state, None, _NOT_READY[state], file, line))
        elif entry is not None and entry.msgid != tracked.source:
            blockers.append(Blocker(article, key, state, OUTDATED, "the catalog is behind its template (the source "
                                    "changed): run 'i18n sync', then review the entry again", file, line))
    for problem in checked.of_article(lang.code, article):
        if problem.severity is Severity.ERROR:
            blockers.append(Blocker(article, problem.entry, state_of.get(problem.entry, problem.state),
                                    problem.code, problem.message, problem.file, problem.line))
    todo = [key for key in selected if state_of[key] is State.TRANSLATED]
    if rules.four_eyes:
        last = last_human_changes(session, resolve_article(article), lang.code)
        for key in todo:
            if same_person(last.get(key), who):
                blockers.append(Blocker(
                    article, key, state_of[key], FOUR_EYES,
                    f"{who} made the last change to this translation; under the four-eyes rule another reviewer "
                    "must approve it", file, po[key].line if key in po else None))
    already = [ReviewedEntry(article, key, State.APPROVED, file, po[key].line)
               for key in selected if state_of[key] is State.APPROVED and key in po]
    if blockers:
        return [], [], blockers
    approved = []
    for key in todo:
        entry = po[key]
        state = record_approval(session, article=resolve_article(article), language=lang.code, key=key,
                                   source=current[key].source, translation=entry.msgstrs, reviewer=who, at=at)
        approved.append(ReviewedEntry(article, key, state, file, entry.line))
    return approved, already, []


# -------------------------------------------------------------------------------------------------------
# Reject
# -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SkippedEntry:
    """An entry a rejection left alone, and why (it has nothing a reviewer could send back)."""

    entry: str
    state: State
    reason: str


@dataclass(frozen=True, slots=True)
class RejectionReport:
    """What ``i18n reject`` did: the entries sent back as needs-work, and those left alone."""

    language: str
    article: str
    reviewer: str
    comment: str
    """The translator comment added to each rejected entry."""
    catalog: str
    rejected: tuple[ReviewedEntry, ...]
    skipped: tuple[SkippedEntry, ...]
    reconciled: ReconcileReport = field(default_factory=ReconcileReport)
    warnings: tuple[str, ...] = ()
    """E.g. a reviewer name never seen before (see :func:`identify`)."""


def reject(workspace: Workspace, language: str, article: str, *, reason: str, entries: Sequence[str] = (),
           reviewer: str | None = None, today: dt.date | None = None) -> RejectionReport:
    """Send entries of ``article`` (default: all of them; :data:`UI`: the UI catalog) back to the translator
    as needs-work.

    Each becomes fuzzy in the PO file with the translator comment ``rejected by <name> <date>: <reason>``
    (so Poedit shows why); the history records the change as ``reject``, and the approvals of the text
    sent back are revoked (:func:`i18n.tracker.queries.review.record_rejection`): clearing fuzzy without changing it
    does not approve it again. Untranslated entries and machine drafts are left alone (they cannot be approved
    anyway). The PO file is written atomically, inside the tracker transaction: if the write fails, nothing is
    recorded.
    """
    text = " ".join(reason.split())
    if not text:
        raise UsageError("--reason must say why the translation is rejected")
    lang = workspace.settings.language(language)
    rules = review_settings(workspace.settings)
    who = reviewer_identity(reviewer)
    _require_role(rules, workspace.settings, lang, who, "reject")
    path = _catalog_path(workspace, lang, article)
    file = workspace.relative(path)
    reconciled = reconcile(workspace, user=who)
    who, warnings = identify(workspace, rules, who)
    comment = f"rejected by {who} {(today or _today()).isoformat()}: {text}"
    rejected: list[ReviewedEntry] = []
    skipped: list[SkippedEntry] = []
    opened = open_tracker(database_url(workspace))
    try:
        with workspace.lock(), opened.transaction() as session:
            catalog = read_catalog(path)
            selected = set(_select(_tracked_entries(session, article), entries, article))
            recorded = catalog_states(session, resolve_article(article), lang.code)
            changed: list[Entry] = []
            for entry in catalog.entries:
                chosen = not entry.obsolete and entry.key in selected
                why = _not_rejectable(entry, recorded) if chosen else None
                if why is not None:
                    skipped.append(why)
                if not chosen or why is not None:
                    changed.append(entry)
                    continue
                changed.append(replace(entry.with_flag("fuzzy", True),
                                       translator_comments=(*entry.translator_comments, comment)))
                state = record_rejection(session, article=resolve_article(article), language=lang.code,
                                            key=entry.key, translation=entry.msgstrs, reviewer=who)
                rejected.append(ReviewedEntry(article, entry.key, state, file, entry.line))
            missing = selected - {e.key for e in catalog.active_entries}
            skipped += [SkippedEntry(key, State.UNTRANSLATED, _NOT_READY[State.UNTRANSLATED])
                        for key in sorted(missing)]
            if rejected:
                write_catalog(replace(catalog, entries=tuple(changed)), path)
    finally:
        opened.close()
    return RejectionReport(lang.code, article, who, comment, file, tuple(rejected), tuple(skipped), reconciled,
                           warnings)


def _not_rejectable(entry: Entry, recorded: Mapping[str, Any]) -> SkippedEntry | None:
    """Why a rejection leaves ``entry`` alone, or ``None`` when it can be sent back.

    Untranslated entries and machine drafts cannot be approved anyway. An entry whose translation in this
    clone is not the one the tracker holds was replaced by another clone (not pulled yet): rejecting this
    text would flag text nobody is working on and mark the newer one needs-work unseen.
    """
    if entry.state in (State.UNTRANSLATED, State.MACHINE):
        return SkippedEntry(entry.key, entry.state, _NOT_READY[entry.state])
    newer = recorded.get(entry.key)
    if newer is not None and newer.translation_hash not in (None, translation_hash(entry)):
        return SkippedEntry(entry.key, newer.state, NEWER_ELSEWHERE)
    return None


# -------------------------------------------------------------------------------------------------------
# Shared helpers
# -------------------------------------------------------------------------------------------------------


def _catalog_path(workspace: Workspace, language: Language, article: str) -> Path:
    """The article's catalog in ``language`` (its year from its template), or the UI catalog for :data:`UI`;
    a usage error for an unknown id (or ``messages``, see :func:`i18n.core.ids.resolve_article`)."""
    if resolve_article(article) == UI_ARTICLE:
        if not workspace.ui_template_path.is_file():
            raise UsageError(f"this workspace has no UI strings ({workspace.ui_template_key}), so no UI catalog "
                             "to review", hint="'i18n sync' extracts them from the site's templates")
        return workspace.ui_catalog_path(language)
    years = workspace.template_years(article)
    if not years:
        raise UsageError(f"no article '{article}' in this workspace",
                         hint="'i18n review LANG' lists the articles awaiting review; an id is the source file "
                              f"name without .md, e.g. 2026-11-18-branching-out, and {UI} is the UI catalog")
    return workspace.catalog_path(language, article, years[0])


def _named(article: str) -> str:
    return "the UI catalog" if article == UI else f"article '{article}'"


def _tracked_entries(session: Any, article: str) -> dict[str, Any]:
    current = article_entries(session, resolve_article(article))
    if not current:
        raise ReviewError(f"the tracker knows no entries of {_named(article)}",
                          hint="run 'i18n sync', then try again")
    return current


def _select(current: Mapping[str, Any], keys: Sequence[str], article: str) -> list[str]:
    """The keys asked for (default: every entry), in the article's order; an unknown key is a usage error."""
    unknown = [key for key in keys if key not in current]
    if unknown:
        raise UsageError(f"{_named(article)} has no entry {', '.join(repr(k) for k in unknown)}",
                         hint=f"'i18n review LANG {article}' lists its entry keys")
    wanted = set(keys)
    return [key for key in current if not wanted or key in wanted]


def _state(entry: Entry | None, tracked: Any) -> State:
    """The entry's state: its PO text's, ``approved`` when the tracker says this exact text is approved."""
    if entry is None:
        return State.UNTRANSLATED
    state = entry.state
    if (state is State.TRANSLATED and tracked is not None and tracked.state is State.APPROVED
            and tracked.translation_hash == translation_hash(entry)):
        return State.APPROVED
    return state


def _today() -> dt.date:
    """Today (UTC) for the rejection comment (see :mod:`i18n.core.clock`)."""
    return clock.now().date()

