"""Recording a catalog: the file index, an entry's states, approvals, summary and history, in plain SQL.

What reconciliation runs for every catalog a translator changed (and what ``sync``, ``pretranslate`` and
the review commands share with it), written once in SQL that SQLite and PostgreSQL both run
(:mod:`i18n.tracker.sql`). Each function takes a :class:`~i18n.tracker.sql.Sql` or an SQLAlchemy session
(run in its transaction) and never commits: the caller's transaction holds the states, the summary and
the file stamps that describe them together. Importing this module does not import SQLAlchemy, so that
recording one edit on the embedded tracker does not pay for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from i18n.core.forms import decode_forms, encode_forms, forms_hash, text_hash
from i18n.core.states import ChangeReason, State
from i18n.tracker.snapshot import summary_column
from i18n.tracker.sql import Sql, as_sql, chunked, in_list

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    Db = Sql | Session

#: The actor of changes nobody typed: a source change merged by ``i18n sync``, an entry removed.
SYSTEM_ACTOR = "i18n"


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """An article as its template describes it."""

    id: str
    date: dt.date | None
    source_path: str
    source_hash: str


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """A template entry: its key, context, source text and word count."""

    key: str
    msgctxt: str | None
    source: str
    words: int


@dataclass(frozen=True, slots=True)
class TrackedEntry:
    """An entry of an article, as the tracker knows it."""

    id: int
    key: str
    source: str
    source_hash: str
    words: int = 0
    """Its word count (read only by the tracker build, for summaries: 0 where not read)."""


@dataclass(frozen=True, slots=True)
class TrackedState:
    """An entry's recorded state in one language."""

    entry_id: int
    state: State
    translation_hash: str | None
    source_hash: str
    origin: str


@dataclass(frozen=True, slots=True)
class Approval:
    """A reviewer's approval of exactly this source and translation (its forms: one per plural form)."""

    entry_id: int
    language: str
    source: str
    forms: tuple[str, ...]
    approved_by: str
    approved_at: dt.datetime

    @property
    def source_hash(self) -> str:
        return text_hash(self.source)

    @property
    def translation_hash(self) -> str:
        return forms_hash(self.forms)


@dataclass(frozen=True, slots=True)
class StateChange:
    """A new state of one entry in one language, and why; recorded with a history record."""

    entry_id: int
    language: str
    state: State
    before: State | None
    translation_hash: str | None
    source_hash: str
    origin: str
    actor: str
    reason: ChangeReason
    at: dt.datetime
    previous_source: str | None = None


@dataclass(frozen=True, slots=True)
class FileStamp:
    """A file as reconciliation last saw it: size, mtime (ns) and content digest."""

    path: str
    size: int
    mtime_ns: int
    digest: str


# The file index --------------------------------------------------------------------------------------


def file_stamps(db: Db, clone: str, folders: Collection[str] | None = None) -> dict[str, FileStamp]:
    """The file index of ``clone`` (only of the files directly in ``folders``, if given), by relative path."""
    sql = as_sql(db)
    query = "SELECT path, size, mtime_ns, digest FROM files WHERE clone = :clone"
    if folders is None:
        rows = sql.rows(query, {"clone": clone})
    else:
        rows = []
        for folder in sorted(folders):  # the folder's files and its subfolders' (left out below)
            # On SQLite (binary collation) a range of the primary key; a server's collation may not sort
            # "/" before "0", so there a LIKE of the escaped prefix.
            if sql.dialect == "sqlite":
                rows += sql.rows(query + " AND path > :low AND path < :high",
                                 {"clone": clone, "low": f"{folder}/", "high": f"{folder}0"})
            else:
                escaped = folder.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                rows += sql.rows(query + " AND path LIKE :prefix ESCAPE '\\'",
                                 {"clone": clone, "prefix": escaped + "/%"})
    return {path: FileStamp(path, size, mtime, digest) for path, size, mtime, digest in rows
            if folders is None or path.rsplit("/", 1)[0] in folders}


def save_stamps(db: Db, clone: str, stamps: Iterable[FileStamp]) -> None:
    """Record files as seen (insert or replace)."""
    as_sql(db).many(
        "INSERT INTO files (clone, path, size, mtime_ns, digest) VALUES (:clone, :path, :size, :mtime_ns, :digest) "
        "ON CONFLICT (clone, path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, "
        "digest = excluded.digest",
        [{"clone": clone, "path": s.path, "size": s.size, "mtime_ns": s.mtime_ns, "digest": s.digest}
         for s in stamps])


def folder_digests(db: Db, clone: str) -> dict[str, str]:
    """The digest of each folder of ``clone``'s file index (see :func:`save_folders`)."""
    return {str(path): str(digest) for path, digest in as_sql(db).rows(
        "SELECT path, digest FROM folders WHERE clone = :clone", {"clone": clone})}


