"""``i18n log``: an article's history, every state change of its entries with who, when, before and after."""

from __future__ import annotations

from dataclasses import dataclass

from i18n.core.errors import TrackerError
from i18n.core.ids import UI_ARTICLE, display_id, resolve_article
from i18n.core.workspace import Workspace
from i18n.mirrors.items import PublishedVersion
from i18n.mirrors.outputs import load_mirrors, published_versions
from i18n.tracker.engine import open_tracker
from i18n.tracker.queries.publishing import PublicationRecord
from i18n.tracker.queries.publishing import publications as tracked_publications
from i18n.tracker.queries.recording import article_exists
from i18n.tracker.queries.review import HistoryRecord, history
from i18n.tracker.snapshot import database_url
from i18n.workflow.reconcile import ReconcileReport, reconcile


@dataclass(frozen=True, slots=True)
class HistoryReport:
    """The history of one article (in one language, or all), oldest first."""

    article: str
    """The article id, or ``@ui`` for the UI catalog."""
    language: str | None
    records: tuple[HistoryRecord, ...]
    reconciled: ReconcileReport
    publications: tuple[PublicationRecord, ...] = ()
    """The publication log of the article (mirrors, in the language or all), oldest first."""
    versions: tuple[PublishedVersion, ...] = ()
    """The published versions the mirrors keep (``[publish] keep_versions``), per mirror newest first:
    what ``i18n publish --rollback ARTICLE --to VERSION`` can put back."""


def article_history(workspace: Workspace, article: str, language: str | None = None, *,
                    user: str | None = None) -> HistoryReport:
    """Reconcile, then read the history of ``article`` (a :class:`TrackerError` if it is unknown).

    ``article`` is an id as the user wrote it (``@ui``: the UI catalog; see
    :func:`i18n.core.ids.resolve_article`), and the report names it so.
    """
    tracked = resolve_article(article)
    code = workspace.settings.language(language).code if language is not None else None
    reconciled = reconcile(workspace, user=user)
    tracker = open_tracker(database_url(workspace))
    try:
        with tracker.read_session() as session:
            if not article_exists(session, tracked):
                raise TrackerError(f"the tracker knows no article '{article}'",
                                   hint="'i18n status --by article' lists the articles; run 'i18n sync' for new ones")
            records = history(session, tracked, code)
            published = tracked_publications(session, tracked, code)
    finally:
        tracker.close()
    versions = _kept_versions(workspace, tracked, code)
    return HistoryReport(display_id(tracked), code, tuple(records), reconciled, tuple(published), versions)


def _kept_versions(workspace: Workspace, article: str, language: str | None) -> tuple[PublishedVersion, ...]:
    """The versions of ``article`` the mirrors (of ``language``, or all) keep for a rollback."""
    if article == UI_ARTICLE:
        return ()
    return tuple(v for mirror in load_mirrors(workspace.settings)
                 if language is None or mirror.language.code == language
                 for v in published_versions(mirror, article))
