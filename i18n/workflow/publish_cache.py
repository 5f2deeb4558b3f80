"""The caches of ``i18n publish`` (``.i18n/publish/``, safe to delete): a mirror's last report, and the gate's
decision for each article, each kept with a digest of everything it depends on.

A mirror whose inputs (tracker, sources, templates, UI catalog, settings, output) are as they were after
its last run is answered from ``<mirror>.json`` without gating anything (:func:`stamp`); otherwise only
the articles whose own inputs changed are gated again (``<mirror>.articles.json``, :func:`article_inputs`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import itertools
import json
import marshal
import os
from collections.abc import Collection, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

from i18n import __version__
from i18n.core.atomic import write_atomic
from i18n.core.jsontext import COMPACT, EncodedJSON
from i18n.core.workspace import Workspace
from i18n.mirrors.gate import Blocked, BlockReason
from i18n.mirrors.outputs import Mirror, MirrorFormat, PublishItem
from i18n.workflow.status import reading

__all__ = ["CACHE_DIR", "CachedBlocked", "CachedReport", "Decision", "article_inputs", "cached_decisions",
           "cached_report", "publication_marks", "remember_decisions", "remember_report", "stamp"]

#: Where a mirror's last run is remembered (``.i18n/publish/<mirror>.json``): a cache, safe to delete.
CACHE_DIR = "publish"


_SOURCES: ContextVar[str | None] = ContextVar("i18n_publish_sources", default=None)


@contextlib.contextmanager
def sources_checked(token: str | None) -> Iterator[None]:
    """Within it, :func:`stamp` digests ``token`` (the run's source check found every source as its record
    says: :attr:`i18n.workflow.reconcile.ReconcileReport.sources`) instead of stat'ing each source again: at
    50,000 articles that is a fifth of a no-op publish. ``None``: each source is stat'ed."""
    reset = _SOURCES.set(token)
    try:
        yield
    finally:
        _SOURCES.reset(reset)


def stamp(workspace: Workspace, mirror: Mirror, today: dt.date) -> str:
    """A digest of everything a mirror's publication depends on; equal stamps give equal mirrors.

    Read with plain sqlite3 where possible (no SQLAlchemy, no PO parsing): the tracker's latest history,
    approval and publication ids for the mirror (and how many approvals were revoked), its articles, the
    source files' and site files' stats, the mirror's settings and what its output points at.
    """
    language = mirror.language.code
    parts: list[Any] = [__version__, repr(mirror), today.isoformat()]
    with reading(workspace) as snapshot:
        parts.append([list(r) for r in snapshot.rows(
            "SELECT MAX(id) FROM history WHERE language = :l", {"l": language})])
        parts.append([list(r) for r in snapshot.rows(
            "SELECT MAX(id), COUNT(revoked_at) FROM approvals WHERE language = :l", {"l": language})])
        parts.append([list(r) for r in snapshot.rows(
            "SELECT MAX(id) FROM publications WHERE mirror = :m", {"m": mirror.name})])
        articles = snapshot.rows("SELECT id, date, source_path, source_hash FROM articles "
                                 "WHERE removed = :no ORDER BY id", {"no": False})
    digest = hashlib.sha256()
    files: set[str] = set()
    for article_id, date, source, source_hash in articles:
        digest.update(f"{article_id}\t{date}\t{source}\t{source_hash}\n".encode())
        files.add(str(source))
    parts.append(digest.hexdigest())
    root = str(workspace.root)
    stats: list[tuple[str, int, int]] = []
    checked = _SOURCES.get()  # this run's source check found every source as recorded: its token stands for them
    for name in sorted(files) if checked is None else ():
        try:
            stat = os.stat(f"{root}/{name}")
            stats.append((name, stat.st_size, stat.st_mtime_ns))
        except OSError:
            stats.append((name, -1, -1))
    parts.append(checked)
    ui = workspace.ui_catalog_path(mirror.language)
    for path in [ui, *(sorted(workspace.site_templates.rglob("*")) if mirror.format is MirrorFormat.HTML else ())]:
        try:
            stat = path.stat()
            stats.append((str(path), stat.st_size, stat.st_mtime_ns))
        except OSError:
            stats.append((str(path), -1, -1))
    # marshal, not json: a third of the time on 50,000 stats (format 2 writes the same values as the same bytes)
    parts.append(hashlib.sha256(marshal.dumps(stats, 2)).hexdigest())
    output = mirror.output
    try:
        target = os.readlink(output)
        manifest = os.stat(output / mirror.manifest_name)
        parts.append([target, manifest.st_size, manifest.st_mtime_ns])
    except OSError:
        parts.append(None)
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _cache_path(workspace: Workspace, mirror: Mirror) -> Path:
    return workspace.state_dir / CACHE_DIR / f"{mirror.name}.json"


#: The format of ``<mirror>.json``; a file of another format (or none, or a damaged one) means a full run.
_REPORT_VERSION = 2
_REASONS = {reason.value: reason for reason in BlockReason}


