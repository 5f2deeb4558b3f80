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
never touched. Each catalog is written (atomically) as soon as all its entries are settled, so an
interruption loses at most the batches in flight; every draft received also goes to the draft cache at
once.

With the status tracker (the default), a run reconciles the tracker first (like ``i18n status``), drafts
from its approvals, keeps its drafts in the tracker's ``machine_drafts`` (committed as they arrive, in
groups: a re-run or a run after a crash sends none of them again), and reconciles again after writing, so the
tracker records the drafts (state ``machine``, origin ``machine:<engine>``) at once.

:func:`engines_status` says which engines are configured and usable (``i18n engines``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from i18n.catalogs.catalog import FUZZY, Catalog, Entry
from i18n.catalogs.pofile import read_catalog, write_catalog
from i18n.content.protect import DraftRejected, Masked, Protector, split_text
from i18n.core import clock
from i18n.core.config import TableReader
from i18n.core.errors import EngineAuthError, EngineQuotaError, FileError, I18nError, MachineTranslationError
from i18n.core.glossary import load_glossary
from i18n.core.ids import UI_ARTICLE, display_id, resolve_article
from i18n.core.languages import Language
from i18n.core.states import MACHINE_MARKER, MEMORY_MARKER, State, draft_sources, drafted_state
from i18n.core.workspace import Workspace
from i18n.machine.engines import (
    ENGINE_NAMES,
    Engine,
    EngineConfig,
    EngineStatus,
    RetryPolicy,
    call_with_retry,
    default_config,
    make_engine,
)

if TYPE_CHECKING:
    from i18n.tracker.engine import Tracker
    from i18n.workflow.reconcile import ReconcileReport

MEMORY = "memory"
#: The translator-comment prefix of a near match offered from the translation memory.
NEAR_MARKER = "memory "


# ---------------------------------------------------------------------------------------------------------
# Settings: [machine] of i18n.toml
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MachineSettings:
    """The ``[machine]`` table, validated; ``order`` gives each language's engines."""

    engines: tuple[str, ...] = ("apertium",)
    languages: tuple[tuple[str, tuple[str, ...]], ...] = ()
    configs: tuple[EngineConfig, ...] = ()
    memory: bool = True
    memory_threshold: float = 0.75
    protect_numbers: bool = False
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    configured: tuple[str, ...] = ()
    """Engines named anywhere in ``[machine]`` (an order or their own table)."""
    order_named: bool = False
    """Whether ``[machine]`` sets an engine order (``engines`` or ``[machine.languages]``). Without one, the
    default order (Apertium) is tried only if it can run: a run without it drafts from the memory alone."""

    def order(self, language: Language) -> tuple[str, ...]:
        """The engines to try for ``language``, best first (the translation memory comes before them)."""
        for code, names in self.languages:
            if code in (language.code, language.gettext):
                return names
        return self.engines

    def config(self, name: str) -> EngineConfig:
        for config in self.configs:
            if config.name == name:
                return config
        return default_config(name)


_MACHINE_KEYS = ("engines", "languages", "memory", "memory_threshold", "protect_numbers", "timeout", "retries",
                 *(f"[{name}]" for name in ENGINE_NAMES))
_ENGINE_KEYS = ("url", "api_key_env", "region", "email_env", "concurrency", "batch_size", "batch_chars",
                "max_chars", "timeout")


def machine_settings(workspace: Workspace) -> MachineSettings:
    """``[machine]`` of the workspace's ``i18n.toml``, checked (naming the file and the key)."""
    settings = workspace.settings
    reader = TableReader(settings.path)
    table = settings.section("machine")

    def engine_list(value: list[str], key: str) -> tuple[str, ...]:
        for name in value:
            if name not in ENGINE_NAMES:
                raise reader.fail(key, f"unknown engine '{name}'", hint=f"engines: {', '.join(ENGINE_NAMES)}")
        return tuple(value)

    order_named = "engines" in table or "languages" in table
    engines = engine_list(reader.strings(table, "machine.", "engines", ["apertium"]), "machine.engines")
    languages_table = reader.table(table, "languages")
    languages: list[tuple[str, tuple[str, ...]]] = []
    for code in list(languages_table):
        key = f"machine.languages.{code}"
        language = reader.language(key, code)
        if language not in settings.languages:
            raise reader.fail(key, f"'{code}' is not one of the workspace's languages")
        languages.append((language.code, engine_list(reader.strings(languages_table, "", code, []), key)))
    memory = reader.take(table, "machine.", "memory", bool, True)
    threshold = reader.take(table, "machine.", "memory_threshold", float, 0.75,
                            lambda v: None if 0.0 <= v <= 1.0 else "must be between 0 and 1")
    numbers = reader.take(table, "machine.", "protect_numbers", bool, False)
    timeout = reader.take(table, "machine.", "timeout", float, 0.0, _positive)
    retries = reader.take(table, "machine.", "retries", int, 4, lambda v: None if v >= 0 else "must be 0 or more")
    configs: list[EngineConfig] = []
    tables: list[str] = []
    for name in ENGINE_NAMES:
        base = default_config(name)
        if timeout:
            base = replace(base, timeout=max(base.timeout, timeout) if name == "apertium" else timeout)
        if name not in table:
            configs.append(base)
            continue
        tables.append(name)
        sub = reader.table(table, name)
        prefix = f"machine.{name}."
        configs.append(EngineConfig(
            name=name,
            url=reader.take(sub, prefix, "url", str, base.url, _url),
            api_key_env=reader.take(sub, prefix, "api_key_env", str, base.api_key_env, _env_name),
            region=reader.take(sub, prefix, "region", str, base.region),
            email_env=reader.take(sub, prefix, "email_env", str, base.email_env, _env_name),
            concurrency=reader.take(sub, prefix, "concurrency", int, base.concurrency, _at_least_one),
            batch_size=reader.take(sub, prefix, "batch_size", int, base.batch_size, _at_least_one),
            batch_chars=reader.take(sub, prefix, "batch_chars", int, base.batch_chars, _at_least_one),
            max_chars=reader.take(sub, prefix, "max_chars", int, base.max_chars,
                                  lambda v: None if v >= 0 else "must be 0 (no limit) or more"),
            timeout=reader.take(sub, prefix, "timeout", float, base.timeout, _positive),
        ))
        reader.no_leftovers(sub, prefix, _ENGINE_KEYS)
    reader.no_leftovers(table, "machine.", _MACHINE_KEYS)
    named = {*engines, *(n for _, names in languages for n in names), *tables}
    return MachineSettings(
        engines=engines, languages=tuple(languages), configs=tuple(configs), memory=memory,
        memory_threshold=threshold, protect_numbers=numbers, retry=RetryPolicy(attempts=retries + 1),
        configured=tuple(n for n in ENGINE_NAMES if n in named), order_named=order_named,
    )


def _positive(value: float) -> str | None:
    return None if value > 0 else "must be more than 0"


def _at_least_one(value: int) -> str | None:
    return None if value >= 1 else "must be 1 or more"


def _url(value: str) -> str | None:
    return None if not value or re.match(r"https?://", value) else "must start with http:// or https://"


def _env_name(value: str) -> str | None:
    if value and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
        return "must be the NAME of an environment variable (the key itself never goes in i18n.toml)"
    return None


# ---------------------------------------------------------------------------------------------------------
# Translation memory and draft cache
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemoryMatch:
    """A translation of a source text from the memory: the exact one, or a near one with its similarity."""

    source: str
    translation: str
    origin: str
    """Where it comes from: the article id (or ``messages``) of the entry it was approved or translated on."""
    similarity: float = 1.0
    approved: bool = True
    """A reviewer approved it (the tracker's approvals); else a person's translation not yet approved."""


class TranslationMemory(Protocol):
    """Where approved translations are looked up (:class:`CatalogMemory`: the tracker's approvals, then
    the catalogs)."""

    def exact(self, texts: Collection[str]) -> Mapping[str, MemoryMatch]:
        """The approved translation of each of ``texts`` that has one."""
        ...

    def near(self, text: str, threshold: float) -> MemoryMatch | None:
        """The most similar approved source text at or above ``threshold`` (0..1), with its translation."""
        ...


class CatalogMemory:
    """A translation memory of one language: the tracker's approvals first, then the catalogs.

    For each source text: its latest approved translation (any article) when a reviewer approved one;
    else a ``translated`` (non-fuzzy) entry of any catalog of the language, i.e. a person's translation
    not yet approved. The fallback keeps the memory useful before reviews are recorded (a workspace
    without approvals would otherwise pay an engine for text a person already translated); it is safe
    because a memory draft is fuzzy (``needs-work``) and its comment says where it comes from.
    """

    def __init__(self, matches: Mapping[str, MemoryMatch]) -> None:
        self._pairs = dict(matches)
        self._index: dict[str, list[str]] = {}
        for source in self._pairs:
            for word in _words(source):
                self._index.setdefault(word, []).append(source)

    @classmethod
    def of_catalogs(cls, catalogs: Sequence[tuple[str, Catalog]],
                    approved: Mapping[str, MemoryMatch] | None = None) -> CatalogMemory:
        """The ``approved`` translations (source text → match), then translated entries of ``catalogs``."""
        pairs: dict[str, MemoryMatch] = dict(approved or {})
        for origin, catalog in catalogs:
            for entry in catalog.active_entries:
                if (entry.msgid and entry.msgid_plural is None and entry.state is State.TRANSLATED
                        and entry.msgid not in pairs):
                    pairs[entry.msgid] = MemoryMatch(entry.msgid, entry.msgstr, origin, approved=False)
        return cls(pairs)

    def exact(self, texts: Collection[str]) -> Mapping[str, MemoryMatch]:
        return {text: self._pairs[text] for text in texts if text in self._pairs}

    def near(self, text: str, threshold: float) -> MemoryMatch | None:
        if threshold <= 0 or not self._pairs:
            return None
        # Candidates share words with the text (an inverted index, so a large memory stays fast); only
        # the best-sharing few are compared character by character.
        shared: Counter[str] = Counter()
        for word in _words(text):
            shared.update(self._index.get(word, ()))
        best: MemoryMatch | None = None
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(text)
        for candidate, _ in shared.most_common(_NEAR_CANDIDATES):
            if candidate == text:
                continue
            matcher.set_seq1(candidate)
            floor = best.similarity if best else threshold
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            ratio = matcher.ratio()
            if ratio >= floor:
                best = replace(self._pairs[candidate], similarity=ratio)
        return best


#: How many memory entries sharing the most words with a text are compared with it for near matches.
_NEAR_CANDIDATES = 25


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 2}


