"""The publishing gate: which articles a mirror may show, in which approved version, and why not the others.

An article may go on a mirror of language L when each of its current entries has an approved translation
in L that the gate can serve (see ``workflow.md``, "Publishing to mirrors"):

1. **approved**: the entry's state is ``approved``: its current translation, as approved;
2. **last approved**: the entry's current source was approved, but a translator edited the text since
   (the state is ``translated`` or ``needs-work`` again): the latest approved translation of that source
   is served until the new text is approved, under either policy (an edit is not a source change);
3. **source changed**: no approval matches the entry's current source, but its predecessor was approved
   (the same key with an older source, e.g. a corrected title, or the entry ``#| msgid`` names, e.g. a
   corrected paragraph): under ``on_source_change = "keep"`` the predecessor's latest approved
   translation is served; under ``"withdraw"`` the article is blocked (``source-changed``);
4. anything else (an entry never approved, e.g. a paragraph added to the source) blocks the article
   (``not-approved``), listing each such entry and its state.

The texts are assembled into the article (:func:`i18n.content.assemble.assemble`) with the current English
source; an approved text that would break the article's Markdown blocks it (``check-errors``). Quality
checks are not run again: approving an entry is the reviewer's verdict on its check results, and an
entry that is not approved already blocks its article. An article withdrawn by hand
(``i18n publish --withdraw``) stays off the mirror until one of its entries is approved again or it is
restored (``i18n publish --restore``, which passes no withdrawal to the gate).

The version of an article is a hash of the texts served, in entry order, so a new approval of the same
text is not a new version; translators are the people credited with edits of the served entries in
the tracker's history, reviewers the people whose approvals are served.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from i18n.catalogs.catalog import entry_key
from i18n.content.articles import Article, load_feed, load_markdown
from i18n.content.assemble import Gap, IncompleteTranslation, assemble
from i18n.core.errors import I18nError
from i18n.core.states import State
from i18n.core.workspace import Workspace
from i18n.mirrors.config import Mirror, SourceChangePolicy
from i18n.mirrors.items import LiveVersion, PublicationAction, PublishItem, ServedText

if TYPE_CHECKING:
    from i18n.tracker.queries.publishing import GateEntry, PublicationRecord
    from i18n.tracker.queries.recording import Approval

__all__ = ["BlockReason", "Blocked", "BlockedEntry", "GateInput", "Kept", "gate_article", "keep_live",
           "load_sources"]


class BlockReason(enum.Enum):
    """Why an article is not on a mirror."""

    NOT_DUE = "not-due"
    """Its date (plus the mirror's embargo) has not come yet in the mirror's time zone."""
    NOT_APPROVED = "not-approved"
    """Some entries have no approved translation (``entries`` lists them with their states)."""
    SOURCE_CHANGED = "source-changed"
    """The English source changed after approval and the mirror's policy is ``withdraw``."""
    CHECK_ERRORS = "check-errors"
    """An approved text cannot be published as it is (it would break the article's Markdown)."""
    WITHDRAWN = "withdrawn"
    """Withdrawn by hand (``i18n publish --withdraw``) and not approved again since."""
    SOURCE_ERROR = "source-error"
    """The English source cannot be read (the message says why)."""


@dataclass(frozen=True, slots=True)
class BlockedEntry:
    """An entry that keeps its article off a mirror, and its state (or ``breaks-markdown``)."""

    key: str
    msgctxt: str | None
    msgid: str
    state: str

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "msgctxt": self.msgctxt, "msgid": self.msgid, "state": self.state}


@dataclass(frozen=True, slots=True)
class Blocked:
    """An article kept off a mirror, and why."""

    article: str
    reason: BlockReason
    due: dt.date | None = None
    entries: tuple[BlockedEntry, ...] = ()
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"article": self.article, "reason": self.reason.value,
                "due": self.due.isoformat() if self.due else None,
                "entries": [e.to_json() for e in self.entries], "message": self.message}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Blocked:
        return cls(str(data["article"]), BlockReason(data["reason"]),
                   dt.date.fromisoformat(data["due"]) if data.get("due") else None,
                   tuple(BlockedEntry(str(e["key"]), e.get("msgctxt"), str(e["msgid"]), str(e["state"]))
                         for e in data.get("entries", ())), str(data.get("message", "")))


