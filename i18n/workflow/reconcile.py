"""Reconciliation: bring the status tracker up to date with the PO files translators edit.

Every command that reads state calls :func:`reconcile` first. It is cheap when nothing changed: the
tracker keeps a file index (size, mtime in ns, content digest per template and catalog, and a digest of
those stamps per folder) and a file whose size and mtime still match is not read at all. When every
folder's digest matches, plain sqlite3 answers and neither SQLAlchemy nor the PO parser is imported; a
file whose content digest still matches (touched, not edited) is not parsed. When only catalogs changed
(a translator's save, a pull; at most :data:`PLAIN_LIMIT` of them new to the index), the embedded tracker
records them through plain sqlite3 too (:mod:`i18n.tracker.queries.recording`, the same statements the
engine path runs), so a translator's ``i18n status`` after an edit does not import SQLAlchemy either. A
file modified within :data:`RACY_SECONDS` of being recorded is stored with an impossible size so that it is
read again next time (an edit within the same mtime tick would otherwise go unseen).

What counts is content, not bytes: states are compared entry by entry (source, translation, fuzzy flag,
machine marker), so re-wrapping, reordering comments or touching only the header changes nothing.
Changes are attributed by what changed:

* a changed translation (or fuzzy flag) is an ``edit``, credited to the PO header's ``Last-Translator``
  name, else to the user running the command (``--user``, ``I18N_USER``, git's ``user.name``);
* a new entry whose fuzzy translation is the one the tracker knew for its previous source (``#| msgid``),
  or an entry whose source changed under an unchanged translation, is a ``source`` change by ``i18n``
  (what ``i18n sync`` does when an article is corrected): nobody is credited with an edit;
* a catalog edited against an older template (entries whose source is no longer in the template, with a
  translation the tracker has not seen) is merged with the current template like ``i18n update`` does: the
  edits are kept as ``needs-work`` with the old source as ``#| msgid``, and reported as ``stale``.

Each template and each catalog is reconciled in a transaction together with its file-index row: a crash
leaves the tracker consistent and the next run redoes only what was not committed. Those the tracker has
never seen (the first run on an archive) are recorded :data:`BATCH` at a time, in bulk
(:mod:`i18n.tracker.queries.build`), read and parsed by worker processes while this one writes
(:mod:`i18n.workflow.build_workers`); those it knows, one transaction each, under the row lock of their
article or catalog. When the folder digests say which folders changed, only those
folders' files are compared with the index.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import time
from collections.abc import Callable, Collection, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeVar

from i18n.content.articles import checked_sources
from i18n.core.collector import paused_gc
from i18n.core.errors import FileError, I18nError
from i18n.core.ids import UI_ARTICLE
from i18n.core.people import People, default_user, load_people
from i18n.core.states import (
    HUMAN_CHANGES,
    State,
    draft_sources,
)
from i18n.core.workspace import Workspace
from i18n.tracker.queries.recording import (
    FileStamp,
    StateChange,
    TrackedEntry,
    TrackedState,
    apply_changes,
    article_entries,
    article_exists,
    catalog_states,
    drafts_on_record,
    earlier_translations,
    file_stamps,
    folder_digests,
    forget_stamps,
    lock_catalog,
    record_carried_approvals,
    refresh_summary,
    save_folders,
    save_stamps,
)
from i18n.tracker.queries.recording import approvals as tracked_approvals
from i18n.tracker.snapshot import LOCAL_CLONE, clone_id, database_url, open_embedded
from i18n.tracker.sql import PlainTracker, open_plain, utcnow
from i18n.workflow.changes import (
    carried_approvals,
    entry_changes,
    translation_hash,
    translator_of,
    without_older_copies,
)
from i18n.workflow.scan import Scan, Seen, compare_folders, folder_digest, folder_of, scan

if TYPE_CHECKING:
    from i18n.catalogs.catalog import Catalog, Entry
    from i18n.core.languages import Language
    from i18n.tracker.engine import Session, Tracker
    from i18n.tracker.queries.build import NewArticle, NewCatalog
    from i18n.tracker.queries.recording import Db
    from i18n.workflow.build_workers import CatalogRead, CatalogResult, TemplateResult

RACY_SECONDS = 2.0
#: Catalogs the file index does not know yet (new, or a new clone's): up to this many, an embedded tracker
#: records a run through plain sqlite3, one catalog at a time, as it does any number of changed known ones
#: (a translator's save, a pull); more go through the engine, whose tracker build records them in bulk.
PLAIN_LIMIT = 100
#: Files recorded per transaction when many changed (a first run): few enough to bound memory and what a
#: crash loses, many enough that the statements of a batch, not their number, cost the time.
BATCH = 500
#: Left in ``.i18n/`` when the embedded tracker is created, so that a deleted tracker is noticed.
TRACKER_MARKER = "tracker.created"
_T = TypeVar("_T")
_PLACEHOLDER_TRANSLATOR = "FULL NAME"


@dataclass(frozen=True, slots=True)
class StaleEdit:
    """An entry edited against an older template: kept as ``needs-work``, its old source shown."""

    catalog: str
    line: int
    language: str
    article: str
    old_source: str
    kept: bool
    """Whether it now fills a current entry as ``needs-work`` (else it was kept as an obsolete ``#~`` entry)."""


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    """What reconciliation did."""

    checked: int = 0
    """Templates and catalogs looked at (by size and mtime)."""
    read: int = 0
    """Files whose content had to be read."""
    articles: int = 0
    """Templates whose entries were recorded."""
    catalogs: int = 0
    """Catalogs whose states were recorded."""
    changes: int = 0
    """Entry states that changed."""
    edits: int = 0
    """Of those, changes credited to a translator."""
    created: bool = False
    """The embedded tracker did not exist and was created (its states come from the PO files)."""
    rebuilt: bool = False
    """It was created although this workspace had one before (the file was deleted): states were rebuilt from
    the PO files, but approvals and history, which only the tracker held, start empty. Restore a backup with
    ``i18n db import FILE --replace``."""
    stale: tuple[StaleEdit, ...] = ()
    errors: tuple[FileError, ...] = field(default=())
    behind: tuple[str, ...] = ()
    """Catalogs this clone read for the first time holding translations older than the tracker's (another
    clone recorded newer ones, not pulled here yet): those entries were not recorded back."""
    sources: str | None = field(default=None, compare=False)
    """A token of the sources, when the source check found every one exactly as last recorded (see
    :class:`i18n.content.articles.SourceCheck`): equal tokens, equal sources. ``None`` otherwise."""


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a reconciliation that reads files is: ``done`` of ``total`` files recorded."""

    done: int
    total: int


def reconcile(workspace: Workspace, *, user: str | None = None,
              progress: Callable[[Progress], None] | None = None) -> ReconcileReport:
    """Record every change in the workspace's templates and catalogs since the last run.

    ``progress`` is called after each batch of files recorded (never on the no-op path): the first run
    on a large archive reads every catalog, and a person at a terminal wants to see it move.

    Its ``errors`` also list the source articles that cannot be loaded (:func:`check_sources`), so that
    every command that reconciles reports a broken new article as ``i18n sync`` does.
    """
    report = _reconcile(workspace, user=user, progress=progress)
    found = checked_sources(workspace)
    return replace(report, errors=report.errors + found.errors, sources=found.token)


def _reconcile(workspace: Workspace, *, user: str | None = None,
               progress: Callable[[Progress], None] | None = None) -> ReconcileReport:
    found: Scan | None = None
    with open_embedded(workspace) as snapshot:
        if snapshot is not None:
            rows = snapshot.rows("SELECT path, digest FROM folders WHERE clone = :clone", {"clone": LOCAL_CLONE})
            found = compare_folders(workspace, {path: digest for path, digest in rows}) if rows else None
            if found is not None and not found.changed:
                return ReconcileReport(checked=found.checked)
    url = database_url(workspace)
    with workspace.lock():
        if found is not None and (report := _plain_run(workspace, found, user, progress)) is not None:
            return report
        from i18n.tracker.engine import open_tracker  # lazy: SQLAlchemy stays off the fast status path

        marker = workspace.state_dir / TRACKER_MARKER
        had_tracker = marker.exists()
        tracker = open_tracker(url)
        try:
            if tracker.created:
                marker.write_text("The status tracker of this workspace was created; if it goes missing, i18n "
                                  "says that approvals and history were lost.\n", encoding="utf-8")
            run = _Run(workspace, tracker, clone_id(workspace, url), user, progress)
            if found is None:  # a server (or an embedded tracker being created or upgraded): its folder digests
                with tracker.transaction() as session:
                    digests = folder_digests(session, run.clone)
                found = compare_folders(workspace, digests) if digests else None
                if found is not None and not found.changed:
                    return ReconcileReport(checked=found.checked)
            # When the index says which folders changed, only their files are compared (not 55,000 stamps).
            report = run.run(found if found is not None else scan(workspace))
            return replace(report, rebuilt=tracker.created and had_tracker)
        finally:
            tracker.close()


def _plain_run(workspace: Workspace, found: Scan, user: str | None,
               progress: Callable[[Progress], None] | None) -> ReconcileReport | None:
    """Record changed catalogs on the embedded tracker through plain sqlite3 (no SQLAlchemy import);
    ``None`` (nothing written) when the run needs the engine: a template changed or went, or more than
    :data:`PLAIN_LIMIT` catalogs are new to the file index (the tracker build records those in bulk)."""
    templates = workspace.relative(workspace.locales) + "/templates"
    if any(folder == templates or folder.startswith(templates + "/") for folder in found.changed):
        return None  # a template changed or went (what sync does): the engine's path, without a try first
    plain = open_plain(workspace)
    if plain is None:
        return None
    try:
        return _Run(workspace, plain, LOCAL_CLONE, user, progress).run(found)
    except _NeedsEngine:
        return None
    finally:
        plain.close()


class _NeedsEngine(Exception):
    """Raised by a plain run before it writes anything: this reconciliation needs the SQLAlchemy path."""


class _Run:
    """One reconciliation: the file index, then templates, then catalogs, one transaction each."""

    def __init__(self, workspace: Workspace, tracker: Tracker | PlainTracker, clone: str, user: str | None,
                 progress: Callable[[Progress], None] | None = None) -> None:
        self.ws = workspace
        self.plain = isinstance(tracker, PlainTracker)
        self.progress = progress
        self.done = self.total = 0
        self.tracker = tracker
        self.clone = clone
        self.user = user
        self._default_user: str | None = None
        self._people: People | None = None
        self.errors: list[FileError] = []
        self.stale: list[StaleEdit] = []
        self.behind: list[str] = []
        self.read = self.articles = self.catalogs = self.changes = self.edits = 0
        self.recorded: dict[str, FileStamp] = {}
        self.scope: set[str] | None = None

    @property
    def engine(self) -> Tracker:
        """The SQLAlchemy tracker: templates and bulk recording write through the ORM (never on a plain run,
        which stops before writing when it would need them)."""
        assert not isinstance(self.tracker, PlainTracker)
        return self.tracker

    def who(self, catalog: Catalog) -> str:
        name = translator_of(catalog)
        if name is not None:
            # One person, one name: the [people] spelling of this name or e-mail address (i18n.core.people).
            if self._people is None:
                self._people = load_people(self.ws.settings)
            return self._people.display(catalog.header("Last-Translator") or name)
        if self._default_user is None:
            self._default_user = default_user(self.user)
        return self._default_user

    def fail(self, error: Exception) -> None:
        if isinstance(error, I18nError):
            self.errors.append(FileError.of(error, self.ws.root))
        else:
            raise error

    def run(self, found: Scan) -> ReconcileReport:
        """Record what changed among the files ``found``: those of its changed folders are compared with the
        index (the others matched their folder's digest); every file is looked at only when a template
        changed or went (its article's catalogs are recorded again, wherever they are)."""
        from i18n.workflow.build_workers import (  # lazy: the PO parser stays off the fast status path
            read_catalog,
            read_template,
        )

        scope = None if found.everything else found.changed
        with self.tracker.transaction() as session:
            stamps = file_stamps(session, self.clone, scope)
        # What the index holds (of the folders in scope), kept up to date as this run records files (the
        # workspace lock keeps other processes from changing this clone's index meanwhile): the digests of
        # the folders in scope are computed from it.
        self.recorded = dict(stamps)
        self.scope = set(scope) if scope is not None else None
        compared = found.compared()
        touched, changed = self.compare(compared, stamps)
        gone = [rel for rel in stamps if rel not in compared]  # the index's files of the compared folders
        if self.plain and (sum(1 for rel in changed if rel not in stamps) > PLAIN_LIMIT
                           or any(rel.endswith(".pot") for rel in [*changed, *gone])):
            raise _NeedsEngine  # nothing written yet: templates (ORM writes) and bulk recording need the engine
        self.total = len(changed)
        changed_articles: set[str] = set()
        templates = [changed[rel] for rel in sorted(changed) if rel.endswith(".pot")]
        with paused_gc(), contextlib.closing(self.reading(read_template, templates)) as read:
            for _ in range(0, len(templates), BATCH):
                changed_articles |= self.templates(list(itertools.islice(read, BATCH)))
        templates_went = any(rel.endswith(".pot") for rel in gone)
        # Every file (a template's catalogs may be anywhere), once: when every folder was compared, those.
        files = found.files() if (changed_articles or templates_went) and not found.everything else compared
        self.forget_templates(gone, {_article_of(rel) for rel in files if rel.endswith(".pot")})
        # Catalogs: those that changed, and those of every article whose template changed; an article's
        # catalogs one after another (a batch reads the entries of a tenth as many articles).
        todo = sorted((rel for rel, seen in files.items() if rel.endswith(".po") and (
            rel in changed or _article_of(seen.rel) in changed_articles)), key=lambda rel: (_article_of(rel), rel))
        self.widen({folder_of(rel) for rel in todo})
        self.total += len([rel for rel in todo if rel not in changed])
        if self.plain:
            self.catalogs_one_by_one([files[rel] for rel in todo])
        else:
            with paused_gc(), contextlib.closing(self.reading(read_catalog, [files[rel] for rel in todo])) as read:
                for _ in range(0, len(todo), BATCH):
                    self.catalogs_batch(list(itertools.islice(read, BATCH)))
        self.finish(touched, gone)
        return ReconcileReport(
            checked=found.checked, read=self.read, articles=self.articles, catalogs=self.catalogs,
            changes=self.changes, edits=self.edits, created=self.tracker.created, stale=tuple(self.stale),
            errors=tuple(self.errors), behind=tuple(self.behind))

    def widen(self, folders: Collection[str]) -> None:
        """Bring ``folders`` into scope (their stamps into :attr:`recorded`): files in them are about to be
        recorded again (catalogs of an article whose template changed), so their digests are recomputed."""
        if self.scope is None or not (extra := set(folders) - self.scope):
            return
        with self.tracker.transaction() as session:
            self.recorded.update(file_stamps(session, self.clone, extra))
        self.scope |= extra

    def compare(self, files: Mapping[str, Seen], stamps: Mapping[str, FileStamp]
                ) -> tuple[list[FileStamp], dict[str, Seen]]:
        """The files only touched (same content: their new stamps) and those changed or new (to record)."""
        touched: list[FileStamp] = []
        # Only paths are kept (a first run reads every file: holding their bytes would cost hundreds of MB);
        # a file is read again when it is recorded. A file the index does not know is not read here at all.
        changed: dict[str, Seen] = {}
        for rel, seen in files.items():
            stamp = stamps.get(rel)
            if stamp is None:
                self.read += 1  # read once, when it is recorded
                changed[rel] = seen
                continue
            if (stamp.size, stamp.mtime_ns) == (seen.size, seen.mtime_ns):
                continue
            data = self.load(seen)
            if data is None:
                continue  # vanished since the scan: the next run forgets it
            self.read += 1
            digest = hashlib.sha1(data).hexdigest()
            if stamp.digest == digest:
                touched.append(self.stamp(seen, digest))
            else:
                changed[rel] = seen
        return touched, changed

    def forget_templates(self, gone: Iterable[str], present: Collection[str]) -> None:
        """Forget templates gone from the workspace (their article is removed unless it moved)."""
        if not (templates := [rel for rel in gone if rel.endswith(".pot")]):
            return
        from i18n.tracker.queries.entries import remove_article  # lazy: SQLAlchemy stays off the fast status path

        for rel in templates:
            # A template gone from its year folder but present in another: the article's date moved.
            with self.engine.transaction() as session:
                if _article_of(rel) not in present:
                    remove_article(session, _article_of(rel))
                forget_stamps(session, self.clone, [rel])
            self.recorded.pop(rel, None)

    def finish(self, touched: Sequence[FileStamp], gone: Sequence[str]) -> None:
        """Save the stamps of touched files, forget gone catalogs, and save every folder's digest."""

        with self.tracker.transaction() as session:
            save_stamps(session, self.clone, touched)
            forget_stamps(session, self.clone, [rel for rel in gone if rel.endswith(".po")])
            self.recorded.update((stamp.path, stamp) for stamp in touched)
            for rel in gone:
                self.recorded.pop(rel, None)
            folders: dict[str, list[tuple[str, int, int]]] = {}
            for stamp in self.recorded.values():
                folders.setdefault(folder_of(stamp.path), []).append((stamp.path, stamp.size, stamp.mtime_ns))
            save_folders(session, self.clone, {folder: folder_digest(f) for folder, f in folders.items()},
                         self.scope)

    def advance(self, files: int) -> None:
        """Count ``files`` as recorded and tell the progress callback."""
        self.done += files
        if self.progress is not None and self.total:
            self.progress(Progress(min(self.done, self.total), self.total))

    def record(self, session: Db, *stamps: FileStamp) -> None:
        """Save files' stamps in the transaction that records what was read from them."""
        save_stamps(session, self.clone, stamps)
        self.recorded.update((stamp.path, stamp) for stamp in stamps)

    def stamp(self, seen: Seen, digest: str) -> FileStamp:
        size = seen.size
        if seen.mtime_ns >= (time.time() - RACY_SECONDS) * 1e9:
            size = -1  # racy: an edit within the same mtime tick would be missed; read it again next time
        return FileStamp(seen.rel, size, seen.mtime_ns, digest)

    def load(self, seen: Seen) -> bytes | None:
        """The file's bytes (``None`` if it vanished since the scan)."""
        try:
            return seen.path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            return None

    def parse(self, seen: Seen) -> tuple[Catalog, str] | None:
        """Read and parse a template or catalog once: the catalog and the digest of its bytes (``None`` when
        it vanished or is broken: the error is reported and the file is read again next time)."""
        from i18n.workflow.build_workers import read_parsed  # lazy: the PO parser stays off the fast status path

        parsed = read_parsed(seen.rel, seen.file)
        if isinstance(parsed, I18nError):
            self.fail(parsed)
            return None
        return parsed

    def reading(self, read: Callable[[tuple[str, str]], _T], files: Sequence[Seen]
                ) -> Generator[tuple[Seen, _T], None, None]:
        """Each of ``files`` with what ``read`` makes of it, in order (by worker processes when there are
        many: :func:`i18n.workflow.build_workers.read_all`); close it to stop the workers."""
        from i18n.workflow.build_workers import read_all  # lazy: the PO parser stays off the fast status path

        results = read_all(read, [(seen.rel, seen.file) for seen in files])
        try:
            yield from zip(files, results, strict=True)
        finally:
            results.close()

    def accepted(self, result: _T | I18nError | None) -> _T | None:
        """What a worker read, or ``None`` after reporting its error (the file is read again next time)."""
        if isinstance(result, I18nError):
            self.fail(result)
            return None
        return result

    def templates(self, batch: Sequence[tuple[Seen, TemplateResult]]) -> set[str]:
        """Record a batch of templates (new articles in bulk, known ones one by one); the articles whose
        entries may have changed."""
        from i18n.tracker.queries.build import insert_articles  # lazy: SQLAlchemy stays off the fast status path

        read = [(seen, article, digest) for seen, result in batch if (found := self.accepted(result)) is not None
                for digest, article in [found]]
        first: dict[str, str] = {}  # an article id twice in a batch (two year folders): the later one the careful way
        for seen, article, _ in read:
            first.setdefault(article.info.id, seen.rel)
        with self.engine.transaction() as session:
            inserted = insert_articles(session, [a for seen, a, _ in read if first[a.info.id] == seen.rel])
            self.record(session, *(self.stamp(seen, digest) for seen, a, digest in read
                                  if a.info.id in inserted and first[a.info.id] == seen.rel))
        self.articles += len(inserted)
        for seen, article, digest in read:
            if article.info.id not in inserted or first[article.info.id] != seen.rel:
                self.template(seen, article, digest)
        self.advance(len(batch))
        return {article.info.id for _, article, _ in read}

    def template(self, seen: Seen, article: NewArticle, digest: str) -> None:
        """Record a known article's template: its row and entries under the article's lock."""
        from i18n.tracker.queries.entries import (  # lazy: SQLAlchemy stays off the fast status path
            lock_article,
            refresh_article,
            save_entries,
        )

        with self.engine.transaction() as session:
            lock_article(session, article.info)
            save_entries(session, article.info.id, article.entries)
            refresh_article(session, article.info.id)
            self.record(session, self.stamp(seen, digest))
        self.articles += 1

    def catalogs_batch(self, batch: Sequence[tuple[Seen, CatalogResult]]) -> None:
        """Record a batch of catalogs: those the tracker has no row for in bulk (their states from the PO
        files alone), the others one by one (compared with the states on record)."""
        from i18n.tracker.queries.build import (  # lazy: SQLAlchemy stays off the fast status path
            current_entries,
            insert_catalogs,
            known_articles,
            known_catalogs,
        )
        from i18n.workflow.reconcile_known import record_known  # lazy: SQLAlchemy stays off the fast status path

        read = [(seen, found, _article_of(seen.rel)) for seen, result in batch
                if (found := self.accepted(result)) is not None]
        careful: list[Seen] = []
        at = utcnow()
        with self.engine.transaction() as session:
            articles = known_articles(session, {article for _, _, article in read})
            entries = current_entries(session, articles)
            have = known_catalogs(session, articles)
            # A catalog without a template (sync has not run, or it failed): nothing to track yet.
            orphans = [self.stamp(seen, found.digest) for seen, found, article in read if article not in articles]
            new = self.new_catalogs(session, [r for r in read if r[2] in articles], entries, have, careful)
            inserted = insert_catalogs(session, [c for _, c, _ in new], entries, at)
            # Not inserted: another process recorded it meanwhile; compare with what it recorded.
            careful += [seen for seen, c, _ in new if (c.article, c.language) not in inserted]
            self.record(session, *orphans, *(self.stamp(seen, digest) for seen, c, digest in new
                                             if (c.article, c.language) in inserted))
        for changes, edits in inserted.values():
            self.catalogs += 1
            self.changes += changes
            self.edits += edits
        known = [(seen, *parsed) for seen in careful if (parsed := self.parse(seen)) is not None]
        for seen, catalog, digest in record_known(self, known):  # the plain known ones in bulk
            self.catalog(seen, catalog, digest)
        self.advance(len(batch))

    def catalogs_one_by_one(self, todo: Sequence[Seen]) -> None:
        """Record catalogs the careful way, one transaction each (the plain path's only way)."""
        for seen in todo:
            if (parsed := self.parse(seen)) is not None:
                self.catalog(seen, *parsed)
            self.advance(1)

    def new_catalogs(self, session: Session, read: Sequence[tuple[Seen, CatalogRead, str]],
                     entries: Mapping[str, Mapping[str, TrackedEntry]], have: Collection[tuple[str, str]],
                     careful: list[Seen]) -> list[tuple[Seen, NewCatalog, str]]:
        """The catalogs of ``read`` (with their article) that can be recorded in bulk, with their states and
        digests; the others (known to the tracker, edited against an older template, twice in the batch) are
        appended to ``careful``."""
        from i18n.tracker.queries.build import (  # lazy: SQLAlchemy stays off the fast status path
            NewCatalog,
            draft_languages,
        )
        from i18n.workflow.build_workers import first_states  # lazy: the PO parser stays off the fast status path

        bulk: list[tuple[Seen, CatalogRead, str, str]] = []
        taken: set[tuple[str, str]] = set()
        for seen, found, article in read:
            language = self._language_of(seen.rel).code
            current = entries.get(article, {})
            stale = any(found.states[key][1] is not None for key in found.states.keys() - current.keys())
            if (article, language) in have or (article, language) in taken or stale:
                careful.append(seen)
            else:
                taken.add((article, language))
                bulk.append((seen, found, article, language))
        machine: dict[str, set[str]] = {}
        for _, found, _, language in bulk:
            machine.setdefault(language, set()).update(found.machine)
        drafted = draft_languages(session, [language for language, texts in machine.items() if texts])
        drafts = {language: drafts_on_record(session, language, texts) if language in drafted else {}
                  for language, texts in machine.items()}
        names: dict[str | None, str] = {}  # who each Last-Translator is
        new: list[tuple[Seen, NewCatalog, str]] = []
        for seen, found, article, language in bulk:
            states, digest = found.states, found.digest
            if any(drafts[language].get(text) for text in found.machine):
                # The tracker holds drafts of its machine entries: a text that is none of them is a person's.
                parsed = self.parse(seen)
                if parsed is None or parsed[1] != digest:  # vanished, or changed since: the careful way
                    careful += [seen] if parsed is not None else []
                    continue
                states = first_states(parsed[0], drafts[language])
            if found.translator not in names:
                names[found.translator] = self.who(found.header())
            new.append((seen, NewCatalog(article, language, seen.rel, names[found.translator], states), digest))
        return new

    def count(self, changes: Sequence[StateChange]) -> None:
        self.catalogs += 1
        self.changes += len(changes)
        self.edits += sum(1 for c in changes if c.reason in HUMAN_CHANGES)  # history credits people with these

    def catalog(self, seen: Seen, catalog: Catalog, digest: str) -> None:
        """Record a catalog's states (merging it first if it was edited against an older template)."""
        article = _article_of(seen.rel)
        language = self._language_of(seen.rel)
        at = utcnow()
        with self.tracker.transaction() as session:
            if not article_exists(session, article):
                # No template for it (sync has not run, or it failed): nothing to track yet.
                self.record(session, self.stamp(seen, digest))
                return
            lock_catalog(session, article, language.code, seen.rel)
            current = article_entries(session, article)
            states = catalog_states(session, article, language.code)
            stale: dict[str, str] = {}
            edited = [e for e in catalog.active_entries if e.key not in current and e.translated
                      and (states.get(e.key) is None or states[e.key].translation_hash != translation_hash(e))]
            if edited:
                merged = self._merge_stale(seen, catalog, edited, language, article, stale)
                if merged is not None:
                    catalog, seen, digest = merged
            approvals = tracked_approvals(session, article, language.code)
            carried = carried_approvals(current=current, catalog=catalog, approvals=approvals)
            if carried:
                record_carried_approvals(session, carried)
                approvals = tracked_approvals(session, article, language.code)
            machine = {text for e in catalog.active_entries if e.state is State.MACHINE
                       for text in draft_sources(e.msgid, e.msgid_plural)}
            drafts = drafts_on_record(session, language.code, machine) if machine else {}
            changes = entry_changes(
                language=language.code, current=current, catalog=catalog, states=states,
                approvals=approvals, translator=self.who(catalog), at=at, stale=stale, drafts=drafts)
            if seen.rel not in self.recorded:
                changes = self.not_behind(session, seen.rel, language.code, states, changes)
            apply_changes(session, changes)
            refresh_summary(session, article, language.code)
            self.record(session, self.stamp(seen, digest))
        self.count(changes)

    def not_behind(self, session: Db, rel: str, language: str, states: Mapping[str, TrackedState],
                   changes: Sequence[StateChange]) -> list[StateChange]:
        """``changes`` less those putting back an earlier translation in a catalog this clone has never
        recorded (:func:`~i18n.workflow.changes.without_older_copies`); such a catalog is listed as behind."""
        kept = without_older_copies(changes, states, lambda ids: earlier_translations(session, ids, language))
        if len(kept) < len(changes):
            self.behind.append(rel)
        return kept

    def _language_of(self, rel: str) -> Language:
        prefix, languages = self._languages
        language = languages.get(rel.removeprefix(prefix).split("/", 1)[0])
        if language is None:
            raise AssertionError(f"scan() only yields catalogs of configured languages: {rel}")
        return language

    @functools.cached_property
    def _languages(self) -> tuple[str, dict[str, Language]]:
        """The locales folder (with its ``/``) and the configured languages by folder name (the first)."""
        languages: dict[str, Language] = {}
        for language in self.ws.settings.languages:
            languages.setdefault(language.gettext, language)
        return self.ws.relative(self.ws.locales) + "/", languages

    def _merge_stale(self, seen: Seen, catalog: Catalog, edited: list[Entry], language: Language,
                     article: str, stale: dict[str, str]) -> tuple[Catalog, Seen, str] | None:
        """Merge a catalog edited against an older template with the current one, keeping every edit."""
        from i18n.catalogs.merge import merge  # lazy: only a stale catalog is merged; off the fast status path
        from i18n.catalogs.pofile import (  # lazy: only a stale catalog is merged; off the fast status path
            read_catalog,
            write_catalog,
        )
        from i18n.catalogs.poformat import (  # lazy: only a stale catalog is merged; off the fast status path
            format_catalog,
        )
        from i18n.content.extract import po_timestamp  # lazy: only a stale catalog is merged; off the fast status path

        template_path = (self.ws.ui_template_path if article == UI_ARTICLE
                         else self.ws.template_path(article, int(seen.path.parent.name)))
        try:
            template = read_catalog(template_path)
        except I18nError as error:
            self.fail(error)
            return None
        merged, _ = merge(catalog, template, language, po_timestamp())
        by_previous = {(e.previous_msgctxt, e.previous_msgid): e for e in merged.active_entries
                       if e.previous_msgid is not None}
        for entry in edited:
            target = by_previous.get((entry.msgctxt, entry.msgid))
            if target is not None:
                stale[target.key] = entry.msgid
            self.stale.append(StaleEdit(seen.rel, entry.line, language.code, article, entry.msgid,
                                        kept=target is not None))
        write_catalog(merged, seen.path)
        data = format_catalog(merged).encode("utf-8")
        stat = seen.path.stat()
        return merged, Seen(seen.rel, seen.file, stat.st_size, stat.st_mtime_ns), hashlib.sha1(data).hexdigest()


def _article_of(path: str) -> str:
    """The article a template or catalog (a ``/``-separated path) belongs to: its file name without suffix."""
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
