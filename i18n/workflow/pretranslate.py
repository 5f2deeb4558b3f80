"""Machine pre-translation: fill untranslated entries with drafts a translator starts from.

:func:`pretranslate` takes the workspace lock, reads the selected catalogs of one language (articles and
the UI catalog), and for every ``untranslated`` entry (``machine`` ones too with ``refresh``) finds a
draft: first the translation memory (an approved translation of the identical source text, else a
person's translation of it in another catalog), then the draft cache, then the language's engines in
their configured order (an entry an engine cannot draft falls through to the next). Identical source
texts are sent once; texts are masked (:mod:`i18n.content.protect`), batched within each engine's limits and sent
concurrently, and a draft that does not keep every protected span is rejected: its entries stay
untranslated and the report lists them.

A machine draft is fuzzy and carries the translator comment ``machine: <engine> <detail> <date>`` (see
:data:`i18n.core.states.MACHINE_MARKER`): state ``machine``. A memory draft is fuzzy and carries
``memory: <article> <date>`` instead (:data:`i18n.core.states.MEMORY_MARKER`): state ``needs-work``, origin
``memory``, so that it never passes for a machine draft. Human text (``translated``, ``needs-work``) is
never touched. Each catalog is written (atomically, on a few threads: :mod:`i18n.workflow.pretranslate_writer`)
as soon as all its entries are settled, so an interruption loses at most the batches in flight; every draft
received also goes to the draft cache at once.

With the status tracker (the default), a run reconciles the tracker first (like ``i18n status``; nothing is
read when no file changed), drafts from its approvals, keeps its drafts in the tracker's ``machine_drafts``
(committed as they arrive, in groups: a re-run or a run after a crash sends none of them again), and
records the catalogs it wrote (state ``machine``, origin ``machine:<engine>``) a group at a time as they are
written, from what it holds in memory (:mod:`i18n.workflow.pretranslate_tracker`); only a catalog someone
saved during the run is left to a reconciliation.

The pieces live in :mod:`i18n.machine`: the ``[machine]`` settings (:mod:`~i18n.machine.settings`), the memory
(:mod:`~i18n.machine.memory`), the draft cache's interface (:mod:`~i18n.machine.cache`) and the sending of texts
to an engine (:mod:`~i18n.machine.dispatch`); this module selects the entries, settles and writes the catalogs, and
owns the tracker's part. ``i18n engines`` is :mod:`i18n.workflow.engines`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from i18n.catalogs.catalog import FUZZY, Catalog, Entry
from i18n.catalogs.pofile import decode_catalog, read_catalog, write_catalog
from i18n.content.protect import DraftRejected, Protector
from i18n.core import clock
from i18n.core.errors import FileError, I18nError, MachineTranslationError
from i18n.core.glossary import load_glossary
from i18n.core.ids import UI_ARTICLE, display_id, resolve_article
from i18n.core.languages import Language
from i18n.core.states import MACHINE_MARKER, MEMORY_MARKER, State, draft_sources, drafted_state
from i18n.core.workspace import Workspace
from i18n.machine.cache import DraftCache, MemoryDraftCache
from i18n.machine.dispatch import CharacterBudget, Dispatch, Results
from i18n.machine.engines import ENGINE_NAMES, Engine, EngineConfig, make_engine
from i18n.machine.memory import CatalogMemory, MemoryMatch, TranslationMemory
from i18n.machine.settings import MachineSettings, machine_settings, usable_engines
from i18n.workflow import pretranslate_tracker as tracking
from i18n.workflow.pretranslate_reports import DraftFailure, EngineTotals, PretranslateReport, Progress, RunOutcome
from i18n.workflow.pretranslate_writer import CatalogWriter, file_stamp
from i18n.workflow.reconcile import ReconcileReport, reconcile

#: The translator-comment prefix of a near match offered from the translation memory.
NEAR_MARKER = "memory "


# ---------------------------------------------------------------------------------------------------------
# The use case
# ---------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Target:
    """A catalog being pre-translated: the entries to fill, and the texts it still waits for."""

    path: Path
    rel: str
    origin: str
    catalog: Catalog
    entries: list[int] = field(default_factory=list)
    waiting: set[str] = field(default_factory=set)
    drafts: dict[str, tuple[str, str]] = field(default_factory=dict)
    """source text → (draft, its marking: ``machine: apertium eng-cat <date>``, ``memory: <article> <date>``)."""
    near: dict[int, MemoryMatch] = field(default_factory=dict)
    written: bool = False
    stamp: tuple[int, int] = (0, 0)
    """``(mtime_ns, size)`` of the file when it was read: a translator may save it while we run."""
    digest: str = ""
    """SHA-1 of the bytes read (the tracker's file index compares it)."""


@dataclass(slots=True)
class _Need:
    """A distinct source text the selected entries need a draft of: how many entries, how many words."""

    entries: int = 0
    words: int = 0


@dataclass(frozen=True, slots=True)
class _Selection:
    """Which entries a run fills: ``articles`` (ids), ``since`` (article date), ``include_ui``, ``limit``."""

    articles: frozenset[str] = frozenset()
    since: dt.date | None = None
    include_ui: bool = True
    limit: int | None = None

    def wants(self, origin: str, date: dt.date | None) -> bool:
        """Whether the catalog of ``origin`` (dated ``date``; the UI catalog has none) is selected."""
        if self.articles and origin not in self.articles:
            return False
        if date is None:  # the UI catalog: selected by @ui when articles are named
            return self.include_ui
        return self.since is None or date >= self.since


def pretranslate(workspace: Workspace, language: Language | str, *, engine: str | None = None,
                 articles: Sequence[str] = (), since: dt.date | None = None, limit: int | None = None,
                 dry_run: bool = False, max_chars: int | None = None, refresh: bool = False,
                 cache: DraftCache | None = None, memory: TranslationMemory | None = None,
                 progress: Callable[[Progress], None] | None = None, include_ui: bool = True,
                 engine_factory: Callable[[EngineConfig, Language, Language], Engine] = make_engine,
                 tracked: bool = True, user: str | None = None) -> PretranslateReport:
    """Fill the ``untranslated`` entries of ``language`` with machine drafts; see the module docstring.

    ``engine`` replaces the language's configured order with that one engine (the memory still comes
    first). ``articles`` (ids as the user wrote them, ``@ui`` for the UI catalog alone: see
    :func:`i18n.core.ids.resolve_article`) and ``since`` (article date) select articles; ``limit`` caps the
    entries filled; ``max_chars`` caps the characters sent (the run stops before exceeding it, and the report
    counts the entries left as ``skipped``); ``refresh`` replaces existing machine drafts too.
    With ``tracked`` (the default) the status tracker is reconciled first (``user`` is credited with edits
    in catalogs that name no translator), ``cache`` defaults to its ``machine_drafts``
    (:class:`i18n.tracker.queries.drafts.TrackerDraftCache`) and ``memory`` to :class:`CatalogMemory` over its approvals
    and the catalogs; after writing, the tracker records the drafts (see the module docstring). Without
    it, ``cache`` defaults to an in-memory cache for this run only and ``memory`` to the catalogs alone.

    Raises :class:`EngineAuthError` or :class:`EngineQuotaError` (after saving every draft received)
    when an engine refuses the key or the quota is used up, and :class:`MachineTranslationError` when
    ``engine`` (or every engine of the language) cannot run here. Entries that fail are in the report.
    """
    target = language if isinstance(language, Language) else workspace.settings.language(language)
    selection = _Selection(frozenset(resolve_article(article) for article in articles), since, include_ui, limit)
    machine = machine_settings(workspace)
    if engine is not None and engine not in ENGINE_NAMES:
        raise MachineTranslationError(f"unknown engine '{engine}'", hint=f"engines: {', '.join(ENGINE_NAMES)}")
    order = (engine,) if engine is not None else machine.order(target)
    reconciled: ReconcileReport | None = None
    approved: Mapping[str, MemoryMatch] = {}
    with contextlib.ExitStack() as stack:
        if tracked:
            reconciled, tracker = tracking.reconciled_tracker(workspace, user, stack)
            cache = cache or tracking.tracker_cache(tracker)
            if memory is None and machine.memory:
                approved = tracking.approved(tracker, target)
        with workspace.lock(), CatalogWriter[_Target]() as writer:  # no write outlives the lock
            run = _Run(workspace, target, machine, cache or MemoryDraftCache(), dry_run, refresh, progress, writer)
            if tracked and not dry_run:
                # Record the drafts now (state machine, origin machine:<engine>), not at the next command.
                run.recorder = tracking.Recorder(workspace, tracker, target, user)
            run.load(selection)
            run.lookup_memory(memory, approved)
            engines = run.engines(order, engine_factory, forced=engine is not None)
            try:
                run.translate(engines, CharacterBudget(max_chars))
            finally:
                for each in engines:
                    each.close()
                run.flush()
            report = run.report()
    if not tracked:
        return report
    seen = reconciled.errors if reconciled is not None else ()
    errors = report.errors + tuple(e for e in _reconcile_unrecorded(workspace, run, user) if e not in seen)
    return replace(report, reconciled=reconciled, errors=errors)


def _reconcile_unrecorded(workspace: Workspace, run: _Run, user: str | None) -> tuple[FileError, ...]:
    """Reconcile when a catalog written was not recorded (someone saved it during the run, or the tracker
    did not have it as the run read it); the errors of that reconciliation."""
    if not run.unrecorded and not (run.recorder is not None and run.recorder.left):
        return ()

    return reconcile(workspace, user=user).errors


class _Run:
    """One pre-translation run's state: the catalogs it fills, the texts they wait for, what came of them."""

    def __init__(self, workspace: Workspace, language: Language, machine: MachineSettings, cache: DraftCache,
                 dry_run: bool, refresh: bool, progress: Callable[[Progress], None] | None,
                 writer: CatalogWriter[_Target]) -> None:
        self.ws = workspace
        self.language = language
        self.source = workspace.settings.source_language
        self.machine = machine
        self.cache = cache
        self.dry_run = dry_run
        self.refresh = refresh
        self.progress = progress
        glossary = load_glossary(workspace.settings)
        kept = (term.source for term in glossary.terms if term.do_not_translate(language))
        self.protector = Protector(kept, numbers=machine.protect_numbers)
        self.date = _today()
        self.targets: list[_Target] = []
        self.all_catalogs: list[tuple[str, Catalog]] = []
        self.texts: dict[str, _Need] = {}
        self.users: dict[str, list[_Target]] = {}
        """source text → the catalogs that need it."""
        self.refreshing: set[str] = set()
        """Source texts of machine drafts being replaced (``refresh``): sent again, never taken from the cache."""
        self.errors: list[FileError] = []
        self.failures: list[DraftFailure] = []
        self.notes: list[str] = []
        self.totals: dict[str, EngineTotals] = {}
        self.from_memory = self.from_cache = self.near_matches = 0
        self.skipped: set[tuple[str, int]] = set()
        self.sent_characters = 0
        self.done = self.total = 0
        self.written: list[str] = []
        self.recorder: tracking.Recorder | None = None
        """Records the catalogs written in the tracker as the run goes (with the tracker)."""
        self.unrecorded = 0
        """Catalogs written that the recorder cannot take (saved by someone else during the run)."""
        self.writer = writer
        """Writes the catalogs completed, on a few threads (see :mod:`i18n.workflow.pretranslate_writer`)."""
        self.unsaved: dict[str, dict[str, str]] = {}
        """Drafts received and not yet handed to the cache, by engine label (see :meth:`save_drafts`)."""
        self.saved_at = time.monotonic()
        self.dispatch: Dispatch | None = None
        """The engine's texts being sent (their characters count as sent in the progress)."""

    # -- loading -------------------------------------------------------------------------------------

    def catalog_files(self) -> Iterator[tuple[Path, str, dt.date | None]]:
        """Every catalog of the language: ``(path, origin, article date)``; the UI catalog's date is None."""
        folder = self.ws.locales / self.language.gettext / "articles"
        if folder.is_dir():
            for path in sorted(folder.glob("*/*.po")):
                yield path, path.stem, _article_date(path.stem)
        yield self.ws.ui_catalog_path(self.language), UI_ARTICLE, None

    def load(self, selection: _Selection) -> None:
        """Read every catalog of the language (the memory's) and select the entries to fill."""
        budget = selection.limit if selection.limit is not None else -1
        for path, origin, date in self.catalog_files():
            if not path.exists():
                continue
            try:
                stamp = file_stamp(path)
                catalog, digest = _read(path)
            except I18nError as error:
                self.errors.append(FileError.of(error, self.ws.root))
                continue
            self.all_catalogs.append((origin, catalog))
            if selection.wants(origin, date):
                target = _Target(path, self.ws.relative(path), origin, catalog, stamp=stamp, digest=digest)
                budget = self._select(target, budget)
                if target.entries:
                    self.targets.append(target)
        known = {origin for origin, _ in self.all_catalogs}
        for article in sorted(selection.articles - known):
            self.errors.append(FileError(self.ws.relative(self.ws.locales / self.language.gettext), None,
                                         f"no catalog for article '{display_id(article)}'",
                                         "check the id, or run `i18n sync` to create its catalog"))

    def _select(self, target: _Target, budget: int) -> int:
        """Add ``target``'s eligible entries (at most ``budget`` of them, -1: all); the budget left."""
        drafts = self._drafts_on_record(target.catalog)
        for index, entry in enumerate(target.catalog.entries):
            if budget == 0:
                break
            if entry.obsolete or not entry.msgid or not _eligible(entry, self.refresh, drafts):
                continue
            target.entries.append(index)
            budget -= 1
            if entry.state is State.MACHINE:
                self.refreshing.update(_sources(entry))
            for number, text in enumerate(_sources(entry)):
                if text not in target.waiting:
                    self.users.setdefault(text, []).append(target)
                target.waiting.add(text)
                need = self.texts.setdefault(text, _Need(words=len(text.split())))
                need.entries += number == 0  # a plural entry counts once, with its msgid
        return budget

    def lookup_memory(self, memory: TranslationMemory | None, approved: Mapping[str, MemoryMatch]) -> None:
        """Draft what the translation memory has exactly; note its near matches in the entries' comments."""
        if not self.machine.memory:
            return
        memory = memory or CatalogMemory.of_catalogs(self.all_catalogs, approved)
        found = memory.exact(list(self.texts))
        for text, match in found.items():
            if text in self.texts:
                self.from_memory += self.texts[text].entries
                self.settle(text, match.translation, self.memory_comment(match))
        threshold = self.machine.memory_threshold
        if threshold <= 0:
            return
        for target in self.targets:
            for index in target.entries:
                entry = target.catalog.entries[index]
                if entry.msgid in self.texts and entry.msgid_plural is None and entry.msgid not in found:
                    near = memory.near(entry.msgid, threshold)
                    if near is not None:
                        target.near[index] = near
                        self.near_matches += 1

    def engines(self, order: Sequence[str], factory: Callable[[EngineConfig, Language, Language], Engine],
                forced: bool) -> list[Engine]:
        """The engines of ``order`` that can run here (the others are noted); raises when none can and one must."""
        usable, notes = usable_engines(self.machine, order, factory, self.source, self.language, forced=forced,
                                       needed=bool(self.texts), dry_run=self.dry_run)
        self.notes.extend(notes)
        return usable

    # -- translating ---------------------------------------------------------------------------------

    @property
    def _unsettled(self) -> set[str]:
        return {t for target in self.targets for t in target.waiting}

    def translate(self, engines: Sequence[Engine], budget: CharacterBudget) -> None:
        """Each engine in turn drafts what the ones before left: from the draft cache, else sent to it."""
        self.done, self.total = 0, len(self._unsettled)
        order = {text: number for number, text in enumerate(self.texts)}
        for position, engine in enumerate(engines):
            texts = sorted(self._unsettled, key=order.__getitem__)
            if not texts:
                break
            cached = self.cache.get_many(engine.label, self.source.code, self.language.code,
                                         [t for t in texts if t not in self.refreshing])
            for text, draft in cached.items():
                self.from_cache += self.texts[text].entries
                self.settle(text, draft, self.machine_comment(engine))
            to_send = [t for t in texts if t not in cached]
            if to_send:
                self.send(engine, to_send, budget, last=position == len(engines) - 1)
            if self.dry_run:
                break

    def send(self, engine: Engine, texts: list[str], budget: CharacterBudget, last: bool) -> None:
        """Send ``texts`` to ``engine`` (those over the budget wait for a later run), counting what goes."""
        dispatch = self.dispatch = Dispatch(engine, self.protector)
        try:
            if self.dry_run:
                left = dispatch.plan(texts, budget)
            else:
                left = dispatch.send(texts, budget, self.machine.retry,
                                     lambda results: self.receive(engine, results, last))
        finally:
            self.dispatch = None
            self._count(engine, dispatch)
        for text in left:
            self.skip(text)

    def _count(self, engine: Engine, dispatch: Dispatch) -> None:
        """Add what ``dispatch`` planned to send to the engine's totals."""
        planned = dispatch.texts
        totals = self.totals.get(engine.label, EngineTotals(engine.label))
        self.totals[engine.label] = replace(
            totals, entries=totals.entries + sum(self.texts[t].entries for t in planned),
            characters=totals.characters + dispatch.characters,
            words=totals.words + sum(self.texts[t].words for t in planned),
            requests=totals.requests + dispatch.requests)
        self.sent_characters += dispatch.characters

    def receive(self, engine: Engine, results: Results, last: bool) -> None:
        """Settle the texts a batch completed; cache the good drafts at once. A text that failed waits for the
        next engine, or (``last``) is reported."""
        drafts = {text: r for text, r in results.items() if not isinstance(r, MachineTranslationError)}
        if drafts:  # before settling: a catalog completed here may be recorded at once, its drafts on record first
            self.unsaved.setdefault(engine.label, {}).update(drafts)
        for text, result in results.items():
            if not isinstance(result, MachineTranslationError):
                self.settle(text, result, self.machine_comment(engine))
            elif last:
                self.fail(text, engine.name, result)
        self.save_drafts()
        if self.progress is not None:
            sending = self.dispatch.characters if self.dispatch is not None else 0
            self.progress(Progress(self.done, self.total, self.sent_characters + sending))

    def save_drafts(self, force: bool = False) -> None:
        """Hand the drafts received to the cache: every :data:`_SAVE_DRAFTS` drafts or :data:`_SAVE_SECONDS`.

        One commit per one-text request would cost the tracker a transaction per text (2,000 cost ~2 s of
        this thread); grouping them loses nothing on Ctrl-C or an engine's stop (:meth:`flush` saves the
        rest) and, on a hard kill, only what arrived in the last fraction of a second.
        """
        waiting = sum(len(drafts) for drafts in self.unsaved.values())
        if not waiting or not (force or waiting >= _SAVE_DRAFTS or time.monotonic() - self.saved_at >= _SAVE_SECONDS):
            return
        unsaved, self.unsaved = self.unsaved, {}
        for label, drafts in unsaved.items():
            self.cache.put_many(label, self.source.code, self.language.code, drafts)
        self.saved_at = time.monotonic()

    # -- settling and writing -----------------------------------------------------------------------

    def machine_comment(self, engine: Engine) -> str:
        """The marking of a machine draft: ``machine: apertium eng-cat 2026-11-21`` (state ``machine``)."""
        return f"{MACHINE_MARKER} {engine.label} {self.date}"

    def memory_comment(self, match: MemoryMatch) -> str:
        """The marking of a memory draft: ``memory: <article> <date>`` (state ``needs-work``, origin ``memory``)."""
        return f"{MEMORY_MARKER} {match.origin} {self.date}" + ("" if match.approved else " (not approved)")

    def settle(self, text: str, draft: str, comment: str) -> None:
        """``text`` has its draft: hand it to every catalog waiting for it, and write the complete ones."""
        released = self._release(text)
        for target in released:
            target.drafts[text] = (draft, comment)
        self._write_complete(released)

    def fail(self, text: str, engine: str, error: MachineTranslationError) -> None:
        """``text`` gets no draft: list each entry that needed it in the report, untranslated."""
        released = self._release(text)
        for target in released:
            for index in target.entries:
                entry = target.catalog.entries[index]
                if text in _sources(entry):
                    self.failures.append(DraftFailure(target.rel, entry.line, entry.msgid, engine,
                                                      error.message, isinstance(error, DraftRejected)))
        self._write_complete(released)

    def skip(self, text: str) -> None:
        """``text`` waits for a later run (``max_chars``): count the entries that needed it as skipped."""
        released = self._release(text)
        for target in released:
            self.skipped.update((target.rel, i) for i in target.entries
                                if text in _sources(target.catalog.entries[i]))
        self._write_complete(released)

    def _release(self, text: str) -> list[_Target]:
        """Count ``text`` as settled: the catalogs that were waiting for it, now no longer waiting."""
        self.done += 1
        released = [target for target in self.users.get(text, []) if text in target.waiting]
        for target in released:
            target.waiting.discard(text)
        return released

    def _write_complete(self, targets: list[_Target]) -> None:
        for target in targets:
            if not target.waiting:
                self.write(target)

    def _drafts_on_record(self, catalog: Catalog) -> Mapping[str, Collection[str]]:
        """The drafts on record for the catalog's ``machine`` entries, when ``refresh`` may replace them."""
        if not self.refresh:
            return {}
        texts = {text for e in catalog.active_entries if e.state is State.MACHINE for text in _sources(e)}
        return self.cache.on_record(self.language.code, texts)

    def write(self, target: _Target) -> None:
        """Hand ``target`` with the drafts it has to the writer (once; a flush writes what an interrupted run
        has), and take back the catalogs written meanwhile."""
        if target.written or self.dry_run:
            return
        target.written = True
        catalog = _with_drafts(target, target.catalog, {i: i for i in target.entries}, self.language)
        if catalog is not None:
            self.writer.submit(target, catalog, target.path, target.stamp)
        self.written_back()

    def written_back(self, wait: bool = False) -> None:
        """Take back the catalogs the writer wrote (all of them, with ``wait``): each goes to the recorder, or
        (saved by someone else during the run) gets its drafts on the text saved instead."""
        for target, catalog, written in self.writer.finished(wait):
            if written is None:
                self.rewrite(target)
                continue
            self.written.append(target.rel)
            item = tracking.written_catalog(target.rel, target.path, target.origin, catalog, target.stamp,
                                            target.digest, written)
            if item is None:
                self.unrecorded += 1
            elif self.recorder is not None:
                self.recorder.add(item)
                if self.recorder.due():  # a group, recorded while the other catalogs are being written
                    self.save_drafts(force=True)  # the drafts of the catalogs to record are on record first
                    self.recorder.record()

    def rewrite(self, target: _Target) -> None:
        """Apply ``target``'s drafts to its file as someone saved it during the run, and only to entries that
        still need one (never over what a translator just typed); a reconciliation records it."""
        try:
            catalog = read_catalog(target.path)
        except I18nError as error:
            self.errors.append(FileError.of(error, self.ws.root))
            return
        wanted = {target.catalog.entries[i].identity: i for i in target.entries}
        drafts = self._drafts_on_record(catalog)
        positions = {i: wanted[e.identity] for i, e in enumerate(catalog.entries)
                     if e.identity in wanted and e.msgid_plural == target.catalog.entries[wanted[e.identity]]
                     .msgid_plural and not e.obsolete and _eligible(e, self.refresh, drafts)}
        drafted = _with_drafts(target, catalog, positions, self.language)
        if drafted is not None:
            write_catalog(drafted, target.path)
            self.written.append(target.rel)
            self.unrecorded += 1

    def flush(self) -> None:
        """Save the drafts not yet cached; write every catalog that has drafts but still waits (a stop); record
        the catalogs written and not yet recorded."""
        self.save_drafts(force=True)
        for target in self.targets:
            if target.drafts or target.near:
                self.write(target)
        self.written_back(wait=True)
        if self.recorder is not None:
            self.recorder.record(final=True)

    def report(self) -> PretranslateReport:
        engines = tuple(self.totals.values())
        drafted = sum(len([i for i in t.entries if all(s in t.drafts for s in _sources(t.catalog.entries[i]))])
                      for t in self.targets)
        return PretranslateReport(
            language=self.language.code, dry_run=self.dry_run,
            entries=sum(e.entries for e in engines), characters=sum(e.characters for e in engines),
            words=sum(e.words for e in engines), engines=engines, drafted=0 if self.dry_run else drafted,
            from_memory=self.from_memory, from_cache=self.from_cache, near_matches=self.near_matches,
            skipped=len(self.skipped), failures=tuple(self.failures), written=tuple(self.written),
            notes=tuple(self.notes), errors=tuple(self.errors),
        )


#: Drafts are handed to the cache in groups of this many, or after this long (see ``_Run.save_drafts``).
_SAVE_DRAFTS = 200
_SAVE_SECONDS = 0.5


def _with_drafts(target: _Target, catalog: Catalog, positions: Mapping[int, int],
                 language: Language) -> Catalog | None:
    """``catalog`` with ``target``'s drafts (and near matches) in the entries at ``positions`` (index in
    ``catalog`` → index in the catalog as the run read it); ``None`` when nothing changes."""
    entries = list(catalog.entries)
    changed = False
    for index, original in positions.items():
        entry = entries[index]
        updated = _drafted(entry, target, original, language)
        if updated is not None and updated != entry:
            entries[index] = updated
            changed = True
    return replace(catalog, entries=tuple(entries)) if changed else None


def _drafted(entry: Entry, target: _Target, index: int, language: Language) -> Entry | None:
    """``entry`` (at ``index`` of ``target``'s catalog as read) with its draft and marking, or its near match
    noted; ``None`` when it has neither."""
    sources = _sources(entry)
    comments = [c for c in entry.translator_comments
                if not c.startswith((MACHINE_MARKER, MEMORY_MARKER, NEAR_MARKER))]
    near = target.near.get(index)
    if near is not None:
        comments.append(f"{NEAR_MARKER}{round(near.similarity * 100)}% ({near.origin}): {near.translation}"
                        .replace("\n", " "))
    if not all(s in target.drafts for s in sources):
        if near is None:
            return None
        kept = (c for c in entry.translator_comments if not c.startswith(NEAR_MARKER))
        return replace(entry, translator_comments=(*kept, comments[-1]))
    draft, comment = target.drafts[sources[0]]
    comments.append(comment)
    if entry.msgid_plural is not None:
        plural = target.drafts[sources[1]][0]
        # As many forms as the catalog's own Plural-Forms header declares (what msgfmt checks).
        nplurals = language.for_catalog(target.catalog.header("Plural-Forms")).nplurals
        forms = (draft, *([plural] * max(0, nplurals - 1)))
        updated = replace(entry, msgstr_plural=forms[: max(1, nplurals)])
    else:
        updated = replace(entry, msgstr=draft)
    flags = updated.flags if FUZZY in updated.flags else (FUZZY, *updated.flags)
    return replace(updated, flags=flags, translator_comments=tuple(comments))


def _eligible(entry: Entry, refresh: bool, drafts: Mapping[str, Collection[str]]) -> bool:
    """Whether an entry gets a draft: untranslated, or (with ``refresh``) an untouched machine draft. Never a
    person's text, even one that still carries a ``# machine:`` marker (see :func:`drafted_state`)."""
    state = drafted_state(entry.state, entry.msgstrs, _sources(entry), drafts)
    return state is State.UNTRANSLATED or (refresh and state is State.MACHINE)


def _read(path: Path) -> tuple[Catalog, str]:
    """The catalog at ``path`` and the SHA-1 of its bytes (:func:`read_catalog`'s errors)."""
    try:
        data = path.read_bytes()
    except OSError:
        return read_catalog(path), ""  # raises the error that says what is wrong with the path
    return decode_catalog(data, path), hashlib.sha1(data).hexdigest()


def _sources(entry: Entry) -> tuple[str, ...]:
    """The source texts an entry needs drafts for: ``msgid`` (and ``msgid_plural``)."""
    return draft_sources(entry.msgid, entry.msgid_plural)


def _article_date(article_id: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(article_id[:10])
    except ValueError:
        return None


def _today() -> str:
    """Today's date (UTC) for the draft comment (see :mod:`i18n.core.clock`)."""
    return clock.now().date().isoformat()


__all__ = [
    "DraftFailure", "EngineTotals", "PretranslateReport", "Progress", "RunOutcome", "pretranslate",
]