class DraftCache(Protocol):
    """Drafts already paid for: (engine, source language, target language, source text) → draft.

    ``engine`` is the engine's label (``apertium eng-cat``); the languages are codes (``en``, ``ca``).
    The status tracker implements it in the workspace database; :class:`MemoryDraftCache` is for tests.
    """

    def get_many(self, engine: str, source: str, target: str, texts: Collection[str]) -> Mapping[str, str]:
        """The cached drafts of those of ``texts`` that have one."""
        ...

    def put_many(self, engine: str, source: str, target: str, drafts: Mapping[str, str]) -> None:
        """Store drafts (source text → draft); a later put for the same key replaces the draft."""
        ...

    def on_record(self, target: str, texts: Collection[str]) -> Mapping[str, Collection[str]]:
        """Every draft on record (any engine) of those of ``texts`` that have one, in language ``target``."""
        ...


class MemoryDraftCache:
    """A :class:`DraftCache` in a dictionary (tests, benchmarks, and runs without a tracker)."""

    def __init__(self) -> None:
        self.drafts: dict[tuple[str, str, str, str], str] = {}
        self._lock = threading.Lock()

    def get_many(self, engine: str, source: str, target: str, texts: Collection[str]) -> Mapping[str, str]:
        with self._lock:
            return {t: self.drafts[(engine, source, target, t)] for t in texts
                    if (engine, source, target, t) in self.drafts}

    def put_many(self, engine: str, source: str, target: str, drafts: Mapping[str, str]) -> None:
        with self._lock:
            for text, draft in drafts.items():
                self.drafts[(engine, source, target, text)] = draft

    def on_record(self, target: str, texts: Collection[str]) -> Mapping[str, Collection[str]]:
        wanted = set(texts)
        found: dict[str, set[str]] = {}
        with self._lock:
            for (_, _, language, text), draft in self.drafts.items():
                if language == target and text in wanted:
                    found.setdefault(text, set()).add(draft)
        return found


