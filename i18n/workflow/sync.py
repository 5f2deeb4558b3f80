"""The daily use cases: ``extract`` (sources → templates), ``update`` (templates → catalogs), ``sync``.

Each takes the workspace lock, works out every change, stages each file to write as a temporary file as
soon as its bytes exist, renames them all into place at the end in one atomic batch (see
:class:`i18n.core.atomic.AtomicBatch`; on any error every staged file is removed), then saves the content
index, and returns a frozen report. Memory therefore does not grow with the bytes written. A file
that cannot be read (bad front matter, a PO syntax error, not UTF-8, vanished mid-run) is reported with
``file:line`` and left untouched; the rest of the work goes on, and the report says it failed.

Nothing is written when nothing changed: templates keep their ``POT-Creation-Date`` unless their content
changes, and a catalog is rewritten only when its bytes would differ.

When many sources must be read (a cold run, a lost index, a new tool version), forked worker processes,
one per CPU, read and parse them, render their templates and merge their catalogs, and stage the files
that differ (a dry run stages nothing); this process still decides, reports, and commits or discards each
staged file, in the same order, so the files and the report are those of a run in one process, byte for
byte (``tests/test_sync_parallel.py``).
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISLNK
from types import TracebackType
from typing import Any

from i18n.catalogs.catalog import Catalog
from i18n.catalogs.merge import MergeStats, merge
from i18n.catalogs.pofile import read_catalog
from i18n.catalogs.poformat import format_catalog
from i18n.content.articles import Article, load_feed, load_markdown
from i18n.content.extract import article_template, po_timestamp, ui_files, ui_template
from i18n.core.atomic import AtomicBatch, discard, sweep, unchanged
from i18n.core.errors import FileError, I18nError, SourceError, Unreadable
from i18n.core.folderstat import FolderStamp, cpu_count
from i18n.core.ids import UI_ARTICLE, is_article_id
from i18n.core.index import INDEX_NAME, ContentIndex
from i18n.core.languages import Language
from i18n.core.workspace import Workspace
from i18n.workflow.sync_emptied import check_emptied
from i18n.workflow.sync_noop import index_fingerprint, unchanged_run
from i18n.workflow.sync_reports import ExtractReport, LanguageReport, SyncProgress, SyncReport, SyncStep
from i18n.workflow.sync_settled import settle, settled_run
from i18n.workflow.sync_workers import (
    Made,
    Output,
    Parsed,
    Prepared,
    Rendered,
    TemplateOutcome,
    WorkerContext,
    parse_again,
    render_template,
    run_workers,
    stamp_of,
    stat_of,
)

__all__ = ["ExtractReport", "LanguageReport", "SyncProgress", "SyncReport", "SyncStep", "extract", "sync",
           "update"]

#: Below this many sources to read, a run stays in one process: forking workers would cost more than it saves.
PARALLEL_MIN = 100
#: Sources per task sent to a worker process.
CHUNK = 40


@dataclass(frozen=True, slots=True)
class _TemplateRef:
    """A template the catalogs are merged with: where it is, its digest, and its content if in memory."""

    key: str
    """The article id, or :data:`UI_ARTICLE` for the UI template."""
    year: int | None
    """The article's year folder; ``None`` for the UI template."""
    path: str
    """The template's workspace-relative key."""
    digest: str
    catalog: Catalog | None = None
    article: Parsed | None = None
    """The article the template was made from, when a worker made it (``catalog`` is then ``None``)."""
    dated: str | None = None
    """The ``POT-Creation-Date`` kept from the template on disk, when only the date would have changed."""
    catalogs: Mapping[str, Made] | None = None
    """Catalogs a worker merged with the template, by language code."""


_Place = tuple[str, int, "Article | Parsed | None", "Rendered | None"]
"""Where an article was found: ``(source, year, article, rendered)``; article ``None``: unchanged."""


@dataclass(frozen=True, slots=True)
class _Removed:
    article: str
    year: int


def extract(workspace: Workspace, *, dry_run: bool = False,
            progress: Callable[[SyncProgress], None] | None = None) -> SyncReport:
    """Sources → templates; ``progress`` is called now and then (about a hundred times a step)."""
    with workspace.lock(), _Run(workspace, dry_run, progress) as run:
        report, _, _ = run.extract()
        run.finish()
        return SyncReport(dry_run, report, (), tuple(run.errors))


