"""The status tracker: every entry's state per language, approvals and history, in a database.

The only package that imports SQLAlchemy: ``models`` (the tables), ``engine`` (open, schema, transactions),
``queries/`` (reads and writes, one module per use-case group), ``snapshot`` (the read-only fast path
without SQLAlchemy), ``migrations/`` (Alembic). Query functions take a :class:`~sqlalchemy.orm.Session` and never
commit: the use case owns the transaction (``with tracker.transaction() as s: ...``).

The embedded default is a SQLite file in ``.i18n/`` (WAL, a busy timeout, and every write transaction
opened with ``BEGIN IMMEDIATE``: with Python's sqlite3 defaults a read-then-write transaction starts
deferred, and two processes can both read, then one's write silently overwrites the other's).
``postgresql+psycopg://`` selects a shared server; there concurrent writers serialise on row locks
(``SELECT … FOR UPDATE`` on the catalog or article being changed).

What it holds (see ``workflow.md``, "The status tracker"): articles; their entries (key, source text);
per entry and language the state, translation hash, origin and who changed it last; approvals (who, when,
the exact source and translation approved, kept after later edits; a reviewer's rejection of that text
revokes them, and they stay on record with who revoked them and when: schema 0003); an append-only history
of every state change; per catalog (article and language) a summary of its entries per state, kept in the
same transaction as the states, so that ``i18n status`` reads one row per catalog; the machine drafts
engines returned, the publication log and the assignments (schema 0002); and the file index of
reconciliation (file stamps, and a digest per folder for the cheap "nothing changed" check), stored here
so that it commits in the same transaction as the states it describes.

Translations are stored and hashed by :mod:`i18n.core.forms` (plural forms as a JSON array, never NUL-joined:
PostgreSQL cannot store NUL). Every error the database raises (unreachable, busy, a value or change
refused) leaves here as a :class:`~i18n.core.errors.TrackerError` made by :func:`i18n.tracker.snapshot.database_error`.
"""