# ---------------------------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EngineTotals:
    """What was (or, in a dry run, would be) sent to one engine: entries, characters, words, requests."""

    engine: str
    entries: int = 0
    characters: int = 0
    words: int = 0
    requests: int = 0


@dataclass(frozen=True, slots=True)
class DraftFailure:
    """An entry left untranslated: the engine failed, or its draft broke something protected."""

    file: str
    line: int
    msgid: str
    engine: str
    reason: str
    rejected: bool
    """True when a draft came back but failed protection (lost, doubled or altered markup)."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.engine}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a run is: source texts settled out of those to send, and characters sent so far."""

    done: int
    total: int
    characters: int


@dataclass(frozen=True, slots=True)
class PretranslateReport:
    """What a pre-translation run did (or, with ``dry_run``, would send)."""

    language: str
    dry_run: bool
    entries: int
    """Entries whose text went (or would go) to an engine, after the memory and the cache."""
    characters: int
    """Characters sent (or that would be sent): each distinct text once, as masked."""
    words: int
    engines: tuple[EngineTotals, ...]
    drafted: int = 0
    from_memory: int = 0
    from_cache: int = 0
    near_matches: int = 0
    skipped: int = 0
    """Entries left for a later run: ``max_chars`` would have been exceeded."""
    failures: tuple[DraftFailure, ...] = ()
    written: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    """Engines skipped and why (not installed, no key)."""
    errors: tuple[FileError, ...] = ()
    reconciled: ReconcileReport | None = None
    """What reconciling the status tracker before the run did (``None`` without the tracker)."""

    @property
    def status(self) -> str:
        """``ok``; ``partial`` (some entries failed, exit 0); ``failed`` (nothing drafted or a file failed)."""
        if self.errors or (self.failures and not self.drafted and not self.dry_run):
            return "failed"
        return "partial" if self.failures else "ok"

    @property
    def ok(self) -> bool:
        return self.status != "failed"


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