def update(workspace: Workspace, languages: tuple[Language, ...] | None = None, *,
           dry_run: bool = False, progress: Callable[[SyncProgress], None] | None = None) -> SyncReport:
    """Templates → catalogs of ``languages`` (default: every configured language)."""
    with workspace.lock(), _Run(workspace, dry_run, progress) as run:
        refs = run.templates_on_disk()
        reports = run.update(refs, [], languages or workspace.settings.languages)
        run.finish()
        return SyncReport(dry_run, None, reports, tuple(run.errors))


def sync(workspace: Workspace, languages: tuple[Language, ...] | None = None, *,
         dry_run: bool = False, progress: Callable[[SyncProgress], None] | None = None) -> SyncReport:
    """Extract, then update: the daily command. ``progress``: as for :func:`extract`."""
    languages, fingerprint = languages or workspace.settings.languages, index_fingerprint(workspace.settings)
    with workspace.lock():
        looked: dict[str, FolderStamp] = {}
        if (settled := settled_run(workspace, fingerprint, languages, looked)) is not None:
            return SyncReport(dry_run, settled[0], settled[1], ())
        with _Run(workspace, dry_run, progress) as run:
            run.index.adopt(looked)  # the folders settled_run stat'ed are not stat'ed again
            unchanged = run.unchanged(languages)
            report = _full_sync(run, languages) if unchanged is None else SyncReport(dry_run, *unchanged, ())
            if unchanged is None and report.ok and not dry_run and languages == workspace.settings.languages:
                unchanged = run.unchanged(languages)  # the next run's answer, now that the index is saved
            if unchanged is not None and not dry_run:  # the next no-op is answered from the folders alone
                settle(workspace, run.index, fingerprint, languages, unchanged, run.ui_keys,
                       lambda: [run.rel(p) for p, _ in ui_files(workspace.settings)])
            return report


def _full_sync(run: _Run, languages: tuple[Language, ...]) -> SyncReport:
    """Extract, then update, when the no-op checks found something to do."""
    report, refs, removed = run.extract(languages)
    reports = run.update(refs, removed, languages)
    refs.clear()  # what the workers made of each article (100 MB at 50,000): freed before the index grows
    run.finish()
    return SyncReport(run.dry_run, report, reports, tuple(run.errors))


