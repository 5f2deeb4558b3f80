"""Alembic migrations of the status tracker's schema, run programmatically (see :mod:`i18n.tracker`).

:data:`HEAD` names the newest revision this code knows; the fast read path compares the database's
``alembic_version`` with it without importing Alembic or SQLAlchemy.
"""

#: The newest schema revision this version of i18n knows (the ``revision`` of the last file in versions/).
HEAD = "0001"