@dataclass(slots=True)
class _Text:
    """A distinct source text on its way through the engines."""

    text: str
    entries: int = 0
    words: int = 0
    masked: Masked | None = None
    pieces: list[str] = field(default_factory=list)
    results: dict[int, str] = field(default_factory=dict)
    error: MachineTranslationError | None = None
    closed: bool = False
    """Settled (drafted or failed) by the current engine."""


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
    and the catalogs; after writing, the tracker is reconciled again so that it records the drafts. Without
    it, ``cache`` defaults to an in-memory cache for this run only and ``memory`` to the catalogs alone.

    Raises :class:`EngineAuthError` or :class:`EngineQuotaError` (after saving every draft received)
    when an engine refuses the key or the quota is used up, and :class:`MachineTranslationError` when
    ``engine`` (or every engine of the language) cannot run here. Entries that fail are in the report.
    """
    target = language if isinstance(language, Language) else workspace.settings.language(language)
    articles = tuple(resolve_article(article) for article in articles)
    machine = machine_settings(workspace)
    if engine is not None and engine not in ENGINE_NAMES:
        raise MachineTranslationError(f"unknown engine '{engine}'", hint=f"engines: {', '.join(ENGINE_NAMES)}")
    reconciled: ReconcileReport | None = None
    approved: dict[str, MemoryMatch] = {}
    with contextlib.ExitStack() as stack:
        if tracked:
            from i18n.tracker.engine import open_tracker
            from i18n.tracker.queries.drafts import TrackerDraftCache
            from i18n.tracker.snapshot import database_url
            from i18n.workflow.reconcile import reconcile

            # Reconcile first (each step takes the workspace lock in turn, never twice): human edits made
            # since the last command are recorded as theirs before drafts land next to them.
            reconciled = reconcile(workspace, user=user)
            tracker = open_tracker(database_url(workspace))
            stack.callback(tracker.close)
            cache = cache or TrackerDraftCache(tracker)
            if memory is None and machine.memory:
                approved = _approved(tracker, target)
        with workspace.lock():
            run = _Run(workspace, target, machine, cache or MemoryDraftCache(), dry_run, refresh, progress)
            run.load(articles, since, include_ui, limit)
            run.lookup_memory(memory, machine, approved)
            order = (engine,) if engine is not None else machine.order(target)
            engines = run.engines(order, engine_factory, forced=engine is not None)
            try:
                run.translate(engines, max_chars)
            finally:
                for each in engines:
                    each.close()
                run.flush()
            report = run.report()
    if not tracked:
        return report
    errors = report.errors
    if report.written:  # record the drafts now (state machine, origin machine:<engine>), not at the next command
        from i18n.workflow.reconcile import reconcile

        seen = reconciled.errors if reconciled is not None else ()
        errors += tuple(e for e in reconcile(workspace, user=user).errors if e not in seen)
    return replace(report, reconciled=reconciled, errors=errors)


def _approved(tracker: Tracker, language: Language) -> dict[str, MemoryMatch]:
    """The tracker's approved translations in ``language``, as exact memory matches by source text."""
    from i18n.tracker.queries.drafts import approved_translations

    with tracker.read_session() as session:
        found = approved_translations(session, language.code)
    return {text: MemoryMatch(text, a.translation, a.article) for text, a in found.items()}


