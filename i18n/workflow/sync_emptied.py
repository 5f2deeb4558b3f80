"""An emptied catalog: a catalog file truncated to 0 bytes is refilled only if the tracker lost nothing with it."""

from __future__ import annotations

from i18n.core.errors import CatalogNotFound
from i18n.core.workspace import Workspace


def check_emptied(workspace: Workspace, key: str) -> None:
    """Refuse to refill the empty catalog ``key`` when the tracker records translations for it.

    A catalog truncated to 0 bytes (an editor crash, a bad copy) would otherwise come back untranslated
    and the next reconcile would record every translation as lost.
    """
    count = tracked_translations(workspace, key)
    if count:
        raise CatalogNotFound(
            f"the catalog is empty (0 bytes), but the status tracker records {count} translated "
            f"{'entry' if count == 1 else 'entries'} for it", path=key,
            hint=f"restore the file, e.g. `git checkout -- {key}` or from a backup, then run `i18n sync` "
                 "again; to start it again untranslated, delete the file first")


def tracked_translations(workspace: Workspace, key: str) -> int:
    """How many entries of the catalog ``key`` the status tracker records as translated (0 without a tracker).

    A tracker that does not exist yet is not created (sync does not use the tracker otherwise).
    """
    from i18n.tracker.snapshot import database_url, embedded_path, is_embedded  # lazy: only for an emptied catalog
    from i18n.workflow.status import reading  # lazy: sync reads no tracker otherwise (start-up time)

    if is_embedded(database_url(workspace)) and not embedded_path(workspace).is_file():
        return 0
    with reading(workspace) as snapshot:
        rows = snapshot.rows("SELECT n_machine + n_needs_work + n_translated + n_approved FROM catalogs "
                             "WHERE path = :path", {"path": key})
    return sum(int(row[0] or 0) for row in rows)
