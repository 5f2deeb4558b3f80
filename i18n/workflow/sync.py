"""The daily use cases: ``extract`` (sources → templates), ``update`` (templates → catalogs), ``sync``.

Each takes the workspace lock, works out every change in memory, writes all files in one atomic batch
(see :class:`i18n.core.atomic.AtomicBatch`), then saves the content index, and returns a frozen report. A file
that cannot be read (bad front matter, a PO syntax error, not UTF-8, vanished mid-run) is reported with
``file:line`` and left untouched; the rest of the work goes on, and the report says it failed.

Nothing is written when nothing changed: templates keep their ``POT-Creation-Date`` unless their content
changes, and a catalog is rewritten only when its bytes would differ.

When many sources must be read (a cold run, a lost index, a new tool version), forked worker processes,
one per CPU, read and parse them, render their templates and merge their catalogs, and send back bytes;
this process still decides, reports and writes everything in the same order, so the files and the report
are those of a run in one process, byte for byte (``tests/test_sync_parallel.py``).
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from stat import S_ISLNK
from typing import Any

from i18n import __version__
from i18n.catalogs.catalog import Catalog
from i18n.catalogs.merge import MergeStats, merge
from i18n.catalogs.pofile import decode_catalog, format_catalog, read_catalog
from i18n.content.articles import Article, load_feed, load_markdown
from i18n.content.extract import article_template, po_timestamp, ui_files, ui_template
from i18n.core.atomic import AtomicBatch, unchanged
from i18n.core.config import Settings
from i18n.core.errors import FileError, I18nError, SourceError
from i18n.core.index import INDEX_NAME, ContentIndex
from i18n.core.languages import Language
from i18n.core.workspace import Workspace

UI_KEY = "messages"
#: Bump when the code changes what templates or catalogs look like, so indexes made before are dropped.
FORMAT_REVISION = 2
_CREATED = re.compile(rb'^"POT-Creation-Date: ([^"\\]*)\\n"$', re.MULTILINE)
#: Below this many sources to read, a run stays in one process: forking workers would cost more than it saves.
PARALLEL_MIN = 100
#: Sources per task sent to a worker process.
CHUNK = 40


@dataclass(frozen=True, slots=True)
class ExtractReport:
    """What extraction changed: articles by id, and template entries added or removed."""

    new: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    entries_added: int = 0
    entries_removed: int = 0
    templates_written: int = 0
    templates_unchanged: int = 0
    ui_changed: bool = False
    ignored: tuple[str, ...] = ()
    """Files in the content folder that are not articles (not ``*.md``; hidden files aside), left alone."""


@dataclass(frozen=True, slots=True)
class LanguageReport:
    """What updating one language's catalogs changed."""

    language: str
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: int = 0
    entries: MergeStats = field(default_factory=MergeStats)


@dataclass(frozen=True, slots=True)
class SyncReport:
    """The report of ``extract``, ``update`` or ``sync``; ``extract`` is ``None`` for ``update``."""

    dry_run: bool
    extract: ExtractReport | None
    languages: tuple[LanguageReport, ...]
    errors: tuple[FileError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True, slots=True)
class _TemplateRef:
    """A template the catalogs are merged with: where it is, its digest, and its content if in memory."""

    key: str
    """The article id, or :data:`UI_KEY` for the UI template."""
    year: int | None
    """The article's year folder; ``None`` for the UI template."""
    path: str
    """The template's workspace-relative key."""
    digest: str
    catalog: Catalog | None = None
    article: Article | None = None
    """The article the template was made from, when a worker made it (``catalog`` is then ``None``)."""
    dated: str | None = None
    """The ``POT-Creation-Date`` kept from the template on disk, when only the date would have changed."""
    catalogs: Mapping[str, _Made] | None = None
    """Catalogs a worker merged with the template, by language code."""


@dataclass(frozen=True, slots=True)
class _Made:
    """A catalog a worker merged with its template: what it found, and the bytes it made or the error."""

    stamp: tuple[int, int] | None
    """Size and modification time of the catalog the worker read; ``None``: there was none (a new one)."""
    data: bytes = b""
    stats: MergeStats = field(default_factory=MergeStats)
    error: I18nError | None = None


