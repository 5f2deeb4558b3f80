"""The worker processes of a cold ``sync``: read, parse and render sources, merge and stage their catalogs.

When many sources must be read (a cold run, a lost index, a new tool version), :mod:`i18n.workflow.sync`
forks one worker per CPU (:func:`run_workers`). A worker reads a source, parses it, renders its articles'
templates, merges each language's catalog with them, and stages every file that differs as a temporary
file beside it (:func:`i18n.core.atomic.stage`; nothing in a dry run). It sends back only what the parent
needs to decide and report: digests, stamps, counts, errors, and the temporary files' paths, never the
bytes or the articles, so that the parent's memory does not grow with the archive. The parent adopts each
staged file into its atomic batch, or removes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import re
from collections import deque
from collections.abc import Generator, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from i18n.catalogs.catalog import Catalog
from i18n.catalogs.merge import MergeStats, merge
from i18n.catalogs.pofile import decode_catalog, read_catalog
from i18n.catalogs.poformat import format_catalog
from i18n.content.articles import Article, load_feed, load_markdown
from i18n.content.extract import article_template
from i18n.core.atomic import discard, stage, unchanged
from i18n.core.config import Settings
from i18n.core.errors import I18nError, SourceError
from i18n.core.index import ContentIndex
from i18n.core.languages import Language
from i18n.core.workspace import Workspace

_CREATED = re.compile(rb'^"POT-Creation-Date: ([^"\\]*)\\n"$', re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Parsed:
    """An article a worker parsed: its id and year, and where to parse it again should this process need
    its template (the article itself is not sent back: at 50,000 articles that would be hundreds of MB)."""

    id: str
    year: int
    source: str
    is_feed: bool
    position: int
    """Its place among the source's articles."""
    digest: str
    """The source's digest when the worker read it."""


@dataclass(frozen=True, slots=True)
class Output:
    """A file a worker made: whether it differs from the file on disk, and where its bytes are."""

    changed: bool
    temp: str | None = None
    """The temporary file the worker staged the bytes in (not in a dry run)."""
    data: bytes | None = None
    """The bytes, when the worker would not stage them (the folder leads outside the workspace: this
    process refuses the write with the error)."""