def save_folders(db: Db, clone: str, digests: Mapping[str, str], scope: Collection[str] | None = None) -> None:
    """Replace the folder digests of ``clone`` (only those of the folders in ``scope``, if given)."""
    sql = as_sql(db)
    if scope is None:
        sql.run("DELETE FROM folders WHERE clone = :clone", {"clone": clone})
    else:
        digests = {folder: digest for folder, digest in digests.items() if folder in scope}
        for chunk in chunked(sorted(scope)):
            listed, params = in_list(chunk)
            sql.run(f"DELETE FROM folders WHERE clone = :clone AND path IN {listed}", {"clone": clone, **params})
    sql.many("INSERT INTO folders (clone, path, digest) VALUES (:clone, :path, :digest)",
             [{"clone": clone, "path": path, "digest": digest} for path, digest in digests.items()])


def forget_stamps(db: Db, clone: str, paths: Iterable[str]) -> None:
    """Drop files from the index (they are gone)."""
    sql = as_sql(db)
    for chunk in chunked(list(paths)):
        listed, params = in_list(chunk)
        sql.run(f"DELETE FROM files WHERE clone = :clone AND path IN {listed}", {"clone": clone, **params})


# An article's entries and a catalog's states ---------------------------------------------------------


def article_exists(db: Db, article_id: str) -> bool:
    return bool(as_sql(db).rows("SELECT 1 FROM articles WHERE id = :id", {"id": article_id}))


def article_entries(db: Db, article_id: str) -> dict[str, TrackedEntry]:
    """The article's current (not removed) entries, by key."""
    rows = as_sql(db).rows(
        'SELECT id, "key", source, source_hash FROM entries WHERE article_id = :article AND removed = :no '
        'ORDER BY "position"', {"article": article_id, "no": False})
    return {key: TrackedEntry(entry_id, key, source, digest) for entry_id, key, source, digest in rows}


def lock_catalog(db: Db, article_id: str, language: str, path: str) -> None:
    """Create the catalog's row if needed and hold its lock: concurrent reconciles of it serialise.

    On SQLite the transaction's ``BEGIN IMMEDIATE`` is the lock; on a server, the row's ``FOR UPDATE``.
    """
    sql = as_sql(db)
    counts = {summary_column(prefix, state): 0 for prefix in ("n", "w") for state in State}
    columns = ", ".join(counts)
    key = {"article": article_id, "language": language}
    sql.run(f"INSERT INTO catalogs (article_id, language, path, state, {columns}) "
            f"VALUES (:article, :language, :path, :state, {', '.join(':' + c for c in counts)}) "
            "ON CONFLICT (article_id, language) DO NOTHING",
            {**key, "path": path, "state": State.UNTRANSLATED, **counts})
    if sql.dialect != "sqlite":
        sql.rows("SELECT path FROM catalogs WHERE article_id = :article AND language = :language FOR UPDATE", key)
    sql.run("UPDATE catalogs SET path = :path WHERE article_id = :article AND language = :language "
            "AND path <> :path", {**key, "path": path})


def catalog_states(db: Db, article_id: str, language: str) -> dict[str, TrackedState]:
    """Recorded states of the article's entries (removed ones too) in ``language``, by entry key."""
    rows = as_sql(db).rows(
        'SELECT e."key", s.entry_id, s.state, s.translation_hash, s.source_hash, s.origin '
        "FROM entry_states s JOIN entries e ON e.id = s.entry_id "
        "WHERE e.article_id = :article AND s.language = :language", {"article": article_id, "language": language})
    return {key: TrackedState(entry_id, State(state), translation, source, origin)
            for key, entry_id, state, translation, source, origin in rows}


def approvals(db: Db, article_id: str, language: str) -> dict[int, tuple[Approval, ...]]:
    """Every standing (not revoked) approval of the article's entries in ``language``, by entry id, oldest
    first."""
    sql = as_sql(db)
    rows = sql.rows(
        "SELECT a.entry_id, a.source, a.translation, a.approved_by, a.approved_at "
        "FROM approvals a JOIN entries e ON e.id = a.entry_id "
        "WHERE e.article_id = :article AND a.language = :language AND a.revoked_at IS NULL ORDER BY a.id",
        {"article": article_id, "language": language})
    found: dict[int, list[Approval]] = {}
    for entry_id, source, translation, by, at in rows:
        found.setdefault(entry_id, []).append(
            Approval(entry_id, language, source, decode_forms(translation), by, sql.datetime(at)))
    return {entry_id: tuple(items) for entry_id, items in found.items()}


def record_carried_approvals(db: Db, carried: Sequence[Approval]) -> None:
    """Record approvals carried over a typography-only source correction (``i18n.workflow.changes.carried_approvals``).

    Each keeps its reviewer and time: carrying is not a new verdict, so it neither re-approves an article
    withdrawn by hand nor changes who is credited.
    """
    as_sql(db).many(
        "INSERT INTO approvals (entry_id, language, source, translation, source_hash, translation_hash, "
        "approved_by, approved_at) VALUES (:entry_id, :language, :source, :translation, :source_hash, "
        ":translation_hash, :approved_by, :approved_at)",
        [{"entry_id": a.entry_id, "language": a.language, "source": a.source, "translation": encode_forms(a.forms),
          "source_hash": a.source_hash, "translation_hash": a.translation_hash, "approved_by": a.approved_by,
          "approved_at": a.approved_at} for a in carried])


