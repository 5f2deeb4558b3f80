"""Alembic migrations of the status tracker's schema, run programmatically (see :mod:`i18n.tracker.engine`).

:data:`HEAD` names the newest revision this code knows; the fast read path compares the database's
``alembic_version`` with it without importing Alembic or SQLAlchemy.
"""

#: Every schema revision this version of i18n knows, oldest first (the ``revision`` of each file in versions/).
REVISIONS = ("0001", "0002", "0003", "0004")
#: The newest of them.
HEAD = REVISIONS[-1]