@dataclass(frozen=True, slots=True)
class GateInput:
    """What the tracker knows of one article in the mirror's language."""

    article: Article
    entries: Sequence[GateEntry]
    approvals: Mapping[str, Sequence[Approval]]
    """Every approval by entry key, oldest first (keys of removed entries too)."""
    translators: Mapping[int, Sequence[tuple[str, dt.datetime]]]
    """Who edited each entry (by entry id), and when."""
    last_publication: PublicationRecord | None = None
    last_approval: dt.datetime | None = None


class _Served(enum.Enum):
    APPROVED = "approved"
    EDITED = "edited"
    SOURCE_CHANGED = "source-changed"


def gate_article(mirror: Mirror, data: GateInput) -> PublishItem | Blocked:
    """The version of ``data.article`` that ``mirror`` may show, or why it may show none (see the module)."""
    from i18n.tracker.queries.recording import SYSTEM_ACTOR  # lazy: SQLAlchemy stays out of the cached no-op publish

    article = data.article
    last = data.last_publication
    if (last is not None and last.action == PublicationAction.WITHDRAWN and last.actor != SYSTEM_ACTOR
            and (data.last_approval is None or data.last_approval <= last.at)):
        return Blocked(article.id, BlockReason.WITHDRAWN,
                       message=f"withdrawn by {last.actor} on {last.at:%Y-%m-%d}; 'i18n publish --restore "
                               f"{article.id}' brings it back")
    texts: dict[str, str] = {}
    missing: list[BlockedEntry] = []
    changed: list[BlockedEntry] = []
    reviewers: list[str] = []
    translators: list[str] = []
    served: list[ServedText] = []
    for entry in data.entries:
        chosen, how = _approval_for(entry, data.approvals)
        if chosen is None:
            missing.append(BlockedEntry(entry.key, entry.msgctxt, entry.source, entry.state.value))
            continue
        if how is _Served.SOURCE_CHANGED:
            changed.append(BlockedEntry(entry.key, entry.msgctxt, entry.source, entry.state.value))
        texts[entry.key] = chosen.forms[0]
        served.append(ServedText(entry.key, chosen.source_hash, chosen.translation_hash))
        if chosen.approved_by not in reviewers:
            reviewers.append(chosen.approved_by)
        for person, at in data.translators.get(chosen.entry_id, ()):
            # Credit the text served: edits made after its approval are not in it.
            if at <= chosen.approved_at and person not in translators:
                translators.append(person)
    if missing:
        return Blocked(article.id, BlockReason.NOT_APPROVED, entries=tuple(missing))
    if changed and mirror.on_source_change is SourceChangePolicy.WITHDRAW:
        return Blocked(article.id, BlockReason.SOURCE_CHANGED, entries=tuple(changed))
    try:
        translated = assemble(article, mirror.language.code, texts)
    except IncompleteTranslation as exc:
        entries = tuple(BlockedEntry(m.key, m.msgctxt, m.msgid, m.gap.value) for m in exc.missing)
        reason = (BlockReason.CHECK_ERRORS if any(m.gap is Gap.BREAKS_MARKDOWN for m in exc.missing)
                  else BlockReason.NOT_APPROVED)
        return Blocked(article.id, reason, entries=entries)
    # The texts in entry order: a paragraph whose key changed with its source but whose approved text is
    # the same is the same version.
    version = hashlib.sha256(json.dumps(list(texts.values()), ensure_ascii=False).encode("utf-8")).hexdigest()
    return PublishItem(translated, version=version[:16], translators=tuple(translators),
                       reviewers=tuple(reviewers), served=tuple(served))


@dataclass(frozen=True, slots=True)
class Kept:
    """An article whose changed source cannot be published yet, so the mirror keeps its live version."""

    article: str
    live_since: dt.date
    """When the version the mirror keeps showing went live there."""
    reason: BlockReason
    """Why the current source cannot be published (``not-approved`` or ``check-errors``)."""
    entries: tuple[BlockedEntry, ...] = ()

    @property
    def message(self) -> str:
        return f"kept: live version of {self.live_since.isoformat()} until the new source is approved"

    def to_json(self) -> dict[str, Any]:
        return {"article": self.article, "live_since": self.live_since.isoformat(), "reason": self.reason.value,
                "entries": [e.to_json() for e in self.entries], "message": self.message}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Kept:
        return cls(str(data["article"]), dt.date.fromisoformat(data["live_since"]), BlockReason(data["reason"]),
                   tuple(BlockedEntry(str(e["key"]), e.get("msgctxt"), str(e["msgid"]), str(e["state"]))
                         for e in data.get("entries", ())))