class _Run:
    """One pre-translation run's state."""

    def __init__(self, workspace: Workspace, language: Language, machine: MachineSettings, cache: DraftCache,
                 dry_run: bool, refresh: bool, progress: Callable[[Progress], None] | None) -> None:
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
        self.texts: dict[str, _Text] = {}
        self.users: dict[str, list[_Target]] = {}
        """source text → the catalogs that need it."""
        self.errors: list[FileError] = []
        self.failures: list[DraftFailure] = []
        self.notes: list[str] = []
        self.totals: dict[str, EngineTotals] = {}
        self.from_memory = self.from_cache = self.near_matches = 0
        self.skipped: set[tuple[str, int]] = set()
        self.sent_characters = 0
        self.done = self.total = 0
        self.written: list[str] = []
        self.refreshing: set[str] = set()
        """Source texts of machine drafts being replaced (``refresh``): sent again, never taken from the cache."""
        self.unsaved: dict[str, dict[str, str]] = {}
        """Drafts received and not yet handed to the cache, by engine label (see :meth:`save_drafts`)."""
        self.saved_at = time.monotonic()

    # -- loading -------------------------------------------------------------------------------------

    def catalog_files(self) -> Iterator[tuple[Path, str, dt.date | None]]:
        """Every catalog of the language: ``(path, origin, article date)``; the UI catalog's date is None."""
        folder = self.ws.locales / self.language.gettext / "articles"
        if folder.is_dir():
            for path in sorted(folder.glob("*/*.po")):
                yield path, path.stem, _article_date(path.stem)
        yield self.ws.ui_catalog_path(self.language), UI_ARTICLE, None

    def load(self, articles: Sequence[str], since: dt.date | None, include_ui: bool, limit: int | None) -> None:
        wanted = set(articles)
        budget = limit if limit is not None else -1
        for path, origin, date in self.catalog_files():
            if not path.exists():
                continue
            try:
                stamp = _stamp(path)
                catalog = read_catalog(path)
            except I18nError as error:
                self.errors.append(FileError.of(error, self.ws.root))
                continue
            self.all_catalogs.append((origin, catalog))
            if date is None:  # the UI catalog: selected by @ui when articles are named
                if not include_ui or (wanted and origin not in wanted):
                    continue
            elif (wanted and origin not in wanted) or (since is not None and date < since):
                continue
            target = _Target(path, self.ws.relative(path), origin, catalog, stamp=stamp)
            drafts = self._drafts_on_record(catalog)
            for index, entry in enumerate(catalog.entries):
                if budget == 0:
                    break
                if entry.obsolete or not entry.msgid:
                    continue
                if _eligible(entry, self.refresh, drafts):
                    target.entries.append(index)
                    budget -= 1
                    if entry.state is State.MACHINE:
                        self.refreshing.update(_sources(entry))
                    for number, text in enumerate(_sources(entry)):
                        if text not in target.waiting:
                            self.users.setdefault(text, []).append(target)
                        target.waiting.add(text)
                        item = self.texts.setdefault(text, _Text(text, words=len(text.split())))
                        item.entries += number == 0  # a plural entry counts once, with its msgid
            if target.entries:
                self.targets.append(target)
        if wanted:
            known = {origin for origin, _ in self.all_catalogs}
            for article in sorted(wanted - known):
                self.errors.append(FileError(self.ws.relative(self.ws.locales / self.language.gettext), None,
                                             f"no catalog for article '{display_id(article)}'",
                                             "check the id, or run `i18n sync` to create its catalog"))

    def lookup_memory(self, memory: TranslationMemory | None, machine: MachineSettings,
                      approved: Mapping[str, MemoryMatch]) -> None:
        if not machine.memory:
            return
        memory = memory or CatalogMemory.of_catalogs(self.all_catalogs, approved)
        found = memory.exact(list(self.texts))
        for text, match in found.items():
            if text in self.texts:
                self.from_memory += self.texts[text].entries
                self.settle(text, match.translation, self.memory_comment(match))
        if machine.memory_threshold > 0:
            for target in self.targets:
                for index in target.entries:
                    entry = target.catalog.entries[index]
                    if entry.msgid in self.texts and entry.msgid_plural is None and entry.msgid not in found:
                        near = memory.near(entry.msgid, machine.memory_threshold)
                        if near is not None:
                            target.near[index] = near
                            self.near_matches += 1

    def engines(self, order: Sequence[str], factory: Callable[[EngineConfig, Language, Language], Engine],
                forced: bool) -> list[Engine]:
        usable: list[Engine] = []
        problems: list[str] = []
        keyless = False
        for name in order:
            engine = factory(self.machine.config(name), self.source, self.language)
            problem = engine.problem()
            if problem is None:
                usable.append(engine)
            else:
                keyless = keyless or engine.missing_key
                problems.append(f"{name}: {problem}")
                self.notes.append(f"{name} skipped: {problem}")
        if not usable and (forced or self.texts):
            hint = "; ".join(problems) or "name engines in [machine] of i18n.toml"
            if not forced and not self.machine.order_named:
                # Nothing configured and the default (offline) engine is not installed: a fresh workspace's
                # day still runs; the memory's drafts are kept and the rest waits for an engine.
                self.notes.append(f"no machine-translation engine can run for {self.language.code}: only the "
                                  "translation memory drafted; install Apertium or name engines in [machine]")
                return usable
            error = MachineTranslationError(f"no usable machine-translation engine for {self.language.code}",
                                            hint=hint)
            if forced and keyless:
                error = EngineAuthError(error.message, hint=hint)
            if not self.dry_run or forced:
                raise error
        return usable

    # -- translating ---------------------------------------------------------------------------------

    @property
    def _unsettled(self) -> set[str]:
        return {t for target in self.targets for t in target.waiting}

    def translate(self, engines: Sequence[Engine], max_chars: int | None) -> None:
        self.done, self.total = 0, len(self._unsettled)
        budget = [max_chars if max_chars is not None else -1]
        order = {text: number for number, text in enumerate(self.texts)}
        for position, engine in enumerate(engines):
            texts = sorted(self._unsettled, key=order.__getitem__)
            if not texts:
                break
            last = position == len(engines) - 1
            for text in texts:
                self.texts[text].error = None
            cached = self.cache.get_many(engine.label, self.source.code, self.language.code,
                                         [t for t in texts if t not in self.refreshing])
            for text, draft in cached.items():
                self.from_cache += self.texts[text].entries
                self.settle(text, draft, self.machine_comment(engine))
            to_send = [t for t in texts if t not in cached]
            if to_send:
                self.send(engine, to_send, budget, last)
            if self.dry_run:
                break

    def send(self, engine: Engine, texts: list[str], budget: list[int], last: bool) -> None:
        """Mask, split, budget and batch ``texts``, then send the batches concurrently to ``engine``."""
        limit = engine.config.max_chars
        pieces: dict[str, list[tuple[str, int]]] = {}  # piece → [(text, index)]
        accepted: list[str] = []
        for text in texts:
            item = self.texts[text]
            item.masked = self.protector.mask(text, engine.style)
            item.pieces = split_text(item.masked.text, limit) if limit else [item.masked.text]
            item.results = {}
            item.closed = False
            cost = sum(len(p) for p in item.pieces if p not in pieces)
            if budget[0] >= 0 and cost > budget[0]:
                # Stop before the budget would be exceeded: this text and every later one wait.
                for rest in texts[texts.index(text):]:
                    self.skip(rest)
                break
            if budget[0] >= 0:
                budget[0] -= cost
            accepted.append(text)
            for index, piece in enumerate(item.pieces):
                pieces.setdefault(piece, []).append((text, index))
        totals = self.totals.get(engine.label, EngineTotals(engine.label))
        characters = sum(len(p) for p in pieces)
        batches = _batches(list(pieces), engine.config.batch_size, engine.config.batch_chars)
        self.totals[engine.label] = replace(
            totals, entries=totals.entries + sum(self.texts[t].entries for t in accepted),
            characters=totals.characters + characters,
            words=totals.words + sum(self.texts[t].words for t in accepted),
            requests=totals.requests + (len(batches) if engine.config.batch_size > 1 else len(pieces)))
        self.sent_characters += characters
        if self.dry_run or not batches:
            return
        stop: BaseException | None = None
        # Every batch is queued at once (the pool runs ``concurrency`` of them at a time), so writing a
        # finished catalog here never holds back the next request; on a stop or an interruption the
        # queued batches are cancelled and only those in flight are waited for.
        with ThreadPoolExecutor(max_workers=engine.config.concurrency,
                                thread_name_prefix=f"i18n-{engine.name}") as pool:
            running = {pool.submit(call_with_retry, lambda b=batch: engine.translate(b), self.machine.retry): batch
                       for batch in batches}
            try:
                for future in as_completed(running):
                    if future.cancelled():
                        continue
                    batch = running[future]
                    try:
                        results: Sequence[str | MachineTranslationError] = future.result()
                    except (EngineAuthError, EngineQuotaError) as error:
                        stop = stop or error
                        for queued in running:
                            queued.cancel()
                        continue
                    except MachineTranslationError as error:
                        results = [error] * len(batch)
                    self.receive(engine, batch, results, pieces, last)
            finally:
                for queued in running:
                    queued.cancel()
        if stop is not None:
            raise stop

    def receive(self, engine: Engine, batch: list[str], results: Sequence[str | MachineTranslationError],
                pieces: Mapping[str, list[tuple[str, int]]], last: bool) -> None:
        """Settle the texts whose every piece has come back; cache the good drafts at once."""
        drafts: dict[str, str] = {}
        if len(results) != len(batch):
            results = [MachineTranslationError(f"{engine.name} returned {len(results)} results for "
                                               f"{len(batch)} texts")] * len(batch)
        for piece, result in zip(batch, results, strict=True):
            for text, index in pieces[piece]:
                item = self.texts[text]
                if item.closed:  # an earlier piece of it failed: it is settled for this engine
                    continue
                if isinstance(result, MachineTranslationError):
                    item.error = result
                else:
                    item.results[index] = result
                    if len(item.results) < len(item.pieces):
                        continue
                item.closed = True
                if item.error is None and item.masked is not None:
                    output = " ".join(item.results[i] for i in range(len(item.pieces)))
                    try:
                        drafts[text] = self.protector.unmask(item.masked, output)
                        self.settle(text, drafts[text], self.machine_comment(engine))
                        continue
                    except DraftRejected as error:
                        item.error = error
                if last and item.error is not None:
                    self.fail(text, engine.name, item.error)
        if drafts:
            self.unsaved.setdefault(engine.label, {}).update(drafts)
            self.save_drafts()
        if self.progress is not None:
            self.progress(Progress(self.done, self.total, self.sent_characters))

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
        """Write ``target`` with the drafts it has (once; a flush writes what an interrupted run has)."""
        if target.written or self.dry_run:
            return
        target.written = True
        catalog = target.catalog
        positions = {i: i for i in target.entries}
        if _stamp(target.path) != target.stamp:
            # Saved by someone else during the run: apply the drafts to its current text, and only to
            # entries that still need one (never over what a translator just typed).
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
        entries = list(catalog.entries)
        changed = False
        for index, original in positions.items():
            entry = entries[index]
            updated = self._drafted(entry, target, original)
            if updated is not None and updated != entry:
                entries[index] = updated
                changed = True
        if changed:
            write_catalog(replace(catalog, entries=tuple(entries)), target.path)
            self.written.append(target.rel)

    def flush(self) -> None:
        """Save the drafts not yet cached; write every catalog that has drafts but still waits (a stop)."""
        self.save_drafts(force=True)
        for target in self.targets:
            if target.drafts or target.near:
                self.write(target)

    def _drafted(self, entry: Entry, target: _Target, index: int) -> Entry | None:
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
            nplurals = self.language.for_catalog(target.catalog.header("Plural-Forms")).nplurals
            forms = (draft, *([plural] * max(0, nplurals - 1)))
            updated = replace(entry, msgstr_plural=forms[: max(1, nplurals)])
        else:
            updated = replace(entry, msgstr=draft)
        flags = updated.flags if FUZZY in updated.flags else (FUZZY, *updated.flags)
        return replace(updated, flags=flags, translator_comments=tuple(comments))

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