def drafts_on_record(db: Db, target: str, texts: Iterable[str]) -> dict[str, set[str]]:
    """Every draft on record (any engine) of those of ``texts`` that have one, in language ``target``: what
    decides whether a ``# machine:`` entry's text is still an engine's (:func:`i18n.core.states.drafted_state`)."""
    sql = as_sql(db)
    wanted = {text_hash(text): text for text in texts}
    found: dict[str, set[str]] = {}
    for chunk in chunked(list(wanted)):
        listed, params = in_list(chunk)
        for digest, text, draft in sql.rows(
                f"SELECT source_hash, source, draft FROM machine_drafts WHERE target_language = :target "
                f"AND source_hash IN {listed}", {"target": target, **params}):
            if wanted.get(digest) == text:
                found.setdefault(text, set()).add(draft)
    return found


_UPDATED = ("state", "translation_hash", "source_hash", "origin", "changed_by", "changed_at", "previous_source")


def apply_changes(db: Db, changes: Sequence[StateChange]) -> None:
    """Record new states (insert or replace) and append one history record per change."""
    if not changes:
        return
    sql = as_sql(db)
    sql.many(
        "INSERT INTO entry_states (entry_id, language, state, translation_hash, source_hash, origin, changed_by, "
        "changed_at, previous_source) VALUES (:entry_id, :language, :state, :translation_hash, :source_hash, "
        ":origin, :changed_by, :changed_at, :previous_source) ON CONFLICT (entry_id, language) DO UPDATE SET "
        + ", ".join(f"{name} = excluded.{name}" for name in _UPDATED),
        [{"entry_id": c.entry_id, "language": c.language, "state": c.state, "translation_hash": c.translation_hash,
          "source_hash": c.source_hash, "origin": c.origin, "changed_by": c.actor, "changed_at": c.at,
          "previous_source": c.previous_source} for c in changes])
    sql.many(
        'INSERT INTO history (entry_id, language, actor, "at", reason, "before", "after", translation_hash) '
        "VALUES (:entry_id, :language, :actor, :at, :reason, :before, :after, :translation_hash)",
        [{"entry_id": c.entry_id, "language": c.language, "actor": c.actor, "at": c.at, "reason": c.reason,
          "before": c.before, "after": c.state, "translation_hash": c.translation_hash} for c in changes])


def summary_values(counts: Mapping[State, Sequence[int]]) -> dict[str, Any]:
    """A catalog's summary columns from ``[entries, words]`` per state (the worst state among those held)."""
    values: dict[str, Any] = {"state": State.worst([s for s, (n, _) in counts.items() if n > 0])}
    for state in State:
        n, w = counts.get(state, (0, 0))
        values[summary_column("n", state)] = n
        values[summary_column("w", state)] = w
    return values


def refresh_summary(db: Db, article_id: str, language: str) -> None:
    """Recount a catalog's summary from its entry states (entries without a state are untranslated)."""
    sql = as_sql(db)
    found = sql.rows("SELECT entries, words FROM articles WHERE id = :article", {"article": article_id})
    entries, words = found[0]
    counts: dict[State, list[int]] = {state: [0, 0] for state in State}
    for name, count, word_count in sql.rows(
            "SELECT s.state, count(*), coalesce(sum(e.words), 0) FROM entry_states s "
            "JOIN entries e ON e.id = s.entry_id WHERE e.article_id = :article AND e.removed = :no "
            "AND s.language = :language GROUP BY s.state", {"article": article_id, "language": language, "no": False}):
        if State(name) is not State.UNTRANSLATED:
            counts[State(name)] = [int(count), int(word_count)]
    counts[State.UNTRANSLATED] = [entries - sum(c[0] for c in counts.values()),
                                  words - sum(c[1] for c in counts.values())]
    values = summary_values(counts)
    sql.run("UPDATE catalogs SET " + ", ".join(f"{column} = :{column}" for column in values)
            + " WHERE article_id = :article AND language = :language",
            {**values, "article": article_id, "language": language})


def earlier_translations(db: Db, entry_ids: Collection[int], language: str) -> dict[int, set[str]]:
    """Every translation hash the history records for these entries in ``language``, by entry id: the texts
    each entry has had (to tell an older copy of a catalog from an edit)."""
    sql = as_sql(db)
    found: dict[int, set[str]] = {}
    for chunk in chunked(sorted(entry_ids)):
        listed, params = in_list(chunk)
        for entry_id, digest in sql.rows(
                f"SELECT DISTINCT entry_id, translation_hash FROM history WHERE entry_id IN {listed} "
                "AND language = :language AND translation_hash IS NOT NULL", {"language": language, **params}):
            found.setdefault(entry_id, set()).add(digest)
    return found
