"""``i18n export``: a language's approved translations, for build scripts (MO, PO or JSON).

Only approved entries are exported: the state the tracker records, whose PO text is then exactly what
the reviewer approved. Layout under ``--out DIR`` (``<lang>`` is the gettext name, ``ca@valencia``):

* ``mo``: ``DIR/<lang>/LC_MESSAGES/messages.mo``, the UI catalog compiled like ``msgfmt`` (loads in
  Python's :mod:`gettext`, Babel, Flask-Babel and Jinja2 as usual);
* ``po``: ``DIR/<lang>/LC_MESSAGES/messages.po`` and ``DIR/<lang>/articles/<yyyy>/<id>.po`` for each
  ``--article``: what ``msgattrib --translated --no-fuzzy --no-obsolete`` keeps, restricted to approved
  entries, written as ``msgcat`` would;
* ``json``: ``DIR/<lang>/messages.json`` (``{"language", "messages": [{"msgctxt", "msgid",
  "msgid_plural", "msgstr": [...]}]}``) and ``DIR/<lang>/articles/<id>.json`` (``{"article",
  "language", "entries": {key: text}}``).

``--min-approved PCT`` refuses (exit 3, nothing written) when the language's share of approved entries
(``i18n status``'s ``percent_approved``: UI catalog and articles), or a selected article's, is below PCT.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from i18n.catalogs.catalog import Catalog
from i18n.catalogs.mofile import write_mo
from i18n.catalogs.pofile import read_catalog, write_catalog
from i18n.core.atomic import write_atomic
from i18n.core.errors import CatalogNotFound, TrackerError
from i18n.core.ids import UI_ARTICLE, display_id, resolve_article
from i18n.core.languages import Language
from i18n.core.states import State
from i18n.core.workspace import Workspace
from i18n.tracker.engine import open_tracker
from i18n.tracker.queries.publishing import gate_entries, publishable_articles
from i18n.tracker.snapshot import database_url
from i18n.workflow import status as status_use_case
from i18n.workflow.reconcile import ReconcileReport

__all__ = ["Below", "ExportFormat", "ExportReport", "export"]


class ExportFormat(enum.Enum):
    MO = "mo"
    PO = "po"
    JSON = "json"


@dataclass(frozen=True, slots=True)
class Below:
    """A language or article whose share of approved entries is under ``--min-approved``."""

    name: str
    percent: float

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "percent_approved": self.percent}


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What ``i18n export`` wrote (nothing when something is below the threshold)."""

    language: str
    format: ExportFormat
    out: Path
    percent: float
    """The language's share of approved entries, 0–100."""
    articles: tuple[tuple[str, float], ...]
    """Selected articles (``@ui``: the UI catalog) and their share of approved entries."""
    entries: int
    """Approved entries exported."""
    files: tuple[str, ...]
    min_approved: float | None
    below: tuple[Below, ...]
    reconciled: ReconcileReport

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` shape of ``i18n export`` (documented in workflow.md)."""
        return {
            "language": self.language, "format": self.format.value, "out": str(self.out),
            "percent_approved": self.percent, "min_approved": self.min_approved,
            "articles": [{"article": a, "percent_approved": p} for a, p in self.articles],
            "entries": self.entries, "files": list(self.files), "below": [b.to_json() for b in self.below],
        }


def export(workspace: Workspace, language: str, fmt: ExportFormat, out: Path, *, min_approved: float | None = None,
           articles: Sequence[str] = (), user: str | None = None) -> ExportReport:
    """Reconcile, check the threshold, then write the approved translations of ``language`` under ``out``.

    ``articles`` are ids as the user wrote them (see :func:`i18n.core.ids.resolve_article`): each is exported
    too and held to ``min_approved``; ``@ui`` holds the UI catalog, which is always exported, to it.
    """
    lang = workspace.settings.language(language)
    selected = tuple(dict.fromkeys(resolve_article(article) for article in articles))
    overview = status_use_case.status(workspace, (lang.code,), user=user)
    reconciled = overview.reconciled
    percent = overview.languages[0].percent_approved
    tracker = open_tracker(database_url(workspace))
    try:
        with tracker.read_session() as session:
            # Current, dated articles only: the UI catalog is exported as messages, and an article removed
            # from the sources has no catalog to read.
            dates = {a.id: a.date for a in publishable_articles(session) if a.id in selected}
            for article in selected:
                if article not in dates and article != UI_ARTICLE:
                    raise TrackerError(f"the tracker knows no article '{article}'",
                                       hint="'i18n status --by article' lists the articles")
            states = gate_entries(session, lang.code, [UI_ARTICLE, *selected])
    finally:
        tracker.close()
    approved = {article: {e.key for e in entries if e.state is State.APPROVED} for article, entries in states.items()}
    shares = tuple((display_id(a), _percent(len(approved[a]), len(states[a]))) for a in selected)
    below: list[Below] = []
    if min_approved is not None:
        if percent < min_approved:
            below.append(Below(lang.code, percent))
        below.extend(Below(a, p) for a, p in shares if p < min_approved)
    files: list[str] = []
    count = 0
    if not below:
        written, count = _write(workspace, lang, fmt, out, approved, dates)
        files = [path.as_posix() for path in written]
    return ExportReport(lang.code, fmt, out, percent, shares, count, tuple(files), min_approved, tuple(below),
                        reconciled)


def _percent(done: int, total: int) -> float:
    return 100.0 if total == 0 else round(100.0 * done / total, 1)


def _write(workspace: Workspace, lang: Language, fmt: ExportFormat, out: Path, approved: dict[str, set[str]],
           dates: dict[str, dt.date]) -> tuple[list[Path], int]:
    base = out / lang.gettext
    written: list[Path] = []
    count = 0
    catalogs: list[tuple[str, Catalog]] = []
    try:
        ui = read_catalog(workspace.ui_catalog_path(lang))
        catalogs.append((UI_ARTICLE, ui.restricted_to(approved.get(UI_ARTICLE, set()))))
    except CatalogNotFound:
        pass
    if fmt is not ExportFormat.MO:
        for article in approved:
            if article != UI_ARTICLE:
                source = read_catalog(workspace.catalog_path(lang, article, dates[article].year))
                catalogs.append((article, source.restricted_to(approved[article])))
    for article, catalog in catalogs:
        count += len(catalog.entries)
        if fmt is ExportFormat.MO:
            path = base / "LC_MESSAGES" / "messages.mo"
            path.parent.mkdir(parents=True, exist_ok=True)
            write_mo(catalog, path)
        elif fmt is ExportFormat.PO:
            path = (base / "LC_MESSAGES" / "messages.po" if article == UI_ARTICLE
                    else base / "articles" / f"{dates[article].year:04d}" / f"{article}.po")
            path.parent.mkdir(parents=True, exist_ok=True)
            write_catalog(catalog, path)
        else:
            if article == UI_ARTICLE:
                path = base / "messages.json"
                data: dict[str, Any] = {"language": lang.code, "messages": [
                    {"msgctxt": e.msgctxt, "msgid": e.msgid, "msgid_plural": e.msgid_plural, "msgstr": list(e.msgstrs)}
                    for e in catalog.entries]}
            else:
                path = base / "articles" / f"{article}.json"
                data = {"article": article, "language": lang.code,
                        "entries": {e.key: e.msgstr for e in catalog.entries}}
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        written.append(path)
    return written, count