@dataclass(frozen=True, slots=True)
class CachedReport:
    """A mirror's last report as stored: its ``--json`` object but for ``blocked``, and the blocked list."""

    report: dict[str, Any]
    blocked: CachedBlocked


class CachedBlocked(Sequence[Blocked]):
    """The blocked articles of a report answered from the cache, kept as the JSON text the cache holds.

    The cache stores the list as ``--json`` writes it, and the article, reason and end of each item in it:
    ``len()`` and :attr:`heads` are cheap, an item is decoded only when read (the text renderer reads them
    all, one by one), and :meth:`encoded` hands the text on as it is (``--json``). At 45,000 blocked
    articles the list with its English texts is 92 MB, which took seconds and half a gigabyte to decode
    into :class:`Blocked` values and encode again.
    """

    __slots__ = ("_ends", "_text", "heads")

    def __init__(self, text: bytes, heads: tuple[tuple[str, BlockReason], ...], ends: Sequence[int]) -> None:
        self._text = text
        self._ends = ends
        self.heads = heads
        """Each item's article and reason, in order."""

    def __len__(self) -> int:
        return len(self.heads)

    @overload
    def __getitem__(self, index: int) -> Blocked: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Blocked, ...]: ...

    def __getitem__(self, index: int | slice) -> Blocked | tuple[Blocked, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        index = range(len(self))[index]  # negative indices; IndexError past the end
        start = self._ends[index - 1] + 2 if index else 1  # items are separated by ", " inside "[...]"
        return Blocked.from_json(json.loads(self._text[start:self._ends[index]]))

    def __iter__(self) -> Iterator[Blocked]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))  # equal to the tuple of its items, so hashed like it

    def __repr__(self) -> str:
        return f"<CachedBlocked: {len(self)} articles>"

    def to_json(self) -> list[dict[str, Any]]:
        """The list as plain JSON values (as ``[b.to_json() for b in self]``, without the dataclasses)."""
        return list(json.loads(self._text))

    def encoded(self) -> EncodedJSON:
        """The list as the JSON text ``--json`` writes (:data:`i18n.core.jsontext.COMPACT`), to write as it is."""
        return EncodedJSON(self._text)


def cached_report(workspace: Workspace, mirror: Mirror, stamp: str) -> CachedReport | None:
    """The mirror's last report as stored, if nothing it depends on changed since (``None``: publish afresh).

    The file is a header line (format, stamp, the report but for ``blocked``, and each blocked item's
    article, reason and end offset), then the blocked list as ``--json`` writes it, on one line with no
    newline after it. The list is read only when the stamp matches, and it is not decoded here
    (:class:`CachedBlocked`). A damaged file, or one of another format, reads as none.
    """
    try:
        with _cache_path(workspace, mirror).open("rb", buffering=0) as file:
            header = json.loads(_first_line(file))
            if (not isinstance(header, dict) or header.get("version") != _REPORT_VERSION
                    or header.get("stamp") != stamp):
                return None
            text = file.readall()  # one allocation the size of the rest (a buffered read() would join two)
        heads = header["blocked"]
        ends = list(heads["ends"])
        if text[:1] != b"[" or text[-1:] != b"]" or (ends[-1] if ends else 1) != len(text) - 1:
            return None  # cut short, or not the list the header describes
        items = tuple(zip(map(str, heads["articles"]), map(_REASONS.__getitem__, heads["reasons"]), strict=True))
        if len(items) != len(ends):
            return None
        return CachedReport(dict(header["report"]), CachedBlocked(text, items, ends))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _first_line(file: io.RawIOBase) -> bytes:
    """The file's first line (without its newline), the file left just after it (an old format: all of it)."""
    chunks: list[bytes] = []
    while chunk := file.read(1 << 16):
        end = chunk.find(b"\n")
        if end >= 0:
            chunks.append(chunk[:end])
            file.seek(end + 1 - len(chunk), os.SEEK_CUR)
            break
        chunks.append(chunk)
    return b"".join(chunks)


def remember_report(workspace: Workspace, mirror: Mirror, stamp: str, report: dict[str, Any]) -> None:
    """Store the mirror's report (its ``--json`` shape) with the stamp it was made under (see :func:`cached_report`)."""
    blocked = report["blocked"]
    items = [COMPACT.encode(item).encode("utf-8") for item in blocked]
    ends = list(itertools.accumulate((2 + len(item) for item in items), initial=-1))[1:]
    header = {"version": _REPORT_VERSION, "stamp": stamp, "report": {k: v for k, v in report.items() if k != "blocked"},
              "blocked": {"articles": [b["article"] for b in blocked], "reasons": [b["reason"] for b in blocked],
                          "ends": ends}}
    path = _cache_path(workspace, mirror)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, b"".join((json.dumps(header).encode("utf-8"), b"\n[", b", ".join(items), b"]")))


# -- the per-article cache ---------------------------------------------------------------------------------

#: Per-article gate decisions of a mirror's last run (``.i18n/publish/<mirror>.articles.json``): a cache.
_DECISIONS_VERSION = 1


@dataclass(frozen=True, slots=True)
class Decision:
    """What the gate decided for one article, and a digest of everything that decision depends on."""

    inputs: str
    decision: PublishItem | Blocked