@dataclass(frozen=True, slots=True)
class Made:
    """A catalog a worker merged with its template: what it found, and the bytes it made or the error."""

    stamp: tuple[int, int] | None
    """Size and modification time of the catalog the worker read; ``None``: there was none (a new one)."""
    output: Output | None = None
    """The merged catalog; ``None`` with an error."""
    stats: MergeStats = field(default_factory=MergeStats)
    error: I18nError | None = None
    charset: str = "UTF-8"
    """The charset the catalog was read in."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """What a worker made of one article: its template and its new or merged catalogs."""

    output: Output | None
    """The template; ``None``: it stays as it is (only its ``POT-Creation-Date`` would change)."""
    outcome: TemplateOutcome
    """The template's outcome, without its catalog (the parent makes it again from the article if needed)."""
    catalogs: Mapping[str, Made]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A source file read (and unless its digest was as recorded, parsed and rendered) by a worker."""

    vanished: bool = False
    digest: str = ""
    error: I18nError | None = None
    parsed: tuple[Parsed | SourceError, ...] | None = None
    rendered: tuple[Rendered | None, ...] = ()
    """One per item of ``parsed``: ``None`` for a :class:`SourceError`."""


@dataclass(frozen=True, slots=True)
class TemplateOutcome:
    catalog: Catalog | None
    digest: str
    written: bool
    existed: bool
    added: int
    removed: int
    dated: str | None = None


def render_template(path: Path, template: Catalog) -> tuple[TemplateOutcome, bytes | None]:
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
                return TemplateOutcome(dated, hashlib.sha1(data).hexdigest(), False, True, 0, 0, date), None
    data = format_catalog(template).encode("utf-8")
    digest = hashlib.sha1(data).hexdigest()
    added, removed = len(template.entries), 0
    if old is not None:
        with contextlib.suppress(I18nError):
            before = {e.identity for e in decode_catalog(old, path).active_entries}
            after = {e.identity for e in template.entries}
            added, removed = len(after - before), len(before - after)
    return TemplateOutcome(template, digest, True, old is not None, added, removed), data


@dataclass(frozen=True, slots=True)
class WorkerContext:
    """What a worker needs besides its jobs; inherited through ``fork``, never pickled."""

    root: str
    ws: Workspace
    settings: Settings
    created: str
    languages: tuple[Language, ...]
    index: ContentIndex
    dry_run: bool


_worker: WorkerContext | None = None


def init_worker(context: WorkerContext) -> None:
    global _worker
    _worker = context


def parse_again(ws: Workspace, parsed: Parsed) -> Article:
    """The article a worker parsed, parsed again from its source (which must not have changed since)."""
    data = ws.path(parsed.source).read_bytes()
    if hashlib.sha1(data).hexdigest() != parsed.digest:
        raise SourceError("the file changed during the run", path=parsed.source, hint="run the command again")
    article = (load_feed(data, parsed.source) if parsed.is_feed else [load_markdown(data, parsed.source)])[
        parsed.position]
    assert isinstance(article, Article)
    return article


def stat_of(path: str) -> os.stat_result | None:
    """The stat of ``path``, or ``None`` if there is no such file (a plain string: this runs for every file)."""
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def stamp_of(stat: os.stat_result | None) -> tuple[int, int] | None:
    return (stat.st_size, stat.st_mtime_ns) if stat is not None else None


def staged_files(prepared: Prepared) -> Iterator[str]:
    """The temporary files a worker staged for ``prepared``."""
    for rendered in prepared.rendered:
        outputs = [rendered.output, *(m.output for m in rendered.catalogs.values())] if rendered else []
        yield from (o.temp for o in outputs if o is not None and o.temp is not None)


def _abandon(pending: deque[Future[list[Prepared]]]) -> None:
    """Cancel chunks not started; remove the files staged by those that ran but will not be used."""
    for future in pending:
        future.cancel()
    for future in pending:
        if future.cancelled():
            continue
        with contextlib.suppress(Exception):
            for prepared in future.result():
                for temp in staged_files(prepared):
                    discard(temp)


def _output(context: WorkerContext, key: str, data: bytes) -> Output:
    """In a worker: whether ``data`` differs from the file ``key``, and if so the file staged for it."""
    path = f"{context.root}/{key}"
    if unchanged(path, data):
        return Output(False)
    if context.dry_run:
        return Output(True)
    try:
        context.ws.confined(key)
    except I18nError:
        return Output(True, data=data)  # this process refuses it, with the error
    return Output(True, temp=stage(path, data))


def _prepare_chunk(jobs: list[tuple[str, bool, str | None]]) -> list[Prepared]:
    """In a worker: :func:`_prepare` each ``(source, is_feed, digest to skip)``."""
    return [_prepare(rel, is_feed, skip) for rel, is_feed, skip in jobs]


def _prepare(rel: str, is_feed: bool, skip: str | None) -> Prepared:
    """In a worker: read a source; unless its digest is ``skip``, parse it and render its articles."""
    context = _worker
    assert context is not None
    try:
        data = Path(context.root, rel).read_bytes()
    except FileNotFoundError:
        return Prepared(vanished=True)
    digest = hashlib.sha1(data).hexdigest()
    if digest == skip:
        return Prepared(digest=digest)
    try:
        parsed = load_feed(data, rel) if is_feed else [load_markdown(data, rel)]
    except I18nError as error:
        return Prepared(digest=digest, error=error)
    rendered = tuple(_render(context, a) if isinstance(a, Article) else None for a in parsed)
    stubs = tuple(Parsed(a.id, a.year, rel, is_feed, i, digest) if isinstance(a, Article) else a
                  for i, a in enumerate(parsed))
    return Prepared(digest=digest, parsed=stubs, rendered=rendered)


def _render(context: WorkerContext, article: Article) -> Rendered:
    """In a worker: an article's template, and its catalog in each language merged with it.

    As :meth:`_Run._update_language` would: a catalog whose stamp says it was merged with this very
    template is left alone; a missing one is made (a catalog moved from another year is left to the parent).
    """
    key = context.ws.template_key(article.id, article.year)
    outcome, data = render_template(Path(context.root, key), article_template(article, context.settings,
                                                                                context.created))
    assert outcome.catalog is not None
    catalogs: dict[str, Made] = {}
    for language in context.languages:
        catalog_key = context.ws.catalog_key(language, article.id, article.year)
        path = f"{context.root}/{catalog_key}"
        stat = stat_of(path)
        if stat is not None and context.index.token(catalog_key, stat) == outcome.digest:
            continue
        if stat is not None and stat.st_size == 0:
            continue  # an emptied catalog: the parent asks the tracker whether it held translations
        try:
            old = read_catalog(Path(path)) if stat is not None else None
        except I18nError as error:
            catalogs[language.code] = Made(stamp_of(stat), error=error)
            continue
        merged, stats = merge(old, outcome.catalog, language, context.created)
        made = _output(context, catalog_key, format_catalog(merged).encode("utf-8"))
        catalogs[language.code] = Made(stamp_of(stat), made, stats,
                                        charset=old.charset if old is not None else "UTF-8")
    output = _output(context, key, data) if data is not None else None
    return Rendered(output, replace(outcome, catalog=None), catalogs)


def run_workers(context: WorkerContext, jobs: list[tuple[str, bool, str | None]], workers: int, chunk: int,
                staged: set[str]) -> Generator[Prepared, None, None]:
    """What ``workers`` forked processes make of ``jobs`` (sent ``chunk`` at a time), in order, as they come.

    The files they stage are added to ``staged`` as each chunk arrives (the caller commits or removes
    them); those of chunks never taken (the caller stopped early) are removed here. It stops early, with
    nothing more, if the workers cannot run (out of processes or memory): the caller does the rest itself.
    """
    pending: deque[Future[list[Prepared]]] = deque()
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=init_worker, initargs=(context,)) as pool:
            try:
                pending.extend(pool.submit(_prepare_chunk, jobs[i:i + chunk]) for i in range(0, len(jobs), chunk))
                while pending:
                    prepared = pending[0].result()
                    pending.popleft()
                    for item in prepared:  # all first: the run removes them if it stops midway
                        staged.update(staged_files(item))
                    yield from prepared
            finally:
                _abandon(pending)
    except (BrokenProcessPool, OSError):
        return  # no workers after all: the caller does the rest