def _eligible(entry: Entry, refresh: bool, drafts: Mapping[str, Collection[str]]) -> bool:
    """Whether an entry gets a draft: untranslated, or (with ``refresh``) an untouched machine draft. Never a
    person's text, even one that still carries a ``# machine:`` marker (see :func:`drafted_state`)."""
    state = drafted_state(entry.state, entry.msgstrs, _sources(entry), drafts)
    return state is State.UNTRANSLATED or (refresh and state is State.MACHINE)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


def _sources(entry: Entry) -> tuple[str, ...]:
    """The source texts an entry needs drafts for: ``msgid`` (and ``msgid_plural``)."""
    return draft_sources(entry.msgid, entry.msgid_plural)


def _batches(pieces: list[str], size: int, chars: int) -> list[list[str]]:
    """``pieces`` in order, cut into batches of at most ``size`` pieces and ``chars`` characters."""
    batches: list[list[str]] = []
    current: list[str] = []
    length = 0
    for piece in pieces:
        if current and (len(current) >= size or length + len(piece) > chars):
            batches.append(current)
            current, length = [], 0
        current.append(piece)
        length += len(piece)
    if current:
        batches.append(current)
    return batches


def _article_date(article_id: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(article_id[:10])
    except ValueError:
        return None


def _today() -> str:
    """Today's date (UTC) for the draft comment (see :mod:`i18n.core.clock`)."""
    return clock.now().date().isoformat()


# ---------------------------------------------------------------------------------------------------------
# i18n engines
# ---------------------------------------------------------------------------------------------------------


def engines_status(workspace: Workspace, *,
                   engine_factory: Callable[[EngineConfig, Language, Language], Engine] = make_engine,
                   ) -> tuple[EngineStatus, ...]:
    """Every engine: whether ``[machine]`` names it, whether it can run here for its languages, and why not.

    Nothing is sent: usability means installed (Apertium and its mode), a URL where one is needed, and
    the API key variable set. The translation memory comes first, as ``memory``.
    """
    machine = machine_settings(workspace)
    source = workspace.settings.source_language
    statuses = [EngineStatus(MEMORY, machine.memory, machine.memory, tuple(
        lang.code for lang in workspace.settings.languages) if machine.memory else (),
        None if machine.memory else "turned off: memory = false in [machine]")]
    for name in ENGINE_NAMES:
        config = machine.config(name)
        languages = tuple(lang for lang in workspace.settings.languages if name in machine.order(lang))
        checked = languages or workspace.settings.languages
        problems: list[str] = []
        for lang in checked:
            problem = engine_factory(config, source, lang).problem()
            if problem is not None and problem not in problems:
                problems.append(problem if len(checked) == 1 else f"{lang.code}: {problem}")
        usable = len(problems) < len(checked)
        env = tuple(v for v in (config.api_key_env, config.email_env) if v)
        statuses.append(EngineStatus(name, name in machine.configured, usable, tuple(lang.code for lang in languages),
                                     "; ".join(problems) or None, env))
    return tuple(statuses)


__all__ = [
    "CatalogMemory", "DraftCache", "DraftFailure", "EngineTotals", "MachineSettings", "MemoryDraftCache",
    "MemoryMatch", "PretranslateReport", "Progress", "TranslationMemory", "engines_status",
    "machine_settings", "pretranslate",
]
