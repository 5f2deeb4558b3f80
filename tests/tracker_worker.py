"""A separate process for the concurrency tests: ``python -m tests.tracker_worker MODE WORKSPACE ...``.

``edit WORKSPACE LANG ARTICLE KEYS...``: for each key, translate that entry in the article's catalog (as
``worker-LANG``), then reconcile. ``approve WORKSPACE LANG ARTICLE KEYS...``: approve each key's current
translation, one transaction each.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from i18n.catalogs.catalog import Entry
from i18n.catalogs.pofile import read_catalog
from i18n.core.workspace import Workspace
from i18n.tracker.engine import open_tracker
from i18n.tracker.queries.review import record_approval
from i18n.tracker.snapshot import database_url
from i18n.workflow.reconcile import reconcile
from tests.tracker_support import catalog_path, edit_catalog


def main(argv: list[str]) -> None:
    mode, root, language, article, *keys = argv
    workspace = Workspace.open(config=Path(root) / "i18n.toml")
    path = catalog_path(workspace, article, language)
    if mode == "edit":
        for key in keys:
            edit_catalog(path, _editor(key, f"{language} {key} edited"), translator=f"worker-{language}")
            reconcile(workspace)
        return
    opened = open_tracker(database_url(workspace))
    entries = {e.key: e for e in read_catalog(path).active_entries}
    for key in keys:
        entry = entries[key]
        with opened.transaction() as session:
            record_approval(session, article=article, language=language, key=key, source=entry.msgid,
                                    translation=entry.msgstrs, reviewer=f"reviewer-{language}")
    opened.close()


def _editor(key: str, text: str) -> Callable[[Entry], Entry]:
    def edit(entry: Entry) -> Entry:
        return replace(entry, msgstr=text) if entry.key == key else entry
    return edit


if __name__ == "__main__":
    main(sys.argv[1:])