@dataclass(frozen=True, slots=True)
class _Rendered:
    """What a worker made of one article: its template (bytes if it is to be written) and new catalogs."""

    data: bytes | None
    outcome: _TemplateOutcome
    """The template's outcome, without its catalog (the parent makes it again from the article if needed)."""
    catalogs: Mapping[str, _Made]


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A source file read (and unless its digest was as recorded, parsed and rendered) by a worker."""

    vanished: bool = False
    digest: str = ""
    error: I18nError | None = None
    parsed: tuple[Article | SourceError, ...] | None = None
    rendered: tuple[_Rendered | None, ...] = ()
    """One per item of ``parsed``: ``None`` for a :class:`SourceError`."""


@dataclass(frozen=True, slots=True)
class _Removed:
    article: str
    year: int


def extract(workspace: Workspace, *, dry_run: bool = False) -> SyncReport:
    """Sources → templates."""
    with workspace.lock():
        run = _Run(workspace, dry_run)
        report, _, _ = run.extract()
        run.finish()
        return SyncReport(dry_run, report, (), tuple(run.errors))


def update(workspace: Workspace, languages: tuple[Language, ...] | None = None, *,
           dry_run: bool = False) -> SyncReport:
    """Templates → catalogs of ``languages`` (default: every configured language)."""
    with workspace.lock():
        run = _Run(workspace, dry_run)
        refs = run.templates_on_disk()
        reports = run.update(refs, [], languages or workspace.settings.languages)
        run.finish()
        return SyncReport(dry_run, None, reports, tuple(run.errors))


def sync(workspace: Workspace, languages: tuple[Language, ...] | None = None, *,
         dry_run: bool = False) -> SyncReport:
    """Extract, then update: the daily command."""
    with workspace.lock():
        run = _Run(workspace, dry_run)
        languages = languages or workspace.settings.languages
        report, refs, removed = run.extract(languages)
        reports = run.update(refs, removed, languages)
        run.finish()
        return SyncReport(dry_run, report, reports, tuple(run.errors))


class _Run:
    """One invocation's state: the index, the pending writes, deletions, and the errors met."""

    def __init__(self, workspace: Workspace, dry_run: bool) -> None:
        self.ws = workspace
        self.settings = workspace.settings
        self.dry_run = dry_run
        self.index = ContentIndex.load(workspace.state_dir / INDEX_NAME, _fingerprint(self.settings))
        self.created = po_timestamp()
        self.errors: list[FileError] = []
        self.root = str(workspace.root)
        self.writes: dict[str, bytes] = {}
        self.deletes: list[str] = []
        self.records: list[tuple[str, str]] = []
        self.forgets: list[str] = []
        self.ignored: list[str] = []

    # -- helpers -----------------------------------------------------------------------------------

    def rel(self, path: Path) -> str:
        return self.ws.relative(path)

    def fail(self, error: I18nError) -> None:
        self.errors.append(FileError.of(error, self.ws.root))

    def stat(self, key: str) -> os.stat_result | None:
        """The stat of workspace-relative ``key`` (a plain string: this runs for every file, every day)."""
        path = f"{self.root}/{key}"
        try:
            found = os.lstat(path)  # as cheap as stat, and says whether it is a link (to be confined)
        except (FileNotFoundError, NotADirectoryError):
            return None
        if S_ISLNK(found.st_mode):
            self.ws.confined(key)
            return _stat(path)
        return found

    def write(self, key: str, data: bytes, token: str) -> bool:
        """Queue ``data`` for ``key`` unless the file already holds it; record its stamp either way."""
        self.records.append((key, token))
        if unchanged(f"{self.root}/{key}", data):
            return False
        self.writes[key] = data
        return True

    def finish(self) -> None:
        """Write every queued file in one atomic batch, apply deletions, then save the index."""
        if self.dry_run:
            return
        for key in [*self.writes, *self.deletes]:
            self.ws.confined(key)  # before anything is written: a catalog or template outside stops the run
        with AtomicBatch() as batch:
            for key, data in self.writes.items():
                batch.add(f"{self.root}/{key}", data)
        for key in self.deletes:
            with contextlib.suppress(FileNotFoundError):
                self.ws.path(key).unlink()
        for key in self.forgets:
            self.index.forget(key)
        for key, token in self.records:
            self.index.record(key, self.stat(key), token)
        self.index.save()

    # -- extract -----------------------------------------------------------------------------------

    def source_files(self) -> list[tuple[str, bool]]:
        """Every source file's key: ``(key, is_feed)`` (see :meth:`Workspace.source_files`); the other files
        of the content folder are noted in ``ignored``, said once in the report."""
        return self.ws.source_files(self.ignored)

    def extract(self, languages: tuple[Language, ...] = ()) -> tuple[ExtractReport, list[_TemplateRef], list[_Removed]]:
        """Sources → templates (queued); the templates every catalog must follow; removed articles.

        ``languages``: those whose catalogs will be updated next. When many sources must be read (a cold
        run, a new tool version), worker processes read, parse and render them, and make the new catalogs
        of these languages too (see :func:`_prepare_sources`); the result is the same, byte for byte.
        """
        index = self.index
        previous = {a[0]: (source, int(a[1])) for source, arts in index.articles.items() for a in arts}
        current: dict[str, list[tuple[str, int, Article | None, _Rendered | None]]] = {}
        failed_sources: set[str] = set()
        seen: set[str] = set()
        states = [(rel, is_feed, self._source_state(rel)) for rel, is_feed in self.source_files()]
        prepared = self._prepare_sources(states, languages)
        for rel, is_feed, state in states:
            seen.add(rel)
            for item in self._source_articles(rel, is_feed, state, failed_sources, prepared.get(rel)):
                current.setdefault(item[0], []).append((rel, *item[1:]))

        refs: list[_TemplateRef] = []
        new: list[str] = []
        changed: list[str] = []
        added = removed_entries = written = same = 0
        for article_id in sorted(current):
            places = current[article_id]
            if len(places) > 1:
                files = ", ".join(sorted({p[0] for p in places}))
                self.fail(SourceError(f"article id '{article_id}' is used by more than one article ({files})",
                                      path=places[0][0], hint="give each article a unique file name or 'id'"))
                continue
            _, year, article, rendered = places[0]
            template_key = self.ws.template_key(article_id, year)
            if article is None:
                digest = index.recorded_token(template_key) or ""
                refs.append(_TemplateRef(article_id, year, template_key, digest))
                same += 1
                continue
            if rendered is not None:
                outcome = self._queue_template(template_key, rendered.data, rendered.outcome)
                refs.append(_TemplateRef(article_id, year, template_key, outcome.digest, None, article,
                                         outcome.dated, rendered.catalogs))
            else:
                outcome = self._write_template(template_key, article_template(article, self.settings, self.created))
                refs.append(_TemplateRef(article_id, year, template_key, outcome.digest, outcome.catalog))
            if outcome.written:
                written += 1
                (changed if outcome.existed or article_id in previous else new).append(article_id)
                added += outcome.added
                removed_entries += outcome.removed
            else:
                same += 1
            old = previous.get(article_id)
            if old is not None and old[1] != year:
                self.deletes.append(self.ws.template_key(article_id, old[1]))
                self.forgets.append(self.ws.template_key(article_id, old[1]))

        for source in [s for s in index.articles if s not in seen]:
            index.set_articles(source, None)
            self.forgets.append(source)
        gone: list[_Removed] = []
        for article_id, (source, year) in sorted(previous.items()):
            if article_id not in current and source not in failed_sources:
                gone.append(_Removed(article_id, year))
                self.deletes.append(self.ws.template_key(article_id, year))
                self.forgets.append(self.ws.template_key(article_id, year))

        ui_ref, ui_changed = self._extract_ui()
        if ui_ref is not None:
            refs.append(ui_ref)
        report = ExtractReport(
            new=tuple(new), changed=tuple(changed), removed=tuple(r.article for r in gone),
            entries_added=added, entries_removed=removed_entries, templates_written=written,
            templates_unchanged=same, ui_changed=ui_changed, ignored=tuple(self.ignored),
        )
        return report, refs, gone

    def _source_state(self, rel: str) -> _SourceState:
        """A source's stat, and whether it (by stamp) and its templates are as i18n last left them."""
        known = self.index.articles.get(rel)
        stat = self.stat(rel)
        intact = known is not None and self._templates_intact(known)
        fresh = intact and stat is not None and self.index.token(rel, stat) is not None
        return _SourceState(stat, known, intact, fresh)

    def _prepare_sources(self, states: list[tuple[str, bool, _SourceState]], languages: tuple[Language, ...]
                         ) -> dict[str, _Prepared]:
        """The sources to read, read, parsed and rendered by worker processes; ``{}`` to do it here.

        Workers are forked (where ``fork`` exists) only when there are at least :data:`PARALLEL_MIN`
        sources to read and more than one CPU. They write nothing: the bytes come back here, and this
        process writes every file and the index, in the same order as without them.
        """
        jobs = [(rel, is_feed, self.index.recorded_token(rel) if state.intact else None)
                for rel, is_feed, state in states if state.stat is not None and not state.fresh]
        workers = min(_cpu_count(), -(-len(jobs) // CHUNK))
        if len(jobs) < PARALLEL_MIN or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return {}
        context = _WorkerContext(self.root, self.ws, self.settings, self.created, languages, self.index)
        chunks = [jobs[i:i + CHUNK] for i in range(0, len(jobs), CHUNK)]
        results: dict[str, _Prepared] = {}
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                     initializer=_init_worker, initargs=(context,)) as pool:
                for chunk, prepared in zip(chunks, pool.map(_prepare_chunk, chunks), strict=True):
                    results.update(zip((rel for rel, _, _ in chunk), prepared, strict=True))
        except (BrokenProcessPool, OSError):
            return {}  # no workers after all (out of processes or memory): do it all here
        return results

    def _source_articles(self, rel: str, is_feed: bool, state: _SourceState, failed: set[str],
                         prepared: _Prepared | None
                         ) -> Iterator[tuple[str, int, Article | None, _Rendered | None]]:
        """The articles of one source: ``(id, year, article, rendered)``, article ``None`` when unchanged.

        An unchanged source (stamp or content digest as recorded, and its templates intact) is not
        parsed. A source that fails keeps its previous articles, so their templates stay untouched.
        ``prepared``: what a worker made of the source, if one did; ``rendered`` comes from it.
        """
        known = state.known
        if state.stat is None:
            if is_feed:
                self.fail(SourceError("feed not found", path=rel, hint="fix paths.feeds in i18n.toml"))
                failed.add(rel)
            return
        if known is not None and state.fresh:
            for article_id, year in known:
                yield article_id, int(year), None, None
            return
        data: bytes | None = None
        if prepared is not None:
            vanished, digest = prepared.vanished, prepared.digest
        else:
            try:
                data = self.ws.path(rel).read_bytes()
                vanished, digest = False, hashlib.sha1(data).hexdigest()
            except FileNotFoundError:
                vanished, digest = True, ""
        if vanished:
            self.fail(SourceError("the file vanished during the run", path=rel, hint="run the command again"))
            failed.add(rel)
            return
        if known is not None and state.intact and self.index.recorded_token(rel) == digest:
            self.records.append((rel, digest))
            for article_id, year in known:
                yield article_id, int(year), None, None
            return
        rendered: tuple[_Rendered | None, ...] = ()
        try:
            if prepared is not None and prepared.error is not None:
                raise prepared.error
            if prepared is not None and prepared.parsed is not None:
                parsed: Sequence[Article | SourceError] = prepared.parsed
                rendered = prepared.rendered
            else:
                data = self.ws.path(rel).read_bytes() if data is None else data
                parsed = load_feed(data, rel) if is_feed else [load_markdown(data, rel)]
        except I18nError as error:
            self.fail(error)
            failed.add(rel)
            return
        good = [(a, rendered[i] if rendered else None) for i, a in enumerate(parsed) if isinstance(a, Article)]
        for problem in parsed:
            if isinstance(problem, SourceError):
                self.fail(problem)
        if len(good) != len(parsed):
            failed.add(rel)
        if not good and known is not None and len(good) != len(parsed):
            for article_id, year in known:
                yield article_id, int(year), None, None
            return
        self.records.append((rel, digest))
        self.index.set_articles(rel, [[a.id, a.year] for a, _ in good])
        for article, made in good:
            yield article.id, article.year, article, made

    def _templates_intact(self, known: list[list[object]]) -> bool:
        """Whether every template of a source's articles is on disk as i18n last wrote it."""
        for article_id, year in known:
            key = self.ws.template_key(str(article_id), int(str(year)))
            stat = self.stat(key)
            if stat is None or self.index.token(key, stat) is None:
                return False
        return True

    def _write_template(self, key: str, template: Catalog) -> _TemplateOutcome:
        """Queue a template unless only its creation date would change."""
        outcome, data = _render_template(self.ws.path(key), template)
        return self._queue_template(key, data, outcome)

    def _queue_template(self, key: str, data: bytes | None, outcome: _TemplateOutcome) -> _TemplateOutcome:
        """Queue a template's bytes (``None``: it stays as it is); record its digest either way."""
        if data is not None:
            self.write(key, data, outcome.digest)
        else:
            self.records.append((key, outcome.digest))
        return outcome

    def _extract_ui(self) -> tuple[_TemplateRef | None, bool]:
        """The UI template from the site's templates and Python files, re-extracted only if they changed."""
        files = ui_files(self.settings)
        key = self.ws.ui_template_key
        if not files:
            return None, False
        stamps = [(k, self.stat(k)) for k in (self.rel(p) for p, _ in files)]
        template_stat = self.stat(key)
        fresh = template_stat is not None and self.index.token(key, template_stat) is not None
        fresh = fresh and all(s is not None and self.index.token(k, s) is not None for k, s in stamps)
        fresh = fresh and self.index.recorded_token("ui:files") == _listing(stamps)
        if fresh:
            return _TemplateRef(UI_KEY, None, key, self.index.recorded_token(key) or ""), False
        extraction = ui_template(self.settings, self.created, files)
        for error in extraction.errors:
            self.fail(error)
        outcome = self._write_template(key, extraction.template)
        if not extraction.errors:
            for file_key, _ in stamps:
                self.records.append((file_key, "ui"))
            self.index.remember("ui:files", _listing(stamps))
        return _TemplateRef(UI_KEY, None, key, outcome.digest, outcome.catalog), outcome.written

    # -- update ------------------------------------------------------------------------------------

    def templates_on_disk(self) -> list[_TemplateRef]:
        """Every article template and the UI template, as found in ``locales/templates``."""
        refs: list[_TemplateRef] = []
        folder = self.ws.locales / "templates" / "articles"
        for year_dir in sorted(folder.iterdir()) if folder.is_dir() else []:
            if not (year_dir.is_dir() and year_dir.name.isdigit()):
                continue
            for path in sorted(year_dir.glob("*.pot")):
                key = self.ws.template_key(path.stem, int(year_dir.name))
                refs.append(_TemplateRef(path.stem, int(year_dir.name), key, self._digest(key)))
        if self.ws.ui_template_path.is_file():
            key = self.ws.ui_template_key
            refs.append(_TemplateRef(UI_KEY, None, key, self._digest(key)))
        return refs

    def _digest(self, key: str) -> str:
        stat = self.stat(key)
        token = self.index.token(key, stat) if stat is not None else None
        if token is None:
            token = hashlib.sha1(self.ws.path(key).read_bytes()).hexdigest()
            self.records.append((key, token))
        return token

    def update(self, refs: list[_TemplateRef], removed: list[_Removed],
               languages: tuple[Language, ...]) -> tuple[LanguageReport, ...]:
        """Templates → catalogs, for each language."""
        return tuple(self._update_language(refs, removed, language) for language in languages)

    def _catalog_key(self, ref: _TemplateRef, language: Language) -> str:
        if ref.year is None:
            return self.ws.ui_catalog_key(language)
        return self.ws.catalog_key(language, ref.key, ref.year)

    def _update_language(self, refs: list[_TemplateRef], removed: list[_Removed],
                         language: Language) -> LanguageReport:
        created: list[str] = []
        updated: list[str] = []
        same = 0
        stats = MergeStats()
        for ref in refs:
            key = self._catalog_key(ref, language)
            stat = self.stat(key)
            if stat is not None and ref.digest and self.index.token(key, stat) == ref.digest:
                same += 1
                continue
            source = key if stat is not None else self._moved_catalog(ref, language)
            made = ref.catalogs.get(language.code) if ref.catalogs is not None else None
            if made is not None and source in (None, key) and made.stamp == _stamp(stat):
                # a worker merged this very file (or made the new catalog): take its result
                if made.error is not None:
                    self.fail(made.error)
                    continue
                stats += made.stats
                if self.write(key, made.data, ref.digest):
                    (created if source is None else updated).append(key)
                else:
                    same += 1
                continue
            try:
                template = self._template(ref)
            except I18nError as error:
                self.fail(error)
                continue
            try:
                old = read_catalog(self.ws.path(source)) if source is not None else None
            except I18nError as error:
                self.fail(error)
                continue
            merged, entry_stats = merge(old, template, language, self.created)
            stats += entry_stats
            if source is not None and source != key:
                self.deletes.append(source)
                self.forgets.append(source)
            if self.write(key, format_catalog(merged).encode("utf-8"), ref.digest):
                (created if source is None else updated).append(key)
            else:
                same += 1
        for gone in removed:
            key = self.ws.catalog_key(language, gone.article, gone.year)
            if self.stat(key) is None:
                continue
            try:
                old = read_catalog(self.ws.path(key))
            except I18nError as error:
                self.fail(error)
                continue
            merged, entry_stats = merge(old, Catalog(), language, self.created)
            stats += entry_stats
            if self.write(key, format_catalog(merged).encode("utf-8"), "removed"):
                updated.append(key)
        return LanguageReport(language.code, tuple(created), tuple(updated), same, stats)

    def _template(self, ref: _TemplateRef) -> Catalog:
        """The template ``ref`` stands for: in memory, made again from its article, or read from disk."""
        if ref.catalog is not None:
            return ref.catalog
        if ref.article is not None:
            template = article_template(ref.article, self.settings, self.created)
            return template if ref.dated is None else template.with_header("POT-Creation-Date", ref.dated)
        return read_catalog(self.ws.path(ref.path))

    def _moved_catalog(self, ref: _TemplateRef, language: Language) -> str | None:
        """An existing catalog of the same article in another year folder (its date was corrected)."""
        if ref.year is None:
            return None
        for year in self.ws.catalog_years(language, ref.key):
            if year != ref.year:
                return self.ws.catalog_key(language, ref.key, year)
        return None


@dataclass(frozen=True, slots=True)
class _TemplateOutcome:
    catalog: Catalog | None
    digest: str
    written: bool
    existed: bool
    added: int
    removed: int
    dated: str | None = None


@dataclass(frozen=True, slots=True)
class _SourceState:
    """A source file's stat; its articles as recorded; whether their templates, and (by stamp) it, are."""

    stat: os.stat_result | None
    known: list[list[Any]] | None
    intact: bool
    fresh: bool


def _render_template(path: Path, template: Catalog) -> tuple[_TemplateOutcome, bytes | None]:
    """A template's outcome beside the one at ``path``, and its bytes if it is to be written.

    When only ``POT-Creation-Date`` would change, the template keeps the date on disk and is not written.
    """
    try:
        old = path.read_bytes()
    except FileNotFoundError:
        old = None
    if old is not None:
        match = _CREATED.search(old)
        if match:
            date = match.group(1).decode("utf-8", "replace")
            dated = template.with_header("POT-Creation-Date", date)
            data = format_catalog(dated).encode("utf-8")
            if data == old:
                return _TemplateOutcome(dated, hashlib.sha1(data).hexdigest(), False, True, 0, 0, date), None
    data = format_catalog(template).encode("utf-8")
    digest = hashlib.sha1(data).hexdigest()
    added, removed = len(template.entries), 0
    if old is not None:
        with contextlib.suppress(I18nError):
            before = {e.identity for e in decode_catalog(old, path).active_entries}
            after = {e.identity for e in template.entries}
            added, removed = len(after - before), len(before - after)
    return _TemplateOutcome(template, digest, True, old is not None, added, removed), data


# -- worker processes --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _WorkerContext:
    """What a worker needs besides its jobs; inherited through ``fork``, never pickled."""

    root: str
    ws: Workspace
    settings: Settings
    created: str
    languages: tuple[Language, ...]
    index: ContentIndex


_worker: _WorkerContext | None = None


def _init_worker(context: _WorkerContext) -> None:
    global _worker
    _worker = context


def _stat(path: str) -> os.stat_result | None:
    """The stat of ``path``, or ``None`` if there is no such file (a plain string: this runs for every file)."""
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def _stamp(stat: os.stat_result | None) -> tuple[int, int] | None:
    return (stat.st_size, stat.st_mtime_ns) if stat is not None else None


def _cpu_count() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _prepare_chunk(jobs: list[tuple[str, bool, str | None]]) -> list[_Prepared]:
    """In a worker: :func:`_prepare` each ``(source, is_feed, digest to skip)``."""
    return [_prepare(rel, is_feed, skip) for rel, is_feed, skip in jobs]


def _prepare(rel: str, is_feed: bool, skip: str | None) -> _Prepared:
    """In a worker: read a source; unless its digest is ``skip``, parse it and render its articles."""
    context = _worker
    assert context is not None
    try:
        data = Path(context.root, rel).read_bytes()
    except FileNotFoundError:
        return _Prepared(vanished=True)
    digest = hashlib.sha1(data).hexdigest()
    if digest == skip:
        return _Prepared(digest=digest)
    try:
        parsed = load_feed(data, rel) if is_feed else [load_markdown(data, rel)]
    except I18nError as error:
        return _Prepared(digest=digest, error=error)
    rendered = tuple(_render(context, a) if isinstance(a, Article) else None for a in parsed)
    return _Prepared(digest=digest, parsed=tuple(parsed), rendered=rendered)


def _render(context: _WorkerContext, article: Article) -> _Rendered:
    """In a worker: an article's template, and its catalog in each language merged with it.

    As :meth:`_Run._update_language` would: a catalog whose stamp says it was merged with this very
    template is left alone; a missing one is made (a catalog moved from another year is left to the parent).
    """
    key = context.ws.template_key(article.id, article.year)
    outcome, data = _render_template(Path(context.root, key), article_template(article, context.settings,
                                                                                context.created))
    assert outcome.catalog is not None
    catalogs: dict[str, _Made] = {}
    for language in context.languages:
        catalog_key = context.ws.catalog_key(language, article.id, article.year)
        path = f"{context.root}/{catalog_key}"
        stat = _stat(path)
        if stat is not None and context.index.token(catalog_key, stat) == outcome.digest:
            continue
        try:
            old = read_catalog(Path(path)) if stat is not None else None
        except I18nError as error:
            catalogs[language.code] = _Made(_stamp(stat), error=error)
            continue
        merged, stats = merge(old, outcome.catalog, language, context.created)
        catalogs[language.code] = _Made(_stamp(stat), format_catalog(merged).encode("utf-8"), stats)
    return _Rendered(data, replace(outcome, catalog=None), catalogs)


def _fingerprint(settings: Settings) -> str:
    """What, besides the files, shapes templates and catalogs: a change here re-checks every file."""
    parts = [__version__, str(FORMAT_REVISION), settings.project, settings.copyright_holder, settings.bugs_address,
             settings.content.as_posix(), settings.locales.as_posix(), *(f.as_posix() for f in settings.feeds),
             *(f"{u.root}:{u.pattern}:{u.method}" for u in settings.ui)]
    return hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()


def _listing(stamps: list[tuple[str, os.stat_result | None]]) -> str:
    """A digest of which UI files exist, so that a new or deleted template triggers re-extraction."""
    return hashlib.sha1("\n".join(k for k, _ in stamps).encode("utf-8")).hexdigest()

