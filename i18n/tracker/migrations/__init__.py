"""Alembic migrations of the status tracker's schema, run by i18n (:mod:`i18n.tracker.engine`) or by ``alembic``.

:data:`REVISIONS` and :data:`HEAD` are read from the migration files in ``versions/`` (each file's ``revision``
and ``down_revision`` lines, chained), not kept by hand: adding a migration (``alembic revision
--autogenerate -m "..." --rev-id 0005``) is enough. They are read with a regular expression, not through
Alembic's ``ScriptDirectory`` (which a test compares them with): the fast read path compares the database's
``alembic_version`` with :data:`HEAD` on every ``i18n status``, and importing Alembic costs half a second.
"""

from __future__ import annotations

import re
from pathlib import Path

_VERSIONS = Path(__file__).resolve().parent / "versions"
_REVISION = re.compile(r"""^revision(?:\s*:[^=\n]*)?\s*=\s*["'](\w+)["']""", re.MULTILINE)
_DOWN_REVISION = re.compile(r"""^down_revision(?:\s*:[^=\n]*)?\s*=\s*(?:["'](\w+)["']|None)""", re.MULTILINE)


def _chain(folder: Path) -> tuple[str, ...]:
    """The revisions of the migration files in ``folder``, oldest first (one line of descent, no branches)."""
    parents: dict[str, str | None] = {}
    for path in folder.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found, down = _REVISION.search(text), _DOWN_REVISION.search(text)
        if found is not None and down is not None:
            parents[found.group(1)] = down.group(1)
    children: dict[str | None, list[str]] = {}
    for revision, parent in parents.items():
        children.setdefault(parent, []).append(revision)
    chain: list[str] = []
    current: str | None = None
    while current in children:
        following = children[current]
        if len(following) != 1:
            raise RuntimeError(f"the tracker's migrations branch after {current or 'the start'}: {sorted(following)}")
        current = following[0]
        chain.append(current)
    if len(chain) != len(parents):
        raise RuntimeError(f"migrations outside the line of descent in {folder}: "
                           f"{sorted(set(parents) - set(chain))}")
    return tuple(chain)


#: Every schema revision this version of i18n knows, oldest first.
REVISIONS = _chain(_VERSIONS)
#: The newest of them.
HEAD = REVISIONS[-1]