def article_inputs(workspace: Workspace, mirror: Mirror, ids: Sequence[str]) -> dict[str, str]:
    """A digest per article of everything the gate reads for it on ``mirror`` (equal digests, equal decisions).

    The mirror's settings and the tool's version; the article's tracker row (date, source file, source
    hash); its current entries (how many, the newest id); in the mirror's language its entry states (how
    many, the latest change), history (the newest record: every state change, edit and import writes one),
    approvals (the newest, and how many were revoked: a rejection revokes without adding one); and its
    source file's size and modification time. Read with grouped queries, one per table, so that a change
    to one article changes only its digest. The publication log (a withdrawal by hand) is
    :func:`publication_marks`.
    """
    language = {"l": mirror.language.code}
    by_article: dict[str, list[Any]] = {a: [] for a in ids}

    def collect(sql: str, params: dict[str, Any]) -> None:
        found = {str(row[0]): [str(v) for v in row[1:]] for row in snapshot.rows(sql, params)}
        for article, parts in by_article.items():
            parts.append(found.get(article))

    with reading(workspace) as snapshot:
        collect("SELECT id, date, source_path, source_hash FROM articles WHERE removed = :no", {"no": False})
        collect("SELECT article_id, COUNT(*), MAX(id) FROM entries WHERE removed = :no GROUP BY article_id",
                {"no": False})
        collect("SELECT e.article_id, COUNT(*), MAX(s.changed_at) FROM entry_states s "
                "JOIN entries e ON e.id = s.entry_id WHERE s.language = :l GROUP BY e.article_id", language)
        collect("SELECT e.article_id, MAX(h.id) FROM history h JOIN entries e ON e.id = h.entry_id "
                "WHERE h.language = :l GROUP BY e.article_id", language)
        collect("SELECT e.article_id, MAX(a.id), COUNT(a.revoked_at) FROM approvals a "
                "JOIN entries e ON e.id = a.entry_id WHERE a.language = :l GROUP BY e.article_id", language)
    root = str(workspace.root)
    stats: dict[str, tuple[int, int]] = {}
    common = json.dumps([_DECISIONS_VERSION, __version__, repr(mirror)])
    digests: dict[str, str] = {}
    for article, parts in by_article.items():
        source = parts[0][1] if parts[0] else ""
        if source not in stats:
            try:
                stat = os.stat(f"{root}/{source}")
                stats[source] = (stat.st_size, stat.st_mtime_ns)
            except OSError:
                stats[source] = (-1, -1)
        parts.append(stats[source])
        digests[article] = hashlib.sha256(f"{common}\t{article}\t{json.dumps(parts)}".encode()).hexdigest()
    return digests


def _decisions_path(workspace: Workspace, mirror: Mirror) -> Path:
    return workspace.state_dir / CACHE_DIR / f"{mirror.name}.articles.json"


def cached_decisions(workspace: Workspace, mirror: Mirror) -> dict[str, Decision]:
    """The gate decisions of the mirror's last run (none when the cache is missing or damaged)."""
    try:
        data = json.loads(_decisions_path(workspace, mirror).read_text(encoding="utf-8"))
        if data.get("version") != _DECISIONS_VERSION:
            return {}
        found: dict[str, Decision] = {}
        for article, entry in data["articles"].items():
            decision: PublishItem | Blocked = (PublishItem.from_json(entry["item"]) if "item" in entry
                                               else Blocked.from_json(entry["blocked"]))
            owner = decision.article.id if isinstance(decision, PublishItem) else decision.article
            if owner != article:
                continue
            found[article] = Decision(str(entry["inputs"]), decision)
        return found
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def publication_marks(workspace: Workspace, mirror: Mirror) -> dict[str, str]:
    """The newest publication record of each article on ``mirror`` (a withdrawal by hand changes a decision)."""
    with reading(workspace) as snapshot:
        rows = snapshot.rows("SELECT article_id, MAX(id) FROM publications WHERE mirror = :m GROUP BY article_id",
                             {"m": mirror.name})
    return {str(article): str(mark) for article, mark in rows}


def remember_decisions(workspace: Workspace, mirror: Mirror, marks: dict[str, str], written: Collection[str],
                        decisions: dict[str, tuple[str, PublishItem | Blocked]]) -> None:
    """Store this run's gate decisions, keyed by the inputs they were gated on and the publication log after
    this run's records (``written``: the articles this run logged; any other change to the log since
    ``marks`` was read drops the decision)."""
    after = publication_marks(workspace, mirror)
    articles: dict[str, Any] = {}
    for article, (inputs, decision) in decisions.items():
        if article not in written and after.get(article) != marks.get(article):
            continue
        articles[article] = {"inputs": f"{inputs}:{after.get(article)}", **(
            {"item": decision.to_json()} if isinstance(decision, PublishItem) else {"blocked": decision.to_json()})}
    path = _decisions_path(workspace, mirror)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps({"version": _DECISIONS_VERSION, "articles": articles},
                                  ensure_ascii=False).encode("utf-8"), durable=False)