#: What a changed source may block on while ``keep`` still shows the published version.
_KEEPABLE = (BlockReason.NOT_APPROVED, BlockReason.CHECK_ERRORS)


def keep_live(mirror: Mirror, article: Article, blocked: Blocked, live: LiveVersion | None,
              approvals: Mapping[str, Sequence[Approval]]) -> tuple[PublishItem, Kept] | None:
    """The live version to keep showing instead of withdrawing ``article``, or ``None`` (then it is withdrawn).

    Under ``on_source_change = "keep"`` an article the mirror shows whose English source changed since
    that version was published (a paragraph added, removed or rewritten, a new title or credits) keeps
    its published version until the current source can be published, provided every approval it shows
    still stands (a rejection revokes an approval: the rejected text is never kept). Under ``withdraw``,
    for an article not on the mirror, or one blocked for another reason, nothing is kept.
    """
    if (mirror.on_source_change is not SourceChangePolicy.KEEP or live is None
            or blocked.reason not in _KEEPABLE or live.item.article.source_digest == article.digest
            or not live.item.served):
        return None
    for text in live.item.served:
        if not any(a.source_hash == text.source_hash and a.translation_hash == text.translation_hash
                   for a in approvals.get(text.key, ())):
            return None
    since = dt.date.fromisoformat(live.updated_at[:10])
    return live.item, Kept(article.id, since, blocked.reason, blocked.entries)


def _approval_for(entry: GateEntry, approvals: Mapping[str, Sequence[Approval]]
                  ) -> tuple[Approval | None, _Served]:
    """The approval whose translation is served for ``entry``, and which rule chose it."""
    own = approvals.get(entry.key, ())
    matching = [a for a in own if a.source_hash == entry.source_hash]
    if entry.state is State.APPROVED:
        exact = [a for a in matching if a.translation_hash == entry.translation_hash]
        if exact:
            return exact[-1], _Served.APPROVED
    if matching:
        return matching[-1], _Served.EDITED
    earlier = list(own)
    if not earlier and entry.previous_source is not None:
        earlier = list(approvals.get(entry_key(entry.msgctxt, entry.previous_source), ()))
    if earlier:
        return earlier[-1], _Served.SOURCE_CHANGED
    return None, _Served.APPROVED


def load_sources(workspace: Workspace, sources: Mapping[str, str]) -> dict[str, Article | I18nError]:
    """The English articles ``sources`` names (article id → workspace-relative source file).

    Each file is read once (a JSON Lines feed holds many articles); an unreadable source is returned as
    its error, for the gate to report.
    """
    by_file: dict[str, list[str]] = {}
    for article_id, source in sources.items():
        by_file.setdefault(source, []).append(article_id)
    found: dict[str, Article | I18nError] = {}
    for source, ids in by_file.items():
        path = workspace.root / source
        try:
            if not source or Path(source).is_absolute() or ".." in Path(source).parts:
                raise I18nError("the tracker names no source file for this article",
                                hint="run 'i18n sync', then publish again")
            data = path.read_bytes()
            if source.endswith(".md"):
                parsed: list[Article | I18nError] = [load_markdown(data, source)]
            else:
                parsed = list(load_feed(data, source))
        except FileNotFoundError:
            error = I18nError("the source file is gone", path=source, hint="run 'i18n sync', then publish again")
            found.update((i, error) for i in ids)
            continue
        except I18nError as exc:
            found.update((i, exc) for i in ids)
            continue
        articles = {a.id: a for a in parsed if isinstance(a, Article)}
        for article_id in ids:
            found[article_id] = articles.get(article_id) or I18nError(
                f"article {article_id} is no longer in this source", path=source,
                hint="run 'i18n sync', then publish again")
    return found