class _Run:
    """One invocation's state: the index, the staged writes, deletions, and the errors met.

    Used as a context manager: leaving it on an exception removes every staged file, so nothing is
    half-written and no temporary file is left behind.
    """

    def __init__(self, workspace: Workspace, dry_run: bool,
                 progress: Callable[[SyncProgress], None] | None = None) -> None:
        self.ws = workspace
        self.progress = progress
        self.settings = workspace.settings
        self.dry_run = dry_run
        self.index = ContentIndex.load(workspace.state_dir / INDEX_NAME, index_fingerprint(self.settings))
        self.created = po_timestamp()
        self.errors: list[FileError] = []
        self.root = str(workspace.root)
        self.batch = AtomicBatch()
        self.years: dict[str, dict[str, list[int]]] = {}
        """The catalogs in each language's year folders, by language code: see :meth:`_catalog_years`."""
        self.loose: set[str] = set()
        """Temporary files staged by workers that the batch has not adopted (yet): removed at the end."""
        self.deletes: list[str] = []
        self.records: list[tuple[str, str]] = []
        self.forgets: list[str] = []
        self.ignored: list[str] = []
        self.sources: list[tuple[str, bool]] | None = None
        self.ui_keys: list[str] = []  # the UI files, as the no-op check found them

    def __enter__(self) -> _Run:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if kind is not None:
            self.batch.discard()
        for temp in self.loose:
            discard(temp)
        self.loose.clear()

    # -- helpers -----------------------------------------------------------------------------------

    def rel(self, path: Path) -> str:
        return self.ws.relative(path)

    def report(self, step: SyncStep, done: int, total: int, language: str | None = None) -> None:
        """Tell ``progress`` where the run is: at the end of a step and about every hundredth of it."""
        if self.progress is not None and (done == total or done % max(1, total // 100) == 0):
            self.progress(SyncProgress(step, done, total, language))

    def fail(self, error: I18nError) -> None:
        self.errors.append(FileError.of(error, self.ws.root))

    def stat(self, key: str) -> os.stat_result | None:
        """The stat of workspace-relative ``key`` (a plain string: this runs for every file, every day)."""
        path = f"{self.root}/{key}"
        try:
            found = os.lstat(path)  # as cheap as stat, and says whether it is a link (to be confined)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as error:  # there, but not to be read (a folder without access): never taken for gone
            raise Unreadable.of(path, error) from None
        if S_ISLNK(found.st_mode):
            self.ws.confined(key)
            return stat_of(path)
        return found

    def fresh_token(self, key: str) -> str | None:
        """``key``'s recorded token if the file is as i18n last left it, else ``None`` (also when it is gone):
        from its folder's digest when that holds (no ``stat``: :meth:`ContentIndex.trusted`), else its stamp."""
        if self.index.trusted(self.root, key):
            return self.index.recorded_token(key)
        stat = self.stat(key)
        return self.index.token(key, stat) if stat is not None else None

    def write(self, key: str, data: bytes, token: str) -> bool:
        """Stage ``data`` for ``key`` unless the file already holds it; record its stamp either way.

        The bytes go to a temporary file at once (not in a dry run), renamed into place by :meth:`finish`.
        A catalog or template outside the workspace stops the run before anything is renamed.
        """
        self.records.append((key, token))
        if unchanged(f"{self.root}/{key}", data):
            return False
        if not self.dry_run:
            self.ws.confined(key)
            self.batch.add(f"{self.root}/{key}", data)
        return True

    def put(self, key: str, output: Output, token: str) -> bool:
        """As :meth:`write`, for a file a worker compared with the one on disk and staged."""
        if output.data is not None:
            return self.write(key, output.data, token)
        self.records.append((key, token))
        if output.temp is not None:
            self.ws.confined(key)
            self.batch.adopt(output.temp, f"{self.root}/{key}")
            self.loose.discard(output.temp)
        return output.changed

    def finish(self) -> None:
        """Rename every staged file into place, apply deletions, then save the index."""
        if self.dry_run:
            return
        for key in self.deletes:
            self.ws.confined(key)  # before anything is renamed: a catalog or template outside stops the run
        if len(self.batch):
            self.report(SyncStep.WRITING, 0, len(self.batch))
        self.batch.commit()
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
        if self.sources is None:  # listed once a run (the no-op check lists them first)
            self.sources = self.ws.source_files(self.ignored)
        return self.sources

    def unchanged(self, languages: tuple[Language, ...]) -> tuple[ExtractReport, tuple[LanguageReport, ...]] | None:
        """This run's reports if nothing is to be done (see :mod:`i18n.workflow.sync_noop`), else ``None``."""
        files = ui_files(self.settings)
        self.ui_keys = [self.rel(p) for p, _ in files]
        if files and not self._ui_fresh(self.ui_keys):
            return None
        ui_token = (self.index.recorded_token(self.ws.ui_template_key) or "") if files else None
        return unchanged_run(self.ws, self.index, self.source_files(), self.ignored, languages, ui_token)

    def extract(self, languages: tuple[Language, ...] = ()) -> tuple[ExtractReport, list[_TemplateRef], list[_Removed]]:
        """Sources → templates (queued); the templates every catalog must follow; removed articles.

        ``languages``: those whose catalogs will be updated next. When many sources must be read (a cold
        run, a new tool version), worker processes read, parse and render them, and make the new catalogs
        of these languages too (see :func:`_prepare_sources`); the result is the same, byte for byte.
        """
        index = self.index
        previous = {a[0]: (source, int(a[1])) for source, arts in index.articles.items() for a in arts}
        current, failed_sources = self._read_sources(languages)
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
            if isinstance(article, Parsed):
                assert rendered is not None  # a worker parsed it, and rendered it too
                outcome = self._queue_template(template_key, rendered.output, rendered.outcome)
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

        gone = self._removed(previous, current, failed_sources)
        ui_ref, ui_changed = self._extract_ui()
        if ui_ref is not None:
            refs.append(ui_ref)
        report = ExtractReport(
            new=tuple(new), changed=tuple(changed), removed=tuple(r.article for r in gone),
            entries_added=added, entries_removed=removed_entries, templates_written=written,
            templates_unchanged=same, ui_changed=ui_changed, ignored=tuple(self.ignored),
        )
        return report, refs, gone

    def _read_sources(self, languages: tuple[Language, ...]) -> tuple[dict[str, list[_Place]], set[str]]:
        """Every source's articles, by id: where each id is found (more than one place is an error); and
        the sources that failed (their articles are kept as they were). Sources gone are forgotten."""
        current: dict[str, list[_Place]] = {}
        failed: set[str] = set()
        seen: set[str] = set()
        states = [(rel, is_feed, self._source_state(rel)) for rel, is_feed in self.source_files()]
        with contextlib.closing(self._prepare_sources(states, languages)) as made:  # workers stop with the run
            for done, ((rel, is_feed, state), prepared) in enumerate(zip(states, made, strict=True), 1):
                seen.add(rel)
                for item in self._source_articles(rel, is_feed, state, failed, prepared):
                    current.setdefault(item[0], []).append((rel, *item[1:]))
                self.report(SyncStep.READING, done, len(states))
        for source in [s for s in self.index.articles if s not in seen]:
            self.index.set_articles(source, None)
            self.forgets.append(source)
        return current, failed

    def _removed(self, previous: dict[str, tuple[str, int]], current: Mapping[str, object],
                 failed: set[str]) -> list[_Removed]:
        """The articles gone since the last run (unless their source failed): their templates are deleted."""
        gone: list[_Removed] = []
        for article_id, (source, year) in sorted(previous.items()):
            if article_id not in current and source not in failed:
                gone.append(_Removed(article_id, year))
                self.deletes.append(self.ws.template_key(article_id, year))
                self.forgets.append(self.ws.template_key(article_id, year))
        return gone

    def _source_state(self, rel: str) -> _SourceState:
        """A source's stat, and whether it (by stamp) and its templates are as i18n last left them."""
        known = self.index.articles.get(rel)
        token = self.fresh_token(rel)
        intact = known is not None and self._templates_intact(known)
        return _SourceState(token is not None or self.stat(rel) is not None, known, intact,
                            intact and token is not None)

    def _prepare_sources(self, states: list[tuple[str, bool, _SourceState]], languages: tuple[Language, ...]
                         ) -> Generator[Prepared | None, None, None]:
        """For each of ``states`` in order, what a worker process made of the source; ``None``: do it here.

        Workers are forked (where ``fork`` exists) only when there are at least :data:`PARALLEL_MIN`
        sources to read and more than one CPU. Their results come as they are made (a few chunks ahead):
        they are never all held here at once. The files they stage are this run's to commit or remove.
        """
        jobs = [(rel, is_feed, self.index.recorded_token(rel) if state.intact else None)
                for rel, is_feed, state in states if state.exists and not state.fresh]
        workers = min(cpu_count(), -(-len(jobs) // CHUNK))
        parallel = len(jobs) >= PARALLEL_MIN and workers >= 2 and "fork" in multiprocessing.get_all_start_methods()
        if len(jobs) >= PARALLEL_MIN and not self.dry_run:
            sweep(self.ws.locales)  # a long run killed midway (the index unsaved, so this one is long too)
        context = WorkerContext(self.root, self.ws, self.settings, self.created, languages, self.index,
                                self.dry_run)
        results = run_workers(context, jobs, workers, CHUNK, self.loose) if parallel else None
        try:
            for _, _, state in states:
                yield next(results, None) if results and state.exists and not state.fresh else None
        finally:
            if results is not None:
                results.close()

    def _source_articles(self, rel: str, is_feed: bool, state: _SourceState, failed: set[str],
                         prepared: Prepared | None
                         ) -> Iterator[tuple[str, int, Article | Parsed | None, Rendered | None]]:
        """The articles of one source: ``(id, year, article, rendered)``, article ``None`` when unchanged.

        An unchanged source (stamp or content digest as recorded, and its templates intact) is not
        parsed. A source that fails keeps its previous articles, so their templates stay untouched.
        ``prepared``: what a worker made of the source, if one did; ``rendered`` comes from it.
        """
        known = state.known
        if not state.exists:
            if is_feed:
                self.fail(SourceError("feed not found", path=rel, hint="fix paths.feeds in i18n.toml"))
                failed.add(rel)
            return
        if known is not None and state.fresh:
            for article_id, year in known:
                yield article_id, int(year), None, None
            return
        vanished, digest, data = self._read_source(rel, prepared)
        if vanished:
            self.fail(SourceError("the file vanished during the run", path=rel, hint="run the command again"))
            failed.add(rel)
            return
        if known is not None and state.intact and self.index.recorded_token(rel) == digest:
            self.records.append((rel, digest))
            for article_id, year in known:
                yield article_id, int(year), None, None
            return
        try:
            parsed, rendered = self._parse_source(rel, is_feed, data, prepared)
        except I18nError as error:
            self.fail(error)
            failed.add(rel)
            return
        good = [(a, rendered[i] if rendered else None) for i, a in enumerate(parsed)
                if not isinstance(a, SourceError)]
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

    def _read_source(self, rel: str, prepared: Prepared | None) -> tuple[bool, str, bytes | None]:
        """Whether the source vanished; its digest; its bytes, unless a worker read it."""
        if prepared is not None:
            return prepared.vanished, prepared.digest, None
        try:
            data = self.ws.path(rel).read_bytes()
        except FileNotFoundError:
            return True, "", None
        return False, hashlib.sha1(data).hexdigest(), data

    def _parse_source(self, rel: str, is_feed: bool, data: bytes | None, prepared: Prepared | None
                      ) -> tuple[Sequence[Article | Parsed | SourceError], tuple[Rendered | None, ...]]:
        """A source's articles (or their problems), as a worker parsed and rendered them or parsed here."""
        if prepared is not None and prepared.error is not None:
            raise prepared.error
        if prepared is not None and prepared.parsed is not None:
            return prepared.parsed, prepared.rendered
        data = self.ws.path(rel).read_bytes() if data is None else data
        return (load_feed(data, rel) if is_feed else [load_markdown(data, rel)]), ()

    def _templates_intact(self, known: list[list[object]]) -> bool:
        """Whether every template of a source's articles is on disk as i18n last wrote it."""
        for article_id, year in known:
            key = self.ws.template_key(str(article_id), int(str(year)))
            if self.fresh_token(key) is None:
                return False
        return True

    def _write_template(self, key: str, template: Catalog) -> TemplateOutcome:
        """Queue a template unless only its creation date would change."""
        outcome, data = render_template(self.ws.path(key), template)
        return self._queue_template(key, data, outcome)

    def _queue_template(self, key: str, data: bytes | Output | None, outcome: TemplateOutcome
                        ) -> TemplateOutcome:
        """Stage a template's bytes (``None``: it stays as it is); record its digest either way."""
        if isinstance(data, Output):
            self.put(key, data, outcome.digest)
        elif data is not None:
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
        if self._ui_fresh([k for k, _ in stamps]):
            return _TemplateRef(UI_ARTICLE, None, key, self.index.recorded_token(key) or ""), False
        extraction = ui_template(self.settings, self.created, files)
        for error in extraction.errors:
            self.fail(error)
        outcome = self._write_template(key, extraction.template)
        if not extraction.errors:
            for file_key, _ in stamps:
                self.records.append((file_key, "ui"))
            self.index.remember("ui:files", _listing(stamps))
        return _TemplateRef(UI_ARTICLE, None, key, outcome.digest, outcome.catalog), outcome.written

    def _ui_fresh(self, keys: list[str]) -> bool:
        """Whether the UI template and the UI files ``keys`` are as recorded (and no file came or went)."""
        stamps = [(k, self.stat(k)) for k in keys]
        template_stat = self.stat(self.ws.ui_template_key)
        fresh = template_stat is not None and self.index.token(self.ws.ui_template_key, template_stat) is not None
        fresh = fresh and all(s is not None and self.index.token(k, s) is not None for k, s in stamps)
        return fresh and self.index.recorded_token("ui:files") == _listing(stamps)

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
            refs.append(_TemplateRef(UI_ARTICLE, None, key, self._digest(key)))
        return refs

    def _digest(self, key: str) -> str:
        token = self.fresh_token(key)
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
        tally = _Tally()
        for done, ref in enumerate(refs, 1):
            self._update_catalog(ref, language, tally)
            self.report(SyncStep.UPDATING, done, len(refs), language.code)
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
            tally.stats += entry_stats
            if self.write(key, format_catalog(merged).encode("utf-8"), "removed"):
                tally.updated.append(key)
        return LanguageReport(language.code, tuple(tally.created), tuple(tally.updated), tally.same, tally.stats,
                              tuple(tally.converted))

    def _update_catalog(self, ref: _TemplateRef, language: Language, tally: _Tally) -> None:
        """Merge the catalog of ``ref`` in ``language`` with its template, unless it already was."""
        key = self._catalog_key(ref, language)
        if ref.digest and self.fresh_token(key) == ref.digest:
            tally.same += 1
            return
        stat = self.stat(key)
        source = key if stat is not None else self._moved_catalog(ref, language)
        made = ref.catalogs.get(language.code) if ref.catalogs is not None else None
        if made is not None and source in (None, key) and made.stamp == stamp_of(stat):
            # a worker merged this very file (or made the new catalog): take its result
            if made.error is not None:
                self.fail(made.error)
                return
            if made.charset != "UTF-8":
                tally.converted.append((key, made.charset))
            tally.stats += made.stats
            assert made.output is not None
            tally.count(self.put(key, made.output, ref.digest), key, source is None)
            return
        try:
            template = self._template(ref)
            if source is not None and stat is not None and stat.st_size == 0:
                check_emptied(self.ws, source)
            old = read_catalog(self.ws.path(source)) if source is not None else None
        except I18nError as error:
            self.fail(error)
            return
        if old is not None and old.charset != "UTF-8":
            tally.converted.append((key, old.charset))
        merged, entry_stats = merge(old, template, language, self.created)
        tally.stats += entry_stats
        if source is not None and source != key:
            self.deletes.append(source)
            self.forgets.append(source)
        tally.count(self.write(key, format_catalog(merged).encode("utf-8"), ref.digest), key, source is None)

    def _template(self, ref: _TemplateRef) -> Catalog:
        """The template ``ref`` stands for: in memory, made again from its article, or read from disk."""
        if ref.catalog is not None:
            return ref.catalog
        if ref.article is not None:
            template = article_template(parse_again(self.ws, ref.article), self.settings, self.created)
            return template if ref.dated is None else template.with_header("POT-Creation-Date", ref.dated)
        return read_catalog(self.ws.path(ref.path))

    def _moved_catalog(self, ref: _TemplateRef, language: Language) -> str | None:
        """An existing catalog of the same article in another year folder (its date was corrected)."""
        if ref.year is None:
            return None
        for year in self._catalog_years(language).get(f"{ref.key}.po", ()):
            if year != ref.year:
                return self.ws.catalog_key(language, ref.key, year)
        return None

    def _catalog_years(self, language: Language) -> dict[str, list[int]]:
        """Each catalog file name of ``language``'s year folders, with its years, oldest first (as
        :meth:`Workspace.catalog_years`), listed once a run: one glob per catalog cost seconds in a cold run."""
        listing = self.years.get(language.code)
        if listing is None:
            listing = self.years[language.code] = {}
            folder = self.ws.locales / language.gettext / "articles"
            for year in sorted(int(d.name) for d in _folders(folder) if d.name.isdigit()):
                for entry in _folders(Path(folder, str(year)), files=True):
                    if entry.name.endswith(".po") and is_article_id(entry.name[:-3]):
                        listing.setdefault(entry.name, []).append(year)
        return listing


@dataclass(slots=True)
class _Tally:
    """What updating one language's catalogs did so far: a counter private to one run."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    converted: list[tuple[str, str]] = field(default_factory=list)
    same: int = 0
    stats: MergeStats = field(default_factory=MergeStats)

    def count(self, written: bool, key: str, new: bool) -> None:
        if not written:
            self.same += 1
        else:
            (self.created if new else self.updated).append(key)


@dataclass(frozen=True, slots=True)
class _SourceState:
    """Whether a source file exists; its articles as recorded; whether their templates, and (by stamp) it,
    are. No ``stat_result`` is kept: at 50,000 sources they would hold tens of MB, in every worker too."""

    exists: bool
    known: list[list[Any]] | None
    intact: bool
    fresh: bool


def _folders(folder: Path, *, files: bool = False) -> list[os.DirEntry[str]]:
    """The sub-folders (or ``files``) of ``folder``; none if it does not exist."""
    try:
        with os.scandir(folder) as entries:
            return [e for e in entries if (e.is_file() if files else e.is_dir())]
    except (FileNotFoundError, NotADirectoryError):
        return []


def _listing(stamps: list[tuple[str, os.stat_result | None]]) -> str:
    """A digest of which UI files exist, so that a new or deleted template triggers re-extraction."""
    return hashlib.sha1("\n".join(k for k, _ in stamps).encode("utf-8")).hexdigest()
